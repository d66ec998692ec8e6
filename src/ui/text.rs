//! Text that reaches the terminal: sanitising customer-supplied strings,
//! measuring by display width (CJK is two columns), fitting into cells, and
//! masking customer identifiers.
//!
//! Everything here walks `char`s and stops once the target width is filled,
//! so a 100 000-character summary costs no more than the cells it occupies.

use unicode_width::UnicodeWidthChar;

pub use crate::sanitize::{Clean, sanitize, sanitize_lines};

/// Display width of one char after sanitising (controls count 0, they are dropped).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display width of a string as drawn (escape sequences and controls removed).
pub fn width(s: &str) -> usize {
    Clean::new(s).map(char_width).sum()
}

/// Sanitised text cut to at most `max` columns; a cut is marked with `…`.
/// A wide char that would straddle the edge is left out (never half-drawn).
pub fn fit(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in Clean::new(s) {
        let w = char_width(c);
        if used + w <= max {
            out.push(c);
            used += w;
            continue;
        }
        // Overflow: drop chars from the end until the ellipsis fits.
        while used + 1 > max {
            match out.pop() {
                Some(p) => used -= char_width(p),
                None => return out,
            }
        }
        out.push('…');
        return out;
    }
    out
}

/// [`fit`] then padded with spaces to exactly `w` columns (left aligned).
pub fn pad(s: &str, w: usize) -> String {
    let mut out = fit(s, w);
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
}

/// [`fit`] then padded on the left to exactly `w` columns (right aligned).
pub fn pad_left(s: &str, w: usize) -> String {
    let body = fit(s, w);
    let used = width(&body);
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(used)).collect();
    out.push_str(&body);
    out
}

/// Mask a customer identifier for screens others can see: phone numbers keep
/// only their last 4 digits (`***5678`); other ids keep a short prefix up to
/// `-`/`_` and their last 2 chars (`u-***21`). Short ids become `***`.
pub fn mask_customer(id: &str) -> String {
    let clean = sanitize(id);
    let digits: Vec<char> = clean.chars().filter(char::is_ascii_digit).collect();
    let phone_like = digits.len() >= 7
        && clean
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')' | '.'));
    if phone_like {
        let last4: String = digits[digits.len() - 4..].iter().collect();
        return format!("***{last4}");
    }
    let chars: Vec<char> = clean.chars().collect();
    if chars.len() <= 4 {
        return "***".to_string();
    }
    let prefix_end = chars
        .iter()
        .take(5)
        .position(|c| matches!(c, '-' | '_' | ':'))
        .map_or(0, |p| p + 1);
    let prefix: String = chars[..prefix_end].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    if prefix_end + 2 >= chars.len() {
        return format!("{prefix}***");
    }
    format!("{prefix}***{tail}")
}

/// Free text with customer identifiers masked: runs of 7+ digits (phones,
/// account and order numbers) keep their last 4; e-mail addresses are hidden.
pub fn mask_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for token in split_keep(s) {
        if token.contains('@') && token.chars().any(char::is_alphanumeric) {
            out.push_str("***@***");
        } else {
            mask_digit_runs(token, &mut out);
        }
    }
    out
}

/// Free text as drawn in `width` columns, masked when `masked`. Only a
/// prefix is looked at, so a 100 000-char summary costs what it shows; the
/// prefix is long enough that a digit run cut at its end is off screen.
pub fn shown(s: &str, width: usize, masked: bool) -> String {
    if !masked {
        return fit(s, width);
    }
    let end = s
        .char_indices()
        .nth(width * 4 + 16)
        .map_or(s.len(), |(i, _)| i);
    fit(&mask_text(&sanitize(&s[..end])), width)
}

