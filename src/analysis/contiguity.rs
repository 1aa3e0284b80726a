//! Contiguous land: blocks of plots in chosen statuses that a project could take as one
//! site.
//!
//! # Method
//! Two plots of one park are contiguous when they face each other across a gap of at
//! most `max_gap_m` for at least `min_shared_m` (a shared edge when they touch; facing
//! edges across an estate road when they do not). The gap and the facing length of every
//! pair of plots within 50 m that face for at least `MIN_SHARED_M` are measured when the
//! plots are written and stored in `plot_links` (migrations 0004 and 0009), so a search
//! reads them (through the land graph, `land_graph`) instead of redoing geometry. The
//! facing length is measured at the pair's own gap, on the overlap of the two plots grown
//! by half of it (SQL `contact_length`): a corner contact has length 0, so corners never
//! join. A link across a gap may not cross an open expressway (one being built or
//! planned does not divide land yet) or permanent basic farmland.
//! Blocks are the connected components of the links (union-find); `max_gap_m` is at
//! most 50 m, the reach of the stored pairs.
//!
//! # Assumptions
//! Distances are planar metres in the park's CGCS2000 3-degree Gauss–Krüger zone (SQL
//! `gk_zone_srid`; scale error under 0.1 % inside a zone); areas are geodesic, the sum of the plots' own.
//!
//! # Units
//! Metres, m², 亩 (1 亩 = 10000/15 m²); compactness is 4πA/P², 1 for a circle and about
//! 0.785 for a square.
//!
//! # Example
//! Three 100-亩 squares in a row in 广清产业园 make one block of 300 亩; a 3:1 rectangle
//! of side s has compactness 4π·3s²/(8s)² = 3π/16 ≈ 0.589.

use serde::Serialize;
use serde_json::value::RawValue;
use sqlx::PgPool;

use super::land_graph::{LandGraph, LandGraphs};
use super::Feature;
use crate::domain::{LandStatus, Vocabulary};
use crate::failed::{Doing, Failed};

/// The widest gap a block may span, in metres: the reach of the stored neighbours, SQL
/// `plot_link_reach()` (migration 0004). Wider roads are barriers.
pub const MAX_GAP_M: f64 = 50.0;

/// The shortest facing length a question may ask for, in metres: plots that face for
/// less (corner contacts) are never contiguous, so they are not stored as links (SQL
/// `plot_link_min_facing()`, migration 0009).
pub const MIN_SHARED_M: f64 = 0.5;

/// The question: which statuses count as free, how near is contiguous.
#[derive(Debug, Clone)]
pub struct ContiguityParams {
    pub park: Option<String>,
    pub statuses: Vec<LandStatus>,
    pub min_shared_m: f64,
    pub max_gap_m: f64,
}

impl Default for ContiguityParams {
    fn default() -> Self {
        ContiguityParams { park: None, statuses: vec![LandStatus::Available], min_shared_m: 10.0, max_gap_m: 0.0 }
    }
}

/// A block of contiguous plots.
#[derive(Debug, Clone)]
pub struct Block {
    pub park_id: String,
    pub plot_ids: Vec<i64>,
    pub statuses: Vec<LandStatus>,
    pub area_m2: f64,
    pub compactness: f64,
    /// GeoJSON geometry of the union, lon/lat; None when it was not drawn.
    pub geometry: Option<Box<RawValue>>,
}

/// A block as an answer lists it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct BlockSummary {
    pub park_id: String,
    pub plot_ids: Vec<i64>,
    pub plots: usize,
    pub statuses: Vec<LandStatus>,
    pub area_mu: f64,
    pub area_m2: f64,
    pub compactness: f64,
}

impl Block {
    pub fn area_mu(&self) -> f64 {
        self.area_m2 * 15.0 / 10_000.0
    }

    pub fn summary(&self) -> BlockSummary {
        BlockSummary {
            park_id: self.park_id.clone(),
            plot_ids: self.plot_ids.clone(),
            plots: self.plot_ids.len(),
            statuses: self.statuses.clone(),
            area_mu: (self.area_mu() * 1000.0).round() / 1000.0,
            area_m2: (self.area_m2 * 100.0).round() / 100.0,
            compactness: (self.compactness * 1000.0).round() / 1000.0,
        }
    }

