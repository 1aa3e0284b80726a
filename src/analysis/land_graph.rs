//! The land graph: the facts a site search or a contiguity question reads, held in
//! memory so that a question over a million plots is a walk over arrays, not a million
//! rows read again.
//!
//! # What it holds
//! - every plot's park, status, land use, area, anchor point, and the constraint kinds it
//!   touches;
//! - the links between plots (`plot_links`, migrations 0004 and 0009), less those that cross an
//!   expressway or permanent basic farmland as those layers stand;
//! - the road network's vertices and, for each vertex and node kind, the node fastest to
//!   reach by road at the default leg speed (`road_access`, migration 0005), and where
//!   that node is not open yet, the faster ones that open sooner (so a request that
//!   counts open nodes only, or those open by a date, finds its fastest by a short walk).
//!
//! # Why it is never stale
//! It is read in one repeatable-read transaction together with the change counters of
//! the tables it comes from (migration 0002). Each question first reads those counters
//! (one indexed read) and rebuilds the graph when any of them moved, so an answer always
//! reflects every committed write, and two parkland processes on one database answer
//! alike. When only plots were written since, the graph reads again only the plots the
//! plot change log (migration 0010) names, with their links, and keeps the rest; any
//! other change reads everything again: cheap at the demo size, seconds at a million
//! plots (bench/RESULTS.md).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use futures_util::TryStreamExt;
use geo::{Distance, Geodesic, Point};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use sqlx::{PgPool, Postgres, Transaction};
use tokio::sync::Mutex;

use super::access::{AccessParams, OpenFrom, Planned, Reach};

/// The tables the graph is read from; a change to any of them rebuilds it.
const SOURCES: &[&str] = &["constraints", "parks", "plots", "roads", "transport_nodes"];

/// The constraint kinds, one bit each in [`Plot::touches`].
pub const CONSTRAINT_KINDS: &[&str] = &["ecological_redline", "permanent_farmland", "flood", "water_source"];

/// The node kinds, in the order of [`Network::fastest`].
pub const NODE_KINDS: &[&str] = &["highway_interchange", "rail_station", "rail_freight", "port", "airport"];

#[derive(Clone)]
pub struct Park {
    pub id: String,
    pub name_zh: String,
    pub infrastructure: Vec<String>,
    pub leading: Vec<String>,
}

#[derive(Clone)]
pub struct Plot {
    pub id: i64,
    /// Index into [`LandGraph::parks`].
    pub park: u32,
    /// Index into [`LandGraph::statuses`].
    pub status: u16,
    /// Index into [`LandGraph::land_uses`].
    pub land_use: u16,
    pub area_mu: f64,
    /// The stored point on the plot (migration 0006), lon/lat.
    pub lon: f64,
    pub lat: f64,
    /// One bit per entry of [`CONSTRAINT_KINDS`] that the plot touches.
    pub touches: u8,
}

/// A stored neighbour of a plot. Single precision halves the graph at a million plots;
/// the gap is rounded up and the facing length down, so a link never joins where the
/// stored double-precision values would not.
#[derive(Clone, Copy)]
pub struct Link {
    /// Index into [`LandGraph::plots`].
    pub to: u32,
    pub gap_m: f32,
    pub facing_m: f32,
}

impl Link {
    fn new(to: u32, gap_m: f64, facing_m: f64) -> Link {
        let (mut gap, mut facing) = (gap_m as f32, facing_m as f32);
        if (gap as f64) < gap_m {
            gap = gap.next_up();
        }
        if (facing as f64) > facing_m {
            facing = facing.next_down();
        }
        Link { to, gap_m: gap, facing_m: facing }
    }
}

