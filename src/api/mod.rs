//! The HTTP side. `app` builds the whole router; `main` and every test use it.

pub mod analysis;
pub mod edit;
pub mod errors;
pub mod features;
pub mod health;
pub mod html;
pub mod ledger;
pub mod map;
pub mod ogc;
pub mod openapi;
pub mod params;
pub mod routes;
pub mod tiles;

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;

pub use errors::ApiError;

/// Every route parkland serves, with the paths recorded (see routes.rs).
pub fn routes() -> routes::Routes {
    routes::Routes::new().merge(health::routes()).merge(features::routes()).merge(openapi::routes()).merge(tiles::routes()).merge(analysis::routes()).merge(ledger::routes()).merge(edit::routes())
}

pub fn app(state: AppState) -> Router {
    routes()
        .router
        .merge(map::router(&state.map.web))
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
