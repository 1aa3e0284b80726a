//! A feature's history: every write's audit row, who and when, the feature before and after.

use serde_json::value::RawValue;
use sqlx::PgPool;

use super::Writable;
use crate::crs::Crs;
use crate::domain::{vocabulary, FeatureId};
use crate::store::catalog::Kind;
use crate::store::features;

vocabulary!(
    /// What a write did to a row (`audit_log.action`).
    Action, "action", {
        Insert = "insert", "新增", "Created";
        Update = "update", "修改", "Changed";
        Delete = "delete", "删除", "Deleted";
    }
);

/// One recorded change of a feature: who, when, and the row before and after (as the audit log
/// keeps it, JSON passed on as it is).
#[derive(Debug, serde::Serialize, sqlx::FromRow, schemars::JsonSchema)]
pub struct Version {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: Action,
    /// Made without a precondition (no If-Match, no If-Unmodified-Since), by a token for
    /// blind writes: it may have overwritten another editor's change unseen.
    pub blind: bool,
    /// The feature before the write (GeoJSON, as the audit log keeps it).
    #[schemars(with = "Option<Box<RawValue>>")]
    pub before: Option<sqlx::types::Json<Box<RawValue>>>,
    /// The feature after the write.
    #[schemars(with = "Option<Box<RawValue>>")]
    pub after: Option<sqlx::types::Json<Box<RawValue>>>,
}

/// A feature's history, newest first.
#[derive(Debug)]
pub struct History {
    /// What the id is called: `plot_id` for plots, `id` for the others.
    pub key: &'static str,
    /// As its collection types it.
    pub id: FeatureId,
    pub collection: &'static str,
    pub changes: Vec<Version>,
}

impl serde::Serialize for History {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry(self.key, &self.id)?;
        m.serialize_entry("collection", self.collection)?;
        m.serialize_entry("changes", &self.changes)?;
        m.end()
    }
}

/// A feature's history, newest first: who changed it, when, and the feature before and
/// after. None when the feature neither exists nor ever did.
pub async fn history(pool: &PgPool, w: &'static Writable, id: &str) -> Result<Option<History>, sqlx::Error> {
    let exists = features::one(pool, w.catalog(), id, Crs::CRS84).await?.is_some();
    let changes: Vec<Version> =
        sqlx::query_as("SELECT at, actor, action, blind, before, after FROM audit_log WHERE table_name = $1 AND row_id = $2 ORDER BY at DESC, id DESC")
            .bind(w.table)
            .bind(id)
            .fetch_all(pool)
            .await?;
    if !exists && changes.is_empty() {
        return Ok(None);
    }
    let key = if w.collection == "plots" { "plot_id" } else { "id" };
    let id = match (w.catalog().id_kind, id.parse::<i64>()) {
        (Kind::Integer, Ok(n)) => FeatureId::Number(n),
        _ => FeatureId::Text(id.to_string()),
    };
    Ok(Some(History { key, id, collection: w.collection, changes }))
}
