//! The floor's fixed shape: queues, the agent pools that serve them, intraday
//! arrival curves and handle-time distributions. Numbers are chosen so that
//! the default KPIs land near their targets (AHT ≈ 252 s, SL ≈ 80 % in 20 s,
//! CSAT ≈ 88 %) with hours that warn and alert.

/// Wire names of the channels.
pub const CHANNEL: [&str; 5] = ["phone", "chat", "email", "ticket", "social"];
pub const CH_PHONE: u8 = 0;
pub const CH_CHAT: u8 = 1;
pub const CH_EMAIL: u8 = 2;
pub const CH_TICKET: u8 = 3;
pub const CH_SOCIAL: u8 = 4;

pub const CATEGORY: [&str; 4] = ["consult", "complaint", "tech", "suggestion"];
pub const CAT_COMPLAINT: u8 = 1;
pub const CAT_TECH: u8 = 2;
pub const CAT_SUGGESTION: u8 = 3;

/// Most urgent first; index is the dispatch rank.
pub const PRIORITY: [&str; 4] = ["urgent", "high", "medium", "low"];

pub const STATE: [&str; 5] = ["available", "busy", "wrap", "break", "offline"];
pub const ST_AVAILABLE: u8 = 0;
pub const ST_BUSY: u8 = 1;
pub const ST_WRAP: u8 = 2;
pub const ST_BREAK: u8 = 3;
pub const ST_OFFLINE: u8 = 4;

pub const FB_SOURCE: [&str; 5] = ["chat", "phone_complaint", "survey", "social", "email"];
pub const FB_CATEGORY: [&str; 4] = ["attitude", "expertise", "process", "system"];
pub const FB_STAGE: [&str; 5] = ["new", "handling", "resolved", "callback", "closed"];
pub const CALLBACK_RESULT: [&str; 3] = ["satisfied", "unsatisfied", "unreached"];
pub const ROOT_CAUSE: [&str; 4] = ["agent", "process", "system", "product"];

/// Log-normal: median seconds and log-space sigma.
#[derive(Clone, Copy)]
pub struct LogNormal {
    pub median: f64,
    pub sigma: f64,
}

impl LogNormal {
    pub fn mean(self) -> f64 {
        self.median * (self.sigma * self.sigma / 2.0).exp()
    }
}

pub struct QueueDef {
    pub id: &'static str,
    pub name: &'static str,
    pub channel: u8,
    pub sl_seconds: u32,
    pub pool: usize,
    /// Share of its pool's arrivals.
    pub share: f64,
    pub talk: LogNormal,
    /// Probability of any hold, and the hold length when there is one.
    pub hold_p: f64,
    pub hold: LogNormal,
    pub wrap: LogNormal,
    /// Time in the IVR before queueing (phone only).
    pub ivr: Option<LogNormal>,
    /// How long a waiting customer stays before abandoning; `None` = never
    /// (e-mails and tickets wait in a backlog).
    pub patience: Option<LogNormal>,
    /// Survey response rate of handled contacts.
    pub survey_rate: f64,
    /// Share of handled contacts with a note or transcript excerpt.
    pub text_rate: f64,
    /// Share of callers with a withheld number (no `customer`).
    pub anonymous: f64,
}

pub const Q_HOTLINE: usize = 0;
pub const Q_VIP: usize = 1;
pub const Q_CHAT: usize = 2;
pub const Q_SOCIAL: usize = 3;
pub const Q_EMAIL: usize = 4;
pub const Q_TICKET: usize = 5;

const fn ln(median: f64, sigma: f64) -> LogNormal {
    LogNormal { median, sigma }
}

