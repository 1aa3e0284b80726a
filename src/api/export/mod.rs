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

mod shapefile;
pub use shapefile::items_shapefile;

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
