//! Alert evaluation after each computed view, on the engine's thread: the
//! rules of `domain::alerts` over the view, the episodes recorded in the
//! store (with their delivery rows, `store::alerts`), and the lines the
//! console's strip and overlay show (`View::alerts`).
//!
//! - The KPIs alerts watch are today's, for the whole floor, whatever
//!   window or filter the lead is looking at (recomputed only when the
//!   view shows something else).
//! - At the first evaluation the episodes left open in the store (an
//!   earlier run, another process on the same data dir) are resumed: they
//!   do not fire again while their rule holds.
//! - A store that cannot be written (read-only, none) does not stop
//!   alerts: they are evaluated and shown, not recorded, and cannot be
//!   acknowledged. Store failures are logged and retried at the next view.
//! - Time-driven rules (an SLA coming due, a wait growing) are evaluated
//!   as often as views are computed: at most a second after data changes,
//!   and on an idle floor at the engine's refresh interval.

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use crate::app::view::{AlertChange, AlertLine, AlertsView, RECENT_H, View};
use crate::domain::alerts::{
    Alert, AlertBook, AlertInput, Change, Facts, Rule, Severity, conditions, sort_for_display,
};
use crate::domain::report::kpi_reports;
use crate::domain::window;
use crate::domain::{Floor, Settings, Ts, kpi};
use crate::i18n::alerts::{cleared_object, object};
use crate::i18n::{Lang, Localize};
use crate::store::{AlertRecord, Store};

/// How many cleared episodes are kept for the overlay without a store.
const RECENT_KEPT: usize = 100;

/// The engine's alert state.
#[derive(Default)]
pub struct Alerting {
    book: AlertBook,
    resumed: bool,
    /// Delivery targets: one outbox row per target for each fire and clear.
    targets: Vec<String>,
    /// Cleared episodes when there is no store to read them from.
    recent: VecDeque<AlertLine>,
    /// Episode row ids of the open alerts, by alert id (when stored).
    episodes: HashMap<String, i64>,
}

impl Alerting {
    pub fn new(targets: Vec<String>) -> Alerting {
        Alerting {
            targets,
            ..Alerting::default()
        }
    }

    pub fn set_targets(&mut self, targets: Vec<String>) {
        self.targets = targets;
    }

    /// Resumes the episodes open in the store, once.
    fn resume(&mut self, store: Option<&Store>) {
        if self.resumed {
            return;
        }
        self.resumed = true;
        let Some(store) = store else { return };
        match store.open_alerts() {
            Ok(rows) => {
                let open = rows.into_iter().filter_map(|r| {
                    self.episodes.insert(r.alert_id.clone(), r.episode);
                    Some((recorded(&r)?, r.fired_at))
                });
                self.book = AlertBook::resume(open.collect::<Vec<_>>());
            }
            Err(e) => tracing::warn!(error = %e, "reading the open alerts"),
        }
    }

