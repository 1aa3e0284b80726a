//! The demo data generator: `parkland demo-data` writes geodata/ from the facts of the
//! seeds (facts.rs) and a fixed seed, the same bytes on every run. geodata/README.md says
//! what is fact and what is generated.

pub mod attributes;
pub mod facts;
pub mod layout;
mod records;
pub mod rng;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use geo::{Area, Coord, Intersects, LineString, MultiPolygon, Polygon};
use proj::Proj;
use serde_json::{json, Value};

use crate::domain::{LandStatus, Utility, Vocabulary};

use attributes::{block_status, idle_record, plot_attrs, AS_OF};
use facts::{ParkFact, EXPRESSWAYS, NODES, PARKS, UNBUILT_EXPRESSWAYS};
use layout::{lay_out_part, SQ_M_PER_MU};
use rng::Rng;

/// The seed of the committed demo data. Change it and every generated shape changes.
pub const SEED: u64 = 20_221_001;

/// The layers of the demo set, each a list of GeoJSON features, in loading order.
pub struct DemoData {
    pub layers: Vec<(&'static str, Vec<Value>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("proj: {0}")]
    Proj(String),
    #[error("the generated data breaks a rule: {0}")]
    Rule(String),
    #[error("writing {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

/// Metric frame of one park part: a transverse Mercator centred on it.
struct Frame {
    to_lonlat: Proj,
}

impl Frame {
    fn new(lon: f64, lat: f64) -> Result<Frame, DemoError> {
        let def = format!("+proj=tmerc +lat_0={lat} +lon_0={lon} +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs");
        let to_lonlat = Proj::new_known_crs(&def, "EPSG:4326", None).map_err(|e| DemoError::Proj(e.to_string()))?;
        Ok(Frame { to_lonlat })
    }

    /// Lon/lat rounded to 1e-7° (about a centimetre): the same metric point always gives
    /// the same output, so shared plot edges stay shared.
    fn lonlat(&self, c: Coord<f64>) -> Coord<f64> {
        let (lon, lat) = self.to_lonlat.convert((c.x, c.y)).expect("finite coordinates project");
        Coord { x: round7(lon), y: round7(lat) }
    }

    fn polygon(&self, p: &Polygon<f64>) -> Polygon<f64> {
        Polygon::new(LineString::from(p.exterior().coords().map(|&c| self.lonlat(c)).collect::<Vec<_>>()), vec![])
    }
}

fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Approximate ground distance in metres between two lon/lat points (for choosing the
/// nearest vertex while generating; the analysis uses PostGIS geography).
fn metres(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let lat = ((a.y + b.y) / 2.0).to_radians();
    let dx = (a.x - b.x).to_radians() * lat.cos() * 6_371_000.0;
    let dy = (a.y - b.y).to_radians() * 6_371_000.0;
    dx.hypot(dy)
}

fn geometry(g: &geo_types::Geometry<f64>) -> Value {
    serde_json::to_value(geojson::Geometry::from(g)).expect("geometry serialises")
}

pub(crate) fn feature(id: Value, geom: Option<Value>, properties: Value) -> Value {
    json!({ "type": "Feature", "id": id, "geometry": geom, "properties": properties })
}

/// A road between two points, bent once near its middle so it does not read as a ruler line.
fn road_line(rng: &mut Rng, a: Coord<f64>, b: Coord<f64>) -> Vec<Coord<f64>> {
    let t = rng.range(0.35, 0.65);
    let bend = rng.range(-0.08, 0.08);
    let mid = Coord { x: a.x + (b.x - a.x) * t - (b.y - a.y) * bend, y: a.y + (b.y - a.y) * t + (b.x - a.x) * bend };
    vec![a, Coord { x: round7(mid.x), y: round7(mid.y) }, b]
}

/// Adds a road of `class` (open, two-way) and returns it, to add to.
fn add_road<'a>(roads: &'a mut Vec<Value>, class: &str, name: &str, speed: f64, coords: Vec<Coord<f64>>) -> &'a mut Value {
    let id = roads.len() as i64 + 1;
    let line = geo_types::Geometry::LineString(LineString::from(coords));
    roads.push(feature(json!(id), Some(geometry(&line)), json!({ "class": class, "name": name, "speed_kmh": speed, "oneway": false })));
    roads.last_mut().expect("just pushed")
}

/// One park's laid-out parts: its outline, plots and estate road ends in lon/lat.
struct ParkOut {
    boundary: MultiPolygon<f64>,
    /// Estate road vertices per part, to hang connecting roads on.
    gates: Vec<Vec<Coord<f64>>>,
    /// Centre and equal-area radius (m) of each part, to place constraint areas.
    parts: Vec<(Frame, f64)>,
}

pub fn generate() -> Result<DemoData, DemoError> {
    let Laid { parks: parks_out, mut plots, areas_mu, idle, mut roads } = lay_out_parks()?;
    check_parks_apart(&parks_out)?;
    connect(&parks_out, &mut roads);
    let parks: Vec<Value> = PARKS.iter().zip(&parks_out).map(|(p, out)| park_feature(p, out)).collect();
    let constraints = constraints(&parks_out)?;
    let projects = records::projects(&mut plots, &areas_mu)?;

    let data = DemoData {
        layers: vec![
            ("zones", records::zones()),
            ("parks", parks),
            ("targets", records::targets()),
            ("plots", plots),
            ("idle_records", idle),
            ("transport_nodes", node_features()),
            ("roads", roads),
            ("constraints", constraints),
            ("projects", projects),
        ],
    };
    check_counts(&data)?;
    Ok(data)
}

/// The parks laid out: their outlines, plots (with their areas in 亩), idle-land findings
/// and estate roads.
struct Laid {
    parks: Vec<ParkOut>,
    plots: Vec<Value>,
    areas_mu: Vec<f64>,
    idle: Vec<Value>,
    roads: Vec<Value>,
}

fn lay_out_parks() -> Result<Laid, DemoError> {
    let mut parks_out = Vec::new();
    let mut plots = Vec::new();
    let mut areas_mu = Vec::new();
    let mut idle = Vec::new();
    let mut roads: Vec<Value> = Vec::new();
    let mut plot_id: i64 = 0;
    let mut idle_id: i64 = 0;

    for park in PARKS {
        let mut rng = Rng::derive(SEED, park.id);
        let mut polygons = Vec::new();
        let mut gates = Vec::new();
        let mut parts = Vec::new();
        for (part_no, &(lon, lat, share)) in park.parts.iter().enumerate() {
            let frame = Frame::new(lon, lat)?;
            let area_m2 = park.planned_area_km2.expect("a park drawn in parts has a planned area") * share * 1e6;
            let part = lay_out_part(&mut rng, area_m2, park.plotted_share);
            polygons.push(frame.polygon(&part.outline));

            for block in &part.blocks {
                let block_state = block_status(&mut rng, block.centrality);
                for (cell_no, cell) in block.cells.iter().enumerate() {
                    plot_id += 1;
                    let area_mu = cell.unsigned_area() / SQ_M_PER_MU;
                    let attrs = plot_attrs(&mut rng, park, block.centrality, block_state, area_mu);
                    // 地块编号: park, part letter, block row-column, plot number in the block.
                    let code = format!("{}-{}{:02}{:02}-{:02}", park.id, (b'A' + part_no as u8) as char, block.row % 100, block.col % 100, cell_no + 1);
                    if let Some(rec) = idle_record(&mut rng, plot_id, &attrs) {
                        idle_id += 1;
                        idle.push(rec.to_json(idle_id));
                    }
                    let mut props = serde_json::Map::new();
                    props.insert("park_id".into(), json!(park.id));
                    props.insert("code".into(), json!(code));
                    props.extend(attrs.to_json());
                    let geom = geo_types::Geometry::MultiPolygon(MultiPolygon::new(vec![frame.polygon(cell)]));
                    plots.push(feature(json!(plot_id), Some(geometry(&geom)), Value::Object(props)));
                    areas_mu.push(area_mu);
                }
            }

            let mut ends = Vec::new();
            for &(a, b) in &part.roads {
                let (a, b) = (frame.lonlat(a), frame.lonlat(b));
                ends.push(a);
                ends.push(b);
                add_road(&mut roads, "estate", &format!("{}园区道路", short_name(park)), 30.0, vec![a, b]);
            }
            ends.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
            ends.dedup();
            gates.push(ends);
            parts.push((frame, (area_m2 / std::f64::consts::PI).sqrt()));
        }
        parks_out.push(ParkOut { boundary: MultiPolygon::new(polygons), gates, parts });
    }

    Ok(Laid { parks: parks_out, plots, areas_mu, idle, roads })
}

/// Transport: expressways between interchanges, a connecting road from each park part to
/// its two nearest interchanges, and from each other node to its nearest interchange and
/// to any park part within 12 km.
fn connect(parks_out: &[ParkOut], roads: &mut Vec<Value>) {
    let mut road_rng = Rng::derive(SEED, "roads");
    let node_at: BTreeMap<&str, Coord<f64>> = NODES.iter().map(|n| (n.id, Coord { x: n.lon, y: n.lat })).collect();
    let interchanges: Vec<(&str, Coord<f64>)> =
        NODES.iter().filter(|n| n.kind == "highway_interchange").map(|n| (n.id, Coord { x: n.lon, y: n.lat })).collect();
    for (name, chain) in EXPRESSWAYS {
        for pair in chain.windows(2) {
            let line = road_line(&mut road_rng, node_at[pair[0]], node_at[pair[1]]);
            add_road(roads, "expressway", name, 100.0, line);
        }
    }
    for (name, status, places) in UNBUILT_EXPRESSWAYS {
        let line = places.iter().map(|&(x, y)| Coord { x, y }).collect();
        let road = add_road(roads, "expressway", name, 100.0, line);
        road["properties"]["status"] = json!(status);
    }
    let nearest_gate = |gates: &[Coord<f64>], to: Coord<f64>| -> Coord<f64> {
        *gates.iter().min_by(|a, b| metres(**a, to).total_cmp(&metres(**b, to))).expect("a part has roads")
    };
    for (park, out) in PARKS.iter().zip(parks_out) {
        for gates in &out.gates {
            let mut by_distance: Vec<&(&str, Coord<f64>)> = interchanges.iter().collect();
            let here = gates[gates.len() / 2];
            by_distance.sort_by(|a, b| metres(a.1, here).total_cmp(&metres(b.1, here)));
            for (_, at) in by_distance.iter().take(2) {
                let gate = nearest_gate(gates, *at);
                let line = road_line(&mut road_rng, gate, *at);
                add_road(roads, "provincial", &format!("{}连接线", short_name(park)), 60.0, line);
            }
        }
    }
    for n in NODES.iter().filter(|n| n.kind != "highway_interchange") {
        let at = Coord { x: n.lon, y: n.lat };
        let (_, hi) = interchanges.iter().min_by(|a, b| metres(a.1, at).total_cmp(&metres(b.1, at))).expect("interchanges");
        let line = road_line(&mut road_rng, at, *hi);
        add_road(roads, "national", &format!("{}疏运道路", n.name_zh), 50.0, line);
        for (park, out) in PARKS.iter().zip(parks_out) {
            for gates in &out.gates {
                let gate = nearest_gate(gates, at);
                if metres(gate, at) < 12_000.0 {
                    let line = road_line(&mut road_rng, gate, at);
                    add_road(roads, "county", &format!("{}至{}道路", short_name(park), n.name_zh), 40.0, line);
                }
            }
        }
    }
}

fn node_features() -> Vec<Value> {
    NODES
        .iter()
        .map(|n| {
            let p = geo_types::Geometry::Point(geo_types::Point::new(n.lon, n.lat));
            let line = if n.line.is_empty() { Value::Null } else { json!(n.line) };
            feature(
                json!(n.id),
                Some(geometry(&p)),
                json!({ "kind": n.kind, "name_zh": n.name_zh, "name_en": n.name_en, "status": n.status, "opens_on": n.opens_on, "line": line, "source": n.source }),
            )
        })
        .collect()
}

/// The park's name without the zone prefix, for road names: 广佛（佛冈）产业园.
fn short_name(p: &ParkFact) -> &str {
    p.name_zh.strip_prefix("广清经济特别合作区").unwrap_or(p.name_zh)
}

fn park_feature(p: &ParkFact, out: &ParkOut) -> Value {
    // Each utility: in place (connected), being built, or planned, with a generated
    // capacity and, for the planned ones, a generated date.
    let mut rng = Rng::derive(SEED, &format!("{}-utilities", p.id));
    let mut utilities = serde_json::Map::new();
    // Every utility but heat, which no park of the seeds mentions.
    for &u in Utility::ALL.iter().filter(|u| **u != Utility::Heat) {
        let status = if p.infrastructure.contains(&u) {
            "connected"
        } else if p.building.contains(&u) {
            "under_construction"
        } else {
            "planned"
        };
        let mut v = json!({ "status": status });
        if status == "planned" {
            v["planned_on"] = json!(format!("{}-12-31", 2027 + rng.below(3)));
        }
        match u {
            Utility::Power => v["capacity_mva"] = json!(60 * (2 + rng.below(6))),
            Utility::WaterSupply => v["capacity_m3_per_day"] = json!(10_000 * (2 + rng.below(9))),
            Utility::Gas => v["capacity_m3_per_day"] = json!(20_000 * (1 + rng.below(5))),
            Utility::Steam => v["capacity_t_per_h"] = json!(25 * (2 + rng.below(6))),
            _ => {}
        }
        utilities.insert(u.as_str().into(), v);
    }
    // A park no seed places has no parts: recorded, not drawn.
    let geom = (!out.boundary.0.is_empty()).then(|| geometry(&geo_types::Geometry::MultiPolygon(out.boundary.clone())));
    let mut estimated: Vec<&str> = p.estimated.to_vec();
    if geom.is_some() {
        estimated.extend(["boundary", "utilities.capacity"]);
    }
    feature(
        json!(p.id),
        geom,
        json!({
            "name_zh": p.name_zh, "name_en": p.name_en, "level": p.level, "city": p.city, "county": p.county,
            "towns": p.towns, "partner_city": p.partner_city, "zone_id": p.zone, "leading_industries": p.leading_industries,
            "cultivated_industries": p.cultivated_industries,
            "planned_area_km2": p.planned_area_km2.map(|a| (a * 1e4).round() / 1e4), "infrastructure": p.infrastructure,
            "utilities": utilities, "established": p.established, "source": p.source, "estimated": estimated,
        }),
    )
}

/// Constraint areas: blobs across the edge of some parks, so a few plots touch them.
// 6.28 is part of the fixed demo: TAU would move every blob.
#[allow(clippy::approx_constant)]
fn constraints(parks: &[ParkOut]) -> Result<Vec<Value>, DemoError> {
    // (park index, part, kind, name, bearing in turns, size as a share of the part radius)
    const AREAS: &[(usize, usize, &str, &str, f64, f64)] = &[
        (1, 0, "ecological_redline", "英德石门台生态保护红线（示意）", 0.10, 0.40),
        (6, 0, "ecological_redline", "英德东华生态保护红线（示意）", 0.60, 0.35),
        (6, 0, "permanent_farmland", "东华镇永久基本农田（示意）", 0.25, 0.30),
        (7, 0, "ecological_redline", "连州南岭生态保护红线（示意）", 0.85, 0.35),
        (3, 0, "flood", "潖江蓄滞洪区源潭片（示意）", 0.35, 0.40),
        (3, 0, "permanent_farmland", "源潭镇永久基本农田（示意）", 0.75, 0.30),
        (2, 0, "flood", "潖江蓄滞洪区汤塘片（示意）", 0.55, 0.35),
        (4, 0, "water_source", "北江饮用水水源保护区（示意）", 0.20, 0.30),
        (5, 0, "permanent_farmland", "禾云镇永久基本农田（示意）", 0.45, 0.35),
        (9, 1, "permanent_farmland", "雷州市永久基本农田（示意）", 0.15, 0.40),
        (9, 0, "ecological_redline", "湛江湾红树林生态保护红线（示意）", 0.05, 0.35),
    ];
    let mut out = Vec::new();
    for (i, &(park, part, kind, name, bearing, size)) in AREAS.iter().enumerate() {
        let (frame, r) = &parks[park].parts[part];
        let mut rng = Rng::derive(SEED, name);
        let t = bearing * std::f64::consts::TAU;
        let centre = Coord { x: 0.85 * r * t.cos(), y: 0.85 * r * t.sin() };
        let blob_r = size * r;
        let n = 32;
        let phase = rng.range(0.0, 6.28);
        let mut ring: Vec<Coord<f64>> = (0..n)
            .map(|k| {
                let a = k as f64 / n as f64 * std::f64::consts::TAU;
                let rr = blob_r * (1.0 + 0.2 * (3.0 * a + phase).sin());
                frame.lonlat(Coord { x: centre.x + rr * a.cos(), y: centre.y + rr * a.sin() })
            })
            .collect();
        ring.push(ring[0]);
        let geom = geo_types::Geometry::MultiPolygon(MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])]));
        out.push(feature(json!(i + 1), Some(geometry(&geom)), json!({ "kind": kind, "name": name })));
    }
    Ok(out)
}

