//! OGC API - Features, the read side: landing page, conformance, collections,
//! queryables, items and single features. Each handler parses (params.rs), calls the
//! store once, and encodes.

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use serde_json::{json, Value};

use super::conditional::{holds, if_none_match, not_modified};
use super::html;
use super::ogc::{self, base_url, link, with_query, GEOJSON, JSON, SCHEMA_JSON};
use super::params::{self, Format};
use super::routes::Routes;
use super::ApiError;
use crate::crs::{Crs, CRS84_URI};
use crate::store::catalog::{self, Collection, COLLECTIONS};
use crate::store::features::{self, PageResult};
use crate::store::versions;
use crate::AppState;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", get(landing))
        .get("/conformance", get(conformance))
        .get("/collections", get(collections))
        .get("/collections/{collection}", get(collection))
        .get("/collections/{collection}/queryables", get(queryables))
        .get("/collections/{collection}/items", get(items))
        .get("/collections/{collection}/items/{id}", get(item))
}

pub(super) fn accept(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT).and_then(|h| h.to_str().ok())
}

/// `href` asking for JSON explicitly, for the HTML page's link to its data.
fn as_json(href: &str) -> String {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let mut kept: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("f=")).collect();
    kept.push("f=json");
    format!("{path}?{}", kept.join("&"))
}

/// The document as JSON of `media` type, or as an HTML page for people.
pub(super) fn respond(format: Format, base: &str, title: &str, self_href: &str, doc: Value, media: &'static str) -> Response {
    match format {
        Format::Json => ([(header::CONTENT_TYPE, media)], doc.to_string()).into_response(),
        Format::Html => axum::response::Html(html::page(base, title, &as_json(self_href), &html::object(&doc))).into_response(),
    }
}

pub(super) fn collection_or_404(id: &str) -> Result<&'static Collection, ApiError> {
    catalog::find(id).ok_or_else(|| {
        let known: Vec<&str> = COLLECTIONS.iter().map(|c| c.id).collect();
        ApiError::NotFound(format!("no collection '{id}'; collections: {}", known.join(", ")))
    })
}

async fn landing(headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &[])?;
    let format = params::format(&pairs, accept(&headers))?;
    let base = base_url(&headers);
    let doc = json!({
        "title": "parkland",
        "description": "广东产业转移园区土地管理 · Land management for Guangdong's industrial-transfer parks: parks, plots, idle land, transport and constraints as OGC API - Features.",
        "links": [
            link(format!("{base}/"), "self", JSON, "本页 This document"),
            link(format!("{base}/api"), "service-desc", ogc::OPENAPI, "接口定义 API definition (OpenAPI 3.0)"),
            link(format!("{base}/conformance"), "conformance", JSON, "符合的标准 Conformance classes"),
            link(format!("{base}/collections"), "data", JSON, "数据集 Collections"),
            link(format!("{base}/health"), "status", JSON, "服务状态 Service status"),
        ]
    });
    Ok(respond(format, &base, "parkland 园区土地管理", &format!("{base}/"), doc, JSON))
}

async fn conformance(headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &[])?;
    let format = params::format(&pairs, accept(&headers))?;
    let base = base_url(&headers);
    let doc = json!({ "conformsTo": ogc::CONFORMANCE });
    Ok(respond(format, &base, "符合的标准 Conformance", &format!("{base}/conformance"), doc, JSON))
}

