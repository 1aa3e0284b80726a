//! The site search: where can a project of a given size and industry go?
//!
//! # Method
//! 1. Hard filters, each noted in the diagnostics with the land it removed: the parks
//!    asked for, the statuses to include, the land-use codes (a code matches itself and
//!    its sub-classes), the park's utilities (every required one in place), and the
//!    constraint kinds to avoid (a plot touching one is out, so no site touches it).
//! 2. Contiguous blocks of what is left (see `contiguity`); blocks smaller than
//!    `min_block_mu` (default the demand) are dropped.
//! 3. Sites: a block up to 1.5 times the demand is a site as it is; in a larger block,
//!    sites are grown plot by plot from each plot of the block (always taking the
//!    neighbour nearest the site's centre, which keeps sites compact) until they reach the
//!    demand, so a 300-亩 project is offered about 300 亩, not the whole 900.
//! 4. Access by road from each block (one many-to-many Dijkstra for all blocks), and the
//!    access limits asked for (`max_minutes`, `max_km` on road km).
//! 5. A score: the weighted mean of the parts in `scoring`, every part shown.
//!
//! A site meets the demand when it holds at least 99.5 % of it
//! ([`DEMAND_TOLERANCE`]): surveyed areas are not exact to a tenth of a 亩, and three
//! 100-亩 plots must serve a 300-亩 project.
//!
//! # Units
//! 亩 and m² (geodesic), minutes and km.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Deserialize;
use serde_json::{json, Map, Value};
use sqlx::PgPool;

use super::access::{access_many, AccessParams};
use super::contiguity;
use super::scoring;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub max_minutes: Option<f64>,
    pub max_km: Option<f64>,
}

/// The request of API.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRequest {
    pub demand_mu: f64,
    pub min_block_mu: Option<f64>,
    #[serde(default)]
    pub land_use: Vec<String>,
    pub industry: Option<String>,
    #[serde(default)]
    pub parks: Vec<String>,
    #[serde(default = "default_include")]
    pub include: Vec<String>,
    #[serde(default)]
    pub access: BTreeMap<String, Limit>,
    #[serde(default)]
    pub infrastructure: Vec<String>,
    #[serde(default)]
    pub exclude_constraints: Vec<String>,
    #[serde(default)]
    pub weights: Option<Map<String, Value>>,
    #[serde(default = "default_min_shared")]
    pub min_shared_m: f64,
    #[serde(default)]
    pub max_gap_m: f64,
    #[serde(default = "default_limit")]
    pub limit: usize,
}

fn default_include() -> Vec<String> {
    vec!["available".into()]
}
fn default_min_shared() -> f64 {
    10.0
}
fn default_limit() -> usize {
    10
}

/// How far below the demand a site may fall and still meet it, as a share of the demand.
pub const DEMAND_TOLERANCE: f64 = 0.005;

pub const WEIGHT_KEYS: &[&str] = &["area_fit", "access", "infrastructure", "industry_match", "compactness"];
const NODE_KINDS: &[&str] = &["highway_interchange", "rail_station", "rail_freight", "port", "airport"];
const CONSTRAINT_KINDS: &[&str] = &["ecological_redline", "permanent_farmland", "flood", "water_source"];
const UTILITIES: &[&str] =
    &["road", "water_supply", "drainage", "power", "telecom", "gas", "public_transport", "site_levelling", "heat", "steam", "rainwater", "sewage"];

