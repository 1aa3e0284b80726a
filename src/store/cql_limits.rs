//! The size of a CQL2 filter, measured before it is parsed. The parser (pest's Pratt
//! parser inside the `cql2` crate, serde for cql2-json) and the compiler in `cql.rs`
//! recurse once per level of the expression, so a filter of a few hundred nested
//! parentheses, NOTs or function calls would overflow a thread's stack and abort the whole
//! process; a long flat chain (`a=1 OR a=1 OR …`) is built as a deep tree before it is
//! flattened. These limits are checked on the text alone, with no recursion, and bound
//! everything after them: the tree's depth is at most `MAX_NESTING + MAX_TERMS`.
//!
//! The limits are far above what a person or a GIS client writes (QGIS's filters are a few
//! terms; the map's are under twenty) and far below what the stack could take.

use cql2::Expr;

use super::cql::{CqlError, Lang};

/// Longest filter, in bytes: room for a polygon literal of a few thousand vertices.
pub const MAX_FILTER_BYTES: usize = 256 * 1024;
/// Deepest nesting: parentheses, brackets (cql2-json's objects and arrays count one level
/// for each pair, so a JSON filter may nest twice as deep in brackets).
pub const MAX_NESTING: usize = 32;
/// Most operators and function calls: AND, OR, NOT, comparisons, arithmetic, LIKE,
/// BETWEEN, IN, IS, and every `name(`. List items and literals are not counted.
pub const MAX_TERMS: usize = 512;

/// Refuses a filter over any limit, naming the limit.
pub fn check(text: &str, lang: Lang) -> Result<(), CqlError> {
    let name = match lang {
        Lang::Text => "cql2-text",
        Lang::Json => "cql2-json",
    };
    if text.len() > MAX_FILTER_BYTES {
        return Err(CqlError(format!("filter ({name}): {} bytes long; at most {MAX_FILTER_BYTES} bytes", text.len())));
    }
    let size = match lang {
        Lang::Text => measure_text(text),
        Lang::Json => measure_json(text),
    };
    let nesting_limit = match lang {
        Lang::Text => MAX_NESTING,
        Lang::Json => 2 * MAX_NESTING,
    };
    if size.nesting > nesting_limit {
        return Err(CqlError(format!(
            "filter ({name}): nested {} levels deep; at most {nesting_limit} levels of parentheses, brackets and function calls",
            size.nesting
        )));
    }
    if size.terms > MAX_TERMS {
        return Err(CqlError(format!("filter ({name}): {} operators and function calls; at most {MAX_TERMS}", size.terms)));
    }
    Ok(())
}

/// Deepest expression tree the compiler takes, after the parser has flattened AND and OR
/// chains: it recurses once a level, and a chain of prefix NOTs or unary minuses is as
/// deep as it is long.
pub const MAX_DEPTH: usize = 64;

/// Refuses a parsed filter deeper than `MAX_DEPTH`; measured with a stack of its own, not
/// by recursion.
pub fn check_depth(expr: &Expr) -> Result<(), CqlError> {
    let mut stack = vec![(expr, 1usize)];
    while let Some((e, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(CqlError(format!("filter: nested more than {MAX_DEPTH} levels deep (NOTs, signs and operators count); at most {MAX_DEPTH} levels")));
        }
        let children: &[Box<Expr>] = match e {
            Expr::Operation { args, .. } => args,
            Expr::Interval { interval } => interval,
            Expr::BBox { bbox } => bbox,
            Expr::Array(items) => items,
            Expr::Timestamp { timestamp: inner } | Expr::Date { date: inner } => std::slice::from_ref(inner),
            _ => &[],
        };
        stack.extend(children.iter().map(|c| (c.as_ref(), depth + 1)));
    }
    Ok(())
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Size {
    /// The deepest nesting reached.
    nesting: usize,
    /// Operators and function calls.
    terms: usize,
}

/// Words that are operators in cql2-text (compared without case).
const KEYWORDS: &[&str] = &["and", "or", "not", "like", "between", "in", "is", "div"];

/// One pass over cql2-text: quoted text ('…' with '' inside, "…" identifiers) is skipped;
/// every opening parenthesis or bracket is a level; operators, operator words and `name(`
/// are terms.
fn measure_text(text: &str) -> Size {
    let bytes = text.as_bytes();
    let mut size = Size::default();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\'' | b'"' => {
                // To the closing quote; a doubled quote is an escaped one and stays inside.
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b {
                        if bytes.get(i + 1) == Some(&b) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' => {
                depth += 1;
                size.nesting = size.nesting.max(depth);
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            b'=' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' => {
                // `<>`, `<=` and `>=` are one operator.
                if matches!(b, b'<' | b'>') && matches!(bytes.get(i + 1), Some(b'=' | b'>')) {
                    i += 1;
                }
                size.terms += 1;
            }
            _ if b.is_ascii_alphanumeric() || b == b'_' => {
                let start = i;
                while i + 1 < bytes.len() && (bytes[i + 1].is_ascii_alphanumeric() || matches!(bytes[i + 1], b'_' | b'.' | b':')) {
                    i += 1;
                }
                let mut next = i + 1;
                while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                    next += 1;
                }
                size.terms += keywords_in(&bytes[start..=i]) + usize::from(bytes.get(next) == Some(&b'('));
            }
            _ => {}
        }
        i += 1;
    }
    size
}

