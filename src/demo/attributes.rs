//! Generated attributes of the demo plots: land use, status, planning conditions, land
//! user, dates and money, and the idle-land findings. Shaped so that the land rules
//! (docs/ARCHITECTURE.md, where each rule lives) have real cases: plots a year or two past their agreed start with no start,
//! started plots stalled under a third built, plots whose tax per 亩 is far below the
//! park's, and a few supplied plots just past the one-year limit that nobody has
//! recorded yet.

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};

use super::facts::ParkFact;
use super::rng::Rng;

/// The date the demo data describes: every generated date is on or before it.
pub const AS_OF: NaiveDate = match NaiveDate::from_ymd_opt(2026, 10, 31) {
    Some(d) => d,
    None => panic!("bad date"),
};

pub struct PlotAttrs {
    pub land_use: &'static str,
    pub status: &'static str,
    pub far_min: Option<f64>,
    pub far_max: Option<f64>,
    pub coverage_min: Option<f64>,
    pub green_max: Option<f64>,
    pub land_user: Option<String>,
    pub supplied_on: Option<NaiveDate>,
    pub land_price_wan: Option<f64>,
    pub agreed_start: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub stalled_since: Option<NaiveDate>,
    pub built_ratio: Option<f64>,
    pub invested_wan: Option<f64>,
    pub planned_investment_wan: Option<f64>,
    pub output_wan: Option<f64>,
    pub tax_wan: Option<f64>,
}

impl PlotAttrs {
    pub fn to_json(&self) -> serde_json::Map<String, Value> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        let v = json!({
            "land_use": self.land_use,
            "status": self.status,
            "far_min": self.far_min,
            "far_max": self.far_max,
            "coverage_min": self.coverage_min,
            "green_max": self.green_max,
            "land_user": self.land_user,
            "supplied_on": date(self.supplied_on),
            "land_price_wan": self.land_price_wan,
            "agreed_start": date(self.agreed_start),
            "actual_start": date(self.actual_start),
            "stalled_since": date(self.stalled_since),
            "built_ratio": self.built_ratio,
            "invested_wan": self.invested_wan,
            "planned_investment_wan": self.planned_investment_wan,
            "output_wan": self.output_wan,
            "tax_wan": self.tax_wan,
        });
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }
}

/// Statuses by ring: the old centre is built, the edge is still reserve land.
fn ring_weights(centrality: f64) -> &'static [(u32, &'static str)] {
    if centrality < 0.45 {
        &[(58, "in_production"), (9, "under_construction"), (5, "supplied"), (8, "idle"), (12, "inefficient"), (5, "unavailable"), (3, "available")]
    } else if centrality < 0.78 {
        &[
            (20, "in_production"),
            (17, "under_construction"),
            (10, "supplied"),
            (9, "idle"),
            (5, "inefficient"),
            (22, "available"),
            (9, "approved_unsupplied"),
            (5, "unavailable"),
            (3, "reserve"),
        ]
    } else {
        &[(36, "available"), (24, "reserve"), (24, "approved_unsupplied"), (5, "supplied"), (5, "under_construction"), (6, "unavailable")]
    }
}

/// A block's own status, or None when its plots are mixed. Whole blocks of one status are
/// what makes contiguous land (and contiguous idle land) in real parks.
pub fn block_status(rng: &mut Rng, centrality: f64) -> Option<&'static str> {
    let s = *rng.weighted(ring_weights(centrality));
    (rng.chance(0.55) && s != "unavailable").then_some(s)
}

fn round(x: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (x * k).round() / k
}

fn date_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let days = (to - from).num_days().max(0);
    from + Duration::days(rng.below(days as u64 + 1) as i64)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

const NAME_WORDS: &[&str] = &[
    "华信", "粤北", "金创", "宏达", "佳和", "瑞丰", "恒通", "德盛", "汇源", "博远", "联拓", "鸿图", "新创", "锦程", "中泰", "天润", "永利", "嘉诚", "盛世",
    "力拓", "北江", "凯达", "远航", "明德", "精工", "同创", "华南", "腾越", "启航", "万和",
];

