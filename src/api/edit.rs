//! Writes (OGC API - Features Part 4) on every editable collection (`edit::WRITABLE`):
//! POST to the items (201 + Location), PUT, PATCH and DELETE of an item with `If-Match`
//! required, with a token of the collection's role (editor; admin for parks and
//! constraint areas); each feature's history at `/collections/{c}/items/{id}/history`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;

use super::routes::Routes;
use super::ApiError;
use crate::auth::{self, Role};
use crate::edit::{self, Writable};
use crate::store::catalog::Kind;
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .write("/collections/{collection}/items", &["post"], axum::routing::post(create_item))
        .write("/collections/{collection}/items/{id}", &["put", "patch", "delete"], axum::routing::put(replace_item).patch(patch_item).delete(delete_item))
        .get("/collections/{collection}/items/{featureId}/history", get(history))
        .write("/import", &["post"], axum::routing::post(import))
        .get("/jobs/{id}", get(job))
}

/// The collection as editable, or why not: 404 for no such collection, 405 for one that is
/// read-only (computed, or kept by loading).
fn editable(collection: &str) -> Result<&'static Writable, ApiError> {
    edit::writable(collection).ok_or_else(|| {
        if crate::store::catalog::find(collection).is_none() {
            ApiError::NotFound(format!("no collection '{collection}'"))
        } else {
            let names: Vec<&str> = edit::WRITABLE.iter().map(|w| w.collection).collect();
            ApiError::MethodNotAllowed(format!("'{collection}' cannot be edited through the API; these can: {}", names.join(", ")))
        }
    })
}

/// What every write checks first: an editable collection, a token of its role, JSON.
async fn writer(
    state: &AppState,
    collection: &str,
    headers: &HeaderMap,
    body: Option<&Bytes>,
) -> Result<(auth::Actor, &'static Writable, serde_json::Value), ApiError> {
    let header_str = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let w = editable(collection)?;
    let actor = auth::require(&state.pool, header_str(header::AUTHORIZATION), w.role).await?;
    let Some(body) = body else { return Ok((actor, w, serde_json::Value::Null)) };
    let media = header_str(header::CONTENT_TYPE).unwrap_or("");
    if !(media.starts_with("application/json") || media.starts_with("application/merge-patch+json") || media.starts_with("application/geo+json")) {
        return Err(ApiError::UnsupportedMediaType(format!("send GeoJSON (application/geo+json or application/json), not '{media}'")));
    }
    let value = serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("the body is not JSON: {e}")))?;
    Ok((actor, w, value))
}

fn if_match(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::PreconditionRequired("send If-Match with the ETag of the feature as you read it (GET it first)".into()))
}

fn feature_response(status: StatusCode, json: String, etag: &str) -> Response {
    let mut res = (status, [(header::CONTENT_TYPE, "application/geo+json")], json).into_response();
    res.headers_mut().insert(header::ETAG, HeaderValue::from_str(etag).expect("ascii"));
    res
}

/// A path's feature id, checked against the collection's id type (a word is no plot id).
fn feature_id(collection: &str, id: &str) -> Result<String, ApiError> {
    let c = crate::store::catalog::find(collection).ok_or_else(|| ApiError::NotFound(format!("no collection '{collection}'")))?;
    if c.id_kind == Kind::Integer && id.parse::<i64>().is_err() {
        return Err(ApiError::NotFound(format!("no feature {id} in {collection}")));
    }
    Ok(id.to_string())
}

async fn create_item(State(state): State<AppState>, Path(collection): Path<String>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let (actor, w, feature) = writer(&state, &collection, &headers, Some(&body)).await?;
    let (id, json, etag) = edit::create(&state.pool, &actor, w, &edit::Body::read(&feature)?).await?;
    let mut res = feature_response(StatusCode::CREATED, json, &etag);
    // Text ids are letters, digits, '_' and '-' (a rule of the tables): no escaping needed.
    let location = format!("{}/collections/{collection}/items/{id}", super::ogc::base_url(&headers));
    res.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&location).map_err(|e| ApiError::Internal(e.to_string()))?);
    Ok(res)
}

async fn replace_item(
    State(state): State<AppState>,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (actor, w, feature) = writer(&state, &collection, &headers, Some(&body)).await?;
    let id = feature_id(&collection, &id)?;
    let (json, etag) = edit::replace(&state.pool, &actor, w, &id, if_match(&headers)?, &edit::Body::read(&feature)?).await?;
    Ok(feature_response(StatusCode::OK, json, &etag))
}

async fn patch_item(
    State(state): State<AppState>,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (actor, w, patch) = writer(&state, &collection, &headers, Some(&body)).await?;
    let id = feature_id(&collection, &id)?;
    let (json, etag) = edit::patch(&state.pool, &actor, w, &id, if_match(&headers)?, &edit::Body::read(&patch)?).await?;
    Ok(feature_response(StatusCode::OK, json, &etag))
}

