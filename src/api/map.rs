//! The map view at `/map/`: the page and its modules from `web/`, and MapLibre GL JS from
//! `web/node_modules` (installed by npm from web/package.json), so the page asks nothing
//! of any address but parkland's own.

use std::path::Path;

use axum::response::Redirect;
use axum::routing::get;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

/// Where MapLibre's files are under `web/`.
pub const MAPLIBRE_DIST: &str = "node_modules/maplibre-gl/dist";

pub fn router(web: &Path) -> Router<AppState> {
    Router::new()
        // Relative, so a proxy that mounts parkland under a prefix keeps it.
        .route("/map", get(|| async { Redirect::permanent("map/") }))
        .route_service("/map/", ServeFile::new(web.join("index.html")))
        .nest_service("/map/app", ServeDir::new(web.join("app")))
        .nest_service("/map/vendor/maplibre-gl", ServeDir::new(web.join(MAPLIBRE_DIST)))
}

/// Says, once at start, what is missing for the map view to work.
pub fn check_assets(web: &Path) {
    if !web.join("index.html").is_file() {
        tracing::warn!(web = %web.display(), "no map page here: /map/ will answer 404; set PARKLAND_WEB to parkland's web/ folder");
    } else if !web.join(MAPLIBRE_DIST).join("maplibre-gl.mjs").is_file() {
        tracing::warn!(web = %web.display(), "MapLibre is not installed: /map/ will not draw; run `npm ci --prefix {}`", web.display());
    }
}
