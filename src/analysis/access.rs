//! Road access: how far a plot or park is from the nearest transport node of each kind,
//! in a straight line and by road, and what a node reaches within some minutes.
//!
//! # Method
//! Travel time by road is the fastest path on the `roads` graph (pgRouting's Dijkstra)
//! with each road's cost its length over its class speed, plus two slow legs: from the
//! origin (a point on the plot or park) to its nearest road vertex, and from the node to
//! its nearest vertex, both at `access_kmh` (default 20 km/h: site roads and gates).
//! Straight-line distances are geodesic. The fastest paths from every road vertex to
//! every node are kept in `road_access` (migration 0005: a pgRouting shortest-path tree
//! per node, rebuilt by triggers whenever roads or nodes change), so a request only
//! looks them up.
//!
//! # Transport not open yet
//! Only open nodes count unless the request says otherwise ([`Planned`]): a planned
//! airport does not put a plot within 30 minutes of an airport. Every answer names each
//! node's status and expected opening, so a planned node is never mistaken for an open one.
//!
//! # Units
//! km, minutes.
//!
//! # Example
//! A plot 500 m from vertex A; A–B 1 km at 60 km/h (60 s), B–C 2 km at 30 km/h (240 s),
//! A–C 10 km at 100 km/h (360 s), an interchange at C: 90 s + 300 s = 6.5 minutes by
//! road, 3 road-km.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::value::RawValue;
use sqlx::PgPool;

use crate::domain::{NodeKind, TransportStatus};
use crate::failed::{Doing, Failed};

#[derive(Debug, Clone, Copy)]
pub struct AccessParams {
    /// Speed of the legs between the road network and the origin or node, km/h.
    pub access_kmh: f64,
    pub planned: Planned,
}

impl Default for AccessParams {
    fn default() -> Self {
        AccessParams { access_kmh: 20.0, planned: Planned::Excluded }
    }
}

/// The dates an opening may be asked about or recorded (the CHECKs of migration 0018).
const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(2100, 12, 31).expect("a date");

/// Which transport nodes count: open ones only (the default), or also those not open
/// yet (under construction or planned): all of them, or those expected to open by a date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Planned {
    #[default]
    Excluded,
    By(NaiveDate),
    All,
}

impl Planned {
    /// From a request's `include_planned` and `planned_by`; a date alone means "planned
    /// ones expected by then", so it needs no flag beside it.
    pub fn of(include: Option<bool>, by: Option<NaiveDate>) -> Result<Planned, String> {
        if let Some(d) = by.filter(|d| !(FIRST_DAY..=LAST_DAY).contains(d)) {
            return Err(format!("planned_by: {d} is not a date from {FIRST_DAY} to {LAST_DAY}"));
        }
        match (include, by) {
            (Some(false), Some(_)) => Err("planned_by asks for planned nodes: it cannot go with include_planned=false".into()),
            (_, Some(d)) => Ok(Planned::By(d)),
            (Some(true), None) => Ok(Planned::All),
            (_, None) => Ok(Planned::Excluded),
        }
    }

    /// The latest opening a node may have and count, as `node_open_from` (migration
    /// 0018) compares it.
    fn cutoff_sql(self) -> String {
        match self {
            Planned::Excluded => "-infinity".into(),
            Planned::By(d) => d.to_string(),
            Planned::All => "infinity".into(),
        }
    }

    /// Whether a node open from `open_from` counts.
    pub fn counts(self, open_from: OpenFrom) -> bool {
        match (self, open_from) {
            (_, OpenFrom::Now) | (Planned::All, _) => true,
            (Planned::Excluded, _) => false,
            (Planned::By(by), OpenFrom::On(d)) => d <= by,
            (Planned::By(_), OpenFrom::Unknown) => false,
        }
    }

    /// How the answer states the choice.
    pub fn describe(self) -> PlannedStated {
        match self {
            Planned::Excluded => PlannedStated { included: false, expected_by: None },
            Planned::By(d) => PlannedStated { included: true, expected_by: Some(d) },
            Planned::All => PlannedStated { included: true, expected_by: None },
        }
    }
}

/// Which transport nodes an answer counted, as it states it.
#[derive(Debug, Clone, Copy, Serialize, schemars::JsonSchema)]
pub struct PlannedStated {
    pub included: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_by: Option<NaiveDate>,
}

/// When a node counts as open: now, on an expected date, or at no known date; read from
/// `node_open_from(status, opens_on)::text` (migration 0018), the rule's one home, for
/// the land graph held in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenFrom {
    Now,
    On(NaiveDate),
    Unknown,
}

