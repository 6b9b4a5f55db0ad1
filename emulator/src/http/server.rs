//! The listener, the registry of connections (one thread each, up to the cap) and
//! shutdown. Serving one connection is `serve.rs`.

use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::core::config::EmulatorConfig;
use crate::core::persist::StateFile;
use crate::core::random;
use crate::core::state::State;
use crate::core::state_guard::StateGuard;
use crate::http::accept;
use crate::http::refuse::Refuser;
use crate::http::serve::serve;
use crate::http::{Connection, Response, Timeouts};

/// How long `stop` waits for each attempt to connect to its own listener.
const WAKE_TIMEOUT: Duration = Duration::from_secs(2);

/// The open connections: a clone of each socket (to shut it down on stop) and every
/// connection thread not joined yet.
#[derive(Default)]
struct Connections {
    next_id: u64,
    streams: HashMap<u64, TcpStream>,
    /// The connections waiting for their next request (`close_idle`).
    idle: HashSet<u64>,
    handles: Vec<JoinHandle<()>>,
}

/// What every thread of one emulator shares.
pub(crate) struct Shared {
    pub(crate) config: EmulatorConfig,
    pub(crate) addr: SocketAddr,
    state: Mutex<State>,
    /// Where the state is kept across restarts, if anywhere.
    state_file: Option<StateFile>,
    requests: AtomicU64,
    connections: AtomicU64,
    refused: AtomicU64,
    /// TLS handshakes completed in full, and by resuming an earlier session.
    full_handshakes: AtomicU64,
    resumed_handshakes: AtomicU64,
    /// Bumped by each reset, so a connection used again after a reset counts again.
    generation: AtomicU64,
    stopping: AtomicBool,
    stop_lock: Mutex<()>,
    stop_cv: Condvar,
    request_seq: AtomicU64,
    request_prefix: String,
    conns: Mutex<Connections>,
    /// The CA and TLS settings when the emulator serves https.
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<crate::http::tls::Tls>,
}

