//! Erlang C staffing: how many agents a queue needs to answer a share of
//! contacts within a threshold, assuming Poisson arrivals, exponential handle
//! times and callers who wait (no abandons) — the textbook planning model.
//!
//! Traffic A (Erlangs) = arrivals per hour × AHT seconds ÷ 3600.
//! P(wait) is computed through the Erlang B recursion
//! `B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))`, then
//! `C = N·B / (N − A·(1 − B))`: every step stays in [0, 1], so there are no
//! factorials or powers to overflow, even for thousands of agents, and each
//! step damps the rounding error of the one before (the recursion is the
//! numerically stable way to evaluate Erlang B).
//!
//! Nonsense in, `None` out: every function answers `None` (never NaN, never a
//! panic, never a huge number) for a negative or non-finite rate, AHT or
//! threshold, an AHT of 0 with contacts arriving (the load is unknown, not
//! zero: a feed without handle times), or a target outside the open interval
//! 0…1 (a target of 1 is never reached with traffic, a target of 0 asks for
//! nothing). No arrivals is not nonsense: the queue needs 0 agents (spec
//! section 9: "0 when A = 0").

/// Search cap for [`agents_needed`]: no single queue plans beyond this
/// (`None` above it, rather than a number no floor can act on).
pub const MAX_AGENTS: u32 = 100_000;

/// Erlang B blocking probability for `agents` servers and `traffic` Erlangs
/// (traffic finite and ≥ 0).
fn erlang_b(agents: u32, traffic: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=agents {
        let ab = traffic * b;
        b = ab / (k as f64 + ab);
    }
    b
}

/// Erlang C from Erlang B for `n` agents (n > a > 0).
fn c_from_b(n: f64, a: f64, b: f64) -> f64 {
    (n * b / (n - a * (1.0 - b))).clamp(0.0, 1.0)
}

/// Probability that a contact has to wait (Erlang C) with `agents` agents
/// and `traffic_erlangs` offered load.
///
/// 1 when the load meets or exceeds the agents (the queue grows without
/// bound), 0 with no traffic, `None` for negative or non-finite traffic.
pub fn erlang_c(agents: u32, traffic_erlangs: f64) -> Option<f64> {
    let a = traffic_erlangs;
    if !a.is_finite() || a < 0.0 {
        return None;
    }
    if a == 0.0 {
        return Some(0.0);
    }
    let n = agents as f64;
    if n <= a {
        return Some(1.0);
    }
    Some(c_from_b(n, a, erlang_b(agents, a)))
}

/// Offered load in Erlangs, or `None` when the inputs make no sense (see the
/// module notes: AHT must be > 0 unless nothing arrives).
pub fn traffic(arrivals_per_hour: f64, aht_s: f64) -> Option<f64> {
    let finite = arrivals_per_hour.is_finite() && aht_s.is_finite();
    if !finite || arrivals_per_hour < 0.0 || aht_s < 0.0 {
        return None;
    }
    if arrivals_per_hour == 0.0 {
        return Some(0.0);
    }
    (aht_s > 0.0).then(|| arrivals_per_hour * aht_s / 3600.0)
}

fn valid_threshold(threshold_s: f64) -> bool {
    threshold_s.is_finite() && threshold_s >= 0.0
}

fn valid_target(target_sl: f64) -> bool {
    target_sl > 0.0 && target_sl < 1.0
}

/// Expected service level: the share of contacts answered within
/// `threshold_s`, `SL = 1 − C·e^{−(N−A)·T/AHT}`.
///
/// 0 when the agents cannot carry the load (N ≤ A); 1 with no arrivals (no
/// contact can miss the threshold — this is what lets [`agents_needed`] answer
/// 0 agents for an empty queue); `None` for invalid inputs.
pub fn service_level(
    agents: u32,
    arrivals_per_hour: f64,
    aht_s: f64,
    threshold_s: f64,
) -> Option<f64> {
    let a = traffic(arrivals_per_hour, aht_s)?;
    if !valid_threshold(threshold_s) {
        return None;
    }
    if a == 0.0 {
        return Some(1.0);
    }
    let n = agents as f64;
    if n <= a {
        return Some(0.0);
    }
    let c = erlang_c(agents, a)?;
    Some((1.0 - c * (-(n - a) * threshold_s / aht_s).exp()).clamp(0.0, 1.0))
}