pub struct LandGraph {
    /// The change counters of [`SOURCES`] when it was read.
    version: Vec<i64>,
    /// The snapshot it was read in (`pg_snapshot` as text), for the plot change log.
    snapshot: String,
    /// How it was read: whole, or the plots written since the graph before.
    pub read: GraphRead,
    pub parks: Vec<Park>,
    pub statuses: Vec<String>,
    pub land_uses: Vec<String>,
    /// Ascending by id.
    pub plots: Vec<Plot>,
    /// The links of plot `i` are `links[link_start[i]..link_start[i + 1]]`.
    link_start: Vec<u32>,
    links: Vec<Link>,
    /// Shared with the graph read after it when no road or node changed.
    network: Arc<Network>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphRead {
    Whole,
    /// This many plots read again (written, or a neighbour of one written).
    Plots(usize),
}

/// Where nodes are by road, for the default leg speed.
struct Network {
    vertices: RTree<GeomWithData<[f64; 2], i64>>,
    nodes: Vec<Node>,
    /// For each kind of [`NODE_KINDS`], its nodes near a road (indexes into `nodes`).
    by_kind: Vec<RTree<GeomWithData<[f64; 2], u32>>>,
    /// For each vertex, the fastest node of each kind of [`NODE_KINDS`] (an index into
    /// `nodes`) with the road seconds and metres to it.
    fastest: HashMap<i64, [Option<Fastest>; 5]>,
    /// Where the fastest node of a kind from a vertex is not open now: the next fastest
    /// that opens sooner than every node before it, and so on down to an open one (the
    /// nodes a later cut-off could choose), by (vertex, kind). Rare: planned nodes are few.
    sooner: HashMap<(i64, u8), Vec<Fastest>>,
}

/// A node reached by road: its index into `Network::nodes`, the road seconds and metres.
type Fastest = (u32, f64, f64);

struct Node {
    id: String,
    kind: usize,
    name_zh: String,
    name_en: Option<String>,
    status: String,
    opens_on: Option<chrono::NaiveDate>,
    open_from: OpenFrom,
    /// `open_from` as the SQL gave it, for the answer.
    open_from_sql: String,
    at: Point<f64>,
    /// The straight leg from the node to its nearest road vertex; None without roads.
    leg_m: Option<f64>,
}

impl LandGraph {
    pub fn links(&self, i: usize) -> &[Link] {
        &self.links[self.link_start[i] as usize..self.link_start[i + 1] as usize]
    }

    pub fn park_index(&self, id: &str) -> Option<u32> {
        self.parks.iter().position(|p| p.id == id).map(|i| i as u32)
    }

    /// The blocks of contiguous plots among those `alive`: plot indexes, each block's in
    /// ascending order (so by id), blocks in the order of their first plot. Two plots
    /// join when a stored link between them spans at most `max_gap_m` (5 cm of slack for
    /// surveyed edges) and faces for at least `min_shared_m`.
    pub fn blocks(&self, alive: &[bool], min_shared_m: f64, max_gap_m: f64) -> Vec<Vec<usize>> {
        let mut uf = UnionFind((0..self.plots.len()).collect());
        for i in (0..self.plots.len()).filter(|i| alive[*i]) {
            for l in self.links(i) {
                let j = l.to as usize;
                if j > i && alive[j] && joins(l, min_shared_m, max_gap_m) {
                    uf.union(i, j);
                }
            }
        }
        let mut by_root: HashMap<usize, usize> = HashMap::new();
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        for i in (0..self.plots.len()).filter(|i| alive[*i]) {
            let root = uf.find(i);
            let b = *by_root.entry(root).or_insert_with(|| {
                blocks.push(Vec::new());
                blocks.len() - 1
            });
            blocks[b].push(i);
        }
        blocks
    }

    /// The neighbours of plot `i` that join it under these parameters.
    pub fn joined(&self, i: usize, min_shared_m: f64, max_gap_m: f64) -> impl Iterator<Item = usize> + '_ {
        self.links(i).iter().filter(move |l| joins(l, min_shared_m, max_gap_m)).map(|l| l.to as usize)
    }

    /// Road access from a point at the default leg speed, counting the nodes `planned`
    /// admits, in the form of `access::access` (the same choice of node, the same numbers).
    pub fn access(&self, lon: f64, lat: f64, planned: Planned) -> serde_json::Value {
        let p = AccessParams { planned, ..AccessParams::default() };
        let origin = Point::new(lon, lat);
        let net = &self.network;
        let Some(v) = net.vertices.nearest_neighbor(&[lon, lat]) else {
            // No road: no vertex to start from, as in access.sql.
            return super::access::best_by_kind(Vec::new(), p);
        };
        let origin_leg_m = Geodesic.distance(origin, Point::new(v.geom()[0], v.geom()[1]));
        let fastest = net.fastest.get(&v.data);
        let mut reaches = Vec::new();
        let counts = |n: usize| planned.counts(net.nodes[n].open_from);
        for kind in 0..NODE_KINDS.len() {
            let first = fastest.and_then(|f| f[kind]);
            let found = first.into_iter().chain(net.sooner.get(&(v.data, kind as u8)).into_iter().flatten().copied()).find(|f| counts(f.0 as usize));
            let (node, road) = match found {
                Some((n, seconds, road_m)) => (n as usize, Some((seconds, road_m))),
                // None reachable by road: the nearest in a straight line.
                // As access.sql: of the three nearest in degrees, the geodesically nearest.
                None => {
                    let nearest = net.by_kind[kind]
                        .nearest_neighbor_iter(&[lon, lat])
                        .filter(|n| counts(n.data as usize))
                        .take(3)
                        .map(|n| (n.data as usize, Geodesic.distance(origin, net.nodes[n.data as usize].at)))
                        .min_by(|a, b| a.1.total_cmp(&b.1).then(net.nodes[a.0].id.cmp(&net.nodes[b.0].id)));
                    match nearest {
                        Some((i, _)) => (i, None),
                        None => continue,
                    }
                }
            };
            let n = &net.nodes[node];
            reaches.push(Reach {
                id: n.id.clone(),
                kind: NODE_KINDS[kind].to_string(),
                name_zh: n.name_zh.clone(),
                name_en: n.name_en.clone(),
                status: n.status.clone(),
                opens_on: n.opens_on,
                open_from: n.open_from_sql.clone(),
                straight_m: Geodesic.distance(origin, n.at),
                origin_leg_m,
                node_leg_m: n.leg_m.unwrap_or(0.0),
                road_s: road.map(|r| r.0),
                road_m: road.map(|r| r.1),
            });
        }
        super::access::best_by_kind(reaches, p)
    }

