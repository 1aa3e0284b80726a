//! `/collections/{c}/schema`: a collection's returnables and receivables (OGC API - Features
//! Part 5, OGC API - Common Part 3 "Schemas", 23-058r2) — one flat JSON Schema 2020-12
//! whose properties are the feature's id, its geometry and its properties side by side,
//! each with its `x-ogc-role`, title (Chinese; English in the description), unit, codes
//! and whether a write may set it (`readOnly` otherwise). QGIS reads it to type the
//! layer's fields, order them and lock the read-only ones in its forms.
//!
//! Everything here comes from the catalog (types, titles), the writable descriptions
//! (what a write sets) and the domain's vocabularies (codes): a property added to the
//! catalog is in the schema at once.
//!
//! A property without a value is written `null` in parkland's GeoJSON. Each property has
//! one `type` (Part 5 recommends a single type, and QGIS types a field only from a `type`
//! that is a string: `["number", "null"]` would make every nullable figure a text field),
//! so a null is read as a value not given; `required` lists what every feature has.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde_json::{json, Map, Value};

use super::features::{accept, collection_or_404, respond};
use super::ogc::{base_url, SCHEMA_JSON};
use super::routes::Routes;
use super::{params, ApiError};
use crate::edit::geometry::Shape;
use crate::edit::Writable;
use crate::store::catalog::{Codes, Collection, Kind, Property};
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new().get("/collections/{collection}/schema", get(schema))
}

async fn schema(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let c = collection_or_404(&id)?;
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["f"])?;
    let format = params::format(&pairs, accept(&headers))?;
    let base = base_url(&headers);
    let land_uses = crate::store::land_use_codes(state.reads.pool()).await?;
    let href = format!("{base}/collections/{}/schema", c.id);
    let doc = document(c, crate::edit::writable(c.id), &land_uses, &href);
    Ok(respond(format, &base, &format!("{} 数据结构 Schema", c.title_zh), &href, doc, SCHEMA_JSON))
}

/// The schema of `c`, served at `href`; `w` says what writes set (None: nothing is
/// receivable), `land_uses` the land-use codes.
pub fn document(c: &'static Collection, w: Option<&'static Writable>, land_uses: &[String], href: &str) -> Value {
    let receivable = |name: &str| w.is_some_and(|w| !w.read_only(name));
    let mut props = Map::new();
    let id_kind = if c.id_kind == Kind::Integer { "integer" } else { "string" };
    // Ids are given by parkland, but parks, nodes and zones are named by their writer.
    let id_given = w.is_some_and(|w| w.named);
    props.insert("id".into(), json!({ "title": "编号", "description": "Id", "type": id_kind, "x-ogc-role": "id", "readOnly": !id_given }));
    props.insert("geometry".into(), geometry(c, w));
    for p in c.properties {
        props.insert(p.name.into(), property(c, p, receivable(p.name), land_uses));
    }
    for (seq, value) in props.values_mut().enumerate() {
        value["x-ogc-propertySeq"] = json!(seq + 1);
    }
    let mut required: Vec<&str> = Vec::new();
    if let Some(w) = w {
        if w.named {
            required.push("id");
        }
        if w.shape != Shape::Derived {
            required.push("geometry");
        }
        required.extend(w.required.iter().chain(w.fixed));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": href,
        "type": "object",
        "title": format!("{} {}", c.title_zh, c.title_en),
        "description": c.description,
        "properties": props,
        "required": required,
        // Part 5: with `false`, a property the schema does not declare is refused, as
        // parkland's writes refuse one (and ignore the read-only ones a client sends back).
        "additionalProperties": false,
    })
}

