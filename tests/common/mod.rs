//! Test databases: each test gets its own database, cloned from a template that was
//! migrated (and, for `demo`, loaded with geodata/) once. Templates are named by a hash of
//! what went into them, so a changed migration or data file builds a new one, and test
//! processes running in parallel build each template only once (an advisory lock).
//!
//! The server is `DATABASE_URL` (the `postgres` database of it is used for admin work).
//! `make test` sets it: to the machine's server when one listens, or to a private
//! cluster started by `parkland with-db`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};

pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn geodata_dir() -> PathBuf {
    repo_dir().join("geodata")
}

/// Options for the server's `postgres` database.
pub fn admin_options() -> PgConnectOptions {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL must point at a PostgreSQL server with PostGIS (make test sets it)");
    let opts: PgConnectOptions = url.parse().expect("DATABASE_URL parses");
    opts.database("postgres").disable_statement_logging()
}

/// A database of its own for one test, dropped when the value is dropped (also when the
/// test panics).
pub struct TestDb {
    pub pool: PgPool,
    pub name: String,
}

impl TestDb {
    pub fn options(&self) -> PgConnectOptions {
        admin_options().database(&self.name)
    }

    /// A `postgres://` URL of this database, for child processes.
    pub fn url(&self) -> String {
        let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
        let (head, query) = match base.split_once('?') {
            Some((h, q)) => (h.to_string(), format!("?{q}")),
            None => (base.clone(), String::new()),
        };
        let root = head.rsplit_once('/').map(|(r, _)| r.to_string()).unwrap_or(head);
        format!("{root}/{}{query}", self.name)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // The test's runtime is blocked here, so its pool cannot be closed from here: the
        // drop is done on a thread with its own runtime, and FORCE ends the pool's sessions.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                if let Ok(mut admin) = PgConnection::connect_with(&admin_options()).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut admin).await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

fn migrations_hash(h: &mut Sha256) {
    for m in parkland::db::MIGRATOR.iter() {
        h.update(m.version.to_le_bytes());
        h.update(&m.checksum);
    }
    for (name, sql) in parkland::db::schema::FUNCTIONS {
        h.update(name.as_bytes());
        h.update(sql.as_bytes());
    }
}

fn files_hash(h: &mut Sha256, dir: &Path) {
    let mut paths: Vec<_> = std::fs::read_dir(dir).expect("geodata/ exists").flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "geojson")) {
        h.update(p.file_name().unwrap().to_string_lossy().as_bytes());
        h.update(std::fs::read(&p).expect("read geodata"));
    }
    for (name, sql) in parkland::geodata::LAYERS {
        h.update(name.as_bytes());
        h.update(sql.as_bytes());
    }
}

