//! One language for the server's messages and the SDK's own (issue 20, item 8): a
//! response's `message()` is in the client's `Lang` whether the server or the SDK wrote it,
//! while the typed error's `Display` stays English. The local failures need no server
//! (nothing is sent); the last test asks the emulator, which speaks zh-CN and en-US.

use std::sync::{mpsc, Mutex};

use crate::common::{refused_base_url, Reply, Server, DEADLINE};
use authing::emulator::{Emulator, NewUser};
use authing::{
    codes, AuthClient, AuthError, AuthResponse, EmailType, Lang, PasswordEncryptType,
    ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType,
};

const LANGS: [Lang; 4] = [Lang::ZhCn, Lang::EnUs, Lang::JaJp, Lang::ZhTw];

/// A configured client in `lang` whose server is never reached.
fn client_in(lang: Lang) -> AuthClient {
    AuthClient::builder()
        .app_id("demo-app")
        .app_host(refused_base_url())
        .lang(lang)
        .build()
        .unwrap()
}

/// A reset-password request without its pass code: refused locally with 10010.
fn without_pass_code(client: &AuthClient) -> AuthResponse {
    let mut payload = ResetPasswordPayload::new();
    payload.set_email("someone@example.com");
    client.reset_password_request_blocking(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload)
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c))
}

#[test]
fn refused_input_is_described_in_each_language_and_its_error_stays_english() {
    for (lang, expected) in [
        (Lang::ZhCn, "参数错误：缺少 pass_code"),
        (Lang::EnUs, "invalid input: pass_code is missing"),
        (
            Lang::JaJp,
            "入力値が正しくありません：pass_code が指定されていません",
        ),
        (Lang::ZhTw, "參數錯誤：缺少 pass_code"),
    ] {
        let response = without_pass_code(&client_in(lang));
        assert_eq!(response.status_code(), codes::INVALID_INPUT);
        assert_eq!(response.message(), expected, "{lang}");
        let error = response.error().unwrap();
        assert_eq!(error.to_string(), "invalid input: pass_code is missing");
        assert_eq!(error.message_in(lang), expected);
    }
}

/// The English words left in `message` once the field's name is taken out: runs of three
/// or more lowercase ASCII letters that are not an identifier (`phone_country_code`).
fn english_words<'a>(message: &'a str, field: &str) -> Vec<&'a str> {
    let without_field = message.replace(field, "");
    let mut words = Vec::new();
    for run in without_field.split(|c: char| !(c.is_ascii_alphabetic() || c == '_')) {
        if run.len() >= 3 && !run.contains('_') && run.bytes().all(|b| b.is_ascii_lowercase()) {
            if let Some(at) = message.find(run) {
                words.push(&message[at..at + run.len()]);
            }
        }
    }
    words
}

