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
use super::counters::{counts, Counters};

/// A tile layer: which collection, the zooms it is served at, the properties it carries.
pub struct TileLayer {
    pub collection: &'static str,
    pub minzoom: i32,
    pub maxzoom: i32,
    pub properties: &'static [&'static str],
}

pub const LAYERS: &[TileLayer] = &[
    TileLayer { collection: "parks", minzoom: 4, maxzoom: 18, properties: &["name_zh", "name_en", "level", "city"] },
    TileLayer { collection: "plots", minzoom: 10, maxzoom: 18, properties: &["park_id", "code", "status", "land_use", "area_mu"] },
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
    /// The tile, and the same gzipped (made once, when the tile is drawn: browsers ask for
    /// gzip, and compressing a kept tile again for every request cost more than serving it).
    Tile {
        bytes: Bytes,
        gzip: Bytes,
        etag: String,
    },
    NotModified {
        etag: String,
    },
}

/// The tile (empty bytes when no feature falls in it), or NotModified when the client
/// holds the current one (`holds`); the tag is worked out before the tile is made.
///
/// A kept tile waits for nothing; a tile to draw first takes a turn of `turns` (the
/// server's admission, shared with every request that works on the database), so kept
/// tiles go on being served while searches fill the turns.
#[allow(clippy::too_many_arguments)]
pub async fn tile(
    pool: &PgPool,
    counters: &Counters,
    cache: &TileCache,
    turns: &tokio::sync::Semaphore,
    layer: &'static TileLayer,
    z: i32,
    x: i32,
    y: i32,
    holds: super::Holds<'_>,
) -> Result<TileResult, sqlx::Error> {
    let tables = layer.catalog().tables;
    let at = Address { layer: layer.collection, z, x, y };
    // A kept tile costs a share of one counters read, or none while they are kept (a tile
    // is drawn once per change of its tables, and a map asks for the same tiles over and
    // over).
    let now = counters.now(pool).await?;
    if let Some((bytes, gzip, etag)) = cache.get(&at, &counts(&now, tables)) {
        if holds(&etag) {
            return Ok(TileResult::NotModified { etag });
        }
        return Ok(TileResult::Tile { bytes, gzip, etag });
    }
    let _turn = turns.acquire().await.map_err(|_| sqlx::Error::PoolClosed)?;
    let seed = format!("{}/{z}/{x}/{y}", layer.collection);
    let (mut tx, etag, drawn_at) = match super::snapshot(pool, tables, &seed, holds).await? {
        super::Snapshot::Held { etag } => return Ok(TileResult::NotModified { etag }),
        super::Snapshot::Fresh { tx, etag, changes } => (tx, etag, counts(&changes, tables)),
    };
    let bytes: Vec<u8> = sqlx::query_scalar(layer.sql()).bind(z).bind(x).bind(y).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    let bytes = Bytes::from(bytes);
    let gzip = tokio::task::spawn_blocking({
        let bytes = bytes.clone();
        move || gzipped(&bytes)
    })
    .await
    .expect("gzip does not panic");
    cache.put(at, KeptTile { counts: drawn_at, etag: etag.clone(), bytes: bytes.clone(), gzip: gzip.clone(), listed: 0 });
    Ok(TileResult::Tile { bytes, gzip, etag })
}

fn gzipped(bytes: &[u8]) -> Bytes {
    use std::io::Write;
    let mut z = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 2), flate2::Compression::default());
    z.write_all(bytes).expect("writing to memory");
    Bytes::from(z.finish().expect("writing to memory"))
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Address {
    layer: &'static str,
    z: i32,
    x: i32,
    y: i32,
}

/// A tile as drawn, with the counters of its tables it was drawn at (read in the same
/// snapshot as the tile) and its ETag.
struct KeptTile {
    counts: Vec<i64>,
    etag: String,
    bytes: Bytes,
    gzip: Bytes,
    /// Its entry in `Cached::order`.
    listed: u64,
}

/// Tiles drawn lately, by address, for one database (one per `AppState`). A kept tile is
/// served only while the counters of its tables are those it was drawn at, so it is the
/// tile the database would draw now: a write moves a counter, and the next request draws
/// the tile again. Old tiles leave oldest first once the cache is over its bounds: a count
/// of tiles, and bytes that weigh each tile with an overhead, so empty tiles (0 bytes of
/// their own, and a client can ask for millions) count too.
#[derive(Clone, Default)]
pub struct TileCache(Arc<Mutex<Cached>>);

/// How many tiles, and how many bytes of them, a `TileCache` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileBounds {
    pub tiles: usize,
    pub bytes: usize,
}

impl Default for TileBounds {
    /// 64 MB of tiles: a province's z10-z12 tiles, or a busy city's z14 ones; and at most
    /// 200,000 of them.
    fn default() -> Self {
        TileBounds { tiles: 200_000, bytes: 64 << 20 }
    }
}

/// What a kept tile costs beyond its bytes: its address, counters, ETag, the map's slot and
/// the order's entry.
const TILE_OVERHEAD: usize = 192;

#[derive(Default)]
struct Cached {
    bounds: TileBounds,
    tiles: HashMap<Address, KeptTile>,
    /// Addresses oldest first; an address drawn again is listed again, and its older
    /// entry is passed over when it comes up.
    order: VecDeque<(Address, u64)>,
    listings: u64,
    bytes: usize,
}

