//! Step 5 of a search: the score of each site, best first. Every part but compactness is
//! known from the graph; compactness needs the site's shape from PostGIS. Shapes are
//! measured best bound first, until no site left could still reach the top `limit` even
//! with the best compactness.

use sqlx::PgPool;

use super::diagnostics::round3;
use super::request::SiteRequest;
use super::shortlist::{score_parts, Shortlist};
use crate::analysis::contiguity;
use crate::analysis::land_graph::LandGraph;
use crate::analysis::scoring::{self, ScoreParts, Weights};
use crate::domain::NodeKind;

/// A site with its score and the parts it is made of.
pub(super) struct Scored {
    pub(super) score: f64,
    /// Index into the shortlist's sites.
    pub(super) site: usize,
    pub(super) parts: ScoreParts,
}

/// The best sites, and how many shapes were measured to find them.
pub(super) struct Ranked {
    pub(super) best: Vec<Scored>,
    pub(super) shaped: usize,
}

pub(super) async fn rank(
    pool: &PgPool,
    g: &LandGraph,
    r: &SiteRequest,
    list: &Shortlist,
    access_kinds: &[NodeKind],
    weights: &Weights,
) -> Result<Ranked, sqlx::Error> {
    let (sites, by_bound) = (&list.sites, &list.by_bound);
    let mut best: Vec<Scored> = Vec::new();
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
            let s = &sites[i];
            let parts = score_parts(g, r, access_kinds, &list.access[s.block], s, shape.compactness);
            best.push(Scored { score: round3(scoring::total(&parts, weights)), site: i, parts });
        }
        best.sort_by(|a, b| {
            let (x, y) = (&sites[a.site], &sites[b.site]);
            b.score.total_cmp(&a.score).then(x.area_mu.total_cmp(&y.area_mu)).then(x.plots.cmp(&y.plots))
        });
        best.truncate(r.limit);
        if best.len() == r.limit && next < by_bound.len() && best[r.limit - 1].score > by_bound[next].0 {
            break;
        }
        batch *= 2;
    }
    Ok(Ranked { best, shaped: next })
}
