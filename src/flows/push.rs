//! The desktop's push sign-in flow behind `AuthClient::sign_in_by_push`: push the sign-in
//! request to the user's phone, then the polling engine (`poll.rs`) checks it until a final
//! status; at `AUTHORIZED` the tokens the status answer carries start the session.

use crate::client::AuthClient;
use crate::dispatch::slot::CancelCheck;
use crate::error::AuthError;
use crate::flows::poll::{self, Cancel, Listener, Polled, Timing, Verdict};
use crate::model::{PushCode, PushCodeState, PushCodeStatus, PushCodeUpdate, PushSignInOptions};
use crate::response::AuthResponse;
use crate::validate;

/// The longest account accepted (as `gene_push_code` checks it).
const MAX_ACCOUNT_LEN: usize = 256;

/// What the engine polls: a push the server sent.
struct PushFlow {
    code: PushCode,
}

impl Polled for PushFlow {
    type Status = PushCodeStatus;
    type State = PushCodeState;
    type Update = PushCodeUpdate;

    fn first_status(&self) -> PushCodeStatus {
        PushCodeStatus::PUSHED
    }

    fn check(&self, client: &AuthClient) -> AuthResponse {
        client.check_push_code_status_blocking(self.code.push_code_id())
    }

    fn read(&self, answer: &AuthResponse) -> Result<PushCodeState, AuthError> {
        answer.push_code_state()
    }

    fn status(&self, state: &PushCodeState) -> PushCodeStatus {
        state.status()
    }

    fn update(&self, state: &PushCodeState) -> PushCodeUpdate {
        PushCodeUpdate::checked(&self.code, state)
    }

    fn verdict(&self, status: PushCodeStatus) -> Verdict {
        match status {
            PushCodeStatus::PUSHED => Verdict::Wait,
            PushCodeStatus::AUTHORIZED => Verdict::Authorized,
            PushCodeStatus::CANCELLED => Verdict::Refused("the user refused on the phone"),
            PushCodeStatus::EXPIRED => {
                Verdict::Refused("the push expired before the user approved it")
            }
            PushCodeStatus::ERROR => Verdict::Refused("the server reported an error for the push"),
        }
    }

    /// The push is authorized: the tokens of the status answer (the spec sends them there,
    /// there is no ticket to exchange), then the session.
    fn finish(
        &self,
        client: &AuthClient,
        answer: &AuthResponse,
        state: &PushCodeState,
        cancel: &Cancel<'_>,
    ) -> AuthResponse {
        let Some(token_set) = state.token_set() else {
            let error = AuthError::UnexpectedResponse {
                reason: format!(
                    "push {} is authorized but the answer has no tokenSet",
                    self.code.push_code_id()
                ),
            };
            return poll::unexpected(error, answer);
        };
        let mut tokens = answer.clone();
        tokens.data = Some(token_set.clone());
        poll::start_session_unless_cancelled(client, tokens, cancel)
    }

    fn not_authorized(&self, status: PushCodeStatus, reason: String) -> AuthError {
        AuthError::PushNotAuthorized { status, reason }
    }
}

impl AuthClient {
    /// The flow of `sign_in_by_push` and its blocking twin (`cancel` is `None` there).
    pub(crate) fn sign_in_by_push_with(
        &self,
        account: &str,
        options: Option<PushSignInOptions>,
        mut listener: Listener<'_, PushCodeUpdate>,
        cancel: Option<&CancelCheck<'_>>,
    ) -> AuthResponse {
        let cancel = Cancel(cancel);
        let options = options.unwrap_or_default();
        let input = || {
            validate::text("account", Some(account), MAX_ACCOUNT_LEN)?;
            options.check()
        };
        if let Some(refused) = poll::preflight(self, input) {
            return refused;
        }
        let pushed = self.gene_push_code_blocking(account, options.auth_options().cloned());
        let code = match pushed.push_code() {
            Ok(code) => code,
            Err(error) => return poll::unexpected(error, &pushed),
        };
        let first = PushCodeUpdate::pushed(&code);
        let timing = Timing {
            interval: options.interval(),
            timeout: options.timeout(),
        };
        poll::run(
            self,
            &PushFlow { code },
            first,
            timing,
            &mut listener,
            &cancel,
        )
    }
}
