//! Plots divided (分割) and joined (合并), by DOMAIN.md's rules, each one transaction:
//! the parents retired (their versions stay readable), the children written with every
//! check of a create, and `plot_lineage` linking them both ways.
//!
//! - A split cuts a plot by a line, or takes child outlines that tile it (gaps, overlaps
//!   or overhangs over `SLACK_M2` refused with their size). Each child copies the parent's
//!   park, land use, planning conditions, status, land user and dates, gets the parent's
//!   code with `-1`, `-2`, … unless named, and its share of the money figures by area. A
//!   part takes nothing but its code: the land user of supplied land stays on every part
//!   (transferring part of it is a separate, approved act).
//! - A merge joins plots of one park that share boundaries of at least
//!   `contiguity::MIN_SHARED_M` (touching, as `plot_links` measures them), with the same
//!   status, land user and land use; the money figures are summed, the planning conditions
//!   must agree or be given, the dates are the earliest.

use super::geometry::{self, Shape, SLACK_M2};
use super::plots::lock_land_of;
use super::{audit, current, lock, remove_row, Action, EditError, Entry, GeometryJson, Precondition, Props, Writable};
use crate::auth::Actor;
use crate::store::features::Item;

/// The money figures a split shares out by area and a merge sums.
const MONEY: &[&str] = &["land_price_wan", "invested_wan", "planned_investment_wan", "output_wan", "tax_wan"];
/// The planning conditions a merge needs to agree or be given.
const CONDITIONS: &[&str] = &["far_min", "far_max", "coverage_min", "green_max"];
/// Dates a merge takes the earliest of.
const DATES: &[&str] = &["supplied_on", "agreed_start", "actual_start", "stalled_since"];
/// Plots closer than this touch: a merge closes such seams (demo and surveyed outlines
/// leave centimetres between neighbours).
const TOUCHING_GAP_M: f64 = 0.1;

/// How a plot is cut.
pub enum Cut {
    /// A LineString across it.
    Line(GeometryJson),
    /// Child outlines that tile it, each with its code if named.
    Parts(Vec<(GeometryJson, Option<String>)>),
}

fn plots() -> &'static Writable {
    super::writable("plots").expect("plots are editable")
}

/// Splits plot `id` (read with `precondition`); returns the children as written.
pub async fn split(pool: &sqlx::PgPool, actor: &Actor, id: i64, precondition: &Precondition, cut: &Cut) -> Result<Vec<Item>, EditError> {
    let w = plots();
    let mut tx = pool.begin().await?;
    lock_land_of(&mut tx, id).await?;
    let before = lock(&mut tx, w, &id.to_string(), precondition).await?;
    let (code, park): (String, String) = sqlx::query_as("SELECT code, park_id FROM plots WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    let parts: Vec<(String, Option<String>)> = match cut {
        Cut::Line(line) => {
            let line = geometry::read(&mut tx, line, Shape::Line, "the cutting line").await?;
            let pieces: Vec<String> = sqlx::query_scalar(
                "SELECT ST_AsText(d.geom) FROM plots p, ST_Dump(ST_CollectionExtract(ST_Split(p.geom, ST_GeomFromText($2, 4326)), 3)) d
                 WHERE p.id = $1 ORDER BY ST_Y(ST_PointOnSurface(d.geom)) DESC, ST_X(ST_PointOnSurface(d.geom))",
            )
            .bind(id)
            .bind(&line.wkt)
            .fetch_all(&mut *tx)
            .await?;
            pieces.into_iter().map(|p| (p, None)).collect()
        }
        Cut::Parts(given) => {
            let mut parts = Vec::new();
            for (i, (g, name)) in given.iter().enumerate() {
                parts.push((geometry::read(&mut tx, g, Shape::Area, &format!("part {}", i + 1)).await?.wkt, name.clone()));
            }
            tiles(&mut tx, id, &code, &parts.iter().map(|p| p.0.clone()).collect::<Vec<_>>()).await?;
            parts
        }
    };
    if parts.len() < 2 {
        return Err(EditError::Refused(format!("the cut leaves plot {code} whole: a line must cross it from edge to edge, and parts must be two or more")));
    }
    let small: Vec<f64> = sqlx::query_scalar("SELECT ST_Area(ST_GeomFromText(t, 4326)::geography) FROM unnest($1::text[]) t")
        .bind(parts.iter().map(|p| p.0.clone()).collect::<Vec<_>>())
        .fetch_all(&mut *tx)
        .await?;
    if let Some(m2) = small.iter().find(|a| **a <= SLACK_M2) {
        return Err(EditError::Refused(format!("a part of plot {code} would have {m2:.2} m²: cut where the parts are plots")));
    }
    // The parent first: its code and outline are then free for its children.
    remove_row(&mut tx, w, &id.to_string()).await?;
    audit(
        &mut tx,
        actor,
        &Entry { table: w.table, id: &id.to_string(), action: Action::Delete, before: Some(&before.json), after: None, blind: precondition.is_blind() },
    )
    .await?;
    let mut children = Vec::new();
    for (k, (wkt, name)) in parts.iter().enumerate() {
        let child_code = name.clone().unwrap_or_else(|| format!("{code}-{}", k + 1));
        geometry::plot_fits(&mut tx, None, &park, wkt).await?;
        let child = insert_child(&mut tx, id, &child_code, wkt).await?;
        link(&mut tx, id, child, "split").await?;
        children.push(written(&mut tx, actor, child).await?);
    }
    tx.commit().await?;
    Ok(children)
}

