//! The query parameters, parsed without a server or a database: what each accepts, and
//! the words of each refusal.

use super::*;
use crate::store::catalog;

fn q(raw: &str) -> Vec<(String, String)> {
    pairs(Some(raw))
}

fn refusal<T: std::fmt::Debug>(r: Result<T, ApiError>) -> String {
    match r {
        Err(ApiError::BadRequest(m)) => m,
        other => panic!("expected a 400, got {other:?}"),
    }
}

#[test]
fn pairs_are_percent_decoded_and_kept_in_order() {
    assert_eq!(q("park=%E5%B9%BF%E6%B8%85&x=a+b&x=c"), vec![("park".into(), "广清".into()), ("x".into(), "a b".into()), ("x".into(), "c".into())]);
    assert!(pairs(None).is_empty());
}

#[test]
fn unknown_and_repeated_parameters_are_refused() {
    assert!(only(&q("f=json&park=A"), &["park"]).is_ok());
    assert_eq!(refusal(only(&q("prak=A"), &["park", "as_of"])), "unknown query parameter 'prak'; this resource takes: as_of, f, park");
    assert_eq!(refusal(single(&q("park=A&park=B"), "park")), "parameter park is given more than once");
    assert_eq!(single(&q("park=A"), "park").unwrap(), Some("A"));
}

#[test]
fn numbers_must_lie_in_their_range_and_nan_is_not_one() {
    assert_eq!(number(&q(""), "minutes", 5.0, 0.5..=240.0).unwrap(), 5.0);
    assert_eq!(number(&q("minutes=30"), "minutes", 5.0, 0.5..=240.0).unwrap(), 30.0);
    for bad in ["NaN", "inf", "241", "0.1", "ten"] {
        let m = refusal(number(&q(&format!("minutes={bad}")), "minutes", 5.0, 0.5..=240.0));
        assert_eq!(m, format!("parameter minutes: '{bad}' is not a number from 0.5 to 240"));
    }
}

#[test]
fn dates_and_booleans() {
    assert_eq!(date(&q("as_of=2026-06-30"), "as_of").unwrap(), NaiveDate::from_ymd_opt(2026, 6, 30));
    assert_eq!(refusal(date(&q("as_of=2026-02-30"), "as_of")), "parameter as_of: '2026-02-30' is not a date (YYYY-MM-DD)");
    assert_eq!(boolean(&q("include_planned=true"), "include_planned").unwrap(), Some(true));
    assert_eq!(refusal(boolean(&q("include_planned=yes"), "include_planned")), "parameter include_planned: 'yes' is not true or false");
}

#[test]
fn planned_transport_from_a_flag_or_a_date() {
    assert_eq!(planned(&q("")).unwrap(), Planned::Excluded);
    assert_eq!(planned(&q("include_planned=true")).unwrap(), Planned::All);
    assert_eq!(planned(&q("planned_by=2027-12-31")).unwrap(), Planned::By(NaiveDate::from_ymd_opt(2027, 12, 31).unwrap()));
    assert!(refusal(planned(&q("include_planned=false&planned_by=2027-12-31"))).contains("cannot go with include_planned=false"));
    assert!(refusal(planned(&q("planned_by=2200-01-01"))).contains("is not a date from 1900-01-01 to 2100-12-31"));
}

#[test]
fn statuses_are_land_statuses() {
    assert_eq!(statuses(&q(""), &[LandStatus::Available]).unwrap(), vec![LandStatus::Available]);
    assert_eq!(statuses(&q("statuses=idle,+inefficient"), &[]).unwrap(), vec![LandStatus::Idle, LandStatus::Inefficient]);
    assert!(refusal(statuses(&q("statuses=sold"), &[])).starts_with("parameter statuses: unknown land status 'sold'; known: reserve, "));
    assert_eq!(refusal(statuses(&q("statuses=,"), &[])), "parameter statuses: name at least one status");
}

#[test]
fn the_format_follows_f_then_accept() {
    assert!(matches!(format(&q("f=html"), None), Ok(Format::Html)));
    assert!(matches!(format(&q(""), Some("text/html,application/xhtml+xml,*/*")), Ok(Format::Html)));
    assert!(matches!(format(&q(""), Some("application/geo+json, text/html")), Ok(Format::Json)));
    assert!(matches!(format(&q(""), None), Ok(Format::Json)));
    assert_eq!(refusal(format(&q("f=xml"), None)), "parameter f: unknown format 'xml'; use json or html");
}

fn plots() -> &'static Collection {
    catalog::find("plots").expect("plots are a collection")
}

#[test]
fn an_items_query_of_plots() {
    let r = items(plots(), &q("limit=20000&offset=5&status=idle&sortby=-area_mu&properties=code,status")).unwrap();
    assert_eq!(r.limit, MAX_LIMIT, "a limit above the maximum is served as the maximum");
    assert_eq!(r.offset, 5);
    assert_eq!(r.equals.len(), 1);
    assert_eq!(r.equals[0].0.name, "status");
    assert_eq!(r.sortby.len(), 1);
    assert_eq!(r.sortby[0].0.name, "area_mu");
    assert!(r.sortby[0].1, "descending");
    assert_eq!(r.properties.as_ref().map(Vec::len), Some(2));
    assert_eq!(items(plots(), &q("")).unwrap().limit, DEFAULT_LIMIT);
}

#[test]
fn an_items_query_refuses_what_it_cannot_mean() {
    let m = refusal(items(plots(), &q("colour=red")));
    assert!(m.starts_with("unknown query parameter 'colour': neither one of "), "{m}");
    assert!(m.ends_with("nor a filterable property of plots (see /collections/plots/queryables)"), "{m}");
    assert_eq!(refusal(items(plots(), &q("limit=0"))), "parameter limit: '0' is not an integer of at least 1");
    assert_eq!(refusal(items(plots(), &q("area_mu=big"))), "parameter area_mu: 'big' is not a number");
    assert!(refusal(items(plots(), &q("datetime=2026-05-01/2026-01-01"))).contains("is an interval; parkland reads the records as of one instant"));
    assert!(refusal(items(plots(), &q("datetime=.."))).starts_with("parameter datetime: '..' is not an instant"));
    assert!(refusal(items(plots(), &q("datetime=2026-05-01"))).starts_with("parameter datetime: '2026-05-01' is not an instant"));
    // An instant still to come reads the present: no instant to read as of.
    assert_eq!(items(plots(), &q("datetime=2999-01-01T00:00:00Z")).map(|r| r.as_of).ok(), Some(None));
    assert_eq!(refusal(items(plots(), &q("filter-lang=cql2-json"))), "filter-lang and filter-crs need a filter");
    assert!(refusal(items(plots(), &q("filter=colour%3D'red'"))).starts_with("filter: unknown property 'colour' (at column 1)"));
}

#[test]
fn a_bbox_in_a_north_first_crs_is_read_north_first() {
    let r = items(plots(), &q("bbox=23.4,113.0,23.6,113.2&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326")).unwrap();
    let b = r.bbox.unwrap();
    assert_eq!((b.min_e, b.min_n, b.max_e, b.max_n), (113.0, 23.4, 113.2, 23.6));
    let m = refusal(items(plots(), &q("bbox=113.0,23.6,113.2,23.4")));
    assert!(m.contains("northing or latitude 23.6 is above the upper corner's 23.4"), "{m}");
    assert_eq!(refusal(items(plots(), &q("bbox=1,2,3"))), "parameter bbox: expected 4 or 6 numbers, got 3");
}
