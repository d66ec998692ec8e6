//! Instants as exact integer nanoseconds since the Unix epoch.
//!
//! The spec asks for exact durations (contacts answered exactly at the
//! service-level threshold are common), so instants are integers, never
//! float epoch seconds. `Option<Ts>` is 8 bytes thanks to the `NonZeroI64`
//! niche, which keeps a million contacts small.

use std::fmt;
use std::num::NonZeroI64;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

pub const NANOS_PER_SEC: i64 = 1_000_000_000;

/// An instant: nanoseconds since 1970-01-01T00:00:00Z.
///
/// Stored with the sign bit flipped so that 0 (the niche) stands for
/// i64::MIN nanoseconds (year 1677), which no record can hold.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ts(NonZeroI64);

impl Ts {
    /// From nanoseconds since the epoch. `i64::MIN` is clamped by one nanosecond.
    pub fn from_nanos(nanos: i64) -> Ts {
        let nanos = nanos.max(i64::MIN + 1);
        match NonZeroI64::new(nanos ^ i64::MIN) {
            Some(v) => Ts(v),
            None => unreachable!("only i64::MIN maps to zero and it was clamped"),
        }
    }

    pub fn nanos(self) -> i64 {
        self.0.get() ^ i64::MIN
    }

    pub fn from_secs(secs: i64) -> Ts {
        Ts::from_nanos(secs.saturating_mul(NANOS_PER_SEC))
    }

    pub fn from_secs_f64(secs: f64) -> Ts {
        Ts::from_nanos((secs * NANOS_PER_SEC as f64).round() as i64)
    }

    /// Seconds since the epoch, fractional (for display and float math only).
    pub fn secs_f64(self) -> f64 {
        self.nanos() as f64 / NANOS_PER_SEC as f64
    }

    pub fn from_datetime<Z: TimeZone>(dt: &DateTime<Z>) -> Ts {
        Ts::from_nanos(
            dt.timestamp()
                .saturating_mul(NANOS_PER_SEC)
                .saturating_add(dt.timestamp_subsec_nanos() as i64),
        )
    }

    pub fn to_utc(self) -> DateTime<Utc> {
        let n = self.nanos();
        let secs = n.div_euclid(NANOS_PER_SEC);
        let sub = n.rem_euclid(NANOS_PER_SEC) as u32;
        DateTime::<Utc>::from_timestamp(secs, sub).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// Exact difference `self - earlier` in nanoseconds.
    pub fn since(self, earlier: Ts) -> i64 {
        self.nanos().saturating_sub(earlier.nanos())
    }

    /// Exact difference in seconds as f64 (exact up to ~104 days at ns precision).
    pub fn secs_since(self, earlier: Ts) -> f64 {
        self.since(earlier) as f64 / NANOS_PER_SEC as f64
    }

    pub fn add_nanos(self, d: i64) -> Ts {
        Ts::from_nanos(self.nanos().saturating_add(d))
    }

    pub fn add_secs(self, secs: i64) -> Ts {
        self.add_nanos(secs.saturating_mul(NANOS_PER_SEC))
    }

    /// RFC 3339 in UTC with as many fractional digits as needed.
    pub fn to_rfc3339(self) -> String {
        self.to_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }

    /// RFC 3339 in the given zone.
    pub fn to_rfc3339_in<Z: TimeZone>(self, tz: &Z) -> String
    where
        Z::Offset: fmt::Display,
    {
        self.to_utc()
            .with_timezone(tz)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
    }
}

impl PartialOrd for Ts {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ts {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.nanos().cmp(&other.nanos())
    }
}

impl fmt::Debug for Ts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ts({})", self.to_rfc3339())
    }
}

impl fmt::Display for Ts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl serde::Serialize for Ts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

/// Why a timestamp string was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TsError {
    Syntax,
    NoOffset,
    OutOfRange,
}

impl fmt::Display for TsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TsError::Syntax => f.write_str("not an RFC 3339 timestamp"),
            TsError::NoOffset => f.write_str("timestamp without an offset"),
            TsError::OutOfRange => f.write_str("timestamp out of range"),
        }
    }
}

thread_local! {
    /// The last valid date part (`YYYY-MM-DD`, as bytes) this thread read
    /// and its day number: a feed's timestamps come a day at a time, so
    /// most skip the date's digits and calendar checks.
    static LAST_DATE: std::cell::Cell<Option<(u128, i64)>> = const { std::cell::Cell::new(None) };
}

