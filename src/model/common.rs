//! The typed answer of `get_country_list`: [`Country`], the spec's `CountryDetailInfo`.

use serde::Deserialize;
use serde_json::Value;

use crate::client::config::Lang;
use crate::error::AuthError;
use crate::response::AuthResponse;

/// One country of `get_country_list` (the spec's `CountryDetailInfo`): its ISO 3166 codes,
/// its phone country code, its flag, and its name in the languages the server has.
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_country_list_blocking();
/// for country in response.country_list()? {
///     println!("{} {} {}", country.flag(), country.phone_country_code(),
///         country.name(authing::Lang::EnUs).unwrap_or(country.alpha2()));
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Country {
    alpha2: String,
    alpha3: String,
    phone_country_code: String,
    flag: String,
    #[serde(default)]
    name: Value,
}

impl Country {
    /// The countries in the envelope's `data` of `response`.
    pub(crate) fn list_from_response(response: &AuthResponse) -> Result<Vec<Country>, AuthError> {
        response.data_as()
    }

    /// The two-letter ISO 3166 code, such as `CN` (`alpha2`).
    ///
    /// ```no_run
    /// # fn f(country: authing::Country) {
    /// println!("{}", country.alpha2());
    /// # }
    /// ```
    pub fn alpha2(&self) -> &str {
        &self.alpha2
    }

    /// The three-letter ISO 3166 code, such as `CHN` (`alpha3`).
    ///
    /// ```no_run
    /// # fn f(country: authing::Country) {
    /// println!("{}", country.alpha3());
    /// # }
    /// ```
    pub fn alpha3(&self) -> &str {
        &self.alpha3
    }

    /// The phone country code, such as `+86`, to pass as `phone_country_code`.
    ///
    /// ```no_run
    /// # fn f(country: authing::Country) {
    /// println!("{}", country.phone_country_code());
    /// # }
    /// ```
    pub fn phone_country_code(&self) -> &str {
        &self.phone_country_code
    }

    /// The flag, as the server sends it (an emoji or an image URL).
    ///
    /// ```no_run
    /// # fn f(country: authing::Country) {
    /// println!("{}", country.flag());
    /// # }
    /// ```
    pub fn flag(&self) -> &str {
        &self.flag
    }

    /// The country's name in `lang`, when the server has one (`name["en-US"].value`).
    ///
    /// ```no_run
    /// # fn f(country: authing::Country) {
    /// println!("{}", country.name(authing::Lang::ZhCn).unwrap_or(country.alpha2()));
    /// # }
    /// ```
    pub fn name(&self, lang: Lang) -> Option<&str> {
        self.name
            .get(lang.as_str())
            .and_then(|unit| unit.get("value"))
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty())
    }
}

// The typed view of `get_country_list`'s answer.
impl AuthResponse {
    /// The typed answer of `get_country_list`.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().get_country_list_blocking();
    /// for country in response.country_list().unwrap_or_default() {
    ///     println!("{} {}", country.alpha2(), country.phone_country_code());
    /// }
    /// ```
    pub fn country_list(&self) -> Result<Vec<Country>, AuthError> {
        Country::list_from_response(self)
    }
}
