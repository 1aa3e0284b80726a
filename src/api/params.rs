//! The query parameters of `/collections/{c}/items`, parsed and checked before anything
//! reaches the database. Each failure is a 400 that names the parameter and what is wrong.

use chrono::{DateTime, NaiveDate, Utc};

use crate::analysis::access::Planned;
use crate::api::ApiError;
use crate::crs::Crs;
use crate::domain::{LandStatus, UnknownCode};
use crate::store::catalog::{Collection, Kind, Property};
use crate::store::cql::{self, Filter, Lang};
use crate::store::features::{Bbox, FilterValue, ItemsRequest};

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 10_000;

/// The response format asked for with `f` (or, failing that, the Accept header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
}

/// Parameters every resource takes.
const COMMON: &[&str] = &["f"];
const ITEMS: &[&str] = &["limit", "offset", "bbox", "bbox-crs", "crs", "properties", "sortby", "filter", "filter-lang", "filter-crs", "datetime"];

pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// `f=json|geojson|html`; without it, HTML for browsers (Accept: text/html first) and JSON
/// for everyone else.
pub fn format(pairs: &[(String, String)], accept: Option<&str>) -> Result<Format, ApiError> {
    match pairs.iter().find(|(k, _)| k == "f").map(|(_, v)| v.as_str()) {
        Some("json" | "geojson" | "application/json" | "application/geo+json") => Ok(Format::Json),
        Some("html" | "text/html") => Ok(Format::Html),
        Some(other) => Err(ApiError::BadRequest(format!("parameter f: unknown format '{other}'; use json or html"))),
        None => {
            let accept = accept.unwrap_or("");
            let html = accept.find("text/html");
            let json = accept.find("json");
            Ok(match (html, json) {
                (Some(h), Some(j)) if h < j => Format::Html,
                (Some(_), None) => Format::Html,
                _ => Format::Json,
            })
        }
    }
}

/// Refuses parameters a resource does not take (typos must not silently return everything).
pub fn only(pairs: &[(String, String)], allowed: &[&str]) -> Result<(), ApiError> {
    for (k, _) in pairs {
        if !COMMON.contains(&k.as_str()) && !allowed.contains(&k.as_str()) {
            let mut known: Vec<&str> = COMMON.iter().chain(allowed).copied().collect();
            known.sort();
            return Err(ApiError::BadRequest(format!("unknown query parameter '{k}'; this resource takes: {}", known.join(", "))));
        }
    }
    Ok(())
}

pub fn single<'a>(pairs: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, ApiError> {
    let mut values = pairs.iter().filter(|(k, _)| k == key);
    let first = values.next().map(|(_, v)| v.as_str());
    if values.next().is_some() {
        return Err(ApiError::BadRequest(format!("parameter {key} is given more than once")));
    }
    Ok(first)
}

/// A CRS parameter (`crs`, `bbox-crs`, `filter-crs`): CRS84 when absent.
pub fn crs(pairs: &[(String, String)], key: &str) -> Result<Crs, ApiError> {
    match single(pairs, key)? {
        None => Ok(Crs::CRS84),
        Some(v) => Crs::parse(v)
            .ok_or_else(|| ApiError::BadRequest(format!("parameter {key}: '{v}' is not a supported CRS; supported: {}", Crs::all_uris().join(", ")))),
    }
}

/// A number within `range`, or `default` when absent.
pub fn number(pairs: &[(String, String)], key: &str, default: f64, range: std::ops::RangeInclusive<f64>) -> Result<f64, ApiError> {
    match single(pairs, key)? {
        None => Ok(default),
        Some(v) => match v.trim().parse::<f64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(ApiError::BadRequest(format!("parameter {key}: '{v}' is not a number from {} to {}", range.start(), range.end()))),
        },
    }
}

/// A calendar date (YYYY-MM-DD).
pub fn date(pairs: &[(String, String)], key: &str) -> Result<Option<NaiveDate>, ApiError> {
    match single(pairs, key)? {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::BadRequest(format!("parameter {key}: '{v}' is not a date (YYYY-MM-DD)"))),
    }
}

/// `true` or `false`.
pub fn boolean(pairs: &[(String, String)], key: &str) -> Result<Option<bool>, ApiError> {
    match single(pairs, key)?.map(str::trim) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(v) => Err(ApiError::BadRequest(format!("parameter {key}: '{v}' is not true or false"))),
    }
}

/// Which transport nodes count: `include_planned=true` and/or `planned_by=YYYY-MM-DD`.
pub fn planned(pairs: &[(String, String)]) -> Result<Planned, ApiError> {
    Planned::of(boolean(pairs, "include_planned")?, date(pairs, "planned_by")?).map_err(|e| ApiError::BadRequest(format!("parameter {e}")))
}

