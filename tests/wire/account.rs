//! The account family on the wire, against the scripted loopback server where exact bytes
//! matter: bodies, the bearer, the multipart upload, the user fetched again after a change
//! and what its answer does to the session, and bad input that never reaches the wire.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use crate::common::{self, Captured, Reply, Server, DEADLINE, QUIET};
use crate::{body, route, signed_in, USER};
use authing::emulator::{Emulator, NewUser};
use authing::{
    codes, AuthResponse, DeleteAccountPayload, DeleteAccountVerifyMethod, PasswordEncryptType,
    Profile,
};
use serde_json::json;

const SIGNED_IN: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","id_token":"it-1","refresh_token":"rt-1","token_type":"Bearer","expire_in":3600}}"#;
const OK: &str = r#"{"statusCode":200,"message":"ok"}"#;
const PNG_HEAD: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// A server that signs in, answers the profile with `USER`, and `other` for the rest.
fn server(other: impl Fn(&Captured) -> Reply + Send + Sync + 'static) -> Server {
    Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => other(req),
    })
}

fn assert_bearer_json(req: &Captured, path: &str) {
    assert_eq!((req.method.as_str(), route(req)), ("POST", path));
    assert_eq!(req.header("authorization"), Some("Bearer at-1"));
    assert_eq!(
        req.header("content-type"),
        Some("application/json; charset=utf-8")
    );
}

#[test]
fn update_profile_sends_only_the_fields_set_with_the_bearer() {
    let s = server(|_| Reply::Json(USER.replace("\"gender\":\"U\"", "\"gender\":\"F\"")));
    let client = signed_in(&s);
    let mut profile = Profile::new();
    profile.set_gender("F").set_postal_code("100000");
    let response = client.update_profile_blocking(profile);
    assert_eq!(response.status_code(), 200);
    let req = s.next_request();
    assert_bearer_json(&req, "/api/v3/update-profile");
    assert_eq!(body(&req), json!({"gender": "F", "postalCode": "100000"}));
    assert_eq!(
        client.get_current_user().unwrap().data()["gender"],
        "F",
        "the answered user is cached without another request"
    );
    s.assert_no_request();
}

#[test]
fn upload_avatar_sends_one_multipart_file_part_without_authorization_then_sets_the_photo() {
    let s = server(|req| {
        match route(req) {
        "/api/v2/upload" => Reply::Json(
            r#"{"statusCode":200,"message":"","data":{"key":"photos/a.png","url":"https://files.example.com/photos/a.png"}}"#
                .into(),
        ),
        _ => Reply::Json(USER.into()),
    }
    });
    let client = signed_in(&s);
    let response = client.upload_avatar_blocking(PNG_HEAD);
    assert_eq!(response.status_code(), 200, "{response:?}");
    let upload = s.next_request();
    assert_eq!(
        (upload.method.as_str(), upload.path.as_str()),
        ("POST", "/api/v2/upload?folder=photos")
    );
    assert_eq!(upload.header("authorization"), None);
    assert_eq!(upload.header("x-authing-app-id"), Some(common::APP_ID));
    let content_type = upload.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"avatar.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(PNG_HEAD);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(upload.body, expected);
    let update = s.next_request();
    assert_bearer_json(&update, "/api/v3/update-profile");
    assert_eq!(
        body(&update),
        json!({"photo": "https://files.example.com/photos/a.png"})
    );
    s.assert_no_request();
}

