//! The one `App` state. Every change goes through [`App::update`], which
//! returns the effects (talk to the engine, quit) for the caller to run.
//! Rendering reads this state and never changes it.

use std::collections::HashMap;

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::config::ScorecardConfig;
use crate::domain::followup::{self, FeedWatch, FollowupEvent, FollowupField, FollowupRules};
use crate::domain::{FeedbackReport, KpiKey, Stage, Ts};
use crate::store::{OutboxSummary, SpotScore};
use crate::ui::theme::{Theme, ThemeKind};

use super::filter::Filter;
use super::form::{FormKey, FormOutcome, ScoreForm};
use super::keymap::{self, Context, KeyAction};
use super::view::{EngineMsg, SourceStatus, View};
use super::window::WindowKind;

/// The four panes, in focus order (keys 1–4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pane {
    Queues,
    Kpis,
    Feedback,
    Spot,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Queues, Pane::Kpis, Pane::Feedback, Pane::Spot];

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The lists a selection lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    Queues,
    Sla,
    Kpis,
    Feedback,
    Random,
    Targeted,
    Coverage,
}

impl List {
    fn slot(self) -> usize {
        self as usize
    }
}

/// What an overlay shows; items are found again in the view by key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Kpi(KpiKey),
    Queue(String),
    Sla(String),
    Feedback(String),
}

/// Commands for the engine.
#[derive(Clone, Debug, PartialEq)]
pub enum EngineCmd {
    SetWindow(WindowKind),
    SetFilter(Filter),
    Reload,
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
    /// Append this follow-up event (author: `App.author`); answer with
    /// [`Action::FollowupSaved`].
    SaveFollowup(FollowupEvent),
    /// Write this KPI note (author: `App.author`); answer with
    /// [`Action::KpiNoteSaved`].
    SaveKpiNote(KpiNoteEntry),
    /// Read the write-back outbox; answer with [`Action::Outbox`].
    CheckOutbox,
    /// Re-read the lead's parts of the config (`[feedback]`, `[scorecard]`);
    /// answer with [`Action::LeadConfig`]. The engine re-reads the rest.
    ReloadConfig,
}

/// The lead's cause and action for one KPI in one ISO week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiNoteEntry {
    /// ISO week of the local date, e.g. "2026-W47".
    pub week: String,
    pub kpi: KpiKey,
    pub cause: String,
    pub action: String,
}

/// The two-step note prompt on the KPI pane: the cause, then the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiNotePrompt {
    pub week: String,
    pub kpi: KpiKey,
    /// `None` while the cause is typed; the typed cause while the action is.
    pub cause: Option<String>,
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Action {
    Key(KeyAction),
    /// A printable character typed while the filter input is open.
    Type(char),
    /// The 1 Hz clock (ages, countdowns, huddle rotation).
    Tick(Ts),
    Resize(u16, u16),
    Engine(EngineMsg),
    /// A key while the scorecard form is open.
    Form(FormKey),
    /// The result of an [`Effect::SaveScore`]: the score as stored (with
    /// its id), or why the write failed.
    ScoreSaved(Result<Box<SpotScore>, String>),
    /// The result of an [`Effect::LoadScores`].
    Scores(NaiveDate, Vec<SpotScore>),
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
    /// The result of an [`Effect::ReloadConfig`].
    LeadConfig(FollowupRules, Box<ScorecardConfig>),
}

/// Seconds between reads of the write-back outbox (the flusher runs every 15 s).
pub const OUTBOX_CHECK_S: f64 = 15.0;

/// Stages of the feedback board, in loop order, for the stage selector.
pub const STAGES: &[Stage] = Stage::KNOWN;

/// Visible rows (indexes into the view's lists) after the filter and the
/// stage selector: computed on change, so a frame never scans the data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    pub queues: Vec<usize>,
    pub sla: Vec<usize>,
    pub feedback: Vec<usize>,
    /// Counts per stage (`STAGES` order, then "other") after the filter.
    pub stage_counts: [usize; 6],
    pub random: Vec<usize>,
    pub targeted: Vec<usize>,
    pub coverage: Vec<usize>,
    /// Sorted due times of the visible SLA timers and of the visible open
    /// feedback items: "how many are late at now" is a binary search, so a
    /// frame never walks the whole list.
    pub sla_due: Vec<Ts>,
    pub feedback_open_due: Vec<Ts>,
}

impl Rows {
    /// SLA timers past due at `now`.
    pub fn breached_at(&self, now: Ts) -> usize {
        self.sla_due.partition_point(|d| *d < now)
    }

    /// Open feedback items past due at `now`.
    pub fn overdue_at(&self, now: Ts) -> usize {
        self.feedback_open_due.partition_point(|d| *d < now)
    }
}

/// Huddle (projector) mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Huddle {
    /// Index into `Pane::ALL` of the pane on show.
    pub pane: usize,
    /// When that pane came up.
    pub since: Ts,
}

