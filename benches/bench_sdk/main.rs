//! Measures what the SDK adds to a network round trip, how it behaves under a burst, and
//! what each family of calls costs.
//!
//! Run: `cargo run --release --example bench_sdk` (under a minute on a 2-core machine).
//!
//! The latency rows send one request, `POST /api/v3/verify-reset-password-request` for a
//! phone user that has no code issued: the emulator answers `statusCode 400, apiCode 2001`
//! at once, every time, with the same body. The emulator (release build, like this
//! program) runs in a child process (`child.rs`) beside the floor server
//! (`floor_server.rs`), so the thread counts and resident set read from
//! `/proc/self/status` belong to the benchmark and the SDK alone.
//!
//! Latency rows are an A/B measurement (`ab.rs`): every client on its own connection,
//! one call at a time, alternating in blocks of a few calls whose order is shuffled each
//! cycle, over several rounds; each ratio to the floor is printed as its spread over the
//! rounds. Bursts are in `burst.rs`; the families' rows (sign-in, the session, the refresh
//! storm, browser sign-in, QR polling) in `families.rs`. Results are in
//! `docs/PERFORMANCE.md`.

mod ab;
mod browser_rows;
mod burst;
mod child;
mod clients;
mod families;
mod floor_server;
mod qr_rows;
mod session_rows;
mod signin_rows;

use std::sync::atomic::Ordering;
use std::time::Instant;

use authing::{AuthClient, Authing, ResetPasswordVerifyMethod};

use ab::{Arm, Spread};
use burst::{android_burst, burst_row, median_burst, raw_burst, sdk_burst, Burst};
use child::EmulatorProcess;
use clients::{
    android_once, callback_once, check_answers, expect_2001, payload, raw_agent_with_timeout,
    sdk_client, FloorClient, FAILED, PATH,
};

pub const BURST: usize = 10_000;
pub const CONCURRENCY: usize = 8;
const BURST_ROUNDS: usize = 3;
const REUSE_CALLS: usize = 1_000;
/// A/B: rounds, calls per client per round, calls per block.
const ROUNDS: usize = 7;
const ROUND_CALLS: usize = 600;
const BLOCK: usize = 10;
/// The old design, kept to show its skew: fixed order, blocks of 250.
const OLD_BLOCK: usize = 250;
const OLD_ROUNDS: usize = 3;

