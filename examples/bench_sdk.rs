//! Measures what the SDK adds to a network round trip, and how it behaves under a burst.
//!
//! Run: `cargo run --release --example bench_sdk` (about 9 s on a 2-core machine).
//!
//! Every figure comes from one request, `POST /api/v3/verify-reset-password-request` for a
//! phone user that has no code issued: the emulator answers `statusCode 400, apiCode 2001`
//! at once, every time, with the same body. The emulator runs in a child process (this same
//! program, started with `--emulator-child`), so the thread counts and resident set read
//! from `/proc/self/status` belong to the benchmark and the SDK alone.
//!
//! Rows (issue 5): the floor (one shared raw `ureq::Agent`, blocking); the SDK's blocking
//! twin; the callback form one call at a time (submit to callback); a burst of 10,000
//! callback calls from one thread against the same concurrency of raw ureq threads;
//! connection reuse over 1,000 calls; the Android design (a new thread and a new HTTP client
//! per call, plus a thread for the callback); `AuthClient::new()` per call against one
//! reused client. Latency rows are measured interleaved, in blocks, so that drift on a
//! shared machine hits every row alike; each is also given as a ratio to the floor.
//! Results are in `docs/PERFORMANCE.md`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use authing::emulator::{Emulator, EmulatorConfig, NewUser};
use authing::{AuthClient, AuthResponse, Authing, ResetPasswordPayload, ResetPasswordVerifyMethod};

const COUNTRY: &str = "+86";
const PHONE: &str = "18812345678";
const PASS_CODE: &str = "123456";
/// The body the SDK sends for the payload below, byte for byte (field order included).
const BODY: &str = r#"{"verifyMethod":"PHONE_PASSCODE","phonePassCodePayload":{"phoneNumber":"18812345678","phoneCountryCode":"+86","passCode":"123456"}}"#;
const PATH: &str = "/api/v3/verify-reset-password-request";

const LATENCY_CALLS: usize = 5_000;
const BLOCK: usize = 250;
const BURST: usize = 10_000;
const CONCURRENCY: usize = 8;
const REUSE_CALLS: usize = 1_000;
const ANDROID_CALLS: usize = 2_000;
const MANY_CLIENT_CALLS: usize = 2_000;
const BURST_ROUNDS: usize = 3;
/// Per-call time limit for every client here, so a lost answer shows as an error, not a hang.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Calls that did not get the expected answer (apiCode 2001), in any phase.
static FAILED: AtomicUsize = AtomicUsize::new(0);

fn expect_2001(api_code: i32) {
    if api_code != 2001 {
        FAILED.fetch_add(1, Ordering::Relaxed);
    }
}

