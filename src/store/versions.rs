//! Every version of the edited records (#21), read back: the records as of an instant, a
//! feature's versions (its time map), and what an instant selects of one feature.
//!
//! Time here is *record time* (the OGC Versioned Features proposal's `transaction-time`,
//! `mutationTime: server`): a version starts at the stamp of the write that made it
//! (`version_stamp`, migrations/0021) and ends at the stamp of the one that replaced or
//! deleted it. Writers stamp one at a time in commit order, so an instant's answer does
//! not change once every write stamped before it has committed. Business time (a plot's
//! `supplied_on`, a finding's `found_on`) is a property like any other, filtered with CQL2.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};

use super::catalog::{Collection, Kind};
use super::features::{self, Item};
use crate::crs::Crs;

/// Makes the rest of transaction `tx` read the records as of `at`: the `asof` views (the
/// rows current at `at`, migrations/0021 and `versioning_sync`) come before the tables on
/// its search path, so every query of the catalog, the ledger and the counts reads the
/// past unchanged. Lookup tables (land uses, statuses) have no versions and read as now.
pub async fn read_as_of(tx: &mut PgConnection, at: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT set_config('search_path', 'asof, public', true), set_config('parkland.as_of', $1, true)")
        .bind(at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// One version of a feature: when it was recorded and, once replaced or deleted, when
/// that was; who wrote it and how, where the write went through parkland's API.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, schemars::JsonSchema)]
pub struct Span {
    #[sqlx(rename = "v_from")]
    pub from: DateTime<Utc>,
    /// None: the current version.
    #[sqlx(rename = "v_to")]
    pub to: Option<DateTime<Utc>>,
    pub actor: Option<String>,
    /// Made without a precondition (a token for blind writes).
    pub blind: bool,
}

/// Every version of feature `id` of `c`, oldest first (none: it never existed).
pub async fn time_map(db: &mut PgConnection, c: &'static Collection, id: &str) -> Result<Vec<Span>, sqlx::Error> {
    let table = c.own_table();
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new(
        "SELECT v.v_from, v.v_to, a.actor, coalesce(a.blind, false) AS blind FROM (SELECT updated_at AS v_from, nullif(valid_to, 'infinity') AS v_to FROM ",
    );
    qb.push(format!("history.{table} WHERE id = "));
    push_id(&mut qb, c, id);
    // The audit row of the write that made the version: same table, row and stamp.
    qb.push(") v LEFT JOIN LATERAL (SELECT actor, blind FROM audit_log WHERE table_name = ").push_bind(table);
    qb.push(" AND row_id = ").push_bind(id.to_string());
    qb.push(" AND at = v.v_from AND action <> 'delete' ORDER BY audit_log.id DESC LIMIT 1) a ON true ORDER BY v.v_from");
    qb.build_query_as().fetch_all(&mut *db).await
}

fn push_id(qb: &mut QueryBuilder<'_, Postgres>, c: &Collection, id: &str) {
    match (c.id_kind, id.parse::<i64>()) {
        (Kind::Integer, Ok(n)) => qb.push_bind(n),
        (Kind::Integer, Err(_)) => qb.push("NULL"),
        _ => qb.push_bind(id.to_string()),
    };
}

/// What an instant selects of a feature, by its time map (the proposal's rule: the version
/// with the latest start at or before the instant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selected {
    /// The version at this index of the time map.
    Version(usize),
    /// The feature had been deleted by then (410 Gone).
    Gone,
    /// It did not exist yet, or never did (404).
    Never,
}

pub fn select(map: &[Span], at: DateTime<Utc>) -> Selected {
    match map.iter().rposition(|s| s.from <= at) {
        None => Selected::Never,
        Some(i) if map[i].to.is_some_and(|to| to <= at) => Selected::Gone,
        Some(i) => Selected::Version(i),
    }
}

/// A feature as an instant selects it: its time map, and which version.
pub enum Lookup {
    /// The version at `index` of `map`, read as of the instant (its joined rows too).
    Found { item: Item, map: Vec<Span>, index: usize },
    /// Deleted by then: its time map (410 Gone, with the latest version's link).
    Gone { map: Vec<Span> },
    /// Not yet made, or never (404).
    Never,
}

/// Feature `id` of `c` in `crs` as of `at` (None: now), from one snapshot.
pub async fn one_at(pool: &PgPool, c: &'static Collection, id: &str, crs: Crs, at: Option<DateTime<Utc>>) -> Result<Lookup, sqlx::Error> {
    let mut tx = super::consistent_read(pool).await?;
    let map = time_map(&mut tx, c, id).await?;
    let index = match select(&map, at.unwrap_or(DateTime::<Utc>::MAX_UTC)) {
        Selected::Version(i) => i,
        Selected::Gone => return Ok(Lookup::Gone { map }),
        Selected::Never => return Ok(Lookup::Never),
    };
    if let Some(at) = at {
        read_as_of(&mut tx, at).await?;
    }
    match features::one(&mut *tx, c, id, crs).await? {
        Some(item) => Ok(Lookup::Found { item, map, index }),
        // Its own row was there, but not a row it is joined with (a finding's plot): not
        // in the collection then.
        None => Ok(Lookup::Never),
    }
}

/// The stamp of the last write committed: an instant before it reads a settled past,
/// one after it may yet see a write in flight that stamped earlier (so its answer is
/// current, not a memento to keep).
pub async fn last_recorded(db: &mut PgConnection) -> Result<DateTime<Utc>, sqlx::Error> {
    sqlx::query_scalar("SELECT last FROM public.version_clock").fetch_one(&mut *db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn an_instant_selects_the_latest_version_started_by_then() {
        let span = |from: &str, to: Option<&str>| Span { from: at(from), to: to.map(at), actor: None, blind: false };
        let map = vec![span("2026-01-01T00:00:00Z", Some("2026-02-01T00:00:00Z")), span("2026-02-01T00:00:00Z", None)];
        assert_eq!(select(&map, at("2025-12-31T23:59:59Z")), Selected::Never);
        assert_eq!(select(&map, at("2026-01-15T00:00:00Z")), Selected::Version(0));
        assert_eq!(select(&map, at("2026-02-01T00:00:00Z")), Selected::Version(1), "at a transition, the later version");
        assert_eq!(select(&map, at("2030-01-01T00:00:00Z")), Selected::Version(1));
        let deleted = vec![span("2026-01-01T00:00:00Z", Some("2026-02-01T00:00:00Z"))];
        assert_eq!(select(&deleted, at("2026-02-01T00:00:00Z")), Selected::Gone);
        assert_eq!(select(&deleted, at("2026-01-31T00:00:00Z")), Selected::Version(0));
        assert_eq!(select(&[], at("2026-01-31T00:00:00Z")), Selected::Never);
    }
}
