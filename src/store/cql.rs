//! CQL2 filters (OGC API - Features Part 3), text and JSON, compiled to SQL over the
//! collection catalog. Parsing is the `cql2` crate's; this module decides what each
//! operator means in PostGIS. Values are always bound parameters; property names resolve
//! only through the catalog; anything else is refused with a message that names it.
//!
//! Supported: AND, OR, NOT; =, <>, <, <=, >, >=; LIKE; BETWEEN; IN; IS NULL; CASEI;
//! the arithmetic operators (plus, minus, times, divided by); A_CONTAINS, A_CONTAINEDBY, A_OVERLAPS, A_EQUALS on list properties;
//! T_BEFORE, T_AFTER, T_DURING, T_INTERSECTS on dates; S_INTERSECTS, S_WITHIN,
//! S_CONTAINS, S_DISJOINT, S_TOUCHES, S_OVERLAPS, S_CROSSES, S_EQUALS on the geometry;
//! and S_DWITHIN(geometry, literal, distance[, units]) in metres on the ellipsoid.

use cql2::{Expr, Geometry};
use sqlx::{Postgres, QueryBuilder};

mod literals;
mod spatial;
mod temporal;

use literals::{describe, parse_date, trim_float};

use super::catalog::{Collection, Kind, Property};
use crate::crs::Crs;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Text,
    Json,
}

/// A parsed filter, with the CRS its geometry literals are in.
#[derive(Debug, Clone)]
pub struct Filter {
    pub expr: Expr,
    pub crs: Crs,
    /// The filter as given, to place error messages.
    pub source: String,
}

/// Why a filter was refused. The text goes to the client as is.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CqlError(pub String);

/// Parses `text` in `lang`, within the limits of `cql_limits` (checked first, so no
/// filter can exhaust the stack). Syntax errors say where: line and column.
pub fn parse(text: &str, lang: Lang) -> Result<Expr, CqlError> {
    super::cql_limits::check(text, lang)?;
    let expr = parse_unchecked(text, lang)?;
    super::cql_limits::check_depth(&expr)?;
    Ok(expr)
}

fn parse_unchecked(text: &str, lang: Lang) -> Result<Expr, CqlError> {
    match lang {
        Lang::Text => cql2::parse_text(text).map_err(|e| match e {
            cql2::Error::Pest(p) => {
                let (line, col) = match p.line_col {
                    pest::error::LineColLocation::Pos(pos) => pos,
                    pest::error::LineColLocation::Span(start, _) => start,
                };
                let expected = match &p.variant {
                    pest::error::ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
                        let names: Vec<String> = positives.iter().take(6).map(|r| format!("{r:?}")).collect();
                        format!(" (expected {})", names.join(", "))
                    }
                    _ => String::new(),
                };
                CqlError(format!("filter (cql2-text): syntax error at line {line}, column {col}{expected}"))
            }
            other => CqlError(format!("filter (cql2-text): {other}")),
        }),
        Lang::Json => cql2::parse_json(text)
            .map_err(|e| CqlError(format!("filter (cql2-json): {} (at line {}, column {})", strip_position(&e.to_string()), e.line(), e.column()))),
    }
}

fn strip_position(msg: &str) -> &str {
    msg.split(" at line ").next().unwrap_or(msg)
}

impl Filter {
    /// Where `name` first appears in the filter, for messages about it.
    fn at(&self, name: &str) -> String {
        match self.source.find(name) {
            Some(i) => format!(" (at column {})", self.source[..i].chars().count() + 1),
            None => String::new(),
        }
    }
}

/// Compiles the filter into `qb` as one boolean SQL expression.
pub fn push_filter(qb: &mut QueryBuilder<'static, Postgres>, c: &Collection, f: &Filter) -> Result<(), CqlError> {
    let mut cx = Cx { qb, c, f };
    cx.boolean(&f.expr)
}

/// Checks a filter against a collection without running it: every error a filter can
/// have is found here, before the database is asked.
pub fn check(c: &Collection, f: &Filter) -> Result<(), CqlError> {
    let mut qb = QueryBuilder::new("");
    push_filter(&mut qb, c, f)
}

struct Cx<'a, 'q> {
    qb: &'a mut QueryBuilder<'q, Postgres>,
    c: &'a Collection,
    f: &'a Filter,
}

fn op_args(e: &Expr) -> Option<(String, &[Box<Expr>])> {
    match e {
        Expr::Operation { op, args } => Some((op.to_lowercase(), args)),
        _ => None,
    }
}

fn is_geometry_ref(e: &Expr) -> bool {
    matches!(e, Expr::Property { property } if property == "geometry" || property == "geom")
}

impl Cx<'_, 'static> {
    fn err<T>(&self, msg: String) -> Result<T, CqlError> {
        Err(CqlError(format!("filter: {msg}")))
    }

    fn arity(&self, op: &str, args: &[Box<Expr>], n: usize) -> Result<(), CqlError> {
        if args.len() != n {
            return self.err(format!("{} takes {n} arguments, got {}", op.to_uppercase(), args.len()));
        }
        Ok(())
    }

