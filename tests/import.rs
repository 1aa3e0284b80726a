//! `parkland import`: a GeoJSON file in CGCS2000 Gauss-Krüger (EPSG:4547) lands with its
//! Chinese names and its coordinates to the centimetre; a file with one bad feature
//! imports nothing and names that feature; a dry run writes nothing.

mod common;

use std::process::Command;

use serde_json::{json, Value};

async fn park(db: &common::TestDb) {
    sqlx::query(
        "INSERT INTO parks (id, name_zh, level, city, boundary)
         VALUES ('GQ-01', '广清产业园', 'main_platform', '清远市',
                 ST_Multi(ST_Transform(ST_MakeEnvelope(400000, 2600000, 402000, 2602000, 4547), 4326)))",
    )
    .execute(&db.pool)
    .await
    .unwrap();
}

/// A square plot, its corners in EPSG:4547 metres.
fn plot(code: &str, user: Option<&str>, x: f64, y: f64, side: f64) -> Value {
    let status = if user.is_some() { "supplied" } else { "available" };
    json!({
        "type": "Feature",
        "properties": { "park_id": "GQ-01", "code": code, "land_use": "100102", "status": status, "land_user": user,
                        "supplied_on": user.map(|_| "2025-03-01") },
        "geometry": { "type": "Polygon", "coordinates": [[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]] }
    })
}

fn import(db: &common::TestDb, features: Vec<Value>, extra: &[&str]) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("地块.geojson");
    std::fs::write(&path, json!({ "type": "FeatureCollection", "features": features }).to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_parkland"))
        .arg("import")
        .arg(&path)
        .args(["--layer", "plots", "--crs", "EPSG:4547"])
        .args(extra)
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

async fn count(db: &common::TestDb) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM plots").fetch_one(&db.pool).await.unwrap()
}

#[tokio::test]
async fn a_gauss_krueger_file_lands_with_its_names_and_centimetre_coordinates() {
    let db = common::empty().await;
    park(&db).await;
    let features = vec![
        plot("GQ-01-甲-01", Some("清远市某某新材料有限公司"), 400100.25, 2600100.75, 200.0),
        plot("GQ-01-甲-02", None, 400300.25, 2600100.75, 150.0),
        plot("GQ-01-乙-01", None, 400600.0, 2600600.0, 100.0),
    ];
    let (ok, out, err) = import(&db, features, &["--dry-run"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("would import 3 of 3"), "{out}");
    assert_eq!(count(&db).await, 0, "a dry run writes nothing");

    let features = vec![
        plot("GQ-01-甲-01", Some("清远市某某新材料有限公司"), 400100.25, 2600100.75, 200.0),
        plot("GQ-01-甲-02", None, 400300.25, 2600100.75, 150.0),
        plot("GQ-01-乙-01", None, 400600.0, 2600600.0, 100.0),
    ];
    let (ok, out, err) = import(&db, features, &[]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("imported 3 of 3"), "{out}");
    let (user, x, y): (String, f64, f64) = sqlx::query_as(
        "SELECT land_user, ST_XMin(g), ST_YMin(g) FROM (SELECT land_user, ST_Transform(geom, 4547) AS g FROM plots WHERE code = 'GQ-01-甲-01') p",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(user, "清远市某某新材料有限公司");
    assert!((x - 400100.25).abs() < 0.01 && (y - 2600100.75).abs() < 0.01, "({x}, {y}) is not (400100.25, 2600100.75) to the centimetre");
    let audit: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'insert' AND actor = 'parkland import'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(audit, 3, "each plot's history starts with its import");
}

#[tokio::test]
async fn one_bad_feature_imports_nothing_and_is_named_with_its_reason() {
    let db = common::empty().await;
    park(&db).await;
    let features = vec![
        plot("GQ-01-丙-01", None, 400100.0, 2600100.0, 200.0),
        // Over the first one by 100 m × 200 m.
        plot("GQ-01-丙-02", None, 400200.0, 2600100.0, 200.0),
        plot("GQ-01-丙-03", None, 400600.0, 2600600.0, 100.0),
        // Outside the park.
        plot("GQ-01-丙-04", None, 401950.0, 2601950.0, 200.0),
    ];
    let (ok, _, err) = import(&db, features, &[]);
    assert!(!ok, "the import must fail");
    assert!(err.contains("feature 1 (GQ-01-丙-02)") && err.contains("overlaps plot GQ-01-丙-01"), "{err}");
    assert!(err.contains("feature 3 (GQ-01-丙-04)") && err.contains("outside park"), "{err}");
    assert!(err.contains("2 of 4 features refused; nothing was imported"), "{err}");
    assert_eq!(count(&db).await, 0, "nothing was imported");
}
