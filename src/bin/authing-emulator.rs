//! The Authing emulator as a program.
//!
//! ```text
//! authing-emulator [--listen 127.0.0.1:8787] [--app-id demo-app] [--users users.json]
//! ```
//!
//! Prints `listening on http://ADDR` first, then one `code: <channel> <target> <code>`
//! line per issued code, and runs until killed.

use std::io::Write;
use std::process::ExitCode;

use authing::emulator::{Emulator, EmulatorConfig, NewUser};

const USAGE: &str = "\
usage: authing-emulator [options]

a local authing-compatible server (account recovery, sign-up, sign-in and session
endpoints, and an admin api)

options:
  --listen ADDR     address to listen on (default 127.0.0.1:8787; port 0 picks a free one)
  --app-id ID       the application id to accept (default demo-app)
  --user-pool-id ID the user pool id to report (default emulator-user-pool)
  --app-secret S    the application secret to accept (default demo-app-secret)
  --users FILE      json array of users to create, e.g.
                    [{\"phoneNumber\":\"18812345678\",\"password\":\"secret-1\"},
                     {\"username\":\"alice\",\"email\":\"alice@example.com\",\"password\":\"secret-1\"},
                     {\"directory\":\"AD\",\"sAMAccountName\":\"bob\",\"password\":\"secret-1\"}]
  --quiet-codes     do not print issued codes
  -h, --help        print this help

see docs/EMULATOR.md for the endpoints and the admin api.";

struct Args {
    listen: String,
    config: EmulatorConfig,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut listen = "127.0.0.1:8787".to_owned();
    let mut config = EmulatorConfig::default().print_codes(true);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--listen" => listen = value("--listen")?,
            "--app-id" => config = config.app_id(value("--app-id")?),
            "--user-pool-id" => config = config.user_pool_id(value("--user-pool-id")?),
            "--app-secret" => config = config.app_secret(value("--app-secret")?),
            "--users" => {
                let path = value("--users")?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {path}: {e}"))?;
                let users: Vec<NewUser> =
                    serde_json::from_str(&text).map_err(|e| format!("cannot parse {path}: {e}"))?;
                for user in users {
                    config = config.user(user);
                }
            }
            "--quiet-codes" => config = config.print_codes(false),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(Args { listen, config }))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::bind(args.listen.as_str(), args.config) {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("error: cannot start on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", emulator.base_url());
        let _ = out.flush();
    }
    loop {
        std::thread::park();
    }
}
