//! ART and service level per channel, against per-channel targets
//! (`[targets.<kpi>.channel.<channel>]`, else the floor's): a phone queue
//! answers in seconds, an e-mail queue in hours, and one floor-wide ART
//! mixing both is always "warn". Pure: the snapshot's queue rows in, one
//! line per channel out. The snapshot's `kpis` keep the floor's figure
//! against the floor's target, as spec section 6 says.
//!
//! The figures are the spec's own, over the contacts of the channel's
//! queues: ART is the mean of `answered_at − arrived_at` over their
//! answered contacts, service level their answered-within over answered +
//! abandoned. Both are put together from the queue rows, each queue's
//! figure times its own denominator (answered; answered + abandoned), so a
//! busy queue weighs as much as its contacts. A queue without a channel
//! is in no channel's line.

use std::collections::BTreeMap;

use super::glance::target_for;
use super::settings::{KpiKey, Settings, Status, Target};
use super::snapshot::QueueReport;

/// One channel's ART and service level against its targets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChannelFigures {
    /// The queues' `channel` as the feed writes it.
    pub channel: String,
    /// ART's n: answered contacts of the channel's queues.
    pub answered: u64,
    /// Service level's n: answered + abandoned.
    pub sl_n: u64,
    pub art_s: Option<f64>,
    pub service_level: Option<f64>,
    pub art_target: Option<Target>,
    pub sl_target: Option<Target>,
    /// Whether the target is the channel's own (else the floor's).
    pub art_own: bool,
    pub sl_own: bool,
    pub art: Option<Status>,
    pub sl: Option<Status>,
}

impl ChannelFigures {
    /// The figure of `key` (ART or service level; `None` for other KPIs).
    pub fn of(&self, key: KpiKey) -> Option<ChannelKpi> {
        let (value, target, own, status) = match key {
            KpiKey::ArtS => (self.art_s, self.art_target, self.art_own, self.art),
            KpiKey::ServiceLevel => (self.service_level, self.sl_target, self.sl_own, self.sl),
            _ => return None,
        };
        Some(ChannelKpi {
            value,
            target,
            own,
            status,
        })
    }

    /// n of `key`'s figure.
    pub fn n(&self, key: KpiKey) -> u64 {
        if key == KpiKey::ArtS {
            self.answered
        } else {
            self.sl_n
        }
    }
}

/// One KPI of one channel: its figure, the target used (the channel's own
/// when `own`, else the floor's) and the status against it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChannelKpi {
    pub value: Option<f64>,
    pub target: Option<Target>,
    pub own: bool,
    pub status: Option<Status>,
}

/// The KPIs shown per channel.
pub const PER_CHANNEL: [KpiKey; 2] = [KpiKey::ArtS, KpiKey::ServiceLevel];

#[derive(Default)]
struct Sums {
    response_s: f64,
    answered: u64,
    within: u64,
    sl_n: u64,
}

