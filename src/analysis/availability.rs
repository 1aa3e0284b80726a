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
//! 4. Access by road from each block (the stored fastest paths, looked up in the land
//!    graph), and the access limits asked for (`max_minutes`, `max_km` on road km). Only
//!    open transport nodes count, for the limits and the score alike, unless the request
//!    includes planned ones (`include_planned`, `planned_by`: see `access::Planned`).
//! 5. A score: the weighted mean of the parts in `scoring`, every part shown. Only the
//!    compactness needs a site's shape from PostGIS; shapes are drawn for the sites with
//!    the best possible score first, until no site left could reach the top `limit`.
//!
//! Steps 1–4 read the land graph (`land_graph`): plots, links and access held in memory
//! and rebuilt whenever the database changed.
//!
//! A site meets the demand when it holds at least 99.5 % of it
//! ([`DEMAND_TOLERANCE`]): surveyed areas are not exact to a tenth of a 亩, and three
//! 100-亩 plots must serve a 300-亩 project.
//!
//! # Units
//! 亩 and m² (geodesic), minutes and km.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;
use serde_json::{json, Map, Value};
use sqlx::PgPool;

use super::access::Planned;
use super::contiguity;
use super::land_graph::{LandGraph, LandGraphs, Plot, CONSTRAINT_KINDS, NODE_KINDS};
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
    /// Count transport not open yet: every planned node, or (with `planned_by`) those
    /// expected to open by that date.
    pub include_planned: Option<bool>,
    pub planned_by: Option<chrono::NaiveDate>,
}

impl SiteRequest {
    /// Which transport nodes count; `validate` has refused a request where this fails.
    pub fn planned(&self) -> Planned {
        Planned::of(self.include_planned, self.planned_by).unwrap_or_default()
    }
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
const UTILITIES: &[&str] =
    &["road", "water_supply", "drainage", "power", "telecom", "gas", "public_transport", "site_levelling", "heat", "steam", "rainwater", "sewage"];

/// Checks what the database need not see; returns the first fault in words.
// `!(x > 0.0)` on purpose: NaN must fail the checks as well.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
pub fn validate(r: &SiteRequest) -> Result<(), String> {
    if !(r.demand_mu.is_finite() && r.demand_mu > 0.0 && r.demand_mu <= 100_000.0) {
        return Err(format!("demand_mu must be a number of 亩 above 0 and at most 100000, not {}", r.demand_mu));
    }
    if let Some(m) = r.min_block_mu {
        if !(m.is_finite() && m >= 0.0) {
            return Err("min_block_mu must be 0 or more".into());
        }
    }
    Planned::of(r.include_planned, r.planned_by)?;
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
    if !(contiguity::MIN_SHARED_M..=1000.0).contains(&r.min_shared_m) || !(0.0..=contiguity::MAX_GAP_M).contains(&r.max_gap_m) {
        return Err(format!("min_shared_m must be {}..1000 and max_gap_m 0..{} (wider roads are barriers)", contiguity::MIN_SHARED_M, contiguity::MAX_GAP_M));
    }
    if r.limit == 0 || r.limit > 200 {
        return Err("limit must be 1..200".into());
    }
    if r.include.is_empty() {
        return Err("include: name at least one status".into());
    }
    Ok(())
}

/// Web Mercator metres: good enough for which neighbour is nearer a site's centre.
fn mercator(p: &Plot) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let (lon, lat) = (p.lon.to_radians(), p.lat.to_radians());
    (R * lon, R * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln())
}

/// A site under consideration: plots (indexes into the graph, ascending), its area, and
/// the block it came from.
struct Site {
    block: usize,
    plots: Vec<usize>,
    area_mu: f64,
}