fn main() {
    if std::env::args().any(|a| a == "--emulator-child") {
        emulator_child();
        return;
    }
    let started = Instant::now();
    let mut emu = EmulatorProcess::start();
    let url = format!("{}{PATH}", emu.base_url);
    println!(
        "authing bench_sdk: emulator at {} (child process)",
        emu.base_url
    );
    println!("request: POST {PATH} -> statusCode 400 / apiCode 2001 (no code issued)\n");

    phase("bursts");
    // 4: bursts, SDK against raw ureq threads at the same concurrency, alternating.
    // One client for every round: its workers stay alive between rounds, as in an app.
    let burst_client = sdk_client(&emu, CONCURRENCY);
    let mut sdk_bursts = Vec::new();
    let mut raw_bursts = Vec::new();
    for _ in 0..BURST_ROUNDS {
        raw_bursts.push(raw_burst(&mut emu, &url));
        sdk_bursts.push(sdk_burst(&mut emu, &burst_client));
    }
    drop(burst_client);

    let floor = FloorClient::new(&url, &emu.app_id);
    let floor_t = FloorClient {
        agent: raw_agent_with_timeout(),
        url: url.clone(),
        app_id: emu.app_id.clone(),
    };
    let sdk = sdk_client(&emu, CONCURRENCY);
    check_answers(&floor, &sdk);
    phase("warm-up");

    // Warm-up: connections, allocator, worker threads, CPU frequency.
    for _ in 0..500 {
        floor.call();
        floor_t.call();
        sdk.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
        callback_once(&sdk);
    }

    phase("latency");
    // 1-3: floor, blocking twin, callback form, interleaved in blocks.
    let mut floor_ns = Vec::with_capacity(LATENCY_CALLS);
    let mut floor_t_ns = Vec::with_capacity(LATENCY_CALLS);
    let mut blocking_ns = Vec::with_capacity(LATENCY_CALLS);
    let mut callback_ns = Vec::with_capacity(LATENCY_CALLS);
    for _ in 0..LATENCY_CALLS / BLOCK {
        for _ in 0..BLOCK {
            let t = Instant::now();
            floor.call();
            floor_ns.push(t.elapsed().as_nanos() as u64);
        }
        for _ in 0..BLOCK {
            let t = Instant::now();
            floor_t.call();
            floor_t_ns.push(t.elapsed().as_nanos() as u64);
        }
        for _ in 0..BLOCK {
            let p = payload();
            let t = Instant::now();
            let r =
                sdk.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, p);
            blocking_ns.push(t.elapsed().as_nanos() as u64);
            expect_2001(r.api_code());
        }
        for _ in 0..BLOCK {
            callback_ns.push(callback_once(&sdk));
        }
    }
    let floor_l = Pct::of(&mut floor_ns);
    let floor_t_l = Pct::of(&mut floor_t_ns);
    let blocking_l = Pct::of(&mut blocking_ns);
    let callback_l = Pct::of(&mut callback_ns);

    phase("reuse");
    // 5: connection reuse, a fresh client, 1,000 sequential calls.
    let reuse_client = sdk_client(&emu, CONCURRENCY);
    let before = emu.stats();
    for _ in 0..REUSE_CALLS {
        let r = reuse_client
            .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
        expect_2001(r.api_code());
    }
    let after = emu.stats();
    let reuse_conns = after.1 - before.1;
    let reuse_reqs = after.0 - before.0;
    drop(reuse_client);

    phase("many clients");
    // 7: AuthClient::new() per call against one reused client, interleaved.
    Authing::init(emu.app_id.clone());
    Authing::set_app_host(emu.base_url.clone());
    let reused = AuthClient::new();
    for _ in 0..200 {
        AuthClient::new()
            .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    }
    let mut new_ns = Vec::with_capacity(MANY_CLIENT_CALLS);
    let mut reused_ns = Vec::with_capacity(MANY_CLIENT_CALLS);
    for _ in 0..MANY_CLIENT_CALLS / BLOCK {
        for _ in 0..BLOCK {
            let p = payload();
            let t = Instant::now();
            let r = AuthClient::new()
                .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, p);
            new_ns.push(t.elapsed().as_nanos() as u64);
            expect_2001(r.api_code());
        }
        for _ in 0..BLOCK {
            let p = payload();
            let t = Instant::now();
            let r = reused
                .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, p);
            reused_ns.push(t.elapsed().as_nanos() as u64);
            expect_2001(r.api_code());
        }
    }
    let new_l = Pct::of(&mut new_ns);
    let reused_l = Pct::of(&mut reused_ns);

    phase("android");
    // 6a: the Android design, one call at a time.
    let mut android_ns = Vec::with_capacity(ANDROID_CALLS);
    for _ in 0..ANDROID_CALLS {
        android_ns.push(android_once(&url, &emu.app_id));
    }
    let android_l = Pct::of(&mut android_ns);

    phase("android burst");
    // 6b: the Android design under the same burst.
    let failed_before_android_burst = FAILED.load(Ordering::Relaxed);
    let android_b = android_burst(&mut emu, &url);
    let android_burst_failed = FAILED.load(Ordering::Relaxed) - failed_before_android_burst;

    // Report.
    let sdk_b = median_burst(&sdk_bursts);
    let raw_b = median_burst(&raw_bursts);
    let first_sdk = &sdk_bursts[0];
    let peak_threads = sdk_bursts.iter().map(|b| b.peak_threads).max().unwrap_or(0);
    let base_threads = sdk_bursts.iter().map(|b| b.base_threads).max().unwrap_or(0);
    let all_once = sdk_bursts.iter().all(|b| b.exactly_once);

    println!(
        "{:<58} {:>9} {:>9} {:>8}",
        "latency (one call at a time)", "p50 µs", "p99 µs", "p50/floor"
    );
    row(
        "1. floor: raw ureq::Agent, shared, blocking",
        &floor_l,
        &floor_l,
    );
    row(
        "1b. raw ureq::Agent with a time-out (resolver thread/call)",
        &floor_t_l,
        &floor_l,
    );
    row("2. SDK blocking twin", &blocking_l, &floor_l);
    row(
        "3. SDK callback form, submit -> callback",
        &callback_l,
        &floor_l,
    );
    row(
        "6. Android design: thread + new client + callback thread",
        &android_l,
        &floor_l,
    );
    row("7. AuthClient::new() per call, blocking", &new_l, &floor_l);
    row(
        "7. one reused AuthClient (from new()), blocking",
        &reused_l,
        &floor_l,
    );
    println!(
        "   ({LATENCY_CALLS} calls each for rows 1-3, interleaved in blocks of {BLOCK}; \
         1b too; {ANDROID_CALLS} for row 6; {MANY_CLIENT_CALLS} each for row 7, interleaved)\n"
    );

    println!(
        "{:<44} {:>9} {:>10} {:>8} {:>8} {:>9} {:>6} {:>10}",
        "burst of 10,000 calls",
        "wall ms",
        "calls/s",
        "vs raw",
        "threads",
        "RSS +MB",
        "once",
        "emu req/s"
    );
    burst_row("4. raw ureq: 8 threads, one agent (median)", raw_b, raw_b);
    burst_row("4. SDK callback form, 8 workers (median)", sdk_b, raw_b);
    burst_row("6. Android design, 10,000 threads", &android_b, raw_b);
    println!(
        "   SDK rounds (wall ms): {:?}; raw rounds: {:?}",
        sdk_bursts
            .iter()
            .map(|b| b.wall.as_millis())
            .collect::<Vec<_>>(),
        raw_bursts
            .iter()
            .map(|b| b.wall.as_millis())
            .collect::<Vec<_>>()
    );
    println!(
        "   threads = peak of /proc/self/status Threads: during the burst (main and the 1 ms \
         sampler included; {base_threads} before the SDK burst); RSS +MB = peak VmRSS minus \
         VmRSS before (SDK: first, cold round: {:.1} MB)\n",
        first_sdk.rss_growth_mb()
    );
    let peak_round = sdk_bursts
        .iter()
        .max_by_key(|b| b.peak_threads)
        .expect("rounds");
    println!(
        "   per round, SDK: peak threads {:?}, new connections {:?}; raw: peak threads {:?}, \
         new connections {:?}",
        sdk_bursts
            .iter()
            .map(|b| b.peak_threads)
            .collect::<Vec<_>>(),
        sdk_bursts.iter().map(|b| b.connections).collect::<Vec<_>>(),
        raw_bursts
            .iter()
            .map(|b| b.peak_threads)
            .collect::<Vec<_>>(),
        raw_bursts.iter().map(|b| b.connections).collect::<Vec<_>>()
    );
    println!(
        "   threads at the SDK's peak: {} (the sampler is named bench_sdk too)",
        peak_round.peak_names
    );
    println!(
        "   threads at the Android design's peak: {}\n",
        android_b.peak_names
    );
    println!(
        "5. connection reuse: {reuse_conns} connection(s) accepted by the emulator over \
         {reuse_reqs} sequential calls\n"
    );

    println!("targets");
    let p50_ratio = blocking_l.p50 as f64 / floor_l.p50 as f64;
    target(
        p50_ratio <= 1.10,
        &format!("2. blocking p50 within 1.10x of the floor: {p50_ratio:.3}x"),
    );
    let gap_us = (callback_l.p50 as f64 - blocking_l.p50 as f64) / 1000.0;
    target(
        gap_us <= 50.0,
        &format!("3. callback p50 within 50 µs of blocking p50: {gap_us:+.1} µs"),
    );
    target(all_once, "4. every callback exactly once (all rounds)");
    let warm_peak = sdk_bursts[1..]
        .iter()
        .map(|b| b.peak_threads)
        .max()
        .unwrap_or(0);
    target(
        warm_peak <= CONCURRENCY + 2 + 4,
        &format!(
            "4. peak threads, warm client (rounds 2-{BURST_ROUNDS}) <= {CONCURRENCY} + a handful: {warm_peak}"
        ),
    );
    target(
        peak_threads <= CONCURRENCY + 2 + 4,
        &format!(
            "4. peak threads, cold client (round 1, all rounds) <= {CONCURRENCY} + a handful: {peak_threads}"
        ),
    );
    let growth = sdk_bursts
        .iter()
        .map(Burst::rss_growth_mb)
        .fold(0.0, f64::max);
    target(
        growth < 30.0,
        &format!("4. resident growth under 30 MB: {growth:.1} MB (worst round)"),
    );
    let tput = sdk_b.per_sec() / raw_b.per_sec();
    target(
        tput >= 0.8,
        &format!("4. throughput >= 0.8x raw ureq threads: {tput:.2}x"),
    );
    target(
        reuse_conns == 1,
        &format!("5. one connection over {REUSE_CALLS} calls: {reuse_conns}"),
    );
    let many = new_l.p50 as f64 / reused_l.p50 as f64;
    target(
        many <= 1.10,
        &format!("7. AuthClient::new() per call ~ reused client (p50 <= 1.10x): {many:.3}x"),
    );
    println!(
        "\ncalls without the expected answer (errors, time-outs): {} in the Android design's \
         burst (its callbacks still ran), {} in every other phase together",
        android_burst_failed,
        FAILED.load(Ordering::Relaxed) - android_burst_failed
    );
    println!("(whole run: {:.1} s)", started.elapsed().as_secs_f64());
    emu.stop();
}

