//! Error and status texts in the lead's language.
//!
//! Errors are made in English where they happen: by this program (config
//! checks, the loader, sources, the store), and by what it builds on (the OS,
//! serde_json, TOML, SQLite). They are logged in English, and shown to the
//! lead through [`translate`], which reads them against the catalogue of
//! error texts in `error_table.rs`: each entry is an English template with
//! `{}` holes and its Chinese text. A matched hole is translated again, so a
//! chain such as `reading feed: cannot connect: Connection refused` comes out
//! whole; what no entry knows (a path, a URL, a server's own words) is kept
//! as written.
//!
//! Like gettext's English message ids, but matched after the fact, because
//! most of these texts come from other crates.

use std::borrow::Cow;
use std::sync::OnceLock;

pub use super::error_table::ERROR_TEXTS;
use super::{Lang, Msg};

/// An English template split at its `{}` holes.
struct Pattern {
    literals: Vec<&'static str>,
    zh: &'static str,
}

impl Pattern {
    fn literal_len(&self) -> usize {
        self.literals.iter().map(|l| l.len()).sum()
    }

    /// Hole `k` sits in quotes or backticks: a name or a value, kept as written.
    fn quoted(&self, k: usize) -> bool {
        let (before, after) = (self.literals[k], self.literals[k + 1]);
        ['`', '\'', '"']
            .iter()
            .any(|&q| before.ends_with(q) && after.starts_with(q))
    }

    /// The holes' texts when `text` reads as this template. Holes take the
    /// shortest text that lets the next literal follow (the last takes the
    /// rest); every hole must hold something.
    fn captures<'t>(&self, text: &'t str) -> Option<Vec<&'t str>> {
        let (first, rest) = self.literals.split_first()?;
        let mut tail = text.strip_prefix(first)?;
        let mut caps = Vec::with_capacity(rest.len());
        for (i, lit) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            let at = if last {
                if !tail.ends_with(lit) || tail.len() <= lit.len() {
                    return None;
                }
                tail.len() - lit.len()
            } else {
                // Skip at least one byte so the hole is not empty.
                let start = tail.char_indices().nth(1)?.0;
                start + tail[start..].find(lit)?
            };
            caps.push(&tail[..at]);
            tail = &tail[at + lit.len()..];
        }
        (tail.is_empty()).then_some(caps)
    }
}

/// Patterns, most specific (longest literal text) first: the error texts,
/// and the catalogue's own `Err*` messages (made with `tf`).
fn patterns() -> &'static [Pattern] {
    static P: OnceLock<Vec<Pattern>> = OnceLock::new();
    P.get_or_init(|| {
        let catalogue = Msg::ALL
            .iter()
            .filter(|m| format!("{m:?}").starts_with("Err"))
            .map(|m| (m.en(), m.zh()));
        let mut v: Vec<Pattern> = ERROR_TEXTS
            .iter()
            .copied()
            .chain(catalogue)
            .map(|(en, zh)| Pattern {
                literals: en.split("{}").collect(),
                zh,
            })
            .collect();
        v.sort_by_key(|p| std::cmp::Reverse(p.literal_len()));
        v
    })
}

/// `text` (an English error or status) in `lang`.
pub fn translate(lang: Lang, text: &str) -> Cow<'_, str> {
    match lang {
        Lang::En => Cow::Borrowed(text),
        Lang::Zh => translate_zh(text, 0),
    }
}

/// Deep enough for any real chain; guards against pathological input.
const MAX_DEPTH: usize = 12;
/// Longer texts (a server page, a huge value echoed by a parser) are shown
/// as written: the header translates on every frame and must stay cheap.
const MAX_LEN: usize = 2048;
/// `: ` positions tried as the end of a chain's context.
const MAX_SPLITS: usize = 8;

fn translate_zh(text: &str, depth: usize) -> Cow<'_, str> {
    if text.is_empty()
        || text.len() > MAX_LEN
        || depth > MAX_DEPTH
        || !text.bytes().any(|b| b.is_ascii_alphabetic())
    {
        return Cow::Borrowed(text);
    }
    // A chain (`context: cause`): the first `: ` whose head is a whole
    // known message, one that ends in fixed text, ends the context (the
    // context may hold `: ` itself). Tried before reading the text as one
    // message, whose last hole could otherwise swallow the chain's cause.
    let splits: Vec<usize> = text
        .match_indices(": ")
        .map(|(i, _)| i)
        .take(MAX_SPLITS)
        .collect();
    if let Some((i, head)) = splits
        .iter()
        .find_map(|&i| whole(&text[..i], depth, true).map(|head| (i, head)))
    {
        let tail = translate_zh(&text[i + 2..], depth + 1);
        return Cow::Owned(format!("{head}: {tail}"));
    }
    if let Some(t) = whole(text, depth, false) {
        return Cow::Owned(t);
    }
    // An unknown context (a path, a URL): kept, and the rest read on.
    if let Some(&i) = splits.first() {
        let (head, tail) = (
            translate_zh(&text[..i], depth + 1),
            translate_zh(&text[i + 2..], depth + 1),
        );
        if matches!((&head, &tail), (Cow::Borrowed(_), Cow::Borrowed(_))) {
            return Cow::Borrowed(text);
        }
        return Cow::Owned(format!("{head}: {tail}"));
    }
    // A list (`a; b`): each part on its own.
    if let Some((a, b)) = text.split_once("; ") {
        let (a, b) = (translate_zh(a, depth + 1), translate_zh(b, depth + 1));
        if !matches!((&a, &b), (Cow::Borrowed(_), Cow::Borrowed(_))) {
            return Cow::Owned(format!("{a}；{b}"));
        }
    }
    Cow::Borrowed(text)
}

