//! The console in the lead's language: a compile-time message catalogue.
//!
//! Every user-facing text is a [`Msg`]; [`t`] gives it in a [`Lang`]. The
//! catalogue (`table.rs`) writes each message once with both languages side by
//! side, so a message without its Chinese text does not compile; the tests
//! check that none is empty and that Chinese differs from English except for
//! the few abbreviations in [`SAME_IN_BOTH`].
//!
//! Messages with values use `{}` placeholders filled in order by [`fill`].
//! Other modules' static tables (the key table, the form's hints) hold
//! `Msg` values, never English to be looked up. Errors are typed values
//! that pick their words here through [`Localize`].

pub mod alerts;
pub mod cli;
pub mod detail;
pub mod status;
mod table;

pub use table::Msg;

/// A resolved language (the config's `auto` already decided: the config
/// module chooses it, `Lang::choose`, as `i18n` knows no config).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// Text that says itself in the lead's language. Every error the program
/// makes implements it through the catalogue ([`Msg`]), so what the lead
/// reads never depends on matching English after the fact; `Display` stays
/// English for logs.
pub trait Localize {
    fn localize(&self, lang: Lang) -> String;
}

/// The message in the language.
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::En => msg.en(),
        Lang::Zh => msg.zh(),
    }
}

/// The message with its `{}` placeholders filled in order. Missing values
/// leave `{}` visible (a test catches the count); extra values are ignored.
pub fn tf(lang: Lang, msg: Msg, args: &[&dyn std::fmt::Display]) -> String {
    fill(t(lang, msg), args)
}

/// Fills `{}` placeholders in order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        match args.next() {
            Some(a) => {
                let _ = write!(out, "{a}");
            }
            None => out.push_str("{}"),
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// How many `{}` placeholders a text holds.
pub fn placeholders(s: &str) -> usize {
    s.matches("{}").count()
}

/// Messages that read the same in both languages: abbreviations a Chinese
/// floor uses as they are (ART, AHT, SLA, KPI) and pure symbols.
pub const SAME_IN_BOTH: &[Msg] = &[
    Msg::ColArt,
    Msg::ColAht,
    Msg::ColKpi,
    Msg::ProductName,
    Msg::HintArtAht,
    Msg::AtPlace,
];

use crate::domain::time::TsError;
use crate::domain::window::WindowKind;
use crate::domain::{KpiKey, Status};

/// A timestamp the domain could not read.
impl Localize for TsError {
    fn localize(&self, lang: Lang) -> String {
        let m = match self {
            TsError::Syntax => Msg::TsSyntax,
            TsError::NoOffset => Msg::TsNoOffset,
            TsError::OutOfRange => Msg::TsOutOfRange,
        };
        t(lang, m).to_owned()
    }
}

/// KPI name for the KPI table, tiles and alert line (fits 11 columns).
pub fn kpi_short(lang: Lang, k: KpiKey) -> &'static str {
    let m = match k {
        KpiKey::Csat => Msg::KpiCsatShort,
        KpiKey::Nps => Msg::KpiNpsShort,
        KpiKey::Fcr => Msg::KpiFcrShort,
        KpiKey::AhtS => Msg::KpiAhtShort,
        KpiKey::ArtS => Msg::KpiArtShort,
        KpiKey::ServiceLevel => Msg::KpiSlShort,
        KpiKey::AbandonRate => Msg::KpiAbandonShort,
        KpiKey::TransferRate => Msg::KpiTransferShort,
        KpiKey::RepeatRate => Msg::KpiRepeatShort,
        KpiKey::ContactsPerAgentDay => Msg::KpiPerAgentShort,
        KpiKey::Occupancy => Msg::KpiOccupancyShort,
    };
    t(lang, m)
}

/// The KPI's full name, as a Chinese service centre says it.
pub fn kpi_long(lang: Lang, k: KpiKey) -> &'static str {
    let m = match k {
        KpiKey::Csat => Msg::KpiCsat,
        KpiKey::Nps => Msg::KpiNps,
        KpiKey::Fcr => Msg::KpiFcr,
        KpiKey::AhtS => Msg::KpiAht,
        KpiKey::ArtS => Msg::KpiArt,
        KpiKey::ServiceLevel => Msg::KpiSl,
        KpiKey::AbandonRate => Msg::KpiAbandon,
        KpiKey::TransferRate => Msg::KpiTransfer,
        KpiKey::RepeatRate => Msg::KpiRepeat,
        KpiKey::ContactsPerAgentDay => Msg::KpiPerAgent,
        KpiKey::Occupancy => Msg::KpiOccupancy,
    };
    t(lang, m)
}

