//! `/api`: the OpenAPI document covers every route the router has, every path in it
//! answers, and an independent validator accepts it.

mod common;

use parkland::store::catalog::COLLECTIONS;

#[tokio::test]
async fn every_route_is_documented_and_every_documented_path_answers() {
    let db = common::demo().await;
    let app = common::app(&db);
    let r = common::get(&app, "/api").await;
    assert_eq!(r.status, 200);
    assert!(r.headers["content-type"].to_str().unwrap().starts_with("application/vnd.oai.openapi+json"));
    let doc = r.json();
    let paths = doc["paths"].as_object().unwrap();

    // Routes the router really has, expanded for each collection.
    let routes = parkland::api::routes().paths;
    assert!(routes.len() >= 9);
    for (template, method) in &routes {
        let expanded: Vec<String> = if template.contains("{collection}") {
            COLLECTIONS.iter().map(|c| template.replace("{collection}", c.id).replace("{id}", "{featureId}")).collect()
        } else if template.starts_with("/tiles/") {
            let t = template.replace("{layer_json}", "{layer}.json").replace("{y_mvt}", "{y}.mvt");
            parkland::store::tiles::LAYERS.iter().map(|l| t.replace("{layer}", l.collection)).collect()
        } else {
            vec![template.to_string()]
        };
        for p in expanded {
            assert!(paths.get(&p).and_then(|o| o.get(*method)).is_some(), "{method} {p} is routed but not in /api");
        }
    }

    // And every documented path answers (with a real id where it needs one).
    for (path, ops) in paths {
        if let Some(post) = ops.get("post").filter(|p| p.get("security").is_none()) {
            let example = &post["requestBody"]["content"]["application/json"]["example"];
            let r = common::post_json(&app, path, example).await;
            assert_eq!(r.status, 200, "POST {path}: {}", String::from_utf8_lossy(&r.body));
            continue;
        }
        if ops.get("get").is_none_or(|g| g.get("security").is_some()) {
            // Only writes, or reads of an editor's (a job), which need a token
            // (tests/editing.rs, tests/import.rs).
            continue;
        }
        let uri = if path.ends_with("{y}.mvt") {
            // A tile over 广清产业园 at the layer's lowest zoom.
            let layer = parkland::store::tiles::layer(path.split('/').nth(2).unwrap()).unwrap();
            let z = layer.minzoom;
            let n = f64::from(1 << z);
            let (lon, lat) = (113.08f64, 23.50f64);
            let x = ((lon + 180.0) / 360.0 * n).floor();
            let y = ((1.0 - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor();
            path.replace("{z}", &z.to_string()).replace("{x}", &x.to_string()).replace("{y}", &y.to_string())
        } else if path == "/analysis/access" {
            "/analysis/access?park=GQ-01".to_string()
        } else if path == "/analysis/isochrone" {
            "/analysis/isochrone?node=HI-01&minutes=10".to_string()
        } else if path.contains("{park}") {
            path.replace("{park}", "GQ-01")
        } else if path.contains("{featureId}") {
            let collection = path.split('/').nth(2).unwrap();
            let page = common::get(&app, &format!("/collections/{collection}/items?limit=1")).await.json();
            let id = page["features"][0]["id"].to_string().trim_matches('"').to_string();
            path.replace("{featureId}", &id)
        } else {
            path.clone()
        };
        let r = common::get(&app, &uri).await;
        assert_eq!(r.status, 200, "GET {uri}: {}", String::from_utf8_lossy(&r.body));
    }
    // The landing page points at it.
    let landing = common::get(&app, "/").await.json();
    assert!(landing["links"].as_array().unwrap().iter().any(|l| l["rel"] == "service-desc" && l["href"].as_str().unwrap().ends_with("/api")));
}

#[tokio::test]
async fn the_document_passes_an_openapi_validator() {
    let python = std::env::var("PARKLAND_PYTHON")
        .expect("PARKLAND_PYTHON must name a Python with openapi-spec-validator (scripts/test.sh, run by make test, sets it up)");
    let db = common::empty().await;
    let app = common::app(&db);
    let body = common::get(&app, "/api").await.body;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, body).unwrap();
    let out = std::process::Command::new(python)
        .args(["-c", "import json,sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print('valid')"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "valid");
}
