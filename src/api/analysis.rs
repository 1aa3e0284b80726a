//! The analysis endpoints (README, "Analysis"; `/api`): site search, contiguity, access, isochrones
//! and the idle-land check.

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use serde_json::value::RawValue;

use super::answers::{AccessAnswer, ContiguityAnswer, ContiguityAsked, IdleCheckAnswer, IdleRulesStated, IdleSummary, SiteSearchAnswer};
use super::params;
use super::routes::Routes;
use super::ApiError;
use crate::analysis::access::{self, AccessParams, OpenFrom, Origin};
use crate::analysis::contiguity::{self, ContiguityParams};
use crate::analysis::idle_rules::{idle_check, IdleRules, IdleStage};
use crate::analysis::site_search::{self, SiteRequest};
use crate::domain::LandStatus;
use crate::store;
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/analysis/idle-check", get(idle))
        .get("/analysis/contiguity", get(contiguity))
        .get("/analysis/access", get(access))
        .get("/analysis/isochrone", get(isochrone))
        .post("/analysis/availability", post(availability))
}

/// `POST /analysis/availability`: the site search (`site_search`). An impossible request is a
/// 200 with no sites and diagnostics that say which condition removed the land.
async fn availability(State(state): State<AppState>, body: axum::body::Bytes) -> Result<Response, ApiError> {
    // The path names the field at fault ("demand_mu: invalid type ..."), serde the place.
    let de = &mut serde_json::Deserializer::from_slice(&body);
    let req: SiteRequest = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            ApiError::BadRequest(format!("request body: {inner}"))
        } else {
            ApiError::BadRequest(format!("request body: {path}: {inner}"))
        }
    })?;
    site_search::validate(&req).map_err(|e| ApiError::BadRequest(format!("request body: {e}")))?;
    let (features, diagnostics) = site_search::search(state.reads.pool(), &state.land, &req).await?;
    // Read as JSON above, so it is JSON text.
    let request = RawValue::from_string(String::from_utf8_lossy(&body).into_owned()).map_err(|e| ApiError::BadRequest(format!("request body: {e}")))?;
    geojson(&SiteSearchAnswer::new(request, diagnostics, features))
}

/// `GET /analysis/access?plot=ID` or `?park=ID` [`&access_kmh=20`]
/// [`&include_planned=true`] [`&planned_by=YYYY-MM-DD`]: the nearest transport node of
/// each kind by road travel time, with straight-line km, road km and minutes; open nodes
/// only unless planned ones are asked for.
async fn access(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    // One replica for the whole answer.
    let db = state.reads.pool();
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["plot", "park", "access_kmh", "include_planned", "planned_by"])?;
    let p = AccessParams { access_kmh: params::number(&pairs, "access_kmh", 20.0, 1.0..=120.0)?, planned: params::planned(&pairs)? };
    let plot = params::single(&pairs, "plot")?.map(str::to_string);
    let park = params::single(&pairs, "park")?.map(str::to_string);
    let origin = match (plot, park) {
        (Some(id), None) => Origin::Plot(id.trim().parse().map_err(|_| ApiError::BadRequest(format!("parameter plot: '{id}' is not a plot id")))?),
        (None, Some(id)) => Origin::Park(id),
        _ => return Err(ApiError::BadRequest("give exactly one of plot and park".into())),
    };
    let wkt = match access::origin_point(db, &origin).await? {
        Some(Some(wkt)) => wkt,
        Some(None) => return Err(ApiError::Conflict(format!("{origin} has no outline yet: there is nowhere to measure access from"))),
        None => return Err(ApiError::NotFound(format!("no such {origin}"))),
    };
    let access = access::access(db, &wkt, p).await?;
    let body = AccessAnswer {
        origin,
        origin_point: wkt,
        access_kmh: p.access_kmh,
        planned_transport: p.planned.describe(),
        method: "fastest road path (pgRouting Dijkstra, class speeds) plus legs to and from the network at access_kmh; km is the straight line",
        access,
    };
    Ok(axum::Json(body).into_response())
}

