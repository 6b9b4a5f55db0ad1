//! The emulator's HTTP server under abuse, over raw sockets on 127.0.0.1: connections
//! beyond the cap, clients that trickle bytes, idle connections, handlers that panic.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use crate::calls::*;
use crate::common::{agent, DEADLINE};
use authing_emulator::{Emulator, EmulatorConfig, Fault};
use serde_json::{json, Value};

const SYSTEM: &[u8] = b"GET /api/v3/system HTTP/1.1\r\nHost: x\r\n\r\n";
const SYSTEM_CLOSE: &[u8] = b"GET /api/v3/system HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

fn connect(emu: &Emulator) -> TcpStream {
    let stream = TcpStream::connect(emu.addr()).expect("connect");
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    stream
}

/// Everything the server sends until it closes (or `DEADLINE` passes, which fails).
fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    stream
        .read_to_end(&mut out)
        .expect("the server answers and closes before the deadline");
    String::from_utf8_lossy(&out).into_owned()
}

/// One answer on a kept-alive connection: the head and a `Content-Length` body.
fn read_answer(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = stream
            .read(&mut byte)
            .expect("an answer before the deadline");
        assert!(
            n > 0,
            "closed before an answer: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("content-length");
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).expect("the body");
    head + &String::from_utf8_lossy(&body)
}

/// The JSON body of a whole answer.
fn body_json(answer: &str) -> Value {
    let body = answer.split_once("\r\n\r\n").expect("a head").1;
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not json ({e}): {answer}"))
}

fn assert_envelope(answer: &str, status: u16) -> Value {
    assert!(
        answer.starts_with(&format!("HTTP/1.1 {status} ")),
        "{answer}"
    );
    let v = body_json(answer);
    assert_eq!(v["statusCode"], status, "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    assert!(
        v["requestId"].as_str().is_some_and(|m| !m.is_empty()),
        "{v}"
    );
    v
}

// ---------------------------------------------------------------- the connection cap

#[test]
fn a_connection_beyond_the_cap_is_answered_503_with_an_envelope_and_closed() {
    let emu = Emulator::start_with(EmulatorConfig::default().max_connections(2)).unwrap();
    let mut a = connect(&emu);
    let mut b = connect(&emu);
    for stream in [&mut a, &mut b] {
        stream.write_all(SYSTEM).unwrap();
        assert!(read_answer(stream).starts_with("HTTP/1.1 200 "));
    }

    let mut c = connect(&emu);
    let refused = read_to_close(&mut c);
    let v = assert_envelope(&refused, 503);
    assert!(refused.contains("\r\nConnection: close\r\n"), "{refused}");
    assert!(v["message"].as_str().unwrap().contains("at most 2"), "{v}");
    assert_eq!(emu.stats().refused_connections, 1);

    // The two served connections still work.
    b.write_all(SYSTEM).unwrap();
    assert!(read_answer(&mut b).starts_with("HTTP/1.1 200 "));
}

#[test]
fn a_refused_client_that_sent_its_request_still_reads_the_503() {
    let emu = Emulator::start_with(EmulatorConfig::default().max_connections(1)).unwrap();
    let mut a = connect(&emu);
    a.write_all(SYSTEM).unwrap();
    assert!(read_answer(&mut a).starts_with("HTTP/1.1 200 "));

    let mut c = connect(&emu);
    // Sent before the answer is read: the server must not reset the connection over
    // these unread bytes.
    c.write_all(&[b'x'; 2000]).unwrap();
    assert_envelope(&read_to_close(&mut c), 503);
}