/// Grows sites of at least `demand` from each plot of a block: the next plot is always
/// the neighbour nearest the site's centre.
fn grow(g: &LandGraph, block: &[usize], r: &SiteRequest, demand: f64) -> Vec<Vec<usize>> {
    // The block's plots by their place in `block`; neighbours as such places.
    let local: HashMap<usize, usize> = block.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let xy: Vec<(f64, f64)> = block.iter().map(|i| mercator(&g.plots[*i])).collect();
    let area: Vec<f64> = block.iter().map(|i| g.plots[*i].area_mu).collect();
    let near: Vec<Vec<usize>> = block.iter().map(|i| g.joined(*i, r.min_shared_m, r.max_gap_m).filter_map(|j| local.get(&j).copied()).collect()).collect();
    let mut out: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut inside = vec![false; block.len()];
    for seed in 0..block.len() {
        let mut site = vec![seed];
        inside.fill(false);
        inside[seed] = true;
        let mut total = area[seed];
        let (mut sx, mut sy) = xy[seed];
        while total < demand {
            let n = site.len() as f64;
            let (cx, cy) = (sx / n, sy / n);
            let next = site.iter().flat_map(|p| near[*p].iter().copied()).filter(|q| !inside[*q]).min_by(|a, b| {
                let da = (xy[*a].0 - cx).hypot(xy[*a].1 - cy);
                let db = (xy[*b].0 - cx).hypot(xy[*b].1 - cy);
                da.total_cmp(&db).then(block[*a].cmp(&block[*b]))
            });
            let Some(q) = next else { break };
            inside[q] = true;
            site.push(q);
            total += area[q];
            sx += xy[q].0;
            sy += xy[q].1;
        }
        if total >= demand {
            let mut plots: Vec<usize> = site.into_iter().map(|k| block[k]).collect();
            plots.sort();
            out.insert(plots);
        }
    }
    out.into_iter().collect()
}

/// What the hard filters leave: which plots, and each condition with what it removed of
/// what was left, in the order the diagnostics apply them.
struct Filtered {
    alive: Vec<bool>,
    steps: Vec<Value>,
    left_mu: f64,
    candidates_mu: f64,
}

fn filter(g: &LandGraph, r: &SiteRequest) -> Filtered {
    let parks: Vec<bool> = g.parks.iter().map(|p| r.parks.is_empty() || r.parks.contains(&p.id)).collect();
    let statuses: Vec<bool> = g.statuses.iter().map(|s| r.include.contains(s)).collect();
    let uses: Vec<bool> = g.land_uses.iter().map(|u| r.land_use.is_empty() || r.land_use.iter().any(|c| u.starts_with(c.as_str()))).collect();
    let equipped: Vec<bool> = g.parks.iter().map(|p| r.infrastructure.iter().all(|u| p.infrastructure.contains(u))).collect();
    let avoided: u8 = CONSTRAINT_KINDS.iter().enumerate().filter(|(_, k)| r.exclude_constraints.iter().any(|x| x == *k)).fold(0, |m, (i, _)| m | 1 << i);
    type Condition<'a> = (&'static str, &'a dyn Fn(&Plot) -> bool);
    let conditions: [Condition; 5] = [
        ("parks", &|p| parks[p.park as usize]),
        ("include", &|p| statuses[p.status as usize]),
        ("land_use", &|p| uses[p.land_use as usize]),
        ("infrastructure", &|p| equipped[p.park as usize]),
        ("exclude_constraints", &|p| p.touches & avoided == 0),
    ];
    let mut removed = [(0usize, 0.0f64); 5];
    let mut alive = vec![false; g.plots.len()];
    let mut left_mu = 0.0;
    for (i, p) in g.plots.iter().enumerate() {
        match conditions.iter().position(|(_, pass)| !pass(p)) {
            Some(c) => {
                removed[c].0 += 1;
                removed[c].1 += p.area_mu;
            }
            None => {
                alive[i] = true;
                left_mu += p.area_mu;
            }
        }
    }
    let candidates_mu: f64 = g.plots.iter().map(|p| p.area_mu).sum();
    let mut steps = Vec::new();
    let mut remaining = candidates_mu;
    for ((name, _), (n, mu)) in conditions.iter().zip(removed) {
        remaining -= mu;
        steps.push(json!({ "condition": name, "removed_plots": n, "removed_mu": round3(mu), "remaining_mu": round3(remaining.max(0.0)) }));
    }
    Filtered { alive, steps, left_mu, candidates_mu }
}