pub struct App {
    pub focus: Pane,
    pub zoom: bool,
    pub overlay: Option<Overlay>,
    pub overlay_scroll: u16,
    /// `Some` while the filter is being typed.
    pub input: Option<String>,
    /// The applied filter and its text.
    pub filter: Filter,
    pub filter_text: String,
    pub window: WindowKind,
    pub frozen: bool,
    /// A view that arrived while frozen, shown on unfreeze.
    pub pending: Option<Box<View>>,
    pub view: Option<Box<View>>,
    pub status: SourceStatus,
    /// Whether any source was given; without one the start screen shows.
    pub has_source: bool,
    pub now: Ts,
    pub tz: Tz,
    pub theme: Theme,
    pub no_color: bool,
    pub huddle: Option<Huddle>,
    pub huddle_rotate_s: u64,
    /// Started as a huddle screen: customer identifiers stay masked everywhere.
    pub mask_always: bool,
    pub size: (u16, u16),
    /// Selected row per list (`List` order).
    pub selected: [usize; 7],
    /// Queues pane: 0 = queue table, 1 = SLA timers.
    pub queue_section: usize,
    /// Feedback pane: `None` = all stages, else an index into `STAGES`.
    pub stage: Option<usize>,
    /// Spot-checks pane: 0 = random, 1 = targeted, 2 = coverage.
    pub spot_section: usize,
    pub rows: Rows,
    /// A short note in the footer (e.g. "reloading"), until this instant.
    pub note: Option<(String, Ts)>,
    pub quit: bool,
    /// Where the config file is (for the start screen).
    pub config_file: Option<String>,
    /// The config the console was started with (`--config`; `None`: the
    /// usual place), re-read on `r`.
    pub config_path: Option<std::path::PathBuf>,
    /// Set by `update` when the screen must be drawn again.
    pub dirty: bool,
    /// The language of every label (resolved: flag, config, locale).
    pub lang: crate::i18n::Lang,
    /// The scorecard form, while open: it gets every key.
    pub form: Option<ScoreForm>,
    pub scorecard: ScorecardConfig,
    /// The name put on the lead's entries.
    pub author: String,
    /// The newest stored score per contact of `scores_day`.
    pub scores: HashMap<String, SpotScore>,
    pub scores_day: Option<NaiveDate>,
    /// Why the lead's entries cannot be saved this session (locked or
    /// damaged store), shown in the header.
    pub store_message: Option<String>,
    /// The feed's feedback items as last received, before the merge.
    pub feed_feedback: Vec<FeedbackReport>,
    pub feed_watch: FeedWatch,
    /// The lead's saved follow-up events, merged over the feed.
    pub followups: Vec<FollowupEvent>,
    pub followup_rules: FollowupRules,
    /// When the board was last merged (stale flags follow the clock).
    merged_at: Option<Ts>,
    /// `Some(item)` while the filter input is used as the owner prompt.
    pub owner_prompt: Option<String>,
    /// `Some(item)` while the filter input is used as the result prompt.
    pub result_prompt: Option<String>,
    /// The lead's KPI notes known this session (any week; one per week and KPI).
    pub kpi_notes: Vec<KpiNoteEntry>,
    /// `Some` while the filter input is used as the KPI note prompt.
    pub kpi_note_prompt: Option<KpiNotePrompt>,
    /// The note sent to the store, until its answer (so a failure can show it).
    kpi_note_pending: Option<KpiNoteEntry>,
    /// Entries are written back to the CRM this session (an RT source).
    pub write_back: bool,
    /// The outbox as last read: unsent entries and failures, for the header.
    pub outbox: OutboxSummary,
    outbox_checked: Option<Ts>,
}

impl App {
    pub fn new(now: Ts, tz: Tz, theme: ThemeKind, no_color: bool) -> App {
        let theme = if no_color { ThemeKind::Mono } else { theme };
        App {
            focus: Pane::Queues,
            zoom: false,
            overlay: None,
            overlay_scroll: 0,
            input: None,
            filter: Filter::default(),
            filter_text: String::new(),
            window: WindowKind::Today,
            frozen: false,
            pending: None,
            view: None,
            status: SourceStatus::default(),
            has_source: true,
            now,
            tz,
            theme: Theme::new(theme),
            no_color,
            huddle: None,
            huddle_rotate_s: 15,
            mask_always: false,
            size: (80, 24),
            selected: [0; 7],
            queue_section: 0,
            stage: None,
            spot_section: 0,
            rows: Rows::default(),
            note: None,
            quit: false,
            config_file: None,
            config_path: None,
            dirty: true,
            lang: crate::i18n::Lang::En,
            form: None,
            scorecard: ScorecardConfig::default(),
            author: "lead".to_string(),
            scores: HashMap::new(),
            scores_day: None,
            store_message: None,
            feed_feedback: Vec::new(),
            feed_watch: FeedWatch::default(),
            followups: Vec::new(),
            followup_rules: FollowupRules::default(),
            merged_at: None,
            owner_prompt: None,
            result_prompt: None,
            kpi_notes: Vec::new(),
            kpi_note_prompt: None,
            kpi_note_pending: None,
            write_back: false,
            outbox: OutboxSummary::default(),
            outbox_checked: None,
        }
    }

