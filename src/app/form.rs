//! The spot-check scorecard form: its state and its keys. Keyboard only:
//! ↑/↓ (Tab/Shift-Tab) move between fields; on a dimension a digit or ←/→
//! sets the score and the cursor stays (↓ goes on); Space toggles a
//! critical error; ←/→ pick the root cause; typing edits the comment; Enter
//! on "Save" (or Ctrl-S anywhere) saves; Esc cancels. The keys, the hint
//! line and the help come from one table, [`FORM_KEYS`]. Saving returns a [`FormOutcome::Save`] for the caller to
//! write; the form stays open, marked "saving", until the caller reports
//! the result with [`ScoreForm::saved`] / [`ScoreForm::failed`], so "saved"
//! is said only after the write returned and a failed write loses nothing.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::ScorecardConfig;
use crate::domain::Ts;
use crate::domain::scorecard::SpotScore;
use crate::i18n::{Lang, Msg, t, tf};

use super::keymap::Key;

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

/// Which keys a row of the form's key table takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKeys {
    /// These keys mean this form key.
    Keys(&'static [Key], FormKey),
    /// A digit: the score of the dimension under the cursor.
    Digits,
    /// Any other character: typed into the comment.
    Text,
}

/// One row of the form's key table.
pub struct FormBinding {
    pub keys: FormKeys,
    /// Its label on the form's hint line; rows in a row with the same label
    /// share it (`↑↓ field`). `None`: only in the help.
    pub hint: Option<Msg>,
    /// Its sentence in the `?` help.
    pub help: Msg,
}

const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn fb(keys: FormKeys, hint: Option<Msg>, help: Msg) -> FormBinding {
    FormBinding { keys, hint, help }
}

/// The form's one key table: [`form_key`] dispatches from it, and the hint
/// line and the `?` help are written from it, so they say what the keys do.
/// On the comment, plain characters (letters, digits, Space) are typed;
/// arrows, Tab, Enter, Backspace and Ctrl keys keep their meaning there.
pub static FORM_KEYS: &[FormBinding] = &[
    fb(
        FormKeys::Keys(
            &[key(KeyCode::Up), key(KeyCode::BackTab), ch('k')],
            FormKey::Prev,
        ),
        Some(Msg::FormHintField),
        Msg::FormHelpPrev,
    ),
    fb(
        FormKeys::Keys(
            &[key(KeyCode::Down), key(KeyCode::Tab), ch('j')],
            FormKey::Next,
        ),
        Some(Msg::FormHintField),
        Msg::FormHelpNext,
    ),
    fb(
        FormKeys::Digits,
        Some(Msg::FormHintScore),
        Msg::FormHelpDigit,
    ),
    fb(
        FormKeys::Keys(&[key(KeyCode::Left), ch('h')], FormKey::Left),
        Some(Msg::FormHintScore),
        Msg::FormHelpLeft,
    ),
    fb(
        FormKeys::Keys(&[key(KeyCode::Right), ch('l')], FormKey::Right),
        Some(Msg::FormHintScore),
        Msg::FormHelpRight,
    ),
    fb(
        FormKeys::Keys(&[ch(' ')], FormKey::Toggle),
        Some(Msg::FormHintToggle),
        Msg::FormHelpToggle,
    ),
    fb(
        FormKeys::Keys(&[key(KeyCode::Enter)], FormKey::Enter),
        None,
        Msg::FormHelpEnter,
    ),
    fb(FormKeys::Text, None, Msg::FormHelpText),
    fb(
        FormKeys::Keys(&[key(KeyCode::Backspace)], FormKey::Backspace),
        None,
        Msg::FormHelpBackspace,
    ),
    fb(
        FormKeys::Keys(&[ctrl('s')], FormKey::Save),
        Some(Msg::FormHintSave),
        Msg::FormHelpSave,
    ),
    fb(
        FormKeys::Keys(&[key(KeyCode::Esc), ctrl('c')], FormKey::Cancel),
        Some(Msg::FormHintCancel),
        Msg::FormHelpCancel,
    ),
];

/// How a key is written in the form's hints and help (Space in words).
fn key_name(k: &Key, lang: Lang) -> String {
    match k.code {
        KeyCode::Char(' ') if !k.ctrl => t(lang, Msg::FormKeySpace).to_string(),
        _ => k.name(),
    }
}