    /// Reads the graph as the database stands now. With the graph read before, only the
    /// plots written since are read again, when nothing but plots changed and the plot
    /// change log (migration 0010) still holds every write that graph did not see;
    /// otherwise everything.
    async fn read(pool: &PgPool, before: Option<&LandGraph>) -> Result<LandGraph, sqlx::Error> {
        let started = std::time::Instant::now();
        let mut tx = pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
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
            sqlx::query_as::<_, (String, String, Vec<String>, Vec<String>)>("SELECT id, name_zh, infrastructure, leading_industries FROM parks ORDER BY id")
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(|(id, name_zh, infrastructure, leading)| Park { id, name_zh, infrastructure, leading })
                .collect();
        let statuses: Vec<String> = sqlx::query_scalar("SELECT code FROM land_statuses ORDER BY ord").fetch_all(&mut **tx).await?;
        let land_uses: Vec<String> = sqlx::query_scalar("SELECT code FROM land_use_codes ORDER BY code").fetch_all(&mut **tx).await?;
        let codes = Codes::of(&parks, &statuses, &land_uses);
        let plots = read_plots(tx, &codes, None).await?.expect("the foreign keys make every code known");
        let positions = super::off_the_workers(|| Positions::of(&plots));
        let pairs = read_links(tx, &positions, None).await?;
        let (link_start, links) = super::off_the_workers(|| laid_out(plots.len(), pairs));
        let network = Arc::new(Network::load(tx).await?);
        Ok(LandGraph { version: vec![], snapshot: String::new(), parks, statuses, land_uses, plots, link_start, links, network, read: GraphRead::Whole })
    }

