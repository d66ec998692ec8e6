//! Staffing now (spec section 9, `staffing`): the agents Erlang C asks for
//! at the last hour's pace against the agents on the queue, and the queue's
//! forecast for the rest of the day (`domain::forecast`). `snapshot` and the
//! console both take the queues from [`queue_plans`].
//!
//! Decisions where the spec is silent (also in docs/forecast.md):
//! - `target_sl` is the configured `service_level` target; when the config
//!   removes that target, the shipped default 0.80 is used, so the floor
//!   still gets a staffing figure.
//! - `agents_staffed` counts the same agents as the queue's `agents` object:
//!   from the agents' own states, or from a newer `queue_stats` record when
//!   the live figures come from one (a telephony source that only reports
//!   counts still gets a staffed figure).
//! - An AHT basis of 0 s with contacts arriving gives a null `agents_needed`
//!   (a feed without handle times says nothing about the load); no arrivals
//!   give 0 whatever the AHT, as long as there is one.

use super::erlang;
use super::floor::Floor;
use super::forecast::{self, QueueBasis};
use super::live::queue_reports;
use super::settings::{KpiKey, Settings};
use super::shifts;
pub use super::snapshot::Staffing;
use super::snapshot::{QueueReport, Window};
use super::time::Ts;

/// The service-level target when the config has none.
pub const DEFAULT_TARGET_SL: f64 = 0.80;

/// The service-level target staffing aims at.
pub fn target_sl(settings: &Settings) -> f64 {
    settings
        .target(KpiKey::ServiceLevel)
        .map_or(DEFAULT_TARGET_SL, |t| t.target)
}

/// Staffing of one queue from its live figures.
pub fn staffing(q: &QueueReport, target_sl: f64) -> Staffing {
    let aht = q.aht_last_hour_s;
    Staffing {
        arrivals_last_hour: q.arrivals_last_hour,
        aht_basis_s: aht,
        threshold_s: q.sl_seconds,
        target_sl,
        agents_needed: aht.and_then(|aht| {
            erlang::agents_needed(q.arrivals_last_hour as f64, aht, q.sl_seconds, target_sl)
        }),
        // available, busy, wrap
        agents_staffed: q.agents.0[..3].iter().sum(),
        agents_scheduled: None,
    }
}

/// The first interval ahead whose agents needed exceed the agents it counts
/// on (`ForecastInterval::staffed`): (from, agents short). Intervals
/// without a figure are skipped.
pub fn next_short(q: &QueueReport) -> Option<(Ts, u32)> {
    q.forecast.iter().find_map(|f| {
        let need = f.agents_needed?;
        (need > f.staffed).then(|| (f.from, need - f.staffed))
    })
}

/// What the forecast needs of each queue of `live::queue_reports`.
pub fn bases(floor: &Floor, queues: &[QueueReport]) -> Vec<QueueBasis> {
    floor
        .queue_ids()
        .into_iter()
        .zip(queues)
        .map(|(id, q)| QueueBasis {
            id,
            threshold_s: q.sl_seconds,
            aht_basis_s: q.aht_last_hour_s,
            arrivals_last_hour: q.arrivals_last_hour,
        })
        .collect()
}

