//! Writes (OGC API - Features Part 4) for plots and idle-land findings: POST to the items
//! (201 + Location), PUT, PATCH and DELETE of an item with `If-Match` required, all with a
//! token of role editor; each plot's history at `/collections/plots/items/{id}/history`.
//! Other collections are read-only so far (405).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;

use super::routes::Routes;
use super::ApiError;
use crate::auth::{self, Role};
use crate::edit;
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .write("/collections/{collection}/items", &["post"], axum::routing::post(create_item))
        .write("/collections/{collection}/items/{id}", &["put", "patch", "delete"], axum::routing::put(replace_item).patch(patch_item).delete(delete_item))
        .get("/collections/plots/items/{featureId}/history", get(history))
        .write("/import", &["post"], axum::routing::post(import))
}

/// What every write checks first: an editor's token, an editable collection, JSON.
async fn writer(state: &AppState, collection: &str, headers: &HeaderMap, body: Option<&Bytes>) -> Result<(auth::Actor, serde_json::Value), ApiError> {
    let header_str = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let actor = auth::require(&state.pool, header_str(header::AUTHORIZATION), Role::Editor).await?;
    if !EDITABLE.contains(&collection) {
        if crate::store::catalog::find(collection).is_none() {
            return Err(ApiError::NotFound(format!("no collection '{collection}'")));
        }
        return Err(ApiError::MethodNotAllowed(format!("'{collection}' cannot be edited through the API yet; {} can", EDITABLE.join(" and "))));
    }
    let Some(body) = body else { return Ok((actor, serde_json::Value::Null)) };
    let media = header_str(header::CONTENT_TYPE).unwrap_or("");
    if !(media.starts_with("application/json") || media.starts_with("application/merge-patch+json") || media.starts_with("application/geo+json")) {
        return Err(ApiError::UnsupportedMediaType(format!("send GeoJSON (application/geo+json or application/json), not '{media}'")));
    }
    let value = serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("the body is not JSON: {e}")))?;
    Ok((actor, value))
}

fn if_match(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::PreconditionRequired("send If-Match with the ETag of the plot as you read it (GET it first)".into()))
}

fn feature_response(status: StatusCode, json: String, etag: &str) -> Response {
    let mut res = (status, [(header::CONTENT_TYPE, "application/geo+json")], json).into_response();
    res.headers_mut().insert(header::ETAG, HeaderValue::from_str(etag).expect("ascii"));
    res
}

/// The collections editors may write so far.
const EDITABLE: &[&str] = &["plots", "idle-land"];

fn feature_id(collection: &str, id: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| ApiError::NotFound(format!("no feature {id} in {collection}")))
}

async fn create_item(State(state): State<AppState>, Path(collection): Path<String>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let (actor, feature) = writer(&state, &collection, &headers, Some(&body)).await?;
    let (id, json, etag) = match collection.as_str() {
        "plots" => edit::create_plot(&state.pool, &actor, &feature).await?,
        _ => edit::findings::create(&state.pool, &actor, &feature).await?,
    };
    let mut res = feature_response(StatusCode::CREATED, json, &etag);
    let location = format!("{}/collections/{collection}/items/{id}", super::ogc::base_url(&headers));
    res.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&location).map_err(|e| ApiError::Internal(e.to_string()))?);
    Ok(res)
}

async fn replace_item(State(state): State<AppState>, Path((collection, id)): Path<(String, String)>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let (actor, feature) = writer(&state, &collection, &headers, Some(&body)).await?;
    let id = feature_id(&collection, &id)?;
    let (json, etag) = match collection.as_str() {
        "plots" => edit::replace_plot(&state.pool, &actor, id, if_match(&headers)?, &feature).await?,
        _ => edit::findings::replace(&state.pool, &actor, id, if_match(&headers)?, &feature).await?,
    };
    Ok(feature_response(StatusCode::OK, json, &etag))
}

