//! The no-peek rule end to end (spec section 9): a simulated floor written
//! as it stood at "now" (contacts still in progress in their state of then,
//! nothing after) gives the same staffing forecast, through the code the
//! snapshot and the console use, as the same floor written to the end of
//! its days. `domain::forecast`'s unit test checks the same on a cut
//! contact list; this one goes through the simulator and the loader.

use shiftdeck::cli::window::today;
use shiftdeck::domain::Settings;
use shiftdeck::domain::staffing::queue_plans;
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::sim::{SimOptions, generate};

fn floor_until(until: Option<&str>) -> shiftdeck::domain::Floor {
    let tz = "Asia/Shanghai".parse().expect("zone");
    let opts = SimOptions {
        days: 15,
        agents: 12,
        seed: 3,
        until: until.map(|u| parse_rfc3339(u).expect("ts")),
        ..SimOptions::new(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 8).expect("date"),
            tz,
        )
    };
    let mut out = Vec::new();
    generate(&opts, &mut out).expect("sim");
    let (floor, errors) = shiftdeck::source::load_str(&String::from_utf8(out).expect("utf-8"));
    assert!(errors.is_empty(), "{errors:?}");
    floor
}

#[test]
fn the_feed_cut_at_now_gives_the_same_forecast() {
    let full = floor_until(None);
    let settings = Settings::defaults_in("Asia/Shanghai".parse().expect("zone"));
    for now in ["2026-11-22T09:40:00+08:00", "2026-11-22T15:05:30+08:00"] {
        let cut = floor_until(Some(now));
        let now = parse_rfc3339(now).expect("ts");
        let window = today(now, settings.timezone);
        let a = queue_plans(&full, &settings, window, now);
        let b = queue_plans(&cut, &settings, window, now);
        assert!(
            full.contacts().len() > cut.contacts().len(),
            "later data exists"
        );
        assert_eq!(a.len(), b.len());
        for (qa, qb) in a.iter().zip(&b) {
            assert_eq!(qa.id, qb.id);
            assert_eq!(qa.forecast, qb.forecast, "queue {} at {now}", qa.id);
            assert_eq!(qa.today, qb.today, "queue {} at {now}", qa.id);
            // (`staffing` is not compared: its AHT basis reads a handled
            // contact's final wrap_s, which the simulator writes only when
            // the wrap ends, possibly after now.)
            assert_eq!(
                qa.staffing.arrivals_last_hour,
                qb.staffing.arrivals_last_hour
            );
            assert!(qa.forecast.iter().any(|f| f.offered > 0.0), "{}", qa.id);
        }
    }
}
