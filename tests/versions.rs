//! Every version kept (#21): a plot made, changed three times by two editors and deleted;
//! at each instant between, the item, the park's items and their count and the park
//! ledger read now are what `datetime` reads later. Before it was made: 404; after it
//! was deleted: 410 with its latest version; the time map lists every version.

mod common;

use parkland::auth::{self, Role};
use serde_json::{json, Value};

/// Now, by the database's clock (the one writes are stamped with).
async fn instant(db: &common::TestDb) -> String {
    let at: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT clock_timestamp()").fetch_one(&db.pool).await.unwrap();
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// What a reader saw at one instant: the plot, its park's plots (features and count) and
/// the park's ledger (without its contiguous blocks, which are not kept per version).
#[derive(Debug, PartialEq)]
struct Seen {
    item: Option<Value>,
    page: Value,
    matched: Value,
    ledger: Value,
}

fn without_links(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("links");
    }
    v
}

async fn seen(app: &axum::Router, park: &str, id: i64, datetime: Option<&str>) -> Seen {
    let at = |sep: char| datetime.map(|d| format!("{sep}datetime={}", d.replace('+', "%2B"))).unwrap_or_default();
    let r = common::get(app, &format!("/collections/plots/items/{id}{}", at('?'))).await;
    let item = (r.status == 200).then(|| without_links(r.json()));
    let page = common::get(app, &format!("/collections/plots/items?park_id={park}&limit=1000{}", at('&'))).await.json();
    let mut ledger = common::get(app, &format!("/parks/{park}/ledger{}", at('?'))).await.json();
    ledger.as_object_mut().unwrap().remove("blocks");
    Seen { item, matched: page["numberMatched"].clone(), page: page["features"].clone(), ledger }
}