/// A table row's keys for the help: `↑/Shift-Tab/k`, `digit`, `text`.
pub fn keys_label(b: &FormBinding, lang: Lang) -> String {
    match b.keys {
        FormKeys::Keys(keys, _) => keys
            .iter()
            .map(|k| key_name(k, lang))
            .collect::<Vec<_>>()
            .join("/"),
        FormKeys::Digits => t(lang, Msg::FormKeyDigit).to_string(),
        FormKeys::Text => t(lang, Msg::FormKeyText).to_string(),
    }
}

/// The hint line: `(keys, label)` from the table, rows with the same label
/// next to each other sharing it (`↑↓ field`, `1-5 ←→ score`). `scale_max`
/// writes the digits as the scale (`1-5`).
pub fn form_hints(lang: Lang, scale_max: u8) -> Vec<(String, Msg)> {
    let mut out: Vec<(String, Msg)> = Vec::new();
    for b in FORM_KEYS {
        let Some(hint) = b.hint else { continue };
        let name = match b.keys {
            FormKeys::Keys(keys, _) => key_name(&keys[0], lang),
            FormKeys::Digits => format!("1-{scale_max}"),
            FormKeys::Text => continue,
        };
        match out.last_mut() {
            Some((keys, h)) if *h == hint => {
                // Two arrows read as one pair (`↑↓`); anything else is spaced.
                let arrows = |s: &str| s.chars().count() == 1 && !s.is_ascii();
                let last = keys.chars().last().map(String::from).unwrap_or_default();
                if !(arrows(&last) && arrows(&name)) {
                    keys.push(' ');
                }
                keys.push_str(&name);
            }
            _ => out.push((name, hint)),
        }
    }
    out
}

/// Maps a terminal key to a form key, from [`FORM_KEYS`].
pub fn form_key(ev: &KeyEvent, on_comment: bool) -> Option<FormKey> {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    if let KeyCode::Char(c) = ev.code
        && !ctrl
    {
        if on_comment {
            return Some(FormKey::Char(c));
        }
        if let Some(d) = c.to_digit(10) {
            return Some(FormKey::Digit(d as u8));
        }
    }
    FORM_KEYS.iter().find_map(|b| match b.keys {
        FormKeys::Keys(keys, k) if keys.iter().any(|key| key.matches(ev)) => Some(k),
        _ => None,
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
    /// Another lead took the claim after something was entered: the form
    /// is read-only and says so (who, until when); closed, it is kept as a
    /// draft ([`super::scores::Scores::drafts`]).
    pub taken: Option<String>,
    /// Something was entered since the form opened.
    pub edited: bool,
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
            taken: None,
            edited: false,
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

    /// The scores given so far and the critical errors marked, under the
    /// critical-error rule (`domain::qa::ScoreTotal`: an error voids it).
    pub fn total(&self) -> crate::domain::qa::ScoreTotal {
        crate::domain::qa::ScoreTotal::new(
            self.scores.iter().flatten().copied(),
            self.dimensions.len(),
            self.scale_max,
            self.critical,
        )
    }

    pub fn on_comment(&self) -> bool {
        self.field() == Field::Comment
    }

    /// Applies a key. `now` and `author` stamp a save.
    pub fn handle(&mut self, key: FormKey, now: Ts, author: &str) -> FormOutcome {
        if self.taken.is_some() {
            // Read-only: only closing it (what was entered is kept).
            return match key {
                FormKey::Cancel => FormOutcome::Cancel,
                _ => FormOutcome::Nothing,
            };
        }
        if self.saving {
            return FormOutcome::Nothing;
        }
        let before = self.entries();
        let n = self.fields().len();
        match (key, self.field()) {
            (FormKey::Cancel, _) => return FormOutcome::Cancel,
            (FormKey::Save, _) | (FormKey::Enter, Field::Save) => return self.submit(now, author),
            (FormKey::Next | FormKey::Enter, _) => self.cursor = (self.cursor + 1).min(n - 1),
            (FormKey::Prev, _) => self.cursor = self.cursor.saturating_sub(1),
            (FormKey::Digit(d), Field::Dimension(i)) => {
                if (1..=self.scale_max).contains(&d) {
                    // The cursor stays: ↓ goes on, as the hints say.
                    self.scores[i] = Some(d);
                    self.error = None;
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
        if self.entries() != before {
            self.edited = true;
        }
        FormOutcome::Nothing
    }

    /// What the lead entered: the scores, critical errors, root cause and
    /// comment.
    fn entries(&self) -> (Vec<Option<u8>>, [bool; 3], Option<usize>, String) {
        (
            self.scores.clone(),
            self.critical,
            self.root_cause,
            self.comment.clone(),
        )
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
        self.error = Some(tf(self.lang, Msg::FormErrNotSaved, &[&why]));
    }
}
