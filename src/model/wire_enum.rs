//! `wire_enum!`: the enums of Java's string constants, whose one public name is the value
//! on the wire ([`SmsType`](crate::SmsType), [`EmailType`](crate::EmailType),
//! [`Action`](crate::Action), [`QrCodeStatus`](crate::QrCodeStatus)), written once.

/// Declares an enum whose variants are the wire's constants, spelled as Java spells them
/// (their one public name), with `ALL`, `as_str`, `from_wire`, `Debug` and `Display`; and
/// `Serialize` (as the wire name) when the name is followed by `: Serialize`.
macro_rules! wire_enum {
    (@Serialize $name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
    (
        $(#[$meta:meta])*
        $name:ident $(: $derive:ident)? { $( $(#[$vmeta:meta])* $wire:ident ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $wire, )+
        }

        impl $name {
            /// Every value, in the order of Authing's documentation.
            pub const ALL: &'static [$name] = &[$($name::$wire),+];

            /// The name on the wire, which is also the constant's name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$wire => stringify!($wire), )+
                }
            }

            /// The value whose wire name is `text` (exact spelling).
            #[allow(dead_code)]
            pub(crate) fn from_wire(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $( crate::model::wire_enum::wire_enum!(@$derive $name); )?
    };
}

pub(crate) use wire_enum;