#[test]
fn a_slot_frees_when_a_served_connection_closes() {
    let emu = Emulator::start_with(EmulatorConfig::default().max_connections(1)).unwrap();
    let mut a = connect(&emu);
    a.write_all(SYSTEM).unwrap();
    assert!(read_answer(&mut a).starts_with("HTTP/1.1 200 "));
    assert_envelope(&read_to_close(&mut connect(&emu)), 503);

    // Close our side. The server's thread sees the end of the requests, takes the
    // connection out of its registry and then closes its side: the end of `a` is the
    // signal that the slot is free, so the next connection is served at once.
    a.shutdown(Shutdown::Write).unwrap();
    a.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut rest = Vec::new();
    a.read_to_end(&mut rest)
        .expect("the server closes its side within the deadline");
    let mut d = connect(&emu);
    d.write_all(SYSTEM_CLOSE).unwrap();
    let answer = read_to_close(&mut d);
    assert!(
        answer.starts_with("HTTP/1.1 200 "),
        "the slot was not freed: {answer}"
    );
}

// ---------------------------------------------------------------- time-outs

/// Writes `bytes` one at a time, `every` apart, on a clone of `stream`, until they are
/// all sent, a write fails, or `stop` is set.
fn trickle(stream: &TcpStream, bytes: Vec<u8>, every: Duration) -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut writer = stream.try_clone().unwrap();
    let flag = Arc::clone(&stop);
    thread::spawn(move || {
        for b in bytes {
            if flag.load(Ordering::SeqCst) || writer.write_all(&[b]).is_err() {
                return;
            }
            thread::sleep(every); // the sleep is the behaviour under test: a slow writer
        }
    });
    stop
}

#[test]
fn a_head_trickled_byte_by_byte_gets_408_at_the_head_deadline() {
    // The idle time-out is far away: each byte comes well within it, only the head
    // deadline can end this.
    let config = EmulatorConfig::default()
        .idle_timeout(Duration::from_secs(60))
        .head_timeout(Duration::from_millis(300));
    let emu = Emulator::start_with(config).unwrap();
    let mut s = connect(&emu);
    let head = b"GET /api/v3/system HTTP/1.1\r\nHost: x\r\nX-Pad: ".to_vec();
    let mut slow = head;
    slow.extend(std::iter::repeat_n(b'a', 10_000));
    let stop = trickle(&s, slow, Duration::from_millis(20));
    let answer = read_to_close(&mut s);
    stop.store(true, Ordering::SeqCst);
    let v = assert_envelope(&answer, 408);
    assert!(answer.contains("\r\nConnection: close\r\n"), "{answer}");
    let message = v["message"].as_str().unwrap();
    assert!(
        message.contains("head") && message.contains("300 ms"),
        "{v}"
    );
}

#[test]
fn a_body_trickled_byte_by_byte_gets_408_at_the_body_deadline() {
    let config = EmulatorConfig::default()
        .idle_timeout(Duration::from_secs(60))
        .body_timeout(Duration::from_millis(300));
    let emu = Emulator::start_with(config).unwrap();
    let mut s = connect(&emu);
    s.write_all(
        b"POST /api/v3/send-sms HTTP/1.1\r\nHost: x\r\nx-authing-app-id: demo-app\r\n\
          Content-Length: 10000\r\n\r\n",
    )
    .unwrap();
    let stop = trickle(&s, vec![b' '; 10_000], Duration::from_millis(20));
    let answer = read_to_close(&mut s);
    stop.store(true, Ordering::SeqCst);
    let v = assert_envelope(&answer, 408);
    let message = v["message"].as_str().unwrap();
    assert!(
        message.contains("body") && message.contains("300 ms"),
        "{v}"
    );
}

#[test]
fn a_head_sent_whole_within_its_deadline_is_served() {
    let config = EmulatorConfig::default().head_timeout(Duration::from_secs(5));
    let emu = Emulator::start_with(config).unwrap();
    let mut s = connect(&emu);
    // Sent in three pieces: the deadline is for the whole head, not a single read.
    for piece in SYSTEM.chunks(15) {
        s.write_all(piece).unwrap();
    }
    assert!(read_answer(&mut s).starts_with("HTTP/1.1 200 "));
}

