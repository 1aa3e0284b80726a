//! Editing plots (OGC API - Features Part 4 PATCH): tokens and roles, If-Match, the
//! lifecycle of statuses, validation with nothing changed on refusal, the audit history,
//! and two editors at once.

mod common;

use parkland::auth::{self, Role};
use serde_json::{json, Value};

struct Plot {
    id: i64,
    etag: String,
}

/// An available plot of 广清产业园 and its neighbour to the east (sharing an edge).
async fn plots(db: &common::TestDb) -> (i64, i64) {
    sqlx::query_as(
        "SELECT a.id, b.id FROM plots a JOIN plot_links l ON l.a = a.id OR l.b = a.id
         JOIN plots b ON b.id = CASE WHEN l.a = a.id THEN l.b ELSE l.a END
         WHERE a.park_id = 'GQ-01' AND a.status = 'available' AND l.gap_m < 0.05 AND l.facing_m > 50
         ORDER BY a.id, b.id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

async fn read(app: &axum::Router, id: i64) -> (Plot, Value) {
    let r = common::get(app, &format!("/collections/plots/items/{id}")).await;
    assert_eq!(r.status, 200);
    (Plot { id, etag: r.headers["etag"].to_str().unwrap().to_string() }, r.json())
}

async fn patch(app: &axum::Router, token: &str, plot: &Plot, body: &str) -> common::Reply {
    let auth = format!("Bearer {token}");
    common::send(
        app,
        "PATCH",
        &format!("/collections/plots/items/{}", plot.id),
        &[("authorization", &auth), ("if-match", &plot.etag), ("content-type", "application/merge-patch+json")],
        body,
    )
    .await
}

fn description(r: &common::Reply) -> String {
    r.json()["description"].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn writes_need_a_token_of_an_editor() {
    let db = common::demo().await;
    let app = common::app(&db);
    let (id, _) = plots(&db).await;
    let (plot, before) = read(&app, id).await;
    let body = r#"{"properties": {"land_use": "100101"}}"#;
    let uri = format!("/collections/plots/items/{id}");

    let none = common::send(&app, "PATCH", &uri, &[("if-match", &plot.etag), ("content-type", "application/json")], body).await;
    assert_eq!(none.status, 401);
    assert!(none.headers["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    assert_eq!(patch(&app, "pl_1_nonsense", &plot, body).await.status, 401);
    let viewer = auth::create(&db.pool, "看图的人", Role::Viewer).await.unwrap();
    let r = patch(&app, &viewer, &plot, body).await;
    assert_eq!(r.status, 403);
    assert!(description(&r).contains("editor"), "{}", description(&r));
    let editor = auth::create(&db.pool, "清远市自然资源局 张三", Role::Editor).await.unwrap();
    assert!(auth::revoke(&db.pool, "清远市自然资源局 张三").await.unwrap());
    assert_eq!(patch(&app, &editor, &plot, body).await.status, 401, "a revoked token is refused");
    assert_eq!(read(&app, id).await.1, before, "nothing changed");
}

#[tokio::test]
async fn a_patch_needs_the_current_etag_and_leaves_a_history() {
    let db = common::demo().await;
    let app = common::app(&db);
    let token = auth::create(&db.pool, "editor-1", Role::Editor).await.unwrap();
    let (id, _) = plots(&db).await;
    let (plot, before) = read(&app, id).await;

    let uri = format!("/collections/plots/items/{id}");
    let auth = format!("Bearer {token}");
    let no_match = common::send(&app, "PATCH", &uri, &[("authorization", &auth), ("content-type", "application/json")], "{}").await;
    assert_eq!(no_match.status, 428);

    // Supplied to a user (the lifecycle allows available → supplied), names unchanged.
    let user = "清远'; DROP TABLE plots; -- \"测试\" 有限公司";
    let body = json!({ "properties": { "status": "supplied", "land_user": user, "supplied_on": "2026-11-02" } }).to_string();
    let r = patch(&app, &token, &plot, &body).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let after = r.json();
    assert_eq!(after["properties"]["status"], "supplied");
    assert_eq!(after["properties"]["land_user"], user);
    let new_etag = r.headers["etag"].to_str().unwrap().to_string();
    assert_ne!(new_etag, plot.etag);
    assert_eq!(read(&app, id).await.0.etag, new_etag, "the answer's ETag is the feature's");

    // The old ETag is stale now.
    let stale = patch(&app, &token, &plot, r#"{"properties": {"land_price_wan": 1}}"#).await;
    assert_eq!(stale.status, 412);

    let h = common::get(&app, &format!("{uri}/history")).await.json();
    let changes = h["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["actor"], "editor-1");
    assert_eq!(changes[0]["before"]["properties"]["status"], before["properties"]["status"]);
    assert_eq!(changes[0]["after"]["properties"]["land_user"], user);
}

#[tokio::test]
async fn two_editors_with_the_same_etag_one_wins_the_other_gets_412() {
    let db = common::demo().await;
    let app = common::app(&db);
    let a = auth::create(&db.pool, "editor-a", Role::Editor).await.unwrap();
    let b = auth::create(&db.pool, "editor-b", Role::Editor).await.unwrap();
    let (id, _) = plots(&db).await;
    let (plot, _) = read(&app, id).await;
    let plot2 = Plot { id, etag: plot.etag.clone() };
    let (ra, rb) = tokio::join!(
        patch(&app, &a, &plot, r#"{"properties": {"land_price_wan": 111}}"#),
        patch(&app, &b, &plot2, r#"{"properties": {"land_price_wan": 222}}"#)
    );
    let mut statuses = [ra.status.as_u16(), rb.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 412], "{} / {}", String::from_utf8_lossy(&ra.body), String::from_utf8_lossy(&rb.body));
    let winner = if ra.status == 200 { 111.0 } else { 222.0 };
    assert_eq!(read(&app, id).await.1["properties"]["land_price_wan"].as_f64(), Some(winner));
    let h = common::get(&app, &format!("/collections/plots/items/{id}/history")).await.json();
    assert_eq!(h["changes"].as_array().unwrap().len(), 1, "one change, not two");
}

#[tokio::test]
async fn every_refused_patch_says_why_and_changes_nothing() {
    let db = common::demo().await;
    let app = common::app(&db);
    let token = auth::create(&db.pool, "editor-v", Role::Editor).await.unwrap();
    let (id, neighbour) = plots(&db).await;
    let (plot, before) = read(&app, id).await;
    let ring = |coords: &str| format!(r#"{{"geometry": {{"type": "Polygon", "coordinates": [[{coords}]]}}}}"#);
    // The neighbour's outline, to lay this plot over it.
    let other: String = sqlx::query_scalar("SELECT ST_AsGeoJSON(geom) FROM plots WHERE id = $1").bind(neighbour).fetch_one(&db.pool).await.unwrap();
    let other_code: String = sqlx::query_scalar("SELECT code FROM plots WHERE id = $1").bind(neighbour).fetch_one(&db.pool).await.unwrap();
    let own: (f64, f64) = sqlx::query_as("SELECT ST_X(anchor), ST_Y(anchor) FROM plots WHERE id = $1").bind(id).fetch_one(&db.pool).await.unwrap();
    let (x, y) = own;
    // A circle of 10004 vertices around the plot's anchor: over the vertex limit.
    let dense: String = sqlx::query_scalar("SELECT ST_AsGeoJSON(ST_Buffer(anchor::geography, 5, 2501)::geometry) FROM plots WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let cases: Vec<(String, u16, &str)> = vec![
        (format!(r#"{{"properties": {{"code": "{other_code}"}}}}"#), 409, "another plot of this park has that code"),
        (r#"{"properties": {"status": "sold"}}"#.into(), 422, "unknown status"),
        (format!(r#"{{"geometry": {dense}}}"#), 422, "at most 10000"),
        ("{not json".into(), 400, "not JSON"),
        (r#"{"properties": {"status": "in_production"}}"#.into(), 409, "may go to: supplied"),
        (r#"{"properties": {"status": "supplied"}}"#.into(), 422, "land_user"),
        (r#"{"properties": {"land_use": "9999"}}"#.into(), 422, "land_use"),
        (r#"{"properties": {"far_min": "high"}}"#.into(), 400, "number"),
        // Read-only: ignored (QGIS sends every field back), so nothing is left to change.
        (r#"{"properties": {"area_mu": 5}}"#.into(), 400, "read-only ones"),
        (r#"{"properties": {"colour": "red"}}"#.into(), 400, "no property 'colour'"),
        (r#"{"properties": {"agreed_start": "2026-13-40"}}"#.into(), 400, "date"),
        // Not stored as 1 BC, nor as a placeholder every report would count.
        (r#"{"properties": {"agreed_start": "0000-01-01"}}"#.into(), 422, "not a date of record: it must fall in 1900–2100"),
        (r#"{"properties": {"agreed_start": "9999-12-31"}}"#.into(), 422, "not a date of record"),
        (format!(r#"{{"geometry": {other}}}"#), 409, &other_code),
        (r#"{"geometry": {"type": "Point", "coordinates": [113.1, 23.5]}}"#.into(), 422, "Polygon"),
        (ring(&format!("[{x},{y}],[{},{}],[{},{y}],[{x},{}],[{x},{y}]", x + 0.0005, y + 0.0005, x + 0.0005, y + 0.0005)), 422, "not a valid polygon"),
        (ring(&format!("[{y},{x}],[{},{x}],[{},{}],[{y},{}],[{y},{x}]", y + 0.001, y + 0.001, x + 0.001, x + 0.001)), 422, "swapped"),
        (ring(&format!("[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]", x + 0.5, x + 0.5, y + 0.5, y + 0.5)), 422, "outside park"),
        (r#"{"geometry": {"type": "Polygon", "coordinates": [[[113.1, 23.5], [113.2, 23.5], [113.2, 23.6], [113.1, 23.6]]]}}"#.into(), 422, "closed"),
        (r#"{"properties": {}}"#.into(), 400, "nothing to change"),
        // Found by schemathesis: an empty ring list was a 500.
        (r#"{"geometry": {"type": "Polygon", "coordinates": []}}"#.into(), 422, "empty"),
    ];
    for (body, status, words) in &cases {
        let r = patch(&app, &token, &plot, body).await;
        assert_eq!(r.status.as_u16(), *status, "{body}: {}", String::from_utf8_lossy(&r.body));
        assert!(description(&r).contains(words), "{body}: '{}' does not say '{words}'", description(&r));
    }
    assert_eq!(read(&app, id).await.1, before, "nothing changed");
    let h = common::get(&app, &format!("/collections/plots/items/{id}/history")).await.json();
    assert_eq!(h["changes"].as_array().unwrap().len(), 0);
    // Parks are an admin's to edit, and an editor is told so.
    let auth = format!("Bearer {token}");
    let r = common::send(
        &app,
        "PATCH",
        "/collections/parks/items/GQ-01",
        &[("authorization", &auth), ("if-match", "*"), ("content-type", "application/json")],
        "{}",
    )
    .await;
    assert_eq!(r.status, 403);
    assert!(description(&r).contains("admin"), "{}", description(&r));
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let db = common::empty().await;
    let app = common::app(&db);
    let big = "x".repeat(parkland::api::MAX_BODY_BYTES + 1);
    let r = common::send(&app, "PATCH", "/collections/plots/items/1", &[("content-type", "application/json")], &big).await;
    assert_eq!(r.status, 413);
    assert!(description(&r).contains("at most"), "{}", description(&r));
    let length = big.len().to_string();
    let r = common::send(&app, "POST", "/analysis/availability", &[("content-type", "application/json"), ("content-length", &length)], &big).await;
    assert_eq!(r.status, 413);
    assert!(description(&r).contains("at most"));
}

#[tokio::test]
async fn plots_are_created_replaced_and_deleted_with_their_history_kept() {
    let db = common::empty().await;
    common::small_park(&db.pool).await;
    let app = common::app(&db);
    let token = auth::create(&db.pool, "editor-c", Role::Editor).await.unwrap();
    let auth = format!("Bearer {token}");
    let post = |body: Value| {
        let app = app.clone();
        let auth = auth.clone();
        async move {
            common::send(&app, "POST", "/collections/plots/items", &[("authorization", &auth), ("content-type", "application/geo+json")], &body.to_string())
                .await
        }
    };
    let a = json!({ "type": "Feature", "properties": { "park_id": "GQ-01", "code": "GQ-01-新-01", "land_use": "100102", "status": "available" },
                    "geometry": common::square(&db.pool, 400100.0, 2600100.0, 200.0).await });
    let r = post(a.clone()).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let location = r.headers["location"].to_str().unwrap().to_string();
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    let created = r.json();
    assert_eq!(created["properties"]["code"], "GQ-01-新-01");
    assert!((created["properties"]["area_mu"].as_f64().unwrap() - 60.0).abs() < 0.1, "200 m × 200 m is 60 亩");
    let (plot, _) = read(&app, id).await;
    assert_eq!(plot.etag, r.headers["etag"].to_str().unwrap());

    // Refusals, each naming its reason; nothing is written.
    let mut over = a.clone();
    over["properties"]["code"] = json!("GQ-01-新-02");
    over["geometry"] = common::square(&db.pool, 400200.0, 2600200.0, 200.0).await;
    let r = post(over).await;
    assert_eq!(r.status, 409);
    assert!(description(&r).contains("GQ-01-新-01"), "{}", description(&r));
    let mut twin = a.clone();
    twin["geometry"] = common::square(&db.pool, 400600.0, 2600600.0, 100.0).await;
    let r = post(twin).await;
    assert_eq!(r.status, 409);
    assert!(description(&r).contains("code"), "{}", description(&r));
    let mut outside = a.clone();
    outside["properties"]["code"] = json!("GQ-01-新-03");
    outside["geometry"] = common::square(&db.pool, 401900.0, 2601900.0, 300.0).await;
    assert_eq!(post(outside).await.status, 422);
    let mut nowhere = a.clone();
    nowhere["properties"]["park_id"] = json!("XX-99");
    assert_eq!(post(nowhere).await.status, 422);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM plots").fetch_one(&db.pool).await.unwrap();
    assert_eq!(count, 1);

    // PUT replaces: what is left out is cleared, the computed properties sent back ignored.
    let mut whole = created.clone();
    whole["properties"]["land_price_wan"] = json!(880.0);
    whole["geometry"] = common::square(&db.pool, 400100.0, 2600100.0, 250.0).await;
    let uri = format!("/collections/plots/items/{id}");
    let r =
        common::send(&app, "PUT", &uri, &[("authorization", &auth), ("if-match", &plot.etag), ("content-type", "application/geo+json")], &whole.to_string())
            .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let replaced = r.json();
    assert_eq!(replaced["properties"]["land_price_wan"].as_f64(), Some(880.0));
    assert!((replaced["properties"]["area_mu"].as_f64().unwrap() - 93.75).abs() < 0.15, "250 m × 250 m is 93.75 亩");
    let etag = r.headers["etag"].to_str().unwrap().to_string();

    let no_match = common::send(&app, "DELETE", &uri, &[("authorization", &auth)], "").await;
    assert_eq!(no_match.status, 428);
    let r = common::send(&app, "DELETE", &uri, &[("authorization", &auth), ("if-match", &etag)], "").await;
    assert_eq!(r.status, 204);
    assert_eq!(common::get(&app, &uri).await.status, 410, "deleted: gone, its versions kept");
    let h = common::get(&app, &format!("{uri}/history")).await.json();
    let actions: Vec<&str> = h["changes"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["delete", "update", "insert"], "newest first");
}

#[tokio::test]
async fn private_reads_need_a_viewer_token_but_not_for_health_or_the_map_page() {
    let db = common::empty().await;
    // The stack `parkland serve --private` serves.
    let options = parkland::Options { private: true, ..Default::default() };
    let state = parkland::AppState::with_options(db.pool.clone(), parkland::db::Reads::primary_only(db.pool.clone()), false, Default::default(), options);
    let app = parkland::api::app(state);
    assert_eq!(common::get(&app, "/collections").await.status, 401);
    assert_eq!(common::get(&app, "/health").await.status, 200);
    assert_eq!(common::get(&app, "/map/").await.status, 200);
    let viewer = auth::create(&db.pool, "看图", Role::Viewer).await.unwrap();
    let auth = format!("Bearer {viewer}");
    assert_eq!(common::request(&app, "/collections", &[("authorization", &auth)]).await.status, 200);
    assert_eq!(common::request(&app, "/collections", &[("authorization", "Bearer pl_9_nope")]).await.status, 401);
}

/// Idle-land findings: an editor records one on a plot, follows its measure and deletes
/// it, each write with If-Match and an audit row; refusals say why and change nothing.
#[tokio::test]
async fn an_idle_land_finding_is_recorded_followed_and_deleted_with_its_history() {
    let db = common::demo().await;
    let app = common::app(&db);
    let (plot, _) = plots(&db).await;
    let editor = auth::create(&db.pool, "国土所", Role::Editor).await.unwrap();
    let viewer = auth::create(&db.pool, "看客", Role::Viewer).await.unwrap();
    let (auth_e, auth_v) = (format!("Bearer {editor}"), format!("Bearer {viewer}"));
    let json_type = ("content-type", "application/geo+json");
    let finding = json!({ "type": "Feature", "properties": {
        "plot_id": plot, "kind": "idle", "cause": "funding", "found_on": "2026-03-01", "idle_since": "2025-02-01",
        "note": "企业资金链断裂；'; DROP TABLE plots; --" } })
    .to_string();
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM idle_records").fetch_one(&db.pool).await.unwrap();

    let r = common::send(&app, "POST", "/collections/idle-land/items", &[json_type], &finding).await;
    assert_eq!(r.status, 401);
    let r = common::send(&app, "POST", "/collections/idle-land/items", &[("authorization", &auth_v), json_type], &finding).await;
    assert_eq!(r.status, 403);
    // Refusals, each with its reason, and nothing written.
    for (body, status, words) in [
        (json!({ "properties": { "plot_id": plot, "kind": "lazy", "cause": "funding", "found_on": "2026-03-01" } }), 422, "kind must be idle"),
        (json!({ "properties": { "plot_id": 999_999_999, "kind": "idle", "cause": "funding", "found_on": "2026-03-01" } }), 422, "no plot has that plot_id"),
        (
            json!({ "properties": { "plot_id": plot, "kind": "idle", "cause": "funding", "found_on": "2026-03-01", "idle_since": "2026-04-01" } }),
            422,
            "idle_since must not be after found_on",
        ),
        (json!({ "properties": { "plot_id": plot, "kind": "idle", "cause": "funding" } }), 422, "needs found_on"),
        (
            json!({ "properties": { "plot_id": plot, "kind": "idle", "cause": "funding", "found_on": "2026-03-01", "colour": "X" } }),
            400,
            "no property 'colour'",
        ),
        (
            json!({ "properties": { "plot_id": plot, "kind": "idle", "cause": "funding", "found_on": "2026-03-01" }, "geometry": { "type": "Point", "coordinates": [113, 24] } }),
            400,
            "takes no geometry",
        ),
    ] {
        let r = common::send(&app, "POST", "/collections/idle-land/items", &[("authorization", &auth_e), json_type], &body.to_string()).await;
        assert_eq!(r.status, status, "{body}: {}", String::from_utf8_lossy(&r.body));
        assert!(description(&r).contains(words), "{body}: {}", description(&r));
    }
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM idle_records").fetch_one(&db.pool).await.unwrap();
    assert_eq!(n, before, "no refused finding was written");

    let r = common::send(&app, "POST", "/collections/idle-land/items", &[("authorization", &auth_e), json_type], &finding).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let location = r.headers["location"].to_str().unwrap().to_string();
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    assert!(location.ends_with(&format!("/collections/idle-land/items/{id}")));
    assert_eq!(r.json()["properties"]["note"], "企业资金链断裂；'; DROP TABLE plots; --");
    assert_eq!(r.json()["properties"]["measure_status"], "pending");
    let etag = r.headers["etag"].to_str().unwrap().to_string();

    // The measure is decided: If-Match needed, a stale one refused.
    let uri = format!("/collections/idle-land/items/{id}");
    let decided = r#"{"properties": {"measure": "idle_fee", "measure_status": "in_progress", "fee_wan": 240}}"#;
    let merge = ("content-type", "application/merge-patch+json");
    assert_eq!(common::send(&app, "PATCH", &uri, &[("authorization", &auth_e), merge], decided).await.status, 428);
    let r = common::send(&app, "PATCH", &uri, &[("authorization", &auth_e), ("if-match", &etag), merge], decided).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["properties"]["measure"], "idle_fee");
    let fresh = r.headers["etag"].to_str().unwrap().to_string();
    let r = common::send(&app, "PATCH", &uri, &[("authorization", &auth_e), ("if-match", &etag), merge], r#"{"properties": {"measure_status": "done"}}"#).await;
    assert_eq!(r.status, 412);
    let r = common::send(&app, "PATCH", &uri, &[("authorization", &auth_e), ("if-match", &fresh), merge], r#"{"properties": {"measure_status": "finished"}}"#)
        .await;
    assert_eq!(r.status, 422);
    assert!(description(&r).contains("pending, in_progress or done"));
    assert_eq!(common::get(&app, &uri).await.json()["properties"]["measure_status"], "in_progress", "the refused patch changed nothing");

    // Recorded in error: deleted, with its history kept.
    let r = common::send(&app, "DELETE", &uri, &[("authorization", &auth_e), ("if-match", &fresh)], "").await;
    assert_eq!(r.status, 204);
    assert_eq!(common::get(&app, &uri).await.status, 410);
    let history: Vec<(String, String)> = sqlx::query_as("SELECT action, actor FROM audit_log WHERE table_name = 'idle_records' AND row_id = $1 ORDER BY id")
        .bind(id.to_string())
        .fetch_all(&db.pool)
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|h| h.0.as_str()).collect();
    assert_eq!(actions, ["insert", "update", "delete"]);
    assert!(history.iter().all(|h| h.1 == "国土所"));
}
