//! The upgrade fixture: tests/fixtures/ea14a22.sql.gz is the demo database as commit
//! ea14a22 (migrations 0001-0014) migrated and loaded it, with one editor's token, dumped
//! by pg_dump. Every later build migrates it forward: each row of each table it had is
//! still there, column for column (a renamed column under its new name), and the service
//! answers on it. So each migration from here on runs on real data, not only on an empty
//! schema.

mod common;

use std::process::Command;

/// Columns later migrations renamed: (table, old name, new name).
const RENAMED: &[(&str, &str, &str)] = &[("parks", "targets", "targets_before_0019")];

/// Each table of the fixture's schema with its columns in order, as it stood before
/// migrating (spatial_ref_sys is PostGIS's, _sqlx_migrations grows by design).
async fn tables(pool: &sqlx::PgPool) -> Vec<(String, Vec<String>)> {
    let rows: Vec<(String, Vec<String>)> = sqlx::query_as(
        "SELECT c.table_name::text, array_agg(c.column_name::text ORDER BY c.ordinal_position)
         FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name NOT IN ('spatial_ref_sys', '_sqlx_migrations')
         GROUP BY 1 ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows
}

/// A table's rows on the given columns, each as text.
async fn rows(pool: &sqlx::PgPool, table: &str, columns: &[String]) -> std::collections::HashSet<String> {
    let cols: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    let sql = format!("SELECT ROW({})::text FROM \"{table}\"", cols.join(", "));
    let rows: Vec<String> = sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap_or_else(|e| panic!("{table}: {e}"));
    rows.into_iter().collect()
}

#[tokio::test]
async fn the_ea14a22_database_migrates_forward_with_every_row_intact() {
    let db = common::blank().await;
    let dump = common::repo_dir().join("tests/fixtures/ea14a22.sql.gz");
    let restore = Command::new("sh")
        .arg("-c")
        .arg("gunzip -c \"$1\" | psql -q -X -v ON_ERROR_STOP=1 -o /dev/null \"$2\"")
        .arg("restore")
        .arg(&dump)
        .arg(db.url())
        .output()
        .expect("gunzip and psql run");
    assert!(restore.status.success(), "restoring the fixture: {}", String::from_utf8_lossy(&restore.stderr));

    let before = tables(&db.pool).await;
    assert!(before.len() >= 15, "the fixture holds the schema of ea14a22: {before:?}");
    let mut old = Vec::new();
    for (table, columns) in &before {
        old.push(rows(&db.pool, table, columns).await);
    }
    let plots = before.iter().position(|(t, _)| t == "plots").expect("a plots table");
    assert_eq!(old[plots].len(), 4489, "the fixture is the loaded demo");

    parkland::db::migrate(&db.pool).await.expect("the fixture migrates forward");

    // Every old row is still there, unchanged on its old columns; migrations may add rows
    // (a counter for a new table) but lose or alter none.
    for ((table, columns), old) in before.iter().zip(&old) {
        let now: Vec<String> =
            columns.iter().map(|c| RENAMED.iter().find(|r| r.0 == table && r.1 == c).map(|r| r.2.to_string()).unwrap_or_else(|| c.clone())).collect();
        let new = rows(&db.pool, table, &now).await;
        let lost: Vec<&String> = old.difference(&new).take(3).collect();
        assert!(lost.is_empty(), "{table}: {} of {} rows lost or changed in migrating, e.g. {lost:?}", old.difference(&new).count(), old.len());
    }

    // And the service answers on it as it does on a database made today.
    let app = common::app(&db);
    let parks = common::get(&app, "/collections/parks/items").await;
    assert_eq!(parks.status, 200);
    assert_eq!(parks.json()["numberReturned"], 10);
    assert_eq!(common::get(&app, "/ledger").await.status, 200);
    let found = common::site_search(&app, serde_json::json!({ "demand_mu": 300 })).await;
    assert!(found["numberReturned"].as_u64().unwrap() > 0);
    let zj: Option<serde_json::Value> = sqlx::query_scalar("SELECT targets_before_0019 FROM parks WHERE id = 'ZJ-01'").fetch_one(&db.pool).await.unwrap();
    assert!(zj.is_some_and(|t| t["year"] == 2027), "ZJ-01's old targets are kept for an admin to copy");
}
