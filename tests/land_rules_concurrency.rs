//! The land rules under concurrency: writers racing for one spot of a park. Each writer
//! takes the park's land lock before it checks the rules, so exactly one wins and the
//! others are told which plot is there; the table never holds two plots over one piece of
//! land, nor a plot outside its park. (Before, ten concurrent creates of one outline
//! stacked eight plots.)

mod common;

use futures_util::future::join_all;
use parkland::auth::{self, Role};
use serde_json::{json, Value};

fn plot(code: &str, geometry: &Value) -> Value {
    json!({ "type": "Feature", "geometry": geometry,
            "properties": { "park_id": "GQ-01", "code": code, "land_use": "100102", "status": "available" } })
}

struct Editor {
    app: axum::Router,
    auth: String,
}

impl Editor {
    async fn new(db: &common::TestDb, role: Role) -> Editor {
        let token = auth::create(&db.pool, &format!("racer-{role:?}"), role).await.unwrap();
        let editor = Editor { app: common::app(db), auth: format!("Bearer {token}") };
        // The token checked once and remembered, so racing writes are not spaced out by
        // their argon2 verifications (two at a time) and really meet.
        let headers = [("authorization", editor.auth.as_str()), ("content-type", "application/json"), ("if-match", "*")];
        let r = common::send(&editor.app, "PATCH", "/collections/plots/items/999999999", &headers, "{}").await;
        assert_eq!(r.status, 404, "{}", described(&r));
        // Every connection of the pool opened, so the first writer does not finish while
        // the others wait for a connection to be made.
        let opened = join_all((0..5).map(|_| sqlx::query("SELECT pg_sleep(0.05)").execute(&db.pool))).await;
        assert!(opened.iter().all(Result::is_ok));
        editor
    }

    async fn create(&self, feature: &Value) -> common::Reply {
        let headers = [("authorization", self.auth.as_str()), ("content-type", "application/geo+json")];
        common::send(&self.app, "POST", "/collections/plots/items", &headers, &feature.to_string()).await
    }

    /// The feature's ETag now, to send its change with.
    async fn etag(&self, path: &str) -> String {
        common::get(&self.app, path).await.headers["etag"].to_str().unwrap().to_string()
    }

    async fn move_to(&self, path: &str, etag: &str, geometry: &Value) -> common::Reply {
        let headers = [("authorization", self.auth.as_str()), ("content-type", "application/json"), ("if-match", etag)];
        common::send(&self.app, "PATCH", path, &headers, &json!({ "geometry": geometry }).to_string()).await
    }

    /// An import over HTTP, to the end of its job: the job's report.
    async fn import(&self, features: Vec<Value>) -> Value {
        let headers = [("authorization", self.auth.as_str()), ("content-type", "application/geo+json")];
        let body = json!({ "type": "FeatureCollection", "features": features }).to_string();
        let (posted, job) = common::import(&self.app, "", &headers, body.into_bytes()).await;
        let job = job.unwrap_or_else(|| panic!("{} {}", posted.status, described(&posted)));
        assert_eq!(job["state"], "done", "{job}");
        job["report"].clone()
    }
}

fn described(r: &common::Reply) -> String {
    let text = String::from_utf8_lossy(&r.body).to_string();
    serde_json::from_str::<Value>(&text).ok().and_then(|v| v["description"].as_str().map(str::to_string)).unwrap_or(text)
}

/// Pairs of plots that share more than 1 m².
async fn overlaps(db: &common::TestDb) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM plots a JOIN plots b ON a.id < b.id AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
         WHERE ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

