//! The transport: one shared `ureq::Agent` (keep-alive pool, time-outs), the Authing
//! headers, JSON in and out, and the mapping of every outcome to an [`AuthResponse`].

use std::io::Read;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::config::{ClientConfig, Lang};
use crate::error::AuthError;
use crate::response::{self, AuthResponse};
use crate::retry_after;

/// `x-authing-request-from`: which SDK sent the call (Android sends `SDK-Android@1.0.1`).
pub(crate) const REQUEST_FROM: &str = concat!("SDK-Rust@", env!("CARGO_PKG_VERSION"));
/// `x-authing-sdk-version`.
pub(crate) const SDK_VERSION: &str = concat!("rust:", env!("CARGO_PKG_VERSION"));
const USER_AGENT: &str = concat!("authing-rust/", env!("CARGO_PKG_VERSION"));
pub(crate) const JSON: &str = "application/json; charset=utf-8";
/// The content type of `/oidc/token` and `/oidc/token/revocation` bodies.
pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

/// What a call needs to say who it is.
pub(crate) struct Headers<'a> {
    pub(crate) app_id: Option<&'a str>,
    pub(crate) user_pool_id: Option<&'a str>,
    pub(crate) lang: Lang,
    pub(crate) access_token: Option<&'a str>,
}

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
}

/// One HTTP client shared by every clone of a client.
pub(crate) struct Transport {
    agent: ureq::Agent,
    max_response_bytes: u64,
}

impl Transport {
    pub(crate) fn new(config: &ClientConfig) -> Transport {
        let pool = config.max_concurrent_requests.max(4);
        let settings = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.timeout))
            .max_idle_connections(pool * 2)
            .max_idle_connections_per_host(pool)
            .user_agent(USER_AGENT)
            .build();
        let agent = ureq::Agent::with_parts(
            settings,
            DefaultConnector::default(),
            CachingResolver::default(),
        );
        Transport {
            agent,
            max_response_bytes: config.max_response_bytes,
        }
    }

    /// `POST url` with a body of `content_type` ([`JSON`] or [`FORM`]), the answer read
    /// as `shape`.
    pub(crate) fn post_as(
        &self,
        url: &str,
        headers: &Headers<'_>,
        content_type: &str,
        body: Vec<u8>,
        shape: Shape,
    ) -> AuthResponse {
        let request =
            with_headers(self.agent.post(url), headers).header("content-type", content_type);
        self.finish(request.send(body), shape)
    }

    /// `GET url`.
    pub(crate) fn get(&self, url: &str, headers: &Headers<'_>, shape: Shape) -> AuthResponse {
        let request = with_headers(self.agent.get(url), headers);
        self.finish(request.call(), shape)
    }

    fn finish(
        &self,
        sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        shape: Shape,
    ) -> AuthResponse {
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
                });
            }
            // Authing's own error answers (HTTP 429 `{statusCode:429, message}`, say) carry
            // the v3 envelope: read it for its message, apiCode and requestId.
            if let Some(response) = response::from_error_envelope(&body, retry_after) {
                return Ok(response);
            }
            let mut response =
                response::from_http_status(status, String::from_utf8_lossy(&body).into_owned());
            response.retry_after = retry_after;
            return Ok(response);
        }
        let body = reply
            .body_mut()
            .with_config()
            .limit(self.max_response_bytes)
            .read_to_vec()
            .map_err(|e| map_error(e, true))?;
        if shape == Shape::OAuth && body.iter().all(u8::is_ascii_whitespace) {
            let mut response = response::from_plain_json(Value::Null);
            response.data = None;
            return Ok(response);
        }
        let json: Value = serde_json::from_slice(&body).map_err(|e| AuthError::UnreadableBody {
            reason: format!(
                "http {status} with a body that is not json ({} bytes): {e}",
                body.len()
            ),
        })?;
        // A plain endpoint that answers with an error envelope is read as the envelope.
        let is_envelope = json.get("statusCode").is_some_and(Value::is_i64);
        match shape {
            Shape::Plain | Shape::OAuth if !is_envelope => Ok(response::from_plain_json(json)),
            _ => response::from_envelope(json, retry_after),
        }
    }
}

/// How long a host's addresses are reused before they are looked up again.
const DNS_TTL: Duration = Duration::from_secs(60);
/// How many hosts' addresses are kept (a client talks to one or two).
const DNS_CACHE_HOSTS: usize = 8;

/// Remembers each host's addresses for [`DNS_TTL`].
///
/// ureq looks the host up before every request, even on a pooled connection, and with a
/// time-out set (we always set one) it does so on a new thread: one thread started per
/// call. Reusing the addresses keeps calls on pooled connections thread-free; a lookup
/// still happens, bounded by the call's time-out, on the first call and after the TTL.
#[derive(Debug, Default)]
struct CachingResolver {
    lookup: DefaultResolver,
    known: Mutex<Vec<(String, Instant, ResolvedSocketAddrs)>>,
    /// One lookup at a time: workers that miss together wait for the first one's answer
    /// instead of each starting a lookup thread (its time-out bounds their wait).
    looking_up: Mutex<()>,
}

impl CachingResolver {
    fn cached(&self, key: &str, now: Instant) -> Option<ResolvedSocketAddrs> {
        let known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        known
            .iter()
            .find(|(k, at, _)| k == key && now.duration_since(*at) < DNS_TTL)
            .map(|(_, _, addrs)| addrs.clone())
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let key = match (uri.scheme_str(), uri.authority()) {
            (Some(scheme), Some(authority)) => format!("{scheme}://{authority}"),
            _ => return self.lookup.resolve(uri, config, timeout),
        };
        if let Some(addrs) = self.cached(&key, Instant::now()) {
            return Ok(addrs);
        }
        let _turn = self
            .looking_up
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(addrs) = self.cached(&key, Instant::now()) {
            return Ok(addrs);
        }
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        let now = Instant::now();
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        known.retain(|(k, at, _)| *k != key && now.duration_since(*at) < DNS_TTL);
        if known.len() >= DNS_CACHE_HOSTS {
            known.remove(0);
        }
        known.push((key, now, addrs.clone()));
        Ok(addrs)
    }
}

fn with_headers<B>(
    mut request: ureq::RequestBuilder<B>,
    headers: &Headers<'_>,
) -> ureq::RequestBuilder<B> {
    if let Some(app_id) = headers.app_id {
        request = request.header("x-authing-app-id", app_id);
    }
    if let Some(pool) = headers.user_pool_id {
        request = request.header("x-authing-userpool-id", pool);
    }
    request = request
        .header("x-authing-request-from", REQUEST_FROM)
        .header("x-authing-sdk-version", SDK_VERSION)
        .header("x-authing-lang", headers.lang.as_str())
        .header("accept", "application/json");
    if let Some(token) = headers.access_token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request
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
        },
        E::BodyExceedsLimit(limit) => AuthError::BodyTooLarge { limit },
        E::HostNotFound => AuthError::Connection {
            reason: "host not found".into(),
        },
        E::ConnectionFailed => AuthError::Connection {
            reason: "could not connect".into(),
        },
        E::Io(io) => AuthError::Connection {
            reason: format!("{io}{while_reading}"),
        },
        E::BadUri(uri) => AuthError::Config(format!("the url is not valid: {uri}")),
        other if reading => AuthError::UnreadableBody {
            reason: other.to_string(),
        },
        other => AuthError::Connection {
            reason: other.to_string(),
        },
    }
}
