//! An import over HTTP is a job, on the real binary: 202 at once with the job's address,
//! its progress while it runs, its report at the end (the same refusals as the command
//! line's dry run), a record that outlives a restart of parkland, and a job cut short by a
//! stop that says so.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// `n` plots of 40 m squares 20 m apart in `small_park`'s 2 km (EPSG:4547), codes in
/// order; the plots at `overlapping` are moved over their neighbours.
fn grid(n: usize, overlapping: &[usize]) -> Value {
    squares(n, 32, 40.0, 60.0, overlapping)
}

/// `n` squares of `side` metres, `per_row` a row, `pitch` metres apart from the park's
/// south-west corner.
fn squares(n: usize, per_row: usize, side: f64, pitch: f64, overlapping: &[usize]) -> Value {
    let features: Vec<Value> = (0..n)
        .map(|i| {
            let (mut x, y) = (400010.0 + (i % per_row) as f64 * pitch, 2600010.0 + (i / per_row) as f64 * pitch);
            if overlapping.contains(&i) {
                x -= pitch / 2.0;
            }
            json!({ "type": "Feature",
                    "properties": { "park_id": "GQ-01", "code": format!("GQ-01-网-{i:04}"), "land_use": "100102", "status": "available" },
                    "geometry": { "type": "Polygon", "coordinates": [[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]] } })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

fn post_import(port: u16, auth: &str, query: &str, body: &Value) -> (u16, String, Value) {
    let (status, head, body) =
        common::http(port, "POST", &format!("/import{query}"), &[("authorization", auth), ("content-type", "application/geo+json")], &body.to_string());
    let location = head.lines().find_map(|l| l.strip_prefix("location: ").or_else(|| l.strip_prefix("Location: "))).unwrap_or("").trim().to_string();
    (status, location, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn read_job(port: u16, auth: &str, at: &str) -> Value {
    let (status, _, body) = common::http(port, "GET", at, &[("authorization", auth)], "");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

/// Polls the job to its end; returns it, and whether a count between 0 and the total
/// was seen on the way.
fn wait(port: u16, auth: &str, at: &str) -> (Value, bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut between = false;
    loop {
        let job = read_job(port, auth, at);
        let (done, total) = (job["done"].as_i64().unwrap(), job["total"].as_i64().unwrap());
        between |= job["state"] == "running" && done > 0 && done < total;
        if job["state"] != "running" {
            return (job, between);
        }
        assert!(Instant::now() < deadline, "the job runs on: {job}");
        std::thread::sleep(Duration::from_millis(40));
    }
}

/// The command line's dry run of `file`: (features refused, by index, with reasons).
fn cli_dry_run(db: &common::TestDb, file: &std::path::Path) -> Vec<(i64, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_parkland"))
        .args(["import", file.to_str().unwrap(), "--layer", "plots", "--crs", "EPSG:4547", "--dry-run"])
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("feature ")?;
            let (i, reason) = rest.split_once(": ")?;
            Some((i.split_whitespace().next()?.parse().ok()?, reason.to_string()))
        })
        .collect()
}

#[tokio::test]
async fn a_thousand_plot_import_is_a_job_with_progress_and_a_report_that_outlives_a_restart() {
    let db = common::empty().await;
    common::small_park(&db.pool).await;
    let token = parkland::auth::create(&db.pool, "gis-staff", parkland::auth::Role::Editor).await.unwrap();
    let auth = format!("Bearer {token}");
    let (mut server, port) = common::serve_binary(&db.url(), &[]);

    // Two features over their neighbours: the job's report and the command line's dry run
    // refuse the same features for the same reasons, and nothing is written.
    let dir = tempfile::tempdir().unwrap();
    let flawed = grid(1000, &[33, 500]);
    let file = dir.path().join("网格.geojson");
    std::fs::write(&file, flawed.to_string()).unwrap();
    let cli = cli_dry_run(&db, &file);
    assert_eq!(cli.iter().map(|r| r.0).collect::<Vec<_>>(), [33, 500], "{cli:?}");
    let (status, at, posted) = post_import(port, &auth, "?crs=EPSG:4547", &flawed);
    assert_eq!(status, 202, "{posted}");
    assert_eq!((posted["state"].as_str(), posted["total"].as_i64()), (Some("running"), Some(1000)), "{posted}");
    let (job, _) = wait(port, &auth, &at);
    assert_eq!(job["state"], "done", "{job}");
    let refused: Vec<(i64, String)> =
        job["report"]["refused"].as_array().unwrap().iter().map(|r| (r["feature"].as_i64().unwrap(), r["reason"].as_str().unwrap().to_string())).collect();
    assert_eq!(refused, cli, "the job refuses what the command line's dry run refuses");
    assert_eq!(job["report"]["imported"], 0);

    // The whole grid: it comes in, its progress seen on the way.
    let (status, at, _) = post_import(port, &auth, "?crs=EPSG:4547", &grid(1000, &[]));
    assert_eq!(status, 202);
    let (job, between) = wait(port, &auth, &at);
    assert_eq!((job["state"].as_str(), job["report"]["imported"].as_i64(), job["done"].as_i64()), (Some("done"), Some(1000), Some(1000)), "{job}");
    assert!(between, "progress between 0 and 1000 was seen while it ran");
    let plots: i64 = sqlx::query_scalar("SELECT count(*) FROM plots").fetch_one(&db.pool).await.unwrap();
    assert_eq!(plots, 1000);

    // parkland restarts: the job's record, report and all, is still there.
    let _ = server.kill();
    let _ = server.wait();
    let (mut server, port) = common::serve_binary(&db.url(), &[]);
    assert_eq!(read_job(port, &auth, &at), job);
    // Another editor is told there is no such job; an admin reads it.
    let other = parkland::auth::create(&db.pool, "another-editor", parkland::auth::Role::Editor).await.unwrap();
    assert_eq!(common::http(port, "GET", &at, &[("authorization", &format!("Bearer {other}"))], "").0, 404);
    let admin = parkland::auth::create(&db.pool, "an-admin", parkland::auth::Role::Admin).await.unwrap();
    assert_eq!(read_job(port, &format!("Bearer {admin}"), &at), job);

    // A job still running when parkland is stopped ends failed, saying so.
    let more: Vec<Value> = grid(1000, &[])["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f["properties"]["code"] = json!(format!("{}-b", f["properties"]["code"].as_str().unwrap()));
            f
        })
        .collect();
    let (status, at, _) = post_import(port, &auth, "?crs=EPSG:4547&dry_run=true", &json!({ "type": "FeatureCollection", "features": more }));
    assert_eq!(status, 202);
    // SAFETY: a signal to the server this test started.
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    assert!(server.wait().unwrap().success(), "a stop is graceful");
    let (mut server, port) = common::serve_binary(&db.url(), &[]);
    let job = read_job(port, &auth, &at);
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(job["state"], "failed", "{job}");
    assert!(job["error"].as_str().unwrap().contains("stopped while it ran"), "{job}");
}

/// While an import checks its features, an edit of a plot elsewhere in the same park is
/// answered: the park's lock is taken only for the import's final write.
#[tokio::test]
async fn an_edit_in_the_park_is_not_held_up_while_an_import_is_checked() {
    let db = common::empty().await;
    common::small_park(&db.pool).await;
    let token = parkland::auth::create(&db.pool, "gis-staff", parkland::auth::Role::Editor).await.unwrap();
    let auth = format!("Bearer {token}");
    let (mut server, port) = common::serve_binary(&db.url(), &[]);
    // A plot in the park's north-east corner, away from the file's 2,000.
    let corner = json!({ "type": "Feature", "properties": { "park_id": "GQ-01", "code": "GQ-01-角-01", "land_use": "100102", "status": "available" },
                         "geometry": common::square(&db.pool, 401700.0, 2601700.0, 100.0).await });
    let (status, head, body) =
        common::http(port, "POST", "/collections/plots/items", &[("authorization", &auth), ("content-type", "application/geo+json")], &corner.to_string());
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let path = head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("location: ").map(str::to_string)).unwrap();
    let path = common::path_of(path.trim());

    let (status, at, _) = post_import(port, &auth, "?crs=EPSG:4547", &squares(2000, 45, 20.0, 30.0, &[]));
    assert_eq!(status, 202);
    // Wait until the checks are under way, then move the corner plot.
    while read_job(port, &auth, &at)["done"].as_i64().unwrap() == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let moved = json!({ "geometry": common::square(&db.pool, 401710.0, 2601710.0, 100.0).await });
    let (status, _, body) =
        common::http(port, "PATCH", &path, &[("authorization", &auth), ("if-match", "*"), ("content-type", "application/json")], &moved.to_string());
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let job = read_job(port, &auth, &at);
    assert_eq!(job["state"], "running", "the edit was answered only once the import had ended: {job}");
    let (job, _) = wait(port, &auth, &at);
    assert_eq!(job["report"]["imported"], 2000, "{job}");
    let _ = server.kill();
    let _ = server.wait();
}
