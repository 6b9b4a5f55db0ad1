//! The transport: a `ureq::Agent` (keep-alive pool, TLS session cache, time-outs, TLS
//! roots, the caching resolver) shared by every living client of the process with the
//! same transport settings (`agents.rs`), JSON in and out, and the mapping of every
//! outcome to an [`AuthResponse`]. Beside it, what it is built from: the shared agents
//! (`agents.rs`), the DNS cache (`resolver.rs`), the TLS roots (`tls.rs`), the headers
//! (`headers.rs`), `Retry-After` (`retry_after.rs`), and the body encodings
//! (`urlencoded.rs`, `multipart.rs`).
//!
//! Policy, in one place:
//! - **Time-outs** always set: `connect_timeout` and the whole-call `timeout`, which also
//!   bounds the DNS lookup (see `resolver.rs`).
//! - **No redirects.** Authing's API never redirects, so a 3xx is the answer: its status,
//!   and a message naming the `location` it pointed to. It is never followed, so a body
//!   (a password, a pass code) is never replayed to another host or over plain http.
//! - **TLS** with the roots of `tls.rs`; `http` only when the URL says so.
//! - **Sharing.** Clients with the same API host and equal transport settings (roots,
//!   proxy, time-outs, pool size) share one agent: a second client of a host takes the idle connection the
//!   first left (no handshake), and a new connection resumes the TLS session another
//!   client of the process made (`agents.rs`). What a request carries (app, language,
//!   tokens, extra headers, the captcha cookie) stays the client's.
//! - **Headers**: the SDK's, then the caller's extra ones (`headers.rs`).
//! - **Logging**: one debug record per exchange, when it answers (`logging.rs`).

pub(crate) mod agents;
pub(crate) mod headers;
pub(crate) mod multipart;
pub(crate) mod proxy;
pub(crate) mod recent;
pub(crate) mod resolver;
pub(crate) mod retry_after;
pub(crate) mod tls;
pub(crate) mod urlencoded;

use std::io::Read;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use serde_json::Value;

use crate::client::config::ClientConfig;
use crate::error::{AuthError, Cause};
use crate::logging;
use crate::response::{self, AuthResponse};
use crate::transport::agents::{Agent, AgentSettings};
pub(crate) use crate::transport::headers::Headers;
use crate::transport::headers::JSON;
use crate::transport::proxy::ProxySettings;
#[cfg(test)]
use crate::transport::resolver::Lookup;

/// The content type of `/oidc/token` and `/oidc/token/revocation` bodies.
pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

/// The longest `location` repeated in the message of a 3xx answer.
const MAX_LOCATION_CHARS: usize = 512;

/// How to read a 2xx body.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// The v3 envelope `{statusCode, message, apiCode?, requestId?, data?}`.
    Envelope,
    /// Plain JSON, handed out as `data` (`GET /api/v3/system`, the v2 public config).
    Plain,
    /// An OAuth endpoint (`/oidc/token`, `/oidc/token/revocation`): plain JSON as
    /// [`Shape::Plain`], the v3 envelope if the server sends one, and an empty 2xx body
    /// (RFC 7009's revocation answer) as a success without `data`.
    OAuth,
    /// A page meant for a browser (`/oidc/session/end`): any 2xx body is a success
    /// without `data`, whatever its content.
    Page,
    /// An image (`/api/v3/captcha-code`): a 2xx body of an `image/*` content type is a
    /// success carrying the bytes, their content type and the cookies that came with them
    /// ([`AuthResponse`]'s `raw`). The v3 envelope of a failure is read as one; any other
    /// body (JSON that is no failure, HTML, text) is an unreadable body, never a success.
    Image,
}

