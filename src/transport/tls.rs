//! Which certificate authorities a client trusts for `https`.
//!
//! - By default, Mozilla's root certificates, compiled in (ureq's `rustls` with
//!   `webpki-roots`): the same on every machine, whatever the OS store holds.
//! - [`AuthClientBuilder::root_certificates_pem`](crate::AuthClientBuilder::root_certificates_pem)
//!   (and `_file`): only the given CAs, for an on-premises Authing behind a private CA.
//! - [`AuthClientBuilder::platform_verifier`](crate::AuthClientBuilder::platform_verifier)
//!   (cargo feature `platform-verifier`): the operating system's verifier and trust store.
//!
//! Plain `http` is used only when a URL says `http://`; nothing turns `https` into `http`.
//!
//! TLS sessions are resumed across clients: the API's through the shared agents
//! (`agents.rs`), the event stream's through one rustls configuration per set of roots
//! (`rustls_config`).

use std::fmt;
use std::sync::Arc;

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use crate::client::config::ConfigError;

/// The trust anchors of a client.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub(crate) enum Roots {
    /// Mozilla's roots, compiled in.
    #[default]
    Mozilla,
    /// Only these CA certificates (DER).
    Only(Arc<Vec<Vec<u8>>>),
    /// The operating system's verifier (cargo feature `platform-verifier`).
    Platform,
}

impl fmt::Debug for Roots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Roots::Mozilla => f.write_str("Mozilla"),
            Roots::Only(ders) => write!(f, "Only({} certificates)", ders.len()),
            Roots::Platform => f.write_str("Platform"),
        }
    }
}

/// ureq's TLS settings for `roots`.
pub(crate) fn config(roots: &Roots) -> TlsConfig {
    let root_certs = match roots {
        Roots::Mozilla => RootCerts::WebPki,
        Roots::Only(ders) => RootCerts::new_with_certs(
            &ders
                .iter()
                .map(|der| Certificate::from_der(der).to_owned())
                .collect::<Vec<_>>(),
        ),
        // The builder refuses `platform_verifier` without the feature, so this is reached
        // only with it on (ureq panics on `PlatformVerifier` without its feature).
        Roots::Platform => RootCerts::PlatformVerifier,
    };
    TlsConfig::builder().root_certs(root_certs).build()
}

/// How many sets of roots keep their event-stream TLS settings (and sessions).
#[cfg(feature = "events")]
const EVENT_CONFIGS: usize = 8;

/// The rustls settings for `roots`, as ureq builds its own from [`config`] (same crypto
/// provider, same anchors): for the event stream's WebSocket (cargo feature `events`),
/// which is not made through ureq.
///
/// One per set of roots for the whole process (the last [`EVENT_CONFIGS`] sets used), so
/// its session cache outlives a connection: a stream that connects again, and every other
/// stream with the same roots, resumes the TLS session instead of a full handshake. It
/// holds no socket, only settings and sessions, so keeping it costs memory alone.
#[cfg(feature = "events")]
pub(crate) fn rustls_config(roots: &Roots) -> Result<Arc<rustls::ClientConfig>, String> {
    use std::sync::Mutex;
    type Kept = Vec<(Roots, Arc<rustls::ClientConfig>)>;
    static CONFIGS: Mutex<Kept> = Mutex::new(Vec::new());
    let mut configs = crate::dispatch::slot::lock(&CONFIGS);
    if let Some(at) = configs.iter().position(|(kept, _)| kept == roots) {
        // Most recently used last.
        let entry = configs.remove(at);
        let config = Arc::clone(&entry.1);
        configs.push(entry);
        return Ok(config);
    }
    let config = new_rustls_config(roots)?;
    configs.push((roots.clone(), Arc::clone(&config)));
    if configs.len() > EVENT_CONFIGS {
        configs.remove(0);
    }
    Ok(config)
}

