//! CQL2 filters: the same filter written in cql2-text and in cql2-json selects exactly the
//! rows that hand-written SQL selects; broken filters are 400s that say where.

mod common;

use std::collections::BTreeSet;

async fn api_ids(app: &axum::Router, collection: &str, filter: &str, lang: &str) -> BTreeSet<String> {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    ser.append_pair("filter", filter).append_pair("filter-lang", lang).append_pair("limit", "10000").append_pair("properties", "");
    let uri = format!("/collections/{collection}/items?{}", ser.finish());
    let r = common::get(app, &uri).await;
    assert_eq!(r.status, 200, "{lang} {filter}: {}", String::from_utf8_lossy(&r.body));
    let page = r.json();
    assert!(page["numberMatched"].as_u64().unwrap() < 10000);
    page["features"].as_array().unwrap().iter().map(|f| f["id"].to_string().trim_matches('"').to_string()).collect()
}

/// (collection, cql2-text, cql2-json, SQL giving the ids)
const CASES: &[(&str, &str, &str, &str)] = &[
    ("plots", "status = 'idle'", r#"{"op":"=","args":[{"property":"status"},"idle"]}"#, "SELECT id::text FROM plots WHERE status = 'idle'"),
    (
        "plots",
        "status <> 'in_production' AND park_id = 'GQ-03'",
        r#"{"op":"and","args":[{"op":"<>","args":[{"property":"status"},"in_production"]},{"op":"=","args":[{"property":"park_id"},"GQ-03"]}]}"#,
        "SELECT id::text FROM plots WHERE status <> 'in_production' AND park_id = 'GQ-03'",
    ),
    ("plots", "area_mu > 200", r#"{"op":">","args":[{"property":"area_mu"},200]}"#, "SELECT id::text FROM plots WHERE round(area_mu::numeric, 3) > 200"),
    (
        "plots",
        "area_mu >= 50 AND area_mu <= 60",
        r#"{"op":"and","args":[{"op":">=","args":[{"property":"area_mu"},50]},{"op":"<=","args":[{"property":"area_mu"},60]}]}"#,
        "SELECT id::text FROM plots WHERE round(area_mu::numeric, 3) BETWEEN 50 AND 60",
    ),
    (
        "plots",
        "area_mu BETWEEN 100 AND 120",
        r#"{"op":"between","args":[{"property":"area_mu"},100,120]}"#,
        "SELECT id::text FROM plots WHERE round(area_mu::numeric, 3) BETWEEN 100 AND 120",
    ),
    (
        "plots",
        "status IN ('idle', 'inefficient', 'approved_unsupplied')",
        r#"{"op":"in","args":[{"property":"status"},["idle","inefficient","approved_unsupplied"]]}"#,
        "SELECT id::text FROM plots WHERE status IN ('idle', 'inefficient', 'approved_unsupplied')",
    ),
    (
        "plots",
        "NOT (status IN ('available', 'reserve')) AND park_id = 'GQ-01'",
        r#"{"op":"and","args":[{"op":"not","args":[{"op":"in","args":[{"property":"status"},["available","reserve"]]}]},{"op":"=","args":[{"property":"park_id"},"GQ-01"]}]}"#,
        "SELECT id::text FROM plots WHERE status NOT IN ('available', 'reserve') AND park_id = 'GQ-01'",
    ),
    (
        "plots",
        "land_user LIKE '湛江%'",
        r#"{"op":"like","args":[{"property":"land_user"},"湛江%"]}"#,
        "SELECT id::text FROM plots WHERE land_user LIKE '湛江%'",
    ),
    (
        "plots",
        "land_user IS NULL AND park_id = 'GQ-07'",
        r#"{"op":"and","args":[{"op":"isNull","args":[{"property":"land_user"}]},{"op":"=","args":[{"property":"park_id"},"GQ-07"]}]}"#,
        "SELECT id::text FROM plots WHERE land_user IS NULL AND park_id = 'GQ-07'",
    ),
    (
        "plots",
        "status = 'idle' OR (status = 'supplied' AND built_ratio IS NULL AND park_id = 'GQ-02')",
        r#"{"op":"or","args":[{"op":"=","args":[{"property":"status"},"idle"]},{"op":"and","args":[{"op":"=","args":[{"property":"status"},"supplied"]},{"op":"isNull","args":[{"property":"built_ratio"}]},{"op":"=","args":[{"property":"park_id"},"GQ-02"]}]}]}"#,
        "SELECT id::text FROM plots WHERE status = 'idle' OR (status = 'supplied' AND built_ratio IS NULL AND park_id = 'GQ-02')",
    ),
    (
        "plots",
        "supplied_on < DATE('2015-01-01')",
        r#"{"op":"<","args":[{"property":"supplied_on"},{"date":"2015-01-01"}]}"#,
        "SELECT id::text FROM plots WHERE supplied_on < DATE '2015-01-01'",
    ),
    (
        "plots",
        "agreed_start BETWEEN DATE('2024-01-01') AND DATE('2024-12-31')",
        r#"{"op":"between","args":[{"property":"agreed_start"},{"date":"2024-01-01"},{"date":"2024-12-31"}]}"#,
        "SELECT id::text FROM plots WHERE agreed_start BETWEEN DATE '2024-01-01' AND DATE '2024-12-31'",
    ),
    (
        "plots",
        "T_BEFORE(agreed_start, DATE('2025-10-31')) AND actual_start IS NULL AND status <> 'reserve'",
        r#"{"op":"and","args":[{"op":"t_before","args":[{"property":"agreed_start"},{"date":"2025-10-31"}]},{"op":"isNull","args":[{"property":"actual_start"}]},{"op":"<>","args":[{"property":"status"},"reserve"]}]}"#,
        "SELECT id::text FROM plots WHERE agreed_start < DATE '2025-10-31' AND actual_start IS NULL AND status <> 'reserve'",
    ),
    (
        "plots",
        "T_AFTER(stalled_since, DATE('2024-06-30'))",
        r#"{"op":"t_after","args":[{"property":"stalled_since"},{"date":"2024-06-30"}]}"#,
        "SELECT id::text FROM plots WHERE stalled_since > DATE '2024-06-30'",
    ),
    (
        "plots",
        "T_DURING(supplied_on, INTERVAL('2020-01-01', '2021-01-01'))",
        r#"{"op":"t_during","args":[{"property":"supplied_on"},{"interval":["2020-01-01","2021-01-01"]}]}"#,
        "SELECT id::text FROM plots WHERE supplied_on > DATE '2020-01-01' AND supplied_on < DATE '2021-01-01'",
    ),
    (
        "plots",
        "tax_wan / area_mu < 3 AND status = 'in_production'",
        r#"{"op":"and","args":[{"op":"<","args":[{"op":"/","args":[{"property":"tax_wan"},{"property":"area_mu"}]},3]},{"op":"=","args":[{"property":"status"},"in_production"]}]}"#,
        "SELECT id::text FROM plots WHERE tax_wan / round(area_mu::numeric, 3) < 3 AND status = 'in_production'",
    ),
    (
        "plots",
        "CASEI(status_name_en) = CASEI('IDLE')",
        r#"{"op":"=","args":[{"op":"casei","args":[{"property":"status_name_en"}]},{"op":"casei","args":["IDLE"]}]}"#,
        "SELECT id::text FROM plots WHERE status = 'idle'",
    ),
    (
        "plots",
        "S_INTERSECTS(geometry, BBOX(113.07, 23.49, 113.09, 23.51))",
        r#"{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[113.07,23.49,113.09,23.51]}]}"#,
        "SELECT id::text FROM plots WHERE ST_Intersects(geom, ST_MakeEnvelope(113.07, 23.49, 113.09, 23.51, 4326))",
    ),
    (
        "plots",
        "S_INTERSECTS(geometry, POLYGON((113.40 23.70, 113.50 23.70, 113.50 23.80, 113.40 23.70)))",
        r#"{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Polygon","coordinates":[[[113.40,23.70],[113.50,23.70],[113.50,23.80],[113.40,23.70]]]}]}"#,
        "SELECT id::text FROM plots WHERE ST_Intersects(geom, ST_GeomFromText('POLYGON((113.40 23.70, 113.50 23.70, 113.50 23.80, 113.40 23.70))', 4326))",
    ),
    (
        "plots",
        "S_WITHIN(geometry, BBOX(113.0, 23.4, 113.2, 23.6))",
        r#"{"op":"s_within","args":[{"property":"geometry"},{"bbox":[113.0,23.4,113.2,23.6]}]}"#,
        "SELECT id::text FROM plots WHERE ST_Within(geom, ST_MakeEnvelope(113.0, 23.4, 113.2, 23.6, 4326))",
    ),
    (
        "plots",
        "S_DWITHIN(geometry, POINT(113.17 23.64), 800, meters)",
        r#"{"op":"s_dwithin","args":[{"property":"geometry"},{"type":"Point","coordinates":[113.17,23.64]},800,"meters"]}"#,
        "SELECT id::text FROM plots WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(113.17, 23.64), 4326)::geography, 800)",
    ),
    (
        "plots",
        "S_DWITHIN(geometry, POINT(113.17 23.64), 1.2, kilometers) AND status = 'available'",
        r#"{"op":"and","args":[{"op":"s_dwithin","args":[{"property":"geometry"},{"type":"Point","coordinates":[113.17,23.64]},1.2,"kilometers"]},{"op":"=","args":[{"property":"status"},"available"]}]}"#,
        "SELECT id::text FROM plots WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(113.17, 23.64), 4326)::geography, 1200) AND status = 'available'",
    ),
    (
        "parks",
        "A_CONTAINS(leading_industries, ('新材料', '装备制造'))",
        r#"{"op":"a_contains","args":[{"property":"leading_industries"},["新材料","装备制造"]]}"#,
        "SELECT id FROM parks WHERE leading_industries @> ARRAY['新材料', '装备制造']",
    ),
    (
        "parks",
        "A_OVERLAPS(infrastructure, ('gas'))",
        r#"{"op":"a_overlaps","args":[{"property":"infrastructure"},["gas"]]}"#,
        "SELECT id FROM parks WHERE infrastructure && ARRAY['gas']",
    ),
    (
        "idle-land",
        "kind = 'idle' AND fee_wan > 100",
        r#"{"op":"and","args":[{"op":"=","args":[{"property":"kind"},"idle"]},{"op":">","args":[{"property":"fee_wan"},100]}]}"#,
        "SELECT id::text FROM idle_records WHERE kind = 'idle' AND fee_wan > 100",
    ),
    (
        "transport-nodes",
        "kind = 'rail_station' AND name_zh LIKE '%站'",
        r#"{"op":"and","args":[{"op":"=","args":[{"property":"kind"},"rail_station"]},{"op":"like","args":[{"property":"name_zh"},"%站"]}]}"#,
        "SELECT id FROM transport_nodes WHERE kind = 'rail_station' AND name_zh LIKE '%站'",
    ),
    (
        "constraints",
        "S_INTERSECTS(geometry, POINT(113.17 23.64)) OR kind = 'flood'",
        r#"{"op":"or","args":[{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Point","coordinates":[113.17,23.64]}]},{"op":"=","args":[{"property":"kind"},"flood"]}]}"#,
        "SELECT id::text FROM constraints WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(113.17, 23.64), 4326)) OR kind = 'flood'",
    ),
];

#[tokio::test]
async fn text_json_and_sql_select_the_same_features() {
    let db = common::demo().await;
    let app = common::app(&db);
    assert!(CASES.len() >= 20);
    let mut nonempty = 0;
    for (collection, text, json, sql) in CASES {
        let expected: BTreeSet<String> = sqlx::query_scalar::<_, String>(sql).fetch_all(&db.pool).await.unwrap().into_iter().collect();
        let by_text = api_ids(&app, collection, text, "cql2-text").await;
        let by_json = api_ids(&app, collection, json, "cql2-json").await;
        assert_eq!(by_text, expected, "cql2-text {text}");
        assert_eq!(by_json, expected, "cql2-json {json}");
        if !expected.is_empty() {
            nonempty += 1;
        }
    }
    assert!(nonempty >= CASES.len() - 1, "most cases must select something to prove anything");
}

#[tokio::test]
async fn a_geometry_literal_in_gauss_kruger_selects_what_it_does_in_crs84() {
    let db = common::demo().await;
    let app = common::app(&db);
    // 石角 in EPSG:4547 (northing first) and in lon/lat: the same point, within a centimetre.
    let (e, n): (f64, f64) = sqlx::query_as("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(113.08, 23.50), 4326), 4547) p) x")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let gk = format!("S_DWITHIN(geometry, POINT({n} {e}), 700, meters)");
    let mut ser = form_urlencoded::Serializer::new(String::new());
    ser.append_pair("filter", &gk).append_pair("filter-crs", "http://www.opengis.net/def/crs/EPSG/0/4547").append_pair("limit", "10000");
    let r = common::get(&app, &format!("/collections/plots/items?{}", ser.finish())).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let got: BTreeSet<String> = r.json()["features"].as_array().unwrap().iter().map(|f| f["id"].to_string()).collect();
    let crs84 = api_ids(&app, "plots", "S_DWITHIN(geometry, POINT(113.08 23.50), 700, meters)", "cql2-text").await;
    assert!(!got.is_empty());
    assert_eq!(got, crs84);
}

#[tokio::test]
async fn broken_filters_are_400s_that_say_where() {
    let db = common::demo().await;
    let app = common::app(&db);
    let cases: &[(&str, &str, &str)] = &[
        ("status = 'idle' AND", "cql2-text", "column 20"),
        ("status == 'idle'", "cql2-text", "column"),
        ("area_mu > ", "cql2-text", "column 11"),
        ("nosuch = 1", "cql2-text", "unknown property 'nosuch' (at column 1)"),
        ("status = 'idle' AND colour = 'red'", "cql2-text", "unknown property 'colour' (at column 21)"),
        ("utilities = 'x'", "cql2-text", "utilities"),
        ("supplied_on < DATE('2020-02-30')", "cql2-text", "2020-02-30"),
        ("area_mu > 'big'", "cql2-text", "'big' is not a number"),
        ("S_INTERSECTS(status, geometry)", "cql2-text", "geometry literal"),
        ("S_DWITHIN(geometry, POINT(113 23), 5, furlongs)", "cql2-text", "furlongs"),
        ("FROBNICATE(status)", "cql2-text", "frobnicate"),
        (r#"{"op":"=","args":[{"property":"status"},"idle"]"#, "cql2-json", "line 1, column"),
        (r#"{"op":"=","args":[{"property":"nosuch"},"idle"]}"#, "cql2-json", "nosuch"),
        ("status = 'idle'", "cql3", "filter-lang"),
    ];
    for (filter, lang, needle) in cases {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        ser.append_pair("filter", filter).append_pair("filter-lang", lang);
        let r = common::get(&app, &format!("/collections/plots/items?{}", ser.finish())).await;
        assert_eq!(r.status, 400, "{filter}: {}", String::from_utf8_lossy(&r.body));
        let text = r.json()["description"].as_str().unwrap().to_string();
        assert!(text.to_lowercase().contains(&needle.to_lowercase()), "{filter}: '{text}' lacks '{needle}'");
    }
}

/// Every spatial and array function /conformance claims, against PostGIS on the same
/// literal (taken from the data, so each case selects something).
#[tokio::test]
async fn every_claimed_spatial_and_array_function_matches_sql() {
    let db = common::demo().await;
    let app = common::app(&db);
    let plot_wkt: String = sqlx::query_scalar("SELECT ST_AsText(ST_GeometryN(geom, 1)) FROM plots WHERE id = 1").fetch_one(&db.pool).await.unwrap();
    // A box half over plot 1, to overlap it and its neighbours.
    let (x1, y1, x2, y2): (f64, f64, f64, f64) = sqlx::query_as(
        "SELECT ST_XMin(g) + (ST_XMax(g) - ST_XMin(g)) / 2, ST_YMin(g), ST_XMax(g) + 0.001, ST_YMax(g) FROM (SELECT geom AS g FROM plots WHERE id = 1) x",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let half = format!("POLYGON(({x1} {y1}, {x2} {y1}, {x2} {y2}, {x1} {y2}, {x1} {y1}))");
    let (cx, cy): (f64, f64) =
        sqlx::query_as("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) AS c FROM plots WHERE id = 1) x").fetch_one(&db.pool).await.unwrap();
    let line = format!("LINESTRING({} {}, {} {})", cx - 0.05, cy, cx + 0.05, cy);
    let cases: Vec<(&str, String, String)> = vec![
        ("plots", format!("S_EQUALS(geometry, {plot_wkt})"), format!("SELECT id::text FROM plots WHERE ST_Equals(geom, ST_GeomFromText('{plot_wkt}', 4326))")),
        (
            "plots",
            format!("S_TOUCHES(geometry, {plot_wkt})"),
            format!("SELECT id::text FROM plots WHERE ST_Touches(geom, ST_GeomFromText('{plot_wkt}', 4326))"),
        ),
        ("plots", format!("S_OVERLAPS(geometry, {half})"), format!("SELECT id::text FROM plots WHERE ST_Overlaps(geom, ST_GeomFromText('{half}', 4326))")),
        (
            "plots",
            format!("S_CONTAINS(geometry, POINT({cx} {cy}))"),
            format!("SELECT id::text FROM plots WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint({cx}, {cy}), 4326))"),
        ),
        ("plots", format!("S_CROSSES(geometry, {line})"), format!("SELECT id::text FROM plots WHERE ST_Crosses(geom, ST_GeomFromText('{line}', 4326))")),
        (
            "parks",
            "S_DISJOINT(geometry, BBOX(112.0, 23.0, 113.3, 24.0))".into(),
            "SELECT id FROM parks WHERE NOT ST_Intersects(boundary, ST_MakeEnvelope(112.0, 23.0, 113.3, 24.0, 4326))".into(),
        ),
        ("parks", "A_EQUALS(towns, ('石角镇'))".into(), "SELECT id FROM parks WHERE towns = ARRAY['石角镇']".into()),
        (
            "parks",
            "A_CONTAINEDBY(infrastructure, ('road', 'water_supply', 'drainage', 'power', 'telecom', 'gas', 'public_transport', 'site_levelling'))".into(),
            "SELECT id FROM parks WHERE infrastructure <@ ARRAY['road','water_supply','drainage','power','telecom','gas','public_transport','site_levelling']"
                .into(),
        ),
    ];
    for (collection, text, sql) in cases {
        let expected: BTreeSet<String> = sqlx::query_scalar::<_, String>(&sql).fetch_all(&db.pool).await.unwrap().into_iter().collect();
        assert!(!expected.is_empty(), "{sql} selects nothing: a useless case");
        assert_eq!(api_ids(&app, collection, &text, "cql2-text").await, expected, "{text}");
    }
}
