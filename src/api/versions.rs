//! Versions over HTTP (the OGC Versioned Features proposal, record time): a feature's
//! time map at `/collections/{c}/items/{id}/versions`, and the Memento links and headers
//! an item read carries (`item_links`, `memento_headers`), which `features::item` serves.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::features::collection_or_404;
use super::ogc::{base_url, link, GEOJSON, JSON};
use super::routes::Routes;
use super::ApiError;
use crate::edit::http_date;
use crate::store::versions::{self, Span};
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/collections/{collection}/items/{id}/versions", get(time_map))
}

/// Every versioned collection's `versioning` member: versions are stamped by the server
/// when a write is recorded.
pub fn versioning() -> Value {
    json!({ "timeAxis": "transaction-time", "mutationTime": "server" })
}

/// The URI of the version of `feature` that starts at `from` (its canonical Memento URI).
pub fn memento(feature: &str, from: DateTime<Utc>) -> String {
    format!("{feature}?datetime={}", from.to_rfc3339_opts(SecondsFormat::Micros, true))
}

/// `/collections/{c}/items/{id}/versions`: a `memento` link for each version with its
/// datetime, `first`, `last` and `latest-version`; and the versions with who wrote them.
async fn time_map(
    State(state): State<AppState>,
    Path((cid, id)): Path<(String, String)>,
    headers: HeaderMap,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, ApiError> {
    let c = collection_or_404(&cid)?;
    super::params::only(&super::params::pairs(raw.as_deref()), &[])?;
    let mut db = state.reads.pool().acquire().await?;
    let map = versions::time_map(&mut db, c, &id).await?;
    let (Some(first), Some(last)) = (map.first(), map.last()) else {
        return Err(ApiError::NotFound(format!("no feature '{id}' in {} now or before", c.id)));
    };
    let feature = format!("{}/collections/{}/items/{id}", base_url(&headers), c.id);
    let mut links = vec![
        link(format!("{feature}/versions"), "self", JSON, "版本 Versions"),
        link(feature.clone(), "original", GEOJSON, "要素 The feature"),
        link(memento(&feature, first.from), "first", GEOJSON, "最早版本 First version"),
    ];
    for s in &map {
        let mut l = link(memento(&feature, s.from), "memento", GEOJSON, &format!("{} 的版本 Version of {}", s.from.format("%Y-%m-%d %H:%M:%S"), s.from));
        l["datetime"] = json!(http_date(s.from));
        links.push(l);
    }
    links.push(link(memento(&feature, last.from), "last", GEOJSON, "最新版本 Last version"));
    links.push(link(memento(&feature, last.from), "latest-version", GEOJSON, "最新版本 Latest version"));
    let body = json!({ "links": links, "versions": map, "deleted": last.to });
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, JSON)], body.to_string()).into_response())
}

/// The links of a feature read as version `index` of `map` (`self_href`: the request as
/// made): canonical, original, the time map, and its neighbours.
pub fn item_links(feature: &str, self_href: &str, map: &[Span], index: usize) -> Vec<Value> {
    let mut links = vec![
        link(self_href.to_string(), "self", GEOJSON, "本要素 This feature"),
        link(memento(feature, map[index].from), "canonical", GEOJSON, "本版本 This version"),
        link(feature.to_string(), "original", GEOJSON, "当前版本 The feature now"),
        link(format!("{feature}/versions"), "timemap", JSON, "版本 Versions"),
        link(format!("{feature}/versions"), "version-history", JSON, "版本 Versions"),
    ];
    if let Some(before) = index.checked_sub(1).and_then(|i| map.get(i)) {
        links.push(link(memento(feature, before.from), "predecessor-version", GEOJSON, "上一版本 Previous version"));
    }
    if let Some(after) = map.get(index + 1) {
        links.push(link(memento(feature, after.from), "successor-version", GEOJSON, "下一版本 Next version"));
    }
    links
}

/// `Memento-Datetime` (the version's start), the time map as `Link` headers, and for a
/// version since replaced — which never changes again — a long, immutable freshness.
pub fn memento_headers(h: &mut HeaderMap, feature: &str, version: &Span) {
    h.insert("memento-datetime", HeaderValue::from_str(&http_date(version.from)).expect("ascii"));
    let timemap = format!("<{feature}/versions>; rel=\"timemap\", <{feature}/versions>; rel=\"version-history\"");
    if let Ok(v) = HeaderValue::from_str(&timemap) {
        h.insert(header::LINK, v);
    }
    if version.to.is_some() {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
}

/// The 410 of a feature deleted by the instant asked for, with the links the proposal
/// names: its latest version and its time map.
pub fn gone(feature: &str, map: &[Span], id: &str, collection: &str) -> Response {
    let mut res = ApiError::Gone(format!("feature '{id}' of {collection} had been deleted by then; its versions: {feature}/versions")).into_response();
    if let Some(last) = map.last() {
        let value = format!(
            "<{}>; rel=\"latest-version\", <{feature}/versions>; rel=\"timemap\", <{feature}/versions>; rel=\"version-history\"",
            memento(feature, last.from)
        );
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().insert(header::LINK, v);
        }
    }
    res
}
