//! The `parkland` command: serve the API, migrate, load data, make the demo data set.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use parkland::config::{DatabaseArgs, ServeArgs};
use parkland::db::{Cluster, Database};
use parkland::{api, demo, geodata, AppState};

/// mimalloc rather than the system's allocator: a request makes and frees dozens of small
/// buffers, and glibc's malloc was a tenth of the CPU time of serving a kept tile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Land management for Guangdong's industrial-transfer parks.
#[derive(Parser)]
#[command(name = "parkland", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (and, with no DATABASE_URL, the embedded database with the demo).
    Serve {
        #[command(flatten)]
        db: DatabaseArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Apply the database migrations.
    Migrate {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Load a data set (a folder of <layer>.geojson files) into an empty database.
    Load {
        /// The folder to load.
        #[arg(default_value = "geodata")]
        dir: PathBuf,
        /// Delete the data already there first (in the same transaction).
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Generate the demo data set from the seeds' facts (deterministic).
    DemoData {
        /// Where to write the GeoJSON files.
        #[arg(long, default_value = "geodata")]
        out: PathBuf,
    },
    /// Write a synthetic province-scale data set (for benchmarks) into an empty database.
    BenchData {
        /// How many plots (4096 to a park).
        #[arg(long, default_value_t = 100_000)]
        plots: u64,
        /// Seed of the statuses, land uses and plot sizes.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Import plots from a GeoJSON file or a Shapefile: all or nothing, every refused
    /// feature reported.
    Import {
        /// A GeoJSON FeatureCollection (.geojson, .json) or a Shapefile (.shp, with its
        /// .dbf, and .prj and .cpg when there are, beside it or all in one .zip).
        file: PathBuf,
        /// The layer to import into (plots so far).
        #[arg(long, default_value = "plots")]
        layer: String,
        /// The coordinates' CRS, e.g. EPSG:4547 (CGCS2000 3-degree Gauss-Kruger, 114°E);
        /// default: the file's own `crs` member, else lon/lat.
        #[arg(long)]
        crs: Option<String>,
        /// The text encoding of a Shapefile's .dbf (GBK, GB18030, UTF-8…); default: its
        /// .cpg, else the dBase code page.
        #[arg(long)]
        encoding: Option<String>,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Who the audit log says imported it.
        #[arg(long, default_value = "parkland import")]
        actor: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// API tokens: create (printed once), list, revoke.
    Token {
        #[command(subcommand)]
        action: TokenAction,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Run a command with DATABASE_URL pointing at the embedded cluster, then stop it.
    WithDb {
        /// Data folder of the cluster [default: as for serve].
        #[arg(long, env = "PARKLAND_DATA")]
        data_dir: Option<PathBuf>,
        /// The command and its arguments.
        #[arg(trailing_var_arg = true, required = true)]
        command: Vec<String>,
    },
}

#[derive(Subcommand)]
enum TokenAction {
    /// Create a token; it is printed on the last line, once, and only its hash is kept.
    Create {
        /// viewer, editor (plots, idle records, projects, roads, nodes) or admin (parks,
        /// constraints, tokens).
        #[arg(long)]
        role: String,
        /// Who or what uses it (shown in the audit log).
        #[arg(long)]
        name: String,
        /// May write without If-Match or If-Unmodified-Since, for clients that cannot send
        /// them (QGIS, OWSLib). Such writes can overwrite another editor's change unseen;
        /// each is marked blind in the feature's history.
        #[arg(long)]
        blind_writes: bool,
    },
    /// List the tokens (never the secrets).
    List,
    /// Revoke the token with this name.
    Revoke { name: String },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("parkland: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { db, serve } => serve_until_stopped(&db, &serve).await?,
        Command::Migrate { db } => {
            let db = Database::open(&db).await?;
            println!("migrations applied");
            db.close().await;
        }
        Command::Load { dir, replace, db } => {
            let db = Database::open(&db).await?;
            let result = geodata::load_dir(&db.pool, &dir, replace).await;
            db.close().await;
            println!("loaded {}: {}", dir.display(), result?);
        }
        Command::DemoData { out } => {
            let data = demo::generate()?;
            demo::write(&data, &out)?;
            println!("wrote {}: {}", out.display(), demo::summary(&data));
        }
        Command::BenchData { plots, seed, db } => {
            let db = Database::open(&db).await?;
            let r = parkland::bench_data::generate(&db.pool, plots, seed).await;
            db.close().await;
            let r = r?;
            println!(
                "bench data: {} parks, {} plots, {} plot links, {} transport nodes, {} roads in {:.1} s",
                r.parks, r.plots, r.links, r.nodes, r.roads, r.seconds
            );
        }
        Command::Import { file, layer, crs, encoding, dry_run, actor, db } => {
            import_file(&file, &layer, crs.as_deref(), encoding.as_deref(), dry_run, actor, &db).await?;
        }
        Command::Token { action, db } => {
            let db = Database::open(&db).await?;
            let result = token(&db.pool, action).await;
            db.close().await;
            result?;
        }
        Command::WithDb { data_dir, command } => {
            let dir = data_dir.unwrap_or_else(parkland::db::embedded::default_data_dir);
            let cluster = Cluster::start(&dir).await?;
            let status = tokio::process::Command::new(&command[0])
                .args(&command[1..])
                .env("DATABASE_URL", cluster.url("postgres"))
                .status()
                .await
                .with_context(|| format!("cannot run {}", command[0]));
            cluster.stop().await;
            let status = status?;
            return Ok(ExitCode::from(status.code().unwrap_or(1).clamp(0, 255) as u8));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `parkland serve`: the service until SIGTERM or Ctrl-C, then the jobs it ran ended.
async fn serve_until_stopped(db: &DatabaseArgs, serve: &ServeArgs) -> anyhow::Result<()> {
    let db = Database::open(db).await?;
    if db.is_embedded() {
        load_demo_on_first_start(&db, &serve.geodata).await?;
    }
    let listener = tokio::net::TcpListener::bind(serve.bind).await.with_context(|| format!("cannot listen on {}", serve.bind))?;
    api::map::check_assets(&serve.web);
    let map = api::map::settings(serve)?;
    let rate_limit = if serve.rate_limit > 0.0 {
        let proxies = api::rate_limit::TrustedProxies::parse(&serve.trusted_proxies).map_err(|e| anyhow::anyhow!(e))?;
        tracing::info!(per_second = serve.rate_limit, "rate limit on");
        Some(api::rate_limit::RateLimit::new(serve.rate_limit).behind(proxies))
    } else {
        None
    };
    if serve.private {
        tracing::info!("private: reads need a token");
    }
    let options = parkland::Options { caches: serve.caches(), private: serve.private, rate_limit };
    let state = AppState::with_options(db.pool.clone(), db.reads.clone(), db.is_embedded(), map, options);
    // Standbys cannot LISTEN, and replay after the primary's notices: with replicas,
    // every request reads the counters.
    if db.reads.replicas().is_empty() {
        state.counters.listen(&state.pool, parkland::store::counters::KEEP_AT_MOST);
    }
    tracing::info!("parkland serves on http://{}", serve.bind);
    let pool = state.pool.clone();
    let app = api::app(state);
    let mut limits = serve.limits();
    limits.max_connections = api::serve::within_descriptor_limit(limits.max_connections);
    // Jobs whose process was killed, told failed now rather than when next read.
    if let Err(e) = parkland::jobs::end_stale(&pool).await {
        tracing::warn!(error = %e, "cannot end the jobs of a process that was killed");
    }
    api::serve::serve(listener, app, limits, shutdown_signal()).await?;
    tracing::info!("shutting down");
    if let Err(e) = parkland::jobs::end_those_running_here(&pool).await {
        tracing::warn!(error = %e, "cannot end the jobs still running");
    }
    db.close().await;
    Ok(())
}

/// `parkland import`: a GeoJSON file or a (zipped) Shapefile of plots, all or nothing.
async fn import_file(
    file: &std::path::Path,
    layer: &str,
    crs: Option<&str>,
    encoding: Option<&str>,
    dry_run: bool,
    actor: String,
    db: &DatabaseArgs,
) -> anyhow::Result<()> {
    use parkland::import::SourceCrs;
    anyhow::ensure!(layer == "plots", "--layer {layer}: only plots can be imported so far");
    let shp = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("shp") || e.eq_ignore_ascii_case("zip"));
    let (doc, prj) = if shp {
        parkland::import::shapefile::read(file, encoding)?
    } else {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        (serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))?, None)
    };
    let source = SourceCrs::of(crs, prj, &doc).map_err(|e| anyhow::anyhow!("--{e}"))?;
    let db = Database::open(db).await?;
    let actor = parkland::auth::Actor::local(&actor, parkland::auth::Role::Editor);
    let result = parkland::import::plots(&db.pool, &actor, &doc, &source, dry_run, &Default::default()).await;
    db.close().await;
    let report = result?;
    for (i, code, reason) in &report.refused {
        eprintln!("feature {i}{}: {reason}", code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default());
    }
    if !report.refused.is_empty() {
        anyhow::bail!("{} of {} features refused; nothing was imported", report.refused.len(), report.features);
    }
    let verb = if report.dry_run { "would import" } else { "imported" };
    println!("{verb} {} of {} plots from {} ({source})", report.imported, report.features, file.display());
    Ok(())
}

/// The embedded database starts empty: load the demo the first time, so `make run` shows
/// the parks at once.
async fn load_demo_on_first_start(db: &Database, dir: &std::path::Path) -> anyhow::Result<()> {
    if parkland::store::status::parks(&db.pool).await? > 0 {
        return Ok(());
    }
    if !dir.join("parks.geojson").is_file() {
        tracing::warn!(dir = %dir.display(), "no demo data found (set PARKLAND_GEODATA); serving an empty database");
        return Ok(());
    }
    let report = geodata::load_dir(&db.pool, dir, false).await?;
    tracing::info!(%report, "loaded the demo data on first start");
    Ok(())
}

async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

async fn token(pool: &sqlx::PgPool, action: TokenAction) -> anyhow::Result<()> {
    use parkland::auth::{self, Role};
    match action {
        TokenAction::Create { role, name, blind_writes } => {
            let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("--role must be viewer, editor or admin, not '{role}'"))?;
            anyhow::ensure!(!(blind_writes && role == Role::Viewer), "--blind-writes is for a token that writes (editor or admin); a viewer writes nothing");
            let token = if blind_writes { auth::create_for_blind_writes(pool, &name, role).await? } else { auth::create(pool, &name, role).await? };
            let blind = if blind_writes { " (blind writes allowed)" } else { "" };
            println!("created {} token '{}'{blind}; keep it now, it is not shown again:", role.as_str(), name.trim());
            println!("{token}");
        }
        TokenAction::List => {
            for t in auth::list(pool).await? {
                let state = t.revoked.map(|r| format!("revoked {r}")).unwrap_or_else(|| "in force".into());
                let blind = if t.blind_writes { "\tblind writes" } else { "" };
                println!("{}\t{}\t{}\tcreated {}\t{state}{blind}", t.id, t.name, t.role, t.created);
            }
        }
        TokenAction::Revoke { name } => {
            anyhow::ensure!(auth::revoke(pool, &name).await?, "no token named '{name}' in force");
            println!("revoked '{name}'");
        }
    }
    Ok(())
}
