//! The KPI engine against hand-computed cases of the floor-feed spec
//! (sections 2, 3, 4 and 6). Every expected number below is worked out in
//! the comment next to it, not copied from the code's output.

use shiftdeck::domain::feedback::feedback_reports;
use shiftdeck::domain::kpi::{
    KpiFilter, RepeatIndex, compute, compute_filtered, compute_with, hourly, hourly_with,
};
use shiftdeck::domain::live::queue_reports;
use shiftdeck::domain::record::AgentStateKind::{self, *};
use shiftdeck::domain::report::{build_snapshot, kpi_reports};
use shiftdeck::domain::sla::sla_timers;
use shiftdeck::domain::testkit::{Builder, t};
use shiftdeck::domain::*;

// The floor builder (`Builder`, `contact`, `t`) is the library's test kit.

fn day() -> Window {
    Window {
        from: t("00:00:00"),
        to: t("2026-11-23T00:00:00Z"),
    }
}

fn end_of_day() -> Ts {
    t("2026-11-23T00:00:00Z")
}

fn kpis(fx: &Builder) -> KpiSet {
    compute(&fx.floor, &Settings::default(), day(), end_of_day())
}

#[track_caller]
fn assert_kpi(set: &KpiSet, k: KpiKey, value: Option<f64>, n: f64) {
    let got = set.get(k);
    assert_eq!(got.n, n, "{} n", k.key());
    match (got.value, value) {
        (Some(g), Some(v)) => assert!((g - v).abs() < 1e-12, "{}: got {g}, want {v}", k.key()),
        (g, v) => assert_eq!(g, v, "{}", k.key()),
    }
}

// ---------- every KPI on one small day ----------

/// Six contacts, five surveys (one outside the window), two agents.
fn small_day() -> Builder {
    let mut fx = Builder::default();
    fx.queue("q", 20.0);
    fx.contact("c1", "09:00:00")
        .customer("A")
        .agent("ann")
        .handled("09:00:10", "09:05:00")
        .times(200.0, 30.0, 20.0)
        .done();
    fx.contact("c2", "10:00:00")
        .customer("B")
        .agent("bob")
        .handled("10:00:30", "10:06:00")
        .times(240.0, 0.0, 30.0)
        .transfers(1)
        .done();
    fx.contact("c3", "11:00:00")
        .customer("A")
        .agent("ann")
        .handled("11:00:20", "11:04:00")
        .times(180.0, 0.0, 10.0)
        .unresolved()
        .done();
    fx.contact("c4", "12:00:00")
        .customer("C")
        .abandoned("12:00:40")
        .done();
    fx.contact("c5", "13:00:00").answered("13:00:05").done();
    fx.contact("c6", "14:00:00")
        .customer("D")
        .agent("bob")
        .handled("14:00:15", "14:10:00")
        .times(300.0, 0.0, 0.0)
        .done();
    fx.survey("s1", "c1", "09:10:00", Some(5.0), Some(10.0))
        .survey("s2", "c2", "10:10:00", Some(3.0), Some(7.0))
        .survey("s3", "c6", "14:20:00", Some(4.0), Some(3.0))
        .survey("s4", "c3", "11:10:00", None, Some(9.0))
        .survey("s5", "c1", "2026-11-23T00:00:00Z", Some(1.0), Some(0.0));
    fx.state("ann", Available, "08:00:00")
        .state("ann", Busy, "09:00:00")
        .state("ann", Wrap, "09:05:00")
        .state("ann", Available, "09:06:00")
        .state("ann", Offline, "17:00:00")
        .state("bob", Busy, "10:00:00")
        .state("bob", Break, "12:00:00")
        .state("bob", Available, "12:30:00")
        .state("bob", Offline, "16:00:00");
    fx
}

