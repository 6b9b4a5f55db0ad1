//! The official SDKs' side of the journeys: Authing's Node SDK (`authing-node-sdk` 4) and
//! Python SDK (`authing` 5), unchanged, in child processes running the small drivers in
//! `official/` (`journeys.js`, `journeys.py`; their headers give the commands). The SDKs
//! are found as `tools/official-sdks/run.sh` installs them: `$SDK_DIR/node_modules` and
//! `$SDK_DIR/venv`; without `SDK_DIR` their rows say "not run". Over https the child
//! trusts the emulator's CA through its HTTP library's usual setting
//! (`NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`).
//!
//! A driver loads the SDK and makes its client at its start, then waits for commands; the
//! benchmark waits `BEFORE` after every driver of a batch is ready, so the client was made
//! at least a second before the click, as for this crate's "program start" rows. Each run
//! of a journey (but the expired-token one, which needs a signed-in program) gets a fresh
//! driver, so no run finds a connection an earlier run opened. The driver times the part
//! the user waits for and prints it; what the user does off the network (the SMS code,
//! the phone's confirmation, the browser) the benchmark does, as for this crate.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::thread;
use std::time::Duration;

use crate::browser::Browser;
use crate::journeys::{confirm_qr, measure, Run, BEFORE};
use crate::target::{Target, APP_SECRET, EMAIL, PASSWORD};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Sdk {
    Node,
    Python,
}

impl Sdk {
    pub fn name(self) -> &'static str {
        match self {
            Sdk::Node => "Node SDK",
            Sdk::Python => "Python SDK",
        }
    }

    /// The SDK's directory, or why its rows are not run.
    pub fn find(self) -> Result<PathBuf, String> {
        let Some(dir) = std::env::var_os("SDK_DIR").map(PathBuf::from) else {
            return Err(
                "not run: set SDK_DIR (tools/official-sdks/run.sh installs both SDKs there)".into(),
            );
        };
        // As run.sh decides whether to install: the package's folder, and a venv whose
        // python imports the SDK; and here, a `node` to run the first.
        let present = match self {
            Sdk::Node => {
                dir.join("node_modules/authing-node-sdk").is_dir()
                    && runs(Command::new("node").arg("--version"))
            }
            Sdk::Python => {
                runs(Command::new(dir.join("venv/bin/python")).args(["-c", "import authing"]))
            }
        };
        if present {
            Ok(dir)
        } else {
            Err(format!(
                "not run: the {} is not in SDK_DIR={} (run tools/official-sdks/run.sh once)",
                self.name(),
                dir.display()
            ))
        }
    }

    fn command(self, dir: &Path, t: &Target, cold: bool) -> Command {
        let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/bench_journeys/official");
        let mut cmd = match self {
            Sdk::Node => {
                let mut c = Command::new("node");
                c.arg(scripts.join("journeys.js"))
                    .env("NODE_PATH", dir.join("node_modules"));
                if let Some(ca) = &t.ca_file {
                    c.env("NODE_EXTRA_CA_CERTS", ca);
                }
                c
            }
            Sdk::Python => {
                let mut c = Command::new(dir.join("venv/bin/python"));
                c.arg(scripts.join("journeys.py"));
                if let Some(ca) = &t.ca_file {
                    c.env("REQUESTS_CA_BUNDLE", ca);
                }
                c
            }
        };
        if cold {
            cmd.arg("cold");
        }
        cmd.env("EMU_URL", t.url())
            .env("APP_ID", t.emu.app_id())
            .env("APP_SECRET", APP_SECRET)
            .env("EMAIL", EMAIL)
            .env("PASSWORD", PASSWORD);
        cmd
    }
}

/// Whether `cmd` runs and exits 0 (its output dropped).
fn runs(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A running driver.
pub struct Driver {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Driver {
    fn spawn(sdk: Sdk, dir: &Path, t: &Target) -> Driver {
        let mut child = sdk
            .command(dir, t, false)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start the {} driver: {e}", sdk.name()));
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Driver {
            child,
            stdin,
            stdout,
        }
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .expect("the driver's answer");
        assert!(n > 0, "the driver ended (its error is above)");
        line.trim_end().to_owned()
    }

    fn say(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").expect("tell the driver");
    }

    /// Runs one command, doing the user's off-network part when the driver asks: the
    /// time the driver measured, and the counts from the command (or, for QR and the
    /// browser, from the moment its timing starts) to its end.
    pub fn run(&mut self, t: &Target, command: &str) -> Run {
        let mut before = t.counts();
        self.say(command);
        loop {
            let line = self.line();
            let (word, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
            match word {
                "code?" => {
                    let code = t.emu.latest_code(rest).expect("a code");
                    self.say(&code);
                }
                "qr" => {
                    before = t.counts();
                    confirm_qr(t, rest);
                    self.say("go");
                }
                "authorize" => {
                    let location = Browser::new(t).sign_in(rest, EMAIL, PASSWORD);
                    before = t.counts();
                    self.say(&format!("redirect {location}"));
                }
                "done" => {
                    let ms: f64 = rest.parse().expect("the driver's milliseconds");
                    return Run {
                        wall: Duration::from_secs_f64(ms / 1000.0),
                        counts: t.counts() - before,
                    };
                }
                other => panic!("the driver said {other:?}"),
            }
        }
    }

    fn quit(mut self) {
        self.say("quit");
        let _ = self.child.wait();
    }
}

/// `n` runs of `command`, each on a fresh driver whose client was made `BEFORE` the run
/// (`recover` gets a fresh phone user per run).
pub fn batch(sdk: Sdk, dir: &Path, t: &Target, n: usize, command: &str) -> Vec<Run> {
    let mut drivers: Vec<Driver> = (0..n).map(|_| Driver::spawn(sdk, dir, t)).collect();
    for d in &mut drivers {
        assert_eq!(d.line(), "ready", "the {} driver starts", sdk.name());
    }
    thread::sleep(BEFORE);
    drivers
        .into_iter()
        .map(|mut d| {
            let command = if command == "recover" {
                format!("recover {}", t.fresh_phone())
            } else {
                command.to_owned()
            };
            let run = d.run(t, &command);
            d.quit();
            run
        })
        .collect()
}

/// The expired-token journey: one signed-in driver, `n` runs.
pub fn expired_token(sdk: Sdk, dir: &Path, t: &Target, n: usize) -> Vec<Run> {
    let mut d = Driver::spawn(sdk, dir, t);
    assert_eq!(d.line(), "ready");
    d.run(t, "signin");
    thread::sleep(BEFORE);
    let runs = (0..n)
        .map(|_| {
            assert!(t.emu.expire_access_tokens(EMAIL) > 0, "a token expired");
            d.run(t, "expired")
        })
        .collect();
    d.quit();
    runs
}

/// A cold program start to signed in: the interpreter starts, loads the SDK, makes a
/// client, signs in; timed by the benchmark from the spawn to the process's end.
pub fn cold_start(sdk: Sdk, dir: &Path, t: &Target, n: usize) -> Vec<Run> {
    (0..n)
        .map(|_| {
            let mut cmd = sdk.command(dir, t, true);
            cmd.stdout(Stdio::null());
            measure(t, || {
                let status = cmd.status().expect("the driver runs");
                assert!(status.success(), "the {} cold start failed", sdk.name());
            })
        })
        .collect()
}