/// Each check of the recovery calls (`validate.rs`), refused in Chinese and Japanese: no
/// English is left but the field's name and the identifiers the advice names. This catches
/// a problem whose English changed without its translation.
#[test]
fn every_check_of_the_recovery_calls_is_translated_in_full() {
    const PHONE: ResetPasswordVerifyMethod = ResetPasswordVerifyMethod::PHONE_PASSCODE;
    const EMAIL: ResetPasswordVerifyMethod = ResetPasswordVerifyMethod::EMAIL_PASSCODE;
    let long_digits = "1".repeat(21);
    let long_email = format!("{}@example.com", "a".repeat(250));
    let long_code = "1".repeat(33);
    let long_password = "p".repeat(1025);
    let forms: Vec<(ResetPasswordVerifyMethod, Vec<(&str, &str)>)> = vec![
        (PHONE, vec![("pass_code", "1234")]),
        (PHONE, vec![("phone_number", ""), ("pass_code", "1234")]),
        (PHONE, vec![("phone_number", "   "), ("pass_code", "1234")]),
        (
            PHONE,
            vec![("phone_number", "188-1234"), ("pass_code", "1234")],
        ),
        (
            PHONE,
            vec![("phone_number", "+8618812345678"), ("pass_code", "1234")],
        ),
        (
            PHONE,
            vec![("phone_number", &long_digits), ("pass_code", "1234")],
        ),
        (
            PHONE,
            vec![
                ("phone_number", "18812345678"),
                ("phone_country_code", "0086"),
                ("pass_code", "1"),
            ],
        ),
        (
            PHONE,
            vec![
                ("phone_number", "18812345678"),
                ("phone_country_code", "+86 "),
                ("pass_code", "1"),
            ],
        ),
        (
            PHONE,
            vec![("phone_number", "18812345678"), ("pass_code", "12 34")],
        ),
        (
            PHONE,
            vec![("phone_number", "18812345678"), ("pass_code", &long_code)],
        ),
        (
            PHONE,
            vec![
                ("phone_number", "18812345678"),
                ("pass_code", "1234"),
                ("email", "a@b.co"),
            ],
        ),
        (
            EMAIL,
            vec![("email", "not-an-email"), ("pass_code", "1234")],
        ),
        (
            EMAIL,
            vec![("email", "a b@example.com"), ("pass_code", "1234")],
        ),
        (EMAIL, vec![("email", &long_email), ("pass_code", "1234")]),
        (
            EMAIL,
            vec![
                ("email", "a@b.co"),
                ("pass_code", "1234"),
                ("phone_country_code", "+86"),
            ],
        ),
    ];
    for lang in [Lang::ZhCn, Lang::JaJp, Lang::ZhTw] {
        let client = client_in(lang);
        let mut answers: Vec<AuthResponse> = forms
            .iter()
            .map(|(method, fields)| {
                let mut payload = ResetPasswordPayload::new();
                for (field, value) in fields {
                    match *field {
                        "phone_number" => payload.set_phone_number(*value),
                        "phone_country_code" => payload.set_phone_country_code(*value),
                        "pass_code" => payload.set_pass_code(*value),
                        "email" => payload.set_email(*value),
                        other => panic!("unknown field {other}"),
                    };
                }
                client.reset_password_request_blocking(*method, payload)
            })
            .collect();
        answers.extend([
            client.send_email_blocking("nobody", EmailType::CHANNEL_RESET_PASSWORD),
            client.send_sms_blocking("+86", "", SmsType::CHANNEL_RESET_PASSWORD),
            client.reset_password_blocking("tok en", "new password", PasswordEncryptType::none),
            client.reset_password_blocking("tok", "new\u{0}password", PasswordEncryptType::none),
            client.reset_password_blocking("tok", &long_password, PasswordEncryptType::none),
        ]);
        for answer in answers {
            let Some(AuthError::InvalidInput(input)) = answer.error() else {
                panic!("{lang}: expected a refused input, got {answer:?}");
            };
            let left = english_words(answer.message(), input.field);
            assert!(
                left.is_empty(),
                "{lang}: {:?} leaves {left:?}",
                answer.message()
            );
            assert!(has_cjk(answer.message()), "{lang}: {}", answer.message());
        }
    }
}

#[test]
fn a_call_without_a_session_is_described_in_each_language() {
    for (lang, expected) in [
        (Lang::ZhCn, "尚未登录：当前没有已登录的用户，请先登录"),
        (Lang::EnUs, "not signed in: no user is signed in; sign in first"),
        (
            Lang::JaJp,
            "サインインしていません：サインインしているユーザーがいません。先にサインインしてください",
        ),
        (Lang::ZhTw, "尚未登入：目前沒有已登入的使用者，請先登入"),
    ] {
        let response = client_in(lang).get_profile_blocking(false, false, false);
        assert_eq!(response.status_code(), codes::NOT_SIGNED_IN);
        assert_eq!(response.message(), expected, "{lang}");
        assert_eq!(
            response.error().unwrap().to_string(),
            "not signed in: no user is signed in; sign in first"
        );
    }
}

#[test]
fn a_client_without_configuration_says_so_in_its_language() {
    for (lang, head) in [
        (
            Lang::ZhCn,
            "未找到配置：没有 app id 或 app host；请调用 Authing::init(app_id)",
        ),
        (
            Lang::EnUs,
            "config not found: no app id or app host; call Authing::init(app_id)",
        ),
        (
            Lang::JaJp,
            "設定が見つかりません：app id も app host もありません。",
        ),
        (
            Lang::ZhTw,
            "找不到設定：沒有 app id 或 app host；請呼叫 Authing::init(app_id)",
        ),
    ] {
        let client = AuthClient::builder().lang(lang).build().unwrap();
        let response = without_pass_code(&client);
        assert_eq!(response.status_code(), codes::CONFIG_NOT_FOUND);
        assert!(
            response.message().starts_with(head),
            "{lang}: {}",
            response.message()
        );
        assert!(response
            .error()
            .unwrap()
            .to_string()
            .starts_with("config not found: no app id or app host"));
    }
}

