//! The state of the OpenID Connect authorization code flow: sign-in pages in progress
//! ("interactions"), authorization codes, the browser sessions of the hosted login page,
//! and the id_token tampering tests ask for. Part of the emulator's [`State`], so a reset
//! clears it; every expiry follows the emulator's clock.
//!
//! [`State`]: crate::core::state::State

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use crate::core::random;

/// How long a sign-in page stays usable once `/oidc/auth` opened it: 10 minutes.
pub(crate) const INTERACTION_TTL: Duration = Duration::from_secs(600);
/// How long an authorization code lives: 10 minutes, as the spec says of Authing's
/// (`TokenEndPointParams.code`: "有效期为 10 分钟").
pub(crate) const CODE_TTL: Duration = Duration::from_secs(600);
/// Sign-in pages kept open at most **(our choice)**: at this count, opening one more
/// forgets the oldest (expired ones go first), as the QR store does. An abandoned page
/// holds its request, so without a cap a loop of `GET /oidc/auth` would grow memory
/// without bound.
pub const MAX_OIDC_INTERACTIONS: usize = 1_000;
/// Authorization codes kept at most **(our choice)**, spent ones included (they are kept
/// to catch a replay): at this count, issuing one more forgets the oldest.
pub const MAX_OIDC_CODES: usize = 1_000;
/// The longest `state` and `nonce` an authorization request may carry, in bytes
/// **(our choice)**; longer ones are refused with `invalid_request`.
pub const MAX_OIDC_STATE_BYTES: usize = 512;
/// The longest `redirect_uri` an authorization request may carry, in bytes **(our
/// choice)**; a longer one is refused with the error page.
pub const MAX_OIDC_REDIRECT_URI_BYTES: usize = 1_024;

/// How the id_token of the next authorization code exchange is spoiled, for testing a
/// client's checks (OpenID Connect Core 1.0 section 3.1.3.7). Each applies to one
/// exchange; several queue in order.
///
/// ```
/// use authing_emulator::{Emulator, IdTokenTamper};
/// let emulator = Emulator::start()?;
/// emulator.tamper_next_id_token(IdTokenTamper::WrongAudience);
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTokenTamper {
    /// The signature is not the key's (one byte of it flipped).
    BadSignature,
    /// `aud` names another app (`another-app`).
    WrongAudience,
    /// `exp` is an hour before the emulator's clock, `iat` two hours before.
    Expired,
    /// `nonce` is not the one the authorization request sent.
    WrongNonce,
    /// `iss` is another issuer (`https://issuer.invalid/oidc`).
    WrongIssuer,
}

impl IdTokenTamper {
    /// The admin API's name of it: `bad-signature`, `wrong-audience`, `expired`,
    /// `wrong-nonce`, `wrong-issuer`.
    ///
    /// ```
    /// use authing_emulator::IdTokenTamper;
    /// assert_eq!(IdTokenTamper::WrongNonce.as_str(), "wrong-nonce");
    /// assert_eq!(IdTokenTamper::from_name("expired"), Some(IdTokenTamper::Expired));
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            IdTokenTamper::BadSignature => "bad-signature",
            IdTokenTamper::WrongAudience => "wrong-audience",
            IdTokenTamper::Expired => "expired",
            IdTokenTamper::WrongNonce => "wrong-nonce",
            IdTokenTamper::WrongIssuer => "wrong-issuer",
        }
    }

    /// The tampering an admin API name stands for.
    ///
    /// ```
    /// assert_eq!(authing_emulator::IdTokenTamper::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<IdTokenTamper> {
        [
            IdTokenTamper::BadSignature,
            IdTokenTamper::WrongAudience,
            IdTokenTamper::Expired,
            IdTokenTamper::WrongNonce,
            IdTokenTamper::WrongIssuer,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }
}

/// A browser session of the hosted login page, as the admin API shows it.
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// for session in emulator.oidc_sessions() {
///     println!("{} {} active: {}", session.sid, session.user_id, session.active);
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcSession {
    /// The session id: the id_token's `sid`, and the browser's cookie.
    pub sid: String,
    /// The signed-in user.
    pub user_id: String,
    /// False once `/oidc/session/end` ended it.
    pub active: bool,
}

/// Whether `verifier` has the form RFC 7636 §4.1 gives a `code_verifier` (and so a plain
/// `code_challenge`): 43 to 128 characters, each of `A-Z a-z 0-9 - . _ ~`.
pub(crate) fn is_pkce_verifier(verifier: &str) -> bool {
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || b"-._~".contains(&b);
    verifier.len() >= 43 && verifier.len() <= 128 && verifier.bytes().all(unreserved)
}

/// The PKCE challenge an authorization request sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub(crate) value: String,
    /// `S256` or `plain`.
    pub(crate) method: String,
}

/// What an authorization request asked, kept while its pages are shown.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scope: String,
    pub(crate) state: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) challenge: Option<Challenge>,
}

