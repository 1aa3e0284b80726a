//! Faults, on the real binary: the database stopped under a running parkland and started
//! again (a private cluster of the test's own), a client over the rate limit, and SIGTERM
//! with a request in flight.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use parkland::db::embedded::Cluster;

/// GET over a plain socket: status, the Retry-After header if any, and how long it took.
fn http_get(port: u16, path: &str) -> (u16, Option<String>, Duration) {
    let start = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("parkland listens");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text.split_whitespace().nth(1).and_then(|x| x.parse().ok()).unwrap_or(0);
    let retry = text.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("retry-after:").map(|v| v.trim().to_string()));
    (status, retry, start.elapsed())
}

#[tokio::test]
async fn a_database_that_stops_and_returns_gives_503s_then_200s_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("cluster");
    let cluster = Cluster::start(&data).await.expect("a private cluster starts");
    let (mut server, port) = common::serve_binary(&cluster.url("postgres"), &[]);
    assert_eq!(http_get(port, "/collections/parks/items").0, 200);

    cluster.stop().await;
    for path in ["/collections/parks/items", "/collections/plots/items?limit=5", "/health"] {
        let (status, retry, took) = http_get(port, path);
        assert_eq!(status, 503, "{path} with the database down");
        assert_eq!(retry.as_deref(), Some("1"), "{path} says when to retry");
        assert!(took < Duration::from_millis(1500), "{path} answered in {took:?}");
    }

    let cluster = Cluster::start(&data).await.expect("the cluster starts again");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, _, _) = http_get(port, "/collections/parks/items");
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "parkland did not recover: still {status}");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(server.try_wait().unwrap().is_none(), "parkland kept running throughout");
    let _ = server.kill();
    let _ = server.wait();
    cluster.stop().await;
}

#[tokio::test]
async fn a_configured_rate_limit_answers_429_with_retry_after_and_lets_clients_back() {
    let db = common::empty().await;
    let (mut server, port) = common::serve_binary(&db.url(), &[("PARKLAND_RATE_LIMIT", "5")]);
    // A burst of 10 (twice the rate) is allowed, then 429s.
    let answers: Vec<(u16, Option<String>, Duration)> = (0..14).map(|_| http_get(port, "/conformance")).collect();
    let ok = answers.iter().filter(|a| a.0 == 200).count();
    let limited: Vec<_> = answers.iter().filter(|a| a.0 == 429).collect();
    assert!((10..=11).contains(&ok), "{ok} allowed of 14");
    assert!(!limited.is_empty());
    assert!(limited.iter().all(|a| a.1.as_deref() == Some("1")), "429s say when to retry");
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(http_get(port, "/conformance").0, 200, "a second later the client may go on");
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test]
async fn sigterm_lets_a_request_in_flight_finish() {
    let db = common::demo().await;
    let (mut server, port) = common::serve_binary(&db.url(), &[]);
    // Every plot in one page: streamed, so it is still in flight after its first bytes.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(s, "GET /collections/plots/items?limit=10000 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut first = [0u8; 12];
    s.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    // SAFETY: a pid we spawned and have not reaped.
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    let mut rest = Vec::new();
    s.read_to_end(&mut rest).unwrap();
    let text = String::from_utf8_lossy(&rest);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    // Chunked: the last chunk is empty, and the page is whole.
    assert!(body.trim_end().ends_with("0"), "the response was cut short");
    assert!(body.contains("\"numberReturned\":4489"), "every plot came");
    let status = server.wait().unwrap();
    assert!(status.success(), "parkland stopped cleanly: {status}");
}

/// A request stuck behind a lock gets a 503 that says it ran out of time (with
/// Retry-After) at the limit, not a hang; the query it waited on is dropped, the lock
/// holder's work stands, and the next request is answered. The app's limit is 30 s; the
/// same middleware is layered here at 1 s.
#[tokio::test]
async fn a_request_stuck_behind_a_lock_times_out_with_503_and_the_server_goes_on() {
    let db = common::empty().await;
    common::small_park(&db.pool).await;
    let app = common::app(&db).layer(axum::middleware::from_fn_with_state(Duration::from_secs(1), parkland::api::time_limit));
    let mut holder = db.pool.begin().await.unwrap();
    sqlx::query("UPDATE parks SET name_zh = '锁住的园区' WHERE id = 'GQ-01'").execute(&mut *holder).await.unwrap();
    sqlx::query("LOCK TABLE plots IN ACCESS EXCLUSIVE MODE").execute(&mut *holder).await.unwrap();

    let start = Instant::now();
    let r = common::get(&app, "/collections/plots/items").await;
    let took = start.elapsed();
    assert_eq!(r.status, 503);
    assert_eq!(r.headers["retry-after"], "1");
    assert!(r.json()["description"].as_str().unwrap().contains("took longer than 1 s"), "{}", r.json());
    assert!(took >= Duration::from_millis(950) && took < Duration::from_secs(3), "answered after {took:?}");

    holder.commit().await.unwrap();
    let name: String = sqlx::query_scalar("SELECT name_zh FROM parks WHERE id = 'GQ-01'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(name, "锁住的园区", "the lock holder's write stands");
    for _ in 0..5 {
        assert_eq!(common::get(&app, "/collections/plots/items").await.status, 200, "the pool is whole again");
    }
}

#[tokio::test]
async fn more_clients_than_connections_wait_their_turn_instead_of_getting_503s() {
    let db = common::demo().await;
    // Two connections, with the pool's one-second wait, for 24 page reads at once.
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(2).acquire_timeout(Duration::from_secs(1)).connect_with(db.options()).await.unwrap();
    let app = parkland::api::app(parkland::AppState::new(pool.clone(), parkland::db::Reads::primary_only(pool), false, Default::default()));
    let started = Instant::now();
    let tasks: Vec<_> = (0..24)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { common::get(&app, "/collections/plots/items?limit=3000").await })
        })
        .collect();
    for task in tasks {
        let r = task.await.unwrap();
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.json()["numberReturned"], 3000);
    }
    // They took their turns: longer than the pool's wait, so some did wait past it.
    assert!(started.elapsed() > Duration::from_secs(1), "the reads took {:?}: too quick to show waiting", started.elapsed());
}
