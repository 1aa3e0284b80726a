//! The land ledger (台账): `/parks/{park}/ledger` and `/ledger` (`?f=csv` for a spreadsheet;
//! `?datetime=` for the ledger as the records stood at an instant).

use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::params;
use super::routes::Routes;
use super::ApiError;
use crate::ledger;
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/ledger", get(all)).get("/parks/{park}/ledger", get(one))
}

/// Every park's ledger, with the totals and each zone's parks added up.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Overview<'a> {
    pub totals: ledger::Totals,
    pub zones: Vec<ledger::ZoneLedger>,
    pub parks: &'a [ledger::Ledger],
}

fn wants_csv(pairs: &[(String, String)]) -> Result<bool, ApiError> {
    match pairs.iter().find(|(k, _)| k == "f").map(|(_, v)| v.as_str()) {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(other) => Err(ApiError::BadRequest(format!("parameter f: '{other}' is not json or csv"))),
    }
}

fn csv_response(body: String, name: &str) -> Response {
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\""))], body)
        .into_response()
}

/// The ledgers of one park or all, now (kept until the records change) or as of the
/// request's `datetime`.
async fn read(state: &AppState, pairs: &[(String, String)], park: Option<&str>) -> Result<std::sync::Arc<Vec<ledger::Ledger>>, ApiError> {
    Ok(match params::as_of(pairs)? {
        Some(at) => std::sync::Arc::new(ledger::ledgers_as_of(state.reads.pool(), park, at).await?),
        None => ledger::kept_ledgers(state.reads.pool(), &state.counters, &state.ledgers, &state.land, park).await?,
    })
}

async fn all(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["datetime"])?;
    let csv = wants_csv(&pairs)?;
    let ledgers = read(&state, &pairs, None).await?;
    if csv {
        return Ok(csv_response(ledger::csv(&ledgers), "parkland-ledger"));
    }
    Ok(axum::Json(Overview { totals: ledger::totals(&ledgers), zones: ledger::zones(&ledgers), parks: &ledgers }).into_response())
}

async fn one(State(state): State<AppState>, Path(park): Path<String>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["datetime"])?;
    let csv = wants_csv(&pairs)?;
    let ledgers = read(&state, &pairs, Some(&park)).await?;
    let Some(first) = ledgers.first() else {
        return Err(ApiError::NotFound(format!("no park '{park}'")));
    };
    if csv {
        return Ok(csv_response(ledger::csv(&ledgers), &format!("ledger-{park}")));
    }
    Ok(axum::Json(first).into_response())
}
