//! A per-client rate limit: a token bucket for each client address, and one for each
//! API token (so an editor's script is held to its own budget wherever it runs from).
//! Over the limit: 429 with Retry-After. Off unless configured (`PARKLAND_RATE_LIMIT`):
//! GIS clients page through collections with many small requests, and a default that
//! suits one site would starve another.
//!
//! A request is charged to its token only once the token is verified (`auth::identify`,
//! remembered for a minute either way): charged to the id it merely claims, anyone could
//! spend a named editor's budget. A request with no token, or a bad one, is charged to its
//! address: the peer's, or, when the peer is a proxy the operator trusts
//! (`PARKLAND_TRUSTED_PROXIES`), the client its `X-Forwarded-For` names.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
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
    proxies: TrustedProxies,
    /// Where tokens are verified.
    pool: Option<sqlx::PgPool>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    /// A limit with no proxies trusted and tokens not looked at (every request charged to
    /// its address).
    pub fn new(per_second: f64) -> RateLimit {
        RateLimit { per_second, burst: (per_second * 2.0).max(1.0), buckets: Arc::default(), proxies: TrustedProxies::default(), pool: None }
    }

    /// As `new`, verifying tokens in `pool` and reading addresses through `proxies`.
    pub fn with_tokens(per_second: f64, pool: sqlx::PgPool, proxies: TrustedProxies) -> RateLimit {
        RateLimit { pool: Some(pool), proxies, ..RateLimit::new(per_second) }
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

/// Proxies whose `X-Forwarded-For` is believed: addresses or CIDR blocks.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// From `10.0.0.5,127.0.0.1,192.168.0.0/16`-style text.
    pub fn parse(list: &[String]) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for item in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let (ip, bits) = match item.split_once('/') {
                Some((ip, bits)) => (ip, Some(bits)),
                None => (item, None),
            };
            let ip: IpAddr = ip.parse().map_err(|_| format!("trusted proxy '{item}' is not an IP address or CIDR block"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                None => max,
                Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(|| format!("trusted proxy '{item}': the prefix length must be 0..={max}"))?,
            };
            nets.push((ip, bits));
        }
        Ok(TrustedProxies(nets))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|(net, bits)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix(&n.octets(), &a.octets(), *bits),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix(&n.octets(), &a.octets(), *bits),
            _ => false,
        })
    }

    /// The client: the peer, or, behind trusted proxies, the last address in
    /// X-Forwarded-For that is not one of them (the ones before it the client may forge).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim).collect::<Vec<_>>();
        for hop in forwarded.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) if self.trusts(ip) => continue,
                Ok(ip) => return ip,
                Err(_) => return peer,
            }
        }
        peer
    }
}

fn prefix(net: &[u8], addr: &[u8], bits: u8) -> bool {
    let (whole, rest) = ((bits / 8) as usize, bits % 8);
    net[..whole] == addr[..whole] && (rest == 0 || (net[whole] ^ addr[whole]) >> (8 - rest) == 0)
}

pub async fn limit(State(limit): State<RateLimit>, req: Request, next: Next) -> Response {
    let now = Instant::now();
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let token = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    let verified = match (token, &limit.pool) {
        (Some(t), Some(pool)) => crate::auth::identify(pool, t).await.ok().map(|_| t.split('_').nth(1).unwrap_or_default().to_string()),
        _ => None,
    };
    let key = match verified {
        Some(id) => format!("token:{id}"),
        None => format!("address:{}", limit.proxies.client(peer, req.headers())),
    };
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

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxies = TrustedProxies::parse(&["127.0.0.1".into(), "10.1.0.0/16".into()]).unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.9, 10.1.2.3"));
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(proxies.client(loopback, &h), "203.0.113.9".parse::<IpAddr>().unwrap(), "the last hop not a proxy");
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(proxies.client(stranger, &h), stranger, "an untrusted peer's header is ignored");
        assert_eq!(TrustedProxies::default().client(loopback, &h), loopback);
        assert!(TrustedProxies::parse(&["10.0.0.0/40".into()]).is_err());
        assert!(TrustedProxies::parse(&["proxy".into()]).is_err());
    }
}