// ---------------------------------------------------------------------------------------
// The emulator, in a child process.

fn emulator_child() {
    let config = EmulatorConfig::default().user(NewUser::with_phone(COUNTRY, PHONE, "secret-123"));
    let emu = Emulator::start_with(config).expect("start the emulator");
    println!("{} {}", emu.base_url(), emu.app_id());
    for line in std::io::stdin().lock().lines() {
        match line.as_deref() {
            Ok("stats") => {
                let s = emu.stats();
                println!("{} {}", s.requests, s.connections);
            }
            _ => break,
        }
    }
}

struct EmulatorProcess {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    base_url: String,
    app_id: String,
}

impl EmulatorProcess {
    fn start() -> EmulatorProcess {
        let exe = std::env::current_exe().expect("current exe");
        let mut child = Command::new(exe)
            .arg("--emulator-child")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the emulator child");
        let stdin = child.stdin.take().expect("stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("emulator address");
        let mut parts = line.split_whitespace();
        let base_url = parts.next().expect("base url").to_owned();
        let app_id = parts.next().expect("app id").to_owned();
        EmulatorProcess {
            child,
            stdin,
            stdout,
            base_url,
            app_id,
        }
    }

    /// `(requests, connections)` seen by the emulator so far.
    fn stats(&mut self) -> (u64, u64) {
        writeln!(self.stdin, "stats").expect("ask the emulator");
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("emulator stats");
        let mut it = line
            .split_whitespace()
            .map(|n| n.parse::<u64>().expect("a number"));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    }

    fn stop(mut self) {
        let _ = writeln!(self.stdin, "quit");
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------
// The clients.

fn payload() -> ResetPasswordPayload {
    let mut p = ResetPasswordPayload::new();
    p.set_phone_country_code(COUNTRY)
        .set_phone_number(PHONE)
        .set_pass_code(PASS_CODE);
    p
}

fn sdk_client(emu: &EmulatorProcess, concurrency: usize) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id.clone())
        .app_host(emu.base_url.clone())
        .max_concurrent_requests(concurrency)
        .timeout(TIMEOUT)
        .build()
        .expect("a valid client")
}

/// A raw HTTP agent, ureq's defaults (no time-out), sending the same request, with the same
/// headers, as the SDK.
fn raw_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// The same with a whole-call time-out, as the SDK configures its agent. With any time-out
/// set, ureq 3's default resolver looks the host up on a new thread, on every call, even
/// when a pooled connection is reused.
fn raw_agent_with_timeout() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT))
        .build()
        .into()
}

