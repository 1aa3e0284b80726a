//! What changed between two instants (#21): every version that began in the period — a
//! feature created, or changed (its previous version ended at that instant) — and every
//! feature retired (a version ended with none after it), in every versioned collection or
//! one, ordered by (instant, collection, id) and paged by a cursor after the last entry.
//!
//! Writers are stamped in commit order (`version_stamp`, migrations/0021): an entry not yet
//! committed has a later instant than every committed one, so a client paging with the
//! cursor while others write never skips an entry nor sees one twice. This is what a
//! client that keeps a copy, and later statistics by period, build on.

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder};

use super::catalog::{Collection, COLLECTIONS};

/// What happened to a feature at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, sqlx::Type, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Change {
    Created,
    Changed,
    Retired,
}

/// One entry of the changes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, schemars::JsonSchema)]
pub struct Entry {
    /// When the write was recorded (its stamp).
    pub at: DateTime<Utc>,
    pub collection: String,
    /// The feature's id, as text (plots' ids are numbers, parks' are codes).
    pub id: String,
    pub change: Change,
}

/// Where a page starts: after this entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub at: DateTime<Utc>,
    pub collection: String,
    pub id: String,
}

impl Cursor {
    /// As a client carries it: `<µs since 1970>~<collection>~<id>`.
    pub fn encode(&self) -> String {
        format!("{}~{}~{}", self.at.timestamp_micros(), self.collection, self.id)
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let mut parts = text.splitn(3, '~');
        let at = DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?;
        let collection = parts.next()?.to_string();
        let id = parts.next()?.to_string();
        super::catalog::find(&collection)?;
        Some(Cursor { at, collection, id })
    }
}

/// The period asked for: after `after` (exclusive) up to `until` (inclusive); open ends None.
#[derive(Debug, Clone, Copy, Default)]
pub struct Period {
    pub after: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// Up to `limit` entries of the period in `collections`, after `cursor`.
pub async fn page(pool: &PgPool, collections: &[&'static Collection], period: Period, cursor: Option<&Cursor>, limit: i64) -> Result<Vec<Entry>, sqlx::Error> {
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new("SELECT at, collection, id, change FROM (");
    for (i, c) in collections.iter().enumerate() {
        if i > 0 {
            qb.push(" UNION ALL ");
        }
        push_collection(&mut qb, c, period, cursor.map(|k| k.at));
    }
    qb.push(") e");
    if let Some(k) = cursor {
        qb.push(" WHERE (at, collection, id) > (").push_bind(k.at).push(", ").push_bind(k.collection.clone()).push(", ").push_bind(k.id.clone()).push(")");
    }
    qb.push(" ORDER BY at, collection, id LIMIT ").push_bind(limit);
    qb.build_query_as().fetch_all(pool).await
}

/// The versions begun and the retirements of one collection within the period (and from
/// the cursor's instant on: the rest is left to the outer comparison).
fn push_collection(qb: &mut QueryBuilder<'_, Postgres>, c: &Collection, period: Period, from: Option<DateTime<Utc>>) {
    let t = c.own_table();
    let within = |qb: &mut QueryBuilder<'_, Postgres>, column: &str| {
        qb.push(format!(" {column} IS NOT NULL"));
        if let Some(after) = period.after {
            qb.push(format!(" AND {column} > ")).push_bind(after);
        }
        if let Some(until) = period.until {
            qb.push(format!(" AND {column} <= ")).push_bind(until);
        }
        if let Some(from) = from {
            qb.push(format!(" AND {column} >= ")).push_bind(from);
        }
    };
    // A version begun: a change when the feature's previous version ended at its start.
    qb.push(format!(
        "SELECT v.updated_at AS at, '{id}'::text AS collection, v.id::text AS id,
                CASE WHEN EXISTS (SELECT 1 FROM history.{t} h WHERE h.id = v.id AND h.valid_to = v.updated_at) THEN 'changed' ELSE 'created' END AS change
         FROM history.{t} v WHERE",
        id = c.id
    ));
    within(qb, "v.updated_at");
    // A version ended with none begun at that instant: the feature retired.
    qb.push(format!(" UNION ALL SELECT h.valid_to, '{id}'::text, h.id::text, 'retired' FROM history.{t} h WHERE h.valid_to <> 'infinity' AND", id = c.id));
    within(qb, "h.valid_to");
    qb.push(format!(" AND NOT EXISTS (SELECT 1 FROM history.{t} n WHERE n.id = h.id AND n.updated_at = h.valid_to)"));
}

/// Every versioned collection (all of the catalog's).
pub fn all_collections() -> Vec<&'static Collection> {
    COLLECTIONS.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_names_a_collection() {
        let k = Cursor { at: DateTime::from_timestamp_micros(1_796_000_000_123_456).unwrap(), collection: "transport-nodes".into(), id: "HI~01".into() };
        assert_eq!(Cursor::decode(&k.encode()), Some(k));
        assert_eq!(Cursor::decode("1~nothing~1"), None);
        assert_eq!(Cursor::decode("x~plots~1"), None);
        assert_eq!(Cursor::decode("12"), None);
    }
}
