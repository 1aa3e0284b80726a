//! parkland: land management for Guangdong's industrial-transfer parks.
//!
//! Layers, top to bottom: `api` (HTTP), `geodata` (loading the demo set and other files),
//! `db` (pool, migrations, the embedded cluster). The demo generator lives in `demo`.

pub mod analysis;
pub mod api;
pub mod bench_data;
pub mod config;
pub mod crs;
pub mod db;
pub mod demo;
pub mod geodata;
pub mod ledger;
pub mod store;

use std::path::PathBuf;

use sqlx::PgPool;

/// What every request handler may use. Nothing here is per-node state: a second parkland
/// process on the same database serves the same answers.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// True when the database is parkland's own private cluster (reported by /health).
    pub embedded: bool,
    /// The map view's folder (web/: the page, its modules, and npm's node_modules).
    pub web: PathBuf,
}
