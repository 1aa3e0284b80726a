//! `GET /api`: the OpenAPI 3.0 document of the service, generated from the collection
//! catalog so each collection's items path lists its own filterable properties. A test
//! checks it against the routes the router really has (routes.rs) and with a validator.

use axum::extract::RawQuery;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{json, Map, Value};

mod analysis;
mod records;
mod writes;

use writes::{options_operation, write_operation};

use super::ogc::OPENAPI;
use super::params::{self, DEFAULT_LIMIT, MAX_LIMIT};
use super::routes::Routes;
use super::ApiError;
use crate::crs::Crs;
use crate::store::catalog::{Collection, Kind, COLLECTIONS};

pub fn routes() -> Routes {
    Routes::new().get("/api", get(api))
}

async fn api(headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &[])?;
    let doc = document(&super::ogc::base_url(&headers));
    Ok(([(header::CONTENT_TYPE, OPENAPI)], doc.to_string()).into_response())
}

fn response(description: &str, media: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { media: { "schema": schema } } })
}

fn error_responses(v: &mut Value) {
    let err = json!({ "$ref": "#/components/schemas/Exception" });
    v["400"] = response("参数有误 Bad request: the description says which parameter and why", "application/json", err.clone());
    v["404"] = response("不存在 Not found", "application/json", err.clone());
    v["500"] = response("服务器错误 Server error", "application/json", err.clone());
    v["503"] = response("数据库暂不可用 Database unavailable; retry after the Retry-After header", "application/json", err);
}

fn operation(id: &str, summary: &str, tag: &str, params: Vec<Value>, ok: Value) -> Value {
    let mut responses = json!({ "200": ok });
    error_responses(&mut responses);
    json!({ "get": { "operationId": id, "summary": summary, "tags": [tag], "parameters": params, "responses": responses } })
}

/// `datetime`: the instant the records are read as of (record time, the OGC Versioned
/// Features proposal).
pub(super) fn datetime_param() -> Value {
    query(
        "datetime",
        "记录时点 The instant to read the records as of (RFC 3339 date-time with its offset): what was recorded then. Absent: now. A supply or finding date is filtered with CQL2 (filter=supplied_on >= DATE('2025-01-01'))",
        json!({ "type": "string", "format": "date-time" }),
    )
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema, "style": "form", "explode": false })
}

fn f_param() -> Value {
    query("f", "响应格式 Response format", json!({ "type": "string", "enum": ["json", "html"] }))
}

/// The document, with `base` as its server.
pub fn document(base: &str) -> Value {
    let crs_enum: Vec<String> = Crs::all_uris();
    let mut paths = Map::new();
    capability_and_feature_paths(&mut paths, &crs_enum);
    analysis::paths(&mut paths);
    records::import_paths(&mut paths);
    records::ledger_and_tile_paths(&mut paths);
    let typed = typed_answers(&mut paths);

    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "parkland",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "广东产业转移园区土地管理 · Land management for Guangdong's industrial-transfer parks (OGC API - Features, Parts 1-3).",
            "license": { "name": "MIT" }
        },
        "servers": [{ "url": base }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "parkland token create --role editor --name NAME" },
                "basic": { "type": "http", "scheme": "basic", "description": "The token as the password, any user name: for clients that offer only Basic authentication (QGIS)" }
            },
            "schemas": {
                "Exception": {
                    "type": "object",
                    "required": ["code"],
                    "properties": { "code": { "type": "string" }, "description": { "type": "string" } }
                },
                "Feature": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": { "type": "string", "enum": ["Feature"] },
                        "id": { "oneOf": [{ "type": "string" }, { "type": "integer" }] },
                        "geometry": { "type": "object", "nullable": true },
                        "properties": { "type": "object", "nullable": true },
                        "links": { "type": "array", "items": { "type": "object" } }
                    }
                },
                "FeatureCollection": {
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": { "type": "string", "enum": ["FeatureCollection"] },
                        "features": { "type": "array", "items": { "$ref": "#/components/schemas/Feature" } },
                        "numberMatched": { "type": "integer", "minimum": 0 },
                        "numberReturned": { "type": "integer", "minimum": 0 },
                        "timeStamp": { "type": "string", "format": "date-time" },
                        "links": { "type": "array", "items": { "type": "object" } }
                    }
                }
            }
        }
    });
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for (name, schema) in typed {
            // A type named like a written schema (Feature, Exception) would replace it.
            assert!(!schemas.contains_key(&name), "the schema {name} is written and derived both");
            schemas.insert(name, schema);
        }
    }
    doc
}