/// Checks what the database need not see; returns the first fault in words.
pub fn validate(r: &SiteRequest) -> Result<(), String> {
    if !(r.demand_mu.is_finite() && r.demand_mu > 0.0 && r.demand_mu <= 100_000.0) {
        return Err(format!("demand_mu must be a number of 亩 above 0 and at most 100000, not {}", r.demand_mu));
    }
    if let Some(m) = r.min_block_mu {
        if !(m.is_finite() && m >= 0.0) {
            return Err("min_block_mu must be 0 or more".into());
        }
    }
    for k in r.access.keys() {
        if !NODE_KINDS.contains(&k.as_str()) {
            return Err(format!("access: unknown node kind '{k}'; kinds: {}", NODE_KINDS.join(", ")));
        }
    }
    for (k, l) in &r.access {
        if l.max_minutes.is_some_and(|m| !(m > 0.0)) || l.max_km.is_some_and(|m| !(m > 0.0)) {
            return Err(format!("access.{k}: limits must be above 0"));
        }
    }
    for c in &r.exclude_constraints {
        if !CONSTRAINT_KINDS.contains(&c.as_str()) {
            return Err(format!("exclude_constraints: unknown kind '{c}'; kinds: {}", CONSTRAINT_KINDS.join(", ")));
        }
    }
    for u in &r.infrastructure {
        if !UTILITIES.contains(&u.as_str()) {
            return Err(format!("infrastructure: unknown utility '{u}'; utilities: {}", UTILITIES.join(", ")));
        }
    }
    if let Some(w) = &r.weights {
        for (k, v) in w {
            if !WEIGHT_KEYS.contains(&k.as_str()) {
                return Err(format!("weights: unknown part '{k}'; parts: {}", WEIGHT_KEYS.join(", ")));
            }
            if !v.as_f64().is_some_and(|x| x >= 0.0 && x.is_finite()) {
                return Err(format!("weights.{k} must be a number of 0 or more"));
            }
        }
    }
    if !(0.5..=1000.0).contains(&r.min_shared_m) || !(0.0..=contiguity::MAX_GAP_M).contains(&r.max_gap_m) {
        return Err(format!("min_shared_m must be 0.5..1000 and max_gap_m 0..{} (wider roads are barriers)", contiguity::MAX_GAP_M));
    }
    if r.limit == 0 || r.limit > 200 {
        return Err("limit must be 1..200".into());
    }
    if r.include.is_empty() {
        return Err("include: name at least one status".into());
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
    area_mu: f64,
    /// A point on the plot (its anchor), where routes start and grown sites measure
    /// from; only for plots that pass the filters before `exclude_constraints` (see
    /// site_candidates.sql).
    lon: Option<f64>,
    lat: Option<f64>,
    pass_park: bool,
    pass_status: bool,
    pass_land_use: bool,
    pass_infrastructure: bool,
    pass_constraints: Option<bool>,
}

impl Candidate {
    fn wkt(&self) -> String {
        format!("POINT({} {})", self.lon.unwrap_or(0.0), self.lat.unwrap_or(0.0))
    }

    /// Web Mercator metres: good enough for which neighbour is nearer a site's centre.
    fn mercator(&self) -> (f64, f64) {
        const R: f64 = 6_378_137.0;
        let (lon, lat) = (self.lon.unwrap_or(0.0).to_radians(), self.lat.unwrap_or(0.0).to_radians());
        (R * lon, R * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln())
    }
}

struct Park {
    name_zh: String,
    infrastructure: Vec<String>,
    leading: Vec<String>,
}

/// A block of contiguous candidates, without its shape.
struct BlockSize {
    plot_ids: Vec<i64>,
    area_mu: f64,
}

/// A site under consideration: plots, and the block it came from.
struct Site {
    block: usize,
    plots: Vec<i64>,
}

/// Grows sites of at least `demand` from each plot of a block: the next plot is always
/// the neighbour nearest the site's centre.
fn grow(block_plots: &[i64], adj: &HashMap<i64, Vec<i64>>, area: &HashMap<i64, f64>, xy: &HashMap<i64, (f64, f64)>, demand: f64) -> Vec<Vec<i64>> {
    let mut out: BTreeSet<Vec<i64>> = BTreeSet::new();
    for &seed in block_plots {
        let mut site = vec![seed];
        let mut inside: HashSet<i64> = HashSet::from([seed]);
        let mut total = area[&seed];
        while total < demand {
            let (cx, cy) = {
                let n = site.len() as f64;
                let (sx, sy) = site.iter().fold((0.0, 0.0), |a, p| (a.0 + xy[p].0, a.1 + xy[p].1));
                (sx / n, sy / n)
            };
            let next = site
                .iter()
                .flat_map(|p| adj.get(p).into_iter().flatten())
                .filter(|q| !inside.contains(q))
                .min_by(|a, b| {
                    let da = (xy[a].0 - cx).hypot(xy[a].1 - cy);
                    let db = (xy[b].0 - cx).hypot(xy[b].1 - cy);
                    da.total_cmp(&db).then(a.cmp(b))
                })
                .copied();
            let Some(q) = next else { break };
            inside.insert(q);
            site.push(q);
            total += area[&q];
        }
        if total >= demand {
            site.sort();
            out.insert(site);
        }
    }
    out.into_iter().collect()
}

/// Runs the search. Returns the sites (GeoJSON features, best first) and the diagnostics.
pub async fn search(pool: &PgPool, r: &SiteRequest) -> Result<(Vec<Value>, Value), sqlx::Error> {
    let demand = r.demand_mu;
    // What a site must hold: the demand, less the tolerance.
    let needed = demand * (1.0 - DEMAND_TOLERANCE);
    let min_block = r.min_block_mu.unwrap_or(demand) * (1.0 - DEMAND_TOLERANCE);

    // Where the time goes, for the log (RUST_LOG=parkland::analysis=debug).
    let mut clock = StepClock::start();

    // 1. Every plot with the hard filters it passes, and the park facts the score needs.
    let candidates: Vec<Candidate> = sqlx::query_as(include_str!("site_candidates.sql"))
    .bind(&r.parks)
    .bind(&r.include)
    .bind(&r.land_use)
    .bind(&r.infrastructure)
    .bind(&r.exclude_constraints)
    .fetch_all(pool)
    .await?;
    let parks: HashMap<String, Park> = sqlx::query_as::<_, (String, String, Vec<String>, Vec<String>)>(
        "SELECT id, name_zh, infrastructure, leading_industries FROM parks",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, name_zh, infrastructure, leading)| (id, Park { name_zh, infrastructure, leading }))
    .collect();

    // Diagnostics: each condition in turn, with what it removed of what was left.
    let mut steps = Vec::new();
    let mut left: Vec<&Candidate> = candidates.iter().collect();
    let area = |v: &[&Candidate]| v.iter().map(|c| c.area_mu).sum::<f64>();
    let conditions: [(&str, &dyn Fn(&Candidate) -> bool); 5] = [
        ("parks", &|c| c.pass_park),
        ("include", &|c| c.pass_status),
        ("land_use", &|c| c.pass_land_use),
        ("infrastructure", &|c| c.pass_infrastructure),
        ("exclude_constraints", &|c| c.pass_constraints == Some(true)),
    ];
    for (name, pass) in conditions {
        let before = area(&left);
        let n = left.len();
        left.retain(|c| pass(c));
        steps.push(json!({ "condition": name, "removed_plots": n - left.len(), "removed_mu": round3(before - area(&left)), "remaining_mu": round3(area(&left)) }));
    }

    clock.step("filters");

    // 2. Blocks of what is left.
    let by_id: HashMap<i64, &Candidate> = candidates.iter().map(|c| (c.id, c)).collect();
    let ids: Vec<i64> = left.iter().map(|c| c.id).collect();
    let links = contiguity::links(pool, &ids, r.min_shared_m, r.max_gap_m).await?;
    let blocks: Vec<BlockSize> = contiguity::components(&ids, &links)
        .into_iter()
        .map(|plot_ids| BlockSize { area_mu: plot_ids.iter().map(|p| by_id[p].area_mu).sum(), plot_ids })
        .collect();
    let before = area(&left);
    let kept: Vec<&BlockSize> = blocks.iter().filter(|b| b.area_mu >= min_block && b.area_mu >= needed).collect();
    let kept_mu: f64 = kept.iter().map(|b| b.area_mu).sum();
    steps.push(json!({
        "condition": "contiguous_area",
        "removed_plots": left.len() - kept.iter().map(|b| b.plot_ids.len()).sum::<usize>(),
        "removed_mu": round3(before - kept_mu),
        "remaining_mu": round3(kept_mu),
        "note": format!("blocks under {} 亩 of contiguous land", round3(min_block.max(needed))),
    }));

    clock.step("contiguity");

    // 3. Sites in each block.
    let area_of: HashMap<i64, f64> = ids.iter().map(|i| (*i, by_id[i].area_mu)).collect();
    let xy: HashMap<i64, (f64, f64)> = ids.iter().map(|i| (*i, by_id[i].mercator())).collect();
    let mut adj: HashMap<i64, Vec<i64>> = HashMap::new();
    for (a, b) in &links {
        adj.entry(*a).or_default().push(*b);
        adj.entry(*b).or_default().push(*a);
    }
    let mut sites: Vec<Site> = Vec::new();
    for (bi, b) in kept.iter().enumerate() {
        if b.area_mu <= demand * 1.5 {
            sites.push(Site { block: bi, plots: b.plot_ids.clone() });
        } else {
            let mut grown = grow(&b.plot_ids, &adj, &area_of, &xy, needed);
            // The tightest fits of this block, at most five.
            grown.sort_by(|x, y| {
                let ax: f64 = x.iter().map(|p| area_of[p]).sum();
                let ay: f64 = y.iter().map(|p| area_of[p]).sum();
                ax.total_cmp(&ay).then(x.cmp(y))
            });
            for plots in grown.into_iter().take(5) {
                sites.push(Site { block: bi, plots });
            }
        }
    }

    // 4. Access from each block, then the limits.
    // The block's first plot stands for the block: sites differ by a few hundred metres.
    let origins: Vec<String> = kept.iter().map(|b| by_id[&b.plot_ids[0]].wkt()).collect();
    clock.step("sites");
    let access = access_many(pool, &origins, AccessParams::default()).await?;
    clock.step("access");
    let fails_access = |a: &Value| -> Option<String> {
        for (kind, l) in &r.access {
            let e = &a[kind];
            let minutes = e["minutes"].as_f64();
            let km = e["road_km"].as_f64().or(e["km"].as_f64());
            if l.max_minutes.is_some_and(|m| minutes.is_none_or(|x| x > m)) || l.max_km.is_some_and(|m| km.is_none_or(|x| x > m)) {
                return Some(kind.clone());
            }
        }
        None
    };
    let n_sites = sites.len();
    let before_mu: f64 = kept.iter().map(|b| b.area_mu).sum();
    let mut failed_kinds: BTreeMap<String, usize> = BTreeMap::new();
    sites.retain(|s| match fails_access(&access[s.block]) {
        Some(k) => {
            *failed_kinds.entry(k).or_default() += 1;
            false
        }
        None => true,
    });
    let blocks_left: BTreeSet<usize> = sites.iter().map(|s| s.block).collect();
    let left_mu: f64 = blocks_left.iter().map(|b| kept[*b].area_mu).sum();
    steps.push(json!({
        "condition": "access",
        "removed_sites": n_sites - sites.len(),
        "removed_mu": round3(before_mu - left_mu),
        "remaining_mu": round3(left_mu),
        "failed": failed_kinds,
    }));

    // 5. Geometry, compactness and score of each site.
    let site_plots: Vec<Vec<i64>> = sites.iter().map(|s| s.plots.clone()).collect();
    let (flat_ids, groups) = contiguity::flatten(&site_plots);
    let unions = contiguity::unions(pool, &flat_ids, &groups, r.max_gap_m).await?;
    let measures: HashMap<i64, Vec<String>> = sqlx::query_as::<_, (i64, Vec<String>)>(
        "SELECT plot_id, array_agg(DISTINCT measure) FROM idle_records WHERE plot_id = ANY($1) AND measure IS NOT NULL GROUP BY plot_id",
    )
    .bind(&flat_ids)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let touched: HashMap<i64, Vec<String>> = sqlx::query_as::<_, (i64, Vec<String>)>(
        "SELECT p.id, array_agg(DISTINCT x.kind || ':' || x.name) FROM plots p JOIN constraints x ON x.geom && p.geom AND ST_Intersects(x.geom, p.geom)
         WHERE p.id = ANY($1) GROUP BY p.id",
    )
    .bind(&flat_ids)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();

    clock.step("site shapes");
    let weights = r.weights.clone().unwrap_or_else(|| {
        let mut w = Map::new();
        for (k, v) in [("area_fit", 1.0), ("access", 1.0), ("infrastructure", 1.0), ("industry_match", 1.0), ("compactness", 0.5)] {
            w.insert(k.into(), json!(v));
        }
        w
    });
    let access_kinds: Vec<String> = if r.access.is_empty() {
        scoring::DEFAULT_ACCESS_KINDS.iter().map(|s| s.to_string()).collect()
    } else {
        r.access.keys().cloned().collect()
    };
    let mut features = Vec::new();
    for (s, u) in sites.iter().zip(unions.iter()) {
        let park = &parks[&u.park_id];
        let a = &access[s.block];
        let mut parts = Map::new();
        parts.insert("area_fit".into(), json!(round3(scoring::area_fit(u.area_mu(), demand))));
        parts.insert("access".into(), json!(round3(scoring::access(&access_kinds, a))));
        parts.insert("infrastructure".into(), json!(round3(scoring::infrastructure(&park.infrastructure))));
        if let Some(ind) = &r.industry {
            parts.insert("industry_match".into(), json!(scoring::industry_match(ind, &park.leading)));
        }
        parts.insert("compactness".into(), json!(round3(scoring::compactness(u.compactness))));
        let score = scoring::total(&parts, &weights);
        let mut wanted: Vec<&str> = scoring::STANDARD_UTILITIES.to_vec();
        for u in &r.infrastructure {
            if !wanted.contains(&u.as_str()) {
                wanted.push(u);
            }
        }
        let missing: Vec<&str> = wanted.iter().copied().filter(|w| !park.infrastructure.iter().any(|p| p == w)).collect();
        let mut site_measures = BTreeMap::new();
        let mut constraints = BTreeSet::new();
        for p in &s.plots {
            if let Some(m) = measures.get(p) {
                site_measures.insert(p.to_string(), m.clone());
            }
            for c in touched.get(p).into_iter().flatten() {
                constraints.insert(c.clone());
            }
        }
        features.push(json!({
            "type": "Feature",
            "geometry": u.geometry,
            "properties": {
                "plot_ids": u.plot_ids,
                "park_id": u.park_id,
                "park_name": park.name_zh,
                "area_mu": round3(u.area_mu()),
                "area_m2": (u.area_m2 * 100.0).round() / 100.0,
                "score": round3(score),
                "score_parts": parts,
                "access": a,
                "infrastructure_present": park.infrastructure,
                "infrastructure_missing": missing,
                "constraints": constraints,
                "measures": site_measures,
                "statuses": u.statuses,
                "compactness": round3(u.compactness),
                "block_area_mu": round3(kept[s.block].area_mu),
            }
        }));
    }
    features.sort_by(|a, b| {
        let (sa, sb) = (a["properties"]["score"].as_f64().unwrap_or(0.0), b["properties"]["score"].as_f64().unwrap_or(0.0));
        sb.total_cmp(&sa).then_with(|| {
            let (aa, ab) = (a["properties"]["area_mu"].as_f64().unwrap_or(0.0), b["properties"]["area_mu"].as_f64().unwrap_or(0.0));
            aa.total_cmp(&ab)
        })
    });
    features.truncate(r.limit);
    for (i, f) in features.iter_mut().enumerate() {
        f["id"] = json!(i + 1);
    }
    clock.step("scores");
    tracing::debug!(target: "parkland::analysis", steps = %clock, candidates = ids.len(), blocks = kept.len(), sites = n_sites, "site search");
    let diagnostics = json!({
        "candidates_mu": round3(candidates.iter().map(|c| c.area_mu).sum::<f64>()),
        "steps": steps,
        "sites_considered": n_sites,
        "empty_because": if features.is_empty() { first_emptying(&steps) } else { Value::Null },
    });
    Ok((features, diagnostics))
}

