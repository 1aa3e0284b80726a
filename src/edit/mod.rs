//! Writes that lose nothing: each one a transaction that locks the row, checks the
//! caller's `If-Match` against the feature as it is now, validates, writes, and records
//! who changed what (before and after) in `audit_log`, the feature's history.
//!
//! Two editors with the same ETag: the second waits for the first's lock, then finds the
//! feature changed and gets a 412; nothing of the first is overwritten.

pub mod findings;
pub mod lifecycle;

use serde_json::{Map, Value};
use sqlx::{PgPool, Postgres, QueryBuilder};

use crate::auth::Actor;
use crate::crs::Crs;
use crate::store::catalog::{self, Kind};
use crate::store::features;

/// Plot properties an editor may set; the rest (areas, names of codes, the park) follow
/// from these or belong to an admin.
const PLOT_WRITABLE: &[&str] = &[
    "code", "land_use", "status", "far_min", "far_max", "coverage_min", "green_max", "land_user", "supplied_on",
    "land_price_wan", "agreed_start", "actual_start", "stalled_since", "built_ratio", "invested_wan",
    "planned_investment_wan", "output_wan", "tax_wan",
];

/// Most vertices a plot's outline may have.
pub const MAX_VERTICES: i32 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{0}")]
    BadRequest(String),
    /// What is missing, e.g. "plot 12".
    #[error("no {0}")]
    NotFound(String),
    #[error("this feature changed since you read it (your If-Match {given}, now {now}): read it again and redo your change")]
    Stale { given: String, now: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A value to write, typed for its column.
enum Cell {
    Null,
    Text(String),
    Number(f64),
    Integer(i64),
    Date(chrono::NaiveDate),
    /// WKT in lon/lat, checked by `check_geometry`.
    Outline(String),
}

/// The parts of a feature body: its properties (an empty map when absent) and geometry.
fn parts<'a>(body: &'a Value, empty: &'a Map<String, Value>) -> Result<(&'a Map<String, Value>, Option<&'a Value>), EditError> {
    let body = body.as_object().ok_or_else(|| EditError::BadRequest("the body must be a JSON object: a (partial) GeoJSON Feature".into()))?;
    for key in body.keys() {
        if !["type", "id", "properties", "geometry", "links"].contains(&key.as_str()) {
            return Err(EditError::BadRequest(format!("unknown member '{key}': a feature holds properties and/or geometry")));
        }
    }
    let props = match body.get("properties") {
        None | Some(Value::Null) => empty,
        Some(Value::Object(m)) => m,
        Some(_) => return Err(EditError::BadRequest("properties must be an object".into())),
    };
    Ok((props, body.get("geometry").filter(|g| !g.is_null())))
}

/// What may be written in a collection: the properties, and the alias of the table they
/// are columns of in the catalog's SQL (`t` for plots, `r` for idle records).
struct Writable {
    collection: &'static str,
    alias: &'static str,
    properties: &'static [&'static str],
}

const PLOTS: Writable = Writable { collection: "plots", alias: "t.", properties: PLOT_WRITABLE };

