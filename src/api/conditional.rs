//! Conditional requests (RFC 9110 §13) and content coding, the HTTP side of a kept
//! answer: the client's If-None-Match judged against the version an answer would have,
//! the 304 that answers it, and whether the client takes gzip. The store works out a
//! version (an ETag from the change counters) and only asks whether the client holds it.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The client's If-None-Match, as sent.
pub fn if_none_match(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::IF_NONE_MATCH).and_then(|h| h.to_str().ok())
}

/// Whether an If-None-Match list names `etag` (or is `*`): the client holds it already.
pub fn holds(if_none_match: Option<&str>, etag: &str) -> bool {
    if_none_match.is_some_and(|inm| inm.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// 304, with the ETag the client holds.
pub fn not_modified(etag: &str) -> Response {
    let mut res = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(v) = HeaderValue::from_str(etag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// Whether Accept-Encoding allows gzip: named (or `*`) without `q=0`.
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|item| {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim();
        let refused = parts.any(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q == 0.0));
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_and_stars() {
        assert!(holds(Some(r#"W/"a", W/"b""#), r#"W/"b""#));
        assert!(holds(Some("*"), r#"W/"c""#));
        assert!(!holds(Some(r#"W/"a""#), r#"W/"b""#));
        assert!(!holds(None, r#"W/"b""#));
    }

    #[test]
    fn gzip_unless_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("br, gzip;q=0.8"));
        assert!(accepts_gzip(&h));
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip;q=0, *;q=0"));
        assert!(!accepts_gzip(&h));
    }
}
