//! A Shapefile (.shp with its .dbf, .prj and .cpg) as a GeoJSON FeatureCollection, for
//! the import. The .dbf's text is decoded by the `encoding` given, else by its .cpg (GBK is
//! common in Chinese data); DBF field names are cut to 10 characters, so a name that is
//! the start of a plot property (`supplied_o`) is read as that property (`supplied_on`).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use serde_json::{json, Map, Value};
use shapefile::dbase::{self, FieldValue};
use shapefile::{PolygonRing, Shape};

use super::ImportError;
use crate::store::catalog;

/// The features, and the CRS of the .prj (WKT) if there is one.
pub fn read(path: &Path, encoding: Option<&str>) -> Result<(Value, Option<String>), ImportError> {
    let bad = |e: &dyn std::fmt::Display| ImportError::File(format!("{}: {e}", path.display()));
    let mut reader = match encoding {
        None => shapefile::Reader::from_path(path).map_err(|e| bad(&e))?,
        Some(name) => {
            let enc = dbase::encoding::DynEncoding::from_name(name)
                .ok_or_else(|| ImportError::File(format!("unknown text encoding '{name}' (GBK, GB18030, UTF-8, …)")))?;
            let shapes = shapefile::ShapeReader::from_path(path).map_err(|e| bad(&e))?;
            let dbf = File::open(path.with_extension("dbf")).map_err(|e| bad(&e))?;
            let records = dbase::Reader::new_with_encoding(BufReader::new(dbf), enc).map_err(|e| bad(&e))?;
            shapefile::Reader::new(shapes, records)
        }
    };
    let prj = std::fs::read_to_string(path.with_extension("prj")).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let names: Vec<&str> = catalog::find("plots").expect("plots").properties.iter().map(|p| p.name).collect();
    let mut features = Vec::new();
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(|e| ImportError::File(format!("{} feature {i}: {e}", path.display())))?;
        let mut props = Map::new();
        for (field, value) in record {
            let field = field.to_lowercase();
            let name = names.iter().find(|n| **n == field || (field.len() == 10 && n.starts_with(&field))).map(|n| n.to_string()).unwrap_or(field);
            props.insert(name, value_of(value));
        }
        features.push(json!({ "type": "Feature", "properties": props, "geometry": geometry(shape) }));
    }
    Ok((json!({ "type": "FeatureCollection", "features": features }), prj))
}

fn value_of(v: FieldValue) -> Value {
    match v {
        FieldValue::Character(Some(s)) | FieldValue::Memo(s) => Value::String(s.trim_end().to_string()),
        FieldValue::Numeric(Some(n)) | FieldValue::Double(n) | FieldValue::Currency(n) => json!(n),
        FieldValue::Float(Some(n)) => json!(n as f64),
        FieldValue::Integer(n) => json!(n),
        FieldValue::Logical(Some(b)) => json!(b),
        // An empty date field reads as 0000-00-00.
        FieldValue::Date(Some(d)) if d.year() > 0 => json!(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())),
        _ => Value::Null,
    }
}

/// A polygon shape as a GeoJSON MultiPolygon: each outer ring starts a polygon, and the
/// inner rings after it are its holes. Other shapes come as null (and are refused).
fn geometry(shape: Shape) -> Value {
    let rings = match &shape {
        Shape::Polygon(p) => p.rings().iter().map(|r| ring(r, |p| (p.x, p.y))).collect::<Vec<_>>(),
        Shape::PolygonZ(p) => p.rings().iter().map(|r| ring(r, |p| (p.x, p.y))).collect(),
        Shape::PolygonM(p) => p.rings().iter().map(|r| ring(r, |p| (p.x, p.y))).collect(),
        _ => return Value::Null,
    };
    let mut polygons: Vec<Vec<Value>> = Vec::new();
    for (outer, coords) in rings {
        if outer || polygons.is_empty() {
            polygons.push(vec![coords]);
        } else if let Some(last) = polygons.last_mut() {
            last.push(coords);
        }
    }
    json!({ "type": "MultiPolygon", "coordinates": polygons })
}

fn ring<P>(r: &PolygonRing<P>, xy: impl Fn(&P) -> (f64, f64)) -> (bool, Value) {
    let (outer, points) = match r {
        PolygonRing::Outer(p) => (true, p),
        PolygonRing::Inner(p) => (false, p),
    };
    (outer, Value::Array(points.iter().map(|p| { let (x, y) = xy(p); json!([x, y]) }).collect()))
}
