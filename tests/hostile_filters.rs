//! Filters written to break the server: nested 10,000 deep, chains of 10,000 terms, and
//! random ones (proptest). Each is a 400 naming the limit it broke, or an answer; never a
//! crash (a stack overflow aborts the whole process, and this test's with it) or a 5xx.

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;

fn items_uri(filter: &str, lang: &str) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    ser.append_pair("filter", filter).append_pair("filter-lang", lang).append_pair("limit", "1");
    format!("/collections/plots/items?{}", ser.finish())
}

/// As `items_uri`, escaping only what a query may not hold as it is (parentheses, quotes
/// and `=` stay): a request line is at most 64 KB (hyper answers 414 beyond), and a
/// 10,000-deep filter fits only written this tightly.
fn tight_uri(filter: &str, lang: &str) -> String {
    let mut q = String::new();
    for c in filter.chars() {
        match c {
            ' ' => q.push('+'),
            'a'..='z' | 'A'..='Z' | '0'..='9' | '(' | ')' | '\'' | '=' | ',' | '.' | '_' | '-' | '*' => q.push(c),
            other => {
                let mut buf = [0u8; 4];
                for b in other.encode_utf8(&mut buf).bytes() {
                    q.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    format!("/collections/plots/items?limit=1&filter-lang={lang}&filter={q}")
}

/// (shape, filter, language, words the refusal must hold): each 10,000 deep or long, as
/// tightly written as CQL2 allows, so each fits a request line. (The unit tests of
/// `cql_limits` refuse the roomier spellings, 10,000 full conditions long, that do not.)
fn attacks() -> Vec<(&'static str, String, &'static str, &'static str)> {
    let deep = 10_000;
    vec![
        ("parentheses", format!("{}status='idle'{}", "(".repeat(deep), ")".repeat(deep)), "cql2-text", "levels"),
        ("NOT(", format!("{}status='idle'{}", "NOT(".repeat(deep), ")".repeat(deep)), "cql2-text", "levels"),
        ("NOT", format!("{}status='idle'", "NOT ".repeat(deep)), "cql2-text", "at most 512"),
        // 10,000 conditions, AND and OR by turns: `(x)AND(x)OR(x)…`.
        ("AND/OR chain", (1..deep).fold("(x)".to_string(), |chain, i| chain + if i % 2 == 0 { "AND(x)" } else { "OR(x)" }), "cql2-text", "at most 512"),
        ("arithmetic chain", format!("area_mu>{}", vec!["1"; deep].join("+")), "cql2-text", "at most 512"),
        // Operator words need no spaces around them: `1OR1OR1…`, `1LIKE1LIKE1…`.
        ("OR without spaces", vec!["1"; 2 * deep].join("OR"), "cql2-text", "at most 512"),
        ("LIKE without spaces", vec!["1"; deep].join("LIKE"), "cql2-text", "at most 512"),
        // Calls 10,000 deep (the limit is met before the name is looked up).
        ("nested functions", format!("{}x{}=1", "f(".repeat(deep), ")".repeat(deep)), "cql2-text", "levels"),
        ("cql2-json arrays", format!("{}true{}", "[".repeat(deep), "]".repeat(deep)), "cql2-json", "levels"),
    ]
}

#[tokio::test]
async fn filters_nested_or_chained_ten_thousand_deep_are_400s_naming_the_limit() {
    let db = common::demo().await;
    let app = common::app(&db);
    for (what, filter, lang, limit) in attacks() {
        let uri = tight_uri(&filter, lang);
        assert!(uri.len() < 65_000, "{what}: {} bytes do not fit a request line", uri.len());
        let r = common::get(&app, &uri).await;
        assert_eq!(r.status, 400, "{what}: {}", String::from_utf8_lossy(&r.body));
        let description = r.json()["description"].as_str().unwrap().to_string();
        assert!(description.contains(limit), "{what}: the refusal names the limit: {description}");
    }
    assert_eq!(common::get(&app, "/health").await.status, 200);
}

/// Through the server binary: each attack, then /health at once. A request line longer
/// than 64 KB never reaches parkland (hyper's 414); the server answers on after it too.
#[tokio::test]
async fn the_server_answers_health_right_after_each_attack() {
    let db = common::demo().await;
    let (mut server, port) = common::serve_binary(&db.url(), &[]);
    for (what, filter, lang, limit) in attacks() {
        let (status, _, body) = common::http(port, "GET", &tight_uri(&filter, lang), &[], "");
        assert_eq!(status, 400, "{what}: {}", String::from_utf8_lossy(&body));
        assert!(String::from_utf8_lossy(&body).contains(limit), "{what}");
        let (status, _, _) = common::http(port, "GET", "/health", &[], "");
        assert_eq!(status, 200, "/health right after {what}");
    }
    // A 100 KB request line: refused by hyper (414, or 431 once past the header buffer),
    // perhaps while it is still being written; then /health.
    {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        let _ = write!(s, "GET {} HTTP/1.1\r\nHost: localhost\r\n\r\n", items_uri(&"NOT ".repeat(25_000), "cql2-text"));
        let mut head = [0u8; 12];
        let status = s.read_exact(&mut head).ok().map(|_| String::from_utf8_lossy(&head[9..12]).to_string());
        assert!(status.as_deref().is_none_or(|s| s == "414" || s == "431"), "{status:?}");
        let (status, _, _) = common::http(port, "GET", "/health", &[], "");
        assert_eq!(status, 200, "/health right after a 100 KB request line");
    }
    assert!(server.try_wait().unwrap().is_none(), "parkland is still running");
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test]
async fn arithmetic_that_fails_and_malformed_geometry_are_400s() {
    let db = common::demo().await;
    let app = common::app(&db);
    for (filter, says) in [
        ("area_mu / 0 > 1", "division by zero"),
        // Zero only when evaluated: PostgreSQL's error, answered as the client's.
        ("area_mu / (area_mu - area_mu) > 1", "division by zero"),
        ("area_mu * 1e308 * 1e308 > 1", "cannot be evaluated"),
        ("S_INTERSECTS(geometry, POLYGON((113 23, 114 23)))", "geometry"),
    ] {
        let r = common::get(&app, &items_uri(filter, "cql2-text")).await;
        assert_eq!(r.status, 400, "{filter}: {}", String::from_utf8_lossy(&r.body));
        let description = r.json()["description"].as_str().unwrap().to_string();
        assert!(description.contains(says), "{filter}: {description}");
    }
}

/// Random filters: conditions, NOT, AND, OR, parentheses, arithmetic and functions nested
/// at random up to beyond the limits.
fn condition() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("status = 'idle'".to_string()),
        Just("area_mu > 3".to_string()),
        Just("land_use LIKE '10%'".to_string()),
        Just("agreed_start < DATE('2025-01-01')".to_string()),
        Just("S_INTERSECTS(geometry, POINT(113.1 23.6))".to_string()),
        Just("S_INTERSECTS(geometry, POLYGON((113 23, 114 23)))".to_string()),
        Just("area_mu / 0 > 1".to_string()),
        Just("area_mu * 1e308 * 10 > 1".to_string()),
        Just("CASEI(land_user) = CASEI('X')".to_string()),
        Just("park_id IN ('GQ-01', 'GQ-02')".to_string()),
        Just("nonsense(".to_string()),
        Just("".to_string()),
        (-1e6f64..1e6).prop_map(|x| format!("area_mu - {x} < {x} * 2")),
    ];
    leaf.prop_recursive(48, 400, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("NOT {c}")),
            inner.clone().prop_map(|c| format!("NOT ({c})")),
            inner.clone().prop_map(|c| format!("({c})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} AND {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) OR ({b})")),
            inner.clone().prop_map(|c| format!("CASEI(({c}))")),
            (1usize..60).prop_map(|n| format!("area_mu > {}", vec!["(1"; n].join(" + ") + &")".repeat(n))),
        ]
    })
}

