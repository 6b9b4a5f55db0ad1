//! The user's journeys at a realistic round-trip time, over plain http and over https:
//! what a click costs when every request crosses a network, for this crate (its client
//! made at the click, or at program start), Authing's official Node and Python SDKs, and
//! the Android design (a new connection per request).
//!
//! Run: `cargo run --release --example bench_journeys` (`--rtt-ms N`, default 40;
//! `--runs N`, default 5; `--only http|https`; `--quick`: 3 runs). Two to three minutes at
//! the defaults with the official SDKs (`SDK_DIR`, see `official.rs`) on a loaded 2-core
//! machine; most of it is their process starts and the 1.1 s every batch of clients
//! "made at program start" waits.
//!
//! For each scheme the emulator runs in this process (over https with its throw-away
//! CA, which every client trusts) behind a delaying TCP proxy on loopback (`proxy.rs`:
//! each chunk delayed by RTT / 2 in its direction, one more RTT for a new connection's
//! handshake; it forwards TLS untouched and counts connections, TLS handshakes and
//! resumptions, `tls_scan.rs`). Each journey (`journeys.rs`, `official.rs`,
//! `android.rs`) runs `--runs` times; a row gives the median wall time, the counts of the
//! median run (requests: the proxy's over http, the emulator's over https), the physical
//! minimum (the round trips the journey cannot do without, × RTT) and whether the median
//! met it (`table.rs`). Results are in `docs/PERFORMANCE.md`, "Journeys at a round-trip
//! time".

mod android;
mod browser;
mod journeys;
mod official;
mod proxy;
mod table;
mod target;
mod tls_scan;

use std::time::{Duration, Instant};

use authing::PasswordEncryptType;

use journeys::Made;
use official::Sdk;
use table::{Journey, Row};
use target::Target;

struct Args {
    rtt: Duration,
    runs: usize,
    schemes: Vec<bool>,
}

fn args() -> Args {
    let mut a = Args {
        rtt: Duration::from_millis(40),
        runs: 5,
        schemes: vec![false, true],
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value =
            || -> String { it.next().unwrap_or_else(|| panic!("{flag} wants a value")) };
        match flag.as_str() {
            "--rtt-ms" => a.rtt = Duration::from_millis(value().parse().expect("--rtt-ms N")),
            "--runs" => a.runs = value().parse::<usize>().expect("--runs N").max(1),
            "--quick" => a.runs = 3,
            "--only" => {
                a.schemes = match value().as_str() {
                    "http" => vec![false],
                    "https" => vec![true],
                    other => panic!("--only http or --only https, not {other}"),
                }
            }
            other => {
                panic!("unknown argument {other}: --rtt-ms N, --runs N, --quick, --only http|https")
            }
        }
    }
    a
}

fn main() {
    let all: Vec<String> = std::env::args().collect();
    if all.get(1).map(String::as_str) == Some("--cold-child") {
        journeys::cold_child(&all[2..]);
        return;
    }
    let args = args();
    let started = Instant::now();
    println!(
        "authing bench_journeys: RTT {} ms, {} runs per row; load average {}",
        args.rtt.as_millis(),
        args.runs,
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|_| "unknown".into())
    );
    for &tls in &args.schemes {
        let t = Target::start(tls, args.rtt);
        println!(
            "\n### {} (proxy {} -> emulator {})\n",
            t.scheme(),
            t.url(),
            t.emu.base_url()
        );
        let rows = rows(&t, args.runs);
        table::print(&rows, args.rtt, tls);
    }
    println!("\n{}", table::legend(args.rtt));
    println!("whole run: {:.0} s", started.elapsed().as_secs_f64());
}

