//! The session: what a signed-in call costs over an anonymous one (the token read and the
//! `Authorization` header), from the memory store and from the file store, on a call that
//! only reads the session (`GET /oidc/me`) and on `get_profile`, which also saves the
//! profile it fetched in the store; and 1,000 calls
//! fired at once with an access token the server has expired: one refresh, every call
//! answered once, with the new token.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use authing::{AuthClient, AuthResponse, FileTokenStore, ResetPasswordVerifyMethod};

use crate::ab::{self, AbResult, Arm, Spread};
use crate::child::{EmulatorProcess, EMAIL, PASSWORD};
use crate::clients::{expect_2001, payload, FloorClient, PATH, TIMEOUT};
use crate::{target, target_rounds};

const ROUNDS: usize = 5;
const CALLS: usize = 200;
const BLOCK: usize = 10;
const STORM: usize = 1_000;

pub struct Session {
    ab: AbResult,
    /// Calls in the A/B that did not answer 200 (signed in) or 2001 (anonymous).
    failed: usize,
    storm: Storm,
}

pub struct Storm {
    expired: u64,
    answered: usize,
    exactly_once: bool,
    ok: usize,
    /// Live access tokens of the user on the emulator after the storm: one per refresh.
    live_after: u64,
    requests: u64,
    new_token: bool,
    wall: Duration,
}

fn client(emu: &EmulatorProcess, file: Option<&std::path::Path>) -> AuthClient {
    let mut b = AuthClient::builder()
        .app_id(emu.app_id.clone())
        .app_host(emu.base_url.clone())
        .timeout(TIMEOUT);
    if let Some(path) = file {
        b = b.token_store(FileTokenStore::new(path));
    }
    b.build().expect("a valid client")
}

fn signed_in(emu: &EmulatorProcess, file: Option<&std::path::Path>) -> AuthClient {
    let c = client(emu, file);
    let r = c.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(r.status_code(), 200, "sign-in: {}", r.message());
    c
}

