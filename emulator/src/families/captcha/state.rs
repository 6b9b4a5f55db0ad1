//! The captcha family's state: the pool's captcha policy (a setting, kept in the state
//! file), the failed password sign-ins counted per client address, and the captchas
//! issued (minutes long, not kept across a restart).

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::core::random;

/// How long a captcha can be answered **(our choice, after Guard, which fetches a new
/// image once its image is five minutes old)**.
pub const CAPTCHA_TTL: Duration = Duration::from_secs(300);

/// The captchas kept at most; the oldest goes first.
const MAX_CAPTCHAS: usize = 1000;

/// The client addresses whose failures are counted at most; the oldest count goes first.
const MAX_ADDRESSES: usize = 10_000;

/// The letters and digits of an answer: no `0`/`o`, `1`/`l`/`i`, which read alike.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// The length of an answer (the spec's example, `a8nz`, has four).
const ANSWER_LEN: usize = 4;

/// When a password sign-in must carry a captcha (the user pool's "login failure limit"
/// with the security policy "captcha").
///
/// ```
/// use authing_emulator::CaptchaPolicy;
/// assert_eq!(CaptchaPolicy::default(), CaptchaPolicy::Off);
/// assert!(CaptchaPolicy::AfterFailures(3).requires(3));
/// assert!(!CaptchaPolicy::AfterFailures(3).requires(2));
/// assert!(CaptchaPolicy::Always.requires(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "mode", content = "failures", rename_all = "kebab-case")]
pub enum CaptchaPolicy {
    /// Never (the default): `captchaCode` is ignored.
    #[default]
    Off,
    /// Every sign-in by credentials.
    Always,
    /// Once this many sign-ins from one client address have failed (counted until one
    /// from that address succeeds).
    AfterFailures(u32),
}

impl CaptchaPolicy {
    /// Whether a sign-in after `failures` failed ones from its address needs a captcha.
    ///
    /// ```
    /// assert!(!authing_emulator::CaptchaPolicy::Off.requires(100));
    /// ```
    pub fn requires(self, failures: u32) -> bool {
        match self {
            CaptchaPolicy::Off => false,
            CaptchaPolicy::Always => true,
            CaptchaPolicy::AfterFailures(n) => failures >= n,
        }
    }
}

/// A captcha the emulator drew, as the admin API shows it.
///
/// ```
/// use authing_emulator::Emulator;
/// let emulator = Emulator::start()?;
/// let url = format!("{}/api/v3/captcha-code", emulator.base_url());
/// let image = ureq::get(&url).header("x-authing-app-id", emulator.app_id()).call()?;
/// assert_eq!(image.headers()["content-type"], "image/svg+xml");
/// let captcha = emulator.captchas().pop().unwrap();
/// assert_eq!(captcha.answer.len(), 4);
/// assert!(!captcha.spent);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCaptcha {
    /// Its id: the value of the `authing_captcha` cookie the image came with.
    pub id: String,
    /// What the image shows, lowercase (answers are compared in any case).
    pub answer: String,
    /// When it was drawn, in emulator time.
    pub issued_at: SystemTime,
    /// When it can no longer be answered, in emulator time.
    pub expires_at: SystemTime,
    /// Whether a sign-in already answered it (rightly or not): each captcha is tried once.
    pub spent: bool,
}

/// Why a sign-in's captcha was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A captcha is needed and the sign-in carries none.
    Missing,
    /// The answer is wrong, or its captcha unknown, spent or expired.
    Wrong,
}

/// The family's state.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Captchas {
    /// The policy: a setting, kept across restarts.
    pub(crate) policy: CaptchaPolicy,
    /// Failed password sign-ins by client address, since the last success from it.
    #[serde(skip)]
    failures: BTreeMap<String, u32>,
    /// The order the addresses were first counted in, to forget the oldest.
    #[serde(skip)]
    order: VecDeque<String>,
    /// Every captcha drawn, oldest first.
    #[serde(skip)]
    issued: VecDeque<IssuedCaptcha>,
}

impl Captchas {
    /// Draws a new captcha: its id and answer.
    pub(crate) fn issue(&mut self, now: SystemTime) -> IssuedCaptcha {
        let mut raw = [0u8; ANSWER_LEN];
        random::fill(&mut raw);
        let answer = raw
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        let captcha = IssuedCaptcha {
            id: random::token(),
            answer,
            issued_at: now,
            expires_at: now + CAPTCHA_TTL,
            spent: false,
        };
        if self.issued.len() >= MAX_CAPTCHAS {
            self.issued.pop_front();
        }
        self.issued.push_back(captcha.clone());
        captcha
    }

    /// Every captcha drawn since the start or the last reset, oldest first.
    pub(crate) fn issued(&self) -> Vec<IssuedCaptcha> {
        self.issued.iter().cloned().collect()
    }

    /// Whether a sign-in from `address` must carry a captcha.
    pub(crate) fn required(&self, address: &str) -> bool {
        self.policy
            .requires(self.failures.get(address).copied().unwrap_or(0))
    }

