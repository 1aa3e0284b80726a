//! Step 6 of a search: each chosen site as the answer gives it, with what its plots carry
//! (disposal measures on record, constraints they touch) and the utilities its park lacks.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use sqlx::PgPool;

use super::diagnostics::round3;
use super::ranking::Scored;
use super::request::SiteRequest;
use super::shortlist::Shortlist;
use crate::analysis::access::Access;
use crate::analysis::contiguity::Block;
use crate::analysis::land_graph::LandGraph;
use crate::analysis::scoring::ScoreParts;
use crate::analysis::Feature;
use crate::domain::{LandStatus, Measure, Utility};

/// A site a search found.
#[derive(Debug, Serialize, schemars::JsonSchema)]
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

/// What the chosen plots carry, by plot id.
pub(super) struct Carried {
    measures: HashMap<i64, Vec<Measure>>,
    /// `kind:name` of each constraint a plot touches.
    touched: HashMap<i64, Vec<String>>,
}

impl Carried {
    pub(super) async fn read(pool: &PgPool, chosen: &[i64]) -> Result<Carried, sqlx::Error> {
        let measures = sqlx::query_as::<_, (i64, Vec<Measure>)>(
            "SELECT plot_id, array_agg(DISTINCT measure) FROM idle_records WHERE plot_id = ANY($1) AND measure IS NOT NULL GROUP BY plot_id",
        )
        .bind(chosen)
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect();
        let touched = sqlx::query_as::<_, (i64, Vec<String>)>(
            "SELECT p.id, array_agg(DISTINCT x.kind || ':' || x.name) FROM plots p JOIN constraints x ON x.geom && p.geom AND ST_Intersects(x.geom, p.geom)
             WHERE p.id = ANY($1) GROUP BY p.id",
        )
        .bind(chosen)
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect();
        Ok(Carried { measures, touched })
    }
}

/// The `n`th site of the answer, with its shape.
pub(super) fn feature(n: usize, g: &LandGraph, r: &SiteRequest, list: &Shortlist, carried: &Carried, scored: Scored, shape: Block) -> Feature<FoundSite> {
    let s = &list.sites[scored.site];
    let park = &g.parks[g.plots[s.plots[0]].park as usize];
    // 七通一平, and whatever else the request asked for.
    let mut wanted: Vec<Utility> = Utility::STANDARD.to_vec();
    for u in &r.infrastructure {
        if !wanted.contains(u) {
            wanted.push(*u);
        }
    }
    let missing: Vec<Utility> = wanted.into_iter().filter(|w| !park.infrastructure.contains(w)).collect();
    let mut measures = BTreeMap::new();
    let mut constraints = BTreeSet::new();
    for p in &shape.plot_ids {
        if let Some(m) = carried.measures.get(p) {
            measures.insert(p.to_string(), m.clone());
        }
        constraints.extend(carried.touched.get(p).into_iter().flatten().cloned());
    }
    let found = FoundSite {
        area_mu: round3(shape.area_mu()),
        area_m2: (shape.area_m2 * 100.0).round() / 100.0,
        compactness: round3(shape.compactness),
        plot_ids: shape.plot_ids,
        park_id: shape.park_id,
        park_name: park.name_zh.clone(),
        score: scored.score,
        score_parts: scored.parts,
        access: list.access[s.block].clone(),
        infrastructure_present: park.infrastructure.clone(),
        infrastructure_missing: missing,
        constraints,
        measures,
        statuses: shape.statuses,
        block_area_mu: round3(list.blocks[s.block].1),
    };
    Feature::new(n as i64, shape.geometry, found)
}
