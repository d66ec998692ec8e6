//! Number, duration and time formats shared by the panes.

use chrono_tz::Tz;

use crate::domain::{KpiKey, Ts};

/// Short name of a KPI as the panes show it.
pub fn kpi_name(k: KpiKey) -> &'static str {
    match k {
        KpiKey::Csat => "CSAT",
        KpiKey::Nps => "NPS",
        KpiKey::Fcr => "FCR",
        KpiKey::AhtS => "AHT",
        KpiKey::ArtS => "ART",
        KpiKey::ServiceLevel => "Service lvl",
        KpiKey::AbandonRate => "Abandon",
        KpiKey::TransferRate => "Transfer",
        KpiKey::RepeatRate => "Repeat",
        KpiKey::ContactsPerAgentDay => "Per agent",
        KpiKey::Occupancy => "Occupancy",
    }
}

/// A KPI value in its unit: rates as %, seconds as `4m18s`/`12.0 s`, NPS signed.
pub fn kpi_value(k: KpiKey, v: Option<f64>) -> String {
    let Some(v) = v else {
        return "—".to_string();
    };
    match k {
        KpiKey::AhtS | KpiKey::ArtS => secs(v),
        KpiKey::Nps => format!("{v:+.0}"),
        KpiKey::ContactsPerAgentDay => format!("{v:.1}"),
        _ => format!("{:.1}%", v * 100.0),
    }
}

/// A gap (actual − target) in the KPI's unit: points for rates, seconds for times.
pub fn kpi_gap(k: KpiKey, g: Option<f64>) -> String {
    let Some(g) = g else {
        return "—".to_string();
    };
    let g = if g == 0.0 { 0.0 } else { g };
    match k {
        KpiKey::AhtS | KpiKey::ArtS => format!("{} s", signed(g, 0)),
        KpiKey::Nps => signed(g, 0),
        KpiKey::ContactsPerAgentDay => signed(g, 1),
        _ => format!("{} pt", signed(g * 100.0, 1)),
    }
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

/// Seconds as `12.0 s` below a minute, else `4m18s`, `1h05m`.
pub fn secs(v: f64) -> String {
    if v.abs() < 60.0 {
        return format!("{v:.1} s");
    }
    let total = v.round() as i64;
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 {
        format!("{h}h{m:02}m")
    } else {
        format!("{m}m{s:02}s")
    }
}

/// A countdown or elapsed time: `0:42`, `4:59`, `1:05:00`, `2d03h`.
pub fn clock_dur(v: f64) -> String {
    let total = v.abs().floor() as i64;
    let (d, h, m, s) = (
        total / 86_400,
        (total % 86_400) / 3600,
        (total % 3600) / 60,
        total % 60,
    );
    if d > 0 {
        format!("{d}d{h:02}h")
    } else if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A wait in at most 5 columns: `0:42`, `9:38`, `9h38m`, `2d03h`.
pub fn wait(v: f64) -> String {
    let total = v.abs().floor() as i64;
    if total < 3600 {
        format!("{}:{:02}", total / 60, total % 60)
    } else if total < 86_400 {
        format!("{}h{:02}m", total / 3600, (total % 3600) / 60)
    } else {
        format!("{}d{:02}h", total / 86_400, (total % 86_400) / 3600)
    }
}

/// An age in words: `12 s`, `3 min`, `2 h`, `3 d`.
pub fn age(v: f64) -> String {
    let v = v.max(0.0);
    if v < 60.0 {
        format!("{} s", v.floor() as i64)
    } else if v < 3600.0 {
        format!("{} min", (v / 60.0).floor() as i64)
    } else if v < 86_400.0 {
        format!("{} h", (v / 3600.0).floor() as i64)
    } else {
        format!("{} d", (v / 86_400.0).floor() as i64)
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

/// Due relative to now: `in 2 h` / `3 min ago`.
pub fn due(due: Ts, now: Ts) -> String {
    let d = due.secs_since(now);
    if d >= 0.0 {
        format!("in {}", age(d))
    } else {
        format!("{} ago", age(-d))
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

/// A rate as a percentage with one decimal, `—` when missing.
pub fn pct(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// Seconds with no decimals, `—` when missing.
pub fn opt_secs(v: Option<f64>) -> String {
    v.map_or("—".to_string(), secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(kpi_value(KpiKey::Csat, Some(0.86)), "86.0%");
        assert_eq!(kpi_value(KpiKey::AhtS, Some(258.0)), "4m18s");
        assert_eq!(kpi_value(KpiKey::ArtS, Some(12.0)), "12.0 s");
        assert_eq!(kpi_value(KpiKey::Nps, Some(32.0)), "+32");
        assert_eq!(kpi_value(KpiKey::Nps, None), "—");
        assert_eq!(kpi_gap(KpiKey::Fcr, Some(-0.02)), "−2.0 pt");
        assert_eq!(kpi_gap(KpiKey::AhtS, Some(6.0)), "+6 s");
        assert_eq!(kpi_gap(KpiKey::ContactsPerAgentDay, Some(-5.0)), "−5.0");
        assert_eq!(kpi_gap(KpiKey::ArtS, Some(0.0)), "±0 s");
        assert_eq!(secs(3900.0), "1h05m");
        assert_eq!(clock_dur(299.4), "4:59");
        assert_eq!(clock_dur(-133.0), "2:13");
        assert_eq!(clock_dur(3900.0), "1:05:00");
        assert_eq!(wait(42.0), "0:42");
        assert_eq!(wait(34_692.0), "9h38m");
        assert_eq!(wait(183_600.0), "2d03h");
        assert_eq!(age(12.7), "12 s");
        assert_eq!(age(185.0), "3 min");
        assert_eq!(due(Ts::from_secs(100), Ts::from_secs(40)), "in 1 min");
        assert_eq!(due(Ts::from_secs(100), Ts::from_secs(7300)), "2 h ago");
    }
}