fn runtime_and_app() -> &'static (tokio::runtime::Runtime, axum::Router, common::TestDb) {
    static SHARED: OnceLock<(tokio::runtime::Runtime, axum::Router, common::TestDb)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let db = rt.block_on(common::demo());
        // The app's pool starts its tasks on the runtime it is made in.
        let app = rt.block_on(async { common::app(&db) });
        (rt, app, db)
    })
}

/// 200 random filters through the router: each is answered (200) or refused (400), never
/// a 5xx or a crash; and the mix holds both, so the generator is not only writing what
/// the limits refuse.
#[test]
fn random_filters_are_answered_or_refused_never_5xx() {
    use proptest::test_runner::{Config, TestRunner};
    let (rt, app, _db) = runtime_and_app();
    let (mut answered, mut refused) = (0, 0);
    let mut runner = TestRunner::new(Config { cases: 200, failure_persistence: None, ..Config::default() });
    let tally = std::cell::RefCell::new((&mut answered, &mut refused));
    runner
        .run(&condition(), |filter| {
            let r = rt.block_on(common::get(app, &items_uri(&filter, "cql2-text")));
            prop_assert!(r.status == 200 || r.status == 400, "{} for {filter}: {}", r.status, String::from_utf8_lossy(&r.body));
            let mut t = tally.borrow_mut();
            if r.status == 200 {
                *t.0 += 1;
            } else {
                *t.1 += 1;
            }
            Ok(())
        })
        .unwrap();
    // The tally borrows the counts until here.
    let _ = tally;
    assert!(answered > 10 && refused > 10, "{answered} answered, {refused} refused");
}

