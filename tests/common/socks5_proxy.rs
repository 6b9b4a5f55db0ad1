//! A SOCKS5 proxy on loopback for the proxy tests (RFC 1928 CONNECT, with RFC 1929
//! username/password authentication when it is given credentials): it connects to the
//! target and relays bytes both ways.
//!
//! It resolves target names itself: a name given to [`Socks5ProxyBuilder::route`] (such as
//! `authing-test.invalid`, which no DNS answers) goes to its address; an IP to itself;
//! anything else through the OS. Each CONNECT (or refusal) is recorded ([`SocksAsked`]):
//! the target as the client named it, whether by name (address type 3) or address, the
//! methods it offered and the credentials it sent.
//!
//! Standard library only, like `connect_proxy.rs`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{
    IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);
const QUIET: Duration = Duration::from_millis(300);

/// No authentication.
const NO_AUTH: u8 = 0;
/// Username and password (RFC 1929).
const USER_PASS: u8 = 2;
/// "No acceptable methods".
const NONE_ACCEPTABLE: u8 = 0xff;

/// One SOCKS5 conversation as the proxy saw it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SocksAsked {
    /// The authentication methods the client offered.
    pub methods: Vec<u8>,
    /// The username and password the client sent, if it did.
    pub credentials: Option<(String, String)>,
    /// `host:port` as the client named it (`[v6]:port` for IPv6); empty if the
    /// conversation ended before a CONNECT.
    pub target: String,
    /// Whether the target was given by name (address type 3), not as an address.
    pub by_name: bool,
    /// Whether the connection was opened.
    pub admitted: bool,
}

#[derive(Default, Clone)]
pub struct Socks5ProxyBuilder {
    credentials: Option<(String, String)>,
    routes: HashMap<String, SocketAddr>,
}

impl Socks5ProxyBuilder {
    /// Asks for username/password authentication with these.
    pub fn credentials(mut self, user: &str, password: &str) -> Self {
        self.credentials = Some((user.to_string(), password.to_string()));
        self
    }

    /// Sends a CONNECT to `host` to `to` (its port 0: the asked port).
    pub fn route(mut self, host: &str, to: SocketAddr) -> Self {
        self.routes.insert(host.to_ascii_lowercase(), to);
        self
    }

    pub fn start(self) -> Socks5Proxy {
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
                        let mut asked = SocksAsked::default();
                        let outcome = serve(stream, &options, &mut asked);
                        if let Ok(Some((client, upstream))) = outcome {
                            asked.admitted = true;
                            let _ = tx.lock().unwrap().send(asked);
                            relay(client, upstream);
                        } else {
                            let _ = tx.lock().unwrap().send(asked);
                        }
                    });
                }
            });
        }
        Socks5Proxy {
            addr,
            asked: rx,
            stop,
        }
    }
}

pub struct Socks5Proxy {
    addr: SocketAddr,
    asked: Receiver<SocksAsked>,
    stop: Arc<AtomicBool>,
}

impl Socks5Proxy {
    pub fn builder() -> Socks5ProxyBuilder {
        Socks5ProxyBuilder::default()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `socks5://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("socks5://{}", self.addr)
    }

    /// `socks5://<user>:<password>@127.0.0.1:<port>`.
    pub fn url_with(&self, user: &str, password: &str) -> String {
        format!("socks5://{user}:{password}@{}", self.addr)
    }

    /// The next conversation, waiting up to 10 s.
    pub fn next_asked(&self) -> SocksAsked {
        self.asked
            .recv_timeout(WAIT)
            .expect("the socks proxy was asked for a connection")
    }

    /// Asserts that no (further) conversation ends within 300 ms.
    pub fn assert_nothing_asked(&self) {
        match self.asked.recv_timeout(QUIET) {
            Ok(asked) => panic!("unexpected socks conversation: {asked:?}"),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
    }
}

impl Drop for Socks5Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn byte(stream: &mut TcpStream) -> io::Result<u8> {
    let mut one = [0];
    stream.read_exact(&mut one)?;
    Ok(one[0])
}

fn bytes(stream: &mut TcpStream, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0; n];
    stream.read_exact(&mut buf)?;
    Ok(buf)
}

/// The handshake; `Some` (the client and the target's connections) when it succeeded.
fn serve(
    mut client: TcpStream,
    options: &Socks5ProxyBuilder,
    asked: &mut SocksAsked,
) -> io::Result<Option<(TcpStream, TcpStream)>> {
    if byte(&mut client)? != 5 {
        return Ok(None);
    }
    let n = byte(&mut client)? as usize;
    asked.methods = bytes(&mut client, n)?;
    let wanted = if options.credentials.is_some() {
        USER_PASS
    } else {
        NO_AUTH
    };
    if !asked.methods.contains(&wanted) {
        client.write_all(&[5, NONE_ACCEPTABLE])?;
        return Ok(None);
    }
    client.write_all(&[5, wanted])?;
    if wanted == USER_PASS {
        if byte(&mut client)? != 1 {
            return Ok(None);
        }
        let n = byte(&mut client)? as usize;
        let user = String::from_utf8_lossy(&bytes(&mut client, n)?).into_owned();
        let n = byte(&mut client)? as usize;
        let password = String::from_utf8_lossy(&bytes(&mut client, n)?).into_owned();
        asked.credentials = Some((user, password));
        if asked.credentials != options.credentials {
            client.write_all(&[1, 1])?;
            return Ok(None);
        }
        client.write_all(&[1, 0])?;
    }
    let head = bytes(&mut client, 4)?;
    if head[0] != 5 || head[1] != 1 {
        client.write_all(&[5, 7, 0, 1, 0, 0, 0, 0, 0, 0])?; // command not supported
        return Ok(None);
    }
    let host = match head[3] {
        1 => IpAddr::from(<[u8; 4]>::try_from(bytes(&mut client, 4)?).unwrap()).to_string(),
        4 => format!(
            "[{}]",
            Ipv6Addr::from(<[u8; 16]>::try_from(bytes(&mut client, 16)?).unwrap())
        ),
        3 => {
            asked.by_name = true;
            let n = byte(&mut client)? as usize;
            String::from_utf8_lossy(&bytes(&mut client, n)?).into_owned()
        }
        _ => return Ok(None),
    };
    let port = u16::from_be_bytes(<[u8; 2]>::try_from(bytes(&mut client, 2)?).unwrap());
    asked.target = format!("{host}:{port}");
    let Some(upstream) =
        route(&options.routes, &host, port).and_then(|to| TcpStream::connect(to).ok())
    else {
        client.write_all(&[5, 4, 0, 1, 0, 0, 0, 0, 0, 0])?; // host unreachable
        return Ok(None);
    };
    let bound = Ipv4Addr::LOCALHOST.octets();
    client.write_all(&[5, 0, 0, 1, bound[0], bound[1], bound[2], bound[3], 0, 0])?;
    Ok(Some((client, upstream)))
}

/// Where `host` goes: a route, an IP literal, or the OS's answer.
fn route(routes: &HashMap<String, SocketAddr>, host: &str, port: u16) -> Option<SocketAddr> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Some(to) = routes.get(&bare.to_ascii_lowercase()) {
        let mut to = *to;
        if to.port() == 0 {
            to.set_port(port);
        }
        return Some(to);
    }
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Some(SocketAddr::new(ip, port));
    }
    (bare, port).to_socket_addrs().ok()?.next()
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
