//! The HTTP server: accepts connections within a budget and shuts down within a bound.
//!
//! `axum::serve` has no header-read timeout, no limit on connections and waits for every
//! connection at shutdown, however slow its client. This loop serves the same router over
//! hyper with:
//! - a header read timeout, which also closes a kept-alive connection idle for that long;
//! - at most [`Limits::max_connections`] connections at once (more wait to be accepted), so a
//!   crowd of slow clients cannot use up the process's file descriptors;
//! - on SIGINT or SIGTERM: no new connections, idle ones closed, requests in flight given
//!   [`Limits::shutdown_grace`] to finish, and then every connection closed.
//!
//! Each request carries [`ConnectInfo<SocketAddr>`] with the client's address.

use axum::Router;
use axum::extract::ConnectInfo;
use axum::extract::Request;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::config::Limits;

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish
/// for at most `limits.shutdown_grace` before closing their connections.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true);
    let builder = Arc::new(builder);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        // Finished connections are forgotten as they end, so the set stays small.
        while connections.try_join_next().is_some() {}
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let (stream, remote) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = TowerToHyperService::new(tower::service_fn(move |mut req: Request<_>| {
            req.extensions_mut().insert(ConnectInfo(remote));
            app.clone().oneshot(req.map(axum::body::Body::new))
        }));
        let builder = builder.clone();
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let _slot = slot;
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!("connection from {remote} ended: {e}");
                    }
                    return;
                }
                _ = stopping.wait_for(|stop| *stop) => {}
            }
            // Shutting down: close once the request in flight (if any) is answered.
            connection.as_mut().graceful_shutdown();
            if let Err(e) = connection.await {
                tracing::debug!("connection from {remote} ended: {e}");
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let open = connections.len();
    if open > 0 {
        tracing::info!(
            "waiting up to {:?} for {open} connections",
            limits.shutdown_grace
        );
    }
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            "closing {} connections still open after {:?}",
            connections.len(),
            limits.shutdown_grace
        );
        connections.shutdown().await;
    }
    Ok(())
}
