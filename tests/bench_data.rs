//! `parkland bench-data`: the synthetic data set loads with triggers off, so these tests
//! check that it holds what the triggers would have made: the same plot links, counted
//! writes, a routed network, and no broken reference.

mod common;

use parkland::bench_data::{generate, layout};

const PLOTS: u64 = 600;
const SEED: u64 = 7;

async fn scalar(pool: &sqlx::PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Every stored link, in order, with its bridge as text.
async fn links(pool: &sqlx::PgPool) -> Vec<(i64, i64, f64, f64, Option<String>)> {
    sqlx::query_as("SELECT a, b, gap_m, facing_m, ST_AsText(bridge) FROM plot_links ORDER BY a, b").fetch_all(pool).await.unwrap()
}

#[tokio::test]
async fn the_data_set_holds_what_the_triggers_would_have_made() {
    let db = common::empty().await;
    let plots_counted = scalar(&db.pool, "SELECT changes FROM change_counters WHERE table_name = 'plots'").await;
    let report = generate(&db.pool, PLOTS, SEED).await.unwrap();
    assert_eq!((report.parks, report.plots), (1, PLOTS as i64));

    // 600 plots of a 64-wide grid: nine full rows and 24 plots of a tenth. Every plot faces
    // its row neighbours and the plots above and below it, across an estate road or not
    // (30 m, within the 50 m reach); those pairs are the links. Diagonal neighbours meet at
    // a corner, or are 42.4 m apart across a crossing of roads: they never join, and are
    // not stored.
    let facing = 9 * 63 + 23 + 8 * 64 + 24;
    let corners = 8 * 2 * 63 + 1 + 23 * 2;
    assert_eq!(report.links, facing as i64);
    let side = layout(PLOTS, SEED).0[0].side_m;
    let stored = links(&db.pool).await;
    assert!(stored.iter().all(|l| (l.3 - side).abs() < 0.001), "linked plots face for the plot side, {side} m");
    let unstored: Vec<f64> = sqlx::query_scalar(
        "SELECT contact_length(ga, gb, ST_Distance(ga, gb))
         FROM plots a JOIN plots b ON a.id < b.id AND b.geom && ST_Expand(a.geom, 0.001) JOIN parks k ON k.id = a.park_id,
         LATERAL (SELECT ST_Transform(a.geom, gk_zone_srid(k.boundary)) AS ga, ST_Transform(b.geom, gk_zone_srid(k.boundary)) AS gb) m
         WHERE ST_Distance(ga, gb) <= plot_link_reach()
           AND NOT EXISTS (SELECT 1 FROM plot_links l WHERE l.a = a.id AND l.b = b.id)",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(unstored.len(), corners, "the pairs within reach that are not links");
    assert!(unstored.iter().all(|f| *f < 0.001), "they face for nothing: {unstored:?}");

    // The measures are contact_length's (migration 0003), pair by pair, to the last bit...
    let differing = scalar(
        &db.pool,
        "SELECT count(*) FROM plot_links l
         JOIN plots a ON a.id = l.a JOIN plots b ON b.id = l.b JOIN parks k ON k.id = a.park_id,
         LATERAL (SELECT ST_Transform(a.geom, gk_zone_srid(k.boundary)) AS ga, ST_Transform(b.geom, gk_zone_srid(k.boundary)) AS gb) m
         WHERE l.gap_m <> ST_Distance(ga, gb) OR l.facing_m <> contact_length(ga, gb, ST_Distance(ga, gb))",
    )
    .await;
    assert_eq!(differing, 0);
    // ...and the links are those the trigger's function writes for the same plots.
    sqlx::query("DELETE FROM plot_links").execute(&db.pool).await.unwrap();
    sqlx::query("SELECT link_plots(ARRAY(SELECT id FROM plots))").execute(&db.pool).await.unwrap();
    assert_eq!(links(&db.pool).await, stored);

    // The writes were counted, as a server keeping answers needs.
    assert!(scalar(&db.pool, "SELECT changes FROM change_counters WHERE table_name = 'plots'").await > plots_counted);
    // No reference is broken, though the plots went in without foreign-key checks.
    for orphans in [
        "SELECT count(*) FROM plots p WHERE NOT EXISTS (SELECT 1 FROM parks k WHERE k.id = p.park_id)",
        "SELECT count(*) FROM plots p WHERE NOT EXISTS (SELECT 1 FROM land_use_codes c WHERE c.code = p.land_use)",
        "SELECT count(*) FROM plots p WHERE NOT EXISTS (SELECT 1 FROM land_statuses s WHERE s.code = p.status)",
    ] {
        assert_eq!(scalar(&db.pool, orphans).await, 0, "{orphans}");
    }
    // The roads joined the network, and every node can be reached from the park's centre road.
    assert_eq!((report.nodes, report.roads), (5, 5));
    assert_eq!(scalar(&db.pool, "SELECT count(*) FROM roads WHERE source IS NULL OR target IS NULL").await, 0);
    assert_eq!(scalar(&db.pool, "SELECT count(DISTINCT node_id) FROM road_access").await, 5);

    let again = generate(&db.pool, PLOTS, SEED).await.unwrap_err().to_string();
    assert!(again.contains("already holds 1 parks"), "{again}");
}

#[tokio::test]
async fn a_connection_without_superuser_rights_is_told_what_it_needs_and_nothing_is_written() {
    let db = common::empty().await;
    let role = format!("bench_{}", db.name.rsplit('_').next().unwrap());
    sqlx::query(&format!("CREATE ROLE {role} LOGIN")).execute(&db.pool).await.unwrap();
    let pool = sqlx::PgPool::connect_with(db.options().username(&role)).await.unwrap();
    let refused = generate(&pool, PLOTS, SEED).await.unwrap_err().to_string();
    pool.close().await;
    sqlx::query(&format!("DROP ROLE {role}")).execute(&db.pool).await.unwrap();
    assert!(refused.contains("needs a superuser"), "{refused}");
    assert_eq!(scalar(&db.pool, "SELECT count(*) FROM parks").await, 0);
}
