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

    /// The URL clients use: the proxy's, in this target's scheme.
    pub fn url(&self) -> String {
        self.proxy.url(self.scheme())
    }

    pub fn counts(&self) -> Counts {
        counts_of(
            self.proxy.counts(),
            self.tls.then(|| self.emu.stats().requests),
        )
    }

    /// A builder for this target: the proxy's URL, the emulator's CA over https.
    pub fn builder(&self) -> AuthClientBuilder {
        let b = AuthClient::builder()
            .app_id(self.emu.app_id())
            .app_host(self.url())
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
