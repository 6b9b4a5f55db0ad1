//! The desktop's QR sign-in flow behind `AuthClient::sign_in_by_qr_code`: generate the
//! code, then the polling engine (`poll.rs`) checks it until a final status; at
//! `AUTHORIZED` the ticket is exchanged (or the tokens sent in the status answer are taken)
//! and the session starts.

use crate::client::AuthClient;
use crate::dispatch::slot::CancelCheck;
use crate::error::AuthError;
use crate::flows::poll::{self, Cancel, Listener, Polled, Timing, Verdict};
use crate::model::{QrCode, QrCodeSignInOptions, QrCodeState, QrCodeStatus, QrCodeUpdate};
use crate::response::AuthResponse;

/// What the engine polls: a generated QR code.
struct QrFlow {
    code: QrCode,
}

impl Polled for QrFlow {
    type Status = QrCodeStatus;
    type State = QrCodeState;
    type Update = QrCodeUpdate;

    fn first_status(&self) -> QrCodeStatus {
        QrCodeStatus::PENDING
    }

    fn check(&self, client: &AuthClient) -> AuthResponse {
        client.check_qr_code_status_blocking(self.code.qrcode_id())
    }

    fn read(&self, answer: &AuthResponse) -> Result<QrCodeState, AuthError> {
        answer.qr_code_state()
    }

    fn status(&self, state: &QrCodeState) -> QrCodeStatus {
        state.status()
    }

    fn update(&self, state: &QrCodeState) -> QrCodeUpdate {
        QrCodeUpdate::checked(&self.code, state)
    }

    fn verdict(&self, status: QrCodeStatus) -> Verdict {
        match status {
            QrCodeStatus::PENDING | QrCodeStatus::SCANNED => Verdict::Wait,
            QrCodeStatus::AUTHORIZED => Verdict::Authorized,
            QrCodeStatus::CANCELLED => Verdict::Refused("the user cancelled on the phone"),
            QrCodeStatus::EXPIRED => {
                Verdict::Refused("the qr code expired before the user confirmed it")
            }
            QrCodeStatus::ERROR => Verdict::Refused("the server reported an error for the qr code"),
        }
    }

    /// The code is authorized: its tokens (exchanged for the ticket, or sent in the status
    /// answer), then the session.
    fn finish(
        &self,
        client: &AuthClient,
        answer: &AuthResponse,
        state: &QrCodeState,
        cancel: &Cancel<'_>,
    ) -> AuthResponse {
        let signed_in = match (state.ticket(), state.token_set()) {
            (Some(ticket), _) => client.exchange_ticket(ticket, None, None),
            (None, Some(token_set)) => {
                let mut tokens = answer.clone();
                tokens.data = Some(token_set.clone());
                tokens
            }
            (None, None) => {
                let error = AuthError::UnexpectedResponse {
                    reason: format!(
                        "qr code {} is authorized but the answer has no ticket or tokenSet",
                        self.code.qrcode_id()
                    ),
                };
                return poll::unexpected(error, answer);
            }
        };
        poll::start_session_unless_cancelled(client, signed_in, cancel)
    }

    fn not_authorized(&self, status: QrCodeStatus, reason: String) -> AuthError {
        AuthError::QrCodeNotAuthorized { status, reason }
    }
}

impl AuthClient {
    /// The flow of `sign_in_by_qr_code` and its blocking twin (`cancel` is `None` there).
    pub(crate) fn sign_in_by_qr_code_with(
        &self,
        options: Option<QrCodeSignInOptions>,
        mut listener: Listener<'_, QrCodeUpdate>,
        cancel: Option<&CancelCheck<'_>>,
    ) -> AuthResponse {
        let cancel = Cancel(cancel);
        let options = options.unwrap_or_default();
        if let Some(refused) = poll::preflight(self, || options.check()) {
            return refused;
        }
        let generated = self.gene_qr_code_blocking(options.custom_data().cloned());
        let code = match generated.qr_code() {
            Ok(code) => code,
            Err(error) => return poll::unexpected(error, &generated),
        };
        let first = QrCodeUpdate::generated(&code);
        let timing = Timing {
            interval: options.interval(),
            timeout: options.timeout(),
        };
        poll::run(
            self,
            &QrFlow { code },
            first,
            timing,
            &mut listener,
            &cancel,
        )
    }
}