#[test]
fn every_kpi_of_a_small_day() {
    let set = kpis(&small_day());
    // Offered 6; answered c1 c2 c3 c5 c6 = 5; abandoned c4 = 1; handled c1 c2 c3 c6 = 4.
    // AHT (250 + 270 + 190 + 300) / 4.
    assert_kpi(&set, KpiKey::AhtS, Some(252.5), 4.0);
    // ART (10 + 30 + 20 + 5 + 15) / 5.
    assert_kpi(&set, KpiKey::ArtS, Some(16.0), 5.0);
    // Within 20 s: c1 (10), c3 (20, exactly), c5 (5), c6 (15); not c2 (30). 4 / (5 + 1).
    assert_kpi(&set, KpiKey::ServiceLevel, Some(4.0 / 6.0), 6.0);
    assert_kpi(&set, KpiKey::AbandonRate, Some(1.0 / 6.0), 6.0);
    // c2 of the four handled was transferred.
    assert_kpi(&set, KpiKey::TransferRate, Some(0.25), 4.0);
    // c3 is customer A's second contact within 48 h.
    assert_kpi(&set, KpiKey::RepeatRate, Some(1.0 / 6.0), 6.0);
    // c1: A came back (c3) → no; c2 yes; c3 unresolved → no; c6 yes.
    assert_kpi(&set, KpiKey::Fcr, Some(0.5), 4.0);
    // 4 handled ÷ 2 agents ÷ 1 day.
    assert_kpi(&set, KpiKey::ContactsPerAgentDay, Some(2.0), 2.0);
    // CSAT scores in the window 5, 3, 4 (s4 has none, s5 is at `to`): 2 of 3 are ≥ 4.
    assert_kpi(&set, KpiKey::Csat, Some(2.0 / 3.0), 3.0);
    // NPS 10, 7, 3, 9: promoters 2, detractors 1, of 4 → 25.
    assert_kpi(&set, KpiKey::Nps, Some(25.0), 4.0);
    // ann staffed 08:00–17:00 = 32 400 s, of it busy 300 + wrap 60;
    // bob busy 10:00–12:00 = 7 200 s, break 30 min unstaffed, available 12:30–16:00 = 12 600 s.
    assert_kpi(&set, KpiKey::Occupancy, Some(7560.0 / 52_200.0), 52_200.0);
}

#[test]
fn a_zero_denominator_is_null_never_zero_or_nan() {
    let mut fx = Builder::default();
    // One contact still ringing: offered, but neither answered nor abandoned.
    fx.contact("ring", "09:00:00").customer("A").done();
    fx.survey("s", "ring", "09:01:00", None, None);
    let set = kpis(&fx);
    assert_kpi(&set, KpiKey::RepeatRate, Some(0.0), 1.0);
    for k in KpiKey::ALL.into_iter().filter(|k| *k != KpiKey::RepeatRate) {
        assert_kpi(&set, k, None, 0.0);
    }
    // A window of zero length has no days: contacts per agent-day is null, not infinite.
    let w = Window {
        from: t("09:00:00"),
        to: t("09:00:00"),
    };
    let set = compute(&fx.floor, &Settings::default(), w, end_of_day());
    assert!(KpiKey::ALL.iter().all(|k| set.get(*k).value.is_none()));
}

// ---------- repeat and FCR ----------

#[test]
fn repeat_counts_exactly_48_hours_and_not_one_nanosecond_more() {
    let mut fx = Builder::default();
    // Both priors lie before `from`: a repeat may look back past the window.
    fx.contact("x-prior", "2026-11-20T10:00:00Z")
        .customer("X")
        .done();
    fx.contact("x-now", "10:00:00").customer("X").done();
    fx.contact("y-prior", "2026-11-20T10:00:00Z")
        .customer("Y")
        .done();
    fx.contact("y-now", "10:00:00.000000001")
        .customer("Y")
        .done();
    // Offered x-now and y-now; only x-now is within 48 h of a prior contact.
    assert_kpi(&kpis(&fx), KpiKey::RepeatRate, Some(0.5), 2.0);
}

#[test]
fn contacts_at_the_same_instant_or_without_customer_are_not_repeats() {
    let mut fx = Builder::default();
    fx.contact("a1", "10:00:00").customer("A").done();
    fx.contact("a2", "10:00:00").customer("A").done();
    fx.contact("n1", "11:00:00")
        .handled("11:00:05", "11:05:00")
        .done();
    fx.contact("n2", "11:30:00")
        .handled("11:30:05", "11:35:00")
        .done();
    let set = kpis(&fx);
    assert_kpi(&set, KpiKey::RepeatRate, Some(0.0), 4.0);
    // n1 and n2 have no customer: neither breaks the other's FCR.
    assert_kpi(&set, KpiKey::Fcr, Some(1.0), 2.0);
}

