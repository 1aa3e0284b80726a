//! CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads the Chinese names),
//! CRLF line ends, RFC 4180 quoting. Text goes out unchanged.

use serde_json::Value;

/// Starts every CSV file parkland writes.
pub const BOM: &str = "\u{feff}";

/// One cell: empty for null, text quoted when it must be, numbers and booleans as JSON
/// writes them.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => text(s),
        other => other.to_string(),
    }
}

/// A number cell as JSON writes it (`1500.0`, `0.25`); empty for None.
pub fn number<N: serde::Serialize>(n: Option<N>) -> String {
    n.map(|n| serde_json::to_string(&n).unwrap_or_default()).unwrap_or_default()
}

/// A text cell, quoted when it holds a comma, a semicolon, a quote or a line break. Text that a
/// spreadsheet would take for a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, or a tab or
/// carriage return before one) gets a leading apostrophe, as OWASP advises: a plot's
/// name typed by anyone must not run in an official's Excel.
pub fn text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { std::borrow::Cow::Owned(format!("'{s}")) } else { std::borrow::Cow::Borrowed(s) };
    // `;` too: Excel in many locales separates cells with it.
    if s.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A line of cells, with its CRLF.
pub fn line<I: IntoIterator<Item = String>>(cells: I) -> String {
    let mut out = cells.into_iter().collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_are_quoted_only_when_they_must_be() {
        assert_eq!(cell(&json!("清远市")), "清远市");
        assert_eq!(cell(&json!("a,b")), "\"a,b\"");
        assert_eq!(cell(&json!("say \"hi\"")), "\"say \"\"hi\"\"\"");
        assert_eq!(cell(&json!(1.5)), "1.5");
        assert_eq!(cell(&Value::Null), "");
        assert_eq!(line(["a".to_string(), "b".to_string()]), "a,b\r\n");
    }

    #[test]
    fn text_a_spreadsheet_would_run_is_written_as_text() {
        assert_eq!(cell(&json!("=HYPERLINK(\"http://x\",\"点击\")")), "\"'=HYPERLINK(\"\"http://x\"\",\"\"点击\"\")\"");
        for s in ["+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(cell(&json!(s)).trim_start_matches('"').starts_with('\''), "{s:?}");
        }
        // Numbers stay numbers, and text that only holds a sign later is left alone.
        assert_eq!(cell(&json!(-2.5)), "-2.5");
        assert_eq!(cell(&json!("A-1")), "A-1");
    }
}
