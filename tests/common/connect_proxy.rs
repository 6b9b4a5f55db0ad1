//! A forward HTTP proxy on loopback for the proxy tests: it answers `CONNECT host:port`
//! (optionally asking for `Proxy-Authorization: Basic`), opens a TCP connection to the
//! target and relays bytes both ways. ureq tunnels every call through an http proxy, plain
//! http targets included, so CONNECT is all it speaks: any other request (an absolute-form
//! `GET http://...`) is recorded and refused with 405, so a test sees it.
//!
//! It resolves target names itself: a name given to [`ConnectProxy::route`] (such as
//! `authing-test.invalid`, which no DNS answers) goes to its address; an IP literal to
//! itself; anything else through the OS. Each request is recorded ([`Asked`]) before it is
//! answered: the target as the client named it and the credentials it sent.
//!
//! Standard library only: the SDK's own unit tests include this file too.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How long [`ConnectProxy::next_asked`] waits.
const WAIT: Duration = Duration::from_secs(10);
/// How long [`ConnectProxy::assert_nothing_asked`] listens.
const QUIET: Duration = Duration::from_millis(300);

/// One request the proxy received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// `CONNECT`, or whatever else came.
    pub method: String,
    /// The request target as sent: `authing-test.invalid:8787` for a CONNECT.
    pub target: String,
    /// The user and password of a `Proxy-Authorization: Basic` header, decoded.
    pub credentials: Option<(String, String)>,
    /// Whether the tunnel was opened (right credentials, a reachable target).
    pub admitted: bool,
}

/// Options of a [`ConnectProxy`], set before [`ConnectProxy::start`].
#[derive(Default, Clone)]
pub struct ConnectProxyBuilder {
    credentials: Option<(String, String)>,
    routes: HashMap<String, SocketAddr>,
}

impl ConnectProxyBuilder {
    /// Asks for these credentials: without them, or with others, the answer is 407.
    pub fn credentials(mut self, user: &str, password: &str) -> Self {
        self.credentials = Some((user.to_string(), password.to_string()));
        self
    }

    /// Sends a CONNECT to `host` (any port) to `to` (`to`'s port is replaced by the
    /// asked one only when `to`'s port is 0).
    pub fn route(mut self, host: &str, to: SocketAddr) -> Self {
        self.routes.insert(host.to_ascii_lowercase(), to);
        self
    }

    pub fn start(self) -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = mpsc::channel();
        let tx = Arc::new(Mutex::new(tx));
        let stop = Arc::new(AtomicBool::new(false));
        let options = Arc::new(self);
        {
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (tx, options) = (Arc::clone(&tx), Arc::clone(&options));
                    thread::spawn(move || {
                        let _ = serve(stream, &options, &tx);
                    });
                }
            });
        }
        ConnectProxy {
            addr,
            asked: rx,
            stop,
        }
    }
}

pub struct ConnectProxy {
    addr: SocketAddr,
    asked: Receiver<Asked>,
    stop: Arc<AtomicBool>,
}

impl ConnectProxy {
    pub fn builder() -> ConnectProxyBuilder {
        ConnectProxyBuilder::default()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://<user>:<password>@127.0.0.1:<port>` (neither needs percent-encoding).
    pub fn url_with(&self, user: &str, password: &str) -> String {
        format!("http://{user}:{password}@{}", self.addr)
    }

    /// The next request the proxy received, waiting up to 10 s.
    pub fn next_asked(&self) -> Asked {
        self.asked
            .recv_timeout(WAIT)
            .expect("the proxy was asked for a tunnel")
    }

    /// Asserts that no (further) request arrives within 300 ms.
    pub fn assert_nothing_asked(&self) {
        match self.asked.recv_timeout(QUIET) {
            Ok(asked) => panic!("unexpected request to the proxy: {asked:?}"),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(
    stream: TcpStream,
    options: &ConnectProxyBuilder,
    tx: &Mutex<Sender<Asked>>,
) -> io::Result<()> {
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(());
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut credentials = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            return Ok(());
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("proxy-authorization") {
                credentials = basic(value.trim());
            }
        }
    }
    let mut asked = Asked {
        method: method.clone(),
        target: target.clone(),
        credentials: credentials.clone(),
        admitted: false,
    };
    let refuse = |asked: Asked, writer: &mut TcpStream, status: &str, extra: &str| {
        let _ = tx.lock().unwrap().send(asked);
        let _ = write!(
            writer,
            "HTTP/1.1 {status}\r\n{extra}content-length: 0\r\nconnection: close\r\n\r\n"
        );
        let _ = writer.shutdown(Shutdown::Both);
    };
    if method != "CONNECT" {
        refuse(asked, &mut writer, "405 Method Not Allowed", "");
        return Ok(());
    }
    if options.credentials.is_some() && credentials != options.credentials {
        refuse(
            asked,
            &mut writer,
            "407 Proxy Authentication Required",
            "proxy-authenticate: Basic realm=\"test\"\r\n",
        );
        return Ok(());
    }
    let Some(upstream) = route(&options.routes, &target).and_then(|to| TcpStream::connect(to).ok())
    else {
        refuse(asked, &mut writer, "502 Bad Gateway", "");
        return Ok(());
    };
    asked.admitted = true;
    let _ = tx.lock().unwrap().send(asked);
    writer.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")?;
    // Bytes the client sent after the request's head (none from ureq, which waits).
    let early = reader.buffer().to_vec();
    let mut to_upstream = upstream.try_clone()?;
    to_upstream.write_all(&early)?;
    let client = reader.into_inner();
    relay(client, upstream);
    Ok(())
}

/// Copies bytes both ways until each side has closed.
fn relay(client: TcpStream, upstream: TcpStream) {
    let (Ok(client_in), Ok(upstream_out)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    let up = thread::spawn(move || pipe(client_in, upstream_out));
    pipe(upstream, client);
    let _ = up.join();
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    let _ = io::copy(&mut from, &mut to);
    let _ = to.shutdown(Shutdown::Write);
}

/// Where `host:port` goes: a route, an IP literal, or the OS's answer.
fn route(routes: &HashMap<String, SocketAddr>, target: &str) -> Option<SocketAddr> {
    let (host, port) = target.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Some(to) = routes.get(&bare.to_ascii_lowercase()) {
        let mut to = *to;
        if to.port() == 0 {
            to.set_port(port);
        }
        return Some(to);
    }
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return Some(SocketAddr::new(ip, port));
    }
    (host, port).to_socket_addrs().ok()?.next()
}

/// The user and password of `Basic <base64>`.
fn basic(value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64_decode(encoded.trim())?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// Standard base64, padded; `None` if malformed.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let text = text.trim_end_matches('=');
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u32, 0);
    for byte in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == byte)? as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}