/// Runs the search. Returns the sites (GeoJSON features, best first) and the diagnostics.
pub async fn search(pool: &PgPool, land: &LandGraphs, r: &SiteRequest) -> Result<(Vec<Value>, Value), sqlx::Error> {
    // Where the time goes, for the log (RUST_LOG=parkland::analysis=debug).
    let mut clock = StepClock::start();
    let g = land.current(pool).await?;
    clock.step("graph");

    let (access_kinds, weights) = (access_kinds(r), weights(r));
    // Steps 1 to 4 are work on the graph alone: 200 ms and more at a million plots.
    let list = super::off_the_workers(|| shortlist(&g, r, &access_kinds, &weights, &mut clock));
    let Shortlist { steps, candidates_mu, alive_plots, blocks, sites, n_sites, access, by_bound } = list;
    let parts_of = |s: &Site, compactness: f64| score_parts(&g, r, &access_kinds, &access[s.block], s, compactness);

    // 5. Scores. Every part but compactness is known now; compactness needs the site's
    // shape from the database. Shapes are drawn best bound first, until no site left
    // could still reach the top `limit` even with the best compactness.
    // (score, site, parts), best first.
    let mut scored: Vec<(f64, usize, Map<String, Value>)> = Vec::new();
    let mut next = 0;
    let mut batch = (r.limit * 2).max(20);
    while next < by_bound.len() {
        let take: Vec<usize> = by_bound[next..(next + batch).min(by_bound.len())].iter().map(|b| b.1).collect();
        next += take.len();
        // In two halves at once: PostGIS measures each on a core of its own.
        let halves: Vec<&[usize]> = take.chunks(take.len().div_ceil(2)).collect();
        let measured = futures_util::future::try_join_all(halves.iter().map(|half| {
            let sets: Vec<Vec<i64>> = half.iter().map(|i| sites[*i].plots.iter().map(|p| g.plots[*p].id).collect()).collect();
            async move {
                let (flat_ids, groups) = contiguity::flatten(&sets);
                contiguity::measures(pool, &flat_ids, &groups, r.max_gap_m).await
            }
        }))
        .await?;
        for (i, shape) in take.into_iter().zip(measured.into_iter().flatten()) {
            let parts = parts_of(&sites[i], shape.compactness);
            scored.push((round3(scoring::total(&parts, &weights)), i, parts));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(sites[a.1].area_mu.total_cmp(&sites[b.1].area_mu)).then(sites[a.1].plots.cmp(&sites[b.1].plots)));
        scored.truncate(r.limit);
        if scored.len() == r.limit && next < by_bound.len() && scored[r.limit - 1].0 > by_bound[next].0 {
            break;
        }
        batch *= 2;
    }
    let sets: Vec<Vec<i64>> = scored.iter().map(|s| sites[s.1].plots.iter().map(|p| g.plots[*p].id).collect()).collect();
    let (flat_ids, groups) = contiguity::flatten(&sets);
    let shapes = contiguity::unions(pool, &flat_ids, &groups, r.max_gap_m).await?;
    clock.step("shapes");

    // 6. What the chosen sites carry: the measures on their plots, the constraints they touch.
    let chosen: Vec<i64> = flat_ids;
    let measures: HashMap<i64, Vec<String>> = sqlx::query_as::<_, (i64, Vec<String>)>(
        "SELECT plot_id, array_agg(DISTINCT measure) FROM idle_records WHERE plot_id = ANY($1) AND measure IS NOT NULL GROUP BY plot_id",
    )
    .bind(&chosen)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let touched: HashMap<i64, Vec<String>> = sqlx::query_as::<_, (i64, Vec<String>)>(
        "SELECT p.id, array_agg(DISTINCT x.kind || ':' || x.name) FROM plots p JOIN constraints x ON x.geom && p.geom AND ST_Intersects(x.geom, p.geom)
         WHERE p.id = ANY($1) GROUP BY p.id",
    )
    .bind(&chosen)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let mut wanted: Vec<&str> = scoring::STANDARD_UTILITIES.to_vec();
    for u in &r.infrastructure {
        if !wanted.contains(&u.as_str()) {
            wanted.push(u);
        }
    }
    let features: Vec<Value> = scored
        .into_iter()
        .zip(shapes)
        .enumerate()
        .map(|(n, ((score, i, parts), u))| {
            let s = &sites[i];
            let park = &g.parks[g.plots[s.plots[0]].park as usize];
            let missing: Vec<&str> = wanted.iter().copied().filter(|w| !park.infrastructure.iter().any(|p| p == w)).collect();
            let mut site_measures = BTreeMap::new();
            let mut constraints = BTreeSet::new();
            for p in &u.plot_ids {
                if let Some(m) = measures.get(p) {
                    site_measures.insert(p.to_string(), m.clone());
                }
                constraints.extend(touched.get(p).into_iter().flatten().cloned());
            }
            json!({
                "type": "Feature",
                "id": n + 1,
                "geometry": u.geometry,
                "properties": {
                    "plot_ids": u.plot_ids,
                    "park_id": u.park_id,
                    "park_name": park.name_zh,
                    "area_mu": round3(u.area_mu()),
                    "area_m2": (u.area_m2 * 100.0).round() / 100.0,
                    "score": score,
                    "score_parts": parts,
                    "access": access[s.block],
                    "infrastructure_present": park.infrastructure,
                    "infrastructure_missing": missing,
                    "constraints": constraints,
                    "measures": site_measures,
                    "statuses": u.statuses,
                    "compactness": round3(u.compactness),
                    "block_area_mu": round3(blocks[s.block].1),
                }
            })
        })
        .collect();
    clock.step("features");
    tracing::debug!(target: "parkland::analysis", steps = %clock, candidates = alive_plots, blocks = blocks.len(), sites = n_sites, shaped = next, "site search");
    let diagnostics = json!({
        "candidates_mu": round3(candidates_mu),
        "steps": steps,
        "sites_considered": n_sites,
        "planned_transport": r.planned().describe(),
        "empty_because": if features.is_empty() { first_emptying(&steps) } else { Value::Null },
    });
    Ok((features, diagnostics))
}

