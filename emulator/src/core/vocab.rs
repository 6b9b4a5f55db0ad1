//! Words of the wire that the emulator's public API also speaks: MFA factor types,
//! resource types, QR-code and push actions and statuses, password-reset channels, image formats.
//!
//! Written here from the OpenAPI spec of the v3 authentication API (its enums), not taken
//! from the SDK: the emulator judges what the SDK sends. The variants keep the spec's
//! spelling, which is also the SDK's, so code written against the SDK's re-export of this
//! crate reads the same (and the `authing` crate converts its own types into these).

use std::fmt;

/// Declares a public enum whose variants are the spec's words, with `ALL`, `as_str`,
/// `Debug`/`Display` as the word, and a crate-private `from_wire`.
macro_rules! wire_words {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $word:ident ),+ $(,)? }) => {
        $(#[$meta])*
        #[allow(clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $word, )+
        }

        impl $name {
            /// Every value, in the spec's order.
            pub const ALL: &'static [$name] = &[$($name::$word),+];

            /// The word on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$word => stringify!($word), )+
                }
            }

            /// The value spelled exactly `word`.
            #[allow(dead_code)] // not every word is read from the wire
            pub(crate) fn from_wire(word: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == word)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// As its word on the wire (the emulator's state file keeps it so).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// From its word on the wire, spelled exactly.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let word = <String as serde::Deserialize>::deserialize(d)?;
                $name::from_wire(&word).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "unknown {} {word:?}",
                        stringify!($name)
                    ))
                })
            }
        }
    };
}

wire_words! {
    /// An MFA factor type (the spec's `factorType`).
    ///
    /// ```
    /// use authing_emulator::FactorType;
    /// assert_eq!(FactorType::OTP.as_str(), "OTP");
    /// assert_eq!(FactorType::ALL.len(), 4);
    /// ```
    FactorType {
        /// A pass code sent by SMS.
        SMS,
        /// A pass code sent by email.
        EMAIL,
        /// A time-based one-time password from an authenticator app.
        OTP,
        /// Face recognition (the emulator refuses it in a policy).
        FACE,
    }
}

wire_words! {
    /// The kind of a resource a user may be granted (the spec's `resourceType`).
    ///
    /// ```
    /// assert_eq!(authing_emulator::ResourceType::MENU.to_string(), "MENU");
    /// ```
    ResourceType {
        /// Data.
        DATA,
        /// An API endpoint.
        API,
        /// A menu entry.
        MENU,
        /// A button.
        BUTTON,
        /// A piece of user interface.
        UI,
    }
}

wire_words! {
    /// What a phone does to a QR code (the `action` of `change-qrcode-status`).
    ///
    /// ```
    /// assert_eq!(authing_emulator::Action::CONFIRM.as_str(), "CONFIRM");
    /// ```
    Action {
        /// The phone read the code.
        SCAN,
        /// The user agreed to sign the desktop in.
        CONFIRM,
        /// The user refused.
        CANCEL,
    }
}

wire_words! {
    /// Where a QR code is (the `status` of `check-qrcode-status`).
    ///
    /// ```
    /// assert_eq!(authing_emulator::QrCodeStatus::SCANNED.as_str(), "SCANNED");
    /// ```
    QrCodeStatus {
        /// Not scanned yet.
        PENDING,
        /// Scanned, not confirmed or cancelled yet.
        SCANNED,
        /// Confirmed: its ticket can be exchanged for tokens.
        AUTHORIZED,
        /// Cancelled on the phone.
        CANCELLED,
        /// Expired before it was confirmed.
        EXPIRED,
        /// The server's "unknown error".
        ERROR,
    }
}

wire_words! {
    /// What a signed-in phone does to a push (the `action` of `change-pushcode-status`).
    ///
    /// ```
    /// assert_eq!(authing_emulator::PushCodeAction::CANCEL.as_str(), "CANCEL");
    /// ```
    PushCodeAction {
        /// The user approves the sign-in.
        CONFIRM,
        /// The user refuses it.
        CANCEL,
    }
}

wire_words! {
    /// Where a push is (the `status` of `check-pushcode-status`).
    ///
    /// ```
    /// assert_eq!(authing_emulator::PushCodeStatus::PUSHED.as_str(), "PUSHED");
    /// ```
    PushCodeStatus {
        /// Sent to the phone, not answered yet.
        PUSHED,
        /// Approved: the next status check hands over the tokens.
        AUTHORIZED,
        /// Refused on the phone.
        CANCELLED,
        /// Expired before it was answered (or replaced by a newer push).
        EXPIRED,
        /// The server's "unknown error".
        ERROR,
    }
}

/// The `channel`s `send-sms` accepts (the spec's enum of `SendSMSDto.channel`).
pub(crate) const SMS_CHANNELS: &[&str] = &[
    "CHANNEL_LOGIN",
    "CHANNEL_REGISTER",
    "CHANNEL_RESET_PASSWORD",
    "CHANNEL_BIND_PHONE",
    "CHANNEL_UNBIND_PHONE",
    "CHANNEL_BIND_MFA",
    "CHANNEL_VERIFY_MFA",
    "CHANNEL_UNBIND_MFA",
    "CHANNEL_COMPLETE_PHONE",
    "CHANNEL_IDENTITY_VERIFICATION",
    "CHANNEL_DELETE_ACCOUNT",
];

/// The `channel`s `send-email` accepts (the spec's enum of `SendEmailDto.channel`).
pub(crate) const EMAIL_CHANNELS: &[&str] = &[
    "CHANNEL_LOGIN",
    "CHANNEL_REGISTER",
    "CHANNEL_RESET_PASSWORD",
    "CHANNEL_VERIFY_EMAIL_LINK",
    "CHANNEL_UPDATE_EMAIL",
    "CHANNEL_BIND_EMAIL",
    "CHANNEL_UNBIND_EMAIL",
    "CHANNEL_VERIFY_MFA",
    "CHANNEL_UNLOCK_ACCOUNT",
    "CHANNEL_COMPLETE_EMAIL",
    "CHANNEL_DELETE_ACCOUNT",
];

/// The image formats the emulator takes for an avatar, known by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageKind {
    /// The format of `bytes` by its signature: PNG's 8-byte signature, JPEG's SOI marker
    /// and first marker byte, `GIF87a`/`GIF89a`, or a RIFF container of type `WEBP`.
    pub(crate) fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        match bytes {
            [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', ..] => Some(ImageKind::Png),
            [0xff, 0xd8, 0xff, ..] => Some(ImageKind::Jpeg),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(ImageKind::Gif),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => {
                Some(ImageKind::Webp)
            }
            _ => None,
        }
    }

    /// The media type.
    pub(crate) fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The file extension, without its dot.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_through_the_wire() {
        for kind in FactorType::ALL {
            assert_eq!(FactorType::from_wire(kind.as_str()), Some(*kind));
        }
        assert_eq!(Action::from_wire("scan"), None);
        assert_eq!(QrCodeStatus::ALL.len(), 6);
    }

    #[test]
    fn images_are_known_by_their_first_bytes() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ImageKind::Png)
        );
        assert_eq!(
            ImageKind::sniff(&[0xff, 0xd8, 0xff, 0xe0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a.."), Some(ImageKind::Gif));
        assert_eq!(
            ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(ImageKind::sniff(b"hello"), None);
    }
}