/// Plots with more than 1 m² outside their park.
async fn outside(db: &common::TestDb) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM plots p JOIN parks k ON k.id = p.park_id WHERE ST_Area(ST_Difference(p.geom, k.boundary)::geography) > 1")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn code_of_only_plot_at(db: &common::TestDb, g: &Value) -> String {
    sqlx::query_scalar("SELECT code FROM plots WHERE ST_Area(ST_Intersection(geom, ST_GeomFromGeoJSON($1))::geography) > 1")
        .bind(g.to_string())
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_concurrent_creates_of_one_outline_make_one_plot() {
    let db = common::empty().await;
    common::small_park(&db.pool).await;
    let editor = Editor::new(&db, Role::Editor).await;
    let spot = common::square(&db.pool, 400200.0, 2600200.0, 150.0).await;
    let features: Vec<Value> = (0..10).map(|i| plot(&format!("GQ-01-竞-{i:02}"), &spot)).collect();
    let replies = join_all(features.iter().map(|f| editor.create(f))).await;
    let created: Vec<&common::Reply> = replies.iter().filter(|r| r.status == 201).collect();
    assert_eq!(created.len(), 1, "{:?}", replies.iter().map(|r| (r.status, described(r))).collect::<Vec<_>>());
    let winner = code_of_only_plot_at(&db, &spot).await;
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 409, "{}", described(r));
        assert!(described(r).contains(&format!("overlaps plot {winner}")), "{}", described(r));
    }
    assert_eq!(overlaps(&db).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_plots_moved_onto_one_spot_at_once_one_moves() {
    let db = common::empty().await;
    common::small_park(&db.pool).await;
    let editor = Editor::new(&db, Role::Editor).await;
    for round in 0..5 {
        let y = 2600100.0 + 350.0 * f64::from(round);
        let mut paths = Vec::new();
        for (i, x) in [400100.0, 400500.0].into_iter().enumerate() {
            let r = editor.create(&plot(&format!("GQ-01-移-{round}-{i}"), &common::square(&db.pool, x, y, 100.0).await)).await;
            assert_eq!(r.status, 201, "{}", described(&r));
            paths.push(common::path_of(r.headers["location"].to_str().unwrap()));
        }
        let spot = common::square(&db.pool, 400900.0, y, 120.0).await;
        let etags = [editor.etag(&paths[0]).await, editor.etag(&paths[1]).await];
        let replies = join_all(paths.iter().zip(&etags).map(|(p, e)| editor.move_to(p, e, &spot))).await;
        let mut statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}: {:?}", replies.iter().map(described).collect::<Vec<_>>());
        let refused = replies.iter().find(|r| r.status == 409).unwrap();
        assert!(described(refused).contains(&format!("overlaps plot {}", code_of_only_plot_at(&db, &spot).await)), "{}", described(refused));
    }
    assert_eq!(overlaps(&db).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_import_racing_a_move_onto_its_land_lets_one_through() {
    let db = common::empty().await;
    common::small_park(&db.pool).await;
    let editor = Editor::new(&db, Role::Editor).await;
    for round in 0..5 {
        let y = 2600100.0 + 350.0 * f64::from(round);
        let r = editor.create(&plot(&format!("GQ-01-导-{round}"), &common::square(&db.pool, 400100.0, y, 100.0).await)).await;
        assert_eq!(r.status, 201, "{}", described(&r));
        let path = common::path_of(r.headers["location"].to_str().unwrap());
        let spot = common::square(&db.pool, 400900.0, y, 120.0).await;
        let etag = editor.etag(&path).await;
        let file =
            vec![plot(&format!("GQ-01-导-{round}-新"), &spot), plot(&format!("GQ-01-导-{round}-旁"), &common::square(&db.pool, 401500.0, y, 80.0).await)];
        let (report, moved) = tokio::join!(editor.import(file), editor.move_to(&path, &etag, &spot));
        let took = (report["imported"] == 2, moved.status == 200);
        assert!(took == (true, false) || took == (false, true), "round {round}: import {report}, move {} {}", moved.status, described(&moved));
        if took.0 {
            assert_eq!(moved.status, 409, "{}", described(&moved));
        } else {
            // Refused as a whole, the overlap named by feature; the other feature not written.
            assert_eq!(report["imported"], 0);
            assert!(report["refused"][0]["reason"].as_str().unwrap().contains("overlaps plot"), "{report}");
        }
    }
    assert_eq!(overlaps(&db).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_park_shrinking_while_a_plot_is_created_in_the_land_it_gives_up_leaves_no_plot_outside() {
    for round in 0..5 {
        let db = common::empty().await;
        common::small_park(&db.pool).await;
        let editor = Editor::new(&db, Role::Editor).await;
        let admin = Editor::new(&db, Role::Admin).await;
        // The park keeps its south-western quarter; the new plot lies in the land it gives up.
        let west = common::square(&db.pool, 400000.0, 2600000.0, 1000.0).await;
        let etag = admin.etag("/collections/parks/items/GQ-01").await;
        let new_plot = plot("GQ-01-东-01", &common::square(&db.pool, 401400.0, 2600400.0, 100.0).await);
        let (shrunk, created) = tokio::join!(admin.move_to("/collections/parks/items/GQ-01", &etag, &west), editor.create(&new_plot));
        let took = (shrunk.status == 200, created.status == 201);
        assert!(
            took == (true, false) || took == (false, true),
            "round {round}: shrink {} {}, create {} {}",
            shrunk.status,
            described(&shrunk),
            created.status,
            described(&created)
        );
        if took.0 {
            assert!(described(&created).contains("outside park GQ-01"), "{}", described(&created));
        } else {
            assert!(described(&shrunk).contains("GQ-01-东-01"), "{}", described(&shrunk));
        }
        assert_eq!(outside(&db).await, 0, "round {round}");
    }
}