// How sqlx reads the column (`#[sqlx(try_from = "String")]`).
impl TryFrom<String> for OpenFrom {
    type Error = sqlx::Error;

    fn try_from(sql: String) -> Result<OpenFrom, sqlx::Error> {
        OpenFrom::parse(&sql)
    }
}

impl OpenFrom {
    /// `node_open_from(…)::text`: '-infinity', 'infinity' or a date. opens_on is held to
    /// 1900–2100 (migration 0018), so anything else is a row this code does not know: an
    /// error that says so, not a node taken as never opening.
    pub fn parse(sql: &str) -> Result<OpenFrom, sqlx::Error> {
        match sql {
            "-infinity" => Ok(OpenFrom::Now),
            "infinity" => Ok(OpenFrom::Unknown),
            d => d.parse().map(OpenFrom::On).map_err(|_| sqlx::Error::Decode(format!("node_open_from gave '{d}', which is not a date").into())),
        }
    }
}

#[derive(sqlx::FromRow, Debug)]
struct Row {
    idx: i32,
    #[sqlx(flatten)]
    reach: Reach,
}

/// One node that an origin could go to: by road when `road_s` is known, else only in a
/// straight line.
#[derive(sqlx::FromRow, Debug)]
pub(super) struct Reach {
    pub id: String,
    pub kind: NodeKind,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub status: TransportStatus,
    pub opens_on: Option<NaiveDate>,
    /// `node_open_from(status, opens_on)`, read once as text.
    #[sqlx(try_from = "String")]
    pub open_from: OpenFrom,
    pub straight_m: f64,
    pub origin_leg_m: f64,
    pub node_leg_m: f64,
    pub road_m: Option<f64>,
    pub road_s: Option<f64>,
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The node of one kind that an origin reaches first.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NodeReach {
    pub node_id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub status: TransportStatus,
    pub open: bool,
    pub opens_on: Option<NaiveDate>,
    /// In a straight line.
    pub km: f64,
    /// By road, with the legs to and from the network; None when no road reaches it.
    pub road_km: Option<f64>,
    pub minutes: Option<f64>,
}

/// For each node kind, the node an origin reaches first; a kind with no node that counts
/// is absent.
pub type Access = BTreeMap<NodeKind, NodeReach>;

/// For each node kind: the node fastest to reach by road (or, where none is reachable,
/// the nearest in a straight line), with km, road_km and minutes.
pub async fn access(pool: &PgPool, origin_wkt_4326: &str, p: AccessParams) -> Result<Access, Failed> {
    let mut one = access_many(pool, &[origin_wkt_4326.to_string()], p).await.doing("measuring access by road")?;
    Ok(one.pop().unwrap_or_default())
}

/// Access for many origins in one query: one map by kind per origin, in order.
async fn access_many(pool: &PgPool, origins_wkt: &[String], p: AccessParams) -> Result<Vec<Access>, sqlx::Error> {
    if origins_wkt.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<Row> = sqlx::query_as(include_str!("access.sql"))
        .bind(origins_wkt)
        .bind(p.access_kmh / 3.6)
        .bind(p.planned.cutoff_sql())
        // Planned for each call: the right plan depends on how many origins there are.
        .persistent(false)
        .fetch_all(pool)
        .await?;
    let mut per_origin: Vec<Vec<Reach>> = (0..origins_wkt.len()).map(|_| Vec::new()).collect();
    for r in rows {
        per_origin[(r.idx - 1) as usize].push(r.reach);
    }
    Ok(per_origin.into_iter().map(|rows| best_by_kind(rows, p)).collect())
}

/// For each kind, the node fastest by road (the nearest in a straight line when none is
/// reachable). The land graph's access (`land_graph`) chooses with this too.
pub(super) fn best_by_kind(rows: Vec<Reach>, p: AccessParams) -> Access {
    let leg_s = |m: f64| m / (p.access_kmh / 3.6);
    let mut best: BTreeMap<NodeKind, (Option<f64>, NodeReach)> = BTreeMap::new();
    for r in rows {
        let total_s = r.road_s.map(|s| s + leg_s(r.origin_leg_m) + leg_s(r.node_leg_m));
        let entry = NodeReach {
            open: r.open_from == OpenFrom::Now,
            km: r2(r.straight_m / 1000.0),
            road_km: r.road_m.map(|m| r2((m + r.origin_leg_m + r.node_leg_m) / 1000.0)),
            minutes: total_s.map(|s| r2(s / 60.0)),
            node_id: r.id,
            name: r.name_zh,
            name_en: r.name_en,
            status: r.status,
            opens_on: r.opens_on,
        };
        let better = match best.get(&r.kind) {
            None => true,
            Some((Some(old), _)) => total_s.is_some_and(|t| t < *old),
            Some((None, old)) => total_s.is_some() || r.straight_m / 1000.0 < old.km,
        };
        if better {
            best.insert(r.kind, (total_s, entry));
        }
    }
    best.into_iter().map(|(k, (_, v))| (k, v)).collect()
}

/// Where access is measured from.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Plot(i64),
    Park(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Plot(id) => write!(f, "plot {id}"),
            Origin::Park(id) => write!(f, "park '{id}'"),
        }
    }
}