/// The answers whose schemas come from their Rust types (schemars, in OpenAPI 3.0's
/// dialect): each operation's 200 refers to its type's schema; returns the schemas for
/// `components.schemas`.
fn typed_answers(paths: &mut Map<String, Value>) -> Map<String, Value> {
    use crate::edit::Version;
    use crate::ledger::Ledger;
    let mut generator = schemars::generate::SchemaSettings::openapi3().into_generator();
    let mut answer = |path: &str, method: &str, media: &str, schema: schemars::Schema| {
        if let Some(op) = paths.get_mut(path) {
            op[method]["responses"]["200"]["content"][media]["schema"] = schema.to_value();
        }
    };
    use super::answers::{AccessAnswer, ContiguityAnswer, IdleCheckAnswer, SiteSearchAnswer};
    let json = "application/json";
    let geojson = "application/geo+json";
    answer("/ledger", "get", json, generator.subschema_for::<super::ledger::Overview>());
    answer("/parks/{park}/ledger", "get", json, generator.subschema_for::<Ledger>());
    answer("/vocabularies", "get", json, generator.subschema_for::<crate::domain::Vocabularies>());
    answer("/analysis/access", "get", json, generator.subschema_for::<AccessAnswer>());
    answer("/analysis/idle-check", "get", geojson, generator.subschema_for::<IdleCheckAnswer>());
    answer("/analysis/contiguity", "get", geojson, generator.subschema_for::<ContiguityAnswer>());
    answer("/analysis/availability", "post", geojson, generator.subschema_for::<SiteSearchAnswer>());
    let version = generator.subschema_for::<Version>().to_value();
    for c in COLLECTIONS.iter().filter(|c| crate::edit::writable(c.id).is_some()) {
        // The id is named plot_id for plots, id for the others: left open.
        let history = json!({ "type": "object", "required": ["collection", "changes"], "properties": {
            "collection": { "type": "string" }, "changes": { "type": "array", "items": version } } });
        if let Some(op) = paths.get_mut(&format!("/collections/{}/items/{{featureId}}/history", c.id)) {
            op["get"]["responses"]["200"]["content"]["application/json"]["schema"] = history;
        }
    }
    generator.take_definitions(true)
}

/// A JSON read of one feature's sub-resource (`…/items/{featureId}/…`).
pub(super) fn feature_read(id: &str, summary: &str, tag: &str, id_schema: &Value, answer: &str) -> Value {
    let mut op = operation(id, summary, tag, vec![json!({ "name": "featureId", "in": "path", "required": true, "schema": id_schema })], json_ok(answer));
    op["get"]["responses"]["200"]["content"]["application/json"]["schema"] = json!({ "type": "object" });
    op
}

/// A JSON object answer.
fn json_ok(description: &str) -> Value {
    response(description, "application/json", json!({ "type": "object" }))
}