/// What steps 1 to 4 of a search leave, with every site's best possible score.
struct Shortlist {
    steps: Vec<Value>,
    candidates_mu: f64,
    alive_plots: usize,
    /// Blocks of contiguous candidates large enough, with their area in 亩.
    blocks: Vec<(Vec<usize>, f64)>,
    /// The sites that meet the access limits.
    sites: Vec<Site>,
    /// Sites before the access limits.
    n_sites: usize,
    /// Access from each block.
    access: Vec<Value>,
    /// (best possible score, site), best first: the score with the best compactness.
    by_bound: Vec<(f64, usize)>,
}

fn shortlist(g: &LandGraph, r: &SiteRequest, access_kinds: &[String], weights: &Map<String, Value>, clock: &mut StepClock) -> Shortlist {
    let demand = r.demand_mu;
    // What a site must hold: the demand, less the tolerance.
    let needed = demand * (1.0 - DEMAND_TOLERANCE);
    let min_block = r.min_block_mu.unwrap_or(demand) * (1.0 - DEMAND_TOLERANCE);

    // 1. The hard filters.
    let Filtered { alive, mut steps, left_mu, candidates_mu } = filter(g, r);
    clock.step("filters");

    // 2. Blocks of what is left.
    let blocks: Vec<(Vec<usize>, f64)> = g
        .blocks(&alive, r.min_shared_m, r.max_gap_m)
        .into_iter()
        .map(|b| {
            let mu = b.iter().map(|i| g.plots[*i].area_mu).sum();
            (b, mu)
        })
        .filter(|(_, mu)| *mu >= min_block && *mu >= needed)
        .collect();
    let kept_mu: f64 = blocks.iter().map(|b| b.1).sum();
    let alive_plots = alive.iter().filter(|a| **a).count();
    steps.push(json!({
        "condition": "contiguous_area",
        "removed_plots": alive_plots - blocks.iter().map(|b| b.0.len()).sum::<usize>(),
        "removed_mu": round3(left_mu - kept_mu),
        "remaining_mu": round3(kept_mu),
        "note": format!("blocks under {} 亩 of contiguous land", round3(min_block.max(needed))),
    }));
    clock.step("contiguity");

    // 3. Sites in each block.
    let numbered: Vec<(usize, &(Vec<usize>, f64))> = blocks.iter().enumerate().collect();
    let mut sites: Vec<Site> = par_map(&numbered, |(bi, (plots, mu))| {
        if *mu <= demand * 1.5 {
            vec![Site { block: *bi, plots: plots.clone(), area_mu: *mu }]
        } else {
            let mut grown: Vec<(f64, Vec<usize>)> = grow(g, plots, r, needed).into_iter().map(|s| (s.iter().map(|i| g.plots[*i].area_mu).sum(), s)).collect();
            // The tightest fits of this block, at most five.
            grown.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            grown.into_iter().take(5).map(|(area_mu, plots)| Site { block: *bi, plots, area_mu }).collect()
        }
    })
    .into_iter()
    .flatten()
    .collect();
    clock.step("sites");

    // 4. Access from each block, then the limits. The block's first plot stands for the
    // block: sites differ by a few hundred metres.
    let access: Vec<Value> = par_map(&blocks, |(plots, _)| {
        let p = &g.plots[plots[0]];
        g.access(p.lon, p.lat, r.planned())
    });
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
    let mut failed_kinds: BTreeMap<String, usize> = BTreeMap::new();
    sites.retain(|s| match fails_access(&access[s.block]) {
        Some(k) => {
            *failed_kinds.entry(k).or_default() += 1;
            false
        }
        None => true,
    });
    let blocks_left: BTreeSet<usize> = sites.iter().map(|s| s.block).collect();
    let reached_mu: f64 = blocks_left.iter().map(|b| blocks[*b].1).sum();
    steps.push(json!({
        "condition": "access",
        "removed_sites": n_sites - sites.len(),
        "removed_mu": round3(kept_mu - reached_mu),
        "remaining_mu": round3(reached_mu),
        "failed": failed_kinds,
    }));
    clock.step("access");

    let mut by_bound: Vec<(f64, usize)> = sites
        .iter()
        .enumerate()
        .map(|(i, s)| (round3(scoring::total(&score_parts(g, r, access_kinds, &access[s.block], s, f64::INFINITY), weights)), i))
        .collect();
    by_bound.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Shortlist { steps, candidates_mu, alive_plots, blocks, sites, n_sites, access, by_bound }
}

