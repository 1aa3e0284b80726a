//! `GET /health` tells whether parkland can serve, and what database it serves from.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(app: axum::Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let res = app.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn health_reports_the_database() {
    let db = common::demo().await;
    let app = parkland::api::app(parkland::AppState::new(db.pool.clone(), parkland::db::Reads::primary_only(db.pool.clone()), false, Default::default()));
    let (status, body) = get(app, "/health").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["parks"], common::demo_parks());
    assert!(body["database"]["postgis"].as_str().unwrap().starts_with('3'));
}

#[tokio::test]
async fn health_is_503_when_the_database_is_gone() {
    let db = common::empty().await;
    let gone = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect_lazy_with(db.options().database("parkland_no_such_database"));
    let app = parkland::api::app(parkland::AppState::new(gone.clone(), parkland::db::Reads::primary_only(gone), false, Default::default()));
    let (status, body) = get(app, "/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["database"]["reachable"], false);
}