/// Split into whitespace-separated tokens, keeping the whitespace as tokens.
fn split_keep(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in s.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|was| was != space) {
            parts.push(&s[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < s.len() {
        parts.push(&s[start..]);
    }
    parts
}

/// Digit runs (with `-`, `.`, `(`, `)`, `+` or single spaces inside) of 7+
/// digits become `***` + last 4 digits.
fn mask_digit_runs(token: &str, out: &mut String) {
    let chars: Vec<char> = token.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let mut j = i;
            let mut digits = String::new();
            while j < chars.len()
                && (chars[j].is_ascii_digit() || matches!(chars[j], '-' | '.' | '(' | ')' | '+'))
            {
                if chars[j].is_ascii_digit() {
                    digits.push(chars[j]);
                }
                j += 1;
            }
            if digits.len() >= 7 {
                out.push_str("***");
                out.push_str(&digits[digits.len() - 4..]);
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
}

/// Wraps `s` into lines of at most `width` columns: at spaces where it
/// can, between any two wide (CJK) characters, and inside a word only when
/// the word alone is wider than a line. Spaces at a break are dropped.
pub fn wrap_words(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    // Tokens: a run of narrow non-space chars, one wide char, or a space.
    let mut tokens: Vec<String> = Vec::new();
    for c in Clean::new(s) {
        let narrow_word = c != ' ' && char_width(c) < 2;
        match tokens.last_mut() {
            Some(t)
                if narrow_word
                    && t.chars()
                        .last()
                        .is_some_and(|p| p != ' ' && char_width(p) < 2) =>
            {
                t.push(c)
            }
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines = Vec::new();
    let (mut line, mut used, mut space) = (String::new(), 0, false);
    for tok in tokens {
        if tok == " " {
            space = !line.is_empty();
            continue;
        }
        let w = width_of(&tok);
        let gap = usize::from(space);
        if used + gap + w <= width {
            if space {
                line.push(' ');
            }
            line.push_str(&tok);
            used += gap + w;
        } else {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            used = 0;
            // A word wider than a line is cut where the line ends.
            for c in tok.chars() {
                let cw = char_width(c);
                if used + cw > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
        space = false;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn width_of(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces_and_between_wide_chars() {
        assert_eq!(
            wrap_words("enlarge the window, or q to quit", 20),
            ["enlarge the window,", "or q to quit"]
        );
        // 请放大窗口 is 10 columns: it breaks between two characters.
        assert_eq!(
            wrap_words("请放大窗口，或按 q 退出", 12),
            ["请放大窗口，", "或按 q 退出"]
        );
        assert_eq!(wrap_words("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap_words("", 5), Vec::<String>::new());
        assert_eq!(wrap_words("a  b", 0), ["a", "b"]);
    }

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(sanitize("a\x1b]52;c;ZXZpbA==\x07b"), "ab");
        assert_eq!(sanitize("a\x1b[2Jb"), "ab");
        assert_eq!(sanitize("a\x1b[38;5;196mred\x1b[0m"), "ared");
        assert_eq!(sanitize("x\x1bPq#0;2;0;0;0\x1b\\y"), "xy");
        assert_eq!(sanitize("line1\nline2\ttab\r"), "line1 line2 tab ");
        assert_eq!(sanitize("bell\x07 del\x7f c1\u{85}"), "bell del c1");
        assert_eq!(sanitize("\u{202e}evil"), "evil");
        // An unterminated OSC swallows the rest rather than leaking it.
        assert_eq!(sanitize("ok\x1b]0;title"), "ok");
    }

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(width("王芳"), 4);
        assert_eq!(width("ab"), 2);
        assert_eq!(width("\x1b[31m王\x1b[0m"), 2);
    }

    #[test]
    fn fit_never_splits_wide_chars() {
        assert_eq!(fit("王芳丽", 6), "王芳丽");
        assert_eq!(fit("王芳丽", 5), "王芳…");
        assert_eq!(fit("王芳丽", 4), "王…");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abcd", 4), "abcd");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(width(&pad("王芳丽", 5)), 5);
        assert_eq!(pad_left("7", 3), "  7");
    }

    #[test]
    fn fit_is_cheap_on_huge_lines() {
        let long = "x".repeat(100_000);
        assert_eq!(fit(&long, 10).chars().count(), 10);
    }

    #[test]
    fn masks_customers() {
        assert_eq!(mask_customer("u-10021"), "u-***21");
        assert_eq!(mask_customer("13812345678"), "***5678");
        assert_eq!(mask_customer("+86 138-1234-5678"), "***5678");
        assert_eq!(mask_customer("abc"), "***");
        assert_eq!(mask_customer("cust_9981"), "cust_***81");
        assert_eq!(mask_customer("wang.fang@example.com"), "***om");
        assert_eq!(
            mask_text("call 138-1234-5678 or mail a@b.cn, order 12345"),
            "call ***5678 or mail ***@*** order 12345"
        );
    }
}
