//! Which server the window talks to: the SDK's embedded emulator (the default, with a demo
//! user), or a real Authing app when `AUTHING_APP_ID` is set.

use authing::emulator::{Emulator, NewUser};
use authing::{AuthClient, Lang};

/// The emulator's demo user: email, phone and password the window's hint shows.
pub const DEMO_EMAIL: &str = "alice@example.com";
/// The demo user's phone number (country code +86).
pub const DEMO_PHONE: &str = "18812345678";
/// The demo user's password.
pub const DEMO_PASSWORD: &str = "secret-123";

/// A client, and the emulator it talks to when there is one (kept alive here).
pub struct Backend {
    pub client: AuthClient,
    pub emulator: Option<Emulator>,
}

impl Backend {
    /// `AUTHING_APP_ID` set: a client of that app (`AUTHING_APP_HOST` for its API host,
    /// else discovered). Otherwise the embedded emulator with the demo user.
    pub fn from_env(lang: Lang) -> Result<Backend, String> {
        match std::env::var("AUTHING_APP_ID") {
            Ok(app_id) if !app_id.trim().is_empty() => {
                // Warmed up at start (discovery, the password key, an open connection), so
                // the first click on "Sign in" costs the sign-in request alone.
                let mut builder = AuthClient::builder()
                    .app_id(app_id)
                    .lang(lang)
                    .warm_up(true);
                if let Ok(host) = std::env::var("AUTHING_APP_HOST") {
                    builder = builder.app_host(host);
                }
                let client = builder.build().map_err(|e| e.to_string())?;
                Ok(Backend {
                    client,
                    emulator: None,
                })
            }
            _ => Backend::emulator(lang),
        }
    }

    /// The embedded emulator on a free loopback port, with the demo user, whose sign-ins
    /// ask for an authenticator code once they have set one up.
    pub fn emulator(lang: Lang) -> Result<Backend, String> {
        let emulator = Emulator::start().map_err(|e| format!("the emulator did not start: {e}"))?;
        emulator
            .add_user(
                NewUser::with_email(DEMO_EMAIL, DEMO_PASSWORD)
                    .phone("+86", DEMO_PHONE)
                    .nickname("Alice"),
            )
            .map_err(|e| e.to_string())?;
        // The demo user's own MFA switch is on: sign-ins ask for the second step once the
        // user has set up an authenticator app (the signed-in page's security tab), not
        // before.
        emulator
            .set_user_mfa(DEMO_EMAIL, true)
            .map_err(|e| e.to_string())?;
        let client = AuthClient::builder()
            .app_id(emulator.app_id())
            .app_host(emulator.base_url())
            .lang(lang)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Backend {
            client,
            emulator: Some(emulator),
        })
    }
}
