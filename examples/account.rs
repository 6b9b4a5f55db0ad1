//! The signed-in user's own account, start to finish, offline on the bundled emulator:
//! sign in, edit the profile, upload an avatar, bind and then change a phone number and an
//! email address (with the passcodes read back from the emulator, the way a person reads
//! their SMS and mail), change the password, read the security level, list the user's
//! roles, groups and login history, and delete the account.
//!
//! ```text
//! cargo run --example account
//! ```
//!
//! It always runs on the emulator it starts: it deletes the account at the end, which is
//! not something to try on a real Authing app by accident.

use authing::emulator::{Emulator, NewGroup, NewRole, NewUser};
use authing::{
    AuthClient, AuthResponse, Authing, DeleteAccountPayload, DeleteAccountVerifyMethod, EmailType,
    Lang, PasswordEncryptType, Profile, SmsType,
};

const USERNAME: &str = "mike";
const PASSWORD: &str = "old-passw0rd";
const NEW_PASSWORD: &str = "n3w-passw0rd!";
const PHONE: &str = "18812345678";
const NEW_PHONE: &str = "18800000001";
const EMAIL: &str = "mike@example.com";
const NEW_EMAIL: &str = "mike.li@example.com";

/// A 1x1 PNG, as a picked photo would be.
const AVATAR: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

fn main() {
    if let Err(problem) = run() {
        eprintln!("account: {problem}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| format!("could not start the emulator: {e}"))?;
    emulator
        .add_user(NewUser::with_username(USERNAME, PASSWORD))
        .map_err(|e| e.to_string())?;
    // What an administrator gave the user: a role and a group (the directory calls below).
    emulator
        .assign_role(USERNAME, NewRole::new("editor"))
        .map_err(|e| e.to_string())?;
    emulator
        .assign_group(USERNAME, NewGroup::new("writers"))
        .map_err(|e| e.to_string())?;
    println!(
        "offline: the authing emulator is listening on {}\n",
        emulator.base_url()
    );
    Authing::init(emulator.app_id());
    Authing::set_app_host(emulator.base_url());
    // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
    Authing::set_lang(Lang::EnUs);
    let auth_client = AuthClient::new();

    // Sign in, as Java's `signInByUserNamePassword(..., callback)`.
    let handle = auth_client.sign_in_by_user_name_password(
        USERNAME,
        PASSWORD,
        None,
        |response: AuthResponse| {
            show("sign_in_by_user_name_password", &response);
        },
    );
    join(handle);
    expect(auth_client.get_current_user().is_some(), "signed in")?;

    // The profile.
    let mut profile = Profile::new();
    profile.set_nickname("Mike");
    profile.set_city("Beijing");
    let handle = auth_client.update_profile(profile, |response: AuthResponse| {
        show("update_profile", &response);
    });
    join(handle);

    // An avatar: uploaded, then the profile's photo.
    let uploaded = auth_client.upload_avatar_blocking(AVATAR);
    show("upload_avatar", &uploaded);
    let photo = user_field(&auth_client, |u| u.photo().map(str::to_owned));
    let stored = emulator
        .upload(&photo)
        .ok_or("the emulator kept no upload")?;
    println!(
        "🖼 the emulator serves {} bytes of {} at {photo}\n",
        stored.bytes.len(),
        stored.content_type
    );

    println!(
        "compute_password_security_level({NEW_PASSWORD:?}) -> {}\n",
        auth_client.compute_password_security_level(NEW_PASSWORD)
    );

    // A phone: bind one, then change it.
    auth_client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_BIND_PHONE);
    let code = read_code(&emulator, PHONE)?;
    show(
        "bind_phone",
        &auth_client.bind_phone_blocking("+86", PHONE, &code),
    );
    auth_client.send_sms_blocking("+86", NEW_PHONE, SmsType::CHANNEL_BIND_PHONE);
    let code = read_code(&emulator, NEW_PHONE)?;
    let requested =
        auth_client.update_phone_request_blocking("+86", NEW_PHONE, &code, None, None, None);
    show("update_phone_request", &requested);
    let verified = requested.update_phone_data().map_err(|e| e.to_string())?;
    show(
        "update_phone",
        &auth_client.update_phone_blocking(&verified),
    );
    println!(
        "   current user's phone: {}\n",
        user_field(&auth_client, |u| u.phone().map(str::to_owned))
    );

    // An email: bind one, then change it.
    auth_client.send_email_blocking(EMAIL, EmailType::CHANNEL_BIND_EMAIL);
    let code = read_code(&emulator, EMAIL)?;
    show("bind_email", &auth_client.bind_email_blocking(EMAIL, &code));
    auth_client.send_email_blocking(NEW_EMAIL, EmailType::CHANNEL_UPDATE_EMAIL);
    let code = read_code(&emulator, NEW_EMAIL)?;
    let requested = auth_client.update_email_request_blocking(NEW_EMAIL, &code, None, None);
    show("update_email_request", &requested);
    let verified = requested.update_email_data().map_err(|e| e.to_string())?;
    show(
        "update_email",
        &auth_client.update_email_blocking(&verified),
    );
    println!(
        "   current user's email: {}\n",
        user_field(&auth_client, |u| u.email().map(str::to_owned))
    );

    // The password, encrypted with the server's RSA key on the way.
    let changed =
        auth_client.update_password_blocking(NEW_PASSWORD, PASSWORD, PasswordEncryptType::rsa);
    show("update_password (rsa)", &changed);
    expect(
        emulator.check_password(USERNAME, NEW_PASSWORD),
        "the new password works",
    )?;

    let level = auth_client.get_security_level_blocking();
    show("get_security_level", &level);

    // What the user may access: roles and groups (seeded on the emulator above, as an
    // administrator would give them) and the sign-ins recorded so far.
    let roles = auth_client.get_role_list_blocking(None);
    let role_codes: Vec<String> = roles
        .role_list()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|role| role.code().to_owned())
        .collect();
    println!("get_role_list: {} {role_codes:?}", roles.status_code());
    let groups = auth_client.get_group_list_blocking();
    let group_codes: Vec<String> = groups
        .group_list()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|group| group.code().to_owned())
        .collect();
    println!("get_group_list: {} {group_codes:?}", groups.status_code());
    let history = auth_client.get_login_history_blocking(None, None, None, None, None, 1, 10);
    let sign_ins = history.login_history().map_err(|e| e.to_string())?;
    println!(
        "get_login_history: {} ({} sign-in(s) recorded)\n",
        history.status_code(),
        sign_ins.total_count()
    );

    // Delete the account: verify with an email passcode, then delete with the token.
    auth_client.send_email_blocking(NEW_EMAIL, EmailType::CHANNEL_DELETE_ACCOUNT);
    let mut delete_account_payload = DeleteAccountPayload::new();
    delete_account_payload.set_email(NEW_EMAIL);
    delete_account_payload.set_pass_code(read_code(&emulator, NEW_EMAIL)?);
    let requested = auth_client.delete_account_request_blocking(
        DeleteAccountVerifyMethod::EMAIL_PASSCODE,
        delete_account_payload,
    );
    show("delete_account_request", &requested);
    let verified = requested.delete_account_data().map_err(|e| e.to_string())?;
    let handle = auth_client.delete_account(verified, |response: AuthResponse| {
        show("delete_account", &response);
    });
    join(handle);
    expect(auth_client.get_current_user().is_none(), "signed out")?;
    expect(
        emulator.user_state(USERNAME).is_none(),
        "the account is gone",
    )?;
    println!("signed out; the emulator has no user {USERNAME:?} any more");
    Ok(())
}

