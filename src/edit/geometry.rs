//! The checks a written geometry passes before it is stored: the ones every shape shares
//! (readable, of the collection's type, not empty, in lon/lat and in Guangdong, valid, not
//! too many vertices), then the land ledger's own: a plot lies inside its park and over no
//! other plot; a park's new boundary still holds its plots.

use super::{EditError, GeometryJson};
use crate::crs::Crs;

/// Most vertices a written geometry may have.
pub const MAX_VERTICES: i32 = 10_000;

/// Longitudes and latitudes a written geometry must keep within: Guangdong (about
/// 109.6–117.3 °E, 20.2–25.5 °N) with a wide margin, so a slip of a digit or a CRS's
/// metres given as degrees is caught, while a road to a neighbouring province's port is not.
pub const GUANGDONG_AND_AROUND: (std::ops::RangeInclusive<f64>, std::ops::RangeInclusive<f64>) = (100.0..=120.0, 15.0..=30.0);

/// The geometry a collection's features have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Drawn from other rows (a finding from its plot, a project from its plots).
    Derived,
    Point,
    Line,
    /// Polygon or MultiPolygon, stored as MultiPolygon.
    Area,
}

impl Shape {
    fn types(self) -> &'static [&'static str] {
        match self {
            Shape::Derived => &[],
            Shape::Point => &["Point"],
            Shape::Line => &["LineString"],
            Shape::Area => &["Polygon", "MultiPolygon"],
        }
    }
}

/// A checked geometry, as WKT in lon/lat.
pub struct Checked {
    pub wkt: String,
    pub shape: Shape,
}

/// Reads a GeoJSON geometry as `shape` and runs the checks every shape shares; `noun` names
/// the feature in the messages ("the outline", "the road").
pub async fn read(tx: &mut sqlx::PgConnection, g: &GeometryJson, shape: Shape, noun: &str) -> Result<Checked, EditError> {
    let kind = g.kind();
    if !shape.types().contains(&kind) {
        return Err(EditError::Refused(format!("{noun} must be a {}, not '{kind}'", shape.types().join(" or "))));
    }
    type Parsed = (bool, bool, String, i32, Option<f64>, Option<f64>, Option<f64>, Option<f64>, String);
    let sql = format!(
        "SELECT ST_IsEmpty(g), ST_IsValid(g), ST_IsValidReason(g), ST_NPoints(g), ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g), ST_AsText(g)
         FROM (SELECT {} AS g) x",
        // Heights and measures have no place in the records: dropped, not refused.
        in_storage_crs("ST_Force2D(ST_GeomFromGeoJSON($1))", g.crs())
    );
    let parsed: Result<Parsed, sqlx::Error> = sqlx::query_as(&sql).bind(g.text()).fetch_one(&mut *tx).await;
    let (empty, valid, reason, points, x0, y0, x1, y1, wkt) = parsed.map_err(|e| match e {
        sqlx::Error::Database(d) => EditError::Refused(format!("the geometry cannot be read: {}", d.message())),
        other => EditError::Database(other),
    })?;
    let (Some(x0), Some(y0), Some(x1), Some(y1)) = (x0, y0, x1, y1) else {
        return Err(EditError::Refused(format!("{noun} is empty")));
    };
    if empty {
        return Err(EditError::Refused(format!("{noun} is empty")));
    }
    if points > MAX_VERTICES {
        return Err(EditError::Refused(format!("{noun} has {points} vertices; at most {MAX_VERTICES}")));
    }
    if (100.0..=120.0).contains(&y0) && (15.0..=30.0).contains(&x0) {
        let order = if g.crs().north_first { format!("{} gives latitude (northing) first", g.crs().uri()) } else { "GeoJSON gives longitude first".into() };
        return Err(EditError::Refused(format!("{noun} is at {x0:.4}, {y0:.4}: longitude and latitude swapped? {order}")));
    }
    if !(-180.0..=180.0).contains(&x0) || !(-180.0..=180.0).contains(&x1) || !(-90.0..=90.0).contains(&y0) || !(-90.0..=90.0).contains(&y1) {
        let how = if g.crs().is_storage_order() {
            "coordinates must be longitude, latitude in degrees (CRS84); for another CRS of the collection send its URI in Content-Crs".to_string()
        } else {
            let first = if g.crs().north_first { "northing or latitude" } else { "easting or longitude" };
            format!("the coordinates are not where {} places anything on Earth: give them in its units, {first} first", g.crs().uri())
        };
        return Err(EditError::Refused(how));
    }
    // Both corners: a road from a park in Guangdong to (179.9, 89.9) starts in the
    // province but does not lie in it.
    for (x, y) in [(x0, y0), (x1, y1)] {
        if !GUANGDONG_AND_AROUND.0.contains(&x) || !GUANGDONG_AND_AROUND.1.contains(&y) {
            return Err(EditError::Refused(format!("{noun} reaches {x:.4}, {y:.4}, far outside Guangdong")));
        }
    }
    if shape == Shape::Line && points < 2 {
        return Err(EditError::Refused(format!("{noun} needs at least two points")));
    }
    if !valid {
        let what = if shape == Shape::Area { "a valid polygon" } else { "valid" };
        return Err(EditError::Refused(format!("{noun} is not {what}: {reason}")));
    }
    Ok(Checked { wkt, shape })
}

