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
use crate::analysis::idle_rules::{idle_check, IdleRules};
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/analysis/idle-check", get(idle))
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
    let park = pairs.iter().find(|(k, _)| k == "park").map(|(_, v)| v.as_str());
    if let Some(p) = park {
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM parks WHERE id = $1)").bind(p).fetch_one(&state.pool).await?;
        if !exists {
            return Err(ApiError::NotFound(format!("no park '{p}'")));
        }
    }
    let rules = IdleRules::default();
    let features = idle_check(&state.pool, rules, as_of, park).await?;
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