/// Every row of one scheme, in the table's order.
fn rows(t: &Target, n: usize) -> Vec<Row> {
    use Journey::*;
    let sdks: Vec<(Sdk, Result<std::path::PathBuf, String>)> = [Sdk::Node, Sdk::Python]
        .into_iter()
        .map(|s| (s, s.find()))
        .collect();
    let mut rows = Vec::new();
    // Both SDKs' rows of a journey (`cold`: no connection could be open at its start).
    let official = |rows: &mut Vec<Row>,
                    journey: Journey,
                    run: &dyn Fn(Sdk, &std::path::Path) -> Vec<journeys::Run>| {
        for (sdk, dir) in &sdks {
            let result = dir.as_ref().map(|d| run(*sdk, d)).map_err(Clone::clone);
            rows.push(Row::new(journey, sdk.name(), journey == ColdStart, result));
        }
    };
    let (plain, rsa_kind) = (PasswordEncryptType::none, PasswordEncryptType::rsa);

    rows.push(Row::new(
        SignIn,
        "crate, client at the click",
        true,
        Ok(journeys::sign_in(t, Made::AtClick, n, plain)),
    ));
    rows.push(Row::new(
        SignIn,
        "crate, client at program start",
        false,
        Ok(journeys::sign_in(t, Made::AtStart, n, plain)),
    ));
    official(&mut rows, SignIn, &|s, d| {
        official::batch(s, d, t, n, "signin")
    });
    rows.push(Row::new(
        SignIn,
        "Android design",
        false,
        Ok(android::click_sign_in(t, n)),
    ));

    rows.push(Row::new(
        SignInRsa,
        "crate, client at the click",
        true,
        Ok(journeys::sign_in(t, Made::AtClick, n, rsa_kind)),
    ));
    rows.push(Row::new(
        SignInRsa,
        "crate, client at program start",
        false,
        Ok(journeys::sign_in(t, Made::AtStart, n, rsa_kind)),
    ));
    for (sdk, _) in &sdks {
        rows.push(Row::new(
            SignInRsa,
            sdk.name(),
            false,
            Err("not run: the SDK has no password encryption of its own".into()),
        ));
    }

    rows.push(Row::new(
        ColdStart,
        "crate (a new process)",
        true,
        Ok(journeys::cold_start(t, n)),
    ));
    official(&mut rows, ColdStart, &|s, d| {
        official::cold_start(s, d, t, n)
    });

    rows.push(Row::new(
        Recovery,
        "crate, client at the click",
        true,
        Ok(journeys::recovery(t, Made::AtClick, n)),
    ));
    rows.push(Row::new(
        Recovery,
        "crate, client at program start",
        false,
        Ok(journeys::recovery(t, Made::AtStart, n)),
    ));
    official(&mut rows, Recovery, &|s, d| {
        official::batch(s, d, t, n, "recover")
    });
    rows.push(Row::new(
        Recovery,
        "Android design",
        false,
        Ok(android::recovery(t, n)),
    ));

    rows.push(Row::new(
        Expired,
        "crate, signed in at program start",
        false,
        Ok(journeys::expired_token(t, n)),
    ));
    official(&mut rows, Expired, &|s, d| {
        official::expired_token(s, d, t, n)
    });
    rows.push(Row::new(
        Expired,
        "Android design",
        false,
        Ok(android::expired_token(t, n)),
    ));

    rows.push(Row::new(
        Qr,
        "crate, client at the click",
        false,
        Ok(journeys::qr(t, Made::AtClick, n)),
    ));
    rows.push(Row::new(
        Qr,
        "crate, client at program start",
        false,
        Ok(journeys::qr(t, Made::AtStart, n)),
    ));
    official(&mut rows, Qr, &|s, d| official::batch(s, d, t, n, "qr"));

    rows.push(Row::new(
        Browser,
        "crate, client at the click",
        false,
        Ok(journeys::browser(t, Made::AtClick, n)),
    ));
    rows.push(Row::new(
        Browser,
        "crate, client at program start",
        false,
        Ok(journeys::browser(t, Made::AtStart, n)),
    ));
    official(&mut rows, Browser, &|s, d| {
        official::batch(s, d, t, n, "browser")
    });
    rows
}