fn main() {
    if std::env::args().any(|a| a == "--emulator-child") {
        child::emulator_child();
        return;
    }
    let started = Instant::now();
    let mut emu = EmulatorProcess::start();
    let url = format!("{}{PATH}", emu.base_url);
    println!(
        "authing bench_sdk: emulator at {} and floor server at {} (child process, release)",
        emu.base_url, emu.floor_url
    );
    println!("request: POST {PATH} -> statusCode 400 / apiCode 2001 (no code issued)");
    println!("load average at the start: {}\n", load_average());

    phase("bursts");
    // 4: bursts, SDK against raw ureq threads at the same concurrency, alternating.
    // One client for every round: its workers stay alive between rounds, as in an app.
    let burst_client = sdk_client(&emu.base_url, &emu.app_id, CONCURRENCY);
    let mut sdk_bursts = Vec::new();
    let mut raw_bursts = Vec::new();
    for _ in 0..BURST_ROUNDS {
        raw_bursts.push(raw_burst(&mut emu, &url));
        sdk_bursts.push(sdk_burst(&mut emu, &burst_client));
    }
    drop(burst_client);

    phase("latency A/B");
    // 1-3, 6, 7 and the server's share: one A/B run, every client on its own connection
    // (rows 7 share one client: that is what they compare).
    let base_url = emu.base_url.clone();
    let app_id = emu.app_id.clone();
    let tcp_url = format!("{}{PATH}", emu.floor_url);
    check_answers(
        &FloorClient::new(&url, &app_id),
        &sdk_client(&base_url, &app_id, CONCURRENCY),
    );
    Authing::init(app_id.clone());
    Authing::set_app_host(base_url.clone());
    let reused = AuthClient::new();
    // New clients, so new connections, every round (see ab::run); rows 7 share one
    // client by design (`AuthClient::new()` finds the shared one).
    let mut latency_arms = || {
        let floor = FloorClient::new(&url, &app_id);
        let floor_t = FloorClient {
            agent: raw_agent_with_timeout(),
            url: url.clone(),
            app_id: app_id.clone(),
        };
        let tcp_floor = FloorClient::new(&tcp_url, &app_id);
        let blocking = sdk_client(&base_url, &app_id, CONCURRENCY);
        let callback = sdk_client(&base_url, &app_id, CONCURRENCY);
        let (url, app_id) = (url.clone(), app_id.clone());
        vec![
            Arm {
                name: "1. floor: raw ureq::Agent -> emulator",
                call: Box::new(move || timed(|| floor.call())),
            },
            Arm {
                name: "0. raw ureq::Agent -> one-thread TcpListener",
                call: Box::new(move || timed(|| tcp_floor.call())),
            },
            Arm {
                name: "1b. raw ureq::Agent with a time-out",
                call: Box::new(move || timed(|| floor_t.call())),
            },
            Arm {
                name: "2. SDK blocking twin",
                call: Box::new(move || sdk_call(&blocking)),
            },
            Arm {
                name: "3. SDK callback form, submit -> callback",
                call: Box::new(move || callback_once(&callback)),
            },
            Arm {
                name: "6. Android design: thread + client + thread",
                call: Box::new(move || android_once(&url, &app_id)),
            },
            Arm {
                name: "7. AuthClient::new() per call, blocking",
                call: Box::new(|| sdk_call(&AuthClient::new())),
            },
            Arm {
                name: "7. one reused AuthClient (from new())",
                call: Box::new(|| sdk_call(&reused)),
            },
        ]
    };
    // Warm-up: allocator, worker threads, CPU frequency.
    ab::run(&mut latency_arms, 1, 200, BLOCK, true);
    let latency = ab::run(&mut latency_arms, ROUNDS, ROUND_CALLS, BLOCK, true);

    phase("the old block design");
    // As it was: one client each for the whole run, the callback form on the blocking
    // twin's client, a fixed order.
    let old_floor = FloorClient::new(&url, &app_id);
    let old_floor_t = FloorClient {
        agent: raw_agent_with_timeout(),
        url: url.clone(),
        app_id: app_id.clone(),
    };
    let old_sdk = sdk_client(&base_url, &app_id, CONCURRENCY);
    let mut old_arms = || {
        vec![
            Arm {
                name: "1. floor",
                call: Box::new(|| timed(|| old_floor.call())),
            },
            Arm {
                name: "1b. time-out",
                call: Box::new(|| timed(|| old_floor_t.call())),
            },
            Arm {
                name: "2. blocking twin",
                call: Box::new(|| sdk_call(&old_sdk)),
            },
            Arm {
                name: "3. callback form",
                call: Box::new(|| callback_once(&old_sdk)),
            },
        ]
    };
    let old = ab::run(&mut old_arms, OLD_ROUNDS, 1_000, OLD_BLOCK, false);

    phase("reuse");
    // 5: connection reuse, a fresh client, 1,000 sequential calls.
    let reuse_client = sdk_client(&emu.base_url, &emu.app_id, CONCURRENCY);
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

    phase("android burst");
    let failed_before_android_burst = FAILED.load(Ordering::Relaxed);
    let android_b = android_burst(&mut emu, &url);
    let android_burst_failed = FAILED.load(Ordering::Relaxed) - failed_before_android_burst;

    let families = families::run(&mut emu);

    // Report.
    latency.print("latency, A/B (one call at a time)");
    println!(
        "   {ROUNDS} rounds x {ROUND_CALLS} calls per client, blocks of {BLOCK} in a shuffled \
         order; p50/p99 over all {} calls of a client\n",
        ROUNDS * ROUND_CALLS
    );
    old.print("the old design: fixed order, blocks of 250");
    println!(
        "   (floor, 1b, blocking, callback in that order, {OLD_ROUNDS} rounds x 1000; the \
         callback form shares the blocking twin's client, as it did)\n"
    );
    let share: Vec<f64> = latency
        .rounds
        .iter()
        .map(|r| r[0].p50 as f64 / r[1].p50 as f64)
        .collect();
    let share_s = Spread::of(&share);
    println!(
        "server's share: a round trip to the emulator is {:.2}x / {:.2}x / {:.2}x (min / median \
         / max) one to the one-thread TcpListener answering the same bytes; median difference \
         {:+.1} µs\n",
        share_s.min,
        share_s.median,
        share_s.max,
        Spread::of(&latency.gaps_us(0, 1)).median
    );

    print_bursts(&sdk_bursts, &raw_bursts, &android_b);
    println!(
        "5. connection reuse: {reuse_conns} connection(s) accepted by the emulator over \
         {reuse_reqs} sequential calls\n"
    );
    families.print();

    println!("targets (A/B figures: met in how many of the {ROUNDS} rounds)");
    let blocking_r = latency.ratios(3);
    target_rounds(
        "2. blocking p50 within 1.10x of the floor",
        &blocking_r,
        |r| r <= 1.10,
        "x",
    );
    target_rounds(
        "3. callback p50 within 50 µs of the blocking p50",
        &latency.gaps_us(4, 3),
        |g| g <= 50.0,
        " µs",
    );
    let many: Vec<f64> = latency
        .rounds
        .iter()
        .map(|r| r[6].p50 as f64 / r[7].p50 as f64)
        .collect();
    target_rounds(
        "7. AuthClient::new() per call / reused client p50 <= 1.10x",
        &many,
        |r| r <= 1.10,
        "x",
    );
    target_rounds(
        "0. emulator round trip <= 2x the one-thread TcpListener's",
        &share,
        |r| r <= 2.0,
        "x",
    );
    let sdk_b = median_burst(&sdk_bursts);
    let raw_b = median_burst(&raw_bursts);
    let peak_threads = sdk_bursts.iter().map(|b| b.peak_threads).max().unwrap_or(0);
    let all_once = sdk_bursts.iter().all(|b| b.exactly_once);
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
        &format!("4. throughput >= 0.8x raw ureq threads: {tput:.2}x (median rounds)"),
    );
    target(
        reuse_conns == 1,
        &format!("5. one connection over {REUSE_CALLS} calls: {reuse_conns}"),
    );
    families.targets();
    println!(
        "\ncalls without the expected answer (errors, time-outs): {} in the Android design's \
         burst (its callbacks still ran), {} in every other phase together",
        android_burst_failed,
        FAILED.load(Ordering::Relaxed) - android_burst_failed
    );
    println!(
        "(whole run: {:.1} s; load average at the end: {})",
        started.elapsed().as_secs_f64(),
        load_average()
    );
    emu.stop();
}

