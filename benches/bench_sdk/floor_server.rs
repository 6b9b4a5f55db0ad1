//! The simplest server that can stand in for the emulator: a std `TcpListener` on one
//! thread that reads each request (head up to the blank line, then `Content-Length` body
//! bytes) and writes back bytes the emulator answered once, unchanged. It parses nothing
//! else, looks nothing up and allocates nothing per request, so a round trip to it is the
//! network and the client alone, and the emulator's share of a call is what it adds.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;

/// Sends `request` to `addr` on a new connection and returns the whole answer as it came
/// off the wire (head and `Content-Length` body).
pub fn capture(addr: &str, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).expect("connect to the emulator");
    stream.write_all(request).expect("send");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).expect("read");
        assert!(n > 0, "the emulator closed before answering");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = head_end(&buf) {
            let want = end + content_length(&buf[..end]);
            if buf.len() >= want {
                buf.truncate(want);
                return buf;
            }
        }
    }
}

/// Starts the server on a loopback port, answering every request with `answer`.
pub fn start(answer: Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("an address");
    thread::Builder::new()
        .name("floor-server".to_owned())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &answer);
            }
        })
        .expect("start the floor server");
    addr
}

/// One connection, one request after another, until the client closes it.
fn serve(mut stream: TcpStream, answer: &[u8]) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = head_end(&buf) {
            let want = end + content_length(&buf[..end]);
            if buf.len() >= want {
                buf.drain(..want);
                if stream.write_all(answer).is_err() {
                    return;
                }
                continue;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Where the head ends (after its blank line), if it has.
fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

/// The head's `Content-Length`, 0 without one.
fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0)
}
