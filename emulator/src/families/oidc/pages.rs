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
pub(crate) fn login(
    status: u16,
    uid: &str,
    client_id: &str,
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
        client = escape(client_id),
        uid = escape(uid),
        account = escape(account),
    );
    html(status, "Sign in", &body)
}

/// The consent form of page `uid`: the app, the user, the scopes asked for.
pub(crate) fn consent(uid: &str, client_id: &str, user: &str, scope: &str) -> Response {
    let scopes: String = scope
        .split_whitespace()
        .map(|s| format!("<li>{}</li>", escape(s)))
        .collect();
    let body = format!(
        "<p>Signed in as <b>{user}</b>.</p>\n<p><b>{client}</b> asks to:</p>\n<ul>{scopes}</ul>\n\
         <form method=\"post\" action=\"/oidc/interaction/{uid}/consent\">\n\
         <button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\n\
         <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n</form>",
        user = escape(user),
        client = escape(client_id),
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
