//! The land ledger (台账) of each park: how much land it has, in which state and use, how
//! much of it is idle or inefficient, how much contiguous land is free, and what the used
//! land yields per 亩.
//!
//! # Definitions
//! - `plotted_area_mu`: the sum of the park's plots' geodesic areas.
//! - `utilisation`: supplied land (supplied, under construction, in production, idle,
//!   inefficient) as a share of the plotted land that can be supplied at all (all but
//!   `unavailable`).
//! - `per_mu`: 亩均 investment, output and tax of the land in use (in production or
//!   inefficient), each over the plots that report the figure.
//! - `blocks`: contiguous available land, as `/analysis/contiguity` computes it with its
//!   defaults (shared boundary of at least 10 m, no gap). Absent from a ledger as of a past
//!   instant (`datetime`): contiguity is measured from the plot links, derived data kept
//!   for the plots as they are now, not for each past version; measuring past outlines
//!   anew would cost a link measurement of the whole park per request.
//! - As of a past instant, every other figure is what the records said then (the plots,
//!   findings, parks and zones as of that instant, `store::versions`).
//! - A zone (`zones`: 广清经济特别合作区, four parks, seed 001 "一区三园一城") gets the
//!   same totals as the whole: planned and plotted area, plots, area by status, findings
//!   and large blocks, added up over its parks. Ratios (utilisation, 亩均) are not added up.
//!   The CSV names each park's zone.

#![warn(clippy::disallowed_types)]

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::PgPool;

use crate::analysis::contiguity::{self, ContiguityParams};
use crate::analysis::land_graph::LandGraphs;
use crate::domain::{FindingKind, LandStatus, ParkLevel, Vocabulary};
use crate::failed::{Doing, Failed};
use crate::store::counters::{counts, Counters, Kept};

/// Plots of one status in a park.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StatusArea {
    pub name_zh: String,
    pub ord: i16,
    pub count: i64,
    pub area_mu: f64,
}

/// Plots of one land use in a park.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LandUseArea {
    pub name_zh: String,
    pub count: i64,
    pub area_mu: f64,
}

/// Plots with idle-land findings of one kind, and the fees on record.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FindingArea {
    pub count: i64,
    pub area_mu: f64,
    pub fee_wan: f64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name_zh: String,
    name_en: Option<String>,
    level: ParkLevel,
    zone_id: Option<String>,
    zone_name: Option<String>,
    planned_area_km2: Option<f64>,
    /// None for a park not drawn yet.
    boundary_area_mu: Option<f64>,
    plots: i64,
    plotted_area_mu: f64,
    usable_mu: f64,
    supplied_mu: f64,
    investment_wan_per_mu: Option<f64>,
    output_wan_per_mu: Option<f64>,
    tax_wan_per_mu: Option<f64>,
    by_status: Json<BTreeMap<LandStatus, StatusArea>>,
    by_land_use: Json<BTreeMap<String, LandUseArea>>,
    findings: Json<BTreeMap<FindingKind, FindingArea>>,
}

/// Contiguous available land of a park.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Blocks {
    pub statuses: Vec<LandStatus>,
    pub count: usize,
    pub largest_mu: f64,
    pub at_least_50: usize,
    pub at_least_100: usize,
    pub at_least_300: usize,
}

/// 亩均 figures of the land in use.
#[derive(Debug, Clone, Copy, Serialize, schemars::JsonSchema)]
pub struct PerMu {
    pub investment_wan: Option<f64>,
    pub output_wan: Option<f64>,
    pub tax_wan: Option<f64>,
}

/// One park's ledger.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Ledger {
    pub park_id: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub level: ParkLevel,
    pub zone_id: Option<String>,
    pub zone_name: Option<String>,
    pub planned_area_km2: Option<f64>,
    pub planned_area_mu: Option<f64>,
    pub boundary_area_mu: Option<f64>,
    pub plots: i64,
    pub plotted_area_mu: f64,
    pub utilisation: Option<f64>,
    pub by_status: BTreeMap<LandStatus, StatusArea>,
    pub by_land_use: BTreeMap<String, LandUseArea>,
    pub findings: BTreeMap<FindingKind, FindingArea>,
    /// None as of a past instant (see the module's definitions).
    pub blocks: Option<Blocks>,
    pub per_mu: PerMu,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// What a ledger is computed from: ledger.sql's tables and the land graph's.
const TABLES: &[&str] = &["constraints", "idle_records", "land_statuses", "land_use_codes", "parks", "plots", "roads", "transport_nodes", "zones"];

/// Ledgers computed lately, by park (None: every park), with the change counters they were
/// computed at. The counters are read before the ledger is, so a kept ledger is never
/// older than its counters say: a write moves them, and the next request computes it
/// again. Every park's ledger takes seconds at a million plots.
pub type KeptLedgers = Kept<Option<String>, Arc<Vec<Ledger>>>;

