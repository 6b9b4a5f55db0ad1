//! A delaying TCP proxy on loopback: every chunk read on one side is written to the other
//! `rtt / 2` after it was read (order kept per direction, each direction on its own
//! threads), a new connection's first client bytes wait one more `rtt` (the TCP handshake
//! a real network would charge), and closes propagate both ways. No kernel facility
//! (`netem`) is needed. It forwards bytes, so https passes through untouched (the
//! client's TLS session is with the server). Counters: connections, TLS handshakes and
//! how many of them resumed a session (`tls_scan.rs`), requests (client chunks that start
//! with an HTTP method: plain http only), bytes each way.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crate::tls_scan::TlsScan;

const METHODS: [&[u8]; 7] = [
    b"GET ",
    b"POST ",
    b"PUT ",
    b"DELETE ",
    b"PATCH ",
    b"HEAD ",
    b"OPTIONS ",
];

#[derive(Default)]
struct Counters {
    connections: AtomicU64,
    handshakes: AtomicU64,
    resumed: AtomicU64,
    requests: AtomicU64,
    up: AtomicU64,
    down: AtomicU64,
}

/// What the proxy has seen, from its start or between two snapshots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub connections: u64,
    /// TLS ClientHellos, resumed ones included.
    pub handshakes: u64,
    /// ClientHellos that offered a session to resume (a ticket or pre-shared key).
    pub resumed: u64,
    /// Requests seen in plain http; 0 over https (the bytes are encrypted).
    pub requests: u64,
    /// Bytes from the client to the server.
    pub up: u64,
    /// Bytes from the server to the client.
    pub down: u64,
}

impl std::ops::Sub for Counts {
    type Output = Counts;
    fn sub(self, before: Counts) -> Counts {
        Counts {
            connections: self.connections - before.connections,
            handshakes: self.handshakes - before.handshakes,
            resumed: self.resumed - before.resumed,
            requests: self.requests - before.requests,
            up: self.up - before.up,
            down: self.down - before.down,
        }
    }
}

pub struct Proxy {
    addr: SocketAddr,
    upstream: SocketAddr,
    rtt: Duration,
    counters: Arc<Counters>,
}

impl Proxy {
    /// Listens on an ephemeral loopback port and forwards every connection to `upstream`.
    /// The accepting thread lives as long as the program.
    pub fn start(upstream: SocketAddr, rtt: Duration) -> Proxy {
        let counters = Arc::new(Counters::default());
        let addr = listen(upstream, rtt, counters.clone());
        Proxy {
            addr,
            upstream,
            rtt,
            counters,
        }
    }

    /// One more port of the same proxy (same upstream, delay and counters), for a client
    /// that must find no connection another one left in a shared pool: connections are
    /// pooled per host and port.
    pub fn another_port(&self) -> SocketAddr {
        listen(self.upstream, self.rtt, self.counters.clone())
    }

    /// The proxy's URL in `scheme` (`http` or `https`: the proxy does not care).
    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://{}", self.addr)
    }

    pub fn counts(&self) -> Counts {
        read(&self.counters)
    }
}

/// A listener on an ephemeral loopback port whose thread (living as long as the program)
/// forwards every connection to `upstream`.
fn listen(upstream: SocketAddr, rtt: Duration, counters: Arc<Counters>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let accepted = Instant::now();
            counters.connections.fetch_add(1, Ordering::Relaxed);
            let Ok(server) = TcpStream::connect(upstream) else {
                let _ = client.shutdown(Shutdown::Both);
                continue;
            };
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            let half = rtt / 2;
            // The handshake: the client's first bytes could leave one RTT after its SYN.
            pump(
                &client,
                &server,
                accepted + rtt,
                half,
                counters.clone(),
                true,
            );
            pump(&server, &client, accepted, half, counters.clone(), false);
        }
    });
    addr
}

fn read(c: &Counters) -> Counts {
    Counts {
        connections: c.connections.load(Ordering::Relaxed),
        handshakes: c.handshakes.load(Ordering::Relaxed),
        resumed: c.resumed.load(Ordering::Relaxed),
        requests: c.requests.load(Ordering::Relaxed),
        up: c.up.load(Ordering::Relaxed),
        down: c.down.load(Ordering::Relaxed),
    }
}

