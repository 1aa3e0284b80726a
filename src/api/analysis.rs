//! The analysis endpoints (API.md, Analysis): so far the idle-land check.

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use serde_json::json;

use super::params;
use super::routes::Routes;
use super::ApiError;
use crate::analysis::contiguity::{self, ContiguityParams};
use crate::analysis::idle_rules::{idle_check, IdleRules};
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/analysis/idle-check", get(idle)).get("/analysis/contiguity", get(contiguity))
}

fn number(pairs: &[(String, String)], key: &str, default: f64, range: std::ops::RangeInclusive<f64>) -> Result<f64, ApiError> {
    match pairs.iter().find(|(k, _)| k == key) {
        None => Ok(default),
        Some((_, v)) => match v.trim().parse::<f64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(ApiError::BadRequest(format!(
                "parameter {key}: '{v}' is not a number from {} to {}",
                range.start(),
                range.end()
            ))),
        },
    }
}

/// `statuses=available,idle`: checked against the statuses the database knows.
async fn statuses(state: &AppState, pairs: &[(String, String)], default: &[&str]) -> Result<Vec<String>, ApiError> {
    let known: Vec<String> = sqlx::query_scalar("SELECT code FROM land_statuses ORDER BY ord").fetch_all(&state.pool).await?;
    let asked: Vec<String> = match pairs.iter().find(|(k, _)| k == "statuses") {
        None => default.iter().map(|s| s.to_string()).collect(),
        Some((_, v)) => v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
    };
    if asked.is_empty() {
        return Err(ApiError::BadRequest("parameter statuses: name at least one status".into()));
    }
    for s in &asked {
        if !known.contains(s) {
            return Err(ApiError::BadRequest(format!("parameter statuses: unknown status '{s}'; statuses: {}", known.join(", "))));
        }
    }
    Ok(asked)
}

async fn park_param(state: &AppState, pairs: &[(String, String)]) -> Result<Option<String>, ApiError> {
    let Some((_, p)) = pairs.iter().find(|(k, _)| k == "park") else { return Ok(None) };
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM parks WHERE id = $1)").bind(p).fetch_one(&state.pool).await?;
    if !exists {
        return Err(ApiError::NotFound(format!("no park '{p}'")));
    }
    Ok(Some(p.clone()))
}

/// `GET /analysis/contiguity?park=&statuses=&min_shared_m=&max_gap_m=&min_mu=`: blocks of
/// contiguous land, largest first.
async fn contiguity(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["park", "statuses", "min_shared_m", "max_gap_m", "min_mu"])?;
    let p = ContiguityParams {
        park: park_param(&state, &pairs).await?,
        statuses: statuses(&state, &pairs, &["available"]).await?,
        min_shared_m: number(&pairs, "min_shared_m", 10.0, 0.5..=1000.0)?,
        max_gap_m: number(&pairs, "max_gap_m", 0.0, 0.0..=200.0)?,
    };
    let min_mu = number(&pairs, "min_mu", 0.0, 0.0..=1e7)?;
    let blocks = contiguity::blocks(&state.pool, &p).await?;
    let features: Vec<_> = blocks.iter().filter(|b| b.area_mu() >= min_mu).enumerate().map(|(i, b)| b.to_feature(i + 1)).collect();
    let body = json!({
        "type": "FeatureCollection",
        "parameters": {
            "park": p.park, "statuses": p.statuses, "min_shared_m": p.min_shared_m, "max_gap_m": p.max_gap_m, "min_mu": min_mu,
        },
        "numberMatched": features.len(),
        "numberReturned": features.len(),
        "features": features,
    });
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body.to_string()).into_response())
}

fn date_param(pairs: &[(String, String)], key: &str) -> Result<Option<NaiveDate>, ApiError> {
    match pairs.iter().find(|(k, _)| k == key) {
        None => Ok(None),
        Some((_, v)) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::BadRequest(format!("parameter {key}: '{v}' is not a date (YYYY-MM-DD)"))),
    }
}

/// `GET /analysis/idle-check?as_of=YYYY-MM-DD[&park=ID]`: plots that meet the idle-land
/// rules on that date (today by default), most overdue first.
async fn idle(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["as_of", "park"])?;
    let as_of = date_param(&pairs, "as_of")?.unwrap_or_else(|| chrono::Local::now().date_naive());
    let park = park_param(&state, &pairs).await?;
    let rules = IdleRules::default();
    let features = idle_check(&state.pool, rules, as_of, park.as_deref()).await?;
    let fees: f64 = features.iter().filter_map(|f| f["properties"]["fee_wan"].as_f64()).sum();
    let body = json!({
        "type": "FeatureCollection",
        "as_of": as_of.to_string(),
        "rules": {
            "source": "闲置土地处置办法（国土资源部令第53号，2012）",
            "built_below": rules.built_below,
            "invested_below": rules.invested_below,
            "fee_rate": rules.fee_rate,
        },
        "numberMatched": features.len(),
        "numberReturned": features.len(),
        "summary": {
            "plots": features.len(),
            "area_mu": (features.iter().filter_map(|f| f["properties"]["area_mu"].as_f64()).sum::<f64>() * 1000.0).round() / 1000.0,
            "two_years": features.iter().filter(|f| f["properties"]["stage"] == "two_years").count(),
            "not_recorded": features.iter().filter(|f| f["properties"]["recorded"] == false).count(),
            "fees_wan": (fees * 10.0).round() / 10.0,
        },
        "features": features,
    });
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body.to_string()).into_response())
}
