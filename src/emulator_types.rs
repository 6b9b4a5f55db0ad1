//! The SDK's wire words as the emulator's (feature `emulator`): `From` (SDK to emulator)
//! and `PartialEq` (both ways) between [`FactorType`], [`ResourceType`], [`Action`], [`QrCodeStatus`],
//! [`PushCodeAction`] and [`PushCodeStatus`] and the
//! emulator crate's own types of the same names.
//!
//! The emulator depends on no part of the SDK, so it declares these words itself; these
//! impls keep code written when it lived inside this crate compiling: an SDK value passed
//! where the emulator takes its own (`NewResource::new("r", authing::ResourceType::API)`),
//! and an emulator value compared with an SDK one
//! (`assert_eq!(info.status, authing::QrCodeStatus::AUTHORIZED)`).
//!
//! ```
//! use authing::emulator::{AppMfaPolicy, NewResource};
//! use authing::{FactorType, ResourceType};
//!
//! let policy = AppMfaPolicy::required(&[FactorType::OTP]);
//! assert_eq!(policy.factors, vec![FactorType::OTP]);
//! let _resource = NewResource::new("reports", ResourceType::DATA);
//! ```

use crate::{Action, FactorType, PushCodeAction, PushCodeStatus, QrCodeStatus, ResourceType};
use authing_emulator as emulator;

/// `From` (SDK to emulator) and `PartialEq` both ways between an SDK word type and the emulator's
/// type of the same name, variant by variant (a variant missing on one side fails to
/// compile).
macro_rules! same_words {
    ($($name:ident { $($word:ident),+ $(,)? })+) => {$(
        impl From<$name> for emulator::$name {
            fn from(value: $name) -> emulator::$name {
                match value {
                    $( $name::$word => emulator::$name::$word, )+
                }
            }
        }

        impl PartialEq<$name> for emulator::$name {
            fn eq(&self, other: &$name) -> bool {
                *self == emulator::$name::from(*other)
            }
        }

        impl PartialEq<emulator::$name> for $name {
            fn eq(&self, other: &emulator::$name) -> bool {
                emulator::$name::from(*self) == *other
            }
        }
    )+};
}

same_words! {
    FactorType { SMS, EMAIL, OTP, FACE }
    ResourceType { DATA, API, MENU, BUTTON, UI }
    Action { SCAN, CONFIRM, CANCEL }
    QrCodeStatus { PENDING, SCANNED, AUTHORIZED, CANCELLED, EXPIRED, ERROR }
    PushCodeAction { CONFIRM, CANCEL }
    PushCodeStatus { PUSHED, AUTHORIZED, CANCELLED, EXPIRED, ERROR }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_crosses_over_and_back_under_the_same_spelling() {
        for kind in FactorType::ALL {
            let there = emulator::FactorType::from(*kind);
            assert_eq!(there.as_str(), kind.as_str());
            assert!(*kind == there);
        }
        for kind in ResourceType::ALL {
            assert_eq!(emulator::ResourceType::from(*kind).as_str(), kind.as_str());
        }
        for action in Action::ALL {
            assert_eq!(emulator::Action::from(*action).as_str(), action.as_str());
        }
        for status in QrCodeStatus::ALL {
            assert_eq!(
                emulator::QrCodeStatus::from(*status).as_str(),
                status.as_str()
            );
            assert!(emulator::QrCodeStatus::from(*status) == *status);
        }
        assert_eq!(FactorType::ALL.len(), emulator::FactorType::ALL.len());
        assert_eq!(ResourceType::ALL.len(), emulator::ResourceType::ALL.len());
        assert_eq!(Action::ALL.len(), emulator::Action::ALL.len());
        assert_eq!(QrCodeStatus::ALL.len(), emulator::QrCodeStatus::ALL.len());
        for status in PushCodeStatus::ALL {
            assert!(emulator::PushCodeStatus::from(*status) == *status);
        }
        assert_eq!(
            PushCodeStatus::ALL.len(),
            emulator::PushCodeStatus::ALL.len()
        );
        assert_eq!(
            PushCodeAction::ALL.len(),
            emulator::PushCodeAction::ALL.len()
        );
    }
}
