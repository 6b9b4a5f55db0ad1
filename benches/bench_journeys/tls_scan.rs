//! What the proxy can tell of TLS from the client's bytes alone: each ClientHello (a
//! handshake record, content type 0x16, whose message is of type 1) is a full or resumed
//! handshake; it is resumed when it offers a session: a `pre_shared_key` extension (41,
//! TLS 1.3 tickets) or a non-empty `session_ticket` extension (35, TLS 1.2). A TLS 1.3
//! client sends a random legacy session id on every hello, so that id says nothing.
//!
//! A connection is scanned from its first byte until its first application-data record
//! (0x17): the handshake is over then, and the rest is encrypted. A connection whose
//! first byte is not 0x16 is plain http and is not scanned.

/// The hellos seen on one connection so far.
#[derive(Default)]
pub struct TlsScan {
    buf: Vec<u8>,
    done: bool,
}

/// One ClientHello: whether it offered a session to resume.
#[derive(Debug, PartialEq, Eq)]
pub struct Hello {
    pub resumes: bool,
}

const HANDSHAKE: u8 = 0x16;
const APPLICATION_DATA: u8 = 0x17;
const CLIENT_HELLO: u8 = 1;
const SESSION_TICKET: u16 = 35;
const PRE_SHARED_KEY: u16 = 41;

impl TlsScan {
    /// Feeds the next bytes the client sent; the ClientHellos they completed.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Hello> {
        let mut hellos = Vec::new();
        if self.done {
            return hellos;
        }
        if self.buf.is_empty() && bytes.first().is_some_and(|&b| b != HANDSHAKE) {
            self.done = true;
            return hellos;
        }
        self.buf.extend_from_slice(bytes);
        while self.buf.len() >= 5 {
            let kind = self.buf[0];
            let len = usize::from(u16::from_be_bytes([self.buf[3], self.buf[4]]));
            if self.buf.len() < 5 + len {
                break;
            }
            if kind == APPLICATION_DATA {
                self.done = true;
                self.buf = Vec::new();
                break;
            }
            let body = &self.buf[5..5 + len];
            if kind == HANDSHAKE && body.first() == Some(&CLIENT_HELLO) {
                hellos.push(Hello {
                    resumes: offers_session(body).unwrap_or(false),
                });
            }
            self.buf.drain(..5 + len);
        }
        hellos
    }
}

/// Walks a ClientHello message (handshake header included) to its extensions; `None`
/// when it is cut short.
fn offers_session(msg: &[u8]) -> Option<bool> {
    let mut at = 4 + 2 + 32; // handshake header, legacy version, random
    at += 1 + usize::from(*msg.get(at)?); // legacy session id
    at += 2 + usize::from(u16::from_be_bytes([*msg.get(at)?, *msg.get(at + 1)?])); // suites
    at += 1 + usize::from(*msg.get(at)?); // compression methods
    let end = at + 2 + usize::from(u16::from_be_bytes([*msg.get(at)?, *msg.get(at + 1)?]));
    at += 2;
    while at + 4 <= end.min(msg.len()) {
        let kind = u16::from_be_bytes([msg[at], msg[at + 1]]);
        let len = usize::from(u16::from_be_bytes([msg[at + 2], msg[at + 3]]));
        if kind == PRE_SHARED_KEY || (kind == SESSION_TICKET && len > 0) {
            return Some(true);
        }
        at += 4 + len;
    }
    Some(false)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// The DER of the first certificate of a PEM text.
    pub fn pem_to_der(pem: &str) -> Vec<u8> {
        use base64::Engine;
        let body: String = pem
            .lines()
            .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
            .skip(1)
            .take_while(|l| !l.starts_with("-----END"))
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("base64")
    }

    /// Plain http is left alone, and a hello cut across two reads is seen once whole.
    #[test]
    fn plain_http_is_not_scanned_and_a_split_hello_is_joined() {
        let mut plain = TlsScan::default();
        assert!(plain.feed(b"GET / HTTP/1.1\r\n").is_empty());
        assert!(
            plain.feed(&[0x16, 3, 1, 0, 0]).is_empty(),
            "done after byte one"
        );
        // A minimal hello: no session id, one suite, one compression method, one
        // extension: pre_shared_key.
        let mut msg = vec![1, 0, 0, 0, 3, 3];
        msg.extend([0u8; 32]);
        msg.extend([0, 0, 2, 0x13, 1, 1, 0, 0, 4, 0, 41, 0, 0]);
        let len = (msg.len() - 4) as u32;
        msg[1..4].copy_from_slice(&len.to_be_bytes()[1..]);
        let mut record = vec![0x16, 3, 1];
        record.extend((msg.len() as u16).to_be_bytes());
        record.extend(&msg);
        let mut scan = TlsScan::default();
        assert!(scan.feed(&record[..20]).is_empty());
        assert_eq!(scan.feed(&record[20..]), vec![Hello { resumes: true }]);
        assert!(scan.feed(&[0x17, 3, 3, 0, 1, 0]).is_empty());
        assert!(
            scan.feed(&record).is_empty(),
            "nothing after application data"
        );
    }
}
