//! The macros that write the Java-style accessors of the payloads, so their shape is
//! written once:
//! - `text_accessors!`: the setter and getter of optional text fields (`set_email(..)`,
//!   `email()`), each with its Java name and a doctest; used by
//!   [`ResetPasswordPayload`](crate::ResetPasswordPayload),
//!   [`DeleteAccountPayload`](crate::DeleteAccountPayload),
//!   [`FactorProfile`](crate::FactorProfile), [`AuthOptions`](crate::AuthOptions) and
//!   `profile_fields!`;
//! - `profile_fields!`: the struct, accessors, checked JSON and secret-free `Debug` of a
//!   profile made of optional text fields plus custom data. [`Profile`](crate::Profile)
//!   (`update_profile`) and [`AuthProfile`](crate::AuthProfile) (sign-up) are two of the
//!   spec's DTOs with different fields.
//!
//! The invoking module provides `check(field, Check::Kind, value)` and the `Check` enum
//! the rows name, and `object` (the custom data's check) is taken from `signin`.

/// Writes, for each row of optional text field `$field` of `$name` (an `Option<String>`),
/// the setter `$setter(impl Into<String>) -> &mut Self` and the getter
/// `$field() -> Option<&str>`. Their docs say "Sets the `$what`" and "The `$what`", name
/// the Java methods `set$java`/`get$java`, add the row's own doc lines to the setter, and
/// hold one doctest each (`$example` is what the setter's doctest sets).
macro_rules! text_accessors {
    (
        $name:ident;
        $( $(#[$extra:meta])* $field:ident, $setter:ident, $java:literal, $example:literal, $what:literal; )*
    ) => {
        impl $name {
            $(
                #[doc = concat!("Sets the ", $what, " (Java: `set", $java, "`).")]
                $(#[$extra])*
                #[doc = ""]
                #[doc = "```"]
                #[doc = concat!("authing::", stringify!($name), "::new().", stringify!($setter), "(\"", $example, "\");")]
                #[doc = "```"]
                pub fn $setter(&mut self, $field: impl Into<String>) -> &mut Self {
                    self.$field = Some($field.into());
                    self
                }

                #[doc = concat!("The ", $what, " (Java: `get", $java, "`).")]
                #[doc = ""]
                #[doc = "```"]
                #[doc = concat!("assert_eq!(authing::", stringify!($name), "::new().", stringify!($field), "(), None);")]
                #[doc = "```"]
                pub fn $field(&self) -> Option<&str> {
                    self.$field.as_deref()
                }
            )*
        }
    };
}

pub(crate) use text_accessors;

/// Defines `$name` with one `Option<String>` per row, `custom_data`, and:
/// `new`, `set_*`/getters with Java names in their docs, `set_custom_data`/`custom_data`,
/// `checked_fields` (the fields set, checked, by their wire names, plus `customData`), and
/// a `Debug` that shows the `$hidden` fields as redacted and the custom data's secrets hidden.
macro_rules! profile_fields {
    (
        $(#[$meta:meta])*
        $name:ident, hidden $hidden:expr;
        $( $field:ident, $setter:ident, $wire:literal, $java:literal, $check:ident, $example:literal, $what:literal; )*
    ) => {
        $(#[$meta])*
        #[derive(Clone, Default, PartialEq)]
        pub struct $name {
            $( $field: Option<String>, )*
            custom_data: Option<serde_json::Value>,
        }

        impl $name {
            #[doc = concat!("An empty profile (Java: `new ", stringify!($name), "()`): set what it should hold.")]
            #[doc = ""]
            #[doc = "```"]
            #[doc = concat!("let profile = authing::", stringify!($name), "::new();")]
            #[doc = "assert_eq!(profile.nickname(), None);"]
            #[doc = "```"]
            pub fn new() -> $name {
                $name::default()
            }

            /// Sets the user's custom data, a JSON object (Java: `setCustomData`; sent as
            /// `customData`). Authing keeps only the keys the user pool defines; the
            /// emulator keeps every key.
            ///
            /// ```
            #[doc = concat!("authing::", stringify!($name), "::new().set_custom_data(serde_json::json!({\"team\": \"blue\"}));")]
            /// ```
            pub fn set_custom_data(&mut self, custom_data: impl Into<serde_json::Value>) -> &mut Self {
                self.custom_data = Some(custom_data.into());
                self
            }

            /// The custom data (Java: `getCustomData`).
            ///
            /// ```
            #[doc = concat!("assert!(authing::", stringify!($name), "::new().custom_data().is_none());")]
            /// ```
            pub fn custom_data(&self) -> Option<&serde_json::Value> {
                self.custom_data.as_ref()
            }

            /// The fields set, checked, by their spec names, and `customData`.
            fn checked_fields(
                &self,
            ) -> Result<serde_json::Map<String, serde_json::Value>, crate::error::InputError> {
                let mut map = serde_json::Map::new();
                $(
                    if let Some(value) = self.$field.as_deref() {
                        let value = check(concat!("profile.", stringify!($field)), Check::$check, value)?;
                        map.insert($wire.to_string(), serde_json::Value::String(value.to_string()));
                    }
                )*
                let custom = crate::model::signin::object("profile.custom_data", self.custom_data.as_ref())?;
                if let Some(custom) = custom {
                    map.insert("customData".to_string(), custom.clone());
                }
                Ok(map)
            }
        }

        crate::model::accessors::text_accessors! {
            $name;
            $(
                #[doc = ""]
                #[doc = concat!("Sent as `", $wire, "`.")]
                $field, $setter, $java, $example, $what;
            )*
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut s = f.debug_struct(stringify!($name));
                $(
                    if let Some(value) = &self.$field {
                        if $hidden.contains(&stringify!($field)) {
                            s.field(stringify!($field), &format_args!("{}", crate::redact::REDACTED));
                        } else {
                            s.field(stringify!($field), value);
                        }
                    }
                )*
                if let Some(custom) = &self.custom_data {
                    s.field("custom_data", &crate::redact::RedactedJson(custom));
                }
                s.finish()
            }
        }
    };
}

pub(crate) use profile_fields;
