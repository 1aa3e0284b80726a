//! Scale-out on PostgreSQL replicas, on the real binary: a primary and a streaming
//! hot standby (private clusters of the test's own), two parkland processes reading from
//! the standby and writing to the primary; a write made through one process is read back
//! through the other after replication; with the primary stopped, reads go on.

mod common;

use std::time::{Duration, Instant};

use parkland::auth::{self, Role};
use parkland::db::embedded::Cluster;
use serde_json::Value;

fn json(port: u16, path: &str) -> (u16, Value, String) {
    let (status, head, body) = common::http(port, "GET", path, &[], "");
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null), head)
}

#[tokio::test]
async fn reads_go_to_the_standby_and_a_write_is_read_back_after_replication() {
    let dir = tempfile::tempdir().unwrap();
    let primary = Cluster::start(&dir.path().join("primary")).await.expect("the primary starts");
    let primary_pool = sqlx::PgPool::connect_with(primary.connect_options("parkland")).await.unwrap();
    parkland::db::migrate(&primary_pool).await.unwrap();
    common::small_park(&primary_pool).await;
    let plot: i64 = sqlx::query_scalar(
        "INSERT INTO plots (park_id, code, land_use, status, geom) VALUES ('GQ-01', 'GQ-01-R-01', '100102', 'available',
           ST_Multi(ST_Transform(ST_MakeEnvelope(400100, 2600100, 400300, 2600300, 4547), 4326))) RETURNING id",
    )
    .fetch_one(&primary_pool)
    .await
    .unwrap();
    let token = auth::create(&primary_pool, "副本测试", Role::Editor).await.unwrap();

    let standby = Cluster::start_standby(&dir.path().join("standby"), &primary).await.expect("the standby starts");
    let standby_pool = sqlx::PgPool::connect_with(standby.connect_options("parkland")).await.unwrap();
    let in_recovery: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()").fetch_one(&standby_pool).await.unwrap();
    assert!(in_recovery, "the standby is a hot standby");

    let (primary_url, standby_url) = (primary.url("parkland"), standby.url("parkland"));
    let (mut a, port_a) = common::serve_binary(&primary_url, &[("DATABASE_REPLICA_URLS", &standby_url)]);
    let (mut b, port_b) = common::serve_binary(&primary_url, &[("DATABASE_REPLICA_URLS", &standby_url)]);

    for port in [port_a, port_b] {
        let (status, page, _) = json(port, "/collections/plots/items");
        assert_eq!(status, 200);
        assert_eq!(page["features"][0]["properties"]["code"], "GQ-01-R-01");
        let (_, health, _) = json(port, "/health");
        assert_eq!(health["replicas"][0]["serving_reads"], true, "{health}");
    }

    // A write through A goes to the primary. While the standby's replay is paused, both
    // processes still read the old value: reads come from the standby. Once it replays,
    // B reads the write back.
    sqlx::query("SELECT pg_wal_replay_pause()").execute(&standby_pool).await.unwrap();
    let item = format!("/collections/plots/items/{plot}");
    let (status, _, head) = json(port_a, &item);
    assert_eq!(status, 200);
    let etag = head.lines().find_map(|l| l.to_ascii_lowercase().starts_with("etag:").then(|| l[5..].trim().to_string())).unwrap();
    let auth = format!("Bearer {token}");
    let (status, _, body) = common::http(
        port_a,
        "PATCH",
        &item,
        &[("Authorization", &auth), ("If-Match", &etag), ("Content-Type", "application/merge-patch+json")],
        r#"{"properties": {"land_price_wan": 4321.5, "far_max": 2.5}}"#,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let on_primary: f64 = sqlx::query_scalar("SELECT land_price_wan FROM plots WHERE id = $1").bind(plot).fetch_one(&primary_pool).await.unwrap();
    assert_eq!(on_primary, 4321.5, "written to the primary");
    for port in [port_a, port_b] {
        let (_, paused, _) = json(port, &item);
        assert!(paused["properties"]["land_price_wan"].is_null(), "read from the paused standby: {paused}");
    }
    sqlx::query("SELECT pg_wal_replay_resume()").execute(&standby_pool).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, plot, _) = json(port_b, &item);
        if plot["properties"]["land_price_wan"] == 4321.5 {
            break;
        }
        assert!(Instant::now() < deadline, "the write did not reach the standby in 10 s: {plot}");
        std::thread::sleep(Duration::from_millis(20));
    }
    let on_standby: f64 = sqlx::query_scalar("SELECT land_price_wan FROM plots WHERE id = $1").bind(plot).fetch_one(&standby_pool).await.unwrap();
    assert_eq!(on_standby, 4321.5);

    // The primary stops: reads go on from the standby, writes get 503 with Retry-After.
    primary_pool.close().await;
    primary.stop().await;
    for port in [port_a, port_b] {
        let (status, page, _) = json(port, &item);
        assert_eq!(status, 200, "a read with the primary down: {page}");
        assert_eq!(page["properties"]["far_max"], 2.5);
        let (status, health, _) = json(port, "/health");
        assert_eq!((status, health["status"].as_str()), (200, Some("read_only")), "{health}");
    }
    let (status, head, _) = common::http(port_a, "PATCH", &item, &[("Authorization", &auth), ("If-Match", &etag), ("Content-Type", "application/json")], "{}");
    assert_eq!(status, 503, "a write with the primary down");
    assert!(head.to_ascii_lowercase().contains("retry-after"));

    for server in [&mut a, &mut b] {
        assert!(server.try_wait().unwrap().is_none(), "parkland kept running");
        let _ = server.kill();
        let _ = server.wait();
    }
    standby_pool.close().await;
    standby.stop().await;
}
