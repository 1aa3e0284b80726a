//! Items as files for GIS tools: FlatGeobuf (`f=fgb`), which QGIS and GDAL open as a
//! layer with typed columns and a spatial index, and a zipped Shapefile (`f=shp`).
//!
//! Both keep an index or an extent ahead of the features, so the page is gathered before
//! it is written; the page's `limit` bounds it as it bounds GeoJSON.

use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::{ColumnValue, PropertyProcessor};
use serde_json::Value;

use super::ApiError;
use crate::crs::Crs;
use crate::store::catalog::{Collection, Kind};
use crate::store::features::Page;

/// The page's features, parsed, and each column asked for with its kind.
async fn gather(c: &'static Collection, columns: &[&'static str], page: &mut Page) -> Result<(Vec<Value>, Vec<(&'static str, &'static Kind)>), ApiError> {
    let mut features: Vec<Value> = Vec::new();
    while let Some(row) = page.features.recv().await {
        features.push(serde_json::from_str(&row?).map_err(|e| ApiError::Internal(e.to_string()))?);
    }
    let kinds = columns.iter().filter_map(|n| c.properties.iter().find(|p| p.name == *n).map(|p| (p.name, &p.kind))).collect();
    Ok((features, kinds))
}

/// A page as a file to save: its media type, the CRS of its coordinates, a file name
/// (the collection's, with `extension`), and the page's ETag.
pub(super) fn file_response(body: Body, media: &'static str, crs: &Crs, c: &Collection, extension: &str, etag: &str) -> Response {
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert("content-crs", HeaderValue::from_str(&format!("<{}>", crs.uri())).expect("ascii"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("attachment; filename=\"{}.{extension}\"", c.id)).expect("ascii"));
    h.insert(header::ETAG, HeaderValue::from_str(etag).expect("ascii"));
    res
}

pub async fn items_fgb(c: &'static Collection, columns: Vec<&'static str>, mut page: Page, crs: Crs) -> Result<Response, ApiError> {
    let (mut features, kinds) = gather(c, &columns, &mut page).await?;
    let options = FgbWriterOptions {
        crs: FgbCrs { code: crs.srid, ..Default::default() },
        title: Some(c.title_zh),
        description: Some(c.description),
        ..Default::default()
    };
    let fgb_err = |e: &dyn std::fmt::Display| ApiError::Internal(format!("FlatGeobuf: {e}"));
    let mut fgb = FgbWriter::create_with_options(c.id, GeometryType::Unknown, options).map_err(|e| fgb_err(&e))?;
    let id_type = if matches!(c.id_kind, Kind::Integer) { ColumnType::Long } else { ColumnType::String };
    fgb.add_column("id", id_type, |_, col| col.nullable = false);
    for (name, kind) in &kinds {
        fgb.add_column(name, column_type(kind), |_, col| col.nullable = true);
    }
    for f in &mut features {
        if f["geometry"].is_null() {
            continue;
        }
        // GIS files keep x (easting, longitude) first whatever the CRS's own axis order.
        if crs.north_first {
            swap_axes(&mut f["geometry"]["coordinates"]);
        }
        let geometry = f["geometry"].to_string();
        fgb.add_feature_geom(geozero::geojson::GeoJson(&geometry), |w| {
            let _ = match &f["id"] {
                Value::Number(n) => w.property(0, "id", &ColumnValue::Long(n.as_i64().unwrap_or_default())),
                other => w.property(0, "id", &ColumnValue::String(other.as_str().unwrap_or_default())),
            };
            for (i, (name, kind)) in kinds.iter().enumerate() {
                let v = &f["properties"][*name];
                let text;
                let value = match (kind, v) {
                    (_, Value::Null) => continue,
                    (Kind::Integer, Value::Number(n)) => ColumnValue::Long(n.as_i64().unwrap_or_default()),
                    (Kind::Number, Value::Number(n)) => ColumnValue::Double(n.as_f64().unwrap_or_default()),
                    (Kind::Boolean, Value::Bool(b)) => ColumnValue::Bool(*b),
                    (Kind::Text | Kind::Date, Value::String(s)) => {
                        if matches!(kind, Kind::Date) {
                            ColumnValue::DateTime(s)
                        } else {
                            ColumnValue::String(s)
                        }
                    }
                    _ => {
                        text = v.to_string();
                        ColumnValue::Json(&text)
                    }
                };
                let _ = w.property(i + 1, name, &value);
            }
        })
        .map_err(|e| fgb_err(&e))?;
    }
    let mut out = Vec::new();
    fgb.write(&mut out).map_err(|e| fgb_err(&e))?;
    Ok(file_response(Body::from(out), "application/flatgeobuf", &crs, c, "fgb", &page.etag))
}

