//! One error type for every handler: a status and an OGC-style body
//! `{"code": "...", "description": "..."}`. Database errors are logged in full and
//! answered without their text, so no SQL or schema detail leaks to clients.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("the database is unavailable; try again shortly")]
    Unavailable(#[source] sqlx::Error),
    #[error("internal error")]
    Database(#[source] sqlx::Error),
    #[error("internal error")]
    Internal(String),
}

impl From<crate::store::features::QueryError> for ApiError {
    fn from(e: crate::store::features::QueryError) -> Self {
        match e {
            crate::store::features::QueryError::Filter(f) => ApiError::BadRequest(f.0),
            crate::store::features::QueryError::Database(d) => d.into(),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    /// A database that cannot be reached is a 503 the client may retry; anything else
    /// from the database is our fault, a 500.
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => ApiError::Unavailable(e),
            other => ApiError::Database(other),
        }
    }
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "InvalidParameterValue"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "NotFound"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable"),
            ApiError::Database(_) | ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "ServerError"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut res = (status, Json(json!({ "code": code, "description": self.to_string() }))).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert("retry-after", axum::http::HeaderValue::from_static("1"));
        }
        res
    }
}
