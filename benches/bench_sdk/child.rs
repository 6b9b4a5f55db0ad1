//! The emulator, in a child process: this same program started with `--emulator-child`,
//! beside the floor server (`floor_server.rs`),
//! answering a few commands on its stdin (`stats`, `expire <email>`, `tokens <email>`), so
//! the thread counts and resident set the benchmark reads from `/proc/self/status` belong
//! to the benchmark and the SDK alone.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use authing::emulator::{Emulator, EmulatorConfig, NewUser};

use crate::clients::{BODY, PATH};
use crate::floor_server;

pub const COUNTRY: &str = "+86";
pub const PHONE: &str = "18812345678";
/// The user every signed-in row uses.
pub const EMAIL: &str = "bench@example.com";
pub const PASSWORD: &str = "bench-passw0rd";

/// Runs the emulator until stdin closes or says `quit`.
pub fn emulator_child() {
    let config = EmulatorConfig::default()
        .user(NewUser::with_phone(COUNTRY, PHONE, "secret-123"))
        .user(NewUser::with_email(EMAIL, PASSWORD));
    let emu = Emulator::start_with(config).expect("start the emulator");
    // The floor server, in this process too, answering what the emulator answers.
    let addr = emu.addr().to_string();
    let request = format!(
        "POST {PATH} HTTP/1.1\r\nhost: {addr}\r\nx-authing-app-id: {}\r\n\
         content-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\r\n{BODY}",
        emu.app_id(),
        BODY.len()
    );
    let answer = floor_server::capture(&addr, request.as_bytes());
    let floor = floor_server::start(answer);
    println!("{} {} http://{floor}", emu.base_url(), emu.app_id());
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("stats"), _) => {
                let s = emu.stats();
                println!("{} {}", s.requests, s.connections);
            }
            (Some("expire"), Some(email)) => println!("{}", emu.expire_access_tokens(email)),
            (Some("tokens"), Some(email)) => {
                let s = emu.user_state(email).expect("a user");
                println!("{} {}", s.access_tokens, s.refresh_tokens);
            }
            _ => break,
        }
    }
}

pub struct EmulatorProcess {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    pub base_url: String,
    pub app_id: String,
    /// The floor server's base URL (`floor_server.rs`), in the same child process.
    pub floor_url: String,
}

impl EmulatorProcess {
    pub fn start() -> EmulatorProcess {
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
        let floor_url = parts.next().expect("floor url").to_owned();
        EmulatorProcess {
            child,
            stdin,
            stdout,
            base_url,
            app_id,
            floor_url,
        }
    }

    /// Sends one command, reads the numbers of its one-line answer.
    fn ask(&mut self, command: &str) -> Vec<u64> {
        writeln!(self.stdin, "{command}").expect("ask the emulator");
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("an answer");
        line.split_whitespace()
            .map(|n| n.parse::<u64>().expect("a number"))
            .collect()
    }

    /// `(requests, connections)` seen by the emulator so far.
    pub fn stats(&mut self) -> (u64, u64) {
        let n = self.ask("stats");
        (n[0], n[1])
    }

    /// Expires the user's access tokens on the emulator's side; how many.
    pub fn expire(&mut self, email: &str) -> u64 {
        self.ask(&format!("expire {email}"))[0]
    }

    /// `(live access tokens, live refresh tokens)` of the user.
    pub fn tokens(&mut self, email: &str) -> (u64, u64) {
        let n = self.ask(&format!("tokens {email}"));
        (n[0], n[1])
    }

    pub fn stop(mut self) {
        let _ = writeln!(self.stdin, "quit");
        let _ = self.child.wait();
    }
}
