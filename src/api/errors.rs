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
    /// It existed, and had been deleted by the instant asked for (a versioned feature).
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("the database is unavailable; try again shortly")]
    Unavailable(#[source] sqlx::Error),
    /// The request ran out of time (`api::time_limit`).
    #[error("{0}")]
    TimedOut(String),
    #[error("internal error")]
    Database(#[source] sqlx::Error),
    /// A database error with what was being done, for the log.
    #[error("internal error")]
    Failed(#[source] crate::failed::Failed),
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

impl From<crate::auth::AuthError> for ApiError {
    fn from(e: crate::auth::AuthError) -> Self {
        match e {
            crate::auth::AuthError::Database(d) => d.into(),
            crate::auth::AuthError::Forbidden { .. } => ApiError::Forbidden(e.to_string()),
            crate::auth::AuthError::Busy => ApiError::TimedOut(e.to_string()),
            other => ApiError::Unauthorized(other.to_string()),
        }
    }
}

impl From<crate::edit::EditError> for ApiError {
    fn from(e: crate::edit::EditError) -> Self {
        use crate::edit::EditError as E;
        match e {
            E::Database(d) => d.into(),
            E::Malformed(m) => ApiError::BadRequest(m),
            E::Missing(m) => ApiError::NotFound(format!("no {m}")),
            E::Clash(m) => ApiError::Conflict(m),
            E::Refused(m) => ApiError::Unprocessable(m),
            stale @ E::Stale { .. } => ApiError::PreconditionFailed(stale.to_string()),
        }
    }
}

impl From<crate::failed::Failed> for ApiError {
    /// As the database error itself, the context kept where it is logged (a 500).
    fn from(f: crate::failed::Failed) -> Self {
        match ApiError::from(f.source) {
            ApiError::Database(source) => ApiError::Failed(crate::failed::Failed { doing: f.doing, source }),
            other => other,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    /// A database that cannot be reached is a 503 the client may retry; anything else
    /// from the database is our fault, a 500.
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => ApiError::Unavailable(e),
            // Text PostgreSQL cannot hold (a NUL character): the client's input, not our fault.
            sqlx::Error::Database(ref d) if matches!(d.code().as_deref(), Some("22021" | "22P05")) => {
                ApiError::BadRequest("a value holds a character that cannot be stored or searched (a NUL byte?)".into())
            }
            // Arithmetic in a filter that cannot be done for some row (x / 0 where a
            // property is 0; a product past 1e308): the filter's fault, and no other
            // query of parkland's divides or multiplies values the client gave.
            sqlx::Error::Database(ref d) if matches!(d.code().as_deref(), Some("22012" | "22003")) => {
                ApiError::BadRequest(format!("the filter cannot be evaluated: {}", d.message()))
            }
            // Coordinates a CRS cannot hold (a bbox in a projected CRS far outside the area
            // it is made for): the client's input. PostGIS reports it as an internal error.
            sqlx::Error::Database(ref d) if d.code().as_deref() == Some("XX000") && d.message().starts_with("transform:") => ApiError::BadRequest(format!(
                "the coordinates lie outside what their CRS can transform ({}); check the bbox or geometry and its CRS",
                d.message()
            )),
            // The server shutting down (57P…) or a connection lost (08…): try again shortly.
            sqlx::Error::Database(ref d) if d.code().is_some_and(|c| c.starts_with("57P") || c.starts_with("08")) => ApiError::Unavailable(e),
            other => ApiError::Database(other),
        }
    }
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "InvalidParameterValue"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "NotFound"),
            ApiError::Gone(_) => (StatusCode::GONE, "Gone"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "Unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "Forbidden"),
            ApiError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "Conflict"),
            ApiError::PreconditionFailed(_) => (StatusCode::PRECONDITION_FAILED, "PreconditionFailed"),
            ApiError::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "InvalidValue"),
            ApiError::PreconditionRequired(_) => (StatusCode::PRECONDITION_REQUIRED, "PreconditionRequired"),
            ApiError::UnsupportedMediaType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType"),
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLarge"),
            ApiError::Unavailable(_) | ApiError::TimedOut(_) => (StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable"),
            ApiError::Database(_) | ApiError::Failed(_) | ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "ServerError"),
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
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer realm=\"parkland\""));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert("retry-after", axum::http::HeaderValue::from_static("1"));
        }
        res
    }
}

/// The JSON error body for `status` with `description`, for errors that are not an
/// `ApiError` (the router's own 404 and 405, extractors' rejections).
pub fn response(status: StatusCode, description: String) -> Response {
    let code = match status {
        StatusCode::BAD_REQUEST => "InvalidParameterValue",
        StatusCode::NOT_FOUND => "NotFound",
        StatusCode::METHOD_NOT_ALLOWED => "MethodNotAllowed",
        StatusCode::PAYLOAD_TOO_LARGE => "PayloadTooLarge",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "UnsupportedMediaType",
        StatusCode::UNPROCESSABLE_ENTITY => "InvalidValue",
        s if s.is_server_error() => "ServerError",
        _ => "InvalidRequest",
    };
    (status, Json(json!({ "code": code, "description": description }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::ApiError;
    use crate::failed::Doing;

    #[test]
    fn a_database_failure_keeps_its_context_and_its_status() {
        let busy: Result<(), sqlx::Error> = Err(sqlx::Error::PoolTimedOut);
        assert!(matches!(ApiError::from(busy.doing("reading the land graph").unwrap_err()), ApiError::Unavailable(_)));
        let broken: Result<(), sqlx::Error> = Err(sqlx::Error::RowNotFound);
        let e = ApiError::from(broken.doing("summing the park ledgers").unwrap_err());
        assert_eq!(e.to_string(), "internal error", "nothing of the database reaches the client");
        assert!(format!("{e:?}").contains("summing the park ledgers"), "the log says what failed: {e:?}");
    }
}
