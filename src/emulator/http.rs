//! The glue between tiny_http and the handlers: a request read into memory and an answer
//! turned into a `tiny_http::Response`. tiny_http does all the HTTP/1.1 work (parsing,
//! keep-alive, `Content-Length` and chunked bodies, `Expect: 100-continue`).

use std::io::{self, Cursor, Read};

use tiny_http::{Header, StatusCode};

/// Bodies up to this size past the limit are read and thrown away when they are too
/// large, so that the connection stays usable.
const DRAIN_LIMIT: u64 = 8 * 1024 * 1024;

/// One request, read into memory.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// The body was larger than allowed (and is not in `body`).
    pub(crate) too_large: bool,
}

impl Request {
    /// Reads method, path, headers and up to `max_body` bytes of body from a tiny_http
    /// request. A failed body read is treated like an empty body: the handlers answer it
    /// as they answer any bad body.
    pub(crate) fn read(request: &mut tiny_http::Request, max_body: usize) -> Request {
        let headers = request
            .headers()
            .iter()
            .map(|h| (h.field.to_string(), h.value.to_string()))
            .collect();
        let mut read = Request {
            method: request.method().as_str().to_owned(),
            path: request_path(request.url()),
            headers,
            body: Vec::new(),
            too_large: false,
        };
        let reader = request.as_reader();
        let limit = max_body as u64 + 1;
        if (&mut *reader)
            .take(limit)
            .read_to_end(&mut read.body)
            .is_err()
        {
            read.body.clear();
        }
        if read.body.len() > max_body {
            read.too_large = true;
            read.body = Vec::new();
            let _ = io::copy(&mut (&mut *reader).take(DRAIN_LIMIT), &mut io::sink());
        }
        read
    }

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

    /// The tiny_http answer: status, `Content-Type`, `Retry-After` when set, and the body
    /// (tiny_http adds `Content-Length`, `Date` and `Server`).
    pub(crate) fn into_tiny(self) -> tiny_http::Response<Cursor<Vec<u8>>> {
        let mut response =
            tiny_http::Response::from_data(self.body).with_status_code(StatusCode(self.status));
        if let Ok(h) = Header::from_bytes("Content-Type", self.content_type) {
            response.add_header(h);
        }
        if let Some(secs) = self.retry_after {
            if let Ok(h) = Header::from_bytes("Retry-After", secs.to_string()) {
                response.add_header(h);
            }
        }
        response
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
