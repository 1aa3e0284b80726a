//! The road network as the land graph holds it: the road vertices, the nodes, and for each
//! vertex and node kind the fastest node (and the faster-opening ones after it), so that
//! access from any point, under any choice of planned nodes, is a lookup.

use std::collections::HashMap;

use geo::{Distance, Geodesic, Point};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use sqlx::{Postgres, Transaction};

use crate::analysis::access::{AccessParams, OpenFrom, Planned, Reach};
use crate::domain::{NodeKind, TransportStatus, Vocabulary};

/// Where nodes are by road, for the default leg speed.
pub(super) struct Network {
    pub(super) vertices: RTree<GeomWithData<[f64; 2], i64>>,
    nodes: Vec<Node>,
    /// For each kind of [`NodeKind`], its nodes near a road (indexes into `nodes`).
    by_kind: Vec<RTree<GeomWithData<[f64; 2], u32>>>,
    /// For each vertex, the fastest node of each kind of [`NodeKind`] (an index into
    /// `nodes`) with the road seconds and metres to it.
    fastest: HashMap<i64, [Option<Fastest>; NodeKind::ALL.len()]>,
    /// Where the fastest node of a kind from a vertex is not open now: the next fastest
    /// that opens sooner than every node before it, and so on down to an open one (the
    /// nodes a later cut-off could choose), by (vertex, kind). Rare: planned nodes are few.
    sooner: HashMap<(i64, u8), Vec<Fastest>>,
}

/// A node reached by road: its index into `Network::nodes`, the road seconds and metres.
type Fastest = (u32, f64, f64);

struct Node {
    id: String,
    kind: NodeKind,
    name_zh: String,
    name_en: Option<String>,
    status: TransportStatus,
    opens_on: Option<chrono::NaiveDate>,
    open_from: OpenFrom,
    at: Point<f64>,
    /// The straight leg from the node to its nearest road vertex; None without roads.
    leg_m: Option<f64>,
}

impl Network {
    /// No roads and no nodes.
    #[cfg(test)]
    pub(super) fn empty() -> Network {
        Network {
            vertices: RTree::new(),
            nodes: vec![],
            by_kind: NodeKind::ALL.iter().map(|_| RTree::new()).collect(),
            fastest: HashMap::new(),
            sooner: HashMap::new(),
        }
    }

    pub(super) async fn load(tx: &mut Transaction<'static, Postgres>) -> Result<Network, sqlx::Error> {
        let vertices: Vec<(i64, f64, f64)> = sqlx::query_as("SELECT id, ST_X(geom), ST_Y(geom) FROM road_vertices").fetch_all(&mut **tx).await?;
        let vertices = RTree::bulk_load(vertices.into_iter().map(|(id, x, y)| GeomWithData::new([x, y], id)).collect());
        type NodeRow = (String, NodeKind, String, Option<String>, TransportStatus, Option<chrono::NaiveDate>, String, f64, f64, Option<f64>);
        let rows: Vec<NodeRow> = sqlx::query_as(
            "SELECT t.id, t.kind, t.name_zh, t.name_en, t.status, t.opens_on, node_open_from(t.status, t.opens_on)::text,
                    ST_X(t.geom), ST_Y(t.geom), nv.leg_m
             FROM transport_nodes t LEFT JOIN node_vertices nv ON nv.node_id = t.id ORDER BY t.id",
        )
        .fetch_all(&mut **tx)
        .await?;
        let nodes: Vec<Node> = rows
            .into_iter()
            .map(|(id, kind, name_zh, name_en, status, opens_on, open_from, x, y, leg_m)| {
                Ok(Node { id, kind, name_zh, name_en, status, opens_on, open_from: OpenFrom::parse(&open_from)?, at: Point::new(x, y), leg_m })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        let node_of: HashMap<&str, u32> = nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i as u32)).collect();
        // The fastest node of each kind from each vertex: the stored path plus the node's
        // own leg (the origin's leg is the same for every node, so it does not choose);
        // then, in order of time, each node that opens sooner than all faster ones.
        let best: Vec<(i64, NodeKind, String, f64, f64)> = sqlx::query_as(
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
        let mut fastest: HashMap<i64, [Option<Fastest>; NodeKind::ALL.len()]> = HashMap::new();
        let mut sooner: HashMap<(i64, u8), Vec<Fastest>> = HashMap::new();
        for (vid, kind, node, seconds, road_m) in best {
            if let Some(n) = node_of.get(node.as_str()) {
                let k = kind.index();
                let slot = &mut fastest.entry(vid).or_default()[k];
                match slot {
                    None => *slot = Some((*n, seconds, road_m)),
                    Some(_) => sooner.entry((vid, k as u8)).or_default().push((*n, seconds, road_m)),
                }
            }
        }
        let by_kind = NodeKind::ALL
            .iter()
            .map(|&k| {
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

    /// Road access from a point at the default leg speed, counting the nodes `planned`
    /// admits (see `LandGraph::access`).
    pub(super) fn access(&self, lon: f64, lat: f64, planned: Planned) -> crate::analysis::access::Access {
        let p = AccessParams { planned, ..AccessParams::default() };
        let origin = Point::new(lon, lat);
        let net = self;
        let Some(v) = net.vertices.nearest_neighbor(&[lon, lat]) else {
            // No road: no vertex to start from, as in access.sql.
            return crate::analysis::access::best_by_kind(Vec::new(), p);
        };
        let origin_leg_m = Geodesic.distance(origin, Point::new(v.geom()[0], v.geom()[1]));
        let fastest = net.fastest.get(&v.data);
        let mut reaches = Vec::new();
        let counts = |n: usize| planned.counts(net.nodes[n].open_from);
        for &kind_term in NodeKind::ALL {
            let kind = kind_term.index();
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
                kind: kind_term,
                name_zh: n.name_zh.clone(),
                name_en: n.name_en.clone(),
                status: n.status,
                opens_on: n.opens_on,
                open_from: n.open_from,
                straight_m: Geodesic.distance(origin, n.at),
                origin_leg_m,
                node_leg_m: n.leg_m.unwrap_or(0.0),
                road_s: road.map(|r| r.0),
                road_m: road.map(|r| r.1),
            });
        }
        crate::analysis::access::best_by_kind(reaches, p)
    }
}
