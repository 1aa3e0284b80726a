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
///
/// Bounded by count and by bytes, each entry weighed with an overhead, so a client that
/// asks for many distinct things (filters, park ids) cannot grow it past its bounds; the
/// oldest leave first. Keys are kept as a SHA-256 digest, not as given: a 52 KB filter
/// text costs 32 bytes here.
pub struct Kept<K, V> {
    inner: Arc<Mutex<KeptValues<V>>>,
    bounds: KeptBounds,
    _key: std::marker::PhantomData<fn(K)>,
}

/// How much a `Kept` may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptBounds {
    pub entries: usize,
    pub bytes: usize,
}

impl Default for KeptBounds {
    /// 4,096 values and 16 MB: every park's ledger at a million plots is ~0.5 MB.
    fn default() -> Self {
        KeptBounds { entries: 4096, bytes: 16 << 20 }
    }
}

/// What an entry costs beyond its value: the digest, the counters' vector, the map's slot
/// and the order's entry.
const ENTRY_OVERHEAD: usize = 128;

struct KeptValues<V> {
    values: std::collections::HashMap<[u8; 32], KeptValue<V>>,
    /// Digests oldest first, with the number of their listing; a value put again is listed
    /// again, and its older listing passed over.
    order: std::collections::VecDeque<([u8; 32], u64)>,
    listings: u64,
    bytes: usize,
}

struct KeptValue<V> {
    counts: Vec<i64>,
    value: V,
    weight: usize,
    listed: u64,
}

impl<V> Default for KeptValues<V> {
    fn default() -> Self {
        KeptValues { values: Default::default(), order: Default::default(), listings: 0, bytes: 0 }
    }
}

/// The memory a kept value holds, roughly, in bytes.
pub trait Weigh {
    fn weigh(&self) -> usize;
}

impl Weigh for i64 {
    fn weigh(&self) -> usize {
        8
    }
}

impl<T: Weigh> Weigh for Arc<T> {
    fn weigh(&self) -> usize {
        self.as_ref().weigh()
    }
}

impl<T: serde::Serialize> Weigh for Vec<T> {
    fn weigh(&self) -> usize {
        // Its JSON text's length: a fair measure of its strings and numbers in memory.
        self.iter().map(|v| serde_json::to_string(v).map_or(0, |s| s.len()) + 64).sum()
    }
}

/// A SHA-256 digest of anything that hashes.
fn digest<K: std::hash::Hash>(key: &K) -> [u8; 32] {
    use sha2::Digest;
    struct Sha(sha2::Sha256);
    impl std::hash::Hasher for Sha {
        fn write(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }
        fn finish(&self) -> u64 {
            unreachable!("only `write` is used")
        }
    }
    let mut h = Sha(sha2::Sha256::new());
    key.hash(&mut h);
    h.0.finalize().into()
}

impl<K, V> Clone for Kept<K, V> {
    fn clone(&self) -> Self {
        Kept { inner: self.inner.clone(), bounds: self.bounds, _key: std::marker::PhantomData }
    }
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept::bounded(KeptBounds::default())
    }
}

impl<K, V> Kept<K, V> {
    pub fn bounded(bounds: KeptBounds) -> Self {
        Kept { inner: Default::default(), bounds, _key: std::marker::PhantomData }
    }

    /// (values, bytes) kept now: what the bounds are checked against.
    pub fn usage(&self) -> (usize, usize) {
        self.inner.lock().map(|k| (k.values.len(), k.bytes)).unwrap_or_default()
    }

    pub fn bounds(&self) -> KeptBounds {
        self.bounds
    }
}

impl<K: std::hash::Hash, V: Clone + Weigh> Kept<K, V> {
    /// The value kept for `key` at `counts`, or else `compute`'s, kept for next time.
    /// `compute` is a future, so it runs only when nothing is kept.
    pub async fn or_compute<E>(&self, key: K, counts: Vec<i64>, compute: impl std::future::Future<Output = Result<V, E>>) -> Result<V, E> {
        let key = digest(&key);
        if let Some(v) = self.get(&key, &counts) {
            return Ok(v);
        }
        let v = compute.await?;
        self.put(key, counts, v.clone());
        Ok(v)
    }

    fn get(&self, key: &[u8; 32], counts: &[i64]) -> Option<V> {
        self.inner.lock().ok()?.values.get(key).filter(|k| k.counts == counts).map(|k| k.value.clone())
    }

    fn put(&self, key: [u8; 32], counts: Vec<i64>, value: V) {
        let weight = ENTRY_OVERHEAD + 8 * counts.len() + value.weigh();
        if weight > self.bounds.bytes {
            return;
        }
        let Ok(mut kept) = self.inner.lock() else { return };
        let k = &mut *kept;
        k.listings += 1;
        let listed = k.listings;
        k.order.push_back((key, listed));
        k.bytes += weight;
        if let Some(old) = k.values.insert(key, KeptValue { counts, value, weight, listed }) {
            k.bytes -= old.weight;
        }
        while k.bytes > self.bounds.bytes || k.values.len() > self.bounds.entries {
            let Some((oldest, n)) = k.order.pop_front() else { break };
            if k.values.get(&oldest).is_some_and(|v| v.listed == n) {
                let gone = k.values.remove(&oldest).expect("listed");
                k.bytes -= gone.weight;
            }
        }
        // Values put again and again (after each write) leave stale listings behind.
        if k.order.len() > 2 * k.values.len() + 1024 {
            let KeptValues { values, order, .. } = k;
            order.retain(|(d, n)| values.get(d).is_some_and(|v| v.listed == *n));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_long_keys_leave_a_kept_store_within_its_bounds() {
        let kept: Kept<String, i64> = Kept::bounded(KeptBounds { entries: 1000, bytes: 100_000 });
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        for n in 0..5000 {
            // 52 KB filters, as the attack that grew the old store by 122 MB.
            let filter = format!("{n}:{}", "x".repeat(52_000));
            let v = rt.block_on(kept.or_compute(filter, vec![1, 2], async { Ok::<i64, ()>(n) })).unwrap();
            assert_eq!(v, n);
            let (entries, bytes) = kept.usage();
            assert!(entries <= 1000 && bytes <= 100_000, "{entries} values, {bytes} bytes after {n}");
        }
        let (entries, bytes) = kept.usage();
        assert!(entries > 400, "the store is used up to its bounds, not emptied: {entries} values, {bytes} bytes");
        // The newest are kept, the oldest gone; a kept value is given only at its counts.
        let again = |k: &str, counts: Vec<i64>| rt.block_on(kept.or_compute(k.to_string(), counts, async { Ok::<i64, ()>(-1) })).unwrap();
        assert_eq!(again(&format!("4999:{}", "x".repeat(52_000)), vec![1, 2]), 4999);
        assert_eq!(again(&format!("0:{}", "x".repeat(52_000)), vec![1, 2]), -1);
        assert_eq!(again(&format!("4998:{}", "x".repeat(52_000)), vec![1, 3]), -1);
    }
}