async fn delete_item(State(state): State<AppState>, Path((collection, id)): Path<(String, String)>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (actor, w, _) = writer(&state, &collection, &headers, None).await?;
    let id = feature_id(&collection, &id)?;
    edit::delete(&state.pool, &actor, w, &id, if_match(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /import?layer=plots&crs=EPSG:4547&dry_run=true` with a GeoJSON FeatureCollection
/// or a zipped Shapefile: all or nothing, as `parkland import`, as a job. A file that
/// cannot be read is refused at once (400, 413, 422); otherwise 202 with the job's address
/// (`Location: /jobs/{id}`), where its progress and then its report are read: `imported`
/// every feature, or `refused` each with its reason and nothing written.
async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let pairs = super::params::pairs(raw.as_deref());
    super::params::only(&pairs, &["layer", "crs", "dry_run", "encoding"])?;
    let layer = super::params::single(&pairs, "layer")?.unwrap_or("plots");
    if layer != "plots" {
        return Err(ApiError::BadRequest(format!("layer '{layer}': only plots can be imported so far")));
    }
    let encoding = super::params::single(&pairs, "encoding")?;
    let media = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let bytes = body.len();
    // A zipped Shapefile, or GeoJSON.
    let (actor, doc, prj) = if media.starts_with("application/zip") || media.starts_with("application/x-zip-compressed") {
        let actor = auth::require(&state.pool, headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()), Role::Editor).await?;
        let encoding = encoding.map(str::to_string);
        let read = tokio::task::spawn_blocking(move || crate::import::shapefile::read_zip(&body, encoding.as_deref()));
        let (doc, prj) = read.await.map_err(|e| ApiError::Unprocessable(format!("the archive cannot be read: {e}")))?.map_err(import_error)?;
        (actor, doc, prj)
    } else {
        if encoding.is_some() {
            return Err(ApiError::BadRequest("encoding is for the .dbf of a zipped Shapefile; GeoJSON is UTF-8".into()));
        }
        let (actor, _, doc) = writer(&state, layer, &headers, Some(&body)).await?;
        (actor, doc, None)
    };
    let crs = crate::import::SourceCrs::of(super::params::single(&pairs, "crs")?, prj, &doc).map_err(ApiError::BadRequest)?;
    let dry_run = match super::params::single(&pairs, "dry_run")? {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => return Err(ApiError::BadRequest(format!("dry_run must be true or false, not '{other}'"))),
    };
    let total = crate::import::features_of(&doc).map_err(import_error)?.len();
    let place = crate::jobs::reserve()
        .ok_or_else(|| ApiError::TimedOut(format!("{} imports are running or waiting on this server; try again shortly", crate::jobs::HELD_AT_MOST)))?;
    let params = serde_json::json!({ "layer": layer, "crs": crs.to_string(), "dry_run": dry_run, "bytes": bytes, "media_type": media });
    let job = crate::jobs::start(&state.pool, "import", &actor.name, &params, total).await?;
    let (pool, id) = (state.pool.clone(), job.id);
    let progress = crate::import::Progress { checked: job.done.clone(), job: Some(id) };
    crate::jobs::run(state.pool.clone(), job, place, async move {
        match crate::import::plots(&pool, &actor, &doc, &crs, dry_run, &progress).await {
            Ok(report) => Ok(report.to_json(&crs)),
            Err(e) => Err(e.to_string()),
        }
    });
    let read = crate::jobs::get(&state.pool, id).await?.ok_or_else(|| ApiError::NotFound(format!("job {id}")))?;
    let mut res = (StatusCode::ACCEPTED, Json(job_json(&read))).into_response();
    res.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&format!("/jobs/{id}")).expect("a path"));
    Ok(res)
}

/// `GET /jobs/{id}`: a job's state, progress and, once it has ended, its report or why it
/// failed (the editor who asked for it, or an admin).
async fn job(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let actor = auth::require(&state.pool, headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()), Role::Editor).await?;
    let job = match id.parse::<i64>() {
        Ok(n) => crate::jobs::get(&state.pool, n).await?,
        Err(_) => None,
    };
    // A job is its asker's (and an admin's) to read: another editor is told there is none.
    let job = job.filter(|j| j.actor == actor.name || actor.role == Role::Admin).ok_or_else(|| ApiError::NotFound(format!("no job {id} of yours")))?;
    let mut res = Json(job_json(&job)).into_response();
    // Polled: never kept by a cache.
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

fn job_json(job: &crate::jobs::Job) -> serde_json::Value {
    let mut v = serde_json::to_value(job).unwrap_or_default();
    v["links"] = serde_json::json!([{ "href": format!("/jobs/{}", job.id), "rel": "self", "type": "application/json" }]);
    v
}

fn import_error(e: crate::import::ImportError) -> ApiError {
    match e {
        crate::import::ImportError::File(m) => ApiError::Unprocessable(m),
        crate::import::ImportError::TooLarge(m) => ApiError::PayloadTooLarge(m),
        crate::import::ImportError::Database(d) => d.into(),
    }
}

/// Who changed a feature, when, and how it was before and after, newest first.
async fn history(State(state): State<AppState>, Path((collection, id)): Path<(String, String)>) -> Result<Response, ApiError> {
    let w = edit::writable(&collection).ok_or_else(|| ApiError::NotFound(format!("no history: '{collection}' is not edited through the API")))?;
    let id = feature_id(&collection, &id)?;
    let h = edit::history(&state.pool, w, &id).await?.ok_or_else(|| ApiError::NotFound(format!("no feature {id} in {collection}")))?;
    Ok(Json(h).into_response())
}
