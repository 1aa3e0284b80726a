//! The write contract GIS clients expect (#20): QGIS's request pattern replayed as its
//! OAPIF provider sends it (OPTIONS pair; POST of every field with a bare Content-Crs;
//! PATCH of the geometry alone, then of properties alone; DELETE; no If-Match), ETags
//! that hold across CRSs, blind-write tokens, If-Unmodified-Since, Basic authentication,
//! OPTIONS and Allow, and the Part 5 schema every plot validates against.

mod common;

use base64::Engine;
use parkland::auth::{self, Role};
use serde_json::{json, Value};

const EPSG_4547: &str = "http://www.opengis.net/def/crs/EPSG/0/4547";

/// A free square of `side` metres inside a demo park, over no plot: (park, x, y) of its
/// south-west corner in EPSG:4547 metres.
async fn free_land(db: &common::TestDb, side: f64) -> (String, f64, f64) {
    sqlx::query_as(
        "SELECT k.id, x, y FROM parks k,
                LATERAL (SELECT ST_Transform(k.boundary, 4547) AS b) t,
                generate_series(1, 59) i, generate_series(1, 59) j,
                LATERAL (SELECT ST_XMin(t.b) + (ST_XMax(t.b) - ST_XMin(t.b)) * i / 60.0 AS x,
                                ST_YMin(t.b) + (ST_YMax(t.b) - ST_YMin(t.b)) * j / 60.0 AS y) p
         WHERE k.boundary IS NOT NULL
           AND ST_Within(ST_MakeEnvelope(x, y, x + $1, y + $1, 4547), t.b)
           AND NOT EXISTS (SELECT 1 FROM plots q WHERE q.park_id = k.id
                           AND ST_Intersects(q.geom, ST_Transform(ST_Expand(ST_MakeEnvelope(x, y, x + $1, y + $1, 4547), 5), 4326)))
         ORDER BY k.id, i, j LIMIT 1",
    )
    .bind(side)
    .fetch_one(&db.pool)
    .await
    .expect("a demo park with free land")
}

/// A square ring in EPSG:4547 as GeoJSON coordinates in that CRS's axis order (northing,
/// easting), as QGIS writes them; and the same ring as WKT in (easting, northing).
fn square_4547(x: f64, y: f64, side: f64) -> (Value, String) {
    let corners = [(x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)];
    let coords: Vec<Value> = corners.iter().map(|(e, n)| json!([n, e])).collect();
    let wkt = corners.iter().map(|(e, n)| format!("{e} {n}")).collect::<Vec<_>>().join(", ");
    (json!({ "type": "Polygon", "coordinates": [coords] }), format!("POLYGON(({wkt}))"))
}

/// How far the stored outline of plot `id` lies from `wkt` (EPSG:4547), in metres.
async fn distance_from(db: &common::TestDb, id: i64, wkt: &str) -> f64 {
    sqlx::query_scalar("SELECT ST_HausdorffDistance(ST_Transform(geom, 4547), ST_GeomFromText($2, 4547)) FROM plots WHERE id = $1")
        .bind(id)
        .bind(wkt)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

fn text(r: &common::Reply) -> String {
    String::from_utf8_lossy(&r.body).to_string()
}

fn header<'a>(r: &'a common::Reply, name: &str) -> &'a str {
    r.headers.get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

fn basic(token: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("qgis:{token}")))
}

