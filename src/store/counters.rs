//! The change counters (migration 0002), read for many requests at once, and kept while
//! PostgreSQL says nothing changed.
//!
//! A kept tile is served only after the counters of its tables are known, so that a write
//! is not answered with a tile drawn before it. A read of its own for every request was
//! most of a kept tile's cost (10,800 tiles/s at z14 against Martin's 61,000; Martin never
//! looks). Two things make it cheap:
//!
//! - Requests that arrive while a read is under way wait for the next read, one for all
//!   of them. Every read starts after each of its waiters arrived, so each sees every
//!   write committed before it asked, as with a read of its own.
//! - With `listen`, a connection LISTENs for the notice every counted write sends when it
//!   commits (migration 0008), and the counters last read are kept until a notice comes,
//!   this process writes, the listener's connection is lost, or a second has passed. A
//!   write made through this process is seen by its next request; one made elsewhere
//!   (another node, psql, an import) as soon as PostgreSQL delivers its notice, well under
//!   a millisecond on one machine. A hot standby cannot LISTEN and replays later than its
//!   primary sends notices, so with read replicas every request waits for a read.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::PgPool;
use tokio::sync::oneshot;

/// Each table's counter, by table name.
pub type Changes = Arc<BTreeMap<String, i64>>;

/// The channel counted writes notify (migration 0008).
pub const CHANNEL: &str = "parkland_changes";

/// Longest counters are kept without a fresh read, should the listener's connection hang
/// without breaking (what `parkland serve` passes to `listen`).
pub const KEEP_AT_MOST: Duration = Duration::from_secs(1);

type Reply = oneshot::Sender<Result<Changes, Arc<sqlx::Error>>>;

#[derive(Clone, Default)]
pub struct Counters(Arc<Mutex<State>>);

#[derive(Default)]
struct State {
    /// A read is under way (its task takes the next batch when it ends).
    reading: bool,
    /// Who waits for the next read, and where to read.
    next: Vec<Reply>,
    pool: Option<PgPool>,
    /// A listener is subscribed: counters read since the last `forget` stay current.
    listening: bool,
    kept: Option<Changes>,
    /// Counts `forget`s, so that a read begun before one is not kept after it.
    forgotten: u64,
}

impl Counters {
    /// The counters as they stand after this call began.
    pub async fn now(&self, pool: &PgPool) -> Result<Changes, sqlx::Error> {
        let (tx, rx) = oneshot::channel();
        let start = {
            let mut s = self.0.lock().expect("counters lock");
            if let Some(kept) = s.kept.as_ref().filter(|_| s.listening) {
                return Ok(kept.clone());
            }
            s.next.push(tx);
            s.pool.get_or_insert_with(|| pool.clone());
            !std::mem::replace(&mut s.reading, true)
        };
        if start {
            // A task of its own, so that a request that gives up does not strand the
            // others waiting on its read.
            tokio::spawn(read_for_waiters(self.0.clone()));
        }
        match rx.await {
            Ok(Ok(changes)) => Ok(changes),
            Ok(Err(e)) => Err(match &*e {
                sqlx::Error::PoolTimedOut => sqlx::Error::PoolTimedOut,
                sqlx::Error::PoolClosed => sqlx::Error::PoolClosed,
                sqlx::Error::Io(io) => sqlx::Error::Io(std::io::Error::new(io.kind(), io.to_string())),
                // An error that cannot be copied: this request's own read gives it whole.
                _ => return read(pool).await,
            }),
            Err(_) => read(pool).await,
        }
    }

    /// The database may have changed: the next request reads the counters again.
    pub fn forget(&self) {
        let mut s = self.0.lock().expect("counters lock");
        s.forgotten += 1;
        s.kept = None;
    }

    /// Whether counters are kept between notices now (a listener is subscribed).
    pub fn listening(&self) -> bool {
        self.0.lock().expect("counters lock").listening
    }

    /// Keeps the counters between changes, told of them by notices on `CHANNEL` of the
    /// database `pool` connects to (the primary), over a connection of its own, and
    /// for at most `keep_at_most`. Runs until every clone of these counters is dropped;
    /// a lost connection is made again.
    pub fn listen(&self, pool: &PgPool, keep_at_most: Duration) {
        let listener_pool = PgPoolOptions::new().max_connections(1).connect_lazy_with(pool.connect_options().as_ref().clone());
        tokio::spawn(keep_listening(Arc::downgrade(&self.0), listener_pool));
        // Should the listener's connection hang without breaking, no notice would come.
        let state = Arc::downgrade(&self.0);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(keep_at_most).await;
                let Some(state) = state.upgrade() else { return };
                Counters(state).forget();
            }
        });
    }
}