/// Parse an RFC 3339 timestamp that carries an offset (`Z` or `±hh:mm`).
///
/// Hand-written because the loader parses several per line at a million lines
/// a second; falls back to chrono for anything unusual (lowercase `t`, a space
/// separator, leap seconds).
pub fn parse_rfc3339(s: &str) -> Result<Ts, TsError> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return fallback(s);
    }
    let d = |i: usize| -> Option<i64> {
        let c = b[i];
        c.is_ascii_digit().then(|| (c - b'0') as i64)
    };
    let two = |i: usize| -> Option<i64> { Some(d(i)? * 10 + d(i + 1)?) };
    let fast = (|| -> Option<Result<Ts, TsError>> {
        let date = u128::from_le_bytes({
            let mut w = [0u8; 16];
            w[..10].copy_from_slice(&b[..10]);
            w
        });
        let days = match LAST_DATE.get() {
            Some((last, days)) if last == date => days,
            _ => {
                let year = d(0)? * 1000 + d(1)? * 100 + d(2)? * 10 + d(3)?;
                if b[4] != b'-' || b[7] != b'-' {
                    return None;
                }
                let month = two(5)?;
                let day = two(8)?;
                if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
                    return None;
                }
                let days = days_from_civil(year, month, day);
                LAST_DATE.set(Some((date, days)));
                days
            }
        };
        if b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let hour = two(11)?;
        let min = two(14)?;
        let sec = two(17)?;
        if hour > 23 || min > 59 || sec > 59 {
            return None;
        }
        let mut i = 19;
        let mut frac: i64 = 0;
        if b[i] == b'.' {
            i += 1;
            let start = i;
            let mut scale = 100_000_000;
            while i < b.len() && b[i].is_ascii_digit() {
                frac += (b[i] - b'0') as i64 * scale;
                scale /= 10;
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        if i >= b.len() {
            return Some(Err(TsError::NoOffset));
        }
        let offset_secs = match b[i] {
            b'Z' if i + 1 == b.len() => 0,
            b'+' | b'-' if i + 6 == b.len() && b[i + 3] == b':' => {
                let oh = two(i + 1)?;
                let om = two(i + 4)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let v = oh * 3600 + om * 60;
                if b[i] == b'-' { -v } else { v }
            }
            _ => return None,
        };
        let secs = days * 86_400 + hour * 3600 + min * 60 + sec - offset_secs;
        // i64 nanoseconds span the years 1677–2262; beyond that is out of range.
        Some(
            secs.checked_mul(NANOS_PER_SEC)
                .and_then(|n| n.checked_add(frac))
                .filter(|n| *n != i64::MIN)
                .map(Ts::from_nanos)
                .ok_or(TsError::OutOfRange),
        )
    })();
    match fast {
        Some(r) => r,
        None => fallback(s),
    }
}

fn fallback(s: &str) -> Result<Ts, TsError> {
    match DateTime::<FixedOffset>::parse_from_rfc3339(s) {
        Ok(dt) => dt
            .timestamp_nanos_opt()
            .filter(|n| *n != i64::MIN)
            .map(Ts::from_nanos)
            .ok_or(TsError::OutOfRange),
        Err(_) => {
            // Distinguish "valid local time but no offset" for a clearer message.
            let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f");
            if naive.is_ok() {
                Err(TsError::NoOffset)
            } else {
                Err(TsError::Syntax)
            }
        }
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_ts(s: &str) -> Ts {
        Ts::from_datetime(&DateTime::parse_from_rfc3339(s).expect("valid"))
    }

    #[test]
    fn fast_path_agrees_with_chrono() {
        for s in [
            "2026-11-22T09:15:00+08:00",
            "2026-11-22T09:15:00Z",
            "2024-02-29T23:59:59.123456789-05:30",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.5Z",
            "2000-03-01T00:00:00.1+14:00",
        ] {
            assert_eq!(parse_rfc3339(s), Ok(chrono_ts(s)), "{s}");
        }
    }

    #[test]
    fn rejects_missing_offset_and_garbage() {
        assert_eq!(parse_rfc3339("2026-11-22T09:15:00"), Err(TsError::NoOffset));
        assert_eq!(
            parse_rfc3339("2026-11-22T09:15:00.250"),
            Err(TsError::NoOffset)
        );
        assert_eq!(parse_rfc3339("yesterday"), Err(TsError::Syntax));
        assert_eq!(
            parse_rfc3339("9999-11-22T09:15:00Z"),
            Err(TsError::OutOfRange)
        );
        assert_eq!(
            parse_rfc3339("2026-02-30T09:15:00+08:00"),
            Err(TsError::Syntax)
        );
    }

    /// The remembered date changes nothing: timestamps one after another,
    /// same day or not, valid or not, read as chrono reads them (or are
    /// refused as on a fresh thread).
    #[test]
    fn remembered_date_reads_as_a_fresh_one() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let days = [
            "2026-11-22",
            "2026-11-23",
            "2024-02-29",
            "2026-02-29",
            "2026-02-30",
            "2026-13-01",
            "2026-1x-22",
            "\0\0\0\0\0\0\0\0\0\0",
        ];
        let rests = [
            "T09:15:00+08:00",
            "T23:59:59.5Z",
            "T24:00:00Z",
            "T09:15:00",
            "x09:15:00Z",
            "T09:60:00-05:30",
            "T00:00:00Z",
        ];
        for _ in 0..2000 {
            let s = format!(
                "{}{}",
                days[next(days.len() as u64) as usize],
                rests[next(rests.len() as u64) as usize]
            );
            let fresh =
                std::thread::scope(|t| t.spawn(|| parse_rfc3339(&s)).join().expect("parse thread"));
            assert_eq!(parse_rfc3339(&s), fresh, "{s}");
            let chrono = DateTime::parse_from_rfc3339(&s)
                .ok()
                .map(|d| Ts::from_datetime(&d));
            assert_eq!(parse_rfc3339(&s).ok(), chrono, "{s}");
        }
    }

    #[test]
    fn epoch_is_representable_and_ordered() {
        let e = Ts::from_nanos(0);
        assert_eq!(e.nanos(), 0);
        assert!(Ts::from_nanos(-1) < e);
        assert!(Ts::from_nanos(1) > e);
        assert_eq!(std::mem::size_of::<Option<Ts>>(), 8);
    }

    #[test]
    fn formats_round_trip() {
        let t = parse_rfc3339("2026-11-22T09:15:00.5+08:00").expect("valid");
        assert_eq!(t.to_rfc3339(), "2026-11-22T01:15:00.500Z");
        assert_eq!(parse_rfc3339(&t.to_rfc3339()), Ok(t));
    }
}
