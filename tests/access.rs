//! Road access on a hand-made graph drawn in EPSG:4547 metres:
//!
//! ```text
//!            C (interchange HI-T)
//!            |  2 km at 30 km/h = 240 s
//!   A ------ B (station RS-T)          and a direct road A–C, 2236 m at 20 km/h = 402.5 s
//!     1 km at 60 km/h = 60 s
//! ```
//! A plot centred 500 m west of A: its leg to A at 20 km/h is 90 s.

mod common;

async fn fixture(pool: &sqlx::PgPool) -> i64 {
    sqlx::query(
        "INSERT INTO parks (id, name_zh, level, city, boundary) VALUES ('GQ-01', '广清产业园', 'main_platform', '清远市',
         ST_Multi(ST_Transform(ST_MakeEnvelope(398000, 2598000, 404000, 2604000, 4547), 4326)))",
    )
    .execute(pool)
    .await
    .unwrap();
    let pt = |x: f64, y: f64| format!("ST_Transform(ST_SetSRID(ST_MakePoint({x}, {y}), 4547), 4326)");
    let (a, b, c) = (pt(400_000.0, 2_600_000.0), pt(401_000.0, 2_600_000.0), pt(401_000.0, 2_602_000.0));
    for (from, to, speed) in [(&a, &b, 60.0), (&b, &c, 30.0), (&a, &c, 20.0)] {
        sqlx::query(&format!("INSERT INTO roads (class, name, speed_kmh, geom) VALUES ('county', '测试路', $1, ST_MakeLine({from}, {to}))"))
            .bind(speed)
            .execute(pool)
            .await
            .unwrap();
    }
    sqlx::query("SELECT rebuild_road_topology()").execute(pool).await.unwrap();
    for (id, kind, at) in [("HI-T", "highway_interchange", &c), ("RS-T", "rail_station", &b), ("HI-A", "highway_interchange", &a)] {
        sqlx::query(&format!("INSERT INTO transport_nodes (id, kind, name_zh, geom) VALUES ($1, $2, $1, {at})"))
            .bind(id)
            .bind(kind)
            .execute(pool)
            .await
            .unwrap();
    }
    sqlx::query_scalar(
        "INSERT INTO plots (park_id, code, land_use, status, geom)
         VALUES ('GQ-01', 'P', '100102', 'available', ST_Multi(ST_Transform(ST_MakeEnvelope(399450, 2599950, 399550, 2600050, 4547), 4326)))
         RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= want.abs() * 0.005 + 0.01, "{what}: {got}, by hand {want}");
}