async fn patch_item(State(state): State<AppState>, Path((collection, id)): Path<(String, String)>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let (actor, patch) = writer(&state, &collection, &headers, Some(&body)).await?;
    let id = feature_id(&collection, &id)?;
    let (json, etag) = match collection.as_str() {
        "plots" => edit::patch_plot(&state.pool, &actor, id, if_match(&headers)?, &patch).await?,
        _ => edit::findings::patch(&state.pool, &actor, id, if_match(&headers)?, &patch).await?,
    };
    Ok(feature_response(StatusCode::OK, json, &etag))
}

async fn delete_item(State(state): State<AppState>, Path((collection, id)): Path<(String, String)>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (actor, _) = writer(&state, &collection, &headers, None).await?;
    let id = feature_id(&collection, &id)?;
    match collection.as_str() {
        "plots" => edit::delete_plot(&state.pool, &actor, id, if_match(&headers)?).await?,
        _ => edit::findings::delete(&state.pool, &actor, id, if_match(&headers)?).await?,
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /import?layer=plots&crs=EPSG:4547&dry_run=true` with a GeoJSON FeatureCollection:
/// all or nothing, as `parkland import`. 200 with the report when every feature is taken,
/// 422 with the report (and nothing written) when any is refused.
async fn import(State(state): State<AppState>, headers: HeaderMap, axum::extract::RawQuery(raw): axum::extract::RawQuery, body: Bytes) -> Result<Response, ApiError> {
    let pairs = super::params::pairs(raw.as_deref());
    super::params::only(&pairs, &["layer", "crs", "dry_run", "encoding"])?;
    let layer = super::params::single(&pairs, "layer")?.unwrap_or("plots");
    if layer != "plots" {
        return Err(ApiError::BadRequest(format!("layer '{layer}': only plots can be imported so far")));
    }
    let encoding = super::params::single(&pairs, "encoding")?;
    let media = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    // A zipped Shapefile, or GeoJSON.
    let (actor, doc, prj) = if media.starts_with("application/zip") || media.starts_with("application/x-zip-compressed") {
        let actor = auth::require(&state.pool, headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()), Role::Editor).await?;
        let (doc, prj) = crate::import::shapefile::read_zip(&body, encoding).map_err(|e| ApiError::Unprocessable(e.to_string()))?;
        (actor, doc, prj)
    } else {
        if encoding.is_some() {
            return Err(ApiError::BadRequest("encoding is for the .dbf of a zipped Shapefile; GeoJSON is UTF-8".into()));
        }
        let (actor, doc) = writer(&state, layer, &headers, Some(&body)).await?;
        (actor, doc, None)
    };
    let crs = match (super::params::single(&pairs, "crs")?, prj) {
        (Some(c), _) => crate::import::SourceCrs::Epsg(
            crate::import::epsg(c).ok_or_else(|| ApiError::BadRequest(format!("crs must be EPSG:<code>, not '{c}'")))?,
        ),
        (None, Some(wkt)) => crate::import::SourceCrs::Wkt(wkt),
        (None, None) => crate::import::SourceCrs::Epsg(crate::import::declared_srid(&doc).unwrap_or(4326)),
    };
    let dry_run = match super::params::single(&pairs, "dry_run")? {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => return Err(ApiError::BadRequest(format!("dry_run must be true or false, not '{other}'"))),
    };
    let report = crate::import::plots(&state.pool, &actor, &doc, &crs, dry_run).await.map_err(|e| match e {
        crate::import::ImportError::File(m) => ApiError::Unprocessable(m),
        crate::import::ImportError::Database(d) => d.into(),
    })?;
    let status = if report.refused.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let refused: Vec<_> = report.refused.iter().map(|(i, code, reason)| serde_json::json!({ "feature": i, "code": code, "reason": reason })).collect();
    Ok((
        status,
        Json(serde_json::json!({
            "features": report.features, "imported": report.imported, "dry_run": report.dry_run, "refused": refused,
            "crs": crs.to_string(),
        })),
    )
        .into_response())
}

async fn history(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let n: i64 = id.parse().map_err(|_| ApiError::NotFound(format!("no plot {id}")))?;
    let h = edit::plot_history(&state.pool, n).await?.ok_or_else(|| ApiError::NotFound(format!("no plot {id}")))?;
    Ok(Json(h).into_response())
}
