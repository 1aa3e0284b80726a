//! Writes that lose nothing: each one a transaction that locks the row, checks the
//! caller's `If-Match` against the feature as it is now, validates, writes, and records
//! who changed what (before and after) in `audit_log`, the feature's history.
//!
//! Two editors with the same ETag: the second waits for the first's lock, then finds the
//! feature changed and gets a 412; nothing of the first is overwritten.
//!
//! Every editable collection is described once (`writable.rs`). Plots have their own
//! module for the lifecycle and the ledger's geometry rules; the rest share `rows`.

#![warn(clippy::disallowed_types)]

mod body;
pub mod geometry;
mod history;
pub mod lifecycle;
pub mod lineage;
mod plots;
mod precondition;
mod projects;
mod refusals;
mod rows;
mod writable;

use serde_json::value::RawValue;
use sqlx::{PgPool, Postgres, QueryBuilder};

use crate::auth::Actor;
use crate::crs::Crs;
use crate::store::features::{self, Item};
use geometry::Shape;

pub use body::{Body, GeometryJson, GivenId, Props};
pub use geometry::MAX_VERTICES;
pub use history::{history, Action, History, Version};
pub use plots::{insert_plot, stage_plot, written_columns};
pub use precondition::{http_date, parse_http_date, Precondition};
pub use refusals::rule_words;
use refusals::{database_rule, referrer};
pub use writable::{writable, Writable, WRITABLE};

/// Why a write did not happen, in the domain's words; `api::errors` maps each to its
/// status in one place.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The body cannot be read as a write: not a feature, a property of the wrong type,
    /// one the collection lacks or that cannot be set.
    #[error("{0}")]
    Malformed(String),
    /// What is missing, e.g. "plot 12".
    #[error("no {0}")]
    Missing(String),
    /// The feature is not as the writer saw it: what the writer sent, and its ETag now.
    #[error("this feature changed since you read it ({given}; it is now {now}): read it again and redo your change")]
    Stale { given: String, now: String },
    /// The write clashes with the records as they are: a status move the lifecycle does
    /// not allow, a code taken, a plot granted to another project, rows still referring.
    #[error("{0}")]
    Clash(String),
    /// The write breaks a land rule: outside its park, over another plot, a CHECK.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Creates a feature from a GeoJSON Feature. Returns its id and the feature as stored.
pub async fn create(pool: &PgPool, actor: &Actor, w: &'static Writable, feature: &Body) -> Result<(String, Item), EditError> {
    let feature = &feature.receivable(w);
    let mut tx = pool.begin().await?;
    let created = match w.collection {
        "plots" => plots::insert_plot(&mut tx, actor, feature, None).await.map(|(id, item)| (id.to_string(), item))?,
        _ => rows::insert(&mut tx, actor, w, feature, None).await?,
    };
    tx.commit().await?;
    Ok(created)
}

/// Brings back deleted feature `id` as `version` (a past version, as read), under its own
/// id: a create, with every check a create passes (a plot over one drawn since is refused).
pub async fn bring_back(pool: &PgPool, actor: &Actor, w: &'static Writable, id: &str, version: &Body) -> Result<Item, EditError> {
    let mut version = version.receivable(w);
    if w.shape == Shape::Derived {
        // Drawn from other rows, as it was read: not the write's to give.
        version.geometry = None;
    }
    let version = &version;
    let mut tx = pool.begin().await?;
    let item = match w.collection {
        "plots" => {
            let n = id.parse().map_err(|_| EditError::Missing(format!("plot {id}")))?;
            plots::insert_plot(&mut tx, actor, version, Some(n)).await?.1
        }
        _ => rows::insert(&mut tx, actor, w, version, Some(id)).await?.1,
    };
    tx.commit().await?;
    Ok(item)
}

/// Applies a JSON merge patch (`{"properties": {...}, "geometry": {...}}`). Returns the
/// feature as it now is.
pub async fn patch(pool: &PgPool, actor: &Actor, w: &'static Writable, id: &str, precondition: &Precondition, patch: &Body) -> Result<Item, EditError> {
    let given = patch.props.receivable(w);
    update(pool, actor, w, Change { id, precondition, props: &given, geometry: patch.geometry.as_ref(), whole: false }).await
}