/// QGIS's requests, in its order, with `authorization` as its auth config sends it; returns
/// the id of the plot it created (and deleted).
async fn replay_qgis(db: &common::TestDb, app: &axum::Router, authorization: &str, code: &str) -> i64 {
    let auth = [("authorization", authorization)];
    // QGIS reads the schema only where Part 5's class is declared.
    let conformance = common::get(app, "/conformance").await.json();
    assert!(conformance["conformsTo"].as_array().unwrap().contains(&json!("http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas")));
    let collection = common::get(app, "/collections/plots").await.json();
    let schema_link =
        collection["links"].as_array().unwrap().iter().find(|l| l["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/schema").expect("a schema link");
    assert_eq!(schema_link["type"], "application/schema+json");
    let schema = common::request(app, &common::path_of(schema_link["href"].as_str().unwrap()), &[("accept", "application/schema+json")]).await;
    assert_eq!(schema.status, 200);
    assert_eq!(header(&schema, "content-type"), "application/schema+json");
    let fields: Vec<String> = schema.json()["properties"].as_object().unwrap().keys().filter(|k| *k != "id" && *k != "geometry").cloned().collect();

    // The OPTIONS pair: the items, then the first feature read.
    let items = common::send(app, "OPTIONS", "/collections/plots/items", &auth, "").await;
    assert_eq!(items.status, 200, "{}", text(&items));
    assert!(header(&items, "allow").split(',').any(|m| m.trim() == "POST"), "{:?}", items.headers);
    let first = common::request(app, "/collections/plots/items?limit=1", &auth).await.json()["features"][0]["id"].as_i64().unwrap();
    let item = common::send(app, "OPTIONS", &format!("/collections/plots/items/{first}"), &auth, "").await;
    let allow: Vec<&str> = header(&item, "allow").split(',').map(str::trim).collect();
    for m in ["PUT", "PATCH", "DELETE"] {
        assert!(allow.contains(&m), "{allow:?}");
    }

    // POST: every field of the layer, read-only ones with values too (a feature copied in
    // QGIS carries them), the geometry in EPSG:4547 north first, Content-Crs bare.
    let (park, x, y) = free_land(db, 40.0).await;
    let (geometry, wkt) = square_4547(x, y, 40.0);
    let mut props = serde_json::Map::new();
    for f in &fields {
        props.insert(f.clone(), Value::Null);
    }
    let given = json!({ "park_id": park, "code": code, "land_use": "100102", "status": "available", "land_price_wan": 880.5,
        "area_mu": 1.0, "area_m2": 2.0, "status_name_zh": "乱填", "land_use_name_zh": "乱填" });
    for (k, v) in given.as_object().unwrap() {
        props.insert(k.clone(), v.clone());
    }
    let body = json!({ "geometry": geometry, "properties": props, "type": "Feature" }).to_string();
    let headers = [("authorization", authorization), ("content-type", "application/geo+json"), ("content-crs", EPSG_4547)];
    let created = common::send(app, "POST", "/collections/plots/items", &headers, &body).await;
    assert_eq!(created.status, 201, "{}", text(&created));
    let location = header(&created, "location");
    let id: i64 = location[location.rfind("/items/").unwrap() + "/items/".len()..].parse().unwrap();
    assert!(distance_from(db, id, &wkt).await < 0.01, "the stored outline is within 1 cm of what was sent");
    let read = common::request(app, &format!("/collections/plots/items/{id}"), &auth).await.json();
    assert_eq!(read["properties"]["code"], code);
    let name: String = sqlx::query_scalar("SELECT name_zh FROM land_statuses WHERE code = 'available'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(read["properties"]["status_name_zh"], name.as_str(), "read-only fields sent are ignored");
    let area: f64 = read["properties"]["area_m2"].as_f64().unwrap();
    assert!((area - 1600.0).abs() < 1.0, "the area is measured, not taken from the body: {area}");

    // PATCH of the geometry alone, with Content-Crs; then of properties alone, without.
    let (moved, moved_wkt) = square_4547(x + 2.0, y + 2.0, 35.0);
    let headers = [("authorization", authorization), ("content-type", "application/merge-patch+json"), ("content-crs", EPSG_4547)];
    let r = common::send(app, "PATCH", &format!("/collections/plots/items/{id}"), &headers, &json!({ "geometry": moved }).to_string()).await;
    assert_eq!(r.status, 200, "{}", text(&r));
    assert!(distance_from(db, id, &moved_wkt).await < 0.01);
    let headers = [("authorization", authorization), ("content-type", "application/merge-patch+json")];
    let r = common::send(app, "PATCH", &format!("/collections/plots/items/{id}"), &headers, r#"{"properties":{"land_price_wan":321.0}}"#).await;
    assert_eq!(r.status, 200, "{}", text(&r));
    assert_eq!(r.json()["properties"]["land_price_wan"], 321.0);

    let r = common::send(app, "DELETE", &format!("/collections/plots/items/{id}"), &auth, "").await;
    assert_eq!(r.status, 204, "{}", text(&r));
    assert_eq!(common::get(app, &format!("/collections/plots/items/{id}")).await.status, 410, "deleted: gone, its versions kept");
    id
}

/// The history of plot `id`: (action, blind) of each write, oldest first.
async fn writes(app: &axum::Router, id: i64) -> Vec<(String, bool)> {
    let h = common::get(app, &format!("/collections/plots/items/{id}/history")).await.json();
    let mut out: Vec<(String, bool)> =
        h["changes"].as_array().unwrap().iter().map(|c| (c["action"].as_str().unwrap().to_string(), c["blind"].as_bool().unwrap())).collect();
    out.reverse();
    out
}

#[tokio::test]
async fn qgis_edits_with_a_blind_write_token_as_bearer_and_as_basic_password() {
    let db = common::demo().await;
    let app = common::app(&db);
    let token = auth::create_for_blind_writes(&db.pool, "QGIS 技术员", Role::Editor).await.unwrap();
    let bearer = replay_qgis(&db, &app, &format!("Bearer {token}"), "QGIS-BEARER-01").await;
    let basic = replay_qgis(&db, &app, &basic(&token), "QGIS-BASIC-01").await;
    // A create overwrites nothing, so it is never blind; the changes and the delete, sent
    // without a precondition, are marked.
    let expected: Vec<(String, bool)> = vec![("insert".into(), false), ("update".into(), true), ("update".into(), true), ("delete".into(), true)];
    assert_eq!(writes(&app, bearer).await, expected);
    assert_eq!(writes(&app, basic).await, expected);
    let actors: Vec<String> = sqlx::query_scalar("SELECT DISTINCT actor FROM audit_log WHERE row_id IN ($1, $2)")
        .bind(bearer.to_string())
        .bind(basic.to_string())
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(actors, vec!["QGIS 技术员".to_string()]);
}

#[tokio::test]
async fn etags_name_the_state_so_a_read_in_any_crs_lets_a_write_through() {
    let db = common::demo().await;
    let app = common::app(&db);
    let token = auth::create(&db.pool, "编辑", Role::Editor).await.unwrap();
    let bearer = format!("Bearer {token}");
    let id: i64 = sqlx::query_scalar("SELECT min(id) FROM plots WHERE status = 'available'").fetch_one(&db.pool).await.unwrap();
    let uri = format!("/collections/plots/items/{id}");
    let etag_in = |crs: &'static str| {
        let (app, uri) = (app.clone(), uri.clone());
        async move {
            let r = common::get(&app, &format!("{uri}?crs={crs}")).await;
            assert_eq!(r.status, 200);
            header(&r, "etag").to_string()
        }
    };
    let patch = |precondition: Vec<(&'static str, String)>, price: f64| {
        let (app, uri, bearer) = (app.clone(), uri.clone(), bearer.clone());
        async move {
            let mut headers = vec![("authorization", bearer.as_str()), ("content-type", "application/merge-patch+json")];
            headers.extend(precondition.iter().map(|(k, v)| (*k, v.as_str())));
            common::send(&app, "PATCH", &uri, &headers, &json!({ "properties": { "land_price_wan": price } }).to_string()).await
        }
    };
    let gk = etag_in(EPSG_4547).await;
    let lonlat = etag_in("http://www.opengis.net/def/crs/OGC/1.3/CRS84").await;
    assert_ne!(gk, lonlat, "each representation has its own tag, for caches");
    assert_eq!(common::request(&app, &format!("{uri}?crs={EPSG_4547}"), &[("if-none-match", &gk)]).await.status, 304);

    let r = patch(vec![("if-match", gk.clone())], 101.0).await;
    assert_eq!(r.status, 200, "the EPSG:4547 read's ETag lets the write through: {}", text(&r));
    let stale = patch(vec![("if-match", gk.clone())], 102.0).await;
    assert_eq!(stale.status, 412, "{}", text(&stale));
    assert!(text(&stale).contains("changed since you read it"));
    let r = patch(vec![("if-match", etag_in("http://www.opengis.net/def/crs/OGC/1.3/CRS84").await)], 103.0).await;
    assert_eq!(r.status, 200, "the CRS84 read's ETag: {}", text(&r));
    let r = patch(vec![("if-match", format!("W/{}", etag_in(EPSG_4547).await))], 104.0).await;
    assert_eq!(r.status, 412, "a weak tag never matches: {}", text(&r));

    // If-Unmodified-Since, the other precondition: the Last-Modified read passes; one from
    // before the last write does not.
    let read = common::get(&app, &uri).await;
    let last_modified = header(&read, "last-modified").to_string();
    let at = parkland::edit::parse_http_date(&last_modified).expect("an HTTP date");
    let earlier = parkland::edit::http_date(at - chrono::Duration::seconds(60));
    let r = patch(vec![("if-unmodified-since", earlier)], 105.0).await;
    assert_eq!(r.status, 412, "{}", text(&r));
    let r = patch(vec![("if-unmodified-since", last_modified)], 106.0).await;
    assert_eq!(r.status, 200, "{}", text(&r));

    // A token not made for blind writes still needs a precondition.
    let r = patch(vec![], 107.0).await;
    assert_eq!(r.status, 428, "{}", text(&r));
    let price: f64 = sqlx::query_scalar("SELECT land_price_wan FROM plots WHERE id = $1").bind(id).fetch_one(&db.pool).await.unwrap();
    assert_eq!(price, 106.0, "only the writes with a current precondition landed");
    assert!(writes(&app, id).await.iter().all(|(_, blind)| !blind));
}

#[tokio::test]
async fn options_tells_each_caller_what_it_may_do() {
    let db = common::demo().await;
    let app = common::app(&db);
    let editor = format!("Bearer {}", auth::create(&db.pool, "编辑", Role::Editor).await.unwrap());
    let viewer = format!("Bearer {}", auth::create(&db.pool, "看图", Role::Viewer).await.unwrap());
    let options = |uri: &'static str, authorization: Option<String>| {
        let app = app.clone();
        async move {
            let headers: Vec<(&str, &str)> = authorization.as_deref().map(|a| vec![("authorization", a)]).unwrap_or_default();
            common::send(&app, "OPTIONS", uri, &headers, "").await
        }
    };
    let allow = |r: &common::Reply| header(r, "allow").to_string();

    let r = options("/collections/plots/items", None).await;
    assert_eq!((r.status.as_u16(), allow(&r)), (200, "GET, HEAD, OPTIONS".to_string()));
    assert_eq!(allow(&options("/collections/plots/items/1", Some(viewer.clone())).await), "GET, HEAD, OPTIONS");
    let r = options("/collections/plots/items", Some(editor.clone())).await;
    assert_eq!(allow(&r), "GET, HEAD, OPTIONS, POST");
    assert!(header(&r, "accept-post").contains("application/geo+json"));
    let r = options("/collections/plots/items/1", Some(editor.clone())).await;
    assert_eq!(allow(&r), "GET, HEAD, OPTIONS, PUT, PATCH, DELETE");
    assert_eq!(header(&r, "accept-patch"), "application/merge-patch+json");
    // An empty layer: QGIS asks of `unknown_id`.
    assert_eq!(allow(&options("/collections/plots/items/unknown_id", Some(editor.clone())).await), "GET, HEAD, OPTIONS, PUT, PATCH, DELETE");
    // Parks are an admin's to edit.
    assert_eq!(allow(&options("/collections/parks/items/GQ-01", Some(editor.clone())).await), "GET, HEAD, OPTIONS");
    assert_eq!(options("/collections/plots/items", Some("Bearer pl_1_nope".into())).await.status, 401);
    assert_eq!(options("/collections/nothing/items", None).await.status, 404);

    // A CORS preflight carries no token: answered as anyone is, and parkland, serving its
    // map from its own origin, grants no other origin anything.
    let preflight = [("origin", "https://elsewhere.example"), ("access-control-request-method", "PUT")];
    let r = common::send(&app, "OPTIONS", "/collections/plots/items/1", &preflight, "").await;
    assert_eq!((r.status.as_u16(), allow(&r)), (200, "GET, HEAD, OPTIONS".to_string()));
    assert!(r.headers.get("access-control-allow-origin").is_none());
    // With private reads, too: a preflight is let through; any other request needs a token.
    let options = parkland::Options { private: true, ..Default::default() };
    let state = parkland::AppState::with_options(db.pool.clone(), parkland::db::Reads::primary_only(db.pool.clone()), false, Default::default(), options);
    let private = parkland::api::app(state);
    assert_eq!(common::send(&private, "OPTIONS", "/collections/plots/items/1", &preflight, "").await.status, 200);
    assert_eq!(common::send(&private, "OPTIONS", "/collections/plots/items/1", &[], "").await.status, 401);
}

#[tokio::test]
async fn content_crs_read_only_and_fixed_properties() {
    let db = common::demo().await;
    let app = common::app(&db);
    let bearer = format!("Bearer {}", auth::create(&db.pool, "编辑", Role::Editor).await.unwrap());
    let (park, x, y) = free_land(&db, 30.0).await;
    let (geometry, wkt) = square_4547(x, y, 30.0);
    let post = |crs: Option<&'static str>, props: Value| {
        let (app, bearer, geometry) = (app.clone(), bearer.clone(), geometry.clone());
        async move {
            let mut headers = vec![("authorization", bearer.as_str()), ("content-type", "application/geo+json")];
            if let Some(crs) = crs {
                headers.push(("content-crs", crs));
            }
            common::send(
                &app,
                "POST",
                "/collections/plots/items",
                &headers,
                &json!({ "type": "Feature", "properties": props, "geometry": geometry }).to_string(),
            )
            .await
        }
    };
    let props = json!({ "park_id": park, "code": "CRS-01", "land_use": "100102", "status": "available" });
    let count = || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM plots").fetch_one(&db.pool).await.unwrap() };
    let before = count().await;

    let r = post(Some("http://www.opengis.net/def/crs/EPSG/0/2000"), props.clone()).await;
    assert_eq!(r.status, 400);
    assert!(text(&r).contains("Content-Crs") && text(&r).contains(EPSG_4547), "names the supported ones: {}", text(&r));
    // Metres sent as if they were degrees: refused, with the way out named.
    let r = post(None, props.clone()).await;
    assert_eq!(r.status, 422);
    assert!(text(&r).contains("Content-Crs"), "{}", text(&r));
    let mut unknown = props.clone();
    unknown["colour"] = json!("red");
    let r = post(Some(EPSG_4547), unknown).await;
    assert_eq!(r.status, 400);
    assert!(text(&r).contains("no property 'colour'"), "{}", text(&r));
    assert_eq!(count().await, before, "nothing written");

    // In brackets, as Part 2 writes it; with read-only properties, ignored.
    let mut with_read_only = props.clone();
    with_read_only["area_mu"] = json!(99999);
    with_read_only["status_name_en"] = json!("whatever");
    let r = post(Some("<http://www.opengis.net/def/crs/EPSG/0/4547>"), with_read_only).await;
    assert_eq!(r.status, 201, "{}", text(&r));
    let created = r.json();
    let id = created["id"].as_i64().unwrap();
    assert!(distance_from(&db, id, &wkt).await < 0.01);
    assert!(created["properties"]["area_mu"].as_f64().unwrap() < 2.0);
    assert_ne!(created["properties"]["status_name_en"], "whatever");

    // A plot's park is set once: sent back unchanged it is ignored, changed it is refused.
    let etag = header(&r, "etag").to_string();
    let uri = format!("/collections/plots/items/{id}");
    let headers = [("authorization", bearer.as_str()), ("content-type", "application/merge-patch+json"), ("if-match", etag.as_str())];
    let r = common::send(&app, "PATCH", &uri, &headers, &json!({ "properties": { "park_id": "GQ-99" } }).to_string()).await;
    assert_eq!(r.status, 409, "{}", text(&r));
    assert!(text(&r).contains("park_id is set when it is created"), "{}", text(&r));
    let r = common::send(&app, "PATCH", &uri, &headers, &json!({ "properties": { "park_id": park, "land_price_wan": 5 } }).to_string()).await;
    assert_eq!(r.status, 200, "{}", text(&r));
    assert_eq!(r.json()["properties"]["park_id"], park);
}

