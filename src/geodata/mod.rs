//! Loading a data set (the demo in geodata/, or another in the same layout) into the
//! database: one GeoJSON FeatureCollection per table, all of them in one transaction.
//! A bad file, a bad feature or a row the database refuses loads nothing at all.

use std::path::{Path, PathBuf};

use sqlx::postgres::PgDatabaseError;
use sqlx::PgPool;

/// The files of a data set, in the order their rows depend on each other, and the
/// statement that inserts each (its one parameter is the whole FeatureCollection).
pub const LAYERS: &[(&str, &str)] = &[
    ("zones", include_str!("sql/zones.sql")),
    ("parks", include_str!("sql/parks.sql")),
    ("targets", include_str!("sql/targets.sql")),
    ("plots", include_str!("sql/plots.sql")),
    ("idle_records", include_str!("sql/idle_records.sql")),
    ("transport_nodes", include_str!("sql/transport_nodes.sql")),
    ("roads", include_str!("sql/roads.sql")),
    ("constraints", include_str!("sql/constraints.sql")),
    ("projects", include_str!("sql/projects.sql")),
];

/// Tables emptied by `--replace`, children first.
const CLEAR_ORDER: &[&str] =
    &["project_plots", "projects", "idle_records", "plots", "targets", "parks", "zones", "roads", "road_vertices", "transport_nodes", "constraints"];

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: not valid JSON: {source}")]
    Json { path: PathBuf, source: serde_json::Error },
    #[error("{path}: not a GeoJSON FeatureCollection (no \"features\" array)")]
    NotFeatureCollection { path: PathBuf },
    #[error("{path}: park {park} carries `targets`, the layout before migration 0019: targets are now targets.geojson, one feature a figure (park_id, year, indicator, value, unit, basis, projection, label_zh, source)")]
    OldTargets { path: PathBuf, park: String },
    #[error("{path}: the database refused the data: {message}")]
    Refused { path: PathBuf, message: String },
    #[error("the database already holds {parks} parks and {plots} plots; load into an empty database, or pass --replace to delete them and load again")]
    NotEmpty { parks: i64, plots: i64 },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// How many rows each layer loaded.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub counts: Vec<(&'static str, u64)>,
    pub road_vertices: i32,
}

impl std::fmt::Display for LoadReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.counts.iter().map(|(n, c)| format!("{c} {n}")).collect();
        write!(f, "{}; {} road vertices", parts.join(", "), self.road_vertices)
    }
}

/// Loads every layer file found in `dir` (`parks.geojson`, `plots.geojson`, ...). Missing
/// files are skipped, except parks. With `replace`, existing data is deleted first, in the
/// same transaction, so a failed load leaves the old data in place.
pub async fn load_dir(pool: &PgPool, dir: &Path, replace: bool) -> Result<LoadReport, LoadError> {
    // Read and parse everything before touching the database.
    let mut files = Vec::new();
    for (name, sql) in LAYERS {
        let path = dir.join(format!("{name}.geojson"));
        if !path.exists() && *name != "parks" {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| LoadError::Read { path: path.clone(), source: e })?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| LoadError::Json { path: path.clone(), source: e })?;
        if !value.get("features").is_some_and(|f| f.is_array()) {
            return Err(LoadError::NotFeatureCollection { path });
        }
        if *name == "parks" {
            let old = value["features"].as_array().into_iter().flatten().find(|f| f["properties"]["targets"].as_object().is_some_and(|t| !t.is_empty()));
            if let Some(f) = old {
                return Err(LoadError::OldTargets { path, park: f["id"].to_string() });
            }
        }
        files.push((*name, *sql, path, value));
    }

    let mut tx = pool.begin().await?;
    let (parks, plots): (i64, i64) = sqlx::query_as("SELECT (SELECT count(*) FROM parks), (SELECT count(*) FROM plots)").fetch_one(&mut *tx).await?;
    if parks + plots > 0 {
        if !replace {
            return Err(LoadError::NotEmpty { parks, plots });
        }
        for table in CLEAR_ORDER {
            sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
        }
    }

    let mut report = LoadReport::default();
    for (name, sql, path, value) in files {
        let done = sqlx::query(sql).bind(&value).execute(&mut *tx).await.map_err(|e| refused(&path, e))?;
        report.counts.push((name, done.rows_affected()));
        // Rows came with their ids: move each numeric identity past the largest, so the next
        // row an editor adds gets a fresh one.
        if !["zones", "parks", "transport_nodes"].contains(&name) {
            sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce((SELECT max(id) FROM {name}), 0) + 1, false)"))
                .execute(&mut *tx)
                .await?;
        }
    }
    report.road_vertices = sqlx::query_scalar("SELECT rebuild_road_topology()").fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(report)
}

/// Says which rule a refused row broke, in the database's words, without the whole row.
fn refused(path: &Path, e: sqlx::Error) -> LoadError {
    match e {
        sqlx::Error::Database(db) => {
            let mut message = db.message().to_string();
            if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
                if let Some(detail) = pg.detail() {
                    let detail: String = detail.chars().take(300).collect();
                    message = format!("{message} ({detail})");
                }
            }
            LoadError::Refused { path: path.into(), message }
        }
        other => LoadError::Database(other),
    }
}