/// A sign-in page in progress.
struct Interaction {
    request: Request,
    /// The signed-in user and browser session, once the password was right.
    signed_in: Option<(String, String)>,
    expires_at: SystemTime,
    /// The order of opening, for forgetting the oldest at the cap.
    seq: u64,
}

/// An authorization code.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub(crate) request: Request,
    pub(crate) user: String,
    pub(crate) sid: String,
    expires_at: SystemTime,
    used: bool,
    /// The tokens issued for it, revoked if it is replayed.
    issued: Vec<String>,
    /// The order of issue, for forgetting the oldest at the cap.
    seq: u64,
}

/// Why a code was refused at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeError {
    Unknown,
    Expired,
    /// Used before: the tokens issued for it have been revoked (RFC 6749 section 4.1.2).
    Replayed,
}

struct BrowserSession {
    user: String,
    active: bool,
}

/// Everything the code flow remembers.
#[derive(Default)]
pub(crate) struct OidcState {
    interactions: HashMap<String, Interaction>,
    codes: HashMap<String, Code>,
    sessions: Vec<(String, BrowserSession)>,
    tamper: VecDeque<IdTokenTamper>,
    /// The next `seq` of an interaction or a code.
    next_seq: u64,
}

impl OidcState {
    /// Opens a sign-in page for `request`; its id.
    pub(crate) fn open(&mut self, request: Request, now: SystemTime) -> String {
        self.interactions.retain(|_, i| now < i.expires_at);
        while self.interactions.len() >= MAX_OIDC_INTERACTIONS {
            let oldest = self
                .interactions
                .iter()
                .min_by_key(|(_, i)| i.seq)
                .map(|(uid, _)| uid.clone());
            match oldest {
                Some(uid) => self.interactions.remove(&uid),
                None => break,
            };
        }
        let uid = random::token();
        let seq = self.seq();
        self.interactions.insert(
            uid.clone(),
            Interaction {
                request,
                signed_in: None,
                expires_at: now + INTERACTION_TTL,
                seq,
            },
        );
        uid
    }

    /// The request of a sign-in page still open.
    pub(crate) fn interaction(&self, uid: &str, now: SystemTime) -> Option<&Request> {
        self.interactions
            .get(uid)
            .filter(|i| now < i.expires_at)
            .map(|i| &i.request)
    }

    /// The user and session of a sign-in page whose password was right.
    pub(crate) fn signed_in(&self, uid: &str, now: SystemTime) -> Option<(String, String)> {
        self.interactions
            .get(uid)
            .filter(|i| now < i.expires_at)
            .and_then(|i| i.signed_in.clone())
    }

    /// Signs `user` in on the page `uid`, in the browser session `sid` (a new one when
    /// `None` or no longer active); the session id.
    pub(crate) fn sign_in(&mut self, uid: &str, user: &str, sid: Option<&str>) -> Option<String> {
        let reuse = sid.filter(|sid| self.active_session(sid) == Some(user));
        let sid = match reuse {
            Some(sid) => sid.to_string(),
            None => {
                let sid = random::token();
                self.sessions.push((
                    sid.clone(),
                    BrowserSession {
                        user: user.to_string(),
                        active: true,
                    },
                ));
                sid
            }
        };
        let interaction = self.interactions.get_mut(uid)?;
        interaction.signed_in = Some((user.to_string(), sid.clone()));
        Some(sid)
    }

    /// Closes the page `uid`: consent was given or refused.
    pub(crate) fn close(&mut self, uid: &str) -> Option<Request> {
        self.interactions.remove(uid).map(|i| i.request)
    }

    /// The user of an active browser session.
    pub(crate) fn active_session(&self, sid: &str) -> Option<&str> {
        self.sessions
            .iter()
            .find(|(id, s)| id == sid && s.active)
            .map(|(_, s)| s.user.as_str())
    }

    /// Ends the browser session `sid`; whether it was active.
    pub(crate) fn end_session(&mut self, sid: &str) -> bool {
        match self.sessions.iter_mut().find(|(id, _)| id == sid) {
            Some((_, session)) if session.active => {
                session.active = false;
                true
            }
            _ => false,
        }
    }

    /// Every browser session, oldest first.
    pub(crate) fn sessions(&self) -> Vec<OidcSession> {
        self.sessions
            .iter()
            .map(|(sid, s)| OidcSession {
                sid: sid.clone(),
                user_id: s.user.clone(),
                active: s.active,
            })
            .collect()
    }

    /// Issues a code for `request`, signed in as `user` in session `sid`.
    pub(crate) fn issue_code(
        &mut self,
        request: Request,
        user: String,
        sid: String,
        now: SystemTime,
    ) -> String {
        self.codes.retain(|_, c| now < c.expires_at);
        while self.codes.len() >= MAX_OIDC_CODES {
            let oldest = self
                .codes
                .iter()
                .min_by_key(|(_, c)| c.seq)
                .map(|(code, _)| code.clone());
            match oldest {
                Some(code) => self.codes.remove(&code),
                None => break,
            };
        }
        let code = random::token();
        let seq = self.seq();
        self.codes.insert(
            code.clone(),
            Code {
                request,
                user,
                sid,
                expires_at: now + CODE_TTL,
                used: false,
                issued: Vec::new(),
                seq,
            },
        );
        code
    }

