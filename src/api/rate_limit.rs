//! A per-client rate limit: a token bucket for each client address, and one for each
//! API token (so an editor's script is held to its own budget wherever it runs from).
//! Over the limit: 429 with Retry-After. Off unless configured (`PARKLAND_RATE_LIMIT`):
//! GIS clients page through collections with many small requests, and a default that
//! suits one site would starve another.
//!
//! A request is charged to its token only when this process has verified that token
//! lately (`auth::recently_passed`): charged to the id it merely claims, anyone could
//! spend a named editor's budget. Any other request is charged to its address, *before*
//! its token is checked, so a flood of new bad tokens is held to its address's budget
//! rather than queueing argon2 verifications. The address is the peer's, or, when the
//! peer is a proxy the operator trusts (`PARKLAND_TRUSTED_PROXIES`), the client its
//! `X-Forwarded-For` names; an IPv6 client is its /64, which one subscriber holds whole.

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
}

/// Clients remembered at most; past it the idle are forgotten, and if that is not enough
/// (a flood of addresses), all: each then starts again with a full bucket.
const CLIENTS_AT_MOST: usize = 100_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    /// A limit with no proxies trusted.
    pub fn new(per_second: f64) -> RateLimit {
        RateLimit { per_second, burst: (per_second * 2.0).max(1.0), buckets: Arc::default(), proxies: TrustedProxies::default() }
    }

    /// As `new`, reading clients' addresses through `proxies`.
    pub fn behind(self, proxies: TrustedProxies) -> RateLimit {
        RateLimit { proxies, ..self }
    }

    /// Takes one request from `key`'s bucket; Err(seconds until the next one) when empty.
    fn take(&self, key: &str, now: Instant) -> Result<(), f64> {
        let mut buckets = self.buckets.lock().expect("rate-limit lock");
        if buckets.len() > CLIENTS_AT_MOST {
            // Forget clients idle long enough to have a full bucket again.
            let full_after = self.burst / self.per_second;
            buckets.retain(|_, b| now.duration_since(b.at).as_secs_f64() < full_after);
            if buckets.len() > CLIENTS_AT_MOST {
                tracing::warn!(clients = buckets.len(), "more clients at once than the rate limit remembers; starting over");
                buckets.clear();
            }
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
        // An IPv4 peer of a server bound to `[::]` arrives as ::ffff:a.b.c.d.
        let ip = ip.to_canonical();
        self.0.iter().any(|(net, bits)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix(&n.octets(), &a.octets(), *bits),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix(&n.octets(), &a.octets(), *bits),
            _ => false,
        })
    }

    /// The client: the peer, or, behind trusted proxies, the last address in
    /// X-Forwarded-For that is not one of them (the ones before it the client may forge).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
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

/// The bucket of an address: an IPv4 address, or an IPv6 address's /64 (a subscriber's
/// whole network: one client may take any address in it).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        v4 => v4,
    }
}

fn prefix(net: &[u8], addr: &[u8], bits: u8) -> bool {
    let (whole, rest) = ((bits / 8) as usize, bits % 8);
    net[..whole] == addr[..whole] && (rest == 0 || (net[whole] ^ addr[whole]) >> (8 - rest) == 0)
}

pub async fn limit(State(limit): State<RateLimit>, req: Request, next: Next) -> Response {
    let now = Instant::now();
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let token = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(crate::auth::token_of);
    let key = match token.filter(|t| crate::auth::recently_passed(t)) {
        Some(t) => format!("token:{}", t.split('_').nth(1).unwrap_or_default()),
        None => format!("address:{}", client_key(limit.proxies.client(peer, req.headers()))),
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
    fn an_ipv6_client_is_its_64_and_a_mapped_ipv4_peer_is_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let proxies = TrustedProxies::parse(&["127.0.0.1".into()]).unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        assert_eq!(proxies.client(mapped, &h), "203.0.113.9".parse::<IpAddr>().unwrap());
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
