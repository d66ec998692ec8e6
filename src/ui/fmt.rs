//! Number, duration and time formats shared by the panes.

use chrono::{Datelike, Weekday};
use chrono_tz::Tz;

use crate::domain::{KpiKey, Ts};
use crate::i18n::{Lang, Msg, t, tf};

/// A KPI value in its unit: rates as %, seconds as a duration ([`dur`]), NPS signed.
pub fn kpi_value(k: KpiKey, v: Option<f64>) -> String {
    let Some(v) = v else {
        return "—".to_string();
    };
    match k {
        KpiKey::AhtS | KpiKey::ArtS => dur(v),
        KpiKey::Nps => format!("{v:+.0}"),
        KpiKey::ContactsPerAgentDay => format!("{v:.1}"),
        _ => format!("{:.1}%", v * 100.0),
    }
}

/// A gap (actual − target) in the KPI's unit: points for rates, a signed
/// duration for times.
pub fn kpi_gap(k: KpiKey, g: Option<f64>) -> String {
    let Some(g) = g else {
        return "—".to_string();
    };
    let g = if g == 0.0 { 0.0 } else { g };
    match k {
        KpiKey::AhtS | KpiKey::ArtS => signed_dur(g),
        KpiKey::Nps => signed(g, 0),
        KpiKey::ContactsPerAgentDay => signed(g, 1),
        _ => format!("{} pt", signed(g * 100.0, 1)),
    }
}

/// [`kpi_value`] in the language: a Chinese duration says its days in
/// Chinese ([`dur_in`]).
pub fn kpi_value_in(lang: Lang, k: KpiKey, v: Option<f64>) -> String {
    match k {
        KpiKey::AhtS | KpiKey::ArtS => v.map_or("—".to_string(), |v| dur_in(lang, v)),
        _ => kpi_value(k, v),
    }
}

/// [`kpi_gap`] in the language, where there is room for words (details,
/// exports): Chinese says percentage points as 个百分点 and days as 天.
pub fn kpi_gap_in(lang: Lang, k: KpiKey, g: Option<f64>) -> String {
    match (lang, k, g) {
        (Lang::En, _, _) | (_, _, None) => kpi_gap(k, g),
        (Lang::Zh, KpiKey::AhtS | KpiKey::ArtS, _) => zh_days(kpi_gap(k, g)),
        (Lang::Zh, KpiKey::Nps | KpiKey::ContactsPerAgentDay, _) => kpi_gap(k, g),
        (Lang::Zh, _, Some(g)) => {
            let g = if g == 0.0 { 0.0 } else { g };
            tf(Lang::Zh, Msg::UnitPoints, &[&signed(g * 100.0, 1)])
        }
    }
}

/// [`dur`] in the language: hours, minutes and seconds keep their
/// letters (`4m12s` reads the same in Chinese), a day is 天 (`2天03h`).
pub fn dur_in(lang: Lang, v: f64) -> String {
    match lang {
        Lang::En => dur(v),
        Lang::Zh => zh_days(dur(v)),
    }
}

/// [`opt_dur`] in the language ([`dur_in`]).
pub fn opt_dur_in(lang: Lang, v: Option<f64>) -> String {
    v.map_or("—".to_string(), |v| dur_in(lang, v))
}

fn zh_days(s: String) -> String {
    s.replace('d', "天")
}

/// `+1.5` / `−1.5` with a real minus sign.
pub fn signed(v: f64, decimals: usize) -> String {
    let body = format!("{:.*}", decimals, v.abs());
    let is_zero = body.chars().all(|c| c == '0' || c == '.');
    if is_zero {
        format!("±{body}")
    } else if v < 0.0 {
        format!("−{body}")
    } else {
        format!("+{body}")
    }
}

/// The one way the console, its tables and its reports write a duration,
/// rounded to the second: `42s`, `4m12s`, `1h05m`, `2d03h` (at most 6
/// columns below 100 days). Negative values get a real minus sign.
pub fn dur(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    let total = v.abs().round() as i64;
    let body = if total < 60 {
        format!("{total}s")
    } else if total < 3600 {
        format!("{}m{:02}s", total / 60, total % 60)
    } else if total < 86_400 {
        format!("{}h{:02}m", total / 3600, (total % 3600) / 60)
    } else {
        format!("{}d{:02}h", total / 86_400, (total % 86_400) / 3600)
    };
    if v < 0.0 && total > 0 {
        format!("−{body}")
    } else {
        body
    }
}

/// A duration with its sign, for gaps: `+6s`, `−1m37s`, `±0s`.
pub fn signed_dur(v: f64) -> String {
    if v.abs().round() == 0.0 {
        "±0s".to_string()
    } else if v < 0.0 {
        dur(v)
    } else {
        format!("+{}", dur(v))
    }
}