/// `statuses=available,idle`: land statuses, `default` when the parameter is absent.
pub fn statuses(pairs: &[(String, String)], default: &[LandStatus]) -> Result<Vec<LandStatus>, ApiError> {
    let asked: Vec<LandStatus> = match single(pairs, "statuses")? {
        None => default.to_vec(),
        Some(v) => v
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().map_err(|e: UnknownCode| ApiError::BadRequest(format!("parameter statuses: {e}"))))
            .collect::<Result<_, _>>()?,
    };
    if asked.is_empty() {
        return Err(ApiError::BadRequest("parameter statuses: name at least one status".into()));
    }
    Ok(asked)
}

fn integer(pairs: &[(String, String)], key: &str, default: i64, min: i64) -> Result<i64, ApiError> {
    match single(pairs, key)? {
        None => Ok(default),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(ApiError::BadRequest(format!("parameter {key}: '{v}' is not an integer of at least {min}"))),
        },
    }
}

fn bbox(pairs: &[(String, String)]) -> Result<Option<Bbox>, ApiError> {
    let Some(v) = single(pairs, "bbox")? else { return Ok(None) };
    let crs = crs(pairs, "bbox-crs")?;
    let nums: Result<Vec<f64>, _> = v.split(',').map(|s| s.trim().parse::<f64>()).collect();
    let nums = nums.map_err(|_| ApiError::BadRequest(format!("parameter bbox: '{v}' is not a comma-separated list of numbers")))?;
    // Four numbers, or six with heights, which parkland's 2D data ignore.
    let c = match nums.as_slice() {
        [a, b, c, d] => [*a, *b, *c, *d],
        [a, b, _, c, d, _] => [*a, *b, *c, *d],
        _ => return Err(ApiError::BadRequest(format!("parameter bbox: expected 4 or 6 numbers, got {}", nums.len()))),
    };
    if c.iter().any(|x| !x.is_finite()) {
        return Err(ApiError::BadRequest("parameter bbox: numbers must be finite".into()));
    }
    // In the CRS's own axis order: (x1, y1, x2, y2) means (north, east, ...) for north-first CRSs.
    let (min_e, min_n, max_e, max_n) = if crs.north_first { (c[1], c[0], c[3], c[2]) } else { (c[0], c[1], c[2], c[3]) };
    if min_n > max_n {
        return Err(ApiError::BadRequest(format!("parameter bbox: the lower corner's northing or latitude {min_n} is above the upper corner's {max_n}")));
    }
    if min_e > max_e && !(crs.srid == 4326 || crs.srid == 4490) {
        return Err(ApiError::BadRequest(format!("parameter bbox: the lower corner's easting {min_e} is beyond the upper corner's {max_e}")));
    }
    if (crs.srid == 4326 || crs.srid == 4490) && (min_n < -90.0 || max_n > 90.0 || min_e < -180.0 || max_e > 180.0) {
        return Err(ApiError::BadRequest("parameter bbox: longitude must be within -180..180 and latitude within -90..90 (is the axis order swapped?)".into()));
    }
    Ok(Some(Bbox { min_e, min_n, max_e, max_n, crs }))
}

fn properties(collection: &Collection, pairs: &[(String, String)]) -> Result<Option<Vec<&'static Property>>, ApiError> {
    let Some(v) = single(pairs, "properties")? else { return Ok(None) };
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|name| {
            collection.property(name).ok_or_else(|| ApiError::BadRequest(format!("parameter properties: '{name}' is not a property of {}", collection.id)))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn sortby(collection: &Collection, pairs: &[(String, String)]) -> Result<Vec<(&'static Property, bool)>, ApiError> {
    let Some(v) = single(pairs, "sortby")? else { return Ok(vec![]) };
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|term| {
            let (name, desc) = match term.as_bytes()[0] {
                b'-' => (&term[1..], true),
                b'+' => (&term[1..], false),
                _ => (term, false),
            };
            // "name DESC" / "name ASC", as some clients write it
            let (name, desc) = match name.split_once(' ') {
                Some((n, dir)) if dir.eq_ignore_ascii_case("desc") => (n, true),
                Some((n, dir)) if dir.eq_ignore_ascii_case("asc") => (n, desc),
                _ => (name, desc),
            };
            let p = collection
                .property(name)
                .filter(|p| p.kind.filterable() && !matches!(p.kind, Kind::TextArray | Kind::IntegerArray))
                .ok_or_else(|| ApiError::BadRequest(format!("parameter sortby: '{name}' is not a sortable property of {}", collection.id)))?;
            Ok((p, desc))
        })
        .collect()
}