impl Shared {
    /// `https` when the emulator serves TLS, else `http`.
    pub(crate) fn scheme(&self) -> &'static str {
        if self.config.tls {
            "https"
        } else {
            "http"
        }
    }

    /// The CA clients trust, as PEM, when the emulator serves https.
    pub(crate) fn ca_pem(&self) -> Option<&str> {
        #[cfg(feature = "tls")]
        {
            self.tls.as_ref().map(|tls| tls.ca_pem.as_str())
        }
        #[cfg(not(feature = "tls"))]
        {
            None
        }
    }

    /// The socket of an accepted connection, under TLS when the emulator serves https.
    fn stream(&self, tcp: TcpStream) -> Option<crate::http::Stream> {
        #[cfg(feature = "tls")]
        if let Some(tls) = &self.tls {
            let conn = rustls::ServerConnection::new(Arc::clone(&tls.config)).ok()?;
            return Some(crate::http::Stream::Tls(Box::new(
                rustls::StreamOwned::new(conn, tcp),
            )));
        }
        Some(crate::http::Stream::Plain(tcp))
    }
    /// The state, even if a thread panicked while holding it; written to the state file,
    /// if there is one, when a guard that changed it is dropped.
    pub(crate) fn state(&self) -> StateGuard<'_> {
        let guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let file = self
            .state_file
            .as_ref()
            .map(|file| (file, self.config.app_id.as_str()));
        StateGuard::new(guard, file)
    }

    fn conns(&self) -> MutexGuard<'_, Connections> {
        self.conns.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new request id: a random per-emulator prefix and a counter.
    pub(crate) fn request_id(&self) -> String {
        let n = self.request_seq.fetch_add(1, Ordering::Relaxed);
        format!("{}{:08x}", self.request_prefix, n)
    }

    /// The traffic counters since the start or the last reset.
    pub(crate) fn stats(&self) -> crate::EmulatorStats {
        let full_handshakes = self.full_handshakes.load(Ordering::SeqCst);
        let resumed_handshakes = self.resumed_handshakes.load(Ordering::SeqCst);
        crate::EmulatorStats {
            requests: self.requests.load(Ordering::SeqCst),
            connections: self.connections.load(Ordering::SeqCst),
            refused_connections: self.refused.load(Ordering::SeqCst),
            tls_connections: full_handshakes + resumed_handshakes,
            full_handshakes,
            resumed_handshakes,
        }
    }

    /// Counts a completed TLS handshake: `resumed` when the client resumed a session.
    pub(crate) fn count_handshake(&self, resumed: bool) {
        let counter = match resumed {
            true => &self.resumed_handshakes,
            false => &self.full_handshakes,
        };
        counter.fetch_add(1, Ordering::SeqCst);
    }

    /// Marks connection `id` as waiting for its next request (`idle`), or not.
    pub(crate) fn set_idle(&self, id: u64, idle: bool) {
        let mut conns = self.conns();
        if idle {
            conns.idle.insert(id);
        } else {
            conns.idle.remove(&id);
        }
    }

    /// Closes every connection waiting for its next request, as a server whose keep-alive
    /// time ran out does; answers how many it closed. A connection in the middle of a
    /// request is left alone.
    pub(crate) fn close_idle(&self) -> usize {
        let mut conns = self.conns();
        let idle: Vec<u64> = conns.idle.drain().collect();
        idle.iter()
            .filter_map(|id| conns.streams.get(id))
            .filter(|stream| stream.shutdown(Shutdown::Both).is_ok())
            .count()
    }

    /// Brings users, codes, tokens, clock, faults and counters back to a fresh start.
    pub(crate) fn reset(&self) {
        let fresh = State::new(&self.config).unwrap_or_else(|_| State::empty());
        let mut state = self.state();
        *state = fresh;
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.requests.store(0, Ordering::SeqCst);
        self.connections.store(0, Ordering::SeqCst);
        self.refused.store(0, Ordering::SeqCst);
        self.full_handshakes.store(0, Ordering::SeqCst);
        self.resumed_handshakes.store(0, Ordering::SeqCst);
    }

    /// Whether the emulator is stopping.
    pub(crate) fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Counts one request, and its connection once per reset generation (`counted`
    /// remembers the generation the connection was last counted in).
    pub(crate) fn count_request(&self, counted: &mut Option<u64>) {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let generation = self.generation.load(Ordering::SeqCst);
        if *counted != Some(generation) {
            *counted = Some(generation);
            self.connections.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Waits for `d` unless the emulator stops first; `false` when it stopped. A wait
    /// too long to compute ends only with the emulator.
    pub(crate) fn pause(&self, d: Duration) -> bool {
        let deadline = Instant::now().checked_add(d);
        let mut guard = self
            .stop_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        loop {
            if self.stopping.load(Ordering::SeqCst) {
                return false;
            }
            let Some(deadline) = deadline else {
                guard = self
                    .stop_cv
                    .wait(guard)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            };
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

/// A running server: the shared state, the accept thread and the thread that lingers
/// over refused connections.
pub(crate) struct Server {
    pub(crate) shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
    refuse: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts serving on a bound listener.
    pub(crate) fn start(listener: TcpListener, config: EmulatorConfig) -> std::io::Result<Server> {
        #[cfg(feature = "tls")]
        let tls = match config.tls {
            true => Some(crate::http::tls::Tls::new(&config.tls_names)?),
            false => None,
        };
        #[cfg(not(feature = "tls"))]
        if config.tls {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Unsupported,
                "tls needs authing-emulator's `tls` feature",
            ));
        }
        let (state, state_file) = StateFile::open(&config)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            addr,
            state: Mutex::new(state),
            state_file,
            requests: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            full_handshakes: AtomicU64::new(0),
            resumed_handshakes: AtomicU64::new(0),
            generation: AtomicU64::new(0),
            stopping: AtomicBool::new(false),
            stop_lock: Mutex::new(()),
            stop_cv: Condvar::new(),
            request_seq: AtomicU64::new(0),
            request_prefix: random::hex(8),
            conns: Mutex::new(Connections::default()),
            #[cfg(feature = "tls")]
            tls,
        });
        let (refuser, refuse) = Refuser::start()?;
        let inner = Arc::clone(&shared);
        // The refuser moves into the accept thread: when that thread ends, the lingering
        // thread ends too.
        let accept = std::thread::Builder::new()
            .name("authing-emulator-accept".to_owned())
            .spawn(move || accept_loop(&inner, &listener, &refuser))?;
        Ok(Server {
            shared,
            accept: Some(accept),
            refuse: Some(refuse),
        })
    }

    /// Stops accepting, cuts pending delays short, shuts every connection down and joins
    /// every thread; the listening socket is closed when this returns.
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
        if let Some(handle) = self.accept.take() {
            // The accept thread is blocked in `accept`: a connection of our own wakes it,
            // it sees the stop flag and returns, dropping the listener.
            let mut wake = shared.addr;
            if wake.ip().is_unspecified() {
                wake.set_ip(match wake {
                    SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                    SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
                });
            }
            let woke = (0..3).any(|_| TcpStream::connect_timeout(&wake, WAKE_TIMEOUT).is_ok());
            if woke || handle.is_finished() {
                let _ = handle.join();
                // The accept thread dropped the refuser: the lingering thread returns.
                if let Some(refuse) = self.refuse.take() {
                    let _ = refuse.join();
                }
            }
        }
        // No connection is registered any more: shut every open one down (which ends a
        // blocked read or write at once) and join its thread.
        let handles = {
            let mut conns = shared.conns();
            for stream in conns.streams.values() {
                let _ = stream.shutdown(Shutdown::Both);
            }
            std::mem::take(&mut conns.handles)
        };
        for handle in handles {
            let _ = handle.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener, refuser: &Refuser) {
    accept::run(
        || {
            let accepted = listener.accept();
            (!shared.stopping.load(Ordering::SeqCst)).then(|| accepted.map(|(stream, _)| stream))
        },
        |stream| start_connection(shared, stream, refuser),
        |wait| shared.pause(wait),
    );
}

/// Registers an accepted connection and starts its thread, or refuses it when
/// `max_connections` are open.
fn start_connection(shared: &Arc<Shared>, stream: TcpStream, refuser: &Refuser) {
    let mut conns = shared.conns();
    if conns.streams.len() >= shared.config.max_connections {
        drop(conns);
        shared.refused.fetch_add(1, Ordering::SeqCst);
        refuser.refuse(stream, &too_many_connections(shared));
        return;
    }
    let idle = Some(shared.config.idle_timeout);
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(idle);
    let _ = stream.set_write_timeout(idle);
    let copy = match stream.try_clone() {
        Ok(copy) => copy,
        Err(e) => {
            // Out of descriptors, most likely: refuse it rather than close it unanswered.
            drop(conns);
            shared.refused.fetch_add(1, Ordering::SeqCst);
            refuser.refuse(stream, &cannot_serve(shared, &e));
            return;
        }
    };
    conns.handles.retain(|h| !h.is_finished());
    let id = conns.next_id;
    conns.next_id += 1;
    conns.streams.insert(id, copy);
    let registered = Registered {
        shared: Arc::clone(shared),
        id,
    };
    // Unlocked before the spawn: a spawn that fails drops `registered`, which locks.
    drop(conns);
    let spawned = std::thread::Builder::new()
        .name("authing-emulator-conn".to_owned())
        .spawn(move || {
            let shared = &registered.shared;
            let timeouts = Timeouts {
                idle: shared.config.idle_timeout,
                head: shared.config.head_timeout,
                body: shared.config.body_timeout,
            };
            if let Some(stream) = shared.stream(stream) {
                serve(shared, registered.id, Connection::new(stream, timeouts));
            }
        });
    // On failure the closure is gone, and with it both sockets: the client sees a close.
    if let Ok(handle) = spawned {
        shared.conns().handles.push(handle);
    }
}

/// A connection in the registry: taken out when its thread ends, however it ends.
struct Registered {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut conns = self.shared.conns();
        conns.streams.remove(&self.id);
        conns.idle.remove(&self.id);
    }
}

/// The answer to a connection beyond `max_connections`: HTTP 503 with an envelope.
fn too_many_connections(shared: &Shared) -> Response {
    let message = format!(
        "too many connections: the emulator serves at most {} at once; try again when one \
         closes",
        shared.config.max_connections
    );
    unavailable(shared, message)
}

/// The answer to a connection the emulator cannot register (out of file descriptors):
/// HTTP 503 with an envelope.
fn cannot_serve(shared: &Shared, error: &std::io::Error) -> Response {
    unavailable(shared, format!("cannot serve this connection now: {error}"))
}

fn unavailable(shared: &Shared, message: String) -> Response {
    Response::json_status(
        503,
        &json!({"statusCode": 503, "message": message, "requestId": shared.request_id()}),
    )
}