fn short(h: Sha256) -> String {
    h.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// A migrated, empty database.
pub async fn empty() -> TestDb {
    let mut h = Sha256::new();
    migrations_hash(&mut h);
    let template = format!("parkland_tpl_{}", short(h));
    clone_of(&template, |pool| async move {
        parkland::db::migrate(&pool).await.expect("migrations apply");
    })
    .await
}

/// A migrated database holding the demo data of geodata/.
pub async fn demo() -> TestDb {
    let mut h = Sha256::new();
    migrations_hash(&mut h);
    files_hash(&mut h, &geodata_dir());
    let template = format!("parkland_demo_{}", short(h));
    clone_of(&template, |pool| async move {
        parkland::db::migrate(&pool).await.expect("migrations apply");
        parkland::geodata::load_dir(&pool, &geodata_dir(), false).await.expect("demo data loads");
    })
    .await
}

/// A database that was never migrated, for the test of the migrations themselves.
pub async fn blank() -> TestDb {
    let name = unique_name("parkland_test");
    let mut admin = PgConnection::connect_with(&admin_options()).await.expect("connect to DATABASE_URL");
    sqlx::query(&format!("CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")).execute(&mut admin).await.expect("create db");
    let pool = pool_for(&name).await;
    TestDb { pool, name }
}

async fn pool_for(name: &str) -> PgPool {
    PgPoolOptions::new()
        .max_connections(5)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(admin_options().database(name))
        .await
        .expect("connect to the test database")
}

async fn clone_of<F, Fut>(template: &str, build: F) -> TestDb
where
    F: FnOnce(PgPool) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut admin = PgConnection::connect_with(&admin_options()).await.expect("connect to DATABASE_URL");
    // One builder per template across every test process.
    let key: i64 = template.bytes().fold(7i64, |a, b| a.wrapping_mul(31).wrapping_add(b as i64));
    sqlx::query("SELECT pg_advisory_lock($1)").bind(key).execute(&mut admin).await.expect("lock");
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(template)
        .fetch_one(&mut admin)
        .await
        .expect("query pg_database");
    if !exists {
        let building = format!("{template}_building");
        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)")).execute(&mut admin).await.expect("drop");
        sqlx::query(&format!("CREATE DATABASE \"{building}\" TEMPLATE template0 ENCODING 'UTF8'")).execute(&mut admin).await.expect("create template");
        let pool = pool_for(&building).await;
        build(pool.clone()).await;
        pool.close().await;
        sqlx::query(&format!("ALTER DATABASE \"{building}\" RENAME TO \"{template}\"")).execute(&mut admin).await.expect("rename");
    }
    sqlx::query("SELECT pg_advisory_unlock($1)").bind(key).execute(&mut admin).await.expect("unlock");

    let name = unique_name("parkland_test");
    let mut tries = 0;
    loop {
        // Cloning fails while another session is connected to the template; retry.
        match sqlx::query(&format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"")).execute(&mut admin).await {
            Ok(_) => break,
            Err(e) if tries < 50 => {
                tries += 1;
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot clone {template}: {e}"),
        }
    }
    let _ = admin.close().await;
    let pool = pool_for(&name).await;
    TestDb { pool, name }
}