fn raw_call(agent: &ureq::Agent, url: &str, app_id: &str) -> usize {
    let sent = agent
        .post(url)
        .header("x-authing-app-id", app_id)
        .header("x-authing-request-from", "SDK-Rust@0.1.0")
        .header("x-authing-sdk-version", "rust:0.1.0")
        .header("x-authing-lang", "zh-CN")
        .header("accept", "application/json")
        .header("content-type", "application/json; charset=utf-8")
        .send(BODY);
    let len = sent
        .ok()
        .and_then(|mut reply| reply.body_mut().read_to_vec().ok())
        .map_or(0, |body| body.len());
    if len == 0 {
        FAILED.fetch_add(1, Ordering::Relaxed);
    }
    len
}

struct FloorClient {
    agent: ureq::Agent,
    url: String,
    app_id: String,
}

impl FloorClient {
    fn new(url: &str, app_id: &str) -> FloorClient {
        FloorClient {
            agent: raw_agent(),
            url: url.to_owned(),
            app_id: app_id.to_owned(),
        }
    }

    fn call(&self) -> usize {
        raw_call(&self.agent, &self.url, &self.app_id)
    }
}

/// Both paths get the same answer, or the comparison means nothing.
fn check_answers(floor: &FloorClient, sdk: &AuthClient) {
    let mut reply = floor
        .agent
        .post(&floor.url)
        .header("x-authing-app-id", &floor.app_id)
        .header("content-type", "application/json; charset=utf-8")
        .send(BODY)
        .expect("the emulator answers");
    let body = reply.body_mut().read_to_string().expect("a body");
    assert!(body.contains("\"apiCode\":2001"), "raw answer: {body}");
    let r =
        sdk.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(
        (r.status_code(), r.api_code()),
        (400, 2001),
        "{}",
        r.message()
    );
}

