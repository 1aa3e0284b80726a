//! A Shapefile (.shp with its .dbf, .prj and .cpg, side by side in a folder or together
//! in a .zip) as a GeoJSON FeatureCollection, for the import. The .dbf's text is decoded
//! by the `encoding` given, else by its .cpg (GBK is common in Chinese data); DBF field
//! names are cut to 10 characters, so a name that is the start of a plot property
//! (`supplied_o`) is read as that property (`supplied_on`).
//!
//! Archives and files come from anyone with an editor's token, so neither is trusted: a
//! zip's members are read only up to `MAX_EXPANDED_BYTES` in all, whatever their headers
//! say, and the .shp and .shx are walked by `check_structure` before the `shapefile`
//! crate sees them, since it sizes its buffers from the counts a file declares (a
//! `num_parts` of -1 or an index "0x7FFFFFFF words long" would panic it or exhaust memory).
//! Reading is blocking work: the server calls `read_zip` off its async workers.

use std::io::{Cursor, Read};
use std::path::Path;

use serde_json::{json, Map, Value};
use shapefile::dbase::{self, FieldValue};
use shapefile::{PolygonRing, Shape};

use super::ImportError;
use crate::store::catalog;

/// The features, and the CRS of the .prj (WKT) if there is one. `path` is a .shp with its
/// files beside it, or a .zip that holds them.
pub fn read(path: &Path, encoding: Option<&str>) -> Result<(Value, Option<String>), ImportError> {
    let is_zip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let parts = if is_zip {
        let bytes = std::fs::read(path).map_err(|e| ImportError::File(format!("{}: {e}", path.display())))?;
        Parts::from_zip(&bytes, &path.display().to_string())?
    } else {
        Parts::from_folder(path)?
    };
    parts.features(encoding)
}

/// As `read`, for a zipped Shapefile sent over HTTP.
pub fn read_zip(bytes: &[u8], encoding: Option<&str>) -> Result<(Value, Option<String>), ImportError> {
    Parts::from_zip(bytes, "the archive")?.features(encoding)
}

/// The most a zip's Shapefile members may expand to, in all. A county's 20,000 plots
/// with their attributes take about 20 MB; a 1 MB archive of a gigabyte of zeros does not
/// get to allocate that gigabyte.
pub const MAX_EXPANDED_BYTES: u64 = 64 << 20;

/// The files of one Shapefile, read into memory.
struct Parts {
    /// Where it came from, for messages.
    name: String,
    shp: Vec<u8>,
    shx: Option<Vec<u8>>,
    dbf: Vec<u8>,
    prj: Option<String>,
    cpg: Option<String>,
}

impl Parts {
    fn from_folder(shp: &Path) -> Result<Parts, ImportError> {
        let name = shp.display().to_string();
        let need = |ext: &str| std::fs::read(shp.with_extension(ext)).map_err(|e| ImportError::File(format!("{}: {e}", shp.with_extension(ext).display())));
        let text = |ext: &str| std::fs::read(shp.with_extension(ext)).ok().map(|b| String::from_utf8_lossy(&b).trim().to_string()).filter(|s| !s.is_empty());
        Ok(Parts { shp: need("shp")?, shx: need("shx").ok(), dbf: need("dbf")?, prj: text("prj"), cpg: text("cpg"), name })
    }

