//! A per-client rate limit: a token bucket for each address, and one more for each API
//! token (so an editor's script is held to its own budget wherever it runs from). Over
//! the limit: 429 with Retry-After. Off unless configured (`PARKLAND_RATE_LIMIT`): GIS
//! clients page through collections with many small requests, and a default that suits
//! one site would starve another.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Clone)]
pub struct RateLimit {
    /// Requests a second each client may make on average.
    per_second: f64,
    /// How many it may make at once after a quiet spell.
    burst: f64,
    buckets: Arc<Mutex<HashMap<String, Bucket>>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    pub fn new(per_second: f64) -> RateLimit {
        RateLimit { per_second, burst: (per_second * 2.0).max(1.0), buckets: Arc::default() }
    }

    /// Takes one request from `key`'s bucket; Err(seconds until the next one) when empty.
    fn take(&self, key: &str, now: Instant) -> Result<(), f64> {
        let mut buckets = self.buckets.lock().expect("rate-limit lock");
        if buckets.len() > 100_000 {
            // Forget clients idle long enough to have a full bucket again.
            let full_after = self.burst / self.per_second;
            buckets.retain(|_, b| now.duration_since(b.at).as_secs_f64() < full_after);
        }
        let b = buckets.entry(key.to_string()).or_insert(Bucket { tokens: self.burst, at: now });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * self.per_second).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err((1.0 - b.tokens) / self.per_second)
        }
    }
}

pub async fn limit(State(limit): State<RateLimit>, req: Request, next: Next) -> Response {
    let now = Instant::now();
    let address = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "local".into());
    // The token's id only (pl_<id>_…): the limit needs no database lookup.
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer pl_"))
        .and_then(|v| v.split('_').next())
        .map(|id| format!("token:{id}"));
    for key in std::iter::once(format!("address:{address}")).chain(token) {
        if let Err(wait) = limit.take(&key, now) {
            let secs = wait.ceil().max(1.0) as u64;
            let mut res = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({ "code": "TooManyRequests", "description": format!("too many requests from this client: at most {} a second; retry in {secs} s", limit.per_second) })),
            )
                .into_response();
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            return res;
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_its_rate() {
        let l = RateLimit::new(2.0);
        let t0 = Instant::now();
        assert!(l.take("a", t0).is_ok());
        assert!(l.take("a", t0).is_ok());
        assert!(l.take("a", t0).is_ok());
        assert!(l.take("a", t0).is_ok());
        let wait = l.take("a", t0).unwrap_err();
        assert!((wait - 0.5).abs() < 1e-9, "{wait}");
        assert!(l.take("b", t0).is_ok(), "another client has its own bucket");
        assert!(l.take("a", t0 + Duration::from_millis(500)).is_ok(), "half a second later, one more");
        assert!(l.take("a", t0 + Duration::from_millis(500)).is_err());
    }
}