/// One callback call: nanoseconds from just before submit to the start of the callback.
fn callback_once(sdk: &AuthClient) -> u64 {
    let (tx, rx) = mpsc::channel::<(Instant, i32)>();
    let p = payload();
    let t = Instant::now();
    let _handle = sdk.reset_password_request(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        p,
        move |r: AuthResponse| {
            let at = Instant::now();
            let _ = tx.send((at, r.api_code()));
        },
    );
    let (at, api_code) = rx.recv().expect("a callback");
    expect_2001(api_code);
    at.duration_since(t).as_nanos() as u64
}

/// The Android design, once: a thread that builds a new HTTP client and sends, then a
/// second thread for the callback. Nanoseconds from submit to the start of the callback.
fn android_once(url: &str, app_id: &str) -> u64 {
    let (tx, rx) = mpsc::channel::<Instant>();
    let t = Instant::now();
    android_submit(url.to_owned(), app_id.to_owned(), move |_len| {
        let _ = tx.send(Instant::now());
    });
    let at = rx.recv().expect("a callback");
    at.duration_since(t).as_nanos() as u64
}

fn android_submit<F>(url: String, app_id: String, callback: F) -> thread::JoinHandle<()>
where
    F: FnOnce(usize) + Send + 'static,
{
    thread::spawn(move || {
        let agent = raw_agent();
        let len = raw_call(&agent, &url, &app_id);
        drop(agent);
        thread::spawn(move || callback(len));
    })
}

// ---------------------------------------------------------------------------------------
// Bursts.

