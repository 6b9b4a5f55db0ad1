//! The tiny_http server, its worker threads, fault injection and shutdown.

use std::collections::HashSet;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tiny_http::StatusCode;

use super::config::EmulatorConfig;
use super::http::{Request, Response};
use super::state::State;
use super::{admin, api, random, Fault};

/// Threads answering requests; each takes the next request tiny_http has read.
const WORKERS: usize = 8;
/// How long `drop` waits at most for tiny_http to close its listening socket.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// What every thread of one emulator shares.
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    pub(crate) addr: SocketAddr,
    state: Mutex<State>,
    requests: AtomicU64,
    /// Remote addresses seen since the start or the last reset: one per connection.
    peers: Mutex<HashSet<SocketAddr>>,
    stopping: AtomicBool,
    stop_lock: Mutex<()>,
    stop_cv: Condvar,
    request_seq: AtomicU64,
    request_prefix: String,
}

impl Shared {
    /// The state, even if a thread panicked while holding it.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn peers(&self) -> MutexGuard<'_, HashSet<SocketAddr>> {
        self.peers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new request id: a random per-emulator prefix and a counter.
    pub(crate) fn request_id(&self) -> String {
        let n = self.request_seq.fetch_add(1, Ordering::Relaxed);
        format!("{}{:08x}", self.request_prefix, n)
    }

    /// `(requests, connections)` since the start or the last reset.
    pub(crate) fn stats(&self) -> (u64, u64) {
        let connections = self.peers().len() as u64;
        (self.requests.load(Ordering::SeqCst), connections)
    }

    /// Brings users, codes, tokens, clock, faults and counters back to a fresh start.
    pub(crate) fn reset(&self) {
        let fresh = State::new(&self.config).unwrap_or_else(|_| State::empty());
        let mut state = self.state();
        *state = fresh;
        self.requests.store(0, Ordering::SeqCst);
        self.peers().clear();
    }

    /// Counts one request and, the first time its remote address shows up, its connection.
    fn count(&self, peer: Option<SocketAddr>) {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if let Some(peer) = peer {
            self.peers().insert(peer);
        }
    }

    /// Waits for `d` unless the emulator stops first; `false` when it stopped.
    fn pause(&self, d: Duration) -> bool {
        let deadline = Instant::now() + d;
        let mut guard = self
            .stop_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        loop {
            if self.stopping.load(Ordering::SeqCst) {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            guard = self
                .stop_cv
                .wait_timeout(guard, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// A running server: the shared state, the tiny_http server and the worker threads.
pub(crate) struct Server {
    pub(crate) shared: Arc<Shared>,
    http: Option<Arc<tiny_http::Server>>,
    workers: Vec<JoinHandle<()>>,
}

impl Server {
    /// Starts serving on a bound listener.
    pub(crate) fn start(listener: TcpListener, config: EmulatorConfig) -> io::Result<Server> {
        let state =
            State::new(&config).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let addr = listener.local_addr()?;
        let http = tiny_http::Server::from_listener(listener, None).map_err(io::Error::other)?;
        let shared = Arc::new(Shared {
            config,
            addr,
            state: Mutex::new(state),
            requests: AtomicU64::new(0),
            peers: Mutex::new(HashSet::new()),
            stopping: AtomicBool::new(false),
            stop_lock: Mutex::new(()),
            stop_cv: Condvar::new(),
            request_seq: AtomicU64::new(0),
            request_prefix: random::hex(8),
        });
        let mut server = Server {
            shared,
            http: Some(Arc::new(http)),
            workers: Vec::with_capacity(WORKERS),
        };
        for _ in 0..WORKERS {
            let shared = Arc::clone(&server.shared);
            let http = server.http.as_ref().map(Arc::clone);
            // On failure `server` is dropped, which stops the workers already started.
            let worker = std::thread::Builder::new()
                .name("authing-emulator-worker".to_owned())
                .spawn(move || {
                    if let Some(http) = http {
                        work(&shared, &http);
                    }
                })?;
            server.workers.push(worker);
        }
        Ok(server)
    }

    /// Cuts pending delays short, joins the workers, closes the listening socket and
    /// waits until it is closed.
    pub(crate) fn stop(&mut self) {
        let shared = &self.shared;
        {
            let _guard = shared
                .stop_lock
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            shared.stopping.store(true, Ordering::SeqCst);
            shared.stop_cv.notify_all();
        }
        let Some(http) = self.http.take() else {
            return;
        };
        // Each `unblock` makes exactly one blocked (or future) `recv` return an error, and
        // each worker leaves at its first error once stopping is set.
        for _ in &self.workers {
            http.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        // The workers are gone, so this is the last handle: tiny_http's `Drop` tells its
        // accept thread to stop, and that thread closes the listening socket.
        drop(http);
        wait_until_closed(shared.addr);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// tiny_http closes the listening socket on its own accept thread, which it does not
/// join: wait until connecting is refused, so the port can be bound again at once.
fn wait_until_closed(mut addr: SocketAddr) {
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
        });
    }
    let deadline = Instant::now() + CLOSE_WAIT;
    while Instant::now() < deadline {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => return,
            _ => std::thread::sleep(Duration::from_millis(1)),
        }
    }
}

/// One worker: answers requests until the emulator stops.
fn work(shared: &Shared, http: &tiny_http::Server) {
    loop {
        match http.recv() {
            Ok(request) => serve(shared, request),
            Err(_) if shared.stopping.load(Ordering::SeqCst) => return,
            Err(_) => {}
        }
    }
}

fn serve(shared: &Shared, mut raw: tiny_http::Request) {
    shared.count(raw.remote_addr().copied());
    let request = Request::read(&mut raw, shared.config.max_body_bytes);
    let fault = shared.state().take_fault(&request.path);
    let response = match fault {
        None => dispatch(shared, &request),
        Some(Fault::Delay(d)) => {
            if !shared.pause(d) {
                drop_connection(raw);
                return;
            }
            dispatch(shared, &request)
        }
        Some(Fault::DropConnection) => {
            drop_connection(raw);
            return;
        }
        Some(Fault::Status { status, body }) => {
            let trimmed = body.trim_start();
            let content_type = if trimmed.starts_with('{') || trimmed.starts_with('[') {
                "application/json; charset=utf-8"
            } else {
                "text/html; charset=utf-8"
            };
            Response {
                status,
                content_type,
                body: body.into_bytes(),
                retry_after: None,
            }
        }
        Some(Fault::MalformedBody) => Response {
            status: 200,
            content_type: "application/json; charset=utf-8",
            body: b"<html>this is not json".to_vec(),
            retry_after: None,
        },
    };
    let _ = raw.respond(response.into_tiny());
}

/// Makes the client give up on this exchange at once.
///
/// tiny_http cannot close a connection on its own (it drops a `Connection` header from a
/// response and keeps reading the next request), and an answer whose body never comes
/// leaves the client waiting for its own time-out. So the answer is a status line no HTTP
/// client accepts (`HTTP/1.1 0 Unknown`: the status code is not three digits) with an
/// empty body: the client fails with a protocol error and closes the connection itself.
fn drop_connection(raw: tiny_http::Request) {
    let _ = raw.respond(tiny_http::Response::empty(StatusCode(0)));
}

fn dispatch(shared: &Shared, request: &Request) -> Response {
    if request.path.starts_with("/emulator/") {
        admin::handle(shared, request)
    } else {
        api::handle(shared, request)
    }
}
