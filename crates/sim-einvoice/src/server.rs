//! Serving a router connection by connection, so a handler can end its connection without
//! answering (closed, or reset with a TCP RST). `axum::serve` cannot: a handler there always
//! produces a response.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::{Extension, Router};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;

/// Lets a handler end the connection it is served on.
#[derive(Clone, Default)]
pub struct ConnectionKill {
    notify: Arc<Notify>,
    reset: Arc<AtomicBool>,
}

impl ConnectionKill {
    /// Closes the connection without answering, then never returns.
    pub async fn close(&self) -> ! {
        self.notify.notify_one();
        std::future::pending().await
    }

    /// Resets the connection (TCP RST) without answering, then never returns.
    pub async fn reset(&self) -> ! {
        self.reset.store(true, Ordering::SeqCst);
        self.close().await
    }
}

/// A running server: its address, and the means to stop it.
pub struct Running {
    /// The address the server listens on.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Running {
    /// Stops accepting connections and ends the server task.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.abort();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds `127.0.0.1:port` (0 picks a free port) and serves `router` until stopped.
pub async fn serve(port: u16, router: Router) -> std::io::Result<Running> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let (stop_tx, mut stop_rx) = oneshot::channel();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = &mut stop_rx => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(serve_connection(stream, router.clone()));
                }
            }
        }
    });
    Ok(Running { addr, stop: Some(stop_tx), task })
}

async fn serve_connection(stream: tokio::net::TcpStream, router: Router) {
    #[cfg(unix)]
    let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
    let kill = ConnectionKill::default();
    let service = TowerToHyperService::new(router.layer(Extension(kill.clone())));
    let connection = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = kill.notify.notified() => {
            #[cfg(unix)]
            if kill.reset.load(Ordering::SeqCst) {
                // SAFETY: the connection, which owns the socket, is alive until the end of
                // this block, so the descriptor is open while it is borrowed here.
                let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
                let _ = socket2::SockRef::from(&fd).set_linger(Some(std::time::Duration::ZERO));
            }
            // Dropping the connection closes the socket; with a zero linger, as a reset.
        }
    }
}
