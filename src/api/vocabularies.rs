//! `/vocabularies`: every coded value with its Chinese and English names (and, for what
//! the map draws, its legend style), from `domain`, so the map and clients need no copy.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::routes::Routes;

pub fn routes() -> Routes {
    Routes::new().get("/vocabularies", get(all))
}

async fn all() -> Response {
    // The lists change only with parkland itself: a client may keep them a while.
    ([(header::CACHE_CONTROL, "public, max-age=300")], axum::Json(crate::domain::vocabularies())).into_response()
}
