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

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::PgPool;
use tokio::sync::Mutex;

use super::access::Planned;
use crate::failed::{Doing, Failed};

mod network;
mod positions;
mod read;

use network::Network;
use positions::UnionFind;
use read::{joins, read_version};

/// The tables the graph is read from; a change to any of them rebuilds it.
const SOURCES: &[&str] = &["constraints", "parks", "plots", "roads", "transport_nodes"];

#[derive(Clone)]
pub struct Park {
    pub id: String,
    pub name_zh: String,
    pub infrastructure: Vec<crate::domain::Utility>,
    pub leading: Vec<String>,
}

#[derive(Clone)]
pub struct Plot {
    pub id: i64,
    /// Index into [`LandGraph::parks`].
    pub park: u32,
    pub status: crate::domain::LandStatus,
    /// Index into [`LandGraph::land_uses`].
    pub land_use: u16,
    pub area_mu: f64,
    /// The stored point on the plot (migration 0006), lon/lat.
    pub lon: f64,
    pub lat: f64,
    /// One bit per [`crate::domain::ConstraintKind`] the plot touches (bit `kind.index()`).
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
    pub land_uses: Vec<String>,
    /// Ascending by id.
    pub plots: Vec<Plot>,
    /// The links of plot `i` are `links[link_start[i]..link_start[i + 1]]`.
    link_start: Vec<u32>,
    links: Vec<Link>,
    /// Shared with the graph read after it when no road or node changed.
    network: Arc<Network>,
}

#[cfg(test)]
impl LandGraph {
    /// A graph from its parts with no roads or nodes, for the unit tests of what runs on
    /// the graph; `links` are (plot, plot, gap m, facing m) by plot index, each pair once.
    pub(crate) fn of_parts(parks: Vec<Park>, land_uses: Vec<String>, plots: Vec<Plot>, links: &[(u32, u32, f64, f64)]) -> LandGraph {
        let pairs = links.iter().map(|&(a, b, gap, facing)| (a, Link::new(b, gap, facing))).collect();
        let (link_start, links) = read::laid_out(plots.len(), pairs);
        LandGraph {
            version: vec![],
            snapshot: String::new(),
            read: GraphRead::Whole,
            parks,
            land_uses,
            plots,
            link_start,
            links,
            network: Arc::new(Network::empty()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphRead {
    Whole,
    /// This many plots read again (written, or a neighbour of one written).
    Plots(usize),
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
    pub fn access(&self, lon: f64, lat: f64, planned: Planned) -> super::access::Access {
        self.network.access(lon, lat, planned)
    }
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
    pub async fn current(&self, pool: &PgPool) -> Result<Arc<LandGraph>, Failed> {
        self.current_or_read(pool).await.doing("reading the land graph")
    }

    async fn current_or_read(&self, pool: &PgPool) -> Result<Arc<LandGraph>, sqlx::Error> {
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