/// `GET /analysis/isochrone?node=ID&minutes=N` [`&include_planned=true`]
/// [`&planned_by=YYYY-MM-DD`]: what a transport node reaches by road. A node not open yet
/// has no isochrone unless planned ones are asked for: what it would reach is then drawn
/// on the roads open today, and the answer says the node is not open.
async fn isochrone(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    // One replica for the whole answer.
    let db = state.reads.pool();
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["node", "minutes", "include_planned", "planned_by"])?;
    let node =
        params::single(&pairs, "node")?.map(str::to_string).ok_or_else(|| ApiError::BadRequest("parameter node is required (a transport node id)".into()))?;
    if params::single(&pairs, "minutes")?.is_none() {
        return Err(ApiError::BadRequest("parameter minutes is required".into()));
    }
    let minutes = params::number(&pairs, "minutes", 0.0, 0.5..=240.0)?;
    let planned = params::planned(&pairs)?;
    let found = access::isochrone_start(db, &node).await?.ok_or_else(|| ApiError::NotFound(format!("no transport node '{node}'")))?;
    if !planned.counts(found.open_from) {
        let (opens, ask) = match found.opens_on {
            Some(d) => (format!(", expected to open on {d}"), format!("include_planned=true or planned_by={d} or later")),
            None => (String::new(), "include_planned=true".to_string()),
        };
        return Err(ApiError::Conflict(format!(
            "transport node '{node}' ({}) is {}{opens}, not open: ask with {ask} to see what it would reach",
            found.name_zh, found.status
        )));
    }
    let vertex = found.vertex.ok_or_else(|| ApiError::NotFound(format!("transport node '{node}' has no road near it")))?;
    let reached = access::isochrone(db, vertex, minutes).await?;
    let body = json!({
        "type": "Feature",
        "id": format!("{node}-{minutes}"),
        "geometry": reached.area,
        "properties": {
            "node_id": node,
            "name": found.name_zh,
            "status": found.status,
            "open": found.open_from == OpenFrom::Now,
            "opens_on": found.opens_on,
            "planned_transport": planned.describe(),
            "minutes": minutes,
            "start_vertex": vertex,
            "vertices": reached.vertices,
            "network": reached.network,
            "method": "pgr_drivingDistance on travel seconds; edges only partly in reach are cut where the time runs out; the area is the concave hull of the reached network",
        }
    });
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body.to_string()).into_response())
}

async fn park_param(state: &AppState, pairs: &[(String, String)]) -> Result<Option<String>, ApiError> {
    let Some(p) = params::single(pairs, "park")? else { return Ok(None) };
    if !store::park_exists(state.reads.pool(), p).await? {
        return Err(ApiError::NotFound(format!("no park '{p}'")));
    }
    Ok(Some(p.to_string()))
}

/// `GET /analysis/contiguity?park=&statuses=&min_shared_m=&max_gap_m=&min_mu=`: blocks of
/// contiguous land, largest first.
async fn contiguity(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["park", "statuses", "min_shared_m", "max_gap_m", "min_mu"])?;
    let p = ContiguityParams {
        park: park_param(&state, &pairs).await?,
        statuses: params::statuses(&pairs, &[LandStatus::Available])?,
        min_shared_m: params::number(&pairs, "min_shared_m", 10.0, contiguity::MIN_SHARED_M..=1000.0)?,
        max_gap_m: params::number(&pairs, "max_gap_m", 0.0, 0.0..=contiguity::MAX_GAP_M)?,
    };
    let min_mu = params::number(&pairs, "min_mu", 0.0, 0.0..=1e7)?;
    let blocks = contiguity::blocks(state.reads.pool(), &state.land, &p).await?;
    let features: Vec<_> = blocks.iter().filter(|b| b.area_mu() >= min_mu).enumerate().map(|(i, b)| b.to_feature(i + 1)).collect();
    let asked = ContiguityAsked { park: p.park, statuses: p.statuses, min_shared_m: p.min_shared_m, max_gap_m: p.max_gap_m, min_mu };
    geojson(&ContiguityAnswer::new(asked, features))
}

/// `GET /analysis/idle-check?as_of=YYYY-MM-DD[&park=ID][&datetime=INSTANT]`: plots that
/// meet the idle-land rules on that date (today by default; business time), most overdue
/// first — on the records as they are, or as they stood at `datetime` (record time).
async fn idle(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["as_of", "park", "datetime"])?;
    let as_of = params::date(&pairs, "as_of")?.unwrap_or_else(|| chrono::Local::now().date_naive());
    let park = park_param(&state, &pairs).await?;
    let records_as_of = params::as_of(&pairs)?;
    let rules = IdleRules::default();
    let features = idle_check(state.reads.pool(), rules, as_of, park.as_deref(), records_as_of).await?;
    let found = || features.iter().map(|f| &f.properties);
    let summary = IdleSummary {
        plots: features.len(),
        area_mu: (found().map(|f| f.area_mu).sum::<f64>() * 1000.0).round() / 1000.0,
        two_years: found().filter(|f| f.stage == IdleStage::TwoYears).count(),
        not_recorded: found().filter(|f| !f.recorded).count(),
        fees_wan: (found().filter_map(|f| f.fee_wan).sum::<f64>() * 10.0).round() / 10.0,
    };
    let stated = IdleRulesStated {
        source: "闲置土地处置办法（国土资源部令第53号，2012）",
        built_below: rules.built_below,
        invested_below: rules.invested_below,
        fee_rate: rules.fee_rate,
    };
    geojson(&IdleCheckAnswer::new(as_of, records_as_of, stated, summary, features))
}

/// An answer as GeoJSON.
fn geojson<T: serde::Serialize>(answer: &T) -> Result<Response, ApiError> {
    let body = serde_json::to_string(answer).map_err(|e| ApiError::Internal(format!("encoding the answer: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}
