//! A flood of loopback connections at the browser sign-in's redirect listener while the
//! real browser redirect arrives (issue 19, section C): idle connections, garbage, slow
//! writers that send a request head one byte at a time, and a burst of connections right
//! behind the redirect's own. The sign-in still completes with its session, and every
//! flood connection is closed once the wait ends. Alone in its own test binary: it opens a
//! few hundred sockets at once, which no other test should share a process with.
mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::{AuthResponse, BrowserSignIn, Lang};
use common::browser::{origin, query_param, Browser};
use common::{DEADLINE, QUIET};

const EMAIL: &str = "mike@example.com";
const PASSWORD: &str = "passw0rd-1";

/// Connections that connect and never send a byte, before the redirect.
const IDLE: usize = 100;
/// Connections that send bytes that are not HTTP, half of them with a blank line.
const GARBAGE: usize = 60;
/// Connections that send a request head one byte per tick and never finish it.
const SLOW: usize = 20;
/// Connections opened right behind the redirect's own, before the listener's next poll.
const BURST: usize = 120;

fn connect(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{addr} refused: {e}"));
    stream
        .set_read_timeout(Some(DEADLINE))
        .expect("a read time-out");
    stream
}

/// A connection to `addr`, or `None` once nothing listens there. A connection to itself
/// (Linux may give the connecting socket the closed listener's port as its own, and a
/// socket connected to itself stays open) counts as nothing listening.
fn connect_if_open(addr: &str) -> Option<TcpStream> {
    let stream = TcpStream::connect(addr).ok()?;
    if stream.local_addr().ok() == stream.peer_addr().ok() {
        return None;
    }
    stream
        .set_read_timeout(Some(DEADLINE))
        .expect("a read time-out");
    Some(stream)
}

/// Whether `stream` has been closed by the other end (end of stream or a reset), reading
/// and dropping whatever it was answered. A read that times out means it is still held.
///
/// It first writes a byte: a connection the system completed while the listener's backlog
/// was full, and that the listener never took, is open on this side only until it sends
/// something (closing the listener does not tell it), and then it is reset.
fn closed(mut stream: &TcpStream) -> bool {
    let _ = stream.write(b"\n");
    let mut sink = Vec::new();
    match stream.read_to_end(&mut sink) {
        Ok(_) => true,
        Err(e) => !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
    }
}

#[test]
fn a_flood_of_loopback_connections_does_not_keep_the_browser_redirect_from_signing_in() {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
        .expect("a user");
    let client = common::builder_at(emu.base_url())
        .lang(Lang::EnUs)
        .build()
        .expect("valid settings");

    let (url_tx, url_rx) = mpsc::channel();
    let options = BrowserSignIn::new().open_with(move |url: &str| {
        let _ = url_tx.send(url.to_string());
    });
    let (tx, answers) = mpsc::channel::<AuthResponse>();
    let handle = client.sign_in_by_browser(options, tx);
    let url = url_rx
        .recv_timeout(DEADLINE)
        .expect("the flow opens the page");
    let redirect_uri = query_param(&url, "redirect_uri").expect("a redirect_uri");
    let addr = origin(&redirect_uri)
        .trim_start_matches("http://")
        .to_string();

    // The flood before the redirect.
    let mut flood: Vec<TcpStream> = (0..IDLE).map(|_| connect(&addr)).collect();
    for i in 0..GARBAGE {
        let mut stream = connect(&addr);
        let garbage: &[u8] = if i % 2 == 0 {
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n"
        } else {
            b"\x00\xff\xfe garbage that never ends its head"
        };
        stream.write_all(garbage).expect("the garbage is sent");
        flood.push(stream);
    }
    // The slow writers: one thread sends each of them one more byte of a request head per
    // tick, until told to stop.
    let head = format!("GET /callback?state=not-this-one HTTP/1.1\r\nHost: {addr}\r\nX-Pad: ")
        .into_bytes();
    let slow: Vec<TcpStream> = (0..SLOW).map(|_| connect(&addr)).collect();
    let (stop_slow, stop_rx) = mpsc::channel::<()>();
    let slow_writer = thread::spawn(move || {
        let mut slow = slow;
        let mut sent = 0usize;
        loop {
            let byte = head.get(sent).copied().unwrap_or(b'x');
            for stream in &mut slow {
                let _ = stream.write_all(&[byte]);
            }
            sent += 1;
            // The tick: a wait that ends at once when the test says stop.
            if stop_rx.recv_timeout(Duration::from_millis(10)).is_ok() {
                return slow;
            }
        }
    });
    assert!(
        answers.recv_timeout(QUIET).is_err(),
        "the flood ended the wait"
    );

    // The person signs in; the browser is sent back to the listener.
    let mut browser = Browser::new();
    let back = browser.sign_in(&url, EMAIL, PASSWORD, true);
    assert!(back.starts_with(&redirect_uri), "{back}");
    let target = back
        .strip_prefix(&origin(&back))
        .expect("a url on the listener")
        .to_string();
    // The browser's redirect, sent whole in one write as a browser does, then a burst of
    // connections right behind it: more than the listener holds at once, all arriving
    // before it reads the redirect.
    let mut redirect = connect(&addr);
    redirect
        .write_all(
            format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .expect("the redirect is sent");
    // The listener closes as soon as it has the redirect, so the burst's later connections
    // may find the port closed: refused is closed.
    flood.extend((0..BURST).filter_map(|_| connect_if_open(&addr)));

    let mut page = Vec::new();
    let _ = redirect.read_to_end(&mut page);
    let page = String::from_utf8_lossy(&page);
    assert!(
        page.starts_with("HTTP/1.1 200"),
        "the redirect was not answered its page: {page:?}"
    );
    assert!(page.contains("You are signed in"), "{page}");

    let answer = answers.recv_timeout(DEADLINE).expect("the callback runs");
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert!(
        answers.recv_timeout(QUIET).is_err(),
        "the callback ran a second time"
    );
    handle.join().unwrap();
    let tokens = answer.login_token_data().expect("the tokens");
    assert_eq!(
        client.get_token().map(|t| t.access_token().to_string()),
        Some(tokens.access_token().to_string())
    );
    assert_eq!(
        client
            .get_current_user()
            .and_then(|u| u.email().map(str::to_string)),
        Some(EMAIL.to_string())
    );

    // Every flood connection is closed (answered or dropped), none held by the listener.
    stop_slow.send(()).expect("the slow writer runs");
    flood.extend(slow_writer.join().expect("the slow writer ends"));
    let held = flood.iter().filter(|s| !closed(s)).count();
    assert_eq!(held, 0, "connections still held after the sign-in ended");
    assert!(connect_if_open(&addr).is_none(), "the listener is closed");
}