pub const QUEUES: [QueueDef; 6] = [
    QueueDef {
        id: "hotline",
        name: "售后热线 After-sales",
        channel: CH_PHONE,
        sl_seconds: 20,
        pool: POOL_PHONE,
        share: 0.86,
        talk: ln(172.0, 0.55),
        hold_p: 0.28,
        hold: ln(35.0, 0.7),
        wrap: ln(22.0, 0.5),
        ivr: Some(ln(46.0, 0.5)),
        patience: Some(ln(110.0, 1.0)),
        survey_rate: 0.16,
        text_rate: 0.12,
        anonymous: 0.025,
    },
    QueueDef {
        id: "vip",
        name: "VIP 专线 VIP",
        channel: CH_PHONE,
        sl_seconds: 20,
        pool: POOL_PHONE,
        share: 0.14,
        talk: ln(196.0, 0.5),
        hold_p: 0.22,
        hold: ln(30.0, 0.6),
        wrap: ln(25.0, 0.5),
        ivr: Some(ln(28.0, 0.6)),
        patience: Some(ln(140.0, 0.9)),
        survey_rate: 0.22,
        text_rate: 0.2,
        anonymous: 0.0,
    },
    QueueDef {
        id: "chat",
        name: "在线客服 Web chat",
        channel: CH_CHAT,
        sl_seconds: 20,
        pool: POOL_CHAT,
        share: 0.8,
        talk: ln(185.0, 0.6),
        hold_p: 0.0,
        hold: ln(1.0, 0.0),
        wrap: ln(14.0, 0.5),
        ivr: None,
        patience: Some(ln(150.0, 1.0)),
        survey_rate: 0.24,
        text_rate: 0.35,
        anonymous: 0.0,
    },
    QueueDef {
        id: "social",
        name: "微信/微博 Social",
        channel: CH_SOCIAL,
        sl_seconds: 900,
        pool: POOL_CHAT,
        share: 0.2,
        talk: ln(150.0, 0.7),
        hold_p: 0.0,
        hold: ln(1.0, 0.0),
        wrap: ln(15.0, 0.5),
        ivr: None,
        patience: Some(ln(5400.0, 1.0)),
        survey_rate: 0.1,
        text_rate: 0.3,
        anonymous: 0.0,
    },
    QueueDef {
        id: "email",
        name: "邮件 Email",
        channel: CH_EMAIL,
        sl_seconds: 4 * 3600,
        pool: POOL_BACK,
        share: 0.58,
        talk: ln(190.0, 0.6),
        hold_p: 0.0,
        hold: ln(1.0, 0.0),
        wrap: ln(30.0, 0.5),
        ivr: None,
        patience: None,
        survey_rate: 0.09,
        text_rate: 0.25,
        anonymous: 0.0,
    },
    QueueDef {
        id: "ticket",
        name: "工单 Tickets",
        channel: CH_TICKET,
        sl_seconds: 24 * 3600,
        pool: POOL_BACK,
        share: 0.42,
        talk: ln(210.0, 0.6),
        hold_p: 0.0,
        hold: ln(1.0, 0.0),
        wrap: ln(38.0, 0.5),
        ivr: None,
        patience: None,
        survey_rate: 0.08,
        text_rate: 0.4,
        anonymous: 0.0,
    },
];

pub const POOL_PHONE: usize = 0;
pub const POOL_CHAT: usize = 1;
pub const POOL_BACK: usize = 2;

pub struct PoolDef {
    /// Share of all agents.
    pub share: f64,
    /// Contacts one agent works at once (chat agents juggle two).
    pub concurrency: u8,
    /// Effective throughput multiplier of that concurrency.
    pub concurrency_gain: f64,
    /// Load multiplier: on the square-root staffing rule for live channels,
    /// offered work ÷ staffed capacity for the back office. Below 1 because
    /// follow-up contacts (redials, unresolved cases) come on top, ~10 %.
    pub load: f64,
    /// Queues served; agents prefer one of them (see `first_choice`).
    pub queues: [usize; 2],
    /// Share of agents who take the second queue first (VIP-trained, social desk, tickets).
    pub second_first: f64,
    /// Team name parts: Chinese, English.
    pub team: (&'static str, &'static str),
    /// Arrivals follow the staffed capacity (live channels) or the curve
    /// alone (back office: e-mails arrive at night and wait).
    pub follows_staffing: bool,
    /// Allowed shift starts, in half hours after midnight.
    pub first_start: usize,
    pub last_start: usize,
    pub curve: &'static [f64; 24],
}

/// Relative arrivals by local hour: morning and afternoon peaks, a lunch dip,
/// an evening shoulder and quiet nights.
pub const PHONE_CURVE: [f64; 24] = [
    0.5, 0.3, 0.2, 0.15, 0.15, 0.3, 0.8, 2.4, 5.6, 8.8, 10.0, 9.4, 7.2, 7.6, 9.2, 9.6, 8.6, 7.2,
    5.6, 4.6, 4.0, 3.0, 1.8, 0.9,
];
pub const CHAT_CURVE: [f64; 24] = [
    1.0, 0.5, 0.3, 0.2, 0.2, 0.3, 0.7, 1.6, 3.6, 6.0, 7.6, 7.6, 6.6, 6.6, 7.2, 7.6, 7.2, 6.8, 6.8,
    7.4, 7.8, 6.8, 4.4, 2.2,
];
pub const BACK_CURVE: [f64; 24] = [
    1.4, 1.0, 0.8, 0.7, 0.7, 0.9, 1.5, 3.0, 5.0, 6.6, 7.0, 6.6, 5.6, 6.0, 6.6, 6.2, 5.6, 5.0, 4.6,
    4.2, 3.6, 3.0, 2.4, 1.8,
];

