//! Whom a code goes to: a phone number with its country code, or an email; how the
//! emulator reads them from requests, and how a query names one.

/// Whom a code goes to: a phone (country code always with `+`) or a lowercase email.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) enum Target {
    Phone { cc: String, number: String },
    Email(String),
}

impl Target {
    /// A phone target; `None` when the number or country code is not valid. The country
    /// code may come with or without `+` (`"86"` is `+86`, as Android lets it through),
    /// and means `+86` when left out or blank.
    pub(crate) fn phone(cc: Option<&str>, number: &str) -> Option<Target> {
        let cc = cc.map(str::trim).filter(|c| !c.is_empty()).unwrap_or("+86");
        let digits = cc.strip_prefix('+').unwrap_or(cc);
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number = number.trim();
        if number.len() < 4 || number.len() > 20 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Target::Phone {
            cc: format!("+{digits}"),
            number: number.to_owned(),
        })
    }

    /// An email target; `None` when the address is not valid.
    pub(crate) fn email(email: &str) -> Option<Target> {
        let email = email.trim();
        let (local, domain) = email.split_once('@')?;
        let valid = !local.is_empty()
            && email.len() <= 254
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(char::is_whitespace);
        valid.then(|| Target::Email(email.to_lowercase()))
    }

    /// Whether `query` names this target: the email in any case, or the phone number
    /// with or without its country code.
    pub(crate) fn matches(&self, query: &str) -> bool {
        let query = query.trim();
        match self {
            Target::Email(e) => e.eq_ignore_ascii_case(query) || *e == query.to_lowercase(),
            Target::Phone { cc, number } => {
                query == number || query.strip_prefix(cc.as_str()) == Some(number.as_str())
            }
        }
    }

    /// How the target is printed: the email, or the country code and number.
    pub(crate) fn display(&self) -> String {
        match self {
            Target::Email(e) => e.clone(),
            Target::Phone { cc, number } => format!("{cc}{number}"),
        }
    }
}
