//! The site search on hand-made parks drawn in EPSG:4547 metres (100-亩 squares of
//! 258.199 m), and on the demo data.

mod common;

use serde_json::json;

const SIDE: f64 = 258.198_889_747_161_1;

async fn park(pool: &sqlx::PgPool) {
    sqlx::query(
        "INSERT INTO parks (id, name_zh, level, city, leading_industries, infrastructure, boundary)
         VALUES ('GQ-01', '广清产业园', 'main_platform', '清远市', '{汽车零部件,新材料}',
                 '{road,water_supply,drainage,power,telecom,gas,public_transport,site_levelling}',
                 ST_Multi(ST_Transform(ST_MakeEnvelope(396000, 2596000, 406000, 2606000, 4547), 4326)))",
    )
    .execute(pool)
    .await
    .unwrap();
    // A road and an interchange, so access has something to find.
    sqlx::query(
        "INSERT INTO roads (class, name, speed_kmh, geom) VALUES ('provincial', '测试路', 60,
         ST_Transform(ST_MakeLine(ST_SetSRID(ST_MakePoint(399000, 2599000), 4547), ST_SetSRID(ST_MakePoint(399000, 2601000), 4547)), 4326))",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("SELECT rebuild_road_topology()").execute(pool).await.unwrap();
    sqlx::query(
        "INSERT INTO transport_nodes (id, kind, name_zh, geom) VALUES ('HI-T', 'highway_interchange', '测试出入口',
         ST_Transform(ST_SetSRID(ST_MakePoint(399000, 2601000), 4547), 4326))",
    )
    .execute(pool)
    .await
    .unwrap();
}

