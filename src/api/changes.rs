//! `/changes`: what was created, changed and retired between two instants, in every
//! collection or one, paged by a cursor that stays true while others write
//! (`store::changes`). `datetime=A/B` (RFC 3339, `..` for an open end): after A, up to
//! and including B.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::features::collection_or_404;
use super::ogc::{base_url, link, with_query, GEOJSON, JSON};
use super::params;
use super::routes::Routes;
use super::ApiError;
use crate::store::changes::{self, Change, Cursor, Period};
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/changes", get(list))
}

/// Most entries a page holds; 100 without `limit`.
pub const MAX_LIMIT: i64 = 10_000;

fn period(pairs: &[(String, String)]) -> Result<Period, ApiError> {
    let Some(v) = params::single(pairs, "datetime")? else { return Ok(Period::default()) };
    let Some((a, b)) = v.split_once('/') else {
        return Err(ApiError::BadRequest(format!("parameter datetime: '{v}' is not an interval A/B of RFC 3339 instants ('..' for an open end)")));
    };
    let end = |s: &str| -> Result<Option<DateTime<Utc>>, ApiError> {
        let s = s.trim();
        if s.is_empty() || s == ".." {
            return Ok(None);
        }
        DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| ApiError::BadRequest(format!("parameter datetime: '{s}' is not an RFC 3339 instant with its offset, e.g. 2026-06-30T23:59:59+08:00")))
    };
    let p = Period { after: end(a)?, until: end(b)? };
    if let (Some(a), Some(b)) = (p.after, p.until) {
        if a > b {
            return Err(ApiError::BadRequest(format!("parameter datetime: the period's start {a} is after its end {b}")));
        }
    }
    Ok(p)
}

async fn list(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["datetime", "collection", "limit", "cursor"])?;
    let period = period(&pairs)?;
    let collections = match params::single(&pairs, "collection")? {
        Some(c) => vec![collection_or_404(c)?],
        None => changes::all_collections(),
    };
    let limit = match params::single(&pairs, "limit")? {
        None => 100,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .map(|n| n.min(MAX_LIMIT))
            .ok_or_else(|| ApiError::BadRequest(format!("parameter limit: '{v}' is not an integer of at least 1")))?,
    };
    let cursor = match params::single(&pairs, "cursor")? {
        None => None,
        Some(c) => Some(
            Cursor::decode(c)
                .ok_or_else(|| ApiError::BadRequest(format!("parameter cursor: '{c}' is not a cursor this service gave (take it from a page's next link)")))?,
        ),
    };
    // One more than the page, to know whether there is a next.
    let mut entries = changes::page(state.reads.pool(), &collections, period, cursor.as_ref(), limit + 1).await?;
    let more = entries.len() as i64 > limit;
    entries.truncate(limit as usize);

    let base = base_url(&headers);
    let item = |c: &str, id: &str| format!("{base}/collections/{c}/items/{id}");
    let list: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            let href = match e.change {
                Change::Retired => format!("{}/versions", item(&e.collection, &e.id)),
                _ => super::versions::memento(&item(&e.collection, &e.id), e.at),
            };
            let mut v = serde_json::to_value(e).unwrap_or_default();
            v["links"] = json!([link(
                href,
                if e.change == Change::Retired { "version-history" } else { "memento" },
                if e.change == Change::Retired { JSON } else { GEOJSON },
                ""
            )]);
            v
        })
        .collect();
    let mut links = vec![link(with_query(&format!("{base}/changes"), &pairs), "self", JSON, "变更 Changes")];
    if let (true, Some(last)) = (more, entries.last()) {
        let mut next: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "cursor").cloned().collect();
        next.push(("cursor".into(), Cursor { at: last.at, collection: last.collection.clone(), id: last.id.clone() }.encode()));
        links.push(link(with_query(&format!("{base}/changes"), &next), "next", JSON, "下一页 Next page"));
    }
    Ok(axum::Json(json!({ "changes": list, "numberReturned": list.len(), "links": links })).into_response())
}