#[test]
fn fcr_is_broken_by_a_follow_up_after_the_window_up_to_48_hours() {
    let mut fx = Builder::default();
    // Z's follow-up is after `to` (next morning): still breaks FCR.
    fx.contact("z", "20:00:00")
        .customer("Z")
        .handled("20:00:05", "20:10:00")
        .done();
    fx.contact("z-next", "2026-11-23T10:00:00Z")
        .customer("Z")
        .done();
    // W's follow-up is exactly 48 h later: breaks FCR.
    fx.contact("w", "09:00:00")
        .customer("W")
        .handled("09:00:05", "09:10:00")
        .done();
    fx.contact("w-next", "2026-11-24T09:00:00Z")
        .customer("W")
        .done();
    // V's follow-up is 48 h + 1 ns later: FCR holds.
    fx.contact("v", "09:00:00")
        .customer("V")
        .handled("09:00:05", "09:10:00")
        .done();
    fx.contact("v-next", "2026-11-24T09:00:00.000000001Z")
        .customer("V")
        .done();
    // U called back earlier but not later: FCR holds (only later contacts break it).
    fx.contact("u-before", "08:00:00").customer("U").done();
    fx.contact("u", "09:00:00")
        .customer("U")
        .handled("09:00:05", "09:10:00")
        .done();
    let set = kpis(&fx);
    // Handled in the window: z, w, v, u → FCR for v and u.
    assert_kpi(&set, KpiKey::Fcr, Some(0.5), 4.0);
    // Offered z, w, v, u-before, u; u is a repeat of u-before.
    assert_kpi(&set, KpiKey::RepeatRate, Some(0.2), 5.0);
}

#[test]
fn the_fcr_window_comes_from_settings() {
    let mut fx = Builder::default();
    fx.contact("p", "2026-11-21T09:00:00Z").customer("A").done();
    fx.contact("c", "09:00:00").customer("A").done();
    let mut s = Settings::default();
    assert_eq!(
        compute(&fx.floor, &s, day(), end_of_day())
            .get(KpiKey::RepeatRate)
            .value,
        Some(1.0)
    );
    // 24 h apart: still inside a 24 h window, outside a 23.5 h one.
    s.fcr_window_h = 24.0;
    assert_eq!(
        compute(&fx.floor, &s, day(), end_of_day())
            .get(KpiKey::RepeatRate)
            .value,
        Some(1.0)
    );
    s.fcr_window_h = 23.5;
    assert_eq!(
        compute(&fx.floor, &s, day(), end_of_day())
            .get(KpiKey::RepeatRate)
            .value,
        Some(0.0)
    );
}

#[test]
fn a_later_line_replaces_the_contact_customer_and_arrival() {
    let mut fx = Builder::default();
    fx.contact("c1", "09:00:00")
        .customer("A")
        .handled("09:00:05", "09:05:00")
        .done();
    fx.contact("c2", "10:00:00").customer("A").done();
    let set = kpis(&fx);
    // c2 repeats c1 and breaks its FCR.
    assert_kpi(&set, KpiKey::RepeatRate, Some(0.5), 2.0);
    assert_kpi(&set, KpiKey::Fcr, Some(0.0), 1.0);

    // Same id, now customer B: no repeat, c1 resolved at first contact.
    fx.contact("c2", "10:00:00").customer("B").done();
    let set = kpis(&fx);
    assert_kpi(&set, KpiKey::RepeatRate, Some(0.0), 2.0);
    assert_kpi(&set, KpiKey::Fcr, Some(1.0), 1.0);

    // Back to A but arriving three days later: out of the window and out of the 48 h.
    fx.contact("c2", "2026-11-25T10:00:00Z")
        .customer("A")
        .done();
    let set = kpis(&fx);
    assert_kpi(&set, KpiKey::RepeatRate, Some(0.0), 1.0);
    assert_kpi(&set, KpiKey::Fcr, Some(1.0), 1.0);

    // And c1 itself loses its customer: the whole record is replaced (no answer now either).
    fx.contact("c1", "09:00:00").done();
    let set = kpis(&fx);
    assert_kpi(&set, KpiKey::Fcr, None, 0.0);
    assert_kpi(&set, KpiKey::RepeatRate, Some(0.0), 1.0);
}

// ---------- service level thresholds ----------

#[test]
fn service_level_uses_each_queues_own_threshold_exactly() {
    let mut fx = Builder::default();
    fx.queue("chat", 60.0).queue("phone", 30.0);
    // chat, 45 s: within 60 s.
    fx.contact("a", "09:00:00")
        .queue("chat")
        .answered("09:00:45")
        .done();
    // phone, exactly 30 s: within.
    fx.contact("b", "09:00:00.5")
        .queue("phone")
        .answered("09:00:30.5")
        .done();
    // phone, 30 s + 1 ns: not within.
    fx.contact("c", "09:00:00")
        .queue("phone")
        .answered("09:00:30.000000001")
        .done();
    // A queue with no record uses 20 s: exactly 20 s is within, 21 s is not.
    fx.contact("d", "09:00:00")
        .queue("email")
        .answered("09:00:20")
        .done();
    fx.contact("e", "09:00:00")
        .queue("email")
        .answered("09:00:21")
        .done();
    // Answered after abandoning still counts as answered.
    fx.contact("f", "09:00:00")
        .queue("email")
        .abandoned("09:00:03")
        .answered("09:00:10")
        .done();
    let set = kpis(&fx);
    // Within: a, b, d, f of 6 answered; none abandoned.
    assert_kpi(&set, KpiKey::ServiceLevel, Some(4.0 / 6.0), 6.0);
    assert_kpi(&set, KpiKey::AbandonRate, Some(0.0), 6.0);
}

