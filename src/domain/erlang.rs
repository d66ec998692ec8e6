//! Erlang C staffing: how many agents a queue needs to answer a share of
//! contacts within a threshold, assuming Poisson arrivals, exponential handle
//! times and callers who wait (no abandons) — the textbook planning model.
//!
//! Traffic A (Erlangs) = arrivals per hour × AHT seconds ÷ 3600.
//! P(wait) is computed through the Erlang B recursion
//! `B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))`, then
//! `C = N·B / (N − A·(1 − B))`: every step stays in [0, 1], so there are no
//! factorials or powers to overflow, even for thousands of agents.

/// Search cap for [`agents_needed`]: no single queue plans beyond this.
pub const MAX_AGENTS: u32 = 10_000;

/// Erlang B blocking probability for `agents` servers and `traffic` Erlangs.
fn erlang_b(agents: u32, traffic: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=agents {
        let ab = traffic * b;
        b = ab / (k as f64 + ab);
    }
    b
}

/// Probability that a contact has to wait (Erlang C) with `agents` agents
/// and `traffic_erlangs` offered load.
///
/// 1 when the load meets or exceeds the agents (the queue grows without
/// bound), 0 with no traffic, NaN for negative or non-finite traffic.
pub fn erlang_c(agents: u32, traffic_erlangs: f64) -> f64 {
    let a = traffic_erlangs;
    if !a.is_finite() || a < 0.0 {
        return f64::NAN;
    }
    if a == 0.0 {
        return 0.0;
    }
    let n = agents as f64;
    if n <= a {
        return 1.0;
    }
    let b = erlang_b(agents, a);
    (n * b / (n - a * (1.0 - b))).clamp(0.0, 1.0)
}

/// Offered load in Erlangs, or `None` when the inputs make no sense.
fn traffic(arrivals_per_hour: f64, aht_s: f64) -> Option<f64> {
    let valid = arrivals_per_hour.is_finite()
        && arrivals_per_hour >= 0.0
        && aht_s.is_finite()
        && aht_s > 0.0;
    valid.then(|| arrivals_per_hour * aht_s / 3600.0)
}

/// Expected service level: the share of contacts answered within
/// `threshold_s`, `SL = 1 − C·e^{−(N−A)·T/AHT}`.
///
/// 0 when the agents cannot carry the load (N ≤ A); 1 with no arrivals (no
/// contact can miss the threshold — this is what lets [`agents_needed`] answer
/// 0 agents for an empty queue); NaN for invalid inputs (AHT ≤ 0, negative or
/// non-finite values).
pub fn service_level(agents: u32, arrivals_per_hour: f64, aht_s: f64, threshold_s: f64) -> f64 {
    let Some(a) = traffic(arrivals_per_hour, aht_s) else {
        return f64::NAN;
    };
    if !threshold_s.is_finite() || threshold_s < 0.0 {
        return f64::NAN;
    }
    if a == 0.0 {
        return 1.0;
    }
    let n = agents as f64;
    if n <= a {
        return 0.0;
    }
    let c = erlang_c(agents, a);
    (1.0 - c * (-(n - a) * threshold_s / aht_s).exp()).clamp(0.0, 1.0)
}

