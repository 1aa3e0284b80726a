//! What the database runs and holds, for the health check and the first start.

use sqlx::PgPool;

/// The versions the database runs, its migrations and how much it holds.
pub struct DatabaseState {
    pub postgres: String,
    pub postgis: String,
    pub pgrouting: String,
    pub migrations: i64,
    pub parks: i64,
    pub plots: i64,
}

pub async fn database_state(pool: &PgPool) -> Result<DatabaseState, sqlx::Error> {
    let (postgres, postgis, pgrouting, migrations, parks, plots) = sqlx::query_as::<_, (String, String, String, i64, i64, i64)>(
        "SELECT current_setting('server_version'), postgis_lib_version(), pgr_version(),
                (SELECT count(*) FROM _sqlx_migrations WHERE success),
                (SELECT count(*) FROM parks), (SELECT count(*) FROM plots)",
    )
    .fetch_one(pool)
    .await?;
    Ok(DatabaseState { postgres, postgis, pgrouting, migrations, parks, plots })
}

/// How many parks are on record.
pub async fn parks(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM parks").fetch_one(pool).await
}