#[test]
fn a_silent_connection_is_closed_after_the_idle_timeout() {
    let config = EmulatorConfig::default().idle_timeout(Duration::from_millis(200));
    let emu = Emulator::start_with(config).unwrap();

    // Silent from the start: closed without an answer.
    let mut silent = connect(&emu);
    assert_eq!(read_to_close(&mut silent), "");

    // Silent after an answer on a kept-alive connection: closed too.
    let mut kept = connect(&emu);
    kept.write_all(SYSTEM).unwrap();
    assert!(read_answer(&mut kept).starts_with("HTTP/1.1 200 "));
    assert_eq!(read_to_close(&mut kept), "");
}

#[test]
fn a_partial_head_then_silence_is_closed_after_the_idle_timeout() {
    // The idle time-out is shorter than the head deadline: it ends the connection
    // first, without an answer.
    let config = EmulatorConfig::default()
        .idle_timeout(Duration::from_millis(200))
        .head_timeout(Duration::from_secs(60));
    let emu = Emulator::start_with(config).unwrap();
    let mut s = connect(&emu);
    s.write_all(b"GET /api/v3/system HTTP/1.1\r\n").unwrap();
    assert_eq!(read_to_close(&mut s), "");
}

// ---------------------------------------------------------------- panics

#[test]
fn a_handler_that_panics_answers_500_with_an_envelope_and_closes() {
    let emu = Emulator::start().unwrap();
    emu.inject_fault("/api/v3/system", Fault::Panic, 1);
    let mut s = connect(&emu);
    s.write_all(SYSTEM).unwrap(); // a kept-alive request: the close is the server's
    let answer = read_to_close(&mut s);
    let v = assert_envelope(&answer, 500);
    assert!(answer.contains("\r\nConnection: close\r\n"), "{answer}");
    assert!(v["message"].as_str().unwrap().contains("panicked"), "{v}");

    // The emulator lives on.
    let mut next = connect(&emu);
    next.write_all(SYSTEM).unwrap();
    assert!(read_answer(&mut next).starts_with("HTTP/1.1 200 "));
}

#[test]
fn the_admin_api_injects_a_panic_fault() {
    let emu = Emulator::start().unwrap();
    let body = r#"{"path":"/api/v3/send-sms","fault":{"type":"panic"}}"#;
    let mut admin = connect(&emu);
    write!(
        admin,
        "POST /emulator/v1/faults HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    assert!(read_answer(&mut admin).starts_with("HTTP/1.1 200 "));

    let sms = r#"{"phoneNumber":"18812345678","channel":"CHANNEL_LOGIN"}"#;
    let mut s = connect(&emu);
    write!(
        s,
        "POST /api/v3/send-sms HTTP/1.1\r\nHost: x\r\nx-authing-app-id: demo-app\r\n\
         Content-Length: {}\r\n\r\n{sms}",
        sms.len()
    )
    .unwrap();
    assert_envelope(&read_to_close(&mut s), 500);
}

// ---------------------------------------------------------------- out of descriptors

/// CPU time (user + system, in clock ticks) the process has used, from /proc.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    let after_name = &stat[stat.rfind(')').expect("a name") + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn open_descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, Iterator::count)
}

