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

/// What a new feature of `collection` looks like.
fn post_example(collection: &str) -> Value {
    let square = json!({ "type": "Polygon", "coordinates": [[[113.08, 23.5], [113.081, 23.5], [113.081, 23.501], [113.08, 23.501], [113.08, 23.5]]] });
    match collection {
        "idle-land" => json!({ "type": "Feature", "properties": { "plot_id": 1, "kind": "idle", "cause": "funding", "found_on": "2026-03-01" } }),
        "projects" => {
            json!({ "type": "Feature", "properties": { "name": "新能源电池项目", "industry": "新能源", "demand_mu": 120, "stage": "signed", "park_id": "GQ-01", "plot_ids": [1] } })
        }
        "roads" => {
            json!({ "type": "Feature", "properties": { "class": "county", "name": "园区连接线", "speed_kmh": 60 }, "geometry": { "type": "LineString", "coordinates": [[113.08, 23.5], [113.09, 23.51]] } })
        }
        "transport-nodes" => {
            json!({ "type": "Feature", "id": "HI-99", "properties": { "kind": "highway_interchange", "name_zh": "新城出入口" }, "geometry": { "type": "Point", "coordinates": [113.09, 23.51] } })
        }
        "parks" => {
            json!({ "type": "Feature", "id": "QY-99", "properties": { "name_zh": "清远新材料产业园", "level": "county_park", "city": "清远市" }, "geometry": square })
        }
        "constraints" => json!({ "type": "Feature", "properties": { "kind": "ecological_redline", "name": "北江生态红线" }, "geometry": square }),
        "zones" => json!({ "type": "Feature", "id": "ZQ-01", "properties": { "name_zh": "新合作区", "city": "清远市" } }),
        "targets" => json!({ "type": "Feature", "properties": {
            "park_id": "GQ-01", "year": 2027, "indicator": "output", "value": 600, "unit": "亿元", "basis": "annual",
            "projection": false, "label_zh": "产值规模", "source": "园区年度计划" } }),
        _ => {
            json!({ "type": "Feature", "properties": { "park_id": "GQ-01", "code": "GQ-01-NEW-01", "land_use": "100102", "status": "available" }, "geometry": square })
        }
    }
}

