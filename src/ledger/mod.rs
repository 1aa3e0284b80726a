//! The land ledger (台账) of each park: how much land it has, in which state and use, how
//! much of it is idle or inefficient, how much contiguous land is free, and what the used
//! land yields per 亩.
//!
//! # Definitions
//! - `plotted_area_mu`: the sum of the park's plots' geodesic areas.
//! - `utilisation`: supplied land (supplied, under construction, in production, idle,
//!   inefficient) as a share of the plotted land that can be supplied at all (all but
//!   `unavailable`).
//! - `per_mu`: 亩均 investment, output and tax of the land in use (in production or
//!   inefficient), each over the plots that report the figure.
//! - `blocks`: contiguous available land, as `/analysis/contiguity` computes it with its
//!   defaults (shared boundary of at least 10 m, no gap).
//! - A zone (`zones`: 广清经济特别合作区, four parks, seed 001 "一区三园一城") gets the
//!   same totals as the whole: planned and plotted area, plots, area by status, findings
//!   and large blocks, added up over its parks. Ratios (utilisation, 亩均) are not added up.
//!   The CSV names each park's zone.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value};
use sqlx::PgPool;

use crate::analysis::contiguity::{self, ContiguityParams};
use crate::analysis::land_graph::LandGraphs;
use crate::store::counters::{counts, Counters, Kept};

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name_zh: String,
    name_en: Option<String>,
    level: String,
    zone_id: Option<String>,
    zone_name: Option<String>,
    planned_area_km2: Option<f64>,
    /// None for a park not drawn yet.
    boundary_area_mu: Option<f64>,
    plots: i64,
    plotted_area_mu: f64,
    usable_mu: f64,
    supplied_mu: f64,
    investment_wan_per_mu: Option<f64>,
    output_wan_per_mu: Option<f64>,
    tax_wan_per_mu: Option<f64>,
    by_status: Value,
    by_land_use: Value,
    findings: Value,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// What a ledger is computed from: ledger.sql's tables and the land graph's.
const TABLES: &[&str] = &["constraints", "idle_records", "land_statuses", "land_use_codes", "parks", "plots", "roads", "transport_nodes", "zones"];

/// Ledgers computed lately, by park (None: every park), with the change counters they were
/// computed at. The counters are read before the ledger is, so a kept ledger is never
/// older than its counters say: a write moves them, and the next request computes it
/// again. Every park's ledger takes seconds at a million plots.
pub type KeptLedgers = Kept<Option<String>, Arc<Vec<Value>>>;

/// The ledger of one park (`Some(id)`) or of every park, kept or computed.
pub async fn kept_ledgers(
    pool: &PgPool,
    counters: &Counters,
    kept: &KeptLedgers,
    land: &LandGraphs,
    park: Option<&str>,
) -> Result<Arc<Vec<Value>>, sqlx::Error> {
    let at = counts(&counters.now(pool).await?, TABLES);
    kept.or_compute(park.map(str::to_string), at, async { Ok(Arc::new(ledgers(pool, land, park).await?)) }).await
}

/// The ledger of one park (`Some(id)`) or of every park.
pub async fn ledgers(pool: &PgPool, land: &LandGraphs, park: Option<&str>) -> Result<Vec<Value>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(include_str!("ledger.sql")).bind(park).fetch_all(pool).await?;
    let params = ContiguityParams { park: park.map(str::to_string), ..ContiguityParams::default() };
    let mut blocks_by_park: HashMap<String, Vec<f64>> = HashMap::new();
    for (park_id, area_mu) in contiguity::block_sizes(pool, land, &params).await? {
        blocks_by_park.entry(park_id).or_default().push(area_mu);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let blocks = blocks_by_park.remove(&r.id).unwrap_or_default();
            let count_at_least = |mu: f64| blocks.iter().filter(|a| **a >= mu).count();
            json!({
                "park_id": r.id,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "level": r.level,
                "zone_id": r.zone_id,
                "zone_name": r.zone_name,
                "planned_area_km2": r.planned_area_km2,
                "planned_area_mu": r.planned_area_km2.map(|k| round3(k * 1500.0)),
                "boundary_area_mu": r.boundary_area_mu,
                "plots": r.plots,
                "plotted_area_mu": r.plotted_area_mu,
                "utilisation": if r.usable_mu > 0.0 { Some(round3(r.supplied_mu / r.usable_mu)) } else { None },
                "by_status": r.by_status,
                "by_land_use": r.by_land_use,
                "findings": r.findings,
                "blocks": {
                    "statuses": ["available"],
                    "count": blocks.len(),
                    "largest_mu": round3(blocks.iter().copied().fold(0.0, f64::max)),
                    "at_least_50": count_at_least(50.0),
                    "at_least_100": count_at_least(100.0),
                    "at_least_300": count_at_least(300.0),
                },
                "per_mu": {
                    "investment_wan": r.investment_wan_per_mu,
                    "output_wan": r.output_wan_per_mu,
                    "tax_wan": r.tax_wan_per_mu,
                },
            })
        })
        .collect())
}

