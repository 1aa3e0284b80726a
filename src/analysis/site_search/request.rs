//! What a site search asks for, and the checks a request passes before any land is read.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::analysis::access::Planned;
use crate::analysis::contiguity;
use crate::analysis::scoring::Weights;
use crate::domain::{ConstraintKind, LandStatus, NodeKind, Utility};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub max_minutes: Option<f64>,
    pub max_km: Option<f64>,
}

/// A site search's request, as `/api` documents it.
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
    pub include: Vec<LandStatus>,
    #[serde(default)]
    pub access: BTreeMap<NodeKind, Limit>,
    #[serde(default)]
    pub infrastructure: Vec<Utility>,
    #[serde(default)]
    pub exclude_constraints: Vec<ConstraintKind>,
    #[serde(default)]
    pub weights: Option<Weights>,
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

fn default_include() -> Vec<LandStatus> {
    vec![LandStatus::Available]
}
fn default_min_shared() -> f64 {
    10.0
}
fn default_limit() -> usize {
    10
}

/// How far below the demand a site may fall and still meet it, as a share of the demand.
pub const DEMAND_TOLERANCE: f64 = 0.005;

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
    for (k, l) in &r.access {
        if l.max_minutes.is_some_and(|m| !(m > 0.0)) || l.max_km.is_some_and(|m| !(m > 0.0)) {
            return Err(format!("access.{k}: limits must be above 0"));
        }
    }
    for (k, v) in r.weights.iter().flatten() {
        if !(v.is_finite() && *v >= 0.0) {
            return Err(format!("weights.{k} must be a number of 0 or more"));
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
