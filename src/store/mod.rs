//! SQL, by what it reads: the collection catalog, feature queries and CQL2 filters built
//! from it, and vector tiles.

pub mod catalog;
pub mod cql;
pub mod features;
pub mod tiles;

use sha2::{Digest, Sha256};
use sqlx::PgConnection;

/// What the tables of a response look like now: their change counters, one read.
pub async fn tables_state(conn: &mut PgConnection, tables: &[&str]) -> Result<String, sqlx::Error> {
    let state: Option<String> = sqlx::query_scalar(
        "SELECT string_agg(table_name || ':' || changes, ',' ORDER BY table_name) FROM change_counters WHERE table_name = ANY($1)",
    )
    .bind(tables)
    .fetch_one(conn)
    .await?;
    Ok(state.unwrap_or_default())
}

/// A weak ETag from what a response depends on: the request (`seed`) and the state of
/// its tables.
pub fn etag(seed: &str, state: &str) -> String {
    let mut h = Sha256::new();
    h.update(seed.as_bytes());
    h.update([0]);
    h.update(state.as_bytes());
    let hex: String = h.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

/// Whether an If-None-Match header names `tag` (or `*`).
pub fn matches(if_none_match: Option<&str>, tag: &str) -> bool {
    if_none_match.is_some_and(|inm| inm.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}