/// How long a connection may wait idle in the pool before it is closed rather than used
/// again: 50 s (ureq's default is 15 s). Long enough that a connection opened by
/// [`AuthClient::warm_up`](crate::AuthClient::warm_up) is still there when a person
/// clicks "Sign in" up to 50 s later; shorter than the keep-alive time-outs servers and
/// load balancers commonly use (60 s and up), so the client gives an idle connection up
/// before the server closes it under a request. A server that closes earlier is noticed
/// when the connection is taken from the pool (ureq probes it), and a new one is opened.
/// After this age the next call opens a new connection. Nothing keeps a connection alive:
/// no background request, no ping.
pub(crate) const POOL_IDLE_AGE: std::time::Duration = std::time::Duration::from_secs(50);

/// One HTTP client shared by every clone of a client; its agent (pool, TLS session cache,
/// DNS cache, when each origin last answered) shared by every living client of the
/// process with the same transport settings (`agents.rs`).
pub(crate) struct Transport {
    agent: Arc<Agent>,
    /// The proxy, to name it in errors and forget its addresses.
    proxy: Option<ProxySettings>,
    extra_headers: Vec<(String, String)>,
    max_response_bytes: u64,
}

impl Transport {
    /// A transport on the process's agent for `config`'s transport settings.
    pub(crate) fn new(config: &ClientConfig) -> Transport {
        Transport::on(config, agents::shared(&AgentSettings::of(config)))
    }

    /// A transport on an agent of its own whose DNS lookups go through `lookup` (tests
    /// give a hanging one); never shared.
    #[cfg(test)]
    pub(crate) fn with_lookup(config: &ClientConfig, lookup: Arc<Lookup>) -> Transport {
        let agent = Agent::new(&AgentSettings::of(config), lookup);
        Transport::on(config, Arc::new(agent))
    }

    fn on(config: &ClientConfig, agent: Arc<Agent>) -> Transport {
        Transport {
            agent,
            proxy: config.proxy.clone(),
            extra_headers: config.extra_headers.clone(),
            max_response_bytes: config.max_response_bytes,
        }
    }

    /// Whether `url`'s origin answered within `age` a call of any client sharing this
    /// transport's agent (its connection is then likely idle in the shared pool).
    pub(crate) fn answered_within(&self, url: &str, age: std::time::Duration) -> bool {
        self.agent.recent.answered_within(url, age)
    }

    /// `POST url` with a JSON body.
    pub(crate) fn post(&self, url: &str, headers: &Headers<'_>, body: Vec<u8>) -> AuthResponse {
        self.post_as(url, headers, JSON, body, Shape::Envelope)
    }

    /// `POST url` with a body of `content_type` (`JSON` or [`FORM`]), the answer read as
    /// `shape`.
    pub(crate) fn post_as(
        &self,
        url: &str,
        headers: &Headers<'_>,
        content_type: &str,
        body: Vec<u8>,
        shape: Shape,
    ) -> AuthResponse {
        let started = Instant::now();
        let request = headers::apply(self.agent.agent.post(url), headers, &self.extra_headers)
            .header("content-type", content_type);
        let sent = request.send(body);
        let http = http_status(&sent);
        let response = self.finish(url, sent, shape);
        logging::exchange("POST", url, http, started, &response);
        response
    }

    /// `GET url`.
    pub(crate) fn get(&self, url: &str, headers: &Headers<'_>, shape: Shape) -> AuthResponse {
        let started = Instant::now();
        let request = headers::apply(self.agent.agent.get(url), headers, &self.extra_headers);
        let sent = request.call();
        let http = http_status(&sent);
        let response = self.finish(url, sent, shape);
        logging::exchange("GET", url, http, started, &response);
        response
    }

