//! Accepting connections: HTTP/1.1 and HTTP/2 with a header read timeout,
//! the model watcher, and graceful shutdown.

use std::future::Future;
use std::sync::Arc;

use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::config::ServerConfig;
use crate::error::{Error, Result};
use crate::model::{ModelHandle, Reload};
use crate::routes::{router, AppState};

/// Serves the API on `listener` until `shutdown` completes, then lets open
/// connections finish (up to the shutdown grace period).
///
/// While serving, the model file (if any) is checked for changes every
/// watch interval and reloaded on SIGHUP.
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
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let local = listener.local_addr().map_err(Error::Serve)?;
    tracing::info!(address = %local, model = %state.model().current().version, "serving");

    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(conn) => conn,
                    Err(e) => {
                        // Out of file descriptors and the like: back off, keep serving.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(app.clone());
                let conn = builder
                    .serve_connection_with_upgrades(TokioIo::new(stream), service)
                    .into_owned();
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(%peer, error = %e, "connection ended with an error");
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: finishing open requests");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(config.shutdown_grace) => {
            tracing::warn!(grace = ?config.shutdown_grace, "connections still open after the grace period; closing");
        }
    }
    watcher.abort();
    Ok(())
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