/// Replaces a feature (PUT): every writable property is set, those left out to the column's
/// default (nothing, mostly). A feature read and sent back carries computed properties
/// (areas, names of codes): those are ignored; a property the collection lacks is refused.
pub async fn replace(pool: &PgPool, actor: &Actor, w: &'static Writable, id: &str, precondition: &Precondition, feature: &Body) -> Result<Item, EditError> {
    if w.shape != Shape::Derived && feature.geometry.is_none() {
        return Err(EditError::Refused(format!("a replacement needs the {}'s geometry", w.noun)));
    }
    let given = feature.props.receivable(w);
    // A derived shape comes back with the feature as read: it is not the client's to set.
    let geometry = feature.geometry.as_ref().filter(|_| w.shape != Shape::Derived);
    update(pool, actor, w, Change { id, precondition, props: &given, geometry, whole: true }).await
}

/// A change to one feature: its id, the precondition it was sent with, the properties and/or
/// geometry to set, and whether they are the whole feature (a PUT: the rest to defaults).
#[derive(Clone, Copy)]
struct Change<'a> {
    id: &'a str,
    precondition: &'a Precondition,
    props: &'a Props,
    geometry: Option<&'a GeometryJson>,
    whole: bool,
}

async fn update(pool: &PgPool, actor: &Actor, w: &'static Writable, change: Change<'_>) -> Result<Item, EditError> {
    let mut tx = pool.begin().await?;
    let now = match w.collection {
        "plots" => plots::update(&mut tx, actor, &change).await?,
        _ => rows::update(&mut tx, actor, w, &change).await?,
    };
    tx.commit().await?;
    Ok(now)
}