#[test]
fn an_upload_that_fails_or_answers_no_url_leaves_the_profile_untouched() {
    let fail = Arc::new(AtomicUsize::new(0));
    let n = Arc::clone(&fail);
    let s = server(move |_| {
        if n.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::Json(r#"{"statusCode":413,"message":"too large"}"#.into())
        } else {
            Reply::Json(r#"{"statusCode":200,"message":"","data":{"key":"k"}}"#.into())
        }
    });
    let client = signed_in(&s);
    let failed = client.upload_avatar_blocking(PNG_HEAD);
    assert_eq!((failed.status_code(), failed.message()), (413, "too large"));
    assert_eq!(route(&s.next_request()), "/api/v2/upload");
    let no_url = client.upload_avatar_blocking(PNG_HEAD);
    assert_eq!(no_url.status_code(), codes::JSON_PARSE_FAILED);
    assert_eq!(
        no_url.error().unwrap().to_string(),
        "unexpected response: the upload answer has no url"
    );
    assert_eq!(route(&s.next_request()), "/api/v2/upload");
    s.assert_no_request();
}

#[test]
fn an_upload_avatar_cancelled_during_the_upload_does_not_change_the_profile() {
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = std::sync::Mutex::new(release_rx);
    let s = server(move |req| match route(req) {
        "/api/v2/upload" => {
            // Held until the test has cancelled the call.
            let _ = release_rx.lock().unwrap().recv_timeout(DEADLINE);
            Reply::Json(
                r#"{"statusCode":200,"message":"","data":{"key":"k","url":"https://files.example.com/k.png"}}"#
                    .into(),
            )
        }
        _ => Reply::Json(USER.into()),
    });
    let client = signed_in(&s);
    let (tx, rx) = mpsc::channel();
    let handle = client.upload_avatar(PNG_HEAD, tx);
    assert_eq!(route(&s.next_request()), "/api/v2/upload");
    handle.cancel();
    release_tx.send(()).unwrap();
    let answer = rx.recv_timeout(DEADLINE).expect("the callback ran");
    assert_eq!(answer.status_code(), codes::CANCELLED);
    assert!(handle.join().is_ok());
    s.assert_no_request();
}

#[test]
fn update_password_sends_the_new_and_the_old_password_and_the_type() {
    let s = server(|_| Reply::Json(OK.into()));
    let client = signed_in(&s);
    let response =
        client.update_password_blocking("new passw0rd", "old passw0rd", PasswordEncryptType::none);
    assert_eq!(response.status_code(), 200);
    let req = s.next_request();
    assert_bearer_json(&req, "/api/v3/update-password");
    assert_eq!(
        body(&req),
        json!({"newPassword": "new passw0rd", "oldPassword": "old passw0rd", "passwordEncryptType": "none"})
    );
    let refetch = s.next_request();
    assert_eq!(
        refetch.path,
        "/api/v3/get-profile?withCustomData=false&withIdentities=false&withDepartmentIds=false"
    );
    assert_eq!(refetch.header("authorization"), Some("Bearer at-1"));
    // A user without a password sends none.
    let response =
        client.update_password_blocking("first passw0rd", None, PasswordEncryptType::none);
    assert_eq!(response.status_code(), 200);
    assert_eq!(
        body(&s.next_request()),
        json!({"newPassword": "first passw0rd", "passwordEncryptType": "none"})
    );
}

/// A spy in front of the emulator: `/api/v3/system` is answered by `system` (the Nth
/// fetch, from 0); everything else goes to the emulator with its method, headers of
/// interest and body.
fn spy(emu: &Emulator, system: impl Fn(usize) -> String + Send + Sync + 'static) -> Server {
    let base = emu.base_url();
    let fetches = AtomicUsize::new(0);
    Server::scripted(move |req| {
        if req.path == "/api/v3/system" {
            return Reply::Json(system(fetches.fetch_add(1, Ordering::SeqCst)));
        }
        let agent = common::agent();
        let url = format!("{base}{}", req.path);
        let headers = ["authorization", "content-type", "x-authing-app-id"];
        let text = if req.method == "GET" {
            let mut get = agent.get(&url);
            for h in headers {
                if let Some(v) = req.header(h) {
                    get = get.header(h, v);
                }
            }
            get.call().unwrap().body_mut().read_to_string().unwrap()
        } else {
            let mut post = agent.post(&url);
            for h in headers {
                if let Some(v) = req.header(h) {
                    post = post.header(h, v);
                }
            }
            post.send(&req.body[..])
                .unwrap()
                .body_mut()
                .read_to_string()
                .unwrap()
        };
        Reply::Json(text)
    })
}

/// The SM2 curve's base point: a well-formed public key whose private key nobody here has.
const SM2_G: &str = "0432c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7\
                     bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0";

#[test]
fn update_password_seals_both_passwords_again_when_the_server_rejects_the_key() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_username("mike", "old-passw0rd"))
        .unwrap();
    let real = {
        let direct = common::client_at(emu.base_url());
        direct.system_blocking().data().unwrap().to_string()
    };
    let s = spy(&emu, move |n| match n {
        0 => format!(r#"{{"sm2":{{"publicKey":"{SM2_G}"}}}}"#),
        _ => real.clone(),
    });
    let client = common::client_at(s.base_url());
    let signed = client.sign_in_by_user_name_password_blocking("mike", "old-passw0rd", None);
    assert_eq!(signed.status_code(), 200, "{signed:?}");
    let _ = (s.next_request(), s.next_request());
    let response =
        client.update_password_blocking("new-passw0rd", "old-passw0rd", PasswordEncryptType::sm2);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(emu.check_password("mike", "new-passw0rd"));
    let paths: Vec<String> = (0..5)
        .map(|_| route(&s.next_request()).to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v3/system",
            "/api/v3/update-password",
            "/api/v3/system",
            "/api/v3/update-password",
            "/api/v3/get-profile"
        ]
    );
}