/// The ledger of one park (`Some(id)`) or of every park, kept or computed.
pub async fn kept_ledgers(pool: &PgPool, counters: &Counters, kept: &KeptLedgers, land: &LandGraphs, park: Option<&str>) -> Result<Arc<Vec<Ledger>>, Failed> {
    let at = counts(&counters.now(pool).await.doing("reading the change counters")?, TABLES);
    kept.or_compute(park.map(str::to_string), at, async { Ok(Arc::new(ledgers(pool, land, park).await?)) }).await
}

/// The ledger of one park (`Some(id)`) or of every park, now.
pub async fn ledgers(pool: &PgPool, land: &LandGraphs, park: Option<&str>) -> Result<Vec<Ledger>, Failed> {
    let rows = sums(pool, park, None).await?;
    let params = ContiguityParams { park: park.map(str::to_string), ..ContiguityParams::default() };
    let mut blocks_by_park: HashMap<String, Vec<f64>> = HashMap::new();
    for (park_id, area_mu) in contiguity::block_sizes(pool, land, &params).await? {
        blocks_by_park.entry(park_id).or_default().push(area_mu);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let blocks = blocks_by_park.remove(&r.id).unwrap_or_default();
            let count_at_least = |mu: f64| blocks.iter().filter(|a| **a >= mu).count();
            let blocks = Blocks {
                statuses: params.statuses.clone(),
                count: blocks.len(),
                largest_mu: round3(blocks.iter().copied().fold(0.0, f64::max)),
                at_least_50: count_at_least(50.0),
                at_least_100: count_at_least(100.0),
                at_least_300: count_at_least(300.0),
            };
            ledger_of(r, Some(blocks))
        })
        .collect())
}

/// The ledger of one park or of every park as the records stood at `at` (no blocks: see
/// the module's definitions).
pub async fn ledgers_as_of(pool: &PgPool, park: Option<&str>, at: chrono::DateTime<chrono::Utc>) -> Result<Vec<Ledger>, Failed> {
    Ok(sums(pool, park, Some(at)).await?.into_iter().map(|r| ledger_of(r, None)).collect())
}

/// The ledger's sums (ledger.sql), now or as of an instant, from one snapshot.
async fn sums(pool: &PgPool, park: Option<&str>, at: Option<chrono::DateTime<chrono::Utc>>) -> Result<Vec<Row>, Failed> {
    let mut tx = crate::store::consistent_read(pool).await.doing("summing the park ledgers")?;
    if let Some(at) = at {
        crate::store::versions::read_as_of(&mut tx, at).await.doing("reading the records as of an instant")?;
    }
    let rows = sqlx::query_as(include_str!("ledger.sql"))
        .bind(park)
        .bind(FindingKind::codes())
        .bind(&LandStatus::SUPPLIED[..])
        .bind(&LandStatus::IN_USE[..])
        .fetch_all(&mut *tx)
        .await
        .doing("summing the park ledgers")?;
    Ok(rows)
}

fn ledger_of(r: Row, blocks: Option<Blocks>) -> Ledger {
    Ledger {
        planned_area_mu: r.planned_area_km2.map(|k| round3(k * 1500.0)),
        utilisation: if r.usable_mu > 0.0 { Some(round3(r.supplied_mu / r.usable_mu)) } else { None },
        blocks,
        per_mu: PerMu { investment_wan: r.investment_wan_per_mu, output_wan: r.output_wan_per_mu, tax_wan: r.tax_wan_per_mu },
        park_id: r.id,
        name_zh: r.name_zh,
        name_en: r.name_en,
        level: r.level,
        zone_id: r.zone_id,
        zone_name: r.zone_name,
        planned_area_km2: r.planned_area_km2,
        boundary_area_mu: r.boundary_area_mu,
        plots: r.plots,
        plotted_area_mu: r.plotted_area_mu,
        by_status: r.by_status.0,
        by_land_use: r.by_land_use.0,
        findings: r.findings.0,
    }
}

/// Plots of one status over several parks.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StatusTotal {
    pub name_zh: String,
    pub count: i64,
    pub area_mu: f64,
}

/// Totals over several parks' ledgers; ratios are not added up.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Totals {
    pub parks: usize,
    pub planned_area_mu: f64,
    pub plots: i64,
    pub plotted_area_mu: f64,
    pub by_status: BTreeMap<LandStatus, StatusTotal>,
    pub findings: BTreeMap<FindingKind, FindingArea>,
    /// None as of a past instant.
    pub blocks_at_least_300: Option<usize>,
}