async fn keep_listening(state: Weak<Mutex<State>>, pool: PgPool) {
    let set_listening = |on: bool| -> bool {
        let Some(state) = state.upgrade() else { return false };
        let mut s = state.lock().expect("counters lock");
        s.listening = on;
        s.forgotten += 1;
        s.kept = None;
        true
    };
    loop {
        let subscribed = async {
            let mut l = PgListener::connect_with(&pool).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        };
        match subscribed.await {
            Ok(mut listener) => {
                if !set_listening(true) {
                    return;
                }
                loop {
                    // A notice, or a lost connection made again (notices may have been
                    // missed meanwhile): read afresh.
                    let heard = listener.try_recv().await;
                    let Some(state) = state.upgrade() else { return };
                    Counters(state).forget();
                    if let Err(e) = heard {
                        tracing::warn!(error = %e, "lost the LISTEN connection: tiles check the counters on every request until it is back");
                        break;
                    }
                }
                if !set_listening(false) {
                    return;
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot LISTEN for changes: tiles check the counters on every request"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        if state.strong_count() == 0 {
            return;
        }
    }
}

async fn read_for_waiters(state: Arc<Mutex<State>>) {
    loop {
        let (batch, pool, forgotten) = {
            let mut s = state.lock().expect("counters lock");
            match s.pool.take() {
                Some(pool) if !s.next.is_empty() => (std::mem::take(&mut s.next), pool, s.forgotten),
                _ => {
                    s.reading = false;
                    return;
                }
            }
        };
        let read = read(&pool).await.map_err(Arc::new);
        if let Ok(changes) = &read {
            let mut s = state.lock().expect("counters lock");
            if s.listening && s.forgotten == forgotten {
                s.kept = Some(changes.clone());
            }
        }
        for reply in batch {
            let _ = reply.send(read.clone());
        }
    }
}

/// Every table's counter, in one statement and no transaction.
pub async fn read<'e, E: sqlx::PgExecutor<'e>>(conn: E) -> Result<Changes, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT table_name, changes FROM change_counters").fetch_all(conn).await?;
    Ok(Arc::new(rows.into_iter().collect()))
}

/// How the tables of a response stand: their counters, as text for an ETag.
pub fn state_of(changes: &BTreeMap<String, i64>, tables: &[&str]) -> String {
    let mut parts: Vec<String> = tables.iter().filter_map(|t| changes.get(*t).map(|n| format!("{t}:{n}"))).collect();
    parts.sort();
    parts.join(",")
}

/// The counters of `tables`, in their order: what a value computed from those tables is
/// kept with.
pub fn counts(changes: &Changes, tables: &[&str]) -> Vec<i64> {
    tables.iter().map(|t| changes.get(*t).copied().unwrap_or(0)).collect()
}

/// Values computed from some tables, each kept with the counters of those tables it was
/// computed at, and given again only while the counters are the same: then computing it
/// again would give the same value.
pub struct Kept<K, V>(Arc<Mutex<std::collections::HashMap<K, (Vec<i64>, V)>>>);

/// Values kept; past this the store is emptied and fills again.
const KEEP_VALUES: usize = 4096;

impl<K, V> Clone for Kept<K, V> {
    fn clone(&self) -> Self {
        Kept(self.0.clone())
    }
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept(Default::default())
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> Kept<K, V> {
    /// The value kept for `key` at `counts`, or else `compute`'s, kept for next time.
    /// `compute` is a future, so it runs only when nothing is kept.
    pub async fn or_compute<E>(&self, key: K, counts: Vec<i64>, compute: impl std::future::Future<Output = Result<V, E>>) -> Result<V, E> {
        if let Some(v) = self.get(&key, &counts) {
            return Ok(v);
        }
        let v = compute.await?;
        self.put(key, counts, v.clone());
        Ok(v)
    }

    fn get(&self, key: &K, counts: &[i64]) -> Option<V> {
        self.0.lock().ok()?.get(key).filter(|(at, _)| at == counts).map(|(_, v)| v.clone())
    }

    fn put(&self, key: K, counts: Vec<i64>, value: V) {
        let Ok(mut kept) = self.0.lock() else { return };
        if kept.len() >= KEEP_VALUES {
            kept.clear();
        }
        kept.insert(key, (counts, value));
    }
}