/// Operator words anywhere in a run of letters and digits. The grammar needs no space
/// around them (`1OR1OR1…` is a chain of ORs), so each is counted wherever it stands: a
/// name that holds one (`land_use`, `origin`) counts too, which only brings a limit a
/// little nearer, while a chain written without spaces can no longer pass unmeasured.
fn keywords_in(run: &[u8]) -> usize {
    let lower = run.to_ascii_lowercase();
    KEYWORDS.iter().map(|k| lower.windows(k.len()).filter(|w| *w == k.as_bytes()).count()).sum()
}

/// One pass over cql2-json: strings are skipped (with their escapes); every `{` or `[` is
/// a level; every `"op"` key is a term.
fn measure_json(text: &str) -> Size {
    let bytes = text.as_bytes();
    let mut size = Size::default();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if text.get(start..i) == Some("op") {
                    size.terms += 1;
                }
            }
            b'{' | b'[' => {
                depth += 1;
                size.nesting = size.nesting.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Size {
        measure_text(s)
    }

    #[test]
    fn quoted_text_is_not_measured() {
        assert_eq!(text("name = '((((AND OR NOT'"), Size { nesting: 0, terms: 1 });
        assert_eq!(text("name = 'it''s (' AND \"odd ( name\" = 1"), Size { nesting: 0, terms: 3 });
    }

    #[test]
    fn operators_words_and_calls_are_terms() {
        // IN counts as a word and as a call; T_BEFORE holds "or" and is a call.
        assert_eq!(text("status IN ('idle','inefficient') AND T_BEFORE(agreed_start, DATE('2025-01-01'))"), Size { nesting: 2, terms: 6 });
        assert_eq!(text("area_mu >= 10 AND area_mu <> 20"), Size { nesting: 0, terms: 3 });
        assert_eq!(text("S_INTERSECTS(geometry, POLYGON((113 23, 114 23, 114 24, 113 23)))"), Size { nesting: 3, terms: 3 }, "S_INTERSECTS holds \"in\"");
        // Operator words inside names count (an upper bound is what matters): android
        // holds "and", origin "or" and "in".
        assert_eq!(text("android = 1 AND origin = 2"), Size { nesting: 0, terms: 6 });
        assert_eq!(text("status = 'idle'"), Size { nesting: 0, terms: 1 });
    }

    #[test]
    fn json_counts_ops_and_levels() {
        let j = r#"{"op":"and","args":[{"op":"=","args":[{"property":"status"},"idle"]},{"op":"<","args":[{"property":"x"},"a \"op\" ]"]}]}"#;
        assert_eq!(measure_json(j), Size { nesting: 5, terms: 3 });
    }

    #[test]
    fn each_shape_of_attack_is_refused_naming_its_limit() {
        let deep = 10_000;
        let cases: Vec<(String, Lang, &str)> = vec![
            (format!("{}status='idle'{}", "(".repeat(deep), ")".repeat(deep)), Lang::Text, "levels"),
            (format!("{}status='idle'{}", "NOT(".repeat(deep), ")".repeat(deep)), Lang::Text, "levels"),
            (format!("{}status='idle'", "NOT ".repeat(deep)), Lang::Text, "operators"),
            (vec!["status='idle'"; deep].join(" OR "), Lang::Text, "operators"),
            // No spaces needed around operator words: one run of letters and digits.
            (vec!["1"; deep].join("OR"), Lang::Text, "operators"),
            (vec!["1"; deep].join("LIKE"), Lang::Text, "operators"),
            (vec!["x"; deep].join("AnD"), Lang::Text, "operators"),
            ((1..deep).map(|i| format!("area_mu > {i}")).collect::<Vec<_>>().join(" AND "), Lang::Text, "operators"),
            (format!("{}{{\"property\":\"status\"}}{}", r#"{"op":"not","args":["#.repeat(deep), "]}".repeat(deep)), Lang::Json, "levels"),
            (format!("area_mu = {}", vec!["1"; deep].join(" + ")), Lang::Text, "operators"),
            (format!("{}'a'{} = 'a'", "CASEI(".repeat(deep), ")".repeat(deep)), Lang::Text, "levels"),
            (format!("{}true{}", "[".repeat(deep), "]".repeat(deep)), Lang::Json, "levels"),
            (format!(r#"{{"op":"or","args":[{}]}}"#, vec![r#"{"op":"=","args":[1,1]}"#; deep].join(",")), Lang::Json, "operators"),
        ];
        for (filter, lang, limit) in cases {
            let e = check(&filter, lang).expect_err("refused");
            assert!(e.0.contains(limit) && e.0.contains("at most"), "{}…: {}", &filter[..40], e.0);
        }
        let long = format!("name = '{}'", "x".repeat(MAX_FILTER_BYTES));
        assert!(check(&long, Lang::Text).unwrap_err().0.contains("bytes"));
    }

    #[test]
    fn filters_people_write_pass() {
        for f in [
            "status IN ('idle','inefficient') AND T_BEFORE(agreed_start, DATE('2025-01-01'))",
            "S_DWITHIN(geometry, POINT(113.17 23.64), 2, kilometers) AND status = 'available'",
            "(area_mu + 10) * 2 > 100 OR NOT (status = 'supplied')",
        ] {
            assert!(check(f, Lang::Text).is_ok(), "{f}");
        }
    }
}
