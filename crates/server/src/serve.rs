//! Accepting connections: the router on hyper with the timeouts that `axum::serve` cannot
//! set (a request's headers, a connection on which nothing moves), and the client's address
//! for the sign-in limits (`ConnectInfo<SocketAddr>`).

use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// The connection-level timeouts (the per-request one is a layer of the router).
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// A request's headers must have arrived this long after the connection opened or the
    /// previous answer ended (hyper's header-read timer, which also runs while a
    /// keep-alive connection waits for its next request).
    pub header: Duration,
    /// Nothing read or written for this long closes the connection.
    pub idle: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (idle connections are closed at once).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    // HTTP/1.1 only, as before (the router never needed HTTP/2 behind a proxy).
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(timeouts.header);
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                // Out of file descriptors and the like: the listener still works once some
                // connections close, so wait a little rather than stop serving.
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            request
        });
        let io = TokioIo::new(IdleTimeout::new(stream, timeouts.idle));
        let connection = graceful.watch(builder.serve_connection(io, TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %remote, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// A stream that fails with `TimedOut` once nothing has moved in either direction for
/// `timeout`: a client that trickles a body, or stops reading an answer, is let go.
///
/// Moving bytes only notes the time; the timer is moved when it fires early. Resetting it on
/// every read and write took the timer wheel's lock several times per request.
struct IdleTimeout<S> {
    inner: S,
    timeout: Duration,
    /// When bytes last moved.
    last: Instant,
    deadline: Pin<Box<Sleep>>,
}

impl<S> IdleTimeout<S> {
    fn new(inner: S, timeout: Duration) -> Self {
        IdleTimeout { inner, timeout, last: Instant::now(), deadline: Box::pin(tokio::time::sleep(timeout)) }
    }

    fn moved(&mut self) {
        self.last = Instant::now();
    }

    /// A write that moved bytes resets the deadline; one that cannot go on yet waits for it.
    fn after_write(&mut self, cx: &mut Context<'_>, written: Poll<io::Result<usize>>) -> Poll<io::Result<usize>> {
        match written {
            Poll::Ready(result) => {
                if matches!(result, Ok(n) if n > 0) {
                    self.moved();
                }
                Poll::Ready(result)
            }
            Poll::Pending => self.poll_deadline(cx),
        }
    }

    /// Called when the stream has nothing to give: `Ready(TimedOut)` once `timeout` has passed
    /// since bytes last moved; a timer that fires earlier is moved on to that instant.
    fn poll_deadline<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        loop {
            ready!(self.deadline.as_mut().poll(cx));
            let due = self.last + self.timeout;
            if Instant::now() >= due {
                return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the connection was idle too long")));
            }
            self.deadline.as_mut().reset(due);
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for IdleTimeout<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    self.moved();
                }
                Poll::Ready(result)
            }
            Poll::Pending => self.poll_deadline(cx),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write(cx, data);
        self.after_write(cx, written)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending => self.poll_deadline(cx),
            ready => ready,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.after_write(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
