//! Vector tiles decode as Mapbox Vector Tiles and hold exactly the features that
//! intersect the tile; bad tile addresses are 4xx.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use geozero::mvt::{Message, Tile};

/// The z/x/y of the tile holding (lon, lat).
fn tile_of(lon: f64, lat: f64, z: u32) -> (u32, u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let r = lat.to_radians();
    let y = ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
    (z, x, y)
}

/// Each feature of the tile's one layer: (feature id, properties as strings).
fn decode(bytes: &[u8], layer: &str) -> Vec<(Option<u64>, BTreeMap<String, String>)> {
    let tile = Tile::decode(bytes).expect("a valid Mapbox Vector Tile");
    if tile.layers.is_empty() {
        return vec![];
    }
    assert_eq!(tile.layers.len(), 1);
    let l = &tile.layers[0];
    assert_eq!(l.name, layer);
    assert_eq!(l.version, 2);
    assert_eq!(l.extent, Some(4096));
    l.features
        .iter()
        .map(|f| {
            let mut props = BTreeMap::new();
            for pair in f.tags.chunks(2) {
                let key = l.keys[pair[0] as usize].clone();
                let v = &l.values[pair[1] as usize];
                let text = v
                    .string_value
                    .clone()
                    .or(v.double_value.map(|d| d.to_string()))
                    .or(v.int_value.map(|i| i.to_string()))
                    .or(v.float_value.map(|f| f.to_string()))
                    .unwrap_or_default();
                props.insert(key, text);
            }
            (f.id, props)
        })
        .collect()
}

async fn truth(pool: &sqlx::PgPool, sql_from: &str, (z, x, y): (u32, u32, u32)) -> (BTreeSet<String>, BTreeSet<String>) {
    // Everything that meets the tile, and what of it is too small to draw on a 4096 grid
    // (its part inside the tile covers under one tile unit).
    let sql = format!(
        "WITH b AS (SELECT ST_TileEnvelope($1, $2, $3) AS merc)
         SELECT id::text, ST_Area(ST_Intersection(ST_Transform(geom, 3857), b.merc)) < (ST_XMax(b.merc) - ST_XMin(b.merc)) ^ 2 / 4096.0 ^ 2
                AND GeometryType(geom) <> 'POINT'
         FROM {sql_from}, b WHERE ST_Intersects(geom, ST_Transform(b.merc, 4326))"
    );
    let rows: Vec<(String, bool)> = sqlx::query_as(&sql).bind(z as i32).bind(x as i32).bind(y as i32).fetch_all(pool).await.unwrap();
    let all = rows.iter().map(|r| r.0.clone()).collect();
    let tiny = rows.iter().filter(|r| r.1).map(|r| r.0.clone()).collect();
    (all, tiny)
}

fn check_exact(got: &BTreeSet<String>, all: &BTreeSet<String>, tiny: &BTreeSet<String>) {
    assert!(got.is_subset(all), "features in the tile that do not meet it: {:?}", got.difference(all).collect::<Vec<_>>());
    let missing: BTreeSet<String> = all.difference(got).cloned().collect();
    assert!(missing.is_subset(tiny), "features meeting the tile but missing from it: {:?}", missing.difference(tiny).collect::<Vec<_>>());
}

#[tokio::test]
async fn plot_tiles_hold_exactly_the_plots_that_meet_them() {
    let db = common::demo().await;
    let app = common::app(&db);
    for z in [10, 13, 15] {
        let t = tile_of(113.08, 23.50, z);
        let r = common::get(&app, &format!("/tiles/plots/{}/{}/{}.mvt", t.0, t.1, t.2)).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.headers["content-type"], "application/vnd.mapbox-vector-tile");
        let features = decode(&r.body, "plots");
        assert!(!features.is_empty(), "z{z} tile over 广清产业园 is empty");
        let got: BTreeSet<String> = features.iter().map(|f| f.0.expect("plots carry their id").to_string()).collect();
        assert_eq!(got.len(), features.len(), "a plot appears twice");
        let (all, tiny) = truth(&db.pool, "plots", t).await;
        check_exact(&got, &all, &tiny);
        // Properties travel with each feature, Chinese-free codes and numbers alike.
        for (id, props) in &features {
            let status: String = sqlx::query_scalar("SELECT status FROM plots WHERE id = $1").bind(id.unwrap() as i64).fetch_one(&db.pool).await.unwrap();
            assert_eq!(props["status"], status);
            assert!(props.contains_key("code") && props.contains_key("area_mu"));
        }
    }
}