/// Where access from `origin` is measured: a point on the plot or inside the park's
/// outline, as WKT. None when there is no such plot or park; `Some(None)` for a park
/// recorded without an outline.
pub async fn origin_point(pool: &PgPool, origin: &Origin) -> Result<Option<Option<String>>, sqlx::Error> {
    match origin {
        Origin::Plot(id) => {
            let wkt: Option<String> =
                sqlx::query_scalar("SELECT ST_AsText(ST_PointOnSurface(geom)) FROM plots WHERE id = $1").bind(id).fetch_optional(pool).await?;
            Ok(wkt.map(Some))
        }
        Origin::Park(id) => sqlx::query_scalar("SELECT ST_AsText(ST_PointOnSurface(boundary)) FROM parks WHERE id = $1").bind(id).fetch_optional(pool).await,
    }
}

/// Where an isochrone starts: a node, whether it is open, and its nearest road vertex.
pub struct IsochroneStart {
    pub name_zh: String,
    pub status: TransportStatus,
    pub opens_on: Option<NaiveDate>,
    pub open_from: OpenFrom,
    /// None when there is no road at all.
    pub vertex: Option<i64>,
}

/// The node `id`'s start for an isochrone; None when there is no such node.
pub async fn isochrone_start(pool: &PgPool, id: &str) -> Result<Option<IsochroneStart>, sqlx::Error> {
    type Row = (String, TransportStatus, Option<NaiveDate>, String, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT n.name_zh, n.status, n.opens_on, node_open_from(n.status, n.opens_on)::text,
                (SELECT v.id FROM road_vertices v ORDER BY v.geom <-> n.geom LIMIT 1)
         FROM transport_nodes n WHERE n.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(|(name_zh, status, opens_on, open_from, vertex)| Ok(IsochroneStart { name_zh, status, opens_on, open_from: OpenFrom::parse(&open_from)?, vertex }))
        .transpose()
}

/// What an isochrone reaches, as GeoJSON PostGIS wrote (None where nothing is reached).
pub struct Isochrone {
    /// The reached vertices with their seconds, a FeatureCollection.
    pub vertices: Option<Box<RawValue>>,
    /// The reached network, partial edges cut, a MultiLineString.
    pub network: Option<Box<RawValue>>,
    /// The network's concave hull.
    pub area: Option<Box<RawValue>>,
}

/// The isochrone of vertex `vertex`.
pub async fn isochrone(pool: &PgPool, vertex: i64, minutes: f64) -> Result<Isochrone, sqlx::Error> {
    let (vertices, network, area): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as(include_str!("isochrone.sql")).bind(vertex).bind(minutes * 60.0).fetch_one(pool).await?;
    Ok(Isochrone {
        vertices: super::geojson("isochrone vertices", vertices)?,
        network: super::geojson("isochrone network", network)?,
        area: super::geojson("isochrone area", area)?,
    })
}

#[cfg(test)]
mod tests {
    use super::{OpenFrom, Planned};
    use chrono::NaiveDate;

    #[test]
    fn an_opening_is_read_from_sql_or_refused() {
        let day = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        assert_eq!(OpenFrom::parse("-infinity").unwrap(), OpenFrom::Now);
        assert_eq!(OpenFrom::parse("infinity").unwrap(), OpenFrom::Unknown);
        assert_eq!(OpenFrom::parse("2027-06-30").unwrap(), OpenFrom::On(day));
        assert!(OpenFrom::parse("soon").unwrap_err().to_string().contains("'soon'"));
        assert!(Planned::By(day).counts(OpenFrom::On(day)) && !Planned::Excluded.counts(OpenFrom::On(day)));
    }
}
