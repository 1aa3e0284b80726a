//! The HTTP side. `app` builds the whole router; `main` and every test use it.

pub mod analysis;
pub mod answers;
pub mod changes;
pub mod conditional;
pub mod edit;
pub mod errors;
pub mod export;
pub mod features;
pub mod health;
pub mod html;
pub mod ledger;
pub mod map;
pub mod ogc;
pub mod openapi;
pub mod params;
pub mod rate_limit;
pub mod routes;
pub mod schema;
pub mod serve;
pub mod tiles;
pub mod versions;
pub mod vocabularies;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;

pub use errors::ApiError;

/// Every route parkland serves, with the paths recorded (see routes.rs).
pub fn routes() -> routes::Routes {
    routes::Routes::new()
        .merge(health::routes())
        .merge(features::routes())
        .merge(schema::routes())
        .merge(versions::routes())
        .merge(changes::routes())
        .merge(openapi::routes())
        .merge(tiles::routes())
        .merge(analysis::routes())
        .merge(ledger::routes())
        .merge(vocabularies::routes())
        .merge(edit::routes())
}

/// Largest request body: a plot outline at the vertex limit is under 1 MB.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Longest a request may take to start its answer (a streamed page then streams on).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole stack that serves: every route, and around them tracing, security headers,
/// compression, JSON errors, the time limit, body limits, admission and, where the state
/// asks for them, private reads and the rate limit. Tests and `parkland serve` use it alike.
pub fn app(state: AppState) -> Router {
    let admission = state.admission.clone();
    let counters = state.counters.clone();
    let (private, rate_limit, pool) = (state.private, state.rate_limit.clone(), state.pool.clone());
    let routed = routes().router.merge(map::router(&state.map.web)).with_state(state);
    // Wrapped around the router once, outermost first, rather than with `Router::layer`,
    // which wraps every route in each layer, boxed: a request then cloned and moved the
    // whole nest, and a kept tile spent more on that than on itself.
    let served = tower::ServiceBuilder::new()
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn(security_headers))
        // Compression outside: the errors rewritten are read as sent, not gzipped.
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(json_errors))
        .layer(axum::middleware::from_fn_with_state(REQUEST_TIMEOUT, time_limit))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(refuse_large_bodies))
        .layer(axum::middleware::from_fn_with_state(admission, admit))
        .layer(axum::middleware::from_fn_with_state(counters, forget_counters_after_writes))
        .service(routed);
    let mut app = Router::new().fallback_service(served);
    if private {
        app = app.layer(axum::middleware::from_fn_with_state(pool, private_reads));
    }
    if let Some(limit) = rate_limit {
        app = app.layer(axum::middleware::from_fn_with_state(limit, rate_limit::limit));
    }
    app
}

/// How many requests work on the database at once: half the pool, since a site search
/// measures with two connections at once and a streamed page holds one until its end.
pub fn admitted(pool: &sqlx::PgPool) -> usize {
    (pool.options().get_max_connections() as usize / 2).max(1)
}

/// Requests beyond what the pool can serve wait here, in turn, rather than at the pool,
/// whose one-second wait is for telling a database that is down (503 at once) from one
/// that is busy: 64 clients reading 10,000-feature pages got 503s before this. The wait
/// counts toward the request's time limit. A permit is held until the answer's last byte,
/// as a streamed page holds its connection that long. The health check and the map's own
/// files do not wait; nor do tiles, which take a turn only to draw one (a kept tile needs
/// no database), so the map goes on drawing while searches hold every turn.
///
/// A request's body is read whole before it takes a turn: a client sending its body a
/// byte at a time would otherwise hold a turn while it does (the connection's watchdog cuts
/// off a body that stops; `refuse_large_bodies` has seen its announced length).
async fn admit(State(admission): State<Arc<Semaphore>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path == "/health" || path == "/map" || path.starts_with("/map/") || path.starts_with("/tiles/") {
        return next.run(req).await;
    }
    let req = if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS | Method::DELETE) {
        req
    } else {
        let (parts, body) = req.into_parts();
        match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
            Ok(bytes) => Request::from_parts(parts, axum::body::Body::from(bytes)),
            Err(e) => return body_error(&e),
        }
    };
    let Ok(permit) = admission.acquire_owned().await else { return next.run(req).await };
    next.run(req).await.map(|body| axum::body::Body::new(Admitted { body, _permit: permit }))
}

