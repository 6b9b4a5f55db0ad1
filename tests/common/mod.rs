//! What every test binary shares. Above all a scripted HTTP/1.1 server on loopback for the
//! SDK's wire tests: it records every request as raw bytes and answers from a script. Real
//! sockets, real HTTP; nothing of the SDK is mocked. Then the fixtures several binaries
//! use: the clients of the tests' app (`client_at`, `builder_at`, `english_client`), a
//! plain HTTP `agent`, `ten_profiles`, `live_threads`; and, beside this file, a recording
//! proxy (`proxy`), the forward proxies a client is configured to go through
//! (`connect_proxy`, `socks5_proxy`), a schema checker (`schema`), and a browser played by
//! plain HTTP (`browser`, the emulator tests' own file, included by path). A binary uses only some
//! of it, hence `allow(dead_code)`.
#![allow(dead_code)]

// The emulator's tests' browser, shared: it needs nothing of the SDK.
#[path = "../../emulator/tests/common/browser.rs"]
pub mod browser;
pub mod connect_proxy;
pub mod proxy;
pub mod schema;
pub mod socks5_proxy;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How long a test waits for something that should happen.
pub const DEADLINE: Duration = Duration::from_secs(10);
/// How long a test waits to be sure something does not happen.
pub const QUIET: Duration = Duration::from_millis(300);

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    pub path: String,
    /// Header names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn body_text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("utf-8 body")
    }
}