/// ART and service level of every channel of `queues`, by channel name.
pub fn by_channel(queues: &[QueueReport], settings: &Settings) -> Vec<ChannelFigures> {
    let mut sums: BTreeMap<&str, Sums> = BTreeMap::new();
    for q in queues {
        let Some(channel) = q.channel.as_deref().filter(|c| !c.trim().is_empty()) else {
            continue;
        };
        let s = sums.entry(channel).or_default();
        if let Some(art) = q.art_s.filter(|v| v.is_finite())
            && q.answered > 0
        {
            s.response_s += art * q.answered as f64;
            s.answered += q.answered;
        }
        let n = q.answered + q.abandoned;
        if let Some(sl) = q.service_level.filter(|v| v.is_finite())
            && n > 0
        {
            // The queue's answered-within count, an integer by definition.
            s.within += (sl * n as f64).round() as u64;
            s.sl_n += n;
        }
    }
    sums.into_iter()
        .map(|(channel, s)| {
            let art_s = (s.answered > 0).then(|| s.response_s / s.answered as f64);
            let service_level = (s.sl_n > 0).then(|| s.within as f64 / s.sl_n as f64);
            let art_target = target_for(settings, KpiKey::ArtS, Some(channel));
            let sl_target = target_for(settings, KpiKey::ServiceLevel, Some(channel));
            let judge = |t: Option<Target>, v: Option<f64>| Some(t?.status(v?));
            ChannelFigures {
                channel: channel.to_string(),
                answered: s.answered,
                sl_n: s.sl_n,
                art_s,
                service_level,
                art_own: settings.channel_target(KpiKey::ArtS, channel).is_some(),
                sl_own: settings
                    .channel_target(KpiKey::ServiceLevel, channel)
                    .is_some(),
                art: judge(art_target, art_s),
                sl: judge(sl_target, service_level),
                art_target,
                sl_target,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::{ChannelTarget, Direction};

    fn queue(
        channel: Option<&str>,
        answered: u64,
        abandoned: u64,
        art: f64,
        sl: f64,
    ) -> QueueReport {
        QueueReport {
            id: format!("q-{}", channel.unwrap_or("none")),
            channel: channel.map(str::to_string),
            answered,
            abandoned,
            art_s: (answered > 0).then_some(art),
            service_level: (answered + abandoned > 0).then_some(sl),
            ..Default::default()
        }
    }

    #[test]
    fn each_channel_is_its_queues_put_together_against_its_own_target() {
        let mut s = Settings::default();
        s.channel_targets.push(ChannelTarget {
            key: KpiKey::ArtS,
            channel: "email".into(),
            target: Target {
                target: 14_400.0,
                warn: None,
                alert: Some(86_400.0),
                direction: Direction::Lower,
            },
        });
        let queues = [
            // Phone: 4 answered at 10 s mean (3 of 5 within) and 1 at 20 s
            // (1 of 1 within): ART (40 + 20) / 5 = 12 s ≤ 15 s (floor) ok;
            // SL (3 + 1) / (5 + 1) = 66.7 % < 80 % (floor) warn.
            queue(Some("phone"), 4, 1, 10.0, 0.6),
            queue(Some("phone"), 1, 0, 20.0, 1.0),
            // E-mail: 2 answered at 2 h mean against its own 4 h: ok; no
            // service-level target of its own, so the floor's 80 %: 0 of 2.
            queue(Some("email"), 2, 0, 7_200.0, 0.0),
            // No channel: in no line.
            queue(None, 9, 9, 1.0, 1.0),
        ];
        let got = by_channel(&queues, &s);
        assert_eq!(
            got.iter().map(|c| c.channel.as_str()).collect::<Vec<_>>(),
            ["email", "phone"]
        );
        let (email, phone) = (&got[0], &got[1]);
        assert_eq!((phone.answered, phone.sl_n), (5, 6));
        assert!((phone.art_s.unwrap() - 12.0).abs() < 1e-9);
        assert!((phone.service_level.unwrap() - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!(
            (phone.art, phone.sl),
            (Some(Status::Ok), Some(Status::Warn))
        );
        assert!(!phone.art_own && !phone.sl_own);
        assert_eq!(phone.art_target.map(|t| t.target), Some(15.0));
        assert_eq!(email.art_s, Some(7_200.0));
        assert_eq!(email.art, Some(Status::Ok));
        assert!(email.art_own && !email.sl_own);
        assert_eq!(email.art_target.map(|t| t.target), Some(14_400.0));
        assert_eq!(
            (email.service_level, email.sl),
            (Some(0.0), Some(Status::Warn))
        );
        assert_eq!(email.of(KpiKey::ArtS).map(|o| o.own), Some(true));
        assert_eq!(email.of(KpiKey::Csat), None);
        assert_eq!(
            (email.n(KpiKey::ArtS), email.n(KpiKey::ServiceLevel)),
            (2, 2)
        );
    }

    #[test]
    fn a_channel_without_contacts_has_no_figure_and_no_status() {
        let got = by_channel(&[queue(Some("chat"), 0, 0, 0.0, 0.0)], &Settings::default());
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].art_s, got[0].service_level), (None, None));
        assert_eq!((got[0].art, got[0].sl), (None, None));
        // A non-finite queue figure (an overflowed sum) is left out, and a
        // blank channel is no channel.
        let mut q = queue(Some("chat"), 3, 0, 1.0, 1.0);
        q.art_s = Some(f64::INFINITY);
        let got = by_channel(&[q, queue(Some(" "), 1, 0, 1.0, 1.0)], &Settings::default());
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].answered, got[0].art_s), (0, None));
        assert_eq!(got[0].service_level, Some(1.0));
    }
}