    pub fn to_feature(&self, id: usize) -> Feature<BlockSummary> {
        Feature::new(id as i64, self.geometry.clone(), self.summary())
    }
}

/// The blocks for `params` as plot indexes of the land graph.
fn candidate_blocks(g: &LandGraph, params: &ContiguityParams) -> Vec<Vec<usize>> {
    let park = params.park.as_deref().map(|id| g.park_index(id));
    let wanted = LandStatus::chosen(&params.statuses);
    let alive: Vec<bool> = g.plots.iter().map(|p| wanted[p.status.index()] && park.is_none_or(|k| k == Some(p.park))).collect();
    g.blocks(&alive, params.min_shared_m, params.max_gap_m)
}

/// The blocks for `params`, largest first, with their shapes.
pub async fn blocks(pool: &PgPool, land: &LandGraphs, params: &ContiguityParams) -> Result<Vec<Block>, Failed> {
    let g = land.current(pool).await?;
    let parts: Vec<Vec<i64>> = candidate_blocks(&g, params).into_iter().map(|b| b.into_iter().map(|i| g.plots[i].id).collect()).collect();
    let (flat, groups) = flatten(&parts);
    let mut blocks = unions(pool, &flat, &groups, params.max_gap_m).await.doing("drawing contiguous blocks")?;
    blocks.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2).then(a.plot_ids.cmp(&b.plot_ids)));
    Ok(blocks)
}

/// The size of each block for `params`: its park and its area in 亩, without building its
/// shape (what the ledger needs).
pub async fn block_sizes(pool: &PgPool, land: &LandGraphs, params: &ContiguityParams) -> Result<Vec<(String, f64)>, Failed> {
    let g = land.current(pool).await?;
    Ok(candidate_blocks(&g, params)
        .into_iter()
        .map(|b| (g.parks[g.plots[b[0]].park as usize].id.clone(), b.iter().map(|i| g.plots[*i].area_mu).sum()))
        .collect())
}

/// Sets of plots as the parallel lists `unions` takes: every plot id, and its set's index.
pub fn flatten(sets: &[Vec<i64>]) -> (Vec<i64>, Vec<i32>) {
    let mut ids = Vec::new();
    let mut groups = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        ids.extend_from_slice(set);
        groups.extend(std::iter::repeat_n(i as i32, set.len()));
    }
    (ids, groups)
}

/// One block per group: `ids[i]` belongs to group `groups[i]`. A plot may be in several
/// groups (overlapping candidate sites) when listed more than once.
pub async fn unions(pool: &PgPool, ids: &[i64], groups: &[i32], max_gap_m: f64) -> Result<Vec<Block>, sqlx::Error> {
    measure(pool, ids, groups, max_gap_m, true).await
}

/// As `unions`, without drawing the union (`geometry` is null): for the compactness of
/// many candidate sites, of which few are shown.
pub async fn measures(pool: &PgPool, ids: &[i64], groups: &[i32], max_gap_m: f64) -> Result<Vec<Block>, sqlx::Error> {
    measure(pool, ids, groups, max_gap_m, false).await
}

async fn measure(pool: &PgPool, ids: &[i64], groups: &[i32], max_gap_m: f64, draw: bool) -> Result<Vec<Block>, sqlx::Error> {
    type Row = (i32, String, Vec<i64>, Vec<LandStatus>, f64, f64, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(include_str!("contiguity_blocks.sql")).bind(ids).bind(groups).bind(max_gap_m).bind(draw).fetch_all(pool).await?;
    let mut rows = rows;
    rows.sort_by_key(|r| r.0);
    rows.into_iter()
        .map(|(_, park_id, plot_ids, statuses, area_m2, compactness, geometry)| {
            Ok(Block { park_id, plot_ids, statuses, area_m2, compactness, geometry: super::geojson("a block's outline", geometry)? })
        })
        .collect()
}
