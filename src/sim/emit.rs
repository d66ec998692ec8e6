//! Hand-written NDJSON output: one reusable buffer, no per-line allocation,
//! timestamps in the floor's own zone (`2026-11-22T09:15:00+08:00`).

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;

/// Epoch seconds. The simulator works in whole seconds, like the telephony
/// and CRM exports it imitates.
pub type Secs = i64;

const CACHE_SLOTS: usize = 64;
/// UTC offsets change only on quarter-hour boundaries in every zone in use
/// today, so one lookup serves a whole quarter hour.
const OFFSET_BUCKET_S: i64 = 900;

/// Builds lines into a buffer that the caller drains to its writer.
pub struct Emitter {
    pub buf: Vec<u8>,
    tz: Tz,
    /// Direct-mapped cache: (quarter-hour bucket, offset seconds).
    offsets: [(i64, i32); CACHE_SLOTS],
    /// Local day, offset and their formatted text (date + offset).
    date_cache: (i64, i32, [u8; 17]),
    pub lines: u64,
}

impl Emitter {
    pub fn new(tz: Tz) -> Emitter {
        Emitter {
            buf: Vec::with_capacity(1 << 20),
            tz,
            offsets: [(i64::MIN, 0); CACHE_SLOTS],
            date_cache: (i64::MIN, 0, [0; 17]),
            lines: 0,
        }
    }

    /// The zone's UTC offset at `t`, in seconds.
    pub fn offset(&mut self, t: Secs) -> i32 {
        let bucket = t.div_euclid(OFFSET_BUCKET_S);
        let slot = bucket.rem_euclid(CACHE_SLOTS as i64) as usize;
        let (b, off) = self.offsets[slot];
        if b == bucket {
            return off;
        }
        let off = match chrono::DateTime::from_timestamp(bucket * OFFSET_BUCKET_S, 0) {
            Some(utc) => self
                .tz
                .offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc(),
            None => 0,
        };
        self.offsets[slot] = (bucket, off);
        off
    }

    /// Seconds since local midnight at `t`.
    pub fn local_second_of_day(&mut self, t: Secs) -> i64 {
        (t + self.offset(t) as i64).rem_euclid(86_400)
    }

    /// Local day number (days since 1970-01-01 in local time) at `t`.
    pub fn local_day(&mut self, t: Secs) -> i64 {
        (t + self.offset(t) as i64).div_euclid(86_400)
    }

    pub fn begin(&mut self, kind: &str) {
        self.buf.extend_from_slice(b"{\"type\":\"");
        self.buf.extend_from_slice(kind.as_bytes());
        self.buf.push(b'"');
    }

    pub fn end(&mut self) {
        self.buf.extend_from_slice(b"}\n");
        self.lines += 1;
    }

    fn key(&mut self, key: &str) {
        self.buf.extend_from_slice(b",\"");
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
    }

    /// `,"key":"value"` with JSON escaping.
    pub fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.buf.push(b'"');
        escape_into(&mut self.buf, value);
        self.buf.push(b'"');
    }

    /// `,"key":"<prefix><n zero-padded to width>"`, an id.
    pub fn id(&mut self, key: &str, prefix: &str, n: u64, width: usize) {
        self.key(key);
        self.buf.push(b'"');
        self.buf.extend_from_slice(prefix.as_bytes());
        push_padded(&mut self.buf, n, width);
        self.buf.push(b'"');
    }

    pub fn uint(&mut self, key: &str, n: u64) {
        self.key(key);
        push_padded(&mut self.buf, n, 1);
    }

    pub fn bool(&mut self, key: &str, v: bool) {
        self.key(key);
        self.buf
            .extend_from_slice(if v { b"true" as &[u8] } else { b"false" });
    }

    /// `,"key":"2026-11-22T09:15:00+08:00"`.
    pub fn ts(&mut self, key: &str, t: Secs) {
        self.key(key);
        let off = self.offset(t);
        let local = t + off as i64;
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400) as usize;
        if self.date_cache.0 != days || self.date_cache.1 != off {
            self.date_cache = (days, off, format_date_and_offset(days, off));
        }
        let (_, _, text) = &self.date_cache;
        let b = &mut self.buf;
        b.push(b'"');
        b.extend_from_slice(&text[..11]);
        b.extend_from_slice(&PAIRS[sod / 3600]);
        b.push(b':');
        b.extend_from_slice(&PAIRS[sod / 60 % 60]);
        b.push(b':');
        b.extend_from_slice(&PAIRS[sod % 60]);
        b.extend_from_slice(&text[11..]);
        b.push(b'"');
    }
}