#[tokio::test]
async fn park_and_node_tiles_carry_text_ids_and_chinese_names() {
    let db = common::demo().await;
    let app = common::app(&db);
    let t = tile_of(113.08, 23.50, 8);
    let parks = decode(&common::get(&app, &format!("/tiles/parks/{}/{}/{}.mvt", t.0, t.1, t.2)).await.body, "parks");
    let got: BTreeSet<String> = parks.iter().map(|f| f.1["id"].clone()).collect();
    let (all, tiny) = truth(&db.pool, "(SELECT id, boundary AS geom FROM parks) p", t).await;
    check_exact(&got, &all, &tiny);
    assert!(parks.iter().any(|f| f.1["name_zh"] == "广清经济特别合作区广清产业园"));

    let t = tile_of(110.41, 21.20, 9);
    let nodes = decode(&common::get(&app, &format!("/tiles/transport-nodes/{}/{}/{}.mvt", t.0, t.1, t.2)).await.body, "transport-nodes");
    let got: BTreeSet<String> = nodes.iter().map(|f| f.1["id"].clone()).collect();
    let (all, tiny) = truth(&db.pool, "transport_nodes", t).await;
    assert!(all.contains("PT-05"), "湛江港 is in the tile");
    check_exact(&got, &all, &tiny);
}

#[tokio::test]
async fn empty_tiles_are_valid_and_bad_addresses_are_4xx() {
    let db = common::demo().await;
    let app = common::app(&db);
    // The South China Sea: no plot there.
    let t = tile_of(114.5, 19.0, 12);
    let r = common::get(&app, &format!("/tiles/plots/{}/{}/{}.mvt", t.0, t.1, t.2)).await;
    assert_eq!(r.status, 200);
    assert!(decode(&r.body, "plots").is_empty());
    for (uri, status) in [
        ("/tiles/plots/3/1/1.mvt", 404),    // below the layer's zooms
        ("/tiles/plots/19/1/1.mvt", 404),   // above them
        ("/tiles/plots/12/4096/1.mvt", 400), // x past the edge
        ("/tiles/plots/12/1/-1.mvt", 400),
        ("/tiles/plots/12/a/1.mvt", 400),
        ("/tiles/plots/12/1/1.png", 404),
        ("/tiles/roads/12/1/1.mvt", 404),   // not a tile layer
        ("/tiles/nothing.json", 404),
    ] {
        let r = common::get(&app, uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", String::from_utf8_lossy(&r.body));
        assert!(r.json()["description"].is_string());
    }
}

#[tokio::test]
async fn tiles_revalidate_with_etags_and_tilejson_describes_the_layer() {
    let db = common::demo().await;
    let app = common::app(&db);
    let t = tile_of(113.08, 23.50, 14);
    let uri = format!("/tiles/plots/{}/{}/{}.mvt", t.0, t.1, t.2);
    let first = common::get(&app, &uri).await;
    let tag = first.headers["etag"].to_str().unwrap().to_string();
    assert!(first.headers["cache-control"].to_str().unwrap().contains("max-age"));
    assert_eq!(common::request(&app, &uri, &[("if-none-match", &tag)]).await.status, 304);
    sqlx::query("UPDATE plots SET tax_wan = coalesce(tax_wan, 0) + 1 WHERE id = 1").execute(&db.pool).await.unwrap();
    assert_eq!(common::request(&app, &uri, &[("if-none-match", &tag)]).await.status, 200);

    // Tiles are kept once drawn: the same tile again is the same bytes, until a write
    // changes what it shows; then the kept one is not served.
    assert_eq!(common::get(&app, &uri).await.body, common::get(&app, &uri).await.body);
    let shown = decode(&common::get(&app, &uri).await.body, "plots");
    let (id, props) = shown.iter().find(|(_, p)| p["status"] == "available").expect("an available plot in the tile");
    sqlx::query("UPDATE plots SET status = 'unavailable' WHERE id = $1").bind(id.unwrap() as i64).execute(&db.pool).await.unwrap();
    let now = decode(&common::get(&app, &uri).await.body, "plots");
    let changed = now.iter().find(|(i, _)| i == id).expect("the plot is still drawn");
    assert_eq!(changed.1["status"], "unavailable", "the tile shows the write, not the kept tile ({props:?})");

    let tj = common::get(&app, "/tiles/plots.json").await.json();
    assert_eq!(tj["tilejson"], "3.0.0");
    assert!(tj["tiles"][0].as_str().unwrap().ends_with("/tiles/plots/{z}/{x}/{y}.mvt"));
    assert_eq!(tj["vector_layers"][0]["id"], "plots");
    assert_eq!(tj["vector_layers"][0]["fields"]["status"], "String");
    assert_eq!(tj["minzoom"], 10);
    let b = tj["bounds"].as_array().unwrap();
    assert!(b[0].as_f64().unwrap() > 109.0 && b[2].as_f64().unwrap() < 118.0);
}
