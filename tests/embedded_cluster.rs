//! The embedded default: `parkland serve` with no DATABASE_URL starts its own PostgreSQL
//! cluster, loads the demo on first start, serves, and stops the cluster on SIGTERM (and
//! when killed outright), leaving no process behind. Runs the real binary.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn parkland(data: &Path, port: u16) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_parkland"));
    cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env_remove("DATABASE_URL")
        .env("PARKLAND_DATA", data)
        .env("PARKLAND_GEODATA", common::geodata_dir())
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// GET over a plain socket: (status, body), or None while nothing listens.
fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

fn wait_healthy(child: &mut Child, port: u16) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).ok();
            panic!("parkland exited with {status} before serving:\n{err}");
        }
        if let Some((200, body)) = http_get(port, "/health") {
            return serde_json::from_str(&body).expect("health is JSON");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("parkland did not become healthy within 120 s");
}

/// Processes whose command line names the data folder (the cluster's postgres and its
/// workers show it through `-D`).
fn processes_using(dir: &Path) -> Vec<String> {
    let needle = dir.to_string_lossy().to_string();
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        if !e.file_name().to_string_lossy().chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Ok(cmd) = std::fs::read(e.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(&needle) {
                found.push(format!("{}: {cmd}", e.file_name().to_string_lossy()));
            }
        }
    }
    found
}

fn wait_no_processes(dir: &Path, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let left = processes_using(dir);
        if left.is_empty() {
            return;
        }
        if Instant::now() > deadline {
            panic!("processes left behind: {left:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: kill on our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

fn stderr_of(child: &mut Child) -> String {
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).ok();
    err
}

#[test]
fn starts_serves_refuses_a_second_parkland_and_stops_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let port = free_port();

    let mut first = parkland(&data, port).spawn().unwrap();
    let health = wait_healthy(&mut first, port);
    assert_eq!(health["database"]["embedded"], true, "{health}");
    assert_eq!(health["database"]["parks"], common::demo_parks(), "the demo is loaded on first start: {health}");
    assert!(!processes_using(&data).is_empty(), "the cluster runs from the data folder");

    // A second parkland on the same folder: a clear error, and the first keeps serving.
    let second = parkland(&data, free_port()).output().unwrap();
    assert!(!second.status.success());
    let msg = String::from_utf8_lossy(&second.stderr);
    assert!(msg.contains("in use by another parkland"), "{msg}");
    assert_eq!(http_get(port, "/health").map(|r| r.0), Some(200));

    // SIGTERM: parkland stops the cluster and exits 0, leaving nothing running.
    signal(&first, libc::SIGTERM);
    let status = first.wait().unwrap();
    let log = stderr_of(&mut first);
    assert!(status.success(), "exit {status}:\n{log}");
    assert!(log.contains("creating the embedded PostgreSQL cluster"), "{log}");
    wait_no_processes(&data, Duration::from_secs(10));

    // A second start reuses the cluster and its data.
    let mut again = parkland(&data, port).spawn().unwrap();
    let health = wait_healthy(&mut again, port);
    assert_eq!(health["database"]["parks"], common::demo_parks());
    signal(&again, libc::SIGINT);
    assert!(again.wait().unwrap().success());
    let log = stderr_of(&mut again);
    assert!(!log.contains("creating the embedded PostgreSQL cluster"), "the second start made a new cluster:\n{log}");
    assert!(!log.contains("loaded the demo data"), "the second start loaded the demo again:\n{log}");
    wait_no_processes(&data, Duration::from_secs(10));
}

#[test]
fn a_killed_parkland_takes_its_cluster_down_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let port = free_port();
    let mut p = parkland(&data, port).spawn().unwrap();
    wait_healthy(&mut p, port);
    signal(&p, libc::SIGKILL);
    p.wait().unwrap();
    wait_no_processes(&data, Duration::from_secs(30));
    // And the folder is usable again at once.
    let mut next = parkland(&data, port).spawn().unwrap();
    wait_healthy(&mut next, port);
    signal(&next, libc::SIGTERM);
    assert!(next.wait().unwrap().success());
    wait_no_processes(&data, Duration::from_secs(10));
}

#[test]
fn missing_postgresql_binaries_name_the_packages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = parkland(&tmp.path().join("data"), free_port()).env("PARKLAND_PG_BIN", tmp.path().join("nowhere")).output().unwrap();
    assert!(!out.status.success());
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("postgresql-15-postgis-3") && msg.contains("DATABASE_URL"), "{msg}");
}

/// The postmaster's pid, from the first line of its pid file.
fn postmaster_pid(data: &Path) -> i32 {
    std::fs::read_to_string(data.join("pg/postmaster.pid")).unwrap().lines().next().unwrap().trim().parse().unwrap()
}

#[test]
fn a_killed_postgresql_is_reaped_and_started_again() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let port = free_port();
    let mut p = parkland(&data, port).spawn().unwrap();
    wait_healthy(&mut p, port);
    let old = postmaster_pid(&data);
    // SAFETY: kill on the cluster's own postmaster.
    assert_eq!(unsafe { libc::kill(old, libc::SIGKILL) }, 0);

    // A new postmaster, and reads from it, without a restart of parkland. (The killed
    // one's backends may answer a moment longer: the new pid is what tells.)
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let new = std::fs::read_to_string(data.join("pg/postmaster.pid")).ok().and_then(|s| s.lines().next()?.trim().parse::<i32>().ok());
        if new.is_some_and(|n| n != old) {
            if let Some((200, body)) = http_get(port, "/collections/parks/items?limit=1") {
                assert!(body.contains("\"features\""));
                break;
            }
        }
        assert!(Instant::now() < deadline, "the cluster did not come back");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(p.try_wait().unwrap().is_none(), "parkland kept running");
    // The killed one was reaped: no zombie is left (its pid is gone, or reused by another
    // process that is not a zombie).
    let state = std::fs::read_to_string(format!("/proc/{old}/stat")).unwrap_or_default();
    assert!(state.split_whitespace().nth(2).is_none_or(|s| s != "Z"), "a zombie postmaster: {state}");

    signal(&p, libc::SIGTERM);
    let status = p.wait().unwrap();
    let log = stderr_of(&mut p);
    assert!(status.success(), "{log}");
    assert!(log.contains("the embedded PostgreSQL exited; starting it again"), "{log}");
    wait_no_processes(&data, Duration::from_secs(10));
}
