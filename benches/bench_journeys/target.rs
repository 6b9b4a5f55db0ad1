//! What every journey runs against: the emulator (plain http or https) behind the delaying
//! proxy, the CA a client must trust over https, the counts of a run, and the users.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use authing::emulator::{Emulator, EmulatorConfig, NewUser};
use authing::{AuthClient, AuthClientBuilder};

use crate::proxy::{self, Proxy};

pub const EMAIL: &str = "bench@example.com";
pub const PASSWORD: &str = "bench-passw0rd";
pub const COUNTRY: &str = "+86";
pub const APP_SECRET: &str = "bench-app-secret";
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The emulator behind the proxy, in one scheme.
pub struct Target {
    pub emu: Emulator,
    pub proxy: Proxy,
    pub tls: bool,
    /// The emulator's CA as a file, for child processes (over https).
    pub ca_file: Option<PathBuf>,
    phones: AtomicUsize,
}

/// What the network and the server saw during one run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub connections: u64,
    pub handshakes: u64,
    pub resumed: u64,
    /// Over http the proxy's count; over https the emulator's (the proxy sees only
    /// encrypted bytes).
    pub requests: u64,
}

impl std::ops::Sub for Counts {
    type Output = Counts;
    fn sub(self, b: Counts) -> Counts {
        Counts {
            connections: self.connections - b.connections,
            handshakes: self.handshakes - b.handshakes,
            resumed: self.resumed - b.resumed,
            requests: self.requests - b.requests,
        }
    }
}

impl Target {
    pub fn start(tls: bool, rtt: Duration) -> Target {
        let emu = Emulator::start_with(EmulatorConfig::default().tls(tls).app_secret(APP_SECRET))
            .expect("the emulator starts");
        emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
            .expect("the bench user");
        let proxy = Proxy::start(emu.addr(), rtt);
        let ca_file = tls.then(|| {
            let path = std::env::temp_dir().join(format!(
                "authing-bench-journeys-{}-{}.pem",
                std::process::id(),
                emu.addr().port()
            ));
            emu.write_ca_pem(&path).expect("the ca written");
            path
        });
        Target {
            emu,
            proxy,
            tls,
            ca_file,
            phones: AtomicUsize::new(0),
        }
    }

    pub fn scheme(&self) -> &'static str {
        if self.tls {
            "https"
        } else {
            "http"
        }
    }

    /// The proxy's first port, in this target's scheme: for the child processes (each
    /// its own program) and the Android design (no pool).
    pub fn url(&self) -> String {
        self.proxy.url(self.scheme())
    }

    pub fn counts(&self) -> Counts {
        counts_of(
            self.proxy.counts(),
            self.tls.then(|| self.emu.stats().requests),
        )
    }

    /// A builder for this target: a port of the proxy of its own, the emulator's CA over
    /// https. Its own port, because the benchmark's one process plays many programs: a
    /// client that shares its pool with the others of equal settings must not find a
    /// connection an earlier run left (pools are per host and port). TLS sessions are
    /// cached per server name (127.0.0.1 for every port), so a hello may still offer one
    /// an earlier client of the process got; in TLS 1.3 that saves no round trip.
    pub fn builder(&self) -> AuthClientBuilder {
        let url = format!("{}://{}", self.scheme(), self.proxy.another_port());
        let b = AuthClient::builder()
            .app_id(self.emu.app_id())
            .app_host(url)
            .timeout(TIMEOUT);
        match self.emu.ca_pem() {
            Some(pem) => b.root_certificates_pem(pem),
            None => b,
        }
    }

    pub fn client(&self) -> AuthClient {
        self.builder().build().expect("a valid client")
    }

    /// A phone user no run has used: each recovery run resets a password of its own,
    /// so none meets another's resend limit.
    pub fn fresh_phone(&self) -> String {
        let i = self.phones.fetch_add(1, Ordering::Relaxed);
        let number = format!("188{:08}", 10_000 + i);
        self.emu
            .add_user(NewUser::with_phone(COUNTRY, &number, PASSWORD))
            .expect("a recovery user");
        number
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(path) = &self.ca_file {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn counts_of(p: proxy::Counts, emulator_requests: Option<u64>) -> Counts {
    Counts {
        connections: p.connections,
        handshakes: p.handshakes,
        resumed: p.resumed,
        requests: emulator_requests.unwrap_or(p.requests),
    }
}
