//! The embedded default: a private PostgreSQL + PostGIS cluster that parkland starts
//! itself when no `DATABASE_URL` is given.
//!
//! Layout of the data folder (`PARKLAND_DATA`):
//!
//! ```text
//! parkland.lock   held (flock) by the one parkland using the folder; holds its pid
//! pg/             the cluster (initdb's data directory)
//! run/            the Unix socket; the cluster listens on no TCP port
//! postgres.log    the server's log
//! ```
//!
//! PostgreSQL refuses to run as root, so when parkland runs as root the cluster runs as an
//! unprivileged user (`postgres` unless `PARKLAND_PG_USER` says otherwise), and the data
//! folder is handed to that user. The server is started as a child in its own process
//! group, so a Ctrl-C in the terminal reaches parkland only and parkland stops the
//! server after its last request; the child also gets SIGINT (a fast shutdown) if
//! parkland dies without stopping it, so no server outlives a killed parkland.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

pub use super::installation::Installation;

/// The packages that provide what the embedded cluster needs, named in every error about them.
pub const PACKAGES_HINT: &str =
    "install PostgreSQL and PostGIS (Debian/Ubuntu: apt-get install postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting), \
     or set DATABASE_URL to a PostgreSQL server with PostGIS";

/// The database parkland keeps its data in, inside the private cluster.
pub const DATABASE: &str = "parkland";

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("PostgreSQL server binaries not found (looked for initdb and postgres in {searched}); {hint}")]
    BinariesMissing { searched: String, hint: &'static str },
    #[error("PostGIS is not installed for PostgreSQL {major} (no {control}); {hint}")]
    PostgisMissing { major: String, control: PathBuf, hint: &'static str },
    #[error("the data folder {dir} is in use by another parkland (pid {pid}); stop it first or set PARKLAND_DATA to another folder")]
    InUse { dir: PathBuf, pid: String },
    #[error("the data folder {dir} cannot be used: {reason}")]
    Folder { dir: PathBuf, reason: String },
    #[error("running as root, but the user {user} that must own the cluster does not exist; create it or set PARKLAND_PG_USER")]
    NoUser { user: String },
    #[error("the data folder {dir} holds a PostgreSQL {found} cluster, but the installed server is PostgreSQL {installed}")]
    VersionMismatch { dir: PathBuf, found: String, installed: String },
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("the PostgreSQL server did not become ready within {secs} s; its log ({log}) ends with:\n{tail}")]
    NotReady { secs: u64, log: PathBuf, tail: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The default data folder: `$XDG_DATA_HOME/parkland` or `~/.local/share/parkland` for a
/// user, `/var/lib/parkland` for root (the cluster's own user must be able to reach it,
/// and root's home is closed to other users).
pub fn default_data_dir() -> PathBuf {
    if is_root() {
        return PathBuf::from("/var/lib/parkland");
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("parkland");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".local/share/parkland"),
        None => PathBuf::from("parkland-data"),
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// The unprivileged account that owns the cluster when parkland runs as root.
#[derive(Debug, Clone, Copy)]
struct Owner {
    uid: u32,
    gid: u32,
}

fn lookup_user(name: &str) -> Option<Owner> {
    let cname = std::ffi::CString::new(name).ok()?;
    // SAFETY: getpwnam returns NULL or a pointer to a static struct we only read at once.
    let pw = unsafe { libc::getpwnam(cname.as_ptr()) };
    if pw.is_null() {
        return None;
    }
    // SAFETY: pw is non-null and points to a valid passwd struct.
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    Some(Owner { uid, gid })
}

/// A running private cluster. Stop it with [`Cluster::stop`]; dropping it stops it too.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    socket_dir: PathBuf,
    child: Option<Child>,
    /// What `revive` needs to start the server again: its binary, data and user.
    postgres: PathBuf,
    pgdata: PathBuf,
    owner: Option<Owner>,
    // Held for the life of the cluster: the flock is what keeps a second parkland out.
    _lock: File,
}

impl Cluster {
    /// Starts (creating on first use) the cluster in `dir` and waits until it accepts
    /// connections and the `parkland` database exists.
    pub async fn start(dir: &Path) -> Result<Cluster, EmbeddedError> {
        let install = Installation::find()?;
        fs::create_dir_all(dir).map_err(|e| EmbeddedError::Folder { dir: dir.into(), reason: e.to_string() })?;
        let dir = dir.canonicalize()?;
        let lock = take_lock(&dir)?;

        let owner = server_owner(&dir)?;

        let pgdata = dir.join("pg");
        let socket_dir = dir.join("run");
        let log_path = dir.join("postgres.log");
        for d in [&dir, &socket_dir] {
            fs::create_dir_all(d)?;
        }
        fs::set_permissions(&socket_dir, fs::Permissions::from_mode(0o700))?;
        if let Some(o) = owner {
            chown(&dir, o)?;
            chown(&socket_dir, o)?;
        }

        if pgdata.join("PG_VERSION").is_file() {
            let found = fs::read_to_string(pgdata.join("PG_VERSION"))?.trim().to_string();
            if found != install.major {
                return Err(EmbeddedError::VersionMismatch { dir: pgdata, found, installed: install.major });
            }
        } else {
            init_cluster(&install, &dir, &pgdata, owner)?;
        }

        let postgres = install.bin_dir.join("postgres");
        let child = spawn_postmaster(&postgres, &pgdata, &socket_dir, &log_path, owner)?;
        tracing::info!(dir = %dir.display(), pid = child.id(), "started the embedded PostgreSQL cluster");

        let mut cluster = Cluster { dir, socket_dir, child: Some(child), postgres, pgdata, owner, _lock: lock };
        if let Err(e) = cluster.wait_ready(&log_path).await {
            cluster.stop_blocking();
            return Err(e);
        }
        Ok(cluster)
    }

    /// Starts a hot standby of `primary` in `dir`: on first use a copy of it taken with
    /// pg_basebackup, which then follows the primary by streaming replication. For the
    /// replica tests and benchmarks: a read-only copy that lags by milliseconds.
    pub async fn start_standby(dir: &Path, primary: &Cluster) -> Result<Cluster, EmbeddedError> {
        let install = Installation::find()?;
        fs::create_dir_all(dir).map_err(|e| EmbeddedError::Folder { dir: dir.into(), reason: e.to_string() })?;
        let dir = dir.canonicalize()?;
        let pgdata = dir.join("pg");
        if !pgdata.join("PG_VERSION").is_file() {
            let owner = server_owner(&dir)?;
            if let Some(o) = owner {
                chown(&dir, o)?;
            }
            let mut cmd = Command::new(install.bin_dir.join("pg_basebackup"));
            cmd.arg("-D").arg(&pgdata).args(["-R", "-X", "stream", "-c", "fast", "-U", "postgres", "-h"]).arg(&primary.socket_dir);
            if let Some(o) = owner {
                cmd.uid(o.uid).gid(o.gid);
            }
            let out = cmd.output().map_err(|e| EmbeddedError::Command { what: "pg_basebackup".into(), detail: e.to_string() })?;
            if !out.status.success() {
                return Err(EmbeddedError::Command { what: "pg_basebackup".into(), detail: String::from_utf8_lossy(&out.stderr).into_owned() });
            }
        }
        Cluster::start(&dir).await
    }

    /// Connection options for a database of this cluster, over its Unix socket.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new().socket(&self.socket_dir).username("postgres").database(database)
    }

    /// The same as a URL, for child processes and tools such as psql.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@localhost/{database}?host={}", self.socket_dir.display())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn wait_ready(&mut self, log_path: &Path) -> Result<(), EmbeddedError> {
        let limit = Duration::from_secs(60);
        let started = Instant::now();
        let admin = self.connect_options("postgres").disable_statement_logging();
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    self.child = None;
                    return Err(EmbeddedError::Command {
                        what: "the PostgreSQL server".into(),
                        detail: format!("it exited with {status}; its log ({}) ends with:\n{}", log_path.display(), log_tail(log_path)),
                    });
                }
            }
            match sqlx::PgConnection::connect_with(&admin).await {
                Ok(mut conn) => {
                    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                        .bind(DATABASE)
                        .fetch_one(&mut conn)
                        .await
                        .map_err(|e| EmbeddedError::Command { what: "checking the parkland database".into(), detail: e.to_string() })?;
                    if !exists {
                        sqlx::query(&format!("CREATE DATABASE {DATABASE} ENCODING 'UTF8' TEMPLATE template0"))
                            .execute(&mut conn)
                            .await
                            .map_err(|e| EmbeddedError::Command { what: "creating the parkland database".into(), detail: e.to_string() })?;
                    }
                    let _ = conn.close().await;
                    return Ok(());
                }
                Err(_) if started.elapsed() < limit => tokio::time::sleep(Duration::from_millis(100)).await,
                Err(_) => return Err(EmbeddedError::NotReady { secs: limit.as_secs(), log: log_path.into(), tail: log_tail(log_path) }),
            }
        }
    }

    /// When the server has exited (killed, or crashed), reaps it (so no zombie is left to
    /// block a new start) and starts it again on the same data, waiting until it accepts
    /// connections; PostgreSQL's crash recovery replays its log, so nothing committed is
    /// lost. Ok(false) when it was running.
    pub async fn revive(&mut self) -> Result<bool, EmbeddedError> {
        let Some(child) = self.child.as_mut() else { return Ok(false) };
        let status = match child.try_wait() {
            Ok(None) => return Ok(false),
            Ok(Some(status)) => status.to_string(),
            Err(e) => e.to_string(),
        };
        tracing::error!(dir = %self.dir.display(), %status, "the embedded PostgreSQL exited; starting it again");
        let log_path = self.dir.join("postgres.log");
        // A killed postmaster leaves its pid file; PostgreSQL sees that no process holds it
        // and starts (after checking the shared memory is gone).
        self.child = Some(spawn_postmaster(&self.postgres, &self.pgdata, &self.socket_dir, &log_path, self.owner)?);
        self.wait_ready(&log_path).await?;
        tracing::info!(pid = self.child.as_ref().map(|c| c.id()), "the embedded PostgreSQL is running again");
        Ok(true)
    }

    /// Stops the server with a fast shutdown (open sessions are ended, everything committed
    /// is kept) and waits for it to exit.
    pub async fn stop(mut self) {
        tokio::task::spawn_blocking(move || self.stop_blocking()).await.ok();
    }

    fn stop_blocking(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        let pid = child.id() as libc::pid_t;
        // SAFETY: kill with a pid we spawned and have not reaped yet.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                _ => {
                    tracing::warn!(pid, "the embedded PostgreSQL did not stop within 60 s; sending SIGQUIT");
                    // SAFETY: as above.
                    unsafe { libc::kill(pid, libc::SIGQUIT) };
                    let _ = child.wait();
                    break;
                }
            }
        }
        tracing::info!(dir = %self.dir.display(), "stopped the embedded PostgreSQL cluster");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop_blocking();
    }
}

