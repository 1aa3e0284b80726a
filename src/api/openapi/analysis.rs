//! The analysis endpoints in the OpenAPI document.

use serde_json::{json, Map, Value};

use super::{json_ok, operation, query, response};
use crate::analysis::contiguity;
use crate::domain::{ConstraintKind, Vocabulary};

/// `include_planned` of the analysis endpoints.
fn include_planned() -> Value {
    query(
        "include_planned",
        "计入规划、在建交通节点 Count transport nodes not open yet (planned or under construction)",
        json!({ "type": "boolean", "default": false }),
    )
}

/// `planned_by` of the analysis endpoints.
fn planned_by() -> Value {
    query("planned_by", "只计入此日前预计开通的规划节点 Count planned nodes expected to open by this date", json!({ "type": "string", "format": "date" }))
}

/// The analyses: idle check, contiguity, access, isochrones and the site search.
pub(super) fn paths(paths: &mut Map<String, Value>) {
    idle_check(paths);
    contiguity(paths);
    access(paths);
    isochrone(paths);
    availability(paths);
}

fn idle_check(paths: &mut Map<String, Value>) {
    paths.insert(
        "/analysis/idle-check".into(),
        operation(
            "idleCheck",
            "闲置土地认定 Plots that meet the idle-land rules (MLR Order No. 53) on a date",
            "Analysis",
            vec![
                query("as_of", "认定日期 The date to apply the rules on (default today)", json!({ "type": "string", "format": "date" })),
                query("park", "园区编号 One park only", json!({ "type": "string" })),
                super::datetime_param(),
            ],
            response(
                "GeoJSON FeatureCollection of findings, most overdue first",
                "application/geo+json",
                json!({ "$ref": "#/components/schemas/FeatureCollection" }),
            ),
        ),
    );
}

fn contiguity(paths: &mut Map<String, Value>) {
    paths.insert(
        "/analysis/contiguity".into(),
        operation(
            "contiguity",
            "连片用地 Blocks of contiguous land in the chosen statuses, largest first",
            "Analysis",
            vec![
                query("park", "园区编号 One park only", json!({ "type": "string" })),
                query(
                    "statuses",
                    "计入的状态 Statuses that count, comma-separated",
                    json!({ "type": "array", "items": { "type": "string" }, "default": ["available"] }),
                ),
                query(
                    "min_shared_m",
                    "最短公共边（米）Shortest shared boundary that joins two plots",
                    json!({ "type": "number", "default": 10, "minimum": 0.5 }),
                ),
                query(
                    "max_gap_m",
                    "可跨越的道路宽度（米）Widest gap (estate road) a block may span",
                    json!({ "type": "number", "default": 0, "minimum": 0, "maximum": contiguity::MAX_GAP_M }),
                ),
                query("min_mu", "最小面积（亩）Smallest block to return", json!({ "type": "number", "default": 0, "minimum": 0 })),
            ],
            response(
                "GeoJSON FeatureCollection of blocks with plot_ids, area_mu, area_m2, compactness",
                "application/geo+json",
                json!({ "$ref": "#/components/schemas/FeatureCollection" }),
            ),
        ),
    );
}

fn access(paths: &mut Map<String, Value>) {
    paths.insert(
        "/analysis/access".into(),
        operation(
            "access",
            "交通可达性 Nearest transport node of each kind by road travel time, from a plot or a park",
            "Analysis",
            vec![
                query("plot", "地块ID Plot id (or park)", json!({ "type": "integer" })),
                query("park", "园区编号 Park id (or plot)", json!({ "type": "string" })),
                query("access_kmh", "接驳速度 Speed of the legs to and from the road network, km/h", json!({ "type": "number", "default": 20 })),
                include_planned(),
                planned_by(),
            ],
            json_ok(
                "By node kind: node_id, name, status, open, opens_on, km (straight line), road_km, minutes; open nodes only unless planned ones are asked for (planned_transport says which)",
            ),
        ),
    );
}

