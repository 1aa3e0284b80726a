//! Idle-land findings (the `idle-land` collection, table `idle_records`): an editor
//! records a finding on a plot, follows its measure, and closes it, with the guarantees of
//! a plot's edit: one transaction that locks the row, `If-Match`, the database's rules
//! in words, and an `audit_log` row. A finding is drawn with its plot's outline, so it
//! takes no geometry of its own.

use serde_json::{Map, Value};
use sqlx::PgPool;

use super::{audit, cells, insert_row, parts, update_row, EditError, Writable};
use crate::auth::Actor;
use crate::crs::Crs;
use crate::store::{catalog, features};

const WRITABLE: &[&str] = &["plot_id", "kind", "cause", "found_on", "idle_since", "measure", "measure_status", "fee_wan", "note"];
const FINDINGS: Writable = Writable { collection: "idle-land", alias: "r.", properties: WRITABLE };
const TABLE: &str = "idle_records";

fn no_geometry(geometry: Option<&Value>) -> Result<(), EditError> {
    match geometry {
        Some(_) => Err(EditError::BadRequest("a finding is drawn with its plot's outline and takes no geometry; edit the plot to move it".into())),
        None => Ok(()),
    }
}

async fn current(tx: &mut sqlx::PgConnection, id: i64) -> Result<(String, String), EditError> {
    let c = catalog::find(FINDINGS.collection).expect("idle-land is a collection");
    features::one(&mut *tx, c, &id.to_string(), Crs::CRS84).await?.ok_or_else(|| EditError::NotFound(format!("idle-land finding {id}")))
}

/// Locks the finding and checks `if_match` against it as it is now; returns it (the
/// audit's "before").
async fn lock(tx: &mut sqlx::PgConnection, id: i64, if_match: &str) -> Result<String, EditError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM idle_records WHERE id = $1 FOR UPDATE").bind(id).fetch_optional(&mut *tx).await?;
    found.ok_or_else(|| EditError::NotFound(format!("idle-land finding {id}")))?;
    let (before, etag) = current(tx, id).await?;
    if !crate::store::matches(Some(if_match), &etag) {
        return Err(EditError::Stale { given: if_match.to_string(), now: etag });
    }
    Ok(before)
}

/// Records a finding: `plot_id`, `kind`, `cause` and `found_on` are needed.
pub async fn create(pool: &PgPool, actor: &Actor, feature: &Value) -> Result<(i64, String, String), EditError> {
    let empty = Map::new();
    let (props, geometry) = parts(feature, &empty)?;
    no_geometry(geometry)?;
    for required in ["plot_id", "kind", "cause", "found_on"] {
        if props.get(required).is_none_or(Value::is_null) {
            return Err(EditError::Unprocessable(format!("a new finding needs {required}")));
        }
    }
    let columns = cells(&FINDINGS, props, None)?;
    let mut tx = pool.begin().await?;
    let id = insert_row(&mut tx, TABLE, columns).await?;
    let (after, etag) = current(&mut tx, id).await?;
    audit(&mut tx, actor, TABLE, id, "insert", None, Some(&after)).await?;
    tx.commit().await?;
    Ok((id, after, etag))
}

/// Applies a JSON merge patch of properties to a finding.
pub async fn patch(pool: &PgPool, actor: &Actor, id: i64, if_match: &str, patch: &Value) -> Result<(String, String), EditError> {
    let empty = Map::new();
    let (props, geometry) = parts(patch, &empty)?;
    no_geometry(geometry)?;
    let sets = cells(&FINDINGS, props, None)?;
    if sets.is_empty() {
        return Err(EditError::BadRequest("nothing to change: give properties".into()));
    }
    let mut tx = pool.begin().await?;
    let before = lock(&mut tx, id, if_match).await?;
    update_row(&mut tx, TABLE, id, sets).await?;
    let (after, etag) = current(&mut tx, id).await?;
    audit(&mut tx, actor, TABLE, id, "update", Some(&before), Some(&after)).await?;
    tx.commit().await?;
    Ok((after, etag))
}

/// Replaces a finding (PUT): every writable property is set, those left out to nothing
/// (the measure's progress to `pending`). A feature read and sent back carries its plot's
/// fields and outline: those are ignored.
pub async fn replace(pool: &PgPool, actor: &Actor, id: i64, if_match: &str, feature: &Value) -> Result<(String, String), EditError> {
    let empty = Map::new();
    let (props, _) = parts(feature, &empty)?;
    let c = catalog::find(FINDINGS.collection).expect("idle-land is a collection");
    let mut whole = Map::new();
    for name in WRITABLE {
        let default = if *name == "measure_status" { Value::from("pending") } else { Value::Null };
        whole.insert(name.to_string(), props.get(*name).cloned().filter(|v| !v.is_null()).unwrap_or(default));
    }
    for key in props.keys() {
        if !WRITABLE.contains(&key.as_str()) && c.property(key).is_none() {
            whole.insert(key.clone(), props[key].clone());
        }
    }
    let mut body = Map::new();
    body.insert("properties".into(), Value::Object(whole));
    patch(pool, actor, id, if_match, &Value::Object(body)).await
}

/// Deletes a finding (one recorded in error); its history stays.
pub async fn delete(pool: &PgPool, actor: &Actor, id: i64, if_match: &str) -> Result<(), EditError> {
    let mut tx = pool.begin().await?;
    let before = lock(&mut tx, id, if_match).await?;
    sqlx::query("DELETE FROM idle_records WHERE id = $1").bind(id).execute(&mut *tx).await?;
    audit(&mut tx, actor, TABLE, id, "delete", Some(&before), None).await?;
    tx.commit().await?;
    Ok(())
}