/// Starts the postmaster on `pgdata`, logging to `log_path`, as `owner` when parkland is
/// root; it gets SIGINT (a fast shutdown) if parkland dies.
fn spawn_postmaster(postgres: &Path, pgdata: &Path, socket_dir: &Path, log_path: &Path, owner: Option<Owner>) -> Result<Child, EmbeddedError> {
    let log = OpenOptions::new().create(true).append(true).open(log_path)?;
    if let Some(o) = owner {
        chown(log_path, o)?;
    }
    let mut cmd = Command::new(postgres);
    cmd.arg("-D")
        .arg(pgdata)
        .arg("-k")
        .arg(socket_dir)
        .args(["-c", "listen_addresses=", "-c", "max_connections=100", "-c", "fsync=on"])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .env_remove("PGDATA")
        .process_group(0);
    if let Some(o) = owner {
        cmd.uid(o.uid).gid(o.gid);
    }
    // SAFETY: prctl is async-signal-safe; the closure touches no allocator or lock.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGINT) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn().map_err(|e| EmbeddedError::Command { what: format!("starting {}", postgres.display()), detail: e.to_string() })
}

/// The user the server runs as: PostgreSQL refuses to run as root, so when parkland is
/// root, `PARKLAND_PG_USER` (default postgres), who must be able to reach `dir`.
fn server_owner(dir: &Path) -> Result<Option<Owner>, EmbeddedError> {
    if !is_root() {
        return Ok(None);
    }
    let user = std::env::var("PARKLAND_PG_USER").unwrap_or_else(|_| "postgres".into());
    let owner = lookup_user(&user).ok_or(EmbeddedError::NoUser { user: user.clone() })?;
    check_reachable(dir, owner, &user)?;
    Ok(Some(owner))
}

