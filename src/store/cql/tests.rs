//! The CQL2 compiler without a database: filter text in, SQL text out (values are bound
//! parameters, `$n`), and the refusal for what cannot be compiled.

use super::*;
use crate::store::catalog;

fn compile(collection: &str, text: &str) -> Result<String, String> {
    let c = catalog::find(collection).expect("a collection");
    let f = Filter { expr: parse(text, Lang::Text).map_err(|e| e.0)?, crs: Crs::CRS84, source: text.to_string() };
    let mut qb = QueryBuilder::new("");
    push_filter(&mut qb, c, &f).map_err(|e| e.0)?;
    Ok(qb.sql().to_string())
}

fn plots(text: &str) -> String {
    compile("plots", text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn comparisons_and_logic() {
    let pairs = [
        ("status = 'idle' AND area_mu > 50", "((t.status = $1) AND (round(t.area_mu::numeric, 3) > $2))"),
        ("status = 'idle' OR status <> 'available'", "((t.status = $1) OR (t.status <> $2))"),
        ("NOT (code LIKE 'A%')", "NOT ((t.code LIKE $1))"),
        ("area_mu BETWEEN 10 AND 20", "(round(t.area_mu::numeric, 3) BETWEEN $1 AND $2)"),
        ("status IN ('idle', 'inefficient')", "(t.status IN ($1, $2))"),
        ("land_user IS NULL", "(t.land_user IS NULL)"),
        ("land_user IS NOT NULL", "NOT ((t.land_user IS NULL))"),
        ("CASEI(land_user) = CASEI('广清')", "(lower(t.land_user) = lower($1))"),
        ("area_mu * 2 > 100", "((round(t.area_mu::numeric, 3) * $1) > $2)"),
        ("TRUE", "TRUE"),
    ];
    for (filter, sql) in pairs {
        assert_eq!(plots(filter), sql, "{filter}");
    }
}

#[test]
fn dates_lists_and_geometry() {
    assert_eq!(plots("T_AFTER(supplied_on, DATE('2025-01-01'))"), "(t.supplied_on > $1)");
    assert_eq!(plots("supplied_on >= DATE('2025-01-01')"), "(t.supplied_on >= $1)");
    assert_eq!(compile("parks", "A_OVERLAPS(leading_industries, ('新材料', '电子信息'))").unwrap(), "(t.leading_industries && $1::text[])");
    assert_eq!(plots("S_INTERSECTS(geometry, POINT(113 23.5))"), "ST_Intersects(t.geom, ST_GeomFromText($1, 4326))");
    // The literal first: S_WITHIN(literal, geometry) is the geometry containing the literal.
    assert_eq!(plots("S_WITHIN(POINT(113 23.5), geometry)"), "ST_Contains(t.geom, ST_GeomFromText($1, 4326))");
    assert_eq!(plots("S_DISJOINT(geometry, POINT(113 23.5))"), "NOT ST_Intersects(t.geom, ST_GeomFromText($1, 4326))");
    assert!(plots("S_DWITHIN(geometry, POINT(113 23.5), 2, kilometers)").contains("ST_DWithin(t.geom::geography, "));
}

#[test]
fn what_cannot_be_compiled_is_refused_by_name() {
    let refused = |filter: &str| compile("plots", filter).expect_err(filter);
    assert!(refused("colour = 'red'")
        .starts_with("filter: unknown property 'colour' (at column 1); the queryables of plots are listed at /collections/plots/queryables"));
    assert_eq!(refused("supplied_on = 3"), "filter: 3 is not a date: write DATE('YYYY-MM-DD')");
    assert_eq!(refused("area_mu / 0 > 1"), "filter: division by zero");
    assert_eq!(refused("S_DWITHIN(geometry, POINT(113 23.5), 5, furlongs)"), "filter: S_DWITHIN: unknown unit 'furlongs'; use meters or kilometers");
    assert_eq!(refused("geometry = 'x'"), "filter: the geometry can only be used in spatial functions (S_INTERSECTS ...)");
    assert_eq!(refused("T_BEFORE(code, DATE('2025-01-01'))"), "filter: T_BEFORE needs a date property first, found property 'code'");
    assert!(refused("status = ").starts_with("filter (cql2-text): syntax error at line 1, column"));
}