fn print_bursts(sdk_bursts: &[Burst], raw_bursts: &[Burst], android_b: &Burst) {
    let sdk_b = median_burst(sdk_bursts);
    let raw_b = median_burst(raw_bursts);
    let base_threads = sdk_bursts.iter().map(|b| b.base_threads).max().unwrap_or(0);
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
    burst_row("6. Android design, 10,000 threads", android_b, raw_b);
    let walls = |b: &[Burst]| b.iter().map(|b| b.wall.as_millis()).collect::<Vec<_>>();
    println!(
        "   SDK rounds (wall ms): {:?}; raw rounds: {:?}",
        walls(sdk_bursts),
        walls(raw_bursts)
    );
    println!(
        "   threads = peak of /proc/self/status Threads: during the burst (main and the 1 ms \
         sampler included; {base_threads} before the SDK burst); RSS +MB = peak VmRSS minus \
         VmRSS before (SDK: first, cold round: {:.1} MB)",
        sdk_bursts[0].rss_growth_mb()
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
}

/// One blocking SDK call, timed, its answer checked.
fn sdk_call(client: &AuthClient) -> u64 {
    let p = payload();
    let t = Instant::now();
    let r = client.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, p);
    let ns = t.elapsed().as_nanos() as u64;
    expect_2001(r.api_code());
    ns
}

/// Nanoseconds `f` takes.
fn timed<T>(f: impl FnOnce() -> T) -> u64 {
    let t = Instant::now();
    let _ = f();
    t.elapsed().as_nanos() as u64
}

/// The 1, 5 and 15 minute load averages, from `/proc/loadavg`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// Progress on stderr, so a long phase is visible.
pub fn phase(name: &str) {
    eprintln!("bench_sdk: {name}");
}

pub fn target(pass: bool, what: &str) {
    println!("  [{}] {what}", if pass { "PASS" } else { "MISS" });
}

/// A target measured once per round: PASS when every round meets it, MISS (with the
/// count) when any round does not; the figures are min / median / max over the rounds.
pub fn target_rounds(what: &str, values: &[f64], ok: impl Fn(f64) -> bool, unit: &str) {
    let met = values.iter().filter(|&&v| ok(v)).count();
    let s = Spread::of(values);
    println!(
        "  [{}] {what}: met in {met} of {} rounds; {:.2}{unit} / {:.2}{unit} / {:.2}{unit}",
        if met == values.len() { "PASS" } else { "MISS" },
        values.len(),
        s.min,
        s.median,
        s.max
    );
}
