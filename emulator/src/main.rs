//! The Authing emulator as a program.
//!
//! ```text
//! authing-emulator [--listen 127.0.0.1:8787] [--app-id demo-app] [--users users.json]
//!                  [--max-connections 256] [--idle-timeout 60] [--head-timeout 10]
//!                  [--body-timeout 30] [--throttle-reply http-429|envelope-200]
//!                  [--admin-token TOKEN] [--state FILE]
//!                  [--tls [--tls-name NAME]... [--tls-ca-out FILE]]
//! ```
//!
//! With `--tls` the program serves https with a certificate from a throw-away CA made at
//! start (valid for 127.0.0.1, ::1, localhost and each `--tls-name`), writes the CA's PEM
//! to `--tls-ca-out FILE` (default: `authing-emulator-<port>-ca.pem` in the temporary
//! directory) and prints, after `listening on https://ADDR`, where it is and how to trust it.
//!
//! A flag with a value out of range stops the program with exit status 2 and a message
//! that names the flag and its range.
//!
//! Listening on an address that is not a loopback address needs `--admin-token`: without
//! one the program stops with exit status 1 and says so. With a token, the line after
//! `listening on` says how to call the admin API with it.
//!
//! With `--state FILE` the state (users, sessions, factors, codes, the clock, …) is read
//! from FILE at start and written back to it after every change, so a restart goes on
//! where the last run stopped; a FILE that is not an emulator state file for this app id
//! stops the program with exit status 1 and a message that says why.
//!
//! Prints `listening on http://ADDR` first, then one `code: <channel> <target> <code>`
//! line per issued code, and runs until killed.

use std::io::Write;
use std::process::ExitCode;

use std::time::Duration;

use authing_emulator::{Emulator, EmulatorConfig, NewUser, ThrottleReply, MAX_DURATION};

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
  --max-connections N
                    connections served at once; more are answered 503 and closed
                    (default 256, at least 1)
  --idle-timeout S  seconds a connection may send nothing before it is closed
                    (default 60)
  --head-timeout S  seconds a client has to send a whole request head (default 10)
  --body-timeout S  seconds a client has to send a whole request body (default 30)
                    (time-outs: from 0.001 to 3153600000, fractions allowed)
  --throttle-reply FORM
                    how a throttled send is answered: http-429 (default, as authing's
                    rate-limit chapter shows) or envelope-200 (http 200, statusCode 429
                    and data.retryAfter)
  --admin-token TOKEN
                    require the header \"authorization: bearer TOKEN\" on every admin
                    request (/emulator/...); required when --listen is not a loopback
                    address (1 to 256 visible ascii characters, no space)
  --state FILE      keep users, sessions and tokens, mfa factors, codes, the directory
                    and the clock in FILE across restarts: read at start if it exists,
                    written (atomically, mode 0600) after every change; a file that is
                    not an emulator state file of this app id is refused
  --tls             serve https with a certificate from a throw-away ca made at start,
                    valid for 127.0.0.1, ::1 and localhost (needs the `tls` feature,
                    a default one)
  --tls-name NAME   one more dns name or ip address the certificate is valid for
                    (repeatable; with --tls)
  --tls-ca-out FILE write the ca's pem to FILE (with --tls; default
                    authing-emulator-<port>-ca.pem in the temporary directory)
  --quiet-codes     do not print issued codes
  -h, --help        print this help

see docs/EMULATOR.md for the endpoints and the admin api.";

struct Args {
    listen: String,
    config: EmulatorConfig,
    /// `--admin-token` was given.
    token: bool,
    /// `--tls-ca-out`, if given.
    ca_out: Option<std::path::PathBuf>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut listen = "127.0.0.1:8787".to_owned();
    let mut config = EmulatorConfig::default().print_codes(true);
    let mut ca_out = None;
    let mut tls_names = false;
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
            "--max-connections" => {
                let text = value("--max-connections")?;
                let n = text
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| {
                        format!(
                            "--max-connections must be a whole number of at least 1, not {text:?}"
                        )
                    })?;
                config = config.max_connections(n);
            }
            "--idle-timeout" => config = config.idle_timeout(seconds(&arg, &value(&arg)?)?),
            "--head-timeout" => config = config.head_timeout(seconds(&arg, &value(&arg)?)?),
            "--body-timeout" => config = config.body_timeout(seconds(&arg, &value(&arg)?)?),
            "--throttle-reply" => {
                let form = match value("--throttle-reply")?.as_str() {
                    "http-429" => ThrottleReply::Http429,
                    "envelope-200" => ThrottleReply::Envelope200,
                    other => {
                        return Err(format!(
                            "--throttle-reply must be http-429 or envelope-200, not {other:?}"
                        ));
                    }
                };
                config = config.throttle_reply(form);
            }
            "--admin-token" => config = config.admin_token(value("--admin-token")?),
            "--state" => config = config.state_file(value("--state")?),
            "--quiet-codes" => config = config.print_codes(false),
            "--tls" => config = config.tls(true),
            "--tls-name" => {
                config = config.tls_name(value("--tls-name")?);
                tls_names = true;
            }
            "--tls-ca-out" => ca_out = Some(std::path::PathBuf::from(value("--tls-ca-out")?)),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !config.get_tls() && (tls_names || ca_out.is_some()) {
        return Err("--tls-name and --tls-ca-out need --tls".to_owned());
    }
    let token = config.get_admin_token().is_some();
    Ok(Some(Args {
        listen,
        config,
        token,
        ca_out,
    }))
}

/// A time-out flag's value: seconds, fractions allowed, from 1 ms to 100 years.
fn seconds(flag: &str, text: &str) -> Result<Duration, String> {
    let max = MAX_DURATION.as_secs();
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| (0.001..=MAX_DURATION.as_secs_f64()).contains(s))
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| {
            format!("{flag} must be a number of seconds from 0.001 to {max}, not {text:?}")
        })
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
    let ca_file = match emulator.ca_pem() {
        Some(_) => {
            let path = args.ca_out.unwrap_or_else(|| {
                std::env::temp_dir().join(format!(
                    "authing-emulator-{}-ca.pem",
                    emulator.addr().port()
                ))
            });
            if let Err(e) = emulator.write_ca_pem(&path) {
                eprintln!("error: cannot write the tls ca to {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            Some(path)
        }
        None => None,
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", emulator.base_url());
        if let Some(path) = ca_file {
            let path = path.display();
            let _ = writeln!(
                out,
                "tls: the throw-away ca is in {path}; trust it with the rust sdk's \
                 builder .root_certificates_pem_file(\"{path}\"), node's \
                 NODE_EXTRA_CA_CERTS={path}, python requests' REQUESTS_CA_BUNDLE={path}, \
                 curl --cacert {path}"
            );
        }
        if args.token {
            let _ = writeln!(
                out,
                "admin api: send the --admin-token value as a bearer token, e.g. curl -H \
                 \"Authorization: Bearer $TOKEN\" {}/emulator/v1/codes",
                emulator.base_url()
            );
        }
        let _ = out.flush();
    }
    loop {
        std::thread::park();
    }
}
