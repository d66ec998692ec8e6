//! The `/` filter. Words are ANDed:
//! - `q:NAME` or `queue:NAME` restricts KPIs and rows to one queue (id or name);
//! - `a:NAME` or `agent:NAME` restricts KPIs and rows to one agent (id or name);
//! - any other word keeps the rows whose text holds it (case-insensitive):
//!   queue rows, SLA timers, feedback items and spot-check items.
//!
//! The engine resolves queue and agent names against the floor (exact id or
//! name first, else the first case-insensitive substring match) and reports
//! what it chose in a [`Scope`], which the header shows.

use crate::i18n::{Lang, Msg, tf};

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Filter {
    pub queue: Option<String>,
    pub agent: Option<String>,
    /// Lower-cased free-text words.
    pub words: Vec<String>,
}

impl Filter {
    pub fn parse(input: &str) -> Filter {
        let mut f = Filter::default();
        for word in input.split_whitespace() {
            let lower = word.to_lowercase();
            if let Some(v) = strip_any(word, &["q:", "queue:"]).filter(|v| !v.is_empty()) {
                f.queue = Some(v.to_string());
            } else if let Some(v) = strip_any(word, &["a:", "agent:"]).filter(|v| !v.is_empty()) {
                f.agent = Some(v.to_string());
            } else {
                f.words.push(lower);
            }
        }
        f
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_none() && self.agent.is_none() && self.words.is_empty()
    }

    /// Whether the KPIs need recomputing for this filter.
    pub fn has_scope(&self) -> bool {
        self.queue.is_some() || self.agent.is_some()
    }

    /// Whether every free-text word occurs in one of `fields`.
    pub fn text_matches(&self, fields: &[&str]) -> bool {
        if self.words.is_empty() {
            return true;
        }
        let hay: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
        self.words
            .iter()
            .all(|w| hay.iter().any(|h| h.contains(w.as_str())))
    }
}

fn strip_any<'a>(word: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| {
        let head = word.get(..p.len())?;
        head.eq_ignore_ascii_case(p).then(|| &word[p.len()..])
    })
}

/// What a filter's queue and agent terms resolved to on the floor.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Scope {
    /// Resolved queue id.
    pub queue: Option<String>,
    /// Resolved agent id and display name.
    pub agent: Option<String>,
    pub agent_name: Option<String>,
    /// Terms that matched nothing (their KPIs are then empty).
    pub unmatched: Vec<String>,
}

impl Scope {
    pub fn is_everything(&self) -> bool {
        self.queue.is_none() && self.agent.is_none() && self.unmatched.is_empty()
    }

    /// The scope in the language: "queue q-phone · agent 王芳",
    /// "队列 q-phone · 坐席 王芳".
    pub fn describe_in(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if let Some(q) = &self.queue {
            parts.push(tf(lang, Msg::ScopeQueue, &[q]));
        }
        if let Some(a) = &self.agent {
            let name = self.agent_name.as_deref().unwrap_or(a);
            parts.push(tf(lang, Msg::ScopeAgent, &[&name]));
        }
        for u in &self.unmatched {
            parts.push(tf(lang, Msg::ScopeNoMatch, &[u]));
        }
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scopes_and_words() {
        let f = Filter::parse("q:phone  Agent:王芳 Refund late");
        assert_eq!(f.queue.as_deref(), Some("phone"));
        assert_eq!(f.agent.as_deref(), Some("王芳"));
        assert_eq!(f.words, vec!["refund", "late"]);
        assert!(f.has_scope());
        assert!(Filter::parse("  ").is_empty());
        // A bare prefix is just a word.
        assert_eq!(Filter::parse("q:").words, vec!["q:"]);
    }

    #[test]
    fn words_must_all_match_some_field() {
        let f = Filter::parse("refund LATE");
        assert!(f.text_matches(&["Refund request", "callback late"]));
        assert!(!f.text_matches(&["refund request"]));
        assert!(Filter::default().text_matches(&[]));
    }

    #[test]
    fn scope_in_both_languages() {
        let s = Scope {
            queue: Some("q-phone".into()),
            agent: Some("a7".into()),
            agent_name: Some("王芳".into()),
            unmatched: vec!["zz".into()],
        };
        assert_eq!(
            s.describe_in(Lang::En),
            "queue q-phone · agent 王芳 · no match for zz"
        );
        assert_eq!(
            s.describe_in(Lang::Zh),
            "队列 q-phone · 坐席 王芳 · 无匹配：zz"
        );
    }
}
