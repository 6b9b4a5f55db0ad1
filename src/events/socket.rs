//! One WebSocket connection to the event host: TCP (with the client's connect timeout),
//! TLS for `wss://` with the client's own trust settings (`transport/tls.rs`), then
//! tungstenite's client handshake. The proxy settings do not apply: the stream connects
//! directly (docs/CONFIGURATION.md, "Events").

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use tungstenite::{HandshakeError, WebSocket};

/// The byte stream under the WebSocket.
pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => &tls.sock,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.read(buf),
            Stream::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.write(buf),
            Stream::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(tcp) => tcp.flush(),
            Stream::Tls(tls) => tls.flush(),
        }
    }
}

/// Why a connection could not be made.
#[derive(Debug)]
pub(crate) enum ConnectError {
    /// The server answered the upgrade with this HTTP status (and its body's message).
    Status(u16, String),
    /// No answer: DNS, TCP, TLS, a broken handshake, a timeout.
    Failed(String),
}

/// An open connection and a handle on its socket, by which another thread can cut it.
pub(crate) struct Connection {
    pub(crate) ws: WebSocket<Stream>,
    pub(crate) cutter: TcpStream,
}

/// Cuts a connection from any thread: the reader's blocking read returns at once.
pub(crate) fn cut(tcp: &TcpStream) {
    let _ = tcp.shutdown(Shutdown::Both);
}

/// Connects to `url` (`ws://` or `wss://`), every step bounded by `timeout`.
pub(crate) fn connect(
    url: &str,
    tls: Option<&Arc<rustls::ClientConfig>>,
    timeout: Duration,
) -> Result<Connection, ConnectError> {
    let failed =
        |what: &str, e: &dyn std::fmt::Display| ConnectError::Failed(format!("{what}: {e}"));
    let (secure, rest) = if let Some(rest) = url.strip_prefix("wss://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("ws://") {
        (false, rest)
    } else {
        return Err(ConnectError::Failed(
            "the url is not ws:// or wss://".into(),
        ));
    };
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let (host, port) = split_authority(authority, if secure { 443 } else { 80 })
        .ok_or_else(|| ConnectError::Failed("the event host is not a valid host".into()))?;
    let addrs: Vec<_> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| failed("cannot resolve the event host", &e))?
        .collect();
    let mut last = None;
    let mut tcp = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let tcp = match (tcp, last) {
        (Some(tcp), _) => tcp,
        (None, Some(e)) => return Err(failed("cannot connect to the event host", &e)),
        (None, None) => return Err(ConnectError::Failed("the event host has no address".into())),
    };
    let _ = tcp.set_nodelay(true);
    tcp.set_read_timeout(Some(timeout))
        .and_then(|()| tcp.set_write_timeout(Some(timeout)))
        .map_err(|e| failed("socket", &e))?;
    let stream = if secure {
        let config = tls.ok_or_else(|| ConnectError::Failed("no tls settings".into()))?;
        let name = rustls::pki_types::ServerName::try_from(host.clone())
            .map_err(|e| failed("the event host is not a valid tls name", &e))?;
        let conn = rustls::ClientConnection::new(Arc::clone(config), name)
            .map_err(|e| failed("tls", &e))?;
        Stream::Tls(Box::new(rustls::StreamOwned::new(conn, tcp)))
    } else {
        Stream::Plain(tcp)
    };
    let cutter = stream.tcp().try_clone().map_err(|e| failed("socket", &e))?;
    match tungstenite::client::client(url, stream) {
        Ok((ws, _)) => Ok(Connection { ws, cutter }),
        Err(HandshakeError::Failure(tungstenite::Error::Http(response))) => {
            Err(status_error(&response))
        }
        Err(HandshakeError::Failure(e)) => Err(failed("the websocket handshake failed", &e)),
        Err(HandshakeError::Interrupted(_)) => Err(ConnectError::Failed(
            "the websocket handshake timed out".into(),
        )),
    }
}

/// The status and message of a refused upgrade (the `message` of an Authing envelope
/// when the body is one, else the start of the body).
fn status_error(response: &tungstenite::http::Response<Option<Vec<u8>>>) -> ConnectError {
    let status = response.status().as_u16();
    let body = response.body().as_deref().unwrap_or_default();
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
        .unwrap_or_else(|| {
            String::from_utf8_lossy(&body[..body.len().min(200)])
                .chars()
                .filter(|c| !c.is_control())
                .collect()
        });
    ConnectError::Status(status, message)
}

/// `host` (brackets of an IPv6 literal removed) and port of an authority.
fn split_authority(authority: &str, default_port: u16) -> Option<(String, u16)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if after.is_empty() => default_port,
            None => return None,
        };
        return Some((host.to_owned(), port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host.to_owned(), port.parse().ok()?)),
        None => Some((authority.to_owned(), default_port)),
    }
    .filter(|(host, _)| !host.is_empty())
}

#[cfg(test)]
mod tests {
    use super::split_authority;

    #[test]
    fn authorities_split_into_host_and_port() {
        assert_eq!(split_authority("a.b", 443), Some(("a.b".into(), 443)));
        assert_eq!(split_authority("a.b:81", 443), Some(("a.b".into(), 81)));
        assert_eq!(split_authority("[::1]:9", 80), Some(("::1".into(), 9)));
        assert_eq!(split_authority(":9", 80), None);
    }
}