/// The smallest number of agents whose service level reaches `target_sl`
/// (a fraction strictly between 0 and 1, e.g. 0.80).
///
/// `Some(0)` with no arrivals; `None` for invalid inputs or when even
/// [`MAX_AGENTS`] agents do not reach the target.
pub fn agents_needed(
    arrivals_per_hour: f64,
    aht_s: f64,
    threshold_s: f64,
    target_sl: f64,
) -> Option<u32> {
    let a = traffic(arrivals_per_hour, aht_s)?;
    if !valid_threshold(threshold_s) || !valid_target(target_sl) {
        return None;
    }
    if a == 0.0 {
        return Some(0);
    }
    if a >= MAX_AGENTS as f64 {
        return None;
    }
    // Below the load the queue is unstable (SL 0), so start just above it,
    // and carry the Erlang B recursion along instead of restarting it per N.
    let first = a.floor() as u32 + 1;
    let mut b = erlang_b(first - 1, a);
    for n in first..=MAX_AGENTS {
        let ab = a * b;
        b = ab / (n as f64 + ab);
        let nf = n as f64;
        let sl = 1.0 - c_from_b(nf, a, b) * (-(nf - a) * threshold_s / aht_s).exp();
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

    /// The same formula evaluated in log space (log-sum-exp over
    /// k·ln A − ln k!), an independent route that stays finite for
    /// thousands of agents.
    fn erlang_c_logspace(n: u32, a: f64) -> f64 {
        let mut ln_fact = 0.0;
        let mut terms = Vec::with_capacity(n as usize + 1);
        for k in 0..=n {
            if k > 0 {
                ln_fact += (k as f64).ln();
            }
            terms.push(k as f64 * a.ln() - ln_fact);
        }
        let nf = n as f64;
        let top = terms[n as usize] + (nf / (nf - a)).ln();
        let max = terms.iter().copied().fold(top, f64::max);
        let sum: f64 = terms[..n as usize]
            .iter()
            .map(|t| (t - max).exp())
            .sum::<f64>();
        let top = (top - max).exp();
        top / (sum + top)
    }

    fn c(n: u32, a: f64) -> f64 {
        erlang_c(n, a).expect("valid traffic")
    }

    fn sl(n: u32, rate: f64, aht: f64, thr: f64) -> f64 {
        service_level(n, rate, aht, thr).expect("valid inputs")
    }

    #[test]
    fn matches_the_factorial_formula_for_small_staff() {
        for a in [0.5f64, 1.0, 2.7, 10.0, 17.3] {
            for n in (a.floor() as u32 + 1)..40 {
                let fast = c(n, a);
                let direct = erlang_c_direct(n, a);
                assert!(
                    (fast - direct).abs() < 1e-12,
                    "N={n} A={a}: {fast} vs {direct}"
                );
            }
        }
    }

    #[test]
    fn published_erlang_b_table_value() {
        // Source: the Erlang calculator manual of Westbay Engineers,
        // erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm:
        // "15 lines … one call in one hundred will be blocked … 8.108 Erlangs".
        // The published figure is rounded to 3 decimals, so 1 % blocking must
        // be crossed within half a unit of its last digit.
        assert!(erlang_b(15, 8.1075) < 0.01);
        assert!(erlang_b(15, 8.1085) > 0.01);
    }

    #[test]
    fn published_erlang_c_calculator_example() {
        // Source: the worked example of the Erlang C calculator by
        // personal.telefonica.terra.es/web/vr/erlang/eng/mcerlc.htm:
        // "600 calls with call length of 120 seconds, that is a traffic of
        // 20 erlangs. For a target delay probability of 15 % the number of
        // circuits needed are 26. The average delay is … 3 seconds per call.
        // If circuits are incremented to 30, delay is reduced to 2.5 %. Those
        // 30 circuits with 15 % of delay could attend a traffic of 23.6 erlangs."
        let a = traffic(600.0, 120.0).expect("valid");
        assert_eq!(a, 20.0);
        assert!(c(25, a) > 0.15 && c(26, a) <= 0.15, "26 is the first N");
        let asa = c(26, a) * 120.0 / (26.0 - a);
        assert_eq!(asa.round(), 3.0, "average delay {asa} s");
        assert_eq!((c(30, a) * 1000.0).round(), 25.0, "2.5 %");
        assert_eq!((c(30, 23.6) * 100.0).round(), 15.0, "15 % at 23.6 Erlangs");
        assert!(c(30, 23.55) < c(30, 23.6) && c(30, 23.6) < c(30, 23.65));
    }

    #[test]
    fn classic_hundred_calls_in_half_an_hour() {
        // 100 calls / 30 min = 200 / h, AHT 180 s → A = 10 Erlangs; 80 % in 20 s.
        // By the factorial-sum formula (evaluated separately): N = 11 waits with
        // P = 0.6821 (SL 39.0 %), N = 13 gives SL 79.56 % — just short — and
        // N = 14 gives P = 0.1741, SL = 1 − 0.1741·e^(−4·20/180) = 88.8 %.
        assert!((c(11, 10.0) - 0.682_118).abs() < 1e-6);
        assert!((c(14, 10.0) - 0.174_132).abs() < 1e-6);
        assert!((sl(13, 200.0, 180.0, 20.0) - 0.795_595).abs() < 1e-6);
        assert!((sl(14, 200.0, 180.0, 20.0) - 0.888_350).abs() < 1e-6);
        assert_eq!(agents_needed(200.0, 180.0, 20.0, 0.80), Some(14));
        let sl_direct =
            |n: u32| 1.0 - erlang_c_direct(n, 10.0) * (-((n as f64) - 10.0) * 20.0 / 180.0).exp();
        assert!(sl_direct(13) < 0.80 && sl_direct(14) >= 0.80);
    }

    #[test]
    fn overloaded_or_empty_queues() {
        assert_eq!(erlang_c(10, 10.0), Some(1.0));
        assert_eq!(erlang_c(3, 10.0), Some(1.0));
        assert_eq!(erlang_c(0, 0.0), Some(0.0));
        assert_eq!(service_level(10, 200.0, 180.0, 20.0), Some(0.0));
        assert_eq!(service_level(0, 0.0, 180.0, 20.0), Some(1.0));
        assert_eq!(agents_needed(0.0, 180.0, 20.0, 0.8), Some(0));
        // No arrivals needs nobody, whatever the (finite, non-negative) AHT.
        assert_eq!(agents_needed(0.0, 0.0, 20.0, 0.8), Some(0));
        // A threshold of 0 leaves only "answered without waiting": SL = 1 − C.
        let sl0 = sl(14, 200.0, 180.0, 0.0);
        assert!((sl0 - (1.0 - c(14, 10.0))).abs() < 1e-15);
    }

    #[test]
    fn nonsense_inputs_answer_none() {
        let nan = f64::NAN;
        let inf = f64::INFINITY;
        assert_eq!(erlang_c(5, nan), None);
        assert_eq!(erlang_c(5, -1.0), None);
        assert_eq!(erlang_c(5, inf), None);
        assert_eq!(service_level(5, 10.0, 0.0, 20.0), None);
        assert_eq!(service_level(5, 10.0, 180.0, -1.0), None);
        // (arrivals per hour, AHT s, threshold s, target)
        let cases = [
            (200.0, 0.0, 20.0, 0.8),
            (200.0, -5.0, 20.0, 0.8),
            (200.0, nan, 20.0, 0.8),
            (200.0, inf, 20.0, 0.8),
            (-1.0, 180.0, 20.0, 0.8),
            (nan, 180.0, 20.0, 0.8),
            (inf, 180.0, 20.0, 0.8),
            (0.0, -1.0, 20.0, 0.8),
            (0.0, nan, 20.0, 0.8),
            (200.0, 180.0, nan, 0.8),
            (200.0, 180.0, -1.0, 0.8),
            (200.0, 180.0, inf, 0.8),
            (200.0, 180.0, 20.0, nan),
            (200.0, 180.0, 20.0, 0.0),
            (200.0, 180.0, 20.0, 1.0),
            (200.0, 180.0, 20.0, 1.5),
            (200.0, 180.0, 20.0, -0.2),
            (0.0, 180.0, 20.0, 1.0),
            // Beyond the cap: 1e9 / h × 180 s = 50 million Erlangs.
            (1e9, 180.0, 20.0, 0.8),
            (f64::MAX, f64::MAX, 20.0, 0.8),
        ];
        for (rate, aht, thr, target) in cases {
            assert_eq!(
                agents_needed(rate, aht, thr, target),
                None,
                "{rate} / h, AHT {aht}, T {thr}, target {target}"
            );
        }
    }

    #[test]
    fn large_floors_stay_exact() {
        // A = 400 Erlangs: A^N / N! overflows f64 long before N = 400.
        let a = 400.0;
        let mut last = 1.0;
        for n in 401..460 {
            let cn = c(n, a);
            assert!(cn.is_finite() && (0.0..=1.0).contains(&cn));
            assert!(cn < last, "P(wait) falls as agents are added");
            last = cn;
        }
        // C(420, 400) = 0.230285, and N = 412 is the first with SL ≥ 0.8
        // (SL = 0.802410, C = 0.439745).
        assert!((c(420, a) - 0.230_285_4).abs() < 1e-6);
        assert!((c(412, a) - 0.439_745_1).abs() < 1e-6);
        assert!((erlang_c_logspace(420, a) - 0.230_285_4).abs() < 1e-6);
        let n = agents_needed(400.0 * 3600.0 / 300.0, 300.0, 20.0, 0.8).expect("reachable");
        assert_eq!(n, 412);
        assert!(sl(n, 4800.0, 300.0, 20.0) >= 0.8);
        assert!(sl(n - 1, 4800.0, 300.0, 20.0) < 0.8);

        // Thousands of agents: the recursion agrees with the log-space sums.
        for (a, ns) in [
            (2000.0, [2001u32, 2010, 2040, 2100, 2200]),
            (7500.5, [7501, 7550, 7600, 7700, 7900]),
        ] {
            for n in ns {
                let (fast, slow) = (c(n, a), erlang_c_logspace(n, a));
                assert!((fast - slow).abs() < 1e-9, "N={n} A={a}: {fast} vs {slow}");
            }
        }
        // 60 000 contacts an hour at 300 s = 5 000 Erlangs; the staff found
        // is the first N whose log-space SL reaches 80 % in 20 s.
        let n = agents_needed(60_000.0, 300.0, 20.0, 0.8).expect("reachable");
        let sl_log = |n: u32| {
            1.0 - erlang_c_logspace(n, 5000.0) * (-((n as f64) - 5000.0) * 20.0 / 300.0).exp()
        };
        assert!(sl_log(n) >= 0.8 && sl_log(n - 1) < 0.8, "N = {n}");
        assert!((5000..5100).contains(&n), "N = {n}");
    }

    /// A small deterministic generator (64-bit LCG, upper bits) for the
    /// property loops below.
    struct Gen(u64);
    impl Gen {
        fn unit(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
        fn range(&mut self, lo: f64, hi: f64) -> f64 {
            lo + (hi - lo) * self.unit()
        }
    }

    /// Random but valid inputs: up to 30 000 contacts an hour (2 500
    /// Erlangs at 300 s), AHT 5 s…1 h, threshold 0…120 s, target 5…99 %.
    fn inputs(g: &mut Gen) -> (f64, f64, f64, f64) {
        let rate = if g.unit() < 0.1 {
            g.range(0.0, 5.0)
        } else {
            g.range(0.0, 30_000.0) * g.unit()
        };
        (
            rate,
            g.range(5.0, 3600.0) * g.unit().max(0.05),
            g.range(0.0, 120.0),
            g.range(0.05, 0.99),
        )
    }

    #[test]
    fn property_more_arrivals_or_longer_handling_never_need_fewer_agents() {
        let mut g = Gen(7);
        for _ in 0..1500 {
            let (rate, aht, thr, target) = inputs(&mut g);
            let base = agents_needed(rate, aht, thr, target).expect("valid and under the cap");
            let more = rate * g.range(1.0, 1.5) + g.range(0.0, 3.0);
            let longer = aht * g.range(1.0, 1.5) + g.range(0.0, 3.0);
            let by_rate = agents_needed(more, aht, thr, target).expect("valid");
            let by_aht = agents_needed(rate, longer, thr, target).expect("valid");
            assert!(
                by_rate >= base,
                "{rate}→{more} / h, AHT {aht}, T {thr}, {target}: {base}→{by_rate}"
            );
            assert!(
                by_aht >= base,
                "{rate} / h, AHT {aht}→{longer}, T {thr}, {target}: {base}→{by_aht}"
            );
        }
    }

    #[test]
    fn property_the_answer_is_the_smallest_staff_that_reaches_the_target() {
        let mut g = Gen(11);
        for _ in 0..1500 {
            let (rate, aht, thr, target) = inputs(&mut g);
            let n = agents_needed(rate, aht, thr, target).expect("valid");
            let a = traffic(rate, aht).expect("valid");
            assert!(n as f64 > a || a == 0.0, "more agents than Erlangs");
            assert!(sl(n, rate, aht, thr) >= target);
            if n > 0 {
                assert!(sl(n - 1, rate, aht, thr) < target, "N = {n} is minimal");
            }
            // A stricter target or a shorter threshold never needs fewer.
            let stricter = (target + g.range(0.0, 0.99 - target)).min(0.99);
            assert!(agents_needed(rate, aht, thr, stricter).expect("valid") >= n);
            assert!(agents_needed(rate, aht, thr * g.unit(), target).expect("valid") >= n);
        }
    }
}
