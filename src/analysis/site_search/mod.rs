//! The site search (`POST /analysis/availability`): where can a project of a given size
//! and industry go?
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

mod diagnostics;
mod request;
mod shortlist;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use sqlx::PgPool;

use super::access::Access;
use super::land_graph::LandGraphs;
use super::scoring::{self, ScoreParts};
use super::{contiguity, Feature};
use crate::domain::{LandStatus, Measure, Utility, Vocabulary};
use diagnostics::{first_emptying, round3, StepClock};
pub use diagnostics::{Condition, Diagnostics, Emptying, Step};
pub use request::{validate, Limit, SiteRequest, DEMAND_TOLERANCE};
use shortlist::{access_kinds, score_parts, shortlist, weights, Shortlist, Site};

/// A site a search found.
#[derive(Debug, Serialize)]
pub struct FoundSite {
    pub plot_ids: Vec<i64>,
    pub park_id: String,
    pub park_name: String,
    pub area_mu: f64,
    pub area_m2: f64,
    pub score: f64,
    pub score_parts: ScoreParts,
    pub access: Access,
    pub infrastructure_present: Vec<Utility>,
    /// Of 七通一平 and the utilities asked for, those the park lacks.
    pub infrastructure_missing: Vec<Utility>,
    /// `kind:name` of each constraint the site touches.
    pub constraints: BTreeSet<String>,
    /// The disposal measures on record, by plot id.
    pub measures: BTreeMap<String, Vec<Measure>>,
    pub statuses: Vec<LandStatus>,
    pub compactness: f64,
    pub block_area_mu: f64,
}

/// Runs the search. Returns the sites (GeoJSON features, best first) and the diagnostics.
pub async fn search(pool: &PgPool, land: &LandGraphs, r: &SiteRequest) -> Result<(Vec<Feature<FoundSite>>, Diagnostics), sqlx::Error> {
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
    let mut scored: Vec<(f64, usize, ScoreParts)> = Vec::new();
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
    let measures: HashMap<i64, Vec<Measure>> = sqlx::query_as::<_, (i64, Vec<Measure>)>(
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
    let mut wanted: Vec<Utility> = Utility::ALL.iter().copied().filter(|u| u.is_standard()).collect();
    for u in &r.infrastructure {
        if !wanted.contains(u) {
            wanted.push(*u);
        }
    }
    let features: Vec<Feature<FoundSite>> = scored
        .into_iter()
        .zip(shapes)
        .enumerate()
        .map(|(n, ((score, i, parts), u))| {
            let s = &sites[i];
            let park = &g.parks[g.plots[s.plots[0]].park as usize];
            let missing: Vec<Utility> = wanted.iter().copied().filter(|w| !park.infrastructure.contains(w)).collect();
            let mut site_measures = BTreeMap::new();
            let mut constraints = BTreeSet::new();
            for p in &u.plot_ids {
                if let Some(m) = measures.get(p) {
                    site_measures.insert(p.to_string(), m.clone());
                }
                constraints.extend(touched.get(p).into_iter().flatten().cloned());
            }
            let found = FoundSite {
                area_mu: round3(u.area_mu()),
                area_m2: (u.area_m2 * 100.0).round() / 100.0,
                compactness: round3(u.compactness),
                plot_ids: u.plot_ids,
                park_id: u.park_id,
                park_name: park.name_zh.clone(),
                score,
                score_parts: parts,
                access: access[s.block].clone(),
                infrastructure_present: park.infrastructure.clone(),
                infrastructure_missing: missing,
                constraints,
                measures: site_measures,
                statuses: u.statuses,
                block_area_mu: round3(blocks[s.block].1),
            };
            Feature::new(n as i64 + 1, u.geometry, found)
        })
        .collect();
    clock.step("features");
    tracing::debug!(target: "parkland::analysis", steps = %clock, candidates = alive_plots, blocks = blocks.len(), sites = n_sites, shaped = next, "site search");
    let diagnostics = Diagnostics {
        candidates_mu: round3(candidates_mu),
        empty_because: if features.is_empty() { first_emptying(&steps) } else { None },
        steps,
        sites_considered: n_sites,
        planned_transport: r.planned().describe(),
    };
    Ok((features, diagnostics))
}