/// A write (OGC API - Features Part 4): `method` is post (to the items), put, patch or
/// delete (of an item). Collections that are not edited through the API answer 405.
fn write_operation(method: &str, collection: &str, id_schema: Value) -> Value {
    let err = json!({ "$ref": "#/components/schemas/Exception" });
    let feature = json!({ "$ref": "#/components/schemas/Feature" });
    let mut responses = match method {
        "post" => json!({ "201": response("新建的要素 The new feature; Location names it", "application/geo+json", feature) }),
        "delete" => json!({ "204": { "description": "已删除 Deleted; the history stays" } }),
        _ => json!({ "200": response("修改后的要素 The feature as it now is, with its new ETag", "application/geo+json", feature) }),
    };
    error_responses(&mut responses);
    let mut refusals = vec![
        ("401", "需要令牌 A token is needed (Authorization: Bearer)"),
        ("403", "权限不足 The token's role may not edit this"),
        ("405", "该数据集暂不可编辑 This collection cannot be edited yet"),
        ("409", "冲突 Refused: a status change the lifecycle forbids, an overlap with another plot, a duplicate code or id, a feature still referenced, a park boundary that leaves plots outside, a plot granted to another project"),
        ("413", "请求过大 The body is over the limit"),
        ("415", "请以 JSON 发送 Send GeoJSON / JSON"),
        ("422", "数据不合规 Invalid: geometry, a rule of the land ledger, an unknown code"),
    ];
    if method != "post" {
        refusals.push(("412", "已被他人修改 The feature changed since the If-Match ETag (or the If-Unmodified-Since date) was read"));
        refusals.push((
            "428",
            "缺少前提条件 Send If-Match with the feature's ETag, or If-Unmodified-Since (only a token made with --blind-writes may send neither)",
        ));
    }
    if method != "delete" {
        refusals.push(("400", "请求有误 Bad request: a Content-Crs that is not one of the collection's, a body that is not JSON"));
    }
    for (code, words) in refusals {
        responses[code] = response(words, "application/json", err.clone());
    }
    let mut parameters = vec![];
    if method != "post" {
        parameters.push(json!({ "name": "featureId", "in": "path", "required": true, "schema": id_schema }));
        parameters.push(json!({ "name": "If-Match", "in": "header", "required": false,
            "description": "读取时的 ETag The ETag of the feature as read, in any CRS or format (its version is compared). Required unless If-Unmodified-Since is sent or the token allows blind writes",
            "schema": { "type": "string" } }));
        parameters.push(json!({ "name": "If-Unmodified-Since", "in": "header", "required": false,
            "description": "读取时的 Last-Modified The feature's Last-Modified as read (an HTTP date; whole seconds, so If-Match is safer)",
            "schema": { "type": "string" } }));
    }
    if method != "delete" {
        parameters.push(json!({ "name": "Content-Crs", "in": "header", "required": false,
            "description": "几何坐标系 The CRS of the body's coordinates, in its axis order: one of the collection's CRSs, with or without <…>; CRS84 without it",
            "schema": { "type": "string", "enum": crate::crs::Crs::all_uris() } }));
    }
    let (summary, example) = match method {
        "post" => ("新建要素 Create a feature (editor)", post_example(collection)),
        "put" => ("替换要素 Replace a feature: every property, and the geometry (editor)", json!({ "type": "Feature", "properties": {}, "geometry": {} })),
        "patch" => {
            ("修改要素 Update a feature: a JSON merge patch of properties and/or geometry (editor)", json!({ "properties": { "land_price_wan": 1200 } }))
        }
        _ => ("删除要素 Delete a feature (editor)", Value::Null),
    };
    let role = match crate::edit::writable(collection).map(|w| w.role) {
        Some(crate::auth::Role::Admin) => "admin",
        Some(_) => "editor",
        None => "not editable",
    };
    let mut op = json!({
        "operationId": format!("{method}_{}", collection.replace('-', "_")),
        "summary": summary.replace("(editor)", &format!("({role})")),
        "tags": [collection],
        "security": [{ "bearer": [] }, { "basic": [] }],
        "parameters": parameters,
        "responses": responses
    });
    if method != "delete" {
        let media = if method == "patch" { "application/merge-patch+json" } else { "application/geo+json" };
        op["requestBody"] = json!({
            "required": true,
            "content": { media: { "schema": { "type": "object" }, "example": example }, "application/json": { "schema": { "type": "object" } } }
        });
    }
    op
}

/// A JSON read of one feature's sub-resource (`…/items/{featureId}/…`).
fn feature_read(id: &str, summary: &str, tag: &str, id_schema: &Value, answer: &str) -> Value {
    let mut op = operation(id, summary, tag, vec![json!({ "name": "featureId", "in": "path", "required": true, "schema": id_schema })], json_ok(answer));
    op["get"]["responses"]["200"]["content"]["application/json"]["schema"] = json!({ "type": "object" });
    op
}