/// Slivers thinner than this along an edge are drawing's noise, not a gap or an overhang:
/// a cut point rounded by a client lies millimetres off a 500 m edge, a square metre over
/// its length.
const SEAM_M: f64 = 0.05;

/// Whether child outlines tile plot `id`: the plot less their union, their union less the
/// plot (each beyond `SEAM_M` of the other's edge), and the area they share, each within
/// `SLACK_M2`.
async fn tiles(tx: &mut sqlx::PgConnection, id: i64, code: &str, parts: &[String]) -> Result<(), EditError> {
    let (gap, outside, overlap): (f64, f64, f64) = sqlx::query_as(
        "WITH g AS (SELECT ST_GeomFromText(t, 4326) AS g FROM unnest($2::text[]) t),
              u AS (SELECT ST_Union(g) AS u, sum(ST_Area(g::geography)) AS s FROM g)
         SELECT coalesce(ST_Area(ST_Difference(p.geom, ST_Buffer(u.u::geography, $3)::geometry)::geography), 0),
                coalesce(ST_Area(ST_Difference(u.u, ST_Buffer(p.geom::geography, $3)::geometry)::geography), 0),
                greatest(u.s - ST_Area(u.u::geography), 0)
         FROM plots p, u WHERE p.id = $1",
    )
    .bind(id)
    .bind(parts)
    .bind(SEAM_M)
    .fetch_one(&mut *tx)
    .await?;
    if gap > SLACK_M2 {
        return Err(EditError::Refused(format!("the parts leave {gap:.1} m² of plot {code} uncovered: they must tile it")));
    }
    if outside > SLACK_M2 {
        return Err(EditError::Refused(format!("the parts reach {outside:.1} m² outside plot {code}: they must tile it")));
    }
    if overlap > SLACK_M2 {
        return Err(EditError::Refused(format!("the parts overlap each other by {overlap:.1} m²: they must tile plot {code}")));
    }
    Ok(())
}

/// A child of retired plot `parent` (read from its last version), with outline `wkt`:
/// everything copied, the money shared out by area.
async fn insert_child(tx: &mut sqlx::PgConnection, parent: i64, code: &str, wkt: &str) -> Result<i64, EditError> {
    let copied: Vec<&str> = super::written_columns().into_iter().filter(|c| !MONEY.contains(c) && *c != "geom" && *c != "code").collect();
    let shared: Vec<String> = MONEY.iter().map(|m| format!("round((p.{m} * ST_Area(g.g::geography) / p.area_m2)::numeric, 2)::float8")).collect();
    let sql = format!(
        "INSERT INTO plots ({copied}, {money}, code, geom)
         SELECT {from_parent}, {shared}, $2, ST_Multi(g.g)
         FROM history.plots p, (SELECT ST_GeomFromText($3, 4326) AS g) g
         WHERE p.id = $1 AND p.valid_to = version_stamp()
         RETURNING id",
        copied = copied.join(", "),
        money = MONEY.join(", "),
        from_parent = copied.iter().map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", "),
        shared = shared.join(", "),
    );
    sqlx::query_scalar(&sql).bind(parent).bind(code).bind(wkt).fetch_one(&mut *tx).await.map_err(super::database_rule)
}

