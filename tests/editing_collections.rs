//! Writes beyond plots: transport nodes and roads (editor) that join the road network at
//! once, projects and the plots they got, and parks and constraint areas (admin). Each
//! refusal says why and writes nothing; each write leaves its history.

mod common;

use parkland::auth::{self, Role};
use serde_json::{json, Value};

struct Client {
    app: axum::Router,
    auth: String,
}

impl Client {
    async fn new(db: &common::TestDb, role: Role) -> Client {
        let token = auth::create(&db.pool, &format!("{role:?}-collections"), role).await.unwrap();
        Client { app: common::app(db), auth: format!("Bearer {token}") }
    }

    async fn post(&self, collection: &str, body: &Value) -> common::Reply {
        let headers = [("authorization", self.auth.as_str()), ("content-type", "application/geo+json")];
        common::send(&self.app, "POST", &format!("/collections/{collection}/items"), &headers, &body.to_string()).await
    }

    /// PATCH, PUT or DELETE with the feature's current ETag.
    async fn change(&self, method: &str, collection: &str, id: &str, body: Option<&Value>) -> common::Reply {
        let etag = self.etag(collection, id).await;
        let headers = [("authorization", self.auth.as_str()), ("content-type", "application/json"), ("if-match", etag.as_str())];
        let body = body.map(Value::to_string).unwrap_or_default();
        common::send(&self.app, method, &format!("/collections/{collection}/items/{id}"), &headers, &body).await
    }

    async fn etag(&self, collection: &str, id: &str) -> String {
        let r = common::get(&self.app, &format!("/collections/{collection}/items/{id}")).await;
        r.headers.get("etag").map(|v| v.to_str().unwrap().to_string()).unwrap_or_else(|| "\"none\"".into())
    }

    async fn read(&self, collection: &str, id: &str) -> Value {
        let r = common::get(&self.app, &format!("/collections/{collection}/items/{id}")).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        r.json()
    }
}

fn description(r: &common::Reply) -> String {
    r.json()["description"].as_str().unwrap_or("").to_string()
}

fn assert_refused(r: &common::Reply, status: u16, words: &str, what: &str) {
    assert_eq!(r.status.as_u16(), status, "{what}: {}", String::from_utf8_lossy(&r.body));
    assert!(description(r).contains(words), "{what}: '{}' does not say '{words}'", description(r));
}

async fn count(db: &common::TestDb, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&db.pool).await.unwrap()
}