/// Totals over several parks' ledgers.
pub fn totals(ledgers: &[Ledger]) -> Totals {
    let sum = |f: &dyn Fn(&Ledger) -> f64| round3(ledgers.iter().map(f).sum::<f64>());
    let by_status = ledgers
        .first()
        .map(|first| {
            first
                .by_status
                .iter()
                .map(|(&code, s)| {
                    let of = |l: &Ledger| l.by_status.get(&code).map_or((0, 0.0), |x| (x.count, x.area_mu));
                    let total = StatusTotal { name_zh: s.name_zh.clone(), count: ledgers.iter().map(|l| of(l).0).sum(), area_mu: sum(&|l| of(l).1) };
                    (code, total)
                })
                .collect()
        })
        .unwrap_or_default();
    let findings = FindingKind::ALL
        .iter()
        .map(|&k| {
            let of = |l: &Ledger| l.findings.get(&k).copied().unwrap_or_default();
            let fee_wan = (ledgers.iter().map(|l| of(l).fee_wan).sum::<f64>() * 10.0).round() / 10.0;
            (k, FindingArea { count: ledgers.iter().map(|l| of(l).count).sum(), area_mu: sum(&|l| of(l).area_mu), fee_wan })
        })
        .collect();
    Totals {
        parks: ledgers.len(),
        planned_area_mu: sum(&|l| l.planned_area_mu.unwrap_or(0.0)),
        plots: ledgers.iter().map(|l| l.plots).sum(),
        plotted_area_mu: sum(&|l| l.plotted_area_mu),
        by_status,
        findings,
        blocks_at_least_300: ledgers.iter().map(|l| l.blocks.as_ref().map(|b| b.at_least_300)).sum(),
    }
}

/// A zone with its parks and their totals.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ZoneLedger {
    pub zone_id: String,
    pub name_zh: Option<String>,
    pub park_ids: Vec<String>,
    pub totals: Totals,
}

/// The zones the ledgers' parks belong to, each with its parks and their totals.
pub fn zones(ledgers: &[Ledger]) -> Vec<ZoneLedger> {
    let mut by_zone: Vec<(&str, &Option<String>, Vec<Ledger>)> = Vec::new();
    for l in ledgers {
        let Some(zone) = l.zone_id.as_deref() else { continue };
        match by_zone.iter_mut().find(|z| z.0 == zone) {
            Some(z) => z.2.push(l.clone()),
            None => by_zone.push((zone, &l.zone_name, vec![l.clone()])),
        }
    }
    by_zone
        .into_iter()
        .map(|(id, name, parks)| ZoneLedger {
            zone_id: id.to_string(),
            name_zh: name.clone(),
            park_ids: parks.iter().map(|l| l.park_id.clone()).collect(),
            totals: totals(&parks),
        })
        .collect()
}

/// The ledgers as a table for a spreadsheet: one row a park, UTF-8 with a byte-order mark
/// so that Excel opens the Chinese text as Chinese.
pub fn csv(ledgers: &[Ledger]) -> String {
    use crate::csv::{number, text};
    let mut header = vec![
        "园区编号 park_id".to_string(),
        "园区名称 name_zh".into(),
        "所属合作区 zone_name".into(),
        "规划面积（亩）planned_area_mu".into(),
        "已划地块面积（亩）plotted_area_mu".into(),
        "地块数 plots".into(),
    ];
    // Status columns in the order of land_statuses.ord, which LandStatus follows.
    for s in LandStatus::ALL {
        header.push(format!("{}（亩）{s}_mu", s.name_zh()));
    }
    header.extend([
        "闲置（亩）idle_findings_mu".to_string(),
        "低效（亩）inefficient_findings_mu".into(),
        "批而未供（亩）approved_unsupplied_findings_mu".into(),
        "最大连片可供（亩）largest_block_mu".into(),
        "≥300亩连片数 blocks_at_least_300".into(),
        "土地利用率 utilisation".into(),
        "亩均投资（万元）investment_wan_per_mu".into(),
        "亩均产值（万元）output_wan_per_mu".into(),
        "亩均税收（万元）tax_wan_per_mu".into(),
    ]);
    let mut out = String::from(crate::csv::BOM);
    out.push_str(&crate::csv::line(header.iter().map(|h| text(h))));
    for l in ledgers {
        let mut row = vec![
            text(&l.park_id),
            text(&l.name_zh),
            l.zone_name.as_deref().map(text).unwrap_or_default(),
            number(l.planned_area_mu),
            number(Some(l.plotted_area_mu)),
            number(Some(l.plots)),
        ];
        for s in LandStatus::ALL {
            row.push(number(l.by_status.get(s).map(|x| x.area_mu)));
        }
        for k in FindingKind::ALL {
            row.push(number(l.findings.get(k).map(|x| x.area_mu)));
        }
        row.extend([
            number(l.blocks.as_ref().map(|b| b.largest_mu)),
            number(l.blocks.as_ref().map(|b| b.at_least_300)),
            number(l.utilisation),
            number(l.per_mu.investment_wan),
            number(l.per_mu.output_wan),
            number(l.per_mu.tax_wan),
        ]);
        out.push_str(&crate::csv::line(row));
    }
    out
}
