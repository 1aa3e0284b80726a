//! SQL, by what it reads: the collection catalog, feature queries and CQL2 filters built
//! from it, and vector tiles.

pub mod catalog;
pub mod changes;
pub mod counters;
pub mod cql;
pub mod cql_limits;
pub mod features;
pub mod status;
pub mod tiles;
pub mod versions;

use sha2::{Digest, Sha256};
use sqlx::{PgPool, Postgres, Transaction};

/// The WKT of a CRS as PostGIS knows it (`spatial_ref_sys`), for a Shapefile's .prj.
pub async fn crs_wkt(pool: &PgPool, srid: i32) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT srtext FROM spatial_ref_sys WHERE srid = $1").bind(srid).fetch_optional(pool).await
}

/// Whether a park `id` is on record (in a pool or inside a writer's transaction).
pub async fn park_exists(db: impl sqlx::PgExecutor<'_>, id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM parks WHERE id = $1)").bind(id).fetch_one(db).await
}

/// The land-use classification's codes, in order (a table, unlike the domain's
/// vocabularies: the classification is data).
pub async fn land_use_codes(db: impl sqlx::PgExecutor<'_>) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code FROM land_use_codes ORDER BY code").fetch_all(db).await
}

/// Whether the client holds the answer of a given ETag already (the api layer judges it
/// from the request's If-None-Match): then there is nothing to read or draw.
pub type Holds<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// A consistent read: one REPEATABLE READ, READ ONLY transaction, and the response's ETag
/// worked out in it before any work is done.
pub enum Snapshot {
    /// `changes`: the change counters the snapshot sees, which the ETag is made from.
    Fresh { tx: Transaction<'static, Postgres>, etag: String, changes: counters::Changes },
    /// The client holds the current answer: nothing to read.
    Held { etag: String },
}

/// Opens a snapshot for a response built from `tables`; `seed` is everything else the
/// response depends on (the request).
pub async fn snapshot(pool: &PgPool, tables: &[&str], seed: &str, holds: Holds<'_>) -> Result<Snapshot, sqlx::Error> {
    let mut tx = consistent_read(pool).await?;
    let changes = counters::read(&mut *tx).await?;
    let tag = etag(seed, &counters::state_of(&changes, tables));
    if holds(&tag) {
        return Ok(Snapshot::Held { etag: tag });
    }
    Ok(Snapshot::Fresh { tx, etag: tag, changes })
}

/// A transaction whose every query sees one state of the records: REPEATABLE READ, READ
/// ONLY (an answer built from several queries — a page and its count, a ledger's sums, a
/// feature and its versions — never mixes two states).
pub async fn consistent_read(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
    Ok(tx)
}

/// A weak ETag from what a response depends on: the request (`seed`) and the state of
/// its tables.
fn etag(seed: &str, state: &str) -> String {
    let mut h = Sha256::new();
    h.update(seed.as_bytes());
    h.update([0]);
    h.update(state.as_bytes());
    let hex: String = h.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}
