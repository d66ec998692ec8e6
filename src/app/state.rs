//! The one `App` state. Every change goes through [`App::update`], which
//! only routes: each concern has a room of its own (the prompt, the
//! selection, the feedback board, the scorecards, the KPI notes, the
//! outbox) and returns the effects (talk to the engine, save, quit) for the
//! runtime to run. Rendering reads this state and never changes it.

use chrono_tz::Tz;

use crate::domain::followup::FollowupField;
use crate::domain::window::WindowKind;
use crate::domain::{FeedbackReport, KpiKey, SpotCheckItem, Ts};
use crate::i18n::{Lang, Msg, t};

pub use super::action::{Action, ClaimAnswer, Effect, EngineCmd};
use super::agents::{AgentBoard, Coach, sample_items};
use super::alerts::AlertDesk;
use super::board::{Board, BoardStep, Choice};
use super::claims::ClaimKeeper;
use super::filter::Filter;
use super::handover::HandoverDesk;
use super::keymap::{self, Context, KeyAction};
pub use super::notes::{KpiNoteEntry, KpiNotePrompt, KpiNotes, NoteStep};
pub use super::outbox::{OUTBOX_CHECK_S, Outbox};
use super::prompt::{Input, Prompt};
use super::scores::Scores;
pub use super::select::{
    List, Overlay, Pane, QueueSection, Rows, STAGES, Selection, SpotSection, visible_rows,
};
pub use super::theme::{ColorDepth, ThemeKind};
use super::view::{EngineMsg, SourceStatus, View};

/// The panes a huddle rotates through: the spot checks name agents beside
/// their flags (`! short`, low CSAT), which is not for a room; the Agents
/// pane comes only with `[huddle] show_agents`, and then as a list of
/// positive figures (`agents::huddle_praise`), never as the ranked pane.
pub fn huddle_panes(with_agents: bool) -> Vec<Pane> {
    let mut panes = vec![Pane::Queues, Pane::Kpis, Pane::Feedback];
    if with_agents {
        panes.push(Pane::Agents);
    }
    panes
}

/// The pane the huddle shows after (or before) `pane`.
fn huddle_next(pane: Pane, right: bool, with_agents: bool) -> Pane {
    let panes = huddle_panes(with_agents);
    let n = panes.len();
    match panes.iter().position(|p| *p == pane) {
        Some(i) if right => panes[(i + 1) % n],
        Some(i) => panes[(i + n - 1) % n],
        None => panes[0],
    }
}