/// New rustls settings for `roots` (see [`rustls_config`]).
#[cfg(feature = "events")]
fn new_rustls_config(roots: &Roots) -> Result<Arc<rustls::ClientConfig>, String> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| format!("tls settings: {e}"))?;
    let builder = match roots {
        Roots::Mozilla => builder.with_root_certificates(rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        }),
        Roots::Only(ders) => {
            let mut store = rustls::RootCertStore::empty();
            let _ = store.add_parsable_certificates(
                ders.iter()
                    .map(|der| rustls::pki_types::CertificateDer::from(der.clone())),
            );
            builder.with_root_certificates(store)
        }
        #[cfg(feature = "platform-verifier")]
        Roots::Platform => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(
                rustls_platform_verifier::Verifier::new(provider)
                    .map_err(|e| format!("the platform verifier: {e}"))?,
            )),
        #[cfg(not(feature = "platform-verifier"))]
        Roots::Platform => {
            return Err("platform_verifier needs the platform-verifier feature".into())
        }
    };
    Ok(Arc::new(builder.with_no_client_auth()))
}

/// The certificates of a PEM text (`-----BEGIN CERTIFICATE-----` blocks; other blocks,
/// such as keys, and text between blocks are skipped), as DER.
///
/// Refused, naming `setting`: a text with no certificate, a block whose base64 is broken,
/// and a certificate whose DER is not one whole ASN.1 `SEQUENCE`. (The full X.509 parse
/// happens in the TLS library when the first https connection is made.)
pub(crate) fn certificates(setting: &'static str, pem: &[u8]) -> Result<Vec<Vec<u8>>, ConfigError> {
    let mut ders = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => {
                let der = cert.der().to_vec();
                if !is_one_der_sequence(&der) {
                    return Err(ConfigError::new(
                        setting,
                        format!(
                            "certificate {} is not a der-encoded certificate",
                            ders.len() + 1
                        ),
                    ));
                }
                ders.push(der);
            }
            Ok(_) => {}
            Err(_) => {
                return Err(ConfigError::new(
                    setting,
                    "is not valid pem: a block is not closed or its base64 is broken",
                ));
            }
        }
    }
    if ders.is_empty() {
        return Err(ConfigError::new(
            setting,
            "holds no pem certificate (-----BEGIN CERTIFICATE-----)",
        ));
    }
    Ok(ders)
}

/// Whether `der` is exactly one ASN.1 `SEQUENCE` (tag 0x30) with a definite length.
fn is_one_der_sequence(der: &[u8]) -> bool {
    let [0x30, first, rest @ ..] = der else {
        return false;
    };
    let (len, body) = if *first < 0x80 {
        (usize::from(*first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return false;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    body.len() == len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem(der: &[u8]) -> String {
        use std::fmt::Write as _;
        const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut text = String::new();
        for chunk in der.chunks(3) {
            let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
                << (8 * (3 - chunk.len()));
            for i in 0..4 {
                if i <= chunk.len() {
                    text.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    text.push('=');
                }
            }
        }
        let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
        let _ = writeln!(out, "{text}");
        out.push_str("-----END CERTIFICATE-----\n");
        out
    }

    #[test]
    fn certificates_takes_every_certificate_block_and_skips_the_rest() {
        let one = [0x30, 0x03, 0x02, 0x01, 0x01];
        let two = [0x30, 0x81, 0x01, 0x05];
        let text = format!(
            "a comment\n{}-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n{}",
            pem(&one),
            pem(&two)
        );
        let ders = certificates("root_certificates_pem", text.as_bytes()).unwrap();
        assert_eq!(ders, [one.to_vec(), two.to_vec()]);
    }

    #[test]
    fn certificates_refuses_text_without_certificates_or_with_broken_ones() {
        let cases: [(&[u8], &str); 4] = [
            (b"", "holds no pem certificate"),
            (b"not pem at all", "holds no pem certificate"),
            (
                b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
                "is not valid pem",
            ),
            (
                pem(&[0x30, 0x05, 0x01]).leak().as_bytes(),
                "certificate 1 is not a der",
            ),
        ];
        for (text, problem) in cases {
            let error = certificates("root_certificates_pem", text).unwrap_err();
            assert_eq!(error.setting(), "root_certificates_pem");
            assert!(error.to_string().contains(problem), "{error}");
        }
    }
}