    /// Start in huddle mode for the whole session: masked everywhere.
    pub fn start_huddle(&mut self) {
        self.mask_always = true;
        self.huddle = Some(Huddle {
            pane: 0,
            since: self.now,
        });
    }

    /// Customer identifiers are masked in huddle mode and in a session started as one.
    pub fn masked(&self) -> bool {
        self.mask_always || self.huddle.is_some()
    }

    pub fn selected(&self, list: List) -> usize {
        self.selected[list.slot()]
    }

    /// The list that Up/Down move in.
    pub fn active_list(&self) -> List {
        match self.focus {
            Pane::Queues if self.queue_section == 1 => List::Sla,
            Pane::Queues => List::Queues,
            Pane::Kpis => List::Kpis,
            Pane::Feedback => List::Feedback,
            Pane::Spot => match self.spot_section {
                0 => List::Random,
                1 => List::Targeted,
                _ => List::Coverage,
            },
        }
    }

    pub fn list_len(&self, list: List) -> usize {
        match list {
            List::Queues => self.rows.queues.len(),
            List::Sla => self.rows.sla.len(),
            List::Kpis => KpiKey::ALL.len(),
            List::Feedback => self.rows.feedback.len(),
            List::Random => self.rows.random.len(),
            List::Targeted => self.rows.targeted.len(),
            List::Coverage => self.rows.coverage.len(),
        }
    }

    pub fn contexts(&self) -> Vec<Context> {
        let mut v = keymap::active_contexts(
            self.input.is_some(),
            self.overlay == Some(Overlay::Help),
            self.overlay.as_ref().is_some_and(|o| *o != Overlay::Help),
            self.huddle.is_some(),
        );
        if self.focus == Pane::Feedback && v.first() == Some(&Context::Panes) {
            v.insert(0, Context::Feedback);
        }
        if self.focus == Pane::Kpis && v.first() == Some(&Context::Panes) {
            v.insert(0, Context::Kpis);
        }
        v
    }

    /// Seconds since the data last changed, at the UI clock.
    pub fn data_age_s(&self) -> Option<f64> {
        self.status.data_at.map(|t| self.now.secs_since(t).max(0.0))
    }

    fn page(&self) -> usize {
        (self.size.1 as usize / 2).saturating_sub(5).max(1)
    }

    fn move_selection(&mut self, delta: isize) {
        let list = self.active_list();
        let len = self.list_len(list);
        let cur = self.selected[list.slot()];
        let next = if delta < 0 {
            cur.saturating_sub(delta.unsigned_abs())
        } else {
            cur.saturating_add(delta as usize)
        };
        self.selected[list.slot()] = next.min(len.saturating_sub(1));
    }

