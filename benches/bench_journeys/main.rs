//! The user's journeys at a realistic round-trip time: what a click costs when every
//! request crosses a network, as a baseline for the SDK's warm-up and refresh-ahead work.
//!
//! Run: `cargo run --release --example bench_journeys` (`--rtt-ms N`, default 40;
//! `--runs N`, default 5). Under a minute at the defaults.
//!
//! The emulator runs in this process; the SDK reaches it through a delaying TCP proxy on
//! loopback (`proxy.rs`: each chunk delayed by RTT / 2 in its direction, one more RTT for
//! a new connection's handshake). Each journey (`journeys.rs`) runs `--runs` times; the
//! table gives the median wall time, the proxy's connection and request counts during the
//! median run, the physical minimum (the round trips the journey cannot do without, × RTT)
//! and the ratio of the two. Results are in `docs/PERFORMANCE.md`, "Journeys at a
//! round-trip time".

mod journeys;
mod proxy;

use std::time::Duration;

use authing::emulator::Emulator;
use authing::PasswordEncryptType;

use journeys::Run;
use proxy::Proxy;

struct Args {
    rtt: Duration,
    runs: usize,
}

fn args() -> Args {
    let mut a = Args {
        rtt: Duration::from_millis(40),
        runs: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = |it: &mut dyn Iterator<Item = String>| -> u64 {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{flag} wants a number"))
        };
        match flag.as_str() {
            "--rtt-ms" => a.rtt = Duration::from_millis(value(&mut it)),
            "--runs" => a.runs = (value(&mut it) as usize).max(1),
            other => panic!("unknown argument {other}: --rtt-ms N, --runs N"),
        }
    }
    a
}

/// One row: a journey, its runs, and the round trips it needs at least.
struct Row {
    name: &'static str,
    runs: Vec<Run>,
    minimum: u32,
    why: &'static str,
}

fn main() {
    let args = args();
    let emu = Emulator::start().expect("the emulator starts");
    journeys::add_users(&emu, args.runs);
    let proxy = Proxy::start(emu.addr(), args.rtt);
    println!(
        "authing bench_journeys: RTT {} ms (proxy {} -> emulator {}), {} runs per journey\n",
        args.rtt.as_millis(),
        proxy.base_url(),
        emu.base_url(),
        args.runs
    );
    let n = args.runs;
    let rows = [
        Row {
            name: "1. click \"Sign in\", password, plain (client made 1 s before)",
            runs: journeys::click_sign_in(&proxy, &emu, n, PasswordEncryptType::none),
            minimum: 1,
            why: "signin (connection could be open)",
        },
        Row {
            name: "2. the same, PasswordEncryptType::rsa",
            runs: journeys::click_sign_in(&proxy, &emu, n, PasswordEncryptType::rsa),
            minimum: 1,
            why: "signin (key could be fetched)",
        },
        Row {
            name: "3. cold start to signed in (client made at the click)",
            runs: journeys::cold_start(&proxy, &emu, n),
            minimum: 2,
            why: "handshake + signin",
        },
        Row {
            name: "4. recovery: send code, verify, reset (new client)",
            runs: journeys::recovery(&proxy, &emu, n),
            minimum: 4,
            why: "handshake + 3 calls",
        },
        Row {
            name: "5. call on a server-expired token: 401, refresh, call",
            runs: journeys::expired_token(&proxy, &emu, n),
            minimum: 3,
            why: "call + refresh + call",
        },
        Row {
            name: "6. QR: code shown -> signed in, phone confirms at once",
            runs: journeys::qr(&proxy, &emu, n),
            minimum: 2,
            why: "status check + exchange",
        },
    ];
    let rtt_ms = args.rtt.as_secs_f64() * 1000.0;
    println!("| journey | median | connections | requests | bytes up / down | minimum | ratio |");
    println!("|---|---|---|---|---|---|---|");
    for row in &rows {
        let mut order: Vec<&Run> = row.runs.iter().collect();
        order.sort_by_key(|r| r.wall);
        let median = order[order.len() / 2];
        let ms = median.wall.as_secs_f64() * 1000.0;
        let floor = f64::from(row.minimum) * rtt_ms;
        let c = median.counts;
        println!(
            "| {} | {:.0} ms (min {:.0}, max {:.0}) | {} | {} | {} / {} | {} × RTT = {:.0} ms ({}) | {:.2}x |",
            row.name,
            ms,
            order[0].wall.as_secs_f64() * 1000.0,
            order[order.len() - 1].wall.as_secs_f64() * 1000.0,
            c.connections,
            c.requests,
            c.up,
            c.down,
            row.minimum,
            floor,
            row.why,
            if floor > 0.0 { ms / floor } else { f64::NAN },
        );
    }
    println!(
        "\nconnections and requests are the median run's, as the proxy counted them; the QR \
         row's include the status checks, every {} ms.",
        journeys::QR_INTERVAL.as_millis()
    );
}
