//! Items as a zipped Shapefile (`f=shp`): .shp, .shx, .dbf (UTF-8, said by the .cpg) and
//! .prj, as QGIS, ArcGIS and GDAL read them. dBase limits apply: field names of at most
//! ten letters (cut, and numbered where two would clash), text of at most 254 bytes.
//!
//! A Shapefile of polygons has no place for a feature without geometry (a park recorded
//! before it is drawn, a project with no plots yet): such features are left out and the
//! response names them in `Omitted-Features`; a page of nothing else is a 400.

use std::io::Cursor;

use axum::body::Body;
use axum::response::Response;
use serde_json::Value;
use shapefile::dbase::{self, FieldValue};

use super::{file_response, gather, swap_axes};
use crate::api::ApiError;
use crate::crs::Crs;
use crate::store::catalog::{Collection, Kind};
use crate::store::features::Page;

/// The columns of the page, each with its kind and its dBase name.
struct Columns<'a> {
    c: &'static Collection,
    kinds: &'a [(&'static str, &'static Kind)],
    /// "id" first, then one per kind.
    names: Vec<String>,
}

pub async fn items_shapefile(pool: &sqlx::PgPool, c: &'static Collection, columns: Vec<&'static str>, mut page: Page, crs: Crs) -> Result<Response, ApiError> {
    let (mut features, kinds) = gather(c, &columns, &mut page).await?;
    let omitted: Vec<String> = features.iter().filter(|f| f["geometry"].is_null()).map(|f| f["id"].to_string().trim_matches('"').to_string()).collect();
    if !omitted.is_empty() && omitted.len() == features.len() {
        return Err(ApiError::BadRequest(format!(
            "no feature of this page has a geometry, which a Shapefile needs ({}); ask for f=csv or f=json",
            omitted.join(", ")
        )));
    }
    features.retain(|f| !f["geometry"].is_null());
    let columns = Columns { c, kinds: &kinds, names: dbf_names(&kinds) };
    let (shp, shx, dbf) = shapes_and_records(&mut features, &columns, crs)?;
    let mut files = vec![("shp", shp), ("shx", shx), ("dbf", dbf), ("cpg", b"UTF-8".to_vec())];
    if let Some(prj) = crate::store::crs_wkt(pool, crs.srid).await? {
        files.push(("prj", prj.into_bytes()));
    }
    let out = zipped(c.id, &files)?;
    let mut response = file_response(Body::from(out), "application/zip", &crs, c, "zip", &page.etag);
    if !omitted.is_empty() {
        // Ids are text of the id pattern or integers: header-safe.
        let names = format!("{} without geometry: {}", omitted.len(), omitted.join(","));
        if let Ok(v) = axum::http::HeaderValue::from_str(&names) {
            response.headers_mut().insert("omitted-features", v);
        }
    }
    Ok(response)
}

fn shapefile_error(e: &dyn std::fmt::Display) -> ApiError {
    ApiError::Internal(format!("Shapefile: {e}"))
}

