//! A sign-in screen, ported from Java line for line: sign up, sign in by password and by
//! passcode, show the profile, refresh the tokens, log out.
//!
//! ```text
//! cargo run --example sign_in
//! ```
//!
//! With no environment set it runs offline: it starts the bundled emulator in process and
//! plays the person at the screen (typing a username and password, reading the SMS code
//! back from the emulator), pressing each button in turn and printing each `AuthResponse`.
//!
//! With `AUTHING_APP_ID` (and, unless the host is discovered, `AUTHING_APP_HOST`) set, it
//! talks to that Authing app instead: set `AUTHING_USERNAME` and `AUTHING_PASSWORD` (the
//! screen signs that user up first; a taken username answers an error and the screen goes
//! on), and optionally `AUTHING_PHONE_NUMBER` (and `AUTHING_PHONE_COUNTRY_CODE`) for the
//! passcode sign-in, whose code you type when asked.
//!
//! The Java screen it ports, an Android activity's button handlers (each makes a
//! `new AuthClient()`, as Android's own samples do; the session they share is the SDK's):
//!
//! ```java
//! public class SignInActivity extends AppCompatActivity {
//!     void onSignUpClick(String username, String password) {
//!         AuthClient authClient = new AuthClient();
//!         AuthProfile profile = new AuthProfile();
//!         profile.setNickname(username);
//!         authClient.signUpByUserNamePassword(username, password, profile, null, new AuthCallback() {
//!             @Override
//!             public void call(AuthResponse response) {
//!                 show("signUpByUserNamePassword", response);
//!             }
//!         });
//!     }
//!
//!     void onSignInClick(String account, String password) {
//!         AuthClient authClient = new AuthClient();
//!         AuthOptions options = new AuthOptions();
//!         options.setPasswordEncryptType(PasswordEncryptType.rsa);
//!         authClient.signInByAccountPassword(account, password, options, new AuthCallback() {
//!             @Override
//!             public void call(AuthResponse response) {
//!                 if (response.getStatusCode() == 200) {
//!                     UserInfo user = Authing.getCurrentUser();
//!                     welcome(user);
//!                 }
//!                 show("signInByAccountPassword", response);
//!             }
//!         });
//!     }
//!
//!     void onSendCodeClick(String phoneCountryCode, String phone) {
//!         AuthClient authClient = new AuthClient();
//!         authClient.sendSms(phoneCountryCode, phone, SmsType.CHANNEL_LOGIN, response -> show("sendSms", response));
//!     }
//!
//!     void onSignInByCodeClick(String phoneCountryCode, String phone, String passCode) {
//!         AuthClient authClient = new AuthClient();
//!         authClient.signInByPhonePassCode(phoneCountryCode, phone, passCode, null, response -> show("signInByPhonePassCode", response));
//!     }
//!
//!     void onProfileClick() {
//!         AuthClient authClient = new AuthClient();
//!         authClient.getProfile(true, false, false, response -> show("getProfile", response));
//!     }
//!
//!     void onRefreshClick() {
//!         AuthClient authClient = new AuthClient();
//!         String refreshToken = Authing.getToken().getRefreshToken();
//!         authClient.getNewAccessTokenByRefreshToken(refreshToken, new AuthRequest(), response -> show("getNewAccessTokenByRefreshToken", response));
//!     }
//!
//!     void onLogoutClick() {
//!         AuthClient authClient = new AuthClient();
//!         authClient.logout(response -> show("logout", response));
//!     }
//! }
//! ```

use std::io::{BufRead, Write};

use authing::emulator::Emulator;
use authing::{
    AuthClient, AuthOptions, AuthProfile, AuthResponse, Authing, Lang, PasswordEncryptType,
    RequestHandle, SmsType, UserInfo,
};

const DEMO_USERNAME: &str = "mike";
const DEMO_PASSWORD: &str = "passw0rd-2024";
const DEMO_COUNTRY_CODE: &str = "+86";
const DEMO_PHONE: &str = "18812345678";

fn main() {
    let online = std::env::var_os("AUTHING_APP_ID").is_some()
        || std::env::var_os("AUTHING_APP_HOST").is_some();
    let outcome = if online { run_online() } else { run_offline() };
    if let Err(problem) = outcome {
        eprintln!("sign_in: {problem}");
        std::process::exit(1);
    }
}