    fn finish(
        &self,
        url: &str,
        sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        shape: Shape,
    ) -> AuthResponse {
        let uri: Option<ureq::http::Uri> = url.parse().ok();
        // The proxy this call went through, if any (a `no_proxy` host goes direct).
        let proxy = self
            .proxy
            .as_ref()
            .filter(|p| uri.as_ref().is_none_or(|uri| p.applies_to(uri)));
        if sent.is_ok() {
            self.agent.recent.answered(url);
        }
        if let Err(error) = &sent {
            if unreached(error) {
                // The next call looks the host up again rather than retry stale addresses:
                // the proxy's host when there is one (the target's is never looked up).
                let key = match proxy {
                    Some(proxy) => proxy.host_port(),
                    None => uri.as_ref().and_then(resolver::host_port),
                };
                if let Some(key) = key {
                    self.agent.hosts.forget(&key);
                }
            }
        }
        let sent = match (sent, proxy) {
            (Err(error), Some(proxy)) => return through_proxy(error, proxy),
            (sent, _) => sent,
        };
        match self.read(sent, shape) {
            Ok(response) => response,
            Err(error) => AuthResponse::from_error(error),
        }
    }

    fn read(
        &self,
        sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        shape: Shape,
    ) -> Result<AuthResponse, AuthError> {
        let mut reply = sent.map_err(|e| map_error(e, false))?;
        let status = reply.status().as_u16();
        // Read on every status: a throttled call answers HTTP 429 with it.
        let retry_after = reply
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after::parse(v, SystemTime::now()));
        let redirect = (300..400).contains(&status);
        if redirect && reply.headers().contains_key("location") {
            return Ok(not_followed(status, &reply, retry_after));
        }
        if !(200..300).contains(&status) {
            // The status is the answer; keep the body's first `max_response_bytes` as the
            // message (as Android does with the raw body) rather than lose the status.
            let mut body = Vec::new();
            let read = reply
                .body_mut()
                .as_reader()
                .take(self.max_response_bytes)
                .read_to_end(&mut body);
            if let Err(e) = read {
                return Err(AuthError::Connection {
                    reason: format!("{e} while reading the body"),
                    source: Some(Cause::new(e)),
                });
            }
            // Authing's own error answers (HTTP 429 `{statusCode:429, message}`, say) carry
            // the v3 envelope: read it for its message, apiCode and requestId.
            // A 3xx without a location is no redirect: the spec gives
            // `authByCodeIdentity` a `301` answer carrying the envelope (a WeChat identity
            // to bind), so such an answer is read like any other.
            if let Some(response) = response::from_error_envelope(&body, retry_after) {
                return Ok(response);
            }
            if redirect {
                return Ok(not_followed(status, &reply, retry_after));
            }
            let mut response =
                response::from_http_status(status, String::from_utf8_lossy(&body).into_owned());
            response.retry_after = retry_after;
            return Ok(response);
        }
        let (content_type, cookies) = if shape == Shape::Image {
            (content_type(&reply), set_cookies(&reply))
        } else {
            (String::new(), Vec::new())
        };
        let body = reply
            .body_mut()
            .with_config()
            .limit(self.max_response_bytes)
            .read_to_vec()
            .map_err(|e| map_error(e, true))?;
        if shape == Shape::Image {
            return image(status, content_type, cookies, body, retry_after);
        }
        if shape == Shape::Page
            || (shape == Shape::OAuth && body.iter().all(u8::is_ascii_whitespace))
        {
            let mut response = response::from_plain_json(Value::Null);
            response.data = None;
            return Ok(response);
        }
        let json: Value = serde_json::from_slice(&body).map_err(|e| AuthError::UnreadableBody {
            reason: format!(
                "http {status} with a body that is not json ({} bytes): {e}",
                body.len()
            ),
            source: Some(Cause::new(e)),
        })?;
        // A plain endpoint that answers with an error envelope is read as the envelope.
        let is_envelope = json.get("statusCode").is_some_and(Value::is_i64);
        match shape {
            Shape::Plain | Shape::OAuth if !is_envelope => Ok(response::from_plain_json(json)),
            _ => response::from_envelope(json, retry_after),
        }
    }
}

/// The `content-type` of an answer, as sent (empty without one).
fn content_type(reply: &ureq::http::Response<ureq::Body>) -> String {
    reply
        .headers()
        .get("content-type")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .unwrap_or_default()
}

