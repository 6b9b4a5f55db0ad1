//! A recording HTTP/1.1 proxy on loopback: the SDK under test talks to it, it forwards every
//! request to an upstream server (the emulator) and records the exchange: method, path,
//! query, headers and body of the request, status, headers and body of the answer.
//!
//! It forwards bytes, not a re-made request: the request line and the headers go upstream
//! as they came (the `Host` header too, so the emulator's public config names the proxy as
//! the API host and app discovery keeps the SDK on the proxy). Only the framing changes:
//! a body goes on with `content-length` (a chunked one is decoded first). One upstream
//! connection per client connection, opened on the first request and opened again when the
//! upstream has closed an idle one. An upstream that cannot be reached gets the client an
//! HTTP 502, recorded like any answer.
//!
//! An exchange is recorded before the answer is forwarded, so once a blocking SDK call has
//! returned, its requests are all in the log. [`Proxy::connections`] counts the client
//! connections accepted (the handshakes the client paid); [`Proxy::start_on`] listens on
//! a given port (a host that was unreachable comes up).
//!
//! [`Proxy::hold_answer`] keeps the next answer to a path from the client until the test
//! lets it go: the server has done the work (issued the tokens), the client has not heard.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// One request and its answer, as they crossed the proxy.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    /// The request target without the query, e.g. `/api/v3/send-sms`.
    pub path: String,
    /// The raw query after `?`, if there was one.
    pub query: Option<String>,
    /// Request headers, names lowercased, in arrival order.
    pub request_headers: Vec<(String, String)>,
    pub request_body: Vec<u8>,
    pub status: u16,
    /// Answer headers, names lowercased, in arrival order.
    pub response_headers: Vec<(String, String)>,
    pub response_body: Vec<u8>,
}

impl Exchange {
    /// `"POST /api/v3/send-sms"`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The first request header called `name` (lowercase).
    pub fn request_header(&self, name: &str) -> Option<&str> {
        find(&self.request_headers, name)
    }

    /// The first answer header called `name` (lowercase).
    pub fn response_header(&self, name: &str) -> Option<&str> {
        find(&self.response_headers, name)
    }

    /// The request body as JSON.
    pub fn request_json(&self) -> Result<Value, String> {
        serde_json::from_slice(&self.request_body)
            .map_err(|e| format!("the request body is not json: {e}"))
    }

    /// The answer body as JSON.
    pub fn response_json(&self) -> Result<Value, String> {
        serde_json::from_slice(&self.response_body)
            .map_err(|e| format!("the answer body is not json: {e}"))
    }

    /// The query's `name=value` pairs, percent-decoded.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(decode_pairs).unwrap_or_default()
    }
}

/// `a=1&b=x%20y` as pairs, percent-decoded, `+` read as a space (a query string or an
/// `application/x-www-form-urlencoded` body).
pub fn decode_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(hi), Some(lo)) if hex(hi).is_some() && hex(lo).is_some() => {
                out.push((hex(hi).unwrap_or(0) * 16 + hex(lo).unwrap_or(0)) as u8);
                i += 2;
            }
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn find<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The proxy; dropping it stops it and closes the connections it holds.
pub struct Proxy {
    addr: SocketAddr,
    log: Arc<Log>,
    stop: Arc<AtomicBool>,
    clients: Arc<Mutex<Vec<TcpStream>>>,
    holds: Arc<Holds>,
    /// Client connections accepted so far.
    connections: Arc<AtomicUsize>,
}

/// The exchanges recorded, and a signal each time one is added.
#[derive(Default)]
struct Log {
    exchanges: Mutex<Vec<Exchange>>,
    grew: Condvar,
}

/// The answers to hold: per path, the signal that one is held and the release.
type Holds = Mutex<Vec<(String, Sender<()>, Receiver<()>)>>;

/// The next answer to one path, held by the proxy ([`Proxy::hold_answer`]).
pub struct AnswerHold {
    held: Receiver<()>,
    release: Option<Sender<()>>,
}

impl AnswerHold {
    /// Whether the answer arrived from upstream (and is held) within `timeout`.
    pub fn wait_held(&self, timeout: Duration) -> bool {
        self.held.recv_timeout(timeout).is_ok()
    }

    /// Lets the answer go to the client (dropping the hold does too).
    pub fn release(&mut self) {
        self.release.take();
    }
}

