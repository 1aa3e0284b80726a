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
    assert_eq!(ids, expected.iter().map(std::string::ToString::to_string).collect::<Vec<_>>(), "order or membership differs");
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

#[tokio::test]
async fn a_count_is_kept_while_the_counters_stand_and_counted_again_after_a_write() {
    let db = common::demo().await;
    let app = common::app(&db);
    let uri = "/collections/plots/items?filter=status%3D%27available%27&limit=2";
    let matched = |page: serde_json::Value| page["numberMatched"].as_i64().unwrap();
    let truth = || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM plots WHERE status = 'available'").fetch_one(&db.pool).await.unwrap() };
    let n = matched(common::get(&app, uri).await.json());
    assert_eq!(n, truth().await);
    let other: i64 = sqlx::query_scalar("SELECT min(id) FROM plots WHERE status = 'reserve'").fetch_one(&db.pool).await.unwrap();

    // A write the counters do not see (their trigger off, as no parkland write can do)
    // shows that the count is kept rather than counted again.
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("ALTER TABLE plots DISABLE TRIGGER plots_count_change").execute(&mut *tx).await.unwrap();
    sqlx::query("UPDATE plots SET status = 'available' WHERE id = $1").bind(other).execute(&mut *tx).await.unwrap();
    sqlx::query("ALTER TABLE plots ENABLE TRIGGER plots_count_change").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(matched(common::get(&app, uri).await.json()), n, "kept: the counters did not move");

    // A counted write: the next page counts again, and agrees with the database.
    sqlx::query("UPDATE plots SET status = 'available' WHERE id = (SELECT min(id) FROM plots WHERE status = 'reserve')").execute(&db.pool).await.unwrap();
    assert_eq!(matched(common::get(&app, uri).await.json()), n + 2);
    assert_eq!(truth().await, n + 2);
    // Another selection is its own count.
    let page = common::get(&app, "/collections/plots/items?filter=status%3D%27reserve%27&limit=2").await.json();
    assert_eq!(matched(page), sqlx::query_scalar::<_, i64>("SELECT count(*) FROM plots WHERE status = 'reserve'").fetch_one(&db.pool).await.unwrap());
}
