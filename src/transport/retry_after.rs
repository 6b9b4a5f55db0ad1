//! The `Retry-After` header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.
//!
//! Read on every answer, whatever its status: Authing's throttled calls answer HTTP 429, a
//! proxy may answer 503, and the emulator can also send it with an HTTP 200 envelope.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::response::clamped_wait as clamped;

/// The wait a `Retry-After` value asks for, counted from `now`.
///
/// A date in the past is a wait of zero; a value that is neither a number nor an HTTP-date
/// is ignored (`None`), as RFC 9110 lets a recipient do. Delta-seconds of any length and a
/// date of any year up to 9999 are read, and the wait is capped at `MAX_WAIT` (one day);
/// a year after 9999 makes the date unreadable.
pub(crate) fn parse(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // An absurdly long number saturates (and is capped) instead of being dropped.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(clamped(Duration::from_secs(seconds)));
    }
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(http_date(value)?))?;
    Some(clamped(at.duration_since(now).unwrap_or(Duration::ZERO)))
}

/// Seconds since the Unix epoch of an HTTP-date in any of the three forms RFC 9110 says a
/// recipient must accept: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete
/// RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
///
/// Every number is ASCII digits only (no sign, no full-width digit); the year is at most
/// 9999 (a year before 1970 is the epoch), the day at most the month's length.
fn http_date(text: &str) -> Option<u64> {
    // ASCII digits only: `str::parse` would also take a leading `+`.
    let digits = |part: &str| -> Option<u64> {
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let (day, month, year, time) = match words.as_slice() {
        [_, day, month, year, time, "GMT"] => (*day, *month, digits(year)?, *time),
        [_, date, time, "GMT"] => {
            let mut parts = date.split('-');
            let (day, month, yy) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || yy.len() != 2 {
                return None;
            }
            // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            let yy = digits(yy)?;
            (
                day,
                month,
                if yy < 70 { 2000 + yy } else { 1900 + yy },
                *time,
            )
        }
        [_, month, day, time, year] => (*day, *month, digits(year)?, *time),
        _ => return None,
    };
    let day = digits(day)?;
    let month = 1 + MONTHS.iter().position(|m| *m == month)? as u64;
    let mut hms = time.split(':').map(digits);
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || h > 23 || m > 59 || s > 60 || day == 0 {
        return None;
    }
    if day > days_in_month(year, month) {
        return None;
    }
    if year < 1970 {
        return Some(0);
    }
    let days = days_from_civil(year, month, day)?;
    days.checked_mul(86_400)?
        .checked_add(h * 3_600 + m * 60 + s)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn is_leap(year: u64) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The days of `month` (1 to 12) of `year`.
fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar, for a year
/// of 1970 to 9999 (`None` outside), in constant time.
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    // Leap days in the years before `y` since year 0.
    let leaps_before = |y: u64| (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
    let mut days = (year - 1970) * 365 + leaps_before(year) - leaps_before(1970);
    const BEFORE: [u64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    days += BEFORE.get(usize::try_from(month - 1).ok()?)? + day - 1;
    if month > 2 && is_leap(year) {
        days += 1;
    }
    Some(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::MAX_WAIT;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn delta_seconds_are_read_as_they_are() {
        assert_eq!(parse("7", at(0)), Some(Duration::from_secs(7)));
        assert_eq!(parse(" 0 ", at(0)), Some(Duration::ZERO));
    }

    #[test]
    fn the_three_http_date_forms_name_the_same_instant() {
        // 1994-11-06T08:49:37Z is 784111777 s after the epoch.
        let now = at(784_111_777 - 30);
        let want = Some(Duration::from_secs(30));
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT", now), want);
        assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT", now), want);
        assert_eq!(parse("Sun Nov  6 08:49:37 1994", now), want);
    }

    #[test]
    fn a_date_in_the_past_asks_for_no_wait() {
        assert_eq!(
            parse("Sun, 06 Nov 1994 08:49:37 GMT", at(2_000_000_000)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn the_closed_form_counts_the_days_a_year_at_a_time_would() {
        let mut jan_1 = 0;
        for year in 1970..=9999 {
            assert_eq!(days_from_civil(year, 1, 1), Some(jan_1), "{year}");
            let feb = if is_leap(year) { 29 } else { 28 };
            assert_eq!(
                days_from_civil(year, 3, 1),
                Some(jan_1 + 31 + feb),
                "{year}"
            );
            jan_1 += if is_leap(year) { 366 } else { 365 };
        }
        assert_eq!(days_from_civil(10_000, 1, 1), None);
        assert_eq!(days_from_civil(1969, 12, 31), None);
    }

    #[test]
    fn a_wait_is_capped_at_a_day() {
        let max = Some(MAX_WAIT);
        assert_eq!(parse("86401", at(0)), max);
        assert_eq!(parse(&"9".repeat(10_000), at(0)), max);
        assert_eq!(parse("Fri, 31 Dec 9999 23:59:59 GMT", at(0)), max);
        assert_eq!(
            http_date("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(253_402_300_799)
        );
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    }

    #[test]
    fn a_leap_day_counts() {
        // 2024-03-01T00:00:00Z is 1709251200.
        assert_eq!(
            http_date("Fri, 01 Mar 2024 00:00:00 GMT"),
            Some(1_709_251_200)
        );
    }

    #[test]
    fn garbage_is_ignored() {
        for bad in [
            "",
            "soon",
            "-5",
            "1.5",
            "Sun, 06 Nov 1994 25:00:00 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 99999999999999999 08:49:37 GMT",
            "Sun, 06 Nov 10000 08:49:37 GMT",
            "Sun, 06 Nov +994 08:49:37 GMT",
            "Sun, ０6 Nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 29 Feb 1995 08:49:37 GMT",
        ] {
            assert_eq!(parse(bad, at(0)), None, "{bad:?}");
        }
    }
}
