//! Transport that is not open yet does not count as open (issue #18): access, isochrones
//! and the site search count open nodes only unless planned ones are asked for, and every
//! answer says which nodes are planned and when they are expected to open.

mod common;

use serde_json::{json, Value};

/// The must-show of #18: an airport within 30 minutes at 连州 exists only once the
/// planned 连州支线机场 is counted.
#[tokio::test]
async fn an_airport_within_30_minutes_at_lianzhou_is_there_only_with_planned_nodes_included() {
    let db = common::demo().await;
    let app = common::app(&db);
    let planned: (String, String) = sqlx::query_as("SELECT name_zh, status FROM transport_nodes WHERE id = 'AP-03'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(planned, ("连州支线机场（规划）".to_string(), "planned".to_string()));

    let ask = json!({ "demand_mu": 50, "parks": ["GQ-08"], "access": { "airport": { "max_minutes": 30 } } });
    let by_default = common::site_search(&app, ask.clone()).await;
    assert_eq!(by_default["numberReturned"], 0, "{by_default}");
    assert_eq!(by_default["diagnostics"]["planned_transport"], json!({ "included": false }));
    let access_step = by_default["diagnostics"]["steps"].as_array().unwrap().iter().find(|s| s["condition"] == "access").unwrap().clone();
    assert!(access_step["removed_sites"].as_u64().unwrap() > 0, "sites were there before the airport limit: {access_step}");
    assert!(access_step["failed"]["airport"].as_u64().unwrap() > 0, "{access_step}");

    let mut with_planned = ask.clone();
    with_planned["include_planned"] = json!(true);
    let found = common::site_search(&app, with_planned).await;
    let sites = found["features"].as_array().unwrap();
    assert!(!sites.is_empty(), "{found}");
    assert_eq!(found["diagnostics"]["planned_transport"], json!({ "included": true }));
    for s in sites {
        let airport = &s["properties"]["access"]["airport"];
        assert_eq!(airport["node_id"], "AP-03", "{airport}");
        assert_eq!(airport["open"], false, "the planned airport is marked: {airport}");
        assert_eq!(airport["status"], "planned");
        assert!(airport["minutes"].as_f64().unwrap() <= 30.0);
    }

    // With an expected opening, a date picks it or leaves it out.
    sqlx::query("UPDATE transport_nodes SET opens_on = '2027-06-30' WHERE id = 'AP-03'").execute(&db.pool).await.unwrap();
    let mut by_2028 = ask.clone();
    by_2028["planned_by"] = json!("2028-01-01");
    let found = common::site_search(&app, by_2028).await;
    assert!(found["numberReturned"].as_u64().unwrap() > 0, "{found}");
    assert_eq!(found["features"][0]["properties"]["access"]["airport"]["opens_on"], "2027-06-30");
    assert_eq!(found["diagnostics"]["planned_transport"], json!({ "included": true, "expected_by": "2028-01-01" }));
    let mut by_2027 = ask;
    by_2027["planned_by"] = json!("2027-01-01");
    assert_eq!(common::site_search(&app, by_2027).await["numberReturned"], 0);
}

/// `/analysis/access` counts open nodes by default and names status and expected opening.
#[tokio::test]
async fn the_access_answer_marks_planned_nodes_and_their_expected_opening() {
    let db = common::demo().await;
    let app = common::app(&db);
    sqlx::query("UPDATE transport_nodes SET opens_on = '2027-06-30' WHERE id = 'AP-03'").execute(&db.pool).await.unwrap();

    let open_only = common::get(&app, "/analysis/access?park=GQ-08").await;
    assert_eq!(open_only.status, 200);
    let open_only = open_only.json();
    assert_eq!(open_only["planned_transport"], json!({ "included": false }));
    for (kind, node) in open_only["access"].as_object().unwrap() {
        assert_eq!(node["open"], true, "{kind}: {node}");
        assert_eq!(node["status"], "existing", "{kind}: {node}");
    }
    let airport = &open_only["access"]["airport"];
    assert_ne!(airport["node_id"], "AP-03");

    let all = common::get(&app, "/analysis/access?park=GQ-08&include_planned=true").await.json();
    let airport_planned = &all["access"]["airport"];
    assert_eq!(airport_planned["node_id"], "AP-03", "{all}");
    assert_eq!(airport_planned["open"], false);
    assert_eq!(airport_planned["status"], "planned");
    assert_eq!(airport_planned["opens_on"], "2027-06-30");
    assert!(airport_planned["minutes"].as_f64().unwrap() < airport["minutes"].as_f64().unwrap());

    let by = common::get(&app, "/analysis/access?park=GQ-08&planned_by=2027-06-30").await.json();
    assert_eq!(by["access"]["airport"]["node_id"], "AP-03", "the day it opens counts");
    let before = common::get(&app, "/analysis/access?park=GQ-08&planned_by=2027-06-29").await.json();
    assert_eq!(before["access"]["airport"], open_only["access"]["airport"]);

    for bad in ["include_planned=yes", "planned_by=2027-13-01", "include_planned=false&planned_by=2027-01-01"] {
        let r = common::get(&app, &format!("/analysis/access?park=GQ-08&{bad}")).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(String::from_utf8_lossy(&r.body).contains("planned"), "{bad}: {}", String::from_utf8_lossy(&r.body));
    }
    let r = common::post_json(&app, "/analysis/availability", &json!({ "demand_mu": 50, "include_planned": false, "planned_by": "2027-01-01" })).await;
    assert_eq!(r.status, 400);
}

/// The search looks access up in the land graph held in memory, `/analysis/access` asks
/// PostGIS: under every choice of planned nodes (open ones only included) the two agree to
/// the last digit, for every site that is its whole block (measured from its first plot).
#[tokio::test]
async fn under_every_choice_of_planned_nodes_site_access_equals_the_access_endpoint() {
    let db = common::demo().await;
    let app = common::app(&db);
    // Two planned airports with dates either side of a cut-off, one planned station without.
    sqlx::query("UPDATE transport_nodes SET opens_on = CASE id WHEN 'AP-03' THEN date '2027-06-30' ELSE date '2030-01-01' END WHERE id IN ('AP-03', 'AP-04')")
        .execute(&db.pool)
        .await
        .unwrap();
    let choices: [(&str, Value); 3] =
        [("", json!({})), ("&include_planned=true", json!({ "include_planned": true })), ("&planned_by=2028-01-01", json!({ "planned_by": "2028-01-01" }))];
    let mut planned_seen = 0;
    for (query, extra) in choices {
        let mut body = json!({ "demand_mu": 50, "include": ["available", "idle", "inefficient", "approved_unsupplied"], "limit": 200 });
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let res = common::site_search(&app, body).await;
        let mut compared = 0;
        for s in res["features"].as_array().unwrap() {
            let p = &s["properties"];
            if p["area_mu"] != p["block_area_mu"] {
                continue;
            }
            let first = p["plot_ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).min().unwrap();
            let r = common::get(&app, &format!("/analysis/access?plot={first}{query}")).await;
            assert_eq!(r.status, 200);
            assert_eq!(p["access"], r.json()["access"], "plot {first}, {query}");
            planned_seen += p["access"].as_object().unwrap().values().filter(|n| n["open"] == false).count();
            compared += 1;
        }
        assert!(compared >= 15, "only {compared} whole-block sites to compare ({query})");
    }
    assert!(planned_seen > 0, "some site is nearest a planned node when planned ones count");
}

/// The isochrone of a node not open yet is refused unless planned nodes are asked for.
#[tokio::test]
async fn an_isochrone_of_a_planned_node_needs_planned_nodes_included() {
    let db = common::demo().await;
    let app = common::app(&db);
    let r = common::get(&app, "/analysis/isochrone?node=AP-03&minutes=20").await;
    assert_eq!(r.status, 409);
    let text = String::from_utf8_lossy(&r.body).to_string();
    assert!(text.contains("连州支线机场（规划）") && text.contains("include_planned"), "{text}");

    let r = common::get(&app, "/analysis/isochrone?node=AP-03&minutes=20&include_planned=true").await;
    assert_eq!(r.status, 200);
    let f = r.json();
    assert_eq!(f["properties"]["open"], false);
    assert_eq!(f["properties"]["status"], "planned");
    assert!(!f["properties"]["vertices"].as_array().unwrap().is_empty());

    let open = common::get(&app, "/analysis/isochrone?node=AP-01&minutes=20").await;
    assert_eq!(open.status, 200);
    assert_eq!(open.json()["properties"]["open"], true);
}

/// A road not built yet is kept and drawn but not routed; recorded as existing, it joins
/// the network.
#[tokio::test]
async fn a_planned_road_is_not_routed_until_it_exists() {
    let db = common::demo().await;
    let pool = &db.pool;
    let access_rows = || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM road_access").fetch_one(pool).await.unwrap() };
    let before = access_rows().await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO roads (class, name, speed_kmh, status, geom)
         SELECT 'expressway', '测试规划高速', 100, 'planned', ST_MakeLine(g, ST_Translate(g, 0.05, 0.05))
         FROM (SELECT geom FROM road_vertices ORDER BY id LIMIT 1) v(g) RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let ends: (Option<i64>, Option<i64>) = sqlx::query_as("SELECT source, target FROM roads WHERE id = $1").bind(id).fetch_one(pool).await.unwrap();
    assert_eq!(ends, (None, None), "a planned road is not in the network");
    assert_eq!(access_rows().await, before);
    sqlx::query_scalar::<_, i32>("SELECT rebuild_road_topology()").fetch_one(pool).await.unwrap();
    let ends: (Option<i64>, Option<i64>) = sqlx::query_as("SELECT source, target FROM roads WHERE id = $1").bind(id).fetch_one(pool).await.unwrap();
    assert_eq!(ends, (None, None), "nor after the topology is rebuilt");

    sqlx::query("UPDATE roads SET status = 'existing' WHERE id = $1").bind(id).execute(pool).await.unwrap();
    let ends: (Option<i64>, Option<i64>) = sqlx::query_as("SELECT source, target FROM roads WHERE id = $1").bind(id).fetch_one(pool).await.unwrap();
    assert!(ends.0.is_some() && ends.1.is_some(), "opened, it joins the network");
    assert!(access_rows().await > before, "its far end is reached now");

    let refused = sqlx::query("UPDATE roads SET opens_on = '2030-01-01' WHERE id = $1").bind(id).execute(pool).await;
    assert!(refused.is_err(), "an open road has no expected opening");
}

/// On a hand-made line of road, airports that open at different times, one tie and a
/// kind with only a planned node: for every cut-off the land graph (the site search) and
/// PostGIS (`/analysis/access`) choose the node worked out by hand, and agree to the digit.
#[tokio::test]
async fn every_cut_off_finds_the_fastest_node_that_counts_in_memory_and_in_sql() {
    let db = common::empty().await;
    let pool = &db.pool;
    let gk = |x: f64, y: f64| format!("ST_Transform(ST_SetSRID(ST_MakePoint({x}, {y}), 4547), 4326)");
    sqlx::query(
        "INSERT INTO parks (id, name_zh, level, city, infrastructure, boundary)
         VALUES ('GQ-01', '测试园', 'cooperation_park', '清远市', '{road}', ST_Multi(ST_Transform(ST_MakeEnvelope(396000, 2596000, 410000, 2606000, 4547), 4326)))",
    )
    .execute(pool)
    .await
    .unwrap();
    let plot: i64 = sqlx::query_scalar(
        "INSERT INTO plots (park_id, code, land_use, status, geom)
         VALUES ('GQ-01', 'T-1', '100102', 'available', ST_Multi(ST_Transform(ST_MakeEnvelope(398900, 2599000, 399158.2, 2599258.2, 4547), 4326))) RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    // A road east in four 2-km pieces; a vertex every 2 km.
    for x in [399000.0, 401000.0, 403000.0, 405000.0] {
        sqlx::query(&format!(
            "INSERT INTO roads (class, name, speed_kmh, geom) VALUES ('county', '测试路', 60, ST_MakeLine({}, {}))",
            gk(x, 2599300.0),
            gk(x + 2000.0, 2599300.0)
        ))
        .execute(pool)
        .await
        .unwrap();
    }
    // (id, kind, status, opens_on, x): AP-A is fastest but opens last; AP-B and AP-C tie
    // (AP-B first by id), AP-C is open; AP-D is planned with no date, slower than AP-C.
    let nodes = [
        ("AP-A", "airport", "planned", Some("2030-01-01"), 401000.0),
        ("AP-B", "airport", "under_construction", Some("2028-01-01"), 403000.0),
        ("AP-C", "airport", "existing", None, 403000.0),
        ("AP-D", "airport", "planned", None, 405000.0),
        ("PT-P", "port", "planned", None, 407000.0),
    ];
    for (id, kind, status, opens_on, x) in nodes {
        sqlx::query(&format!(
            "INSERT INTO transport_nodes (id, kind, name_zh, status, opens_on, geom) VALUES ($1, $2, $1, $3, $4::date, {})",
            gk(x, 2599350.0)
        ))
        .bind(id)
        .bind(kind)
        .bind(status)
        .bind(opens_on)
        .execute(pool)
        .await
        .unwrap();
    }
    let app = common::app(&db);
    // (query, body fields, the airport, whether the planned port counts)
    let cases: [(&str, Value, &str, bool); 6] = [
        ("", json!({}), "AP-C", false),
        ("&planned_by=2027-12-31", json!({ "planned_by": "2027-12-31" }), "AP-C", false),
        ("&planned_by=2028-01-01", json!({ "planned_by": "2028-01-01" }), "AP-B", false),
        ("&planned_by=2029-06-30", json!({ "planned_by": "2029-06-30" }), "AP-B", false),
        ("&planned_by=2030-01-01", json!({ "planned_by": "2030-01-01" }), "AP-A", false),
        ("&include_planned=true", json!({ "include_planned": true }), "AP-A", true),
    ];
    for (query, extra, airport, port) in cases {
        let r = common::get(&app, &format!("/analysis/access?plot={plot}{query}")).await;
        assert_eq!(r.status, 200, "{query}: {}", String::from_utf8_lossy(&r.body));
        let sql = r.json()["access"].clone();
        assert_eq!(sql["airport"]["node_id"], airport, "{query}: {sql}");
        assert_eq!(sql.get("port").is_some(), port, "{query}: {sql}");
        let mut body = json!({ "demand_mu": 99, "limit": 1 });
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let found = common::site_search(&app, body).await;
        assert_eq!(found["features"][0]["properties"]["access"], sql, "{query}");
    }
}
