//! The database itself refuses rows that break the land rules, whoever writes them.

mod common;

use sqlx::PgPool;

/// A 0.01° square near 广清产业园 as a MultiPolygon, for a park boundary.
const PARK_WKT: &str = "MULTIPOLYGON(((113.07 23.49, 113.09 23.49, 113.09 23.51, 113.07 23.51, 113.07 23.49)))";
/// A plot inside it.
const PLOT_WKT: &str = "MULTIPOLYGON(((113.075 23.495, 113.077 23.495, 113.077 23.497, 113.075 23.497, 113.075 23.495)))";
/// A bow-tie: its ring crosses itself, so it is not a valid polygon.
const BOWTIE_WKT: &str = "MULTIPOLYGON(((113.075 23.495, 113.077 23.497, 113.077 23.495, 113.075 23.497, 113.075 23.495)))";

async fn add_park(pool: &PgPool) {
    sqlx::query("INSERT INTO parks (id, name_zh, level, city, boundary) VALUES ('GQ-01', '广清产业园', 'main_platform', '清远市', ST_GeomFromText($1, 4326))")
        .bind(PARK_WKT)
        .execute(pool)
        .await
        .expect("a valid park is accepted");
}

async fn insert_plot(pool: &PgPool, code: &str, land_use: &str, status: &str, wkt: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO plots (park_id, code, land_use, status, geom) VALUES ('GQ-01', $1, $2, $3, ST_GeomFromText($4, 4326))")
        .bind(code)
        .bind(land_use)
        .bind(status)
        .bind(wkt)
        .execute(pool)
        .await
        .map(|_| ())
}

fn constraint_of(e: sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.constraint().map(str::to_string).unwrap_or_else(|| db.message().to_string()),
        other => panic!("expected a database error, got {other}"),
    }
}

async fn plot_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM plots").fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn migrations_apply_to_an_empty_database() {
    let db = common::blank().await;
    parkland::db::migrate(&db.pool).await.expect("migrations apply to a blank database");
    let (postgis, pgrouting): (String, String) = sqlx::query_as("SELECT postgis_lib_version(), pgr_version()").fetch_one(&db.pool).await.unwrap();
    assert!(postgis.starts_with('3'), "PostGIS 3, got {postgis}");
    assert!(!pgrouting.is_empty());
    let tables: Vec<String> = sqlx::query_scalar("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    for t in [
        "land_use_codes",
        "land_statuses",
        "parks",
        "plots",
        "idle_records",
        "transport_nodes",
        "roads",
        "road_vertices",
        "constraints",
        "projects",
        "project_plots",
        "audit_log",
        "api_tokens",
        "plot_links",
    ] {
        assert!(tables.iter().any(|x| x == t), "table {t} missing from {tables:?}");
    }
    // Every geometry column has a GIST index.
    let unindexed: Vec<String> = sqlx::query_scalar(
        "SELECT f_table_name || '.' || f_geometry_column FROM geometry_columns g
         WHERE f_table_schema = 'public' AND NOT EXISTS (
           SELECT 1 FROM pg_indexes i WHERE i.tablename = g.f_table_name
             AND i.indexdef ILIKE '%USING gist (' || g.f_geometry_column || ')%')",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(unindexed.is_empty(), "geometry columns without a GIST index: {unindexed:?}");
    // Running them again changes nothing.
    parkland::db::migrate(&db.pool).await.expect("migrations are idempotent");
}

#[tokio::test]
async fn refuses_an_invalid_polygon() {
    let db = common::empty().await;
    add_park(&db.pool).await;
    let err = insert_plot(&db.pool, "A-01", "100102", "available", BOWTIE_WKT).await.unwrap_err();
    assert_eq!(constraint_of(err), "plot_geom_valid");
    assert_eq!(plot_count(&db.pool).await, 0);
}

#[tokio::test]
async fn refuses_an_unknown_land_use_code() {
    let db = common::empty().await;
    add_park(&db.pool).await;
    let err = insert_plot(&db.pool, "A-01", "100199", "available", PLOT_WKT).await.unwrap_err();
    assert_eq!(constraint_of(err), "plots_land_use_fkey");
    assert_eq!(plot_count(&db.pool).await, 0);
}

#[tokio::test]
async fn refuses_an_unknown_status() {
    let db = common::empty().await;
    add_park(&db.pool).await;
    let err = insert_plot(&db.pool, "A-01", "100102", "half_sold", PLOT_WKT).await.unwrap_err();
    assert_eq!(constraint_of(err), "plots_status_fkey");
    assert_eq!(plot_count(&db.pool).await, 0);
}