/// A body that could not be read: over the limit (413), or the client stopped sending.
fn body_error(e: &axum::Error) -> Response {
    let over = std::error::Error::source(e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
    if over {
        ApiError::PayloadTooLarge(format!("the body is over the limit: at most {MAX_BODY_BYTES} bytes")).into_response()
    } else {
        ApiError::BadRequest(format!("the request's body could not be read: {e}")).into_response()
    }
}

/// A response body holding its request's admission until its last frame. Its length,
/// when known, is passed on, so that a tile or a feature is sent with Content-Length, not
/// chunked.
struct Admitted {
    body: axum::body::Body,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl http_body::Body for Admitted {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A write through this process is seen by the next request at once, without waiting for
/// its notice: the counters kept are forgotten once the write has answered (and so
/// committed or rolled back), before the client hears of it.
async fn forget_counters_after_writes(State(counters): State<crate::store::counters::Counters>, req: Request, next: Next) -> Response {
    let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let res = next.run(req).await;
    if write {
        counters.forget();
    }
    res
}

/// A request that has not begun its answer within `limit` (a query behind a lock, say)
/// gets a 503 that says so, with Retry-After; its work is dropped, and with it the
/// database query it waited on.
pub async fn time_limit(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let (method, uri) = (req.method().clone(), req.uri().clone());
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            let what = format!("{method} {}", uri.path());
            tracing::warn!(request = %what, seconds = limit.as_secs_f64(), "request timed out");
            ApiError::TimedOut(format!("{what} took longer than {} s and was stopped; try again shortly", limit.as_secs_f64())).into_response()
        }
    }
}

/// With private reads configured, every request but the health check and the map page's
/// own files needs a token (viewer or better); writes check their own role as always. The
/// map's config.json is not one of its files: it holds the basemap's URL and its key.
async fn private_reads(State(pool): State<sqlx::PgPool>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    // A CORS preflight never carries credentials (Fetch standard): refused here, it would
    // fail every cross-origin request that would have carried a token.
    let preflight = req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let open = preflight || path == "/health" || path == "/map" || (path.starts_with("/map/") && path != "/map/config.json");
    if !open {
        let authorization = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        if let Err(e) = crate::auth::require(&pool, authorization, crate::auth::Role::Viewer).await {
            return ApiError::from(e).into_response();
        }
    }
    next.run(req).await
}

/// A body announced larger than the limit gets a 413 before it is read; one that is not
/// announced is cut at the limit by DefaultBodyLimit, whose plain-text 413 is given the
/// same JSON error here.
async fn refuse_large_bodies(req: Request, next: Next) -> Response {
    let announced = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    let too_large = || ApiError::PayloadTooLarge(format!("the body is over the limit: at most {MAX_BODY_BYTES} bytes")).into_response();
    if announced.is_some_and(|n| n > MAX_BODY_BYTES) {
        return too_large();
    }
    let res = next.run(req).await;
    let json = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE && !json {
        return too_large();
    }
    res
}

/// Every answer says its type is to be believed (no sniffing a JSON body into HTML) and
/// that no other site may frame it; HTML pages say where their parts may come from.
async fn security_headers(req: Request, next: Next) -> Response {
    let map = req.uri().path().starts_with("/map");
    let mut res = next.run(req).await;
    let html = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let policy = match (html, map) {
        // The map: its own scripts and styles; MapLibre's worker; images and tiles from a
        // configured basemap, which may be any address. Its scripts get the page's policy
        // too: a worker loaded from a file runs under that file's policy, and MapLibre's
        // module worker fetches the tiles.
        (_, true) => {
            "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data: blob: http: https:; connect-src 'self' http: https:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
        }
        // The API's pages: an inline style sheet, links, no scripts at all.
        (true, false) => "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        _ => "default-src 'none'; frame-ancestors 'none'",
    };
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(policy));
    res
}

/// Errors that do not come from a handler (no route: 404 with no body; a method the route
/// does not take: 405; an extractor's rejection, such as a path that is not UTF-8: plain
/// text) get the same JSON body as every other error.
async fn json_errors(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let res = next.run(req).await;
    let status = res.status();
    let typed = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        let v = v.as_bytes();
        v.starts_with(b"application/json") || v.starts_with(b"text/html") || v.starts_with(b"application/problem+json")
    });
    if !(status.is_client_error() || status.is_server_error()) || typed || status == StatusCode::NOT_MODIFIED {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // A rejection's text is a line; more than this is not one.
    let text = axum::body::to_bytes(body, 16 * 1024).await.map(|b| String::from_utf8_lossy(&b).trim().to_string()).unwrap_or_default();
    let description = match status {
        StatusCode::NOT_FOUND if text.is_empty() => format!("nothing at {path}: the service's paths are listed at /api"),
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = parts.headers.get(header::ALLOW).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            format!("{method} is not allowed on {path}; allowed: {allowed}")
        }
        _ if text.is_empty() => status.canonical_reason().unwrap_or("error").to_string(),
        _ => text,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut out = errors::response(status, description);
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}
