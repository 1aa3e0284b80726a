//! Small words about a filter's terms: numbers as bound, dates as CQL2 writes them, and
//! what a term is, for an error.

use chrono::NaiveDate;
use cql2::Expr;

/// A number as a bound parameter: integers without a fraction (1e15 and up as they are).
pub(super) fn trim_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Dates as CQL2 writes them: `2024-01-31`, or a timestamp whose date part is taken.
pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// What a filter term is, in words, for an error.
pub(super) fn describe(e: &Expr) -> String {
    match e {
        Expr::Property { property } => format!("property '{property}'"),
        Expr::Literal(s) => format!("'{s}'"),
        Expr::Float(f) => f.to_string(),
        Expr::Bool(b) => b.to_string(),
        Expr::Operation { op, .. } => format!("{}(...)", op.to_uppercase()),
        Expr::Geometry(_) => "a geometry".into(),
        Expr::BBox { .. } => "a BBOX".into(),
        Expr::Array(_) => "a list".into(),
        Expr::Null => "NULL".into(),
        Expr::Date { .. } => "a date".into(),
        Expr::Timestamp { .. } => "a timestamp".into(),
        Expr::Interval { .. } => "an interval".into(),
    }
}
