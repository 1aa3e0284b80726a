//! Real GIS clients read parkland as they read any OGC API - Features server: GDAL's
//! OAPIF driver (ogrinfo, ogr2ogr to a GeoPackage) and OWSLib from Python.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn gdal_lists_every_collection_and_copies_plots_whole() {
    let db = common::demo().await;
    let server = common::Server::start(&db);
    let source = format!("OAPIF:{}", server.url);

    let listing = run(Command::new("ogrinfo").args(["-ro", "-q", &source]));
    for id in ["parks", "plots", "idle-land", "transport-nodes", "roads", "constraints", "projects"] {
        assert!(listing.lines().any(|l| l.contains(&format!(": {id} "))), "ogrinfo does not list {id}:\n{listing}");
    }

    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("plots.gpkg");
    run(Command::new("ogr2ogr").args(["-f", "GPKG"]).arg(&gpkg).args([&source, "plots"]));
    // Read the GeoPackage back as GeoJSON to compare it with the database.
    let json_path = dir.path().join("plots.geojson");
    run(Command::new("ogr2ogr").args(["-f", "GeoJSON"]).arg(&json_path).arg(&gpkg).arg("plots"));
    let copied: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let features = copied["features"].as_array().unwrap();

    type Row = (String, String, String, f64, Option<String>, Option<f64>, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.park_id, p.code, p.status, round(p.area_mu::numeric, 3)::float8, p.land_user, p.tax_wan, lu.name_zh
         FROM plots p JOIN land_use_codes lu ON lu.code = p.land_use",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(features.len(), rows.len(), "ogr2ogr copied a different number of plots");
    let by_code: BTreeMap<(String, String), _> = rows.into_iter().map(|r| ((r.0.clone(), r.1.clone()), r)).collect();
    for f in features {
        let p = &f["properties"];
        let key = (p["park_id"].as_str().unwrap().to_string(), p["code"].as_str().unwrap().to_string());
        let row = by_code.get(&key).unwrap_or_else(|| panic!("{key:?} is not in the database"));
        assert_eq!(p["status"], row.2.as_str(), "{key:?}");
        assert!((p["area_mu"].as_f64().unwrap() - row.3).abs() < 1e-9, "{key:?}");
        assert_eq!(p["land_user"].as_str().map(str::to_string), row.4, "{key:?}: land user (Chinese) changed");
        assert_eq!(p["tax_wan"].as_f64(), row.5, "{key:?}");
        assert_eq!(p["land_use_name_zh"], row.6.as_str(), "{key:?}");
        assert_eq!(f["geometry"]["type"], "MultiPolygon");
    }
}