    /// Checks a sign-in's captcha: `answer` for the captcha of the cookie `id`. A captcha
    /// is spent by the check, whatever its outcome.
    pub(crate) fn check(
        &mut self,
        id: Option<&str>,
        answer: Option<&str>,
        now: SystemTime,
    ) -> Result<(), Refusal> {
        let answer = answer.map(str::trim).filter(|a| !a.is_empty());
        let Some(answer) = answer else {
            return Err(Refusal::Missing);
        };
        let captcha = id.and_then(|id| self.issued.iter_mut().find(|c| c.id == id));
        let Some(captcha) = captcha else {
            return Err(Refusal::Wrong);
        };
        let usable = !captcha.spent && now < captcha.expires_at;
        captcha.spent = true;
        if usable && captcha.answer.eq_ignore_ascii_case(answer) {
            Ok(())
        } else {
            Err(Refusal::Wrong)
        }
    }

    /// Counts a failed sign-in from `address`.
    pub(crate) fn failed(&mut self, address: &str) {
        if let Some(count) = self.failures.get_mut(address) {
            *count = count.saturating_add(1);
            return;
        }
        if self.order.len() >= MAX_ADDRESSES {
            if let Some(oldest) = self.order.pop_front() {
                self.failures.remove(&oldest);
            }
        }
        self.order.push_back(address.to_owned());
        self.failures.insert(address.to_owned(), 1);
    }

    /// A sign-in from `address` succeeded: its count starts again.
    pub(crate) fn succeeded(&mut self, address: &str) {
        if self.failures.remove(address).is_some() {
            self.order.retain(|a| a != address);
        }
    }

    /// The failed sign-ins counted for `address`.
    pub(crate) fn failures(&self, address: &str) -> u32 {
        self.failures.get(address).copied().unwrap_or(0)
    }
}

/// The image of `answer`: an SVG of 120 by 40 pixels, each character turned a little, and
/// a few lines across (the emulator's own drawing; the real server answers an SVG too).
pub(crate) fn svg(answer: &str) -> String {
    let mut noise = [0u8; 16];
    random::fill(&mut noise);
    let mut out = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\" viewBox=\"0,0,120,40\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#f7f7f7\"/>",
    );
    for line in noise.chunks(4) {
        let [x1, y1, x2, y2] = [line[0], line[1], line[2], line[3]];
        out.push_str(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>",
            u32::from(x1) % 40,
            u32::from(y1) % 40,
            80 + u32::from(x2) % 40,
            u32::from(y2) % 40,
        ));
    }
    // `translate` then `rotate` about the origin: the form every SVG renderer draws (some,
    // ImageMagick's own among them, draw nothing for `rotate(angle cx cy)`).
    for (i, (c, turn)) in answer.chars().zip(noise.iter()).enumerate() {
        let x = 14 + i * 26;
        let angle = i32::from(*turn % 31) - 15;
        out.push_str(&format!(
            "<text x=\"0\" y=\"0\" font-family=\"monospace\" font-size=\"24\" fill=\"#1f2329\" transform=\"translate({x},28) rotate({angle})\">{c}</text>"
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_captcha_is_spent_by_its_first_check_right_or_wrong() {
        let mut state = Captchas::default();
        let now = SystemTime::now();
        let first = state.issue(now);
        assert_eq!(
            state.check(Some(&first.id), Some("????"), now),
            Err(Refusal::Wrong)
        );
        assert_eq!(
            state.check(Some(&first.id), Some(&first.answer), now),
            Err(Refusal::Wrong)
        );
        let second = state.issue(now);
        let shouted = second.answer.to_uppercase();
        assert_eq!(state.check(Some(&second.id), Some(&shouted), now), Ok(()));
        assert_eq!(
            state.check(Some(&second.id), None, now),
            Err(Refusal::Missing)
        );
    }

    #[test]
    fn an_expired_captcha_is_wrong() {
        let mut state = Captchas::default();
        let now = SystemTime::now();
        let captcha = state.issue(now);
        let later = now + CAPTCHA_TTL;
        assert_eq!(
            state.check(Some(&captcha.id), Some(&captcha.answer), later),
            Err(Refusal::Wrong)
        );
    }

    #[test]
    fn failures_count_per_address_until_a_success() {
        let mut state = Captchas {
            policy: CaptchaPolicy::AfterFailures(2),
            ..Captchas::default()
        };
        state.failed("10.0.0.1");
        assert!(!state.required("10.0.0.1"));
        state.failed("10.0.0.1");
        assert!(state.required("10.0.0.1"));
        assert!(!state.required("10.0.0.2"));
        state.succeeded("10.0.0.1");
        assert_eq!(state.failures("10.0.0.1"), 0);
    }

    #[test]
    fn the_image_shows_the_answer_in_svg() {
        let image = svg("a8nz");
        assert!(image.starts_with("<svg "), "{image}");
        assert!(image.ends_with("</svg>"));
        for c in ["a", "8", "n", "z"] {
            assert!(image.contains(&format!(">{c}</text>")), "{image}");
        }
    }

    #[test]
    fn the_policy_reads_and_writes_as_json() {
        let json = serde_json::to_value(CaptchaPolicy::AfterFailures(3)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"mode": "after-failures", "failures": 3})
        );
        let off: CaptchaPolicy =
            serde_json::from_value(serde_json::json!({"mode": "off"})).unwrap();
        assert_eq!(off, CaptchaPolicy::Off);
    }
}