/// The business a company of this industry names itself after.
fn trade(industry: &str) -> &'static str {
    match industry {
        i if i.contains("材料") => "新材料科技",
        i if i.contains("汽车") => "汽车零部件",
        i if i.contains("家居") => "家居制造",
        i if i.contains("生物") || i.contains("医药") => "生物科技",
        i if i.contains("电子") => "电子科技",
        i if i.contains("物流") => "供应链管理",
        i if i.contains("装备") || i.contains("制造") => "智能装备",
        i if i.contains("能源") => "新能源科技",
        i if i.contains("食品") || i.contains("预制菜") || i.contains("农业") => "食品",
        i if i.contains("茶") => "茶业",
        i if i.contains("时尚") => "化妆品",
        i if i.contains("矿") => "矿业",
        i if i.contains("石化") => "化工",
        _ => "实业",
    }
}

/// The latest a plot of `status` can have been supplied: each status's dates below fall in
/// a window that ends here (the idle ones run back from AS_OF by at most 1,900 days).
fn latest_first_supply(status: &str) -> Option<NaiveDate> {
    match status {
        "inefficient" => Some(ymd(2017, 12, 31)),
        "in_production" => Some(ymd(2022, 6, 30)),
        "under_construction" => Some(ymd(2025, 12, 31)),
        "idle" => Some(AS_OF - Duration::days(1900)),
        _ => None,
    }
}

/// A status a park established on `established` is old enough for: land is not supplied
/// before its park exists, so a young park's centre is still being built, not inefficient.
fn fit_to_age(status: &'static str, established: NaiveDate) -> &'static str {
    let mut s = status;
    while latest_first_supply(s).is_some_and(|latest| established > latest) {
        s = match s {
            "inefficient" => "in_production",
            "in_production" => "under_construction",
            _ => "supplied",
        };
    }
    s
}

/// Attributes of one plot of `area_mu` in `park`.
pub fn plot_attrs(rng: &mut Rng, park: &ParkFact, centrality: f64, block: Option<&'static str>, area_mu: f64) -> PlotAttrs {
    let established: NaiveDate = park.established.parse().expect("a park's established date is a date");
    // The deref is needed: without it the arm is a `&&str` (clippy's explicit_auto_deref
    // says otherwise, wrongly here).
    #[allow(clippy::explicit_auto_deref)]
    let status: &'static str = match block {
        Some(s) if rng.chance(0.85) => s,
        _ => *rng.weighted(ring_weights(centrality)),
    };
    let status = fit_to_age(status, established);
    let mut a = PlotAttrs {
        land_use: "100102",
        status,
        far_min: None,
        far_max: None,
        coverage_min: None,
        green_max: None,
        land_user: None,
        supplied_on: None,
        land_price_wan: None,
        agreed_start: None,
        actual_start: None,
        stalled_since: None,
        built_ratio: None,
        invested_wan: None,
        planned_investment_wan: None,
        output_wan: None,
        tax_wan: None,
    };
    if status == "unavailable" {
        a.land_use = *rng.pick(&["1402", "1402", "1401", "1301", "1302", "1303", "1304", "1208"]);
        return a;
    }

    let industry = *rng.pick(park.leading_industries);
    planning_conditions(rng, park, industry, &mut a);
    if matches!(status, "reserve" | "approved_unsupplied" | "available") {
        return a;
    }
    let (agreed, planned) = grant(rng, park, industry, established, area_mu, &mut a);
    progress(rng, area_mu, agreed, planned, &mut a);
    a
}

/// The land use and planning conditions (工业项目建设用地控制指标) of a plot that can be
/// supplied: FAR floor by industry, coverage ≥ 30 %, green ≤ 20 %.
fn planning_conditions(rng: &mut Rng, park: &ParkFact, industry: &str, a: &mut PlotAttrs) {
    a.land_use = if park.logistics && rng.chance(0.45) {
        *rng.weighted(&[(5, "110101"), (4, "110102"), (1, "110103")])
    } else if industry.contains("现代服务") && rng.chance(0.5) {
        "09"
    } else {
        *rng.weighted(&[(30, "100101"), (55, "100102"), (15, "100103")])
    };
    let logistics = a.land_use.starts_with("1101");
    let auto = industry.contains("汽车");
    a.far_min = Some(if logistics {
        0.8
    } else if auto {
        0.7
    } else {
        1.0
    });
    a.far_max = Some(*rng.pick(&[2.0, 2.5, 3.0]));
    a.coverage_min = Some(if logistics { 0.4 } else { *rng.pick(&[0.3, 0.35, 0.4]) });
    a.green_max = Some(*rng.pick(&[0.15, 0.2]));
}