/// The primary geometry: its type as Part 5's format (what a write may send: a Polygon or
/// a MultiPolygon for an area), read-only where the geometry is drawn from other rows.
fn geometry(c: &Collection, w: Option<&Writable>) -> Value {
    let shape = w.map(|w| w.shape).unwrap_or(Shape::Derived);
    let format = match shape {
        Shape::Point => "geometry-point".to_string(),
        Shape::Line => "geometry-linestring".to_string(),
        Shape::Area => "geometry-polygon-or-multipolygon".to_string(),
        Shape::Derived => format!("geometry-{}", c.geometry_type.to_lowercase()),
    };
    let mut g = json!({ "title": "几何", "description": "Geometry", "x-ogc-role": "primary-geometry", "format": format });
    if shape == Shape::Derived {
        g["readOnly"] = json!(true);
    }
    g
}

fn property(c: &Collection, p: &Property, receivable: bool, land_uses: &[String]) -> Value {
    let mut v = p.kind.schema();
    v["title"] = json!(p.title_zh);
    v["description"] = json!(p.title_en);
    if !receivable {
        v["readOnly"] = json!(true);
    }
    match p.codes {
        Codes::Free => {}
        Codes::Terms(codes) => v["enum"] = json!(codes()),
        Codes::LandUse => v["enum"] = json!(land_uses),
    }
    if let Some(unit) = ucum_unit(p.name) {
        v["x-ogc-unit"] = json!(unit);
    }
    if c.temporal == Some(p.name) {
        v["x-ogc-role"] = json!("primary-instant");
    }
    if let Some(target) = referenced(p.name) {
        v["x-ogc-role"] = json!("reference");
        v["x-ogc-collectionId"] = json!(target);
    }
    v
}

/// The UCUM unit a property's name ends in, by parkland's naming rule (`area_m2`,
/// `planned_area_km2`, `length_m`, `speed_kmh`). 亩 and 万元 have no UCUM code: their
/// titles say them.
fn ucum_unit(name: &str) -> Option<&'static str> {
    [("_km2", "km2"), ("_m2", "m2"), ("_kmh", "km/h"), ("_m", "m")].into_iter().find(|(suffix, _)| name.ends_with(suffix)).map(|(_, unit)| unit)
}

/// The collection a property refers to by id, where it is a reference.
fn referenced(name: &str) -> Option<&'static str> {
    match name {
        "park_id" => Some("parks"),
        "plot_id" => Some("plots"),
        "zone_id" => Some("zones"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_names() {
        assert_eq!(ucum_unit("area_m2"), Some("m2"));
        assert_eq!(ucum_unit("planned_area_km2"), Some("km2"));
        assert_eq!(ucum_unit("speed_kmh"), Some("km/h"));
        assert_eq!(ucum_unit("length_m"), Some("m"));
        assert_eq!(ucum_unit("area_mu"), None);
        assert_eq!(ucum_unit("tax_wan"), None);
    }

    #[test]
    fn a_plot_schema_marks_what_a_write_cannot_set() {
        let c = crate::store::catalog::find("plots").unwrap();
        let doc = document(c, crate::edit::writable("plots"), &["100101".into()], "http://x/collections/plots/schema");
        let p = &doc["properties"];
        assert_eq!(p["id"]["x-ogc-role"], "id");
        assert_eq!(p["id"]["readOnly"], true);
        assert_eq!(p["geometry"]["format"], "geometry-polygon-or-multipolygon");
        assert!(p["geometry"].get("type").is_none(), "Part 5: a spatial property has no type");
        assert_eq!(p["area_mu"]["readOnly"], true);
        assert_eq!(p["land_use_name_zh"]["readOnly"], true);
        assert!(p["code"].get("readOnly").is_none());
        assert!(p["park_id"].get("readOnly").is_none(), "set when the plot is created");
        assert_eq!(p["park_id"]["x-ogc-collectionId"], "parks");
        assert_eq!(p["land_use"]["enum"], json!(["100101"]));
        assert_eq!(p["area_m2"]["x-ogc-unit"], "m2");
        assert_eq!(p["supplied_on"]["x-ogc-role"], "primary-instant");
        let seqs: Vec<i64> = p.as_object().unwrap().values().map(|v| v["x-ogc-propertySeq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
        assert!(doc["required"].as_array().unwrap().contains(&json!("park_id")));
    }
}
