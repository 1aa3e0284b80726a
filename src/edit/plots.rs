//! Plot writes: the shared ones plus the land ledger's rules, a status change that follows
//! the lifecycle, and an outline inside its park over no other plot.

use super::geometry::{self, Shape};
use super::{
    audit, current, insert_into, insert_row, lock, update_row, writable, Action, Body, Cell, Change, EditError, Entry, GeometryJson, Item, Props, Writable,
};
use crate::auth::Actor;
use crate::domain::LandStatus;

fn plots() -> &'static Writable {
    writable("plots").expect("plots are editable")
}

/// A status change `from` → `to` the lifecycle allows; `from` is None for a new plot.
fn check_status(props: &Props, from: Option<LandStatus>) -> Result<(), EditError> {
    let Some(code) = props.code("status")? else { return Ok(()) };
    let to: LandStatus = code.parse().map_err(|_| EditError::Refused(format!("unknown status '{code}'")))?;
    if let Some(now) = from.filter(|now| *now != to) {
        let allowed = super::lifecycle::allowed(now);
        if !allowed.contains(&to) {
            let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
            return Err(EditError::Clash(format!("a plot cannot go from '{now}' to '{to}'; from '{now}' it may go to: {}", names.join(", "))));
        }
    }
    Ok(())
}

/// When a check of the land rules takes the park's lock: now (a write through the API),
/// or later, when the caller checks its rows again under it before writing (an import).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Locking {
    Now,
    Later,
}

async fn outline(tx: &mut sqlx::PgConnection, id: Option<i64>, park_id: &str, g: &GeometryJson, locking: Locking) -> Result<Cell, EditError> {
    let checked = geometry::read(&mut *tx, g, Shape::Area, "the outline").await?;
    if locking == Locking::Now {
        geometry::lock_park_land(&mut *tx, park_id).await?;
    }
    geometry::plot_fits(&mut *tx, id, park_id, &checked.wkt).await?;
    Ok(Cell::Geometry(checked))
}

/// Changes a plot inside the caller's transaction: some properties and/or its outline, or
/// with `whole` all of them.
pub(super) async fn update(tx: &mut sqlx::PgConnection, actor: &Actor, change: &Change<'_>) -> Result<Item, EditError> {
    let Change { id, precondition, props, geometry, whole } = *change;
    let w = plots();
    let n: i64 = id.parse().map_err(|_| EditError::Missing(format!("plot {id}")))?;
    if geometry.is_some() {
        lock_land_of(&mut *tx, n).await?;
    }
    let before = lock(&mut *tx, w, id, precondition).await?;
    let props = &props.unchanged_fixed(w, &before.json)?;
    let (status_now, park_id): (LandStatus, String) = sqlx::query_as("SELECT status, park_id FROM plots WHERE id = $1").bind(n).fetch_one(&mut *tx).await?;
    check_status(props, Some(status_now))?;
    let mut sets = props.cells(w, whole)?;
    if let Some(g) = geometry {
        sets.push(("geom", outline(&mut *tx, Some(n), &park_id, g, Locking::Now).await?));
    }
    if sets.is_empty() {
        return Err(EditError::Malformed(super::NOTHING_TO_CHANGE.into()));
    }
    update_row(&mut *tx, w, id, sets).await?;
    let after = current(&mut *tx, w, id).await?;
    let entry = Entry { table: w.table, id, action: Action::Update, before: Some(&before.json), after: Some(&after.json), blind: precondition.is_blind() };
    audit(&mut *tx, actor, &entry).await?;
    Ok(after)
}

/// Takes the land lock of plot `n`'s park (none if there is no such plot: the row lock
/// that follows says so). Writers take it before the plot's row, always in that order.
pub(super) async fn lock_land_of(tx: &mut sqlx::PgConnection, n: i64) -> Result<(), EditError> {
    let park: Option<String> = sqlx::query_scalar("SELECT park_id FROM plots WHERE id = $1").bind(n).fetch_optional(&mut *tx).await?;
    match park {
        Some(park) => geometry::lock_park_land(&mut *tx, &park).await,
        None => Ok(()),
    }
}

/// Inserts a plot inside the caller's transaction (a create through the API), with every
/// check of a create and its audit row. Needs `park_id`, `code`, `land_use`, `status` and
/// a geometry.
/// `restored`: the id of a deleted plot brought back (`edit::bring_back`).
pub async fn insert_plot(tx: &mut sqlx::PgConnection, actor: &Actor, feature: &Body, restored: Option<i64>) -> Result<(i64, Item), EditError> {
    let w = plots();
    let mut columns = new_plot_columns(&mut *tx, feature, Locking::Now).await?;
    if let Some(n) = restored {
        columns.push(("id", Cell::Integer(n)));
    }
    let id = insert_row(&mut *tx, w, columns).await?;
    let after = current(&mut *tx, w, &id).await?;
    let entry = Entry { table: w.table, id: &id, action: Action::Insert, before: None, after: Some(&after.json), blind: false };
    audit(&mut *tx, actor, &entry).await?;
    let n = id.parse().map_err(|_| EditError::Database(sqlx::Error::Protocol(format!("a plot id that is not a number: {id}"))))?;
    Ok((n, after))
}

/// Checks a new plot as `insert_plot` does, but without the park's lock, and puts it in
/// `staged` (a table made by `import::plots` like plots, with the row's own constraints
/// and a column `import_feature`), not yet in plots: an import checks its rows' outlines
/// again under the locks, set-wise, and writes them in one statement, as the links and
/// logs kept by plots' triggers cost about 120 ms a statement, not a row.
pub async fn stage_plot(tx: &mut sqlx::PgConnection, feature: &Body, staged: &str, index: i64) -> Result<(), EditError> {
    let mut columns = new_plot_columns(&mut *tx, feature, Locking::Later).await?;
    columns.push(("import_feature", Cell::Integer(index)));
    insert_into(&mut *tx, staged, columns).await.map(drop)
}

/// The columns of a new plot once every check of a create has passed but the row's own
/// constraints (which its insert meets): the fields a plot needs, its status, its
/// properties' types, its outline in its park over no other plot (under the park's lock).
async fn new_plot_columns(tx: &mut sqlx::PgConnection, feature: &Body, locking: Locking) -> Result<Vec<(&'static str, Cell)>, EditError> {
    let w = plots();
    let props = &feature.props;
    let geometry = feature.geometry.as_ref().ok_or_else(|| EditError::Refused("a new plot needs a geometry (Polygon or MultiPolygon)".into()))?;
    let park_id = props.text("park_id").ok_or_else(|| EditError::Refused("a new plot needs park_id (text): the park it lies in".into()))?.to_string();
    for required in w.required {
        if !props.is_set(required) {
            return Err(EditError::Refused(format!("a new plot needs {required}")));
        }
    }
    let rest = props.without("park_id");
    if !crate::store::park_exists(&mut *tx, &park_id).await? {
        return Err(EditError::Refused(format!("no park '{park_id}'")));
    }
    check_status(&rest, None)?;
    let mut columns = rest.cells(w, false)?;
    columns.push(("geom", outline(&mut *tx, None, &park_id, geometry, locking).await?));
    columns.push(("park_id", Cell::Text(park_id)));
    Ok(columns)
}

/// The columns a plot's writer sets: its writable properties', its park and its outline.
pub fn written_columns() -> Vec<&'static str> {
    let w = plots();
    let c = w.catalog();
    let mut out: Vec<&'static str> = w.properties.iter().filter_map(|name| c.column_of(c.property(name)?)).collect();
    out.extend(["park_id", "geom"]);
    out
}
