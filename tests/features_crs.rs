//! OGC API - Features Part 2: output and bbox in the CRSs Chinese land data come in.

mod common;

use std::collections::BTreeSet;

const GK114: &str = "http://www.opengis.net/def/crs/EPSG/0/4547";

fn ids(page: &serde_json::Value) -> BTreeSet<i64> {
    page["features"].as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn gauss_kruger_output_is_within_a_centimetre_of_postgis_and_proj() {
    let db = common::demo().await;
    let app = common::app(&db);
    let r = common::get(&app, &format!("/collections/plots/items?park_id=GQ-01&limit=50&crs={GK114}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["content-crs"], format!("<{GK114}>"));
    let to_gk = proj::Proj::new_known_crs("EPSG:4326", "EPSG:4547", None).unwrap();
    let page = r.json();
    let features = page["features"].as_array().unwrap();
    assert_eq!(features.len(), 50);
    for f in features {
        let id = f["id"].as_i64().unwrap();
        let first = &f["geometry"]["coordinates"][0][0][0];
        // EPSG:4547 is northing (X) first.
        let (n, e) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
        let (pg_e, pg_n, lon, lat): (f64, f64, f64, f64) = sqlx::query_as(
            "SELECT ST_X(ST_Transform(p, 4547)), ST_Y(ST_Transform(p, 4547)), ST_X(p), ST_Y(p)
             FROM (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1) AS p FROM plots WHERE id = $1) x",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!((e - pg_e).abs() < 0.01 && (n - pg_n).abs() < 0.01, "plot {id}: ({e}, {n}) vs PostGIS ({pg_e}, {pg_n})");
        let (proj_e, proj_n) = to_gk.convert((lon, lat)).unwrap();
        assert!((e - proj_e).abs() < 0.01 && (n - proj_n).abs() < 0.01, "plot {id}: ({e}, {n}) vs proj ({proj_e}, {proj_n})");
        // Qingyuan lies west of 114°E: eastings under the false easting of 500 km.
        assert!(e > 300_000.0 && e < 500_000.0 && n > 2_500_000.0 && n < 2_800_000.0, "({e}, {n})");
    }
    // The tooling note's check value: (113.05, 23.6) is E 403036.348, N 2611308.361.
    let (e, n): (f64, f64) = to_gk.convert((113.05f64, 23.6f64)).unwrap();
    assert!((e - 403_036.348).abs() < 0.001 && (n - 2_611_308.361).abs() < 0.001);
}

#[tokio::test]
async fn epsg_4326_is_latitude_first_and_crs84_longitude_first() {
    let db = common::demo().await;
    let app = common::app(&db);
    let a = common::get(&app, "/collections/transport-nodes/items/PT-05").await.json();
    let b = common::get(&app, "/collections/transport-nodes/items/PT-05?crs=EPSG:4326").await.json();
    assert_eq!(a["geometry"]["coordinates"], serde_json::json!([110.4106, 21.1986]));
    assert_eq!(b["geometry"]["coordinates"], serde_json::json!([21.1986, 110.4106]));
    // A bbox in EPSG:4326 is latitude first too, and selects what the CRS84 one does.
    let crs84 = common::get(&app, "/collections/plots/items?bbox=113.07,23.49,113.09,23.51&limit=10000").await.json();
    let epsg = common::get(&app, "/collections/plots/items?bbox=23.49,113.07,23.51,113.09&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326&limit=10000")
        .await
        .json();
    assert!(!ids(&crs84).is_empty());
    assert_eq!(ids(&crs84), ids(&epsg));
}

#[tokio::test]
async fn a_gauss_kruger_bbox_selects_what_the_same_box_selects() {
    let db = common::demo().await;
    let app = common::app(&db);
    // An 800 m box around the middle of 广清产业园, in EPSG:4547.
    let (ce, cn): (f64, f64) =
        sqlx::query_as("SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Transform(ST_PointOnSurface(boundary), 4547) AS c FROM parks WHERE id = 'GQ-01') x")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let (e1, n1, e2, n2) = (ce - 400.0, cn - 400.0, ce + 400.0, cn + 400.0);
    let gk = common::get(&app, &format!("/collections/plots/items?limit=10000&bbox={n1},{e1},{n2},{e2}&bbox-crs={GK114}")).await;
    assert_eq!(gk.status, 200, "{}", String::from_utf8_lossy(&gk.body));
    let gk = ids(&gk.json());
    // The truth: plots that meet the box in its own CRS.
    let truth: BTreeSet<i64> = sqlx::query_scalar("SELECT id FROM plots WHERE ST_Intersects(ST_Transform(geom, 4547), ST_MakeEnvelope($1, $2, $3, $4, 4547))")
        .bind(e1)
        .bind(n1)
        .bind(e2)
        .bind(n2)
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert!(truth.len() > 5, "the box holds plots");
    assert_eq!(gk, truth);

    // The same box in CRS84 (the envelope of its corners) selects the same plots, but for
    // plots within metres of its edges, where the two boxes' shapes differ.
    let (lon1, lat1, lon2, lat2): (f64, f64, f64, f64) =
        sqlx::query_as("SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, 4547), 4326) AS b) x")
            .bind(e1)
            .bind(n1)
            .bind(e2)
            .bind(n2)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let crs84 = ids(&common::get(&app, &format!("/collections/plots/items?limit=10000&bbox={lon1},{lat1},{lon2},{lat2}")).await.json());
    let differ: Vec<i64> = gk.symmetric_difference(&crs84).copied().collect();
    let near_edge: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM plots WHERE id = ANY($5)
         AND ST_DWithin(ST_Transform(geom, 4547), ST_Boundary(ST_MakeEnvelope($1, $2, $3, $4, 4547)), 15)",
    )
    .bind(e1)
    .bind(n1)
    .bind(e2)
    .bind(n2)
    .bind(&differ)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(near_edge as usize, differ.len(), "plots selected by one box only, away from the edges: {differ:?}");
}