/// The landing page, conformance, health, the collections and each collection's items,
/// queryables, schema, writes and history (OGC API - Features Parts 1-4).
fn capability_and_feature_paths(paths: &mut Map<String, Value>, crs_enum: &[String]) {
    paths.insert("/".into(), operation("getLandingPage", "入口 Landing page", "Capabilities", vec![f_param()], json_ok("Landing page")));
    paths.insert(
        "/api".into(),
        operation("getApi", "接口定义 This OpenAPI document", "Capabilities", vec![], response("OpenAPI 3.0", OPENAPI, json!({ "type": "object" }))),
    );
    paths.insert(
        "/conformance".into(),
        operation("getConformance", "符合的标准 Conformance classes", "Capabilities", vec![f_param()], json_ok("Conformance classes")),
    );
    paths.insert("/collections".into(), operation("getCollections", "数据集 Collections", "Capabilities", vec![f_param()], json_ok("Collections")));
    paths.insert(
        "/health".into(),
        operation("getHealth", "服务状态 Service and database status", "Capabilities", vec![], json_ok("Healthy: the database answers")),
    );

    for c in COLLECTIONS {
        collection_paths(paths, c, crs_enum);
    }
}

/// One collection: its description, queryables, items (read and create), one item (read,
/// replace, patch, delete) and its history.
fn collection_paths(paths: &mut Map<String, Value>, c: &'static Collection, crs_enum: &[String]) {
    let base_path = format!("/collections/{}", c.id);
    let name = c.id.replace('-', "_");
    paths.insert(
        base_path.clone(),
        operation(&format!("describe_{name}"), &format!("{} {}", c.title_zh, c.title_en), c.id, vec![f_param()], json_ok(c.description)),
    );
    paths.insert(
        format!("{base_path}/queryables"),
        operation(
            &format!("queryables_{name}"),
            &format!("{} 可查询属性 Queryables", c.title_zh),
            c.id,
            vec![f_param()],
            response("JSON Schema of the filterable properties", "application/schema+json", json!({ "type": "object" })),
        ),
    );
    paths.insert(
        format!("{base_path}/schema"),
        operation(
            &format!("schema_{name}"),
            &format!("{} 数据结构 Schema: the returnables and receivables (Part 5)", c.title_zh),
            c.id,
            vec![f_param()],
            response(
                "JSON Schema 2020-12 of the feature: id, geometry and properties, each with its role, type, unit and codes; readOnly where no write sets it",
                "application/schema+json",
                json!({ "type": "object" }),
            ),
        ),
    );
    let mut items = operation(&format!("items_{name}"), &format!("{} 要素 Features", c.title_zh), c.id, items_parameters(c, crs_enum), items_response());
    items["post"] = write_operation("post", c.id, Value::Null);
    items["options"] = options_operation(c.id, None);
    paths.insert(format!("{base_path}/items"), items);
    let mut item = operation(
        &format!("item_{name}"),
        &format!("{} 单个要素 One feature", c.title_zh),
        c.id,
        vec![query("crs", "输出坐标系 CRS of the response", json!({ "type": "string", "enum": crs_enum })), f_param(), datetime_param()],
        response("GeoJSON Feature", "application/geo+json", json!({ "$ref": "#/components/schemas/Feature" })),
    );
    item["get"]["responses"]["410"] = response(
        "已删除 The feature had been deleted by the instant asked for; Link names its latest version and its versions",
        "application/json",
        json!({ "$ref": "#/components/schemas/Exception" }),
    );
    let id_schema = if c.id_kind == Kind::Integer { json!({ "type": "integer" }) } else { json!({ "type": "string" }) };
    item["get"]["parameters"]
        .as_array_mut()
        .expect("parameters")
        .insert(0, json!({ "name": "featureId", "in": "path", "required": true, "schema": id_schema }));
    for method in ["put", "patch", "delete"] {
        item[method] = write_operation(method, c.id, id_schema.clone());
    }
    item["options"] = options_operation(c.id, Some(id_schema.clone()));
    paths.insert(format!("{base_path}/items/{{featureId}}"), item);
    let versions = feature_read(
        &format!("{name}_versions"),
        "版本 The feature's time map: a memento link for each version (with its datetime), first, last; and the versions with who wrote them",
        c.id,
        &id_schema,
        "links (self, original, first, memento…, last, latest-version), versions [{ from, to, actor, blind }], deleted",
    );
    paths.insert(format!("{base_path}/items/{{featureId}}/versions"), versions);
    if crate::edit::writable(c.id).is_some() {
        let history = feature_read(
            &format!("{name}_history"),
            "变更记录 The feature's history: who changed what, when, before and after",
            c.id,
            &id_schema,
            "The changes, newest first",
        );
        paths.insert(format!("{base_path}/items/{{featureId}}/history"), history);
        paths.insert(format!("{base_path}/items/{{featureId}}/restore"), writes::restore_operation(&name, c.id, &id_schema));
        if c.id == "plots" {
            writes::lineage_paths(paths, &id_schema);
        }
    }
}