fn created_id(r: &common::Reply) -> String {
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let location = r.headers["location"].to_str().unwrap();
    location.rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn a_new_interchange_and_its_road_are_routed_at_once_and_a_deleted_road_leaves_no_loose_vertex() {
    let db = common::demo().await;
    let editor = Client::new(&db, Role::Editor).await;
    // Plot 1 of 广清产业园 and the road vertex nearest to it.
    let (vx, vy): (f64, f64) = sqlx::query_as(
        "SELECT ST_X(v.geom), ST_Y(v.geom) FROM plots p CROSS JOIN LATERAL
           (SELECT geom FROM road_vertices ORDER BY geom <-> p.anchor LIMIT 1) v WHERE p.id = 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let before = common::get(&editor.app, "/analysis/access?plot=1").await.json();
    let old = before["access"]["highway_interchange"].clone();
    assert_ne!(old["node_id"], "HI-NEW");
    let vertices = count(&db, "road_vertices").await;

    // About a kilometre from that vertex.
    let (nx, ny) = (vx + 0.007, vy + 0.006);
    let node = json!({ "type": "Feature", "id": "HI-NEW", "properties": { "kind": "highway_interchange", "name_zh": "新城出入口", "line": "测试高速" },
                       "geometry": { "type": "Point", "coordinates": [nx, ny] } });
    let r = editor.post("transport-nodes", &node).await;
    assert_eq!(created_id(&r), "HI-NEW");
    assert_eq!(r.json()["properties"]["name_zh"], "新城出入口");
    assert_eq!(r.json()["properties"]["status"], "existing", "the column's default");

    let road = json!({ "type": "Feature", "properties": { "class": "county", "name": "新城连接线", "speed_kmh": 60 },
                       "geometry": { "type": "LineString", "coordinates": [[vx, vy], [nx, ny]] } });
    let r = editor.post("roads", &road).await;
    let road_id = created_id(&r);
    let written = r.json();
    assert!(written["properties"]["source"].is_i64() && written["properties"]["target"].is_i64(), "joined the network: {written}");
    assert_eq!(count(&db, "road_vertices").await, vertices + 1, "one new vertex, at the interchange; the other end is the old vertex");

    let after = common::get(&editor.app, "/analysis/access?plot=1").await.json();
    let now = &after["access"]["highway_interchange"];
    assert_eq!(now["node_id"], "HI-NEW", "{now}");
    assert!(now["minutes"].as_f64().unwrap() < old["minutes"].as_f64().unwrap());
    let road_km = written["properties"]["length_m"].as_f64().unwrap() / 1000.0;
    assert!(now["road_km"].as_f64().unwrap() >= road_km - 0.01, "the path runs along the new road: {now}, road {road_km} km");

    // The history of the road: one insert.
    let h = common::get(&editor.app, &format!("/collections/roads/items/{road_id}/history")).await.json();
    assert_eq!(h["changes"].as_array().unwrap().len(), 1);
    assert_eq!(h["changes"][0]["action"], "insert");

    let r = editor.change("DELETE", "roads", &road_id, None).await;
    assert_eq!(r.status, 204);
    assert_eq!(count(&db, "road_vertices").await, vertices, "the interchange's vertex went with its road");
    // The interchange is still there, now joined to its nearest vertex by a leg at
    // access speed: slower than by its road.
    let again = common::get(&editor.app, "/analysis/access?plot=1").await.json();
    let without_road = &again["access"]["highway_interchange"];
    assert_eq!(without_road["node_id"], "HI-NEW");
    assert!(without_road["minutes"].as_f64().unwrap() > now["minutes"].as_f64().unwrap(), "{without_road} vs {now}");
    assert_eq!(editor.change("DELETE", "transport-nodes", "HI-NEW", None).await.status, 204);
    let last = common::get(&editor.app, "/analysis/access?plot=1").await.json();
    assert_eq!(last["access"]["highway_interchange"], old, "back to the old interchange");
}

#[tokio::test]
async fn refused_nodes_and_roads_say_why_and_write_nothing() {
    let db = common::demo().await;
    let editor = Client::new(&db, Role::Editor).await;
    let (nodes, roads) = (count(&db, "transport_nodes").await, count(&db, "roads").await);
    let point = json!({ "type": "Point", "coordinates": [113.08, 23.5] });
    let line = json!({ "type": "LineString", "coordinates": [[113.08, 23.5], [113.09, 23.51]] });
    let node = |id: Value, props: Value, geometry: Value| json!({ "type": "Feature", "id": id, "properties": props, "geometry": geometry });
    let cases = [
        ("transport-nodes", node(json!("HI-01"), json!({ "kind": "port", "name_zh": "重复" }), point.clone()), 409, "a transport node has that id already"),
        ("transport-nodes", node(json!("有 空格"), json!({ "kind": "port", "name_zh": "港" }), point.clone()), 422, "the id must be 1 to 32"),
        ("transport-nodes", node(Value::Null, json!({ "kind": "port", "name_zh": "港" }), point.clone()), 422, "needs its id"),
        ("transport-nodes", node(json!("PT-X"), json!({ "kind": "harbour", "name_zh": "港" }), point.clone()), 422, "kind must be highway_interchange"),
        ("transport-nodes", node(json!("PT-X"), json!({ "kind": "port" }), point.clone()), 422, "needs name_zh"),
        (
            "transport-nodes",
            node(json!("PT-X"), json!({ "kind": "port", "name_zh": "港" }), json!({ "type": "Point", "coordinates": [23.5, 113.08] })),
            422,
            "swapped",
        ),
        ("transport-nodes", node(json!("PT-X"), json!({ "kind": "port", "name_zh": "港" }), line.clone()), 422, "must be a Point"),
        ("roads", node(Value::Null, json!({ "class": "county", "speed_kmh": 200 }), line.clone()), 422, "speed_kmh must be above 0 and at most 130"),
        ("roads", node(Value::Null, json!({ "class": "lane", "speed_kmh": 30 }), line.clone()), 422, "class must be expressway"),
        ("roads", node(Value::Null, json!({ "class": "county", "speed_kmh": 30, "oneway": "yes" }), line.clone()), 400, "true or false"),
        ("roads", node(Value::Null, json!({ "class": "county", "speed_kmh": 30 }), point.clone()), 422, "must be a LineString"),
        ("roads", node(Value::Null, json!({ "class": "county", "speed_kmh": 30 }), Value::Null), 422, "needs a geometry"),
        // It starts in Guangdong; its far end is what is checked as well.
        (
            "roads",
            node(Value::Null, json!({ "class": "county", "speed_kmh": 30 }), json!({ "type": "LineString", "coordinates": [[113.08, 23.5], [179.9, 89.9]] })),
            422,
            "reaches 179.9000, 89.9000, far outside Guangdong",
        ),
        ("roads", node(json!(7), json!({ "class": "county", "speed_kmh": 30 }), line.clone()), 400, "leave id out"),
        ("roads", node(Value::Null, json!({ "class": "county", "speed_kmh": 30, "lanes": 4 }), line.clone()), 400, "no property 'lanes'"),
    ];
    for (collection, body, status, words) in &cases {
        let r = editor.post(collection, body).await;
        assert_refused(&r, *status, words, &format!("POST {collection} {body}"));
    }
    assert_eq!((count(&db, "transport_nodes").await, count(&db, "roads").await), (nodes, roads), "nothing written");
    let audits: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&db.pool).await.unwrap();
    assert_eq!(audits, 0);
}

#[tokio::test]
async fn a_project_gets_plots_of_its_park_that_no_other_project_has() {
    let db = common::demo().await;
    let editor = Client::new(&db, Role::Editor).await;
    let free: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM plots WHERE park_id = 'GQ-01' AND status = 'available' ORDER BY id LIMIT 3").fetch_all(&db.pool).await.unwrap();
    let elsewhere: i64 = sqlx::query_scalar("SELECT min(id) FROM plots WHERE park_id <> 'GQ-01'").fetch_one(&db.pool).await.unwrap();
    let project = json!({ "type": "Feature", "properties": {
        "name": "新能源电池项目", "investor": "某某新能源有限公司", "industry": "新能源", "demand_mu": 120, "stage": "signed",
        "park_id": "GQ-01", "requirements": { "min_contiguous_mu": 100, "需要": ["电力", "蒸汽"] }, "plot_ids": [free[0], free[1]] } });
    let r = editor.post("projects", &project).await;
    let id = created_id(&r);
    let p = r.json();
    assert_eq!(p["properties"]["plot_ids"], json!([free[0], free[1]]));
    assert_eq!(p["properties"]["requirements"]["需要"], json!(["电力", "蒸汽"]), "Chinese JSON kept");
    assert_eq!(p["geometry"]["type"], "MultiPolygon", "drawn from its plots");

    let projects = count(&db, "projects").await;
    let grants = count(&db, "project_plots").await;
    let other = |plot_ids: Value| json!({ "properties": { "name": "另一项目", "industry": "电子", "demand_mu": 50, "stage": "negotiating", "park_id": "GQ-01", "plot_ids": plot_ids } });
    let code: String = sqlx::query_scalar("SELECT code FROM plots WHERE id = $1").bind(free[1]).fetch_one(&db.pool).await.unwrap();
    let refusals = [
        (other(json!([free[1], free[2]])), 409, format!("plot {code} was granted to project {id}")),
        (other(json!([elsewhere])), 422, "but its plots".to_string()),
        (other(json!([999_999_999])), 422, "no plot 999999999".to_string()),
        (other(json!(["one"])), 400, "plot_ids must be a list".to_string()),
        (json!({ "properties": { "name": "无行业", "demand_mu": 5, "stage": "signed" } }), 422, "needs industry".to_string()),
        (json!({ "properties": { "name": "x", "industry": "y", "demand_mu": -5, "stage": "signed" } }), 422, "demand_mu must be above 0".to_string()),
        (json!({ "properties": { "name": "x", "industry": "y", "demand_mu": 5, "stage": "dreaming" } }), 422, "stage must be".to_string()),
        (
            json!({ "properties": { "name": "x", "industry": "y", "demand_mu": 5, "stage": "signed" }, "geometry": { "type": "Point", "coordinates": [113.0, 23.5] } }),
            400,
            "drawn from the plots it got".to_string(),
        ),
    ];
    for (body, status, words) in &refusals {
        let r = editor.post("projects", body).await;
        assert_refused(&r, *status, words, &format!("POST {body}"));
    }
    assert_eq!((count(&db, "projects").await, count(&db, "project_plots").await), (projects, grants), "nothing written");

    // Moving the project to another park while its plots stay in 广清: refused.
    let r = editor.change("PATCH", "projects", &id, Some(&json!({ "properties": { "park_id": "QY-01" } }))).await;
    assert_refused(&r, 422, "lie in park GQ-01", "PATCH park_id");
    // A patch of its plots alone.
    let r = editor.change("PATCH", "projects", &id, Some(&json!({ "properties": { "plot_ids": [free[2]] } }))).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["properties"]["plot_ids"], json!([free[2]]));
    // A replacement without plot_ids lets the plots go; the project stays, unplaced.
    let mut whole = editor.read("projects", &id).await;
    whole["properties"].as_object_mut().unwrap().remove("plot_ids");
    let r = editor.change("PUT", "projects", &id, Some(&whole)).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["properties"]["plot_ids"], json!([]));
    assert!(r.json()["geometry"].is_null());
    assert_eq!(r.json()["properties"]["investor"], "某某新能源有限公司");

    let r = editor.change("DELETE", "projects", &id, None).await;
    assert_eq!(r.status, 204);
    let h = common::get(&editor.app, &format!("/collections/projects/items/{id}/history")).await.json();
    let actions: Vec<&str> = h["changes"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["delete", "update", "update", "insert"]);
}