#[tokio::test]
async fn travel_time_on_a_hand_made_graph_equals_the_hand_computed_value() {
    let db = common::empty().await;
    let plot = fixture(&db.pool).await;
    let app = common::app(&db);
    let r = common::get(&app, &format!("/analysis/access?plot={plot}")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let a = r.json()["access"].clone();
    // The interchange at A is nearer than the one at C: 500 m, 90 s.
    let hi = &a["highway_interchange"];
    assert_eq!(hi["node_id"], "HI-A");
    close(hi["minutes"].as_f64().unwrap(), 1.5, "minutes to HI-A");
    // The station at B: leg 90 s + A–B 60 s = 2.5 min; 0.5 + 1 road-km; 1.5 km straight.
    let rs = &a["rail_station"];
    assert_eq!(rs["node_id"], "RS-T");
    close(rs["minutes"].as_f64().unwrap(), 2.5, "minutes to RS-T");
    close(rs["road_km"].as_f64().unwrap(), 1.5, "road km to RS-T");
    close(rs["km"].as_f64().unwrap(), 1.5, "km to RS-T");
    assert!(a.get("airport").is_none(), "no airport in the fixture");

    // Without HI-A, C is the nearest interchange: 90 s + 60 s + 240 s = 6.5 min (not the
    // direct road: 90 + 402.5 s), 3.5 road-km, 2.5 km in a straight line.
    sqlx::query("DELETE FROM transport_nodes WHERE id = 'HI-A'").execute(&db.pool).await.unwrap();
    let a = common::get(&app, &format!("/analysis/access?plot={plot}")).await.json()["access"].clone();
    let hi = &a["highway_interchange"];
    assert_eq!(hi["node_id"], "HI-T");
    close(hi["minutes"].as_f64().unwrap(), 6.5, "minutes to HI-T");
    close(hi["road_km"].as_f64().unwrap(), 3.5, "road km to HI-T");
    close(hi["km"].as_f64().unwrap(), 2.5, "straight km to HI-T");
    // A slower access leg (10 km/h: 180 s) adds 1.5 minutes.
    let slow = common::get(&app, &format!("/analysis/access?plot={plot}&access_kmh=10")).await.json();
    close(slow["access"]["highway_interchange"]["minutes"].as_f64().unwrap(), 8.0, "minutes at 10 km/h");
}

#[tokio::test]
async fn an_isochrone_holds_the_vertices_reachable_in_time_and_no_others() {
    let db = common::empty().await;
    fixture(&db.pool).await;
    let app = common::app(&db);
    let vertex_at =
        |x: f64, y: f64| format!("SELECT id FROM road_vertices ORDER BY geom <-> ST_Transform(ST_SetSRID(ST_MakePoint({x}, {y}), 4547), 4326) LIMIT 1");
    let a: i64 = sqlx::query_scalar(&vertex_at(400_000.0, 2_600_000.0)).fetch_one(&db.pool).await.unwrap();
    let b: i64 = sqlx::query_scalar(&vertex_at(401_000.0, 2_600_000.0)).fetch_one(&db.pool).await.unwrap();
    let c: i64 = sqlx::query_scalar(&vertex_at(401_000.0, 2_602_000.0)).fetch_one(&db.pool).await.unwrap();
    let reached = |body: &serde_json::Value| -> Vec<i64> {
        let mut v: Vec<i64> = body["properties"]["vertices"].as_array().unwrap().iter().map(|x| x["vertex"].as_i64().unwrap()).collect();
        v.sort();
        v
    };
    // 4.9 minutes (294 s) from A: B at 60 s; C needs 300 s (via B) or 402.5 s (direct).
    let short = common::get(&app, "/analysis/isochrone?node=HI-A&minutes=4.9").await.json();
    let mut want = vec![a, b];
    want.sort();
    assert_eq!(reached(&short), want);
    // 5.1 minutes (306 s): C too.
    let long = common::get(&app, "/analysis/isochrone?node=HI-A&minutes=5.1").await.json();
    let mut want = vec![a, b, c];
    want.sort();
    assert_eq!(reached(&long), want);

    // 4 minutes (240 s): the network is A–B whole (1000 m), B–C cut at (240-60)/240 of its
    // 2000 m (1500 m), and A–C cut at 240/402.5 of its 2236 m (1333 m): 3833 m in all.
    let four = common::get(&app, "/analysis/isochrone?node=HI-A&minutes=4").await.json();
    let network = four["properties"]["network"].to_string();
    let length: f64 = sqlx::query_scalar("SELECT ST_Length(ST_GeomFromGeoJSON($1)::geography)").bind(&network).fetch_one(&db.pool).await.unwrap();
    close(length, 3833.0, "reached network length (m)");
    assert_eq!(four["geometry"]["type"], "Polygon");

    assert_eq!(common::get(&app, "/analysis/isochrone?node=NOPE&minutes=5").await.status, 404);
    assert_eq!(common::get(&app, "/analysis/isochrone?node=HI-A").await.status, 400);
    assert_eq!(common::get(&app, "/analysis/access").await.status, 400);
    assert_eq!(common::get(&app, "/analysis/access?plot=999999").await.status, 404);
}

/// After a road is slowed, one removed and a node moved, the road access written as a
/// difference (migration 0012) equals the road access worked out from nothing, row for
/// row, to the bit; and the edits did change it.
#[tokio::test]
async fn road_access_written_as_a_difference_equals_road_access_worked_out_anew() {
    let db = common::demo().await;
    let pool = &db.pool;
    type Rows = Vec<(i64, String, f64, f64)>;
    let rows = || async {
        sqlx::query_as::<_, (i64, String, f64, f64)>("SELECT vid, node_id, seconds, road_m FROM road_access ORDER BY vid, node_id")
            .fetch_all(pool)
            .await
            .unwrap()
    };
    let before: Rows = rows().await;
    assert!(before.len() > 1000, "the demo's network reaches its nodes");

    // A road off the network, then joined to it, then cut off again: its vertices gain
    // rows and lose them while they stay on the map.
    let first_vertex = "(SELECT geom FROM road_vertices ORDER BY id LIMIT 1)";
    let apart = format!(
        "INSERT INTO roads (class, name, speed_kmh, geom) SELECT 'county', '测试孤路', 40, ST_MakeLine(ST_Translate(g, 0.01, 0.01), ST_Translate(g, 0.02, 0.01)) FROM {first_vertex} v(g)"
    );
    let join = format!("INSERT INTO roads (class, name, speed_kmh, geom) SELECT 'county', '测试连路', 40, ST_MakeLine(g, ST_Translate(g, 0.01, 0.01)) FROM {first_vertex} v(g)");
    let edits = [
        "UPDATE roads SET speed_kmh = speed_kmh / 2 WHERE id = (SELECT min(id) FROM roads WHERE class = 'expressway')",
        "DELETE FROM roads WHERE id = (SELECT max(id) FROM roads WHERE class <> 'expressway')",
        &apart,
        &join,
        "DELETE FROM roads WHERE name = '测试连路'",
        "UPDATE transport_nodes SET geom = ST_Translate(geom, 0.01, 0) WHERE id = (SELECT min(id) FROM transport_nodes)",
    ];
    let apart_rows = "SELECT count(*) FROM road_access a JOIN roads r ON a.vid IN (r.source, r.target) WHERE r.name = '测试孤路'";
    let mut reached_apart = Vec::new();
    for edit in edits {
        sqlx::query(edit).execute(pool).await.unwrap_or_else(|e| panic!("{edit}: {e}"));
        reached_apart.push(sqlx::query_scalar::<_, i64>(apart_rows).fetch_one(pool).await.unwrap());
        let written: Rows = rows().await;
        sqlx::query("DELETE FROM road_access").execute(pool).await.unwrap();
        sqlx::query("SELECT refresh_road_access()").execute(pool).await.unwrap();
        let anew: Rows = rows().await;
        assert_eq!(written.len(), anew.len(), "after {edit}");
        for (w, a) in written.iter().zip(&anew) {
            assert!(w.0 == a.0 && w.1 == a.1 && w.2.to_bits() == a.2.to_bits() && w.3.to_bits() == a.3.to_bits(), "after {edit}: {w:?} written, {a:?} anew");
        }
    }
    assert_ne!(before, rows().await, "the edits changed road access");
    assert!(reached_apart[2] == 0 && reached_apart[3] > 0 && reached_apart[4] == 0, "the road apart reached, then not: {reached_apart:?}");
}
