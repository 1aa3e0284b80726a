//! Contiguous land on hand-made plots drawn in EPSG:4547 metres, with answers worked out
//! by hand: a 100-亩 square has sides of √(100 × 10000 / 15) = 258.199 m.

mod common;

const SIDE: f64 = 258.198_889_747_161_1;
const X0: f64 = 400_000.0;
const Y0: f64 = 2_600_000.0;

async fn park(pool: &sqlx::PgPool) {
    sqlx::query(
        "INSERT INTO parks (id, name_zh, level, city, boundary)
         VALUES ('GQ-01', '广清产业园', 'main_platform', '清远市',
                 ST_Multi(ST_Transform(ST_MakeEnvelope(399000, 2599000, 403000, 2603000, 4547), 4326)))",
    )
    .execute(pool)
    .await
    .unwrap();
}

/// A square plot with its lower-left corner at (x, y) metres in EPSG:4547.
async fn square<'e>(db: impl sqlx::PgExecutor<'e>, code: &str, status: &str, x: f64, y: f64) -> i64 {
    let user = if status == "available" { None } else { Some("清远测试有限公司") };
    let supplied = if status == "available" { None } else { Some(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()) };
    sqlx::query_scalar(
        "INSERT INTO plots (park_id, code, land_use, status, land_user, supplied_on, geom)
         VALUES ('GQ-01', $1, '100102', $2, $3, $4, ST_Multi(ST_Transform(ST_MakeEnvelope($5, $6, $5 + $7, $6 + $7, 4547), 4326)))
         RETURNING id",
    )
    .bind(code)
    .bind(status)
    .bind(user)
    .bind(supplied)
    .bind(x)
    .bind(y)
    .bind(SIDE)
    .fetch_one(db)
    .await
    .unwrap()
}

/// The stored facing length of two plots, if they are linked.
async fn facing(pool: &sqlx::PgPool, a: i64, b: i64) -> Option<f64> {
    sqlx::query_scalar("SELECT facing_m FROM plot_links WHERE a = $1 AND b = $2").bind(a.min(b)).bind(a.max(b)).fetch_optional(pool).await.unwrap()
}

async fn blocks(app: &axum::Router, query: &str) -> Vec<serde_json::Value> {
    let r = common::get(app, &format!("/analysis/contiguity?park=GQ-01&{query}")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()["features"].as_array().unwrap().iter().map(|f| f["properties"].clone()).collect()
}

#[tokio::test]
async fn three_squares_in_a_row_are_one_300_mu_block() {
    let db = common::empty().await;
    park(&db.pool).await;
    for i in 0..3 {
        square(&db.pool, &format!("R{i}"), "available", X0 + SIDE * i as f64, Y0).await;
    }
    let app = common::app(&db);
    let b = blocks(&app, "").await;
    assert_eq!(b.len(), 1, "{b:?}");
    let area = b[0]["area_mu"].as_f64().unwrap();
    // Geodesic area is under the Gauss-Krüger one by the zone's scale (k ≈ 1.00012 at 100 km from 114°E).
    assert!((area - 300.0).abs() < 0.5, "{area} 亩");
    assert_eq!(b[0]["plots"], 3);
    let c = b[0]["compactness"].as_f64().unwrap();
    assert!((c - 3.0 * std::f64::consts::PI / 16.0).abs() < 0.005, "compactness {c}, a 3:1 rectangle is 3π/16");
}

#[tokio::test]
async fn squares_meeting_at_a_corner_are_two_blocks() {
    let db = common::empty().await;
    park(&db.pool).await;
    square(&db.pool, "A", "available", X0, Y0).await;
    square(&db.pool, "B", "available", X0 + SIDE, Y0 + SIDE).await;
    let app = common::app(&db);
    let b = blocks(&app, "").await;
    assert_eq!(b.len(), 2, "a corner is not a shared boundary: {b:?}");
    // Nor with a gap allowance smaller than the plots' sides: the corner contact is a point.
    assert_eq!(blocks(&app, "max_gap_m=5").await.len(), 2);
}

#[tokio::test]
async fn plots_across_a_30_m_road_join_only_when_the_gap_allows_30_m() {
    let db = common::empty().await;
    park(&db.pool).await;
    square(&db.pool, "W", "available", X0, Y0).await;
    square(&db.pool, "E", "available", X0 + SIDE + 30.0, Y0).await;
    let app = common::app(&db);
    assert_eq!(blocks(&app, "").await.len(), 2);
    assert_eq!(blocks(&app, "max_gap_m=29").await.len(), 2);
    let joined = blocks(&app, "max_gap_m=30").await;
    assert_eq!(joined.len(), 1, "{joined:?}");
    assert!((joined[0]["area_mu"].as_f64().unwrap() - 200.0).abs() < 0.4);
}

#[tokio::test]
async fn only_the_chosen_statuses_count_and_a_taken_plot_splits_a_row() {
    let db = common::empty().await;
    park(&db.pool).await;
    square(&db.pool, "L", "available", X0, Y0).await;
    square(&db.pool, "M", "in_production", X0 + SIDE, Y0).await;
    square(&db.pool, "R", "idle", X0 + 2.0 * SIDE, Y0).await;
    let app = common::app(&db);
    assert_eq!(blocks(&app, "").await.len(), 1, "only L is available");
    assert_eq!(blocks(&app, "statuses=available,idle").await.len(), 2, "M splits the row");
    let all = blocks(&app, "statuses=available,idle,in_production").await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["statuses"].as_array().unwrap().len(), 3);
    assert_eq!(common::get(&app, "/analysis/contiguity?statuses=sold").await.status, 400);
    assert_eq!(common::get(&app, "/analysis/contiguity?max_gap_m=-1").await.status, 400);
    assert_eq!(common::get(&app, "/analysis/contiguity?park=XX-99").await.status, 404);
}