#[tokio::test]
async fn parks_and_constraint_areas_are_an_admins_and_a_park_keeps_its_plots() {
    let db = common::demo().await;
    let editor = Client::new(&db, Role::Editor).await;
    let admin = Client::new(&db, Role::Admin).await;
    let square = |x: f64, y: f64, d: f64| json!({ "type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
    let park = json!({ "type": "Feature", "id": "QY-NEW", "properties": {
        "name_zh": "清远新材料产业园", "level": "county_park", "city": "清远市", "county": "清新区",
        "leading_industries": ["新材料", "装备制造"], "infrastructure": ["road", "power"], "utilities": { "power": { "kv": 110 } } },
        "geometry": square(113.0, 23.80, 0.02) });

    let constraints = count(&db, "constraints").await;
    let r = editor.post("parks", &park).await;
    assert_refused(&r, 403, "admin", "an editor's park");
    let r = editor.post("constraints", &json!({ "properties": { "kind": "flood", "name": "蓄洪区" }, "geometry": square(113.0, 23.8, 0.01) })).await;
    assert_refused(&r, 403, "admin", "an editor's constraint area");
    assert_eq!(count(&db, "constraints").await, constraints);

    let r = admin.post("parks", &park).await;
    assert_eq!(created_id(&r), "QY-NEW");
    assert_eq!(r.json()["properties"]["leading_industries"], json!(["新材料", "装备制造"]));
    assert_eq!(r.json()["properties"]["utilities"]["power"]["kv"], 110);
    let r = admin.post("parks", &park).await;
    assert_refused(&r, 409, "a park has that id already", "the same park twice");
    let bad = json!({ "type": "Feature", "id": "QY-X", "properties": { "name_zh": "x", "level": "county_park", "city": "清远市", "infrastructure": ["swimming_pool"] }, "geometry": square(113.1, 23.8, 0.01) });
    assert_refused(&admin.post("parks", &bad).await, 422, "infrastructure lists only", "unknown infrastructure");

    // An editor adds a plot in the south-west corner of the new park.
    let plot = json!({ "type": "Feature", "properties": { "park_id": "QY-NEW", "code": "QY-NEW-01", "land_use": "100102", "status": "available" },
                       "geometry": square(113.001, 23.801, 0.002) });
    let plot_id = created_id(&editor.post("plots", &plot).await);

    // Shrinking the park to its north-east quarter would leave the plot outside.
    let r = admin.change("PATCH", "parks", "QY-NEW", Some(&json!({ "geometry": square(113.01, 23.81, 0.01) }))).await;
    assert_refused(&r, 409, "QY-NEW-01", "a shrunk boundary");
    let r = admin.change("DELETE", "parks", "QY-NEW", None).await;
    assert_refused(&r, 409, "still referenced (by its plots)", "a park with plots");
    let r = admin.change("PATCH", "parks", "QY-NEW", Some(&json!({ "properties": { "name_en": "Qingyuan New Materials Park" } }))).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["properties"]["name_zh"], "清远新材料产业园");

    // A red line over the plot, drawn, renamed and removed by the admin.
    let r = admin
        .post("constraints", &json!({ "properties": { "kind": "ecological_redline", "name": "北江生态红线" }, "geometry": square(113.001, 23.801, 0.001) }))
        .await;
    let constraint = created_id(&r);
    assert!(r.json()["properties"]["area_m2"].as_f64().unwrap() > 10_000.0);
    let r = admin.change("PATCH", "constraints", &constraint, Some(&json!({ "properties": { "name": "北江生态保护红线" } }))).await;
    assert_eq!(r.json()["properties"]["name"], "北江生态保护红线");
    assert_eq!(admin.change("DELETE", "constraints", &constraint, None).await.status, 204);

    assert_eq!(editor.change("DELETE", "plots", &plot_id, None).await.status, 204);
    assert_eq!(admin.change("DELETE", "parks", "QY-NEW", None).await.status, 204);
    let h = common::get(&admin.app, "/collections/parks/items/QY-NEW/history").await.json();
    let actions: Vec<&str> = h["changes"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["delete", "update", "insert"]);
}

/// A park's targets are an admin's to write, one figure a feature; a figure the rules
/// refuse says why and writes nothing, and the park's feature shows its targets by year.
#[tokio::test]
async fn targets_are_an_admins_and_a_refused_one_writes_nothing() {
    let db = common::demo().await;
    let editor = Client::new(&db, Role::Editor).await;
    let admin = Client::new(&db, Role::Admin).await;
    let target = json!({ "type": "Feature", "properties": {
        "park_id": "QY-01", "year": 2027, "indicator": "output", "value": 30, "unit": "亿元", "basis": "annual",
        "projection": false, "label_zh": "预制菜产业产值", "source": "测试：园区年度计划" } });
    let before = count(&db, "targets").await;
    assert_refused(&editor.post("targets", &target).await, 403, "admin", "an editor's target");
    let mut bad = target.clone();
    bad["properties"]["unit"] = json!("万吨");
    assert_refused(&admin.post("targets", &bad).await, 422, "unit must be", "an unknown unit");
    let mut cluster = target.clone();
    cluster["properties"]["indicator"] = json!("cluster_output");
    assert_refused(&admin.post("targets", &cluster).await, 422, "names its industry", "a cluster without its industry");
    assert_eq!(count(&db, "targets").await, before);

    let id = created_id(&admin.post("targets", &target).await);
    let made = admin.read("targets", &id).await;
    assert_eq!(made["properties"]["park_name"], "飞来峡预制菜产业园");
    assert_eq!(made["properties"]["label_zh"], "预制菜产业产值");
    let park = admin.read("parks", "QY-01").await;
    assert_eq!(park["properties"]["targets"]["2027"][0]["value"], 30.0);
    let r = admin.change("PATCH", "targets", &id, Some(&json!({ "properties": { "value": 35 } }))).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(admin.change("DELETE", "targets", &id, None).await.status, 204);
    assert_eq!(count(&db, "targets").await, before);
}

/// Zones are an admin's: a new zone takes parks, is drawn as their union, and cannot be
/// deleted while parks are in it.
#[tokio::test]
async fn a_zone_holds_parks_and_is_drawn_from_them() {
    let db = common::demo().await;
    let editor = Client::new(&db, Role::Editor).await;
    let admin = Client::new(&db, Role::Admin).await;
    let zone = json!({ "type": "Feature", "id": "YD-Z", "properties": { "name_zh": "英德产业合作区", "city": "清远市", "source": "测试" } });
    assert_refused(&editor.post("zones", &zone).await, 403, "admin", "an editor's zone");
    assert_eq!(created_id(&admin.post("zones", &zone).await), "YD-Z");
    assert_refused(&admin.post("zones", &zone).await, 409, "a zone has that id already", "the same zone twice");
    let r = admin.change("PATCH", "parks", "GQ-07", Some(&json!({ "properties": { "zone_id": "YD-Z" } }))).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let r = admin.change("PATCH", "parks", "GQ-08", Some(&json!({ "properties": { "zone_id": "NOPE" } }))).await;
    assert_refused(&r, 422, "no zone has that zone_id", "an unknown zone");
    let read = admin.read("zones", "YD-Z").await;
    assert_eq!(read["properties"]["park_ids"], json!(["GQ-07"]));
    assert_eq!(read["geometry"]["type"], "MultiPolygon");
    let r = admin.change("DELETE", "zones", "YD-Z", None).await;
    assert_refused(&r, 409, "by its parks", "a zone with parks");
    let ledger = common::get(&admin.app, "/ledger").await.json();
    assert!(ledger["zones"].as_array().unwrap().iter().any(|z| z["zone_id"] == "YD-Z" && z["park_ids"] == json!(["GQ-07"])));
}