// ---------- occupancy ----------

#[test]
fn occupancy_clips_at_the_window_start_and_at_now() {
    let mut fx = Builder::default();
    // ann busy since 07:00 (before from = 08:00); available 09:00; still on at now = 10:30.
    fx.state("ann", Busy, "07:00:00")
        .state("ann", Available, "09:00:00");
    // An event after now is ignored: the available state runs until now.
    fx.state("ann", Offline, "10:45:00");
    let w = Window {
        from: t("08:00:00"),
        to: t("12:00:00"),
    };
    let set = compute(&fx.floor, &Settings::default(), w, t("10:30:00"));
    // busy 08:00–09:00 = 3600 s, available 09:00–10:30 = 5400 s.
    assert_kpi(&set, KpiKey::Occupancy, Some(3600.0 / 9000.0), 9000.0);
    // With now after `to`, the offline event counts: available 09:00–10:45 = 6300 s.
    let set = compute(&fx.floor, &Settings::default(), w, end_of_day());
    assert_kpi(&set, KpiKey::Occupancy, Some(3600.0 / 9900.0), 9900.0);
    // Without the offline event, the window end clips: available 09:00–12:00.
    let mut fx = Builder::default();
    fx.state("ann", Busy, "07:00:00")
        .state("ann", Available, "09:00:00");
    let set = compute(&fx.floor, &Settings::default(), w, end_of_day());
    assert_kpi(&set, KpiKey::Occupancy, Some(3600.0 / 14_400.0), 14_400.0);
}

#[test]
fn on_equal_at_the_later_line_is_the_later_state() {
    let mut fx = Builder::default();
    // Two events at 09:00: busy then (later line) available. Busy lasts 0 s.
    fx.state("ann", Busy, "09:00:00")
        .state("ann", Available, "09:00:00");
    // A late-arriving line for 08:00 sorts before them by time.
    fx.state("ann", Wrap, "08:00:00");
    fx.state("ann", Offline, "10:00:00");
    let set = kpis(&fx);
    // wrap 08:00–09:00 = 3600 s occupied; available 09:00–10:00 = 3600 s.
    assert_kpi(&set, KpiKey::Occupancy, Some(0.5), 7200.0);

    // The opposite order at the same instant: available for 0 s, then busy.
    let mut fx = Builder::default();
    fx.state("bob", Available, "09:00:00")
        .state("bob", Busy, "09:00:00")
        .state("bob", Break, "09:30:00");
    assert_kpi(&kpis(&fx), KpiKey::Occupancy, Some(1.0), 1800.0);
}

#[test]
fn break_offline_and_unknown_states_are_not_staffed() {
    let mut fx = Builder::default();
    let lunch = AgentStateKind::Other(fx.sym("lunch"));
    fx.state("ann", Available, "09:00:00")
        .state("ann", Break, "10:00:00")
        .state("ann", lunch, "11:00:00")
        .state("ann", Busy, "12:00:00")
        .state("ann", Offline, "12:30:00");
    // available 1 h + busy 30 min staffed; busy is 1800 of 5400 s.
    assert_kpi(&kpis(&fx), KpiKey::Occupancy, Some(1.0 / 3.0), 5400.0);
}

// ---------- contacts per agent-day, CSAT and NPS ----------

#[test]
fn contacts_per_agent_day_uses_fractional_days_not_clipped_to_now() {
    let mut fx = Builder::default();
    fx.contact("a", "06:00:00")
        .agent("ann")
        .handled("06:00:05", "06:05:00")
        .done();
    fx.contact("b", "07:00:00")
        .agent("ann")
        .handled("07:00:05", "07:05:00")
        .done();
    fx.contact("c", "08:00:00")
        .agent("bob")
        .handled("08:00:05", "08:05:00")
        .done();
    // Answered but not ended: not handled, so bob2 is not one of "the handled contacts' agents".
    fx.contact("d", "08:30:00")
        .agent("bob2")
        .answered("08:30:05")
        .done();
    let six_hours = Window {
        from: t("06:00:00"),
        to: t("12:00:00"),
    };
    // 3 handled ÷ 2 agents ÷ 0.25 day, even with now at 09:00.
    let set = compute(&fx.floor, &Settings::default(), six_hours, t("09:00:00"));
    assert_kpi(&set, KpiKey::ContactsPerAgentDay, Some(6.0), 2.0);
    // 36 hours = 1.5 days: 3 ÷ 2 ÷ 1.5 = 1.
    let long = Window {
        from: t("00:00:00"),
        to: t("2026-11-23T12:00:00Z"),
    };
    let set = compute(&fx.floor, &Settings::default(), long, t("09:00:00"));
    assert_kpi(&set, KpiKey::ContactsPerAgentDay, Some(1.0), 2.0);
}