/// Plots divided and joined, and their lineage.
fn lineage_paths(paths: &mut Map<String, Value>, id_schema: &Value) {
    let mut split = json!({ "post": write_operation("patch", "plots", id_schema.clone()) });
    split["post"]["operationId"] = json!("split_plot");
    split["post"]["summary"] = json!("分割地块 Divide a plot: by a line across it, or by child outlines that tile it; the children copy the plot and share its money figures by area; the plot is retired, its lineage kept");
    split["post"]["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "type": "object" },
        "example": { "line": { "type": "LineString", "coordinates": [[113.08, 23.49], [113.08, 23.51]] } } } } });
    split["post"]["responses"]["201"] = response("子地块 The children", "application/geo+json", json!({ "type": "object" }));
    split["post"]["responses"].as_object_mut().expect("responses").remove("200");
    paths.insert("/collections/plots/items/{featureId}/split".into(), split);
    let mut merge = json!({ "post": write_operation("post", "plots", Value::Null) });
    merge["post"]["operationId"] = json!("merge_plots");
    merge["post"]["summary"] = json!("合并地块 Join touching plots of one park with the same status, land user and land use; If-Match lists each plot's ETag; money figures summed, planning conditions agreed or given");
    merge["post"]["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "type": "object" },
        "example": { "plots": [1, 2], "properties": { "code": "A-12" } } } } });
    merge["post"]["parameters"] = json!([{ "name": "If-Match", "in": "header", "required": false,
        "description": "每个地块的 ETag The ETag of each plot, comma-separated", "schema": { "type": "string" } }]);
    paths.insert("/collections/plots/merge".into(), merge);
    paths.insert(
        "/collections/plots/items/{featureId}/lineage".into(),
        feature_read(
            "plot_lineage",
            "地块沿革 The plots a plot was made of and those it became (split, merge), each linked to its versions",
            "plots",
            id_schema,
            "plot_id, parents [{ id, kind, links }], children [{ id, kind, links }]",
        ),
    );
}

/// `OPTIONS` on the items (`id_schema` None) or on one feature: the methods the caller's
/// token may use, in `Allow`.
fn options_operation(collection: &str, id_schema: Option<Value>) -> Value {
    let (what, writes) = if id_schema.is_some() { ("item", "PUT, PATCH, DELETE") } else { ("items", "POST") };
    let parameters: Vec<Value> = id_schema.into_iter().map(|schema| json!({ "name": "featureId", "in": "path", "required": true, "schema": schema })).collect();
    let header = |description: &str| json!({ "description": description, "schema": { "type": "string" } });
    json!({
        "operationId": format!("options_{what}_{}", collection.replace('-', "_")),
        "summary": format!("可用操作 The methods this token may use: GET, HEAD, OPTIONS for anyone; {writes} for a token of the collection's role"),
        "tags": [collection],
        "security": [{}, { "bearer": [] }, { "basic": [] }],
        "parameters": parameters,
        "responses": {
            "200": { "description": "Allow lists the methods", "headers": {
                "Allow": header("e.g. GET, HEAD, OPTIONS, PUT, PATCH, DELETE"),
                "Accept-Post": header("application/geo+json, application/json, where POST is allowed"),
                "Accept-Patch": header("application/merge-patch+json, where PATCH is allowed") } },
            "401": response("令牌无效 The token is not valid", "application/json", json!({ "$ref": "#/components/schemas/Exception" })),
            "404": response("不存在 No such collection", "application/json", json!({ "$ref": "#/components/schemas/Exception" }))
        }
    })
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
        let mut restore = json!({ "post": write_operation("put", c.id, id_schema.clone()) });
        restore["post"]["operationId"] = json!(format!("restore_{name}"));
        restore["post"]["summary"] = json!("恢复版本 Make the version the feature had at datetime current again (a new version; every rule checked again); a feature deleted since is brought back under its id (201)");
        restore["post"].as_object_mut().expect("an operation").remove("requestBody");
        restore["post"]["parameters"].as_array_mut().expect("parameters").retain(|p| p["name"] != "Content-Crs");
        restore["post"]["parameters"].as_array_mut().expect("parameters").push(json!({ "name": "datetime", "in": "query", "required": true,
            "description": "一个过去的时点 A past instant within the version to restore (RFC 3339)", "schema": { "type": "string", "format": "date-time" } }));
        restore["post"]["responses"]["201"] =
            response("已恢复 Brought back; Location names it", "application/geo+json", json!({ "$ref": "#/components/schemas/Feature" }));
        restore["post"]["responses"]["410"] =
            response("已删除 Deleted by that instant: no version then", "application/json", json!({ "$ref": "#/components/schemas/Exception" }));
        paths.insert(format!("{base_path}/items/{{featureId}}/restore"), restore);
        if c.id == "plots" {
            lineage_paths(paths, &id_schema);
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
