//! https (`EmulatorConfig::tls`): a throw-away CA made at start by rcgen, a leaf
//! certificate it signs for `127.0.0.1`, `::1`, `localhost` and the configured names, and
//! rustls (the `ring` provider) serving it. The CA's key lives only in memory and is
//! dropped once the leaf is signed; the CA's PEM is what clients trust.
//!
//! Sessions can be resumed, as Authing's front ends allow: the server keeps the last
//! [`SESSIONS`] sessions in memory (TLS 1.2 session ids) and hands out tickets (TLS 1.3
//! pre-shared keys, TLS 1.2 tickets) sealed with keys of its own that rotate every 6
//! hours (rustls' `Ticketer`). Each completed handshake is counted, full or resumed
//! (`EmulatorStats`).

use std::io;
use std::sync::Arc;

/// How many TLS sessions the server keeps for resumption by session id.
const SESSIONS: usize = 1024;

/// What an https emulator keeps: the CA to trust, as PEM, and the server's TLS settings.
pub(crate) struct Tls {
    pub(crate) ca_pem: String,
    pub(crate) config: Arc<rustls::ServerConfig>,
}

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("tls: {e}"))
}

impl Tls {
    /// A fresh CA and a leaf for the loopback names and `names`.
    pub(crate) fn new(names: &[String]) -> io::Result<Tls> {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
            KeyUsagePurpose,
        };
        use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

        let ca_key = KeyPair::generate().map_err(other)?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(other)?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.distinguished_name
            .push(DnType::CommonName, "authing-emulator throw-away ca");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).map_err(other)?;

        let mut all = vec![
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
            "localhost".to_owned(),
        ];
        for name in names {
            let name = name.trim();
            if name.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "tls: a certificate name is empty",
                ));
            }
            if !all.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                all.push(name.to_owned());
            }
        }
        let leaf_key = KeyPair::generate().map_err(other)?;
        let mut leaf = CertificateParams::new(all)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("tls: {e}")))?;
        leaf.distinguished_name
            .push(DnType::CommonName, "authing-emulator");
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf_cert = leaf
            .signed_by(&leaf_key, &ca_cert, &ca_key)
            .map_err(other)?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(other)?
            .with_no_client_auth()
            .with_single_cert(vec![leaf_cert.der().clone()], key)
            .map_err(other)?;
        config.session_storage = rustls::server::ServerSessionMemoryCache::new(SESSIONS);
        config.ticketer = rustls::crypto::ring::Ticketer::new().map_err(other)?;
        Ok(Tls {
            ca_pem: pem_certificate(ca_cert.der()),
            config: Arc::new(config),
        })
    }
}

/// A DER certificate as PEM: base64 in lines of 64 between the BEGIN and END lines.
fn pem_certificate(der: &[u8]) -> String {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in text.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}
