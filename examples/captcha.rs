//! The captcha policy, offline on the bundled emulator: the user pool asks for a captcha
//! after three failed sign-ins. Three wrong passwords; then even the right one answers
//! apiCode 2000 (`is_captcha_required`); the app fetches the captcha image (an SVG, saved
//! as `authing-captcha.svg` in the system's temporary directory), the person reads it (here:
//! the emulator's admin API), and the sign-in with the answer succeeds. Last, a pass code
//! checked with `pre_check_code` without being spent.
//!
//! ```text
//! cargo run --example captcha
//! ```

use authing::emulator::{CaptchaPolicy, Emulator, NewUser};
use authing::{AuthClient, AuthOptions, AuthResponse, Lang, PreCheckCodePayload, SmsType};

const USERNAME: &str = "mike";
const PASSWORD: &str = "passw0rd-123";
const PHONE: &str = "18812345678";

fn main() {
    if let Err(problem) = run() {
        eprintln!("captcha: {problem}");
        std::process::exit(1);
    }
}

fn show(what: &str, response: &AuthResponse) {
    println!(
        "{what:<42} -> statusCode {}, apiCode {}: {}",
        response.status_code(),
        response.api_code(),
        response.message()
    );
}

fn run() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| e.to_string())?;
    emulator
        .add_user(NewUser::with_username(USERNAME, PASSWORD))
        .map_err(|e| e.to_string())?;
    emulator.set_captcha_policy(CaptchaPolicy::AfterFailures(3));
    println!(
        "offline: the authing emulator is listening on {}, a captcha after 3 failed sign-ins\n",
        emulator.base_url()
    );
    let client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;

    for attempt in 1..=3 {
        let wrong = client.sign_in_by_account_password_blocking(USERNAME, "not-the-password", None);
        show(&format!("sign-in, wrong password ({attempt})"), &wrong);
    }
    let refused = client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
    show("sign-in, right password, no captcha", &refused);
    if !refused.is_captcha_required() {
        return Err("the server did not ask for a captcha".into());
    }

    let image = client
        .get_captcha_code_blocking()
        .captcha_image()
        .map_err(|e| e.to_string())?;
    let saved = std::env::temp_dir().join("authing-captcha.svg");
    std::fs::write(&saved, image.bytes()).map_err(|e| e.to_string())?;
    println!(
        "captcha image: {} bytes of {}, written to {}",
        image.bytes().len(),
        image.content_type(),
        saved.display()
    );
    let answer = emulator
        .latest_captcha_answer()
        .ok_or("the emulator drew no captcha")?;
    println!("the person reads: {answer}");
    let mut options = AuthOptions::new();
    options.set_captcha_code(answer);
    let signed_in = client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, options);
    show("sign-in, right password, the captcha", &signed_in);
    let user = client.get_current_user().ok_or("not signed in")?;
    println!(
        "signed in as {}\n",
        user.username().unwrap_or(user.user_id())
    );

    let sent = client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN);
    show("send a sign-in code by SMS", &sent);
    let code = emulator.latest_code(PHONE).ok_or("no code was sent")?;
    for (what, pass_code) in [("the code", code.as_str()), ("a wrong code", "000000x")] {
        let mut payload = PreCheckCodePayload::sms(PHONE, pass_code, SmsType::CHANNEL_LOGIN);
        payload.set_phone_country_code("+86");
        let result = client
            .pre_check_code_blocking(payload)
            .pre_check_code_result()
            .map_err(|e| e.to_string())?;
        println!(
            "pre-check {what:<12} -> valid: {}{}",
            result.is_valid(),
            result
                .message()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        );
    }
    let mut options = AuthOptions::new();
    options.set_auto_register(true);
    let by_code = client.sign_in_by_phone_pass_code_blocking("+86", PHONE, &code, options);
    show("sign-in with the pre-checked code", &by_code);
    Ok(())
}
