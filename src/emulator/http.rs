//! A small HTTP/1.1 server over `std::net`: keep-alive, `Content-Length` and chunked
//! bodies, `Expect: 100-continue`, and full control of the socket (a fault can close it
//! without any response, and dropping the emulator closes every connection).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};

/// The largest request head (request line and headers) read.
const MAX_HEAD: usize = 32 * 1024;
/// Bodies up to this size are read and thrown away when they are too large, so the
/// connection stays usable; larger ones get their answer and the connection is closed.
const DRAIN_LIMIT: usize = 8 * 1024 * 1024;

/// One parsed request.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
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
}

/// One answer.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    pub(crate) retry_after: Option<u64>,
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
            retry_after: None,
        }
    }
}

/// Why reading a request stopped.
pub(crate) enum ReadError {
    /// The peer closed the connection between requests.
    Closed,
    /// The bytes were not HTTP; answer 400 and close.
    Malformed,
    /// The socket failed.
    Io,
}

fn read_line(reader: &mut BufReader<TcpStream>, budget: &mut usize) -> Result<String, ReadError> {
    let mut buf = Vec::new();
    let n = reader
        .by_ref()
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut buf)
        .map_err(|_| ReadError::Io)?;
    if n == 0 {
        return Err(ReadError::Closed);
    }
    if n > *budget || buf.last() != Some(&b'\n') {
        return Err(ReadError::Malformed);
    }
    *budget -= n;
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    String::from_utf8(buf).map_err(|_| ReadError::Malformed)
}

/// Reads the next request from the connection.
pub(crate) fn read_request(
    reader: &mut BufReader<TcpStream>,
    max_body: usize,
) -> Result<Request, ReadError> {
    let mut budget = MAX_HEAD;
    let mut line = read_line(reader, &mut budget)?;
    // Tolerate stray empty lines between requests.
    while line.is_empty() {
        line = read_line(reader, &mut budget)?;
    }
    let mut parts = line.split(' ').filter(|p| !p.is_empty());
    let (method, target, version) = match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v)) => (m.to_owned(), t, v),
        _ => return Err(ReadError::Malformed),
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Malformed),
    };
    let path = request_path(target);

    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, &mut budget).map_err(|e| match e {
            ReadError::Closed => ReadError::Malformed,
            other => other,
        })?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or(ReadError::Malformed)?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let mut request = Request {
        method,
        path,
        headers,
        body: Vec::new(),
        too_large: false,
        close: false,
    };

    let connection = request.header("connection").map(str::to_ascii_lowercase);
    request.close = match connection.as_deref() {
        Some(c) if c.contains("close") => true,
        Some(c) if c.contains("keep-alive") => false,
        _ => http10,
    };

    let chunked = request
        .header("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    let length = match request.header("content-length") {
        Some(v) if !chunked => Some(v.parse::<usize>().map_err(|_| ReadError::Malformed)?),
        _ => None,
    };
    let expects_continue = request
        .header("expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"));

    if let Some(len) = length {
        if len > max_body {
            request.too_large = true;
            if expects_continue || len > DRAIN_LIMIT {
                // The body was never asked for (or is huge): answer and close.
                request.close = true;
            } else {
                io::copy(&mut reader.by_ref().take(len as u64), &mut io::sink())
                    .map_err(|_| ReadError::Io)?;
            }
            return Ok(request);
        }
        if expects_continue && len > 0 {
            send_continue(reader)?;
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).map_err(|_| ReadError::Io)?;
        request.body = body;
    } else if chunked {
        if expects_continue {
            send_continue(reader)?;
        }
        read_chunked(reader, max_body, &mut request)?;
    }
    Ok(request)
}

fn send_continue(reader: &mut BufReader<TcpStream>) -> Result<(), ReadError> {
    reader
        .get_mut()
        .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
        .map_err(|_| ReadError::Io)
}

fn read_chunked(
    reader: &mut BufReader<TcpStream>,
    max_body: usize,
    request: &mut Request,
) -> Result<(), ReadError> {
    let mut total = 0usize;
    loop {
        let mut budget = 1024;
        let line = read_line(reader, &mut budget)?;
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| ReadError::Malformed)?;
        if size == 0 {
            // Trailers, up to the empty line.
            let mut budget = MAX_HEAD;
            while !read_line(reader, &mut budget)?.is_empty() {}
            return Ok(());
        }
        total = total.saturating_add(size);
        if total > DRAIN_LIMIT {
            request.too_large = true;
            request.close = true;
            request.body.clear();
            return Ok(());
        }
        if total > max_body {
            request.too_large = true;
            request.body.clear();
            io::copy(&mut reader.by_ref().take(size as u64), &mut io::sink())
                .map_err(|_| ReadError::Io)?;
        } else {
            let start = request.body.len();
            request.body.resize(start + size, 0);
            reader
                .read_exact(&mut request.body[start..])
                .map_err(|_| ReadError::Io)?;
        }
        let mut budget = 4;
        if !read_line(reader, &mut budget)?.is_empty() {
            return Err(ReadError::Malformed);
        }
    }
}

/// The path of a request target, without query or fragment; an absolute URL is cut to
/// its path.
fn request_path(target: &str) -> String {
    let mut rest = target;
    if let Some(pos) = rest.find("://") {
        rest = &rest[pos + 3..];
        rest = rest.find('/').map_or("/", |p| &rest[p..]);
    }
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    rest[..end].to_owned()
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Writes an answer in one write (head and body together).
pub(crate) fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    close: bool,
    head_only: bool,
) -> io::Result<()> {
    let mut out = Vec::with_capacity(160 + response.body.len());
    let _ = write!(
        out,
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    if let Some(secs) = response.retry_after {
        let _ = write!(out, "Retry-After: {secs}\r\n");
    }
    if close {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(&response.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

/// Answers 400 to bytes that are not HTTP, then closes.
pub(crate) fn write_bad_request(stream: &mut TcpStream) {
    let response = Response {
        status: 400,
        content_type: "text/plain; charset=utf-8",
        body: b"bad request".to_vec(),
        retry_after: None,
    };
    let _ = write_response(stream, &response, true, false);
    let _ = stream.shutdown(Shutdown::Both);
}
