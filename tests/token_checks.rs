//! Token checks that give nothing away and cannot be turned against an editor: a token
//! whose id does not exist costs the same argon2 verification as one with a wrong secret;
//! a failed token is remembered, not verified again; and bad tokens sent in an editor's
//! name from elsewhere do not use up the editor's rate limit.

mod common;

use parkland::auth::{self, Role};

#[tokio::test]
async fn unknown_and_live_ids_take_the_same_path_and_failures_are_remembered() {
    let db = common::empty().await;
    let live = auth::create(&db.pool, "张三", Role::Editor).await.unwrap();
    let id = live.split('_').nth(1).unwrap().to_string();
    let app = common::app(&db);
    let write = |token: String| {
        let app = app.clone();
        async move {
            let auth = format!("Bearer {token}");
            common::send(&app, "POST", "/collections/plots/items", &[("authorization", &auth), ("content-type", "application/geo+json")], "{}").await
        }
    };

    let before = auth::verifications();
    let unknown = write("pl_987654_0123456789abcdef".into()).await;
    let after_unknown = auth::verifications();
    let wrong = write(format!("pl_{id}_0123456789abcdef")).await;
    let after_wrong = auth::verifications();
    assert_eq!((unknown.status, wrong.status), (axum::http::StatusCode::UNAUTHORIZED, axum::http::StatusCode::UNAUTHORIZED));
    assert_eq!(unknown.json()["description"], wrong.json()["description"], "the same answer");
    assert_eq!(after_unknown - before, 1, "an unknown id is verified (against a decoy hash)");
    assert_eq!(after_wrong - after_unknown, 1, "a wrong secret is verified");

    // Sent again: answered from memory, no verification.
    for _ in 0..5 {
        assert_eq!(write(format!("pl_{id}_0123456789abcdef")).await.status, 401);
        assert_eq!(write("pl_987654_0123456789abcdef".into()).await.status, 401);
    }
    assert_eq!(auth::verifications(), after_wrong, "failures are remembered");

    // The live token still works, verified once.
    let ok = write(live.clone()).await;
    assert_ne!(ok.status, 401, "{}", String::from_utf8_lossy(&ok.body));
    assert_eq!(auth::verifications(), after_wrong + 1);
}

#[tokio::test]
async fn bad_tokens_from_other_addresses_do_not_rate_limit_a_real_editor() {
    let db = common::demo().await;
    let live = auth::create(&db.pool, "李四", Role::Editor).await.unwrap();
    let id = live.split('_').nth(1).unwrap().to_string();
    let (mut server, port) = common::serve_binary(&db.url(), &[("PARKLAND_RATE_LIMIT", "5"), ("PARKLAND_TRUSTED_PROXIES", "127.0.0.1")]);

    // Clients behind the proxy (X-Forwarded-For), each sending the editor's id with a
    // wrong secret, far over the limit.
    let forged = format!("Bearer pl_{id}_deadbeef");
    let mut limited = 0;
    for n in 0..60 {
        let from = format!("203.0.113.{}", n % 4);
        let (status, _, _) = common::http(port, "GET", "/collections", &[("authorization", &forged), ("x-forwarded-for", &from)], "");
        assert!(status == 200 || status == 429, "{status}");
        limited += (status == 429) as usize;
    }
    assert!(limited > 0, "the forging clients are limited, by their addresses");

    // The editor, from its own address, is not.
    let real = format!("Bearer {live}");
    for _ in 0..4 {
        let (status, _, body) = common::http(port, "GET", "/collections", &[("authorization", &real), ("x-forwarded-for", "198.51.100.20")], "");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }
    // Nor when it shares an address with a forger, once its token has been verified (by a
    // write; reads of a public server do not check tokens): then it is its own budget.
    let (status, _, _) = common::http(
        port,
        "PATCH",
        "/collections/plots/items/999999999",
        &[("authorization", &real), ("if-match", "*"), ("content-type", "application/json"), ("x-forwarded-for", "198.51.100.20")],
        "{}",
    );
    assert_eq!(status, 404, "the write passed the token check");
    for _ in 0..4 {
        let (status, _, _) = common::http(port, "GET", "/collections", &[("authorization", &real), ("x-forwarded-for", "203.0.113.1")], "");
        assert_eq!(status, 200);
    }
    // A client not behind the trusted proxy cannot pick its address by the header: the
    // header is believed only from 127.0.0.1, and this server sees every client there, so
    // that part is in the unit test of `TrustedProxies`.
    let _ = server.kill();
    let _ = server.wait();
}