#[test]
fn the_binary_out_of_file_descriptors_waits_instead_of_spinning_and_serves_again() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    // 40 descriptors: a dozen connections (two descriptors each) exhaust them, then
    // `accept` fails with EMFILE (or registering one does, which answers 503).
    let mut child = Command::new("sh")
        .args([
            "-c",
            r#"ulimit -n 40 && exec "$0" --listen 127.0.0.1:0 --quiet-codes"#,
            env!("CARGO_BIN_EXE_authing-emulator"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the binary under sh");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let outcome = (|| {
        let addr = first
            .trim()
            .strip_prefix("listening on http://")
            .ok_or_else(|| format!("unexpected first line {first:?}"))?
            .to_owned();
        let held: Vec<TcpStream> = (0..40)
            .map(|_| TcpStream::connect(&addr).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        // Every descriptor is in use once the server has taken what it could. The child
        // process gives no signal for that: the test lets its accept loop run into the
        // limit, checking its descriptor table, within the deadline.
        let until = Instant::now() + DEADLINE;
        while open_descriptors(child.id()) < 40 {
            if Instant::now() >= until {
                return Err("the emulator never ran out of descriptors".to_owned());
            }
            thread::sleep(Duration::from_millis(10)); // the sleep is the behaviour under test
        }
        // Out of descriptors, `accept` fails at once for the connections still queued: a
        // loop without back-off burns a core here (about 100 ticks a second), one with
        // it wakes 10 times a second. Measured over one second, with a wide margin.
        let before = cpu_ticks(child.id());
        thread::sleep(Duration::from_secs(1)); // the sleep is the behaviour under test
        let used = cpu_ticks(child.id()) - before;
        if used >= 30 {
            return Err(format!(
                "{used} ticks of cpu in 1 s while out of descriptors"
            ));
        }
        drop(held);
        // Every descriptor comes back as the server sees the closes (the ones still in
        // the listen queue are accepted and closed after the back-off): a new request
        // is answered within the deadline.
        let until = Instant::now() + DEADLINE;
        loop {
            let mut s = TcpStream::connect(&addr).map_err(|e| e.to_string())?;
            s.set_read_timeout(Some(DEADLINE))
                .map_err(|e| e.to_string())?;
            s.write_all(SYSTEM_CLOSE).map_err(|e| e.to_string())?;
            let mut answer = Vec::new();
            let _ = s.read_to_end(&mut answer);
            if answer.starts_with(b"HTTP/1.1 200 ") {
                return Ok(());
            }
            if Instant::now() >= until {
                return Err(format!(
                    "no 200 before the deadline; last answer {:?}",
                    String::from_utf8_lossy(&answer)
                ));
            }
            // The server takes the queued connections back only after its accept back-off:
            // the test gives it that time, within the deadline.
            thread::sleep(Duration::from_millis(20)); // the sleep is the behaviour under test
        }
    })();
    let _ = child.kill();
    let _ = child.wait();
    outcome.unwrap();
}

// ---------------------------------------------------------------- lifecycle and concurrency

#[test]
fn dropping_the_emulator_frees_its_port() {
    let emu = Emulator::start().unwrap();
    let addr = emu.addr();
    let agent = agent();
    // Leave a keep-alive connection open.
    assert_eq!(
        answer(
            agent
                .get(format!("{}/api/v3/system", emu.base_url()))
                .call()
                .unwrap()
        )
        .status,
        200
    );
    drop(emu);
    let again = Emulator::bind(addr, EmulatorConfig::default()).expect("the port is free");
    assert_eq!(again.addr(), addr);
    assert_eq!(get(&again, "/api/v3/system").status, 200);
}

#[test]
fn dropping_the_emulator_cuts_a_pending_delay_short() {
    let emu = Emulator::start().unwrap();
    emu.inject_fault("/api/v3/system", Fault::Delay(Duration::from_secs(3600)), 1);
    let url = format!("{}/api/v3/system", emu.base_url());
    let (tx, rx) = mpsc::channel();
    let client = std::thread::spawn(move || {
        let r = agent().get(&url).call();
        let _ = tx.send(r.is_err());
    });
    // Wait until the request is in the server, then drop.
    let (tx2, rx2) = mpsc::channel();
    let emu = std::thread::spawn(move || {
        while emu.stats().requests == 0 {
            std::thread::yield_now();
        }
        drop(emu);
        let _ = tx2.send(());
    });
    rx2.recv_timeout(Duration::from_secs(20))
        .expect("drop returned");
    assert!(rx
        .recv_timeout(Duration::from_secs(20))
        .expect("client returned"));
    client.join().unwrap();
    emu.join().unwrap();
}

#[test]
fn concurrent_clients_are_all_answered_correctly() {
    let emu = std::sync::Arc::new(Emulator::start().unwrap());
    let (tx, rx) = mpsc::channel();
    for t in 0..8 {
        let emu = std::sync::Arc::clone(&emu);
        let tx = tx.clone();
        std::thread::spawn(move || {
            let agent = agent();
            let mut ok = 0;
            for i in 0..50 {
                let number = format!("1880{t}{i:06}");
                let headers = [("x-authing-app-id", emu.app_id())];
                let body = json!({"phoneNumber": number, "channel": "CHANNEL_LOGIN"}).to_string();
                let v = post_raw(&emu, &agent, "/api/v3/send-sms", &headers, &body).json();
                if v["statusCode"] == 200 && emu.latest_code(&number).is_some() {
                    ok += 1;
                }
            }
            let _ = tx.send(ok);
        });
    }
    drop(tx);
    let mut total = 0;
    for _ in 0..8 {
        total += rx
            .recv_timeout(Duration::from_secs(60))
            .expect("a worker finished");
    }
    assert_eq!(total, 400);
    assert_eq!(emu.issued_codes().len(), 400);
    assert_eq!(emu.stats().requests, 400);
}

#[test]
fn sixteen_kept_alive_clients_sending_at_once_are_all_answered() {
    // Each client first opens its own keep-alive connection, then all 16 send at the same
    // moment, three times over. A server that queues new work behind kept-alive
    // connections (tiny_http's task pool did) leaves some of them unanswered.
    const CLIENTS: usize = 16;
    const ROUNDS: usize = 3;
    let emu = std::sync::Arc::new(Emulator::start().unwrap());
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(CLIENTS));
    let (tx, rx) = mpsc::channel();
    for c in 0..CLIENTS {
        let emu = std::sync::Arc::clone(&emu);
        let barrier = std::sync::Arc::clone(&barrier);
        let tx = tx.clone();
        std::thread::spawn(move || {
            let agent = agent();
            let url = format!("{}/api/v3/system", emu.base_url());
            let call = || agent.get(&url).call().map(|r| answer(r).status);
            let _ = tx.send((c, 0, call()));
            for round in 1..=ROUNDS {
                barrier.wait();
                let _ = tx.send((c, round, call()));
            }
        });
    }
    drop(tx);
    for _ in 0..CLIENTS * (ROUNDS + 1) {
        let (c, round, status) = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("every client answered");
        assert_eq!(
            status.map_err(|e| e.to_string()),
            Ok(200),
            "client {c}, round {round}"
        );
    }
    let stats = emu.stats();
    assert_eq!(stats.requests, (CLIENTS * (ROUNDS + 1)) as u64);
    // Every client kept its one connection.
    assert_eq!(stats.connections, CLIENTS as u64);
}

