//! The HTTP server's connections: accepting them up to a cap, and closing those that
//! hold the server without using it. axum's own `serve` has no timeouts at all: eight
//! clients that asked for big pages and never read held every admission permit and eight
//! database sessions "idle in transaction" for ever, and a thousand idle sockets stayed
//! open. Here each connection is watched:
//!
//! - **header timeout**: the request line and headers must arrive within it (hyper's own
//!   timer, which also runs while a kept-alive connection waits for its next request), and
//!   each piece of a request's body within it of the one before;
//! - **idle timeout**: a connection with no request in flight and no bytes either way for
//!   this long is closed;
//! - **stall timeout**: a response whose bytes the client has not taken for this long (the
//!   socket's send buffer full, a write pending throughout) is dropped, and with it the
//!   request's admission permit and database session; so is one the client takes more
//!   slowly than `SLOWEST_READER` bytes a second over a stall timeout while the socket
//!   is full (a reader that takes a little now and then would otherwise hold them for
//!   hours);
//! - **connection cap**: beyond it, new connections wait in the kernel's backlog.
//!
//! On shutdown the listener closes, connections finish the request they are in (no new
//! ones on them), and `serve` returns once every connection has ended.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

/// What the operator may set (`parkland serve --help`, or the PARKLAND_* variables).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub stall_timeout: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_timeout: Duration::from_secs(10), idle_timeout: Duration::from_secs(60), stall_timeout: Duration::from_secs(30), max_connections: 1024 }
    }
}

/// The slowest a client may take an answer while the answer waits on it: 16 KB/s, a poor
/// mobile link; a 10 MB page then ends within about ten minutes.
pub const SLOWEST_READER: u64 = 16 * 1024;

/// Most bytes of a request line and headers buffered (hyper's default is ~400 KB, times
/// every connection): room for a 64 KB URL, the most the `http` crate takes anyway.
const HEADER_BUFFER: usize = 96 * 1024;

/// Serves `app` on `listener` until `shutdown` resolves, then lets the connections finish.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits, shutdown: impl std::future::Future<Output = ()>) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // Dropped to tell every connection to finish; each holds a receiver until it ends.
    let (stop_tx, stop_rx) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the slots are never closed"),
            _ = &mut shutdown => break,
        };
        let (tcp, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors (EMFILE) or a connection reset before it was
                    // taken: wait a moment rather than spin, as axum's serve does.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // Pages are streamed in pieces, and with Nagle's algorithm each piece after the
        // first waits for the client's delayed ACK (40 ms a page).
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
        let app = app.clone();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            connection(tcp, addr, app, limits, stop).await;
            drop(slot);
        });
    }
    drop(listener);
    drop(stop_rx);
    stop_tx.send_replace(());
    // Every connection holds a receiver: when the last has ended, `closed` resolves.
    stop_tx.closed().await;
    Ok(())
}

