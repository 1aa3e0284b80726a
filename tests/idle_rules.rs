//! The idle-land rules (MLR Order No. 53) at their edges, on hand-made plots whose
//! answers are worked out by hand.

mod common;

use serde_json::Value;

/// Adds park GQ-01 and one plot per row: (code, status, agreed_start, actual_start,
/// stalled_since, built_ratio, invested_wan, planned_investment_wan, land_price_wan).
type PlotRow<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>, Option<f64>, Option<f64>, Option<f64>, Option<f64>);

async fn fixture(pool: &sqlx::PgPool, plots: &[PlotRow<'_>]) {
    sqlx::query(
        "INSERT INTO parks (id, name_zh, level, city, boundary)
         VALUES ('GQ-01', '广清产业园', 'main_platform', '清远市', ST_Multi(ST_MakeEnvelope(113.0, 23.4, 113.2, 23.6, 4326)))",
    )
    .execute(pool)
    .await
    .unwrap();
    for (i, p) in plots.iter().enumerate() {
        let x = 113.01 + 0.002 * i as f64;
        sqlx::query(
            "INSERT INTO plots (park_id, code, land_use, status, land_user, supplied_on, agreed_start, actual_start, stalled_since,
                                built_ratio, invested_wan, planned_investment_wan, land_price_wan, geom)
             VALUES ('GQ-01', $1, '100102', $2, '清远测试科技有限公司', DATE '2024-06-01', $3::date, $4::date, $5::date, $6, $7, $8, $9,
                     ST_Multi(ST_MakeEnvelope($10, 23.41, $10 + 0.001, 23.411, 4326)))",
        )
        .bind(p.0)
        .bind(p.1)
        .bind(p.2)
        .bind(p.3)
        .bind(p.4)
        .bind(p.5)
        .bind(p.6)
        .bind(p.7)
        .bind(p.8)
        .bind(x)
        .execute(pool)
        .await
        .unwrap();
    }
}

async fn check(app: &axum::Router, as_of: &str) -> Vec<Value> {
    let r = common::get(app, &format!("/analysis/idle-check?as_of={as_of}")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let body = r.json();
    assert_eq!(body["as_of"], as_of);
    body["features"].as_array().unwrap().clone()
}

fn find<'a>(hits: &'a [Value], code: &str) -> Option<&'a Value> {
    hits.iter().find(|f| f["properties"]["code"] == code).map(|f| &f["properties"])
}

#[tokio::test]
async fn no_start_one_full_year_then_two() {
    let db = common::empty().await;
    fixture(
        &db.pool,
        &[
            ("A", "supplied", Some("2025-01-10"), None, None, None, None, Some(5000.0), Some(1234.5)),
            ("NOPRICE", "supplied", Some("2025-01-10"), None, None, None, None, None, None),
        ],
    )
    .await;
    let app = common::app(&db);
    // 2025-01-10 + 364 days: not yet one full year.
    assert!(find(&check(&app, "2026-01-09").await, "A").is_none());
    // 365 days: idle from today, fee 20 % of the price.
    let hits = check(&app, "2026-01-10").await;
    let a = find(&hits, "A").expect("idle after one full year");
    assert_eq!(a["rule"], "no_start");
    assert_eq!(a["since"], "2026-01-10");
    assert_eq!(a["days_overdue"], 0);
    assert_eq!(a["stage"], "one_year");
    assert_eq!(a["fee_wan"], 246.9);
    assert_eq!(a["measures"], serde_json::json!(["idle_fee"]));
    assert!(find(&hits, "NOPRICE").unwrap()["fee_wan"].is_null(), "no price, no fee figure");
    // A day short of two years, still the fee; two full years, take back without compensation.
    assert_eq!(find(&check(&app, "2027-01-09").await, "A").unwrap()["stage"], "one_year");
    let two = check(&app, "2027-01-10").await;
    let a = find(&two, "A").unwrap();
    assert_eq!(a["stage"], "two_years");
    assert_eq!(a["days_overdue"], 365);
    assert_eq!(a["measures"], serde_json::json!(["take_back_uncompensated"]));
}