struct Burst {
    wall: Duration,
    peak_threads: usize,
    /// The threads alive at the peak, by name.
    peak_names: String,
    base_threads: usize,
    rss_before_kb: u64,
    rss_peak_kb: u64,
    exactly_once: bool,
    emulator_rps: f64,
    /// New connections the emulator accepted during the burst.
    connections: u64,
}

impl Burst {
    fn per_sec(&self) -> f64 {
        BURST as f64 / self.wall.as_secs_f64()
    }

    fn rss_growth_mb(&self) -> f64 {
        self.rss_peak_kb.saturating_sub(self.rss_before_kb) as f64 / 1024.0
    }
}

fn median_burst(bursts: &[Burst]) -> &Burst {
    let mut order: Vec<usize> = (0..bursts.len()).collect();
    order.sort_by_key(|&i| bursts[i].wall);
    &bursts[order[order.len() / 2]]
}

/// `(Threads, VmRSS kB)` of this process, from the OS.
fn proc_status() -> (usize, u64) {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mut threads = 0;
    let mut rss = 0;
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("Threads:") {
            threads = v.trim().parse().unwrap_or(0);
        } else if let Some(v) = line.strip_prefix("VmRSS:") {
            rss = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
        }
    }
    (threads, rss)
}

/// This process's threads by name (`/proc/self/task/*/comm`), e.g. `authing-worker x8`.
fn thread_names() -> String {
    let mut names: Vec<String> = std::fs::read_dir("/proc/self/task")
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter_map(|e| std::fs::read_to_string(e.path().join("comm")).ok())
                .map(|n| n.trim().to_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < names.len() {
        let n = names[i..].iter().take_while(|x| **x == names[i]).count();
        out.push(format!("{} x{n}", names[i]));
        i += n;
    }
    out.join(", ")
}

/// Samples the thread count and resident set every millisecond until stopped.
struct Sampler {
    stop: Arc<AtomicBool>,
    handle: thread::JoinHandle<(usize, u64, String)>,
}

impl Sampler {
    fn start() -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = thread::spawn(move || {
            let (mut threads, mut rss, mut names) = (0, 0, String::new());
            loop {
                let (t, r) = proc_status();
                if t > threads {
                    threads = t;
                    names = thread_names();
                }
                rss = rss.max(r);
                if flag.load(Ordering::Relaxed) {
                    return (threads, rss, names);
                }
                thread::sleep(Duration::from_millis(1));
            }
        });
        Sampler { stop, handle }
    }

    fn finish(self) -> (usize, u64, String) {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().expect("the sampler")
    }
}

/// Counts each call's callbacks, and tells when all `BURST` have arrived.
struct Tally {
    count: AtomicUsize,
    seen: Vec<AtomicU8>,
    done: Sender<Instant>,
}

impl Tally {
    fn new(done: Sender<Instant>) -> Arc<Tally> {
        Arc::new(Tally {
            count: AtomicUsize::new(0),
            seen: (0..BURST).map(|_| AtomicU8::new(0)).collect(),
            done,
        })
    }

    fn record(&self, index: usize) {
        self.seen[index].fetch_add(1, Ordering::Relaxed);
        if self.count.fetch_add(1, Ordering::AcqRel) + 1 == BURST {
            let _ = self.done.send(Instant::now());
        }
    }

    /// After a grace period: exactly `BURST` callbacks, each index once.
    fn exactly_once(&self) -> bool {
        thread::sleep(Duration::from_millis(200));
        self.count.load(Ordering::Acquire) == BURST
            && self.seen.iter().all(|s| s.load(Ordering::Relaxed) == 1)
    }
}

