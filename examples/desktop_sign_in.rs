//! A desktop program signs in through the system browser (RFC 8252): the OpenID Connect
//! authorization code flow with PKCE and a loopback redirect, in one call,
//! `sign_in_by_browser`, against the bundled emulator.
//!
//! ```text
//! cargo run --example desktop_sign_in            # you sign in, in a browser
//! cargo run --example desktop_sign_in -- --auto  # the example fills the page in itself
//! ```
//!
//! It starts the emulator in process with a demo user, prints the sign-in URL and tries to
//! open it in your default browser. Sign in there as `alice@example.com` /
//! `passw0rd-demo` and allow the app: the browser comes back to the example's loopback
//! listener, which exchanges the code, checks the id_token and saves the session. On a
//! machine with no browser it prints the URL and waits (5 minutes): open the URL in any
//! browser of the same machine (`w3m`, `lynx`: the page is a plain form), or run it with
//! `--auto`, where a thread of the example plays the browser with plain HTTP (fetches the
//! page, posts the form, allows, follows the redirect), as the tests do.

use std::sync::mpsc;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::{AuthClient, AuthResponse, BrowserSignIn, Lang};

const EMAIL: &str = "alice@example.com";
const PASSWORD: &str = "passw0rd-demo";

fn main() {
    if let Err(problem) = run() {
        eprintln!("desktop_sign_in: {problem}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let auto = std::env::args().any(|a| a == "--auto");
    let emulator = Emulator::start().map_err(|e| format!("could not start the emulator: {e}"))?;
    let mut alice = NewUser::with_email(EMAIL, PASSWORD);
    alice.nickname = Some("Alice".into());
    emulator.add_user(alice).map_err(|e| e.to_string())?;
    println!(
        "the authing emulator is listening on {}",
        emulator.base_url()
    );
    println!("demo user: {EMAIL} / {PASSWORD}\n");

    let client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;

    // `--auto`: what the browser's page said, told after the callback.
    let (page_tx, page_rx) = mpsc::channel();
    let options = BrowserSignIn::new()
        .timeout(Duration::from_secs(300))
        .open_with(move |url: &str| {
            println!("Sign in at:\n  {url}\n");
            if auto {
                println!("(--auto: the example fills the sign-in page in itself)\n");
                let (url, page_tx) = (url.to_string(), page_tx.clone());
                std::thread::spawn(move || {
                    let _ = page_tx.send(play_the_browser(&url));
                });
            } else if let Err(error) = BrowserSignIn::system_browser(url) {
                println!("({error}: open the address above in a browser yourself)\n");
            }
            println!("waiting for the browser to come back (5 minutes at most)...");
        });

    // Exactly one callback, whatever the user does.
    let handle = client.sign_in_by_browser(options, |response: AuthResponse| {
        match response.login_token_data() {
            Ok(tokens) => println!(
                "signed in: a checked id_token, an access token valid {} s, refresh token: {}",
                tokens.expire_in(),
                tokens.refresh_token().is_some()
            ),
            Err(error) => println!("not signed in ({}): {error}", response.status_code()),
        }
    });
    handle.join().map_err(|panic| panic.to_string())?;
    if let Ok(Some(page)) = page_rx.recv_timeout(Duration::from_secs(10)) {
        println!("the browser's page says: {page}");
    }

    let Some(user) = client.get_current_user() else {
        return Err("no session was saved".into());
    };
    println!(
        "the session's user: {} ({})",
        user.nickname().unwrap_or("-"),
        user.email().unwrap_or("-")
    );
    let claims = client
        .get_user_info_by_access_token_blocking(None)
        .user_claims()
        .map_err(|e| e.to_string())?;
    println!(
        "/oidc/me says: sub {}, email {}",
        claims.sub(),
        claims.email().unwrap_or("-")
    );

    let out = client.logout_blocking();
    let data = out.data().cloned().unwrap_or_default();
    println!(
        "signed out: tokens revoked {}, the provider's browser session ended {}",
        data["revoked"], data["oidcSessionEnded"]
    );
    Ok(())
}

/// `--auto`: what a person does in the browser, in plain HTTP; the title of the page the
/// browser ends on.
fn play_the_browser(authorize_url: &str) -> Option<String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let origin = authorize_url
        .split("/oidc/auth")
        .next()
        .unwrap_or_default()
        .to_string();
    let form_action = |page: &str| -> String {
        let start = page.find("action=\"").map_or(0, |i| i + 8);
        let end = page[start..].find('"').map_or(start, |i| start + i);
        format!("{origin}{}", &page[start..end])
    };
    let read = |mut r: ureq::http::Response<ureq::Body>| {
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (location, r.body_mut().read_to_string().unwrap_or_default())
    };
    let (_, login) = read(agent.get(authorize_url).call().ok()?);
    let account = EMAIL.replace('@', "%40");
    let (_, consent) = read(
        agent
            .post(form_action(&login))
            .header("content-type", "application/x-www-form-urlencoded")
            .send(format!("account={account}&password={PASSWORD}"))
            .ok()?,
    );
    let (location, _) = read(
        agent
            .post(form_action(&consent))
            .header("content-type", "application/x-www-form-urlencoded")
            .send("decision=allow")
            .ok()?,
    );
    let (_, page) = read(agent.get(location?).call().ok()?);
    let start = page.find("<h1>")? + 4;
    let end = start + page[start..].find("</h1>")?;
    Some(page[start..end].to_string())
}
