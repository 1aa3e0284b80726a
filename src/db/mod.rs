//! The database: the connection pool, the migrations, and the private cluster that
//! parkland starts itself when no server is given.

pub mod embedded;
mod installation;
pub mod reads;
pub mod schema;

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

pub use embedded::Cluster;
pub use reads::Reads;

/// The schema, compiled into the binary so `parkland migrate` needs no files beside it.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot use the database URL: {0}")]
    Url(sqlx::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(sqlx::Error),
    #[error("the database lacks PostGIS or pgRouting and cannot create them ({0}); install postgresql-15-postgis-3 and postgresql-15-pgrouting on the server, and connect as a superuser or a user allowed to create extensions")]
    Extensions(sqlx::Error),
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A function of schema/functions/ that the database refused.
    #[error("migrating the database failed: {0}")]
    Schema(sqlx::Error),
    #[error(transparent)]
    Embedded(#[from] embedded::EmbeddedError),
}

/// Parses a `postgres://` URL, with statement logging turned down to debug level.
pub fn options_from_url(url: &str) -> Result<PgConnectOptions, DbError> {
    let opts: PgConnectOptions = url.parse().map_err(DbError::Url)?;
    Ok(opts.log_statements(tracing::log::LevelFilter::Debug))
}

pub async fn connect(opts: PgConnectOptions) -> Result<PgPool, DbError> {
    pool_options().connect_with(tuned(opts)).await.map_err(DbError::Connect)
}

/// A pool that connects on first use: a read replica that is down when parkland starts
/// is checked again later rather than stopping the start.
fn connect_lazy(opts: PgConnectOptions) -> PgPool {
    pool_options().connect_lazy_with(tuned(opts))
}

fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(16)
        // A request waits at most a second for a connection: with the database down it gets
        // a 503 and Retry-After at once instead of hanging; the pool reconnects by itself
        // when the database is back.
        .acquire_timeout(Duration::from_secs(1))
}

/// No JIT: parkland's queries are short, and PostgreSQL's cost model compiled the
/// contiguity query's expressions on every search (9 ms of a 12 ms query).
fn tuned(opts: PgConnectOptions) -> PgConnectOptions {
    opts.options([("jit", "off")])
}

/// Applies the migrations that are not applied yet. PostGIS and pgRouting are created by
/// the first migration; a server without them gets an error that names the packages.
/// Then every function as `schema/functions/` defines it now (`schema`).
pub async fn migrate(pool: &PgPool) -> Result<(), DbError> {
    match MIGRATOR.run(pool).await {
        Ok(()) => {}
        Err(sqlx::migrate::MigrateError::Execute(e)) if is_missing_extension(&e) => return Err(DbError::Extensions(e)),
        Err(e) => return Err(e.into()),
    }
    schema::apply(pool).await.map_err(DbError::Schema)?;
    Ok(())
}

fn is_missing_extension(e: &sqlx::Error) -> bool {
    let msg = e.to_string();
    msg.contains("extension \"postgis\"") || msg.contains("extension \"pgrouting\"") || msg.contains("postgis.control") || msg.contains("pgrouting.control")
}

/// The database parkland is using: a server from `DATABASE_URL`, or its own cluster.
pub struct Database {
    /// The primary: writes, and reads when there are no replicas.
    pub pool: PgPool,
    pub reads: Reads,
    cluster: Option<Embedded>,
}

/// The private cluster, and the task that starts it again should it exit.
struct Embedded {
    cluster: std::sync::Arc<tokio::sync::Mutex<Cluster>>,
    watcher: tokio::task::JoinHandle<()>,
}

/// How often the embedded server is checked on.
const WATCH_EVERY: Duration = Duration::from_secs(1);

impl Embedded {
    fn watch(cluster: Cluster) -> Embedded {
        let cluster = std::sync::Arc::new(tokio::sync::Mutex::new(cluster));
        let watched = cluster.clone();
        let watcher = tokio::spawn(async move {
            loop {
                tokio::time::sleep(WATCH_EVERY).await;
                // Meanwhile requests get 503s (the pool cannot connect), and the pool
                // connects again by itself once the server is back.
                if let Err(e) = watched.lock().await.revive().await {
                    tracing::error!(error = %e, "the embedded PostgreSQL exited and could not be started again; trying again");
                }
            }
        });
        Embedded { cluster, watcher }
    }

    async fn stop(self) {
        self.watcher.abort();
        let _ = self.watcher.await;
        match std::sync::Arc::try_unwrap(self.cluster) {
            Ok(cluster) => cluster.into_inner().stop().await,
            Err(_) => tracing::error!("the embedded cluster is still in use; it stops when parkland exits"),
        }
    }
}

impl Database {
    /// Connects (starting the private cluster when no URL is given) and migrates.
    pub async fn open(args: &crate::config::DatabaseArgs) -> Result<Database, DbError> {
        let (pool, cluster) = match &args.database_url {
            Some(url) => (connect(options_from_url(url)?).await?, None),
            None => {
                let cluster = Cluster::start(&args.data_dir()).await?;
                let opts = cluster.connect_options(embedded::DATABASE).log_statements(tracing::log::LevelFilter::Debug);
                (connect(opts).await?, Some(Embedded::watch(cluster)))
            }
        };
        migrate(&pool).await?;
        let mut replicas = Vec::new();
        for url in args.database_replica_urls.iter().filter(|u| !u.trim().is_empty()) {
            let opts = options_from_url(url.trim())?;
            let name = format!("{}:{}/{}", opts.get_host(), opts.get_port(), opts.get_database().unwrap_or(""));
            tracing::info!(replica = %name, "reads go to this replica while it answers");
            replicas.push((name, connect_lazy(opts)));
        }
        let reads = Reads::with_replicas(pool.clone(), replicas);
        Ok(Database { pool, reads, cluster })
    }

    pub fn is_embedded(&self) -> bool {
        self.cluster.is_some()
    }

    /// Closes the pool, then stops the private cluster if there is one.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(embedded) = self.cluster {
            embedded.stop().await;
        }
    }
}
