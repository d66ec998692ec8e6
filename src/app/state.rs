//! The one `App` state. Every change goes through [`App::update`], which
//! only routes: each concern has a room of its own (the prompt, the
//! selection, the feedback board, the scorecards, the KPI notes, the
//! outbox) and returns the effects (talk to the engine, save, quit) for the
//! runtime to run. Rendering reads this state and never changes it.

use chrono_tz::Tz;

use crate::domain::{KpiKey, Ts};
use crate::i18n::{Lang, Msg, t};

pub use super::action::{Action, Effect, EngineCmd};
use super::board::Board;
use super::filter::Filter;
use super::keymap::{self, Context, KeyAction};
pub use super::notes::{KpiNoteEntry, KpiNotePrompt, KpiNotes};
pub use super::outbox::{OUTBOX_CHECK_S, Outbox};
use super::prompt::Input;
use super::scores::Scores;
pub use super::select::{List, QueueSection, Rows, STAGES, Selection, SpotSection, visible_rows};
pub use super::theme::ThemeKind;
use super::view::{EngineMsg, SourceStatus, View};
use crate::domain::window::WindowKind;

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

    pub fn title(self) -> &'static str {
        match self {
            Pane::Queues => "Queues",
            Pane::Kpis => "KPIs",
            Pane::Feedback => "Feedback",
            Pane::Spot => "Spot checks",
        }
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
    /// `Some` while a prompt (filter, owner, result, KPI note) is open.
    pub input: Option<Input>,
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
    /// The palette; `ui` builds its styles.
    pub theme: ThemeKind,
    pub no_color: bool,
    pub huddle: Option<Huddle>,
    pub huddle_rotate_s: u64,
    /// Started as a huddle screen: customer identifiers stay masked everywhere.
    pub mask_always: bool,
    pub size: (u16, u16),
    /// The cursor in every list and the sections shown.
    pub select: Selection,
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
    pub lang: Lang,
    /// The name put on the lead's entries.
    pub author: String,
    /// Why the lead's entries cannot be saved this session (locked or
    /// damaged store), shown in the header.
    pub store_message: Option<String>,
    /// The scorecard, its form and the day's stored scores.
    pub scores: Scores,
    /// The feedback board's follow-up.
    pub board: Board,
    /// The lead's KPI notes known this session.
    pub kpi_notes: KpiNotes,
    /// Write-back to the CRM and its outbox.
    pub outbox: Outbox,
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
            theme,
            no_color,
            huddle: None,
            huddle_rotate_s: 15,
            mask_always: false,
            size: (80, 24),
            select: Selection::default(),
            rows: Rows::default(),
            note: None,
            quit: false,
            config_file: None,
            config_path: None,
            dirty: true,
            lang: Lang::En,
            author: "lead".to_string(),
            store_message: None,
            scores: Scores::default(),
            board: Board::default(),
            kpi_notes: KpiNotes::default(),
            outbox: Outbox::default(),
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

    /// Applies one action; returns what the caller must do. Only routes:
    /// each concern's handling is in its own room.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = Vec::new();
        match action {
            Action::Key(k) => {
                self.dirty = true;
                self.on_key(k, &mut effects);
            }
            Action::Type(c) => self.type_char(c),
            Action::Tick(now) => {
                self.now = now;
                self.on_tick();
                self.want_outbox(false, &mut effects);
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
            Action::EngineStopped => {
                self.status.last_error = Some("the data engine stopped (see the log)".into());
                self.dirty = true;
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
                self.want_outbox(true, &mut effects);
            }
            Action::Scores(day, list) => self.on_scores(day, list),
            Action::FollowupSaved(result) => {
                self.dirty = true;
                self.on_followup_saved(result);
                self.want_outbox(true, &mut effects);
            }
            Action::Followups(list) => {
                self.board.followups = list;
                self.remerge();
                self.dirty = true;
            }
            Action::KpiNoteSaved(result) => {
                self.dirty = true;
                self.on_kpi_note_saved(result);
            }
            Action::KpiNotes(list) => {
                for n in list {
                    self.kpi_notes.remember(n);
                }
                self.dirty = true;
            }
            Action::LeadConfig(rules, scorecard) => {
                // A form already open keeps the scorecard it opened with.
                self.scores.card = *scorecard;
                if rules != self.board.rules {
                    self.board.rules = rules;
                    self.remerge();
                    self.dirty = true;
                }
            }
            Action::Outbox(summary) => self.on_outbox(summary),
        }
        effects
    }

    fn on_tick(&mut self) {
        if let Some(h) = &mut self.huddle
            && self.now.secs_since(h.since) >= self.huddle_rotate_s.max(1) as f64
        {
            h.pane = (h.pane + 1) % Pane::ALL.len();
            h.since = self.now;
        }
        if self.board.due(self.now) {
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

    /// A short note in the footer for three seconds.
    pub(super) fn say(&mut self, text: impl Into<String>) {
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
            K::Up | K::Down | K::PageUp | K::PageDown | K::Top | K::Bottom => self.on_move(k),
            K::Left | K::Right if self.huddle.is_some() => self.rotate_huddle(k == K::Right),
            K::Left | K::Right => self.on_side(k == K::Right),
            K::Open => self.open(),
            K::Back => self.back(effects),
            K::Zoom => self.zoom = !self.zoom,
            K::StartFilter
            | K::FilterApply
            | K::FilterCancel
            | K::FilterBackspace
            | K::FilterClear => self.on_prompt_key(k, effects),
            K::EditKpiNote => self.start_kpi_note(),
            K::AssignOwner
            | K::StageNext
            | K::StagePrev
            | K::CycleCallback
            | K::CycleRootCause
            | K::CycleFollowupAction
            | K::EditResult => self.on_followup_key(k, effects),
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
                self.say(t(self.lang, Msg::NoteReloading));
                effects.push(Effect::Engine(EngineCmd::Reload));
                effects.push(Effect::ReloadConfig);
            }
            K::Theme => {
                if self.no_color {
                    self.say(t(self.lang, Msg::NoteNoColor));
                }
                self.theme = self.theme.next(self.no_color);
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

    /// Left/Right in huddle mode: the pane on show.
    fn rotate_huddle(&mut self, right: bool) {
        if let Some(h) = &mut self.huddle {
            h.pane = if right {
                (h.pane + 1) % 4
            } else {
                (h.pane + 3) % 4
            };
            h.since = self.now;
        }
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

    fn set_view(&mut self, mut v: Box<View>) {
        // Taken before the new view replaces the rows it indexes.
        let anchor = self.selected_feedback().map(|f| f.id.clone());
        self.tz = v.tz;
        self.board.receive(&mut v, self.now);
        self.view = Some(v);
        self.remerge_keeping(anchor);
    }
}
