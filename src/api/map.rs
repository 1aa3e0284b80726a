//! The map view at `/map/`: the page and its modules from `web/`, MapLibre GL JS from
//! `web/node_modules` (installed by npm from web/package.json), and `/map/config.json`
//! (the basemap, if one is set), so the page asks nothing of any address but parkland's
//! own unless a basemap is configured.

use std::path::Path;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::services::{ServeDir, ServeFile};

use crate::config::ServeArgs;
use crate::{AppState, Basemap, MapSettings};

/// Where MapLibre's files are under `web/`.
pub const MAPLIBRE_DIST: &str = "node_modules/maplibre-gl/dist";

pub fn router(web: &Path) -> Router<AppState> {
    Router::new()
        // Relative, so a proxy that mounts parkland under a prefix keeps it.
        .route("/map", get(|| async { Redirect::permanent("map/") }))
        .route_service("/map/", ServeFile::new(web.join("index.html")))
        .route("/map/config.json", get(config))
        .nest_service("/map/app", ServeDir::new(web.join("app")))
        .nest_service("/map/vendor/maplibre-gl", ServeDir::new(web.join(MAPLIBRE_DIST)))
}

async fn config(State(state): State<AppState>) -> impl IntoResponse {
    Json(json!({ "basemap": state.map.basemap }))
}

/// The map's settings from the command line, the basemap checked.
pub fn settings(serve: &ServeArgs) -> anyhow::Result<MapSettings> {
    let basemap = match serve.basemap.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(tiles) => Some(basemap(tiles, &serve.basemap_attribution)?),
    };
    Ok(MapSettings { web: serve.web.clone(), basemap })
}

fn basemap(tiles: &str, attribution: &str) -> anyhow::Result<Basemap> {
    anyhow::ensure!(tiles.starts_with("http://") || tiles.starts_with("https://"), "PARKLAND_BASEMAP must be an http(s) tile URL template, not '{tiles}'");
    for part in ["{z}", "{x}", "{y}"] {
        anyhow::ensure!(tiles.contains(part), "PARKLAND_BASEMAP has no {part}: it must be an XYZ template like https://host/{{z}}/{{x}}/{{y}}.png");
    }
    Ok(Basemap { tiles: tiles.to_string(), attribution: attribution.to_string() })
}

/// Says, once at start, what is missing for the map view to work.
pub fn check_assets(web: &Path) {
    if !web.join("index.html").is_file() {
        tracing::warn!(web = %web.display(), "no map page here: /map/ will answer 404; set PARKLAND_WEB to parkland's web/ folder");
    } else if !web.join(MAPLIBRE_DIST).join("maplibre-gl.mjs").is_file() {
        tracing::warn!(web = %web.display(), "MapLibre is not installed: /map/ will not draw; run `npm ci --prefix {}`", web.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_basemap_is_an_xyz_template() {
        assert!(basemap("https://t0.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=K", "天地图").is_ok());
        assert!(basemap("ftp://host/{z}/{x}/{y}", "").is_err());
        let e = basemap("https://host/{z}/{x}.png", "").unwrap_err().to_string();
        assert!(e.contains("{y}"), "{e}");
    }
}
