//! [`OptionalText`]: the forms an optional text argument takes.

/// An optional text argument, such as the `phone_country_code` of
/// [`AuthClient::send_sms`](crate::AuthClient::send_sms): give the text in whatever form you
/// hold it, or no text.
///
/// Implemented for `&str`, `&String`, `String`, `Option<&str>` and `&Option<String>`, and
/// sealed: the SDK decides what it accepts. Exactly one `Option` type is accepted by value,
/// so that a bare `None` (no text: the most common call) compiles as it is; an
/// `Option<String>` is passed by reference (`&maybe`) or as `maybe.as_deref()`.
///
/// ```no_run
/// use authing::{AuthClient, SmsType};
///
/// let client = AuthClient::new();
/// let typed: String = String::from("+86"); // from a form field, say
/// let maybe: Option<String> = std::env::var("PHONE_COUNTRY_CODE").ok();
/// client.send_sms_blocking("+86", "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
/// client.send_sms_blocking(&typed, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
/// client.send_sms_blocking(typed, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
/// client.send_sms_blocking(&maybe, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
/// client.send_sms_blocking(maybe.as_deref(), "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
/// client.send_sms_blocking(None, "18812345678", SmsType::CHANNEL_RESET_PASSWORD);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an optional text the SDK takes",
    note = "pass a `&str`, `&String`, `String`, `Option<&str>` or `&Option<String>` (an `Option<String>` by reference: `&maybe`, or `maybe.as_deref()`)"
)]
pub trait OptionalText: sealed::Sealed {}

pub(crate) mod sealed {
    /// The conversion behind [`OptionalText`](super::OptionalText), out of users' reach.
    pub trait Sealed {
        /// The text, if any, owned.
        fn into_text(self) -> Option<String>;
    }
}

/// `value` as an owned optional text.
pub(crate) fn into_text(value: impl OptionalText) -> Option<String> {
    sealed::Sealed::into_text(value)
}

macro_rules! optional_text {
    ($($ty:ty => |$v:ident| $body:expr;)+) => {
        $(
            impl OptionalText for $ty {}
            impl sealed::Sealed for $ty {
                fn into_text(self) -> Option<String> {
                    let $v = self;
                    $body
                }
            }
        )+
    };
}

optional_text! {
    &str => |v| Some(v.to_owned());
    &String => |v| Some(v.clone());
    String => |v| Some(v);
    Option<&str> => |v| v.map(str::to_owned);
    &Option<String> => |v| v.clone();
}
