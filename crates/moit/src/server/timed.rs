//! Connections that cannot be held open for nothing: the first request's header must
//! arrive within [`ServerTimeouts::header_read`], a connection on which nothing moves for
//! [`ServerTimeouts::idle`] is closed, and none lives longer than
//! [`ServerTimeouts::lifetime`] (a client dripping one byte at a time).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep, sleep_until};

/// How long a connection may take or wait; the defaults unless an embedder or a test
/// shortens them (not saved with the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerTimeouts {
    /// The first request's header must be complete within this time after connecting.
    pub header_read: Duration,
    /// Nothing read or written for this long closes the connection.
    pub idle: Duration,
    /// No connection is kept longer than this.
    pub lifetime: Duration,
}

impl Default for ServerTimeouts {
    fn default() -> Self {
        ServerTimeouts {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(60),
            lifetime: Duration::from_secs(5 * 60),
        }
    }
}

/// The peer's address, as the handlers see it through `ConnectInfo`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peer(pub(crate) SocketAddr);

pub(crate) struct TimedListener {
    pub(crate) inner: TcpListener,
    pub(crate) timeouts: ServerTimeouts,
}

impl axum::serve::Listener for TimedListener {
    type Io = TimedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        (TimedStream::new(io, self.timeouts), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

impl Connected<IncomingStream<'_, TimedListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, TimedListener>) -> Self {
        Peer(*stream.remote_addr())
    }
}

pub(crate) struct TimedStream {
    inner: TcpStream,
    timeouts: ServerTimeouts,
    /// Until the first header is complete: its deadline; then none.
    header_deadline: Option<Instant>,
    /// The last bytes read, to find the end of the first header across reads.
    tail: [u8; 3],
    end_of_life: Instant,
    timer: Pin<Box<Sleep>>,
}

impl TimedStream {
    fn new(inner: TcpStream, timeouts: ServerTimeouts) -> TimedStream {
        let now = Instant::now();
        let header_deadline = now + timeouts.header_read;
        let mut stream = TimedStream {
            inner,
            timeouts,
            header_deadline: Some(header_deadline),
            tail: [0; 3],
            end_of_life: now + timeouts.lifetime,
            timer: Box::pin(sleep_until(now)),
        };
        stream.reset_timer(now);
        stream
    }

    fn deadline(&self, last_activity: Instant) -> Instant {
        let mut deadline = (last_activity + self.timeouts.idle).min(self.end_of_life);
        if let Some(header) = self.header_deadline {
            deadline = deadline.min(header);
        }
        deadline
    }

    fn reset_timer(&mut self, now: Instant) {
        let deadline = self.deadline(now);
        self.timer.as_mut().reset(deadline);
    }

    /// Notes the bytes read; the header ends at the first empty line.
    fn saw(&mut self, bytes: &[u8]) {
        if self.header_deadline.is_none() || bytes.is_empty() {
            return;
        }
        let mut window: Vec<u8> = self.tail.to_vec();
        window.extend_from_slice(bytes);
        if window.windows(4).any(|w| w == b"\r\n\r\n") {
            self.header_deadline = None;
        }
        let keep = window.len().min(3);
        self.tail = [0; 3];
        self.tail[3 - keep..].copy_from_slice(&window[window.len() - keep..]);
    }

    fn timed_out(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                tracing::info!("MOIT report server: connection closed (too slow or idle)");
                Some(io::Error::new(io::ErrorKind::TimedOut, "connection too slow or idle"))
            }
            Poll::Pending => None,
        }
    }
}

impl AsyncRead for TimedStream {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let read = buf.filled()[before..].to_vec();
                self.saw(&read);
                if !read.is_empty() {
                    self.reset_timer(Instant::now());
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => match self.timed_out(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for TimedStream {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, data) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.reset_timer(Instant::now());
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => match self.timed_out(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