/// Totals over several parks' ledgers.
pub fn totals(ledgers: &[Value]) -> Value {
    let sum = |f: &dyn Fn(&Value) -> f64| round3(ledgers.iter().map(f).sum::<f64>());
    let mut by_status = serde_json::Map::new();
    if let Some(first) = ledgers.first().and_then(|l| l["by_status"].as_object()) {
        for (code, v) in first {
            by_status.insert(
                code.clone(),
                json!({
                    "name_zh": v["name_zh"],
                    "count": ledgers.iter().map(|l| l["by_status"][code]["count"].as_i64().unwrap_or(0)).sum::<i64>(),
                    "area_mu": sum(&|l| l["by_status"][code]["area_mu"].as_f64().unwrap_or(0.0)),
                }),
            );
        }
    }
    let findings: serde_json::Map<String, Value> = ["idle", "inefficient", "approved_unsupplied"]
        .iter()
        .map(|k| {
            let count: i64 = ledgers.iter().map(|l| l["findings"][k]["count"].as_i64().unwrap_or(0)).sum();
            let area_mu = sum(&|l| l["findings"][k]["area_mu"].as_f64().unwrap_or(0.0));
            let fee_wan = (ledgers.iter().map(|l| l["findings"][k]["fee_wan"].as_f64().unwrap_or(0.0)).sum::<f64>() * 10.0).round() / 10.0;
            (k.to_string(), json!({ "count": count, "area_mu": area_mu, "fee_wan": fee_wan }))
        })
        .collect();
    json!({
        "parks": ledgers.len(),
        "planned_area_mu": sum(&|l| l["planned_area_mu"].as_f64().unwrap_or(0.0)),
        "plots": ledgers.iter().map(|l| l["plots"].as_i64().unwrap_or(0)).sum::<i64>(),
        "plotted_area_mu": sum(&|l| l["plotted_area_mu"].as_f64().unwrap_or(0.0)),
        "by_status": by_status,
        "findings": findings,
        "blocks_at_least_300": ledgers.iter().map(|l| l["blocks"]["at_least_300"].as_i64().unwrap_or(0)).sum::<i64>(),
    })
}

/// The zones the ledgers' parks belong to, each with its parks and their totals.
pub fn zones(ledgers: &[Value]) -> Vec<Value> {
    let mut by_zone: Vec<(&str, &Value, Vec<Value>)> = Vec::new();
    for l in ledgers {
        let Some(zone) = l["zone_id"].as_str() else { continue };
        match by_zone.iter_mut().find(|z| z.0 == zone) {
            Some(z) => z.2.push(l.clone()),
            None => by_zone.push((zone, &l["zone_name"], vec![l.clone()])),
        }
    }
    by_zone
        .into_iter()
        .map(|(id, name, parks)| {
            json!({
                "zone_id": id,
                "name_zh": name,
                "park_ids": parks.iter().map(|l| l["park_id"].clone()).collect::<Vec<_>>(),
                "totals": totals(&parks),
            })
        })
        .collect()
}

/// The ledgers as a table for a spreadsheet: one row a park, UTF-8 with a byte-order mark
/// so that Excel opens the Chinese text as Chinese.
pub fn csv(ledgers: &[Value]) -> String {
    // Status columns in the order of land_statuses.ord.
    let mut statuses: Vec<(i64, String)> = ledgers
        .first()
        .and_then(|l| l["by_status"].as_object())
        .map(|m| m.iter().map(|(k, v)| (v["ord"].as_i64().unwrap_or(0), k.clone())).collect())
        .unwrap_or_default();
    statuses.sort();
    let statuses: Vec<String> = statuses.into_iter().map(|(_, k)| k).collect();
    let mut header = vec![
        "园区编号 park_id".to_string(),
        "园区名称 name_zh".into(),
        "所属合作区 zone_name".into(),
        "规划面积（亩）planned_area_mu".into(),
        "已划地块面积（亩）plotted_area_mu".into(),
        "地块数 plots".into(),
    ];
    for s in &statuses {
        let zh = ledgers[0]["by_status"][s]["name_zh"].as_str().unwrap_or(s);
        header.push(format!("{zh}（亩）{s}_mu"));
    }
    header.extend([
        "闲置（亩）idle_findings_mu".to_string(),
        "低效（亩）inefficient_findings_mu".into(),
        "批而未供（亩）approved_unsupplied_findings_mu".into(),
        "最大连片可供（亩）largest_block_mu".into(),
        "≥300亩连片数 blocks_at_least_300".into(),
        "土地利用率 utilisation".into(),
        "亩均投资（万元）investment_wan_per_mu".into(),
        "亩均产值（万元）output_wan_per_mu".into(),
        "亩均税收（万元）tax_wan_per_mu".into(),
    ]);
    let cell = crate::csv::cell;
    let mut out = String::from(crate::csv::BOM);
    out.push_str(&header.iter().map(|h| cell(&Value::String(h.clone()))).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for l in ledgers {
        let mut row =
            vec![cell(&l["park_id"]), cell(&l["name_zh"]), cell(&l["zone_name"]), cell(&l["planned_area_mu"]), cell(&l["plotted_area_mu"]), cell(&l["plots"])];
        for s in &statuses {
            row.push(cell(&l["by_status"][s]["area_mu"]));
        }
        for k in ["idle", "inefficient", "approved_unsupplied"] {
            row.push(cell(&l["findings"][k]["area_mu"]));
        }
        row.extend([
            cell(&l["blocks"]["largest_mu"]),
            cell(&l["blocks"]["at_least_300"]),
            cell(&l["utilisation"]),
            cell(&l["per_mu"]["investment_wan"]),
            cell(&l["per_mu"]["output_wan"]),
            cell(&l["per_mu"]["tax_wan"]),
        ]);
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}
