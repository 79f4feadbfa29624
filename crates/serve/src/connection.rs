//! One accepted connection: HTTP/1.1 or HTTP/2, closed once it has been
//! idle for the idle timeout, and the file-descriptor limit that bounds how
//! many can be open.
//!
//! A connection is idle while no request is in progress and nothing
//! arrives: before its first request (hyper does not time a connection that
//! sends nothing, nor an HTTP/2 connection after its preface) and between
//! keep-alive requests.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{watch, OwnedSemaphorePermit};

/// File descriptors kept back from connections for the listener, model and
/// suggestion files, logs and the runtime.
const RESERVED_FDS: u64 = 64;

/// How long an idle connection that was asked to close may take to do so
/// (an HTTP/2 client reading its GOAWAY) before it is dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Raises the soft limit on open files to the hard limit, and returns how
/// many connections fit under it (`None` where there is no such limit).
pub fn raise_fd_limit() -> Option<usize> {
    #[cfg(unix)]
    {
        match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(limit) => {
                tracing::debug!(limit, "open file limit");
                Some(
                    usize::try_from(limit.saturating_sub(RESERVED_FDS).max(1))
                        .unwrap_or(usize::MAX),
                )
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read or raise the open file limit");
                None
            }
        }
    }
    #[cfg(not(unix))]
    None
}

/// What a connection is doing: when it last received bytes, and how many
/// of its requests are in progress.
struct Activity {
    opened: Instant,
    last_ms: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Arc<Activity> {
        Arc::new(Activity {
            opened: Instant::now(),
            last_ms: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        })
    }

    fn touch(&self) {
        let now = self.opened.elapsed().as_millis() as u64;
        self.last_ms.store(now, Ordering::Relaxed);
    }

    /// How long the connection has been idle (zero with a request in progress).
    fn idle_for(&self) -> Duration {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            return Duration::ZERO;
        }
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.opened.elapsed().saturating_sub(last)
    }

    /// Completes once the connection has been idle for `timeout`.
    async fn idle(&self, timeout: Duration) {
        loop {
            let idle = self.idle_for();
            if idle >= timeout {
                return;
            }
            tokio::time::sleep(timeout - idle).await;
        }
    }
}

/// Counts a request in progress until dropped.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn begin(activity: &Arc<Activity>) -> InFlight {
        activity.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touch();
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A stream that records when it last received bytes.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Serves one connection until the client closes it, it stays idle for
/// `idle_timeout`, or `shutdown` turns true (then requests in progress
/// finish first). `_slot` is its place under the connection limit, given
/// back when it ends.
pub(crate) async fn serve_connection(
    builder: auto::Builder<TokioExecutor>,
    stream: TcpStream,
    app: Router,
    idle_timeout: Duration,
    mut shutdown: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let peer = stream.peer_addr().ok();
    let _ = stream.set_nodelay(true);
    let activity = Activity::new();
    let io = TokioIo::new(Watched {
        stream,
        activity: activity.clone(),
    });
    let app = TowerToHyperService::new(app);
    let counted = activity.clone();
    let service = hyper::service::service_fn(move |request| {
        let in_flight = InFlight::begin(&counted);
        let response = hyper::service::Service::call(&app, request);
        async move {
            let response = response.await;
            drop(in_flight);
            response
        }
    });
    let conn = builder.serve_connection_with_upgrades(io, service);
    tokio::pin!(conn);
    let idle = tokio::select! {
        ended = conn.as_mut() => {
            if let Err(e) = ended {
                tracing::debug!(?peer, error = %e, "connection ended with an error");
            }
            return;
        }
        () = activity.idle(idle_timeout) => true,
        _ = shutdown.wait_for(|stop| *stop) => false,
    };
    conn.as_mut().graceful_shutdown();
    if idle {
        tracing::debug!(?peer, "closing an idle connection");
        let _ = tokio::time::timeout(CLOSE_GRACE, conn).await;
    } else {
        let _ = conn.await;
    }
}