    /// Evaluates the rules over `view` at `now`, records what changed in
    /// `store` (when writable) and fills `view.alerts` and the snapshot's
    /// `alerts`.
    pub fn step(
        &mut self,
        view: &mut View,
        floor: &Floor,
        settings: &Settings,
        store: Option<&Store>,
        lang: Lang,
        now: Ts,
    ) {
        self.resume(store);
        // Today's KPIs for the whole floor: the view's own when it shows them.
        let shown = view.scope.is_everything().then_some(view.snapshot.window);
        let today_kpis = today_kpis(floor, settings, shown, now);
        let started = Instant::now();
        let mut input = AlertInput::of(&view.snapshot);
        if let Some(k) = &today_kpis {
            input.kpis = k;
        }
        let found = conditions(&input, &settings.alerts, now);
        let changes = self.book.apply(found, &settings.alerts, now);
        let eval_ms = started.elapsed().as_secs_f64() * 1000.0;

        let writable = store.filter(|s| s.read_only_reason().is_none());
        let mut out = Vec::with_capacity(changes.len());
        for c in &changes {
            let (event, obj) = match c {
                Change::Fired { alert, .. } => ("fired", object(alert, lang)),
                Change::Cleared { alert, .. } => ("cleared", cleared_object(alert, lang)),
            };
            if let Some(store) = writable {
                self.record(store, c, &obj);
            }
            if let Change::Cleared { alert, at } = c {
                let episode = self.episodes.remove(&obj.id);
                if store.is_none() {
                    self.recent
                        .push_front(line(alert, episode, *at, Some(*at), lang));
                    self.recent.truncate(RECENT_KEPT);
                }
            }
            out.push(AlertChange {
                event,
                at: c.at(),
                alert: obj,
            });
        }

        // The lines: open from the book (live words), acks and recent from the store.
        let stored: Vec<AlertRecord> = match store {
            Some(s) => s
                .recent_alerts(now.add_secs(-RECENT_H * 3600), 200)
                .unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "reading the recent alerts");
                    Vec::new()
                }),
            None => Vec::new(),
        };
        let mut open: Vec<Alert> = self.book.open().map(|o| o.alert.clone()).collect();
        sort_for_display(&mut open);
        let fired_at: HashMap<String, Ts> = self
            .book
            .open()
            .map(|o| (o.alert.id(), o.fired_at))
            .collect();
        let mut active = Vec::with_capacity(open.len());
        for a in &open {
            let id = a.id();
            let rec = stored
                .iter()
                .find(|r| r.cleared_at.is_none() && r.alert_id == id);
            if let Some(r) = rec {
                self.episodes.insert(id.clone(), r.episode);
            }
            let at = fired_at.get(&id).copied().unwrap_or(now);
            let mut l = line(a, self.episodes.get(&id).copied(), at, None, lang);
            l.ack = rec
                .and_then(|r| r.ack.as_ref())
                .map(|k| (k.who.clone(), k.at));
            active.push(l);
        }
        let recent: Vec<AlertLine> = if store.is_some() {
            stored
                .iter()
                .filter(|r| r.cleared_at.is_some())
                .filter_map(|r| {
                    let a = recorded(r)?;
                    let mut l = line(&a, Some(r.episode), r.fired_at, r.cleared_at, lang);
                    l.ack = r.ack.as_ref().map(|k| (k.who.clone(), k.at));
                    Some(l)
                })
                .collect()
        } else {
            let cut = now.add_secs(-RECENT_H * 3600);
            self.recent
                .iter()
                .filter(|l| l.cleared_at.is_some_and(|c| c >= cut))
                .cloned()
                .collect()
        };
        view.snapshot.alerts = open.iter().map(|a| object(a, lang)).collect();
        view.alerts = AlertsView {
            active,
            recent,
            changes: out,
            eval_ms,
        };
    }

    fn record(&mut self, store: &Store, c: &Change, obj: &crate::domain::alerts::AlertObject) {
        let result = match c {
            Change::Fired { at, .. } => store.record_alert_fired(obj, *at, &self.targets),
            Change::Cleared { at, .. } => store.record_alert_cleared(obj, *at, &self.targets),
        };
        match result {
            Ok(Some(episode)) => {
                if matches!(c, Change::Fired { .. }) {
                    self.episodes.insert(obj.id.clone(), episode);
                }
            }
            // Recorded (fired or cleared) by another process already.
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, alert = %obj.id, "recording an alert"),
        }
    }
}

/// Today's KPIs for the whole floor at `now`, unless `shown` (the KPIs of
/// `shown_window`, unfiltered) are those already.
fn today_kpis(
    floor: &Floor,
    settings: &Settings,
    shown_window: Option<crate::domain::Window>,
    now: Ts,
) -> Option<Vec<crate::domain::KpiReport>> {
    let tz = settings.timezone;
    let today = window::day_window(window::local_date(now, tz), tz);
    if shown_window == Some(today) {
        return None;
    }
    Some(kpi_reports(
        &kpi::compute(floor, settings, today, now),
        settings,
    ))
}

/// The alerts active at `now` for a one-shot snapshot (`snapshot`'s
/// `alerts`): the rules evaluated once, as a fresh start of the console
/// would, so a staffing gap (which must last `staffing_gap_min`) is not
/// listed. Most severe first, messages in `lang`.
pub fn alerts_now(
    floor: &Floor,
    settings: &Settings,
    snap: &crate::domain::Snapshot,
    lang: Lang,
) -> Vec<crate::domain::alerts::AlertObject> {
    let kpis = today_kpis(floor, settings, Some(snap.window), snap.now);
    let mut input = AlertInput::of(snap);
    if let Some(k) = &kpis {
        input.kpis = k;
    }
    let mut book = AlertBook::new();
    let mut fired: Vec<Alert> = book
        .evaluate(&input, &settings.alerts, snap.now)
        .into_iter()
        .map(|c| c.alert().clone())
        .collect();
    sort_for_display(&mut fired);
    fired.iter().map(|a| object(a, lang)).collect()
}

/// An alert read back from the store; `None` for a rule this build does
/// not know (a newer build's), which is then left alone.
fn recorded(r: &AlertRecord) -> Option<Alert> {
    let rule = Rule::from_name(&r.rule)?;
    Some(Alert {
        rule,
        subject: r.subject.clone(),
        severity: Severity::from_name(&r.severity).unwrap_or(rule.severity()),
        since: r.since,
        facts: Facts::Recorded {
            message: r.message.clone(),
        },
    })
}

fn line(
    a: &Alert,
    episode: Option<i64>,
    fired_at: Ts,
    cleared_at: Option<Ts>,
    lang: Lang,
) -> AlertLine {
    AlertLine {
        episode,
        id: a.id(),
        rule: a.rule,
        subject: a.subject.clone(),
        severity: a.severity,
        since: a.since,
        fired_at,
        cleared_at,
        message: a.localize(lang),
        ack: None,
    }
}
