//! What goes into `App::update` ([`Action`]) and what comes out of it
//! ([`Effect`], for the runtime to run and answer with another action).

use chrono::NaiveDate;

use crate::config::ScorecardConfig;
use crate::domain::followup::{FollowupEvent, FollowupRules};
use crate::domain::scorecard::SpotScore;
use crate::domain::status::OutboxSummary;

use super::filter::Filter;
use super::form::FormKey;
use super::keymap::KeyAction;
use super::view::EngineMsg;
use crate::domain::notes::KpiNoteEntry;
use crate::domain::window::WindowKind;

/// Commands for the engine.
#[derive(Clone, Debug, PartialEq)]
pub enum EngineCmd {
    SetWindow(WindowKind),
    SetFilter(Filter),
    Reload,
    /// Compute the coaching figures of this agent (id) with every view;
    /// `None` stops.
    Coach(Option<String>),
    /// A score was saved: compute a view now (the agents' QA figures).
    ScoresChanged,
    /// Compute the shift handover (`domain::handover`, with these
    /// follow-up rules) with every view; `None` stops.
    Handover(Option<FollowupRules>),
    /// Another console wrote to the shared store (alerts, their
    /// acknowledgements, handover acknowledgements): compute a view now,
    /// which reads them again.
    StoreChanged,
}

/// What the caller must do after an update.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Engine(EngineCmd),
    Quit,
    /// Write this scorecard; answer with [`Action::ScoreSaved`].
    SaveScore(Box<SpotScore>),
    /// Read the day's scorecards; answer with [`Action::Scores`].
    LoadScores(NaiveDate),
    /// Read the scorecards of one agent's contacts sampled on the days
    /// `from..=to`; answer with [`Action::AgentScores`].
    LoadAgentScores {
        agent: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Append this follow-up event (author: `App.author`); answer with
    /// [`Action::FollowupSaved`].
    SaveFollowup(FollowupEvent),
    /// Write this KPI note (author: `App.author`); answer with
    /// [`Action::KpiNoteSaved`].
    SaveKpiNote(KpiNoteEntry),
    /// Read the write-back outbox; answer with [`Action::Outbox`].
    CheckOutbox,
    /// Claim the scorecard of a contact for this lead (`App.author`) while
    /// its form is open; answer with [`Action::ScorecardClaim`].
    ClaimScorecard(NaiveDate, String),
    /// Give the claim up (saved or cancelled); no answer.
    ReleaseScorecard(NaiveDate, String),
    /// Save the lead's acknowledgement of an alert episode (who:
    /// `App.author`); answer with [`Action::AlertAcked`].
    AckAlert {
        episode: i64,
        at: crate::domain::Ts,
    },
    /// Save the lead's acknowledgement of the handover of `shift` (who:
    /// `App.author`); answer with [`Action::HandoverAcked`].
    AckHandover {
        shift: crate::domain::Window,
        at: crate::domain::Ts,
    },
    /// Ring the terminal bell (an alert fired, `[alerts] bell = true`).
    Bell,
    /// Re-read the lead's parts of the config (`[feedback]`, `[scorecard]`);
    /// answer with [`Action::LeadConfig`]. The engine re-reads the rest.
    ReloadConfig,
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Action {
    Key(KeyAction),
    /// A printable character typed while a prompt is open.
    Type(char),
    /// The 1 Hz clock (ages, countdowns, huddle rotation).
    Tick(crate::domain::Ts),
    Resize(u16, u16),
    Engine(EngineMsg),
    /// The engine's channel closed: no more data this session.
    EngineStopped,
    /// A key while the scorecard form is open.
    Form(FormKey),
    /// The result of an [`Effect::SaveScore`]: the score as stored (with
    /// its id), or why the write failed.
    ScoreSaved(Result<Box<SpotScore>, String>),
    /// The result of an [`Effect::LoadScores`].
    Scores(NaiveDate, Vec<SpotScore>),
    /// The result of an [`Effect::LoadAgentScores`]: the agent and its scores.
    AgentScores(String, Vec<SpotScore>),
    /// The result of an [`Effect::SaveFollowup`]: the event as stored, or
    /// why the write failed.
    /// On failure the event comes back with the reason, so the message names
    /// its item and keeps what was typed.
    FollowupSaved(Result<FollowupEvent, (FollowupEvent, String)>),
    /// Every stored follow-up event (at start).
    Followups(Vec<FollowupEvent>),
    /// The result of an [`Effect::SaveKpiNote`]: the note as stored, or
    /// why the write failed.
    KpiNoteSaved(Result<KpiNoteEntry, String>),
    /// The stored KPI notes of the current week (at start).
    KpiNotes(Vec<KpiNoteEntry>),
    /// The result of an [`Effect::CheckOutbox`].
    Outbox(OutboxSummary),
    /// The result of an [`Effect::AckAlert`]: saved (durable), or why not.
    AlertAcked(Result<AckResult, String>),
    /// The result of an [`Effect::AckHandover`]: saved (durable), or why not.
    HandoverAcked(Result<HandoverAckResult, String>),
    /// The result of an [`Effect::ReloadConfig`].
    LeadConfig(FollowupRules, Box<ScorecardConfig>),
    /// The config could not be read again: the running one stays.
    ConfigFailed(Box<crate::config::ConfigError>),
    /// The shared store stopped answering (why, in the lead's language):
    /// the header says so; saves fail with the reason until it is back.
    StoreDown(String),
    /// The shared store answers again.
    StoreUp,
    /// The answer to an [`Effect::ClaimScorecard`] for this contact.
    ScorecardClaim(String, ClaimAnswer),
    /// A key that does nothing where it was pressed: the status line says
    /// where it acts instead ([`super::why`]).
    NotHere(super::keymap::Unbound),
}

/// What a scorecard claim gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimAnswer {
    /// This lead holds it (or the store could not say: the save will).
    Mine,
    /// Another lead is scoring it until then.
    Taken {
        by: String,
        until: crate::domain::Ts,
    },
}

/// A saved acknowledgement as the store answered it.
#[derive(Clone, Debug, PartialEq)]
pub struct AckResult {
    pub episode: i64,
    pub who: String,
    pub at: crate::domain::Ts,
    /// The episode had been acknowledged before: by whom and when (that
    /// one stays).
    pub earlier: Option<(String, crate::domain::Ts)>,
}

/// A saved handover acknowledgement as the store answered it.
#[derive(Clone, Debug, PartialEq)]
pub struct HandoverAckResult {
    pub shift: crate::domain::Window,
    pub ack: crate::domain::handover::HandoverAck,
    /// The handover had been acknowledged before (that one stays).
    pub earlier: Option<crate::domain::handover::HandoverAck>,
}
