//! Every resource has a plain HTML page (f=html, or a browser's Accept header) whose
//! links work, and text in it is escaped.

mod common;

use std::collections::{BTreeSet, VecDeque};

fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\""))
        .collect()
}

#[tokio::test]
async fn crawling_from_the_landing_page_every_link_answers() {
    let db = common::demo().await;
    let app = common::app(&db);
    let mut queue = VecDeque::from(["/?f=html".to_string()]);
    let mut seen = BTreeSet::new();
    let mut html_pages = 0;
    while let Some(uri) = queue.pop_front() {
        if !seen.insert(uri.clone()) || seen.len() > 150 {
            continue;
        }
        let r = common::get(&app, &uri).await;
        assert_eq!(r.status, 200, "GET {uri}: {}", String::from_utf8_lossy(&r.body));
        let media = r.headers["content-type"].to_str().unwrap().to_string();
        if media.starts_with("text/html") {
            html_pages += 1;
            let text = String::from_utf8(r.body).unwrap();
            assert!(text.starts_with("<!doctype html>") && text.contains("lang=zh-CN"), "{uri}");
            for h in hrefs(&text) {
                // The service's own links only (CRS URIs point to opengis.net).
                if !(h.starts_with('/') || h.starts_with("http://127.0.0.1:8080")) {
                    continue;
                }
                let path = common::path_of(&h);
                // Follow the service's own pages; item pages only a few per collection.
                if path.contains("/items/") && seen.iter().filter(|s| s.contains("/items/")).count() > 12 {
                    continue;
                }
                queue.push_back(path);
            }
        }
    }
    assert!(html_pages >= 20, "only {html_pages} HTML pages reached");
    for must in ["/collections?f=html", "/collections/plots?f=html", "/collections/plots/items?f=html", "/conformance?f=html"] {
        assert!(seen.contains(must), "{must} is not linked from the pages");
    }
}

#[tokio::test]
async fn browsers_get_html_and_text_is_escaped() {
    let db = common::demo().await;
    let app = common::app(&db);
    let accept = [("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")];
    let r = common::request(&app, "/collections/parks/items", &accept).await;
    assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    let text = String::from_utf8(r.body).unwrap();
    assert!(text.contains("广清经济特别合作区广清产业园"), "Chinese text as is");
    // GIS clients asking for JSON still get JSON.
    let r = common::request(&app, "/collections/parks/items", &[("accept", "application/geo+json, application/json")]).await;
    assert_eq!(r.headers["content-type"], "application/geo+json");

    sqlx::query("UPDATE parks SET name_zh = '<script>alert(1)</script>园区' WHERE id = 'GQ-01'").execute(&db.pool).await.unwrap();
    let page = String::from_utf8(common::get(&app, "/collections/parks/items/GQ-01?f=html").await.body).unwrap();
    assert!(!page.contains("<script>"), "unescaped markup in the page");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;园区"));
}