/// Milliseconds spent in each step of a search.
struct StepClock {
    last: std::time::Instant,
    steps: Vec<(&'static str, f64)>,
}

impl StepClock {
    fn start() -> Self {
        StepClock { last: std::time::Instant::now(), steps: Vec::new() }
    }

    fn step(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.steps.push((name, (now - self.last).as_secs_f64() * 1000.0));
        self.last = now;
    }
}

impl std::fmt::Display for StepClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (name, ms)) in self.steps.iter().enumerate() {
            write!(f, "{}{name} {ms:.1} ms", if i > 0 { ", " } else { "" })?;
        }
        Ok(())
    }
}

/// The first condition that left nothing, in words.
fn first_emptying(steps: &[Value]) -> Value {
    for s in steps {
        if s["remaining_mu"].as_f64() == Some(0.0) {
            let name = s["condition"].as_str().unwrap_or("");
            let words = match name {
                "parks" => "没有符合的园区 no park matches `parks`",
                "include" => "没有所选状态的地块 no plot has a status in `include`",
                "land_use" => "没有所选用地分类的地块 no plot has a land use in `land_use`",
                "infrastructure" => "园区基础设施不满足要求 no park has every utility in `infrastructure`",
                "exclude_constraints" => "所余地块均触及管控范围 every plot left touches an excluded constraint",
                "contiguous_area" => "没有足够大的连片用地 no contiguous block is as large as the demand",
                "access" => "没有满足交通条件的地块 no site meets the `access` limits",
                _ => name,
            };
            return json!({ "condition": name, "description": words, "removed_mu": s["removed_mu"] });
        }
    }
    Value::Null
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