/// The offline run: the emulator plays Authing and the user's phone.
fn run_offline() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| format!("could not start the emulator: {e}"))?;
    println!(
        "offline: the authing emulator is listening on {}",
        emulator.base_url()
    );
    println!("         (set AUTHING_APP_ID / AUTHING_APP_HOST to use a real authing app)\n");

    // As Android's `Authing.init(context, appId)`; the host is the emulator's.
    Authing::init(emulator.app_id());
    Authing::set_app_host(emulator.base_url());
    // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
    Authing::set_lang(Lang::EnUs);
    // When the screen shows, as Java's `Authing.init` fetching the app's config: discovery,
    // the public key `rsa` needs and an open connection, so the click on "Sign in" costs
    // the sign-in request alone. On a worker; nothing waits for it.
    let _warming = AuthClient::new().warm_up(|_: AuthResponse| {});

    let screen = SignInScreen;
    screen.on_sign_up_click(DEMO_USERNAME, DEMO_PASSWORD);
    screen.on_sign_in_click(DEMO_USERNAME, DEMO_PASSWORD);
    screen.on_profile_click();
    screen.on_refresh_click();
    screen.on_logout_click();

    // The passcode sign-in: `mike` has no phone, so this is a new user, whom the emulator
    // signs up on the way (`autoRegister`).
    screen.on_send_code_click(DEMO_COUNTRY_CODE, DEMO_PHONE);
    let code = emulator
        .latest_code(DEMO_PHONE)
        .ok_or("the emulator issued no sms code")?;
    println!("📱 sms to {DEMO_COUNTRY_CODE} {DEMO_PHONE}: your code is {code}\n");
    let mut options = AuthOptions::new();
    options.set_auto_register(true);
    screen.on_sign_in_by_code_click(DEMO_COUNTRY_CODE, DEMO_PHONE, &code, options);
    screen.on_profile_click();
    screen.on_logout_click();
    Ok(())
}

/// The online run: a real Authing app, a real phone, a person typing the code.
fn run_online() -> Result<(), String> {
    let username = std::env::var("AUTHING_USERNAME").map_err(|_| "set AUTHING_USERNAME")?;
    let password = std::env::var("AUTHING_PASSWORD").map_err(|_| "set AUTHING_PASSWORD")?;
    let _warming = AuthClient::new().warm_up(|_: AuthResponse| {}); // see run_offline
    let screen = SignInScreen;
    screen.on_sign_up_click(&username, &password);
    screen.on_sign_in_click(&username, &password);
    screen.on_profile_click();
    screen.on_refresh_click();
    screen.on_logout_click();
    if let Ok(phone) = std::env::var("AUTHING_PHONE_NUMBER") {
        let country = std::env::var("AUTHING_PHONE_COUNTRY_CODE")
            .unwrap_or_else(|_| DEMO_COUNTRY_CODE.to_string());
        screen.on_send_code_click(&country, &phone);
        let code = ask("the code you received by sms")?;
        screen.on_sign_in_by_code_click(&country, &phone, &code, AuthOptions::new());
        screen.on_profile_click();
        screen.on_logout_click();
    }
    Ok(())
}

/// The Java activity's button handlers, line for line. Each waits for its callback
/// (`wait`), where an Android activity would return and let the callback update the screen
/// later: a `main` that returned would end the program first.
struct SignInScreen;

impl SignInScreen {
    fn on_sign_up_click(&self, username: &str, password: &str) {
        let auth_client = AuthClient::new();
        let mut profile = AuthProfile::new();
        profile.set_nickname(username);
        wait(auth_client.sign_up_by_user_name_password(
            username,
            password,
            profile,
            None,
            |response: AuthResponse| {
                show("sign_up_by_user_name_password", &response);
            },
        ));
    }

    fn on_sign_in_click(&self, account: &str, password: &str) {
        let auth_client = AuthClient::new();
        let mut options = AuthOptions::new();
        options.set_password_encrypt_type(PasswordEncryptType::rsa);
        wait(auth_client.sign_in_by_account_password(
            account,
            password,
            options,
            |response: AuthResponse| {
                if response.status_code() == 200 {
                    let user = AuthClient::new().get_current_user();
                    welcome(user);
                }
                show("sign_in_by_account_password", &response);
            },
        ));
    }