/// A property value from the query string, parsed by the property's type.
pub fn value(p: &Property, v: &str, place: &str) -> Result<FilterValue, ApiError> {
    let bad = |what: &str| ApiError::BadRequest(format!("{place}: '{v}' is not {what}"));
    Ok(match p.kind {
        Kind::Text | Kind::TextArray => FilterValue::Text(v.to_string()),
        Kind::Integer | Kind::IntegerArray => FilterValue::Integer(v.trim().parse().map_err(|_| bad("an integer"))?),
        Kind::Number => {
            let n: f64 = v.trim().parse().map_err(|_| bad("a number"))?;
            if !n.is_finite() {
                return Err(bad("a finite number"));
            }
            FilterValue::Number(n)
        }
        Kind::Date => FilterValue::Date(NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| bad("a date (YYYY-MM-DD)"))?),
        Kind::Boolean => FilterValue::Boolean(match v.trim() {
            "true" => true,
            "false" => false,
            _ => return Err(bad("true or false")),
        }),
        Kind::Object => return Err(ApiError::BadRequest(format!("{place}: {} cannot be filtered on", p.name))),
    })
}

/// `filter`, `filter-lang` (cql2-text by default, or cql2-json) and `filter-crs`, parsed
/// and checked against the collection.
fn filter(collection: &Collection, pairs: &[(String, String)]) -> Result<Option<Filter>, ApiError> {
    let lang = match single(pairs, "filter-lang")? {
        None | Some("cql2-text") => Lang::Text,
        Some("cql2-json") => Lang::Json,
        Some(other) => return Err(ApiError::BadRequest(format!("parameter filter-lang: '{other}' is not cql2-text or cql2-json"))),
    };
    let crs = crs(pairs, "filter-crs")?;
    let Some(text) = single(pairs, "filter")? else {
        if pairs.iter().any(|(k, _)| k == "filter-lang" || k == "filter-crs") {
            return Err(ApiError::BadRequest("filter-lang and filter-crs need a filter".into()));
        }
        return Ok(None);
    };
    let expr = cql::parse(text, lang).map_err(|e| ApiError::BadRequest(e.0))?;
    let f = Filter { expr, crs, source: text.to_string() };
    cql::check(collection, &f).map_err(|e| ApiError::BadRequest(e.0))?;
    Ok(Some(f))
}

/// `datetime`: the instant the records are read as of (the OGC Versioned Features
/// proposal, record time): an RFC 3339 date-time. Every collection keeps its versions, so
/// `datetime` selects versions, not the collection's own dates; a plot's supply date or a
/// finding's date is filtered with CQL2 (`filter=supplied_on >= DATE('2025-01-01')`).
/// None when absent or not before now: the present is read as it is.
pub fn as_of(pairs: &[(String, String)]) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(v) = single(pairs, "datetime")? else { return Ok(None) };
    if v.contains('/') {
        return Err(ApiError::BadRequest(format!(
            "parameter datetime: '{v}' is an interval; parkland reads the records as of one instant (RFC 3339, e.g. 2026-06-30T23:59:59+08:00); \
             to filter by a plot's supply date use filter=supplied_on BETWEEN DATE('…') AND DATE('…')"
        )));
    }
    let at = DateTime::parse_from_rfc3339(v.trim()).map_err(|_| {
        ApiError::BadRequest(format!(
            "parameter datetime: '{v}' is not an instant; give an RFC 3339 date-time with its offset, e.g. 2026-06-30T23:59:59+08:00 (the records as they stood then)"
        ))
    })?;
    let at = at.with_timezone(&Utc);
    if chrono::Datelike::year(&at) < 1 {
        return Err(ApiError::BadRequest(format!("parameter datetime: '{v}' is before the year 1 (UTC): no records were kept then")));
    }
    Ok(Some(at).filter(|at| *at < Utc::now()))
}

/// Parses the items query of `collection`.
pub fn items(collection: &'static Collection, pairs: &[(String, String)]) -> Result<ItemsRequest, ApiError> {
    let mut equals = Vec::new();
    for (k, v) in pairs {
        if COMMON.contains(&k.as_str()) || ITEMS.contains(&k.as_str()) {
            continue;
        }
        match collection.property(k) {
            Some(p) if p.kind.filterable() => equals.push((p, value(p, v, &format!("parameter {k}"))?)),
            _ => {
                let mut known: Vec<&str> = COMMON.iter().chain(ITEMS).copied().collect();
                known.sort();
                return Err(ApiError::BadRequest(format!(
                    "unknown query parameter '{k}': neither one of {} nor a filterable property of {} (see /collections/{}/queryables)",
                    known.join(", "),
                    collection.id,
                    collection.id
                )));
            }
        }
    }
    Ok(ItemsRequest {
        collection,
        // Part 1: a limit above the maximum is served as the maximum, not refused.
        limit: integer(pairs, "limit", DEFAULT_LIMIT, 1)?.min(MAX_LIMIT),
        offset: integer(pairs, "offset", 0, 0)?,
        bbox: bbox(pairs)?,
        crs: crs(pairs, "crs")?,
        properties: properties(collection, pairs)?,
        sortby: sortby(collection, pairs)?,
        equals,
        filter: filter(collection, pairs)?,
        as_of: as_of(pairs)?,
    })
}

#[cfg(test)]
mod tests;
