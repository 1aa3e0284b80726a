//! The demo data set (geodata/) meets what the foundation issue asks of it, checked in
//! PostGIS after loading, against facts typed here from DOMAIN.md and the seeds.

mod common;

use sqlx::PgPool;

async fn scalar_i64(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// (name in the seeds, planned km², lon, lat of its town from DOMAIN.md)
const PARKS: &[(&str, f64, f64, f64)] = &[
    ("广清经济特别合作区广清产业园", 28.7, 113.08, 23.50),
    ("广清经济特别合作区广德（英德）产业园", 36.25, 113.28, 24.28),
    ("广清经济特别合作区广佛（佛冈）产业园", 25.9, 113.45, 23.75),
    ("广清经济特别合作区广清空港现代物流产业新城", 37.0, 113.17, 23.64),
    ("广东清远高新技术产业开发区", 80.2, 112.98, 23.72),
    ("广州花都（清新）产业转移工业园", 70.9, 112.92, 23.78),
    ("广州白云（英德）产业转移工业园", 118.0, 113.42, 24.05),
    ("广东连州市产业转移工业园（清远民族工业园）", 92.3, 112.38, 24.75),
    ("飞来峡预制菜产业园", 460.0 / 1500.0, 113.22, 23.80),
    ("湛江市承接产业转移主平台", 80.0, 110.125, 21.00),
];

#[tokio::test]
async fn parks_are_the_seed_parks_at_their_towns_with_their_planned_areas() {
    let db = common::demo().await;
    assert!(scalar_i64(&db.pool, "SELECT count(*) FROM parks").await >= 10);
    for &(name, km2, lon, lat) in PARKS {
        let row: Option<(f64, f64)> = sqlx::query_as(
            "SELECT area_m2 / 1e6, ST_Distance(ST_Centroid(boundary)::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) / 1000
             FROM parks WHERE name_zh = $1",
        )
        .bind(name)
        .bind(lon)
        .bind(lat)
        .fetch_optional(&db.pool)
        .await
        .unwrap();
        let (area, km_off) = row.unwrap_or_else(|| panic!("park {name} missing"));
        assert!((area - km2).abs() / km2 < 0.05, "{name}: {area:.3} km² vs planned {km2}");
        // The towns' places are rough and parks spread over several towns: within 12 km
        // (the Zhanjiang platform's two parts lie 18 km apart around the point given).
        assert!(km_off < 12.0, "{name} is {km_off:.1} km from its town");
    }
    assert_eq!(
        scalar_i64(&db.pool, "SELECT count(*) FROM parks a JOIN parks b ON a.id < b.id AND ST_Intersects(a.boundary, b.boundary)").await,
        0,
        "park boundaries overlap"
    );
}

#[tokio::test]
async fn plots_tile_the_parks_without_overlapping() {
    let db = common::demo().await;
    assert!(scalar_i64(&db.pool, "SELECT count(*) FROM plots").await >= 3000);
    assert_eq!(scalar_i64(&db.pool, "SELECT count(*) FROM plots WHERE area_mu < 10 OR area_mu > 400").await, 0, "plot sizes 10-400 亩");
    assert_eq!(
        scalar_i64(&db.pool, "SELECT count(*) FROM plots p JOIN parks k ON k.id = p.park_id WHERE NOT ST_CoveredBy(p.geom, k.boundary)").await,
        0,
        "plots outside their park"
    );
    let overlapping = scalar_i64(
        &db.pool,
        "SELECT count(*) FROM plots a JOIN plots b ON a.id < b.id AND a.geom && b.geom
         AND ST_Relate(a.geom, b.geom, '2********')",
    )
    .await;
    assert_eq!(overlapping, 0, "pairs of plots whose interiors overlap");
    // Plots are laid out along a road grid: many share an edge with a neighbour.
    let neighbours = scalar_i64(
        &db.pool,
        "SELECT count(*) FROM plots a JOIN plots b ON a.id < b.id AND a.geom && b.geom
         AND ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))::geography) > 10",
    )
    .await;
    assert!(neighbours > 3000, "only {neighbours} pairs of plots share an edge");
    for park in ["GQ-01", "QY-01", "ZJ-01"] {
        assert!(scalar_i64(&db.pool, &format!("SELECT count(*) FROM plots WHERE park_id = '{park}'")).await >= 5, "{park} has plots");
    }
}

