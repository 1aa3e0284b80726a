//! Imports, jobs, ledgers and tiles in the OpenAPI document.

use serde_json::{json, Map, Value};

use super::{json_ok, operation, query, response, write_operation};

/// Imports and the jobs they run as.
pub(super) fn import_paths(paths: &mut Map<String, Value>) {
    let mut import = write_operation("post", "plots", Value::Null);
    import["operationId"] = json!("import_plots");
    import["summary"] = json!("导入地块 Import plots from a GeoJSON FeatureCollection or a zipped Shapefile, all or nothing (editor)");
    import["requestBody"]["content"]["application/zip"] = json!({ "schema": { "type": "string", "format": "binary" } });
    import["parameters"] = json!([
        query("layer", "图层 Layer (plots)", json!({ "type": "string", "enum": ["plots"], "default": "plots" })),
        query("crs", "坐标系 CRS of the coordinates, EPSG:<code> (default: the file's crs, else lon/lat)", json!({ "type": "string" })),
        query("dry_run", "只检查 Check everything, write nothing", json!({ "type": "boolean", "default": false })),
        query("encoding", "属性表编码 Text encoding of a zipped Shapefile's .dbf (GBK, UTF-8, …; default: its .cpg)", json!({ "type": "string" })),
    ]);
    let report = json!({ "type": "object", "properties": {
        "features": { "type": "integer" }, "imported": { "type": "integer" }, "dry_run": { "type": "boolean" }, "crs": { "type": "string" },
        "refused": { "type": "array", "items": { "type": "object" } } } });
    let job = json!({ "type": "object", "required": ["id", "kind", "state", "done"], "properties": {
        "id": { "type": "integer" }, "kind": { "type": "string", "enum": ["import"] }, "actor": { "type": "string" },
        "state": { "type": "string", "enum": ["running", "done", "failed"] },
        "params": { "type": "object" }, "done": { "type": "integer" }, "total": { "type": "integer", "nullable": true },
        "report": { "allOf": [report], "nullable": true }, "error": { "type": "string", "nullable": true },
        "created_at": { "type": "string", "format": "date-time" }, "finished_at": { "type": "string", "format": "date-time", "nullable": true },
        "links": { "type": "array", "items": { "type": "object" } } } });
    import["responses"].as_object_mut().expect("responses").remove("201");
    import["responses"]["202"] = response(
        "已受理 A job: read its progress and, once done, its report at Location (/jobs/{id}); the report lists every refused feature with its reason, and then nothing was written",
        "application/json",
        job.clone(),
    );
    import["responses"]["422"] = response(
        "文件无法读取 The file cannot be read (not GeoJSON, a malformed Shapefile)",
        "application/json",
        json!({ "$ref": "#/components/schemas/Exception" }),
    );
    paths.insert("/import".into(), json!({ "post": import }));
    let mut job_op = operation(
        "job",
        "任务 A job (an import): its state, progress and report (editor)",
        "jobs",
        vec![json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } })],
        response("任务 The job", "application/json", job),
    );
    job_op["get"]["security"] = json!([{ "bearer": [] }]);
    job_op["get"]["responses"]["401"] =
        response("需要令牌 A token is needed (Authorization: Bearer)", "application/json", json!({ "$ref": "#/components/schemas/Exception" }));
    job_op["get"]["responses"]["403"] =
        response("权限不足 An editor's token is needed", "application/json", json!({ "$ref": "#/components/schemas/Exception" }));
    paths.insert("/jobs/{id}".into(), job_op);
}

/// The ledgers, the vocabularies and the vector tiles.
pub(super) fn ledger_and_tile_paths(paths: &mut Map<String, Value>) {
    paths.insert(
        "/vocabularies".into(),
        operation(
            "vocabularies",
            "代码表 Every code of the records (land statuses, node kinds, road classes, constraint kinds, utilities, findings, measures, stages …) with its Chinese and English names and, for what the map draws, its legend style",
            "Ledger",
            vec![],
            json_ok("an object of lists by vocabulary, each term { code, name_zh, name_en, style? }"),
        ),
    );
    paths.insert(
        "/changes".into(),
        operation(
            "changes",
            "变更 What was created, changed and retired between two instants, in every collection or one, oldest first; page on with the next link (its cursor stays true while others write)",
            "Versions",
            vec![
                query("datetime", "时段 A/B: after instant A up to and including B (RFC 3339; .. for an open end)", json!({ "type": "string" })),
                query("collection", "数据集 One collection (all without it)", json!({ "type": "string", "enum": crate::store::catalog::COLLECTIONS.iter().map(|c| c.id).collect::<Vec<_>>() })),
                query("limit", "条数 Entries in a page (1–10000, 100 without it)", json!({ "type": "integer", "minimum": 1 })),
                query("cursor", "游标 Where the page starts: from a page's next link", json!({ "type": "string" })),
            ],
            json_ok("changes [{ at, collection, id, change: created|changed|retired, links }], numberReturned, links (self, next)"),
        ),
    );
    let fmt = query("f", "格式 Format: json, or csv for a spreadsheet (UTF-8 with BOM)", json!({ "type": "string", "enum": ["json", "csv"] }));
    paths.insert(
        "/ledger".into(),
        operation(
            "ledger",
            "全部园区台账 The land ledger of every park, with totals, and each zone's parks added up (广清经济特别合作区)",
            "Ledger",
            vec![fmt.clone(), super::datetime_param()],
            json_ok("totals, zones (zone_id, name_zh, park_ids, totals) and parks (each with zone_id)"),
        ),
    );
    let mut one = operation(
        "parkLedger",
        "园区台账 One park's land ledger: areas by status and land use, idle land, contiguous blocks, 亩均 figures",
        "Ledger",
        vec![fmt, super::datetime_param()],
        json_ok("The park's ledger (as of a past instant: without contiguous blocks)"),
    );
    one["get"]["parameters"]
        .as_array_mut()
        .expect("parameters")
        .insert(0, json!({ "name": "park", "in": "path", "required": true, "schema": { "type": "string" } }));
    paths.insert("/parks/{park}/ledger".into(), one);
    for layer in crate::store::tiles::LAYERS {
        let l = layer.collection;
        let tag = "Tiles";
        paths.insert(
            format!("/tiles/{l}.json"),
            operation(&format!("tilejson_{}", l.replace('-', "_")), &format!("{l} TileJSON"), tag, vec![], json_ok("TileJSON 3.0.0")),
        );
        let coord =
            |name: &str, d: &str| json!({ "name": name, "in": "path", "required": true, "description": d, "schema": { "type": "integer", "minimum": 0 } });
        let mut op = operation(
            &format!("tile_{}", l.replace('-', "_")),
            &format!("{l} 矢量瓦片 Vector tile (zoom {}..{})", layer.minzoom, layer.maxzoom),
            tag,
            vec![coord("z", "zoom"), coord("x", "column"), coord("y", "row")],
            response(
                "Mapbox Vector Tile (empty when no feature falls in the tile)",
                "application/vnd.mapbox-vector-tile",
                json!({ "type": "string", "format": "binary" }),
            ),
        );
        op["get"]["responses"]["304"] = json!({ "description": "Not modified (If-None-Match)" });
        paths.insert(format!("/tiles/{l}/{{z}}/{{x}}/{{y}}.mvt"), op);
    }
}