/// The JSON Schema validator of `schema`, Draft 2020-12.
fn validator(schema: &Value) -> jsonschema::Validator {
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::draft202012::new(schema).expect("a valid Draft 2020-12 schema")
}

/// A feature as Part 5 sees it: id, geometry and properties side by side. A null is a
/// value not given (each property has one type: `api::schema`).
fn flattened(feature: &Value) -> Value {
    let mut flat = serde_json::Map::new();
    flat.insert("id".into(), feature["id"].clone());
    flat.insert("geometry".into(), feature["geometry"].clone());
    for (k, v) in feature["properties"].as_object().unwrap() {
        if !v.is_null() {
            flat.insert(k.clone(), v.clone());
        }
    }
    Value::Object(flat)
}

#[tokio::test]
async fn every_plot_validates_against_the_part5_schema() {
    let db = common::demo().await;
    let app = common::app(&db);
    let r = common::get(&app, "/collections/plots/schema").await;
    assert_eq!(r.status, 200);
    assert_eq!(header(&r, "content-type"), "application/schema+json");
    let schema = r.json();
    let v = validator(&schema);

    let statuses: Vec<String> = sqlx::query_scalar("SELECT code FROM land_statuses ORDER BY code").fetch_all(&db.pool).await.unwrap();
    let mut in_schema: Vec<String> = serde_json::from_value(schema["properties"]["status"]["enum"].clone()).unwrap();
    in_schema.sort();
    assert_eq!(in_schema, statuses);
    let land_uses: Vec<String> = sqlx::query_scalar("SELECT code FROM land_use_codes ORDER BY code").fetch_all(&db.pool).await.unwrap();
    assert_eq!(schema["properties"]["land_use"]["enum"], json!(land_uses));

    let mut seen = 0;
    let mut next = Some("/collections/plots/items?limit=1000".to_string());
    while let Some(uri) = next {
        let page = common::get(&app, &uri).await.json();
        for f in page["features"].as_array().unwrap() {
            let flat = flattened(f);
            let errors: Vec<String> = v.iter_errors(&flat).map(|e| format!("{} at {}", e, e.instance_path)).collect();
            assert!(errors.is_empty(), "plot {}: {errors:?}", f["id"]);
            seen += 1;
        }
        next = page["links"].as_array().unwrap().iter().find(|l| l["rel"] == "next").map(|l| common::path_of(l["href"].as_str().unwrap()));
    }
    let plots: i64 = sqlx::query_scalar("SELECT count(*) FROM plots").fetch_one(&db.pool).await.unwrap();
    assert_eq!(seen, plots);

    // The validator is no rubber stamp: a status outside the vocabulary, a text for a
    // number, a property the schema lacks each fail.
    let mut bad = flattened(&common::get(&app, "/collections/plots/items?limit=1").await.json()["features"][0]);
    assert!(v.is_valid(&bad));
    bad["status"] = json!("sold");
    assert!(!v.is_valid(&bad));
    bad["status"] = json!("available");
    bad["tax_wan"] = json!("many");
    assert!(!v.is_valid(&bad));
    bad["tax_wan"] = json!(1.0);
    bad["colour"] = json!("red");
    assert!(!v.is_valid(&bad));

    // Every other collection's first page validates against its own schema.
    for c in ["parks", "zones", "idle-land", "targets", "transport-nodes", "roads", "constraints", "projects"] {
        let schema = common::get(&app, &format!("/collections/{c}/schema")).await.json();
        let v = validator(&schema);
        let page = common::get(&app, &format!("/collections/{c}/items?limit=200")).await.json();
        for f in page["features"].as_array().unwrap() {
            let errors: Vec<String> = v.iter_errors(&flattened(f)).map(|e| format!("{} at {}", e, e.instance_path)).collect();
            assert!(errors.is_empty(), "{c} {}: {errors:?}", f["id"]);
        }
    }
}

