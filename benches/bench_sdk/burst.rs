//! Bursts: 10,000 calls fired at once, with the peak thread count and resident set
//! sampled from `/proc/self/status`, and every callback counted exactly once.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use authing::{AuthClient, AuthResponse, ResetPasswordVerifyMethod};

use crate::child::EmulatorProcess;
use crate::clients::{android_submit, expect_2001, payload, raw_call};
use crate::{BURST, CONCURRENCY};

pub struct Burst {
    pub wall: Duration,
    pub peak_threads: usize,
    /// The threads alive at the peak, by name.
    pub peak_names: String,
    pub base_threads: usize,
    rss_before_kb: u64,
    rss_peak_kb: u64,
    pub exactly_once: bool,
    emulator_rps: f64,
    /// New connections the emulator accepted during the burst.
    pub connections: u64,
}

impl Burst {
    pub fn per_sec(&self) -> f64 {
        BURST as f64 / self.wall.as_secs_f64()
    }

    pub fn rss_growth_mb(&self) -> f64 {
        self.rss_peak_kb.saturating_sub(self.rss_before_kb) as f64 / 1024.0
    }
}

pub fn median_burst(bursts: &[Burst]) -> &Burst {
    let mut order: Vec<usize> = (0..bursts.len()).collect();
    order.sort_by_key(|&i| bursts[i].wall);
    &bursts[order[order.len() / 2]]
}

/// `(Threads, VmRSS kB)` of this process, from the OS.
pub fn proc_status() -> (usize, u64) {
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
pub fn thread_names() -> String {
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
pub struct Sampler {
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
pub struct Tally {
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
pub fn measure_burst(emu: &mut EmulatorProcess, submit_all: impl FnOnce(Arc<Tally>)) -> Burst {
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

pub fn sdk_burst(emu: &mut EmulatorProcess, client: &AuthClient) -> Burst {
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
pub fn raw_burst(emu: &mut EmulatorProcess, url: &str) -> Burst {
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
pub fn android_burst(emu: &mut EmulatorProcess, url: &str) -> Burst {
    let app_id = emu.app_id.clone();
    measure_burst(emu, |tally| {
        for i in 0..BURST {
            let tally = Arc::clone(&tally);
            android_submit(url.to_owned(), app_id.clone(), move |_len| tally.record(i));
        }
    })
}

pub fn burst_row(name: &str, b: &Burst, raw: &Burst) {
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
