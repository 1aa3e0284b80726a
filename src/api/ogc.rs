//! The OGC API vocabulary shared by handlers and tests: conformance classes, media types,
//! link relations and link building.

use serde_json::{json, Value};

pub const GEOJSON: &str = "application/geo+json";
pub const JSON: &str = "application/json";
pub const SCHEMA_JSON: &str = "application/schema+json";
pub const HTML: &str = "text/html";
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";

/// The conformance classes parkland implements. Only classes the tests exercise are here.
pub const CONFORMANCE: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/array-functions",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/sorting",
    // Part 4 (an editor's draft, 20-002): its classes under the URIs of its 2024 draft,
    // which QGIS and the OGC's other drafts name, and under OGC API - Common Part 5's,
    // which the newest draft's own test suite (executable-tests/ats/run_ats.py) uses for
    // the classes the two share.
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-timestamps",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    "http://www.opengis.net/spec/ogcapi-common-5/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-common-5/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-common-5/1.0/conf/optimistic-locking-etags",
    "http://www.opengis.net/spec/ogcapi-common-5/1.0/conf/optimistic-locking-timestamps",
    // Schemas: Part 5's URI, the one QGIS looks for before it reads a collection's schema,
    // and OGC API - Common Part 3's (23-058r2), where the approved text has them.
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-common-3/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-common-3/1.0/conf/returnables-and-receivables",
];

/// The link relation of a collection's schema (Common Part 3, /req/returnables-and-receivables).
pub const REL_SCHEMA: &str = "http://www.opengis.net/def/rel/ogc/1.0/schema";

/// The service's own address as the client sees it (Host, and X-Forwarded-Proto behind a
/// proxy), for absolute links. Both are the client's words, written into links and HTML
/// that a caching proxy may keep for others: the scheme is http or https and nothing
/// else (never `javascript:`), the host a plain host name or address with a port.
pub fn base_url(headers: &axum::http::HeaderMap) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).filter(|h| plain_host(h)).unwrap_or("127.0.0.1:8080");
    let proto = match headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).map(|p| p.trim().to_ascii_lowercase()) {
        Some(p) if p == "https" => "https",
        _ => "http",
    };
    format!("{proto}://{host}")
}

/// A host as a Host header should hold it: a name or an IPv4 address, or an IPv6 address
/// in brackets, with an optional port.
fn plain_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        && h.parse::<axum::http::uri::Authority>().is_ok()
}

pub fn link(href: String, rel: &str, media: &str, title: &str) -> Value {
    json!({ "href": href, "rel": rel, "type": media, "title": title })
}

/// Appends query parameters to a path, percent-encoding the values.
pub fn with_query(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    format!("{path}?{}", ser.finish())
}
