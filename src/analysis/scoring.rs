//! The parts of a site's score, each normalised to 0..1, and their weighted mean.
//!
//! # Method
//! - `area_fit`: 1 while the site is at most 10 % larger than the demand, falling linearly
//!   to 0 at twice the demand (a planner does not want to be handed twice the land).
//! - `access`: the mean over the node kinds asked about (or interchange, freight yard,
//!   port and airport by default) of a band score on road minutes: 1 up to the kind's
//!   "full" time, 0.5 at its "partial" time, 0 at twice that; unreachable is 0. The bands
//!   follow site-selection practice: interchange 10/20 min, rail freight
//!   20/40, passenger rail 15/30, port 60/90, airport 60/90.
//! - `infrastructure`: the share of the 七通一平 utilities the park has in place.
//! - `industry_match`: 1 when the park's leading industries name the project's industry.
//! - `compactness`: the site's 4πA/P² over a square's (π/4), capped at 1.
//!
//! The score is Σ wᵢ·partᵢ / Σ wᵢ over the parts with a weight, so it is 0..1 too.

use std::collections::BTreeMap;

use serde::Serialize;

use super::access::Access;
use crate::domain::{NodeKind, ScorePart, Utility, Vocabulary};

/// A kind's (full, partial) minutes.
pub fn minutes_band(kind: NodeKind) -> (f64, f64) {
    match kind {
        NodeKind::HighwayInterchange => (10.0, 20.0),
        NodeKind::RailFreight => (20.0, 40.0),
        NodeKind::RailStation => (15.0, 30.0),
        NodeKind::Port | NodeKind::Airport => (60.0, 90.0),
    }
}

pub const DEFAULT_ACCESS_KINDS: &[NodeKind] = &[NodeKind::HighwayInterchange, NodeKind::RailFreight, NodeKind::Port, NodeKind::Airport];

/// The weight of each part of the score; a part without one does not count.
pub type Weights = BTreeMap<ScorePart, f64>;

pub fn default_weights() -> Weights {
    ScorePart::ALL.iter().map(|&p| (p, if p == ScorePart::Compactness { 0.5 } else { 1.0 })).collect()
}

/// A site's parts, each 0..1; `industry_match` only when the request names an industry.
#[derive(Debug, Clone, Copy, Serialize, schemars::JsonSchema)]
pub struct ScoreParts {
    pub area_fit: f64,
    pub access: f64,
    pub infrastructure: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry_match: Option<f64>,
    pub compactness: f64,
}

impl ScoreParts {
    pub fn get(&self, part: ScorePart) -> Option<f64> {
        match part {
            ScorePart::AreaFit => Some(self.area_fit),
            ScorePart::Access => Some(self.access),
            ScorePart::Infrastructure => Some(self.infrastructure),
            ScorePart::IndustryMatch => self.industry_match,
            ScorePart::Compactness => Some(self.compactness),
        }
    }
}

pub fn area_fit(area_mu: f64, demand_mu: f64) -> f64 {
    let ratio = area_mu / demand_mu;
    if ratio <= 1.1 {
        1.0
    } else {
        (1.0 - (ratio - 1.1) / 0.9).clamp(0.0, 1.0)
    }
}

pub fn band(kind: NodeKind, minutes: Option<f64>) -> f64 {
    let Some(m) = minutes else { return 0.0 };
    let (full, partial) = minutes_band(kind);
    if m <= full {
        1.0
    } else if m <= partial {
        1.0 - 0.5 * (m - full) / (partial - full)
    } else {
        (0.5 * (1.0 - (m - partial) / partial)).max(0.0)
    }
}

pub fn access(kinds: &[NodeKind], access: &Access) -> f64 {
    if kinds.is_empty() {
        return 0.0;
    }
    kinds.iter().map(|k| band(*k, access.get(k).and_then(|a| a.minutes))).sum::<f64>() / kinds.len() as f64
}

pub fn infrastructure(present: &[Utility]) -> f64 {
    Utility::STANDARD.iter().filter(|u| present.contains(u)).count() as f64 / Utility::STANDARD.len() as f64
}

pub fn industry_match(industry: &str, leading: &[String]) -> f64 {
    let hit = leading.iter().any(|l| l.contains(industry) || industry.contains(l.as_str()));
    if hit {
        1.0
    } else {
        0.0
    }
}

pub fn compactness(c: f64) -> f64 {
    (c / std::f64::consts::FRAC_PI_4).min(1.0)
}

/// The weighted mean of the parts that have a weight; parts without one are shown but
/// do not count.
pub fn total(parts: &ScoreParts, weights: &Weights) -> f64 {
    let mut sum = 0.0;
    let mut wsum = 0.0;
    for (&k, &w) in weights {
        if let Some(p) = parts.get(k) {
            sum += w * p;
            wsum += w;
        }
    }
    if wsum > 0.0 {
        sum / wsum
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_at_their_edges() {
        assert_eq!(area_fit(330.0, 300.0), 1.0);
        assert!((area_fit(600.0, 300.0)).abs() < 1e-9);
        assert!((area_fit(465.0, 300.0) - 0.5).abs() < 1e-9);
        let hi = NodeKind::HighwayInterchange;
        assert_eq!(band(hi, Some(10.0)), 1.0);
        assert!((band(hi, Some(20.0)) - 0.5).abs() < 1e-9);
        assert_eq!(band(hi, Some(40.0)), 0.0);
        assert_eq!(band(hi, None), 0.0);
        assert!((compactness(std::f64::consts::FRAC_PI_4) - 1.0).abs() < 1e-9);
    }
}
