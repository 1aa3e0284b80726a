//! `GET /health`: 200 with the database's state when parkland can serve, 503 when the
//! database cannot be reached. With read replicas and the primary down, 200 with status
//! `read_only`: reads are served, writes get 503s. Load balancers and `make run`'s users
//! read it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;

use super::routes::Routes;
use serde_json::json;

use crate::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Response {
    let replicas: Vec<_> = state.reads.replicas().into_iter().map(|(name, up)| json!({ "name": name, "serving_reads": up })).collect();
    let reads_served = replicas.iter().any(|r| r["serving_reads"] == true);
    let row = crate::store::status::database_state(&state.health_pool).await;
    match row {
        // Private: whether parkland serves, and nothing of what it holds or runs on.
        Ok(_) if state.private => Json(json!({ "status": "ok" })).into_response(),
        Ok(db) => Json(json!({
            "status": "ok",
            "database": {
                "reachable": true,
                "embedded": state.embedded,
                "postgres": db.postgres,
                "postgis": db.postgis,
                "pgrouting": db.pgrouting,
                "migrations": db.migrations,
                "parks": db.parks,
                "plots": db.plots,
            },
            "replicas": replicas,
        }))
        .into_response(),
        Err(e) if reads_served => {
            tracing::warn!(error = %e, "health check: the primary is unreachable; reads go to the replicas");
            Json(json!({
                "status": "read_only",
                "database": { "reachable": false, "embedded": state.embedded },
                "replicas": if state.private { json!([]) } else { json!(replicas) },
            }))
            .into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [("retry-after", "1")],
                Json(json!({
                    "status": "unavailable",
                    "database": { "reachable": false, "embedded": state.embedded },
                })),
            )
                .into_response()
        }
    }
}
