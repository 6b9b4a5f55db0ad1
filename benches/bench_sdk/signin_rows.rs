//! Sign-in by password, plain, rsa and sm2: what the encryption costs per call, and that
//! the server's public key (`GET /api/v3/system`) is fetched once per client, not per call.

use std::time::Instant;

use authing::{AuthClient, AuthOptions, PasswordEncryptType};

use crate::ab::{self, AbResult, Arm, Spread};
use crate::child::{EmulatorProcess, EMAIL, PASSWORD};
use crate::clients::sdk_client;
use crate::target;

const ROUNDS: usize = 5;
const CALLS: usize = 16;

pub struct SignIn {
    ab: AbResult,
    /// Requests the emulator saw during each client's first sign-in (plain, rsa, sm2).
    first: [u64; 3],
    /// Sign-ins after each client's first (the A/B's, its unmeasured ones included), and
    /// the requests the emulator saw during them.
    calls: u64,
    requests: u64,
    /// Sign-ins that did not answer 200.
    failed: usize,
}

fn options(kind: PasswordEncryptType) -> AuthOptions {
    let mut o = AuthOptions::new();
    o.set_password_encrypt_type(kind);
    o
}

pub fn measure(emu: &mut EmulatorProcess) -> SignIn {
    let kinds = [
        PasswordEncryptType::none,
        PasswordEncryptType::rsa,
        PasswordEncryptType::sm2,
    ];
    let clients: Vec<AuthClient> = kinds
        .iter()
        .map(|_| sdk_client(&emu.base_url, &emu.app_id, 8))
        .collect();
    let mut first = [0; 3];
    let mut failed = 0;
    for (i, (client, kind)) in clients.iter().zip(kinds).enumerate() {
        let before = emu.stats().0;
        let r = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, options(kind));
        failed += usize::from(r.status_code() != 200);
        first[i] = emu.stats().0 - before;
    }
    let failed_cell = std::cell::Cell::new(failed);
    let sign_in = |client: &AuthClient, kind: PasswordEncryptType| {
        let o = options(kind);
        let t = Instant::now();
        let r = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, o);
        let ns = t.elapsed().as_nanos() as u64;
        if r.status_code() != 200 {
            failed_cell.set(failed_cell.get() + 1);
        }
        ns
    };
    let mut arms = || {
        vec![
            Arm {
                name: "8. sign-in by password, plain",
                call: Box::new(|| sign_in(&clients[0], kinds[0])),
            },
            Arm {
                name: "8. sign-in by password, rsa",
                call: Box::new(|| sign_in(&clients[1], kinds[1])),
            },
            Arm {
                name: "8. sign-in by password, sm2",
                call: Box::new(|| sign_in(&clients[2], kinds[2])),
            },
        ]
    };
    // The same clients every round (a new client would fetch the key again): a sign-in
    // costs milliseconds, so where the emulator's threads sit matters little here.
    let before = emu.stats().0;
    let ab = ab::run(&mut arms, ROUNDS, CALLS, 1, true);
    let requests = emu.stats().0 - before;
    let calls = (ab.calls_made * 3) as u64;
    SignIn {
        ab,
        first,
        calls,
        requests,
        failed: failed_cell.get(),
    }
}

impl SignIn {
    pub fn print(&self) {
        self.ab
            .print("sign-in by password (signin + get-profile; A/B)");
        let rsa = Spread::of(&self.ab.gaps_us(1, 0));
        let sm2 = Spread::of(&self.ab.gaps_us(2, 0));
        println!(
            "   encryption per call (p50 over plain, client and emulator): rsa {:+.0} µs, sm2 \
             {:+.0} µs (median of {ROUNDS} rounds; min/max rsa {:+.0}/{:+.0}, sm2 {:+.0}/{:+.0})",
            rsa.median, sm2.median, rsa.min, rsa.max, sm2.min, sm2.max
        );
        println!(
            "   requests in each client's first sign-in: plain {}, rsa {}, sm2 {}; in the {} \
             sign-ins after: {} (2 each: /api/v3/signin and /api/v3/get-profile, so {} \
             /api/v3/system)\n",
            self.first[0],
            self.first[1],
            self.first[2],
            self.calls,
            self.requests,
            self.system_hits()
        );
    }

    fn system_hits(&self) -> i64 {
        self.requests as i64 - 2 * self.calls as i64
    }

    pub fn targets(&self) {
        target(
            self.failed == 0,
            &format!("8. every sign-in answers 200: {} did not", self.failed),
        );
        target(
            self.first == [2, 3, 3] && self.system_hits() == 0,
            &format!(
                "8. the public key is fetched once per client: first sign-ins {:?} requests, \
                 then {} /api/v3/system in {} sign-ins",
                self.first,
                self.system_hits(),
                self.calls
            ),
        );
    }
}