/// The weights of the score's parts: the request's, or the defaults.
fn weights(r: &SiteRequest) -> Map<String, Value> {
    r.weights.clone().unwrap_or_else(|| {
        let mut w = Map::new();
        for (k, v) in [("area_fit", 1.0), ("access", 1.0), ("infrastructure", 1.0), ("industry_match", 1.0), ("compactness", 0.5)] {
            w.insert(k.into(), json!(v));
        }
        w
    })
}

/// The kinds of transport node the access part scores: those the request limits, or the
/// defaults.
fn access_kinds(r: &SiteRequest) -> Vec<String> {
    if r.access.is_empty() {
        scoring::DEFAULT_ACCESS_KINDS.iter().map(|s| s.to_string()).collect()
    } else {
        r.access.keys().cloned().collect()
    }
}

/// The parts of a site's score, with its shape's compactness (infinity for the best it
/// could have).
fn score_parts(g: &LandGraph, r: &SiteRequest, access_kinds: &[String], access: &Value, s: &Site, compactness: f64) -> Map<String, Value> {
    let park = &g.parks[g.plots[s.plots[0]].park as usize];
    let mut parts = Map::new();
    parts.insert("area_fit".into(), json!(round3(scoring::area_fit(s.area_mu, r.demand_mu))));
    parts.insert("access".into(), json!(round3(scoring::access(access_kinds, access))));
    parts.insert("infrastructure".into(), json!(round3(scoring::infrastructure(&park.infrastructure))));
    if let Some(ind) = &r.industry {
        parts.insert("industry_match".into(), json!(scoring::industry_match(ind, &park.leading)));
    }
    parts.insert("compactness".into(), json!(round3(scoring::compactness(compactness))));
    parts
}

/// `items.iter().map(f)`, on every core: growing sites and looking up access are work
/// per block that shares nothing. (The calling thread waits for them; it is not a runtime
/// worker: `off_the_workers`.)
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let parts: Vec<_> = items.chunks(items.len().div_ceil(cores)).map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>())).collect();
        parts.into_iter().flat_map(|p| p.join().expect("a search thread panicked")).collect()
    })
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