/// The deepest filters the limits accept are parsed and compiled on a stack no larger
/// than a runtime worker's (2 MiB), in this debug build whose frames are the largest.
#[test]
fn the_deepest_accepted_filters_fit_a_worker_stack() {
    use parkland::store::cql::{self, Lang};
    use parkland::store::cql_limits::{MAX_DEPTH, MAX_NESTING, MAX_TERMS};
    let cases = vec![
        format!("{}status='idle'{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING)),
        format!("{}status='idle'{}", "NOT(".repeat(MAX_NESTING - 1), ")".repeat(MAX_NESTING - 1)),
        format!("{}status='idle'", "NOT ".repeat(MAX_DEPTH - 2)),
        vec!["status='idle'"; MAX_TERMS / 2].join(" OR "),
        format!("area_mu > {}", vec!["1"; MAX_TERMS - 1].join(" + ")),
        format!("area_mu > {}", vec!["1"; MAX_TERMS - 1].join(" - ")),
        // The deepest the term limit lets through, in the shapes the parser nests
        // rightwards or as prefixes: comparisons, LIKE, signs.
        vec!["1"; MAX_TERMS].join("="),
        vec!["1"; MAX_TERMS].join("LIKE"),
        format!("{}1 = 1", "- ".repeat(MAX_TERMS - 1)),
        format!("{}status='idle'", "NOT ".repeat(MAX_TERMS - 1)),
        format!("{}status='idle'{}", "NOT(".repeat(MAX_NESTING / 2), ")".repeat(MAX_NESTING / 2))
            .replace("status='idle'", &vec!["1"; MAX_TERMS - MAX_NESTING].join("OR")),
    ];
    let collection = parkland::store::catalog::find("plots").unwrap();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            for text in cases {
                // Accepted by the text limits; refused by depth or compiled, never a crash.
                if let Ok(expr) = cql::parse(&text, Lang::Text) {
                    let f = cql::Filter { expr, crs: parkland::crs::Crs::CRS84, source: text.clone() };
                    let _ = cql::check(collection, &f);
                }
            }
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
}
