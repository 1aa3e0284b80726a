//! The demo's layers without geometry of their own: zones, targets and projects. A project
//! the seed says already holds land gets plots of about that size in its park.

use serde_json::{json, Value};

use super::facts::{targets, PROJECTS, ZONES};
use super::{feature, DemoError};

pub fn zones() -> Vec<Value> {
    ZONES
        .iter()
        .map(|&(id, name_zh, name_en, city, source)| {
            feature(json!(id), None, json!({ "name_zh": name_zh, "name_en": name_en, "city": city, "source": source }))
        })
        .collect()
}

pub fn targets() -> Vec<Value> {
    targets::all()
        .enumerate()
        .map(|(i, t)| {
            feature(
                json!(i + 1),
                None,
                json!({
                    "park_id": t.park_id, "year": t.year, "indicator": t.indicator, "industry": t.industry, "value": t.value,
                    "unit": t.unit, "basis": t.basis, "bound": t.bound, "projection": t.projection, "label_zh": t.label_zh,
                    "source": t.source,
                }),
            )
        })
        .collect()
}

/// The projects; those holding land take plots in production in their park, whose land
/// user becomes the project's company.
/// `areas_mu`: each plot's area as laid out, in the order of `plots`.
pub fn projects(plots: &mut [Value], areas_mu: &[f64]) -> Result<Vec<Value>, DemoError> {
    let mut out = Vec::new();
    let mut held = vec![false; plots.len()];
    for (i, p) in PROJECTS.iter().enumerate() {
        let plot_ids = match (p.holds, p.park_id) {
            (Some((mu, company)), Some(park)) => hold(plots, areas_mu, &mut held, park, mu, company)
                .ok_or_else(|| DemoError::Rule(format!("no plots of about {mu} 亩 in {park} for {}", p.name)))?,
            _ => Vec::new(),
        };
        out.push(feature(
            json!(i + 1),
            None,
            json!({
                "name": p.name, "investor": p.investor, "industry": p.industry, "land_use": p.land_use,
                "demand_mu": (p.demand_mu * 1000.0).round() / 1000.0, "land_as_given": p.land_as_given,
                "investment_wan": p.investment_wan, "output_wan": p.output_wan, "revenue_wan": p.revenue_wan,
                "tax_wan": p.tax_wan, "stage": p.stage, "park_id": p.park_id,
                "build_from": p.build_years.map(|y| y.0), "build_to": p.build_years.map(|y| y.1), "note": p.note,
                "requirements": { "infrastructure": p.needs, "min_block_mu": (p.demand_mu * 1000.0).round() / 1000.0 },
                "source": p.source, "plot_ids": plot_ids,
            }),
        ));
    }
    Ok(out)
}

/// Plots in production in `park` not held yet, largest first, taken while they fit, until
/// they hold `mu` to within 5 %; their land user becomes `company`. None if none fit.
fn hold(plots: &mut [Value], areas_mu: &[f64], held: &mut [bool], park: &str, mu: f64, company: &str) -> Option<Vec<i64>> {
    let mut free: Vec<(f64, usize)> = plots
        .iter()
        .enumerate()
        .filter(|(i, f)| !held[*i] && f["properties"]["park_id"] == park && f["properties"]["status"] == "in_production")
        .map(|(i, _)| (areas_mu[i], i))
        .collect();
    free.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut taken = Vec::new();
    let mut sum = 0.0;
    for (a, i) in free {
        if sum + a <= mu * 1.05 {
            sum += a;
            taken.push(i);
        }
        if sum >= mu * 0.95 {
            break;
        }
    }
    if sum < mu * 0.95 {
        return None;
    }
    let mut ids = Vec::new();
    for i in taken {
        held[i] = true;
        plots[i]["properties"]["land_user"] = json!(company);
        ids.push(plots[i]["id"].as_i64().expect("plot ids are numbers"));
    }
    ids.sort();
    Some(ids)
}
