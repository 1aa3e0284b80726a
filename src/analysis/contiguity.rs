//! Contiguous land: blocks of plots in chosen statuses that a project could take as one
//! site.
//!
//! # Method
//! Two plots of one park are contiguous when they face each other across at most
//! `max_gap_m` for at least `min_shared_m` (a shared edge when the gap is 0; facing edges
//! across an estate road when it is not). The facing length is measured on the overlap of
//! the two plots grown by half the gap (SQL `contact_length`): a corner contact has
//! length 0 at any gap, so corners never join. A link across a gap may not cross an
//! expressway or permanent basic farmland. Blocks are the connected components of the
//! links (union-find).
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

/// The blocks for `params`, largest first.
pub async fn blocks(pool: &PgPool, params: &ContiguityParams) -> Result<Vec<Block>, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM plots WHERE status = ANY($1) AND ($2::text IS NULL OR park_id = $2) ORDER BY id",
    )
    .bind(&params.statuses)
    .bind(&params.park)
    .fetch_all(pool)
    .await?;
    let (blocks, _) = blocks_of(pool, &ids, params.min_shared_m, params.max_gap_m).await?;
    Ok(blocks)
}

/// The links between contiguous plots among `ids` (see the module's method).
pub async fn links(pool: &PgPool, ids: &[i64], min_shared_m: f64, max_gap_m: f64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(include_str!("contiguity_edges.sql")).bind(ids).bind(max_gap_m).bind(min_shared_m).fetch_all(pool).await
}

/// The blocks of the plots `ids`, largest first, and the links between them.
pub async fn blocks_of(
    pool: &PgPool,
    ids: &[i64],
    min_shared_m: f64,
    max_gap_m: f64,
) -> Result<(Vec<Block>, Vec<(i64, i64)>), sqlx::Error> {
    if ids.is_empty() {
        return Ok((vec![], vec![]));
    }
    let edges = links(pool, ids, min_shared_m, max_gap_m).await?;
    let index: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut uf = UnionFind((0..ids.len()).collect());
    for (a, b) in &edges {
        uf.union(index[a], index[b]);
    }
    let groups: Vec<i32> = (0..ids.len()).map(|i| uf.find(i) as i32).collect();
    let mut blocks = unions(pool, ids, &groups, max_gap_m).await?;
    blocks.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2).then(a.plot_ids.cmp(&b.plot_ids)));
    Ok((blocks, edges))
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
