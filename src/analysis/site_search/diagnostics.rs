//! What a search says about itself: the time each step took (for the log) and which
//! condition left no land.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::access::PlannedStated;
use crate::domain::NodeKind;

/// The conditions of a search, in the order the diagnostics apply them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Parks,
    Include,
    LandUse,
    Infrastructure,
    ExcludeConstraints,
    ContiguousArea,
    Access,
}

impl Condition {
    /// Why nothing was left after this condition, in Chinese and English.
    fn emptied(self) -> &'static str {
        match self {
            Condition::Parks => "没有符合的园区 no park matches `parks`",
            Condition::Include => "没有所选状态的地块 no plot has a status in `include`",
            Condition::LandUse => "没有所选用地分类的地块 no plot has a land use in `land_use`",
            Condition::Infrastructure => "园区基础设施不满足要求 no park has every utility in `infrastructure`",
            Condition::ExcludeConstraints => "所余地块均触及管控范围 every plot left touches an excluded constraint",
            Condition::ContiguousArea => "没有足够大的连片用地 no contiguous block is as large as the demand",
            Condition::Access => "没有满足交通条件的地块 no site meets the `access` limits",
        }
    }
}

/// What one condition removed of what was left.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Step {
    pub condition: Condition,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_plots: Option<usize>,
    /// For `access`, which removes sites rather than plots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_sites: Option<usize>,
    pub removed_mu: f64,
    pub remaining_mu: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For `access`: how many sites each kind's limit removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<BTreeMap<NodeKind, usize>>,
}

impl Step {
    pub(super) fn plots(condition: Condition, removed_plots: usize, removed_mu: f64, remaining_mu: f64) -> Step {
        Step { condition, removed_plots: Some(removed_plots), removed_sites: None, removed_mu, remaining_mu, note: None, failed: None }
    }
}

/// The condition that left no land.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Emptying {
    pub condition: Condition,
    pub description: &'static str,
    pub removed_mu: f64,
}

/// How a search went, beside its sites.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Diagnostics {
    pub candidates_mu: f64,
    pub steps: Vec<Step>,
    pub sites_considered: usize,
    pub planned_transport: PlannedStated,
    /// When no site was found: the first condition that left nothing.
    pub empty_because: Option<Emptying>,
}

/// Milliseconds spent in each step of a search.
pub(super) struct StepClock {
    last: std::time::Instant,
    steps: Vec<(&'static str, f64)>,
}

impl StepClock {
    pub(super) fn start() -> Self {
        StepClock { last: std::time::Instant::now(), steps: Vec::new() }
    }

    pub(super) fn step(&mut self, name: &'static str) {
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

/// The first condition that left nothing.
pub(super) fn first_emptying(steps: &[Step]) -> Option<Emptying> {
    let s = steps.iter().find(|s| s.remaining_mu == 0.0)?;
    Some(Emptying { condition: s.condition, description: s.condition.emptied(), removed_mu: s.removed_mu })
}

pub(super) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
