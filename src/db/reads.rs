//! Where reads go: the read replicas (`DATABASE_REPLICA_URLS`, PostgreSQL hot standbys)
//! in turn, or the primary when there are none or none is answering. Writes, token checks
//! and the reads inside a write always go to the primary (`AppState::pool`).
//!
//! A replica lags its primary by the time it takes to replay the primary's WAL (a few
//! milliseconds on a LAN): a client that writes and at once reads may not see its write
//! yet, and a stale ETag it read gets a 412 on its next write, never a lost update.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;

/// How often each replica is asked whether it answers and is a standby.
const CHECK_EVERY: Duration = Duration::from_secs(1);

struct Replica {
    name: String,
    pool: PgPool,
    up: AtomicBool,
}

struct Inner {
    primary: PgPool,
    replicas: Vec<Replica>,
    next: AtomicUsize,
}

/// The pools reads are served from. Cheap to clone.
#[derive(Clone)]
pub struct Reads(Arc<Inner>);

impl Reads {
    /// All reads from the primary.
    pub fn primary_only(primary: PgPool) -> Reads {
        Reads(Arc::new(Inner { primary, replicas: vec![], next: AtomicUsize::new(0) }))
    }

    /// Reads spread over these replicas (named for the logs); each is checked every second
    /// and left out while it does not answer. Call from within the tokio runtime.
    pub fn with_replicas(primary: PgPool, replicas: Vec<(String, PgPool)>) -> Reads {
        let replicas = replicas.into_iter().map(|(name, pool)| Replica { name, pool, up: AtomicBool::new(true) }).collect();
        let reads = Reads(Arc::new(Inner { primary, replicas, next: AtomicUsize::new(0) }));
        if !reads.0.replicas.is_empty() {
            let weak = Arc::downgrade(&reads.0);
            tokio::spawn(async move {
                while let Some(inner) = weak.upgrade() {
                    check(&inner).await;
                    drop(inner);
                    tokio::time::sleep(CHECK_EVERY).await;
                }
            });
        }
        reads
    }

    /// The pool for the next read: the next replica that answers, else the primary.
    pub fn pool(&self) -> &PgPool {
        let r = &self.0.replicas;
        let start = self.0.next.fetch_add(1, Ordering::Relaxed);
        (0..r.len()).map(|i| &r[(start + i) % r.len()]).find(|x| x.up.load(Ordering::Relaxed)).map(|x| &x.pool).unwrap_or(&self.0.primary)
    }

    /// Each replica's name and whether it is serving reads now.
    pub fn replicas(&self) -> Vec<(String, bool)> {
        self.0.replicas.iter().map(|r| (r.name.clone(), r.up.load(Ordering::Relaxed))).collect()
    }
}

/// A replica serves reads while it answers within its pool's time limit and is in
/// recovery (a standby); one promoted to primary of its own would drift from ours.
async fn check(inner: &Inner) {
    for r in &inner.replicas {
        let standby: Result<bool, sqlx::Error> = sqlx::query_scalar("SELECT pg_is_in_recovery()").fetch_one(&r.pool).await;
        let up = matches!(standby, Ok(true));
        if r.up.swap(up, Ordering::Relaxed) != up {
            match &standby {
                Ok(true) => tracing::info!(replica = %r.name, "read replica back: serving reads"),
                Ok(false) => tracing::warn!(replica = %r.name, "read replica is not a standby: no reads go to it"),
                Err(e) => tracing::warn!(replica = %r.name, error = %e, "read replica does not answer: its reads go elsewhere"),
            }
        }
    }
}