fn check_parks_apart(parks: &[ParkOut]) -> Result<(), DemoError> {
    for (i, a) in parks.iter().enumerate() {
        for (j, b) in parks.iter().enumerate().skip(i + 1) {
            if a.boundary.intersects(&b.boundary) {
                return Err(DemoError::Rule(format!("parks {} and {} overlap", PARKS[i].id, PARKS[j].id)));
            }
        }
    }
    Ok(())
}

fn check_counts(data: &DemoData) -> Result<(), DemoError> {
    let layer = |name: &str| &data.layers.iter().find(|(n, _)| *n == name).expect("layer").1;
    let plots = layer("plots");
    if plots.len() < 3000 {
        return Err(DemoError::Rule(format!("{} plots, fewer than 3000", plots.len())));
    }
    for s in LandStatus::ALL.iter().map(|s| s.as_str()) {
        if !plots.iter().any(|p| p["properties"]["status"] == s) {
            return Err(DemoError::Rule(format!("no plot is {s}")));
        }
    }
    if layer("idle_records").len() < 50 {
        return Err(DemoError::Rule("fewer than 50 idle records".into()));
    }
    Ok(())
}

/// Writes every layer to `dir` as `<layer>.geojson`, one feature a line so that a change
/// to the generator shows as a readable diff.
pub fn write(data: &DemoData, dir: &Path) -> Result<(), DemoError> {
    std::fs::create_dir_all(dir).map_err(|e| DemoError::Write { path: dir.display().to_string(), source: e })?;
    for (name, features) in &data.layers {
        let path = dir.join(format!("{name}.geojson"));
        let werr = |e| DemoError::Write { path: path.display().to_string(), source: e };
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).map_err(werr)?);
        let head = json!({ "type": "FeatureCollection", "name": name, "parkland:as_of": AS_OF.to_string(), "parkland:generated_by": "parkland demo-data" });
        let head = head.to_string();
        // Open the object, keep its members, then the features array.
        writeln!(f, "{},\"features\":[", &head[..head.len() - 1]).map_err(werr)?;
        for (i, feat) in features.iter().enumerate() {
            let sep = if i + 1 < features.len() { ",\n" } else { "\n" };
            write!(f, "{feat}{sep}").map_err(werr)?;
        }
        writeln!(f, "]}}").map_err(werr)?;
        f.flush().map_err(werr)?;
    }
    Ok(())
}

/// Round-figure summary of a generated set, for the command's output.
pub fn summary(data: &DemoData) -> String {
    let area: f64 = PARKS.iter().filter_map(|p| p.planned_area_km2).sum();
    let counts: Vec<String> = data.layers.iter().map(|(name, features)| format!("{} {}", features.len(), name.replace('_', " "))).collect();
    format!("{} ({} km² of parks planned)", counts.join(", "), round1(area))
}