fn take_lock(dir: &Path) -> Result<File, EmbeddedError> {
    let path = dir.join("parkland.lock");
    let mut file = OpenOptions::new().create(true).truncate(false).read(true).write(true).open(&path)?;
    // SAFETY: flock on a descriptor we own.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        let mut pid = String::new();
        let _ = file.read_to_string(&mut pid);
        return Err(EmbeddedError::InUse { dir: dir.into(), pid: pid.trim().to_string() });
    }
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    write!(file, "{}", std::process::id())?;
    file.flush()?;
    Ok(file)
}

/// Every folder above `dir` must let `owner` pass, or the server cannot open its files.
fn check_reachable(dir: &Path, owner: Owner, user: &str) -> Result<(), EmbeddedError> {
    for ancestor in dir.ancestors().skip(1) {
        let meta = fs::metadata(ancestor)?;
        let mode = meta.mode();
        let passable = if meta.uid() == owner.uid {
            mode & 0o100 != 0
        } else if meta.gid() == owner.gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        if !passable {
            return Err(EmbeddedError::Folder {
                dir: dir.into(),
                reason: format!(
                    "the cluster runs as user {user}, who cannot enter {} (mode {:o}); choose a folder such as /var/lib/parkland with PARKLAND_DATA",
                    ancestor.display(),
                    mode & 0o7777
                ),
            });
        }
    }
    Ok(())
}

