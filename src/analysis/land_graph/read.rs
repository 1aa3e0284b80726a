//! Reading the land graph: whole, or only the plots written since the graph before, in
//! one repeatable-read transaction with the change counters it was read at.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use futures_util::TryStreamExt;
use sqlx::{PgPool, Postgres, Transaction};

use super::network::Network;
use super::positions::Positions;
use super::{GraphRead, LandGraph, Link, Park, Plot, SOURCES};
use crate::domain::{ConstraintKind, LandStatus, Utility};

impl LandGraph {
    /// Reads the graph as the database stands now. With the graph read before, only the
    /// plots written since are read again, when nothing but plots changed and the plot
    /// change log (migration 0010) still holds every write that graph did not see;
    /// otherwise everything.
    pub(super) async fn read(pool: &PgPool, before: Option<&LandGraph>) -> Result<LandGraph, sqlx::Error> {
        let started = std::time::Instant::now();
        let mut tx = crate::store::consistent_read(pool).await?;
        let version = read_version(&mut tx).await?;
        let snapshot: String = sqlx::query_scalar("SELECT pg_current_snapshot()::text").fetch_one(&mut *tx).await?;
        let mut graph = None;
        if let Some(before) = before.filter(|b| only_plots_moved(&b.version, &version)) {
            if let Some(changed) = plots_changed_since(&mut tx, &before.snapshot).await? {
                graph = LandGraph::with_changes(&mut tx, before, &changed).await?;
            }
        }
        let graph = match graph {
            Some(g) => g,
            None => LandGraph::whole(&mut tx).await?,
        };
        tx.commit().await?;
        let graph = LandGraph { version, snapshot, ..graph };
        tracing::info!(
            target: "parkland::analysis",
            plots = graph.plots.len(),
            links = graph.links.len() / 2,
            vertices = graph.network.vertices.size(),
            read = ?graph.read,
            ms = started.elapsed().as_millis() as u64,
            "land graph read"
        );
        Ok(graph)
    }

    /// Everything, in the transaction's snapshot (version and snapshot left empty).
    async fn whole(tx: &mut Transaction<'static, Postgres>) -> Result<LandGraph, sqlx::Error> {
        let parks: Vec<Park> =
            sqlx::query_as::<_, (String, String, Vec<Utility>, Vec<String>)>("SELECT id, name_zh, infrastructure, leading_industries FROM parks ORDER BY id")
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|(id, name_zh, infrastructure, leading)| Park { id, name_zh, infrastructure, leading })
                .collect();
        let land_uses: Vec<String> = sqlx::query_scalar("SELECT code FROM land_use_codes ORDER BY code").fetch_all(&mut **tx).await?;
        let codes = Codes::of(&parks, &land_uses);
        let plots = read_plots(tx, &codes, None).await?.expect("the foreign keys make every code known");
        let positions = crate::analysis::off_the_workers(|| Positions::of(&plots));
        let pairs = read_links(tx, &positions, None).await?;
        let (link_start, links) = crate::analysis::off_the_workers(|| laid_out(plots.len(), pairs));
        let network = Arc::new(Network::load(tx).await?);
        Ok(LandGraph { version: vec![], snapshot: String::new(), parks, land_uses, plots, link_start, links, network, read: GraphRead::Whole })
    }

    /// `before` with the plots `changed` (ids, ascending) read again, with their links;
    /// None when a plot has a code `before` does not know.
    async fn with_changes(tx: &mut Transaction<'static, Postgres>, before: &LandGraph, changed: &[i64]) -> Result<Option<LandGraph>, sqlx::Error> {
        let codes = Codes::of(&before.parks, &before.land_uses);
        let Some(fresh) = read_plots(tx, &codes, Some(changed)).await? else { return Ok(None) };
        let is_changed = |id: i64| changed.binary_search(&id).is_ok();
        // Both ascending by id: merged, the written plots in place of what they were.
        let (plots, positions) = crate::analysis::off_the_workers(|| {
            let mut plots = Vec::with_capacity(before.plots.len() + fresh.len());
            let mut fresh = fresh.into_iter().peekable();
            for p in before.plots.iter().filter(|p| !is_changed(p.id)) {
                while let Some(f) = fresh.next_if(|f| f.id < p.id) {
                    plots.push(f);
                }
                plots.push(p.clone());
            }
            plots.extend(fresh);
            let positions = Positions::of(&plots);
            (plots, positions)
        });
        // The links between unwritten plots stand; those of a written plot are read again.
        let mut pairs = read_links(tx, &positions, Some(changed)).await?;
        let (link_start, links) = crate::analysis::off_the_workers(|| {
            for (i, p) in before.plots.iter().enumerate() {
                if is_changed(p.id) {
                    continue;
                }
                for l in before.links(i) {
                    let other = before.plots[l.to as usize].id;
                    if other > p.id && !is_changed(other) {
                        let (a, b) = (positions.get(p.id).expect("kept"), positions.get(other).expect("kept"));
                        pairs.push((a as u32, Link { to: b as u32, ..*l }));
                    }
                }
            }
            laid_out(plots.len(), pairs)
        });
        Ok(Some(LandGraph {
            version: vec![],
            snapshot: String::new(),
            parks: before.parks.clone(),
            land_uses: before.land_uses.clone(),
            plots,
            link_start,
            links,
            network: before.network.clone(),
            read: GraphRead::Plots(changed.len()),
        }))
    }
}