#[tokio::test]
async fn owslib_creates_replaces_and_deletes_with_a_blind_write_token() {
    let python = std::env::var("PARKLAND_PYTHON").expect("PARKLAND_PYTHON must name a Python with OWSLib (scripts/test.sh, run by make test, sets it up)");
    let db = common::demo().await;
    let token = auth::create_for_blind_writes(&db.pool, "OWSLib 脚本", Role::Editor).await.unwrap();
    let (park, x, y) = free_land(&db, 30.0).await;
    let square: String = sqlx::query_scalar("SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope($1, $2, $1 + 30, $2 + 30, 4547), 4326), 9)")
        .bind(x)
        .bind(y)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let server = common::Server::start(&db);
    let script = common::repo_dir().join("tests/clients/owslib_write.py");
    let out = std::process::Command::new(python).arg(script).arg(&server.url).arg(&token).arg(&park).arg(&square).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = seen["id"].as_i64().unwrap();
    assert_eq!(seen["created"]["properties"]["land_user"], Value::Null);
    assert_eq!(seen["replaced"]["properties"]["land_user"], "清远市某某新材料有限公司");
    assert_eq!(seen["after_delete"], 410);
    let history: Vec<(String, bool, String)> =
        sqlx::query_as("SELECT action, blind, actor FROM audit_log WHERE table_name = 'plots' AND row_id = $1 ORDER BY id")
            .bind(id.to_string())
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let expected = |a: &str, b: bool| (a.to_string(), b, "OWSLib 脚本".to_string());
    assert_eq!(history, vec![expected("insert", false), expected("update", true), expected("delete", true)]);
}

