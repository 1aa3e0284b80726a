//! The land ledger: its sums are SQL's over the same plots, and its blocks are the
//! contiguity endpoint's.

mod common;

use serde_json::Value;

#[tokio::test]
async fn a_park_ledger_equals_sql_and_the_contiguity_endpoint() {
    let db = common::demo().await;
    let app = common::app(&db);
    for park in ["GQ-04", "QY-01", "ZJ-01"] {
        let l = common::get(&app, &format!("/parks/{park}/ledger")).await.json();
        let rows: Vec<(String, i64, f64)> = sqlx::query_as(
            "SELECT s.code, count(p.id), coalesce(sum(p.area_mu), 0)
             FROM land_statuses s LEFT JOIN plots p ON p.status = s.code AND p.park_id = $1 GROUP BY s.code",
        )
        .bind(park)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        for (status, count, mu) in rows {
            let entry = &l["by_status"][&status];
            assert_eq!(entry["count"].as_i64().unwrap(), count, "{park} {status} count");
            assert!((entry["area_mu"].as_f64().unwrap() - mu).abs() < 0.001, "{park} {status} area");
        }
        let (n, mu, m2): (i64, f64, f64) =
            sqlx::query_as("SELECT count(*), sum(area_mu), sum(area_m2) FROM plots WHERE park_id = $1").bind(park).fetch_one(&db.pool).await.unwrap();
        assert_eq!(l["plots"], n);
        assert!((l["plotted_area_mu"].as_f64().unwrap() - mu).abs() < 0.001);
        assert!((mu - m2 * 15.0 / 10000.0).abs() < 1e-6, "亩 and m² agree");
        let by_use: f64 = l["by_land_use"].as_object().unwrap().values().map(|v| v["area_mu"].as_f64().unwrap()).sum();
        assert!((by_use - mu).abs() < 0.01, "land uses add up to the plotted area");
        let idle: i64 = sqlx::query_scalar(
            "SELECT count(DISTINCT r.plot_id) FROM idle_records r JOIN plots p ON p.id = r.plot_id WHERE p.park_id = $1 AND r.kind = 'idle'",
        )
        .bind(park)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(l["findings"]["idle"]["count"], idle);
        // 亩均 tax of the land in use.
        let tax: Option<f64> = sqlx::query_scalar(
            "SELECT round((sum(tax_wan) / sum(area_mu))::numeric, 2)::float8 FROM plots
             WHERE park_id = $1 AND status IN ('in_production', 'inefficient') AND tax_wan IS NOT NULL",
        )
        .bind(park)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(l["per_mu"]["tax_wan"].as_f64(), tax);

        // Blocks: the same as /analysis/contiguity with its defaults.
        let blocks = common::get(&app, &format!("/analysis/contiguity?park={park}")).await.json();
        let areas: Vec<f64> = blocks["features"].as_array().unwrap().iter().map(|f| f["properties"]["area_mu"].as_f64().unwrap()).collect();
        let b = &l["blocks"];
        assert_eq!(b["count"].as_u64().unwrap() as usize, areas.len(), "{park}");
        assert!((b["largest_mu"].as_f64().unwrap() - areas.iter().copied().fold(0.0, f64::max)).abs() < 0.002);
        for (key, min) in [("at_least_50", 50.0), ("at_least_100", 100.0), ("at_least_300", 300.0)] {
            assert_eq!(b[key].as_u64().unwrap() as usize, areas.iter().filter(|a| **a >= min).count(), "{park} {key}");
        }
    }
}