async fn collection_json(state: &AppState, base: &str, c: &'static Collection) -> Result<Value, ApiError> {
    let extent = features::kept_extent(state.reads.pool(), &state.counters, &state.extents, c).await?;
    let mut v = json!({
        "id": c.id,
        "title": c.title_zh,
        "description": c.description,
        "parkland:title_en": c.title_en,
        "itemType": "feature",
        "crs": Crs::all_uris(),
        "storageCrs": CRS84_URI,
        // Every collection keeps its versions (#21): `datetime` reads any instant.
        "versioning": super::versions::versioning(),
        "links": [
            link(format!("{base}/collections/{}", c.id), "self", JSON, c.title_zh),
            link(format!("{base}/collections/{}/items", c.id), "items", GEOJSON, "要素 Features"),
            link(format!("{base}/collections/{}/queryables", c.id), "http://www.opengis.net/def/rel/ogc/1.0/queryables", SCHEMA_JSON, "可查询属性 Queryables"),
            link(format!("{base}/collections/{}/schema", c.id), super::ogc::REL_SCHEMA, SCHEMA_JSON, "数据结构 Schema (returnables and receivables)"),
        ]
    });
    if let Some(b) = extent.bbox {
        v["extent"] = json!({ "spatial": { "bbox": [b], "crs": CRS84_URI } });
    }
    if let (Some(t), Some((from, to))) = (c.temporal, extent.interval) {
        v["extent"]["temporal"] = json!({
            "interval": [[from.map(|d| d.to_string()), to.map(|d| d.to_string())]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            "parkland:property": t,
        });
    }
    Ok(v)
}

async fn collections(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &[])?;
    let format = params::format(&pairs, accept(&headers))?;
    let base = base_url(&headers);
    let mut list = Vec::new();
    for c in COLLECTIONS {
        list.push(collection_json(&state, &base, c).await?);
    }
    let doc = json!({
        "links": [link(format!("{base}/collections"), "self", JSON, "数据集 Collections")],
        "crs": Crs::all_uris(),
        "collections": list,
    });
    Ok(respond(format, &base, "数据集 Collections", &format!("{base}/collections"), doc, JSON))
}

async fn collection(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let c = collection_or_404(&id)?;
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &[])?;
    let format = params::format(&pairs, accept(&headers))?;
    let base = base_url(&headers);
    let doc = collection_json(&state, &base, c).await?;
    Ok(respond(format, &base, &format!("{} {}", c.title_zh, c.title_en), &format!("{base}/collections/{}", c.id), doc, JSON))
}

async fn queryables(Path(id): Path<String>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let c = collection_or_404(&id)?;
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &[])?;
    let format = params::format(&pairs, accept(&headers))?;
    let base = base_url(&headers);
    let mut props = serde_json::Map::new();
    props.insert(
        "geometry".into(),
        json!({ "title": "几何 Geometry", "format": format!("geometry-{}", c.geometry_type.to_lowercase()), "x-ogc-role": "primary-geometry" }),
    );
    for p in c.properties.iter().filter(|p| p.kind.filterable()) {
        let mut schema = p.kind.schema();
        schema["title"] = json!(p.title_zh);
        schema["description"] = json!(p.title_en);
        props.insert(p.name.into(), schema);
    }
    let body = json!({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": format!("{base}/collections/{}/queryables", c.id),
        "type": "object",
        "title": c.title_zh,
        "properties": props,
        "additionalProperties": false,
    });
    let href = format!("{base}/collections/{}/queryables", c.id);
    Ok(respond(format, &base, &format!("{} 可查询属性 Queryables", c.title_zh), &href, body, SCHEMA_JSON))
}