/// The columns and values `props` set, each checked against the catalog's type and the
/// writable list; a plot's status change against the lifecycle when it has a status now.
fn cells(w: &Writable, props: &Map<String, Value>, status_now: Option<&str>) -> Result<Vec<(&'static str, Cell)>, EditError> {
    let c = catalog::find(w.collection).expect("a collection of the catalog");
    let mut out = Vec::new();
    for (name, value) in props {
        let p = c.property(name).ok_or_else(|| EditError::BadRequest(format!("{} have no property '{name}'", w.collection)))?;
        if !w.properties.contains(&name.as_str()) {
            return Err(EditError::BadRequest(format!("'{name}' cannot be set: it follows from other fields or needs an admin")));
        }
        if name == "status" && w.collection == "plots" {
            let to = value.as_str().ok_or_else(|| EditError::BadRequest("status must be a status code (text)".into()))?;
            if lifecycle::allowed(to).is_empty() {
                return Err(EditError::Unprocessable(format!("unknown status '{to}'")));
            }
            if let Some(now) = status_now.filter(|now| *now != to) {
                if !lifecycle::allowed(now).contains(&to) {
                    return Err(EditError::Conflict(format!(
                        "a plot cannot go from '{now}' to '{to}'; from '{now}' it may go to: {}",
                        lifecycle::allowed(now).join(", ")
                    )));
                }
            }
        }
        // The column is the property's own (t.<column>).
        let column = p.sql.strip_prefix(w.alias).ok_or_else(|| EditError::BadRequest(format!("'{name}' cannot be set")))?;
        let cell = match (p.kind, value) {
            (_, Value::Null) => Cell::Null,
            (Kind::Text, Value::String(s)) => Cell::Text(s.clone()),
            (Kind::Integer, Value::Number(n)) if n.is_i64() => Cell::Integer(n.as_i64().unwrap_or_default()),
            (Kind::Number, Value::Number(n)) => Cell::Number(n.as_f64().unwrap_or(f64::NAN)),
            (Kind::Date, Value::String(s)) => Cell::Date(
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| EditError::BadRequest(format!("{name} must be a date YYYY-MM-DD, not '{s}'")))?,
            ),
            (kind, v) => return Err(EditError::BadRequest(format!("{name} must be {}, not {v}", kind_words(kind)))),
        };
        out.push((column, cell));
    }
    Ok(out)
}

fn push_cell(qb: &mut QueryBuilder<'_, Postgres>, cell: Cell) {
    match cell {
        Cell::Null => qb.push("NULL"),
        Cell::Text(s) => qb.push_bind(s),
        Cell::Number(n) => qb.push_bind(n),
        Cell::Integer(n) => qb.push_bind(n),
        Cell::Date(d) => qb.push_bind(d),
        Cell::Outline(wkt) => qb.push("ST_Multi(ST_GeomFromText(").push_bind(wkt).push(", 4326))"),
    };
}

/// Locks the plot and checks `if_match` against it as it is now: its status, park and
/// feature JSON (the audit's "before").
async fn lock_current(tx: &mut sqlx::PgConnection, id: i64, if_match: &str) -> Result<(String, String, String), EditError> {
    let c = catalog::find("plots").expect("plots is a collection");
    let current: Option<(String, String)> =
        sqlx::query_as("SELECT status, park_id FROM plots WHERE id = $1 FOR UPDATE").bind(id).fetch_optional(&mut *tx).await?;
    let (status, park_id) = current.ok_or_else(|| EditError::NotFound(format!("plot {id}")))?;
    let (before, etag) = features::one(&mut *tx, c, &id.to_string(), Crs::CRS84).await?.ok_or_else(|| EditError::NotFound(format!("plot {id}")))?;
    if !crate::store::matches(Some(if_match), &etag) {
        return Err(EditError::Stale { given: if_match.to_string(), now: etag });
    }
    Ok((status, park_id, before))
}

/// Sets these columns of the row `id` of `table`.
async fn update_row(tx: &mut sqlx::PgConnection, table: &str, id: i64, sets: Vec<(&'static str, Cell)>) -> Result<(), EditError> {
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new(format!("UPDATE {table} SET "));
    for (i, (column, cell)) in sets.into_iter().enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        qb.push(column).push(" = ");
        push_cell(&mut qb, cell);
    }
    qb.push(" WHERE id = ").push_bind(id);
    qb.build().execute(&mut *tx).await.map_err(database_rule)?;
    Ok(())
}