#[test]
fn nps_spans_minus_100_to_100_and_csat_needs_4_or_5() {
    let score = |nps: &[f64], csat: &[f64]| {
        let mut fx = Builder::default();
        for (i, v) in nps.iter().enumerate() {
            fx.survey(&format!("n{i}"), "c", "09:00:00", None, Some(*v));
        }
        for (i, v) in csat.iter().enumerate() {
            fx.survey(&format!("c{i}"), "c", "09:00:00", Some(*v), None);
        }
        let set = kpis(&fx);
        (set.get(KpiKey::Nps).value, set.get(KpiKey::Csat).value)
    };
    assert_eq!(score(&[10.0, 9.0], &[]).0, Some(100.0));
    assert_eq!(score(&[0.0, 6.0], &[]).0, Some(-100.0));
    // 7 and 8 are passives; 9 and 6 cancel.
    assert_eq!(score(&[7.0, 8.0, 9.0, 6.0], &[]).0, Some(0.0));
    // One promoter of three → 33.3…
    assert!((score(&[9.0, 7.0, 8.0], &[]).0.unwrap() - 100.0 / 3.0).abs() < 1e-12);
    assert_eq!(score(&[], &[4.0, 5.0, 3.0, 1.0]).1, Some(0.5));
}

// ---------- filters and hourly ----------

#[test]
fn a_queue_filter_keeps_its_contacts_their_surveys_and_its_agent_states() {
    let mut fx = Builder::default();
    fx.contact("p1", "09:00:00")
        .queue("phone")
        .customer("A")
        .handled("09:00:10", "09:05:00")
        .done();
    fx.contact("c1", "10:00:00")
        .queue("chat")
        .customer("A")
        .done();
    fx.contact("p2", "11:00:00")
        .queue("phone")
        .customer("A")
        .handled("11:00:10", "11:05:00")
        .done();
    fx.survey("s1", "p1", "09:10:00", Some(5.0), None)
        .survey("s2", "c1", "10:10:00", Some(1.0), None)
        .survey("s3", "gone", "10:10:00", Some(1.0), None);
    fx.state_in("ann", Busy, "09:00:00", Some("phone"))
        .state_in("ann", Available, "10:00:00", Some("chat"))
        .state_in("ann", Offline, "11:00:00", Some("phone"));
    let phone = KpiFilter {
        queue: Some(fx.sym("phone")),
        agent: None,
    };
    let set = compute_filtered(&fx.floor, &Settings::default(), day(), end_of_day(), &phone);
    // p2 repeats c1 (another queue still counts as the prior contact); p1 is not a repeat.
    assert_kpi(&set, KpiKey::RepeatRate, Some(0.5), 2.0);
    // p1 is followed by c1 within 48 h, p2 by nothing.
    assert_kpi(&set, KpiKey::Fcr, Some(0.5), 2.0);
    // Only s1 follows a phone contact.
    assert_kpi(&set, KpiKey::Csat, Some(1.0), 1.0);
    // Phone-tagged states: busy 09–10 (offline after 11 is not staffed).
    assert_kpi(&set, KpiKey::Occupancy, Some(1.0), 3600.0);
    // The whole floor still counts every survey, even one whose contact is unknown.
    assert_kpi(&kpis(&fx), KpiKey::Csat, Some(1.0 / 3.0), 3.0);
}

#[test]
fn an_agent_filter_keeps_that_agents_contacts_and_states() {
    let mut fx = small_day();
    let ann = KpiFilter {
        queue: None,
        agent: Some(fx.sym("ann")),
    };
    let set = compute_filtered(&fx.floor, &Settings::default(), day(), end_of_day(), &ann);
    // ann handled c1 (250 s) and c3 (190 s).
    assert_kpi(&set, KpiKey::AhtS, Some(220.0), 2.0);
    assert_kpi(&set, KpiKey::ContactsPerAgentDay, Some(2.0), 1.0);
    assert_kpi(&set, KpiKey::Occupancy, Some(360.0 / 32_400.0), 32_400.0);
    // Surveys of c1 (csat 5) and c3 (no csat).
    assert_kpi(&set, KpiKey::Csat, Some(1.0), 1.0);
}

