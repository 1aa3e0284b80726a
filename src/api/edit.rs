//! Writes (OGC API - Features Part 4) on every editable collection (`edit::WRITABLE`):
//! POST to the items (201 + Location), PUT, PATCH and DELETE of an item, with a token of
//! the collection's role (editor; admin for parks and constraint areas) as Bearer or as
//! a Basic password; a precondition (`If-Match`, or `If-Unmodified-Since`) unless the
//! token was made for blind writes; coordinates in the `Content-Crs` sent (CRS84 without
//! one). `OPTIONS` tells a client (QGIS) which of these its token may use. Each
//! feature's history at `/collections/{c}/items/{id}/history`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;

use super::routes::Routes;
use super::ApiError;
use crate::auth::{self, Role};
use crate::crs::Crs;
use crate::edit::{self, Precondition, Writable};
use crate::store::catalog::Kind;
use crate::store::features::Item;
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .write("/collections/{collection}/items", &["post", "options"], axum::routing::post(create_item).options(items_options))
        .write(
            "/collections/{collection}/items/{id}",
            &["put", "patch", "delete", "options"],
            axum::routing::put(replace_item).patch(patch_item).delete(delete_item).options(item_options),
        )
        .get("/collections/{collection}/items/{featureId}/history", get(history))
        .write("/collections/{collection}/items/{id}/restore", &["post"], axum::routing::post(restore))
        .write("/collections/plots/items/{featureId}/split", &["post"], axum::routing::post(split))
        .write("/collections/plots/merge", &["post"], axum::routing::post(merge))
        .get("/collections/plots/items/{featureId}/lineage", get(lineage))
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

/// What a write to an existing feature was sent with to show it was made on the feature
/// as it is: `If-Match`, else `If-Unmodified-Since` (a valid HTTP date; another is
/// ignored, RFC 9110 13.1.4), else nothing — allowed only to a token for blind writes.
fn precondition(headers: &HeaderMap, actor: &auth::Actor) -> Result<Precondition, ApiError> {
    if let Some(tags) = headers.get(header::IF_MATCH) {
        let tags = tags.to_str().map_err(|_| ApiError::BadRequest("If-Match must be entity tags in visible ASCII, as the ETag was sent".into()))?;
        return Ok(Precondition::Match(tags.to_string()));
    }
    // A date still to come is no Last-Modified a client read: ignored, as an invalid one is.
    let since = headers.get(header::IF_UNMODIFIED_SINCE).and_then(|v| v.to_str().ok()).and_then(edit::parse_http_date);
    if let Some(at) = since.filter(|at| *at <= chrono::Utc::now()) {
        return Ok(Precondition::UnmodifiedSince(at));
    }
    if actor.blind_writes {
        return Ok(Precondition::Blind);
    }
    Err(ApiError::PreconditionRequired(
        "send If-Match with the ETag of the feature as you read it (GET it first), or If-Unmodified-Since with its Last-Modified".into(),
    ))
}

/// The CRS of a write's coordinates: its `Content-Crs` (a URI, with or without the `<…>`
/// of Part 2; QGIS sends it bare), one of the collection's CRSs; CRS84 without one.
fn content_crs(headers: &HeaderMap) -> Result<Crs, ApiError> {
    let Some(value) = headers.get("content-crs") else { return Ok(Crs::CRS84) };
    let text = value.to_str().unwrap_or("");
    Crs::parse(text).ok_or_else(|| {
        ApiError::BadRequest(format!("Content-Crs '{}' is not one this collection offers; send one of: {}", clipped(text), Crs::all_uris().join(", ")))
    })
}

/// A written feature's answer: its GeoJSON (CRS84), ETag and Last-Modified.
fn feature_response(status: StatusCode, item: Item) -> Response {
    let mut res = (status, [(header::CONTENT_TYPE, "application/geo+json")], item.json).into_response();
    let h = res.headers_mut();
    h.insert(header::ETAG, HeaderValue::from_str(&item.tag.to_string()).expect("ascii"));
    h.insert(header::LAST_MODIFIED, HeaderValue::from_str(&edit::http_date(item.updated)).expect("ascii"));
    h.insert("content-crs", HeaderValue::from_str(&format!("<{}>", Crs::CRS84.uri())).expect("ascii"));
    res
}

