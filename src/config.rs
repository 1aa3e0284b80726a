//! Settings from the command line and the environment. Every one has a working default:
//! `parkland serve` with nothing set runs the demo on an embedded database.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

/// Where the data lives: a PostgreSQL server, or parkland's own private cluster.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// PostgreSQL server to use (postgres://user@host:port/db). Unset: parkland starts a
    /// private PostgreSQL cluster in PARKLAND_DATA.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Read replicas (PostgreSQL hot standbys of DATABASE_URL), comma-separated: reads are
    /// spread over them, writes go to DATABASE_URL. A replica that does not answer is left
    /// out until it does.
    #[arg(long, env = "DATABASE_REPLICA_URLS", value_delimiter = ',', hide_env_values = true)]
    pub database_replica_urls: Vec<String>,

    /// Data folder of the private cluster used when DATABASE_URL is unset
    /// [default: ~/.local/share/parkland, or /var/lib/parkland for root].
    #[arg(long, env = "PARKLAND_DATA")]
    pub data_dir: Option<PathBuf>,
}

impl DatabaseArgs {
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(crate::db::embedded::default_data_dir)
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PARKLAND_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Folder of demo data loaded into an empty embedded database on its first start.
    #[arg(long, env = "PARKLAND_GEODATA", default_value = "geodata")]
    pub geodata: PathBuf,

    /// Folder of the map view served at /map/ (parkland's web/, after `npm ci` in it).
    #[arg(long, env = "PARKLAND_WEB", default_value = "web")]
    pub web: PathBuf,

    /// A raster basemap for the map view: an XYZ tile URL template with {z}, {x} and {y}
    /// in WGS 84 / CGCS2000 Web Mercator (Tianditu's vec_w with your key, for example).
    /// Unset: no basemap, and the map asks nothing of any other address.
    #[arg(long, env = "PARKLAND_BASEMAP")]
    pub basemap: Option<String>,

    /// Reads need a token too (viewer or better); the map page asks for one. Takes the
    /// usual spellings in the environment: 1/0, true/false, yes/no, on/off.
    #[arg(long, env = "PARKLAND_PRIVATE", action = clap::ArgAction::SetTrue, value_parser = clap::builder::BoolishValueParser::new())]
    pub private: bool,

    /// Seconds a client has to send a request's line and headers; also how long a kept-alive
    /// connection may wait for its next request to begin.
    #[arg(long, env = "PARKLAND_HEADER_TIMEOUT", default_value_t = 10.0, value_parser = seconds)]
    pub header_timeout: f64,

    /// Seconds a connection may sit with no request in flight and no bytes moving before it
    /// is closed.
    #[arg(long, env = "PARKLAND_IDLE_TIMEOUT", default_value_t = 60.0, value_parser = seconds)]
    pub idle_timeout: f64,

    /// Seconds a client may leave an answer unread (its receive window full) before the
    /// answer is dropped with its connection, freeing its database session.
    #[arg(long, env = "PARKLAND_STALL_TIMEOUT", default_value_t = 30.0, value_parser = seconds)]
    pub stall_timeout: f64,

    /// Most connections open at once; more wait to be accepted. Lowered at start to what
    /// the process's file-descriptor limit allows.
    #[arg(long, env = "PARKLAND_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// Requests a second each client (address, and API token) may make; bursts of twice
    /// that. 0: no limit.
    #[arg(long, env = "PARKLAND_RATE_LIMIT", default_value_t = 0.0)]
    pub rate_limit: f64,

    /// Megabytes of vector tiles kept in memory (each tile weighed with its overhead, so
    /// empty tiles count too).
    #[arg(long, env = "PARKLAND_TILE_CACHE_MB", default_value_t = 64)]
    pub tile_cache_mb: usize,

    /// Megabytes kept of each of: counts of item selections, ledgers, extents.
    #[arg(long, env = "PARKLAND_KEPT_CACHE_MB", default_value_t = 16)]
    pub kept_cache_mb: usize,

    /// Proxies in front of parkland whose X-Forwarded-For names the client, for the rate
    /// limit: addresses or CIDR blocks, comma-separated. Unset: the peer is the client.
    #[arg(long, env = "PARKLAND_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,

    /// The basemap's attribution, shown on the map.
    #[arg(long, env = "PARKLAND_BASEMAP_ATTRIBUTION", default_value = "")]
    pub basemap_attribution: String,
}

/// A number of seconds: positive and finite.
fn seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!("'{s}' is not a number of seconds between 0 and 86400")),
    }
}

impl ServeArgs {
    /// The server's caches, bounded as set.
    pub fn caches(&self) -> crate::CacheBounds {
        let d = crate::CacheBounds::default();
        crate::CacheBounds {
            tiles: crate::store::tiles::TileBounds { bytes: self.tile_cache_mb << 20, ..d.tiles },
            kept: crate::store::counters::KeptBounds { bytes: self.kept_cache_mb << 20, ..d.kept },
        }
    }

    /// The connection limits these settings give (see `api::serve`).
    pub fn limits(&self) -> crate::api::serve::Limits {
        use std::time::Duration;
        crate::api::serve::Limits {
            header_timeout: Duration::from_secs_f64(self.header_timeout),
            idle_timeout: Duration::from_secs_f64(self.idle_timeout),
            stall_timeout: Duration::from_secs_f64(self.stall_timeout),
            max_connections: self.max_connections.max(1),
        }
    }
}
