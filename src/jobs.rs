//! Jobs: work that outlives the request that asked for it, kept in PostgreSQL (`jobs`,
//! migrations/0015). The request answers 202 with the job's address at once; the work
//! runs on this process, reporting its progress; the job ends `done` with its kind's
//! report, or `failed` with the reason. A job whose process stops meanwhile ends `failed`
//! ("parkland stopped while it ran"): at a graceful stop by this process itself, after a
//! kill once its last sign of life is `STALE_AFTER` old. Its record stays either way.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::Value;
use sqlx::PgPool;

/// How often a running job writes its progress (and so shows it is alive).
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

/// Jobs worked on at once by this process; more wait their turn (`running`, `done` 0).
/// Each holds a database connection for its transaction, outside the requests' admission.
pub const AT_ONCE: usize = 2;

/// Jobs this process holds at once, running or waiting their turn; past it a new one is
/// refused (503), as each waiting job holds its parsed file in memory.
pub const HELD_AT_MOST: usize = 8;

static HELD: AtomicUsize = AtomicUsize::new(0);

/// A place for one more job on this process, or None when `HELD_AT_MOST` are held; given
/// back when the job ends (or is never started).
pub fn reserve() -> Option<Reserved> {
    HELD.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < HELD_AT_MOST).then_some(n + 1)).ok().map(|_| Reserved)
}

/// One of the `HELD_AT_MOST` places, until dropped.
pub struct Reserved;

impl Drop for Reserved {
    fn drop(&mut self) {
        HELD.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A running job not heard of for this long has lost its process.
pub const STALE_AFTER: Duration = Duration::from_secs(30);

const STOPPED: &str = "parkland stopped while it ran; send the work again";

/// A job as a client reads it.
#[derive(Debug, sqlx::FromRow, serde::Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub actor: String,
    pub state: String,
    pub params: Value,
    pub done: i32,
    pub total: Option<i32>,
    pub report: Option<Value>,
    pub error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A job being run by this process: its id and the count of items worked through.
#[derive(Clone)]
pub struct Running {
    pub id: i64,
    pub done: Arc<AtomicUsize>,
}

/// Records a new running job of `total` items; returns it, to be passed to `run`.
pub async fn start(pool: &PgPool, kind: &str, actor: &str, params: &Value, total: usize) -> Result<Running, sqlx::Error> {
    let id: i64 = sqlx::query_scalar("INSERT INTO jobs (kind, actor, params, total) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(kind)
        .bind(actor)
        .bind(params)
        .bind(i32::try_from(total).unwrap_or(i32::MAX))
        .fetch_one(pool)
        .await?;
    Ok(Running { id, done: Arc::default() })
}

/// The jobs this process is running, to end `failed` if it is stopped meanwhile.
fn running_here() -> &'static Mutex<HashSet<i64>> {
    static RUNNING: OnceLock<Mutex<HashSet<i64>>> = OnceLock::new();
    RUNNING.get_or_init(Mutex::default)
}

/// Runs `work` on this process and records how it ends: `Ok(report)` done, `Err(why)`
/// failed. Its progress (`job.done`) is written every half second meanwhile.
pub fn run<F>(pool: PgPool, job: Running, place: Reserved, work: F)
where
    F: std::future::Future<Output = Result<Value, String>> + Send + 'static,
{
    running_here().lock().expect("running jobs").insert(job.id);
    tokio::spawn(async move {
        let ticker = {
            let (pool, job) = (pool.clone(), job.clone());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(PROGRESS_EVERY);
                loop {
                    tick.tick().await;
                    let done = i32::try_from(job.done.load(Ordering::Relaxed)).unwrap_or(i32::MAX);
                    let _ = sqlx::query("UPDATE jobs SET done = $2, seen_at = now() WHERE id = $1 AND state = 'running'")
                        .bind(job.id)
                        .bind(done)
                        .execute(&pool)
                        .await;
                }
            })
        };
        static TURNS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);
        let turn = TURNS.acquire().await.expect("the turns are never closed");
        // A panic in the work is a failed job, not a job running for ever.
        let ended = tokio::spawn(work).await.unwrap_or_else(|e| Err(format!("the job stopped on an internal error: {e}")));
        drop(turn);
        ticker.abort();
        let done = i32::try_from(job.done.load(Ordering::Relaxed)).unwrap_or(i32::MAX);
        let (state, report, error) = match ended {
            Ok(report) => ("done", Some(report), None),
            Err(why) => ("failed", None, Some(why)),
        };
        // Not over a `done` the work wrote itself, in the transaction of what it did
        // (`record_done`); over a `failed` written meanwhile, yes: this is how it ended.
        let written = sqlx::query(
            "UPDATE jobs SET state = $2, done = $3, report = $4, error = $5, finished_at = now(), seen_at = now() WHERE id = $1 AND state <> 'done'",
        )
        .bind(job.id)
        .bind(state)
        .bind(done)
        .bind(report)
        .bind(error)
        .execute(&pool)
        .await;
        if let Err(e) = written {
            tracing::error!(job = job.id, error = %e, "a job's end could not be recorded");
        }
        running_here().lock().expect("running jobs").remove(&job.id);
        drop(place);
    });
}

/// Records job `id` done with `report` inside `tx`, the transaction of the work itself, so
/// the job says done exactly when the work is committed: a stop or a crash between the
/// two cannot leave committed work reported failed.
pub async fn record_done(tx: &mut sqlx::PgConnection, id: i64, done: usize, report: &Value) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE jobs SET state = 'done', done = $2, report = $3, error = NULL, finished_at = now(), seen_at = now() WHERE id = $1")
        .bind(id)
        .bind(i32::try_from(done).unwrap_or(i32::MAX))
        .bind(report)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The job `id`, if there is one. A running job whose process has not been heard of for
/// `STALE_AFTER` is ended `failed` first.
pub async fn get(pool: &PgPool, id: i64) -> Result<Option<Job>, sqlx::Error> {
    end_stale(pool).await?;
    sqlx::query_as("SELECT id, kind, actor, state, params, done, total, report, error, created_at, finished_at FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Ends `failed` every running job whose process has gone quiet.
pub async fn end_stale(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let ended = sqlx::query(
        "UPDATE jobs SET state = 'failed', error = $1, finished_at = now()
         WHERE state = 'running' AND seen_at < now() - make_interval(secs => $2)",
    )
    .bind(STOPPED)
    .bind(STALE_AFTER.as_secs_f64())
    .execute(pool)
    .await?;
    Ok(ended.rows_affected())
}

/// At a graceful stop: ends `failed` the jobs this process is still running.
pub async fn end_those_running_here(pool: &PgPool) -> Result<(), sqlx::Error> {
    let ids: Vec<i64> = running_here().lock().expect("running jobs").iter().copied().collect();
    if ids.is_empty() {
        return Ok(());
    }
    tracing::warn!(jobs = ?ids, "stopping with jobs running; they end failed");
    sqlx::query("UPDATE jobs SET state = 'failed', error = $1, finished_at = now() WHERE state = 'running' AND id = ANY($2)")
        .bind(STOPPED)
        .bind(&ids)
        .execute(pool)
        .await?;
    Ok(())
}