async fn items(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let c = collection_or_404(&id)?;
    let pairs = params::pairs(raw.as_deref());
    // Files (items only): f=csv, a table for a spreadsheet with the geometry as WKT;
    // f=fgb, FlatGeobuf, and f=shp, a zipped Shapefile, for GIS tools.
    let file = params::single(&pairs, "f")?.filter(|f| matches!(*f, "csv" | "fgb" | "flatgeobuf" | "shp" | "shapefile"));
    let format = if file.is_some() { Format::Json } else { params::format(&pairs, accept(&headers))? };
    let req = params::items(c, &pairs)?;
    let columns: Vec<&'static str> = match &req.properties {
        Some(list) => list.iter().map(|p| p.name).collect(),
        None => c.properties.iter().map(|p| p.name).collect(),
    };
    let base = base_url(&headers);
    let (limit, offset, crs) = (req.limit, req.offset, req.crs);
    let seed = format!("{base}|{format:?}|{}", raw.as_deref().unwrap_or(""));
    let inm = if_none_match(&headers);
    let page = match features::page(state.reads.pool(), &state.matched, req, &seed, &|etag: &str| holds(inm, etag)).await? {
        PageResult::NotModified { etag } => return Ok(not_modified(&etag)),
        PageResult::Page(p) => p,
    };

    let path = format!("{base}/collections/{}/items", c.id);
    let at = |off: i64| {
        let mut q: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "offset").cloned().collect();
        if off > 0 {
            q.push(("offset".into(), off.to_string()));
        }
        with_query(&path, &q)
    };
    let mut links = vec![
        link(with_query(&path, &pairs), "self", GEOJSON, "本页 This page"),
        link(html_link(&path, &pairs), "alternate", ogc::HTML, "网页 As HTML"),
        link(format!("{base}/collections/{}", c.id), "collection", JSON, c.title_zh),
    ];
    // Saturating: an offset near i64::MAX is the client's to ask for (it selects nothing).
    if offset.saturating_add(limit) < page.matched {
        links.push(link(at(offset.saturating_add(limit)), "next", GEOJSON, "下一页 Next page"));
    }
    if offset > 0 {
        links.push(link(at((offset - limit).max(0)), "prev", GEOJSON, "上一页 Previous page"));
    }
    let head = json!({
        "type": "FeatureCollection",
        "numberMatched": page.matched,
        "numberReturned": page.returned,
        "timeStamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "links": links,
    })
    .to_string();
    if format == Format::Html {
        return items_html(c, &base, page, &links, &pairs, &path).await;
    }
    match file {
        Some("csv") => return Ok(items_csv(c, columns, page, crs)),
        Some("shp" | "shapefile") => return super::export::items_shapefile(state.reads.pool(), c, columns, page, crs).await,
        Some(_) => return super::export::items_fgb(c, columns, page, crs).await,
        None => {}
    }
    // `{...,"features":[` then the features as the database sends them, then `]}`.
    let head = Bytes::from(format!("{},\"features\":[", &head[..head.len() - 1]));
    let rows = received(page.features).enumerate().map(|(i, row)| match row {
        Ok(json) => Ok(Bytes::from(if i == 0 { json } else { format!(",{json}") })),
        Err(e) => {
            tracing::error!(error = %e, "a feature page failed while streaming");
            Err(std::io::Error::other("database error while streaming"))
        }
    });
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(head) })
        .chain(rows)
        .chain(futures_util::stream::once(async { Ok(Bytes::from_static(b"]}")) }));

    let mut res = Response::new(Body::from_stream(body));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(GEOJSON));
    h.insert("content-crs", HeaderValue::from_str(&format!("<{}>", crs.uri())).expect("ascii"));
    h.insert(header::ETAG, HeaderValue::from_str(&page.etag).expect("ascii"));
    Ok(res)
}

/// The features of a page as a stream, as the database sends them. Fused: the compression
/// layer polls a body once more after its end, and an unfold stream panics when polled
/// past its end.
fn received<T: Send + 'static>(rx: tokio::sync::mpsc::Receiver<T>) -> impl futures_util::Stream<Item = T> + Send {
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|r| (r, rx)) }).fuse()
}

/// A page as CSV: id, the properties, and the geometry as WKT in the asked CRS, streamed
/// row by row like the GeoJSON.
fn items_csv(c: &Collection, columns: Vec<&'static str>, page: features::Page, crs: Crs) -> Response {
    use geozero::ToWkt;
    let mut head = vec!["id".to_string()];
    head.extend(columns.iter().map(|n| crate::csv::text(n)));
    head.push("wkt".into());
    let head = Bytes::from(format!("{}{}", crate::csv::BOM, crate::csv::line(head)));
    let rows = received(page.features).map(move |row| {
        let json = row.map_err(|e| {
            tracing::error!(error = %e, "a CSV page failed while streaming");
            std::io::Error::other("database error while streaming")
        })?;
        let f: Value = serde_json::from_str(&json).map_err(std::io::Error::other)?;
        let wkt = if f["geometry"].is_null() {
            String::new()
        } else {
            geozero::geojson::GeoJson(&f["geometry"].to_string()).to_wkt().map_err(std::io::Error::other)?
        };
        let mut cells = vec![crate::csv::cell(&f["id"])];
        cells.extend(columns.iter().map(|n| crate::csv::cell(&f["properties"][*n])));
        cells.push(crate::csv::text(&wkt));
        Ok::<_, std::io::Error>(Bytes::from(crate::csv::line(cells)))
    });
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(head) }).chain(rows);
    super::export::file_response(Body::from_stream(body), "text/csv; charset=utf-8", &crs, c, "csv", &page.etag)
}

