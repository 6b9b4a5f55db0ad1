//! What an admin request (anything under `/emulator/`) must show before the admin API
//! answers it, checked in this order, each refusal a JSON `{"error": ..}`:
//!
//! 1. its `Host` (or the authority of an absolute-form target) names this emulator: a
//!    loopback name or address (`localhost`, `127.0.0.1` and the rest of `127.0.0.0/8`,
//!    `[::1]`), or the address it listens on (any IP address when it listens on `0.0.0.0`
//!    or `[::]`: an address cannot be rebound, only a DNS name can), any port; else 421,
//!    so that a web page cannot reach the admin API by DNS rebinding. A request without
//!    either (HTTP/1.0) passes: a browser always sends `Host`;
//! 2. its `Origin`, when it has one, is the emulator's own, `http://` and the same
//!    authority as the `Host`; else 403 (`Origin: null` included), so that a page of another
//!    origin cannot drive it;
//! 3. with an [admin token](crate::EmulatorConfig::admin_token), `Authorization: Bearer
//!    <token>`; else 401 with `WWW-Authenticate: Bearer`;
//! 4. a `POST`, `PUT` or `PATCH` says `Content-Type: application/json` (parameters such as
//!    `charset` allowed); else 415, so that a cross-site form or a `text/plain` fetch, which
//!    a browser sends without asking the server first, is refused. `DELETE` is not checked:
//!    a browser asks the server (a CORS preflight, which the emulator never grants) before
//!    sending one to another origin.

use std::net::{IpAddr, SocketAddr};

use serde_json::json;

use crate::http::server::Shared;
use crate::http::{Request, Response};

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The refusal of an admin request that does not pass, or `None` when it passes.
pub(crate) fn check(shared: &Shared, request: &Request) -> Option<Response> {
    let host = request.authority.as_deref().or(request.header("host"));
    if let Some(host) = host {
        if !host_is_ours(shared.addr, host) {
            let message = format!(
                "host {host:?} does not name this emulator: the admin api answers only to \
                 localhost, a loopback address or the address it listens on"
            );
            return Some(error(421, &message));
        }
    }
    if let Some(origin) = request.header("origin") {
        let scheme = format!("{}://", shared.scheme());
        let own = host.is_some_and(|host| {
            origin
                .get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(&scheme))
                && origin[scheme.len()..]
                    .trim_end_matches('/')
                    .eq_ignore_ascii_case(host)
        });
        if !own {
            let message = format!(
                "origin {origin:?} is not this emulator's: the admin api refuses requests \
                 from web pages of another origin"
            );
            return Some(error(403, &message));
        }
    }
    if let Some(token) = &shared.config.admin_token {
        let given = request.header("authorization").and_then(|value| {
            let (scheme, rest) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
        let message = match given {
            None => Some("the admin api needs the header authorization: bearer <admin token>"),
            Some(given) if !same(given.as_bytes(), token.as_bytes()) => {
                Some("wrong admin token in the authorization header")
            }
            Some(_) => None,
        };
        if let Some(message) = message {
            return Some(
                error(401, message).header("WWW-Authenticate", "Bearer realm=\"authing-emulator\""),
            );
        }
    }
    if matches!(request.method.as_str(), "POST" | "PUT" | "PATCH") {
        let media = request
            .header("content-type")
            .map(|value| value.split(';').next().unwrap_or("").trim());
        if !media.is_some_and(|m| m.eq_ignore_ascii_case("application/json")) {
            let message = match media {
                Some(m) => format!("admin writes need content-type application/json, not {m:?}"),
                None => "admin writes need content-type application/json, and this request \
                         has no content-type"
                    .to_owned(),
            };
            return Some(error(415, &message));
        }
    }
    None
}

/// Whether `host` (a `Host` value: a name or address, maybe a port) names the emulator
/// listening on `listen`.
pub(crate) fn host_is_ours(listen: SocketAddr, host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, after)) if after.is_empty() || port(after) => inside,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, after)) if port(&format!(":{after}")) => name,
            Some(_) => return false,
            None => host,
        }
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == listen.ip() || listen.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// Whether `text` is `:` and a port (digits, maybe none).
fn port(text: &str) -> bool {
    text.strip_prefix(':')
        .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Compares two tokens in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_this_emulator() {
        let loopback: SocketAddr = "127.0.0.1:8787".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8787".parse().unwrap();
        let lan: SocketAddr = "192.168.1.5:8787".parse().unwrap();
        for host in [
            "localhost",
            "LOCALHOST:8787",
            "localhost.:1",
            "127.0.0.1",
            "127.3.2.1:80",
        ] {
            assert!(host_is_ours(loopback, host), "{host}");
        }
        for host in ["[::1]:8787", "[::1]"] {
            assert!(host_is_ours(loopback, host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8787",
            "192.168.1.5:8787",
            "a.localhost",
        ] {
            assert!(!host_is_ours(loopback, host), "{host}");
        }
        assert!(host_is_ours(lan, "192.168.1.5:8787"));
        assert!(!host_is_ours(lan, "192.168.1.6:8787"));
        assert!(host_is_ours(any, "10.0.0.7:8787"));
        assert!(!host_is_ours(any, "rebound.example:8787"));
        assert!(!host_is_ours(loopback, "127.0.0.1:80x"));
        assert!(!host_is_ours(loopback, "[::1"));
    }
}