/// SQL for `geometry` (a geometry whose coordinates are in `crs`, in its axis order) in
/// storage's lon/lat EPSG:4326, transformed by PostGIS as reads are (`store::features`).
fn in_storage_crs(geometry: &str, crs: Crs) -> String {
    if crs.is_storage_order() {
        return geometry.to_string();
    }
    let east_first = if crs.north_first { format!("ST_FlipCoordinates({geometry})") } else { geometry.to_string() };
    format!("ST_Transform(ST_SetSRID({east_first}, {}), 4326)", crs.srid)
}

/// Takes park `park_id`'s land lock until the transaction ends: the lock every writer of
/// the park's plots or boundary holds *before* checking the land rules, so the checks see
/// every write committed before them (under READ COMMITTED each statement after the wait
/// reads anew). It is the key `link_plots` (migrations/0009) takes, so a writer's own
/// trigger finds it already held. Without it ten concurrent creates of one outline all
/// passed the overlap check and stacked eight plots; PostGIS has no exclusion constraint
/// for "overlaps by more than 1 m²" (`&&` compares boxes and would refuse neighbours).
pub async fn lock_park_land(tx: &mut sqlx::PgConnection, park_id: &str) -> Result<(), EditError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('plot_links ' || $1, 0))").bind(park_id).execute(&mut *tx).await?;
    Ok(())
}

/// Square metres a plot's outline may lie outside its park or over another plot: slack
/// for drawing, the same for every check of the land rules.
pub const SLACK_M2: f64 = 1.0;

/// A plot's outline lies in its park and over no other plot (`SLACK_M2` of slack; the
/// rules themselves are SQL functions, migrations/0016, shared with an import's check of
/// a whole file). The caller holds the park's land lock (`lock_park_land`), or checks
/// again under it before it writes.
pub async fn plot_fits(tx: &mut sqlx::PgConnection, id: Option<i64>, park_id: &str, wkt: &str) -> Result<(), EditError> {
    let outside: f64 =
        sqlx::query_scalar("SELECT coalesce(plot_outside_park_m2(ST_GeomFromText($1, 4326), $2), 0)").bind(wkt).bind(park_id).fetch_one(&mut *tx).await?;
    if outside > SLACK_M2 {
        return Err(outside_park(outside, park_id));
    }
    let overlap: Option<(String, f64)> =
        sqlx::query_as("SELECT code, shared_m2 FROM plot_most_overlapped(ST_GeomFromText($1, 4326), $2)").bind(wkt).bind(id).fetch_optional(&mut *tx).await?;
    if let Some((code, area)) = overlap.filter(|o| o.1 > SLACK_M2) {
        return Err(over_plot(&code, area));
    }
    Ok(())
}

/// The refusal of an outline `m2` of which lie outside `park_id`.
pub fn outside_park(m2: f64, park_id: &str) -> EditError {
    EditError::Refused(format!("{m2:.1} m² of the outline lie outside park {park_id}"))
}

/// The refusal of an outline over plot `code` by `m2`.
pub fn over_plot(code: &str, m2: f64) -> EditError {
    EditError::Clash(format!("the outline overlaps plot {code} by {m2:.1} m²"))
}

/// A park's new boundary leaves none of its plots outside (the same 1 m² of slack as a
/// plot's own check), so redrawing a park cannot orphan land. The caller holds the park's
/// land lock, taken before the park's row (a plot's insert waits on that row's key).
pub async fn park_holds_its_plots(tx: &mut sqlx::PgConnection, park_id: &str, wkt: &str) -> Result<(), EditError> {
    let outside: Vec<String> = sqlx::query_scalar(
        "SELECT p.code FROM plots p, (SELECT ST_Multi(ST_GeomFromText($1, 4326)) AS b) x
         WHERE p.park_id = $2 AND NOT ST_CoveredBy(p.geom, b)
           AND ST_Area(ST_Difference(p.geom, b)::geography) > 1.0
         ORDER BY p.code LIMIT 11",
    )
    .bind(wkt)
    .bind(park_id)
    .fetch_all(&mut *tx)
    .await?;
    if outside.is_empty() {
        return Ok(());
    }
    let more = if outside.len() > 10 { ", …" } else { "" };
    Err(EditError::Clash(format!(
        "the new boundary leaves plots of park {park_id} outside: {}{more}; move or delete them first",
        outside.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
    )))
}