#[test]
fn a_callback_gets_the_same_message_as_the_blocking_twin() {
    for lang in LANGS {
        let client = client_in(lang);
        let (tx, rx) = mpsc::channel::<AuthResponse>();
        let mut payload = ResetPasswordPayload::new();
        payload.set_email("someone@example.com");
        client
            .reset_password_request(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload, tx)
            .join()
            .unwrap();
        let answer = rx.recv_timeout(DEADLINE).unwrap();
        assert_eq!(answer.status_code(), codes::INVALID_INPUT);
        assert_eq!(
            answer.message(),
            without_pass_code(&client).message(),
            "{lang}"
        );
    }
}

/// The dispatcher's own answers (a queued call cancelled, a call the full queue refused)
/// are made off the call's thread; they reach the callback in its client's language too.
#[test]
fn the_dispatchers_own_answers_are_in_the_clients_language() {
    let (release, gate) = mpsc::channel::<()>();
    let gate = Mutex::new(gate);
    let server = Server::scripted(move |_| {
        let _ = gate.lock().unwrap().recv_timeout(DEADLINE);
        Reply::Json(r#"{"statusCode":200,"message":"ok","data":{}}"#.into())
    });
    let client = AuthClient::builder()
        .app_id("demo-app")
        .app_host(server.base_url())
        .lang(Lang::JaJp)
        .max_concurrent_requests(1)
        .max_queued_requests(1)
        .build()
        .unwrap();
    let send = |tx: mpsc::Sender<AuthResponse>| {
        let mut payload = ResetPasswordPayload::new();
        payload
            .set_email("someone@example.com")
            .set_pass_code("123456");
        client.reset_password_request(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload, tx)
    };
    let (tx, busy_answer) = mpsc::channel();
    let busy = send(tx);
    server.next_request(); // the only worker is busy
    let (tx, queued_answer) = mpsc::channel();
    let queued = send(tx);
    let (tx, rejected_answer) = mpsc::channel();
    let rejected = send(tx);
    let answer = rejected_answer.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), codes::REJECTED);
    assert_eq!(
        answer.message(),
        "リクエストは拒否されました：キューには既に上限の 1 件の呼び出しがあります"
    );
    assert!(queued.cancel());
    let answer = queued_answer.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), codes::CANCELLED);
    assert_eq!(answer.message(), "リクエストはキャンセルされました");
    assert_eq!(answer.error().unwrap().to_string(), "request cancelled");
    release.send(()).unwrap();
    assert_eq!(
        busy_answer.recv_timeout(DEADLINE).unwrap().status_code(),
        200
    );
    for handle in [busy, queued, rejected] {
        handle.join().unwrap();
    }
}

#[test]
fn clients_of_different_languages_on_one_thread_each_answer_in_their_own() {
    let chinese = client_in(Lang::ZhCn);
    let english = client_in(Lang::EnUs);
    let japanese = client_in(Lang::JaJp);
    for _ in 0..2 {
        assert_eq!(
            without_pass_code(&english).message(),
            "invalid input: pass_code is missing"
        );
        assert_eq!(
            without_pass_code(&chinese).message(),
            "参数错误：缺少 pass_code"
        );
        assert_eq!(
            japanese.get_profile_blocking(false, false, false).message(),
            "サインインしていません：サインインしているユーザーがいません。先にサインインしてください"
        );
        assert_eq!(
            english.get_profile_blocking(false, false, false).message(),
            "not signed in: no user is signed in; sign in first"
        );
    }
}

/// The emulator answers zh-CN and en-US (any other tag gets zh-CN, the server's default):
/// a server's refusal and a local one read in the same language.
#[test]
fn the_server_and_the_sdk_answer_in_one_language() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_email("someone@example.com", "old-passw0rd"))
        .unwrap();
    for lang in [Lang::ZhCn, Lang::EnUs] {
        let client = AuthClient::builder()
            .app_id(emu.app_id())
            .app_host(emu.base_url())
            .lang(lang)
            .build()
            .unwrap();
        let mut payload = ResetPasswordPayload::new();
        payload
            .set_email("someone@example.com")
            .set_pass_code("000000");
        let server = client
            .reset_password_request_blocking(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload);
        assert!(server.error().unwrap().api().is_some(), "{server:?}");
        let local = without_pass_code(&client);
        assert_eq!(local.status_code(), codes::INVALID_INPUT);
        for message in [server.message(), local.message()] {
            assert_eq!(has_cjk(message), lang == Lang::ZhCn, "{lang}: {message}");
        }
    }
}