/// Huddle (projector) mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Huddle {
    /// The pane on show.
    pub pane: Pane,
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
    /// The colours the terminal shows; the palette is drawn in those.
    pub color_depth: ColorDepth,
    pub no_color: bool,
    pub huddle: Option<Huddle>,
    pub huddle_rotate_s: u64,
    /// Started as a huddle screen: customer identifiers stay masked everywhere.
    pub mask_always: bool,
    /// The data comes from the simulator (`shiftdeck demo`): the header
    /// says so at every width.
    pub simulated: bool,
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
    /// The shared store (PostgreSQL) does not answer: `store_message` says
    /// why until it is back ([`Action::StoreUp`] clears it).
    pub store_down: bool,
    /// Why the config could not be read again on `r`: the running config
    /// stays, and the header says this until a reload succeeds.
    pub config_error: Option<crate::config::ConfigError>,
    /// The scorecard, its form and the day's stored scores.
    pub scores: Scores,
    /// The feedback board's follow-up.
    pub board: Board,
    /// The lead's KPI notes known this session.
    pub kpi_notes: KpiNotes,
    /// Write-back to the CRM and its outbox.
    pub outbox: Outbox,
    /// The Agents pane: its order and the slot it shares with the spot checks.
    pub agents: AgentBoard,
    /// The alerts overlay's cursor, acknowledgements and the bell.
    pub alerts: AlertDesk,
    /// The handover view's acknowledgement.
    pub handover: HandoverDesk,
    /// The open scorecard's claim, renewed while the form stays open.
    pub claims: ClaimKeeper,
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
            color_depth: ColorDepth::default(),
            no_color,
            huddle: None,
            huddle_rotate_s: 15,
            mask_always: false,
            simulated: false,
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
            store_down: false,
            config_error: None,
            scores: Scores::default(),
            board: Board::default(),
            kpi_notes: KpiNotes::default(),
            outbox: Outbox::default(),
            agents: AgentBoard::default(),
            alerts: AlertDesk::default(),
            handover: HandoverDesk::default(),
            claims: ClaimKeeper::default(),
        }
    }

    /// Start in huddle mode for the whole session: masked everywhere.
    pub fn start_huddle(&mut self) {
        self.mask_always = true;
        self.huddle = Some(Huddle {
            pane: Pane::Queues,
            since: self.now,
        });
    }

    /// Customer identifiers are masked in huddle mode and in a session started as one.
    pub fn masked(&self) -> bool {
        self.mask_always || self.huddle.is_some()
    }

    pub fn contexts(&self) -> Vec<Context> {
        // An open picker or confirmation takes every key.
        match &self.board.choice {
            Some(Choice::Pick(_)) => return vec![Context::Picker],
            Some(Choice::Confirm(_)) => return vec![Context::Confirm],
            None => {}
        }
        let mut v = keymap::active_contexts(
            self.input.is_some(),
            self.overlay == Some(Overlay::Help),
            self.overlay.as_ref().is_some_and(|o| *o != Overlay::Help),
            self.huddle.is_some(),
        );
        if self.overlay == Some(Overlay::Alerts) {
            v.insert(0, Context::Alerts);
        }
        if self.overlay == Some(Overlay::Handover) {
            v.insert(0, Context::Handover);
        }
        if self.focus == Pane::Feedback && v.first() == Some(&Context::Panes) {
            v.insert(0, Context::Feedback);
        }
        if self.focus == Pane::Kpis && v.first() == Some(&Context::Panes) {
            v.insert(0, Context::Kpis);
        }
        if self.focus == Pane::Spot && v.first() == Some(&Context::Panes) {
            v.insert(0, Context::Spot);
        }
        if self.agents.coach.is_some() && v.first() == Some(&Context::Panes) {
            v[0] = Context::Coach;
        } else if self.focus == Pane::Agents && v.first() == Some(&Context::Panes) {
            v.insert(0, Context::Agents);
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
                let was_handover = self.overlay == Some(Overlay::Handover);
                self.on_key(k, &mut effects);
                // The engine builds the handover only while it is shown.
                if was_handover && self.overlay != Some(Overlay::Handover) {
                    effects.push(Effect::Engine(EngineCmd::Handover(None)));
                }
            }
            Action::Type(c) => {
                if let Some(Choice::Pick(p)) = &mut self.board.choice {
                    if p.jump(c, self.lang) {
                        self.dirty = true;
                    }
                } else if let Some(input) = &mut self.input {
                    input.text.push(c);
                    self.dirty = true;
                }
            }
            Action::Tick(now) => {
                self.now = now;
                self.on_tick();
                effects.extend(self.outbox.want(self.now, false));
                // A read-only form (another lead took it) is not renewed.
                let form = self
                    .scores
                    .form
                    .as_ref()
                    .filter(|f| f.taken.is_none())
                    .map(|f| (f.day, f.contact.as_str()));
                effects.extend(self.claims.tick(form, self.now));
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
                self.status.last_error =
                    Some(crate::i18n::t(self.lang, crate::i18n::Msg::EngineStopped).to_owned());
                self.dirty = true;
            }
            Action::Engine(EngineMsg::View(v)) => {
                // Alerts ring whatever the screen shows (frozen too).
                effects.extend(self.alerts.on_view(&v.alerts));
                self.handover.on_view(v.handover.as_deref());
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
                effects.extend(self.scores.on_form_key(k, self.now, &self.author));
            }
            Action::ScoreSaved(result) => {
                self.dirty = true;
                if let Ok(score) = &result {
                    effects.push(Effect::ReleaseScorecard(score.day, score.contact.clone()));
                }
                if let Some(text) = self.scores.saved(result, self.lang) {
                    // A scored contact leaves the unscored-only view; the
                    // cursor stays in place, on the next one.
                    self.refresh_rows();
                    self.say(text);
                    self.want_coach_scores(&mut effects);
                    effects.push(Effect::Engine(EngineCmd::ScoresChanged));
                }
                effects.extend(self.outbox.want(self.now, true));
            }
            Action::Scores(day, list) => {
                if self.scores.receive(day, list) {
                    self.refresh_rows();
                    self.dirty = true;
                }
            }
            Action::AgentScores(agent, list) => {
                if self.agents.receive_scores(&agent, list) {
                    self.dirty = true;
                }
            }
            Action::FollowupSaved(result) => {
                self.dirty = true;
                match self.board.saved(result, self.lang) {
                    Ok(text) => {
                        self.remerge();
                        self.say(text);
                    }
                    Err(text) => self.note = Some((text, self.now.add_secs(10))),
                }
                effects.extend(self.outbox.want(self.now, true));
            }
            Action::Followups(list) => {
                self.board.followups = list;
                self.remerge();
                self.dirty = true;
            }
            Action::KpiNoteSaved(result) => {
                self.dirty = true;
                let (text, secs) = self.kpi_notes.saved(result, self.lang);
                self.note = Some((text, self.now.add_secs(secs)));
            }
            Action::KpiNotes(list) => {
                for n in list {
                    self.kpi_notes.remember(n);
                }
                self.dirty = true;
            }
            Action::ConfigFailed(err) => {
                self.config_error = Some(*err);
                self.dirty = true;
            }
            Action::LeadConfig(rules, scorecard) => {
                if self.config_error.take().is_some() {
                    self.dirty = true;
                }
                // A form already open keeps the scorecard it opened with.
                self.scores.card = *scorecard;
                if rules != self.board.rules {
                    self.board.rules = rules;
                    self.remerge();
                    self.dirty = true;
                }
            }
            Action::AlertAcked(result) => {
                let text = self.alerts.saved(result, self.lang);
                self.say(text);
                self.dirty = true;
            }
            Action::HandoverAcked(result) => {
                let saved = result.is_ok();
                let text = self.handover.saved(result, self.lang, self.tz);
                self.say(text);
                // The view reads the stored acknowledgement again.
                if saved && self.overlay == Some(Overlay::Handover) {
                    effects.push(self.handover_cmd());
                }
                self.dirty = true;
            }
            Action::Outbox(summary) => {
                if self.outbox.receive(summary) {
                    self.dirty = true;
                }
            }
            Action::StoreDown(why) => {
                if self.store_message.as_ref() != Some(&why) {
                    self.store_message = Some(why);
                    self.dirty = true;
                }
                self.store_down = true;
            }
            Action::ScorecardClaim(contact, ClaimAnswer::Taken { by, until }) => {
                // Refused: a form of that contact with nothing entered
                // closes, saying who scores it and until when; one with
                // entries stays read-only and is kept (`Scores::claim_taken`).
                let until = until
                    .to_utc()
                    .with_timezone(&self.tz)
                    .format("%H:%M")
                    .to_string();
                if self.scores.claim_taken(&contact, &by, &until) {
                    let text = crate::i18n::tf(
                        self.lang,
                        Msg::NoteScorecardTaken,
                        &[&contact, &by, &until],
                    );
                    self.note = Some((text, self.now.add_secs(10)));
                }
                self.dirty = true;
            }
            Action::ScorecardClaim(_, ClaimAnswer::Mine) => {}
            Action::NotHere(u) => {
                let over = super::why::Over {
                    huddle: self.huddle.is_some(),
                    view: self.overlay.is_some() || self.agents.coach.is_some(),
                };
                let text = super::why::not_here(self.lang, over, &u);
                self.say(text);
                self.dirty = true;
            }
            Action::StoreUp => {
                if self.store_down {
                    self.store_down = false;
                    self.store_message = None;
                    self.dirty = true;
                }
            }
        }
        effects
    }

    fn on_tick(&mut self) {
        if let Some(h) = &mut self.huddle
            && self.now.secs_since(h.since) >= self.huddle_rotate_s.max(1) as f64
        {
            h.pane = huddle_next(h.pane, true, self.agents.huddle_names);
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
            K::FocusNext => self.set_focus(self.focus.next()),
            K::FocusPrev => self.set_focus(self.focus.prev()),
            K::Focus(i) => self.set_focus(Pane::ALL[i.min(Pane::ALL.len() - 1)]),
            K::Up | K::Down | K::PageUp | K::PageDown | K::Top | K::Bottom => self.on_move(k),
            K::Left | K::Right if self.huddle.is_some() => self.rotate_huddle(k == K::Right),
            K::Left | K::Right => {
                let before = self.select.clone();
                if self.select.side(self.focus, k == K::Right) {
                    self.refresh_rows();
                }
                if self.select == before {
                    let sections = !matches!(self.focus, Pane::Kpis | Pane::Agents);
                    self.say(super::why::no_section(self.lang, sections, k == K::Right));
                }
            }
            K::Open => self.open(effects),
            K::Back => self.back(effects),
            K::Zoom => self.zoom = !self.zoom,
            K::StartFilter
            | K::FilterApply
            | K::FilterCancel
            | K::FilterBackspace
            | K::FilterClear => self.on_prompt_key(k, effects),
            K::EditKpiNote => {
                if let Some(&kpi) = KpiKey::ALL.get(self.selected(List::Kpis)) {
                    let (prompt, text) = self.kpi_notes.start(self.current_week(), kpi);
                    self.input = Some(Input::new(Prompt::KpiNote(prompt), text));
                }
            }
            K::AssignOwner
            | K::StageNext
            | K::StagePrev
            | K::CycleCallback
            | K::CycleRootCause
            | K::CycleFollowupAction
            | K::EditResult => self.on_followup_key(k, effects),
            K::PickUp
            | K::PickDown
            | K::PickSave
            | K::PickCancel
            | K::ConfirmYes
            | K::ConfirmNo => self.on_choice_key(k, effects),
            K::CycleWindow => {
                self.window = self.window.next();
                effects.push(Effect::Engine(EngineCmd::SetWindow(self.window)));
                if self.frozen {
                    let what = crate::i18n::window(self.lang, self.window);
                    self.say(super::why::frozen(self.lang, what));
                }
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
                let text = t(self.lang, Msg::NoteReloading);
                if self.frozen {
                    self.say(super::why::frozen(self.lang, text));
                } else {
                    self.say(text);
                }
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
                        pane: Pane::Queues,
                        since: self.now,
                    }),
                };
            }
            K::Help => {
                self.overlay = Some(Overlay::Help);
                self.overlay_scroll = 0;
            }
            K::Alerts => {
                self.overlay = match self.overlay {
                    Some(Overlay::Alerts) => None,
                    _ => {
                        self.alerts.cursor = 0;
                        Some(Overlay::Alerts)
                    }
                };
            }
            K::AckAlert => {
                let empty = super::view::AlertsView::default();
                let alerts = self.view.as_deref().map_or(&empty, |v| &v.alerts);
                match self.alerts.ack(alerts, self.now, self.lang) {
                    Ok(effect) => effects.push(effect),
                    Err(text) => self.say(text),
                }
            }
            K::UnscoredOnly => {
                self.scores.unscored_only = !self.scores.unscored_only;
                self.select.set(self.active_list(), 0);
                self.refresh_rows();
            }
            K::Handover => {
                if self.overlay == Some(Overlay::Handover) {
                    self.overlay = None;
                } else {
                    self.overlay = Some(Overlay::Handover);
                    self.overlay_scroll = 0;
                    effects.push(self.handover_cmd());
                }
            }
            K::AckHandover => {
                let shown = self.view.as_deref().and_then(|v| v.handover.as_deref());
                match self.handover.ack(shown, self.now, self.lang, self.tz) {
                    Ok(effect) => effects.push(effect),
                    Err(text) => self.say(text),
                }
            }
            K::SortNext | K::SortReverse | K::FlaggedFirst => {
                match k {
                    K::SortNext => self.agents.next_sort(),
                    K::SortReverse => self.agents.reversed = !self.agents.reversed,
                    _ => self.agents.flagged_first = !self.agents.flagged_first,
                }
                self.select.set(List::Agents, 0);
                self.refresh_rows();
            }
        }
    }

    /// Asks the engine for the handover with every view, with the board's
    /// follow-up rules (as `report handover` takes them from the config).
    fn handover_cmd(&self) -> Effect {
        Effect::Engine(EngineCmd::Handover(Some(self.board.rules)))
    }

    /// The focus moves to `pane`; a pane of the shared lower-right slot
    /// takes the slot.
    fn set_focus(&mut self, pane: Pane) {
        self.focus = pane;
        self.agents.focused(pane);
    }

    /// Left/Right in huddle mode: the pane on show.
    fn rotate_huddle(&mut self, right: bool) {
        if let Some(h) = &mut self.huddle {
            h.pane = huddle_next(h.pane, right, self.agents.huddle_names);
            h.since = self.now;
        }
    }

    fn back(&mut self, effects: &mut Vec<Effect>) {
        if self.overlay.is_some() {
            self.overlay = None;
        } else if self.agents.coach.take().is_some() {
            effects.push(Effect::Engine(EngineCmd::Coach(None)));
        } else if self.zoom {
            self.zoom = false;
        } else if !self.filter_text.is_empty() {
            self.apply_filter(String::new(), effects);
        }
    }

    /// The ISO week of the UI clock's local date.
    pub fn current_week(&self) -> String {
        use crate::domain::calendar::{iso_week_label, local_date};
        iso_week_label(local_date(self.now, self.tz))
    }

    /// The stored note of a KPI for the current week.
    pub fn kpi_note(&self, kpi: KpiKey) -> Option<&KpiNoteEntry> {
        self.kpi_notes.find(&self.current_week(), kpi)
    }

    /// The line being typed, while a prompt is open.
    pub fn input_text(&self) -> Option<&str> {
        self.input.as_ref().map(|i| i.text.as_str())
    }

    /// The open prompt, if any.
    pub fn prompt(&self) -> Option<&Prompt> {
        self.input.as_ref().map(|i| &i.prompt)
    }

    pub fn selected(&self, list: List) -> usize {
        self.select.get(list)
    }

    /// The list that Up/Down move in.
    pub fn active_list(&self) -> List {
        self.select.active_list(self.focus)
    }

    pub fn list_len(&self, list: List) -> usize {
        self.rows.len(list)
    }

    /// The selected spot-check item, random or targeted list.
    pub fn selected_spot_item(&self) -> Option<&SpotCheckItem> {
        let spot = &self.view.as_ref()?.snapshot.spot_check;
        let list = self.active_list();
        let (rows, items) = match list {
            List::Random => (&self.rows.random, &spot.random),
            List::Targeted => (&self.rows.targeted, &spot.targeted),
            _ => return None,
        };
        rows.get(self.selected(list)).and_then(|&i| items.get(i))
    }

    /// The selected item on the feedback board (merged state).
    pub fn selected_feedback(&self) -> Option<&FeedbackReport> {
        let view = self.view.as_ref()?;
        let i = *self.rows.feedback.get(self.selected(List::Feedback))?;
        view.snapshot.feedback.get(i)
    }

    /// Recompute the visible rows from the view, the filter and the stage selector.
    pub fn refresh_rows(&mut self) {
        self.rows = match &self.view {
            Some(view) => {
                let mut rows = visible_rows(view, &self.filter, self.select.stage);
                rows.agents = self
                    .agents
                    .rows(&view.snapshot.agents, &self.filter, &view.scope);
                if self.scores.unscored_only {
                    let spot = &view.snapshot.spot_check;
                    let open = |list: &[crate::domain::SpotCheckItem], i: &usize| {
                        list.get(*i)
                            .is_some_and(|it| !self.scores.by_contact.contains_key(&it.contact))
                    };
                    rows.random.retain(|i| open(&spot.random, i));
                    rows.targeted.retain(|i| open(&spot.targeted, i));
                }
                rows
            }
            None => Rows::default(),
        };
        self.select.clamp(&self.rows);
    }

    fn page(&self) -> usize {
        (self.size.1 as usize / 2).saturating_sub(5).max(1)
    }

    /// Up, Down, PageUp, PageDown, Top, Bottom: the overlay scrolls when one
    /// is open, else the active list's cursor moves.
    fn on_move(&mut self, k: KeyAction) {
        use KeyAction as K;
        if self.overlay == Some(Overlay::Alerts) {
            if let Some(v) = &self.view {
                match k {
                    K::Up => self.alerts.up(),
                    K::Down => self.alerts.down(&v.alerts),
                    _ => {}
                }
            }
            return;
        }
        if self.overlay.is_some() && matches!(k, K::Up | K::Down) {
            self.overlay_scroll = if k == K::Up {
                self.overlay_scroll.saturating_sub(1)
            } else {
                self.overlay_scroll.saturating_add(1)
            };
            return;
        }
        if self.agents.coach.is_some() {
            self.on_coach_move(k);
            return;
        }
        let delta = match k {
            K::Up => -1,
            K::Down => 1,
            K::PageUp => -(self.page() as isize),
            K::PageDown => self.page() as isize,
            K::Top => isize::MIN / 2,
            _ => isize::MAX / 2,
        };
        let list = self.active_list();
        let (len, at) = (self.list_len(list), self.selected(list));
        // The Queues pane is one column of rows: ↓ past the last queue goes
        // on into the SLA timers under it, ↑ above the first timer back.
        if self.focus == Pane::Queues {
            let into_sla = list == List::Queues && k == K::Down && at + 1 >= len;
            let into_queues = list == List::Sla && k == K::Up && at == 0;
            if into_sla && self.list_len(List::Sla) > 0 {
                self.select.queues = QueueSection::Sla;
                self.select.set(List::Sla, 0);
                return;
            }
            if into_queues && self.list_len(List::Queues) > 0 {
                self.select.queues = QueueSection::Queues;
                self.select
                    .set(List::Queues, self.list_len(List::Queues) - 1);
                return;
            }
        }
        self.select.move_by(list, len, delta);
    }

    /// Up/Down in the coaching view: the cursor in the agent's sampled
    /// contacts; PgUp/PgDn scroll the view.
    fn on_coach_move(&mut self, k: KeyAction) {
        use KeyAction as K;
        let len = match (&self.view, &self.agents.coach) {
            (Some(v), Some(c)) => sample_items(v, &c.agent).len(),
            _ => 0,
        };
        let page = self.page() as u16;
        let Some(c) = self.agents.coach.as_mut() else {
            return;
        };
        match k {
            K::Up => c.row = c.row.saturating_sub(1),
            K::Down => c.row = (c.row + 1).min(len.saturating_sub(1)),
            K::PageUp => c.scroll = c.scroll.saturating_sub(page),
            K::PageDown => c.scroll = c.scroll.saturating_add(page),
            K::Top => c.row = 0,
            _ => c.row = len.saturating_sub(1),
        }
    }

    /// Enter on an agent: the coaching view, and its figures asked for
    /// (the engine's by hour and by day, the store's scored checks).
    fn open_coach(&mut self, effects: &mut Vec<Effect>) {
        let Some(view) = &self.view else { return };
        let Some(agent) = self
            .rows
            .agents
            .get(self.selected(List::Agents))
            .and_then(|&i| view.snapshot.agents.get(i))
        else {
            return;
        };
        self.agents.coach = Some(Coach {
            agent: agent.id.clone(),
            ..Coach::default()
        });
        effects.push(Effect::Engine(EngineCmd::Coach(Some(agent.id.clone()))));
        self.want_coach_scores(effects);
    }

    /// The open coaching view's scored checks, read again (at open and
    /// after a save).
    fn want_coach_scores(&self, effects: &mut Vec<Effect>) {
        let (Some(view), Some(c)) = (&self.view, &self.agents.coach) else {
            return;
        };
        let to = view.snapshot.spot_check.date;
        let from = to - chrono::Duration::days(crate::domain::agents::COACH_DAYS - 1);
        effects.push(Effect::LoadAgentScores {
            agent: c.agent.clone(),
            from,
            to,
        });
    }

    /// Enter: the selected row's detail overlay, the coaching view on an
    /// agent, or the scorecard form on a spot-check item (in the spot-check
    /// pane or in the coaching view).
    fn open(&mut self, effects: &mut Vec<Effect>) {
        let Some(view) = &self.view else {
            return self.say_nothing_to_open(self.active_list());
        };
        if let Some(c) = &self.agents.coach {
            let day = view.snapshot.spot_check.date;
            if let Some(item) = sample_items(view, &c.agent)
                .get(c.row)
                .map(|i| (*i).clone())
            {
                self.scores.open_form(day, &item, self.lang);
                // Another lead scoring it is told by the claim's answer.
                effects.push(Effect::ClaimScorecard(day, item.contact.clone()));
            } else {
                self.say_nothing_to_open(List::Agents);
            }
            return;
        }
        let list = self.active_list();
        if list == List::Agents && !self.rows.agents.is_empty() {
            return self.open_coach(effects);
        }
        if matches!(list, List::Random | List::Targeted) {
            let day = view.snapshot.spot_check.date;
            if let Some(item) = self.selected_spot_item().cloned() {
                self.scores.open_form(day, &item, self.lang);
                // Another lead scoring it is told by the claim's answer.
                effects.push(Effect::ClaimScorecard(day, item.contact.clone()));
                return;
            }
        }
        let overlay = self.rows.overlay(view, list, self.selected(list));
        if overlay.is_some() {
            self.overlay = overlay;
            self.overlay_scroll = 0;
        } else {
            self.say_nothing_to_open(list);
        }
    }

    /// Enter found nothing to open in `list`: the status line says why.
    fn say_nothing_to_open(&mut self, list: List) {
        let state = super::why::OpenState {
            list,
            has_view: self.view.is_some(),
            coach: self.agents.coach.is_some(),
            filtered: !self.filter_text.is_empty(),
        };
        self.say(super::why::nothing_to_open(self.lang, state));
    }

    /// The prompt's keys: open the filter, edit, cancel, Enter.
    fn on_prompt_key(&mut self, k: KeyAction, effects: &mut Vec<Effect>) {
        use KeyAction as K;
        match k {
            K::StartFilter => {
                self.input = Some(Input::new(Prompt::Filter, self.filter_text.clone()));
            }
            K::FilterApply => {
                let (prompt, text) = match self.input.take() {
                    Some(Input { prompt, text }) => (prompt, text),
                    None => (Prompt::Filter, String::new()),
                };
                self.prompt_entered(prompt, text, effects);
            }
            K::FilterCancel => self.input = None,
            K::FilterBackspace => {
                if let Some(i) = &mut self.input {
                    i.text.pop();
                }
            }
            K::FilterClear => {
                if let Some(i) = &mut self.input {
                    i.text.clear();
                }
            }
            _ => {}
        }
    }

    /// Enter in a prompt: the line goes where the prompt says.
    fn prompt_entered(&mut self, prompt: Prompt, text: String, effects: &mut Vec<Effect>) {
        let (item, field) = match prompt {
            Prompt::Filter => return self.apply_filter(text, effects),
            Prompt::KpiNote(p) => {
                match self.kpi_notes.enter(p, &text) {
                    NoteStep::Ask(next, prefill) => {
                        self.input = Some(Input::new(Prompt::KpiNote(next), prefill));
                    }
                    NoteStep::Save(e) => effects.push(e),
                    NoteStep::Nothing => {}
                }
                return;
            }
            Prompt::Owner(item) => (item, FollowupField::Owner),
            Prompt::Result(item) => (item, FollowupField::Result),
        };
        let current = self
            .view
            .as_ref()
            .and_then(|v| v.snapshot.feedback.iter().find(|f| f.id == item));
        if let Some(e) = Board::entered(item, field, &text, current, self.now) {
            if Board::needs_confirm(&e, current) {
                self.board.choice = Some(Choice::Confirm(e));
            } else {
                effects.push(Effect::SaveFollowup(e));
            }
        }
    }

    /// A key while the picker or the confirmation is open: move, save the
    /// one decision (Enter, `y`), or leave with nothing saved (Esc, `n`).
    fn on_choice_key(&mut self, k: KeyAction, effects: &mut Vec<Effect>) {
        use KeyAction as K;
        let Some(choice) = &mut self.board.choice else {
            return;
        };
        match (choice, k) {
            (Choice::Pick(p), K::PickUp) => p.up(),
            (Choice::Pick(p), K::PickDown) => p.down(),
            (Choice::Pick(p), K::PickSave) => {
                let event = p.chosen(self.now);
                let unchanged = event.is_none().then(|| {
                    let value = p
                        .options
                        .get(p.cursor)
                        .map_or("", |o| super::board::option_label(self.lang, o));
                    crate::i18n::tf(self.lang, Msg::FuUnchanged, &[&p.item, &value])
                });
                self.board.choice = None;
                if let Some(e) = event {
                    effects.push(Effect::SaveFollowup(e));
                }
                if let Some(text) = unchanged {
                    self.say(text);
                }
            }
            (Choice::Confirm(e), K::ConfirmYes) => {
                effects.push(Effect::SaveFollowup(e.clone()));
                self.board.choice = None;
            }
            (_, K::PickCancel | K::ConfirmNo) => {
                self.board.choice = None;
                self.say(t(self.lang, Msg::FuCancelled));
            }
            _ => {}
        }
    }

    fn apply_filter(&mut self, text: String, effects: &mut Vec<Effect>) {
        let filter = Filter::parse(&text);
        let scope_changed = filter.queue != self.filter.queue || filter.agent != self.filter.agent;
        self.filter_text = text.trim().to_string();
        self.filter = filter;
        self.select.reset_rows();
        if scope_changed {
            effects.push(Effect::Engine(EngineCmd::SetFilter(self.filter.clone())));
            if self.frozen {
                let what = if self.filter_text.is_empty() {
                    t(self.lang, Msg::FilterCleared).to_string()
                } else {
                    self.filter_text.clone()
                };
                self.say(super::why::frozen(self.lang, &what));
            }
        }
        self.refresh_rows();
    }

    /// A follow-up key on the board: one event for the selected item, or a prompt.
    fn on_followup_key(&mut self, k: KeyAction, effects: &mut Vec<Effect>) {
        let Some(f) = self.selected_feedback() else {
            let why = super::why::empty_list(self.lang, !self.filter_text.is_empty());
            self.say(format!("{} · {why}", t(self.lang, Msg::FuNoItem)));
            return;
        };
        match Board::key(k, f, self.now, self.lang) {
            BoardStep::Ask(prompt, text) => self.input = Some(Input::new(prompt, text)),
            BoardStep::Pick(p) => self.board.choice = Some(Choice::Pick(p)),
            BoardStep::Save(e) => effects.push(Effect::SaveFollowup(e)),
            BoardStep::Say(text) => self.say(text),
        }
    }

    /// Merges the board again and keeps the cursor on the selected item.
    fn remerge(&mut self) {
        let anchor = self.selected_feedback().map(|f| f.id.clone());
        self.remerge_keeping(anchor);
    }

    /// Merges the board again (it re-sorts: a closed item sinks, a new due
    /// date moves an item) and keeps the cursor on the item `anchor`, so
    /// the next follow-up key acts on the item the lead was looking at, not
    /// on whatever moved into its row.
    fn remerge_keeping(&mut self, anchor: Option<String>) {
        if self.view.is_none() {
            return;
        }
        let merged = self.board.merge(self.tz, self.now);
        if let Some(v) = &mut self.view {
            v.snapshot.feedback = merged;
        }
        self.refresh_rows();
        let Some(v) = &self.view else { return };
        if let Some(row) = anchor.and_then(|id| {
            self.rows
                .feedback
                .iter()
                .position(|&i| v.snapshot.feedback.get(i).is_some_and(|f| f.id == id))
        }) {
            self.select.set(List::Feedback, row);
        }
    }

    /// Asks for the scorecards of the view's day when the day changed.
    fn want_scores(&mut self, effects: &mut Vec<Effect>) {
        if let Some(day) = self.view.as_ref().map(|v| v.snapshot.spot_check.date) {
            effects.extend(self.scores.want(day));
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
