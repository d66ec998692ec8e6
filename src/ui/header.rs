//! The header line: product, SIMULATED for the demo's data (at every
//! width), source, data freshness ("live", "updated 12 s
//! ago", a loud "STALE 3 min"), the window, the filter, FROZEN, the last
//! source error, and the clock in the configured zone.
//!
//! One data state at a time, in this precedence: FROZEN (the lead's `f`:
//! the screen shows the data as of the freeze, whatever the source does
//! meanwhile; "new data waiting" when some came), then a failing source
//! (its reason, and when it was last read), then the freshness word. So
//! never "live" beside FROZEN or an error, nor an error beside FROZEN: the
//! error shows once the lead unfreezes, if the source still fails.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::state::App;
use crate::domain::status::{PollNote, RESET_NOTICE_S};
use crate::domain::window::WindowKind;
use crate::i18n::{self, Localize, Msg, t, tf};

use super::draw;
use super::fmt;
use super::theme::Theme;

/// Data younger than this is "live".
pub const LIVE_S: f64 = 5.0;
/// Data older than this is STALE (loud).
pub const STALE_S: f64 = 120.0;

/// An unsent entry older than this is worth a word (the flusher runs every 15 s).
const WRITE_BACK_LATE_S: f64 = 120.0;
/// Columns for the write-back failure's reason: the header is one line at 80.
const WRITE_BACK_REASON_W: usize = 24;

/// The freshness label and how loud it is.
pub fn freshness(app: &App, theme: &Theme) -> (String, Style) {
    let st = &app.status;
    let lang = app.lang;
    // A warm start: the cached floor, with its age, until the first poll.
    if let Some(PollNote::Cached { saved_at }) = &st.note {
        let age = fmt::age_in(lang, app.now.secs_since(*saved_at));
        return (tf(lang, Msg::HeaderCached, &[&age]), theme.warn);
    }
    if st.loading {
        return (
            tf(lang, Msg::HeaderLoading, &[&st.stats.lines]),
            theme.accent,
        );
    }
    match app.data_age_s() {
        None => (t(lang, Msg::HeaderNoData).into(), theme.warn),
        Some(a) if a <= LIVE_S => (t(lang, Msg::HeaderLive).into(), theme.ok),
        Some(a) if a < STALE_S => (
            tf(lang, Msg::HeaderUpdated, &[&fmt::age_in(lang, a)]),
            theme.base,
        ),
        // Nothing new for a while, but the source answers (the file is read,
        // the CRM polled): a quiet floor (night, a closed queue), said
        // plainly. STALE is for a source that has gone silent itself.
        Some(a) if source_answering(app) => (
            tf(lang, Msg::HeaderQuiet, &[&fmt::age_in(lang, a)]),
            theme.warn,
        ),
        Some(a) => (
            tf(lang, Msg::HeaderStale, &[&fmt::age_in(lang, a)]),
            theme.loud,
        ),
    }
}

/// The source was read without error within the last [`STALE_S`].
fn source_answering(app: &App) -> bool {
    let st = &app.status;
    st.last_error.is_none()
        && st
            .last_success
            .is_some_and(|t| app.now.secs_since(t) < STALE_S)
}

/// The window in words: long `today Sun 22 Nov 00:00–Mon 23 Nov 00:00`,
/// short `today 22 Nov`.
pub fn window_text(app: &App, long: bool) -> String {
    let lang = app.lang;
    let Some(v) = &app.view else {
        return i18n::window(lang, app.window).to_string();
    };
    let label = i18n::window(lang, v.kind);
    let w = v.snapshot.window;
    if long {
        return format!(
            "{} {}–{}",
            label,
            fmt::local_in(lang, w.from, app.tz),
            fmt::local_in(lang, w.to, app.tz)
        );
    }
    match v.kind {
        WindowKind::Today | WindowKind::Yesterday => {
            format!("{} {}", label, fmt::day_in(lang, w.from, app.tz))
        }
        WindowKind::Shift => tf(
            lang,
            Msg::WindowShift,
            &[
                &&fmt::clock(w.from, app.tz)[..5],
                &&fmt::clock(w.to, app.tz)[..5],
            ],
        ),
        WindowKind::Rolling24h => label.to_string(),
        WindowKind::ThisWeek => tf(
            lang,
            Msg::WindowWeekOf,
            &[&fmt::day_in(lang, w.from, app.tz)],
        ),
    }
}