/// `text` read as one catalogue entry, its holes translated in turn;
/// `closed`: only entries that end in fixed text (a message that is
/// complete, not a context awaiting its cause).
fn whole(text: &str, depth: usize, closed: bool) -> Option<String> {
    patterns().iter().find_map(|p| {
        if closed && p.literals.len() > 1 && p.literals.last().is_some_and(|l| l.is_empty()) {
            return None;
        }
        let caps = p.captures(text)?;
        // Only a template's final hole may hold a chain (`context: cause`,
        // `a; b`): one with text on both sides would swallow the chain's
        // next part into the middle of this sentence. A leading hole
        // (`{}; entries are read-only …`) holds a whole message, which may
        // have a `; ` of its own, but no chain.
        let chained = caps.iter().enumerate().any(|(k, c)| {
            let leading = k == 0 && p.literals[0].is_empty();
            // The Chinese must end in the hole too, or the chain's cause
            // would land before the sentence's end ("写入 {} 失败").
            let closed = leading
                || k + 1 < caps.len()
                || !p.literals[k + 1].is_empty()
                || !p.zh.ends_with("{}");
            let holds_chain = c.contains(": ") || (!leading && c.contains("; "));
            closed && !p.quoted(k) && holds_chain
        });
        if chained {
            return None;
        }
        let caps: Vec<Cow<str>> = caps
            .iter()
            .enumerate()
            .map(|(k, c)| {
                if p.quoted(k) {
                    Cow::Borrowed(*c)
                } else {
                    translate_zh(c, depth + 1)
                }
            })
            .collect();
        let args: Vec<&dyn std::fmt::Display> =
            caps.iter().map(|c| c as &dyn std::fmt::Display).collect();
        Some(super::fill(p.zh, &args))
    })
}

/// An error with its causes, each translated, joined as anyhow's `{:#}` does.
pub fn chain(lang: Lang, e: &anyhow::Error) -> String {
    let parts: Vec<String> = e
        .chain()
        .map(|cause| translate(lang, &cause.to_string()).into_owned())
        .collect();
    // A cause whose text its context already quotes in full is said once.
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    for p in parts {
        if out.last().is_some_and(|prev: &String| prev.ends_with(&p)) {
            continue;
        }
        out.push(p);
    }
    out.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(en: &'static str) -> Pattern {
        Pattern {
            literals: en.split("{}").collect(),
            zh: "",
        }
    }

    #[test]
    fn holes_take_the_shortest_text_and_the_last_the_rest() {
        let p = pattern("{}: cannot connect: {}");
        assert_eq!(
            p.captures("http://a:1/x: cannot connect: b: cannot connect: c"),
            Some(vec!["http://a:1/x", "b: cannot connect: c"])
        );
        assert_eq!(p.captures(": cannot connect: x"), None, "empty hole");
        assert_eq!(p.captures("u: cannot connect: "), None, "empty last hole");
        assert_eq!(pattern("cannot open {}").captures("cannot open "), None);
        assert_eq!(pattern("no store").captures("no store"), Some(vec![]));
        assert_eq!(pattern("no store").captures("no store!"), None);
    }

    #[test]
    fn a_quoted_hole_is_a_name_not_a_text() {
        // "permission denied" is in the catalogue; in backticks it is a name.
        assert_eq!(
            translate(Lang::Zh, "missing field `permission denied`"),
            "缺少字段 `permission denied`"
        );
        assert_eq!(translate(Lang::Zh, "permission denied"), "没有权限");
    }

    #[test]
    fn english_is_left_alone() {
        let s = "cannot open /tmp/x: No such file or directory (os error 2)";
        assert!(matches!(translate(Lang::En, s), Cow::Borrowed(t) if t == s));
    }

    #[test]
    fn unknown_text_is_kept_as_written() {
        for s in ["/srv/floor.ndjson", "Server says: quota exceeded", "", "42"] {
            assert_eq!(translate(Lang::Zh, s), s);
        }
    }
}
