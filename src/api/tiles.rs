//! Vector tiles: `/tiles/{layer}/{z}/{x}/{y}.mvt` (Web Mercator quad tree) and a TileJSON
//! document per layer at `/tiles/{layer}.json`.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{json, Map};

use super::conditional;
use super::params;
use super::routes::Routes;
use super::ApiError;
use crate::store::catalog::Kind;
use crate::store::features;
use crate::store::tiles::{self, TileLayer, TileResult, LAYERS};
use crate::AppState;

pub const MVT: &str = "application/vnd.mapbox-vector-tile";

pub fn routes() -> Routes {
    Routes::new().get("/tiles/{layer_json}", get(tilejson)).get("/tiles/{layer}/{z}/{x}/{y_mvt}", get(tile))
}

fn layer_or_404(name: &str) -> Result<&'static TileLayer, ApiError> {
    tiles::layer(name).ok_or_else(|| {
        let known: Vec<&str> = LAYERS.iter().map(|l| l.collection).collect();
        ApiError::NotFound(format!("no tile layer '{name}'; layers: {}", known.join(", ")))
    })
}

fn coordinate(name: &str, v: &str) -> Result<i32, ApiError> {
    v.parse::<i32>().map_err(|_| ApiError::BadRequest(format!("tile {name} '{v}' is not an integer")))
}

async fn tile(
    State(state): State<AppState>,
    Path((layer, z, x, y_mvt)): Path<(String, String, String, String)>,
    RawQuery(raw): RawQuery,
    // The request rather than its headers: a HeaderMap is extracted by copying it, and a
    // kept tile is served in a few microseconds.
    req: axum::extract::Request,
) -> Result<Response, ApiError> {
    params::only(&params::pairs(raw.as_deref()), &[])?;
    let layer = layer_or_404(&layer)?;
    let y = y_mvt
        .strip_suffix(".mvt")
        .or_else(|| y_mvt.strip_suffix(".pbf"))
        .ok_or_else(|| ApiError::NotFound(format!("tiles are named {{y}}.mvt, not '{y_mvt}'")))?;
    let (z, x, y) = (coordinate("z", &z)?, coordinate("x", &x)?, coordinate("y", y)?);
    if z < layer.minzoom || z > layer.maxzoom {
        return Err(ApiError::NotFound(format!("zoom {z} is outside the {} layer's zooms {}..{}", layer.collection, layer.minzoom, layer.maxzoom)));
    }
    let n = 1i64 << z;
    if x < 0 || y < 0 || i64::from(x) >= n || i64::from(y) >= n {
        return Err(ApiError::BadRequest(format!("tile {z}/{x}/{y} does not exist: at zoom {z}, x and y run from 0 to {}", n - 1)));
    }
    let inm = conditional::if_none_match(req.headers());
    let gzip_ok = conditional::accepts_gzip(req.headers());
    let holds = |etag: &str| conditional::holds(inm, etag);
    let (status, body, etag, gzipped) = match tiles::tile(state.reads.pool(), &state.counters, &state.tiles, &state.admission, layer, z, x, y, &holds).await? {
        TileResult::NotModified { etag } => (StatusCode::NOT_MODIFIED, Default::default(), etag, false),
        TileResult::Tile { gzip, etag, .. } if gzip_ok && !gzip.is_empty() => (StatusCode::OK, gzip, etag, true),
        TileResult::Tile { bytes, etag, .. } => (StatusCode::OK, bytes, etag, false),
    };
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    if status == StatusCode::OK {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(MVT));
    }
    if gzipped {
        // Already compressed: the compression layer passes a response with an encoding by.
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60, must-revalidate"));
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("ascii"));
    Ok(res)
}

async fn tilejson(State(state): State<AppState>, Path(layer_json): Path<String>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    params::only(&params::pairs(raw.as_deref()), &[])?;
    let name =
        layer_json.strip_suffix(".json").ok_or_else(|| ApiError::NotFound(format!("no '{layer_json}' here; TileJSON documents are /tiles/{{layer}}.json")))?;
    let layer = layer_or_404(name)?;
    let c = layer.catalog();
    let base = super::ogc::base_url(&headers);
    let mut fields = Map::new();
    fields.insert(if c.id_kind == Kind::Integer { "fid".into() } else { "id".into() }, json!("String"));
    for name in layer.properties {
        let p = c.property(name).expect("catalog property");
        let t = match p.kind {
            Kind::Number | Kind::Integer => "Number",
            Kind::Boolean => "Boolean",
            _ => "String",
        };
        fields.insert(p.name.into(), json!(t));
    }
    let bounds = features::kept_extent(state.reads.pool(), &state.counters, &state.extents, c).await?.bbox.unwrap_or([-180.0, -85.0511, 180.0, 85.0511]);
    let body = json!({
        "tilejson": "3.0.0",
        "name": c.title_zh,
        "description": c.description,
        "scheme": "xyz",
        "tiles": [format!("{base}/tiles/{}/{{z}}/{{x}}/{{y}}.mvt", layer.collection)],
        "minzoom": layer.minzoom,
        "maxzoom": layer.maxzoom,
        "bounds": bounds,
        "center": [(bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0, layer.minzoom.max(8)],
        "vector_layers": [{
            "id": layer.collection,
            "description": c.title_en,
            "minzoom": layer.minzoom,
            "maxzoom": layer.maxzoom,
            "fields": fields,
        }],
    });
    Ok(([(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response())
}
