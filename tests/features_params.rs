//! Items parameters: filters equal to SQL, typed JSON, Chinese text unchanged, and bad
//! input answered with a 400 that says what and where.

mod common;

use std::collections::BTreeSet;

async fn ids(app: &axum::Router, uri: &str) -> BTreeSet<String> {
    let r = common::get(app, uri).await;
    assert_eq!(r.status, 200, "{uri}: {}", String::from_utf8_lossy(&r.body));
    r.json()["features"].as_array().unwrap().iter().map(|f| f["id"].to_string().trim_matches('"').to_string()).collect()
}

async fn sql_ids(pool: &sqlx::PgPool, sql: &str) -> BTreeSet<String> {
    let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(pool).await.unwrap();
    rows.into_iter().collect()
}

#[tokio::test]
async fn property_filters_select_what_sql_selects() {
    let db = common::demo().await;
    let app = common::app(&db);
    let cases = [
        ("/collections/plots/items?limit=10000&status=idle&park_id=GQ-05", "SELECT id::text FROM plots WHERE status = 'idle' AND park_id = 'GQ-05'"),
        ("/collections/plots/items?limit=10000&land_use=100103", "SELECT id::text FROM plots WHERE land_use = '100103'"),
        ("/collections/plots/items?limit=10000&status_name_zh=批而未供", "SELECT id::text FROM plots WHERE status = 'approved_unsupplied'"),
        ("/collections/plots/items?limit=10000&far_min=0.7", "SELECT id::text FROM plots WHERE far_min = 0.7"),
        ("/collections/parks/items?leading_industries=新材料", "SELECT id FROM parks WHERE '新材料' = ANY(leading_industries)"),
        ("/collections/transport-nodes/items?kind=port", "SELECT id FROM transport_nodes WHERE kind = 'port'"),
        ("/collections/idle-land/items?limit=10000&measure=idle_fee", "SELECT id::text FROM idle_records WHERE measure = 'idle_fee'"),
        ("/collections/roads/items?limit=10000&class=expressway&oneway=false", "SELECT id::text FROM roads WHERE class = 'expressway'"),
        ("/collections/projects/items?park_id=GQ-03", "SELECT id::text FROM projects WHERE park_id = 'GQ-03'"),
    ];
    for (uri, sql) in cases {
        let expected = sql_ids(&db.pool, sql).await;
        assert!(!expected.is_empty(), "{sql} selects nothing: a useless case");
        assert_eq!(ids(&app, uri).await, expected, "{uri}");
    }
}

