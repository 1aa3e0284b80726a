//! The analyses' answers as types: what `/analysis/*` encodes, and what the OpenAPI
//! document's schemas are derived from (`openapi::typed_answers`), so the two cannot
//! differ.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::analysis::access::{Access, Origin, PlannedStated};
use crate::analysis::contiguity::BlockSummary;
use crate::analysis::idle_rules::IdleFinding;
use crate::analysis::site_search::{Diagnostics, FoundSite};
use crate::analysis::Feature;
use crate::domain::LandStatus;

/// The `type` of a GeoJSON FeatureCollection, for the schema.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
enum CollectionType {
    FeatureCollection,
}

const COLLECTION: &str = "FeatureCollection";

/// `/analysis/access`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct AccessAnswer {
    pub origin: Origin,
    /// WKT of the point access is measured from.
    pub origin_point: String,
    pub access_kmh: f64,
    pub planned_transport: PlannedStated,
    pub method: &'static str,
    /// By node kind, the node reached first.
    pub access: Access,
}

/// `POST /analysis/availability`: the sites, best first, and how the search went.
#[derive(Serialize, schemars::JsonSchema)]
pub struct SiteSearchAnswer {
    #[serde(rename = "type")]
    #[schemars(with = "CollectionType")]
    kind: &'static str,
    #[serde(rename = "numberReturned")]
    pub number_returned: usize,
    /// The request as sent.
    pub request: Box<RawValue>,
    pub diagnostics: Diagnostics,
    pub features: Vec<Feature<FoundSite>>,
}

impl SiteSearchAnswer {
    pub fn new(request: Box<RawValue>, diagnostics: Diagnostics, features: Vec<Feature<FoundSite>>) -> SiteSearchAnswer {
        SiteSearchAnswer { kind: COLLECTION, number_returned: features.len(), request, diagnostics, features }
    }
}

/// What a contiguity answer was asked.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ContiguityAsked {
    pub park: Option<String>,
    pub statuses: Vec<LandStatus>,
    pub min_shared_m: f64,
    pub max_gap_m: f64,
    pub min_mu: f64,
}

/// `/analysis/contiguity`: blocks, largest first.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ContiguityAnswer {
    #[serde(rename = "type")]
    #[schemars(with = "CollectionType")]
    kind: &'static str,
    pub parameters: ContiguityAsked,
    #[serde(rename = "numberMatched")]
    pub number_matched: usize,
    #[serde(rename = "numberReturned")]
    pub number_returned: usize,
    pub features: Vec<Feature<BlockSummary>>,
}

impl ContiguityAnswer {
    pub fn new(parameters: ContiguityAsked, features: Vec<Feature<BlockSummary>>) -> ContiguityAnswer {
        ContiguityAnswer { kind: COLLECTION, parameters, number_matched: features.len(), number_returned: features.len(), features }
    }
}

/// The numbers of the idle-land rules an answer applied.
#[derive(Serialize, schemars::JsonSchema)]
pub struct IdleRulesStated {
    pub source: &'static str,
    pub built_below: f64,
    pub invested_below: f64,
    pub fee_rate: f64,
}

/// The findings added up.
#[derive(Serialize, schemars::JsonSchema)]
pub struct IdleSummary {
    pub plots: usize,
    pub area_mu: f64,
    pub two_years: usize,
    pub not_recorded: usize,
    pub fees_wan: f64,
}

/// `/analysis/idle-check`: plots that meet the idle-land rules, most overdue first.
#[derive(Serialize, schemars::JsonSchema)]
pub struct IdleCheckAnswer {
    #[serde(rename = "type")]
    #[schemars(with = "CollectionType")]
    kind: &'static str,
    /// The legal evaluation date (business time).
    pub as_of: NaiveDate,
    /// The instant the records were read as of (record time); absent: as they are now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records_as_of: Option<chrono::DateTime<chrono::Utc>>,
    pub rules: IdleRulesStated,
    #[serde(rename = "numberMatched")]
    pub number_matched: usize,
    #[serde(rename = "numberReturned")]
    pub number_returned: usize,
    pub summary: IdleSummary,
    pub features: Vec<Feature<IdleFinding>>,
}

impl IdleCheckAnswer {
    pub fn new(
        as_of: NaiveDate,
        records_as_of: Option<chrono::DateTime<chrono::Utc>>,
        rules: IdleRulesStated,
        summary: IdleSummary,
        features: Vec<Feature<IdleFinding>>,
    ) -> IdleCheckAnswer {
        IdleCheckAnswer { kind: COLLECTION, as_of, records_as_of, rules, number_matched: features.len(), number_returned: features.len(), summary, features }
    }
}