/// A compact age for tables: `12s`, `3m`, `19h`, `2d`.
pub fn age_short(v: f64) -> String {
    let v = v.max(0.0);
    if v < 60.0 {
        format!("{}s", v.floor() as i64)
    } else if v < 3600.0 {
        format!("{}m", (v / 60.0).floor() as i64)
    } else if v < 86_400.0 {
        format!("{}h", (v / 3600.0).floor() as i64)
    } else {
        format!("{}d", (v / 86_400.0).floor() as i64)
    }
}

/// `HH:MM:SS` in the zone.
pub fn clock(now: Ts, tz: Tz) -> String {
    now.to_utc()
        .with_timezone(&tz)
        .format("%H:%M:%S")
        .to_string()
}

/// `Sun 22 Nov 09:15` in the zone.
pub fn local(t: Ts, tz: Tz) -> String {
    t.to_utc()
        .with_timezone(&tz)
        .format("%a %d %b %H:%M")
        .to_string()
}

/// `22 Nov` in the zone.
pub fn day(t: Ts, tz: Tz) -> String {
    t.to_utc().with_timezone(&tz).format("%d %b").to_string()
}

/// The weekday's short name in the language (`Sun`, `周日`).
pub fn weekday(lang: Lang, w: Weekday) -> &'static str {
    let m = match w {
        Weekday::Mon => Msg::WdMon,
        Weekday::Tue => Msg::WdTue,
        Weekday::Wed => Msg::WdWed,
        Weekday::Thu => Msg::WdThu,
        Weekday::Fri => Msg::WdFri,
        Weekday::Sat => Msg::WdSat,
        Weekday::Sun => Msg::WdSun,
    };
    t(lang, m)
}

/// `11月22日` in the zone (Chinese month-day order, no padding).
fn month_day_zh(t: Ts, tz: Tz) -> String {
    let d = t.to_utc().with_timezone(&tz);
    tf(Lang::Zh, Msg::DateMonthDay, &[&d.month(), &d.day()])
}

/// A date and time in the language: English as [`local`]
/// (`Sun 22 Nov 09:15`), Chinese `11月22日 09:15` (the weekday is left out
/// so a from → to pair stays short; [`day_in`] carries it).
pub fn local_in(lang: Lang, t: Ts, tz: Tz) -> String {
    match lang {
        Lang::En => local(t, tz),
        Lang::Zh => format!("{} {}", month_day_zh(t, tz), &clock(t, tz)[..5]),
    }
}

/// A day in the language: English as [`day`] (`22 Nov`), Chinese
/// `11月22日 周日`.
pub fn day_in(lang: Lang, t: Ts, tz: Tz) -> String {
    match lang {
        Lang::En => day(t, tz),
        Lang::Zh => {
            let wd = t.to_utc().with_timezone(&tz).weekday();
            format!("{} {}", month_day_zh(t, tz), weekday(Lang::Zh, wd))
        }
    }
}

/// An age in words in the language: `12 s`, `3 min`, `2 h`, `3 d` / `3 分钟`.
pub fn age_in(lang: Lang, v: f64) -> String {
    let v = v.max(0.0);
    let (n, unit) = if v < 60.0 {
        (v, Msg::AgeSecs)
    } else if v < 3600.0 {
        (v / 60.0, Msg::AgeMins)
    } else if v < 86_400.0 {
        (v / 3600.0, Msg::AgeHours)
    } else {
        (v / 86_400.0, Msg::AgeDays)
    };
    tf(lang, unit, &[&(n.floor() as i64)])
}

/// Due relative to now in the language: `in 2 h` / `2 小时后`, `3 min ago` /
/// `3 分钟前`.
pub fn due_in(lang: Lang, due: Ts, now: Ts) -> String {
    let d = due.secs_since(now);
    if d >= 0.0 {
        tf(lang, Msg::DueIn, &[&age_in(lang, d)])
    } else {
        tf(lang, Msg::DueAgo, &[&age_in(lang, -d)])
    }
}