    fn on_send_code_click(&self, phone_country_code: &str, phone: &str) {
        let auth_client = AuthClient::new();
        wait(auth_client.send_sms(
            phone_country_code,
            phone,
            SmsType::CHANNEL_LOGIN,
            |response: AuthResponse| show("send_sms", &response),
        ));
    }

    /// `options` is Java's `null` on a real app; offline it asks the emulator to sign the
    /// new phone up (`autoRegister`).
    fn on_sign_in_by_code_click(
        &self,
        phone_country_code: &str,
        phone: &str,
        pass_code: &str,
        options: AuthOptions,
    ) {
        let auth_client = AuthClient::new();
        wait(auth_client.sign_in_by_phone_pass_code(
            phone_country_code,
            phone,
            pass_code,
            options,
            |response: AuthResponse| show("sign_in_by_phone_pass_code", &response),
        ));
    }

    fn on_profile_click(&self) {
        let auth_client = AuthClient::new();
        wait(
            auth_client.get_profile(true, false, false, |response: AuthResponse| {
                show("get_profile", &response)
            }),
        );
    }

    fn on_refresh_click(&self) {
        let auth_client = AuthClient::new();
        let refresh_token = auth_client
            .get_token()
            .and_then(|token| token.refresh_token().map(str::to_string));
        wait(auth_client.get_new_access_token_by_refresh_token(
            refresh_token.as_deref(),
            |response: AuthResponse| show("get_new_access_token_by_refresh_token", &response),
        ));
    }

    fn on_logout_click(&self) {
        let auth_client = AuthClient::new();
        wait(auth_client.logout(|response: AuthResponse| show("logout", &response)));
        let signed_in = AuthClient::new().get_current_user().is_some();
        println!("signed in after logout: {signed_in}\n");
    }
}

/// Waits for a call's callback; a panic in it is reported, not fatal.
fn wait(handle: RequestHandle) {
    if let Err(panic) = handle.join() {
        eprintln!("{panic}");
    }
}

fn welcome(user: Option<UserInfo>) {
    match user {
        Some(user) => println!(
            "👋 welcome, {} (user {})",
            user.nickname().or(user.username()).unwrap_or("?"),
            user.user_id()
        ),
        None => println!("👋 signed in, but the profile could not be read"),
    }
}

/// Prints an `AuthResponse` readably. Tokens are secrets: only their lengths are shown.
fn show(call: &str, response: &AuthResponse) {
    println!("{call} -> AuthResponse");
    println!("  statusCode: {}", response.status_code());
    println!("  message:    {}", response.message());
    println!("  apiCode:    {}", response.api_code());
    println!("  requestId:  {}", response.request_id().unwrap_or("-"));
    if let Ok(tokens) = response.login_token_data() {
        let hidden = |token: Option<&str>| match token {
            Some(token) => format!("<{} characters, hidden>", token.len()),
            None => "-".to_string(),
        };
        println!(
            "  data:       access_token {}, id_token {}, refresh_token {}, token_type {}, expire_in {} s",
            hidden(Some(tokens.access_token())),
            hidden(tokens.id_token()),
            hidden(tokens.refresh_token()),
            tokens.token_type(),
            tokens.expire_in()
        );
    } else if let Ok(user) = response.user_info() {
        println!(
            "  data:       user {}: username {}, nickname {}, phone {}, custom data {}",
            user.user_id(),
            user.username().unwrap_or("-"),
            user.nickname().unwrap_or("-"),
            user.phone().unwrap_or("-"),
            user.custom_data()
                .map_or("-".to_string(), |d| d.to_string())
        );
    } else {
        match response.data() {
            Some(data) => println!("  data:       {data}"),
            None => println!("  data:       -"),
        }
    }
    if let Some(error) = response.error() {
        println!("  error:      {error}");
    }
    println!();
}

fn ask(what: &str) -> Result<String, String> {
    print!("type {what}: ");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("could not read the code: {e}"))?;
    Ok(line.trim().to_string())
}