#[tokio::test]
async fn an_expressway_in_the_gap_keeps_plots_apart_at_any_gap() {
    let db = common::empty().await;
    park(&db.pool).await;
    square(&db.pool, "W", "available", X0, Y0).await;
    square(&db.pool, "E", "available", X0 + SIDE + 30.0, Y0).await;
    let app = common::app(&db);
    assert_eq!(blocks(&app, "max_gap_m=30").await.len(), 1);
    // The expressway is added after the plots: the barrier counts as the roads stand now.
    let mid = X0 + SIDE + 15.0;
    sqlx::query(&format!(
        "INSERT INTO roads (class, name, speed_kmh, geom)
         VALUES ('expressway', '测试高速', 100, ST_Transform(ST_MakeLine(ST_Point({mid}, {}, 4547), ST_Point({mid}, {}, 4547)), 4326))",
        Y0 - 500.0,
        Y0 + 800.0
    ))
    .execute(&db.pool)
    .await
    .unwrap();
    assert_eq!(blocks(&app, "max_gap_m=30").await.len(), 2, "no block crosses an expressway");
}

#[tokio::test]
async fn the_stored_neighbours_follow_a_moved_or_deleted_plot() {
    let db = common::empty().await;
    park(&db.pool).await;
    let a = square(&db.pool, "A", "available", X0, Y0).await;
    let b = square(&db.pool, "B", "available", X0 + SIDE, Y0).await;
    let app = common::app(&db);
    assert_eq!(blocks(&app, "").await.len(), 1);
    let facing = facing(&db.pool, a, b).await.expect("A and B are linked");
    assert!((facing - SIDE).abs() < 0.1, "the shared side is {SIDE} m, stored {facing}");
    // Moved 100 m east, B no longer touches A; 40 m back west it faces A across 60 m...
    sqlx::query("UPDATE plots SET geom = ST_Multi(ST_Transform(ST_Translate(ST_Transform(geom, 4547), 100, 0), 4326)) WHERE id = $1")
        .bind(b)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(blocks(&app, "").await.len(), 2);
    assert_eq!(blocks(&app, "max_gap_m=50").await.len(), 2, "100 m is beyond any gap");
    sqlx::query("UPDATE plots SET geom = ST_Multi(ST_Transform(ST_Translate(ST_Transform(geom, 4547), -60, 0), 4326)) WHERE id = $1")
        .bind(b)
        .execute(&db.pool)
        .await
        .unwrap();
    // ...which is 40 m: joined at a 40 m allowance, not at 39.
    assert_eq!(blocks(&app, "max_gap_m=39").await.len(), 2);
    assert_eq!(blocks(&app, "max_gap_m=40").await.len(), 1);
    sqlx::query("DELETE FROM plots WHERE id = $1").bind(b).execute(&db.pool).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM plot_links").fetch_one(&db.pool).await.unwrap();
    assert_eq!(left, 0, "a deleted plot takes its links with it");
}

#[tokio::test]
async fn the_widest_gap_is_the_reach_of_the_stored_neighbours() {
    let db = common::empty().await;
    let (reach, least): (f64, f64) = sqlx::query_as("SELECT plot_link_reach(), plot_link_min_facing()").fetch_one(&db.pool).await.unwrap();
    assert_eq!(reach, parkland::analysis::contiguity::MAX_GAP_M);
    assert_eq!(least, parkland::analysis::contiguity::MIN_SHARED_M, "links are stored down to the least facing a question asks for");
    let app = common::app(&db);
    let r = common::get(&app, "/analysis/contiguity?max_gap_m=51").await;
    assert_eq!(r.status, 400);
    assert!(String::from_utf8_lossy(&r.body).contains("max_gap_m"), "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn neighbours_written_at_once_by_two_editors_are_linked() {
    let db = common::empty().await;
    park(&db.pool).await;
    // The first editor writes A and has not committed when the second writes B beside it.
    let mut first = db.pool.begin().await.unwrap();
    let a = square(&mut *first, "A", "available", X0, Y0).await;
    let pool = db.pool.clone();
    let (pid_tx, pid_rx) = tokio::sync::oneshot::channel::<i32>();
    let second = tokio::spawn(async move {
        let mut tx = pool.begin().await.unwrap();
        let pid = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&mut *tx).await.unwrap();
        pid_tx.send(pid).unwrap();
        let b = square(&mut *tx, "B", "available", X0 + SIDE, Y0).await;
        tx.commit().await.unwrap();
        b
    });
    let pid = pid_rx.await.unwrap();
    // Then the first commits, once the second waits for a lock or is done. (Writers of
    // plots also queue on the plots' change counter, but only after the link trigger has
    // measured: that wait alone does not link A and B.)
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let waiting: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_locks WHERE pid = $1 AND NOT granted").bind(pid).fetch_one(&db.pool).await.unwrap();
            if waiting > 0 || second.is_finished() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the second editor waits or is done within 10 s");
    first.commit().await.unwrap();
    let b = second.await.unwrap();
    let stored = facing(&db.pool, a, b).await;
    assert!(stored.is_some_and(|f| (f - SIDE).abs() < 0.1), "A and B share a {SIDE} m side, stored {stored:?}");
    assert_eq!(blocks(&common::app(&db), "").await.len(), 1);
}
