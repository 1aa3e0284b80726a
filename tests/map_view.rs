//! The map view in a real browser: Debian's chromium, driven by playwright-core from
//! web/node_modules, against parkland serving the demo. The checks themselves are in
//! tests/browser/map_view.mjs; screenshots land in target/screenshots/map_view/.

mod common;

use std::process::Command;

#[tokio::test]
async fn the_map_draws_plots_opens_cards_searches_and_keeps_its_state_in_the_link() {
    let db = common::demo().await;
    // A plot whose whole shape is known: the largest available plot of 广清产业园.
    let plot: serde_json::Value = sqlx::query_scalar(
        "SELECT json_build_object('id', p.id, 'code', p.code, 'lon', ST_X(s.pt), 'lat', ST_Y(s.pt), 'status', p.status,
                                  'status_zh', st.name_zh, 'status_en', st.name_en, 'area_mu', round(p.area_mu::numeric, 3))
         FROM plots p JOIN land_statuses st ON st.code = p.status
         CROSS JOIN LATERAL (SELECT ST_PointOnSurface(p.geom) AS pt) s
         WHERE p.park_id = 'GQ-01' AND p.status = 'available' ORDER BY p.area_mu DESC LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    // One recorded change, for the card's history.
    let editor = parkland::auth::Actor::local("测试编辑", parkland::auth::Role::Editor);
    let id = plot["id"].as_i64().unwrap();
    let plots = parkland::edit::writable("plots").unwrap();
    parkland::edit::patch(
        &db.pool,
        &editor,
        plots,
        &id.to_string(),
        &parkland::edit::Precondition::Match("*".into()),
        &parkland::edit::Body::read(&serde_json::json!({ "properties": { "land_price_wan": 1234.5 } }), parkland::crs::Crs::CRS84).unwrap(),
    )
    .await
    .unwrap();
    let server = common::Server::start(&db);
    let shots = common::repo_dir().join("target/screenshots/map_view");
    let out = Command::new("node")
        .arg(common::repo_dir().join("tests/browser/map_view.mjs"))
        .arg(&server.url)
        .arg(&shots)
        .arg(plot.to_string())
        .output()
        .expect("node runs (make test installs Node.js, chromium and web/node_modules)");
    assert!(out.status.success(), "the browser checks failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for shot in ["map", "popup", "english", "search", "phone"] {
        let png = shots.join(format!("{shot}.png"));
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000, "{} is not a real screenshot", png.display());
    }
}

#[tokio::test]
async fn the_map_page_and_maplibre_are_served_by_parkland() {
    let db = common::empty().await;
    let app = common::app(&db);
    let page = common::get(&app, "/map/").await;
    assert_eq!(page.status, 200);
    let html = String::from_utf8_lossy(&page.body);
    assert!(html.contains("app/main.js") && html.contains("vendor/maplibre-gl/maplibre-gl.css"));
    assert!(!html.contains("http://") && !html.contains("https://"), "the page names no other address");
    let lib = common::get(&app, "/map/vendor/maplibre-gl/maplibre-gl.mjs").await;
    assert_eq!(lib.status, 200, "MapLibre is installed in web/node_modules (npm ci --prefix web)");
    let redirect = common::get(&app, "/map").await;
    assert_eq!(redirect.status, 308);
    assert_eq!(common::get(&app, "/map/app/nothing.js").await.status, 404);
    // No basemap unless one is configured: the page then asks nothing of other addresses.
    assert_eq!(common::get(&app, "/map/config.json").await.json()["basemap"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_configured_basemap_is_offered_to_the_page() {
    let db = common::empty().await;
    let tiles = "https://t0.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY";
    let map = parkland::MapSettings { basemap: Some(parkland::Basemap { tiles: tiles.into(), attribution: "天地图".into() }), ..Default::default() };
    let app = parkland::api::app(parkland::AppState::new(db.pool.clone(), parkland::db::Reads::primary_only(db.pool.clone()), false, map));
    let config = common::get(&app, "/map/config.json").await.json();
    assert_eq!(config["basemap"]["tiles"], tiles);
    assert_eq!(config["basemap"]["attribution"], "天地图");
}

/// The map's CSV export (web/app/csv.js, the module the page runs) writes text a
/// spreadsheet would take for a formula as text, as the server's exports do.
#[test]
fn the_maps_csv_export_writes_formulas_as_text() {
    let out = Command::new("node").arg(common::repo_dir().join("tests/browser/csv_cells.mjs")).output().expect("node runs");
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
