//! The HTTP server: the listener and its connections (`server.rs`, `accept.rs`,
//! `refuse.rs`), serving one connection (`serve.rs`), `multipart/form-data`
//! (`multipart.rs`), the gate of [`Fault::Hold`](crate::Fault::Hold) (`hold_gate.rs`), and
//! in this file the protocol itself.
//!
//! HTTP/1.1 on one `TcpStream`: the request line and headers are parsed by `httparse`,
//! bodies are read by `Content-Length` or chunked, `Expect: 100-continue` is answered,
//! and every answer is written in one piece. The socket stays ours, so a fault can close
//! it without answering and dropping the emulator can shut it down.

pub(crate) mod accept;
pub(crate) mod hold_gate;
pub(crate) mod multipart;
pub(crate) mod refuse;
pub(crate) mod serve;
pub(crate) mod server;
#[cfg(feature = "tls")]
pub(crate) mod tls;

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// The most headers one request may carry.
pub(crate) const MAX_HEADERS: usize = 64;
/// The largest request head (request line and headers), in bytes.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Bodies up to this size past the limit are read and thrown away, so the connection
/// stays usable; larger ones get their answer and the connection is closed.
const DRAIN_LIMIT: usize = 8 * 1024 * 1024;
/// How much is read from the socket at a time.
const READ_CHUNK: usize = 8 * 1024;
/// The longest chunk-size line of a chunked body.
const MAX_CHUNK_LINE: usize = 1024;
/// After a close decided by the server, how long the client's unread bytes are drained
/// so that it gets the answer rather than a reset.
pub(crate) const LINGER: Duration = Duration::from_secs(1);
/// How many bytes are drained at most while lingering.
pub(crate) const LINGER_BYTES: usize = 1024 * 1024;

/// One request, read into memory.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
    /// The query string, without `?` (empty when there is none), still percent-encoded.
    pub(crate) query: String,
    /// The authority of an absolute-form request target, which stands for the `Host`
    /// header (RFC 9112 §3.2.2); `None` for the other forms.
    pub(crate) authority: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// The body was larger than allowed (and is not in `body`).
    pub(crate) too_large: bool,
    /// The connection must close after the answer.
    pub(crate) close: bool,
}

impl Request {
    /// The value of a header, the name matched in any case.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header, the name matched in any case.
    fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One answer.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    /// Headers beyond `Content-Type`, `Content-Length` and `Connection`, e.g.
    /// `Retry-After` or `Allow`.
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Response {
    /// A JSON answer with HTTP status 200.
    pub(crate) fn json(value: &serde_json::Value) -> Response {
        Response::json_status(200, value)
    }

    /// A JSON answer with the given HTTP status.
    pub(crate) fn json_status(status: u16, value: &serde_json::Value) -> Response {
        Response {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec(value).unwrap_or_default(),
            headers: Vec::new(),
        }
    }

    /// The answer as it goes on the wire: status line, headers (`Connection: close` when
    /// `close`), and the body unless `head_only`.
    pub(crate) fn to_bytes(&self, close: bool, head_only: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(160 + self.body.len());
        let _ = write!(
            out,
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            let _ = write!(out, "{name}: {value}\r\n");
        }
        if close {
            out.extend_from_slice(b"Connection: close\r\n");
        }
        out.extend_from_slice(b"\r\n");
        if !head_only {
            out.extend_from_slice(&self.body);
        }
        out
    }

    /// The same answer with another HTTP status.
    pub(crate) fn status(mut self, status: u16) -> Response {
        self.status = status;
        self
    }

    /// The same answer with one more header.
    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// Why reading a request stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// The peer closed the connection between requests.
    Closed,
    /// The bytes are not HTTP (or not HTTP this server reads); answer 400 and close.
    Malformed,
    /// The request head has more than [`MAX_HEADERS`] headers or more than [`MAX_HEAD`]
    /// bytes; answer 431 and close.
    HeadTooLarge,
    /// The head or the body did not arrive whole within its time-out; answer 408 and
    /// close.
    TimedOut(Phase),
    /// The socket failed, was idle too long or was shut down, or closed in the middle of
    /// a request.
    Io,
}

/// Which part of a request is being read, for its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The request line and headers, from their first byte.
    Head,
    /// The body, from the end of the head.
    Body,
}