/// The dBase name of each column, "id" first: at most ten letters, numbered on a clash.
fn dbf_names(kinds: &[(&'static str, &'static Kind)]) -> Vec<String> {
    let mut names: Vec<String> = vec!["id".into()];
    for (name, _) in kinds {
        let mut short: String = name.chars().take(10).collect();
        let mut n = 1;
        while names.contains(&short) {
            short = format!("{}{n:02}", name.chars().take(8).collect::<String>());
            n += 1;
        }
        names.push(short);
    }
    names
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// At most 254 bytes, cut at a character's edge.
fn cut(s: String) -> String {
    if s.len() <= 254 {
        return s;
    }
    let mut end = 254;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// The .dbf's fields: text as wide as its longest value.
fn table(columns: &Columns, features: &[Value]) -> Result<dbase::TableWriterBuilder, ApiError> {
    let width = |get: &dyn Fn(&Value) -> Option<String>| -> u8 { features.iter().filter_map(get).map(|s| s.len().min(254)).max().unwrap_or(1).max(1) as u8 };
    let mut table = dbase::TableWriterBuilder::new().set_encoding(dbase::encoding::DynEncoding::from_name("UTF-8").expect("UTF-8 is known"));
    let field = |n: &str| dbase::FieldName::try_from(n).map_err(|e| shapefile_error(&format!("{e:?}")));
    table = if matches!(columns.c.id_kind, Kind::Integer) {
        table.add_numeric_field(field("id")?, 18, 0)
    } else {
        table.add_character_field(field("id")?, width(&|f| text_of(&f["id"])))
    };
    for ((name, kind), short) in columns.kinds.iter().zip(&columns.names[1..]) {
        let field = field(short)?;
        table = match kind {
            Kind::Integer => table.add_numeric_field(field, 18, 0),
            Kind::Number => table.add_numeric_field(field, 24, 6),
            Kind::Date => table.add_date_field(field),
            Kind::Boolean => table.add_logical_field(field),
            _ => table.add_character_field(field, width(&|f| text_of(&f["properties"][*name]))),
        };
    }
    Ok(table)
}

/// A feature's row of the .dbf.
fn record(columns: &Columns, f: &Value) -> dbase::Record {
    let mut r = dbase::Record::default();
    let id = match (&columns.c.id_kind, &f["id"]) {
        (Kind::Integer, v) => FieldValue::Numeric(v.as_f64()),
        (_, v) => FieldValue::Character(text_of(v).map(cut)),
    };
    r.insert("id".into(), id);
    for ((name, kind), short) in columns.kinds.iter().zip(&columns.names[1..]) {
        let v = &f["properties"][*name];
        let value = match kind {
            Kind::Integer | Kind::Number => FieldValue::Numeric(v.as_f64()),
            Kind::Boolean => FieldValue::Logical(v.as_bool()),
            Kind::Date => FieldValue::Date(v.as_str().and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).map(|d| {
                use chrono::Datelike;
                dbase::Date::new(d.day(), d.month(), d.year() as u32)
            })),
            _ => FieldValue::Character(text_of(v).map(cut)),
        };
        r.insert(short.clone(), value);
    }
    r
}

/// A Shapefile's three files.
type ShpShxDbf = (Vec<u8>, Vec<u8>, Vec<u8>);

/// The .shp, .shx and .dbf of `features` (x first whatever the CRS's axis order).
fn shapes_and_records(features: &mut [Value], columns: &Columns, crs: Crs) -> Result<ShpShxDbf, ApiError> {
    let table = table(columns, features)?;
    let (mut shp, mut shx, mut dbf) = (Cursor::new(Vec::new()), Cursor::new(Vec::new()), Cursor::new(Vec::new()));
    {
        let mut writer = shapefile::Writer::new(shapefile::ShapeWriter::with_shx(&mut shp, &mut shx), table.build_with_dest(&mut dbf));
        for f in features.iter_mut() {
            if crs.north_first {
                swap_axes(&mut f["geometry"]["coordinates"]);
            }
            let record = record(columns, f);
            let g = &f["geometry"];
            let written = match g["type"].as_str().unwrap_or_default() {
                "Point" => writer.write_shape_and_record(&shapefile::Point::new(x(&g["coordinates"]), y(&g["coordinates"])), &record),
                "LineString" | "MultiLineString" => {
                    let parts: Vec<Vec<shapefile::Point>> =
                        if g["type"] == "LineString" { vec![points(&g["coordinates"])] } else { each(&g["coordinates"], points) };
                    writer.write_shape_and_record(&shapefile::Polyline::with_parts(parts), &record)
                }
                "Polygon" | "MultiPolygon" => writer.write_shape_and_record(&polygon(g), &record),
                other => return Err(ApiError::Internal(format!("a {other} cannot go into a Shapefile"))),
            };
            written.map_err(|e| shapefile_error(&e))?;
        }
    }
    Ok((shp.into_inner(), shx.into_inner(), dbf.into_inner()))
}

/// A GeoJSON Polygon or MultiPolygon as one Shapefile polygon of rings.
fn polygon(g: &Value) -> shapefile::Polygon {
    let polygons = if g["type"] == "Polygon" { vec![g["coordinates"].clone()] } else { each(&g["coordinates"], Value::clone) };
    let mut rings = Vec::new();
    for polygon in &polygons {
        for (i, ring) in each(polygon, points).into_iter().enumerate() {
            rings.push(if i == 0 { shapefile::PolygonRing::Outer(ring) } else { shapefile::PolygonRing::Inner(ring) });
        }
    }
    shapefile::Polygon::with_rings(rings)
}

/// The files as one zip, each named `{name}.{extension}`.
fn zipped(name: &str, files: &[(&str, Vec<u8>)]) -> Result<Vec<u8>, ApiError> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (ext, bytes) in files {
        zip.start_file(format!("{name}.{ext}"), zip::write::SimpleFileOptions::default()).map_err(|e| shapefile_error(&e))?;
        zip.write_all(bytes).map_err(|e| shapefile_error(&e))?;
    }
    Ok(zip.finish().map_err(|e| shapefile_error(&e))?.into_inner())
}

fn x(p: &Value) -> f64 {
    p[0].as_f64().unwrap_or_default()
}

fn y(p: &Value) -> f64 {
    p[1].as_f64().unwrap_or_default()
}

fn points(line: &Value) -> Vec<shapefile::Point> {
    each(line, |p| shapefile::Point::new(x(p), y(p)))
}

fn each<T>(v: &Value, f: impl Fn(&Value) -> T) -> Vec<T> {
    v.as_array().map(|a| a.iter().map(f).collect()).unwrap_or_default()
}