/// A feedback stage as written in the data (`new`, `handling`, …) in the
/// language; `short` for narrow panes. Unknown stages are shown as written.
pub fn stage(lang: Lang, stage: &str, short: bool) -> &str {
    let m = match (stage, short) {
        ("new", _) => Msg::StageNew,
        ("handling", false) => Msg::StageHandling,
        ("handling", true) => Msg::StageHandlingShort,
        ("resolved", false) => Msg::StageResolved,
        ("resolved", true) => Msg::StageResolvedShort,
        ("callback", false) => Msg::StageCallback,
        ("callback", true) => Msg::StageCallbackShort,
        ("closed", false) => Msg::StageClosed,
        ("closed", true) => Msg::StageClosedShort,
        _ => return stage,
    };
    t(lang, m)
}

/// An agent flag of spec section 8 as the lead reads it.
pub fn agent_flag(lang: Lang, f: crate::domain::agents::AgentFlag) -> &'static str {
    use crate::domain::agents::AgentFlag as F;
    t(
        lang,
        match f {
            F::BreakOver => Msg::AgFlagBreakOver,
            F::AhtOver => Msg::AgFlagAhtOver,
            F::FcrUnder => Msg::AgFlagFcrUnder,
            F::CsatUnder => Msg::AgFlagCsatUnder,
            F::CriticalError => Msg::AgFlagCriticalError,
            F::QaLow => Msg::AgFlagQaLow,
        },
    )
}

/// An agent state in the language; a state the spec does not know stays as given.
pub fn agent_state(lang: Lang, state: &str) -> &str {
    let m = match state {
        "available" => Msg::AgStateAvailable,
        "busy" => Msg::AgStateBusy,
        "wrap" => Msg::AgStateWrap,
        "break" => Msg::AgStateBreak,
        "offline" => Msg::AgStateOffline,
        _ => return state,
    };
    t(lang, m)
}

/// A spot-check flag (`repeat_48h`, …) as the lead reads it.
pub fn flag(lang: Lang, flag: &str) -> &str {
    let m = match flag {
        "repeat_48h" => Msg::FlagRepeat48h,
        "ivr_over_120s" => Msg::FlagIvrOver120s,
        "transfers_2plus" => Msg::FlagTransfers2Plus,
        "callback_late" => Msg::FlagCallbackLate,
        "red_line" => Msg::FlagRedLine,
        "low_csat" => Msg::FlagLowCsat,
        "sla_breached" => Msg::FlagSlaBreached,
        _ => return flag,
    };
    t(lang, m)
}

/// The feed's words for channel, priority, category, feedback source,
/// callback result and root cause (docs/data-format.md); a value the spec
/// does not list is data and stays as written.
pub fn feed_value(lang: Lang, value: &str) -> &str {
    match lang {
        Lang::En => value,
        Lang::Zh => FEED_WORDS
            .iter()
            .find(|(word, _)| *word == value)
            .map_or(value, |(_, m)| m.zh()),
    }
}

/// [`feed_value`] read back: the data's word for a value written in either
/// language (a Chinese CSV going back in); anything else as written.
pub fn feed_word(value: &str) -> &str {
    FEED_WORDS
        .iter()
        .find(|(_, m)| m.zh() == value)
        .map_or(value, |(word, _)| word)
}

// Keyed by the data format's words, which the English happens to share.
const FEED_WORDS: &[(&str, Msg)] = &[
    ("phone", Msg::ValPhone),
    ("chat", Msg::ValChat),
    ("email", Msg::ValEmail),
    ("ticket", Msg::ValTicket),
    ("social", Msg::ValSocial),
    ("urgent", Msg::ValUrgent),
    ("high", Msg::ValHigh),
    ("medium", Msg::ValMedium),
    ("low", Msg::ValLow),
    ("consult", Msg::ValConsult),
    ("complaint", Msg::ValComplaint),
    ("tech", Msg::ValTech),
    ("suggestion", Msg::ValSuggestion),
    ("phone_complaint", Msg::ValPhoneComplaint),
    ("survey", Msg::ValSurvey),
    ("attitude", Msg::ValAttitude),
    ("expertise", Msg::ValExpertise),
    ("process", Msg::ValProcess),
    ("system", Msg::ValSystem),
    ("product", Msg::ValProduct),
    ("agent", Msg::ValAgent),
    ("satisfied", Msg::ValSatisfied),
    ("unsatisfied", Msg::ValUnsatisfied),
    ("unreached", Msg::ValUnreached),
    ("coaching", Msg::ValCoaching),
    ("process_change", Msg::ValProcessChange),
    ("tool_fix", Msg::ValToolFix),
];

