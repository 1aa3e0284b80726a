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
use serde::Serialize;
use serde_json::value::RawValue;
use sqlx::PgPool;

use super::Feature;
use crate::domain::{IdleRule, LandStatus, Measure};
use crate::failed::{Doing, Failed};

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
fn measures(two_years: bool, government_delay: bool) -> &'static [Measure] {
    use Measure as M;
    if government_delay {
        &[M::ExtendStart, M::ChangeUse, M::TemporaryUse, M::TakeBackCompensated, M::LandSwap]
    } else if two_years {
        &[M::TakeBackUncompensated]
    } else {
        &[M::IdleFee]
    }
}

/// How long the land has been idle: the fee is due from one year, take-back from two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdleStage {
    OneYear,
    TwoYears,
}

/// A plot that meets the rules on the date asked about.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct IdleFinding {
    pub plot_id: i64,
    pub park_id: String,
    pub code: String,
    pub status: LandStatus,
    pub land_user: Option<String>,
    pub rule: IdleRule,
    pub since: NaiveDate,
    pub days_overdue: i32,
    pub stage: IdleStage,
    pub government_delay: bool,
    /// Whether an idle-land finding is on record for the plot.
    pub recorded: bool,
    pub fee_wan: Option<f64>,
    pub measures: &'static [Measure],
    pub area_mu: f64,
    pub agreed_start: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub stalled_since: Option<NaiveDate>,
    pub built_ratio: Option<f64>,
    pub invested_wan: Option<f64>,
    pub planned_investment_wan: Option<f64>,
    pub land_price_wan: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    park_id: String,
    code: String,
    status: LandStatus,
    land_user: Option<String>,
    rule: IdleRule,
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
/// overdue first, as GeoJSON features; on the records as they stood at `recorded`, if
/// given (`store::versions`), else as they are.
pub async fn idle_check(
    pool: &PgPool,
    rules: IdleRules,
    as_of: NaiveDate,
    park: Option<&str>,
    recorded: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Vec<Feature<IdleFinding>>, Failed> {
    let mut tx = pool.begin().await.doing("applying the idle-land rules")?;
    if let Some(at) = recorded {
        crate::store::versions::read_as_of(&mut tx, at).await.doing("reading the records as of an instant")?;
    }
    let rows: Vec<Row> = sqlx::query_as::<_, Row>(include_str!("idle_check.sql"))
        .bind(as_of)
        .bind(rules.built_below)
        .bind(rules.invested_below)
        .bind(rules.fee_rate)
        .bind(park)
        .bind(&LandStatus::MAY_LIE_IDLE[..])
        .fetch_all(&mut *tx)
        .await
        .doing("applying the idle-land rules")?;
    rows.into_iter()
        .map(|r| {
            let geometry: Option<Box<RawValue>> = super::geojson("an idle plot's outline", Some(r.geometry)).doing("reading the idle plots")?;
            Ok(Feature::new(
                r.id,
                geometry,
                IdleFinding {
                    plot_id: r.id,
                    park_id: r.park_id,
                    code: r.code,
                    status: r.status,
                    land_user: r.land_user,
                    rule: r.rule,
                    since: r.since,
                    days_overdue: r.days_overdue,
                    stage: if r.two_years { IdleStage::TwoYears } else { IdleStage::OneYear },
                    government_delay: r.government_delay,
                    recorded: r.recorded,
                    fee_wan: r.fee_wan,
                    measures: measures(r.two_years, r.government_delay),
                    area_mu: r.area_mu,
                    agreed_start: r.agreed_start,
                    actual_start: r.actual_start,
                    stalled_since: r.stalled_since,
                    built_ratio: r.built_ratio,
                    invested_wan: r.invested_wan,
                    planned_investment_wan: r.planned_investment_wan,
                    land_price_wan: r.land_price_wan,
                },
            ))
        })
        .collect()
}