/// A 100-亩 available square at grid cell (col, row) of an origin in metres.
async fn square(pool: &sqlx::PgPool, code: &str, x0: f64, y0: f64, col: i32, row: i32) -> i64 {
    let (x, y) = (x0 + SIDE * col as f64, y0 + SIDE * row as f64);
    sqlx::query_scalar(
        "INSERT INTO plots (park_id, code, land_use, status, geom)
         VALUES ('GQ-01', $1, '100102', 'available', ST_Multi(ST_Transform(ST_MakeEnvelope($2, $3, $2 + $4, $3 + $4, 4547), 4326)))
         RETURNING id",
    )
    .bind(code)
    .bind(x)
    .bind(y)
    .bind(SIDE)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_300_mu_demand_gets_a_300_mu_part_of_a_900_mu_block_not_two_200s() {
    let db = common::empty().await;
    park(&db.pool).await;
    let mut big = Vec::new();
    for col in 0..3 {
        for row in 0..3 {
            big.push(square(&db.pool, &format!("B{col}{row}"), 400_000.0, 2_600_000.0, col, row).await);
        }
    }
    // Two 200-亩 blocks, apart from everything.
    for (i, x0) in [402_000.0, 403_000.0].iter().enumerate() {
        square(&db.pool, &format!("S{i}a"), *x0, 2_602_000.0, 0, 0).await;
        square(&db.pool, &format!("S{i}b"), *x0, 2_602_000.0, 1, 0).await;
    }
    let app = common::app(&db);
    let res = common::site_search(&app, json!({ "demand_mu": 300, "industry": "汽车零部件" })).await;
    let sites = res["features"].as_array().unwrap();
    assert!(!sites.is_empty(), "{}", res["diagnostics"]);
    for s in sites {
        let p = &s["properties"];
        let ids: Vec<i64> = p["plot_ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
        assert!(ids.iter().all(|i| big.contains(i)), "a site from a 200-亩 block: {ids:?}");
        assert!(p["area_mu"].as_f64().unwrap() >= 299.5);
    }
    let best = &sites[0]["properties"];
    assert_eq!(best["plot_ids"].as_array().unwrap().len(), 3, "three squares, not the whole block");
    assert!((best["area_mu"].as_f64().unwrap() - 300.0).abs() < 0.5, "{}", best["area_mu"]);
    assert!((best["block_area_mu"].as_f64().unwrap() - 900.0).abs() < 1.5);
    assert_eq!(best["score_parts"]["area_fit"], 1.0);
    assert_eq!(best["score_parts"]["industry_match"], 1.0);
    assert_eq!(best["access"]["highway_interchange"]["node_id"], "HI-T");
    // The 200-亩 blocks were removed for being too small, and the diagnostics say so.
    let steps = res["diagnostics"]["steps"].as_array().unwrap();
    let contiguous = steps.iter().find(|s| s["condition"] == "contiguous_area").unwrap();
    assert_eq!(contiguous["removed_plots"], 4);
    assert!((contiguous["removed_mu"].as_f64().unwrap() - 400.0).abs() < 1.0);
    // Scores come best first.
    let scores: Vec<f64> = sites.iter().map(|s| s["properties"]["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[tokio::test]
async fn a_site_touching_an_excluded_red_line_is_dropped() {
    let db = common::empty().await;
    park(&db.pool).await;
    for col in 0..3 {
        square(&db.pool, &format!("R{col}"), 400_000.0, 2_600_000.0, col, 0).await;
    }
    // A red line reaching 20 m into the middle square from the north.
    sqlx::query(
        "INSERT INTO constraints (kind, name, geom) VALUES ('ecological_redline', '测试生态保护红线',
         ST_Multi(ST_Transform(ST_MakeEnvelope(400300, 2600238, 400400, 2600400, 4547), 4326)))",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let app = common::app(&db);
    let open = common::site_search(&app, json!({ "demand_mu": 300 })).await;
    let site = &open["features"][0]["properties"];
    assert_eq!(site["plot_ids"].as_array().unwrap().len(), 3);
    assert_eq!(site["constraints"], json!(["ecological_redline:测试生态保护红线"]));

    let closed = common::site_search(&app, json!({ "demand_mu": 300, "exclude_constraints": ["ecological_redline"] })).await;
    assert_eq!(closed["features"].as_array().unwrap().len(), 0);
    let steps = closed["diagnostics"]["steps"].as_array().unwrap();
    let c = steps.iter().find(|s| s["condition"] == "exclude_constraints").unwrap();
    assert_eq!(c["removed_plots"], 1, "the middle square touches the red line");
}

#[tokio::test]
async fn the_diagnostics_of_an_impossible_request_name_the_condition() {
    let db = common::empty().await;
    park(&db.pool).await;
    for col in 0..3 {
        square(&db.pool, &format!("R{col}"), 400_000.0, 2_600_000.0, col, 0).await;
    }
    let app = common::app(&db);
    for (body, condition) in [
        (json!({ "demand_mu": 5000 }), "contiguous_area"),
        (json!({ "demand_mu": 100, "infrastructure": ["steam"] }), "infrastructure"),
        (json!({ "demand_mu": 100, "land_use": ["1101"] }), "land_use"),
        (json!({ "demand_mu": 100, "include": ["idle"] }), "include"),
        (json!({ "demand_mu": 100, "parks": ["ZJ-01"] }), "parks"),
        (json!({ "demand_mu": 100, "access": { "highway_interchange": { "max_minutes": 0.5 } } }), "access"),
    ] {
        let res = common::site_search(&app, body.clone()).await;
        assert_eq!(res["features"].as_array().unwrap().len(), 0, "{body}");
        assert_eq!(res["diagnostics"]["empty_because"]["condition"], condition, "{body}: {}", res["diagnostics"]);
        assert!(res["diagnostics"]["empty_because"]["description"].as_str().unwrap().len() > 10);
    }
    // Bad requests are 400s that say what is wrong.
    for (body, needle) in [
        (json!({ "demand_mu": -5 }), "demand_mu"),
        (json!({ "demand_mu": 100, "colour": "red" }), "colour"),
        (json!({ "demand_mu": 100, "access": { "spaceport": { "max_km": 5 } } }), "spaceport"),
        (json!({ "demand_mu": 100, "weights": { "luck": 1 } }), "luck"),
        (json!({ "demand_mu": "lots" }), "demand_mu"),
    ] {
        let r = common::post_json(&app, "/analysis/availability", &body).await;
        assert_eq!(r.status, 400, "{body}");
        let text = r.json()["description"].as_str().unwrap().to_string();
        assert!(text.contains(needle), "{body}: {text}");
    }
}

#[tokio::test]
async fn on_the_demo_data_a_300_mu_search_finds_ranked_sites() {
    let db = common::demo().await;
    let app = common::app(&db);
    let res = common::site_search(
        &app,
        json!({
            "demand_mu": 300, "land_use": ["1001"], "industry": "汽车零部件",
            "include": ["available", "idle", "inefficient", "approved_unsupplied"],
            "access": { "highway_interchange": { "max_minutes": 15 } },
            "infrastructure": ["road", "water_supply", "drainage", "power", "gas"],
            "exclude_constraints": ["ecological_redline", "permanent_farmland", "flood"],
            "limit": 10
        }),
    )
    .await;
    let sites = res["features"].as_array().unwrap();
    assert!(!sites.is_empty());
    for s in sites {
        let p = &s["properties"];
        // A site meets the demand at 99.5 % of it.
        assert!(p["area_mu"].as_f64().unwrap() >= 300.0 * (1.0 - parkland::analysis::site_search::DEMAND_TOLERANCE), "{}", p["area_mu"]);
        assert!(p["access"]["highway_interchange"]["minutes"].as_f64().unwrap() <= 15.0);
        for part in ["area_fit", "access", "infrastructure", "industry_match", "compactness"] {
            assert!(p["score_parts"][part].is_number(), "{part}");
        }
        // The site's plots have the asked statuses and touch no excluded constraint.
        let ids: Vec<i64> = p["plot_ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
        let bad: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM plots p WHERE p.id = ANY($1) AND (p.status NOT IN ('available','idle','inefficient','approved_unsupplied')
               OR p.land_use NOT LIKE '1001%'
               OR EXISTS (SELECT 1 FROM constraints c WHERE c.kind IN ('ecological_redline','permanent_farmland','flood') AND ST_Intersects(c.geom, p.geom)))",
        )
        .bind(&ids)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(bad, 0, "site {ids:?} breaks a hard filter");
    }
}

/// The search reads a graph held in memory; a write committed between two searches must
/// show in the second.
#[tokio::test]
async fn a_search_sees_a_write_made_after_the_last_search() {
    let db = common::empty().await;
    park(&db.pool).await;
    let mut row = Vec::new();
    for col in 0..3 {
        row.push(square(&db.pool, &format!("R{col}"), 400_000.0, 2_600_000.0, col, 0).await);
    }
    let app = common::app(&db);
    let first = common::site_search(&app, json!({ "demand_mu": 300 })).await;
    assert_eq!(first["features"].as_array().unwrap().len(), 1, "{}", first["diagnostics"]);

    // The middle square is taken out of the market: two 100-亩 pieces remain.
    sqlx::query("UPDATE plots SET status = 'unavailable' WHERE id = $1").bind(row[1]).execute(&db.pool).await.unwrap();
    let second = common::site_search(&app, json!({ "demand_mu": 300 })).await;
    assert!(second["features"].as_array().unwrap().is_empty());
    assert_eq!(second["diagnostics"]["empty_because"]["condition"], "contiguous_area");

    // A red line drawn over the first square: with it excluded, that square is out too.
    sqlx::query("UPDATE plots SET status = 'available' WHERE id = $1").bind(row[1]).execute(&db.pool).await.unwrap();
    sqlx::query(
        "INSERT INTO constraints (kind, name, geom) VALUES ('ecological_redline', '测试红线',
         ST_Multi(ST_Transform(ST_MakeEnvelope(400010, 2600010, 400050, 2600050, 4547), 4326)))",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let third = common::site_search(&app, json!({ "demand_mu": 200, "exclude_constraints": ["ecological_redline"] })).await;
    let ids: Vec<i64> = third["features"][0]["properties"]["plot_ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert_eq!(ids, vec![row[1], row[2]]);
    let step = third["diagnostics"]["steps"].as_array().unwrap().iter().find(|s| s["condition"] == "exclude_constraints").unwrap().clone();
    assert_eq!(step["removed_plots"], 1);
}
