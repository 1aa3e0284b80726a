//! Landing page, conformance, collections and queryables: what a GIS client reads first.

mod common;

#[tokio::test]
async fn landing_page_links_the_api_parts() {
    let db = common::empty().await;
    let app = common::app(&db);
    let page = common::get(&app, "/").await.json();
    let rels: Vec<&str> = page["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
    for rel in ["self", "conformance", "data"] {
        assert!(rels.contains(&rel), "{rel} missing from {rels:?}");
    }
    let conf = common::get(&app, "/conformance").await.json();
    let classes: Vec<&str> = conf["conformsTo"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(classes, parkland::api::ogc::CONFORMANCE);
}

#[tokio::test]
async fn collections_list_every_layer_with_crs_and_extent() {
    let db = common::demo().await;
    let app = common::app(&db);
    let body = common::get(&app, "/collections").await.json();
    let list = body["collections"].as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["parks", "zones", "plots", "idle-land", "targets", "transport-nodes", "roads", "constraints", "projects"]);
    for c in list {
        let crs: Vec<&str> = c["crs"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(crs.contains(&"http://www.opengis.net/def/crs/EPSG/0/4547"), "{crs:?}");
        assert_eq!(c["storageCrs"], "http://www.opengis.net/def/crs/OGC/1.3/CRS84");
        if c["id"] != "projects" {
            let b = &c["extent"]["spatial"]["bbox"][0];
            let (w, s, e, n) = (b[0].as_f64().unwrap(), b[1].as_f64().unwrap(), b[2].as_f64().unwrap(), b[3].as_f64().unwrap());
            assert!(w > 109.0 && e < 118.0 && s > 20.0 && n < 26.0, "{} extent {b} is not in Guangdong", c["id"]);
        }
        let one = common::get(&app, &format!("/collections/{}", c["id"].as_str().unwrap())).await.json();
        assert_eq!(one["id"], c["id"]);
    }
}

#[tokio::test]
async fn queryables_describe_the_filterable_properties() {
    let db = common::empty().await;
    let app = common::app(&db);
    let r = common::get(&app, "/collections/plots/queryables").await;
    assert_eq!(r.headers["content-type"], "application/schema+json");
    let q = r.json();
    let p = &q["properties"];
    assert_eq!(p["status"]["type"], "string");
    assert_eq!(p["area_mu"]["type"], "number");
    assert_eq!(p["supplied_on"]["format"], "date");
    assert_eq!(p["status"]["title"], "状态代码");
    let parks = common::get(&app, "/collections/parks/queryables").await.json();
    assert!(parks["properties"]["utilities"].is_null(), "objects are not filterable");
    assert_eq!(parks["properties"]["leading_industries"]["type"], "array");
}

#[tokio::test]
async fn an_extent_is_kept_until_its_tables_change() {
    let db = common::demo().await;
    let app = common::app(&db);
    let last_date = |doc: serde_json::Value| doc["extent"]["temporal"]["interval"][0][1].as_str().unwrap().to_string();
    let truth = || async { sqlx::query_scalar::<_, String>("SELECT max(supplied_on)::text FROM plots").fetch_one(&db.pool).await.unwrap() };
    let before = last_date(common::get(&app, "/collections/plots").await.json());
    assert_eq!(before, truth().await);
    let later = "UPDATE plots SET supplied_on = (SELECT max(supplied_on) + 1 FROM plots)
                 WHERE id = (SELECT min(id) FROM plots WHERE supplied_on IS NOT NULL)";

    // A write the counters do not see (their trigger off, as no parkland write can do):
    // the kept extent stands.
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query("ALTER TABLE plots DISABLE TRIGGER plots_count_change").execute(&mut *tx).await.unwrap();
    sqlx::query(later).execute(&mut *tx).await.unwrap();
    sqlx::query("ALTER TABLE plots ENABLE TRIGGER plots_count_change").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_ne!(truth().await, before);
    assert_eq!(last_date(common::get(&app, "/collections/plots").await.json()), before, "kept");

    // A counted write: the extent is computed again.
    sqlx::query(later).execute(&db.pool).await.unwrap();
    assert_eq!(last_date(common::get(&app, "/collections/plots").await.json()), truth().await);
    assert_eq!(
        last_date(common::get(&app, "/collections").await.json()["collections"].as_array().unwrap().iter().find(|c| c["id"] == "plots").unwrap().clone()),
        truth().await
    );
}