async fn link(tx: &mut sqlx::PgConnection, parent: i64, child: i64, kind: &str) -> Result<(), EditError> {
    sqlx::query("INSERT INTO plot_lineage (parent_id, child_id, kind) VALUES ($1, $2, $3)").bind(parent).bind(child).bind(kind).execute(&mut *tx).await?;
    Ok(())
}

/// A child as written, with its audit row.
async fn written(tx: &mut sqlx::PgConnection, actor: &Actor, child: i64) -> Result<Item, EditError> {
    let w = plots();
    let item = current(&mut *tx, w, &child.to_string()).await?;
    audit(&mut *tx, actor, &Entry { table: w.table, id: &child.to_string(), action: Action::Insert, before: None, after: Some(&item.json), blind: false })
        .await?;
    Ok(item)
}

/// Joins plots `ids` (each read with `precondition`: If-Match lists one ETag a plot) into
/// one; `given`: the new plot's code and planning conditions, where given. Returns its id
/// and the plot as written.
pub async fn merge(pool: &sqlx::PgPool, actor: &Actor, ids: &[i64], precondition: &Precondition, given: &Props) -> Result<(i64, Item), EditError> {
    let w = plots();
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() < 2 {
        return Err(EditError::Malformed("a merge needs two plots or more (plots: [ids])".into()));
    }
    for name in given.names() {
        if name != "code" && !CONDITIONS.contains(&name.as_str()) {
            return Err(EditError::Malformed(format!(
                "a merge takes the new plot's code and planning conditions ({}); '{name}' is changed after it",
                CONDITIONS.join(", ")
            )));
        }
    }
    let mut tx = pool.begin().await?;
    let parks: Vec<String> = sqlx::query_scalar("SELECT DISTINCT park_id FROM plots WHERE id = ANY($1) ORDER BY 1").bind(&ids).fetch_all(&mut *tx).await?;
    if parks.len() > 1 {
        return Err(EditError::Refused(format!("plots of one park only: these lie in {}", parks.join(", "))));
    }
    let park = parks.first().ok_or_else(|| EditError::Missing(format!("plots {ids:?}")))?;
    geometry::lock_park_land(&mut tx, park).await?;
    let mut befores = Vec::new();
    for id in &ids {
        befores.push((id.to_string(), lock(&mut tx, w, &id.to_string(), precondition).await?));
    }
    same(&mut tx, &ids, "status").await?;
    same(&mut tx, &ids, "land_user").await?;
    same(&mut tx, &ids, "land_use").await?;
    connected(&mut tx, &ids).await?;
    let mut conditions = Vec::new();
    for c in CONDITIONS {
        let value = match given.number(c)? {
            Some(v) => Some(v),
            None => {
                let values: Vec<Option<f64>> =
                    sqlx::query_scalar(&format!("SELECT DISTINCT {c} FROM plots WHERE id = ANY($1)")).bind(&ids).fetch_all(&mut *tx).await?;
                if values.len() > 1 {
                    let shown: Vec<String> = values.iter().map(|v| v.map(|x| x.to_string()).unwrap_or_else(|| "none".into())).collect();
                    return Err(EditError::Refused(format!("the plots' {c} differ ({}): give the merged plot's", shown.join(", "))));
                }
                values.into_iter().next().flatten()
            }
        };
        conditions.push(value);
    }
    let code = match given.code("code")? {
        Some(c) => c.to_string(),
        None => sqlx::query_scalar("SELECT code FROM plots WHERE id = $1").bind(ids[0]).fetch_one(&mut *tx).await?,
    };
    let outline: String = sqlx::query_scalar(&format!(
        "SELECT ST_AsText(ST_Transform(ST_Buffer(ST_Buffer(ST_Transform(u, s), {TOUCHING_GAP_M}, 'join=mitre'), -{TOUCHING_GAP_M}, 'join=mitre'), 4326))
         FROM (SELECT ST_Union(geom) AS u, gk_zone_srid(ST_Union(geom)) AS s FROM plots WHERE id = ANY($1)) x"
    ))
    .bind(&ids)
    .fetch_one(&mut *tx)
    .await?;
    for (id, before) in &befores {
        remove_row(&mut tx, w, id).await?;
        audit(&mut tx, actor, &Entry { table: w.table, id, action: Action::Delete, before: Some(&before.json), after: None, blind: precondition.is_blind() })
            .await?;
    }
    geometry::plot_fits(&mut tx, None, park, &outline).await?;
    let sums: Vec<String> = MONEY.iter().map(|m| format!("sum({m})")).collect();
    let earliest: Vec<String> = DATES.iter().map(|d| format!("min({d})")).collect();
    let sql = format!(
        "INSERT INTO plots (park_id, land_use, status, land_user, code, geom, {conditions}, {money}, {dates}, built_ratio)
         SELECT min(park_id), min(land_use), min(status), min(land_user), $2, ST_Multi(ST_GeomFromText($3, 4326)), $4, $5, $6, $7, {sums}, {earliest},
                sum(built_ratio * area_m2) / nullif(sum(area_m2) FILTER (WHERE built_ratio IS NOT NULL), 0)
         FROM history.plots WHERE id = ANY($1) AND valid_to = version_stamp()
         RETURNING id",
        conditions = CONDITIONS.join(", "),
        money = MONEY.join(", "),
        dates = DATES.join(", "),
        sums = sums.join(", "),
        earliest = earliest.join(", "),
    );
    let mut q = sqlx::query_scalar(&sql).bind(&ids).bind(&code).bind(&outline);
    for v in &conditions {
        q = q.bind(*v);
    }
    let child: i64 = q.fetch_one(&mut *tx).await.map_err(super::database_rule)?;
    for id in &ids {
        link(&mut tx, *id, child, "merge").await?;
    }
    let item = written(&mut tx, actor, child).await?;
    tx.commit().await?;
    Ok((child, item))
}