/// Land that has been supplied: a user, a price, a contract start date. Returns the agreed
/// start and the planned investment.
fn grant(rng: &mut Rng, park: &ParkFact, industry: &str, established: NaiveDate, area_mu: f64, a: &mut PlotAttrs) -> (NaiveDate, f64) {
    let status = a.status;

    let city = if park.city.starts_with("湛江") { "湛江" } else { "清远" };
    a.land_user = Some(format!("{city}{}{}有限公司", rng.pick(NAME_WORDS), trade(industry)));
    let price = rng.range(park.price_wan_per_mu.0, park.price_wan_per_mu.1);
    a.land_price_wan = Some(round(area_mu * price, 1));
    let intensity = rng.range(250.0, 600.0); // 万元/亩
    let planned = round(area_mu * intensity, 1);
    a.planned_investment_wan = Some(planned);

    let supplied = match status {
        "in_production" => date_between(rng, ymd(2010, 1, 1).max(established), ymd(2022, 6, 30)),
        "inefficient" => date_between(rng, ymd(2006, 1, 1).max(established), ymd(2017, 12, 31)),
        "under_construction" => date_between(rng, ymd(2023, 1, 1).max(established), ymd(2025, 12, 31)),
        "idle" => date_between(rng, ymd(2020, 6, 1), ymd(2025, 3, 31)),
        _ /* supplied */ => date_between(rng, ymd(2024, 9, 1), ymd(2026, 9, 30)),
    };
    a.supplied_on = Some(supplied);
    let agreed = supplied + Duration::days(90 + rng.below(120) as i64);
    a.agreed_start = Some(agreed);

    (agreed, planned)
}

/// How far the land user has got by `AS_OF`: started, built, invested, producing; or idle
/// (never started, or stalled), with dates that follow one another.
fn progress(rng: &mut Rng, area_mu: f64, agreed: NaiveDate, planned: f64, a: &mut PlotAttrs) {
    let status = a.status;
    match status {
        "in_production" | "inefficient" => {
            let start = agreed + Duration::days(rng.below(200) as i64 - 40);
            a.actual_start = Some(start.min(AS_OF));
            if status == "in_production" {
                a.built_ratio = Some(round(rng.range(0.7, 1.0), 2));
                a.invested_wan = Some(round(planned * rng.range(0.85, 1.1), 1));
                a.output_wan = Some(round(a.invested_wan.unwrap_or(0.0) * rng.range(0.8, 2.5), 1));
                a.tax_wan = Some(round(area_mu * rng.range(8.0, 40.0), 1));
            } else {
                // Built, but far below the floors: half built, little invested, little tax.
                a.built_ratio = Some(round(rng.range(0.35, 0.7), 2));
                a.invested_wan = Some(round(planned * rng.range(0.3, 0.6), 1));
                a.output_wan = Some(round(a.invested_wan.unwrap_or(0.0) * rng.range(0.2, 0.6), 1));
                a.tax_wan = Some(round(area_mu * rng.range(0.3, 3.0), 1));
            }
        }
        "under_construction" => {
            let start = agreed + Duration::days(rng.below(260) as i64 - 30);
            a.actual_start = Some(start.min(AS_OF - Duration::days(20)));
            let built = round(rng.range(0.05, 0.65), 2);
            a.built_ratio = Some(built);
            a.invested_wan = Some(round(planned * (built * rng.range(0.9, 1.5)).min(1.0), 1));
        }
        "idle" => {
            if rng.chance(0.6) {
                // Never started: the agreed start is one to three and a half years past.
                let agreed = AS_OF - Duration::days(366 + rng.below(900) as i64);
                a.agreed_start = Some(agreed);
                a.supplied_on = Some(agreed - Duration::days(90 + rng.below(120) as i64));
            } else {
                // Started, then stopped with under a third built or under 25 % invested.
                // Dates run backwards from the stop so each follows the one before.
                let stalled = AS_OF - Duration::days(370 + rng.below(700) as i64);
                let start = stalled - Duration::days(60 + rng.below(440) as i64);
                let agreed = start - Duration::days(rng.below(120) as i64);
                a.supplied_on = Some(agreed - Duration::days(90 + rng.below(120) as i64));
                a.agreed_start = Some(agreed);
                a.actual_start = Some(start);
                a.stalled_since = Some(stalled);
                let low_build = rng.chance(0.5);
                a.built_ratio = Some(if low_build { round(rng.range(0.05, 0.32), 2) } else { round(rng.range(0.34, 0.5), 2) });
                a.invested_wan =
                    Some(round(planned * if low_build { rng.range(0.1, 0.4) } else { rng.range(0.05, 0.24) }, 1));
            }
        }
        _ /* supplied */ => {
            if rng.chance(0.15) {
                // Past its agreed start by a little over a year with no start: a case for
                // the idle rules that the ledger has not caught yet.
                a.agreed_start = Some(AS_OF - Duration::days(366 + rng.below(180) as i64));
                a.supplied_on = Some(a.agreed_start.unwrap() - Duration::days(120));
            } else {
                a.agreed_start = Some(agreed.min(AS_OF + Duration::days(200)));
            }
        }
    }
}