/// How long a connection may take: silent at any moment (`idle`), and in all to send a
/// request head (`head`, from its first byte) or a body (`body`, from the end of the head).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub(crate) idle: Duration,
    pub(crate) head: Duration,
    pub(crate) body: Duration,
}

/// The request line and headers of one request.
struct Head {
    method: String,
    path: String,
    query: String,
    authority: Option<String>,
    http10: bool,
    headers: Vec<(String, String)>,
}

/// A client's socket, plain or under TLS (`tls.rs`).
pub(crate) enum Stream {
    Plain(TcpStream),
    #[cfg(feature = "tls")]
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

impl Stream {
    /// The TCP socket under it.
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            #[cfg(feature = "tls")]
            Stream::Tls(tls) => &tls.sock,
        }
    }

    pub(crate) fn set_read_timeout(&self, d: Option<Duration>) -> io::Result<()> {
        self.tcp().set_read_timeout(d)
    }

    /// Another handle to the TCP socket under it, to cut it from another place.
    pub(crate) fn try_clone_tcp(&self) -> io::Result<TcpStream> {
        self.tcp().try_clone()
    }

    /// Shuts the socket down; under TLS, ends the sending side with a close_notify first.
    fn shutdown(&mut self, how: Shutdown) -> io::Result<()> {
        #[cfg(feature = "tls")]
        if let (Stream::Tls(tls), Shutdown::Write) = (&mut *self, how) {
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
        self.tcp().shutdown(how)
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.read(buf),
            #[cfg(feature = "tls")]
            Stream::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.write(buf),
            #[cfg(feature = "tls")]
            Stream::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(tcp) => tcp.flush(),
            #[cfg(feature = "tls")]
            Stream::Tls(tls) => tls.flush(),
        }
    }
}

/// One client connection: the socket, the bytes read from it but not used yet, and the
/// deadline of the part of a request being read.
pub(crate) struct Connection {
    stream: Stream,
    buf: Vec<u8>,
    timeouts: Timeouts,
    deadline: Option<(Instant, Phase)>,
}

impl Connection {
    /// Wraps an accepted socket.
    pub(crate) fn new(stream: Stream, timeouts: Timeouts) -> Connection {
        Connection {
            stream,
            buf: Vec::with_capacity(READ_CHUNK),
            timeouts,
            deadline: None,
        }
    }

    /// Starts the clock of `phase`.
    fn start(&mut self, phase: Phase) {
        let limit = match phase {
            Phase::Head => self.timeouts.head,
            Phase::Body => self.timeouts.body,
        };
        self.deadline = Some((Instant::now() + limit, phase));
    }

    /// Reads more bytes into the buffer; `Ok(0)` at the end of the stream. A read waits
    /// at most the idle time-out, and never past the deadline of the current phase.
    fn fill(&mut self) -> Result<usize, ReadError> {
        let start = self.buf.len();
        self.buf.resize(start + READ_CHUNK, 0);
        loop {
            let mut wait = self.timeouts.idle;
            if let Some((deadline, phase)) = self.deadline {
                let now = Instant::now();
                if now >= deadline {
                    self.buf.truncate(start);
                    return Err(ReadError::TimedOut(phase));
                }
                wait = wait.min(deadline - now);
            }
            let until_deadline = wait < self.timeouts.idle;
            if self.stream.set_read_timeout(Some(wait)).is_err() {
                self.buf.truncate(start);
                return Err(ReadError::Io);
            }
            match self.stream.read(&mut self.buf[start..]) {
                Ok(n) => {
                    self.buf.truncate(start + n);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e)
                    if until_deadline
                        && matches!(
                            e.kind(),
                            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                        ) =>
                {
                    // The wait ended at the phase's deadline: the loop answers TimedOut.
                }
                Err(_) => {
                    self.buf.truncate(start);
                    return Err(ReadError::Io);
                }
            }
        }
    }