fn column_type(kind: &Kind) -> ColumnType {
    match kind {
        Kind::Text => ColumnType::String,
        Kind::Integer => ColumnType::Long,
        Kind::Number => ColumnType::Double,
        Kind::Date => ColumnType::DateTime,
        Kind::Boolean => ColumnType::Bool,
        Kind::TextArray | Kind::IntegerArray | Kind::Object => ColumnType::Json,
    }
}

/// Swaps the first two numbers of every position in GeoJSON coordinates.
fn swap_axes(v: &mut Value) {
    if let Value::Array(items) = v {
        if items.len() >= 2 && items[0].is_number() {
            items.swap(0, 1);
        } else {
            items.iter_mut().for_each(swap_axes);
        }
    }
}

/// Items as a zipped Shapefile (`f=shp`): .shp, .shx, .dbf (UTF-8, said by the .cpg) and
/// .prj, as QGIS, ArcGIS and GDAL read them. dBase limits apply: field names of at most
/// ten letters (cut, and numbered where two would clash), text of at most 254 bytes.
///
/// A Shapefile of polygons has no place for a feature without geometry (a park recorded
/// before it is drawn, a project with no plots yet): such features are left out and the
/// response names them in `Omitted-Features`; a page of nothing else is a 400.
pub async fn items_shapefile(pool: &sqlx::PgPool, c: &'static Collection, columns: Vec<&'static str>, mut page: Page, crs: Crs) -> Result<Response, ApiError> {
    use shapefile::dbase::{self, FieldValue};
    let (mut features, kinds) = gather(c, &columns, &mut page).await?;
    let omitted: Vec<String> = features.iter().filter(|f| f["geometry"].is_null()).map(|f| f["id"].to_string().trim_matches('"').to_string()).collect();
    if !omitted.is_empty() && omitted.len() == features.len() {
        return Err(ApiError::BadRequest(format!(
            "no feature of this page has a geometry, which a Shapefile needs ({}); ask for f=csv or f=json",
            omitted.join(", ")
        )));
    }
    features.retain(|f| !f["geometry"].is_null());
    // The dBase name of each column, "id" first.
    let mut names: Vec<String> = vec!["id".into()];
    for (name, _) in &kinds {
        let mut short: String = name.chars().take(10).collect();
        let mut n = 1;
        while names.contains(&short) {
            short = format!("{}{n:02}", name.chars().take(8).collect::<String>());
            n += 1;
        }
        names.push(short);
    }
    let text_of = |v: &Value| -> Option<String> {
        match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    };
    let cut = |s: String| -> String {
        if s.len() <= 254 {
            return s;
        }
        let mut end = 254;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].to_string()
    };
    let width = |get: &dyn Fn(&Value) -> Option<String>| -> u8 { features.iter().filter_map(get).map(|s| s.len().min(254)).max().unwrap_or(1).max(1) as u8 };
    let field_err = |e: &dyn std::fmt::Display| ApiError::Internal(format!("Shapefile: {e}"));
    let mut table = dbase::TableWriterBuilder::new().set_encoding(dbase::encoding::DynEncoding::from_name("UTF-8").expect("UTF-8 is known"));
    let id_field = |n: &str| dbase::FieldName::try_from(n).map_err(|e| field_err(&format!("{e:?}")));
    table = if matches!(c.id_kind, Kind::Integer) {
        table.add_numeric_field(id_field("id")?, 18, 0)
    } else {
        table.add_character_field(id_field("id")?, width(&|f| text_of(&f["id"])))
    };
    for ((name, kind), short) in kinds.iter().zip(&names[1..]) {
        let field = id_field(short)?;
        table = match kind {
            Kind::Integer => table.add_numeric_field(field, 18, 0),
            Kind::Number => table.add_numeric_field(field, 24, 6),
            Kind::Date => table.add_date_field(field),
            Kind::Boolean => table.add_logical_field(field),
            _ => table.add_character_field(field, width(&|f| text_of(&f["properties"][*name]))),
        };
    }
    let record_of = |f: &Value| -> dbase::Record {
        let mut r = dbase::Record::default();
        let id = match (&c.id_kind, &f["id"]) {
            (Kind::Integer, v) => FieldValue::Numeric(v.as_f64()),
            (_, v) => FieldValue::Character(text_of(v).map(cut)),
        };
        r.insert("id".into(), id);
        for ((name, kind), short) in kinds.iter().zip(&names[1..]) {
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
    };

    let (mut shp, mut shx, mut dbf) = (std::io::Cursor::new(Vec::new()), std::io::Cursor::new(Vec::new()), std::io::Cursor::new(Vec::new()));
    {
        let mut writer = shapefile::Writer::new(shapefile::ShapeWriter::with_shx(&mut shp, &mut shx), table.build_with_dest(&mut dbf));
        for f in &mut features {
            if crs.north_first {
                swap_axes(&mut f["geometry"]["coordinates"]);
            }
            let record = record_of(f);
            let g = &f["geometry"];
            let written = match g["type"].as_str().unwrap_or_default() {
                "Point" => writer.write_shape_and_record(&shapefile::Point::new(x(&g["coordinates"]), y(&g["coordinates"])), &record),
                "LineString" | "MultiLineString" => {
                    let parts: Vec<Vec<shapefile::Point>> =
                        if g["type"] == "LineString" { vec![points(&g["coordinates"])] } else { each(&g["coordinates"], points) };
                    writer.write_shape_and_record(&shapefile::Polyline::with_parts(parts), &record)
                }
                "Polygon" | "MultiPolygon" => {
                    let polygons = if g["type"] == "Polygon" { vec![g["coordinates"].clone()] } else { each(&g["coordinates"], |p| p.clone()) };
                    let mut rings = Vec::new();
                    for polygon in &polygons {
                        for (i, ring) in each(polygon, points).into_iter().enumerate() {
                            rings.push(if i == 0 { shapefile::PolygonRing::Outer(ring) } else { shapefile::PolygonRing::Inner(ring) });
                        }
                    }
                    writer.write_shape_and_record(&shapefile::Polygon::with_rings(rings), &record)
                }
                other => return Err(ApiError::Internal(format!("a {other} cannot go into a Shapefile"))),
            };
            written.map_err(|e| field_err(&e))?;
        }
    }
    let prj: Option<String> = sqlx::query_scalar("SELECT srtext FROM spatial_ref_sys WHERE srid = $1").bind(crs.srid).fetch_optional(pool).await?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut add = |ext: &str, bytes: &[u8]| -> Result<(), ApiError> {
        use std::io::Write;
        zip.start_file(format!("{}.{ext}", c.id), zip::write::SimpleFileOptions::default()).map_err(|e| field_err(&e))?;
        zip.write_all(bytes).map_err(|e| field_err(&e))
    };
    add("shp", shp.get_ref())?;
    add("shx", shx.get_ref())?;
    add("dbf", dbf.get_ref())?;
    add("cpg", b"UTF-8")?;
    if let Some(prj) = prj {
        add("prj", prj.as_bytes())?;
    }
    let out = zip.finish().map_err(|e| field_err(&e))?.into_inner();
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
