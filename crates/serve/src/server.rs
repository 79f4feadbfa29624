//! Accepting connections (HTTP/1.1 and HTTP/2) up to the connection limit,
//! the model watcher, and graceful shutdown.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::config::ServerConfig;
use crate::connection::{raise_fd_limit, serve_connection};
use crate::error::{Error, Result};
use crate::model::{ModelHandle, Reload};
use crate::routes::{router, AppState};

/// Serves the API on `listener` until `shutdown` completes, then lets open
/// connections finish (up to the shutdown grace period).
///
/// At most `max_connections` connections are open at once (fewer if the
/// file-descriptor limit, raised to its maximum first, allows fewer); past
/// that, new connections wait in the listen backlog. While serving, the
/// model file (if any) is checked for changes every watch interval and
/// reloaded on SIGHUP.
pub async fn serve(
    config: ServerConfig,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    let state = AppState::new(&config)?;
    let app = router(state.clone());
    let watcher = tokio::spawn(watch_model(state.clone(), config.watch_interval));

    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(config.read_timeout);
    builder.http2().timer(TokioTimer::new());
    let max_connections = connection_limit(config.max_connections);
    let slots = Arc::new(Semaphore::new(max_connections));
    let (closing, closing_rx) = watch::channel(false);
    let local = listener.local_addr().map_err(Error::Serve)?;
    tracing::info!(address = %local, model = %state.model().current().version, max_connections, "serving");

    tokio::pin!(shutdown);
    loop {
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                tracing::warn!(
                    max_connections,
                    "connection limit reached; new connections wait until one closes"
                );
                tokio::select! {
                    slot = slots.clone().acquire_owned() => slot.expect("the connection semaphore is never closed"),
                    () = &mut shutdown => break,
                }
            }
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: back off, keep serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        tokio::spawn(serve_connection(
            builder.clone(),
            stream,
            app.clone(),
            config.idle_timeout,
            closing_rx.clone(),
            slot,
        ));
    }
    drop(listener);
    tracing::info!("shutting down: finishing open requests");
    let _ = closing.send(true);
    let all_closed = slots.acquire_many(u32::try_from(max_connections).unwrap_or(u32::MAX));
    tokio::select! {
        _ = all_closed => tracing::info!("all connections closed"),
        () = tokio::time::sleep(config.shutdown_grace) => {
            tracing::warn!(grace = ?config.shutdown_grace, "connections still open after the grace period; closing");
        }
    }
    watcher.abort();
    Ok(())
}

/// `wanted`, or fewer when the open-file limit cannot hold that many.
fn connection_limit(wanted: usize) -> usize {
    let fit = raise_fd_limit().unwrap_or(usize::MAX);
    let limit = wanted.min(fit).min(u32::MAX as usize);
    if limit < wanted {
        tracing::warn!(
            wanted,
            limit,
            "the open file limit allows fewer connections than configured"
        );
    }
    limit
}

/// Reloads the model when its file changes, and on SIGHUP.
async fn watch_model(state: Arc<AppState>, interval: std::time::Duration) {
    let handle: Arc<ModelHandle> = state.model().clone();
    if handle.path().is_none() {
        return;
    }
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    #[cfg(unix)]
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        #[cfg(unix)]
        let forced = tokio::select! {
            _ = ticks.tick() => false,
            Some(()) = async { match hangup.as_mut() { Some(h) => h.recv().await, None => std::future::pending().await } } => true,
        };
        #[cfg(not(unix))]
        let forced = {
            ticks.tick().await;
            false
        };
        let handle = handle.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            if forced {
                handle.reload()
            } else {
                handle.reload_if_changed()
            }
        })
        .await;
        match outcome {
            Ok(Reload::Swapped(_)) => state.metrics().observe_reload("swapped"),
            Ok(Reload::Refused(_)) => state.metrics().observe_reload("refused"),
            _ => {}
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