#[tokio::test]
async fn properties_are_typed_and_chinese_text_is_unchanged() {
    let db = common::demo().await;
    let app = common::app(&db);
    let park = common::get(&app, "/collections/parks/items/GQ-04").await.json();
    let name: String = sqlx::query_scalar("SELECT name_zh FROM parks WHERE id = 'GQ-04'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(park["properties"]["name_zh"], name.as_str());
    assert_eq!(park["properties"]["name_zh"], "广清经济特别合作区广清空港现代物流产业新城");
    assert!(park["properties"]["towns"].is_array());
    assert!(park["properties"]["utilities"].is_object());
    assert!(park["properties"]["planned_area_km2"].is_number());
    let id: i64 = sqlx::query_scalar("SELECT id FROM plots WHERE status = 'in_production' ORDER BY id LIMIT 1").fetch_one(&db.pool).await.unwrap();
    let plot = common::get(&app, &format!("/collections/plots/items/{id}")).await.json();
    let p = &plot["properties"];
    assert!(p["area_mu"].is_number() && p["tax_wan"].is_number(), "{p}");
    let supplied = p["supplied_on"].as_str().unwrap();
    assert!(chrono::NaiveDate::parse_from_str(supplied, "%Y-%m-%d").is_ok(), "{supplied}");
    assert!(p["land_use_name_zh"].as_str().unwrap().ends_with("用地"));
    assert_eq!(plot["id"], id);
    // properties= keeps only what was asked for.
    let slim = common::get(&app, "/collections/plots/items?limit=3&properties=code,area_mu").await.json();
    for f in slim["features"].as_array().unwrap() {
        let keys: Vec<&String> = f["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["code", "area_mu"]);
    }
}

#[tokio::test]
async fn bad_input_is_a_400_that_names_the_fault() {
    let db = common::demo().await;
    let app = common::app(&db);
    let cases = [
        ("/collections/plots/items?stauts=idle", 400, "stauts"),
        ("/collections/plots/items?limit=0", 400, "limit"),
        ("/collections/plots/items?limit=ten", 400, "limit"),
        ("/collections/plots/items?offset=-1", 400, "offset"),
        ("/collections/plots/items?limit=1&limit=2", 400, "more than once"),
        ("/collections/plots/items?bbox=1,2,3", 400, "4 or 6 numbers"),
        ("/collections/plots/items?bbox=113,23,abc,24", 400, "bbox"),
        ("/collections/plots/items?bbox=23.4,113.0,23.6,113.2", 400, "axis order"),
        ("/collections/plots/items?bbox=113.2,23.6,113.0,23.4", 400, "lower corner"),
        ("/collections/plots/items?crs=EPSG:2000", 400, "4547"),
        ("/collections/plots/items?bbox=1,2,3,4&bbox-crs=EPSG:9999", 400, "bbox-crs"),
        // Found by schemathesis: a bbox far outside a Gauss-Krüger zone was a 500.
        ("/collections/plots/items?bbox=-4.08e16,-4.19e16,1.79e308,2.29e16&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4546", 400, "outside what their CRS"),
        ("/collections/plots/items?built_ratio=half", 400, "built_ratio"),
        ("/collections/plots/items?supplied_on=2024-13-01", 400, "supplied_on"),
        ("/collections/parks/items?utilities=x", 400, "utilities"),
        ("/collections/plots/items?sortby=-nothing", 400, "sortby"),
        ("/collections/plots/items?properties=code,nothing", 400, "nothing"),
        ("/collections/plots/items?f=xml", 400, "xml"),
        ("/collections/nowhere/items", 404, "plots"),
        ("/collections/plots/items/99999999", 404, "99999999"),
        ("/collections/plots/items/abc", 404, "abc"),
        ("/conformance?x=1", 400, "x"),
    ];
    for (uri, status, needle) in cases {
        let r = common::get(&app, uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}");
        let body = r.json();
        let text = body["description"].as_str().unwrap_or_else(|| panic!("{uri}: no description in {body}"));
        assert!(text.contains(needle), "{uri}: '{text}' does not name '{needle}'");
        assert!(body["code"].is_string());
    }
    // A limit above the maximum is served as the maximum, not refused.
    assert_eq!(common::get(&app, "/collections/plots/items?limit=50000&properties=code").await.status, 200);
}

#[tokio::test]
async fn etags_answer_304_until_the_data_changes() {
    let db = common::demo().await;
    let app = common::app(&db);
    let uri = "/collections/plots/items?park_id=GQ-01&limit=5";
    let first = common::get(&app, uri).await;
    let tag = first.headers["etag"].to_str().unwrap().to_string();
    let again = common::request(&app, uri, &[("if-none-match", &tag)]).await;
    assert_eq!(again.status, 304);
    let item = common::get(&app, "/collections/plots/items/1").await;
    let item_tag = item.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(common::request(&app, "/collections/plots/items/1", &[("if-none-match", &item_tag)]).await.status, 304);

    sqlx::query(
        "UPDATE plots SET land_user = NULL, status = 'available', supplied_on = NULL WHERE id = 1 AND status IN ('available','reserve','approved_unsupplied')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE plots SET tax_wan = coalesce(tax_wan, 0) + 1 WHERE id = 1").execute(&db.pool).await.unwrap();
    let changed = common::request(&app, uri, &[("if-none-match", &tag)]).await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.headers["etag"].to_str().unwrap(), tag);
    assert_eq!(common::request(&app, "/collections/plots/items/1", &[("if-none-match", &item_tag)]).await.status, 200);
}

#[tokio::test]
async fn responses_are_gzipped_for_clients_that_ask() {
    let db = common::demo().await;
    let app = common::app(&db);
    let r = common::request(&app, "/collections/plots/items?limit=500", &[("accept-encoding", "gzip")]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["content-encoding"], "gzip");
    assert_eq!(&r.body[..2], &[0x1f, 0x8b]);
}

/// The collections' own dates (a plot's supply date, a finding's date, a park's founding)
/// are filtered with CQL2, since `datetime` selects versions (tests/versions.rs).
#[tokio::test]
async fn the_collections_dates_are_filtered_with_cql2() {
    let db = common::demo().await;
    let app = common::app(&db);
    let cases = [
        (
            "/collections/plots/items?limit=10000&filter=supplied_on%20BETWEEN%20DATE('2020-01-01')%20AND%20DATE('2020-12-31')",
            "SELECT id::text FROM plots WHERE supplied_on BETWEEN '2020-01-01' AND '2020-12-31'",
        ),
        ("/collections/plots/items?limit=10000&filter=supplied_on%20%3C=%20DATE('2012-06-30')", "SELECT id::text FROM plots WHERE supplied_on <= '2012-06-30'"),
        (
            "/collections/idle-land/items?limit=10000&filter=found_on%20BETWEEN%20DATE('2025-01-01')%20AND%20DATE('2025-12-31')",
            "SELECT id::text FROM idle_records WHERE found_on BETWEEN '2025-01-01' AND '2025-12-31'",
        ),
        ("/collections/parks/items?filter=established%20=%20DATE('2017-01-01')", "SELECT id FROM parks WHERE established = '2017-01-01'"),
    ];
    for (uri, sql) in cases {
        let expected = sql_ids(&db.pool, sql).await;
        assert!(!expected.is_empty(), "{sql} selects nothing");
        assert_eq!(ids(&app, uri).await, expected, "{uri}");
    }
    // `datetime` is an instant of the records; a day or an interval says where the dates went.
    for (uri, needle) in [
        ("/collections/plots/items?datetime=2020-01-01", "not an instant"),
        ("/collections/plots/items?datetime=2020-13-01T00:00:00Z", "not an instant"),
        ("/collections/plots/items?datetime=2020-01-01/2020-12-31", "filter=supplied_on"),
        ("/collections/plots/items?datetime=..", "not an instant"),
        ("/collections/plots/items?datetime=0000-01-01T00:00:00Z", "before the year 1"),
    ] {
        let r = common::get(&app, uri).await;
        assert_eq!(r.status, 400, "{uri}");
        assert!(r.json()["description"].as_str().unwrap().contains(needle), "{uri}: {}", r.json()["description"]);
    }
    // The collection tells its temporal extent (its plots' supply dates) and that it keeps versions.
    let c = common::get(&app, "/collections/plots").await.json();
    let (min, max): (chrono::NaiveDate, chrono::NaiveDate) =
        sqlx::query_as("SELECT min(supplied_on), max(supplied_on) FROM plots").fetch_one(&db.pool).await.unwrap();
    assert_eq!(c["extent"]["temporal"]["interval"][0], serde_json::json!([min.to_string(), max.to_string()]));
    assert_eq!(c["versioning"], serde_json::json!({ "timeAxis": "transaction-time", "mutationTime": "server" }));
}

#[tokio::test]
async fn a_nul_character_in_a_filter_is_a_bad_request_not_a_server_error() {
    let db = common::demo().await;
    let app = common::app(&db);
    // Found by schemathesis: a NUL byte reached PostgreSQL and came back as a 500.
    let r = common::get(&app, "/collections/roads/items?name=%C2%A3%00x&limit=18").await;
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn items_as_csv_for_a_spreadsheet_with_wkt_geometry() {
    let db = common::demo().await;
    let app = common::app(&db);
    let r = common::get(&app, "/collections/plots/items?park_id=GQ-01&limit=5&sortby=code&properties=code,status,land_user,area_mu&f=csv").await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(r.headers["content-disposition"].to_str().unwrap().contains("plots.csv"));
    let text = String::from_utf8(r.body.clone()).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark for Excel");
    // Compressed too (found by schemathesis: the stream was polled past its end).
    let gz = common::request(&app, "/collections/roads/items?f=csv", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.status, 200);
    assert_eq!(gz.headers["content-encoding"], "gzip");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "id,code,status,land_user,area_mu,wkt");
    assert_eq!(lines.len(), 6);
    // The same plots, in the same order, as the GeoJSON page; the WKT is the same shape.
    let page = common::get(&app, "/collections/plots/items?park_id=GQ-01&limit=5&sortby=code&properties=code,status,land_user,area_mu").await.json();
    for (line, f) in lines[1..].iter().zip(page["features"].as_array().unwrap()) {
        assert!(line.starts_with(&format!("{},{},", f["id"], f["properties"]["code"].as_str().unwrap())), "{line}");
        let wkt = line.split(",\"").last().unwrap().trim_end_matches('"');
        assert!(wkt.starts_with("MULTIPOLYGON"), "{wkt}");
        let same: bool = sqlx::query_scalar("SELECT ST_Equals(ST_GeomFromText($1, 4326), ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))")
            .bind(wkt)
            .bind(f["geometry"].to_string())
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(same, "{wkt}");
    }
}