/// The newest passcode the emulator "delivered" to `target`.
fn read_code(emulator: &Emulator, target: &str) -> Result<String, String> {
    let code = emulator
        .latest_code(target)
        .ok_or_else(|| format!("the emulator sent no code to {target}"))?;
    println!("📨 to {target}: your code is {code}");
    Ok(code)
}

/// A field of the session's user, or `-`.
fn user_field(client: &AuthClient, field: impl Fn(&authing::UserInfo) -> Option<String>) -> String {
    client
        .get_current_user()
        .and_then(|u| field(&u))
        .unwrap_or_else(|| "-".into())
}

fn expect(holds: bool, what: &str) -> Result<(), String> {
    if holds {
        Ok(())
    } else {
        Err(format!("expected: {what}"))
    }
}

fn join(handle: authing::RequestHandle) {
    if let Err(panic) = handle.join() {
        eprintln!("{panic}");
    }
}

/// Prints an `AuthResponse` in a line or two; tokens in `data` are masked.
fn show(call: &str, response: &AuthResponse) {
    let outcome = if response.is_success() {
        "ok"
    } else {
        "failed"
    };
    println!(
        "{call} -> {} {outcome}: {}",
        response.status_code(),
        response.message()
    );
    if let Some(data) = response.data() {
        let mut shown = data.clone();
        if let Some(map) = shown.as_object_mut() {
            for (key, value) in map.iter_mut() {
                if key.to_ascii_lowercase().ends_with("token") {
                    *value = serde_json::json!("<hidden>");
                }
            }
            for noisy in [
                "createdAt",
                "updatedAt",
                "registerSource",
                "userSourceType",
                "userSourceId",
                "workStatus",
                "status",
                "resetPasswordOnNextLogin",
                "loginsCount",
                "lastLogin",
                "lastLoginApp",
                "lastIp",
                "passwordLastSetAt",
                "emailVerified",
                "phoneVerified",
            ] {
                map.remove(noisy);
            }
        }
        println!("   data: {shown}");
    }
    println!();
}