/// Sends one request on `stream` and reads its whole answer (by `Content-Length`).
fn raw_round_trip(stream: &mut std::net::TcpStream, request: &[u8]) -> String {
    use std::io::{Read, Write};
    stream.write_all(request).unwrap();
    let mut out = Vec::new();
    let mut byte = [0u8; 1];
    while !out.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "closed in the head");
        out.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&out).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .expect("a content-length")
        .trim()
        .parse()
        .unwrap();
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    head + &String::from_utf8_lossy(&body)
}

#[test]
fn dropping_the_emulator_closes_kept_alive_connections() {
    use std::io::Read;
    let emu = Emulator::start().unwrap();
    let mut stream = std::net::TcpStream::connect(emu.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    for _ in 0..2 {
        let out = raw_round_trip(
            &mut stream,
            b"GET /api/v3/system HTTP/1.1\r\nHost: x\r\n\r\n",
        );
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
        assert!(!out.contains("Connection: close"), "{out}");
    }
    assert_eq!(emu.stats().connections, 1);
    // The connection is idle and kept alive; dropping the emulator must not wait for it.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        drop(emu);
        let _ = tx.send(());
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("drop returned");
    let mut rest = Vec::new();
    assert_eq!(
        stream
            .read_to_end(&mut rest)
            .expect("closed, not timed out"),
        0
    );
}
