//! The default connection cap, alone in its test binary so that counting this process's
//! threads is not disturbed by other tests.
mod common;

use std::io::Read;
use std::net::TcpStream;

use authing_emulator::{Emulator, DEFAULT_MAX_CONNECTIONS};
use common::{live_threads, DEADLINE};

#[test]
fn three_hundred_idle_connections_start_no_more_than_256_threads() {
    assert_eq!(DEFAULT_MAX_CONNECTIONS, 256);
    let before = live_threads();
    let emu = Emulator::start().unwrap();
    let mut streams: Vec<TcpStream> = (0..300)
        .map(|_| {
            let s = TcpStream::connect(emu.addr()).expect("connect");
            s.set_read_timeout(Some(DEADLINE)).unwrap();
            s
        })
        .collect();

    // Connections are accepted in order: the 44 beyond the cap are answered and closed,
    // which also says the first 256 have all been accepted.
    // (All 300 stay open until the end: a closed one would free a slot.)
    for refused in &mut streams[256..] {
        let mut answer = String::new();
        refused
            .read_to_string(&mut answer)
            .expect("a refused connection is answered and closed");
        assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
        assert!(answer.contains(r#""statusCode":503"#), "{answer}");
    }
    assert_eq!(emu.stats().refused_connections, 44);

    // One thread per served connection, plus the accept and the lingering threads.
    let started = live_threads() - before;
    assert!(
        started <= 256 + 2,
        "{started} threads for 300 idle connections"
    );
    drop(streams);
}