    /// Applies one action; returns what the caller must do.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = Vec::new();
        match action {
            Action::Key(k) => {
                self.dirty = true;
                self.on_key(k, &mut effects);
            }
            Action::Type(c) => {
                if let Some(input) = &mut self.input {
                    input.push(c);
                    self.dirty = true;
                }
            }
            Action::Tick(now) => {
                self.now = now;
                self.on_tick();
                self.want_outbox(&mut effects);
                self.dirty = true;
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.dirty = true;
            }
            Action::Engine(EngineMsg::Status(s)) => {
                if *s != self.status {
                    self.status = *s;
                    self.dirty = true;
                }
            }
            Action::Engine(EngineMsg::View(v)) => {
                if self.frozen {
                    self.pending = Some(v);
                } else {
                    self.set_view(v);
                    self.want_scores(&mut effects);
                }
                self.dirty = true;
            }
            Action::Form(k) => {
                self.dirty = true;
                self.on_form_key(k, &mut effects);
            }
            Action::ScoreSaved(result) => {
                self.dirty = true;
                self.on_saved(result);
                self.outbox_checked = None;
                self.want_outbox(&mut effects);
            }
            Action::Scores(day, list) => {
                if self.scores_day == Some(day) {
                    self.scores = list.into_iter().map(|s| (s.contact.clone(), s)).collect();
                    self.dirty = true;
                }
            }
            Action::FollowupSaved(result) => {
                self.dirty = true;
                self.on_followup_saved(result);
                self.outbox_checked = None;
                self.want_outbox(&mut effects);
            }
            Action::Followups(list) => {
                self.followups = list;
                self.remerge();
                self.dirty = true;
            }
            Action::KpiNoteSaved(result) => {
                self.dirty = true;
                self.on_kpi_note_saved(result);
            }
            Action::KpiNotes(list) => {
                for n in list {
                    self.remember_kpi_note(n);
                }
                self.dirty = true;
            }
            Action::LeadConfig(rules, scorecard) => {
                // A form already open keeps the scorecard it opened with.
                self.scorecard = *scorecard;
                if rules != self.followup_rules {
                    self.followup_rules = rules;
                    self.remerge();
                    self.dirty = true;
                }
            }
            Action::Outbox(summary) => {
                if summary != self.outbox {
                    self.outbox = summary;
                    self.dirty = true;
                }
            }
        }
        effects
    }

    /// "Saved" only after the store returned Ok; a failed write changes
    /// nothing on the board and says why.
    /// The owner or result prompt's line, entered: a new value is saved; an
    /// emptied line clears a value the item had (saved as an empty value);
    /// an unchanged or still empty line saves nothing.
    fn prompt_entered(
        &mut self,
        item: String,
        field: FollowupField,
        text: &str,
        effects: &mut Vec<Effect>,
    ) {
        let value = text.trim();
        let current = self
            .view
            .as_ref()
            .and_then(|v| v.snapshot.feedback.iter().find(|f| f.id == item))
            .and_then(|f| match field {
                FollowupField::Owner => f.owner.clone(),
                _ => f.result.clone(),
            })
            .unwrap_or_default();
        if value == current.trim() {
            return;
        }
        effects.push(Effect::SaveFollowup(FollowupEvent {
            item,
            at: self.now,
            field,
            value: value.to_string(),
        }));
    }

    fn on_followup_saved(&mut self, result: Result<FollowupEvent, (FollowupEvent, String)>) {
        use crate::i18n::{Msg, tf};
        match result {
            Ok(e) => {
                let text = if e.value.is_empty() {
                    tf(self.lang, Msg::FuCleared, &[&e.item])
                } else {
                    tf(self.lang, Msg::FuSaved, &[&e.item, &e.value])
                };
                self.followups.push(e);
                self.remerge();
                self.say(text);
            }
            Err((e, why)) => {
                let text = tf(
                    self.lang,
                    Msg::FuNotSaved,
                    &[&e.item, &e.value, &crate::i18n::translate(self.lang, &why)],
                );
                self.note = Some((text, self.now.add_secs(10)));
            }
        }
    }

    /// "Saved" only after the store returned Ok; on a failed write the typed
    /// texts stay in the message so nothing the lead wrote is lost.
    fn on_kpi_note_saved(&mut self, result: Result<KpiNoteEntry, String>) {
        use crate::i18n::{Msg, kpi_short, tf};
        match result {
            Ok(n) => {
                self.kpi_note_pending = None;
                let text = tf(self.lang, Msg::KnSaved, &[&kpi_short(self.lang, n.kpi)]);
                self.remember_kpi_note(n);
                self.say(text);
            }
            Err(why) => {
                let (kpi, cause, action) = self
                    .kpi_note_pending
                    .take()
                    .map(|n| (kpi_short(self.lang, n.kpi), n.cause, n.action))
                    .unwrap_or_default();
                let why = crate::i18n::translate(self.lang, &why);
                let text = tf(self.lang, Msg::KnNotSaved, &[&kpi, &why, &cause, &action]);
                self.note = Some((text, self.now.add_secs(60)));
            }
        }
    }

    /// Keeps one note per (week, KPI): a later one replaces the earlier.
    fn remember_kpi_note(&mut self, n: KpiNoteEntry) {
        self.kpi_notes
            .retain(|o| !(o.week == n.week && o.kpi == n.kpi));
        self.kpi_notes.push(n);
    }

    /// The ISO week of the UI clock's local date.
    pub fn current_week(&self) -> String {
        use crate::domain::calendar::{iso_week_label, local_date};
        iso_week_label(local_date(self.now, self.tz))
    }

    /// The stored note of a KPI for the current week.
    pub fn kpi_note(&self, kpi: KpiKey) -> Option<&KpiNoteEntry> {
        let week = self.current_week();
        self.kpi_notes
            .iter()
            .find(|n| n.kpi == kpi && n.week == week)
    }

    /// `n` on the KPI pane: the cause prompt, prefilled with the stored one.
    fn start_kpi_note(&mut self) {
        let Some(&kpi) = KpiKey::ALL.get(self.selected(List::Kpis)) else {
            return;
        };
        self.input = Some(
            self.kpi_note(kpi)
                .map(|n| n.cause.clone())
                .unwrap_or_default(),
        );
        self.kpi_note_prompt = Some(KpiNotePrompt {
            week: self.current_week(),
            kpi,
            cause: None,
        });
    }

    /// Enter in the note prompt: cause → action prompt; action → save.
    fn kpi_note_enter(&mut self, p: KpiNotePrompt, text: String, effects: &mut Vec<Effect>) {
        let stored = self
            .kpi_notes
            .iter()
            .find(|n| n.week == p.week && n.kpi == p.kpi)
            .cloned();
        match p.cause {
            None => {
                self.input = Some(stored.map(|n| n.action).unwrap_or_default());
                self.kpi_note_prompt = Some(KpiNotePrompt {
                    cause: Some(text.trim().to_string()),
                    ..p
                });
            }
            Some(cause) => {
                let action = text.trim().to_string();
                // Nothing typed and nothing stored: no empty note in the report.
                if cause.is_empty() && action.is_empty() && stored.is_none() {
                    return;
                }
                let entry = KpiNoteEntry {
                    week: p.week,
                    kpi: p.kpi,
                    cause,
                    action,
                };
                self.kpi_note_pending = Some(entry.clone());
                effects.push(Effect::SaveKpiNote(entry));
            }
        }
    }

    /// The selected item on the feedback board (merged state).
    pub fn selected_feedback(&self) -> Option<&FeedbackReport> {
        let view = self.view.as_ref()?;
        let i = *self.rows.feedback.get(self.selected(List::Feedback))?;
        view.snapshot.feedback.get(i)
    }

    /// A follow-up key on the board: one event for the selected item.
    fn on_followup_key(&mut self, k: KeyAction, effects: &mut Vec<Effect>) {
        use KeyAction as K;
        use followup::{ACTIONS, CALLBACK_RESULTS, ROOT_CAUSES, stage_step, step};
        let Some(f) = self.selected_feedback() else {
            self.say(crate::i18n::t(self.lang, crate::i18n::Msg::FuNoItem));
            return;
        };
        let item = f.id.clone();
        let (field, value) = match k {
            K::AssignOwner => {
                self.input = Some(f.owner.clone().unwrap_or_default());
                self.owner_prompt = Some(item);
                return;
            }
            K::EditResult => {
                self.input = Some(f.result.clone().unwrap_or_default());
                self.result_prompt = Some(item);
                return;
            }
            K::StageNext | K::StagePrev => {
                match stage_step(f.stage.as_deref(), k == K::StageNext) {
                    Some(s) => (FollowupField::Stage, s),
                    None => return,
                }
            }
            K::CycleCallback => (
                FollowupField::CallbackResult,
                step(&CALLBACK_RESULTS, f.callback_result.as_deref(), true),
            ),
            K::CycleRootCause => (
                FollowupField::RootCause,
                step(&ROOT_CAUSES, f.root_cause.as_deref(), true),
            ),
            _ => (
                FollowupField::Action,
                step(&ACTIONS, f.action.as_deref(), true),
            ),
        };
        effects.push(Effect::SaveFollowup(FollowupEvent {
            item,
            at: self.now,
            field,
            value: value.to_string(),
        }));
    }

    /// Applies the local events over the feed's items into the view.
    fn remerge(&mut self) {
        let anchor = self.selected_feedback().map(|f| f.id.clone());
        self.remerge_keeping(anchor);
    }

    /// Merges the board again (it re-sorts: a closed item sinks, a new due
    /// date moves an item) and keeps the cursor on the item `anchor`, so
    /// the next follow-up key acts on the item the lead was looking at, not
    /// on whatever moved into its row.
    fn remerge_keeping(&mut self, anchor: Option<String>) {
        let Some(v) = &mut self.view else { return };
        v.snapshot.feedback = followup::merge(
            &self.feed_feedback,
            &self.followups,
            &self.feed_watch.changed,
            &self.followup_rules,
            self.tz,
            self.now,
        );
        self.merged_at = Some(self.now);
        self.refresh_rows();
        let Some(v) = &self.view else { return };
        if let Some(row) = anchor.and_then(|id| {
            self.rows
                .feedback
                .iter()
                .position(|&i| v.snapshot.feedback.get(i).is_some_and(|f| f.id == id))
        }) {
            self.selected[List::Feedback.slot()] = row;
        }
    }

    /// Asks for the scorecards of the view's day when the day changed.
    fn want_scores(&mut self, effects: &mut Vec<Effect>) {
        let Some(day) = self.view.as_ref().map(|v| v.snapshot.spot_check.date) else {
            return;
        };
        if self.scores_day != Some(day) {
            self.scores_day = Some(day);
            self.scores.clear();
            effects.push(Effect::LoadScores(day));
        }
    }

    fn on_form_key(&mut self, k: FormKey, effects: &mut Vec<Effect>) {
        let Some(form) = &mut self.form else { return };
        match form.handle(k, self.now, &self.author) {
            FormOutcome::Nothing => {}
            FormOutcome::Save(s) => effects.push(Effect::SaveScore(s)),
            // Only this form's unsaved input goes: stored scores are untouched.
            FormOutcome::Cancel => self.form = None,
        }
    }

    /// "Saved" is said only here, after the store returned Ok.
    fn on_saved(&mut self, result: Result<Box<SpotScore>, String>) {
        match result {
            Ok(score) => {
                if self
                    .form
                    .as_ref()
                    .is_some_and(|f| f.contact == score.contact)
                {
                    self.form = None;
                }
                let text = crate::i18n::tf(
                    self.lang,
                    crate::i18n::Msg::NoteScoreSaved,
                    &[&score.contact, &score.total(), &score.max_total()],
                );
                if self.scores_day == Some(score.day) {
                    self.scores.insert(score.contact.clone(), *score);
                }
                self.say(text);
            }
            Err(why) => {
                if let Some(f) = &mut self.form {
                    f.failed(why);
                }
            }
        }
    }

    fn set_view(&mut self, mut v: Box<View>) {
        // Taken before the new view replaces the rows it indexes.
        let anchor = self.selected_feedback().map(|f| f.id.clone());
        self.tz = v.tz;
        self.feed_watch.observe(&v.snapshot.feedback, self.now);
        self.feed_feedback = std::mem::take(&mut v.snapshot.feedback);
        self.view = Some(v);
        self.remerge_keeping(anchor);
    }

    /// Asks for the outbox every [`OUTBOX_CHECK_S`] while entries are
    /// written back, and at once after a save (`outbox_checked` cleared).
    fn want_outbox(&mut self, effects: &mut Vec<Effect>) {
        if !self.write_back {
            return;
        }
        if self
            .outbox_checked
            .is_some_and(|at| self.now.secs_since(at) < OUTBOX_CHECK_S)
        {
            return;
        }
        self.outbox_checked = Some(self.now);
        effects.push(Effect::CheckOutbox);
    }

    fn on_tick(&mut self) {
        if let Some(h) = &mut self.huddle
            && self.now.secs_since(h.since) >= self.huddle_rotate_s.max(1) as f64
        {
            h.pane = (h.pane + 1) % Pane::ALL.len();
            h.since = self.now;
        }
        // Stale flags follow the clock; once a minute is enough for 1 h limits.
        if self
            .merged_at
            .is_some_and(|m| self.now.secs_since(m) >= 60.0)
        {
            self.remerge();
        }
        if self
            .note
            .as_ref()
            .is_some_and(|(_, until)| self.now >= *until)
        {
            self.note = None;
        }
    }

    fn say(&mut self, text: impl Into<String>) {
        self.note = Some((text.into(), self.now.add_secs(3)));
    }

    fn on_key(&mut self, k: KeyAction, effects: &mut Vec<Effect>) {
        use KeyAction as K;
        match k {
            K::Quit => {
                self.quit = true;
                effects.push(Effect::Quit);
            }
            K::FocusNext => self.focus = Pane::ALL[(self.focus.index() + 1) % 4],
            K::FocusPrev => self.focus = Pane::ALL[(self.focus.index() + 3) % 4],
            K::Focus(i) => self.focus = Pane::ALL[i.min(3)],
            K::Up | K::Down if self.overlay.is_some() => {
                self.overlay_scroll = if k == K::Up {
                    self.overlay_scroll.saturating_sub(1)
                } else {
                    self.overlay_scroll.saturating_add(1)
                };
            }
            K::Up => self.move_selection(-1),
            K::Down => self.move_selection(1),
            K::PageUp => self.move_selection(-(self.page() as isize)),
            K::PageDown => self.move_selection(self.page() as isize),
            K::Top => self.move_selection(isize::MIN / 2),
            K::Bottom => self.move_selection(isize::MAX / 2),
            K::Left | K::Right => self.on_side(k == K::Right),
            K::Open => self.open(),
            K::Back => self.back(effects),
            K::Zoom => self.zoom = !self.zoom,
            K::StartFilter => self.input = Some(self.filter_text.clone()),
            K::FilterApply => {
                let text = self.input.take().unwrap_or_default();
                if let Some(p) = self.kpi_note_prompt.take() {
                    self.kpi_note_enter(p, text, effects);
                } else if let Some(item) = self.owner_prompt.take() {
                    self.prompt_entered(item, FollowupField::Owner, &text, effects);
                } else if let Some(item) = self.result_prompt.take() {
                    self.prompt_entered(item, FollowupField::Result, &text, effects);
                } else {
                    self.apply_filter(text, effects);
                }
            }
            K::FilterCancel => {
                self.input = None;
                self.owner_prompt = None;
                self.result_prompt = None;
                self.kpi_note_prompt = None;
            }
            K::EditKpiNote => self.start_kpi_note(),
            K::AssignOwner
            | K::StageNext
            | K::StagePrev
            | K::CycleCallback
            | K::CycleRootCause
            | K::CycleFollowupAction
            | K::EditResult => self.on_followup_key(k, effects),
            K::FilterBackspace => {
                if let Some(i) = &mut self.input {
                    i.pop();
                }
            }
            K::FilterClear => {
                if let Some(i) = &mut self.input {
                    i.clear();
                }
            }
            K::CycleWindow => {
                self.window = self.window.next();
                effects.push(Effect::Engine(EngineCmd::SetWindow(self.window)));
            }
            K::Freeze => {
                self.frozen = !self.frozen;
                if !self.frozen
                    && let Some(v) = self.pending.take()
                {
                    self.set_view(v);
                    self.want_scores(effects);
                }
            }
            K::Reload => {
                self.say(crate::i18n::t(self.lang, crate::i18n::Msg::NoteReloading));
                effects.push(Effect::Engine(EngineCmd::Reload));
                effects.push(Effect::ReloadConfig);
            }
            K::Theme => {
                if self.no_color {
                    self.say(crate::i18n::t(self.lang, crate::i18n::Msg::NoteNoColor));
                }
                self.theme = Theme::new(self.theme.kind.next(self.no_color));
            }
            K::Huddle => {
                self.overlay = None;
                self.huddle = match self.huddle {
                    Some(_) => None,
                    None => Some(Huddle {
                        pane: 0,
                        since: self.now,
                    }),
                };
            }
            K::Help => {
                self.overlay = Some(Overlay::Help);
                self.overlay_scroll = 0;
            }
        }
    }

    fn on_side(&mut self, right: bool) {
        if let Some(h) = &mut self.huddle {
            h.pane = if right {
                (h.pane + 1) % 4
            } else {
                (h.pane + 3) % 4
            };
            h.since = self.now;
            return;
        }
        match self.focus {
            Pane::Queues => self.queue_section = usize::from(right),
            Pane::Kpis => {}
            Pane::Feedback => {
                // None → new → handling → … → closed → None.
                let n = STAGES.len();
                self.stage = match (self.stage, right) {
                    (None, true) => Some(0),
                    (None, false) => Some(n - 1),
                    (Some(i), true) if i + 1 < n => Some(i + 1),
                    (Some(i), false) if i > 0 => Some(i - 1),
                    _ => None,
                };
                self.selected[List::Feedback.slot()] = 0;
                self.refresh_rows();
            }
            Pane::Spot => {
                self.spot_section = if right {
                    (self.spot_section + 1).min(2)
                } else {
                    self.spot_section.saturating_sub(1)
                };
            }
        }
    }

    fn open(&mut self) {
        let Some(view) = &self.view else { return };
        if matches!(self.active_list(), List::Random | List::Targeted) {
            self.open_form();
            return;
        }
        let snap = &view.snapshot;
        let row = |rows: &[usize], list: List| rows.get(self.selected(list)).copied();
        let overlay = match self.active_list() {
            List::Kpis => KpiKey::ALL
                .get(self.selected(List::Kpis))
                .map(|k| Overlay::Kpi(*k)),
            List::Queues => row(&self.rows.queues, List::Queues)
                .and_then(|i| snap.queues.get(i))
                .map(|q| Overlay::Queue(q.id.clone())),
            List::Sla => row(&self.rows.sla, List::Sla)
                .and_then(|i| snap.sla.get(i))
                .map(|t| Overlay::Sla(t.contact.clone())),
            List::Feedback => row(&self.rows.feedback, List::Feedback)
                .and_then(|i| snap.feedback.get(i))
                .map(|f| Overlay::Feedback(f.id.clone())),
            List::Random | List::Targeted | List::Coverage => None,
        };
        if overlay.is_some() {
            self.overlay = overlay;
            self.overlay_scroll = 0;
        }
    }

    /// The selected spot-check item, random or targeted list.
    pub fn selected_spot_item(&self) -> Option<&crate::domain::SpotCheckItem> {
        let spot = &self.view.as_ref()?.snapshot.spot_check;
        let list = self.active_list();
        let (rows, items) = match list {
            List::Random => (&self.rows.random, &spot.random),
            List::Targeted => (&self.rows.targeted, &spot.targeted),
            _ => return None,
        };
        rows.get(self.selected(list)).and_then(|&i| items.get(i))
    }

    /// Enter on a spot-check item: the scorecard, prefilled from its
    /// stored score when it has one (a new save adds a row; the newest counts).
    fn open_form(&mut self) {
        let Some(day) = self.view.as_ref().map(|v| v.snapshot.spot_check.date) else {
            return;
        };
        let Some(item) = self.selected_spot_item() else {
            return;
        };
        let form = match self.scores.get(&item.contact) {
            Some(s) if self.scores_day == Some(day) => ScoreForm::from_saved(&self.scorecard, s),
            _ => ScoreForm::new(&self.scorecard, day, &item.contact, &item.agent),
        };
        self.form = Some(form.in_lang(self.lang));
    }

    fn back(&mut self, effects: &mut Vec<Effect>) {
        if self.overlay.is_some() {
            self.overlay = None;
        } else if self.zoom {
            self.zoom = false;
        } else if !self.filter_text.is_empty() {
            self.apply_filter(String::new(), effects);
        }
    }

    fn apply_filter(&mut self, text: String, effects: &mut Vec<Effect>) {
        let filter = Filter::parse(&text);
        let scope_changed = filter.queue != self.filter.queue || filter.agent != self.filter.agent;
        self.filter_text = text.trim().to_string();
        self.filter = filter;
        self.selected = [0; 7];
        if scope_changed {
            effects.push(Effect::Engine(EngineCmd::SetFilter(self.filter.clone())));
        }
        self.refresh_rows();
    }

    /// Recompute the visible rows from the view, the filter and the stage selector.
    pub fn refresh_rows(&mut self) {
        let Some(view) = &self.view else {
            self.rows = Rows::default();
            return;
        };
        self.rows = visible_rows(view, &self.filter, self.stage);
        for list in [
            List::Queues,
            List::Sla,
            List::Feedback,
            List::Random,
            List::Targeted,
            List::Coverage,
        ] {
            let len = self.list_len(list);
            let s = &mut self.selected[list.slot()];
            *s = (*s).min(len.saturating_sub(1));
        }
    }
}