    fn property(&self, name: &str) -> Result<&'static Property, CqlError> {
        match self.c.property(name) {
            Some(p) if p.kind.filterable() => Ok(p),
            Some(_) => self.err(format!("property '{name}'{} cannot be filtered on", self.f.at(name))),
            None => self.err(format!(
                "unknown property '{name}'{}; the queryables of {} are listed at /collections/{}/queryables",
                self.f.at(name),
                self.c.id,
                self.c.id
            )),
        }
    }

    /// The kind of a scalar operand, when it is (or wraps) a property.
    fn kind_of(&self, e: &Expr) -> Option<Kind> {
        match e {
            Expr::Property { property } => self.c.property(property).map(|p| p.kind),
            Expr::Date { .. } | Expr::Timestamp { .. } => Some(Kind::Date),
            Expr::Operation { op, args } if op.eq_ignore_ascii_case("casei") => args.first().and_then(|a| self.kind_of(a)),
            Expr::Operation { op, .. } if ["+", "-", "*", "/"].contains(&op.as_str()) => Some(Kind::Number),
            _ => None,
        }
    }

    /// A condition: the operator's SQL, or a refusal naming what cannot be compiled.
    fn boolean(&mut self, e: &Expr) -> Result<(), CqlError> {
        let Some((op, args)) = op_args(e) else {
            return match e {
                Expr::Bool(b) => {
                    self.qb.push(if *b { "TRUE" } else { "FALSE" });
                    Ok(())
                }
                _ => self.err(format!("expected a condition, found {}", describe(e))),
            };
        };
        match op.as_str() {
            "and" | "or" => self.junction(&op, args),
            "not" => {
                self.arity(&op, args, 1)?;
                self.qb.push("NOT (");
                self.boolean(&args[0])?;
                self.qb.push(")");
                Ok(())
            }
            "=" | "<>" | "<" | "<=" | ">" | ">=" => {
                self.arity(&op, args, 2)?;
                let kind = self.kind_of(&args[0]).or_else(|| self.kind_of(&args[1]));
                self.infix(&args[0], &format!(" {op} "), &args[1], kind)
            }
            "like" => {
                self.arity(&op, args, 2)?;
                self.infix(&args[0], " LIKE ", &args[1], Some(Kind::Text))
            }
            "between" => self.between(args),
            "in" => self.in_list(args),
            "isnull" => self.is_null(args),
            "a_contains" | "a_containedby" | "a_overlaps" | "a_equals" => self.lists(&op, args),
            "t_before" | "t_after" | "t_during" | "t_intersects" | "t_equals" => self.temporal(&op, args),
            "s_intersects" | "s_within" | "s_contains" | "s_disjoint" | "s_touches" | "s_overlaps" | "s_crosses" | "s_equals" => self.spatial(&op, args),
            "s_dwithin" => self.dwithin(args),
            other => self.err(format!("the operator or function '{other}' is not supported")),
        }
    }

    /// AND or OR over every argument.
    fn junction(&mut self, op: &str, args: &[Box<Expr>]) -> Result<(), CqlError> {
        self.qb.push("(");
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                self.qb.push(if op == "and" { " AND " } else { " OR " });
            }
            self.boolean(a)?;
        }
        self.qb.push(")");
        Ok(())
    }

    /// `(left op right)`, both operands as `kind`.
    fn infix(&mut self, left: &Expr, op: &str, right: &Expr, kind: Option<Kind>) -> Result<(), CqlError> {
        self.qb.push("(");
        self.scalar(left, kind)?;
        self.qb.push(op);
        self.scalar(right, kind)?;
        self.qb.push(")");
        Ok(())
    }

    fn between(&mut self, args: &[Box<Expr>]) -> Result<(), CqlError> {
        self.arity("between", args, 3)?;
        let kind = self.kind_of(&args[0]);
        self.qb.push("(");
        self.scalar(&args[0], kind)?;
        self.qb.push(" BETWEEN ");
        self.scalar(&args[1], kind)?;
        self.qb.push(" AND ");
        self.scalar(&args[2], kind)?;
        self.qb.push(")");
        Ok(())
    }

    fn in_list(&mut self, args: &[Box<Expr>]) -> Result<(), CqlError> {
        self.arity("in", args, 2)?;
        let kind = self.kind_of(&args[0]);
        let Expr::Array(items) = args[1].as_ref() else { return self.err("IN needs a list of values".into()) };
        if items.is_empty() {
            self.qb.push("FALSE");
            return Ok(());
        }
        self.qb.push("(");
        self.scalar(&args[0], kind)?;
        self.qb.push(" IN (");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.qb.push(", ");
            }
            self.scalar(item, kind)?;
        }
        self.qb.push("))");
        Ok(())
    }

    fn is_null(&mut self, args: &[Box<Expr>]) -> Result<(), CqlError> {
        self.arity("isnull", args, 1)?;
        self.qb.push("(");
        if is_geometry_ref(&args[0]) {
            self.qb.push(self.c.geom_sql);
        } else {
            let kind = self.kind_of(&args[0]);
            self.scalar(&args[0], kind)?;
        }
        self.qb.push(" IS NULL)");
        Ok(())
    }

    /// A_CONTAINS, A_CONTAINEDBY, A_OVERLAPS, A_EQUALS: PostgreSQL's array operators.
    fn lists(&mut self, op: &str, args: &[Box<Expr>]) -> Result<(), CqlError> {
        self.arity(op, args, 2)?;
        let sql_op = match op {
            "a_contains" => " @> ",
            "a_containedby" => " <@ ",
            "a_overlaps" => " && ",
            _ => " = ",
        };
        self.qb.push("(");
        self.array(&args[0])?;
        self.qb.push(sql_op);
        self.array(&args[1])?;
        self.qb.push(")");
        Ok(())
    }

    /// A list operand: a list property or a list of literals.
    fn array(&mut self, e: &Expr) -> Result<(), CqlError> {
        match e {
            Expr::Property { property } => {
                let p = self.property(property)?;
                if !matches!(p.kind, Kind::TextArray | Kind::IntegerArray) {
                    return self.err(format!("property '{property}' is not a list"));
                }
                self.qb.push(p.sql);
            }
            Expr::Array(items) => {
                let mut texts = Vec::new();
                for i in items {
                    match i.as_ref() {
                        Expr::Literal(s) => texts.push(s.clone()),
                        Expr::Float(f) => texts.push(f.to_string()),
                        other => return self.err(format!("list items must be values, found {}", describe(other))),
                    }
                }
                self.qb.push_bind(texts).push("::text[]");
            }
            other => return self.err(format!("expected a list, found {}", describe(other))),
        }
        Ok(())
    }

    /// A scalar operand, with literals bound as `kind` when it is known.
    fn scalar(&mut self, e: &Expr, kind: Option<Kind>) -> Result<(), CqlError> {
        match e {
            Expr::Property { property } => {
                if is_geometry_ref(e) {
                    return self.err("the geometry can only be used in spatial functions (S_INTERSECTS ...)".into());
                }
                let p = self.property(property)?;
                if matches!(p.kind, Kind::TextArray | Kind::IntegerArray) {
                    return self.err(format!("property '{property}' is a list: use A_CONTAINS or A_OVERLAPS"));
                }
                self.qb.push(p.sql);
            }
            Expr::Float(f) => match kind {
                Some(Kind::Text) => {
                    self.qb.push_bind(trim_float(*f));
                }
                Some(Kind::Date) => return self.err(format!("{f} is not a date: write DATE('YYYY-MM-DD')")),
                _ => {
                    self.qb.push_bind(*f);
                }
            },
            Expr::Literal(s) => match kind {
                Some(Kind::Date) => {
                    let d = parse_date(s).ok_or_else(|| CqlError(format!("filter: '{s}' is not a date (YYYY-MM-DD)")))?;
                    self.qb.push_bind(d);
                }
                Some(Kind::Number | Kind::Integer) => {
                    let n: f64 = s.parse().map_err(|_| CqlError(format!("filter: '{s}' is not a number")))?;
                    self.qb.push_bind(n);
                }
                Some(Kind::Boolean) => {
                    let b = match s.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => return self.err(format!("'{s}' is not true or false")),
                    };
                    self.qb.push_bind(b);
                }
                _ => {
                    self.qb.push_bind(s.clone());
                }
            },
            Expr::Bool(b) => {
                self.qb.push_bind(*b);
            }
            Expr::Null => {
                self.qb.push("NULL");
            }
            Expr::Date { date } | Expr::Timestamp { timestamp: date } => match date.as_ref() {
                Expr::Literal(s) => {
                    let d = parse_date(s).ok_or_else(|| CqlError(format!("filter: '{s}' is not a date (YYYY-MM-DD)")))?;
                    self.qb.push_bind(d);
                }
                other => return self.err(format!("DATE() takes a string, found {}", describe(other))),
            },
            Expr::Operation { op, args } if op.eq_ignore_ascii_case("casei") => {
                self.arity("casei", args, 1)?;
                self.qb.push("lower(");
                self.scalar(&args[0], Some(Kind::Text))?;
                self.qb.push(")");
            }
            Expr::Operation { op, args } if ["+", "-", "*", "/"].contains(&op.as_str()) => {
                self.arity(op, args, 2)?;
                if op == "/" && matches!(args[1].as_ref(), Expr::Float(d) if *d == 0.0) {
                    return self.err("division by zero".into());
                }
                self.qb.push("(");
                self.scalar(&args[0], Some(Kind::Number))?;
                self.qb.push(format!(" {op} "));
                self.scalar(&args[1], Some(Kind::Number))?;
                self.qb.push(")");
            }
            other => return self.err(format!("expected a value or a property, found {}", describe(other))),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