/// The `name=value` of each `set-cookie` header of an answer, its attributes left out.
fn set_cookies(reply: &ureq::http::Response<ureq::Body>) -> Vec<String> {
    reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|cookie| cookie.split(';').next())
        .map(str::trim)
        .filter(|pair| {
            pair.split_once('=')
                .is_some_and(|(name, _)| !name.trim().is_empty())
        })
        .map(str::to_owned)
        .collect()
}

/// The answer of a [`Shape::Image`] call whose HTTP status is 2xx: the image, the failure
/// its envelope says, or an unreadable body naming what came instead.
fn image(
    status: u16,
    content_type: String,
    cookies: Vec<String>,
    body: Vec<u8>,
    retry_after: Option<std::time::Duration>,
) -> Result<AuthResponse, AuthError> {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media.starts_with("image/") && !body.is_empty() {
        return Ok(response::from_raw_body(response::RawBody {
            bytes: body,
            content_type,
            cookies,
        }));
    }
    if let Ok(json) = serde_json::from_slice::<Value>(&body) {
        if json.get("statusCode").is_some_and(Value::is_i64) {
            let answer = response::from_envelope(json, retry_after)?;
            if !answer.is_success() {
                return Ok(answer);
            }
        }
    }
    let what = match media.as_str() {
        "" => "no content type".to_owned(),
        _ if media.starts_with("image/") => format!("an empty {media}"),
        _ => media,
    };
    Err(AuthError::UnreadableBody {
        reason: format!(
            "http {status} answered {what} ({} bytes) where an image was expected",
            body.len()
        ),
        source: None,
    })
}

