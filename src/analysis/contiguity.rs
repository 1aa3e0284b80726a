//! Contiguous land: blocks of plots in chosen statuses that a project could take as one
//! site.
//!
//! # Method
//! Two plots of one park are contiguous when they face each other across a gap of at
//! most `max_gap_m` for at least `min_shared_m` (a shared edge when they touch; facing
//! edges across an estate road when they do not). The gap and the facing length of every
//! pair of plots within 50 m are measured when the plots are written and stored in
//! `plot_links` (migration 0004), so a search reads them instead of redoing geometry. The
//! facing length is measured at the pair's own gap, on the overlap of the two plots grown
//! by half of it (SQL `contact_length`): a corner contact has length 0, so corners never
//! join. A link across a gap may not cross an expressway or permanent basic farmland.
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

use serde_json::{json, Value};
use sqlx::PgPool;

/// The widest gap a block may span, in metres: the reach of the stored neighbours, SQL
/// `plot_link_reach()` (migration 0004). Wider roads are barriers.
pub const MAX_GAP_M: f64 = 50.0;

/// The question: which statuses count as free, how near is contiguous.
#[derive(Debug, Clone)]
pub struct ContiguityParams {
    pub park: Option<String>,
    pub statuses: Vec<String>,
    pub min_shared_m: f64,
    pub max_gap_m: f64,
}

impl Default for ContiguityParams {
    fn default() -> Self {
        ContiguityParams { park: None, statuses: vec!["available".into()], min_shared_m: 10.0, max_gap_m: 0.0 }
    }
}

/// A block of contiguous plots.
#[derive(Debug, Clone)]
pub struct Block {
    pub park_id: String,
    pub plot_ids: Vec<i64>,
    pub statuses: Vec<String>,
    pub area_m2: f64,
    pub compactness: f64,
    /// GeoJSON geometry of the union, lon/lat.
    pub geometry: Value,
}

impl Block {
    pub fn area_mu(&self) -> f64 {
        self.area_m2 * 15.0 / 10_000.0
    }

    pub fn to_feature(&self, id: usize) -> Value {
        json!({
            "type": "Feature",
            "id": id,
            "geometry": self.geometry,
            "properties": {
                "park_id": self.park_id,
                "plot_ids": self.plot_ids,
                "plots": self.plot_ids.len(),
                "statuses": self.statuses,
                "area_mu": (self.area_mu() * 1000.0).round() / 1000.0,
                "area_m2": (self.area_m2 * 100.0).round() / 100.0,
                "compactness": (self.compactness * 1000.0).round() / 1000.0,
            }
        })
    }
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// The plots in the statuses and park of `params`, with their park and area in 亩.
async fn candidates(pool: &PgPool, params: &ContiguityParams) -> Result<Vec<(i64, String, f64)>, sqlx::Error> {
    sqlx::query_as("SELECT id, park_id, area_mu FROM plots WHERE status = ANY($1) AND ($2::text IS NULL OR park_id = $2) ORDER BY id")
        .bind(&params.statuses)
        .bind(&params.park)
        .fetch_all(pool)
        .await
}

/// The blocks for `params`, largest first, with their shapes.
pub async fn blocks(pool: &PgPool, params: &ContiguityParams) -> Result<Vec<Block>, sqlx::Error> {
    let ids: Vec<i64> = candidates(pool, params).await?.into_iter().map(|c| c.0).collect();
    let edges = links(pool, &ids, params.min_shared_m, params.max_gap_m).await?;
    let parts = components(&ids, &edges);
    let (flat, groups) = flatten(&parts);
    let mut blocks = unions(pool, &flat, &groups, params.max_gap_m).await?;
    blocks.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2).then(a.plot_ids.cmp(&b.plot_ids)));
    Ok(blocks)
}

/// The size of each block for `params`: its park and its area in 亩, without building its
/// shape (what the ledger needs).
pub async fn block_sizes(pool: &PgPool, params: &ContiguityParams) -> Result<Vec<(String, f64)>, sqlx::Error> {
    let plots = candidates(pool, params).await?;
    let ids: Vec<i64> = plots.iter().map(|c| c.0).collect();
    let of: std::collections::HashMap<i64, (&str, f64)> = plots.iter().map(|c| (c.0, (c.1.as_str(), c.2))).collect();
    let edges = links(pool, &ids, params.min_shared_m, params.max_gap_m).await?;
    Ok(components(&ids, &edges)
        .into_iter()
        .map(|part| (of[&part[0]].0.to_string(), part.iter().map(|p| of[p].1).sum()))
        .collect())
}

/// The links between contiguous plots among `ids` (see the module's method), read from
/// the stored neighbours (`plot_links`, migration 0004).
pub async fn links(pool: &PgPool, ids: &[i64], min_shared_m: f64, max_gap_m: f64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    // Planned for each call (an unnamed statement): a cached generic plan guesses ten
    // candidates and joins them in a nested loop, 330 ms instead of 4 for 2000 plots.
    sqlx::query_as(include_str!("contiguity_edges.sql"))
        .bind(ids)
        .bind(max_gap_m)
        .bind(min_shared_m)
        .persistent(false)
        .fetch_all(pool)
        .await
}

/// The plots of `ids` grouped into blocks, the connected components of `links`: each
/// block's plots in ascending order, blocks in the order of their first plot in `ids`.
pub fn components(ids: &[i64], links: &[(i64, i64)]) -> Vec<Vec<i64>> {
    let index: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut uf = UnionFind((0..ids.len()).collect());
    for (a, b) in links {
        if let (Some(a), Some(b)) = (index.get(a), index.get(b)) {
            uf.union(*a, *b);
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<i64>> = std::collections::BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        let root = uf.find(i);
        by_root.entry(root).or_default().push(*id);
    }
    by_root
        .into_values()
        .map(|mut v| {
            v.sort_unstable();
            v
        })
        .collect()
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
    let rows: Vec<(i32, String, Vec<i64>, Vec<String>, f64, f64, String)> = sqlx::query_as(include_str!("contiguity_blocks.sql"))
        .bind(ids)
        .bind(groups)
        .bind(max_gap_m)
        .fetch_all(pool)
        .await?;
    let mut rows = rows;
    rows.sort_by_key(|r| r.0);
    Ok(rows
        .into_iter()
        .map(|(_, park_id, plot_ids, statuses, area_m2, compactness, geometry)| Block {
            park_id,
            plot_ids,
            statuses,
            area_m2,
            compactness,
            geometry: serde_json::from_str(&geometry).unwrap_or(Value::Null),
        })
        .collect())
}