    fn consume(&mut self, n: usize) {
        self.buf.drain(..n);
    }

    /// Reads until `httparse` has a complete request head, and takes it off the buffer.
    fn read_head(&mut self) -> Result<Head, ReadError> {
        self.deadline = None;
        loop {
            if !self.buf.is_empty() {
                if self.deadline.is_none() {
                    self.start(Phase::Head);
                }
                let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
                let mut parsed = httparse::Request::new(&mut headers);
                match parsed.parse(&self.buf) {
                    Ok(httparse::Status::Complete(n)) if n > MAX_HEAD => {
                        return Err(ReadError::HeadTooLarge)
                    }
                    Ok(httparse::Status::Complete(n)) => {
                        let method = parsed.method.unwrap_or_default();
                        let Some(target) = parse_target(method, parsed.path.unwrap_or("/")) else {
                            return Err(ReadError::Malformed);
                        };
                        let head = Head {
                            method: method.to_owned(),
                            path: target.path,
                            query: target.query,
                            authority: target.authority,
                            http10: parsed.version == Some(0),
                            headers: parsed
                                .headers
                                .iter()
                                .map(|h| {
                                    let value = String::from_utf8_lossy(h.value);
                                    (h.name.to_owned(), value.trim().to_owned())
                                })
                                .collect(),
                        };
                        self.consume(n);
                        return Ok(head);
                    }
                    Ok(httparse::Status::Partial) if self.buf.len() >= MAX_HEAD => {
                        return Err(ReadError::HeadTooLarge)
                    }
                    Ok(httparse::Status::Partial) => {}
                    Err(httparse::Error::TooManyHeaders) => return Err(ReadError::HeadTooLarge),
                    Err(_) => return Err(ReadError::Malformed),
                }
            }
            if self.fill()? == 0 {
                // Stray line ends between requests are allowed; anything else cut short
                // is not a request.
                return if self.buf.iter().all(|b| matches!(b, b'\r' | b'\n')) {
                    Err(ReadError::Closed)
                } else {
                    Err(ReadError::Malformed)
                };
            }
        }
    }

    /// Under TLS, completes the handshake and sends what it leaves to send (a TLS 1.3
    /// server's session tickets), as the first read would; nothing over plain http or once
    /// done. Each read waits at most the idle time-out. `Io` when the client closed or
    /// failed the handshake.
    pub(crate) fn handshake(&mut self) -> Result<(), ReadError> {
        #[cfg(feature = "tls")]
        if let Stream::Tls(tls) = &mut self.stream {
            let tls = &mut **tls;
            let _ = tls.sock.set_read_timeout(Some(self.timeouts.idle));
            while tls.conn.is_handshaking() {
                tls.conn
                    .complete_io(&mut tls.sock)
                    .map_err(|_| ReadError::Io)?;
            }
            if tls.conn.wants_write() {
                tls.conn
                    .complete_io(&mut tls.sock)
                    .map_err(|_| ReadError::Io)?;
            }
        }
        Ok(())
    }

    /// Waits, without reading, until bytes are here for the next request: at once when
    /// some were read ahead (or, under TLS, are decrypted and waiting), else until the
    /// socket has bytes to read or reached its end (the read that follows tells which).
    /// The idle time-out applies; `Io` when it runs out or the socket fails. The connection
    /// is idle (`close_idle_connections`) only while this waits.
    pub(crate) fn await_bytes(&mut self) -> Result<(), ReadError> {
        if !self.buf.is_empty() {
            return Ok(());
        }
        #[cfg(feature = "tls")]
        if let Stream::Tls(tls) = &self.stream {
            if !tls.conn.wants_read() {
                return Ok(());
            }
        }
        let tcp = self.stream.tcp();
        if tcp.set_read_timeout(Some(self.timeouts.idle)).is_err() {
            return Err(ReadError::Io);
        }
        let mut byte = [0u8; 1];
        loop {
            match tcp.peek(&mut byte) {
                Ok(_) => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(ReadError::Io),
            }
        }
    }