#[test]
fn hourly_buckets_equal_compute_over_each_hour() {
    let fx = small_day();
    let s = Settings::default();
    let now = t("15:30:00");
    let hours = hourly(&fx.floor, &s, day(), now);
    assert_eq!(hours.len(), 24);
    for (i, set) in hours.iter().enumerate() {
        let from = t("00:00:00").add_secs(3600 * i as i64);
        let w = Window {
            from,
            to: from.add_secs(3600),
        };
        assert_eq!(*set, compute(&fx.floor, &s, w, now), "hour {i}");
    }
    // Hand check of hour 9: c1 handled in 250 s; ann busy 5 min, wrap 1 min, available 54 min.
    assert_kpi(&hours[9], KpiKey::AhtS, Some(250.0), 1.0);
    assert_kpi(&hours[9], KpiKey::Occupancy, Some(0.1), 3600.0);
    // 1 handled ÷ 1 agent ÷ (1/24) day.
    assert_kpi(&hours[9], KpiKey::ContactsPerAgentDay, Some(24.0), 1.0);
    // Hour 15 is cut at now (15:30): ann available 30 min; bob available 30 min.
    assert_kpi(&hours[15], KpiKey::Occupancy, Some(0.0), 3600.0);
    // After now there is no staffed time.
    assert_kpi(&hours[16], KpiKey::Occupancy, None, 0.0);
}

#[test]
fn a_repeat_index_is_reused_only_while_it_is_current() {
    let mut fx = small_day();
    let s = Settings::default();
    let all = KpiFilter::default();
    let index = RepeatIndex::new(&fx.floor, &s);
    assert!(index.is_current(&fx.floor, &s));
    let with = compute_with(&fx.floor, &s, day(), end_of_day(), &all, Some(&index));
    assert_eq!(with, kpis(&fx));
    let hours = hourly_with(&fx.floor, &s, day(), end_of_day(), &all, Some(&index));
    assert_eq!(hours, hourly(&fx.floor, &s, day(), end_of_day()));

    // Customer B calls again: c2 loses its FCR and the new contact is a repeat.
    fx.contact("c7", "15:00:00").customer("B").done();
    assert!(!index.is_current(&fx.floor, &s));
    let set = compute_with(&fx.floor, &s, day(), end_of_day(), &all, Some(&index));
    assert_kpi(&set, KpiKey::RepeatRate, Some(2.0 / 7.0), 7.0);
    assert_kpi(&set, KpiKey::Fcr, Some(0.25), 4.0);

    // Another FCR window also makes the index stale.
    let index = RepeatIndex::new(&fx.floor, &s);
    let short = Settings {
        fcr_window_h: 1.0,
        ..Settings::default()
    };
    assert!(!index.is_current(&fx.floor, &short));
    let set = compute_with(&fx.floor, &short, day(), end_of_day(), &all, Some(&index));
    // No repeats: c7 is 5 h after c2, c3 2 h after c1, both beyond 1 h.
    assert_kpi(&set, KpiKey::RepeatRate, Some(0.0), 7.0);
}

// ---------- targets and the snapshot ----------

#[test]
fn reports_carry_target_gap_and_status() {
    let set = kpis(&small_day());
    let reports = kpi_reports(&set, &Settings::default());
    let get = |k: KpiKey| reports.iter().find(|r| r.key == k).expect("every KPI");
    // AHT 252.5 vs 252: +0.5, above the target but not above 270 → warn.
    let aht = get(KpiKey::AhtS);
    assert_eq!(
        (aht.target, aht.gap, aht.status),
        (Some(252.0), Some(0.5), Some(Status::Warn))
    );
    // FCR 0.5 vs 0.85: −0.35, below spec section 3's alert threshold 0.75 → alert.
    let fcr = get(KpiKey::Fcr);
    assert_eq!((fcr.gap, fcr.status), (Some(-0.35), Some(Status::Alert)));
    assert_eq!(fcr.alert, Some(0.75));
    // A warn band between target and alert: FCR 0.80 under the same targets.
    let mut warn_set = set.clone();
    warn_set.0[KpiKey::Fcr.index()].value = Some(0.80);
    let r = kpi_reports(&warn_set, &Settings::default());
    let fcr = r.iter().find(|r| r.key == KpiKey::Fcr).expect("fcr");
    assert_eq!(fcr.status, Some(Status::Warn));
    assert_eq!(get(KpiKey::Csat).alert, Some(0.82));
    // ART 16 vs 15, lower is better: +1, warn.
    assert_eq!(get(KpiKey::ArtS).gap, Some(1.0));
}