/// Deletes a feature; its history stays.
pub async fn delete(pool: &PgPool, actor: &Actor, w: &'static Writable, id: &str, precondition: &Precondition) -> Result<(), EditError> {
    let mut tx = pool.begin().await?;
    if let ("plots", Ok(n)) = (w.collection, id.parse::<i64>()) {
        // The links' trigger takes it on delete; taken here first, in the writers' order.
        plots::lock_land_of(&mut tx, n).await?;
    }
    let before = lock(&mut tx, w, id, precondition).await?;
    remove_row(&mut tx, w, id).await?;
    let entry = Entry { table: w.table, id, action: Action::Delete, before: Some(&before.json), after: None, blind: precondition.is_blind() };
    audit(&mut tx, actor, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the row `id` (its versions stay); refused while other rows refer to it.
async fn remove_row(tx: &mut sqlx::PgConnection, w: &Writable, id: &str) -> Result<(), EditError> {
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new(format!("DELETE FROM {} WHERE id = ", w.table));
    qb.push_bind(id).push(format!("::{}", w.id_type()));
    qb.build().execute(&mut *tx).await.map_err(|e| match &e {
        sqlx::Error::Database(d) if d.code().as_deref() == Some("23503") => EditError::Clash(format!(
            "{} {id} is still referenced ({}): remove or move those first{}",
            w.noun,
            referrer(d.table().unwrap_or(""), d.constraint().unwrap_or("")),
            if w.collection == "plots" { ", or change its status" } else { "" }
        )),
        _ => EditError::Database(e),
    })?;
    Ok(())
}

/// A value to write, typed for its column.
enum Cell {
    Null,
    /// The column's default (a property left out of a replacement).
    Default,
    Text(String),
    Number(f64),
    Integer(i64),
    Bool(bool),
    Date(chrono::NaiveDate),
    TextArray(Vec<String>),
    Json(Box<RawValue>),
    /// Checked by `geometry::read`.
    Geometry(geometry::Checked),
}

fn push_cell(qb: &mut QueryBuilder<'_, Postgres>, cell: Cell) {
    match cell {
        Cell::Null => qb.push("NULL"),
        Cell::Default => qb.push("DEFAULT"),
        Cell::Text(s) => qb.push_bind(s),
        Cell::Number(n) => qb.push_bind(n),
        Cell::Integer(n) => qb.push_bind(n),
        Cell::Bool(b) => qb.push_bind(b),
        Cell::Date(d) => qb.push_bind(d),
        Cell::TextArray(a) => qb.push_bind(a),
        Cell::Json(v) => qb.push_bind(sqlx::types::Json(v)),
        Cell::Geometry(g) => match g.shape {
            Shape::Area => qb.push("ST_Multi(ST_GeomFromText(").push_bind(g.wkt).push(", 4326))"),
            _ => qb.push("ST_GeomFromText(").push_bind(g.wkt).push(", 4326)"),
        },
    };
}

/// Locks the row `id` and checks the precondition against its feature as it is now;
/// returns that feature (the audit's "before"). FOR NO KEY UPDATE: no write changes a
/// key, and a plot's insert checking its park (a key share) need not wait on the park's edit.
async fn lock(tx: &mut sqlx::PgConnection, w: &'static Writable, id: &str, precondition: &Precondition) -> Result<Item, EditError> {
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new(format!("SELECT 1 FROM {} WHERE id = ", w.table));
    qb.push_bind(id).push(format!("::{} FOR NO KEY UPDATE", w.id_type()));
    let found: Option<i32> = qb.build_query_scalar().fetch_optional(&mut *tx).await.map_err(database_rule)?;
    found.ok_or_else(|| EditError::Missing(format!("{} {id}", w.noun)))?;
    let before = current(tx, w, id).await?;
    if !precondition.holds(&before) {
        return Err(EditError::Stale { given: precondition.words(), now: before.tag.to_string() });
    }
    Ok(before)
}

/// The feature `id` as it is now in this transaction (in CRS84, as the history keeps it).
async fn current(tx: &mut sqlx::PgConnection, w: &'static Writable, id: &str) -> Result<Item, EditError> {
    features::one(&mut *tx, w.catalog(), id, Crs::CRS84).await?.ok_or_else(|| EditError::Missing(format!("{} {id}", w.noun)))
}

/// Sets these columns of the row `id`.
async fn update_row(tx: &mut sqlx::PgConnection, w: &Writable, id: &str, sets: Vec<(&'static str, Cell)>) -> Result<(), EditError> {
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new(format!("UPDATE {} SET ", w.table));
    for (i, (column, cell)) in sets.into_iter().enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        qb.push(column).push(" = ");
        push_cell(&mut qb, cell);
    }
    qb.push(" WHERE id = ").push_bind(id.to_string()).push(format!("::{}", w.id_type()));
    qb.build().execute(&mut *tx).await.map_err(database_rule)?;
    Ok(())
}

/// A new row with these columns; returns its id.
async fn insert_row(tx: &mut sqlx::PgConnection, w: &Writable, columns: Vec<(&'static str, Cell)>) -> Result<String, EditError> {
    insert_into(tx, w.table, columns).await
}

/// Inserts a row of `columns` into `table`; its id as text. A constraint it breaks is
/// told in the ledger's words (`database_rule`).
async fn insert_into(tx: &mut sqlx::PgConnection, table: &str, columns: Vec<(&'static str, Cell)>) -> Result<String, EditError> {
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new(format!("INSERT INTO {table} ("));
    qb.push(columns.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")).push(") VALUES (");
    for (i, (_, cell)) in columns.into_iter().enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        push_cell(&mut qb, cell);
    }
    qb.push(") RETURNING id::text");
    qb.build_query_scalar().fetch_one(&mut *tx).await.map_err(database_rule)
}

/// The audit rows of plots just inserted by `actor` (an import's), each with the plot
/// as it now reads, in one statement.
pub async fn audit_new_plots(tx: &mut sqlx::PgConnection, actor: &Actor, ids: &[i64]) -> Result<(), sqlx::Error> {
    let w = writable("plots").expect("plots are editable");
    let mut qb: QueryBuilder<'static, Postgres> = QueryBuilder::new("INSERT INTO audit_log (actor, table_name, row_id, action, before, after) SELECT ");
    qb.push_bind(actor.name.clone()).push(", ").push_bind(w.table).push(", t.id::text, 'insert', NULL, (");
    features::push_whole_feature_json(&mut qb, w.catalog(), Crs::CRS84);
    qb.push(")::jsonb FROM ").push(w.catalog().from).push(" WHERE t.id = ANY(").push_bind(ids.to_vec()).push(")");
    qb.build().execute(&mut *tx).await?;
    Ok(())
}

/// One write as the history keeps it.
struct Entry<'a> {
    table: &'a str,
    id: &'a str,
    action: Action,
    before: Option<&'a str>,
    after: Option<&'a str>,
    /// Made without a precondition (`Precondition::Blind`).
    blind: bool,
}

async fn audit(tx: &mut sqlx::PgConnection, actor: &Actor, e: &Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (actor, table_name, row_id, action, before, after, blind) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)")
        .bind(&actor.name)
        .bind(e.table)
        .bind(e.id)
        .bind(e.action)
        .bind(e.before)
        .bind(e.after)
        .bind(e.blind)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The refusal of a write that changes nothing.
const NOTHING_TO_CHANGE: &str =
    "nothing to change: give writable properties and/or geometry (read-only ones, such as areas and the names of codes, are ignored)";

/// Years a recorded date may fall in. A land record's dates (supply, contract, start,
/// expected opening) lie in living memory or a lease's term ahead; `0000-01-01` or
/// `9999-12-31` is a typing slip or a placeholder, which PostgreSQL would store as 1 BC
/// or as a real date and every report would count.
pub const RECORD_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;