async fn item(
    State(state): State<AppState>,
    Path((cid, id)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let c = collection_or_404(&cid)?;
    let pairs = params::pairs(raw.as_deref());
    params::only(&pairs, &["crs", "datetime"])?;
    let format = params::format(&pairs, accept(&headers))?;
    let crs = params::crs(&pairs, "crs")?;
    let base = base_url(&headers);
    let href = format!("{base}/collections/{}/items/{id}", c.id);
    // The version `datetime` selects (now without it): 410 for one deleted by then.
    let (item, map, index) = match versions::one_at(state.reads.pool(), c, &id, crs, params::as_of(&pairs)?).await? {
        versions::Lookup::Found { item, map, index } => (item, map, index),
        versions::Lookup::Gone { map } => return Ok(super::versions::gone(&href, &map, &id, c.id)),
        versions::Lookup::Never => return Err(ApiError::NotFound(format!("no feature '{id}' in {}", c.id))),
    };
    let etag = item.tag.to_string();
    if holds(if_none_match(&headers), &etag) {
        return Ok(not_modified(&etag));
    }
    let mut feature: Value = serde_json::from_str(&item.json).map_err(|e| ApiError::Internal(e.to_string()))?;
    let asked = with_query(&href, &pairs);
    let mut links = super::versions::item_links(&href, &asked, &map, index);
    links.push(link(format!("{base}/collections/{}", c.id), "collection", JSON, c.title_zh));
    feature["links"] = json!(links);
    if format == Format::Html {
        let shown = json!({
            "id": feature["id"],
            "geometry": feature["geometry"]["type"],
            "properties": feature["properties"],
            "links": feature["links"],
        });
        let title = format!("{} {id}", c.title_zh);
        let href = format!("{base}/collections/{}/items/{id}", c.id);
        return Ok(axum::response::Html(html::page(&base, &title, &as_json(&href), &html::object(&shown))).into_response());
    }
    let mut res = (StatusCode::OK, feature.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(GEOJSON));
    h.insert("content-crs", HeaderValue::from_str(&format!("<{}>", crs.uri())).expect("ascii"));
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("ascii"));
    h.insert(header::LAST_MODIFIED, HeaderValue::from_str(&crate::edit::http_date(item.updated)).expect("ascii"));
    super::versions::memento_headers(h, &href, &map[index]);
    Ok(res)
}

fn html_link(path: &str, pairs: &[(String, String)]) -> String {
    let mut q: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "f").cloned().collect();
    q.push(("f".into(), "html".into()));
    with_query(path, &q)
}

/// An items page for people: counts, links, and the features as a table. HTML pages are
/// built whole (their size is bounded by `limit`), JSON pages are streamed.
async fn items_html(
    c: &Collection,
    base: &str,
    mut page: features::Page,
    links: &[Value],
    pairs: &[(String, String)],
    path: &str,
) -> Result<Response, ApiError> {
    let mut rows = Vec::new();
    while let Some(row) = page.features.recv().await {
        let text = row?;
        rows.push(serde_json::from_str::<Value>(&text).map_err(|e| ApiError::Internal(e.to_string()))?);
    }
    let summary = format!("<p>共 {m} 个要素，本页 {n} 个 · {m} matched, {n} on this page</p>", m = page.matched, n = page.returned);
    let body = format!("{summary}{}{}", html::links(&json!(links)), html::features(c.id, base, &rows));
    let title = format!("{} {} · 要素 Features", c.title_zh, c.title_en);
    let mut res = axum::response::Html(html::page(base, &title, &as_json(&with_query(path, pairs)), &body)).into_response();
    res.headers_mut().insert(header::ETAG, HeaderValue::from_str(&page.etag).expect("ascii"));
    Ok(res)
}