#[test]
fn the_snapshot_lists_every_kpi_key_with_nulls() {
    let mut fx = Builder::default();
    fx.contact("ring", "09:00:00").done();
    let spot = SpotCheckReport {
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
        seed: 0,
        random: Vec::new(),
        targeted: Vec::new(),
        coverage: Vec::new(),
        daily_quota: 0,
    };
    let snap = build_snapshot(&fx.floor, &Settings::default(), day(), t("12:00:00"), spot);
    let json = serde_json::to_value(&snap).expect("serialise");
    let kpis = json["kpis"].as_object().expect("kpis object");
    let keys: Vec<&str> = kpis.keys().map(String::as_str).collect();
    let mut want: Vec<&str> = KpiKey::ALL.iter().map(|k| k.key()).collect();
    want.sort_unstable();
    let mut got = keys.clone();
    got.sort_unstable();
    assert_eq!(got, want);
    assert!(kpis["aht_s"]["value"].is_null());
    assert!(kpis["aht_s"]["gap"].is_null());
    assert!(kpis["aht_s"]["status"].is_null());
    assert_eq!(kpis["aht_s"]["target"], 252.0);
    assert_eq!(kpis["repeat_rate"]["value"], 0.0);
    assert_eq!(kpis["repeat_rate"]["status"], "ok");
    assert_eq!(json["queues"][0]["id"], "q");
    assert_eq!(json["queues"][0]["waiting"], 1);
    assert_eq!(json["queues"][0]["longest_wait_s"], 3.0 * 3600.0);
    assert_eq!(json["window"]["from"], "2026-11-22T00:00:00Z");
}

// ---------- live queues, SLA timers, feedback ----------

#[test]
fn live_queues_from_ndjson() {
    let feed = r#"
{"type":"queue","id":"q-phone","name":"Phone","channel":"phone","sl_seconds":30}
{"type":"contact","id":"1","queue":"q-phone","arrived_at":"2026-11-22T17:55:00+08:00"}
{"type":"contact","id":"2","queue":"q-phone","arrived_at":"2026-11-22T09:58:20Z"}
{"type":"contact","id":"3","queue":"q-phone","arrived_at":"2026-11-22T09:00:00Z","answered_at":"2026-11-22T09:00:30Z","ended_at":"2026-11-22T09:05:00Z","talk_s":240,"wrap_s":30}
{"type":"contact","id":"4","queue":"q-phone","arrived_at":"2026-11-22T09:20:00Z","abandoned_at":"2026-11-22T09:21:00Z"}
{"type":"contact","id":"5","queue":"q-chat","arrived_at":"2026-11-22T09:30:00Z","answered_at":"2026-11-22T09:30:05Z","ended_at":"2026-11-22T09:40:00Z","talk_s":500}
{"type":"agent_state","agent":"ann","state":"busy","at":"2026-11-22T09:00:00Z","queue":"q-phone"}
{"type":"agent_state","agent":"ann","state":"available","at":"2026-11-22T09:50:00Z","queue":"q-phone"}
{"type":"agent_state","agent":"bob","state":"wrap","at":"2026-11-22T09:40:00Z","queue":"q-chat"}
{"type":"agent_state","agent":"bob","state":"busy","at":"2026-11-22T10:10:00Z","queue":"q-phone"}
{"type":"agent_state","agent":"cy","state":"offline","at":"2026-11-22T08:00:00Z","queue":"q-phone"}
"#;
    let (floor, errors) = shiftdeck::source::load_str(feed);
    assert!(errors.is_empty(), "{errors:?}");
    let now = t("10:00:00");
    let qs = queue_reports(&floor, day(), now);
    let ids: Vec<&str> = qs.iter().map(|q| q.id.as_str()).collect();
    // The recorded queue first, then the one only named by a contact.
    assert_eq!(ids, ["q-phone", "q-chat"]);
    let phone = &qs[0];
    // Waiting: 1 (09:55Z) and 2 (09:58:20Z); longest 5 min.
    assert_eq!((phone.waiting, phone.longest_wait_s), (2, 300.0));
    // ann available (latest 09:50); cy offline; bob's 10:10 event is after now.
    assert_eq!(phone.agents.0, [1, 0, 0, 0, 1]);
    assert_eq!((phone.offered, phone.answered, phone.abandoned), (4, 1, 1));
    // 3 answered in exactly 30 s = the queue's threshold; 4 abandoned → 1 / 2.
    assert_eq!(phone.service_level, Some(0.5));
    assert_eq!(phone.abandon_rate, Some(0.5));
    assert_eq!((phone.art_s, phone.aht_s), (Some(30.0), Some(270.0)));
    // Arrivals in (09:00, 10:00]: 1, 2 and 4 (3 arrived at 09:00 exactly).
    assert_eq!(phone.arrivals_last_hour, 3);
    // 3 ended at 09:05: in the last hour.
    assert_eq!(phone.aht_last_hour_s, Some(270.0));
    assert_eq!(
        (phone.name.as_deref(), phone.channel.as_deref()),
        (Some("Phone"), Some("phone"))
    );
    let chat = &qs[1];
    assert_eq!(chat.agents.0, [0, 0, 1, 0, 0]);
    assert_eq!((chat.sl_seconds, chat.service_level), (20.0, Some(1.0)));
    assert_eq!(chat.aht_s, Some(500.0));
    // Nothing ended in the last hour at 11:00: falls back to the window's AHT.
    let later = queue_reports(&floor, day(), t("11:00:00"));
    assert_eq!(later[1].aht_last_hour_s, Some(500.0));
}

