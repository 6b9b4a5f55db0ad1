//! `GET /api/v3/signin-by-extidp`: a sign-in through an external identity provider, the
//! authorization code flow entered at the provider instead of the hosted login page. The
//! query is `/oidc/auth`'s (checked by the same code, PKCE included) plus
//! `ext_idp_conn_id`; the answer is a `302` to the provider's sign-in page. There is no
//! provider to sign in to: the emulator's stand-in is `GET
//! /emulator/v1/oidc/ext-idp-sign-in?uid=..&connection=..&user=..`, where the person at
//! the provider is named by `user` (an email, phone, username or user id). It links the
//! provider's identity to that user when the user has none there yet, signs them in, and
//! sends the browser back to the app's `redirect_uri` with a code and the state, as the
//! hosted page's consent does. The code is exchanged at `/oidc/token` as any other.

use crate::core::msg::Lang;
use crate::core::{random, urlencoded};
use crate::families::directory::new_entries::NewIdentity;
use crate::families::oidc::{checked_request, expired_page, pages, text, with_query};
use crate::http::server::Shared;
use crate::http::{Request, Response};

/// The stand-in for the provider's sign-in page (under the oidc family's admin routes).
pub(crate) const PROVIDER_PAGE: &str = "/emulator/v1/oidc/ext-idp-sign-in";

pub(crate) fn sign_in_by_ext_idp(shared: &Shared, request: &Request, _lang: Lang) -> Response {
    let q = urlencoded::parse(&request.query);
    let (auth_request, _prompt) = match checked_request(shared, &q) {
        Ok(checked) => checked,
        Err(refused) => return refused,
    };
    let back = |description: &str| {
        let mut pairs = vec![
            ("error", "invalid_request"),
            ("error_description", description),
        ];
        if let Some(state) = auth_request.state.as_deref() {
            pairs.push(("state", state));
        }
        pages::redirect(&with_query(&auth_request.redirect_uri, &pairs))
    };
    let Some(connection) = text(&q, "ext_idp_conn_id") else {
        return back("ext_idp_conn_id is required");
    };
    let mut guard = shared.state();
    let st = &mut *guard;
    // The connection's id or its identifier (our choice: the spec says "id"; apps know the
    // identifier from get-application-enabled-extidps).
    let identifier = st
        .families
        .catalog
        .ext_idps
        .iter()
        .find(|i| i.conn_id == connection || i.identifier == connection)
        .map(|i| i.identifier.clone());
    let Some(identifier) = identifier else {
        return back("no external identity provider connection of the app has this id");
    };
    let now = st.now();
    let uid = st.families.oidc.open(auth_request, now);
    let base = crate::core::caller::issuer(shared, request);
    let base = base.strip_suffix("/oidc").unwrap_or(&base);
    let query =
        crate::core::codec::query(&[("uid", uid.as_str()), ("connection", identifier.as_str())]);
    pages::redirect(&format!("{base}{PROVIDER_PAGE}?{query}"))
}

/// The stand-in provider's page: signs the user `user` names in at the provider, then
/// back to the app with a code.
pub(crate) fn provider_sign_in(shared: &Shared, request: &Request) -> Response {
    let q = urlencoded::parse(&request.query);
    let (Some(uid), Some(identifier)) = (text(&q, "uid"), text(&q, "connection")) else {
        return pages::error(400, "The uid and connection are missing.");
    };
    let Some(account) = text(&q, "user") else {
        return pages::error(
            400,
            "The emulator stands in for the provider: name the person signing in with &user=<email, phone, username or user id>.",
        );
    };
    let mut guard = shared.state();
    let st = &mut *guard;
    let now = st.now();
    if st.families.oidc.interaction(uid, now).is_none() {
        return expired_page();
    }
    let Some(user_id) = st
        .users
        .by_query(account)
        .and_then(|i| st.users.get(i))
        .map(|u| u.id.clone())
    else {
        return pages::error(404, "No such user.");
    };
    let Some(idp_id) = st
        .families
        .catalog
        .ext_idp(identifier)
        .map(|i| i.id.clone())
    else {
        return pages::error(404, "No such external identity provider connection.");
    };
    let linked = st
        .families
        .catalog
        .access_of(&user_id)
        .identities
        .iter()
        .any(|i| i.ext_idp_id == idp_id);
    if !linked {
        let seed = NewIdentity::new(identifier, format!("emulated-{}", random::hex(8)));
        if let Err(e) = st.link_identity(&user_id, &seed) {
            return pages::error(400, &format!("The identity could not be linked: {e}."));
        }
    }
    let Some(sid) = st.families.oidc.sign_in(uid, &user_id, None) else {
        return expired_page();
    };
    let Some(auth_request) = st.families.oidc.close(uid) else {
        return expired_page();
    };
    let state = auth_request.state.clone().unwrap_or_default();
    let redirect_uri = auth_request.redirect_uri.clone();
    let code = st.families.oidc.issue_code(auth_request, user_id, sid, now);
    let pairs = [("code", code.as_str()), ("state", state.as_str())];
    pages::redirect(&with_query(&redirect_uri, &pairs))
}
