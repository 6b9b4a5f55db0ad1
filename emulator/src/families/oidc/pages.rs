//! The hosted login pages of the emulator's `/oidc/auth`: plain HTML forms without
//! JavaScript (a real browser renders them, a test posts them with any HTTP client), the
//! error and signed-out pages, and the redirects back to the app. Every text is
//! HTML-escaped; the pages are English.

use crate::core::codec::html as escape;
use crate::http::Response;

/// The cookie that holds the browser session of the hosted login page.
pub(crate) const SESSION_COOKIE: &str = "authing_emulator_sid";

fn html(status: u16, title: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - Authing emulator</title>\
         <style>body{{font-family:sans-serif;max-width:30em;margin:3em auto;padding:0 1em}}\
         label{{display:block;margin:.8em 0}}input{{display:block;width:100%}}</style></head>\
         <body><h1>{title}</h1>\n{body}\n</body></html>\n",
        title = escape(title),
    );
    Response {
        status,
        content_type: "text/html; charset=utf-8",
        body: page.into_bytes(),
        headers: vec![
            ("Cache-Control", "no-store".into()),
            ("X-Frame-Options", "DENY".into()),
        ],
    }
}

/// The sign-in form of page `uid`, with an error from a failed try and the account typed.
/// The app is named by its name (`EmulatorConfig::app_name`), as Authing's page does.
pub(crate) fn login(
    status: u16,
    uid: &str,
    app_name: &str,
    error: Option<&str>,
    account: &str,
) -> Response {
    let error = error
        .map(|e| format!("<p role=\"alert\"><strong>{}</strong></p>\n", escape(e)))
        .unwrap_or_default();
    let body = format!(
        "<p>Sign in to <b>{client}</b>.</p>\n{error}\
         <form method=\"post\" action=\"/oidc/interaction/{uid}/login\">\n\
         <label>Account (username, email or phone) <input name=\"account\" value=\"{account}\" autocomplete=\"username\" required></label>\n\
         <label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>\n\
         <button type=\"submit\">Sign in</button>\n</form>",
        client = escape(app_name),
        uid = escape(uid),
        account = escape(account),
    );
    html(status, "Sign in", &body)
}

/// What a scope lets the app do, in the pages' language (English), for the consent page;
/// `None` for a scope the emulator does not know.
pub(crate) fn scope_meaning(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "openid" => "Sign you in with your account",
        "profile" => "See your basic profile (name, nickname, picture, gender, birthdate)",
        "username" => "See your username",
        "email" => "See your email address and whether it is verified",
        "phone" => "See your phone number and whether it is verified",
        "address" => "See your address",
        "offline_access" => "Stay signed in when you are away (a refresh token)",
        "role" | "roles" => "See your roles",
        "unionid" => "See your union id at social providers",
        "external_id" => "See your id in the original system",
        "extended_fields" => "See your extended profile fields",
        "tenant_id" => "See your tenant",
        "userpool_id" => "See your user pool",
        _ => return None,
    })
}

/// The consent form of page `uid`: the app (by name), the user, and what each scope
/// asked for allows (its name after it, small, for whoever debugs the request).
pub(crate) fn consent(uid: &str, app_name: &str, user: &str, scope: &str) -> Response {
    let scopes: String = scope
        .split_whitespace()
        .map(|s| {
            let meaning = scope_meaning(s)
                .map_or_else(|| format!("Use the permission {}", escape(s)), escape);
            format!("<li>{meaning} <small>({})</small></li>", escape(s))
        })
        .collect();
    let body = format!(
        "<p>Signed in as <b>{user}</b>.</p>\n<p><b>{client}</b> asks to:</p>\n<ul>{scopes}</ul>\n\
         <form method=\"post\" action=\"/oidc/interaction/{uid}/consent\">\n\
         <button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\n\
         <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n</form>",
        user = escape(user),
        client = escape(app_name),
        uid = escape(uid),
    );
    html(200, "Allow access", &body)
}

/// A page that says what is wrong, and no redirect (an unknown client or redirect URL
/// must not be redirected to: RFC 6749 section 4.1.2.1).
pub(crate) fn error(status: u16, message: &str) -> Response {
    html(
        status,
        "Sign-in error",
        &format!("<p>{}</p>", escape(message)),
    )
}

/// The page of `/oidc/session/end` without a redirect.
pub(crate) fn signed_out() -> Response {
    html(
        200,
        "Signed out",
        "<p>You have signed out. You may close this tab.</p>",
    )
}

/// A `302 Found` to `location`.
pub(crate) fn redirect(location: &str) -> Response {
    Response {
        status: 302,
        content_type: "text/plain; charset=utf-8",
        body: Vec::new(),
        headers: vec![
            ("Location", location.to_string()),
            ("Cache-Control", "no-store".into()),
        ],
    }
}
