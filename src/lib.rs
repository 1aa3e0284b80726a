//! parkland: land management for Guangdong's industrial-transfer parks.
//!
//! Layers, top to bottom: `api` (HTTP), `geodata` (loading the demo set and other files),
//! `db` (pool, migrations, the embedded cluster). The demo generator lives in `demo`.

pub mod analysis;
pub mod api;
pub mod auth;
pub mod bench_data;
pub mod config;
pub mod crs;
pub mod csv;
pub mod db;
pub mod demo;
pub mod domain;
pub mod edit;
pub mod failed;
pub mod geodata;
pub mod import;
pub mod jobs;
pub mod ledger;
pub mod store;

use std::path::PathBuf;

use sqlx::PgPool;

use analysis::land_graph::LandGraphs;

/// What every request handler may use. Nothing here is per-node state: a second parkland
/// process on the same database serves the same answers.
///
/// One shared handle: axum clones the state for every request (twice), and cloning and
/// dropping each field's own `Arc` was 2 % of a kept tile's time under load.
#[derive(Clone)]
pub struct AppState(std::sync::Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The fields of `AppState`.
pub struct Shared {
    /// The primary: writes, token checks, and the reads inside a write.
    pub pool: PgPool,
    /// Where the API's reads go: the replicas in turn, or the primary.
    pub reads: db::Reads,
    /// True when the database is parkland's own private cluster (reported by /health).
    pub embedded: bool,
    /// The map view: where its files are, and its basemap.
    pub map: MapSettings,
    /// The land graph the analysis reads, rebuilt whenever the database changed since
    /// it was read (so it is a cache, not state: see `analysis::land_graph`).
    pub land: LandGraphs,
    /// Vector tiles drawn lately, keyed by their ETag (so a cache, not state, as the land
    /// graph).
    pub tiles: store::tiles::TileCache,
    /// `numberMatched` of item selections, kept by the change counters they were counted
    /// at (a cache, as the tiles).
    pub matched: store::features::MatchedCounts,
    /// Ledgers, kept by the change counters they were computed at.
    pub ledgers: ledger::KeptLedgers,
    /// Collections' extents, kept the same way (a million plots take 0.45 s to span).
    pub extents: store::features::KeptExtents,
    /// The change counters, read once for many requests, and kept between notices of a
    /// change when `Counters::listen` runs (see `store::counters`).
    pub counters: store::counters::Counters,
    /// Turns to work on the database: requests beyond what the pool can serve wait here
    /// (see `api::admit`); a kept tile takes none.
    pub admission: std::sync::Arc<tokio::sync::Semaphore>,
    /// Reads need a token (`PARKLAND_PRIVATE`).
    pub private: bool,
    /// The per-client rate limit, when one is set (`serve --rate-limit`).
    pub rate_limit: Option<api::rate_limit::RateLimit>,
    /// One connection of the health check's own, to the primary: with every connection
    /// of `pool` taken by searches, /health still answers at once.
    pub health_pool: PgPool,
}

/// How a server is set up beyond its database and map.
#[derive(Clone, Default)]
pub struct Options {
    pub caches: CacheBounds,
    /// Reads need a token; the health check then tells only whether parkland serves.
    pub private: bool,
    /// Requests a client may make a second (a burst of twice that); None: no limit.
    pub rate_limit: Option<api::rate_limit::RateLimit>,
}

/// How much each of the server's caches may hold.
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheBounds {
    pub tiles: store::tiles::TileBounds,
    /// Each of the kept counts, ledgers and extents.
    pub kept: store::counters::KeptBounds,
}

impl AppState {
    /// The state of a server on `pool`, reading from `reads`, with nothing kept yet.
    pub fn new(pool: PgPool, reads: db::Reads, embedded: bool, map: MapSettings) -> AppState {
        AppState::with_options(pool, reads, embedded, map, Options::default())
    }

    /// As `new`, with caches of the given bounds, private or not.
    pub fn with_options(pool: PgPool, reads: db::Reads, embedded: bool, map: MapSettings, options: Options) -> AppState {
        let caches = options.caches;
        let admission = std::sync::Arc::new(tokio::sync::Semaphore::new(api::admitted(&pool)));
        let health_pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(1))
            .connect_lazy_with((*pool.connect_options()).clone());
        AppState(std::sync::Arc::new(Shared {
            pool,
            reads,
            embedded,
            map,
            land: Default::default(),
            tiles: store::tiles::TileCache::bounded(caches.tiles),
            matched: store::counters::Kept::bounded(caches.kept),
            ledgers: store::counters::Kept::bounded(caches.kept),
            extents: store::counters::Kept::bounded(caches.kept),
            counters: Default::default(),
            admission,
            private: options.private,
            rate_limit: options.rate_limit,
            health_pool,
        }))
    }
}

/// The map view's settings.
#[derive(Clone, Debug)]
pub struct MapSettings {
    /// The map's folder (web/: the page, its modules, and npm's node_modules).
    pub web: PathBuf,
    /// A raster basemap under parkland's own layers; none by default.
    pub basemap: Option<Basemap>,
}

impl Default for MapSettings {
    fn default() -> Self {
        MapSettings { web: PathBuf::from("web"), basemap: None }
    }
}

/// An XYZ raster basemap in Web Mercator whose coordinates are WGS 84 / CGCS2000 (for
/// example Tianditu's `vec_w` with a key). Within centimetres of each other, so
/// parkland's data needs no shift over it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Basemap {
    /// The tile URL template with {z}, {x} and {y}.
    pub tiles: String,
    pub attribution: String,
}
