//! Vector tiles decode as Mapbox Vector Tiles and hold exactly the features that
//! intersect the tile; bad tile addresses are 4xx; a kept tile is never served after a
//! write it does not show.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use geozero::mvt::{Message, Tile};
use parkland::auth::{self, Role};
use parkland::store::counters::Counters;

/// The z/x/y of the tile holding (lon, lat).
fn tile_of(lon: f64, lat: f64, z: u32) -> (u32, u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let r = lat.to_radians();
    let y = ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
    (z, x, y)
}

/// The z14 plots tile at 113.08° E, 23.50° N, over demo plots (an available one among
/// them): the tile the tests that write and read one tile again use.
fn town_plots_tile() -> String {
    let t = tile_of(113.08, 23.50, 14);
    format!("/tiles/plots/{}/{}/{}.mvt", t.0, t.1, t.2)
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
        ("/tiles/plots/3/1/1.mvt", 404),     // below the layer's zooms
        ("/tiles/plots/19/1/1.mvt", 404),    // above them
        ("/tiles/plots/12/4096/1.mvt", 400), // x past the edge
        ("/tiles/plots/12/1/-1.mvt", 400),
        ("/tiles/plots/12/a/1.mvt", 400),
        ("/tiles/plots/12/1/1.png", 404),
        ("/tiles/roads/12/1/1.mvt", 404), // not a tile layer
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
    let uri = town_plots_tile();
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

/// What the counters say of `table` now, kept or read.
async fn counted(counters: &Counters, pool: &sqlx::PgPool, table: &str) -> i64 {
    counters.now(pool).await.unwrap()[table]
}

/// A write to change_counters itself fires no trigger, so sends no notice: a way to see
/// whether the counters are kept or read.
async fn bump_silently(pool: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar("UPDATE change_counters SET changes = changes + 1000 WHERE table_name = 'roads' RETURNING changes").fetch_one(pool).await.unwrap()
}

async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done().await {
        assert!(Instant::now() < deadline, "{what}: not within 10 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn counters_are_kept_until_a_notice_a_forget_or_a_lost_listener() {
    let db = common::demo().await;
    let pool = &db.pool;
    let counters = Counters::default();
    // Without a listener every call reads.
    let silent = bump_silently(pool).await;
    assert_eq!(counted(&counters, pool, "roads").await, silent);

    counters.listen(pool, Duration::from_secs(3600));
    until("the listener subscribes", async || counters.listening()).await;
    let kept = counted(&counters, pool, "roads").await;
    bump_silently(pool).await;
    assert_eq!(counted(&counters, pool, "roads").await, kept, "kept while no notice came");

    // A counted write sends a notice when it commits; the counters are read again.
    sqlx::query("UPDATE plots SET tax_wan = coalesce(tax_wan, 0) + 1 WHERE id = 1").execute(pool).await.unwrap();
    let (roads, plots): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT changes FROM change_counters WHERE table_name = 'roads'), (SELECT changes FROM change_counters WHERE table_name = 'plots')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    until("the notice is heard", async || counted(&counters, pool, "plots").await == plots).await;
    assert_eq!(counted(&counters, pool, "roads").await, roads);

    // This process's own writes forget them at once.
    let silent = bump_silently(pool).await;
    assert_eq!(counted(&counters, pool, "roads").await, roads, "kept");
    counters.forget();
    assert_eq!(counted(&counters, pool, "roads").await, silent, "read after forget");

    // A lost listener: notices may have been missed, so the counters are read again.
    let silent = bump_silently(pool).await;
    let ended: Vec<bool> =
        sqlx::query_scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(ended, vec![true], "one listener connection, ended");
    until("the lost listener is noticed", async || counted(&counters, pool, "roads").await == silent).await;
    // ... and it listens again: kept once more.
    until("the listener subscribes again", async || counters.listening()).await;
    until("a count is kept again", async || {
        let before = counted(&counters, pool, "roads").await;
        bump_silently(pool).await;
        counted(&counters, pool, "roads").await == before
    })
    .await;
}

#[tokio::test]
async fn a_kept_tile_follows_writes_through_this_process_and_others() {
    let db = common::demo().await;
    let uri = town_plots_tile();
    let (mut a, port_a) = common::serve_binary(&db.url(), &[]);
    let (mut b, port_b) = common::serve_binary(&db.url(), &[]);
    let status_of = |port: u16, id: u64| {
        let (code, _, body) = common::http(port, "GET", &uri, &[], "");
        assert_eq!(code, 200);
        decode(&body, "plots").into_iter().find(|(i, _)| *i == Some(id)).expect("the plot is drawn").1["status"].clone()
    };
    let shown = decode(&common::http(port_a, "GET", &uri, &[], "").2, "plots");
    let id = shown.iter().find(|(_, p)| p["status"] == "available").expect("an available plot in the tile").0.unwrap();
    for port in [port_a, port_b] {
        assert_eq!(status_of(port, id), "available");
        assert_eq!(status_of(port, id), "available", "kept");
    }

    // Through A: A's next tile shows it, with no wait.
    let token = auth::create(&db.pool, "瓦片测试", Role::Editor).await.unwrap();
    let item = format!("/collections/plots/items/{id}");
    let (_, head, _) = common::http(port_a, "GET", &item, &[], "");
    let etag = head.lines().find_map(|l| l.to_ascii_lowercase().starts_with("etag:").then(|| l[5..].trim().to_string())).unwrap();
    let auth = format!("Bearer {token}");
    let headers = [("Authorization", auth.as_str()), ("If-Match", etag.as_str()), ("Content-Type", "application/merge-patch+json")];
    let (code, _, body) = common::http(port_a, "PATCH", &item, &headers, r#"{"properties": {"status": "reserve"}}"#);
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(status_of(port_a, id), "reserve", "A's own write");
    // B hears of it from PostgreSQL; so do both of a write made outside parkland.
    until("B shows A's write", async || status_of(port_b, id) == "reserve").await;
    sqlx::query("UPDATE plots SET status = 'available' WHERE id = $1").bind(id as i64).execute(&db.pool).await.unwrap();
    for port in [port_a, port_b] {
        until("a write made in SQL is shown", async || status_of(port, id) == "available").await;
    }
    a.kill().unwrap();
    b.kill().unwrap();
    a.wait().unwrap();
    b.wait().unwrap();
}

#[tokio::test]
async fn a_client_that_takes_gzip_gets_the_tile_gzipped_once_and_whole() {
    use std::io::Read;
    let db = common::demo().await;
    let app = common::app(&db);
    let uri = town_plots_tile();
    let plain = common::get(&app, &uri).await;
    assert!(plain.headers.get("content-encoding").is_none());
    for (accept, gzipped) in
        [("gzip", true), ("gzip, deflate, br", true), ("br;q=1.0, gzip;q=0.8", true), ("*", true), ("gzip;q=0", false), ("identity", false), ("br", false)]
    {
        // Twice: the first draws the tile, the second is the kept one.
        for _ in 0..2 {
            let r = common::request(&app, &uri, &[("accept-encoding", accept)]).await;
            assert_eq!(r.status, 200);
            assert_eq!(r.headers["vary"], "accept-encoding");
            assert_eq!(r.headers["etag"], plain.headers["etag"], "one tag whatever the encoding");
            if gzipped {
                assert_eq!(r.headers["content-encoding"], "gzip", "{accept}");
                let mut whole = Vec::new();
                flate2::read::GzDecoder::new(&r.body[..]).read_to_end(&mut whole).unwrap();
                assert_eq!(whole, plain.body, "{accept}: the same tile");
                assert!(r.body.len() < plain.body.len());
            } else {
                assert!(r.headers.get("content-encoding").is_none(), "{accept}");
                assert_eq!(r.body, plain.body);
            }
        }
    }
}
