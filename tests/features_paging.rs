//! Paging through `next` links returns every feature exactly once, and numberMatched is
//! the count the database gives for the same filter.

mod common;

use std::collections::BTreeSet;

async fn walk(app: &axum::Router, first: &str) -> (Vec<String>, i64, usize) {
    let mut ids = Vec::new();
    let mut uri = first.to_string();
    let mut pages = 0;
    let mut matched;
    loop {
        let r = common::get(app, &uri).await;
        assert_eq!(r.status, 200, "{uri}: {}", String::from_utf8_lossy(&r.body));
        let page = r.json();
        let features = page["features"].as_array().unwrap();
        assert_eq!(page["numberReturned"].as_u64().unwrap() as usize, features.len(), "numberReturned on {uri}");
        matched = page["numberMatched"].as_i64().unwrap();
        ids.extend(features.iter().map(|f| f["id"].to_string()));
        pages += 1;
        match page["links"].as_array().unwrap().iter().find(|l| l["rel"] == "next") {
            Some(next) => uri = common::path_of(next["href"].as_str().unwrap()),
            None => break,
        }
        assert!(pages < 1000, "paging does not end");
    }
    (ids, matched, pages)
}

#[tokio::test]
async fn next_links_visit_every_plot_exactly_once() {
    let db = common::demo().await;
    let app = common::app(&db);
    let (ids, matched, pages) = walk(&app, "/collections/plots/items?limit=997&properties=code").await;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM plots").fetch_one(&db.pool).await.unwrap();
    assert_eq!(matched, count);
    assert_eq!(ids.len() as i64, count);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "a feature came twice");
    assert_eq!(pages as i64, (count + 996) / 997);
}

#[tokio::test]
async fn paging_a_filtered_sorted_joined_collection() {
    let db = common::demo().await;
    let app = common::app(&db);
    let (ids, matched, _) = walk(&app, "/collections/idle-land/items?limit=13&kind=idle&sortby=-area_mu").await;
    let expected: Vec<i64> = sqlx::query_scalar(
        "SELECT r.id FROM idle_records r JOIN plots t ON t.id = r.plot_id WHERE r.kind = 'idle'
         ORDER BY round(t.area_mu::numeric, 3) DESC, r.id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(matched as usize, expected.len());
    assert_eq!(ids, expected.iter().map(|i| i.to_string()).collect::<Vec<_>>(), "order or membership differs");
}

#[tokio::test]
async fn prev_links_go_back_and_offsets_past_the_end_are_empty() {
    let db = common::demo().await;
    let app = common::app(&db);
    let page = common::get(&app, "/collections/transport-nodes/items?limit=10&offset=20").await.json();
    let prev = page["links"].as_array().unwrap().iter().find(|l| l["rel"] == "prev").expect("prev link");
    let back = common::get(&app, &common::path_of(prev["href"].as_str().unwrap())).await.json();
    let first = common::get(&app, "/collections/transport-nodes/items?limit=10&offset=10").await.json();
    assert_eq!(back["features"], first["features"]);
    let past = common::get(&app, "/collections/transport-nodes/items?offset=100000").await.json();
    assert_eq!(past["numberReturned"], 0);
    assert_eq!(past["features"].as_array().unwrap().len(), 0);
}