fn chown(path: &Path, owner: Owner) -> Result<(), EmbeddedError> {
    std::os::unix::fs::chown(path, Some(owner.uid), Some(owner.gid))
        .map_err(|e| EmbeddedError::Folder { dir: path.into(), reason: format!("cannot hand it to the cluster's user: {e}") })
}

/// initdb into a scratch folder, then rename: a crash half-way leaves no half-made cluster.
fn init_cluster(install: &Installation, dir: &Path, pgdata: &Path, owner: Option<Owner>) -> Result<(), EmbeddedError> {
    let scratch = dir.join("pg.initdb");
    if scratch.exists() {
        fs::remove_dir_all(&scratch)?;
    }
    if pgdata.exists() {
        // A folder without PG_VERSION is not a cluster; keep it aside rather than delete data.
        let aside = dir.join(format!("pg.incomplete.{}", std::process::id()));
        fs::rename(pgdata, &aside)?;
        tracing::warn!(moved_to = %aside.display(), "the data folder held an incomplete cluster; moved it aside");
    }
    let mut cmd = Command::new(install.bin_dir.join("initdb"));
    cmd.arg("-D").arg(&scratch).args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-instructions"]).stdin(Stdio::null());
    if let Some(o) = owner {
        cmd.uid(o.uid).gid(o.gid);
    }
    tracing::info!(dir = %pgdata.display(), "creating the embedded PostgreSQL cluster");
    let out = cmd.output().map_err(|e| EmbeddedError::Command { what: "initdb".into(), detail: e.to_string() })?;
    if !out.status.success() {
        return Err(EmbeddedError::Command {
            what: "initdb".into(),
            detail: format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        });
    }
    fs::rename(&scratch, pgdata)?;
    Ok(())
}

fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}