#[tokio::test]
async fn refuses_empty_geometry_wrong_srid_and_wrong_type() {
    let db = common::empty().await;
    add_park(&db.pool).await;
    let empty = insert_plot(&db.pool, "A-01", "100102", "available", "MULTIPOLYGON EMPTY").await.unwrap_err();
    assert_eq!(constraint_of(empty), "plot_geom_not_empty");

    let wrong_srid = sqlx::query(
        "INSERT INTO plots (park_id, code, land_use, status, geom)
         VALUES ('GQ-01', 'A-02', '100102', 'available', ST_Transform(ST_GeomFromText($1, 4326), 3857))",
    )
    .bind(PLOT_WKT)
    .execute(&db.pool)
    .await
    .unwrap_err();
    assert!(wrong_srid.to_string().contains("SRID"), "{wrong_srid}");

    let a_line = insert_plot(&db.pool, "A-03", "100102", "available", "LINESTRING(113.075 23.495, 113.077 23.497)").await.unwrap_err();
    assert!(a_line.to_string().contains("LineString"), "{a_line}");
    assert_eq!(plot_count(&db.pool).await, 0);
}

#[tokio::test]
async fn refuses_a_duplicate_code_in_a_park_and_supplied_land_without_a_user() {
    let db = common::empty().await;
    add_park(&db.pool).await;
    insert_plot(&db.pool, "A-01", "100102", "available", PLOT_WKT).await.expect("first plot");
    let dup = insert_plot(&db.pool, "A-01", "100102", "available", PLOT_WKT).await.unwrap_err();
    assert_eq!(constraint_of(dup), "plot_code_unique_in_park");
    let no_user = insert_plot(&db.pool, "A-02", "100102", "supplied", PLOT_WKT).await.unwrap_err();
    assert_eq!(constraint_of(no_user), "plot_supplied_has_user");
    assert_eq!(plot_count(&db.pool).await, 1);
}

#[tokio::test]
async fn areas_are_geodesic_and_cannot_be_typed_in() {
    let db = common::empty().await;
    add_park(&db.pool).await;
    // A square of 200 m a side at 23.5°N: 0.001956° of longitude is 200 m there
    // (cos 23.5° × 111.32 km/° ≈ 102.09 km/°) and 0.001809° of latitude is 200 m.
    let wkt = "MULTIPOLYGON(((113.075 23.495, 113.076959 23.495, 113.076959 23.496809, 113.075 23.496809, 113.075 23.495)))";
    insert_plot(&db.pool, "A-01", "100102", "available", wkt).await.unwrap();
    let (m2, mu): (f64, f64) = sqlx::query_as("SELECT area_m2, area_mu FROM plots").fetch_one(&db.pool).await.unwrap();
    assert!((m2 - 40_000.0).abs() / 40_000.0 < 0.005, "area {m2} m², expected about 40000");
    assert!((mu - m2 * 15.0 / 10_000.0).abs() < 1e-6, "亩 = m² × 15 / 10000");
    let typed = sqlx::query("UPDATE plots SET area_m2 = 1").execute(&db.pool).await.unwrap_err();
    assert!(typed.to_string().contains("area_m2"), "{typed}");
}

#[tokio::test]
async fn updates_bump_the_version_and_chinese_text_round_trips() {
    let db = common::empty().await;
    add_park(&db.pool).await;
    let name = "广清经济特别合作区广清产业园（\"测试\"; DROP TABLE parks; --）";
    sqlx::query("UPDATE parks SET name_zh = $1").bind(name).execute(&db.pool).await.unwrap();
    let (back, version): (String, i32) = sqlx::query_as("SELECT name_zh, version FROM parks").fetch_one(&db.pool).await.unwrap();
    assert_eq!(back, name);
    assert_eq!(version, 2);
}

#[tokio::test]
async fn land_use_codes_cover_the_classification() {
    let db = common::empty().await;
    for code in [
        "01", "03", "07", "08", "09", "10", "11", "12", "13", "14", "17", "1001", "100101", "100102", "100103", "1101", "110101", "110102", "110103", "1207",
        "1208",
    ] {
        let name: Option<String> = sqlx::query_scalar("SELECT name_zh FROM land_use_codes WHERE code = $1").bind(code).fetch_optional(&db.pool).await.unwrap();
        assert!(name.is_some(), "land-use code {code} missing");
    }
    let m2: String = sqlx::query_scalar("SELECT name_zh FROM land_use_codes WHERE code = '100102'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(m2, "二类工业用地");
}
