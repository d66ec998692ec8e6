//! The spot-check scorecard form: its state and its keys. Keyboard only:
//! ↑/↓ (Tab/Shift-Tab) move between fields; on a dimension a digit or ←/→
//! sets the score; Space toggles a critical error; ←/→ pick the root cause;
//! typing edits the comment; Enter on "Save" (or Ctrl-S anywhere) saves;
//! Esc cancels. Saving returns a [`FormOutcome::Save`] for the caller to
//! write; the form stays open, marked "saving", until the caller reports
//! the result with [`ScoreForm::saved`] / [`ScoreForm::failed`], so "saved"
//! is said only after the write returned and a failed write loses nothing.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::ScorecardConfig;
use crate::domain::Ts;
use crate::domain::scorecard::SpotScore;
use crate::i18n::{Lang, Msg, tf};

use crate::domain::RootCause;
pub use crate::domain::qa::CRITICAL_KINDS as CRITICAL_LABELS;
/// How the lead reads `RootCause::KNOWN` (the stored value stays the English word).
pub const ROOT_CAUSE_NAMES: [Msg; 4] = [
    Msg::FormCauseAgent,
    Msg::FormCauseProcess,
    Msg::FormCauseSystem,
    Msg::FormCauseProduct,
];
/// How the lead reads [`CRITICAL_LABELS`].
pub const CRITICAL_NAMES: [Msg; 3] = [
    Msg::FormCritCustomer,
    Msg::FormCritBusiness,
    Msg::FormCritCompliance,
];
/// The longest comment kept (characters).
pub const COMMENT_MAX: usize = 2_000;

/// What a key means inside the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKey {
    Next,
    Prev,
    Left,
    Right,
    Toggle,
    Digit(u8),
    Char(char),
    Backspace,
    Enter,
    Save,
    Cancel,
}

/// How a key is written in a hint: a symbol the same in every language,
/// or words from the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLabel {
    Symbol(&'static str),
    Words(Msg),
}

impl KeyLabel {
    pub fn text(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            KeyLabel::Symbol(s) => s,
            KeyLabel::Words(m) => crate::i18n::t(lang, m),
        }
    }
}

/// The form's keys, for its hint line and the help (one table).
pub const FORM_HINTS: &[(KeyLabel, Msg)] = &[
    (KeyLabel::Symbol("↑↓"), Msg::FormHintField),
    (KeyLabel::Words(Msg::FormKeyDigit), Msg::FormHintScore),
    (KeyLabel::Words(Msg::FormKeySpace), Msg::FormHintToggle),
    (KeyLabel::Symbol("^S"), Msg::FormHintSave),
    (KeyLabel::Symbol("Esc"), Msg::FormHintCancel),
];

/// Maps a terminal key to a form key.
pub fn form_key(ev: &KeyEvent, on_comment: bool) -> Option<FormKey> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    Some(match ev.code {
        KeyCode::Char('s') if ctrl => FormKey::Save,
        KeyCode::Char('c') if ctrl => FormKey::Cancel,
        _ if ctrl => return None,
        KeyCode::Esc => FormKey::Cancel,
        KeyCode::Enter => FormKey::Enter,
        KeyCode::Tab | KeyCode::Down => FormKey::Next,
        KeyCode::BackTab | KeyCode::Up => FormKey::Prev,
        KeyCode::Left => FormKey::Left,
        KeyCode::Right => FormKey::Right,
        KeyCode::Backspace => FormKey::Backspace,
        KeyCode::Char(c) if on_comment => FormKey::Char(c),
        KeyCode::Char(' ') => FormKey::Toggle,
        KeyCode::Char(c @ '0'..='9') => FormKey::Digit(c as u8 - b'0'),
        KeyCode::Char('j') => FormKey::Next,
        KeyCode::Char('k') => FormKey::Prev,
        KeyCode::Char('h') => FormKey::Left,
        KeyCode::Char('l') => FormKey::Right,
        _ => return None,
    })
}