#[tokio::test]
async fn every_status_and_the_idle_rules_have_cases() {
    let db = common::demo().await;
    let statuses: Vec<String> = sqlx::query_scalar("SELECT code FROM land_statuses ORDER BY ord").fetch_all(&db.pool).await.unwrap();
    assert_eq!(statuses.len(), 9);
    for s in &statuses {
        let n = scalar_i64(&db.pool, &format!("SELECT count(*) FROM plots WHERE status = '{s}'")).await;
        assert!(n >= 10, "only {n} plots are {s}");
    }
    // A year or two past the agreed start with no start (as of the data's date).
    let late = scalar_i64(
        &db.pool,
        "SELECT count(*) FROM plots WHERE actual_start IS NULL AND agreed_start <= DATE '2026-10-31' - 365
         AND agreed_start > DATE '2026-10-31' - 3 * 365",
    )
    .await;
    assert!(late >= 20, "{late} plots are 1-3 years past their agreed start");
    // Started, under a third built, stalled for over a year.
    let stalled = scalar_i64(
        &db.pool,
        "SELECT count(*) FROM plots WHERE actual_start IS NOT NULL AND built_ratio < 1.0 / 3
         AND stalled_since <= DATE '2026-10-31' - 365",
    )
    .await;
    assert!(stalled >= 10, "{stalled} stalled plots");
    // Partly built land exists, and money figures where the land is in use.
    assert!(scalar_i64(&db.pool, "SELECT count(*) FROM plots WHERE built_ratio > 0.1 AND built_ratio < 0.9").await > 100);
    assert_eq!(scalar_i64(&db.pool, "SELECT count(*) FROM plots WHERE status = 'in_production' AND (tax_wan IS NULL OR invested_wan IS NULL)").await, 0);
    // The land-use codes are industrial, logistics and the unbuildable classes.
    for prefix in ["1001", "1101", "14"] {
        assert!(scalar_i64(&db.pool, &format!("SELECT count(*) FROM plots WHERE land_use LIKE '{prefix}%'")).await > 0, "{prefix}");
    }
}