/// Whether, of the graph's sources, only the plots changed between these versions.
fn only_plots_moved(before: &[i64], now: &[i64]) -> bool {
    before.len() == now.len() && SOURCES.iter().zip(before.iter().zip(now)).all(|(t, (b, n))| *t == "plots" || b == n)
}

/// The plots written by the transactions that `snapshot` did not see, ascending; None
/// when the log cannot tell (pruned past the snapshot, or a write of any plot).
async fn plots_changed_since(tx: &mut Transaction<'static, Postgres>, snapshot: &str) -> Result<Option<Vec<i64>>, sqlx::Error> {
    let (complete, ids): (bool, Vec<Option<i64>>) = sqlx::query_as(
        "SELECT (SELECT below FROM plot_changes_pruned) <= pg_snapshot_xmin($1::pg_snapshot),
                array(SELECT DISTINCT plot_id FROM plot_changes
                      WHERE xid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, $1::pg_snapshot)
                      ORDER BY plot_id)",
    )
    .bind(snapshot)
    .fetch_one(&mut **tx)
    .await?;
    Ok(if complete { ids.into_iter().collect() } else { None })
}

/// The indexes of parks and land uses by their codes.
struct Codes<'a> {
    park: HashMap<&'a str, u32>,
    land_use: HashMap<&'a str, u16>,
}

impl<'a> Codes<'a> {
    fn of(parks: &'a [Park], land_uses: &'a [String]) -> Codes<'a> {
        Codes {
            park: parks.iter().enumerate().map(|(i, p)| (p.id.as_str(), i as u32)).collect(),
            land_use: land_uses.iter().enumerate().map(|(i, s)| (s.as_str(), i as u16)).collect(),
        }
    }
}

/// The plots, all or those of `ids`, ascending by id, with the constraint kinds they
/// touch; None when one has a code not in `codes`.
async fn read_plots(tx: &mut Transaction<'static, Postgres>, codes: &Codes<'_>, ids: Option<&[i64]>) -> Result<Option<Vec<Plot>>, sqlx::Error> {
    let only = if ids.is_some() { " WHERE p.id = ANY($1)" } else { "" };
    let mut plots = Vec::new();
    {
        let sql = format!("SELECT p.id, p.park_id, p.status, p.land_use, p.area_mu, ST_X(p.anchor), ST_Y(p.anchor) FROM plots p{only} ORDER BY p.id");
        let mut rows = sqlx::query_as::<_, (i64, String, LandStatus, String, f64, f64, f64)>(&sql).bind(ids).fetch(&mut **tx);
        while let Some((id, park, status, land_use, area_mu, lon, lat)) = rows.try_next().await? {
            let (Some(&park), Some(&land_use)) = (codes.park.get(park.as_str()), codes.land_use.get(land_use.as_str())) else {
                return Ok(None);
            };
            plots.push(Plot { id, park, status, land_use, area_mu, lon, lat, touches: 0 });
        }
    }
    let positions = Positions::of(&plots);
    // Driven from the constraints: few polygons, each finding its plots by index.
    let sql = format!("SELECT DISTINCT p.id, x.kind FROM constraints x JOIN plots p ON p.geom && x.geom AND ST_Intersects(x.geom, p.geom){only}");
    let touched: Vec<(i64, ConstraintKind)> = sqlx::query_as(&sql).bind(ids).fetch_all(&mut **tx).await?;
    for (id, kind) in touched {
        if let Some(i) = positions.get(id) {
            plots[i].touches |= 1 << kind.index();
        }
    }
    Ok(Some(plots))
}