/// A new row of `table` with these columns; returns its id.
async fn insert_row(tx: &mut sqlx::PgConnection, table: &str, columns: Vec<(&'static str, Cell)>) -> Result<i64, EditError> {
    let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new(format!("INSERT INTO {table} ("));
    qb.push(columns.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")).push(") VALUES (");
    for (i, (_, cell)) in columns.into_iter().enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        push_cell(&mut qb, cell);
    }
    qb.push(") RETURNING id");
    qb.build_query_scalar().fetch_one(&mut *tx).await.map_err(database_rule)
}

async fn audit(
    tx: &mut sqlx::PgConnection,
    actor: &Actor,
    table: &str,
    id: i64,
    action: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (actor, table_name, row_id, action, before, after) VALUES ($1, $6, $2, $3, $4::jsonb, $5::jsonb)")
        .bind(&actor.name)
        .bind(id.to_string())
        .bind(action)
        .bind(before)
        .bind(after)
        .bind(table)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn current_json(tx: &mut sqlx::PgConnection, id: i64) -> Result<(String, String), EditError> {
    let c = catalog::find("plots").expect("plots is a collection");
    features::one(&mut *tx, c, &id.to_string(), Crs::CRS84).await?.ok_or_else(|| EditError::NotFound(format!("plot {id}")))
}

/// Applies a JSON merge patch (`{"properties": {...}, "geometry": {...}}`) to a plot.
/// Returns the feature as it now is, and its ETag.
pub async fn patch_plot(pool: &PgPool, actor: &Actor, id: i64, if_match: &str, patch: &Value) -> Result<(String, String), EditError> {
    let empty = Map::new();
    let (props, geometry) = parts(patch, &empty)?;
    let mut tx = pool.begin().await?;
    let (status_now, park_id, before) = lock_current(&mut tx, id, if_match).await?;
    let mut sets = cells(&PLOTS, props, Some(&status_now))?;
    if let Some(g) = geometry {
        sets.push(("geom", Cell::Outline(check_geometry(&mut tx, Some(id), &park_id, g).await?)));
    }
    if sets.is_empty() {
        return Err(EditError::BadRequest("nothing to change: give properties and/or geometry".into()));
    }
    update_row(&mut tx, "plots", id, sets).await?;
    let (after, etag) = current_json(&mut tx, id).await?;
    audit(&mut tx, actor, "plots", id, "update", Some(&before), Some(&after)).await?;
    tx.commit().await?;
    Ok((after, etag))
}

/// Replaces a plot (PUT): every writable property is set, those left out to nothing; the
/// geometry is required.
pub async fn replace_plot(pool: &PgPool, actor: &Actor, id: i64, if_match: &str, feature: &Value) -> Result<(String, String), EditError> {
    let empty = Map::new();
    let (props, geometry) = parts(feature, &empty)?;
    if geometry.is_none() {
        return Err(EditError::Unprocessable("a replacement needs the plot's geometry".into()));
    }
    let mut whole = Map::new();
    for name in PLOT_WRITABLE {
        whole.insert(name.to_string(), props.get(*name).cloned().unwrap_or(Value::Null));
    }
    let c = catalog::find("plots").expect("plots is a collection");
    for key in props.keys() {
        // A feature read and sent back carries its computed properties (areas, names of
        // codes, the park): those are ignored; a property plots do not have is refused.
        if !PLOT_WRITABLE.contains(&key.as_str()) && c.property(key).is_none() {
            whole.insert(key.clone(), props[key].clone());
        }
    }
    let mut body = Map::new();
    body.insert("properties".into(), Value::Object(whole));
    body.insert("geometry".into(), geometry.cloned().unwrap_or(Value::Null));
    patch_plot(pool, actor, id, if_match, &Value::Object(body)).await
}

/// Creates a plot from a GeoJSON Feature with `park_id`, `code`, `land_use`, `status` and
/// a geometry. Returns its id, JSON and ETag.
pub async fn create_plot(pool: &PgPool, actor: &Actor, feature: &Value) -> Result<(i64, String, String), EditError> {
    let mut tx = pool.begin().await?;
    let created = insert_plot(&mut tx, actor, feature).await?;
    tx.commit().await?;
    Ok(created)
}

/// Inserts a plot inside the caller's transaction (a create, or one feature of an import),
/// with every check of a create and its audit row.
pub async fn insert_plot(tx: &mut sqlx::PgConnection, actor: &Actor, feature: &Value) -> Result<(i64, String, String), EditError> {
    let empty = Map::new();
    let (props, geometry) = parts(feature, &empty)?;
    let geometry = geometry.ok_or_else(|| EditError::Unprocessable("a new plot needs a geometry (Polygon or MultiPolygon)".into()))?;
    let park_id = match props.get("park_id") {
        Some(Value::String(p)) => p.clone(),
        _ => return Err(EditError::Unprocessable("a new plot needs park_id (text): the park it lies in".into())),
    };
    for required in ["code", "land_use", "status"] {
        if props.get(required).is_none_or(Value::is_null) {
            return Err(EditError::Unprocessable(format!("a new plot needs {required}")));
        }
    }
    let mut rest = props.clone();
    rest.remove("park_id");
    let park_exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM parks WHERE id = $1)").bind(&park_id).fetch_one(&mut *tx).await?;
    if !park_exists {
        return Err(EditError::Unprocessable(format!("no park '{park_id}'")));
    }
    let mut columns = cells(&PLOTS, &rest, None)?;
    columns.push(("geom", Cell::Outline(check_geometry(&mut *tx, None, &park_id, geometry).await?)));
    columns.push(("park_id", Cell::Text(park_id)));
    let id = insert_row(&mut *tx, "plots", columns).await?;
    let (after, etag) = current_json(&mut *tx, id).await?;
    audit(&mut *tx, actor, "plots", id, "insert", None, Some(&after)).await?;
    Ok((id, after, etag))
}

/// Deletes a plot; its history stays.
pub async fn delete_plot(pool: &PgPool, actor: &Actor, id: i64, if_match: &str) -> Result<(), EditError> {
    let mut tx = pool.begin().await?;
    let (_, _, before) = lock_current(&mut tx, id, if_match).await?;
    sqlx::query("DELETE FROM plots WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(|e| match &e {
        sqlx::Error::Database(d) if d.code().as_deref() == Some("23503") => {
            EditError::Conflict("the plot is referenced (idle-land findings or a project): remove those first, or change its status".into())
        }
        _ => EditError::Database(e),
    })?;
    audit(&mut tx, actor, "plots", id, "delete", Some(&before), None).await?;
    tx.commit().await?;
    Ok(())
}