#[test]
fn sla_list_is_most_urgent_first_with_breaches() {
    let mut fx = Builder::default();
    // urgent at 09:50 unanswered: due 09:55, −5 min at 10:00.
    fx.contact("u", "09:50:00")
        .priority(Priority::Urgent)
        .done();
    // high at 09:45 unanswered: due 10:15, +15 min.
    fx.contact("h1", "09:45:00").priority(Priority::High).done();
    // high at 05:00, answered 05:10, still open: resolution due 05:00 + 4 h = 09:00, −1 h.
    fx.contact("h2", "05:00:00")
        .priority(Priority::High)
        .answered("05:10:00")
        .done();
    // high answered and ended: owes nothing.
    fx.contact("h3", "09:00:00")
        .priority(Priority::High)
        .handled("09:01:00", "09:20:00")
        .done();
    // medium at 08:30: due 10:30, +30 min.
    fx.contact("m", "08:30:00")
        .priority(Priority::Medium)
        .done();
    // medium answered: no resolution target, owes nothing.
    fx.contact("m2", "08:30:00")
        .priority(Priority::Medium)
        .answered("08:31:00")
        .done();
    // low abandoned: never listed.
    fx.contact("l", "09:00:00")
        .priority(Priority::Low)
        .abandoned("09:01:00")
        .done();
    // no priority: never listed.
    fx.contact("n", "09:00:00").done();
    let timers = sla_timers(&fx.floor, &Settings::default(), t("10:00:00"));
    let got: Vec<(&str, f64, bool)> = timers
        .iter()
        .map(|x| (x.contact.as_str(), x.remaining_s, x.breached))
        .collect();
    assert_eq!(
        got,
        [
            ("h2", -3600.0, true),
            ("u", -300.0, true),
            ("h1", 900.0, false),
            ("m", 1800.0, false)
        ]
    );
    assert_eq!(timers[0].due_at, t("09:00:00"));
    assert_eq!(timers[0].priority, "high");
    assert_eq!(timers[0].queue.as_deref(), Some("q"));
}

#[test]
fn feedback_overdue_and_order() {
    let feed = r#"
{"type":"feedback","id":"f1","stage":"handling","owner":"ann","due_at":"2026-11-22T12:00:00Z","received_at":"2026-11-22T08:00:00Z"}
{"type":"feedback","id":"f2","stage":"closed","due_at":"2026-11-22T08:00:00Z"}
{"type":"feedback","id":"f3","stage":"new","received_at":"2026-11-22T07:00:00Z"}
{"type":"feedback","id":"f4","stage":"callback","due_at":"2026-11-22T09:00:00Z","source":"phone_complaint","category":"attitude","summary":"rude agent","root_cause":"agent","callback_result":"unreached"}
{"type":"feedback","id":"f5","stage":"resolved","due_at":"2026-11-22T10:00:00Z"}
"#;
    let (floor, errors) = shiftdeck::source::load_str(feed);
    assert!(errors.is_empty(), "{errors:?}");
    let list = feedback_reports(&floor, t("10:00:00"));
    let got: Vec<(&str, bool)> = list.iter().map(|f| (f.id.as_str(), f.overdue)).collect();
    // By due date; f2 is closed (never overdue); f5 is due exactly now (not yet overdue); f3 has no due date.
    assert_eq!(
        got,
        [
            ("f2", false),
            ("f4", true),
            ("f5", false),
            ("f1", false),
            ("f3", false)
        ]
    );
    let f4 = &list[1];
    assert_eq!(f4.source.as_deref(), Some("phone_complaint"));
    assert_eq!(f4.summary.as_deref(), Some("rude agent"));
    assert_eq!(f4.callback_result.as_deref(), Some("unreached"));
    assert_eq!(list[3].owner.as_deref(), Some("ann"));
}
