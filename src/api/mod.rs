//! The HTTP side. `app` builds the whole router; `main` and every test use it.

pub mod errors;
pub mod features;
pub mod health;
pub mod ogc;
pub mod params;

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;

pub use errors::ApiError;

pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(features::router())
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