impl KeptTile {
    fn weight(&self) -> usize {
        TILE_OVERHEAD + self.bytes.len() + self.gzip.len() + self.etag.len() + 8 * self.counts.len()
    }
}

impl TileCache {
    pub fn bounded(bounds: TileBounds) -> TileCache {
        TileCache(Arc::new(Mutex::new(Cached { bounds, ..Default::default() })))
    }

    /// (tiles, bytes) kept now, weighed as the bounds are.
    pub fn usage(&self) -> (usize, usize) {
        self.0.lock().map(|t| (t.tiles.len(), t.bytes)).unwrap_or_default()
    }

    pub fn bounds(&self) -> TileBounds {
        self.0.lock().map(|t| t.bounds).unwrap_or_default()
    }

    /// The tile kept at `at`, gzipped too, and its ETag, when it was drawn at `counts`.
    fn get(&self, at: &Address, counts: &[i64]) -> Option<(Bytes, Bytes, String)> {
        let t = self.0.lock().ok()?;
        t.tiles.get(at).filter(|k| k.counts == counts).map(|k| (k.bytes.clone(), k.gzip.clone(), k.etag.clone()))
    }

    fn put(&self, at: Address, mut tile: KeptTile) {
        let Ok(mut t) = self.0.lock() else { return };
        let size = tile.weight();
        if size > t.bounds.bytes {
            return;
        }
        t.listings += 1;
        tile.listed = t.listings;
        t.order.push_back((at, tile.listed));
        t.bytes += size;
        if let Some(old) = t.tiles.insert(at, tile) {
            t.bytes -= old.weight();
        }
        while t.bytes > t.bounds.bytes || t.tiles.len() > t.bounds.tiles {
            let Some((oldest, n)) = t.order.pop_front() else { break };
            if t.tiles.get(&oldest).is_some_and(|k| k.listed == n) {
                let gone = t.tiles.remove(&oldest).expect("listed");
                t.bytes -= gone.weight();
            }
        }
        // Tiles drawn again and again (after each write) leave stale entries behind.
        if t.order.len() > 2 * t.tiles.len() + 1024 {
            let Cached { tiles, order, .. } = &mut *t;
            order.retain(|(at, n)| tiles.get(at).is_some_and(|k| k.listed == *n));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(mb: usize, count: i64) -> KeptTile {
        KeptTile { counts: vec![count], etag: format!("W/\"{count}\""), bytes: Bytes::from(vec![0u8; mb << 20]), gzip: Bytes::new(), listed: 0 }
    }

    #[test]
    fn a_kept_tile_is_served_only_at_its_counts_and_the_oldest_leave_first() {
        let cache = TileCache::default();
        let at = |x| Address { layer: "plots", z: 14, x, y: 1 };
        let mb30 = kept(30, 7).weight();
        cache.put(at(1), kept(30, 7));
        assert!(cache.get(&at(1), &[7]).is_some());
        assert!(cache.get(&at(1), &[8]).is_none(), "a moved counter passes the kept tile over");
        // Drawn again after a write: replaced, and counted once.
        cache.put(at(1), kept(30, 8));
        assert_eq!(cache.get(&at(1), &[8]).unwrap().2, "W/\"8\"");
        assert_eq!(cache.usage(), (1, mb30));
        cache.put(at(2), kept(30, 8));
        // Over 64 MB: the oldest drawn leaves (tile 1), not the newest.
        cache.put(at(3), kept(30, 8));
        assert!(cache.get(&at(1), &[8]).is_none());
        assert!(cache.get(&at(2), &[8]).is_some() && cache.get(&at(3), &[8]).is_some());
        assert_eq!(cache.usage(), (2, 2 * mb30));
        // A tile drawn again and again leaves no trail in the order.
        for n in 0..5000 {
            cache.put(at(4), KeptTile { counts: vec![n], etag: String::new(), bytes: Bytes::from_static(b"t"), gzip: Bytes::new(), listed: 0 });
        }
        let c = cache.0.lock().unwrap();
        assert!(c.order.len() <= 2 * c.tiles.len() + 1024 + 1, "{} entries for {} tiles", c.order.len(), c.tiles.len());
    }

    #[test]
    fn empty_tiles_count_against_the_bounds() {
        let bounds = TileBounds { tiles: 20_000, bytes: 3 << 20 };
        let cache = TileCache::bounded(bounds);
        for n in 0..50_000 {
            let at = Address { layer: "plots", z: 18, x: n, y: n };
            cache
                .put(at, KeptTile { counts: vec![1, 2, 3], etag: "W/\"0123456789abcdef01234567\"".into(), bytes: Bytes::new(), gzip: Bytes::new(), listed: 0 });
            let (tiles, bytes) = cache.usage();
            assert!(tiles <= bounds.tiles && bytes <= bounds.bytes, "{tiles} tiles, {bytes} bytes after {n}");
        }
        let (tiles, _) = cache.usage();
        assert!(tiles >= 10_000, "the cache is used up to its bounds: {tiles}");
        let newest = Address { layer: "plots", z: 18, x: 49_999, y: 49_999 };
        assert!(cache.get(&newest, &[1, 2, 3]).is_some());
        assert!(cache.get(&Address { layer: "plots", z: 18, x: 0, y: 0 }, &[1, 2, 3]).is_none());
    }
}
