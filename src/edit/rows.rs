//! Writes to the collections whose rows stand alone: idle-land findings, projects, roads,
//! transport nodes, parks and constraint areas. Each is the collection's `Writable` plus,
//! where it has one, its own rule: a park's boundary keeps its plots, a project's plots.

use super::geometry::{self, Shape};
use super::{
    audit, current, insert_row, lock, projects, update_row, Action, Body, Cell, Change, EditError, Entry, GeometryJson, GivenId, Item, Props, Writable,
};
use crate::auth::Actor;

/// The geometry cell of a write, checked for the collection's shape and rules; None when
/// the write gives no geometry.
async fn geometry_cell(tx: &mut sqlx::PgConnection, w: &Writable, id: Option<&str>, g: Option<&GeometryJson>) -> Result<Option<Cell>, EditError> {
    let Some(g) = g else { return Ok(None) };
    if w.shape == Shape::Derived {
        let from = match w.collection {
            "projects" => "the plots it got (plot_ids)",
            "targets" => "its park's boundary",
            "zones" => "its parks' boundaries",
            _ => "its plot's outline",
        };
        return Err(EditError::Malformed(format!("{} is drawn from {from} and takes no geometry of its own", w.a_noun())));
    }
    let noun = format!("the {}'s geometry", w.noun);
    let checked = geometry::read(&mut *tx, g, w.shape, &noun).await?;
    if let (Some(id), "parks") = (id, w.collection) {
        geometry::park_holds_its_plots(&mut *tx, id, &checked.wkt).await?;
    }
    Ok(Some(Cell::Geometry(checked)))
}

/// A project's `plot_ids` are rows of `project_plots`, not a column: taken out of the
/// properties before they become cells.
fn split_plot_ids(w: &Writable, props: &Props) -> Result<(Props, Option<Vec<i64>>), EditError> {
    let mut rest = props.clone();
    let plot_ids = if w.collection == "projects" { rest.take_plot_ids()? } else { None };
    Ok((rest, plot_ids))
}

/// Inserts a feature inside the caller's transaction, with its audit row.
/// `restored`: the id of a deleted feature brought back (`edit::bring_back`).
pub(super) async fn insert(
    tx: &mut sqlx::PgConnection,
    actor: &Actor,
    w: &'static Writable,
    feature: &Body,
    restored: Option<&str>,
) -> Result<(String, Item), EditError> {
    let (props, geometry) = (&feature.props, feature.geometry.as_ref());
    if w.shape != Shape::Derived && geometry.is_none() {
        return Err(EditError::Refused(format!("a new {} needs a geometry ({})", w.noun, shape_words(w.shape))));
    }
    for required in w.required {
        if !props.is_set(required) {
            return Err(EditError::Refused(format!("a new {} needs {required}", w.noun)));
        }
    }
    let (rest, plot_ids) = split_plot_ids(w, props)?;
    let mut columns = rest.cells(w, false)?;
    let given_id = match (w.named, feature.id()) {
        _ if restored.is_some() => restored.map(str::to_string),
        (true, GivenId::Text(id)) => Some(id.clone()),
        (true, _) => return Err(EditError::Refused(format!("a new {} needs its id (text, e.g. \"SZ-HY\") in the feature's id", w.noun))),
        (false, GivenId::None) => None,
        (false, _) => return Err(EditError::Malformed(format!("a new {}'s id is given by parkland; leave id out", w.noun))),
    };
    if let Some(id) = &given_id {
        columns.push(("id", Cell::Text(id.clone())));
    }
    if let Some(cell) = geometry_cell(&mut *tx, w, None, geometry).await? {
        columns.push((w.geom_column, cell));
    }
    let id = insert_row(&mut *tx, w, columns).await?;
    if w.collection == "projects" {
        projects::set_plots(&mut *tx, &id, plot_ids.as_deref()).await?;
    }
    let after = current(&mut *tx, w, &id).await?;
    let entry = Entry { table: w.table, id: &id, action: Action::Insert, before: None, after: Some(&after.json), blind: false };
    audit(&mut *tx, actor, &entry).await?;
    Ok((id, after))
}

/// Changes a feature inside the caller's transaction: some properties and/or its geometry,
/// or with `whole` all of them.
pub(super) async fn update(tx: &mut sqlx::PgConnection, actor: &Actor, w: &'static Writable, change: &Change<'_>) -> Result<Item, EditError> {
    let Change { id, precondition, props, geometry, whole } = *change;
    let (rest, mut plot_ids) = split_plot_ids(w, props)?;
    if whole && w.collection == "projects" && plot_ids.is_none() {
        plot_ids = Some(vec![]);
    }
    if w.collection == "parks" && geometry.is_some() {
        // Before the park's row: a plot being created holds this lock and waits on the row.
        geometry::lock_park_land(&mut *tx, id).await?;
    }
    let before = lock(&mut *tx, w, id, precondition).await?;
    let mut sets = rest.unchanged_fixed(w, &before.json)?.cells(w, whole)?;
    if let Some(cell) = geometry_cell(&mut *tx, w, Some(id), geometry).await? {
        sets.push((w.geom_column, cell));
    }
    if sets.is_empty() && plot_ids.is_none() {
        return Err(EditError::Malformed(super::NOTHING_TO_CHANGE.into()));
    }
    if sets.is_empty() {
        // Only the project's plots change: the row is touched all the same, so its version
        // (the ETag) moves with what the feature shows.
        sets.push(("updated_at", Cell::Default));
    }
    update_row(&mut *tx, w, id, sets).await?;
    if w.collection == "projects" {
        projects::set_plots(&mut *tx, id, plot_ids.as_deref()).await?;
    }
    let after = current(&mut *tx, w, id).await?;
    let entry = Entry { table: w.table, id, action: Action::Update, before: Some(&before.json), after: Some(&after.json), blind: precondition.is_blind() };
    audit(&mut *tx, actor, &entry).await?;
    Ok(after)
}

fn shape_words(s: Shape) -> &'static str {
    match s {
        Shape::Point => "a Point",
        Shape::Line => "a LineString",
        _ => "a Polygon or MultiPolygon",
    }
}