fn kind_words(k: Kind) -> &'static str {
    match k {
        Kind::Number => "a number",
        Kind::Date => "a date YYYY-MM-DD",
        Kind::Integer => "a whole number",
        _ => "text",
    }
}

/// A plot's new outline, checked: a polygon, valid, in lon/lat, inside its park, over no
/// other plot. Returns it as WKT.
async fn check_geometry(tx: &mut sqlx::PgConnection, id: Option<i64>, park_id: &str, g: &Value) -> Result<String, EditError> {
    let kind = g.get("type").and_then(Value::as_str).unwrap_or("");
    if kind != "Polygon" && kind != "MultiPolygon" {
        return Err(EditError::Unprocessable(format!("a plot's geometry must be a Polygon or MultiPolygon, not '{kind}'")));
    }
    let text = g.to_string();
    type Parsed = (bool, bool, String, i32, Option<f64>, Option<f64>, Option<f64>, Option<f64>, String);
    let parsed: Result<Parsed, sqlx::Error> = sqlx::query_as(
        "SELECT ST_IsEmpty(g), ST_IsValid(g), ST_IsValidReason(g), ST_NPoints(g), ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g), ST_AsText(g)
         FROM (SELECT ST_GeomFromGeoJSON($1) AS g) x",
    )
    .bind(&text)
    .fetch_one(&mut *tx)
    .await;
    let (empty, valid, reason, points, x0, y0, x1, y1, wkt) = parsed.map_err(|e| match e {
        sqlx::Error::Database(d) => EditError::Unprocessable(format!("the geometry cannot be read: {}", d.message())),
        other => EditError::Database(other),
    })?;
    let (Some(x0), Some(y0), Some(x1), Some(y1)) = (x0, y0, x1, y1) else {
        return Err(EditError::Unprocessable("the outline is empty".into()));
    };
    if empty {
        return Err(EditError::Unprocessable("the outline is empty".into()));
    }
    if points > MAX_VERTICES {
        return Err(EditError::Unprocessable(format!("the outline has {points} vertices; at most {MAX_VERTICES}")));
    }
    if (100.0..=120.0).contains(&y0) && (15.0..=30.0).contains(&x0) {
        return Err(EditError::Unprocessable(format!(
            "the outline is at {x0:.4}, {y0:.4}: longitude and latitude swapped? GeoJSON gives longitude first"
        )));
    }
    if !(-180.0..=180.0).contains(&x0) || !(-180.0..=180.0).contains(&x1) || !(-90.0..=90.0).contains(&y0) || !(-90.0..=90.0).contains(&y1) {
        return Err(EditError::Unprocessable("coordinates must be longitude, latitude in degrees (WGS 84 / CGCS2000)".into()));
    }
    if !(100.0..=120.0).contains(&x0) || !(15.0..=30.0).contains(&y0) {
        return Err(EditError::Unprocessable(format!("the outline is at {x0:.4}, {y0:.4}, far outside Guangdong")));
    }
    if !valid {
        return Err(EditError::Unprocessable(format!("the outline is not a valid polygon: {reason}")));
    }
    let outside: f64 = sqlx::query_scalar(
        "SELECT ST_Area(ST_Difference(ST_GeomFromText($1, 4326), k.boundary)::geography) FROM parks k WHERE k.id = $2",
    )
    .bind(&wkt)
    .bind(park_id)
    .fetch_one(&mut *tx)
    .await?;
    if outside > 1.0 {
        return Err(EditError::Unprocessable(format!("{outside:.1} m² of the outline lie outside park {park_id}")));
    }
    let overlap: Option<(String, f64)> = sqlx::query_as(
        "SELECT p.code, ST_Area(ST_Intersection(p.geom, g)::geography) AS a
         FROM plots p, (SELECT ST_GeomFromText($1, 4326) AS g) x
         WHERE p.id IS DISTINCT FROM $2 AND p.geom && g AND ST_Intersects(p.geom, g)
         ORDER BY a DESC LIMIT 1",
    )
    .bind(&wkt)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((code, area)) = overlap.filter(|o| o.1 > 1.0) {
        return Err(EditError::Conflict(format!("the outline overlaps plot {code} by {area:.1} m²")));
    }
    Ok(wkt)
}