/// A path's feature id, checked against the collection's id type (a word is no plot id)
/// and written as the collection writes it (`+15` and `0015` are plot 15), so a write's
/// history is found under the feature's own id.
fn feature_id(collection: &str, id: &str) -> Result<String, ApiError> {
    let c = crate::store::catalog::find(collection).ok_or_else(|| ApiError::NotFound(format!("no collection '{collection}'")))?;
    match (c.id_kind, id.parse::<i64>()) {
        (Kind::Integer, Ok(n)) => Ok(n.to_string()),
        (Kind::Integer, Err(_)) => Err(ApiError::NotFound(format!("no feature {} in {collection}", clipped(id)))),
        _ => Ok(id.to_string()),
    }
}

/// A client's text in a message: at most 80 characters of it.
fn clipped(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

async fn create_item(State(state): State<AppState>, Path(collection): Path<String>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let (actor, w, feature) = writer(&state, &collection, &headers, Some(&body)).await?;
    let (id, item) = edit::create(&state.pool, &actor, w, &edit::Body::read(&feature, content_crs(&headers)?)?).await?;
    created(item, &headers, &collection, &id)
}

/// 201 with the feature written and its address in `Location`.
fn created(item: Item, headers: &HeaderMap, collection: &str, id: &str) -> Result<Response, ApiError> {
    let mut res = feature_response(StatusCode::CREATED, item);
    // Text ids are letters, digits, '_' and '-' (a rule of the tables): no escaping needed.
    let location = format!("{}/collections/{collection}/items/{id}", super::ogc::base_url(headers));
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
    let body = edit::Body::read(&feature, content_crs(&headers)?)?;
    let item = edit::replace(&state.pool, &actor, w, &id, &precondition(&headers, &actor)?, &body).await?;
    Ok(feature_response(StatusCode::OK, item))
}

async fn patch_item(
    State(state): State<AppState>,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (actor, w, patch) = writer(&state, &collection, &headers, Some(&body)).await?;
    let id = feature_id(&collection, &id)?;
    let body = edit::Body::read(&patch, content_crs(&headers)?)?;
    let item = edit::patch(&state.pool, &actor, w, &id, &precondition(&headers, &actor)?, &body).await?;
    Ok(feature_response(StatusCode::OK, item))
}

async fn delete_item(State(state): State<AppState>, Path((collection, id)): Path<(String, String)>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (actor, w, _) = writer(&state, &collection, &headers, None).await?;
    let id = feature_id(&collection, &id)?;
    edit::delete(&state.pool, &actor, w, &id, &precondition(&headers, &actor)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST …/items/{id}/restore?datetime=T`: the version the feature had at `T` (a past
/// instant; the time map gives each version's) made current again — a new version,
/// written as a replacement (with the feature's precondition, as a PUT) or, for a feature
/// deleted since, brought back under its id (201). Every rule of a write is checked again:
/// a plot restored over one drawn since is refused (409) and nothing changes.
async fn restore(
    State(state): State<AppState>,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, ApiError> {
    let (actor, w, _) = writer(&state, &collection, &headers, None).await?;
    let id = feature_id(&collection, &id)?;
    let pairs = super::params::pairs(raw.as_deref());
    super::params::only(&pairs, &["datetime"])?;
    let at = super::params::as_of(&pairs)?.ok_or_else(|| {
        ApiError::BadRequest("a restore needs datetime: a past instant within the version to make current (each version's is in …/versions)".into())
    })?;
    let c = crate::store::catalog::find(&collection).ok_or_else(|| ApiError::NotFound(format!("no collection '{collection}'")))?;
    let version = match crate::store::versions::one_at(&state.pool, c, &id, Crs::CRS84, Some(at)).await? {
        crate::store::versions::Lookup::Found { item, .. } => item,
        crate::store::versions::Lookup::Gone { .. } => {
            return Err(ApiError::Gone(format!("{collection} {id} had been deleted by then: no version to restore at {at}")))
        }
        crate::store::versions::Lookup::Never => return Err(ApiError::NotFound(format!("no {collection} {id} at {at}"))),
    };
    let value: serde_json::Value = serde_json::from_str(&version.json).map_err(|e| ApiError::Internal(format!("a stored version is not JSON: {e}")))?;
    let body = edit::Body::read(&value, Crs::CRS84)?;
    if crate::store::features::one(&state.pool, c, &id, Crs::CRS84).await?.is_some() {
        let item = edit::replace(&state.pool, &actor, w, &id, &precondition(&headers, &actor)?, &body).await?;
        return Ok(feature_response(StatusCode::OK, item));
    }
    let item = edit::bring_back(&state.pool, &actor, w, &id, &body).await?;
    created(item, &headers, &collection, &id)
}

/// `POST /collections/plots/items/{id}/split`: `{"line": LineString}`, or `{"parts":
/// [Feature…]}` whose outlines tile the plot (each may name its `code`); coordinates in
/// the Content-Crs; the plot's If-Match. 201 with the children as a FeatureCollection.
async fn split(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let (actor, _, value) = writer(&state, "plots", &headers, Some(&body)).await?;
    let id: i64 = feature_id("plots", &id)?.parse().map_err(|_| ApiError::NotFound(format!("no plot {id}")))?;
    let crs = content_crs(&headers)?;
    let cut = match (value.get("line"), value.get("parts")) {
        (Some(line), None) => edit::lineage::Cut::Line(edit::GeometryJson::read(line, crs)?),
        (None, Some(serde_json::Value::Array(parts))) => {
            let mut read = Vec::new();
            for part in parts {
                let body = edit::Body::read(part, crs)?;
                let names: Vec<String> = body.props.names().into_iter().filter(|n| n != "code").collect();
                if !names.is_empty() {
                    return Err(ApiError::BadRequest(format!("a part takes only its code; {} are its parent's, changed after the split", names.join(", "))));
                }
                let geometry = body.geometry.clone().ok_or_else(|| ApiError::BadRequest("each part needs its outline (geometry)".into()))?;
                read.push((geometry, body.props.text("code").map(str::to_string)));
            }
            edit::lineage::Cut::Parts(read)
        }
        _ => return Err(ApiError::BadRequest("send {\"line\": a LineString across the plot} or {\"parts\": [features whose outlines tile it]}".into())),
    };
    let children = edit::lineage::split(&state.pool, &actor, id, &precondition(&headers, &actor)?, &cut).await?;
    // The children's GeoJSON as PostgreSQL wrote it, passed on as it is.
    let features: Vec<&str> = children.iter().map(|c| c.json.as_str()).collect();
    let doc = format!("{{\"type\":\"FeatureCollection\",\"features\":[{}]}}", features.join(","));
    Ok((StatusCode::CREATED, [(header::CONTENT_TYPE, "application/geo+json")], doc).into_response())
}

/// `POST /collections/plots/merge`: `{"plots": [ids], "properties": {code, planning
/// conditions}}` with If-Match listing each plot's ETag. 201 with the merged plot.
async fn merge(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let (actor, _, value) = writer(&state, "plots", &headers, Some(&body)).await?;
    let ids: Vec<i64> = value
        .get("plots")
        .and_then(|p| p.as_array())
        .and_then(|a| a.iter().map(serde_json::Value::as_i64).collect::<Option<Vec<_>>>())
        .ok_or_else(|| ApiError::BadRequest("send {\"plots\": [the ids of the plots to join], \"properties\": {\"code\": …}}".into()))?;
    let given = edit::Body::read(&serde_json::json!({ "properties": value.get("properties").cloned().unwrap_or_default() }), Crs::CRS84)?;
    let (id, item) = edit::lineage::merge(&state.pool, &actor, &ids, &precondition(&headers, &actor)?, &given.props).await?;
    created(item, &headers, "plots", &id.to_string())
}

/// `GET /collections/plots/items/{id}/lineage`: the plots it was made of and those it
/// became, each linked (a retired plot reads at its versions).
async fn lineage(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let n: i64 = feature_id("plots", &id)?.parse().map_err(|_| ApiError::NotFound(format!("no plot {id}")))?;
    let (parents, children) = edit::lineage::of(&state.pool, n).await?;
    let base = super::ogc::base_url(&headers);
    let entry = |(id, kind): &(i64, String), rel: &str| serde_json::json!({ "id": id, "kind": kind, "links": [super::ogc::link(format!("{base}/collections/plots/items/{id}/versions"), rel, "application/json", "")] });
    let body = serde_json::json!({
        "plot_id": n,
        "parents": parents.iter().map(|p| entry(p, "predecessor-version")).collect::<Vec<_>>(),
        "children": children.iter().map(|c| entry(c, "successor-version")).collect::<Vec<_>>(),
    });
    Ok(Json(body).into_response())
}

/// `OPTIONS` on a collection's items: the methods the caller's token may use there.
async fn items_options(State(state): State<AppState>, Path(collection): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    allowed(&state, &collection, &headers, &["POST"]).await
}

/// `OPTIONS` on one feature. QGIS asks this of the first feature it reads (of
/// `unknown_id` when the layer is empty) and makes the layer editable when `Allow` lists
/// PUT, preferring PATCH when it is listed too. The feature is not looked up: the answer
/// is what the path allows this caller.
async fn item_options(State(state): State<AppState>, Path((collection, _id)): Path<(String, String)>, headers: HeaderMap) -> Result<Response, ApiError> {
    allowed(&state, &collection, &headers, &["PUT", "PATCH", "DELETE"]).await
}

/// 200 with `Allow` (Part 4, /req/create-replace-delete/options-response): reading for
/// anyone (GET, HEAD, OPTIONS), and `writes` for a token of the collection's role, with
/// `Accept-Post` / `Accept-Patch` naming the bodies those take. A CORS preflight carries
/// no token, so it is answered as anyone is, without the Access-Control headers parkland
/// does not send (its map is served from its own origin); a CORS layer, if one is added,
/// answers preflights before this, and private reads let them through (`api::private_reads`).
async fn allowed(state: &AppState, collection: &str, headers: &HeaderMap, writes: &[&str]) -> Result<Response, ApiError> {
    crate::store::catalog::find(collection).ok_or_else(|| ApiError::NotFound(format!("no collection '{collection}'")))?;
    let actor = match headers.get(header::AUTHORIZATION) {
        // A header that is not text carries no token parkland gave out: refused, not anonymous.
        Some(authorization) => Some(auth::require(&state.pool, Some(authorization.to_str().unwrap_or("")), Role::Viewer).await?),
        None => None,
    };
    let may_write = match (edit::writable(collection), actor) {
        (Some(w), Some(actor)) => actor.role >= w.role,
        _ => false,
    };
    let mut methods = vec!["GET", "HEAD", "OPTIONS"];
    if may_write {
        methods.extend_from_slice(writes);
    }
    let mut res = StatusCode::OK.into_response();
    let h = res.headers_mut();
    h.insert(header::ALLOW, HeaderValue::from_str(&methods.join(", ")).expect("ascii"));
    if may_write && writes.contains(&"POST") {
        h.insert("accept-post", HeaderValue::from_static("application/geo+json, application/json"));
    }
    if may_write && writes.contains(&"PATCH") {
        h.insert("accept-patch", HeaderValue::from_static("application/merge-patch+json"));
    }
    // The answer depends on who asks.
    h.insert(header::VARY, HeaderValue::from_static("Authorization"));
    Ok(res)
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