/// What a hostile review of the contract found, held: a path id in another spelling, a
/// feature made again under an old id, `If-Match: *`, a date to come, heights.
#[tokio::test]
async fn the_contract_holds_at_its_edges() {
    let db = common::demo().await;
    let app = common::app(&db);
    let editor = format!("Bearer {}", auth::create(&db.pool, "编辑", Role::Editor).await.unwrap());
    let admin = format!("Bearer {}", auth::create(&db.pool, "管理员", Role::Admin).await.unwrap());
    let id: i64 = sqlx::query_scalar("SELECT min(id) FROM plots WHERE status = 'available'").fetch_one(&db.pool).await.unwrap();
    let merge = ("content-type", "application/merge-patch+json");

    // `+N` and `0N` are plot N, and its history says so.
    let etag = header(&common::get(&app, &format!("/collections/plots/items/{id}")).await, "etag").to_string();
    let r = common::send(
        &app,
        "PATCH",
        &format!("/collections/plots/items/+0{id}"),
        &[("authorization", &editor), merge, ("if-match", &etag)],
        r#"{"properties":{"tax_wan":7}}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", text(&r));
    assert_eq!(writes(&app, id).await, vec![("update".to_string(), false)]);

    // Plots written in one transaction share a version and its instant: one's ETag does not
    // pass for another's (a hostile review merged two plots with one ETag before).
    let (p, q): (i64, i64) = sqlx::query_as(
        "SELECT min(id), max(id) FROM plots WHERE (version, updated_at) = (SELECT version, updated_at FROM plots GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1)",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_ne!(p, q);
    let p_tag = header(&common::get(&app, &format!("/collections/plots/items/{p}")).await, "etag").to_string();
    let r = common::send(
        &app,
        "PATCH",
        &format!("/collections/plots/items/{q}"),
        &[("authorization", &editor), merge, ("if-match", &p_tag)],
        r#"{"properties":{"tax_wan":6}}"#,
    )
    .await;
    assert_eq!(r.status, 412, "plot {p}'s ETag on plot {q}: {}", text(&r));

    // `If-Match: *` asks only that the feature exist: a blind write, marked.
    let r = common::send(
        &app,
        "PATCH",
        &format!("/collections/plots/items/{id}"),
        &[("authorization", &editor), merge, ("if-match", "*")],
        r#"{"properties":{"tax_wan":8}}"#,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(writes(&app, id).await.last(), Some(&("update".to_string(), true)));
    // A Last-Modified still to come was never read: no precondition, so 428.
    let r = common::send(
        &app,
        "PATCH",
        &format!("/collections/plots/items/{id}"),
        &[("authorization", &editor), merge, ("if-unmodified-since", "Fri, 31 Dec 9999 23:59:59 GMT")],
        r#"{"properties":{"tax_wan":9}}"#,
    )
    .await;
    assert_eq!(r.status, 428, "{}", text(&r));

    // A node deleted and made again under its id: the old ETag is not the new node's.
    let node = |x: f64| json!({ "type": "Feature", "id": "HI-98", "properties": { "kind": "highway_interchange", "name_zh": "测试出入口" }, "geometry": { "type": "Point", "coordinates": [x, 23.5, 35.0] } });
    let json_type = ("content-type", "application/geo+json");
    let first = common::send(&app, "POST", "/collections/transport-nodes/items", &[("authorization", &editor), json_type], &node(113.05).to_string()).await;
    assert_eq!(first.status, 201, "a point with a height: the height is dropped: {}", text(&first));
    assert_eq!(first.json()["geometry"]["coordinates"].as_array().unwrap().len(), 2);
    let old = header(&first, "etag").to_string();
    let gone = common::send(&app, "DELETE", "/collections/transport-nodes/items/HI-98", &[("authorization", &editor), ("if-match", &old)], "").await;
    assert_eq!(gone.status, 204);
    let again = common::send(&app, "POST", "/collections/transport-nodes/items", &[("authorization", &editor), json_type], &node(113.06).to_string()).await;
    assert_eq!(again.status, 201);
    let r = common::send(
        &app,
        "PATCH",
        "/collections/transport-nodes/items/HI-98",
        &[("authorization", &editor), merge, ("if-match", &old)],
        r#"{"properties":{"name_zh":"改"}}"#,
    )
    .await;
    assert_eq!(r.status, 412, "the first node's ETag: {}", text(&r));

    // Refusals in words: a required field left out, a role too low.
    let r =
        common::send(&app, "POST", "/collections/parks/items", &[("authorization", &editor), json_type], r#"{"type":"Feature","id":"QY-98","properties":{}}"#)
            .await;
    assert!(text(&r).contains("has the role editor; this needs admin"), "{}", text(&r));
    let r = common::send(
        &app,
        "POST",
        "/collections/zones/items",
        &[("authorization", &admin), json_type],
        r#"{"type":"Feature","id":"ZQ-98","properties":{"name_zh":"区","city":null}}"#,
    )
    .await;
    assert_eq!(r.status, 422, "{}", text(&r));
    assert!(text(&r).contains("city"), "{}", text(&r));
}
