//! The write side in the OpenAPI document: creating, replacing, updating and deleting a
//! feature (Part 4), what OPTIONS answers, restoring a version, and dividing and joining
//! plots.

use serde_json::{json, Map, Value};

use super::{error_responses, feature_read, response};

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
pub(super) fn write_operation(method: &str, collection: &str, id_schema: Value) -> Value {
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

/// Plots divided and joined, and their lineage.
pub(super) fn lineage_paths(paths: &mut Map<String, Value>, id_schema: &Value) {
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
pub(super) fn options_operation(collection: &str, id_schema: Option<Value>) -> Value {
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

/// `POST …/items/{featureId}/restore?datetime=`: a past version made current again.
pub(super) fn restore_operation(name: &str, collection: &str, id_schema: &Value) -> Value {
    let mut restore = json!({ "post": write_operation("put", collection, id_schema.clone()) });
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
    restore
}
