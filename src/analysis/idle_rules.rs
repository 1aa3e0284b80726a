//! The idle-land rules of the Measures on the Disposal of Idle Land (闲置土地处置办法,
//! MLR Order No. 53, 2012), applied to every supplied plot on a given date.
//!
//! # Method
//! A plot is idle when (a) its user has not started one full calendar year after the
//! start date agreed in the grant contract, or (b) it started, has under one third of its
//! area built or under 25 % of the planned investment invested, and work has stopped for
//! one full year. From one year on, an idle-land fee of 20 % of the land price is due;
//! from two years on, the land can be taken back without compensation. Where the
//! government caused the delay (an idle record with cause `government`), no fee is due
//! and the measures are extension, change of use or planning conditions, temporary use,
//! take-back with compensation, or a land swap.
//!
//! # Units
//! Dates are calendar dates; money in 万元; `built_ratio` a fraction of the plot's area.
//!
//! # Example
//! 广清产业园 plot with agreed start 2024-03-01 and no start: idle from 2025-03-01; on
//! 2026-10-31 it is 609 days overdue, past two years on 2026-03-01.

use chrono::NaiveDate;
use serde_json::{json, Value};
use sqlx::PgPool;

/// The numbers of the rule. The Order's are the defaults; they are parameters so a
/// stricter local rule is a configuration, not a code change.
#[derive(Debug, Clone, Copy)]
pub struct IdleRules {
    /// Built share below which started land can be idle (one third).
    pub built_below: f64,
    /// Invested share below which started land can be idle (25 %).
    pub invested_below: f64,
    /// The yearly idle-land fee as a share of the land price (20 %).
    pub fee_rate: f64,
}

impl Default for IdleRules {
    fn default() -> Self {
        IdleRules { built_below: 1.0 / 3.0, invested_below: 0.25, fee_rate: 0.20 }
    }
}

/// The measures the Order allows for a finding.
fn measures(two_years: bool, government_delay: bool) -> Vec<&'static str> {
    if government_delay {
        vec!["extend_start", "change_use", "temporary_use", "take_back_compensated", "land_swap"]
    } else if two_years {
        vec!["take_back_uncompensated"]
    } else {
        vec!["idle_fee"]
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    park_id: String,
    code: String,
    status: String,
    land_user: Option<String>,
    rule: String,
    since: NaiveDate,
    days_overdue: i32,
    two_years: bool,
    government_delay: bool,
    recorded: bool,
    fee_wan: Option<f64>,
    area_mu: f64,
    agreed_start: Option<NaiveDate>,
    actual_start: Option<NaiveDate>,
    stalled_since: Option<NaiveDate>,
    built_ratio: Option<f64>,
    invested_wan: Option<f64>,
    planned_investment_wan: Option<f64>,
    land_price_wan: Option<f64>,
    geometry: String,
}

/// Every plot that meets the rules on `as_of` (in one park if `park` is given), most
/// overdue first, as GeoJSON features.
pub async fn idle_check(pool: &PgPool, rules: IdleRules, as_of: NaiveDate, park: Option<&str>) -> Result<Vec<Value>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as::<_, Row>(include_str!("idle_check.sql"))
        .bind(as_of)
        .bind(rules.built_below)
        .bind(rules.invested_below)
        .bind(rules.fee_rate)
        .bind(park)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let geometry: Value = serde_json::from_str(&r.geometry).unwrap_or(Value::Null);
            json!({
                "type": "Feature",
                "id": r.id,
                "geometry": geometry,
                "properties": {
                    "plot_id": r.id,
                    "park_id": r.park_id,
                    "code": r.code,
                    "status": r.status,
                    "land_user": r.land_user,
                    "rule": r.rule,
                    "since": r.since.to_string(),
                    "days_overdue": r.days_overdue,
                    "stage": if r.two_years { "two_years" } else { "one_year" },
                    "government_delay": r.government_delay,
                    "recorded": r.recorded,
                    "fee_wan": r.fee_wan,
                    "measures": measures(r.two_years, r.government_delay),
                    "area_mu": r.area_mu,
                    "agreed_start": r.agreed_start.map(|d| d.to_string()),
                    "actual_start": r.actual_start.map(|d| d.to_string()),
                    "stalled_since": r.stalled_since.map(|d| d.to_string()),
                    "built_ratio": r.built_ratio,
                    "invested_wan": r.invested_wan,
                    "planned_investment_wan": r.planned_investment_wan,
                    "land_price_wan": r.land_price_wan,
                }
            })
        })
        .collect())
}