/// A rule the database refused, in words the editor can act on.
fn database_rule(e: sqlx::Error) -> EditError {
    let sqlx::Error::Database(d) = &e else { return EditError::Database(e) };
    let constraint = d.constraint().unwrap_or("");
    let words = match constraint {
        "plot_supplied_has_user" => "land that is supplied, built or in use needs land_user and supplied_on; land that is not has no land_user",
        "plot_code_unique_in_park" => "another plot of this park has that code",
        "plot_far_range" => "far_min must not exceed far_max",
        "plot_stalled_after_start" => "stalled_since needs actual_start, and must not be before it",
        "plots_land_use_fkey" => "unknown land_use code (see the land-use classification)",
        "plots_status_fkey" => "unknown status code",
        "idle_records_plot_id_fkey" => "no plot has that plot_id",
        "idle_since_before_found" => "idle_since must not be after found_on",
        "idle_records_kind_check" => "kind must be idle, inefficient or approved_unsupplied",
        "idle_records_cause_check" => "cause must be user, government, funding, market, planning_change, land_not_ready or other",
        "idle_records_measure_status_check" => "measure_status must be pending, in_progress or done",
        "idle_records_measure_check" => "unknown measure (see DOMAIN: idle_fee, take_back_uncompensated, extend_start, … re_tender, conversion, supply)",
        _ => "",
    };
    match d.code().as_deref() {
        Some("23505") => EditError::Conflict(if words.is_empty() { format!("duplicate: {}", d.message()) } else { words.into() }),
        Some("23514") | Some("23503") | Some("23502") => {
            EditError::Unprocessable(if words.is_empty() { format!("refused by the rule {constraint}: {}", d.message()) } else { words.into() })
        }
        Some(c) if c.starts_with("22") => EditError::BadRequest(format!("a value is out of range or malformed: {}", d.message())),
        _ => EditError::Database(e),
    }
}

/// The plot's history, newest first: who changed it, when, and the feature before and after.
pub async fn plot_history(pool: &PgPool, id: i64) -> Result<Option<Value>, sqlx::Error> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM plots WHERE id = $1)").bind(id).fetch_one(pool).await?;
    let changes: Value = sqlx::query_scalar(
        "SELECT coalesce(jsonb_agg(jsonb_build_object('at', at, 'actor', actor, 'action', action, 'before', before, 'after', after)
                                   ORDER BY at DESC, id DESC), '[]')
         FROM audit_log WHERE table_name = 'plots' AND row_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(pool)
    .await?;
    if !exists && changes.as_array().is_none_or(|a| a.is_empty()) {
        return Ok(None);
    }
    Ok(Some(serde_json::json!({ "plot_id": id, "changes": changes })))
}