/// An idle-land finding.
pub struct IdleRecord {
    pub plot_id: i64,
    pub kind: &'static str,
    pub cause: &'static str,
    pub found_on: NaiveDate,
    pub idle_since: Option<NaiveDate>,
    pub measure: &'static str,
    pub measure_status: &'static str,
    pub fee_wan: Option<f64>,
    pub note: String,
}

impl IdleRecord {
    pub fn to_json(&self, id: i64) -> Value {
        json!({
            "type": "Feature",
            "id": id,
            "geometry": null,
            "properties": {
                "plot_id": self.plot_id,
                "kind": self.kind,
                "cause": self.cause,
                "found_on": self.found_on.to_string(),
                "idle_since": self.idle_since.map(|d| d.to_string()),
                "measure": self.measure,
                "measure_status": self.measure_status,
                "fee_wan": self.fee_wan,
                "note": self.note,
            }
        })
    }
}

/// The finding recorded for a plot, if any. Idle and inefficient plots have one; about a
/// third of the approved-but-unsupplied plots do (the rest are waiting for the next land survey).
pub fn idle_record(rng: &mut Rng, plot_id: i64, a: &PlotAttrs) -> Option<IdleRecord> {
    let measure_status = *rng.weighted(&[(4, "pending"), (4, "in_progress"), (2, "done")]);
    match a.status {
        "idle" => {
            let since = match (a.actual_start, a.stalled_since) {
                (None, _) => a.agreed_start? + Duration::days(365),
                (Some(_), Some(stalled)) => stalled + Duration::days(365),
                (Some(_), None) => return None,
            };
            let found_on = (since + Duration::days(30 + rng.below(150) as i64)).min(AS_OF);
            let cause = *rng.weighted(&[(5, "user"), (2, "government"), (2, "funding"), (1, "market")]);
            let two_years = (AS_OF - since).num_days() >= 365;
            let (measure, fee_wan, note) = if cause == "government" {
                let m = *rng.pick(&["extend_start", "change_use", "land_swap", "take_back_compensated"]);
                (m, None, "因政府原因（征地拆迁、规划调整）造成动工延迟".to_string())
            } else if two_years {
                ("take_back_uncompensated", None, "闲置满两年，依法无偿收回".to_string())
            } else {
                ("idle_fee", a.land_price_wan.map(|p| round(p * 0.2, 1)), "闲置满一年，按土地出让价款的20%征缴土地闲置费".to_string())
            };
            Some(IdleRecord { plot_id, kind: "idle", cause, found_on, idle_since: Some(since), measure, measure_status, fee_wan, note })
        }
        "inefficient" => {
            let found_on = date_between(rng, ymd(2023, 1, 1), AS_OF);
            let cause = *rng.weighted(&[(4, "market"), (3, "funding"), (3, "user")]);
            let measure = *rng.pick(&["negotiated_take_back", "re_tender", "added_investment", "conversion", "agreed_swap", "joint_operation"]);
            Some(IdleRecord {
                plot_id,
                kind: "inefficient",
                cause,
                found_on,
                idle_since: None,
                measure,
                measure_status,
                fee_wan: None,
                note: "亩均税收、容积率低于园区控制指标".to_string(),
            })
        }
        "approved_unsupplied" if rng.chance(0.3) => {
            let found_on = date_between(rng, ymd(2022, 1, 1), AS_OF);
            let cause = *rng.weighted(&[(5, "land_not_ready"), (3, "planning_change"), (2, "market")]);
            let measure = *rng.weighted(&[(6, "supply"), (2, "temporary_use"), (2, "return_quota")]);
            let note = match cause {
                "land_not_ready" => "征地拆迁未完成，暂不具备供地条件",
                "planning_change" => "规划调整中，待控规修编后供应",
                _ => "已具备供地条件，尚无意向企业",
            };
            Some(IdleRecord {
                plot_id,
                kind: "approved_unsupplied",
                cause,
                found_on,
                idle_since: None,
                measure,
                measure_status,
                fee_wan: None,
                note: note.to_string(),
            })
        }
        _ => None,
    }
}