/// The smallest number of agents whose service level reaches `target_sl`
/// (a fraction, e.g. 0.80).
///
/// `Some(0)` with no arrivals; `None` for invalid inputs (AHT ≤ 0, NaN,
/// negative values, a target outside 0…1) or when even [`MAX_AGENTS`] agents
/// do not reach the target (a target of exactly 1 is never reached with
/// traffic, since SL < 1 for every finite staff).
pub fn agents_needed(
    arrivals_per_hour: f64,
    aht_s: f64,
    threshold_s: f64,
    target_sl: f64,
) -> Option<u32> {
    let a = traffic(arrivals_per_hour, aht_s)?;
    if !threshold_s.is_finite() || threshold_s < 0.0 || !(0.0..=1.0).contains(&target_sl) {
        return None;
    }
    if a == 0.0 {
        return Some(0);
    }
    // Below the load the queue is unstable (SL 0), so start just above it,
    // and carry the Erlang B recursion along instead of restarting it per N.
    let first = (a.floor() as u64 + 1).min(MAX_AGENTS as u64 + 1) as u32;
    let mut b = erlang_b(first.saturating_sub(1), a);
    for n in first..=MAX_AGENTS {
        let ab = a * b;
        b = ab / (n as f64 + ab);
        let nf = n as f64;
        let c = (nf * b / (nf - a * (1.0 - b))).clamp(0.0, 1.0);
        let sl = 1.0 - c * (-(nf - a) * threshold_s / aht_s).exp();
        if sl >= target_sl {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P(wait) from the textbook factorial-sum formula, for small N only:
    /// C = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)).
    fn erlang_c_direct(n: u32, a: f64) -> f64 {
        let mut term = 1.0; // A^k / k!
        let mut sum = 0.0;
        for k in 0..n {
            sum += term;
            term *= a / (k + 1) as f64;
        }
        let top = term * n as f64 / (n as f64 - a);
        top / (sum + top)
    }

    #[test]
    fn matches_the_factorial_formula_for_small_staff() {
        for a in [0.5f64, 1.0, 2.7, 10.0, 17.3] {
            for n in (a.floor() as u32 + 1)..40 {
                let fast = erlang_c(n, a);
                let direct = erlang_c_direct(n, a);
                assert!(
                    (fast - direct).abs() < 1e-12,
                    "N={n} A={a}: {fast} vs {direct}"
                );
            }
        }
    }

    #[test]
    fn classic_hundred_calls_in_half_an_hour() {
        // 100 calls / 30 min = 200 / h, AHT 180 s → A = 10 Erlangs; 80 % in 20 s.
        // By the factorial-sum formula (evaluated separately): N = 11 waits with
        // P = 0.6821 (SL 39.0 %), N = 13 gives SL 79.56 % — just short — and
        // N = 14 gives P = 0.1741, SL = 1 − 0.1741·e^(−4·20/180) = 88.8 %.
        assert!((erlang_c(11, 10.0) - 0.682_118).abs() < 1e-6);
        assert!((erlang_c(14, 10.0) - 0.174_132).abs() < 1e-6);
        assert!((service_level(13, 200.0, 180.0, 20.0) - 0.795_595).abs() < 1e-6);
        assert!((service_level(14, 200.0, 180.0, 20.0) - 0.888_350).abs() < 1e-6);
        assert_eq!(agents_needed(200.0, 180.0, 20.0, 0.80), Some(14));
        // The needed staff is the first N whose SL reaches the target, checked
        // against the independent formula.
        let sl_direct =
            |n: u32| 1.0 - erlang_c_direct(n, 10.0) * (-((n as f64) - 10.0) * 20.0 / 180.0).exp();
        assert!(sl_direct(13) < 0.80 && sl_direct(14) >= 0.80);
    }

    #[test]
    fn overloaded_or_empty_queues() {
        assert_eq!(erlang_c(10, 10.0), 1.0);
        assert_eq!(erlang_c(3, 10.0), 1.0);
        assert_eq!(erlang_c(0, 0.0), 0.0);
        assert_eq!(service_level(10, 200.0, 180.0, 20.0), 0.0);
        assert_eq!(service_level(0, 0.0, 180.0, 20.0), 1.0);
        assert_eq!(agents_needed(0.0, 180.0, 20.0, 0.8), Some(0));
        // A threshold of 0 leaves only "answered without waiting": SL = 1 − C.
        let sl0 = service_level(14, 200.0, 180.0, 0.0);
        assert!((sl0 - (1.0 - erlang_c(14, 10.0))).abs() < 1e-15);
    }

    #[test]
    fn invalid_inputs() {
        assert!(erlang_c(5, f64::NAN).is_nan());
        assert!(erlang_c(5, -1.0).is_nan());
        assert!(service_level(5, 10.0, 0.0, 20.0).is_nan());
        assert_eq!(agents_needed(200.0, 0.0, 20.0, 0.8), None);
        assert_eq!(agents_needed(200.0, -5.0, 20.0, 0.8), None);
        assert_eq!(agents_needed(f64::NAN, 180.0, 20.0, 0.8), None);
        assert_eq!(agents_needed(200.0, 180.0, f64::NAN, 0.8), None);
        assert_eq!(agents_needed(200.0, 180.0, 20.0, f64::NAN), None);
        assert_eq!(agents_needed(200.0, 180.0, 20.0, 1.5), None);
        assert_eq!(agents_needed(200.0, f64::INFINITY, 20.0, 0.8), None);
        // Beyond the cap.
        assert_eq!(agents_needed(1e9, 180.0, 20.0, 0.8), None);
    }

    #[test]
    fn large_floors_stay_finite_and_monotone() {
        // A = 400 Erlangs: A^N / N! overflows f64 long before N = 400.
        let a = 400.0;
        let mut last = 1.0;
        for n in 401..460 {
            let c = erlang_c(n, a);
            assert!(c.is_finite() && (0.0..=1.0).contains(&c));
            assert!(c < last, "P(wait) falls as agents are added");
            last = c;
        }
        // Independent log-space (lgamma) evaluation of the factorial sums:
        // C(420, 400) = 0.230285, and N = 412 is the first with SL ≥ 0.8
        // (SL = 0.802410, C = 0.439745).
        assert!((erlang_c(420, a) - 0.230_285_4).abs() < 1e-6);
        assert!((erlang_c(412, a) - 0.439_745_1).abs() < 1e-6);
        let n = agents_needed(400.0 * 3600.0 / 300.0, 300.0, 20.0, 0.8).expect("reachable");
        assert_eq!(n, 412);
        assert!(service_level(n, 4800.0, 300.0, 20.0) >= 0.8);
        assert!(service_level(n - 1, 4800.0, 300.0, 20.0) < 0.8);
    }
}