    /// Spends `code`: its record the first time; after that, the tokens issued for it,
    /// to revoke, with [`CodeError::Replayed`].
    pub(crate) fn spend(
        &mut self,
        code: &str,
        now: SystemTime,
    ) -> Result<Code, (CodeError, Vec<String>)> {
        let record = self
            .codes
            .get_mut(code)
            .ok_or((CodeError::Unknown, Vec::new()))?;
        if record.used {
            return Err((CodeError::Replayed, std::mem::take(&mut record.issued)));
        }
        record.used = true;
        if now >= record.expires_at {
            return Err((CodeError::Expired, Vec::new()));
        }
        Ok(record.clone())
    }

    /// Remembers the tokens issued for `code`, to revoke them if it is replayed.
    pub(crate) fn record_issued(&mut self, code: &str, tokens: Vec<String>) {
        if let Some(record) = self.codes.get_mut(code) {
            record.issued = tokens;
        }
    }

    /// Queues a tampering of the next id_token.
    pub(crate) fn push_tamper(&mut self, tamper: IdTokenTamper) {
        self.tamper.push_back(tamper);
    }

    /// The tampering of this exchange's id_token, if one is queued.
    pub(crate) fn take_tamper(&mut self) -> Option<IdTokenTamper> {
        self.tamper.pop_front()
    }

    /// `(sign-in pages, codes)` kept now, expired ones not yet forgotten included.
    pub(crate) fn stored(&self) -> (usize, usize) {
        (self.interactions.len(), self.codes.len())
    }

    fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request {
            client_id: "app".into(),
            redirect_uri: "http://127.0.0.1:1/cb".into(),
            scope: "openid".into(),
            state: Some("s".into()),
            nonce: None,
            challenge: None,
        }
    }

    #[test]
    fn a_code_is_single_use_and_a_replay_hands_back_what_to_revoke() {
        let now = SystemTime::now();
        let mut state = OidcState::default();
        let code = state.issue_code(request(), "u".into(), "sid".into(), now);
        assert!(state.spend(&code, now).is_ok());
        state.record_issued(&code, vec!["t1".into()]);
        let (why, revoke) = state.spend(&code, now).unwrap_err();
        assert_eq!(why, CodeError::Replayed);
        assert_eq!(revoke, vec!["t1".to_string()]);
        assert_eq!(state.spend("nope", now).unwrap_err().0, CodeError::Unknown);
    }

    #[test]
    fn a_code_expires_on_the_given_clock() {
        let now = SystemTime::now();
        let mut state = OidcState::default();
        let code = state.issue_code(request(), "u".into(), "sid".into(), now);
        let later = now + CODE_TTL;
        assert_eq!(state.spend(&code, later).unwrap_err().0, CodeError::Expired);
    }

    #[test]
    fn pages_and_codes_past_their_caps_forget_the_oldest() {
        let now = SystemTime::now();
        let mut state = OidcState::default();
        let first_page = state.open(request(), now);
        let first_code = state.issue_code(request(), "u".into(), "sid".into(), now);
        for _ in 0..MAX_OIDC_INTERACTIONS.max(MAX_OIDC_CODES) + 3 {
            state.open(request(), now);
            state.issue_code(request(), "u".into(), "sid".into(), now);
        }
        assert_eq!(state.stored(), (MAX_OIDC_INTERACTIONS, MAX_OIDC_CODES));
        assert!(state.interaction(&first_page, now).is_none());
        assert_eq!(
            state.spend(&first_code, now).unwrap_err().0,
            CodeError::Unknown
        );
        let newest_page = state.open(request(), now);
        let newest_code = state.issue_code(request(), "u".into(), "sid".into(), now);
        assert!(state.interaction(&newest_page, now).is_some());
        assert!(state.spend(&newest_code, now).is_ok());
        assert_eq!(state.stored(), (MAX_OIDC_INTERACTIONS, MAX_OIDC_CODES));
    }

    #[test]
    fn an_ended_session_is_not_reused_by_a_new_sign_in() {
        let now = SystemTime::now();
        let mut state = OidcState::default();
        let uid = state.open(request(), now);
        let sid = state.sign_in(&uid, "u", None).unwrap();
        assert_eq!(state.active_session(&sid), Some("u"));
        assert!(state.end_session(&sid));
        assert!(!state.end_session(&sid));
        let uid = state.open(request(), now);
        let again = state.sign_in(&uid, "u", Some(&sid)).unwrap();
        assert_ne!(again, sid);
    }
}