/// Refuses a merge of plots whose `column` differs, naming the values.
async fn same(tx: &mut sqlx::PgConnection, ids: &[i64], column: &str) -> Result<(), EditError> {
    let values: Vec<Option<String>> =
        sqlx::query_scalar(&format!("SELECT DISTINCT {column} FROM plots WHERE id = ANY($1) ORDER BY 1")).bind(ids).fetch_all(&mut *tx).await?;
    if values.len() > 1 {
        let shown: Vec<String> = values.iter().map(|v| v.clone().unwrap_or_else(|| "none".into())).collect();
        return Err(EditError::Refused(format!("plots with different {column} are not merged ({}): make them agree first", shown.join(", "))));
    }
    Ok(())
}

/// Refuses a merge of plots that do not touch one another in one piece (`plot_links`:
/// facing at least `MIN_SHARED_M`, no more than `TOUCHING_GAP_M` apart).
async fn connected(tx: &mut sqlx::PgConnection, ids: &[i64]) -> Result<(), EditError> {
    let edges: Vec<(i64, i64)> = sqlx::query_as("SELECT a, b FROM plot_links WHERE a = ANY($1) AND b = ANY($1) AND facing_m >= $2 AND gap_m <= $3")
        .bind(ids)
        .bind(crate::analysis::contiguity::MIN_SHARED_M)
        .bind(TOUCHING_GAP_M)
        .fetch_all(&mut *tx)
        .await?;
    let mut reached = vec![ids[0]];
    let mut grew = true;
    while grew {
        grew = false;
        for (a, b) in &edges {
            for (x, y) in [(a, b), (b, a)] {
                if reached.contains(x) && !reached.contains(y) {
                    reached.push(*y);
                    grew = true;
                }
            }
        }
    }
    let apart: Vec<String> = ids.iter().filter(|i| !reached.contains(i)).map(i64::to_string).collect();
    if !apart.is_empty() {
        return Err(EditError::Refused(format!(
            "plots {} do not share a boundary of at least {} m with the others: only touching plots are merged",
            apart.join(", "),
            crate::analysis::contiguity::MIN_SHARED_M
        )));
    }
    Ok(())
}

/// A plot's lineage: the plots it was made of and those it became, each with the kind.
pub async fn of(pool: &sqlx::PgPool, id: i64) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>), sqlx::Error> {
    let parents = sqlx::query_as("SELECT parent_id, kind FROM plot_lineage WHERE child_id = $1 ORDER BY parent_id").bind(id).fetch_all(pool).await?;
    let children = sqlx::query_as("SELECT child_id, kind FROM plot_lineage WHERE parent_id = $1 ORDER BY child_id").bind(id).fetch_all(pool).await?;
    Ok((parents, children))
}