#[tokio::test]
async fn any_instant_reads_what_was_recorded_then() {
    let db = common::demo().await;
    let app = common::app(&db);
    let a = format!("Bearer {}", auth::create(&db.pool, "甲 清远市自然资源局", Role::Editor).await.unwrap());
    let b = format!("Bearer {}", auth::create(&db.pool, "乙 园区管委会", Role::Editor).await.unwrap());
    let (park, square): (String, String) = sqlx::query_as(
        "SELECT k.id, ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(x, y, x + 40, y + 40, 4547), 4326), 9)
         FROM parks k, LATERAL (SELECT ST_Transform(k.boundary, 4547) AS b) t, generate_series(1, 59) i, generate_series(1, 59) j,
              LATERAL (SELECT ST_XMin(t.b) + (ST_XMax(t.b) - ST_XMin(t.b)) * i / 60.0 AS x, ST_YMin(t.b) + (ST_YMax(t.b) - ST_YMin(t.b)) * j / 60.0 AS y) p
         WHERE k.boundary IS NOT NULL AND ST_Within(ST_MakeEnvelope(x, y, x + 40, y + 40, 4547), t.b)
           AND NOT EXISTS (SELECT 1 FROM plots q WHERE q.park_id = k.id AND ST_Intersects(q.geom, ST_Transform(ST_Expand(ST_MakeEnvelope(x, y, x + 40, y + 40, 4547), 5), 4326)))
         ORDER BY k.id, i, j LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let geometry: Value = serde_json::from_str(&square).unwrap();

    let before = instant(&db).await;
    let body =
        json!({ "type": "Feature", "properties": { "park_id": park, "code": "VER-01", "land_use": "100102", "status": "available" }, "geometry": geometry });
    let r = common::send(&app, "POST", "/collections/plots/items", &[("authorization", &a), ("content-type", "application/geo+json")], &body.to_string()).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let id = r.json()["id"].as_i64().unwrap();
    let mut etag = r.headers["etag"].to_str().unwrap().to_string();

    // Made, then changed three times: each instant after a write, what a reader saw.
    let mut recorded: Vec<(String, Seen)> = vec![(instant(&db).await, seen(&app, &park, id, None).await)];
    let changes = [
        (&a, json!({ "properties": { "status": "supplied", "land_user": "清远市某某新材料有限公司", "supplied_on": "2026-11-02", "land_price_wan": 880 } })),
        (&b, json!({ "properties": { "status": "under_construction", "actual_start": "2026-11-20" } })),
        (&a, json!({ "properties": { "invested_wan": 1500, "built_ratio": 0.2 } })),
    ];
    for (token, patch) in &changes {
        let headers = [("authorization", token.as_str()), ("content-type", "application/merge-patch+json"), ("if-match", etag.as_str())];
        let r = common::send(&app, "PATCH", &format!("/collections/plots/items/{id}"), &headers, &patch.to_string()).await;
        assert_eq!(r.status, 200, "{patch}: {}", String::from_utf8_lossy(&r.body));
        etag = r.headers["etag"].to_str().unwrap().to_string();
        recorded.push((instant(&db).await, seen(&app, &park, id, None).await));
    }
    // An instant still to come reads the present.
    assert_eq!(seen(&app, &park, id, Some("2100-01-01T00:00:00Z")).await, recorded[3].1);

    let r = common::send(&app, "DELETE", &format!("/collections/plots/items/{id}"), &[("authorization", &a), ("if-match", &etag)], "").await;
    assert_eq!(r.status, 204);
    let after = instant(&db).await;

    for (at, then) in &recorded {
        let now = seen(&app, &park, id, Some(at)).await;
        assert_eq!(&now, then, "as of {at}");
    }
    let r = common::get(&app, &format!("/collections/plots/items/{id}?datetime={before}")).await;
    assert_eq!(r.status, 404, "before it was made");
    let gone = common::get(&app, &format!("/collections/plots/items/{id}?datetime={after}")).await;
    assert_eq!(gone.status, 410, "after it was deleted");
    let link = gone.headers["link"].to_str().unwrap();
    assert!(link.contains("rel=\"latest-version\"") && link.contains("/versions>; rel=\"timemap\""), "{link}");
    assert_eq!(common::get(&app, &format!("/collections/plots/items/{id}")).await.status, 410, "now, too");
    // The plot is not in its park's items after its deletion, nor in the ledger's count.
    let page = common::get(&app, &format!("/collections/plots/items?park_id={park}&limit=1000&datetime={after}")).await.json();
    assert!(page["features"].as_array().unwrap().iter().all(|f| f["id"] != id));

    // The time map: every version, with who wrote it; each memento link reads that version.
    let map = common::get(&app, &format!("/collections/plots/items/{id}/versions")).await;
    assert_eq!(map.status, 200);
    let map = map.json();
    let versions = map["versions"].as_array().unwrap();
    let actors: Vec<&str> = versions.iter().map(|v| v["actor"].as_str().unwrap()).collect();
    assert_eq!(actors, ["甲 清远市自然资源局", "甲 清远市自然资源局", "乙 园区管委会", "甲 清远市自然资源局"]);
    assert!(versions.iter().all(|v| !v["to"].is_null()), "every version ended: the plot is deleted");
    let mementos: Vec<&Value> = map["links"].as_array().unwrap().iter().filter(|l| l["rel"] == "memento").collect();
    assert_eq!(mementos.len(), 4);
    for (m, (_, then)) in mementos.iter().zip(&recorded) {
        let r = common::get(&app, &common::path_of(m["href"].as_str().unwrap())).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.headers["memento-datetime"].to_str().unwrap(), m["datetime"].as_str().unwrap());
        assert!(r.headers["cache-control"].to_str().unwrap().contains("immutable"), "a replaced version never changes");
        let f = r.json();
        assert_eq!(Some(without_links(f.clone())), then.item);
        let rels: Vec<&str> = f["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
        for rel in ["self", "canonical", "original", "timemap", "version-history"] {
            assert!(rels.contains(&rel), "{rels:?}");
        }
    }
}

/// The changes of a period, paged two at a time while another client goes on writing:
/// every entry exactly once, in order, what was created, changed and retired.
#[tokio::test]
async fn the_changes_of_a_period_page_without_skipping_while_others_write() {
    let db = common::demo().await;
    let app = common::app(&db);
    let exec = |sql: &'static str| {
        let pool = db.pool.clone();
        async move { sqlx::query(sql).execute(&pool).await.unwrap() }
    };
    let start = instant(&db).await;
    exec("UPDATE plots SET tax_wan = coalesce(tax_wan, 0) + 1 WHERE id = (SELECT min(id) FROM plots)").await;
    exec("INSERT INTO plots (park_id, code, land_use, status, geom) SELECT park_id, code || '-复', land_use, 'reserve', geom FROM plots WHERE id = (SELECT min(id) FROM plots)").await;
    exec("UPDATE transport_nodes SET name_en = coalesce(name_en, '') || '.' WHERE id = (SELECT min(id) FROM transport_nodes)").await;
    exec("DELETE FROM plots WHERE id = (SELECT max(id) FROM plots)").await;
    let middle = instant(&db).await;
    exec("UPDATE parks SET source = coalesce(source, '') || '.' WHERE id = (SELECT min(id) FROM parks)").await;

    let mut seen: Vec<Value> = Vec::new();
    let mut next = Some(format!("/changes?datetime={start}/..&limit=2"));
    let mut writes = 0;
    while let Some(uri) = next {
        let page = common::get(&app, &uri.replace('+', "%2B")).await;
        assert_eq!(page.status, 200, "{}", String::from_utf8_lossy(&page.body));
        let page = page.json();
        seen.extend(page["changes"].as_array().unwrap().iter().cloned());
        next = page["links"].as_array().unwrap().iter().find(|l| l["rel"] == "next").map(|l| common::path_of(l["href"].as_str().unwrap()));
        // Another client writes between the pages.
        if writes < 3 {
            exec("UPDATE plots SET output_wan = coalesce(output_wan, 0) + 1 WHERE id = (SELECT min(id) FROM plots)").await;
            writes += 1;
        }
    }
    let whole = common::get(&app, &format!("/changes?datetime={start}/..&limit=10000").replace('+', "%2B")).await.json();
    assert_eq!(seen, *whole["changes"].as_array().unwrap(), "paged while writing = read at once");
    let keys: Vec<(String, String, String)> =
        seen.iter().map(|e| (e["at"].as_str().unwrap().into(), e["collection"].as_str().unwrap().into(), e["id"].as_str().unwrap().into())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys.len(), sorted.len(), "no entry twice");
    let kinds: Vec<(&str, &str)> = seen.iter().map(|e| (e["collection"].as_str().unwrap(), e["change"].as_str().unwrap())).collect();
    assert_eq!(
        kinds,
        [
            ("plots", "changed"),
            ("plots", "created"),
            ("transport-nodes", "changed"),
            ("plots", "retired"),
            ("parks", "changed"),
            ("plots", "changed"),
            ("plots", "changed"),
            ("plots", "changed")
        ]
    );
    // A closed period: what fell in it alone; one collection alone.
    let closed = common::get(&app, &format!("/changes?datetime={start}/{middle}").replace('+', "%2B")).await.json();
    assert_eq!(closed["changes"].as_array().unwrap().len(), 4);
    let parks = common::get(&app, &format!("/changes?datetime={start}/..&collection=parks").replace('+', "%2B")).await.json();
    assert_eq!(parks["changes"].as_array().unwrap().len(), 1);
    for bad in ["/changes?datetime=2026-01-01", "/changes?cursor=nonsense", "/changes?datetime=2026-02-01T00:00:00Z/2026-01-01T00:00:00Z"] {
        assert_eq!(common::get(&app, bad).await.status, 400, "{bad}");
    }
}