/// A window kind's label (`today`, `shift`, …).
pub fn window(lang: Lang, w: WindowKind) -> &'static str {
    let m = match w {
        WindowKind::Today => Msg::WinToday,
        WindowKind::Shift => Msg::WinShift,
        WindowKind::Yesterday => Msg::WinYesterday,
        WindowKind::Rolling24h => Msg::WinRolling24h,
        WindowKind::ThisWeek => Msg::WinThisWeek,
    };
    t(lang, m)
}

/// A status with its symbol (`✓ ok`, `▲ ALERT`): colour is never the only signal.
pub fn status(lang: Lang, s: Option<Status>) -> &'static str {
    let m = match s {
        Some(Status::Ok) => Msg::StatusOk,
        Some(Status::Warn) => Msg::StatusWarn,
        Some(Status::Alert) => Msg::StatusAlert,
        None => Msg::StatusNa,
    };
    t(lang, m)
}

/// A KPI's formula and what its n counts (spec section 2), in the language.
pub fn definition(lang: Lang, k: KpiKey) -> (&'static str, &'static str) {
    let (f, n) = match k {
        KpiKey::Csat => (Msg::DefCsat, Msg::NCsat),
        KpiKey::Nps => (Msg::DefNps, Msg::NNps),
        KpiKey::Fcr => (Msg::DefFcr, Msg::NHandled),
        KpiKey::AhtS => (Msg::DefAht, Msg::NHandled),
        KpiKey::ArtS => (Msg::DefArt, Msg::NAnswered),
        KpiKey::ServiceLevel => (Msg::DefSl, Msg::NOfferedSl),
        KpiKey::AbandonRate => (Msg::DefAbandon, Msg::NOfferedSl),
        KpiKey::TransferRate => (Msg::DefTransfer, Msg::NHandled),
        KpiKey::RepeatRate => (Msg::DefRepeat, Msg::NOffered),
        KpiKey::ContactsPerAgentDay => (Msg::DefPerAgent, Msg::NAgents),
        KpiKey::Occupancy => (Msg::DefOccupancy, Msg::NStaffed),
    };
    (t(lang, f), t(lang, n))
}

/// A scorecard dimension as configured, in the language: the default
/// dimensions have Chinese names; a lead's own names are shown as written.
/// A scorecard total as the lead reads it: `14/20`; a voided one (critical
/// error, `domain::qa::ScoreTotal`) never reads as a plain `14/20`:
/// `0/20 (void: 2 critical errors, raw 14/20)`, or `0/20 void (2✗ raw 14)`
/// where room is short (`short`, the spot-check list).
pub fn score_total(lang: Lang, s: &crate::domain::qa::ScoreTotal, short: bool) -> String {
    let (scored, max, raw, n) = (s.scored(), s.max, s.raw, s.critical);
    match (s.voided(), short, n) {
        (false, _, _) => format!("{scored}/{max}"),
        (true, true, _) => tf(lang, Msg::ScoreVoidShort, &[&scored, &max, &n, &raw]),
        (true, false, 1) => tf(lang, Msg::ScoreVoidOne, &[&scored, &max, &raw, &max]),
        (true, false, _) => tf(lang, Msg::ScoreVoidMany, &[&scored, &max, &n, &raw, &max]),
    }
}

pub fn dimension(lang: Lang, name: &str) -> &str {
    let m = match name {
        "responsiveness" => Msg::DimTimeliness,
        "attitude" => Msg::DimAttitude,
        "expertise" => Msg::DimExpertise,
        "resolution" => Msg::DimResolution,
        _ => return name,
    };
    match lang {
        Lang::En => name,
        Lang::Zh => m.zh(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_words_read_back_from_either_language() {
        for word in ["unsatisfied", "process", "agent", "coaching", "tool_fix"] {
            let zh = feed_value(Lang::Zh, word);
            assert_ne!(zh, word, "{word} has a Chinese word");
            assert_eq!(feed_word(zh), word);
            assert_eq!(feed_word(word), word);
        }
        assert_eq!(feed_word("天气"), "天气", "unknown values stay as written");
    }
}
