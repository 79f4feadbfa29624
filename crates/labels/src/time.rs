//! RFC 3339 timestamps: parsing for ordering labels, and "now" for new ones,
//! with std alone (civil-from-days arithmetic instead of a time crate).

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{Error, Result};

/// An instant, as parsed from an RFC 3339 timestamp; orders chronologically
/// whatever the offset it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    secs: i64,
    /// Nanoseconds within the second.
    nanos: u32,
}

impl Timestamp {
    /// The current time.
    pub fn now() -> Timestamp {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp {
            secs: since.as_secs() as i64,
            nanos: since.subsec_nanos(),
        }
    }

    /// The instant `secs` seconds after 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds(secs: i64) -> Timestamp {
        Timestamp { secs, nanos: 0 }
    }

    /// The civil date in UTC, `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        let (y, m, d) = civil_from_days(self.secs.div_euclid(86_400));
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)`
    /// (`t`, `z` and a space separator are accepted too).
    pub fn parse(s: &str) -> Result<Timestamp> {
        let fail = |reason| Error::Timestamp {
            value: s.to_string(),
            reason,
        };
        if !s.is_ascii() {
            return Err(fail("non-ASCII character"));
        }
        let b = s.as_bytes();
        if b.len() < 20 {
            return Err(fail("too short"));
        }
        let digits = |part: &str, reason| -> Result<i64> {
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse::<i64>().map_err(|_| fail(reason))
            } else {
                Err(fail(reason))
            }
        };
        let num = |range: std::ops::Range<usize>, reason| digits(&s[range], reason);
        if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return Err(fail("date must be YYYY-MM-DD followed by T"));
        }
        if b[13] != b':' || b[16] != b':' {
            return Err(fail("time must be HH:MM:SS"));
        }
        let year = num(0..4, "year")?;
        let month = num(5..7, "month")?;
        let day = num(8..10, "day")?;
        let hour = num(11..13, "hour")?;
        let minute = num(14..16, "minute")?;
        let second = num(17..19, "second")?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(fail("no such date"));
        }
        if hour > 23 || minute > 59 || second > 60 {
            return Err(fail("no such time of day"));
        }
        let mut rest = &s[19..];
        let mut nanos = 0u32;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(fail("empty fraction of a second"));
            }
            for (i, c) in frac.bytes().take(digits).enumerate() {
                if i < 9 {
                    nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
                }
            }
            rest = &frac[digits..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6 && matches!(rest.as_bytes()[0], b'+' | b'-') => {
                if rest.as_bytes()[3] != b':' {
                    return Err(fail("offset must be Z or +HH:MM"));
                }
                let oh = digits(&rest[1..3], "offset hours")?;
                let om = digits(&rest[4..6], "offset minutes")?;
                if oh > 23 || om > 59 {
                    return Err(fail("offset out of range"));
                }
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                sign * (oh * 3600 + om * 60)
            }
            _ => return Err(fail("offset must be Z or +HH:MM")),
        };
        // A leap second is kept inside its minute so order is preserved.
        let (second, nanos) = if second == 60 {
            (59, 999_999_999)
        } else {
            (second, nanos)
        };
        let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
            - offset;
        Ok(Timestamp { secs, nanos })
    }
}

impl FromStr for Timestamp {
    type Err = Error;

    fn from_str(s: &str) -> Result<Timestamp> {
        Timestamp::parse(s)
    }
}

/// Formats as RFC 3339 in UTC with milliseconds: `2026-01-31T12:00:00.250Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.secs.div_euclid(86_400);
        let in_day = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            in_day / 3600,
            in_day / 60 % 60,
            in_day % 60,
            self.nanos / 1_000_000
        )
    }
}

/// The current time as RFC 3339 in UTC, for the `at` of a new label.
pub fn now_rfc3339() -> String {
    Timestamp::now().to_string()
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_and_offsets_to_the_same_instant() {
        let utc = Timestamp::parse("2026-11-23T18:55:00Z").unwrap();
        let east = Timestamp::parse("2026-11-23T19:55:00+01:00").unwrap();
        let west = Timestamp::parse("2026-11-23T13:25:00-05:30").unwrap();
        assert_eq!(utc, east);
        assert_eq!(utc, west);
        assert_eq!(utc.unix_seconds(), 1_795_460_100);
    }

    #[test]
    fn fractions_order_within_a_second() {
        let a = Timestamp::parse("2026-11-23T18:55:00.1Z").unwrap();
        let b = Timestamp::parse("2026-11-23T18:55:00.099999999999Z").unwrap();
        assert!(b < a);
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "1970-01-01T00:00:00.000Z",
            "2000-02-29T23:59:59.999Z",
            "1969-12-31T23:59:59.500Z",
        ] {
            assert_eq!(Timestamp::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn civil_days_agree_both_ways() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn now_is_parseable_and_recent() {
        let now = now_rfc3339();
        let parsed = Timestamp::parse(&now).unwrap();
        assert!(parsed.unix_seconds() > 1_700_000_000, "{now}");
    }

    #[test]
    fn rejects_what_is_not_rfc_3339() {
        for bad in [
            "",
            "yesterday",
            "2026-11-23",
            "2026-11-23T18:55:00",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-23T24:00:00Z",
            "2026-11-23T18:55:00+0100",
            "2026-11-23T18:55:00.Z",
            "2026-11-23T18:55:00Zjunk",
            "2026-11-23T18:5a:00Z",
            "2026-11-23T18:55:00Z\u{e9}",
        ] {
            let err = Timestamp::parse(bad).unwrap_err().to_string();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }
}