    /// Waits until the first byte of the next request is here (at once when it was read
    /// ahead with the last one): the connection is idle until then. `Closed` when the
    /// client closed first; the idle time-out applies as in [`Self::read_request`].
    pub(crate) fn wait_for_request(&mut self) -> Result<(), ReadError> {
        self.deadline = None;
        if self.buf.is_empty() && self.fill()? == 0 {
            return Err(ReadError::Closed);
        }
        Ok(())
    }

    /// Reads the next request: head, then a body of up to `max_body(path)` bytes.
    pub(crate) fn read_request(
        &mut self,
        max_body: impl Fn(&str) -> usize,
    ) -> Result<Request, ReadError> {
        let head = self.read_head()?;
        self.start(Phase::Body);
        let limit = max_body(&head.path);
        let request = self.read_rest(head, limit);
        self.deadline = None;
        request
    }

    /// Reads the body that follows `head`.
    fn read_rest(&mut self, head: Head, max_body: usize) -> Result<Request, ReadError> {
        let mut request = Request {
            method: head.method,
            path: head.path,
            query: head.query,
            authority: head.authority,
            headers: head.headers,
            body: Vec::new(),
            too_large: false,
            close: head.http10,
        };
        if let Some(connection) = request.header("connection") {
            let has = |token: &str| {
                connection
                    .split(',')
                    .any(|t| t.trim().eq_ignore_ascii_case(token))
            };
            if has("close") {
                request.close = true;
            } else if has("keep-alive") {
                request.close = false;
            }
        }
        let chunked = match request.header("transfer-encoding") {
            None => false,
            Some(te) => {
                let last = te.rsplit(',').next().unwrap_or("").trim();
                if !last.eq_ignore_ascii_case("chunked") {
                    // The length of such a body cannot be known.
                    return Err(ReadError::Malformed);
                }
                true
            }
        };
        let length = content_length(&request)?;
        if chunked && length.is_some() {
            // Both framings: chunked wins, and the connection is not trusted further.
            request.close = true;
        }
        let expects_continue = !head.http10
            && request
                .header("expect")
                .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"));

        if chunked {
            if expects_continue {
                self.send_continue()?;
            }
            self.read_chunked(max_body, &mut request)?;
        } else if let Some(len) = length {
            if len > max_body {
                request.too_large = true;
                if expects_continue || len > DRAIN_LIMIT {
                    // The body was never asked for (or is huge): answer and close.
                    request.close = true;
                } else {
                    self.discard(len)?;
                }
                return Ok(request);
            }
            if expects_continue && len > 0 {
                self.send_continue()?;
            }
            // Grown as bytes arrive: a declared length is no promise they will.
            let mut body = Vec::with_capacity(len.min(READ_CHUNK));
            self.read_exact_into(&mut body, len)?;
            request.body = body;
        }
        Ok(request)
    }

    fn send_continue(&mut self) -> Result<(), ReadError> {
        self.stream
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .map_err(|_| ReadError::Io)
    }

    /// Moves exactly `n` body bytes into `out`.
    fn read_exact_into(&mut self, out: &mut Vec<u8>, n: usize) -> Result<(), ReadError> {
        self.take_body(n, Some(out))
    }

    /// Reads and throws away exactly `n` body bytes.
    fn discard(&mut self, n: usize) -> Result<(), ReadError> {
        self.take_body(n, None)
    }

    /// Takes exactly `n` body bytes from the connection, keeping them in `out` if given.
    fn take_body(&mut self, n: usize, mut out: Option<&mut Vec<u8>>) -> Result<(), ReadError> {
        let mut left = n;
        loop {
            let take = left.min(self.buf.len());
            if let Some(out) = out.as_deref_mut() {
                out.extend_from_slice(&self.buf[..take]);
            }
            self.consume(take);
            left -= take;
            if left == 0 {
                return Ok(());
            }
            if self.fill()? == 0 {
                return Err(ReadError::Io);
            }
        }
    }