/// A call through `proxy` that failed before it had an answer: the error, its message
/// naming the proxy (`scheme://host:port`, never its credentials). A proxy that refused the
/// tunnel with an HTTP status (407 Proxy Authentication Required, 403, 502) answers with
/// that status.
fn through_proxy(error: ureq::Error, proxy: &ProxySettings) -> AuthResponse {
    let shown = proxy.shown();
    if let ureq::Error::ConnectProxyFailed(reason) = &error {
        // ureq says "proxy server responded 407/407 Proxy Authentication Required".
        let status = reason
            .strip_prefix("proxy server responded ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse::<u16>().ok())
            .filter(|code| (100..600).contains(code));
        if let Some(status) = status {
            let what = match status {
                407 => {
                    " (proxy authentication required: check the user and password in the proxy url)"
                }
                _ => "",
            };
            return response::from_http_status(
                status,
                format!("the proxy {shown} refused the connection with http {status}{what}"),
            );
        }
    }
    // In the error itself, not only the response's message: a delivered response's message
    // may be made again from its error.
    AuthResponse::from_error(match map_error(error, false) {
        AuthError::Connection { reason, source } => AuthError::Connection {
            reason: format!("{reason} (through the proxy {shown})"),
            source,
        },
        // "connect through the proxy http://host:port": the phase ureq named comes first.
        AuthError::Timeout { phase, source } => AuthError::Timeout {
            phase: format!("{phase} through the proxy {shown}"),
            source,
        },
        other => other,
    })
}

/// The HTTP status of an answer, for the debug record of the exchange (`logging.rs`).
fn http_status(sent: &Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Option<u16> {
    sent.as_ref().ok().map(|reply| reply.status().as_u16())
}

/// Whether a call failed before it had an answer, in a way new addresses might fix.
fn unreached(error: &ureq::Error) -> bool {
    use ureq::Error as E;
    match error {
        E::ConnectionFailed | E::Io(_) => true,
        E::Timeout(which) => *which != ureq::Timeout::Resolve,
        _ => false,
    }
}

/// A 3xx answer, never followed: its status, and a message naming where it pointed. A
/// redirect's body is not read (it is not Authing's); a 3xx without a location is read
/// first, and answered with this only when its body is no Authing envelope.
fn not_followed(
    status: u16,
    reply: &ureq::http::Response<ureq::Body>,
    retry_after: Option<std::time::Duration>,
) -> AuthResponse {
    let location = reply
        .headers()
        .get("location")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let message = match location {
        Some(location) => {
            let shown: String = location.chars().take(MAX_LOCATION_CHARS).collect();
            let cut = if shown.len() < location.len() { "..." } else { "" };
            format!(
                "http {status} redirect to {shown}{cut} not followed: the authing api never redirects (check the app host, or a proxy in between)"
            )
        }
        None => format!(
            "http {status} without a location, not followed: the authing api never redirects (check the app host, or a proxy in between)"
        ),
    };
    let mut response = response::from_http_status(status, message);
    response.retry_after = retry_after;
    response
}

/// Maps ureq's error to the typed cause. `reading` tells whether the body was being read.
fn map_error(error: ureq::Error, reading: bool) -> AuthError {
    use ureq::Error as E;
    let while_reading = if reading {
        " while reading the body"
    } else {
        ""
    };
    match error {
        E::Timeout(which) => AuthError::Timeout {
            phase: which.to_string(),
            source: Some(Cause::new(E::Timeout(which))),
        },
        E::BodyExceedsLimit(limit) => AuthError::BodyTooLarge { limit },
        E::HostNotFound => AuthError::Connection {
            reason: "host not found".into(),
            source: Some(Cause::new(error)),
        },
        E::ConnectionFailed => AuthError::Connection {
            reason: "could not connect".into(),
            source: Some(Cause::new(error)),
        },
        E::Io(io) => AuthError::Connection {
            reason: format!("{io}{while_reading}"),
            source: Some(Cause::new(io)),
        },
        E::BadUri(uri) => AuthError::Config(format!("the url is not valid: {uri}")),
        other if reading => AuthError::UnreadableBody {
            reason: other.to_string(),
            source: Some(Cause::new(other)),
        },
        other => AuthError::Connection {
            reason: other.to_string(),
            source: Some(Cause::new(other)),
        },
    }
}

// The loopback proxies of the integration tests (standard library only), for the tests of
// what the resolver is asked when a proxy is in use. Declared here: a `path` inside the
// inline `tests` module would be relative to a `tests/` folder that does not exist.
#[cfg(test)]
#[path = "../../tests/common/connect_proxy.rs"]
mod test_connect_proxy;
#[cfg(test)]
#[path = "../../tests/common/socks5_proxy.rs"]
mod test_socks5_proxy;

#[cfg(test)]
mod tests {
    //! The transport over real loopback sockets, with DNS answered by the test: a lookup
    //! that hangs, and one that changes its answer.
    use super::*;
    use crate::client::builder::AuthClientBuilder;
    use crate::client::config::Lang;
    use std::io::{self, BufRead, BufReader, Write};
    use std::net::{SocketAddr, TcpListener};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Mutex};
    use std::thread;
    use std::time::Duration;

    const DEADLINE: Duration = Duration::from_secs(10);
    const OK: &str = r#"{"statusCode":200,"message":"ok"}"#;

    fn transport(
        timeout: Duration,
        lookup: impl Fn(&str) -> io::Result<Vec<SocketAddr>> + Send + Sync + 'static,
    ) -> Transport {
        let config = AuthClientBuilder::default()
            .app_id("app")
            .app_host("http://127.0.0.1:1")
            .timeout(timeout)
            .into_config()
            .unwrap();
        Transport::with_lookup(&config, Arc::new(lookup))
    }

    fn headers() -> Headers<'static> {
        Headers {
            app_id: Some("app"),
            user_pool_id: None,
            lang: Lang::EnUs,
            access_token: None,
            cookie: None,
            accept: crate::transport::headers::ACCEPT_JSON,
        }
    }

    /// A loopback server answering every request with `OK`, until the test ends.
    fn serve_ok() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                thread::spawn(move || {
                    let mut writer = stream.try_clone().unwrap();
                    let mut reader = BufReader::new(stream);
                    loop {
                        let mut length = 0;
                        loop {
                            let mut line = String::new();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            let line = line.trim_end().to_ascii_lowercase();
                            if line.is_empty() {
                                break;
                            }
                            if let Some(v) = line.strip_prefix("content-length:") {
                                length = v.trim().parse().unwrap_or(0);
                            }
                        }
                        let mut body = vec![0; length];
                        if io::Read::read_exact(&mut reader, &mut body).is_err() {
                            return;
                        }
                        let reply = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{OK}",
                            OK.len()
                        );
                        if writer.write_all(reply.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        addr
    }

    fn refused_addr() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    }

    use super::{test_connect_proxy as connect_proxy, test_socks5_proxy as socks5_proxy};

    /// A transport through `proxy` whose DNS lookups are recorded; `proxy.test` is the
    /// proxy's name, at `proxy_addr`; every other name is unknown.
    fn proxied(proxy: &str, proxy_addr: SocketAddr) -> (Transport, Arc<Mutex<Vec<String>>>) {
        let looked_up = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&looked_up);
        let config = AuthClientBuilder::default()
            .app_id("app")
            .app_host("http://127.0.0.1:1")
            .timeout(DEADLINE)
            .proxy(proxy)
            .into_config()
            .unwrap();
        let lookup = move |host_port: &str| -> io::Result<Vec<SocketAddr>> {
            recorded.lock().unwrap().push(host_port.to_string());
            if host_port.starts_with("proxy.test:") {
                Ok(vec![proxy_addr])
            } else {
                Err(io::Error::new(io::ErrorKind::NotFound, "unknown name"))
            }
        };
        (Transport::with_lookup(&config, Arc::new(lookup)), looked_up)
    }

    #[test]
    fn through_a_connect_proxy_only_the_proxys_name_is_looked_up() {
        let server = serve_ok();
        let proxy = connect_proxy::ConnectProxy::builder()
            .route("api.test", server)
            .start();
        let url = format!("http://proxy.test:{}", proxy.addr().port());
        let (transport, looked_up) = proxied(&url, proxy.addr());
        let target = format!("http://api.test:{}/x", server.port());
        for _ in 0..2 {
            let response = transport.get(&target, &headers(), Shape::Envelope);
            assert_eq!(response.status_code(), 200, "{response:?}");
        }
        assert_eq!(
            proxy.next_asked().target,
            format!("api.test:{}", server.port())
        );
        // Once, cached: the target's name never.
        assert_eq!(
            *looked_up.lock().unwrap(),
            vec![format!("proxy.test:{}", proxy.addr().port())]
        );
    }

    #[test]
    fn through_a_socks5_proxy_only_the_proxys_name_is_looked_up() {
        let server = serve_ok();
        let proxy = socks5_proxy::Socks5Proxy::builder()
            .route("api.test", server)
            .start();
        // `socks5://`, which ureq alone would take as "resolve the target here".
        let url = format!("socks5://proxy.test:{}", proxy.addr().port());
        let (transport, looked_up) = proxied(&url, proxy.addr());
        let target = format!("http://api.test:{}/x", server.port());
        let response = transport.get(&target, &headers(), Shape::Envelope);
        assert_eq!(response.status_code(), 200, "{response:?}");
        let asked = proxy.next_asked();
        assert!(asked.by_name, "{asked:?}");
        assert_eq!(asked.target, format!("api.test:{}", server.port()));
        assert_eq!(
            *looked_up.lock().unwrap(),
            vec![format!("proxy.test:{}", proxy.addr().port())]
        );
    }

    #[test]
    fn a_proxy_that_could_not_be_reached_is_looked_up_again_not_the_target() {
        let refused = refused_addr();
        let (transport, looked_up) = proxied("http://proxy.test:3128", refused);
        for _ in 0..2 {
            let response = transport.get("http://api.test/x", &headers(), Shape::Envelope);
            assert_eq!(response.status_code(), crate::codes::NETWORK_ERROR);
            assert!(
                response
                    .message()
                    .contains("through the proxy http://proxy.test:3128"),
                "{}",
                response.message()
            );
        }
        assert_eq!(
            *looked_up.lock().unwrap(),
            vec!["proxy.test:3128".to_string(), "proxy.test:3128".to_string()]
        );
    }

    #[test]
    fn a_call_whose_dns_lookup_hangs_ends_at_its_time_out() {
        let (release, gate) = mpsc::channel::<()>();
        let gate = Mutex::new(gate);
        let transport = Arc::new(transport(Duration::from_millis(300), move |_: &str| {
            let _ = gate.lock().unwrap().recv();
            Err(io::Error::other("released"))
        }));
        let (tx, rx) = mpsc::channel();
        for _ in 0..3 {
            let (transport, tx) = (Arc::clone(&transport), tx.clone());
            thread::spawn(move || {
                let _ = tx.send(transport.post("http://hangs.test/x", &headers(), b"{}".to_vec()));
            });
        }
        for _ in 0..3 {
            let response = rx
                .recv_timeout(DEADLINE)
                .expect("the call ended at its time-out");
            assert_eq!(response.status_code(), crate::codes::NETWORK_ERROR);
            assert!(
                matches!(response.error(), Some(AuthError::Timeout { .. })),
                "{response:?}"
            );
        }
        drop(release);
    }

    #[test]
    fn a_hanging_lookup_of_one_host_does_not_hold_up_calls_to_another() {
        let server = serve_ok();
        let (release, gate) = mpsc::channel::<()>();
        let gate = Mutex::new(gate);
        let transport = Arc::new(transport(DEADLINE * 2, move |host_port: &str| {
            if host_port.starts_with("hangs.test") {
                let _ = gate.lock().unwrap().recv();
                return Err(io::Error::other("released"));
            }
            Ok(vec![server])
        }));
        let (hung_tx, hung) = mpsc::channel();
        {
            let transport = Arc::clone(&transport);
            thread::spawn(move || {
                let _ =
                    hung_tx.send(transport.get("http://hangs.test/x", &headers(), Shape::Envelope));
            });
        }
        let url = format!("http://fine.test:{}/x", server.port());
        let response = transport.get(&url, &headers(), Shape::Envelope);
        assert_eq!(response.status_code(), 200, "{response:?}");
        assert!(
            hung.try_recv().is_err(),
            "the hanging call is still waiting"
        );
        drop(release);
        let hung = hung.recv_timeout(DEADLINE).expect("released");
        assert_eq!(hung.status_code(), crate::codes::NETWORK_ERROR);
    }

    #[test]
    fn a_host_that_could_not_be_reached_is_looked_up_again_on_the_next_call() {
        let server = serve_ok();
        let refused = refused_addr();
        let lookups = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&lookups);
        let transport = transport(DEADLINE, move |_: &str| {
            // The first answer is an address where nothing listens any more.
            let n = counted.fetch_add(1, Ordering::SeqCst);
            Ok(vec![if n == 0 { refused } else { server }])
        });
        let url = format!("http://moved.test:{}/x", server.port());
        let first = transport.get(&url, &headers(), Shape::Envelope);
        assert_eq!(
            first.status_code(),
            crate::codes::NETWORK_ERROR,
            "{first:?}"
        );
        let second = transport.get(&url, &headers(), Shape::Envelope);
        assert_eq!(second.status_code(), 200, "{second:?}");
        let third = transport.get(&url, &headers(), Shape::Envelope);
        assert_eq!(third.status_code(), 200, "{third:?}");
        // Looked up for the first call, again after its failure, then reused.
        assert_eq!(lookups.load(Ordering::SeqCst), 2);
    }
}
