//! Clients that hold the server without using it, on the real binary: readers that ask for
//! big pages and never read them, connections that send nothing, and a keep-alive that
//! never asks again. With the timeouts set short here (2 s), each is let go, and everyone
//! else is answered meanwhile.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

const TIMEOUTS: &[(&str, &str)] = &[("PARKLAND_STALL_TIMEOUT", "2"), ("PARKLAND_IDLE_TIMEOUT", "2"), ("PARKLAND_HEADER_TIMEOUT", "2")];

/// A connection whose receive buffer is 4 KB, asking for every plot in one page and then
/// reading nothing.
fn stalled_reader(port: u16) -> Socket {
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    // Before connecting, so the window offered is small from the start.
    s.set_recv_buffer_size(4096).unwrap();
    s.connect(&SocketAddr::from(([127, 0, 0, 1], port)).into()).unwrap();
    let mut tcp: TcpStream = s.try_clone().unwrap().into();
    write!(tcp, "GET /collections/plots/items?limit=10000 HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    s
}

async fn sessions_idle_in_transaction(db: &common::TestDb) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'")
        .bind(&db.name)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// GET on a fresh connection, timed.
fn timed_get(port: u16, path: &str) -> (u16, Duration) {
    let start = Instant::now();
    let (status, _, _) = common::http(port, "GET", path, &[], "");
    (status, start.elapsed())
}

#[tokio::test]
async fn readers_that_never_read_are_let_go_and_others_are_answered_meanwhile() {
    let db = common::demo().await;
    let (mut server, port) = common::serve_binary(&db.url(), TIMEOUTS);
    // A tile drawn once, so it is kept.
    assert_eq!(timed_get(port, "/tiles/plots/12/3322/1778.mvt").0, 200);

    // More readers than there are turns at the database (half the pool of 16).
    let stalled: Vec<Socket> = (0..10).map(|_| stalled_reader(port)).collect();
    std::thread::sleep(Duration::from_millis(800));
    assert!(sessions_idle_in_transaction(&db).await > 0, "the stalled pages hold database sessions while they stream");

    // Within the stall timeout and a second, a small page and the kept tile are answered.
    let (status, took) = timed_get(port, "/collections/parks/items?limit=2");
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(3), "a small page waited {took:?} behind the stalled readers");
    let (status, took) = timed_get(port, "/tiles/plots/12/3322/1778.mvt");
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(3), "a kept tile waited {took:?}");

    // Their database sessions are gone.
    let deadline = Instant::now() + Duration::from_secs(3);
    while sessions_idle_in_transaction(&db).await > 0 {
        assert!(Instant::now() < deadline, "the stalled readers' sessions are still open");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // And their connections were closed: reading drains what was sent, then ends.
    for s in stalled {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut tcp: TcpStream = s.into();
        let mut sink = Vec::new();
        let ended = tcp.read_to_end(&mut sink);
        assert!(ended.is_ok() || ended.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset), "{ended:?}");
        assert!(sink.len() < 30 << 20, "the page was cut off, not sent whole");
    }
    assert!(server.try_wait().unwrap().is_none());
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_idle_timeout() {
    let db = common::empty().await;
    let (mut server, port) = common::serve_binary(&db.url(), TIMEOUTS);

    // One that never sends anything.
    let mut silent = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // One that asks once, keeps the connection, and never asks again.
    let mut kept = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(kept, "GET /conformance HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    // One that sends half a request line and stops (slowloris).
    let mut partial = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(partial, "GET /conformance HTTP/1.1\r\nHost: loc").unwrap();

    let start = Instant::now();
    for (what, s) in [("silent", &mut silent), ("kept alive", &mut kept), ("partial", &mut partial)] {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut got = Vec::new();
        s.read_to_end(&mut got).unwrap_or_else(|e| panic!("{what}: not closed by the server: {e}"));
        if what == "kept alive" {
            assert!(got.starts_with(b"HTTP/1.1 200"), "the request was answered first");
        }
    }
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(1500) && took < Duration::from_secs(6), "closed after {took:?}");
    assert_eq!(timed_get(port, "/conformance").0, 200);
    let _ = server.kill();
    let _ = server.wait();
}

/// Writers that send a request's headers and a little of its body, then nothing: more of
/// them than there are turns at the database. They hold no turn while their bodies do not
/// come (a body is read whole before its request takes one), so a page is answered
/// meanwhile; and each is cut off once its body has stopped for the header timeout.
#[tokio::test]
async fn bodies_that_stop_arriving_hold_no_turn_and_are_cut_off() {
    let db = common::demo().await;
    let (mut server, port) = common::serve_binary(&db.url(), &[("PARKLAND_HEADER_TIMEOUT", "4")]);
    let mut writers: Vec<TcpStream> = (0..12)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(
                s,
                "POST /collections/plots/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/geo+json\r\nContent-Length: 100000\r\n\r\n{{\"type\":"
            )
            .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let (status, took) = timed_get(port, "/collections/parks/items?limit=2");
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(2), "a page waited {took:?} behind bodies that do not come");
    let start = Instant::now();
    for s in &mut writers {
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got);
        let head = String::from_utf8_lossy(&got);
        assert!(head.is_empty() || head.starts_with("HTTP/1.1 400"), "{head}");
    }
    assert!(start.elapsed() < Duration::from_secs(10), "cut off after {:?}", start.elapsed());
    assert!(server.try_wait().unwrap().is_none());
    let _ = server.kill();
    let _ = server.wait();
}

/// A reader that takes its answer a little at a time (1 KB every 250 ms: 4 KB/s), never
/// stopping outright: its database session is given back within two stall timeouts (the
/// socket stays full for a stall timeout, or the reader is under the 16 KB/s floor over
/// one), while the bytes already in the kernel's buffers go on draining to it.
#[tokio::test]
async fn a_reader_slower_than_the_floor_is_let_go() {
    let db = common::demo().await;
    let (mut server, port) = common::serve_binary(&db.url(), TIMEOUTS);
    let s = stalled_reader(port);
    let mut tcp: TcpStream = s.into();
    tcp.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let start = Instant::now();
    let (mut taken, mut buf, mut held) = (0usize, [0u8; 1024], false);
    let released = loop {
        if let Ok(n) = tcp.read(&mut buf) {
            taken += n;
        }
        let busy: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()",
        )
        .bind(&db.name)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        held |= busy > 0;
        if held && busy == 0 {
            break Some(start.elapsed());
        }
        if start.elapsed() > Duration::from_secs(15) {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(held, "the page held a session while it streamed");
    let released = released.unwrap_or_else(|| panic!("the slow reader's session is still held after 15 s ({taken} bytes taken)"));
    assert!(released < Duration::from_secs(8), "released after {released:?}");
    assert!(taken < 1 << 20, "{taken} bytes: the reader was slow");
    assert_eq!(timed_get(port, "/collections/parks/items?limit=2").0, 200);
    assert!(server.try_wait().unwrap().is_none());
    let _ = server.kill();
    let _ = server.wait();
}