/// Every queue with its live and window figures (`live::queue_reports`),
/// its staffing now and its forecast for the rest of the local day.
pub fn queue_plans(
    floor: &Floor,
    settings: &Settings,
    window: Window,
    now: Ts,
) -> Vec<QueueReport> {
    let mut queues = queue_reports(floor, window, now);
    let target = target_sl(settings);
    let days = forecast::forecast(
        floor,
        settings.timezone,
        now,
        target,
        &bases(floor, &queues),
    );
    for (q, day) in queues.iter_mut().zip(days) {
        q.staffing = staffing(q, target);
        q.forecast = day.ahead;
        q.today = day.earlier;
        q.forecast_basis = day.basis;
    }
    // Who is planned: at now, and at the middle of each interval ahead (all
    // queues share the day's intervals).
    let mut instants = vec![now];
    if let Some(q) = queues.first() {
        instants.extend(
            q.forecast
                .iter()
                .map(|f| f.from.add_nanos(f.to.since(f.from) / 2)),
        );
    }
    let plan = shifts::on_plan(floor, &floor.queue_ids(), &instants, now);
    for (qi, q) in queues.iter_mut().enumerate() {
        let planned = plan.as_ref().map(|p| &p.counts[qi]);
        q.staffing.agents_scheduled = planned.map(|c| c[0]);
        let staffed = q.staffing.agents_staffed;
        for (k, f) in q.forecast.iter_mut().enumerate() {
            f.agents_scheduled = planned.map(|c| c[k + 1]);
            // The interval holding now counts who is there; later ones the
            // plan when there is one.
            f.staffed = match f.agents_scheduled {
                Some(n) if k > 0 => n,
                _ => staffed,
            };
        }
    }
    queues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::AgentStateKind::*;
    use crate::domain::testkit::*;

    fn day() -> Window {
        Window {
            from: t("00:00:00"),
            to: t("2026-11-23T00:00:00Z"),
        }
    }

    #[test]
    fn staffing_now_by_hand() {
        let mut b = Builder::new();
        b.queue("q", 30.0);
        let mut handled = |id: &str, arrived: &str, ended: &str, talk: f64| {
            let mut c = contact(id);
            c.queue = Some(b.sym("q"));
            c.arrived_at = Some(t(arrived));
            c.answered_at = Some(t(arrived));
            c.ended_at = Some(t(ended));
            c.talk_s = talk;
            b.apply_contact(c.clone());
        };
        // In (09:00, 10:00]: three arrivals; two handles end in the hour
        // (200 s and 400 s), one ended before it (900 s, not in the basis).
        handled("a", "09:10:00", "09:20:00", 200.0);
        handled("b", "09:30:00", "09:40:00", 400.0);
        handled("c", "08:00:00", "08:50:00", 900.0);
        b.call("d", "q", None, "10:00:00", None, None)
            .call("e", "q", None, "09:00:00", None, None)
            .state_in("ann", Busy, "08:00:00", Some("q"))
            .state_in("bob", Available, "08:00:00", Some("q"))
            .state_in("cy", Wrap, "09:59:00", Some("q"))
            .state_in("dee", Break, "09:00:00", Some("q"))
            .state_in("eve", Busy, "09:00:00", Some("other"))
            .state_in("fay", Busy, "10:00:01", Some("q"));
        let mut settings = Settings::default();
        let q = &queue_plans(&b.floor, &settings, day(), t("10:00:00"))[0];
        let s = &q.staffing;
        assert_eq!(s.arrivals_last_hour, 3, "a, b, d; e is at the open end");
        assert_eq!(s.aht_basis_s, Some(300.0));
        assert_eq!((s.threshold_s, s.target_sl), (30.0, 0.8));
        // A = 3 × 300 / 3600 = 0.25 Erlangs. N = 1: C = 0.25,
        // SL = 1 − 0.25·e^(−0.75·30/300) = 0.768 < 0.8. N = 2: B = 0.02439,
        // C = 0.02778, SL = 0.977.
        assert_eq!(s.agents_needed, Some(2));
        assert_eq!(
            s.agents_staffed, 3,
            "ann, bob, cy; not dee on break nor fay later"
        );
        // With the target removed from the config, the default 0.80.
        settings.targets[KpiKey::ServiceLevel.index()] = None;
        let q = &queue_plans(&b.floor, &settings, day(), t("10:00:00"))[0];
        assert_eq!(q.staffing.target_sl, DEFAULT_TARGET_SL);
        assert!(!q.forecast.is_empty());
    }

    #[test]
    fn null_and_zero_needs() {
        let mut b = Builder::new();
        b.queue("q", 20.0);
        // Nothing handled ever: no AHT, so no figure.
        b.call("x", "q", None, "09:30:00", None, None);
        let settings = Settings::default();
        let q = &queue_plans(&b.floor, &settings, day(), t("10:00:00"))[0];
        assert_eq!(q.staffing.aht_basis_s, None);
        assert_eq!(q.staffing.agents_needed, None);
        // Handled contacts without handle times: AHT 0 with an arrival is null;
        // with no arrival in the hour it is 0.
        let mut c = contact("y");
        c.queue = Some(b.sym("q"));
        c.arrived_at = Some(t("09:40:00"));
        c.answered_at = Some(t("09:40:00"));
        c.ended_at = Some(t("09:45:00"));
        b.apply_contact(c);
        let q = &queue_plans(&b.floor, &settings, day(), t("10:00:00"))[0];
        assert_eq!(q.staffing.aht_basis_s, Some(0.0));
        assert_eq!(q.staffing.agents_needed, None);
        let q = &queue_plans(&b.floor, &settings, day(), t("11:30:00"))[0];
        assert_eq!(q.staffing.arrivals_last_hour, 0);
        assert_eq!(q.staffing.agents_needed, Some(0));
    }

    #[test]
    fn next_short_interval() {
        let mut b = Builder::new();
        b.queue("q", 20.0);
        let settings = Settings::default();
        let mut q = queue_plans(&b.floor, &settings, day(), t("10:00:00")).remove(0);
        let need = [Some(3), None, Some(4), Some(7), Some(9)];
        for (f, n) in q.forecast.iter_mut().zip(need) {
            f.agents_needed = n;
            f.staffed = 4;
        }
        assert_eq!(next_short(&q), Some((t("11:30:00"), 3)));
        // Each interval against its own staff: 10:00 is short when only 2 count on it.
        q.forecast[0].staffed = 2;
        assert_eq!(next_short(&q), Some((t("10:00:00"), 1)));
        for f in &mut q.forecast {
            f.staffed = 9;
        }
        assert_eq!(next_short(&q), None);
    }

    #[test]
    fn planned_shifts_join_the_staff_ahead() {
        let mut b = Builder::new();
        b.queue("q", 30.0);
        // The hour before 10:00: 3 arrivals, handles of 200 s and 400 s →
        // 3 / h at 300 s, 80 % in 30 s: 2 agents in every interval (as in
        // `staffing_now_by_hand`; no history, so the last hour's rate).
        for (id, arrived, ended, talk) in [
            ("a", "09:10:00", "09:20:00", 200.0),
            ("b", "09:30:00", "09:40:00", 400.0),
        ] {
            let mut c = contact(id);
            c.queue = Some(b.sym("q"));
            c.arrived_at = Some(t(arrived));
            c.answered_at = Some(t(arrived));
            c.ended_at = Some(t(ended));
            c.talk_s = talk;
            b.apply_contact(c);
        }
        b.call("d", "q", None, "10:00:00", None, None)
            .state_in("ann", Available, "08:00:00", Some("q"))
            .state_in("dee", Busy, "09:00:00", Some("q"));
        let settings = Settings::default();
        let plain = queue_plans(&b.floor, &settings, day(), t("10:00:00")).remove(0);
        assert_eq!(plain.staffing.agents_staffed, 2, "ann and dee");
        assert!(plain.forecast.iter().all(|f| f.agents_needed == Some(2)));
        assert_eq!(next_short(&plain), None, "2 staffed all day without a plan");
        let json = serde_json::to_value(&plain).expect("json");
        assert!(json["staffing"].get("agents_scheduled").is_none());
        assert!(json["forecast"][0].get("agents_scheduled").is_none());

        // The plan: ann until 12:00, bob 11:00–18:00; dee has no shift.
        let sh = |b: &mut Builder, agent: &str, from: &str, to: &str| {
            let s = crate::domain::record::Shift {
                agent: b.sym(agent),
                start: t(from),
                end: t(to),
                queue: Some(b.sym("q")),
            };
            b.floor.apply(crate::domain::record::Record::Shift(s));
        };
        sh(&mut b, "ann", "08:00:00", "12:00:00");
        sh(&mut b, "bob", "11:00:00", "18:00:00");
        let q = queue_plans(&b.floor, &settings, day(), t("10:00:00")).remove(0);
        assert_eq!(q.staffing.agents_staffed, 2);
        assert_eq!(q.staffing.agents_scheduled, Some(1), "ann on plan at 10:00");
        let at = |h: &str| {
            q.forecast
                .iter()
                .find(|f| f.from == t(h))
                .expect("interval")
        };
        // 10:00 holds now: who is there (2). Later, the plan at each
        // interval's middle: 10:45 ann; 11:15 ann + bob; 12:15 bob; 18:15 none.
        assert_eq!(
            (at("10:00:00").staffed, at("10:00:00").agents_scheduled),
            (2, Some(1))
        );
        assert_eq!(at("10:30:00").staffed, 1);
        assert_eq!(at("11:00:00").staffed, 2);
        assert_eq!(at("12:00:00").staffed, 1);
        assert_eq!(at("18:00:00").staffed, 0);
        assert_eq!(next_short(&q), Some((t("10:30:00"), 1)));
        let json = serde_json::to_value(&q).expect("json");
        assert_eq!(json["staffing"]["agents_scheduled"], 1);
        assert_eq!(json["forecast"][2]["agents_scheduled"], 2, "11:00");
    }
}