    /// One line of at most `limit` bytes (line end included), without its line end.
    fn read_line(&mut self, limit: usize) -> Result<String, ReadError> {
        loop {
            if let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
                if pos + 1 > limit {
                    return Err(ReadError::Malformed);
                }
                let mut line = self.buf[..pos].to_vec();
                self.consume(pos + 1);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return String::from_utf8(line).map_err(|_| ReadError::Malformed);
            }
            if self.buf.len() >= limit {
                return Err(ReadError::Malformed);
            }
            if self.fill()? == 0 {
                return Err(ReadError::Io);
            }
        }
    }

    fn read_chunked(&mut self, max_body: usize, request: &mut Request) -> Result<(), ReadError> {
        let mut total = 0usize;
        loop {
            let line = self.read_line(MAX_CHUNK_LINE)?;
            let size_text = line.split(';').next().unwrap_or("").trim();
            if size_text.is_empty() || !size_text.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ReadError::Malformed);
            }
            let size = usize::from_str_radix(size_text, 16).map_err(|_| ReadError::Malformed)?;
            if size == 0 {
                // Trailers, up to the empty line, thrown away.
                let mut budget = MAX_HEAD;
                loop {
                    let trailer = self.read_line(budget)?;
                    if trailer.is_empty() {
                        return Ok(());
                    }
                    budget = budget.saturating_sub(trailer.len() + 2);
                }
            }
            total = total.saturating_add(size);
            if total > DRAIN_LIMIT {
                request.too_large = true;
                request.close = true;
                request.body = Vec::new();
                return Ok(());
            }
            if total > max_body {
                request.too_large = true;
                request.body = Vec::new();
                self.discard(size)?;
            } else {
                let mut body = std::mem::take(&mut request.body);
                self.read_exact_into(&mut body, size)?;
                request.body = body;
            }
            if !self.read_line(2)?.is_empty() {
                return Err(ReadError::Malformed);
            }
        }
    }

    /// Writes an answer in one write (head and body together).
    pub(crate) fn write_response(
        &mut self,
        response: &Response,
        close: bool,
        head_only: bool,
    ) -> io::Result<()> {
        self.stream
            .write_all(&response.to_bytes(close, head_only))?;
        self.stream.flush()
    }

    /// Answers 400 to bytes that are not HTTP, then closes.
    pub(crate) fn write_bad_request(&mut self) {
        let response = Response {
            status: 400,
            content_type: "text/plain; charset=utf-8",
            body: b"bad request".to_vec(),
            headers: Vec::new(),
        };
        if self.write_response(&response, true, false).is_ok() {
            self.close();
        }
    }

    /// The socket, for a protocol that takes over the connection after an answer (the
    /// WebSocket upgrade), plain or under TLS (`ws://` or `wss://`). The client sends
    /// nothing before the answer to its upgrade, so no bytes read ahead are lost.
    pub(crate) fn into_stream(self) -> Stream {
        self.stream
    }

    /// Under TLS, once the handshake is done: whether it resumed an earlier session
    /// (`false`: a full handshake). `None` over plain http or while still handshaking.
    pub(crate) fn tls_resumed(&self) -> Option<bool> {
        match &self.stream {
            Stream::Plain(_) => None,
            #[cfg(feature = "tls")]
            Stream::Tls(tls) => {
                if tls.conn.is_handshaking() {
                    return None;
                }
                tls.conn
                    .handshake_kind()
                    .map(|kind| kind == rustls::HandshakeKind::Resumed)
            }
        }
    }

    /// Closes the socket at once, without writing anything more.
    pub(crate) fn drop_now(&self) {
        let _ = self.stream.tcp().shutdown(Shutdown::Both);
    }

    /// Closes after an answer: ends the sending side, then reads and throws away what
    /// the client still sends for a moment, so that it reads the answer instead of
    /// getting a reset for unread bytes.
    pub(crate) fn close(&mut self) {
        if self.stream.shutdown(Shutdown::Write).is_err() {
            return;
        }
        let deadline = Instant::now() + LINGER;
        let mut drained = 0;
        let mut scratch = [0u8; 4096];
        while drained < LINGER_BYTES {
            let now = Instant::now();
            if now >= deadline || self.stream.set_read_timeout(Some(deadline - now)).is_err() {
                return;
            }
            match self.stream.read(&mut scratch) {
                Ok(0) => return,
                Ok(n) => drained += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
    }
}

/// The single `Content-Length` of a request, if any: every value (several headers, or a
/// comma list) must be the same number of decimal digits.
fn content_length(request: &Request) -> Result<Option<usize>, ReadError> {
    let mut length = None;
    for value in request.header_values("content-length") {
        for part in value.split(',') {
            let part = part.trim();
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ReadError::Malformed);
            }
            let n = part.parse::<usize>().map_err(|_| ReadError::Malformed)?;
            if length.is_some_and(|l| l != n) {
                return Err(ReadError::Malformed);
            }
            length = Some(n);
        }
    }
    Ok(length)
}