/// One connection, served until it ends, times out, or the server stops.
async fn connection(tcp: TcpStream, addr: SocketAddr, app: Router, limits: Limits, mut stop: watch::Receiver<()>) {
    let watch = Arc::new(Watch::new());
    let io = TokioIo::new(Watched { inner: tcp, watch: watch.clone() });
    let service = {
        let watch = watch.clone();
        hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(addr));
            let in_flight = InFlight::start(watch.clone());
            let app = app.clone();
            let req = req.map(|body| axum::body::Body::new(Paced::new(body, limits.header_timeout)));
            async move {
                let res = tower::ServiceExt::oneshot(app, req).await;
                // The request stays in flight until its body's last byte has been taken.
                res.map(|r| r.map(|body| axum::body::Body::new(Tracked { body, _in_flight: in_flight })))
            }
        })
    };
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true).max_buf_size(HEADER_BUFFER);
    let mut conn = std::pin::pin!(http.serve_connection(io, service));
    let shortest = limits.idle_timeout.min(limits.stall_timeout);
    let mut tick = tokio::time::interval((shortest / 4).clamp(Duration::from_millis(50), Duration::from_secs(1)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stopping = false;
    let mut pace = Pace::new(&watch);
    loop {
        tokio::select! {
            ended = conn.as_mut() => {
                if let Err(e) = ended {
                    tracing::debug!(client = %addr, error = %e, "connection ended with an error");
                }
                return;
            }
            _ = tick.tick() => {
                if let Some(stalled) = watch.stalled_for().filter(|d| *d >= limits.stall_timeout) {
                    tracing::warn!(client = %addr, seconds = stalled.as_secs_f64(), "closing a connection whose client stopped reading its answer");
                    return;
                }
                if let Some(rate) = pace.too_slow(&watch, limits.stall_timeout) {
                    tracing::warn!(client = %addr, bytes_per_second = rate, "closing a connection whose client reads its answer too slowly");
                    return;
                }
                if watch.in_flight() == 0 && watch.quiet_for() >= limits.idle_timeout {
                    tracing::debug!(client = %addr, "closing an idle connection");
                    return;
                }
            }
            _ = stop.changed(), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Descriptors kept for what is not a client: the database pool, the embedded cluster's
/// pipes, files served, logs.
const DESCRIPTORS_KEPT: u64 = 128;

/// `wanted` connections, or fewer when the process may not open that many descriptors.
/// The soft limit is raised to the hard one first (often 1,024 soft and 524,288 hard):
/// past the limit `accept` fails, and a full server could not even answer /health.
pub fn within_descriptor_limit(wanted: usize) -> usize {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return wanted;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim.rlim_cur = lim.rlim_max;
            }
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is u64 here, not on every platform
    let allowed = (lim.rlim_cur as u64).saturating_sub(DESCRIPTORS_KEPT).max(16) as usize;
    if allowed < wanted {
        tracing::warn!(wanted, allowed, "the file-descriptor limit allows fewer connections than configured; serving at most {allowed}");
        return allowed;
    }
    wanted
}

/// Milliseconds since the process's first call, for timestamps kept in atomics.
fn now_ms() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64 + 1
}

/// The watchdog's window on how fast a client takes its answers: over each stall
/// timeout in which a request was in flight and the socket was seen full, the bytes sent.
struct Pace {
    since: Instant,
    sent_then: u64,
    was_full: bool,
}

impl Pace {
    fn new(watch: &Watch) -> Pace {
        Pace { since: Instant::now(), sent_then: watch.sent.load(Ordering::Relaxed), was_full: false }
    }

    /// Bytes a second, when the window just ended with the client the bottleneck and
    /// slower than `SLOWEST_READER`.
    fn too_slow(&mut self, watch: &Watch, window: Duration) -> Option<u64> {
        if watch.in_flight() == 0 {
            *self = Pace::new(watch);
            return None;
        }
        self.was_full |= watch.stalled_for().is_some();
        if self.since.elapsed() < window {
            return None;
        }
        let rate = (watch.sent.load(Ordering::Relaxed) - self.sent_then) / window.as_secs().max(1);
        let slow = self.was_full && rate < SLOWEST_READER;
        *self = Pace::new(watch);
        slow.then_some(rate)
    }
}

/// What the watchdog knows of a connection.
struct Watch {
    /// Bytes written to the client.
    sent: AtomicU64,
    /// When bytes last went either way.
    last_io: AtomicU64,
    /// Since when a write has been pending (the client not reading), or 0.
    blocked_since: AtomicU64,
    /// Requests whose answers have not been sent in full.
    in_flight: AtomicUsize,
}

impl Watch {
    fn new() -> Watch {
        Watch { sent: AtomicU64::new(0), last_io: AtomicU64::new(now_ms()), blocked_since: AtomicU64::new(0), in_flight: AtomicUsize::new(0) }
    }

    fn quiet_for(&self) -> Duration {
        Duration::from_millis(now_ms().saturating_sub(self.last_io.load(Ordering::Relaxed)))
    }

    fn stalled_for(&self) -> Option<Duration> {
        match self.blocked_since.load(Ordering::Relaxed) {
            0 => None,
            since => Some(Duration::from_millis(now_ms().saturating_sub(since))),
        }
    }

    fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    fn moved(&self) {
        self.last_io.store(now_ms(), Ordering::Relaxed);
        self.blocked_since.store(0, Ordering::Relaxed);
    }

    fn blocked(&self) {
        let _ = self.blocked_since.compare_exchange(0, now_ms(), Ordering::Relaxed, Ordering::Relaxed);
    }
}

/// One request in flight on a connection, until dropped.
struct InFlight(Arc<Watch>);

impl InFlight {
    fn start(watch: Arc<Watch>) -> InFlight {
        watch.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(watch)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A response body that keeps its request in flight until its end.
struct Tracked {
    body: axum::body::Body,
    _in_flight: InFlight,
}

impl http_body::Body for Tracked {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A request's body whose every piece must come within `gap` of the one before (or of the
/// headers): a client that sends a few bytes and then nothing is cut off, and holds no
/// permit meanwhile (`admit` reads the body before it takes one).
struct Paced {
    body: hyper::body::Incoming,
    gap: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl Paced {
    fn new(body: hyper::body::Incoming, gap: Duration) -> Paced {
        Paced { body, gap, deadline: Box::pin(tokio::time::sleep(gap)) }
    }
}

impl http_body::Body for Paced {
    type Data = axum::body::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.body).poll_frame(cx) {
            Poll::Ready(frame) => {
                let gap = this.gap;
                this.deadline.as_mut().reset(tokio::time::Instant::now() + gap);
                Poll::Ready(frame.map(|f| f.map_err(Into::into)))
            }
            Poll::Pending => match this.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(format!("the request's body stopped arriving for {} s", this.gap.as_secs_f64()).into()))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// The socket, noting when bytes move and when a write cannot.
struct Watched {
    inner: TcpStream,
    watch: Arc<Watch>,
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.watch.last_io.store(now_ms(), Ordering::Relaxed);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, data);
        this.note(&polled);
        polled
    }

    fn poll_write_vectored(self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[std::io::IoSlice<'_>]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.note(&polled);
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

impl Watched {
    fn note(&self, polled: &Poll<std::io::Result<usize>>) {
        match polled {
            Poll::Ready(Ok(n)) if *n > 0 => {
                self.watch.sent.fetch_add(*n as u64, Ordering::Relaxed);
                self.watch.moved();
            }
            Poll::Pending => self.watch.blocked(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The floor's arithmetic on a watch driven by hand (a window shorter than a second
    /// counts as one): a full socket and 10 KB is under the floor, 64 KB is not; a window
    /// with no request in flight, or a socket never seen full, is never too slow.
    #[test]
    fn a_reader_is_too_slow_only_when_the_socket_was_full_and_the_rate_under_the_floor() {
        let window = Duration::from_millis(20);
        let watch = Watch::new();
        watch.in_flight.fetch_add(1, Ordering::Relaxed);
        for (sent, full, slow) in [(10 * 1024, true, true), (64 * 1024, true, false), (1024, false, false)] {
            let mut pace = Pace::new(&watch);
            if full {
                watch.blocked();
            }
            watch.sent.fetch_add(sent, Ordering::Relaxed);
            assert_eq!(pace.too_slow(&watch, window), None, "the window has not ended");
            std::thread::sleep(window);
            let rate = pace.too_slow(&watch, window);
            assert_eq!(rate.is_some(), slow, "{sent} bytes, full: {full}: {rate:?}");
            watch.moved();
        }
        watch.in_flight.fetch_sub(1, Ordering::Relaxed);
        let mut pace = Pace::new(&watch);
        watch.blocked();
        std::thread::sleep(window);
        assert_eq!(pace.too_slow(&watch, window), None, "no request in flight");
    }
}