/// A rate as a percentage with one decimal, `—` when missing.
pub fn pct(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// A duration ([`dur`]), `—` when missing.
pub fn opt_dur(v: Option<f64>) -> String {
    v.map_or("—".to_string(), dur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(kpi_value(KpiKey::Csat, Some(0.86)), "86.0%");
        assert_eq!(kpi_value(KpiKey::AhtS, Some(258.0)), "4m18s");
        assert_eq!(kpi_value(KpiKey::ArtS, Some(12.0)), "12s");
        assert_eq!(kpi_value(KpiKey::Nps, Some(32.0)), "+32");
        assert_eq!(kpi_value(KpiKey::Nps, None), "—");
        assert_eq!(kpi_gap(KpiKey::Fcr, Some(-0.02)), "−2.0 pt");
        assert_eq!(
            kpi_gap_in(Lang::Zh, KpiKey::Fcr, Some(-0.02)),
            "−2.0 个百分点"
        );
        assert_eq!(kpi_gap_in(Lang::En, KpiKey::Fcr, Some(-0.02)), "−2.0 pt");
        assert_eq!(kpi_gap_in(Lang::Zh, KpiKey::Nps, Some(-30.0)), "−30");
        // 1 day 2 hours 5 minutes = 93 900 s.
        assert_eq!(
            kpi_gap_in(Lang::Zh, KpiKey::AhtS, Some(93_900.0)),
            "+1天02h"
        );
        assert_eq!(dur_in(Lang::Zh, 93_900.0), "1天02h");
        assert_eq!(dur_in(Lang::En, 93_900.0), "1d02h");
        assert_eq!(dur_in(Lang::Zh, 252.0), "4m12s");
        assert_eq!(
            kpi_value_in(Lang::Zh, KpiKey::ArtS, Some(2.0 * 86_400.0)),
            "2天00h"
        );
        assert_eq!(kpi_value_in(Lang::Zh, KpiKey::Csat, Some(0.5)), "50.0%");
        assert_eq!(kpi_gap(KpiKey::AhtS, Some(6.0)), "+6s");
        assert_eq!(kpi_gap(KpiKey::ArtS, Some(478.0)), "+7m58s");
        assert_eq!(kpi_gap(KpiKey::AhtS, Some(-24.4)), "−24s");
        assert_eq!(kpi_gap(KpiKey::ContactsPerAgentDay, Some(-5.0)), "−5.0");
        assert_eq!(kpi_gap(KpiKey::ArtS, Some(0.0)), "±0s");
        assert_eq!(kpi_gap(KpiKey::ArtS, Some(0.4)), "±0s");
        age_in_words();
    }

    #[test]
    fn one_duration_format() {
        // The mixed forms (10:03, 19h20m, 3:59:43, 4m12s, +478 s,
        // 252.0 s) all become one.
        assert_eq!(dur(603.0), "10m03s");
        assert_eq!(dur(69_600.0), "19h20m");
        assert_eq!(dur(14_383.0), "3h59m");
        assert_eq!(dur(252.0), "4m12s");
        assert_eq!(dur(42.0), "42s");
        assert_eq!(dur(59.6), "1m00s");
        assert_eq!(dur(3900.0), "1h05m");
        assert_eq!(dur(183_600.0), "2d03h");
        assert_eq!(dur(-133.0), "−2m13s");
        assert_eq!(dur(-0.2), "0s");
        assert_eq!(dur(f64::NAN), "—");
        assert_eq!(signed_dur(478.0), "+7m58s");
        assert_eq!(opt_dur(None), "—");
    }

    fn age_in_words() {
        assert_eq!(age_in(Lang::En, 12.7), "12 s");
        assert_eq!(age_in(Lang::En, 185.0), "3 min");
        let due = |at, now| due_in(Lang::En, Ts::from_secs(at), Ts::from_secs(now));
        assert_eq!(due(100, 40), "in 1 min");
        assert_eq!(due(100, 7300), "2 h ago");
    }

    #[test]
    fn dates_in_both_languages() {
        // 2020-11-22 01:15 UTC is Sunday 09:15 in Shanghai (UTC+8).
        let t = Ts::from_secs(1_606_007_700);
        let sh: Tz = "Asia/Shanghai".parse().unwrap();
        assert_eq!(local_in(Lang::En, t, sh), "Sun 22 Nov 09:15");
        assert_eq!(local_in(Lang::En, t, sh), local(t, sh));
        assert_eq!(day_in(Lang::En, t, sh), "22 Nov");
        assert_eq!(local_in(Lang::Zh, t, sh), "11月22日 09:15");
        assert_eq!(day_in(Lang::Zh, t, sh), "11月22日 周日");
        // Same instant in UTC is still Sunday, 01:15.
        assert_eq!(day_in(Lang::Zh, t, Tz::UTC), "11月22日 周日");
        assert_eq!(local_in(Lang::Zh, t, Tz::UTC), "11月22日 01:15");
        // 2020-11-16 16:30 UTC is Tuesday 00:30 in Shanghai: the zone decides the day.
        let t = Ts::from_secs(1_605_544_200);
        assert_eq!(day_in(Lang::Zh, t, sh), "11月17日 周二");
        assert_eq!(day_in(Lang::En, t, sh), "17 Nov");
        let (now, later) = (Ts::from_secs(40), Ts::from_secs(100));
        assert_eq!(due_in(Lang::En, later, now), "in 1 min");
        assert_eq!(due_in(Lang::Zh, later, now), "1 分钟后");
        assert_eq!(due_in(Lang::Zh, later, Ts::from_secs(7300)), "2 小时前");
        assert_eq!(age_in(Lang::Zh, 185.0), "3 分钟");
        assert_eq!(age_in(Lang::Zh, 3.0 * 86_400.0), "3 天");
    }
}