/// "00" … "99".
const PAIRS: [[u8; 2]; 100] = {
    let mut out = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        out[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    out
};

/// `YYYY-MM-DDT` followed by `±hh:mm`, for the date cache of `Emitter::ts`.
fn format_date_and_offset(days: i64, off: i32) -> [u8; 17] {
    let (y, m, d) = civil_from_days(days);
    let mut v = Vec::with_capacity(17);
    push_padded(&mut v, y.clamp(0, 9999) as u64, 4);
    v.push(b'-');
    v.extend_from_slice(&PAIRS[m as usize]);
    v.push(b'-');
    v.extend_from_slice(&PAIRS[d as usize]);
    v.push(b'T');
    v.push(if off < 0 { b'-' } else { b'+' });
    let a = off.unsigned_abs() as usize;
    v.extend_from_slice(&PAIRS[(a / 3600).min(99)]);
    v.push(b':');
    v.extend_from_slice(&PAIRS[a / 60 % 60]);
    let mut out = [0u8; 17];
    out.copy_from_slice(&v);
    out
}

/// Decimal digits of `n`, left-padded with zeros to `width`.
pub fn push_padded(buf: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    while n >= 100 {
        let pair = PAIRS[(n % 100) as usize];
        n /= 100;
        i -= 2;
        tmp[i] = pair[0];
        tmp[i + 1] = pair[1];
    }
    if n >= 10 {
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&PAIRS[n as usize]);
    } else {
        i -= 1;
        tmp[i] = b'0' + n as u8;
    }
    let start = tmp.len().saturating_sub(width).min(i);
    buf.extend_from_slice(&tmp[start..]);
}

/// JSON string escaping (RFC 8259): quote, backslash and control characters.
pub fn escape_into(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        buf.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            buf.extend_from_slice(b"\\u00");
            buf.push(HEX[(c >> 4) as usize]);
            buf.push(HEX[(c & 15) as usize]);
        } else {
            buf.extend_from_slice(esc);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
}

/// (year, month, day) of a day number since 1970-01-01 (Howard Hinnant).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// UTC epoch seconds of local midnight starting `date` (the first valid
/// local instant of that date when midnight falls in a DST gap).
pub fn local_midnight(tz: &Tz, date: chrono::NaiveDate) -> Secs {
    for hour in 0..3 {
        if let Some(naive) = date.and_hms_opt(hour, 0, 0)
            && let Some(dt) = tz.from_local_datetime(&naive).earliest()
        {
            return dt.timestamp();
        }
    }
    // No zone skips three hours; fall back to UTC midnight.
    date.and_hms_opt(0, 0, 0)
        .map(|n| n.and_utc().timestamp())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn line(f: impl FnOnce(&mut Emitter)) -> String {
        let mut e = Emitter::new(chrono_tz::Asia::Shanghai);
        e.begin("x");
        f(&mut e);
        e.end();
        String::from_utf8(e.buf).expect("utf8")
    }

    #[test]
    fn timestamps_in_zone_with_offset() {
        // 2026-11-22T01:15:00Z is 09:15 in Shanghai (+08:00).
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-22T01:15:00Z")
            .expect("valid")
            .timestamp();
        assert_eq!(
            line(|e| e.ts("at", t)),
            "{\"type\":\"x\",\"at\":\"2026-11-22T09:15:00+08:00\"}\n"
        );
        let mut ny = Emitter::new(chrono_tz::America::New_York);
        ny.ts("at", t);
        assert_eq!(
            String::from_utf8(ny.buf).expect("utf8"),
            ",\"at\":\"2026-11-21T20:15:00-05:00\""
        );
    }

    #[test]
    fn offsets_follow_dst() {
        let mut e = Emitter::new(chrono_tz::Europe::Berlin);
        let summer = chrono::DateTime::parse_from_rfc3339("2026-07-01T12:00:00Z")
            .expect("valid")
            .timestamp();
        let winter = chrono::DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z")
            .expect("valid")
            .timestamp();
        assert_eq!(e.offset(summer), 7200);
        assert_eq!(e.offset(winter), 3600);
        assert_eq!(e.offset(summer), 7200);
    }

    #[test]
    fn escaping() {
        assert_eq!(
            line(|e| e.str("t", "say \"hi\"\\ \n\u{1}好")),
            "{\"type\":\"x\",\"t\":\"say \\\"hi\\\"\\\\ \\n\\u0001好\"}\n"
        );
        let parsed: serde_json::Value =
            serde_json::from_str(line(|e| e.str("t", "a\"b\\c\u{7}")).trim()).expect("json");
        assert_eq!(parsed["t"], "a\"b\\c\u{7}");
    }

    #[test]
    fn ids_and_numbers() {
        assert_eq!(
            line(|e| {
                e.id("id", "k-", 123, 8);
                e.uint("n", 0);
                e.uint("m", 4_294_967_296);
                e.bool("b", false);
            }),
            "{\"type\":\"x\",\"id\":\"k-00000123\",\"n\":0,\"m\":4294967296,\"b\":false}\n"
        );
    }

    #[test]
    fn padding() {
        for (n, w, text) in [
            (0u64, 1usize, "0"),
            (7, 4, "0007"),
            (42, 2, "42"),
            (123, 2, "123"),
            (100, 8, "00000100"),
            (u64::MAX, 1, "18446744073709551615"),
        ] {
            let mut v = Vec::new();
            push_padded(&mut v, n, w);
            assert_eq!(String::from_utf8(v).expect("utf8"), text);
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        // 2024-02-29 is day 19782.
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        assert_eq!(
            local_midnight(&chrono_tz::Asia::Shanghai, d),
            chrono::DateTime::parse_from_rfc3339("2026-11-21T16:00:00Z")
                .expect("valid")
                .timestamp()
        );
    }
}