/// A past version made current again, a deleted plot brought back, and a restore over a
/// plot drawn since refused with its reason and nothing changed.
#[tokio::test]
async fn a_past_version_is_restored_and_a_deleted_plot_brought_back() {
    let db = common::demo().await;
    let app = common::app(&db);
    let editor = format!("Bearer {}", auth::create(&db.pool, "恢复者", Role::Editor).await.unwrap());
    let id: i64 = sqlx::query_scalar(
        "SELECT min(id) FROM plots WHERE status = 'available' AND id NOT IN (SELECT plot_id FROM idle_records) AND id NOT IN (SELECT plot_id FROM project_plots)",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let uri = format!("/collections/plots/items/{id}");
    let original = common::get(&app, &uri).await;
    let etag = original.headers["etag"].to_str().unwrap().to_string();
    let original = without_links(original.json());
    let then = instant(&db).await;

    // Changed: a price and a smaller outline.
    let smaller: String =
        sqlx::query_scalar("SELECT ST_AsGeoJSON(ST_Buffer(geom, -0.00005), 9) FROM plots WHERE id = $1").bind(id).fetch_one(&db.pool).await.unwrap();
    let patch = json!({ "properties": { "land_price_wan": 999 }, "geometry": serde_json::from_str::<Value>(&smaller).unwrap() });
    let r = common::send(
        &app,
        "PATCH",
        &uri,
        &[("authorization", &editor), ("content-type", "application/merge-patch+json"), ("if-match", &etag)],
        &patch.to_string(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let etag = r.headers["etag"].to_str().unwrap().to_string();

    // Restored as it was: a new version equal to the first, the first still readable.
    let restore = |at: String, etag: Option<String>| {
        let (app, editor, uri) = (app.clone(), editor.clone(), uri.clone());
        async move {
            let mut headers = vec![("authorization", editor.as_str())];
            if let Some(e) = &etag {
                headers.push(("if-match", e.as_str()));
            }
            common::send(&app, "POST", &format!("{uri}/restore?datetime={}", at.replace('+', "%2B")), &headers, "").await
        }
    };
    assert_eq!(restore(then.clone(), None).await.status, 428, "the feature exists: a precondition, as for a PUT");
    let r = restore(then.clone(), Some(etag)).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(without_links(common::get(&app, &uri).await.json()), original);
    let versions = common::get(&app, &format!("{uri}/versions")).await.json();
    assert_eq!(versions["versions"].as_array().unwrap().len(), 3, "made, changed, restored");

    // Deleted, then brought back under its id.
    let etag = common::get(&app, &uri).await.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(common::send(&app, "DELETE", &uri, &[("authorization", &editor), ("if-match", &etag)], "").await.status, 204);
    assert_eq!(common::get(&app, &uri).await.status, 410);
    let r = restore(then.clone(), None).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.headers["location"].to_str().unwrap().ends_with(&uri));
    assert_eq!(without_links(common::get(&app, &uri).await.json()), original);

    // Deleted again, and a plot drawn over its outline since: the restore is refused.
    let etag = common::get(&app, &uri).await.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(common::send(&app, "DELETE", &uri, &[("authorization", &editor), ("if-match", &etag)], "").await.status, 204);
    let over = json!({ "type": "Feature", "properties": { "park_id": original["properties"]["park_id"], "code": "占用-01", "land_use": "100102", "status": "available" }, "geometry": original["geometry"] });
    let r = common::send(&app, "POST", "/collections/plots/items", &[("authorization", &editor), ("content-type", "application/geo+json")], &over.to_string())
        .await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    let r = restore(then, None).await;
    assert_eq!(r.status, 409, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.json()["description"].as_str().unwrap().contains("overlaps plot 占用-01"), "{}", r.json());
    assert_eq!(common::get(&app, &uri).await.status, 410, "nothing changed");
}

/// The idle-land check on a legal date (business time), on the records as they stood at
/// an instant (record time): a plot cleared since is found on the records of then.
#[tokio::test]
async fn the_idle_check_reads_the_records_of_an_instant() {
    let db = common::demo().await;
    let app = common::app(&db);
    let ids = |v: &Value| -> Vec<i64> { v["features"].as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()).collect() };
    let before = common::get(&app, "/analysis/idle-check?as_of=2026-12-01").await.json();
    let found = ids(&before);
    assert!(!found.is_empty(), "the demo has idle land");
    let then = instant(&db).await;
    sqlx::query("UPDATE plots SET built_ratio = 1, invested_wan = coalesce(planned_investment_wan, 1e6), actual_start = coalesce(actual_start, agreed_start, supplied_on) WHERE id = $1")
        .bind(found[0])
        .execute(&db.pool)
        .await
        .unwrap();
    let now = ids(&common::get(&app, "/analysis/idle-check?as_of=2026-12-01").await.json());
    assert!(!now.contains(&found[0]), "cleared now");
    let past = common::get(&app, &format!("/analysis/idle-check?as_of=2026-12-01&datetime={}", then.replace('+', "%2B"))).await.json();
    assert_eq!(ids(&past), found, "on the records of then");
    assert_eq!(past["records_as_of"].as_str().unwrap()[..19], then[..19]);
}
