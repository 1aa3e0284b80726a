//! The parts of a site's score, each normalised to 0..1, and their weighted mean.
//!
//! # Method
//! - `area_fit`: 1 while the site is at most 10 % larger than the demand, falling linearly
//!   to 0 at twice the demand (a planner does not want to be handed twice the land).
//! - `access`: the mean over the node kinds asked about (or interchange, freight yard,
//!   port and airport by default) of a band score on road minutes: 1 up to the kind's
//!   "full" time, 0.5 at its "partial" time, 0 at twice that; unreachable is 0. The bands
//!   follow site-selection practice (DOMAIN.md): interchange 10/20 min, rail freight
//!   20/40, passenger rail 15/30, port 60/90, airport 60/90.
//! - `infrastructure`: the share of the 七通一平 utilities the park has in place.
//! - `industry_match`: 1 when the park's leading industries name the project's industry.
//! - `compactness`: the site's 4πA/P² over a square's (π/4), capped at 1.
//!
//! The score is Σ wᵢ·partᵢ / Σ wᵢ over the parts with a weight, so it is 0..1 too.

use serde_json::{Map, Value};

/// (kind, full minutes, partial minutes)
pub const BANDS: &[(&str, f64, f64)] =
    &[("highway_interchange", 10.0, 20.0), ("rail_freight", 20.0, 40.0), ("rail_station", 15.0, 30.0), ("port", 60.0, 90.0), ("airport", 60.0, 90.0)];

pub const DEFAULT_ACCESS_KINDS: &[&str] = &["highway_interchange", "rail_freight", "port", "airport"];

/// The seven utilities and the levelled site of 七通一平.
pub const STANDARD_UTILITIES: &[&str] = &["road", "water_supply", "drainage", "power", "telecom", "gas", "public_transport", "site_levelling"];

pub fn area_fit(area_mu: f64, demand_mu: f64) -> f64 {
    let ratio = area_mu / demand_mu;
    if ratio <= 1.1 {
        1.0
    } else {
        (1.0 - (ratio - 1.1) / 0.9).clamp(0.0, 1.0)
    }
}

pub fn band(kind: &str, minutes: Option<f64>) -> f64 {
    let Some(m) = minutes else { return 0.0 };
    let (full, partial) = BANDS.iter().find(|b| b.0 == kind).map(|b| (b.1, b.2)).unwrap_or((15.0, 30.0));
    if m <= full {
        1.0
    } else if m <= partial {
        1.0 - 0.5 * (m - full) / (partial - full)
    } else {
        (0.5 * (1.0 - (m - partial) / partial)).max(0.0)
    }
}

pub fn access(kinds: &[String], access: &Value) -> f64 {
    if kinds.is_empty() {
        return 0.0;
    }
    kinds.iter().map(|k| band(k, access[k]["minutes"].as_f64())).sum::<f64>() / kinds.len() as f64
}

pub fn infrastructure(present: &[String]) -> f64 {
    STANDARD_UTILITIES.iter().filter(|u| present.iter().any(|p| p == *u)).count() as f64 / STANDARD_UTILITIES.len() as f64
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
pub fn total(parts: &Map<String, Value>, weights: &Map<String, Value>) -> f64 {
    let mut sum = 0.0;
    let mut wsum = 0.0;
    for (k, w) in weights {
        let w = w.as_f64().unwrap_or(0.0);
        if let Some(p) = parts.get(k).and_then(Value::as_f64) {
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
        assert_eq!(band("highway_interchange", Some(10.0)), 1.0);
        assert!((band("highway_interchange", Some(20.0)) - 0.5).abs() < 1e-9);
        assert_eq!(band("highway_interchange", Some(40.0)), 0.0);
        assert_eq!(band("highway_interchange", None), 0.0);
        assert!((compactness(std::f64::consts::FRAC_PI_4) - 1.0).abs() < 1e-9);
    }
}