/// The stored links, all or those of a plot of `ids`, between plots at `positions`, each
/// pair once, less those across a gap that an open expressway or permanent farmland crosses.
async fn read_links(tx: &mut Transaction<'static, Postgres>, positions: &Positions, ids: Option<&[i64]>) -> Result<Vec<(u32, Link)>, sqlx::Error> {
    let only = if ids.is_some() { " AND (l.a = ANY($1) OR l.b = ANY($1))" } else { "" };
    let sql = format!(
        "SELECT l.a, l.b FROM roads r JOIN plot_links l ON l.bridge && r.geom AND ST_Intersects(r.geom, l.bridge)
         WHERE r.class = 'expressway' AND r.status = 'existing'{only}
         UNION
         SELECT l.a, l.b FROM constraints x JOIN plot_links l ON l.bridge && x.geom AND ST_Intersects(x.geom, l.bridge)
         WHERE x.kind = 'permanent_farmland'{only}"
    );
    let barred: HashSet<(i64, i64)> = sqlx::query_as(&sql).bind(ids).fetch_all(&mut **tx).await?.into_iter().collect();
    // Every stored link faces for at least MIN_SHARED_M (plot_link_min_facing, 0009).
    let only = if ids.is_some() { " WHERE l.a = ANY($1) OR l.b = ANY($1)" } else { "" };
    let sql = format!("SELECT l.a, l.b, l.gap_m, l.facing_m FROM plot_links l{only}");
    let mut pairs = Vec::new();
    let mut rows = sqlx::query_as::<_, (i64, i64, f64, f64)>(&sql).bind(ids).fetch(&mut **tx);
    while let Some((a, b, gap_m, facing_m)) = rows.try_next().await? {
        if barred.contains(&(a, b)) {
            continue;
        }
        let (Some(i), Some(j)) = (positions.get(a), positions.get(b)) else { continue };
        pairs.push((i as u32, Link::new(j as u32, gap_m, facing_m)));
    }
    Ok(pairs)
}

/// Each pair laid out by plot, both ways round (compressed rows: the links of plot `i`
/// are `links[link_start[i]..link_start[i + 1]]`).
pub(super) fn laid_out(plots: usize, pairs: Vec<(u32, Link)>) -> (Vec<u32>, Vec<Link>) {
    let mut link_start = vec![0u32; plots + 1];
    for (i, l) in &pairs {
        link_start[*i as usize + 1] += 1;
        link_start[l.to as usize + 1] += 1;
    }
    for i in 0..plots {
        link_start[i + 1] += link_start[i];
    }
    let mut links = vec![Link { to: 0, gap_m: 0.0, facing_m: 0.0 }; link_start[plots] as usize];
    let mut fill = link_start.clone();
    for (i, l) in pairs {
        links[fill[i as usize] as usize] = l;
        fill[i as usize] += 1;
        links[fill[l.to as usize] as usize] = Link { to: i, ..l };
        fill[l.to as usize] += 1;
    }
    (link_start, links)
}

pub(super) fn joins(l: &Link, min_shared_m: f64, max_gap_m: f64) -> bool {
    l.gap_m as f64 <= max_gap_m + 0.05 && l.facing_m as f64 >= min_shared_m
}

pub(super) async fn read_version(conn: &mut sqlx::PgConnection) -> Result<Vec<i64>, sqlx::Error> {
    let changes = crate::store::counters::read(conn).await?;
    Ok(SOURCES.iter().map(|t| changes.get(*t).copied().unwrap_or(0)).collect())
}