/// Which field has the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Dimension(usize),
    Critical(usize),
    RootCause,
    Comment,
    Save,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FormOutcome {
    Nothing,
    /// Write this; report back with `saved` / `failed`.
    Save(Box<SpotScore>),
    Cancel,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScoreForm {
    pub day: NaiveDate,
    pub contact: String,
    pub agent: String,
    pub dimensions: Vec<String>,
    pub scale_max: u8,
    pub scores: Vec<Option<u8>>,
    pub critical: [bool; 3],
    pub root_cause: Option<usize>,
    pub comment: String,
    /// Index into `fields()`.
    pub cursor: usize,
    /// The last problem: a missing score, or the error of a failed write.
    pub error: Option<String>,
    /// A save is under way: keys wait until it returns.
    pub saving: bool,
    /// The language of the labels and of `error`.
    pub lang: Lang,
}

impl ScoreForm {
    pub fn new(cfg: &ScorecardConfig, day: NaiveDate, contact: &str, agent: &str) -> ScoreForm {
        ScoreForm {
            day,
            contact: contact.to_string(),
            agent: agent.to_string(),
            dimensions: cfg.dimensions.clone(),
            scale_max: cfg.scale_max,
            scores: vec![None; cfg.dimensions.len()],
            critical: [false; 3],
            root_cause: None,
            comment: String::new(),
            cursor: 0,
            error: None,
            saving: false,
            lang: Lang::En,
        }
    }

    /// The form in the lead's language.
    pub fn in_lang(mut self, lang: Lang) -> ScoreForm {
        self.lang = lang;
        self
    }

    /// Opens on an earlier score of the same contact, to correct it.
    pub fn from_saved(cfg: &ScorecardConfig, s: &SpotScore) -> ScoreForm {
        let mut f = ScoreForm::new(cfg, s.day, &s.contact, &s.agent);
        for (i, name) in f.dimensions.iter().enumerate() {
            f.scores[i] = s
                .dimensions
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| (*v).min(f.scale_max));
        }
        f.critical = [
            s.critical_customer,
            s.critical_business,
            s.critical_compliance,
        ];
        f.root_cause = s
            .root_cause
            .and_then(|r| RootCause::KNOWN.iter().position(|c| *c == r));
        f.comment = s.comment.clone();
        f
    }

    pub fn fields(&self) -> Vec<Field> {
        let mut v: Vec<Field> = (0..self.dimensions.len()).map(Field::Dimension).collect();
        v.extend((0..3).map(Field::Critical));
        v.extend([Field::RootCause, Field::Comment, Field::Save]);
        v
    }

    pub fn field(&self) -> Field {
        let f = self.fields();
        f[self.cursor.min(f.len() - 1)]
    }

    /// Sum of the scores given so far, and the best possible total.
    pub fn total(&self) -> (u32, u32) {
        crate::domain::qa::scorecard_total(
            self.scores.iter().flatten().copied(),
            self.dimensions.len(),
            self.scale_max,
        )
    }

    pub fn on_comment(&self) -> bool {
        self.field() == Field::Comment
    }

    /// Applies a key. `now` and `author` stamp a save.
    pub fn handle(&mut self, key: FormKey, now: Ts, author: &str) -> FormOutcome {
        if self.saving {
            return FormOutcome::Nothing;
        }
        let n = self.fields().len();
        match (key, self.field()) {
            (FormKey::Cancel, _) => return FormOutcome::Cancel,
            (FormKey::Save, _) | (FormKey::Enter, Field::Save) => return self.submit(now, author),
            (FormKey::Next | FormKey::Enter, _) => self.cursor = (self.cursor + 1).min(n - 1),
            (FormKey::Prev, _) => self.cursor = self.cursor.saturating_sub(1),
            (FormKey::Digit(d), Field::Dimension(i)) => {
                if (1..=self.scale_max).contains(&d) {
                    self.scores[i] = Some(d);
                    self.error = None;
                    self.cursor = (self.cursor + 1).min(n - 1);
                } else {
                    self.error = Some(tf(self.lang, Msg::FormErrRange, &[&self.scale_max]));
                }
            }
            (FormKey::Left, Field::Dimension(i)) => {
                self.scores[i] = Some(self.scores[i].map_or(1, |v| v.saturating_sub(1).max(1)));
            }
            (FormKey::Right, Field::Dimension(i)) => {
                self.scores[i] = Some(
                    self.scores[i]
                        .map_or(self.scale_max, |v| v.saturating_add(1).min(self.scale_max)),
                );
            }
            (FormKey::Toggle | FormKey::Left | FormKey::Right, Field::Critical(i)) => {
                self.critical[i] = !self.critical[i];
            }
            (FormKey::Right | FormKey::Toggle, Field::RootCause) => {
                self.root_cause = match self.root_cause {
                    None => Some(0),
                    Some(i) if i + 1 < RootCause::KNOWN.len() => Some(i + 1),
                    Some(_) => None,
                };
            }
            (FormKey::Left, Field::RootCause) => {
                self.root_cause = match self.root_cause {
                    None => Some(RootCause::KNOWN.len() - 1),
                    Some(0) => None,
                    Some(i) => Some(i - 1),
                };
            }
            // Control characters never enter the text (they would reach the terminal).
            (FormKey::Char(c), Field::Comment)
                if !c.is_control() && self.comment.chars().count() < COMMENT_MAX =>
            {
                self.comment.push(c);
            }
            (FormKey::Backspace, Field::Comment) => {
                self.comment.pop();
            }
            _ => {}
        }
        FormOutcome::Nothing
    }

    fn submit(&mut self, now: Ts, author: &str) -> FormOutcome {
        if let Some(i) = self.scores.iter().position(Option::is_none) {
            let name = crate::i18n::dimension(self.lang, &self.dimensions[i]);
            self.error = Some(tf(self.lang, Msg::FormErrFirst, &[&name]));
            self.cursor = i;
            return FormOutcome::Nothing;
        }
        self.error = None;
        self.saving = true;
        FormOutcome::Save(Box::new(SpotScore {
            id: None,
            day: self.day,
            contact: self.contact.clone(),
            agent: self.agent.clone(),
            dimensions: self
                .dimensions
                .iter()
                .cloned()
                .zip(self.scores.iter().map(|v| v.unwrap_or(1)))
                .collect(),
            scale_max: self.scale_max,
            critical_customer: self.critical[0],
            critical_business: self.critical[1],
            critical_compliance: self.critical[2],
            root_cause: self.root_cause.map(|i| RootCause::KNOWN[i]),
            comment: self.comment.trim().to_string(),
            author: author.to_string(),
            saved_at: now,
        }))
    }

    /// The write failed: keep everything entered, show why, allow a retry.
    pub fn failed(&mut self, why: String) {
        self.saving = false;
        let why = crate::i18n::translate(self.lang, &why);
        self.error = Some(tf(self.lang, Msg::FormErrNotSaved, &[&why]));
    }
}