    /// The one Shapefile in a zip archive (in any folder of it; macOS's `__MACOSX`
    /// copies are not files of it).
    fn from_zip(bytes: &[u8], name: &str) -> Result<Parts, ImportError> {
        let bad = |e: &dyn std::fmt::Display| ImportError::File(format!("{name} is not a readable zip archive: {e}"));
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
        let names: Vec<String> = zip.file_names().map(|n| n.map(|n| n.into_owned())).collect::<Result<Vec<_>, _>>().map_err(|e| bad(&e))?;
        let names: Vec<String> = names.into_iter().filter(|n| !n.starts_with("__MACOSX/")).collect();
        let shps: Vec<&String> = names.iter().filter(|n| n.to_ascii_lowercase().ends_with(".shp")).collect();
        let stem = match shps.as_slice() {
            [one] => one[..one.len() - 4].to_string(),
            [] => return Err(ImportError::File(format!("{name} holds no .shp file (it holds: {})", names.join(", ")))),
            many => {
                let list: Vec<&str> = many.iter().map(|s| s.as_str()).collect();
                return Err(ImportError::File(format!("{name} holds {} Shapefiles ({}); send one at a time", many.len(), list.join(", "))));
            }
        };
        let mut left = MAX_EXPANDED_BYTES;
        let too_large =
            || ImportError::TooLarge(format!("{name}: the Shapefile expands to more than {} MB; split it by park or town", MAX_EXPANDED_BYTES >> 20));
        let mut member = |ext: &str| -> Result<Option<Vec<u8>>, ImportError> {
            let Some(found) = names.iter().find(|n| n.len() == stem.len() + 4 && n.starts_with(&stem) && n[stem.len()..].eq_ignore_ascii_case(ext)) else {
                return Ok(None);
            };
            let file = zip.by_name(found).map_err(|e| bad(&e))?;
            // The declared size refuses early; the `take` holds even when it lies.
            if file.size() > left {
                return Err(too_large());
            }
            let mut out = Vec::with_capacity(file.size() as usize);
            file.take(left + 1).read_to_end(&mut out).map_err(|e| bad(&e))?;
            left = left.checked_sub(out.len() as u64).ok_or_else(too_large)?;
            Ok(Some(out))
        };
        let shp = member(".shp")?.expect("listed");
        let dbf = member(".dbf")?.ok_or_else(|| ImportError::File(format!("{name}: {stem}.shp has no .dbf beside it (the attributes)")))?;
        let text = |b: Option<Vec<u8>>| b.map(|b| String::from_utf8_lossy(&b).trim().to_string()).filter(|s| !s.is_empty());
        let (shx, prj, cpg) = (member(".shx")?, text(member(".prj")?), text(member(".cpg")?));
        Ok(Parts { name: format!("{name}: {stem}.shp"), shp, shx, dbf, prj, cpg })
    }

    /// The features, once the files' structure is checked; a panic in the readers (a
    /// case the checks missed) is a refused file, not a dropped connection.
    fn features(self, encoding: Option<&str>) -> Result<(Value, Option<String>), ImportError> {
        let name = self.name.clone();
        check_structure(&self.shp, self.shx.as_deref()).map_err(|reason| ImportError::File(format!("{name} is malformed: {reason}")))?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.read_checked(encoding)))
            .unwrap_or_else(|_| Err(ImportError::File(format!("{name} is malformed: its records cannot be read"))))
    }

    fn read_checked(self, encoding: Option<&str>) -> Result<(Value, Option<String>), ImportError> {
        let name = &self.name;
        let bad = |e: &dyn std::fmt::Display| ImportError::File(format!("{name}: {e}"));
        // Read in order: `check_structure` walked the records the .shx points at.
        let shapes = shapefile::ShapeReader::new(Cursor::new(self.shp)).map_err(|e| bad(&e))?;
        let records = match encoding.or(self.cpg.as_deref()) {
            Some(label) => {
                let enc = dbase::encoding::DynEncoding::from_name(label)
                    .ok_or_else(|| ImportError::File(format!("{name}: unknown text encoding '{label}' (GBK, GB18030, UTF-8, …)")))?;
                dbase::Reader::new_with_encoding(Cursor::new(self.dbf), enc)
            }
            None => dbase::Reader::new(Cursor::new(self.dbf)),
        }
        .map_err(|e| bad(&e))?;
        let mut reader = shapefile::Reader::new(shapes, records);
        let names: Vec<&str> = catalog::find("plots").expect("plots").properties.iter().map(|p| p.name).collect();
        let mut features = Vec::new();
        for (i, item) in reader.iter_shapes_and_records().enumerate() {
            let (shape, record) = item.map_err(|e| ImportError::File(format!("{name} feature {i}: {e}")))?;
            let mut props = Map::new();
            for (field, value) in record {
                let field = field.to_lowercase();
                let name = names.iter().find(|n| **n == field || (field.len() == 10 && n.starts_with(&field))).map(|n| n.to_string()).unwrap_or(field);
                props.insert(name, value_of(value));
            }
            features.push(json!({ "type": "Feature", "properties": props, "geometry": geometry(shape) }));
        }
        Ok((json!({ "type": "FeatureCollection", "features": features }), self.prj))
    }
}

const SHP_HEADER: usize = 100;
const FILE_CODE: i32 = 9994;

