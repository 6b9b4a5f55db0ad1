//! A scripted HTTPS server on loopback: a throw-away CA made by rcgen for each server, a
//! certificate for `127.0.0.1`, `localhost` and `authing-test.invalid` (a name no DNS
//! answers, which the proxy tests reach only through a proxy) signed by it, served with rustls. Requests
//! are recorded and answered from a script, as `common::Server` does over plain http.
#![allow(dead_code)]

use std::io::{BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::common::{read_request, Captured, DEADLINE, QUIET};

/// What the script answers: a status and a JSON body.
pub type Answer = (u16, String);

pub struct TlsServer {
    addr: SocketAddr,
    /// The CA that signed the server's certificate, as PEM.
    pub ca_pem: String,
    requests: Receiver<Captured>,
    stop: Arc<AtomicBool>,
}

impl TlsServer {
    /// Answers each request with what `script` says for it.
    pub fn scripted(script: impl Fn(&Captured) -> Answer + Send + Sync + 'static) -> TlsServer {
        let (ca_pem, chain, key) = certificates();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = mpsc::channel();
        let tx = Arc::new(Mutex::new(tx));
        let stop = Arc::new(AtomicBool::new(false));
        let script: Arc<dyn Fn(&Captured) -> Answer + Send + Sync> = Arc::new(script);
        {
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (config, tx, script) =
                        (Arc::clone(&config), Arc::clone(&tx), Arc::clone(&script));
                    thread::spawn(move || serve(stream, config, &tx, script.as_ref()));
                }
            });
        }
        TlsServer {
            addr,
            ca_pem,
            requests: rx,
            stop,
        }
    }

    /// `https://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("https://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The next request the server received, waiting up to `DEADLINE`.
    pub fn next_request(&self) -> Captured {
        self.requests
            .recv_timeout(DEADLINE)
            .expect("the tls server received a request")
    }

    /// Asserts that no (further) request arrives within `QUIET`.
    pub fn assert_no_request(&self) {
        match self.requests.recv_timeout(QUIET) {
            Ok(req) => panic!("unexpected request: {} {}", req.method, req.path),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// A fresh CA (its PEM) and a server certificate chain and key signed by it.
fn certificates() -> (String, Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "authing sdk test ca");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).unwrap();

    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(vec![
        "127.0.0.1".to_string(),
        "localhost".to_string(),
        "authing-test.invalid".to_string(),
    ])
    .unwrap();
    leaf.distinguished_name
        .push(DnType::CommonName, "authing sdk test server");
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    (
        pem_certificate(ca_cert.der()),
        vec![leaf_cert.der().clone()],
        key,
    )
}

/// A DER certificate as PEM (rcgen's own `pem()` needs its `pem` feature, left off).
fn pem_certificate(der: &[u8]) -> String {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in text.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}

fn serve(
    stream: TcpStream,
    config: Arc<rustls::ServerConfig>,
    tx: &Mutex<Sender<Captured>>,
    script: &(dyn Fn(&Captured) -> Answer + Send + Sync),
) {
    let Ok(connection) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut reader = BufReader::new(rustls::StreamOwned::new(connection, stream));
    loop {
        // A failed handshake (a client that does not trust the CA) ends here.
        let Some(captured) = read_request(&mut reader) else {
            return;
        };
        let _ = tx.lock().unwrap().send(captured.clone());
        let (status, body) = script(&captured);
        let reply = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let stream = reader.get_mut();
        if stream.write_all(reply.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
    }
}

/// A TLS front on loopback: it accepts TLS (a certificate for `127.0.0.1` and `localhost`
/// from a CA of its own) and relays the plain bytes to `to`. Put before a
/// `connect_proxy::ConnectProxy`, it makes an `https://` proxy.
pub struct TlsFront {
    addr: SocketAddr,
    /// The CA that signed the front's certificate, as PEM.
    pub ca_pem: String,
    stop: Arc<AtomicBool>,
}

impl TlsFront {
    pub fn start(to: SocketAddr) -> TlsFront {
        let (ca_pem, chain, key) = certificates();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        {
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let config = Arc::clone(&config);
                    thread::spawn(move || front(stream, config, to));
                }
            });
        }
        TlsFront { addr, ca_pem, stop }
    }

    /// `https://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// One connection: the handshake, then plain bytes both ways. Two threads share the TLS
/// state under a lock held only for in-memory work and the writes to the client's socket;
/// each blocks reading its own socket outside it.
fn front(mut client: TcpStream, config: Arc<rustls::ServerConfig>, to: SocketAddr) {
    use std::io::Read;
    let Ok(mut tls) = rustls::ServerConnection::new(config) else {
        return;
    };
    while tls.is_handshaking() {
        if tls.complete_io(&mut client).is_err() {
            return;
        }
    }
    let Ok(upstream) = TcpStream::connect(to) else {
        return;
    };
    let tls = Arc::new(Mutex::new(tls));
    let (Ok(mut client_out), Ok(mut upstream_in)) = (client.try_clone(), upstream.try_clone())
    else {
        return;
    };
    // Upstream to client: plain bytes in, records out.
    let down = {
        let tls = Arc::clone(&tls);
        thread::spawn(move || {
            let mut buf = vec![0; 16 * 1024];
            loop {
                let n = upstream_in.read(&mut buf).unwrap_or(0);
                let mut tls = tls.lock().unwrap();
                if n == 0 {
                    tls.send_close_notify();
                } else if tls.writer().write_all(&buf[..n]).is_err() {
                    return;
                }
                while tls.wants_write() {
                    if tls.write_tls(&mut client_out).is_err() {
                        return;
                    }
                }
                if n == 0 {
                    return;
                }
            }
        })
    };
    // Client to upstream: records in, plain bytes out.
    let mut upstream_out = upstream;
    let mut buf = vec![0; 16 * 1024];
    loop {
        let n = client.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        let mut plain = Vec::new();
        {
            let mut tls = tls.lock().unwrap();
            if tls.read_tls(&mut &buf[..n]).is_err() || tls.process_new_packets().is_err() {
                break;
            }
            let _ = tls.reader().read_to_end(&mut plain);
            while tls.wants_write() {
                if tls.write_tls(&mut client).is_err() {
                    break;
                }
            }
        }
        if !plain.is_empty() && upstream_out.write_all(&plain).is_err() {
            break;
        }
    }
    let _ = upstream_out.shutdown(std::net::Shutdown::Write);
    let _ = down.join();
}