#[test]
fn a_change_fetches_the_user_again_with_the_flags_the_cached_one_was_fetched_with() {
    let with_custom = USER.replace("\"gender\"", "\"customData\":{\"a\":1},\"gender\"");
    let s = Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" => Reply::Json(with_custom.clone()),
        _ => Reply::Json(OK.into()),
    });
    let client = signed_in(&s);
    assert_eq!(
        client
            .get_profile_blocking(true, false, false)
            .status_code(),
        200
    );
    let _ = s.next_request();
    assert_eq!(
        client
            .bind_email_blocking("mike@example.com", "123456")
            .status_code(),
        200
    );
    let bind = s.next_request();
    assert_bearer_json(&bind, "/api/v3/bind-email");
    assert_eq!(
        body(&bind),
        json!({"email": "mike@example.com", "passCode": "123456"})
    );
    assert_eq!(
        s.next_request().path,
        "/api/v3/get-profile?withCustomData=true&withIdentities=false&withDepartmentIds=false"
    );
}

/// A server whose profile fetches with `at-1` after the sign-in's answer 401 / 2020 (the
/// server ended that token with the change), whose fetches with `at-2` answer the user,
/// and whose token endpoint answers `refresh`.
fn ending_server(refresh: Reply) -> Server {
    let fetches = AtomicUsize::new(0);
    Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" if req.header("authorization") == Some("Bearer at-2") => {
            Reply::Json(USER.replace("\"mike\"", "\"mike-renewed\""))
        }
        "/api/v3/get-profile" if fetches.fetch_add(1, Ordering::SeqCst) == 0 => {
            Reply::Json(USER.into())
        }
        "/api/v3/get-profile" => {
            Reply::Json(r#"{"statusCode":401,"apiCode":2020,"message":"not signed in"}"#.into())
        }
        "/oidc/token" => refresh.clone(),
        _ => Reply::Json(OK.into()),
    })
}

#[test]
fn a_change_after_which_the_server_ends_the_session_clears_it_here_too() {
    let refused = Reply::Raw(
        400,
        "application/json",
        r#"{"error":"invalid_grant","error_description":"revoked"}"#.into(),
    );
    let s = ending_server(refused);
    let client = signed_in(&s);
    let response =
        client.update_password_blocking("new passw0rd", "old passw0rd", PasswordEncryptType::none);
    assert_eq!(response.status_code(), 200, "the change's own answer");
    let paths: Vec<String> = (0..3)
        .map(|_| route(&s.next_request()).to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v3/update-password",
            "/api/v3/get-profile",
            "/oidc/token"
        ]
    );
    assert!(client.get_token().is_none(), "the server ended the session");
    assert!(client.get_current_user().is_none());
}

#[test]
fn a_change_after_which_the_server_refuses_only_the_access_token_renews_it() {
    let renewed = Reply::Json(
        r#"{"access_token":"at-2","refresh_token":"rt-2","token_type":"Bearer","expires_in":3600}"#
            .into(),
    );
    let s = ending_server(renewed);
    let client = signed_in(&s);
    let response = client.un_bind_email_blocking("123456");
    assert_eq!(response.status_code(), 200);
    let paths: Vec<String> = (0..4)
        .map(|_| route(&s.next_request()).to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v3/unbind-email",
            "/api/v3/get-profile",
            "/oidc/token",
            "/api/v3/get-profile"
        ]
    );
    assert_eq!(client.get_token().unwrap().access_token(), "at-2");
    assert_eq!(
        client.get_current_user().unwrap().username(),
        Some("mike-renewed"),
        "the user fetched with the renewed token is cached"
    );
}

