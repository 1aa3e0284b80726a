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
mod found;
mod ranking;
mod request;
mod shortlist;
#[cfg(test)]
mod tests;

use sqlx::PgPool;

use super::land_graph::LandGraphs;
use super::{contiguity, Feature};
use crate::failed::{Doing, Failed};
use diagnostics::{first_emptying, round3, StepClock};
pub use diagnostics::{Condition, Diagnostics, Emptying, Step};
pub use found::FoundSite;
pub use request::{validate, Limit, SiteRequest, DEMAND_TOLERANCE};
use shortlist::{access_kinds, shortlist, weights, Shortlist};

/// Runs the search. Returns the sites (GeoJSON features, best first) and the diagnostics.
pub async fn search(pool: &PgPool, land: &LandGraphs, r: &SiteRequest) -> Result<(Vec<Feature<FoundSite>>, Diagnostics), Failed> {
    // Where the time goes, for the log (RUST_LOG=parkland::analysis=debug).
    let mut clock = StepClock::start();
    let g = land.current(pool).await?;
    clock.step("graph");

    let (access_kinds, weights) = (access_kinds(r), weights(r));
    // Steps 1 to 4 are work on the graph alone: 200 ms and more at a million plots.
    let list = super::off_the_workers(|| shortlist(&g, r, &access_kinds, &weights, &mut clock));

    // 5. Scores, the best `limit` sites with their shapes.
    let ranked = ranking::rank(pool, &g, r, &list, &access_kinds, &weights).await.doing("measuring the sites' shapes")?;
    let sets: Vec<Vec<i64>> = ranked.best.iter().map(|s| list.sites[s.site].plots.iter().map(|p| g.plots[*p].id).collect()).collect();
    let (chosen, groups) = contiguity::flatten(&sets);
    let shapes = contiguity::unions(pool, &chosen, &groups, r.max_gap_m).await.doing("drawing the chosen sites")?;
    clock.step("shapes");

    // 6. What the chosen sites carry: the measures on their plots, the constraints they touch.
    let carried = found::Carried::read(pool, &chosen).await.doing("reading the chosen plots' measures and constraints")?;
    let features: Vec<Feature<FoundSite>> =
        ranked.best.into_iter().zip(shapes).enumerate().map(|(n, (scored, shape))| found::feature(n + 1, &g, r, &list, &carried, scored, shape)).collect();
    clock.step("features");
    let Shortlist { steps, candidates_mu, alive_plots, blocks, n_sites, .. } = list;
    tracing::debug!(target: "parkland::analysis", steps = %clock, candidates = alive_plots, blocks = blocks.len(), sites = n_sites, shaped = ranked.shaped, "site search");
    let diagnostics = Diagnostics {
        candidates_mu: round3(candidates_mu),
        empty_because: if features.is_empty() { first_emptying(&steps) } else { None },
        steps,
        sites_considered: n_sites,
        planned_transport: r.planned().describe(),
    };
    Ok((features, diagnostics))
}