    /// `before` with the plots `changed` (ids, ascending) read again, with their links;
    /// None when a plot has a code `before` does not know.
    async fn with_changes(tx: &mut Transaction<'static, Postgres>, before: &LandGraph, changed: &[i64]) -> Result<Option<LandGraph>, sqlx::Error> {
        let codes = Codes::of(&before.parks, &before.statuses, &before.land_uses);
        let Some(fresh) = read_plots(tx, &codes, Some(changed)).await? else { return Ok(None) };
        let is_changed = |id: i64| changed.binary_search(&id).is_ok();
        // Both ascending by id: merged, the written plots in place of what they were.
        let (plots, positions) = super::off_the_workers(|| {
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
        let (link_start, links) = super::off_the_workers(|| {
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
            statuses: before.statuses.clone(),
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

/// The indexes of parks, statuses and land uses by their codes.
struct Codes<'a> {
    park: HashMap<&'a str, u32>,
    status: HashMap<&'a str, u16>,
    land_use: HashMap<&'a str, u16>,
}

impl<'a> Codes<'a> {
    fn of(parks: &'a [Park], statuses: &'a [String], land_uses: &'a [String]) -> Codes<'a> {
        Codes {
            park: parks.iter().enumerate().map(|(i, p)| (p.id.as_str(), i as u32)).collect(),
            status: statuses.iter().enumerate().map(|(i, s)| (s.as_str(), i as u16)).collect(),
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
        let mut rows = sqlx::query_as::<_, (i64, String, String, String, f64, f64, f64)>(&sql).bind(ids).fetch(&mut **tx);
        while let Some((id, park, status, land_use, area_mu, lon, lat)) = rows.try_next().await? {
            let (Some(&park), Some(&status), Some(&land_use)) =
                (codes.park.get(park.as_str()), codes.status.get(status.as_str()), codes.land_use.get(land_use.as_str()))
            else {
                return Ok(None);
            };
            plots.push(Plot { id, park, status, land_use, area_mu, lon, lat, touches: 0 });
        }
    }
    let positions = Positions::of(&plots);
    // Driven from the constraints: few polygons, each finding its plots by index.
    let sql = format!("SELECT DISTINCT p.id, x.kind FROM constraints x JOIN plots p ON p.geom && x.geom AND ST_Intersects(x.geom, p.geom){only}");
    let touched: Vec<(i64, String)> = sqlx::query_as(&sql).bind(ids).fetch_all(&mut **tx).await?;
    for (id, kind) in touched {
        if let (Some(i), Some(bit)) = (positions.get(id), CONSTRAINT_KINDS.iter().position(|k| *k == kind)) {
            plots[i].touches |= 1 << bit;
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
fn laid_out(plots: usize, pairs: Vec<(u32, Link)>) -> (Vec<u32>, Vec<Link>) {
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

fn joins(l: &Link, min_shared_m: f64, max_gap_m: f64) -> bool {
    l.gap_m as f64 <= max_gap_m + 0.05 && l.facing_m as f64 >= min_shared_m
}

impl Network {
    async fn load(tx: &mut Transaction<'static, Postgres>) -> Result<Network, sqlx::Error> {
        let vertices: Vec<(i64, f64, f64)> = sqlx::query_as("SELECT id, ST_X(geom), ST_Y(geom) FROM road_vertices").fetch_all(&mut **tx).await?;
        let vertices = RTree::bulk_load(vertices.into_iter().map(|(id, x, y)| GeomWithData::new([x, y], id)).collect());
        type NodeRow = (String, String, String, Option<String>, String, Option<chrono::NaiveDate>, String, f64, f64, Option<f64>);
        let rows: Vec<NodeRow> = sqlx::query_as(
            "SELECT t.id, t.kind, t.name_zh, t.name_en, t.status, t.opens_on, node_open_from(t.status, t.opens_on)::text,
                    ST_X(t.geom), ST_Y(t.geom), nv.leg_m
             FROM transport_nodes t LEFT JOIN node_vertices nv ON nv.node_id = t.id ORDER BY t.id",
        )
        .fetch_all(&mut **tx)
        .await?;
        let nodes: Vec<Node> = rows
            .into_iter()
            .filter_map(|(id, kind, name_zh, name_en, status, opens_on, open_from, x, y, leg_m)| {
                let kind = NODE_KINDS.iter().position(|k| *k == kind)?;
                Some(Node {
                    id,
                    kind,
                    name_zh,
                    name_en,
                    status,
                    opens_on,
                    open_from: OpenFrom::parse(&open_from),
                    open_from_sql: open_from,
                    at: Point::new(x, y),
                    leg_m,
                })
            })
            .collect();
        let node_of: HashMap<&str, u32> = nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i as u32)).collect();
        // The fastest node of each kind from each vertex: the stored path plus the node's
        // own leg (the origin's leg is the same for every node, so it does not choose);
        // then, in order of time, each node that opens sooner than all faster ones.
        let best: Vec<(i64, String, String, f64, f64)> = sqlx::query_as(
            "SELECT vid, kind, id, seconds, road_m FROM (
               SELECT a.vid, t.kind, t.id, a.seconds, a.road_m, node_open_from(t.status, t.opens_on) AS open_from,
                      min(node_open_from(t.status, t.opens_on)) OVER (PARTITION BY a.vid, t.kind ORDER BY a.seconds + nv.leg_m / $1, t.id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS faster_open_from,
                      row_number() OVER (PARTITION BY a.vid, t.kind ORDER BY a.seconds + nv.leg_m / $1, t.id) AS rank
               FROM road_access a
               JOIN node_vertices nv ON nv.node_id = a.node_id
               JOIN transport_nodes t ON t.id = a.node_id) r
             WHERE faster_open_from IS NULL OR open_from < faster_open_from
             ORDER BY vid, kind, rank",
        )
        .bind(AccessParams::default().access_kmh / 3.6)
        .fetch_all(&mut **tx)
        .await?;
        let mut fastest: HashMap<i64, [Option<Fastest>; 5]> = HashMap::new();
        let mut sooner: HashMap<(i64, u8), Vec<Fastest>> = HashMap::new();
        for (vid, kind, node, seconds, road_m) in best {
            if let (Some(k), Some(n)) = (NODE_KINDS.iter().position(|x| *x == kind), node_of.get(node.as_str())) {
                let slot = &mut fastest.entry(vid).or_default()[k];
                match slot {
                    None => *slot = Some((*n, seconds, road_m)),
                    Some(_) => sooner.entry((vid, k as u8)).or_default().push((*n, seconds, road_m)),
                }
            }
        }
        let by_kind = (0..NODE_KINDS.len())
            .map(|k| {
                RTree::bulk_load(
                    nodes
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| n.kind == k && n.leg_m.is_some())
                        .map(|(i, n)| GeomWithData::new([n.at.x(), n.at.y()], i as u32))
                        .collect(),
                )
            })
            .collect();
        Ok(Network { vertices, nodes, by_kind, fastest, sooner })
    }
}

async fn read_version(conn: &mut sqlx::PgConnection) -> Result<Vec<i64>, sqlx::Error> {
    let changes = crate::store::counters::read(conn).await?;
    Ok(SOURCES.iter().map(|t| changes.get(*t).copied().unwrap_or(0)).collect())
}

/// The current land graph of one database, shared by the requests of a process.
#[derive(Clone, Default)]
pub struct LandGraphs {
    current: Arc<Mutex<Option<Arc<LandGraph>>>>,
}

impl LandGraphs {
    /// The graph as the database stands now: the one held, unless the database changed
    /// since it was read. One request rebuilds it; the others wait for that one.
    ///
    /// The counters only grow, so a graph read at counters no lower than the database's
    /// is as new as it or newer: read replicas a few milliseconds apart take turns
    /// without the graph being read again at each turn.
    pub async fn current(&self, pool: &PgPool) -> Result<Arc<LandGraph>, sqlx::Error> {
        let version = read_version(&mut *pool.acquire().await?).await?;
        let mut held = self.current.lock().await;
        let as_new = |g: &&Arc<LandGraph>| g.version.len() == version.len() && version.iter().zip(&g.version).all(|(now, read)| now <= read);
        if let Some(g) = held.as_ref().filter(as_new) {
            return Ok(g.clone());
        }
        let g = Arc::new(LandGraph::read(pool, held.as_deref()).await?);
        *held = Some(g.clone());
        Ok(g)
    }
}

/// Where each plot id is in the plots, sorted by id. Ids are dense in practice (an
/// identity column, a few deleted), so a table by id; a binary search over a million
/// plots for each of two million links was a fifth of reading the graph.
enum Positions {
    ById { first: i64, at: Vec<u32> },
    Sorted(Vec<i64>),
}

impl Positions {
    fn of(plots: &[Plot]) -> Positions {
        let (Some(first), Some(last)) = (plots.first(), plots.last()) else { return Positions::Sorted(vec![]) };
        let span = (last.id - first.id) as u64 + 1;
        if span > 4 * plots.len() as u64 + 4096 {
            return Positions::Sorted(plots.iter().map(|p| p.id).collect());
        }
        let mut at = vec![u32::MAX; span as usize];
        for (i, p) in plots.iter().enumerate() {
            at[(p.id - first.id) as usize] = i as u32;
        }
        Positions::ById { first: first.id, at }
    }

    fn get(&self, id: i64) -> Option<usize> {
        match self {
            Positions::ById { first, at } => {
                let slot = usize::try_from(id.checked_sub(*first)?).ok()?;
                at.get(slot).filter(|i| **i != u32::MAX).map(|i| *i as usize)
            }
            Positions::Sorted(ids) => ids.binary_search(&id).ok(),
        }
    }
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plots(ids: &[i64]) -> Vec<Plot> {
        ids.iter().map(|&id| Plot { id, park: 0, status: 0, land_use: 0, area_mu: 1.0, lon: 0.0, lat: 0.0, touches: 0 }).collect()
    }

    #[test]
    fn positions_find_every_plot_and_nothing_else_dense_or_sparse() {
        for ids in [vec![3, 4, 5, 7, 8, 20], vec![1, 10_000_000, 20_000_000], vec![]] {
            let p = plots(&ids);
            let at = Positions::of(&p);
            assert_eq!(matches!(at, Positions::ById { .. }), ids.len() == 6, "a table only for dense ids");
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(at.get(*id), Some(i));
            }
            for missing in [i64::MIN, -1, 0, 2, 6, 19, 21, 9_999_999, i64::MAX] {
                assert_eq!(at.get(missing), None, "{missing} in {ids:?}");
            }
        }
    }
}