/// Walks the .shp's records (and the .shx's index, if given) and refuses what would make
/// a reader trust a count beyond the bytes there are: a wrong file code, a record running
/// past the end, a polygon whose part or point counts are negative or do not fit in its
/// record, a part starting outside its points, an index whose declared length or entries
/// disagree with the files.
pub fn check_structure(shp: &[u8], shx: Option<&[u8]>) -> Result<(), String> {
    let be = |b: &[u8], at: usize| i32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let le = |b: &[u8], at: usize| i32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    if shp.len() < SHP_HEADER || be(shp, 0) != FILE_CODE {
        return Err("the .shp does not start with a Shapefile header".into());
    }
    let mut records = Vec::new();
    let mut at = SHP_HEADER;
    while at < shp.len() {
        let number = records.len() + 1;
        if shp.len() - at < 8 {
            return Err(format!("record {number} is cut off in its header"));
        }
        let words = be(shp, at + 4);
        let bytes = usize::try_from(words).ok().map(|w| w * 2).filter(|b| *b >= 4 && *b <= shp.len() - at - 8);
        let Some(bytes) = bytes else {
            return Err(format!("record {number} declares a length of {words} words, beyond the file's end"));
        };
        let content = &shp[at + 8..at + 8 + bytes];
        // Only polygons are plots, and only their counts are checked here: other shapes
        // (points, lines, multipatches) are refused before the reader sizes a buffer by
        // their counts (a multipoint's size check overflows and passes).
        match le(content, 0) {
            0 => {}
            5 | 15 | 25 => check_polygon(content).map_err(|e| format!("record {number}: {e}"))?,
            other => return Err(format!("record {number} is a shape of type {other}, not a polygon; plots are polygons")),
        }
        records.push((at, words));
        at += 8 + bytes;
    }
    let Some(shx) = shx else { return Ok(()) };
    if shx.len() < SHP_HEADER || be(shx, 0) != FILE_CODE {
        return Err("the .shx does not start with a Shapefile header".into());
    }
    let declared = i64::from(be(shx, 24)) * 2;
    if declared != shx.len() as i64 {
        return Err(format!("the .shx declares {declared} bytes but holds {}", shx.len()));
    }
    let entries = (shx.len() - SHP_HEADER) / 8;
    if !(shx.len() - SHP_HEADER).is_multiple_of(8) || entries != records.len() {
        return Err(format!("the .shx indexes {entries} records, the .shp holds {}", records.len()));
    }
    for (i, (at, words)) in records.iter().enumerate() {
        let entry = SHP_HEADER + i * 8;
        if i64::from(be(shx, entry)) * 2 != *at as i64 || be(shx, entry + 4) != *words {
            return Err(format!("the .shx entry for record {} does not point at it", i + 1));
        }
    }
    Ok(())
}

/// A polygon record (shape type, bounding box, part and point counts, part starts,
/// points, then Z and M ranges if any): its counts fit in its bytes.
fn check_polygon(content: &[u8]) -> Result<(), String> {
    let le = |at: usize| i32::from_le_bytes([content[at], content[at + 1], content[at + 2], content[at + 3]]);
    if content.len() < 44 {
        return Err(format!("a polygon record of {} bytes is shorter than its header", content.len()));
    }
    let (parts, points) = (le(36), le(40));
    if parts < 0 || points < 0 {
        return Err(format!("it declares {parts} parts and {points} points"));
    }
    let (parts, points) = (parts as usize, points as usize);
    let needed = 44u64 + 4 * parts as u64 + 16 * points as u64;
    if needed > content.len() as u64 {
        return Err(format!("{parts} parts and {points} points need {needed} bytes, the record holds {}", content.len()));
    }
    if parts == 0 && points > 0 {
        return Err(format!("{points} points in no part"));
    }
    let mut previous = 0;
    for p in 0..parts {
        let start = le(44 + 4 * p);
        if start < previous || start as usize >= points.max(1) {
            return Err(format!("part {} starts at point {start}, outside its {points} points", p + 1));
        }
        previous = start;
    }
    Ok(())
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
    (
        outer,
        Value::Array(
            points
                .iter()
                .map(|p| {
                    let (x, y) = xy(p);
                    json!([x, y])
                })
                .collect(),
        ),
    )
}
