//! Plots divided and joined (#21, DOMAIN.md "Dividing and joining plots"): a split by a
//! line and by child outlines, a merge, and refusals (children leaving a gap, plots of
//! different land users, plots apart, a stale ETag) that change nothing; lineage both ways; the tiles and the land
//! graph see the children at once.

mod common;

use parkland::auth::{self, Role};
use serde_json::{json, Value};

struct Editor {
    app: axum::Router,
    bearer: String,
}

impl Editor {
    async fn etag(&self, id: i64) -> String {
        common::get(&self.app, &format!("/collections/plots/items/{id}")).await.headers["etag"].to_str().unwrap().to_string()
    }

    async fn post(&self, uri: &str, if_match: &str, body: Value) -> common::Reply {
        let headers = [("authorization", self.bearer.as_str()), ("content-type", "application/json"), ("if-match", if_match)];
        common::send(&self.app, "POST", uri, &headers, &body.to_string()).await
    }
}

async fn count(db: &common::TestDb) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM plots").fetch_one(&db.pool).await.unwrap()
}

/// A plot free of findings and projects, with money figures, and its outline's middle
/// meridian as a line across it (lon, lat bounds padded).
async fn plot_to_cut(db: &common::TestDb) -> (i64, Value) {
    let (id, x, y0, y1): (i64, f64, f64, f64) = sqlx::query_as(
        "SELECT id, ST_X(ST_Centroid(geom)), ST_YMin(geom) - 0.001, ST_YMax(geom) + 0.001 FROM plots
         WHERE status = 'available' AND id NOT IN (SELECT plot_id FROM idle_records) AND id NOT IN (SELECT plot_id FROM project_plots)
           AND ST_NumGeometries(geom) = 1 ORDER BY area_m2 DESC LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE plots SET land_price_wan = 1000 WHERE id = $1").bind(id).execute(&db.pool).await.unwrap();
    (id, json!({ "type": "LineString", "coordinates": [[x, y0], [x, y1]] }))
}

#[tokio::test]
async fn a_plot_split_by_a_line_then_joined_again_keeps_its_lineage() {
    let db = common::demo().await;
    let app = common::app(&db);
    let bearer = format!("Bearer {}", auth::create(&db.pool, "分割者", Role::Editor).await.unwrap());
    let e = Editor { app: app.clone(), bearer };
    let (id, line) = plot_to_cut(&db).await;
    let parent = common::get(&app, &format!("/collections/plots/items/{id}")).await.json();
    let code = parent["properties"]["code"].as_str().unwrap().to_string();
    let area: f64 = parent["properties"]["area_m2"].as_f64().unwrap();
    let before = count(&db).await;
    let graphs = parkland::analysis::land_graph::LandGraphs::default();
    graphs.current(&db.pool).await.unwrap();
    // The z14 tile over the plot, as the map reads it.
    let (lon, lat): (f64, f64) =
        sqlx::query_as("SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM plots WHERE id = $1").bind(id).fetch_one(&db.pool).await.unwrap();
    let n = f64::from(1 << 14);
    let (x, y) = ((lon + 180.0) / 360.0 * n, (1.0 - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI) / 2.0 * n);
    let tile = format!("/tiles/plots/14/{}/{}.mvt", x.floor(), y.floor());
    let tile_before = common::get(&app, &tile).await;
    assert_eq!(tile_before.status, 200);

    let r = e.post(&format!("/collections/plots/items/{id}/split"), &e.etag(id).await, json!({ "line": line })).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let children = r.json()["features"].as_array().unwrap().clone();
    assert_eq!(children.len(), 2);
    assert_eq!(count(&db).await, before + 1, "one plot became two");
    let ids: Vec<i64> = children.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let codes: Vec<&str> = children.iter().map(|c| c["properties"]["code"].as_str().unwrap()).collect();
    assert_eq!(codes, [format!("{code}-1"), format!("{code}-2")]);
    let areas: f64 = children.iter().map(|c| c["properties"]["area_m2"].as_f64().unwrap()).sum();
    assert!((areas - area).abs() < 1.0, "the children tile the parent: {areas} of {area}");
    let price: f64 = children.iter().map(|c| c["properties"]["land_price_wan"].as_f64().unwrap()).sum();
    assert!((price - 1000.0).abs() < 0.02, "the price shared out by area: {price}");
    for c in &children {
        for copied in ["park_id", "land_use", "status", "land_user", "far_max"] {
            assert_eq!(c["properties"][copied], parent["properties"][copied], "{copied}");
        }
    }
    assert_eq!(common::get(&app, &format!("/collections/plots/items/{id}")).await.status, 410, "the parent is retired");
    let lineage = common::get(&app, &format!("/collections/plots/items/{id}/lineage")).await.json();
    assert_eq!(lineage["children"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>(), ids);
    let up = common::get(&app, &format!("/collections/plots/items/{}/lineage", ids[0])).await.json();
    assert_eq!(up["parents"][0]["id"], id);
    assert_eq!(up["parents"][0]["kind"], "split");
    // The tile is drawn again with the children, the land graph reads them (and forgets
    // the parent), at once.
    let tile_after = common::get(&app, &tile).await;
    assert_ne!(tile_after.headers["etag"], tile_before.headers["etag"]);
    assert_ne!(tile_after.body, tile_before.body);
    let g = graphs.current(&db.pool).await.unwrap();
    assert!(ids.iter().all(|c| g.plots.iter().any(|p| p.id == *c)) && !g.plots.iter().any(|p| p.id == id));

    // Joined again: the sums, the first child's code unless given.
    let tags = format!("{}, {}", e.etag(ids[0]).await, e.etag(ids[1]).await);
    let r = e.post("/collections/plots/merge", &tags, json!({ "plots": ids, "properties": { "code": code } })).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let merged = r.json();
    assert_eq!(merged["properties"]["code"], code.as_str());
    assert!((merged["properties"]["area_m2"].as_f64().unwrap() - area).abs() < 1.0);
    assert!((merged["properties"]["land_price_wan"].as_f64().unwrap() - 1000.0).abs() < 0.02);
    assert_eq!(count(&db).await, before);
    let m = merged["id"].as_i64().unwrap();
    let lineage = common::get(&app, &format!("/collections/plots/items/{m}/lineage")).await.json();
    let parents: Vec<i64> = lineage["parents"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(parents, ids);
    assert_eq!(lineage["parents"][0]["kind"], "merge");
}

#[tokio::test]
async fn a_split_by_outlines_must_tile_and_a_merge_must_agree() {
    let db = common::demo().await;
    let app = common::app(&db);
    let bearer = format!("Bearer {}", auth::create(&db.pool, "分割者", Role::Editor).await.unwrap());
    let e = Editor { app: app.clone(), bearer };
    let (id, _) = plot_to_cut(&db).await;
    // Two halves west and east of the centroid's meridian, as outlines.
    let halves: Vec<String> = sqlx::query_scalar(
        "SELECT ST_AsGeoJSON(ST_Intersection(p.geom, ST_MakeEnvelope(x0, y0, x1, y1, 4326)), 12) FROM plots p,
           LATERAL (SELECT ST_XMin(p.geom) - 1 AS a, ST_X(ST_Centroid(p.geom)) AS m, ST_XMax(p.geom) + 1 AS b, ST_YMin(p.geom) - 1 AS y0, ST_YMax(p.geom) + 1 AS y1) k,
           LATERAL (VALUES (k.a, k.m), (k.m, k.b)) h(x0, x1)
         WHERE p.id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let part = |g: &str, code: &str| json!({ "type": "Feature", "properties": { "code": code }, "geometry": serde_json::from_str::<Value>(g).unwrap() });
    let before = count(&db).await;
    // One half alone leaves a gap.
    let r =
        e.post(&format!("/collections/plots/items/{id}/split"), &e.etag(id).await, json!({ "parts": [part(&halves[0], "W"), part(&halves[0], "W2")] })).await;
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.json()["description"].as_str().unwrap().contains("uncovered"), "{}", r.json());
    assert_eq!(count(&db).await, before, "nothing changed");
    assert_eq!(common::get(&app, &format!("/collections/plots/items/{id}")).await.status, 200);
    // A part that would change more than its code.
    let mut other = part(&halves[1], "E");
    other["properties"]["land_user"] = json!("别人");
    let r = e.post(&format!("/collections/plots/items/{id}/split"), &e.etag(id).await, json!({ "parts": [part(&halves[0], "W"), other] })).await;
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    // Both halves, named.
    let r =
        e.post(&format!("/collections/plots/items/{id}/split"), &e.etag(id).await, json!({ "parts": [part(&halves[0], "W"), part(&halves[1], "E")] })).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let children: Vec<i64> = r.json()["features"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();

    // Plots of different land users are not joined: 422, nothing changed.
    for (child, user) in children.iter().zip(["甲公司", "乙公司"]) {
        sqlx::query("UPDATE plots SET status = 'supplied', land_user = $2, supplied_on = '2026-01-05' WHERE id = $1")
            .bind(child)
            .bind(user)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    let tags = format!("{}, {}", e.etag(children[0]).await, e.etag(children[1]).await);
    let r = e.post("/collections/plots/merge", &tags, json!({ "plots": children })).await;
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.json()["description"].as_str().unwrap().contains("different land_user are not merged (乙公司, 甲公司)"), "{}", r.json());
    assert_eq!(count(&db).await, before + 1);
    // Plots that do not touch are not joined either.
    let far: i64 = sqlx::query_scalar("SELECT min(id) FROM plots WHERE park_id = (SELECT park_id FROM plots WHERE id = $1) AND NOT ST_DWithin(geom, (SELECT geom FROM plots WHERE id = $1), 0.01)")
        .bind(children[1])
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let tags = format!("{}, {}", e.etag(children[1]).await, e.etag(far).await);
    let r = e.post("/collections/plots/merge", &tags, json!({ "plots": [children[1], far] })).await;
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    // A stale ETag: 412.
    let r = e.post("/collections/plots/merge", "\"1.1.00000000-x\"", json!({ "plots": children })).await;
    assert_eq!(r.status, 412, "{}", String::from_utf8_lossy(&r.body));
}