#[test]
fn a_change_whose_user_cannot_be_fetched_drops_the_cached_user_but_keeps_the_tokens() {
    let profiles = Arc::new(AtomicUsize::new(0));
    let n = Arc::clone(&profiles);
    let s = Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" if n.fetch_add(1, Ordering::SeqCst) == 0 => Reply::Json(USER.into()),
        "/api/v3/get-profile" => Reply::Raw(502, "text/html", "<html>bad gateway</html>".into()),
        _ => Reply::Json(OK.into()),
    });
    let client = signed_in(&s);
    assert_eq!(client.un_bind_phone_blocking("1234").status_code(), 200);
    assert!(client.get_current_user().is_none(), "not left stale");
    assert!(client.get_token().is_some());
}

#[test]
fn delete_account_clears_the_session_on_success_only() {
    let deletes = Arc::new(AtomicUsize::new(0));
    let n = Arc::clone(&deletes);
    let s = server(move |_| {
        if n.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::Json(r#"{"statusCode":400,"apiCode":2340,"message":"bad token"}"#.into())
        } else {
            Reply::Json(r#"{"statusCode":200,"message":"","data":{"success":true}}"#.into())
        }
    });
    let client = signed_in(&s);
    assert_eq!(client.delete_account_blocking("token-1").api_code(), 2340);
    assert!(client.get_token().is_some());
    let req = s.next_request();
    assert_bearer_json(&req, "/api/v3/delete-account");
    assert_eq!(body(&req), json!({"deleteAccountToken": "token-1"}));
    assert_eq!(client.delete_account_blocking("token-2").status_code(), 200);
    assert!(client.get_token().is_none() && client.get_current_user().is_none());
    let _ = s.next_request();
    s.assert_no_request();
}

#[test]
fn the_verify_requests_send_the_specs_payloads() {
    let s = server(|req| {
        let key = match route(req) {
            "/api/v3/verify-update-phone-request" => "updatePhoneToken",
            "/api/v3/verify-update-email-request" => "updateEmailToken",
            _ => "deleteAccountToken",
        };
        Reply::Json(
            json!({"statusCode": 200, "message": "", "data": {key: "tok", "tokenExpiresIn": 60}})
                .to_string(),
        )
    });
    let client = signed_in(&s);
    let phone = client.update_phone_request_blocking("86", "18800000001", "1111", None, None, None);
    assert_eq!(
        phone.update_phone_data().unwrap().update_phone_token(),
        "tok"
    );
    assert_eq!(
        body(&s.next_request()),
        json!({"verifyMethod": "PHONE_PASSCODE", "phonePassCodePayload": {
            "newPhoneNumber": "18800000001", "newPhoneCountryCode": "+86", "newPhonePassCode": "1111"}})
    );
    let email =
        client.update_email_request_blocking("new@example.com", "2222", "old@example.com", "3333");
    assert_eq!(email.update_email_data().unwrap().token_expires_in(), 60);
    assert_eq!(
        body(&s.next_request()),
        json!({"verifyMethod": "EMAIL_PASSCODE", "emailPassCodePayload": {
            "newEmail": "new@example.com", "newEmailPassCode": "2222",
            "oldEmail": "old@example.com", "oldEmailPassCode": "3333"}})
    );
    let mut payload = DeleteAccountPayload::new();
    payload.set_password("passw0rd");
    let delete =
        client.delete_account_request_blocking(DeleteAccountVerifyMethod::PASSWORD, payload);
    assert!(delete.delete_account_data().is_ok());
    let req = s.next_request();
    assert_bearer_json(&req, "/api/v3/verify-delete-account-request");
    assert_eq!(
        body(&req),
        json!({"verifyMethod": "PASSWORD", "passwordPayload": {"password": "passw0rd", "passwordEncryptType": "none"}})
    );
    s.assert_no_request();
}

#[test]
fn a_typed_token_that_has_expired_is_refused_locally_and_a_string_one_is_sent() {
    let s = server(|req| {
        match route(req) {
        "/api/v3/verify-update-phone-request" => Reply::Json(
            r#"{"statusCode":200,"message":"","data":{"updatePhoneToken":"tok","tokenExpiresIn":0}}"#.into(),
        ),
        _ => Reply::Json(OK.into()),
    }
    });
    let client = signed_in(&s);
    let verified = client
        .update_phone_request_blocking(None, "18800000001", "1111", None, None, None)
        .update_phone_data()
        .unwrap();
    let _ = s.next_request();
    assert!(verified.is_expired());
    let refused = client.update_phone_blocking(&verified);
    assert_eq!(refused.status_code(), codes::INVALID_INPUT);
    assert_eq!(
        refused.error().unwrap().to_string(),
        "invalid input: update_phone_token has expired; call update_phone_request again for a new token"
    );
    s.assert_no_request();
    assert_eq!(client.update_phone_blocking("tok").status_code(), 200);
    assert_eq!(body(&s.next_request()), json!({"updatePhoneToken": "tok"}));
}

/// Runs a callback-form call and answers its one callback.
fn once(start: impl FnOnce(mpsc::Sender<AuthResponse>)) -> AuthResponse {
    let (tx, rx) = mpsc::channel();
    start(tx);
    let response = rx.recv_timeout(DEADLINE).expect("the callback ran");
    assert!(rx.recv_timeout(QUIET).is_err(), "one callback only");
    response
}

#[test]
fn bad_input_of_each_call_is_refused_locally_with_one_callback_and_nothing_on_the_wire() {
    let s = server(|_| Reply::Json(OK.into()));
    let client = signed_in(&s);
    let c = &client;
    let mut bad_gender = Profile::new();
    bad_gender.set_gender("male");
    let mut stray = DeleteAccountPayload::new();
    stray.set_email("a@b.co").set_pass_code("1234");
    let cases: Vec<(AuthResponse, &str)> = vec![
        (
            once(|tx| drop(c.update_profile(Profile::new(), tx))),
            "invalid input: profile sets no field; set at least one (a nickname, a photo, ...) to update",
        ),
        (
            once(|tx| drop(c.update_profile(bad_gender, tx))),
            "invalid input: profile.gender must be M, F or U",
        ),
        (
            once(|tx| drop(c.update_password("", "old passw0rd", PasswordEncryptType::none, tx))),
            "invalid input: new_password is empty",
        ),
        (
            once(|tx| drop(c.bind_phone(None, "+8618812345678", "1234", tx))),
            "invalid input: phone_number starts with '+'; put the country code in phone_country_code and the national number here",
        ),
        (
            once(|tx| drop(c.bind_phone("0086", "18812345678", "1234", tx))),
            "invalid input: phone_country_code starts with 0, which is a dialling prefix, not part of a country code; write \"+86\" rather than \"0086\"",
        ),
        (
            once(|tx| drop(c.un_bind_phone("", tx))),
            "invalid input: pass_code is empty",
        ),
        (
            once(|tx| drop(c.bind_email("not-an-email", "1234", tx))),
            "invalid input: email is not an email address",
        ),
        (
            once(|tx| drop(c.un_bind_email("12 34", tx))),
            "invalid input: pass_code must contain letters or digits only",
        ),
        (
            once(|tx| drop(c.update_phone_request(None, "18800000001", "1111", None, "18812345678", None, tx))),
            "invalid input: old_phone_pass_code is missing; the old number needs its passcode",
        ),
        (
            once(|tx| drop(c.update_phone_request(None, "18800000001", "1111", "+86", None, None, tx))),
            "invalid input: old_phone_country_code is set without old_phone_number",
        ),
        (
            once(|tx| drop(c.update_phone("", tx))),
            "invalid input: update_phone_token is empty",
        ),
        (
            once(|tx| drop(c.update_email_request("new@example.com", "2222", None, "3333", tx))),
            "invalid input: old_email is missing; the old passcode needs its email",
        ),
        (
            once(|tx| drop(c.update_email("a token", tx))),
            "invalid input: update_email_token must contain visible ascii characters only",
        ),
        (
            once(|tx| drop(c.delete_account_request(DeleteAccountVerifyMethod::PHONE_PASSCODE, stray, tx))),
            "invalid input: email is set, but the verify method is PHONE_PASSCODE; clear it or use another method",
        ),
        (
            once(|tx| drop(c.delete_account("", tx))),
            "invalid input: delete_account_token is empty",
        ),
        (
            once(|tx| drop(c.upload_avatar(&b"plain text"[..], tx))),
            "invalid input: avatar is not a PNG, JPEG, GIF or WebP image",
        ),
    ];
    for (response, message) in cases {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{message}");
        assert_eq!(response.error().unwrap().to_string(), message);
    }
    s.assert_no_request();
    assert!(
        client.get_token().is_some(),
        "bad input leaves the session alone"
    );
}
