//! `parkland load`: all or nothing, and never over data already there unless asked.

mod common;

use std::path::Path;

async fn counts(pool: &sqlx::PgPool) -> (i64, i64, i64) {
    sqlx::query_as("SELECT (SELECT count(*) FROM parks), (SELECT count(*) FROM plots), (SELECT count(*) FROM roads)").fetch_one(pool).await.unwrap()
}

fn copy_geodata(to: &Path) {
    for e in std::fs::read_dir(common::geodata_dir()).unwrap().flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[tokio::test]
async fn loads_the_demo_into_an_empty_database_and_refuses_to_load_twice() {
    let db = common::empty().await;
    let report = parkland::geodata::load_dir(&db.pool, &common::geodata_dir(), false).await.expect("loads");
    let loaded = counts(&db.pool).await;
    assert!(loaded.1 >= 3000, "{report}");
    let again = parkland::geodata::load_dir(&db.pool, &common::geodata_dir(), false).await.unwrap_err();
    assert!(again.to_string().contains("--replace"), "{again}");
    assert_eq!(counts(&db.pool).await, loaded);
    // With --replace the same data comes back whole, with the same ids.
    parkland::geodata::load_dir(&db.pool, &common::geodata_dir(), true).await.expect("replaces");
    assert_eq!(counts(&db.pool).await, loaded);
    // New rows get ids past the loaded ones.
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO constraints (kind, name, geom) VALUES ('flood', '测试', ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(113, 23.5), 4326), 0.01))) RETURNING id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let max: i64 = sqlx::query_scalar("SELECT max(id) FROM constraints WHERE name <> '测试'").fetch_one(&db.pool).await.unwrap();
    assert!(next > max);
}

#[tokio::test]
async fn one_bad_feature_loads_nothing_and_keeps_the_old_data() {
    let db = common::demo().await;
    let before = counts(&db.pool).await;
    let dir = tempfile::tempdir().unwrap();
    copy_geodata(dir.path());
    // Break one plot near the end of the file: a status that does not exist.
    let path = dir.path().join("plots.geojson");
    let text = std::fs::read_to_string(&path).unwrap();
    let last = text.rfind("\"status\":\"").unwrap();
    let broken = format!("{}\"status\":\"half_sold{}", &text[..last], &text[last + "\"status\":\"".len()..]);
    std::fs::write(&path, broken).unwrap();

    let err = parkland::geodata::load_dir(&db.pool, dir.path(), true).await.unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("plots.geojson") && msg.contains("plots_status_fkey"), "{msg}");
    assert_eq!(counts(&db.pool).await, before, "a failed --replace must leave the old data");
}

#[tokio::test]
async fn broken_json_is_reported_with_its_place_before_the_database_is_touched() {
    let db = common::empty().await;
    let dir = tempfile::tempdir().unwrap();
    copy_geodata(dir.path());
    std::fs::write(dir.path().join("roads.geojson"), "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":").unwrap();
    let err = parkland::geodata::load_dir(&db.pool, dir.path(), false).await.unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("roads.geojson") && msg.contains("line 1"), "{msg}");
    assert_eq!(counts(&db.pool).await, (0, 0, 0));
}

/// A data set from before targets had a table of their own (parks carrying `targets`) is
/// refused with words that say where targets go now, rather than loaded without them.
#[tokio::test]
async fn parks_carrying_targets_in_the_old_layout_are_refused_and_say_where_they_go() {
    let db = common::empty().await;
    let dir = tempfile::tempdir().unwrap();
    copy_geodata(dir.path());
    let path = dir.path().join("parks.geojson");
    let mut parks: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    parks["features"][9]["properties"]["targets"] = serde_json::json!({ "year": 2027, "projects": 500 });
    std::fs::write(&path, parks.to_string()).unwrap();
    let msg = parkland::geodata::load_dir(&db.pool, dir.path(), false).await.unwrap_err().to_string();
    assert!(msg.contains("parks.geojson") && msg.contains("ZJ-01") && msg.contains("targets.geojson"), "{msg}");
    assert_eq!(counts(&db.pool).await, (0, 0, 0));
}
