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

    /// Reads need a token too (viewer or better); the map page asks for one.
    #[arg(long, env = "PARKLAND_PRIVATE", default_value_t = false)]
    pub private: bool,

    /// Requests a second each client (address, and API token) may make; bursts of twice
    /// that. 0: no limit.
    #[arg(long, env = "PARKLAND_RATE_LIMIT", default_value_t = 0.0)]
    pub rate_limit: f64,

    /// The basemap's attribution, shown on the map.
    #[arg(long, env = "PARKLAND_BASEMAP_ATTRIBUTION", default_value = "")]
    pub basemap_attribution: String,
}
