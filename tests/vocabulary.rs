//! One vocabulary: the codes of `parkland::domain` are exactly those the schema holds
//! (its CHECK constraints and the land_statuses table), and `/vocabularies` serves them.

mod common;

use parkland::domain::*;
use sqlx::PgPool;

/// The quoted codes of the CHECK constraint `name` (e.g. `kind IN ('a', 'b')` or
/// `infrastructure <@ ARRAY['a', …]`), as PostgreSQL itself prints it.
async fn check_codes(pool: &PgPool, name: &str) -> Vec<String> {
    let def: String = sqlx::query_scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("no constraint {name}: {e}"));
    let mut codes = Vec::new();
    let mut rest = def.as_str();
    while let Some(start) = rest.find('\'') {
        let after = &rest[start + 1..];
        let end = after.find('\'').expect("a closing quote");
        codes.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    codes.sort();
    codes.dedup();
    codes
}

fn sorted<V: Vocabulary>() -> Vec<String> {
    let mut c: Vec<String> = V::codes().into_iter().map(str::to_string).collect();
    c.sort();
    c
}

#[tokio::test]
async fn every_vocabulary_equals_its_check_constraint() {
    let db = common::empty().await;
    let pool = db.pool.clone();
    let checks: Vec<(&str, Vec<String>)> = vec![
        ("transport_nodes_kind_check", sorted::<NodeKind>()),
        ("transport_nodes_status_check", sorted::<TransportStatus>()),
        ("roads_status_check", sorted::<TransportStatus>()),
        ("roads_class_check", sorted::<RoadClass>()),
        ("constraints_kind_check", sorted::<ConstraintKind>()),
        ("parks_infrastructure_check", sorted::<Utility>()),
        ("parks_level_check", sorted::<ParkLevel>()),
        ("idle_records_kind_check", sorted::<FindingKind>()),
        ("idle_records_cause_check", sorted::<IdleCause>()),
        ("idle_records_measure_check", sorted::<Measure>()),
        ("idle_records_measure_status_check", sorted::<MeasureState>()),
        ("projects_stage_check", sorted::<ProjectStage>()),
    ];
    for (name, codes) in checks {
        assert_eq!(check_codes(&pool, name).await, codes, "{name} and the domain's vocabulary differ");
    }
}

#[tokio::test]
async fn supplied_land_is_the_same_statuses_in_rust_and_in_the_check() {
    let db = common::empty().await;
    let mut supplied: Vec<String> = LandStatus::SUPPLIED.iter().map(|s| s.as_str().to_string()).collect();
    supplied.sort();
    assert_eq!(check_codes(&db.pool, "plot_supplied_has_user").await, supplied);
}

#[tokio::test]
async fn land_statuses_equal_the_lookup_table_in_order_and_names() {
    let db = common::empty().await;
    let pool = db.pool.clone();
    let rows: Vec<(String, String, String)> = sqlx::query_as("SELECT code, name_zh, name_en FROM land_statuses ORDER BY ord").fetch_all(&pool).await.unwrap();
    let ours: Vec<(String, String, String)> = LandStatus::ALL.iter().map(|s| (s.code().into(), s.name_zh().into(), s.name_en().into())).collect();
    assert_eq!(rows, ours);
}

#[tokio::test]
async fn vocabularies_are_served_with_names_and_styles() {
    let db = common::empty().await;
    let app = common::app(&db);
    let r = common::get(&app, "/vocabularies").await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let status = v["status"].as_array().unwrap();
    assert_eq!(status.len(), LandStatus::ALL.len());
    assert_eq!(status[0]["code"], "reserve");
    assert_eq!(status[0]["name_zh"], "储备");
    assert!(status[0]["style"]["colour"].as_str().unwrap().starts_with('#'));
    let nodes = v["node"].as_array().unwrap();
    assert_eq!(nodes.iter().map(|n| n["code"].as_str().unwrap()).collect::<Vec<_>>(), NodeKind::codes());
    assert_eq!(nodes[0]["style"]["mark"], "高");
    assert_eq!(v["utility"].as_array().unwrap().len(), 12);
    assert_eq!(v["measure"].as_array().unwrap().len(), Measure::ALL.len());
}
