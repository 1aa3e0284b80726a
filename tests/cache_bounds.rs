//! The server's caches stay within their bounds whatever clients ask for, and kept tiles
//! are served while every turn at the database is taken.

mod common;

use std::time::Duration;

use parkland::store::counters::KeptBounds;
use parkland::store::tiles::TileBounds;
use parkland::{AppState, CacheBounds, Options};

fn state_with(db: &common::TestDb, caches: CacheBounds) -> AppState {
    let options = Options { caches, private: false, rate_limit: None };
    AppState::with_options(db.pool.clone(), parkland::db::Reads::primary_only(db.pool.clone()), false, Default::default(), options)
}

#[tokio::test]
async fn distinct_filters_and_empty_tiles_leave_the_caches_within_their_bounds() {
    let db = common::demo().await;
    let caches = CacheBounds { tiles: TileBounds { tiles: 300, bytes: 1 << 20 }, kept: KeptBounds { entries: 200, bytes: 64 << 10 } };
    let state = state_with(&db, caches);
    let app = parkland::api::app(state.clone());

    // Long distinct filters: each a count kept by its selection.
    for n in 0..1000 {
        let filter = format!("land_user IS NULL OR land_user <> '{n}{}'", "长".repeat(2000));
        let uri = format!("/collections/plots/items?limit=1&filter={}", form_urlencoded::byte_serialize(filter.as_bytes()).collect::<String>());
        assert_eq!(common::get(&app, &uri).await.status, 200);
        let (entries, bytes) = state.matched.usage();
        assert!(entries <= 200 && bytes <= 64 << 10, "{entries} counts, {bytes} bytes");
    }
    assert!(state.matched.usage().0 >= 100, "the counts are kept, up to the bounds");

    // Empty tiles, over the sea south of Hainan.
    for n in 0..1000 {
        let r = common::get(&app, &format!("/tiles/plots/14/{}/{}.mvt", 13000 + n % 40, 7600 + n / 40)).await;
        assert_eq!(r.status, 200);
        assert!(r.body.is_empty());
        let (tiles, bytes) = state.tiles.usage();
        assert!(tiles <= 300 && bytes <= 1 << 20, "{tiles} tiles, {bytes} bytes");
    }
    assert_eq!(state.tiles.usage().0, 300, "empty tiles count against the bound, and it is used");
}

#[tokio::test]
async fn kept_tiles_do_not_queue_behind_work_that_holds_every_turn() {
    let db = common::demo().await;
    let state = state_with(&db, CacheBounds::default());
    let app = parkland::api::app(state.clone());
    let tile = "/tiles/plots/12/3322/1778.mvt";
    assert_eq!(common::get(&app, tile).await.status, 200);

    // Every turn at the database taken, as running searches take them.
    let turns = state.admission.available_permits() as u32;
    let held = state.admission.clone().acquire_many_owned(turns).await.unwrap();

    let kept = tokio::time::timeout(Duration::from_secs(5), common::get(&app, tile)).await;
    assert_eq!(kept.expect("a kept tile is served while the turns are held").status, 200);
    // A page needs a turn: it waits (this is what the tile does not do).
    let page = tokio::time::timeout(Duration::from_millis(700), common::get(&app, "/collections/parks/items?limit=1")).await;
    assert!(page.is_err(), "a page waits for a turn");
    // A tile never drawn needs the database too, and waits.
    let fresh = tokio::time::timeout(Duration::from_millis(700), common::get(&app, "/tiles/plots/12/3323/1778.mvt")).await;
    assert!(fresh.is_err(), "drawing a tile waits for a turn");
    drop(held);
    assert_eq!(common::get(&app, "/collections/parks/items?limit=1").await.status, 200);
}