/// Runs `submit_all`, which must make `tally` see `BURST` callbacks, and measures it.
fn measure_burst(emu: &mut EmulatorProcess, submit_all: impl FnOnce(Arc<Tally>)) -> Burst {
    let (base_threads, rss_before_kb) = proc_status();
    let (tx, rx) = mpsc::channel();
    let tally = Tally::new(tx);
    let (requests_before, connections_before) = emu.stats();
    let sampler = Sampler::start();
    let t = Instant::now();
    submit_all(Arc::clone(&tally));
    let end = rx.recv().expect("all callbacks");
    let wall = end.duration_since(t);
    let (peak_threads, rss_peak_kb, peak_names) = sampler.finish();
    let (requests, connections) = emu.stats();
    let (requests, connections) = (requests - requests_before, connections - connections_before);
    Burst {
        wall,
        peak_threads,
        peak_names,
        base_threads,
        rss_before_kb,
        rss_peak_kb,
        exactly_once: tally.exactly_once(),
        emulator_rps: requests as f64 / wall.as_secs_f64(),
        connections,
    }
}

fn sdk_burst(emu: &mut EmulatorProcess, client: &AuthClient) -> Burst {
    measure_burst(emu, |tally| {
        for i in 0..BURST {
            let tally = Arc::clone(&tally);
            // The handle is dropped: fire and forget, as a GUI would.
            let _detached = client.reset_password_request(
                ResetPasswordVerifyMethod::PHONE_PASSCODE,
                payload(),
                move |r: AuthResponse| {
                    expect_2001(r.api_code());
                    tally.record(i);
                },
            );
        }
    })
}

/// The raw baseline: `CONCURRENCY` threads sharing one agent pull call numbers from a
/// shared counter until `BURST` are done.
fn raw_burst(emu: &mut EmulatorProcess, url: &str) -> Burst {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_connections_per_host(CONCURRENCY)
        .build()
        .into();
    let app_id = emu.app_id.clone();
    let mut threads = Vec::new();
    let burst = measure_burst(emu, |tally| {
        let next = Arc::new(AtomicUsize::new(0));
        for _ in 0..CONCURRENCY {
            let (agent, next, tally) = (agent.clone(), Arc::clone(&next), Arc::clone(&tally));
            let (url, app_id) = (url.to_owned(), app_id.clone());
            threads.push(thread::spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= BURST {
                    return;
                }
                raw_call(&agent, &url, &app_id);
                tally.record(i);
            }));
        }
    });
    for t in threads {
        let _ = t.join();
    }
    burst
}

/// The Android design under a burst: every call starts its thread and its HTTP client at
/// once (then a callback thread), as the Android SDK does.
fn android_burst(emu: &mut EmulatorProcess, url: &str) -> Burst {
    let app_id = emu.app_id.clone();
    measure_burst(emu, |tally| {
        for i in 0..BURST {
            let tally = Arc::clone(&tally);
            android_submit(url.to_owned(), app_id.clone(), move |_len| tally.record(i));
        }
    })
}

// ---------------------------------------------------------------------------------------
// Output.

struct Pct {
    p50: u64,
    p99: u64,
}

impl Pct {
    fn of(ns: &mut [u64]) -> Pct {
        ns.sort_unstable();
        Pct {
            p50: ns[ns.len() / 2],
            p99: ns[ns.len() * 99 / 100],
        }
    }
}

fn row(name: &str, l: &Pct, floor: &Pct) {
    println!(
        "{:<58} {:>9.1} {:>9.1} {:>8.2}x",
        name,
        l.p50 as f64 / 1000.0,
        l.p99 as f64 / 1000.0,
        l.p50 as f64 / floor.p50 as f64
    );
}

fn burst_row(name: &str, b: &Burst, raw: &Burst) {
    println!(
        "{:<44} {:>9.1} {:>10.0} {:>7.2}x {:>8} {:>9.1} {:>6} {:>10.0}",
        name,
        b.wall.as_secs_f64() * 1000.0,
        b.per_sec(),
        b.per_sec() / raw.per_sec(),
        b.peak_threads,
        b.rss_growth_mb(),
        if b.exactly_once { "yes" } else { "NO" },
        b.emulator_rps
    );
}

/// Progress on stderr, so a long phase is visible.
fn phase(name: &str) {
    eprintln!("bench_sdk: {name}");
}

fn target(pass: bool, what: &str) {
    println!("  [{}] {what}", if pass { "PASS" } else { "MISS" });
}