#[tokio::test]
async fn all_parks_totals_and_the_csv_for_a_spreadsheet() {
    let db = common::demo().await;
    let app = common::app(&db);
    let all = common::get(&app, "/ledger").await.json();
    let parks = all["parks"].as_array().unwrap();
    assert_eq!(parks.len(), common::demo_parks());
    let (n, mu): (i64, f64) = sqlx::query_as("SELECT count(*), sum(area_mu) FROM plots").fetch_one(&db.pool).await.unwrap();
    assert_eq!(all["totals"]["plots"], n);
    assert!((all["totals"]["plotted_area_mu"].as_f64().unwrap() - mu).abs() < 0.01);
    let idle_total: i64 = sqlx::query_scalar("SELECT count(*) FROM plots WHERE status = 'idle'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(all["totals"]["by_status"]["idle"]["count"], idle_total);

    let r = common::get(&app, "/ledger?f=csv").await;
    assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = String::from_utf8(r.body).unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM so Excel reads UTF-8");
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + common::demo_parks(), "a header and a row a park");
    assert!(lines[0].contains("可供（亩）available_mu"));
    let header: Vec<&str> = lines[0].split(',').collect();
    // Status columns follow the official order: reserve before available before idle.
    let pos = |name: &str| header.iter().position(|h| h.ends_with(name)).unwrap();
    assert!(pos("reserve_mu") < pos("available_mu") && pos("available_mu") < pos("idle_mu"));
    let gq04 = lines.iter().find(|l| l.starts_with("GQ-04,")).unwrap();
    assert!(gq04.contains("广清经济特别合作区广清空港现代物流产业新城"));
    let cells: Vec<&str> = gq04.split(',').collect();
    let ledger: Value = parks.iter().find(|p| p["park_id"] == "GQ-04").unwrap().clone();
    assert_eq!(cells[pos("plotted_area_mu")].parse::<f64>().unwrap(), ledger["plotted_area_mu"].as_f64().unwrap());

    assert_eq!(common::get(&app, "/parks/NOPE/ledger").await.status, 404);
    assert_eq!(common::get(&app, "/ledger?f=xml").await.status, 400);
}

#[tokio::test]
async fn a_ledger_is_kept_until_a_write_and_then_computed_again() {
    let db = common::demo().await;
    let app = common::app(&db);
    let available = |l: &Value| l["by_status"]["available"]["count"].as_i64().unwrap();
    let truth = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM plots WHERE park_id = 'GQ-04' AND status = 'available'").fetch_one(&db.pool).await.unwrap()
    };
    let park = common::get(&app, "/parks/GQ-04/ledger").await.json();
    let all = common::get(&app, "/ledger").await.json();
    let n = available(&park);
    assert_eq!(n, truth().await);
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM plots WHERE park_id = 'GQ-04' AND status IN ('reserve', 'approved_unsupplied', 'unavailable') ORDER BY id LIMIT 2")
            .fetch_all(&db.pool)
            .await
            .unwrap();

    // A write the counters do not see (their trigger off, as no parkland write can do):
    // both ledgers are the kept ones.
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("ALTER TABLE plots DISABLE TRIGGER plots_count_change").execute(&mut *tx).await.unwrap();
    sqlx::query("UPDATE plots SET status = 'available' WHERE id = $1").bind(ids[0]).execute(&mut *tx).await.unwrap();
    sqlx::query("ALTER TABLE plots ENABLE TRIGGER plots_count_change").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(common::get(&app, "/parks/GQ-04/ledger").await.json(), park, "kept");
    assert_eq!(common::get(&app, "/ledger").await.json(), all, "kept");

    // A counted write: computed again, with both changes.
    sqlx::query("UPDATE plots SET status = 'available' WHERE id = $1").bind(ids[1]).execute(&db.pool).await.unwrap();
    assert_eq!(truth().await, n + 2);
    assert_eq!(available(&common::get(&app, "/parks/GQ-04/ledger").await.json()), n + 2);
    let again = common::get(&app, "/ledger").await.json();
    let qy = again["parks"].as_array().unwrap().iter().find(|p| p["park_id"] == "GQ-04").unwrap();
    assert_eq!(available(qy), n + 2);
    assert_eq!(again["totals"]["by_status"]["available"]["count"].as_i64().unwrap(), all["totals"]["by_status"]["available"]["count"].as_i64().unwrap() + 2);
}