/// How long a held answer waits at most, so that a test that fails never hangs.
const HOLD_LIMIT: Duration = Duration::from_secs(60);

impl Proxy {
    /// Listens on `127.0.0.1:0` and forwards to `upstream`.
    pub fn start(upstream: SocketAddr) -> Proxy {
        Proxy::start_on("127.0.0.1:0".parse().expect("an address"), upstream)
    }

    /// Listens on `listen` (a port where a client was refused before, say) and forwards to
    /// `upstream`.
    pub fn start_on(listen: SocketAddr, upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind(listen).expect("bind loopback");
        let addr = listener.local_addr().expect("the proxy's address");
        let log = Arc::new(Log::default());
        let stop = Arc::new(AtomicBool::new(false));
        let clients = Arc::new(Mutex::new(Vec::new()));
        let holds: Arc<Holds> = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        {
            let accepted = Arc::clone(&connections);
            let (log, stop, clients) = (Arc::clone(&log), Arc::clone(&stop), Arc::clone(&clients));
            let holds = Arc::clone(&holds);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    accepted.fetch_add(1, Ordering::SeqCst);
                    if let Ok(clone) = stream.try_clone() {
                        lock(&clients).push(clone);
                    }
                    let log = Arc::clone(&log);
                    let holds = Arc::clone(&holds);
                    thread::spawn(move || serve(stream, upstream, &log, &holds));
                }
            });
        }
        Proxy {
            addr,
            log,
            stop,
            clients,
            holds,
            connections,
        }
    }

    /// The client connections accepted so far (each one TCP handshake the client paid).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Holds the next answer to `path` (query ignored): it is recorded, then kept from the
    /// client until [`AnswerHold::release`] (or for a minute at most).
    pub fn hold_answer(&self, path: &str) -> AnswerHold {
        let (held_tx, held_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel();
        lock(&self.holds).push((path.to_string(), held_tx, release_rx));
        AnswerHold {
            held: held_rx,
            release: Some(release_tx),
        }
    }

    /// `http://127.0.0.1:PORT`, for `AuthClientBuilder::app_host`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every exchange so far, oldest first.
    pub fn exchanges(&self) -> Vec<Exchange> {
        lock(&self.log.exchanges).clone()
    }

    /// Waits until `done` holds for the exchanges recorded so far, woken by each new one;
    /// whether it did before `deadline`.
    pub fn wait_until(&self, deadline: Instant, done: impl Fn(&[Exchange]) -> bool) -> bool {
        let mut exchanges = lock(&self.log.exchanges);
        loop {
            if done(&exchanges) {
                return true;
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            exchanges = self
                .log
                .grew
                .wait_timeout(exchanges, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Every exchange so far, oldest first, emptying the log.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *lock(&self.log.exchanges))
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        for client in lock(&self.clients).drain(..) {
            let _ = client.shutdown(Shutdown::Both);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A request or status line and its headers (names as sent).
struct Head {
    start: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn says_close(&self) -> bool {
        self.get("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }

    fn lowercased(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect()
    }

    /// The head as sent; with `Some(len)`, framed by `content-length: len` instead of the
    /// original `content-length` or `transfer-encoding`.
    fn write(&self, out: &mut Vec<u8>, len: Option<usize>) {
        out.extend_from_slice(self.start.as_bytes());
        out.extend_from_slice(b"\r\n");
        for (k, v) in &self.headers {
            let framing = k.eq_ignore_ascii_case("content-length")
                || k.eq_ignore_ascii_case("transfer-encoding");
            if framing && len.is_some() {
                continue;
            }
            out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        if let Some(len) = len {
            out.extend_from_slice(format!("content-length: {len}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// The head of the next message; `None` when the peer closed before sending a byte.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Head>> {
    let mut start = String::new();
    if reader.read_line(&mut start)? == 0 {
        return Ok(None);
    }
    let start = start.trim_end().to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "eof in headers",
            ));
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad header line"))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    Ok(Some(Head { start, headers }))
}

/// The body after `head`: chunked, `content-length`, or (for an answer that may have one
/// and says neither) everything up to the close.
fn read_body(reader: &mut impl BufRead, head: &Head, to_close: bool) -> io::Result<Vec<u8>> {
    if head
        .get("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        return read_chunked(reader);
    }
    if let Some(len) = head.get("content-length") {
        let len: usize = len
            .parse()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad content-length"))?;
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        return Ok(body);
    }
    let mut body = Vec::new();
    if to_close {
        reader.read_to_end(&mut body)?;
    }
    Ok(body)
}

fn read_chunked(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size)?;
        let size = size.trim().split(';').next().unwrap_or_default();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = String::new();
        reader.read_line(&mut crlf)?;
    }
}

/// One upstream connection.
struct Upstream {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Upstream {
    fn connect(addr: SocketAddr) -> io::Result<Upstream> {
        let stream = TcpStream::connect(addr)?;
        Ok(Upstream {
            writer: stream.try_clone()?,
            reader: BufReader::new(stream),
        })
    }

    /// Sends `request` and reads the answer's head; `None` when the connection was closed
    /// (an idle keep-alive connection the upstream dropped).
    fn ask(&mut self, request: &[u8]) -> io::Result<Option<Head>> {
        if self.writer.write_all(request).is_err() {
            return Ok(None);
        }
        match read_head(&mut self.reader) {
            Ok(head) => Ok(head),
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn serve(client: TcpStream, upstream_addr: SocketAddr, log: &Log, holds: &Holds) {
    let Ok(mut writer) = client.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(client);
    let mut upstream: Option<Upstream> = None;
    while let Ok(Some(head)) = read_head(&mut reader) {
        let Ok(body) = read_body(&mut reader, &head, false) else {
            return;
        };
        let mut parts = head.start.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let target = parts.next().unwrap_or_default();
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (target.to_string(), None),
        };
        let mut request = Vec::new();
        head.write(&mut request, Some(body.len()));
        request.extend_from_slice(&body);

        let answered = forward(&mut upstream, upstream_addr, &request, &method);
        let (answer_head, answer_body, bodiless) = match answered {
            Ok(answer) => answer,
            Err(e) => {
                upstream = None;
                let text = format!("proxy: the upstream {upstream_addr} failed: {e}");
                let head = Head {
                    start: "HTTP/1.1 502 Bad Gateway".into(),
                    headers: vec![
                        ("content-type".into(), "text/plain; charset=utf-8".into()),
                        ("connection".into(), "close".into()),
                    ],
                };
                (head, text.into_bytes(), false)
            }
        };
        if answer_head.says_close() {
            upstream = None;
        }
        let status = answer_head
            .start
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        lock(&log.exchanges).push(Exchange {
            method,
            path: path.clone(),
            query,
            request_headers: head.lowercased(),
            request_body: body,
            status,
            response_headers: answer_head.lowercased(),
            response_body: answer_body.clone(),
        });
        log.grew.notify_all();
        let hold = {
            let mut holds = lock(holds);
            let at = holds.iter().position(|(p, _, _)| *p == path);
            at.map(|i| holds.remove(i))
        };
        if let Some((_, held, release)) = hold {
            let _ = held.send(());
            let _ = release.recv_timeout(HOLD_LIMIT);
        }
        let mut out = Vec::new();
        // A bodiless answer (to HEAD, 1xx, 204, 304) keeps its head as it is.
        answer_head.write(&mut out, (!bodiless).then_some(answer_body.len()));
        out.extend_from_slice(&answer_body);
        if writer.write_all(&out).is_err() || answer_head.says_close() || head.says_close() {
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Sends one request upstream (on a fresh connection if the kept one is gone) and reads
/// the answer.
fn forward(
    upstream: &mut Option<Upstream>,
    addr: SocketAddr,
    request: &[u8],
    method: &str,
) -> io::Result<(Head, Vec<u8>, bool)> {
    let mut head = None;
    // A kept connection may have been closed while idle: then once more on a new one.
    for _ in 0..2 {
        let conn = match upstream {
            Some(conn) => conn,
            None => upstream.insert(Upstream::connect(addr)?),
        };
        match conn.ask(request)? {
            Some(h) => {
                head = Some(h);
                break;
            }
            None => *upstream = None,
        }
    }
    let head = head.ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the upstream closed without answering",
        )
    })?;
    let conn = upstream.as_mut().expect("an answered connection");
    let status: u16 = head
        .start
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let bodiless = method == "HEAD" || status / 100 == 1 || status == 204 || status == 304;
    let body = if bodiless {
        Vec::new()
    } else {
        read_body(&mut conn.reader, &head, true)?
    };
    Ok((head, body, bodiless))
}