/// `label` with its path cut to the file name: from the start of the first
/// word holding a `/` (or `\`) to the last one
/// (`demo ×1 /home/lead/shift data/floor.ndjson` →
/// `demo ×1 floor.ndjson`).
pub fn without_paths(label: &str) -> String {
    let is_sep = |c: char| c == '/' || c == '\\';
    let (Some(first), Some(last)) = (label.find(is_sep), label.rfind(is_sep)) else {
        return label.to_string();
    };
    let start = label[..first].rfind(' ').map_or(0, |i| i + 1);
    format!("{}{}", &label[..start], &label[last + 1..])
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let buf = frame.buffer_mut();
    buf.set_style(area, theme.header);
    let clock = format!(" {} {} ", fmt::clock(app.now, app.tz), app.tz.name());
    let short_clock = format!(" {} ", fmt::clock(app.now, app.tz));
    let clock = if area.width < 100 { short_clock } else { clock };
    let clock_w = super::text::width(&clock) as u16;
    let clock_x = area.right().saturating_sub(clock_w);
    draw::put(buf, clock_x, area.y, clock_w, &clock, theme.header);
    let room = Rect::new(area.x, area.y, clock_x.saturating_sub(area.x), 1);

    let (fresh, fresh_style) = freshness(app, theme);
    // Must-haves first; then the richest variant of the rest that fits.
    let lang = app.lang;
    let mut must: Vec<(String, Style)> = vec![(" shiftdeck ".into(), theme.header)];
    // Simulated data says so at every width: the source label that would
    // say it is the first thing a narrow header leaves out.
    if app.simulated {
        must.push((
            t(lang, Msg::HeaderSimulated).into(),
            theme.warn.patch(bold()),
        ));
    }
    if app.huddle.is_some() {
        must.push((t(lang, Msg::HeaderHuddle).into(), theme.loud));
    } else if app.masked() {
        // Started as a huddle: the ids stay masked after `H`, and say so.
        must.push((t(lang, Msg::HeaderMasked).into(), theme.warn));
    }
    // One data state at a time (module docs): FROZEN, else a failing
    // source, else the freshness word.
    let failing = app.status.last_error.as_ref().filter(|_| !app.frozen);
    if app.status.last_error.is_none() && !app.frozen {
        must.push((format!(" {fresh} "), fresh_style.patch(bold())));
    }
    // The alert strip: active alerts by severity, right after the data state.
    if let Some(v) = &app.view {
        must.extend(super::alerts::strip(lang, &v.alerts, theme));
    }
    if let Some(err) = failing {
        let since = app
            .status
            .last_success
            .map(|at| tf(lang, Msg::HeaderLastRead, &[&fmt::clock(at, app.tz)]))
            .unwrap_or_default();
        let err = source_error(err);
        must.push((format!(" ⚠ {err}{since} "), theme.loud));
    }
    if let Some(m) = &app.store_message {
        must.push((
            format!(" {} ", tf(lang, Msg::HeaderReadOnly, &[m])),
            theme.loud,
        ));
    }
    if app.frozen {
        let pending = if app.pending.is_some() {
            t(lang, Msg::HeaderNewDataWaiting)
        } else {
            ""
        };
        must.push((tf(lang, Msg::HeaderFrozen, &[&pending]), theme.loud));
    }
    // After FROZEN: a long path must not push it off.
    if let Some(e) = &app.config_error {
        use crate::i18n::Localize;
        must.push((
            tf(lang, Msg::HeaderConfigNotApplied, &[&e.localize(lang)]),
            theme.loud,
        ));
    }
    // After FROZEN, which must never be pushed off. Write-back: a failing entry is loud (it is the lead's work, not yet in
    // the CRM); entries merely waiting show once they wait longer than a few
    // flushes, which means the flusher cannot keep up or has stopped.
    let ob = &app.outbox.summary;
    if ob.failing > 0 {
        // The reason without the request's URL: the header is narrow.
        let err = ob
            .last_error
            .as_deref()
            .map(|e| {
                let reason = e
                    .split_once(": ")
                    .filter(|(url, _)| url.starts_with("http"))
                    .map_or(e, |(_, r)| r);
                super::text::fit(&super::text::sanitize(reason), WRITE_BACK_REASON_W)
            })
            .unwrap_or_default();
        must.push((
            tf(lang, Msg::HeaderWriteBackFailing, &[&ob.unsent, &err]),
            theme.loud,
        ));
    } else if ob.unsent > 0
        && ob
            .oldest_unsent
            .is_some_and(|at| app.now.secs_since(at) >= WRITE_BACK_LATE_S)
    {
        must.push((
            tf(lang, Msg::HeaderWriteBackWaiting, &[&ob.unsent]),
            theme.warn,
        ));
    }
    // How the source is read when not the plain way (a server's wait
    // capped, a feed read in batches), and for a few seconds a file read
    // again from the start.
    // Both are the source's state too: FROZEN speaks for the data alone.
    // A cached floor is said in the freshness word instead.
    if let Some(note) = app
        .status
        .note
        .as_ref()
        .filter(|n| !app.frozen && !matches!(n, PollNote::Cached { .. }))
    {
        must.push((format!(" ⚠ {} ", note.localize(lang)), theme.warn));
    }
    if let Some(r) = &app.status.reset
        && !app.frozen
        && app.now.secs_since(r.at) < RESET_NOTICE_S
    {
        let text = super::text::sanitize(&r.localize(lang));
        must.push((format!(" ↻ {text} "), theme.warn));
    }
    // The shared screen shows no paths: file names only.
    let label_text = if app.huddle.is_some() {
        without_paths(&app.status.label)
    } else {
        app.status.label.clone()
    };
    let label = (!label_text.is_empty()).then(|| format!(" {label_text} "));
    let filter = (!app.filter_text.is_empty()).then(|| format!(" /{} ", app.filter_text));
    let bad = (app.status.stats.malformed > 0)
        .then(|| tf(lang, Msg::HeaderBadLines, &[&app.status.stats.malformed]));
    let long = format!(" {} ", window_text(app, true));
    let short = format!(" {} ", window_text(app, false));
    let variants: [Vec<Option<&String>>; 5] = [
        vec![label.as_ref(), Some(&long), filter.as_ref(), bad.as_ref()],
        vec![label.as_ref(), Some(&short), filter.as_ref(), bad.as_ref()],
        vec![label.as_ref(), Some(&short), filter.as_ref()],
        vec![Some(&short), filter.as_ref()],
        vec![Some(&short)],
    ];
    let width = |v: &[(String, Style)]| -> u16 {
        v.iter().map(|(s, _)| super::text::width(s) as u16).sum()
    };
    let mut chosen = must.clone();
    for variant in &variants {
        let mut trial = must.clone();
        // The source label sits right after the product name.
        let mut extra: Vec<(String, Style)> = variant
            .iter()
            .flatten()
            .map(|s| ((*s).clone(), theme.header))
            .collect();
        if label.is_some()
            && variant
                .first()
                .is_some_and(|l| l.is_some() && *l == label.as_ref())
        {
            let l = extra.remove(0);
            trial.insert(1, l);
        }
        trial.extend(extra);
        if width(&trial) <= room.width {
            chosen = trial;
            break;
        }
    }
    let refs: Vec<(&str, Style)> = chosen.iter().map(|(s, st)| (s.as_str(), *st)).collect();
    draw::segments(buf, room, area.y, &refs);
}

/// A source's error (already said in the lead's language where it was
/// made) for a narrow line: the reason first, then
/// the request's URL shortened to its host and last path segment
/// (`HTTP 404 (not found): RecordNotFound · acme.zendesk.com/…/cursor.json?…`),
/// so a long cursor in the URL never pushes the reason off the screen.
/// Errors that are not about a request are shown as they are.
pub fn source_error(err: &str) -> String {
    let Some((url, reason)) = err
        .split_once(": ")
        .filter(|(url, _)| url.starts_with("http://") || url.starts_with("https://"))
    else {
        return err.to_owned();
    };
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (rest, query) = match rest.split_once('?') {
        Some((r, _)) => (r, "?…"),
        None => (rest.trim_end_matches('…'), ""),
    };
    let short = match rest.split_once('/') {
        Some((host, path)) => {
            let path = path.trim_end_matches('/');
            match path.rsplit_once('/') {
                Some((_, last)) => format!("{host}/…/{last}{query}"),
                None => format!("{host}/{path}{query}"),
            }
        }
        None => format!("{rest}{query}"),
    };
    format!("{reason} · {short}")
}

fn bold() -> Style {
    Style::new().add_modifier(ratatui::style::Modifier::BOLD)
}
