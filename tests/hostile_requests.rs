//! Small ways a request could get more than it should: headers written into links, error
//! bodies of another shape, offsets at the edge of an integer, what a private server tells
//! anyone, and the headers that keep a browser from misreading or framing an answer.

mod common;

use axum::http::StatusCode;

#[tokio::test]
async fn forwarded_scheme_and_host_are_written_into_links_only_when_plain() {
    let db = common::demo().await;
    let app = common::app(&db);
    let r = common::request(&app, "/collections?f=html", &[("x-forwarded-proto", "javascript"), ("host", "evil.example\"><script>x</script>")]).await;
    let html = String::from_utf8_lossy(&r.body).to_string();
    assert!(!html.contains("javascript:") && !html.contains("<script>x"), "{html}");
    let r = common::request(&app, "/collections", &[("x-forwarded-proto", "https"), ("host", "parks.example.cn:8443")]).await;
    assert!(r.json()["links"][0]["href"].as_str().unwrap().starts_with("https://parks.example.cn:8443/"));
    let r = common::request(&app, "/collections", &[("x-forwarded-proto", "javascript:alert(1)//")]).await;
    assert!(r.json()["links"][0]["href"].as_str().unwrap().starts_with("http://"));
}

#[tokio::test]
async fn errors_outside_handlers_have_the_json_shape() {
    let db = common::empty().await;
    let app = common::app(&db);
    for (method, uri, status) in [
        ("GET", "/no/such/thing", StatusCode::NOT_FOUND),
        ("DELETE", "/conformance", StatusCode::METHOD_NOT_ALLOWED),
        ("GET", "/collections/%FF%FE/items/1", StatusCode::BAD_REQUEST),
        ("GET", "/tiles/plots/%C3%28/1/1.mvt", StatusCode::BAD_REQUEST),
    ] {
        let r = common::send(&app, method, uri, &[], "").await;
        assert_eq!(r.status, status, "{method} {uri}: {}", String::from_utf8_lossy(&r.body));
        assert!(r.headers["content-type"].to_str().unwrap().starts_with("application/json"), "{method} {uri}");
        let body = r.json();
        assert!(body["code"].is_string() && !body["description"].as_str().unwrap().is_empty(), "{method} {uri}: {body}");
    }
    let r = common::send(&app, "DELETE", "/conformance", &[], "").await;
    assert!(r.json()["description"].as_str().unwrap().contains("GET"), "405 says what is allowed");
    // To a client that takes gzip: the JSON error, gzipped whole (it was once the gzip of
    // the plain-text rejection, read as text into the JSON and labelled gzip again).
    let r = common::request(&app, "/collections/%FF%FE/items/1", &[("accept-encoding", "gzip")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let body = if r.headers.get("content-encoding").is_some_and(|v| v == "gzip") {
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&r.body[..]), &mut plain).expect("valid gzip");
        plain
    } else {
        r.body.clone()
    };
    let error: serde_json::Value = serde_json::from_slice(&body).expect("JSON once decoded");
    assert!(error["description"].as_str().is_some_and(|d| !d.is_empty()), "{error}");
}

#[tokio::test]
async fn an_offset_at_the_edge_of_an_integer_is_an_empty_page() {
    let db = common::demo().await;
    let app = common::app(&db);
    let r = common::get(&app, &format!("/collections/plots/items?limit=10000&offset={}", i64::MAX)).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let page = r.json();
    assert_eq!(page["numberReturned"], 0);
    assert!(page["links"].as_array().unwrap().iter().all(|l| l["rel"] != "next"));
}

#[tokio::test]
async fn answers_carry_nosniff_and_refuse_framing() {
    let db = common::demo().await;
    let app = common::app(&db);
    for uri in ["/collections", "/collections?f=html", "/tiles/plots/12/3322/1778.mvt", "/no/such/thing"] {
        let r = common::get(&app, uri).await;
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{uri}");
        assert!(r.headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"), "{uri}");
    }
    let r = common::get(&app, "/collections?f=html").await;
    let csp = r.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"), "the API's pages run no script: {csp}");
}

#[tokio::test]
async fn a_private_server_starts_from_the_usual_spellings_and_tells_anonymous_clients_nothing() {
    let db = common::demo().await;
    for spelling in ["1", "true", "yes", "on"] {
        let (mut server, port) = common::serve_binary(
            &db.url(),
            &[("PARKLAND_PRIVATE", spelling), ("PARKLAND_BASEMAP", "https://t0.tianditu.gov.cn/vec_w/wmts?tk=SECRETKEY&x={x}&y={y}&l={z}")],
        );
        let (status, _, body) = common::http(port, "GET", "/health", &[], "");
        assert_eq!(status, 200, "PARKLAND_PRIVATE={spelling}");
        let health: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(health, serde_json::json!({ "status": "ok" }), "no versions, no counts");
        assert_eq!(common::http(port, "GET", "/collections", &[], "").0, 401, "reads need a token");
        let (status, _, body) = common::http(port, "GET", "/map/config.json", &[], "");
        assert_eq!(status, 401);
        assert!(!String::from_utf8_lossy(&body).contains("SECRETKEY"));
        assert_eq!(common::http(port, "GET", "/map/", &[], "").0, 200, "the page itself is open, and asks for a token");
        let _ = server.kill();
        let _ = server.wait();
    }
    let (mut server, port) = common::serve_binary(&db.url(), &[("PARKLAND_PRIVATE", "0")]);
    assert_eq!(common::http(port, "GET", "/collections", &[], "").0, 200, "0 means public");
    let _ = server.kill();
    let _ = server.wait();
}

/// Text anyone with an editor's token could type (a land user, a park's name) is written
/// into CSV as text: a spreadsheet opening the export or the ledger runs no formula.
#[tokio::test]
async fn csv_exports_write_formulas_as_text() {
    let db = common::demo().await;
    let app = common::app(&db);
    sqlx::query(
        "UPDATE plots SET land_user = '=HYPERLINK(\"http://evil.example\",\"点击\")'
         WHERE id = (SELECT min(id) FROM plots WHERE park_id = 'GQ-01' AND land_user IS NOT NULL)",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE parks SET name_zh = '@SUM(1+1)' WHERE id = 'GQ-02'").execute(&db.pool).await.unwrap();
    let items = common::get(&app, "/collections/plots/items?park_id=GQ-01&limit=10000&properties=code,land_user&f=csv").await;
    let ledger = common::get(&app, "/ledger?f=csv").await;
    for (what, r, planted) in [("items", items, "'=HYPERLINK("), ("ledger", ledger, "'@SUM(1+1)")] {
        assert_eq!(r.status, 200, "{what}");
        let text = String::from_utf8(r.body.clone()).unwrap();
        assert!(text.contains(planted), "{what}: {text}");
        // No cell, quoted or not, begins with a formula's first character.
        for cell in text.trim_start_matches('\u{feff}').split("\r\n").flat_map(|l| l.split(',')) {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "{what}: a live formula: {cell}");
        }
    }
}