/// What the server does with a request.
#[derive(Clone)]
pub enum Reply {
    /// HTTP 200 with this JSON body.
    Json(String),
    /// A raw status, content type and body.
    Raw(u16, &'static str, String),
    /// Never answer; hold the connection until the client gives up.
    Hang,
    /// A 200 whose body is this many bytes of JSON-ish filler.
    Huge(usize),
    /// A raw status and body with extra header lines (`("retry-after", "7")`).
    Headed(u16, Vec<(&'static str, String)>, String),
    /// A raw status, content type, extra header lines and body (an image with its
    /// `set-cookie`).
    Typed(u16, &'static str, Vec<(&'static str, String)>, String),
}

pub struct Server {
    addr: SocketAddr,
    requests: Receiver<Captured>,
    stop: Arc<AtomicBool>,
    pub connections: Arc<AtomicUsize>,
}

impl Server {
    /// Answers every request with `reply`.
    pub fn start(reply: Reply) -> Server {
        Server::scripted(move |_| reply.clone())
    }

    /// Answers each request with what `script` says for it.
    pub fn scripted(script: impl Fn(&Captured) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        let script: Arc<dyn Fn(&Captured) -> Reply + Send + Sync> = Arc::new(script);
        let tx = Arc::new(Mutex::new(tx));
        {
            let stop = Arc::clone(&stop);
            let connections = Arc::clone(&connections);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let tx = Arc::clone(&tx);
                    let script = Arc::clone(&script);
                    thread::spawn(move || serve_connection(stream, &tx, script.as_ref()));
                }
            });
        }
        Server {
            addr,
            requests: rx,
            stop,
            connections,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next request the server received, waiting up to `DEADLINE`.
    pub fn next_request(&self) -> Captured {
        self.requests
            .recv_timeout(DEADLINE)
            .expect("the server received a request")
    }

    /// Asserts that no (further) request arrives within `QUIET`.
    pub fn assert_no_request(&self) {
        match self.requests.recv_timeout(QUIET) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(req) => panic!(
                "unexpected request on the wire: {} {}",
                req.method, req.path
            ),
            Err(RecvTimeoutError::Disconnected) => {}
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// Reads one HTTP/1.1 request (request line, headers, a `content-length` body) from
/// `reader`; `None` at the end of the stream or on a broken request. Shared by the plain
/// and the TLS scripted servers.
pub fn read_request(reader: &mut impl BufRead) -> Option<Captured> {
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Captured {
        method,
        path,
        headers,
        body,
    })
}

fn serve_connection(
    stream: TcpStream,
    tx: &Mutex<Sender<Captured>>,
    script: &(dyn Fn(&Captured) -> Reply + Send + Sync),
) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let Some(captured) = read_request(&mut reader) else {
            return;
        };
        // Recorded before the script runs, so a test can see a request the script holds.
        let _ = tx.lock().unwrap().send(captured.clone());
        let reply = script(&captured);
        let mut extra = String::new();
        let (status, content_type, body) = match reply {
            Reply::Json(body) => (200, "application/json; charset=utf-8", body),
            Reply::Raw(status, content_type, body) => (status, content_type, body),
            Reply::Huge(n) => (200, "application/json", "x".repeat(n)),
            Reply::Headed(status, headers, body) => {
                for (name, value) in headers {
                    extra.push_str(&format!("{name}: {value}\r\n"));
                }
                (status, "application/json; charset=utf-8", body)
            }
            Reply::Typed(status, content_type, headers, body) => {
                for (name, value) in headers {
                    extra.push_str(&format!("{name}: {value}\r\n"));
                }
                (status, content_type, body)
            }
            Reply::Hang => {
                // Hold the connection until the client closes it.
                let mut sink = Vec::new();
                let _ = reader.read_to_end(&mut sink);
                return;
            }
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\n{extra}content-length: {}\r\n\r\n",
            body.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(body.as_bytes()).is_err()
        {
            return;
        }
    }
}

/// A port on loopback where nothing listens.
pub fn refused_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// The number of threads in this process, read from the OS.
pub fn live_threads() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Threads:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// The app id the tests' clients send.
pub const APP_ID: &str = "demo-app";

/// A builder for a client of `APP_ID` at `base_url`, for tests that set more.
pub fn builder_at(base_url: impl Into<String>) -> authing::AuthClientBuilder {
    authing::AuthClient::builder()
        .app_id(APP_ID)
        .app_host(base_url)
}

/// A client of `APP_ID` at `base_url` with the default settings.
pub fn client_at(base_url: impl Into<String>) -> authing::AuthClient {
    builder_at(base_url).build().expect("valid test settings")
}

/// A client of the app `app_id` at `base_url` that asks for answers in English.
pub fn english_client(base_url: impl Into<String>, app_id: &str) -> authing::AuthClient {
    authing::AuthClient::builder()
        .app_id(app_id)
        .app_host(base_url)
        .lang(authing::Lang::EnUs)
        .build()
        .expect("valid test settings")
}

/// A plain HTTP client for what a test sends beside the SDK (to the emulator, or on behalf
/// of a spy): a non-2xx answer is an answer, not an error.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// `get_profile` on `client` from ten threads that start together; their answers.
pub fn ten_profiles(client: &authing::AuthClient) -> Vec<authing::AuthResponse> {
    let start = Arc::new(std::sync::Barrier::new(10));
    let threads: Vec<_> = (0..10)
        .map(|_| {
            let (client, start) = (client.clone(), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                client.get_profile_blocking(false, false, false)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

/// Waits until `holds`, failing with `what` at the deadline: for what the SDK or the
/// emulator does in the background a moment after something the test saw (an answer, a
/// sign-out), which signals nothing the test could wait on. It yields the processor
/// between looks (no fixed sleep), so it returns as soon as the change is there.
pub fn until(what: &str, holds: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + DEADLINE;
    while !holds() {
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: not by the deadline"
        );
        thread::yield_now();
    }
}

/// Waits until `client`'s signed-in user is no longer the partial one a sign-in starts
/// with (the claims of its id_token): a sign-in answers after its one request, and the full
/// profile (`GET /api/v3/get-profile`) follows on a worker, one loopback round trip later.
/// At once when nobody is signed in or the user is complete. Once it returns, that
/// get-profile is in a recording proxy's log (it records an exchange before it forwards
/// the answer).
pub fn full_profile(client: &authing::AuthClient) {
    until("the full profile replacing the id_token's user", || {
        !client.get_current_user().is_some_and(|u| u.is_partial())
    });
}

/// Fails unless `response` is a success (statusCode 200), saying its apiCode and message.
pub fn assert_ok(response: &authing::AuthResponse) {
    assert_eq!(
        response.status_code(),
        200,
        "{}: {}",
        response.api_code(),
        response.message()
    );
}