/// The query parameters of a collection's items: Parts 1-3's, and an equality filter for
/// each filterable property.
fn items_parameters(c: &Collection, crs_enum: &[String]) -> Vec<Value> {
    let mut items_params = vec![
        query("limit", "每页要素数 Features per page", json!({ "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT })),
        query("offset", "起始位置 Features to skip", json!({ "type": "integer", "minimum": 0, "default": 0 })),
        query(
            "bbox",
            "范围 Bounding box: minx,miny,maxx,maxy in bbox-crs axis order",
            json!({ "type": "array", "minItems": 4, "maxItems": 6, "items": { "type": "number" } }),
        ),
        query("bbox-crs", "bbox 的坐标系 CRS of bbox", json!({ "type": "string", "enum": crs_enum })),
        query("crs", "输出坐标系 CRS of the response", json!({ "type": "string", "enum": crs_enum })),
        query("filter", "CQL2 过滤条件 CQL2 filter", json!({ "type": "string" })),
        query("filter-lang", "过滤语言 Filter language", json!({ "type": "string", "enum": ["cql2-text", "cql2-json"], "default": "cql2-text" })),
        query("filter-crs", "过滤条件中几何的坐标系 CRS of geometry literals in the filter", json!({ "type": "string", "enum": crs_enum })),
        query("properties", "只返回这些属性 Properties to return, comma-separated", json!({ "type": "array", "items": { "type": "string" } })),
        query("sortby", "排序 Sort keys: +name or -name, comma-separated", json!({ "type": "array", "items": { "type": "string" } })),
        query(
            "f",
            "响应格式 Response format (csv: a table with the geometry as WKT; fgb: FlatGeobuf; shp: a zipped Shapefile)",
            json!({ "type": "string", "enum": ["json", "html", "csv", "fgb", "shp"] }),
        ),
    ];
    items_params.push(datetime_param());
    for p in c.properties.iter().filter(|p| p.kind.filterable()) {
        let schema = match p.kind {
            // An equality filter on a list property takes one value and matches lists containing it.
            Kind::TextArray => json!({ "type": "string" }),
            Kind::IntegerArray => json!({ "type": "integer" }),
            _ => p.kind.schema(),
        };
        items_params.push(query(p.name, &format!("{} {}（等于 equals）", p.title_zh, p.title_en), schema));
    }
    items_params
}

/// A page of items, in each format it can be had in.
fn items_response() -> Value {
    let mut items_ok = response(
        "GeoJSON FeatureCollection with numberMatched, numberReturned and next/prev links",
        "application/geo+json",
        json!({ "$ref": "#/components/schemas/FeatureCollection" }),
    );
    items_ok["content"]["text/csv"] = json!({ "schema": { "type": "string" } });
    items_ok["content"]["application/flatgeobuf"] = json!({ "schema": { "type": "string", "format": "binary" } });
    items_ok["content"]["application/zip"] = json!({ "schema": { "type": "string", "format": "binary" } });
    items_ok["headers"] = json!({
        "Content-Crs": { "description": "坐标系 CRS of the coordinates", "schema": { "type": "string" } },
        "ETag": { "description": "For If-None-Match", "schema": { "type": "string" } },
    });
    items_ok
}