/// Rows of each list that pass the filter (scope resolved by the engine, plus free text).
pub fn visible_rows(view: &View, filter: &Filter, stage: Option<usize>) -> Rows {
    fn opt(s: &Option<String>) -> &str {
        s.as_deref().unwrap_or("")
    }
    let snap = &view.snapshot;
    let scope = &view.scope;
    let agent_ok = |a: Option<&str>| {
        scope.agent.as_deref().is_none_or(|want| {
            a.is_some_and(|a| a == want || scope.agent_name.as_deref() == Some(a))
        })
    };
    let queue_ok = |q: Option<&str>, name: Option<&str>| {
        scope
            .queue
            .as_deref()
            .is_none_or(|want| q == Some(want) || name == Some(want))
    };
    // The feed's words match as written and as the Chinese screen shows
    // them (`/紧急` finds urgent timers whatever the language).
    fn zh(v: &str) -> &str {
        crate::i18n::feed_value(crate::i18n::Lang::Zh, v)
    }
    fn zh_opt(v: &Option<String>) -> &str {
        v.as_deref().map_or("", zh)
    }
    let mut rows = Rows::default();
    for (i, q) in snap.queues.iter().enumerate() {
        if queue_ok(Some(&q.id), q.name.as_deref())
            && filter.text_matches(&[&q.id, opt(&q.name), opt(&q.channel), zh_opt(&q.channel)])
        {
            rows.queues.push(i);
        }
    }
    // SLA timers carry the queue's name (else id): match either.
    let queue_name = |id: &str| {
        snap.queues
            .iter()
            .find(|q| q.id == id)
            .and_then(|q| q.name.clone())
    };
    let scope_queue_name = scope.queue.as_deref().and_then(queue_name);
    for (i, t) in snap.sla.iter().enumerate() {
        let q_ok = scope.queue.is_none()
            || t.queue.as_deref() == scope.queue.as_deref()
            || (scope_queue_name.is_some() && t.queue == scope_queue_name);
        if q_ok
            && agent_ok(t.agent.as_deref())
            && filter.text_matches(&[
                &t.contact,
                &t.priority,
                zh(&t.priority),
                opt(&t.queue),
                opt(&t.agent),
                opt(&t.customer),
            ])
        {
            rows.sla.push(i);
        }
    }
    for (i, f) in snap.feedback.iter().enumerate() {
        if !agent_ok(f.owner.as_deref())
            || !filter.text_matches(&[
                &f.id,
                opt(&f.stage),
                f.stage
                    .as_deref()
                    .map_or("", |s| crate::i18n::stage(crate::i18n::Lang::Zh, s, false)),
                opt(&f.owner),
                opt(&f.summary),
                opt(&f.category),
                zh_opt(&f.category),
                opt(&f.source),
                zh_opt(&f.source),
                opt(&f.customer),
            ])
        {
            continue;
        }
        let slot = f
            .stage
            .as_deref()
            .and_then(|s| STAGES.iter().position(|k| k.known_str() == Some(s)))
            .unwrap_or(5);
        rows.stage_counts[slot] += 1;
        if stage.is_none_or(|want| want == slot) {
            rows.feedback.push(i);
        }
    }
    // Open items first (most urgent first, as the engine sorted them), closed ones after.
    let closed = |i: &usize| snap.feedback[*i].stage.as_deref() == Some("closed");
    let (open, done): (Vec<usize>, Vec<usize>) = rows.feedback.iter().partition(|i| !closed(i));
    rows.feedback = open;
    rows.feedback.extend(done);
    rows.sla_due = rows.sla.iter().map(|&i| snap.sla[i].due_at).collect();
    rows.sla_due.sort_unstable();
    rows.feedback_open_due = rows
        .feedback
        .iter()
        .map(|&i| &snap.feedback[i])
        .filter(|f| f.stage.as_deref() != Some("closed"))
        .filter_map(|f| f.due_at)
        .collect();
    rows.feedback_open_due.sort_unstable();
    let spot = &snap.spot_check;
    let item_ok = |s: &crate::domain::SpotCheckItem| {
        let name = view.agent_name(&s.agent);
        agent_ok(Some(&s.agent))
            && filter.text_matches(&[&s.contact, &s.agent, name, &s.flags.join(" ")])
    };
    rows.random = (0..spot.random.len())
        .filter(|&i| item_ok(&spot.random[i]))
        .collect();
    rows.targeted = (0..spot.targeted.len())
        .filter(|&i| item_ok(&spot.targeted[i]))
        .collect();
    rows.coverage = (0..spot.coverage.len())
        .filter(|&i| {
            let c = &spot.coverage[i];
            agent_ok(Some(&c.agent)) && filter.text_matches(&[&c.agent, view.agent_name(&c.agent)])
        })
        .collect();
    rows
}
