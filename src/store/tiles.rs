//! Mapbox Vector Tiles made by PostGIS (ST_AsMVT) for the layers the map draws. Each
//! layer's SQL is built once from the catalog; a request binds only z, x and y, so the
//! statement is prepared once per connection and reused.
//!
//! A tile holds the features whose geometry intersects the tile (the Web Mercator tile
//! envelope is an axis-aligned box in lon/lat too, so the test on the stored geometry is
//! exact), clipped with a 64-unit buffer on a 4096 grid. Polygons are simplified to a
//! quarter of a tile unit before clipping, which removes only what the grid cannot show.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;

use sqlx::PgPool;

use super::catalog::{self, Collection, Kind};
use super::counters::Counters;

/// A tile layer: which collection, the zooms it is served at, the properties it carries.
pub struct TileLayer {
    pub collection: &'static str,
    pub minzoom: i32,
    pub maxzoom: i32,
    pub properties: &'static [&'static str],
}

pub const LAYERS: &[TileLayer] = &[
    TileLayer { collection: "parks", minzoom: 4, maxzoom: 18, properties: &["name_zh", "name_en", "level", "city"] },
    TileLayer {
        collection: "plots",
        minzoom: 10,
        maxzoom: 18,
        properties: &["park_id", "code", "status", "land_use", "area_mu"],
    },
    TileLayer { collection: "idle-land", minzoom: 10, maxzoom: 18, properties: &["plot_id", "park_id", "kind", "measure", "status"] },
    TileLayer { collection: "transport-nodes", minzoom: 5, maxzoom: 18, properties: &["kind", "name_zh", "name_en", "status"] },
];

pub fn layer(collection: &str) -> Option<&'static TileLayer> {
    LAYERS.iter().find(|l| l.collection == collection)
}

impl TileLayer {
    pub fn catalog(&self) -> &'static Collection {
        catalog::find(self.collection).expect("tile layers name catalog collections")
    }

    /// The layer's tile SQL ($1 = z, $2 = x, $3 = y), built on first use.
    pub fn sql(&self) -> &'static str {
        static CACHE: OnceLock<Vec<String>> = OnceLock::new();
        let all = CACHE.get_or_init(|| LAYERS.iter().map(build_sql).collect());
        let i = LAYERS.iter().position(|l| l.collection == self.collection).expect("a listed layer");
        &all[i]
    }
}

fn build_sql(layer: &TileLayer) -> String {
    let c = layer.catalog();
    let integer_id = c.id_kind == Kind::Integer;
    let mut columns = vec![format!("{} AS {}", c.id_sql, if integer_id { "fid" } else { "id" })];
    for name in layer.properties {
        let p = c.property(name).expect("tile properties are catalog properties");
        columns.push(format!("{} AS \"{}\"", p.sql, p.name));
    }
    let geom = if c.geometry_type == "Point" {
        format!("ST_Transform({}, 3857)", c.geom_sql)
    } else {
        // A quarter of a tile unit: 2π·6378137 m / 2^z / 4096 / 4.
        format!("ST_Simplify(ST_Transform({}, 3857), 40075016.686 / (2 ^ $1) / 16384.0, true)", c.geom_sql)
    };
    format!(
        "WITH b AS (SELECT ST_TileEnvelope($1, $2, $3) AS merc, ST_Transform(ST_TileEnvelope($1, $2, $3), 4326) AS ll),
              f AS (
                SELECT ST_AsMVTGeom({geom}, b.merc, 4096, 64, true) AS geom, {columns}
                FROM {from}, b
                WHERE {g} && b.ll AND ST_Intersects({g}, b.ll))
         SELECT coalesce(ST_AsMVT(f.*, '{layer}', 4096, 'geom'{fid}), ''::bytea) FROM f WHERE f.geom IS NOT NULL",
        geom = geom,
        columns = columns.join(", "),
        from = c.from,
        g = c.geom_sql,
        layer = layer.collection,
        fid = if integer_id { ", 'fid'" } else { "" },
    )
}

pub enum TileResult {
    Tile { bytes: Bytes, etag: String },
    NotModified { etag: String },
}

/// The tile (empty bytes when no feature falls in it), or NotModified when the client's
/// tag is still current; the tag is worked out before the tile is made.
pub async fn tile(pool: &PgPool, counters: &Counters, cache: &TileCache, layer: &TileLayer, z: i32, x: i32, y: i32, if_none_match: Option<&str>) -> Result<TileResult, sqlx::Error> {
    let seed = format!("{}/{z}/{x}/{y}", layer.collection);
    // A kept tile costs a share of one counters read (a tile is drawn once per change of
    // its tables, and a map asks for the same tiles over and over).
    let now = super::current_etag(pool, counters, layer.catalog().tables, &seed).await?;
    if super::matches(if_none_match, &now) {
        return Ok(TileResult::NotModified { etag: now });
    }
    if let Some(bytes) = cache.get(&now) {
        return Ok(TileResult::Tile { bytes, etag: now });
    }
    let (mut tx, etag) = match super::snapshot(pool, layer.catalog().tables, &seed, if_none_match).await? {
        super::Snapshot::NotModified { etag } => return Ok(TileResult::NotModified { etag }),
        super::Snapshot::Fresh { tx, etag } => (tx, etag),
    };
    let bytes: Vec<u8> = sqlx::query_scalar(layer.sql()).bind(z).bind(x).bind(y).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    let bytes = Bytes::from(bytes);
    cache.put(&etag, bytes.clone());
    Ok(TileResult::Tile { bytes, etag })
}

/// Tiles drawn lately, by ETag, for one database (one per `AppState`). The ETag is made of
/// the tile's address and the change counters of its tables, read in the same snapshot as
/// the tile, so a tile found here is the one the database would draw now: a write changes
/// the counters, and with them the key. Old tiles leave oldest first once the cache is
/// over its size.
#[derive(Clone, Default)]
pub struct TileCache(Arc<Mutex<Cached>>);

/// 64 MB of tiles: a province's z10-z12 tiles, or a busy city's z14 ones.
const CACHE_BYTES: usize = 64 << 20;

#[derive(Default)]
struct Cached {
    by_etag: HashMap<String, Bytes>,
    order: VecDeque<String>,
    bytes: usize,
}

impl TileCache {
    fn get(&self, etag: &str) -> Option<Bytes> {
        self.0.lock().ok()?.by_etag.get(etag).cloned()
    }

    fn put(&self, etag: &str, tile: Bytes) {
        let Ok(mut t) = self.0.lock() else { return };
        if tile.len() > CACHE_BYTES || t.by_etag.contains_key(etag) {
            return;
        }
        t.bytes += tile.len();
        t.by_etag.insert(etag.to_string(), tile);
        t.order.push_back(etag.to_string());
        while t.bytes > CACHE_BYTES {
            let Some(oldest) = t.order.pop_front() else { break };
            if let Some(gone) = t.by_etag.remove(&oldest) {
                t.bytes -= gone.len();
            }
        }
    }
}