pub const POOLS: [PoolDef; 3] = [
    PoolDef {
        share: 0.55,
        concurrency: 1,
        concurrency_gain: 1.0,
        load: 0.93,
        queues: [Q_HOTLINE, Q_VIP],
        second_first: 0.3,
        team: ("热线", "Hotline"),
        follows_staffing: true,
        first_start: 0,
        last_start: 47,
        curve: &PHONE_CURVE,
    },
    PoolDef {
        share: 0.27,
        concurrency: 2,
        concurrency_gain: 1.85,
        load: 0.93,
        queues: [Q_CHAT, Q_SOCIAL],
        second_first: 0.25,
        team: ("在线", "Chat"),
        follows_staffing: true,
        first_start: 0,
        last_start: 47,
        curve: &CHAT_CURVE,
    },
    PoolDef {
        share: 0.18,
        concurrency: 1,
        concurrency_gain: 1.0,
        load: 0.92,
        queues: [Q_EMAIL, Q_TICKET],
        second_first: 0.4,
        team: ("后台", "Back office"),
        follows_staffing: false,
        first_start: 14, // 07:00
        last_start: 26,  // 13:00
        curve: &BACK_CURVE,
    },
];

/// Agents per team.
pub const TEAM_SIZE: usize = 12;
/// A shift: 9 h on the floor with a 1 h lunch.
pub const SHIFT_HALF_HOURS: usize = 18;
pub const LUNCH_AT_HALF_HOUR: usize = 8;

/// Handle-time factor by local hour: quick mornings, slower afternoons, and
/// evenings staffed with newer agents, so AHT warns and alerts in some hours.
pub const HOUR_HANDLE_FACTOR: [f64; 24] = [
    1.06, 1.06, 1.06, 1.06, 1.06, 1.04, 0.98, 0.94, 0.94, 0.95, 0.97, 0.99, 1.01, 1.02, 1.04, 1.06,
    1.06, 1.08, 1.10, 1.12, 1.12, 1.10, 1.08, 1.06,
];

/// Transfers of a handled contact: 0 (90 %), 1 (7.5 %), 2 (2 %), 3 (0.5 %).
/// Tech problems and complaints are passed on more often (`HARD_TRANSFER_WEIGHTS`).
pub const TRANSFER_WEIGHTS: [u32; 4] = [900, 75, 20, 5];
pub const HARD_TRANSFER_WEIGHTS: [u32; 4] = [850, 105, 35, 10];
/// Talk seconds added per transfer (explaining the case again).
pub const TRANSFER_TALK_S: f64 = 45.0;

/// Contact categories per channel family (consult, complaint, tech, suggestion).
pub const CATEGORY_WEIGHTS: [[u32; 4]; 5] = [
    [54, 16, 22, 8],  // phone
    [58, 12, 22, 8],  // chat
    [44, 24, 16, 16], // email
    [30, 26, 38, 6],  // ticket
    [46, 30, 8, 16],  // social
];
/// During an incident the mix turns to tech problems and complaints.
pub const INCIDENT_CATEGORY_WEIGHTS: [u32; 4] = [25, 25, 48, 2];

/// Priorities by category (urgent, high, medium, low).
pub const PRIORITY_WEIGHTS: [[u32; 4]; 4] = [
    [1, 4, 68, 27],  // consult
    [10, 36, 50, 4], // complaint
    [6, 16, 64, 14], // tech
    [0, 1, 14, 85],  // suggestion
];

/// Probability a handled contact is left unresolved, by category.
pub const UNRESOLVED: [f64; 4] = [0.05, 0.2, 0.13, 0.04];

/// Mean handle time (talk + hold + wrap) of a queue, averaged over the day.
pub fn mean_handle_s(q: &QueueDef) -> f64 {
    let transfers = TRANSFER_WEIGHTS
        .iter()
        .enumerate()
        .map(|(n, &w)| n as f64 * w as f64)
        .sum::<f64>()
        / TRANSFER_WEIGHTS.iter().map(|&w| w as f64).sum::<f64>();
    let day_factor = HOUR_HANDLE_FACTOR.iter().sum::<f64>() / 24.0;
    (q.talk.mean() + transfers * TRANSFER_TALK_S) * day_factor
        + q.hold_p * q.hold.mean()
        + q.wrap.mean()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_sum_to_one() {
        assert!((POOLS.iter().map(|p| p.share).sum::<f64>() - 1.0).abs() < 1e-9);
        for (i, _) in POOLS.iter().enumerate() {
            let s: f64 = QUEUES.iter().filter(|q| q.pool == i).map(|q| q.share).sum();
            assert!((s - 1.0).abs() < 1e-9, "pool {i}");
        }
        for (i, p) in POOLS.iter().enumerate() {
            assert_eq!(QUEUES[p.queues[0]].pool, i);
            assert_eq!(QUEUES[p.queues[1]].pool, i);
        }
    }

    #[test]
    fn phone_handle_time_is_near_target() {
        // lognormal mean = median·e^{σ²/2}: 172·e^{0.15125} ≈ 200.1 s talk.
        assert!((QUEUES[Q_HOTLINE].talk.mean() - 200.09).abs() < 0.1);
        let aht = mean_handle_s(&QUEUES[Q_HOTLINE]);
        assert!((225.0..265.0).contains(&aht), "{aht}");
    }
}