#[tokio::test]
async fn stalled_land_at_a_third_built_and_a_quarter_invested() {
    let db = common::empty().await;
    fixture(
        &db.pool,
        &[
            // (built, invested of 1000 planned)
            (
                "BUILT-0.33",
                "under_construction",
                Some("2023-01-01"),
                Some("2023-03-01"),
                Some("2025-03-01"),
                Some(0.33),
                Some(500.0),
                Some(1000.0),
                Some(100.0),
            ),
            (
                "BUILT-0.34",
                "under_construction",
                Some("2023-01-01"),
                Some("2023-03-01"),
                Some("2025-03-01"),
                Some(0.34),
                Some(500.0),
                Some(1000.0),
                Some(100.0),
            ),
            ("INV-0.249", "under_construction", Some("2023-01-01"), Some("2023-03-01"), Some("2025-03-01"), Some(0.5), Some(249.0), Some(1000.0), Some(100.0)),
            ("INV-0.25", "under_construction", Some("2023-01-01"), Some("2023-03-01"), Some("2025-03-01"), Some(0.5), Some(250.0), Some(1000.0), Some(100.0)),
            ("RUNNING", "under_construction", Some("2023-01-01"), Some("2023-03-01"), None, Some(0.1), Some(50.0), Some(1000.0), Some(100.0)),
        ],
    )
    .await;
    let app = common::app(&db);
    // Stopped 2025-03-01: 364 days later nothing is idle yet.
    assert!(check(&app, "2026-02-28").await.is_empty());
    let hits = check(&app, "2026-03-01").await;
    let codes: Vec<&str> = hits.iter().map(|f| f["properties"]["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(codes.contains(&"BUILT-0.33") && codes.contains(&"INV-0.249"), "{codes:?}");
    let b = find(&hits, "BUILT-0.33").unwrap();
    assert_eq!(b["rule"], "stalled");
    assert_eq!(b["since"], "2026-03-01");
    assert_eq!(b["fee_wan"], 20.0);
}

#[tokio::test]
async fn a_delay_caused_by_the_government_owes_no_fee() {
    let db = common::empty().await;
    fixture(&db.pool, &[("GOV", "idle", Some("2024-01-15"), None, None, None, None, None, Some(800.0))]).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM plots WHERE code = 'GOV'").fetch_one(&db.pool).await.unwrap();
    sqlx::query("INSERT INTO idle_records (plot_id, kind, cause, found_on, idle_since, measure) VALUES ($1, 'idle', 'government', '2025-03-01', '2025-01-15', 'extend_start')")
        .bind(id)
        .execute(&db.pool)
        .await
        .unwrap();
    let app = common::app(&db);
    let hits = check(&app, "2025-06-30").await;
    let g = find(&hits, "GOV").unwrap();
    assert!(g["fee_wan"].is_null());
    assert_eq!(g["government_delay"], true);
    assert_eq!(g["recorded"], true);
    assert!(g["measures"].as_array().unwrap().contains(&serde_json::json!("extend_start")));
}

#[tokio::test]
async fn on_the_demo_data_every_idle_finding_is_past_one_year() {
    let db = common::demo().await;
    let app = common::app(&db);
    let hits = check(&app, "2026-10-31").await;
    assert!(hits.len() >= 50, "{} findings", hits.len());
    // Sorted most overdue first, and none before its year is up.
    let days: Vec<i64> = hits.iter().map(|f| f["properties"]["days_overdue"].as_i64().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]));
    assert!(days.iter().all(|d| *d >= 0));
    // The supplied plots a little past a year with no finding yet are found.
    assert!(hits.iter().any(|f| f["properties"]["status"] == "supplied" && f["properties"]["recorded"] == false));
    // Bad input.
    assert_eq!(common::get(&app, "/analysis/idle-check?as_of=2026-02-30").await.status, 400);
    assert_eq!(common::get(&app, "/analysis/idle-check?park=NOPE").await.status, 404);
    assert_eq!(common::get(&app, "/analysis/idle-check?asof=2026-01-01").await.status, 400);
}