#[tokio::test]
async fn owslib_reads_collections_a_bbox_and_a_cql2_filter() {
    let python = std::env::var("PARKLAND_PYTHON").expect("PARKLAND_PYTHON must name a Python with OWSLib (scripts/test.sh, run by make test, sets it up)");
    let db = common::demo().await;
    let server = common::Server::start(&db);
    let script = common::repo_dir().join("tests/clients/owslib_check.py");
    let out = run(Command::new(python).arg(script).arg(&server.url));
    let seen: serde_json::Value = serde_json::from_str(out.trim()).unwrap();

    let ids = |v: &serde_json::Value| -> Vec<i64> { v.as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect() };
    assert_eq!(
        seen["collections"],
        serde_json::json!(["parks", "zones", "plots", "idle-land", "targets", "transport-nodes", "roads", "constraints", "projects"])
    );
    let bbox: Vec<i64> = sqlx::query_scalar("SELECT id FROM plots WHERE ST_Intersects(geom, ST_MakeEnvelope(113.07, 23.49, 113.09, 23.51, 4326)) ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert!(!bbox.is_empty());
    assert_eq!(ids(&seen["bbox_ids"]), bbox);
    assert_eq!(seen["bbox_matched"].as_u64().unwrap() as usize, bbox.len());
    let filtered: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM plots WHERE status = 'idle' AND round(area_mu::numeric, 3) > 50 ORDER BY id").fetch_all(&db.pool).await.unwrap();
    assert!(!filtered.is_empty());
    assert_eq!(ids(&seen["filter_ids"]), filtered);
    assert_eq!(seen["park_name"], "广清经济特别合作区广清空港现代物流产业新城");
}

/// `f=fgb`: GDAL opens the FlatGeobuf file as a typed layer in the CRS asked for, with
/// the same features, Chinese text and coordinates as the GeoJSON page.
#[tokio::test]
async fn gdal_reads_a_flatgeobuf_page_in_lon_lat_and_in_gauss_krueger() {
    let db = common::demo().await;
    let app = common::app(&db);
    let dir = tempfile::tempdir().unwrap();
    let query = "limit=200&filter=land_user%20IS%20NOT%20NULL";
    let page = common::get(&app, &format!("/collections/plots/items?{query}")).await.json();
    let fgb = common::get(&app, &format!("/collections/plots/items?{query}&f=fgb")).await;
    assert_eq!(fgb.status, 200);
    assert_eq!(fgb.headers["content-type"], "application/flatgeobuf");
    let path = dir.path().join("plots.fgb");
    std::fs::write(&path, &fgb.body).unwrap();
    let back = dir.path().join("back.geojson");
    run(Command::new("ogr2ogr").args(["-f", "GeoJSON"]).arg(&back).arg(&path));
    let read: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap();
    let (ours, theirs) = (page["features"].as_array().unwrap(), read["features"].as_array().unwrap());
    assert_eq!(ours.len(), 200);
    assert_eq!(theirs.len(), ours.len());
    let by_id: BTreeMap<i64, &serde_json::Value> = theirs.iter().map(|f| (f["properties"]["id"].as_i64().unwrap(), f)).collect();
    for f in ours {
        let g = by_id[&f["id"].as_i64().unwrap()];
        for key in ["code", "land_user", "status", "land_use_name_zh"] {
            assert_eq!(g["properties"][key], f["properties"][key], "{key} of plot {}", f["id"]);
        }
        // FlatGeobuf has date-times only: a date reads back as its midnight.
        let day = f["properties"]["supplied_on"].as_str().unwrap();
        assert_eq!(g["properties"]["supplied_on"].as_str().unwrap(), format!("{day}T00:00:00"));
        assert!((g["properties"]["area_mu"].as_f64().unwrap() - f["properties"]["area_mu"].as_f64().unwrap()).abs() < 1e-9);
        let (a, b) = (&f["geometry"]["coordinates"][0][0][0], &g["geometry"]["coordinates"][0][0][0]);
        assert!((a[0].as_f64().unwrap() - b[0].as_f64().unwrap()).abs() < 1e-9 && (a[1].as_f64().unwrap() - b[1].as_f64().unwrap()).abs() < 1e-9);
    }
    assert!(theirs.iter().any(|f| f["properties"]["land_user"].as_str().is_some_and(|u| u.contains("有限公司"))));

    // In CGCS2000 Gauss-Krüger: GDAL knows the CRS, and x is the easting (the GeoJSON
    // page gives EPSG:4547 northing first, as the CRS defines it).
    let crs = "crs=http://www.opengis.net/def/crs/EPSG/0/4547";
    let gk_page = common::get(&app, &format!("/collections/plots/items?{query}&{crs}")).await.json();
    let gk = common::get(&app, &format!("/collections/plots/items?{query}&{crs}&f=fgb")).await;
    std::fs::write(&path, &gk.body).unwrap();
    let info = run(Command::new("ogrinfo").args(["-so", "-al"]).arg(&path));
    assert!(info.contains("CGCS2000 / 3-degree Gauss-Kruger CM 114E") || info.contains("4547"), "{info}");
    let back = dir.path().join("gk.geojson");
    run(Command::new("ogr2ogr").args(["-f", "GeoJSON"]).arg(&back).arg(&path));
    let read: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap();
    let first = &gk_page["features"][0];
    let g = read["features"].as_array().unwrap().iter().find(|g| g["properties"]["id"] == first["id"]).unwrap();
    let (ne, xy) = (&first["geometry"]["coordinates"][0][0][0], &g["geometry"]["coordinates"][0][0][0]);
    assert!((ne[1].as_f64().unwrap() - xy[0].as_f64().unwrap()).abs() < 0.001, "easting: {ne} against {xy}");
    assert!((ne[0].as_f64().unwrap() - xy[1].as_f64().unwrap()).abs() < 0.001, "northing: {ne} against {xy}");
}

/// `f=shp`: GDAL opens the zipped Shapefile in the CRS asked for, with the Chinese text of
/// the page (UTF-8, said by the .cpg), dBase's ten-letter names and x first.
#[tokio::test]
async fn gdal_reads_a_zipped_shapefile_page_in_gauss_krueger() {
    let db = common::demo().await;
    let app = common::app(&db);
    let query = "limit=100&filter=land_user%20IS%20NOT%20NULL&crs=http://www.opengis.net/def/crs/EPSG/0/4547";
    let page = common::get(&app, &format!("/collections/plots/items?{query}")).await.json();
    let zip = common::get(&app, &format!("/collections/plots/items?{query}&f=shp")).await;
    assert_eq!(zip.status, 200, "{}", String::from_utf8_lossy(&zip.body));
    assert_eq!(zip.headers["content-type"], "application/zip");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plots.zip");
    std::fs::write(&path, &zip.body).unwrap();
    let source = format!("/vsizip/{}", path.display());
    let info = run(Command::new("ogrinfo").args(["-so", "-al", &source]));
    assert!(info.contains("Geometry: Polygon") && info.contains("Feature Count: 100"), "{info}");
    assert!(info.contains("CGCS2000 / 3-degree Gauss-Kruger CM 114E") || info.contains("4547"), "{info}");
    let back = dir.path().join("back.geojson");
    run(Command::new("ogr2ogr").args(["-f", "GeoJSON"]).arg(&back).arg(&source));
    let read: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap();
    let theirs: BTreeMap<i64, &serde_json::Value> = read["features"].as_array().unwrap().iter().map(|f| (f["properties"]["id"].as_i64().unwrap(), f)).collect();
    for f in page["features"].as_array().unwrap() {
        let g = theirs[&f["id"].as_i64().unwrap()];
        let (ours, read) = (&f["properties"], &g["properties"]);
        assert_eq!(read["code"], ours["code"]);
        assert_eq!(read["land_user"], ours["land_user"], "Chinese text through the .dbf");
        assert_eq!(read["supplied_o"], ours["supplied_on"], "supplied_on, cut to ten letters");
        assert_eq!(read["land_use_n"], ours["land_use_name_zh"]);
        assert!((read["area_mu"].as_f64().unwrap() - ours["area_mu"].as_f64().unwrap()).abs() < 1e-6);
        let ne = &f["geometry"]["coordinates"][0][0];
        let ring = g["geometry"]["coordinates"][0].as_array().unwrap();
        // The same corners (a Shapefile's outer ring runs clockwise, so the order may differ).
        for p in ne.as_array().unwrap() {
            assert!(
                ring.iter().any(|q| (q[0].as_f64().unwrap() - p[1].as_f64().unwrap()).abs() < 0.001 && (q[1].as_f64().unwrap() - p[0].as_f64().unwrap()).abs() < 0.001),
                "corner {p} (northing, easting) of plot {} is not in the Shapefile's ring", f["id"]
            );
        }
    }
}