/// One direction: a reader thread stamps each chunk with the time it may be delivered
/// (`max(read, ready) + half`), a writer thread delivers the chunks in order at those
/// times. End of stream (or a read error) becomes a write shutdown on the other side once
/// the chunks before it are delivered; a write error shuts both sockets, so the other
/// direction ends too. `up`: the client-to-server direction (its chunks are counted as
/// requests when they start with a method).
fn pump(
    from: &TcpStream,
    to: &TcpStream,
    ready: Instant,
    half: Duration,
    counters: Arc<Counters>,
    up: bool,
) {
    let (Ok(mut reader), Ok(mut writer), Ok(reader_end)) =
        (from.try_clone(), to.try_clone(), from.try_clone())
    else {
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
        return;
    };
    let (tx, rx) = mpsc::channel::<Option<(Instant, Vec<u8>)>>();
    thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        let mut tls = TlsScan::default();
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(None);
                    return;
                }
                Ok(n) => {
                    let chunk = buf[..n].to_vec();
                    if up {
                        counters.up.fetch_add(n as u64, Ordering::Relaxed);
                        if METHODS.iter().any(|m| chunk.starts_with(m)) {
                            counters.requests.fetch_add(1, Ordering::Relaxed);
                        }
                        for hello in tls.feed(&chunk) {
                            counters.handshakes.fetch_add(1, Ordering::Relaxed);
                            if hello.resumes {
                                counters.resumed.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    } else {
                        counters.down.fetch_add(n as u64, Ordering::Relaxed);
                    }
                    let due = Instant::now().max(ready) + half;
                    if tx.send(Some((due, chunk))).is_err() {
                        return;
                    }
                }
            }
        }
    });
    thread::spawn(move || {
        while let Ok(Some((due, chunk))) = rx.recv() {
            let now = Instant::now();
            if due > now {
                thread::sleep(due - now);
            }
            if writer.write_all(&chunk).is_err() {
                let _ = writer.shutdown(Shutdown::Both);
                let _ = reader_end.shutdown(Shutdown::Both);
                return;
            }
        }
        let _ = writer.shutdown(Shutdown::Write);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An echo server through the proxy: every byte comes back, in order, after many
    /// small writes; the client's close reaches the server and the server's close comes
    /// back as end of stream; each round trip costs at least the RTT.
    #[test]
    fn forwards_in_order_and_propagates_closes() {
        let echo = TcpListener::bind("127.0.0.1:0").unwrap();
        let upstream = echo.local_addr().unwrap();
        thread::spawn(move || {
            for s in echo.incoming() {
                let mut s = s.unwrap();
                thread::spawn(move || {
                    let mut back = s.try_clone().unwrap();
                    std::io::copy(&mut s, &mut back).unwrap();
                    back.shutdown(Shutdown::Write).unwrap();
                });
            }
        });
        let rtt = Duration::from_millis(20);
        let proxy = Proxy::start(upstream, rtt);
        // From before the connect: the proxy charges the handshake from its accept.
        let t = Instant::now();
        let mut client = TcpStream::connect(proxy.addr).unwrap();
        let sent: Vec<u8> = (0..200_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
        let mut reader = client.try_clone().unwrap();
        let got = thread::spawn(move || {
            let mut got = Vec::new();
            reader.read_to_end(&mut got).unwrap();
            got
        });
        client.write_all(b"POST / HTTP/1.1\r\n").unwrap();
        for piece in sent.chunks(997) {
            client.write_all(piece).unwrap();
        }
        client.shutdown(Shutdown::Write).unwrap();
        let got = got.join().unwrap();
        assert!(
            t.elapsed() >= rtt * 2,
            "handshake + one round trip: {:?}",
            t.elapsed()
        );
        assert_eq!(&got[..17], b"POST / HTTP/1.1\r\n");
        assert!(got[17..] == sent[..], "no byte lost or reordered");
        let c = proxy.counts();
        assert_eq!((c.connections, c.requests), (1, 1));
        assert_eq!(c.up, sent.len() as u64 + 17);
        assert_eq!(c.down, c.up);
    }

    /// One https request on a new connection, through the proxy, by rustls directly (so
    /// the test holds the client's session cache): the status line.
    fn https_get(proxy: &Proxy, config: &std::sync::Arc<rustls::ClientConfig>) -> String {
        let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
        let tls = rustls::ClientConnection::new(config.clone(), name).unwrap();
        let tcp = TcpStream::connect(proxy.addr).unwrap();
        let mut stream = rustls::StreamOwned::new(tls, tcp);
        stream
            .write_all(
                format!(
                    "GET /api/v3/system HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
                    proxy.addr
                )
                .as_bytes(),
            )
            .unwrap();
        let mut answer = Vec::new();
        // The server may end without close_notify; what was read is enough.
        let _ = stream.read_to_end(&mut answer);
        let text = String::from_utf8_lossy(&answer);
        text.lines().next().unwrap_or_default().to_string()
    }

    /// A real TLS handshake through the proxy (the emulator's https, rustls as client):
    /// the first connection is a full handshake, the second, from the same client
    /// configuration, offers the session the first got; plain http counts no handshake,
    /// and https counts no request (the proxy cannot read them).
    #[test]
    fn counts_tls_handshakes_and_resumptions() {
        use authing::emulator::{Emulator, EmulatorConfig};
        let emu = Emulator::start_with(EmulatorConfig::default().tls(true)).unwrap();
        let proxy = Proxy::start(emu.addr(), Duration::from_millis(2));
        let mut roots = rustls::RootCertStore::empty();
        let pem = emu.ca_pem().unwrap();
        let der = crate::tls_scan::tests::pem_to_der(&pem);
        roots.add(der.into()).unwrap();
        let config = std::sync::Arc::new(
            rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
        );
        assert_eq!(https_get(&proxy, &config), "HTTP/1.1 200 OK");
        let first = proxy.counts();
        assert_eq!(
            (
                first.connections,
                first.handshakes,
                first.resumed,
                first.requests
            ),
            (1, 1, 0, 0),
            "a full handshake, no readable request"
        );
        assert_eq!(https_get(&proxy, &config), "HTTP/1.1 200 OK");
        let second = proxy.counts() - first;
        assert_eq!(
            (second.connections, second.handshakes, second.resumed),
            (1, 1, 1),
            "the second hello offers the first session"
        );

        let plain = Emulator::start().unwrap();
        let proxy = Proxy::start(plain.addr(), Duration::from_millis(2));
        let mut s = TcpStream::connect(proxy.addr).unwrap();
        write!(
            s,
            "GET /api/v3/system HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let c = proxy.counts();
        assert_eq!((c.connections, c.handshakes, c.requests), (1, 0, 1));
    }
}