#[tokio::test]
async fn idle_records_have_causes_dates_and_measures() {
    let db = common::demo().await;
    assert!(scalar_i64(&db.pool, "SELECT count(*) FROM idle_records").await >= 50);
    for kind in ["idle", "inefficient", "approved_unsupplied"] {
        assert!(scalar_i64(&db.pool, &format!("SELECT count(*) FROM idle_records WHERE kind = '{kind}'")).await > 0, "{kind}");
    }
    assert_eq!(scalar_i64(&db.pool, "SELECT count(*) FROM idle_records WHERE measure IS NULL OR note IS NULL").await, 0);
    // Each record's kind matches its plot's status.
    assert_eq!(scalar_i64(&db.pool, "SELECT count(*) FROM idle_records r JOIN plots p ON p.id = r.plot_id WHERE p.status <> r.kind").await, 0);
    // The idle fee is 20 % of the land price where one is charged.
    assert_eq!(
        scalar_i64(
            &db.pool,
            "SELECT count(*) FROM idle_records r JOIN plots p ON p.id = r.plot_id
             WHERE r.measure = 'idle_fee' AND abs(r.fee_wan - 0.2 * p.land_price_wan) > 0.1"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn transport_nodes_of_all_five_kinds_at_their_places() {
    let db = common::demo().await;
    assert!(scalar_i64(&db.pool, "SELECT count(*) FROM transport_nodes").await >= 40);
    assert_eq!(scalar_i64(&db.pool, "SELECT count(DISTINCT kind) FROM transport_nodes").await, 5);
    // Named places from DOMAIN.md, within 1 km of the coordinates it gives.
    for (name, lon, lat) in [
        ("飞霞站", 113.0794, 23.7440),
        ("广州白云国际机场", 113.2989, 23.3925),
        ("湛江吴川国际机场", 110.5903, 21.4817),
        ("湛江港", 110.4106, 21.1986),
        ("清远港", 112.996, 23.689),
    ] {
        let d: Option<f64> = sqlx::query_scalar(
            "SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) FROM transport_nodes WHERE name_zh = $1",
        )
        .bind(name)
        .bind(lon)
        .bind(lat)
        .fetch_optional(&db.pool)
        .await
        .unwrap();
        let d = d.unwrap_or_else(|| panic!("{name} missing"));
        assert!(d < 1000.0, "{name} is {d:.0} m off");
    }
    for name in ["清远站", "源潭站"] {
        assert_eq!(scalar_i64(&db.pool, &format!("SELECT count(*) FROM transport_nodes WHERE name_zh = '{name}'")).await, 1, "{name}");
    }
}

#[tokio::test]
async fn every_park_reaches_a_highway_interchange_by_road() {
    let db = common::demo().await;
    // Open roads are in the network; the two expressways being built (seed 002) are not.
    assert_eq!(scalar_i64(&db.pool, "SELECT count(*) FROM roads WHERE status = 'existing' AND (source IS NULL OR target IS NULL)").await, 0);
    assert_eq!(scalar_i64(&db.pool, "SELECT count(*) FROM roads WHERE status <> 'existing' AND source IS NULL AND target IS NULL").await, 2);
    let rows: Vec<(String, Option<f64>)> = sqlx::query_as(
        "WITH start AS (
           SELECT k.id, (SELECT v.id FROM road_vertices v ORDER BY v.geom <-> ST_PointOnSurface(k.boundary) LIMIT 1) AS vid
           FROM parks k),
         goal AS (
           SELECT (SELECT v.id FROM road_vertices v ORDER BY v.geom <-> n.geom LIMIT 1) AS vid
           FROM transport_nodes n WHERE n.kind = 'highway_interchange')
         SELECT s.id, (SELECT min(d.agg_cost) FROM pgr_dijkstra(
             'SELECT id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM roads WHERE source IS NOT NULL',
             s.vid, ARRAY(SELECT vid FROM goal)) d WHERE d.node = d.end_vid)
         FROM start s ORDER BY s.id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(rows.len() >= 10);
    for (park, seconds) in rows {
        let seconds = seconds.unwrap_or_else(|| panic!("park {park} reaches no highway interchange"));
        assert!(seconds > 0.0 && seconds < 3600.0, "park {park}: {seconds:.0} s to the nearest interchange");
    }
}

#[tokio::test]
async fn constraints_touch_parks_and_projects_are_the_seed_projects() {
    let db = common::demo().await;
    assert!(scalar_i64(&db.pool, "SELECT count(DISTINCT kind) FROM constraints").await >= 3);
    let parks_touched = scalar_i64(&db.pool, "SELECT count(DISTINCT k.id) FROM parks k JOIN constraints c ON ST_Intersects(k.boundary, c.geom)").await;
    assert!(parks_touched >= 3, "{parks_touched} parks touch a constraint area");
    for (investor_word, mu) in [
        ("敏实", 705.0),
        ("铭普", 700.0),
        ("腾讯", 395.0),
        ("广晟", 356.0),
        ("佳纳", 300.0),
        ("天赐", 231.0),
        ("雪松", 159.0),
        ("戴卡旭", 100.0),
        ("裕泰", 100.0),
        ("富强", 80.0),
        ("高兰德", 60.0),
    ] {
        let demand: Option<f64> =
            sqlx::query_scalar("SELECT demand_mu FROM projects WHERE name LIKE '%' || $1 || '%'").bind(investor_word).fetch_optional(&db.pool).await.unwrap();
        assert_eq!(demand, Some(mu), "project {investor_word}");
    }
}
