//! Writes (OGC API - Features Part 4): `PATCH /collections/{c}/items/{id}` for plots,
//! with `If-Match` required and a token of role editor, and each plot's history at
//! `/collections/plots/items/{id}/history`. Other collections are read-only so far.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
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
        .patch("/collections/{collection}/items/{id}", axum::routing::patch(patch_item))
        .get("/collections/plots/items/{featureId}/history", get(history))
}

async fn patch_item(State(state): State<AppState>, Path((collection, id)): Path<(String, String)>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let header_str = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let actor = auth::require(&state.pool, header_str(header::AUTHORIZATION), Role::Editor).await?;
    if collection != "plots" {
        if crate::store::catalog::find(&collection).is_none() {
            return Err(ApiError::NotFound(format!("no collection '{collection}'")));
        }
        return Err(ApiError::MethodNotAllowed(format!("'{collection}' cannot be edited through the API yet; plots can")));
    }
    let media = header_str(header::CONTENT_TYPE).unwrap_or("");
    if !(media.starts_with("application/json") || media.starts_with("application/merge-patch+json") || media.starts_with("application/geo+json")) {
        return Err(ApiError::UnsupportedMediaType(format!("send the patch as application/merge-patch+json or application/json, not '{media}'")));
    }
    let if_match = header_str(header::IF_MATCH)
        .ok_or_else(|| ApiError::PreconditionRequired("send If-Match with the ETag of the plot as you read it (GET it first)".into()))?;
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound(format!("no plot {id}")))?;
    let patch: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("the body is not JSON: {e}")))?;
    let (json, etag) = edit::patch_plot(&state.pool, &actor, id, if_match, &patch).await?;
    let mut res = ([(header::CONTENT_TYPE, "application/geo+json")], json).into_response();
    res.headers_mut().insert(header::ETAG, HeaderValue::from_str(&etag).expect("ascii"));
    Ok(res)
}

async fn history(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let n: i64 = id.parse().map_err(|_| ApiError::NotFound(format!("no plot {id}")))?;
    let h = edit::plot_history(&state.pool, n).await?.ok_or_else(|| ApiError::NotFound(format!("no plot {id}")))?;
    Ok(Json(h).into_response())
}
