//! KPIs against their targets (spec section 3) and the whole snapshot
//! (spec section 6), assembled from the other domain modules.
//!
//! Values stay exact. Only `gap` is rounded, to 12 decimal places, because
//! `actual − target` of two decimals shows float noise (0.83 − 0.85 is
//! −0.020000000000000018); 12 places is far below any KPI's meaningful
//! precision and far above f64's noise at KPI magnitudes.

use super::agents::{agent_board, apply_qa};
use super::feedback::feedback_reports;
use super::floor::Floor;
use super::kpi::{KpiFilter, RepeatIndex, compute_with};
use super::settings::{KpiKey, Settings};
use super::sla::sla_timers;
use super::snapshot::{KpiReport, KpiSet, Snapshot, SpotCheckReport, Window};
use super::staffing::queue_plans;
use super::time::Ts;

/// Every KPI of `set`, in `KpiKey::ALL` order, with target, gap and status.
/// A KPI without a configured target has null target, gap and status.
pub fn kpi_reports(set: &KpiSet, settings: &Settings) -> Vec<KpiReport> {
    KpiKey::ALL
        .into_iter()
        .map(|key| {
            let kv = set.get(key);
            let target = settings.target(key);
            // A non-finite value or gap is null, and so is its status (spec section 3).
            let value = kv.value.filter(|v| v.is_finite());
            let scored = value.zip(target).filter(|(v, t)| t.gap(*v).is_finite());
            KpiReport {
                key,
                value,
                target: target.map(|t| t.target),
                gap: scored.map(|(v, t)| round_gap(t.gap(v))),
                status: scored.map(|(v, t)| t.status(v)),
                n: kv.n,
                direction: target.map(|t| t.direction),
                alert: target.and_then(|t| t.alert),
                warn: target.map(|t| t.warn_threshold()),
            }
        })
        .collect()
}

/// Rounds to 12 decimal places through the decimal text, which gives the
/// f64 nearest to the rounded decimal at any magnitude; −0 becomes 0.
pub fn round_gap(gap: f64) -> f64 {
    if !gap.is_finite() {
        return gap;
    }
    format!("{gap:.12}").parse::<f64>().map_or(gap, |g| g + 0.0)
}

/// The whole computed view of spec section 6. `spot_check` comes from the
/// sampling module, which owns the day and seed logic.
pub fn build_snapshot(
    floor: &Floor,
    settings: &Settings,
    window: Window,
    now: Ts,
    spot_check: SpotCheckReport,
) -> Snapshot {
    build_snapshot_with(floor, settings, window, now, spot_check, None)
}

/// `build_snapshot` reusing a [`RepeatIndex`] built once for this floor
/// (rebuilt where it is stale or `None`): the console computes several
/// windows from one floor and builds the index once for all of them.
pub fn build_snapshot_with(
    floor: &Floor,
    settings: &Settings,
    window: Window,
    now: Ts,
    spot_check: SpotCheckReport,
    index: Option<&RepeatIndex>,
) -> Snapshot {
    let kpis = compute_with(floor, settings, window, now, &KpiFilter::default(), index);
    let mut agents = agent_board(floor, settings, window, now, index);
    apply_qa(
        floor,
        settings,
        window,
        &mut agents,
        &[],
        &spot_check.random,
    );
    Snapshot {
        window,
        now,
        kpis: kpi_reports(&kpis, settings),
        queues: queue_plans(floor, settings, window, now),
        sla: sla_timers(floor, settings, now),
        feedback: feedback_reports(floor, now),
        spot_check,
        agents,
        alerts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::Status;
    use crate::domain::snapshot::KpiValue;

    fn set_with(k: KpiKey, value: Option<f64>, n: f64) -> KpiSet {
        let mut s = KpiSet::default();
        s.0[k.index()] = KpiValue { value, n };
        s
    }

    #[test]
    fn gap_is_actual_minus_target_without_float_noise() {
        let settings = Settings::default();
        let r = kpi_reports(&set_with(KpiKey::Fcr, Some(0.83), 100.0), &settings);
        let fcr = &r[KpiKey::Fcr.index()];
        assert_eq!(fcr.key, KpiKey::Fcr);
        assert_eq!(fcr.target, Some(0.85));
        assert_eq!(fcr.gap, Some(-0.02));
        assert_eq!(fcr.status, Some(Status::Warn));
        assert_eq!(fcr.n, 100.0);
        let r = kpi_reports(&set_with(KpiKey::AhtS, Some(258.0), 800.0), &settings);
        let aht = &r[KpiKey::AhtS.index()];
        assert_eq!((aht.gap, aht.status), (Some(6.0), Some(Status::Warn)));
        assert_eq!(aht.alert, Some(270.0));
    }

    #[test]
    fn null_value_has_null_gap_and_status_and_no_target_means_no_status() {
        let mut settings = Settings::default();
        let r = kpi_reports(&KpiSet::default(), &settings);
        assert_eq!(r.len(), 11);
        assert!(
            r.iter()
                .all(|k| k.value.is_none() && k.gap.is_none() && k.status.is_none())
        );
        settings.targets[KpiKey::Csat.index()] = None;
        let r = kpi_reports(&set_with(KpiKey::Csat, Some(0.9), 10.0), &settings);
        let csat = &r[KpiKey::Csat.index()];
        assert_eq!(
            (csat.value, csat.target, csat.gap, csat.status),
            (Some(0.9), None, None, None)
        );
    }

    #[test]
    fn a_non_finite_value_or_gap_is_null_with_null_status() {
        let mut settings = Settings::default();
        for v in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
            let r = kpi_reports(&set_with(KpiKey::AhtS, Some(v), 2.0), &settings);
            let aht = &r[KpiKey::AhtS.index()];
            assert_eq!((aht.value, aht.gap, aht.status), (None, None, None), "{v}");
            assert_eq!(aht.target, Some(252.0));
        }
        // A finite value whose gap overflows: the value stays, gap and status go.
        settings.targets[KpiKey::AhtS.index()]
            .as_mut()
            .expect("aht target")
            .target = -f64::MAX;
        let r = kpi_reports(&set_with(KpiKey::AhtS, Some(f64::MAX), 2.0), &settings);
        let aht = &r[KpiKey::AhtS.index()];
        assert_eq!(
            (aht.value, aht.gap, aht.status),
            (Some(f64::MAX), None, None)
        );
    }

    #[test]
    fn rounding_keeps_large_and_exact_values() {
        assert_eq!(round_gap(0.83 - 0.85), -0.02);
        assert_eq!(round_gap(123_456.789), 123_456.789);
        assert_eq!(round_gap(-1e-15), 0.0);
        assert!(round_gap(-1e-15).is_sign_positive());
        assert_eq!(round_gap(1.0 / 3.0), 0.333333333333);
    }
}