fn isochrone(paths: &mut Map<String, Value>) {
    paths.insert(
        "/analysis/isochrone".into(),
        operation(
            "isochrone",
            "等时圈 The area and road network reachable within N minutes of a transport node",
            "Analysis",
            vec![
                json!({ "name": "node", "in": "query", "required": true, "description": "交通节点 Transport node id", "schema": { "type": "string" } }),
                json!({ "name": "minutes", "in": "query", "required": true, "description": "分钟 Minutes", "schema": { "type": "number", "minimum": 0.5, "maximum": 240 } }),
                include_planned(),
                planned_by(),
            ],
            response(
                "GeoJSON Feature: the reachable area, with the reached vertices and network; properties name the node's status, open, opens_on and planned_transport",
                "application/geo+json",
                json!({ "$ref": "#/components/schemas/Feature" }),
            ),
        ),
    );
    paths["/analysis/isochrone"]["get"]["responses"]["409"] = response(
        "未开通 The node is planned or being built: ask with include_planned=true or planned_by",
        "application/json",
        json!({ "$ref": "#/components/schemas/Exception" }),
    );
}

fn availability(paths: &mut Map<String, Value>) {
    let mut search = operation(
        "availability",
        "选址 Site search: ranked candidate sites for a planned project, with every part of the score",
        "Analysis",
        vec![],
        response(
            "GeoJSON FeatureCollection of sites, best first, with diagnostics",
            "application/geo+json",
            json!({ "$ref": "#/components/schemas/FeatureCollection" }),
        ),
    );
    let op = search["get"].take();
    search = json!({ "post": op });
    search["post"].as_object_mut().expect("operation").remove("parameters");
    search["post"]["requestBody"] = json!({
        "required": true,
        "content": { "application/json": {
            "schema": {
                "type": "object",
                "required": ["demand_mu"],
                "additionalProperties": false,
                "properties": {
                    "demand_mu": { "type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 100000, "description": "用地需求（亩）" },
                    "min_block_mu": { "type": "number", "minimum": 0 },
                    "land_use": { "type": "array", "items": { "type": "string" }, "description": "用地分类代码（含下级）" },
                    "industry": { "type": "string" },
                    "parks": { "type": "array", "items": { "type": "string" } },
                    "include": { "type": "array", "items": { "type": "string" }, "default": ["available"] },
                    "access": { "type": "object", "additionalProperties": {
                        "type": "object", "additionalProperties": false,
                        "properties": { "max_minutes": { "type": "number" }, "max_km": { "type": "number" } } } },
                    "infrastructure": { "type": "array", "items": { "type": "string" } },
                    "exclude_constraints": { "type": "array", "items": { "type": "string", "enum": ConstraintKind::codes() } },
                    "weights": { "type": "object", "additionalProperties": { "type": "number", "minimum": 0 } },
                    "min_shared_m": { "type": "number", "default": 10, "minimum": 0.5, "maximum": 1000 },
                    "max_gap_m": { "type": "number", "default": 0, "minimum": 0, "maximum": contiguity::MAX_GAP_M },
                    "limit": { "type": "integer", "minimum": 1, "maximum": 200, "default": 10 },
                    "include_planned": { "type": "boolean", "default": false, "description": "计入规划、在建交通节点 Count transport nodes not open yet" },
                    "planned_by": { "type": "string", "format": "date", "description": "只计入此日前预计开通的 Count those expected to open by this date" }
                }
            },
            "example": {
                "demand_mu": 300, "land_use": ["1001"], "industry": "汽车零部件",
                "include": ["available", "idle", "inefficient", "approved_unsupplied"],
                "access": { "highway_interchange": { "max_minutes": 15 } },
                "infrastructure": ["road", "water_supply", "drainage", "power", "gas"],
                "exclude_constraints": ["ecological_redline", "permanent_farmland", "flood"],
                "limit": 10
            }
        } }
    });
    paths.insert("/analysis/availability".into(), search);
}