pub fn measure(emu: &mut EmulatorProcess) -> Session {
    let dir = std::env::temp_dir().join(format!("bench_sdk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let url = format!("{}{PATH}", emu.base_url);
    let userinfo_url = format!("{}/oidc/me", emu.base_url);
    let failed = std::cell::Cell::new(0usize);
    let fail_unless = |ok: bool| {
        if !ok {
            failed.set(failed.get() + 1);
        }
    };
    let timed = |f: &dyn Fn()| {
        let t = Instant::now();
        f();
        t.elapsed().as_nanos() as u64
    };
    let app_id = emu.app_id.clone();
    let emu_ro: &EmulatorProcess = emu;
    let mut round = 0;
    // New clients (new connections, new sessions) every round: see ab::run.
    let mut make = || {
        round += 1;
        let anonymous = client(emu_ro, None);
        let memory = signed_in(emu_ro, None);
        let stored = signed_in(emu_ro, Some(&dir.join(format!("session-{round}.json"))));
        let raw_anonymous = FloorClient::new(&url, &app_id);
        let token = memory.get_token().expect("a session");
        let bearer = format!("Bearer {}", token.access_token());
        let raw_agent = crate::clients::raw_agent();
        let (userinfo_url, app_id) = (userinfo_url.clone(), app_id.clone());
        let (memory_p, stored_p) = (memory.clone(), stored.clone());
        vec![
            Arm {
                name: "9. raw ureq, anonymous (the floor's request)",
                call: Box::new(move || {
                    timed(&|| {
                        raw_anonymous.call();
                    })
                }),
            },
            Arm {
                name: "9. SDK, anonymous (blocking twin)",
                call: Box::new(move || {
                    let p = payload();
                    timed(&|| {
                        let r = anonymous.reset_password_request_blocking(
                            ResetPasswordVerifyMethod::PHONE_PASSCODE,
                            p.clone(),
                        );
                        expect_2001(r.api_code());
                    })
                }),
            },
            Arm {
                name: "9. raw ureq, GET /oidc/me with Bearer",
                call: Box::new(move || {
                    timed(&|| {
                        let sent = raw_agent
                            .get(&userinfo_url)
                            .header("x-authing-app-id", &app_id)
                            .header("authorization", &bearer)
                            .header("accept", "application/json")
                            .call();
                        let body = sent
                            .ok()
                            .filter(|r| r.status() == 200)
                            .and_then(|mut r| r.body_mut().read_to_string().ok())
                            .unwrap_or_default();
                        fail_unless(body.contains("\"sub\""));
                    })
                }),
            },
            Arm {
                name: "9. SDK get_user_info (/oidc/me), memory store",
                call: Box::new(move || {
                    timed(&|| {
                        let r = memory.get_user_info_by_access_token_blocking(None);
                        fail_unless(r.status_code() == 200);
                    })
                }),
            },
            Arm {
                name: "9. SDK get_user_info (/oidc/me), file store",
                call: Box::new(move || {
                    timed(&|| {
                        let r = stored.get_user_info_by_access_token_blocking(None);
                        fail_unless(r.status_code() == 200);
                    })
                }),
            },
            Arm {
                name: "9. SDK get_profile, memory store",
                call: Box::new(move || {
                    timed(&|| {
                        let r = memory_p.get_profile_blocking(false, false, false);
                        fail_unless(r.status_code() == 200);
                    })
                }),
            },
            Arm {
                name: "9. SDK get_profile, file store",
                call: Box::new(move || {
                    timed(&|| {
                        let r = stored_p.get_profile_blocking(false, false, false);
                        fail_unless(r.status_code() == 200);
                    })
                }),
            },
        ]
    };
    ab::run(&mut make, 1, 50, BLOCK, true);
    let ab = ab::run(&mut make, ROUNDS, CALLS, BLOCK, true);
    let memory = signed_in(emu, None);
    let storm = storm(emu, &memory);
    let _ = std::fs::remove_dir_all(&dir);
    Session {
        ab,
        failed: failed.get(),
        storm,
    }
}

/// 1,000 `get_profile` calls submitted at once after the emulator expired the access
/// token: the first to meet the 401 refreshes, the others wait for that refresh.
fn storm(emu: &mut EmulatorProcess, client: &AuthClient) -> Storm {
    let old = client.get_token().expect("a session");
    let expired = emu.expire(EMAIL);
    let (live_before, _) = emu.tokens(EMAIL);
    assert_eq!(live_before, 0, "every access token expired");
    let before = emu.stats().0;
    let seen: Arc<Vec<AtomicU8>> = Arc::new((0..STORM).map(|_| AtomicU8::new(0)).collect());
    let ok = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel();
    let t = Instant::now();
    for i in 0..STORM {
        let (seen, ok, tx) = (Arc::clone(&seen), Arc::clone(&ok), tx.clone());
        let _detached = client.get_profile(false, false, false, move |r: AuthResponse| {
            if r.status_code() == 200 {
                ok.fetch_add(1, Ordering::Relaxed);
            }
            seen[i].fetch_add(1, Ordering::Relaxed);
            let _ = tx.send(());
        });
    }
    drop(tx);
    let mut answered = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    while answered < STORM {
        let left = deadline.saturating_duration_since(Instant::now());
        if rx.recv_timeout(left).is_err() {
            break;
        }
        answered += 1;
    }
    let wall = t.elapsed();
    // A second callback for any call would arrive within this grace period.
    let extra = rx.recv_timeout(Duration::from_millis(200)).is_ok();
    let exactly_once = !extra && seen.iter().all(|s| s.load(Ordering::Relaxed) == 1);
    let requests = emu.stats().0 - before;
    let (live_after, _) = emu.tokens(EMAIL);
    let new_token = client
        .get_token()
        .is_some_and(|t| t.access_token() != old.access_token());
    Storm {
        expired,
        answered,
        exactly_once,
        ok: ok.load(Ordering::Relaxed),
        live_after,
        requests,
        new_token,
        wall,
    }
}

impl Session {
    pub fn print(&self) {
        self.ab.print("the session (A/B, one call at a time)");
        let anon = Spread::of(&self.ab.gaps_us(1, 0));
        let mem = Spread::of(&self.ab.gaps_us(3, 2));
        let file = Spread::of(&self.ab.gaps_us(4, 2));
        let save = Spread::of(&self.ab.gaps_us(6, 5));
        println!(
            "   SDK over raw ureq, p50 (median / min / max of {ROUNDS} rounds): anonymous {:+.1} \
             / {:+.1} / {:+.1} µs; signed in, memory {:+.1} / {:+.1} / {:+.1} µs; file {:+.1} / \
             {:+.1} / {:+.1} µs",
            anon.median,
            anon.min,
            anon.max,
            mem.median,
            mem.min,
            mem.max,
            file.median,
            file.min,
            file.max
        );
        println!(
            "   get_profile writes the store only when the user changed (here, never after the \
             first): the file store adds {:+.0} µs p50 over the memory store there (median; \
             rounds {:+.0} to {:+.0})",
            save.median, save.min, save.max
        );
        let s = &self.storm;
        println!(
            "10. {STORM} get_profile calls at once, access token expired by the emulator ({} \
             expired): {} answered ({} with 200) in {:.0} ms, each exactly once: {}; live \
             access tokens after: {} (one per refresh); requests: {}; the client's token \
             changed: {}\n",
            s.expired,
            s.answered,
            s.ok,
            s.wall.as_secs_f64() * 1000.0,
            if s.exactly_once { "yes" } else { "NO" },
            s.live_after,
            s.requests,
            s.new_token
        );
    }

    /// The session's own cost per call: (SDK signed in - raw signed in) - (SDK anonymous
    /// - raw anonymous), per round, for arm `signed` (3 memory, 4 file).
    fn session_cost(&self, signed: usize) -> Vec<f64> {
        let anon = self.ab.gaps_us(1, 0);
        self.ab
            .gaps_us(signed, 2)
            .iter()
            .zip(anon)
            .map(|(s, a)| s - a)
            .collect()
    }

    pub fn targets(&self) {
        target(
            self.failed == 0,
            &format!(
                "9. every session call answered as expected: {} did not",
                self.failed
            ),
        );
        for (arm, store) in [(3, "memory"), (4, "file")] {
            let ratios: Vec<f64> = self
                .ab
                .rounds
                .iter()
                .map(|r| r[arm].p50 as f64 / r[2].p50 as f64)
                .collect();
            target_rounds(
                &format!("9. signed-in SDK call ({store} store) within 1.10x of raw ureq with the same Bearer"),
                &ratios,
                |r| r <= 1.10,
                "x",
            );
        }
        let cost = Spread::of(&self.session_cost(3));
        println!(
            "         (the session's own cost, signed-in gap minus anonymous gap, memory store: \
             {:+.1} µs median, rounds {:+.1} to {:+.1}: below what a round resolves)",
            cost.median, cost.min, cost.max
        );
        let s = &self.storm;
        target(
            s.answered == STORM && s.exactly_once && s.ok == STORM && s.new_token,
            &format!(
                "10. every one of {STORM} calls answered once, with 200 (the new token): {} \
                 answered, {} with 200",
                s.answered, s.ok
            ),
        );
        target(
            s.live_after == 1,
            &format!(
                "10. exactly one refresh reached the emulator: {} new access token(s)",
                s.live_after
            ),
        );
    }
}