/// A response read whole: status, headers and body.
pub struct Reply {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// The router of this database, as main builds it.
pub fn app(db: &TestDb) -> axum::Router {
    parkland::api::app(parkland::AppState::new(db.pool.clone(), parkland::db::Reads::primary_only(db.pool.clone()), false, Default::default()))
}

/// Sends one request through the router (no port), with optional headers.
pub async fn request(app: &axum::Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app.clone().oneshot(req.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

/// POSTs a JSON body through the router.
pub async fn post_json(app: &axum::Router, uri: &str, body: &serde_json::Value) -> Reply {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::post(uri).header("content-type", "application/json").body(axum::body::Body::from(body.to_string())).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

/// How many parks the committed demo data holds (geodata/parks.geojson).
pub fn demo_parks() -> usize {
    let text = std::fs::read_to_string(geodata_dir().join("parks.geojson")).expect("geodata/parks.geojson");
    let v: serde_json::Value = serde_json::from_str(&text).expect("parks.geojson is JSON");
    v["features"].as_array().expect("a FeatureCollection").len()
}

/// A site search (`POST /analysis/availability`) that must answer 200.
pub async fn site_search(app: &axum::Router, body: serde_json::Value) -> serde_json::Value {
    let r = post_json(app, "/analysis/availability", &body).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()
}

/// Sends a request with any method, headers and a raw body through the router.
pub async fn send(app: &axum::Router, method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    send_bytes(app, method, uri, headers, body.as_bytes().to_vec()).await
}

/// As `send`, with a body of any bytes (a zip archive, say).
pub async fn send_bytes(app: &axum::Router, method: &str, uri: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app.clone().oneshot(req.body(axum::body::Body::from(body)).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

pub async fn get(app: &axum::Router, uri: &str) -> Reply {
    request(app, uri, &[]).await
}

/// The path and query of an absolute link, to follow it through the router.
pub fn path_of(href: &str) -> String {
    let rest = href.split_once("://").map(|(_, r)| r).unwrap_or(href);
    rest.find('/').map(|i| rest[i..].to_string()).unwrap_or_else(|| "/".into())
}

/// A parkland server process on a free loopback port, serving `db`; killed when dropped.
pub struct Server {
    pub url: String,
    child: std::process::Child,
}

impl Server {
    pub fn start(db: &TestDb) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_parkland"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", db.url())
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("start parkland");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                use std::io::{Read, Write};
                let _ = write!(s, "GET /health HTTP/1.0\r\n\r\n");
                let mut text = String::new();
                let _ = s.read_to_string(&mut text);
                if text.starts_with("HTTP/1.0 200") || text.starts_with("HTTP/1.1 200") {
                    break;
                }
            }
            assert!(std::time::Instant::now() < deadline, "parkland did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Server { url, child }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// 广清产业园 as a 2 km square in EPSG:4547 metres (400000..402000, 2600000..2602000), for
/// tests that draw their own plots in it.
pub async fn small_park(pool: &PgPool) {
    sqlx::query(
        "INSERT INTO parks (id, name_zh, level, city, boundary)
         VALUES ('GQ-01', '广清产业园', 'main_platform', '清远市',
                 ST_Multi(ST_Transform(ST_MakeEnvelope(400000, 2600000, 402000, 2602000, 4547), 4326)))",
    )
    .execute(pool)
    .await
    .unwrap();
}

/// An import over HTTP, to its end: the POST's answer, and once it was 202, the job as it
/// ended (polled at `/jobs/{id}` with the same headers). Panics if the job runs over 60 s.
pub async fn import(app: &axum::Router, query: &str, headers: &[(&str, &str)], body: Vec<u8>) -> (Reply, Option<serde_json::Value>) {
    let posted = send_bytes(app, "POST", &format!("/import{query}"), headers, body).await;
    if posted.status != 202 {
        return (posted, None);
    }
    let at = posted.headers["location"].to_str().unwrap().to_string();
    let auth: Vec<(&str, &str)> = headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("authorization")).copied().collect();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let job = request(app, &at, &auth).await;
        assert_eq!(job.status, 200, "{}", String::from_utf8_lossy(&job.body));
        let job = job.json();
        if job["state"] != "running" {
            return (posted, Some(job));
        }
        assert!(std::time::Instant::now() < deadline, "the import job runs on: {job}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A square of `side` metres with its corner at (x, y) in EPSG:4547 metres (`small_park`'s
/// CRS), as GeoJSON in lon/lat.
pub async fn square(pool: &PgPool, x: f64, y: f64, side: f64) -> serde_json::Value {
    let g: String = sqlx::query_scalar("SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope($1, $2, $1 + $3, $2 + $3, 4547), 4326), 9)")
        .bind(x)
        .bind(y)
        .bind(side)
        .fetch_one(pool)
        .await
        .unwrap();
    serde_json::from_str(&g).unwrap()
}

/// A parkland server on a free loopback port for `database_url`, with extra environment;
/// returns once it listens.
pub fn serve_binary(database_url: &str, env: &[(&str, &str)]) -> (std::process::Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_parkland"));
    cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let server = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "parkland did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (server, port)
}

/// One HTTP/1.1 request to a parkland on `port`, over a plain socket: status, head and
/// body (de-chunked).
pub fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("parkland listens");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n", body.len()).unwrap();
    for (k, v) in headers {
        write!(s, "{k}: {v}\r\n").unwrap();
    }
    write!(s, "\r\n{body}").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4).unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split_whitespace().nth(1).and_then(|x| x.parse().ok()).unwrap_or(0);
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(&raw[split..]) } else { raw[split..].to_vec() };
    (status, head, body)
}

/// The body of a chunked response: each chunk is its size in hex, CRLF, the bytes, CRLF.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        body.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
        rest = &rest[eol + 2 + size + 2..];
    }
    body
}