/// A request target split as RFC 9112 §3.2 reads it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// The path, without query or fragment: the origin-form's or the absolute-form's
    /// (`/` when the absolute-form has none), the authority-form's whole target, or `*`.
    pub(crate) path: String,
    /// The query string, without `?` and fragment (empty when there is none).
    pub(crate) query: String,
    /// The authority of an absolute-form target (`host[:port]`, user info dropped): it
    /// takes the place of the `Host` header (RFC 9112 §3.2.2).
    pub(crate) authority: Option<String>,
}

/// Splits a request target by its form (RFC 9112 §3.2): origin-form (it starts with `/`;
/// a `://` in its query is only data), absolute-form (`scheme://authority/path?query`, only
/// when it does not start with `/`), authority-form (`host:port`, for `CONNECT` only) and
/// asterisk-form (`*`, for `OPTIONS` only). `None` for a target of none of these forms:
/// the request is answered 400.
pub(crate) fn parse_target(method: &str, target: &str) -> Option<Target> {
    if target.starts_with('/') {
        return Some(Target {
            path: cut_path(target),
            query: cut_query(target),
            authority: None,
        });
    }
    if target == "*" {
        return (method == "OPTIONS").then(|| Target {
            path: "*".to_owned(),
            query: String::new(),
            authority: None,
        });
    }
    if method == "CONNECT" {
        return authority_form(target).then(|| Target {
            path: target.to_owned(),
            query: String::new(),
            authority: None,
        });
    }
    let (scheme, rest) = target.split_once("://")?;
    let mut letters = scheme.chars();
    let scheme_ok = letters.next().is_some_and(|c| c.is_ascii_alphabetic())
        && letters.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.is_empty() {
        return None;
    }
    let path = if tail.starts_with('/') {
        cut_path(tail)
    } else {
        "/".to_owned()
    };
    Some(Target {
        path,
        query: cut_query(tail),
        authority: Some(host.to_owned()),
    })
}

/// Whether `target` is an authority-form target: `host:port`, no user info, a port of
/// digits.
fn authority_form(target: &str) -> bool {
    let Some((host, port)) = target.rsplit_once(':') else {
        return false;
    };
    !host.is_empty()
        && !host.contains(['/', '?', '#', '@'])
        && !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
}

/// The path of an origin-form target (or an absolute-form's tail), without query or
/// fragment.
fn cut_path(target: &str) -> String {
    let end = target.find(['?', '#']).unwrap_or(target.len());
    target[..end].to_owned()
}

/// The query string of a target, without `?` and fragment.
fn cut_query(target: &str) -> String {
    let target = target.split('#').next().unwrap_or_default();
    target
        .split_once('?')
        .map_or_else(String::new, |(_, q)| q.to_owned())
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        421 => "Misdirected Request",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
