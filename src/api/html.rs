//! Plain HTML views of the API's JSON documents (`f=html`, or a browser's Accept header):
//! the same document, drawn as headings, link lists and tables, so a person can browse
//! the service with nothing but a browser. No script, no outside resource.

use serde_json::Value;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML form of a link: the same href asked for as HTML.
fn html_href(href: &str) -> String {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let kept: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("f=")).collect();
    if kept.is_empty() {
        format!("{path}?f=html")
    } else {
        format!("{path}?{}&f=html", kept.join("&"))
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "<span class=null>—</span>".into(),
        Value::String(s) if s.starts_with("http://") || s.starts_with("https://") => {
            format!("<a href=\"{}\">{}</a>", escape(s), escape(s))
        }
        Value::String(s) => escape(s),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => items.iter().map(scalar).collect::<Vec<_>>().join("、"),
        other => format!("<code>{}</code>", escape(&other.to_string())),
    }
}

/// A list of OGC links.
pub fn links(v: &Value) -> String {
    let Some(items) = v.as_array() else { return String::new() };
    let mut out = String::from("<ul class=links>");
    for l in items {
        let href = l["href"].as_str().unwrap_or("");
        let media = l["type"].as_str().unwrap_or("");
        // Links to JSON-only things (tiles, OpenAPI) stay as they are; the rest open as HTML.
        let target = if media.contains("json") && !media.contains("openapi") && !href.ends_with("/api") { html_href(href) } else { href.to_string() };
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a> <small>{} · {}</small></li>",
            escape(&target),
            escape(l["title"].as_str().unwrap_or(href)),
            escape(l["rel"].as_str().unwrap_or("")),
            escape(media)
        ));
    }
    out.push_str("</ul>");
    out
}

/// An object's members as a two-column table; nested links become link lists.
pub fn object(v: &Value) -> String {
    let Some(map) = v.as_object() else { return scalar(v) };
    let mut out = String::from("<table class=kv>");
    for (k, val) in map {
        let cell = match (k.as_str(), val) {
            ("links", _) => links(val),
            (_, Value::Object(_)) => object(val),
            (_, Value::Array(items)) if items.iter().any(Value::is_object) => table(items),
            _ => scalar(val),
        };
        out.push_str(&format!("<tr><th>{}</th><td>{cell}</td></tr>", escape(k)));
    }
    out.push_str("</table>");
    out
}

/// An array of objects as one table, one column per member.
pub fn table(items: &[Value]) -> String {
    let mut cols: Vec<String> = Vec::new();
    for i in items {
        if let Some(m) = i.as_object() {
            for k in m.keys() {
                if !cols.contains(k) {
                    cols.push(k.clone());
                }
            }
        }
    }
    let mut out = String::from("<table class=grid><tr>");
    for c in &cols {
        out.push_str(&format!("<th>{}</th>", escape(c)));
    }
    out.push_str("</tr>");
    for i in items {
        out.push_str("<tr>");
        for c in &cols {
            let v = &i[c.as_str()];
            let cell = if c == "links" {
                links(v)
            } else if v.is_object() {
                object(v)
            } else {
                scalar(v)
            };
            out.push_str(&format!("<td>{cell}</td>"));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

/// Features as a table: the id links to the feature's own page, then every property.
pub fn features(collection: &str, base: &str, items: &[Value]) -> String {
    // Columns: the id, the geometry type, then every property any feature has.
    let mut cols: Vec<&String> = Vec::new();
    for f in items {
        for k in f["properties"].as_object().into_iter().flat_map(|m| m.keys()) {
            if !cols.contains(&k) {
                cols.push(k);
            }
        }
    }
    let mut out = String::from("<table class=grid><tr><th>id</th><th>geometry</th>");
    for c in &cols {
        out.push_str(&format!("<th>{}</th>", escape(c)));
    }
    out.push_str("</tr>");
    for f in items {
        let id = f["id"].to_string().trim_matches('"').to_string();
        let href = html_href(&format!("{base}/collections/{collection}/items/{id}"));
        out.push_str(&format!("<tr><td><a href=\"{}\">{}</a></td><td>{}</td>", escape(&href), escape(&id), scalar(&f["geometry"]["type"])));
        for c in &cols {
            out.push_str(&format!("<td>{}</td>", scalar(&f["properties"][c.as_str()])));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

/// A whole page around `body`, with the service's navigation and a link to the JSON.
pub fn page(base: &str, title: &str, json_href: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8><meta name=viewport content=\"width=device-width, initial-scale=1\">\
<title>{t} · parkland</title><style>\
body{{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5rem;color:#1d2a33;max-width:90rem}}\
nav a{{margin-right:1rem}} table{{border-collapse:collapse;margin:.5rem 0}} th,td{{border:1px solid #d5dde3;padding:.25rem .5rem;text-align:left;vertical-align:top}}\
th{{background:#eef3f6}} .grid{{font-size:.85rem}} .null{{color:#99a}} small{{color:#667}} ul.links{{padding-left:1.2rem;margin:0}}\
</style></head><body><nav><a href=\"{b}/?f=html\">首页 Home</a><a href=\"{b}/collections?f=html\">数据集 Collections</a>\
<a href=\"{b}/conformance?f=html\">符合的标准 Conformance</a><a href=\"{b}/api\">接口定义 API (OpenAPI)</a></nav>\
<h1>{t}</h1><p><a href=\"{j}\">JSON</a></p>{body}</body></html>",
        t = escape(title),
        b = escape(base),
        j = escape(json_href),
        body = body
    )
}
