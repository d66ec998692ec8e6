//! English words left in a Chinese text: the check the catalogue tests
//! (`error_words` and the integration tests) share.

/// Words a Chinese lead reads as they are: abbreviations, product and
/// protocol names, and the names of keys, flags and options the message
/// tells the lead to use.
const KEPT: &[&str] = &[
    "en",
    "zh",
    "auto",
    "HTTP",
    "JSON",
    "TOML",
    "RFC",
    "URL",
    "IANA",
    "KPI",
    "NPS",
    "RT",
    "Zendesk",
    "SQLite",
    "UTF",
    "TLS",
    "API",
    "ISO",
    "TCP",
    "DNS",
    "CSV",
    "NDJSON",
    "IP",
    "shiftdeck",
    "https",
    "http",
    "EMAIL",
    "TOKEN",
    "YYYY",
    "MM",
    "DD",
    "Queue",
    "agent_state",
    "token_env",
    "token_file",
    "source",
    "email",
    "days",
    "queues",
    "sl_seconds",
    "per_page",
    "feed",
    "rt",
    "zendesk",
    "MB",
    "KB",
    "FIFO",
    "arrived_at",
    "os",
    "HTML",
    "PATH",
    "PostgreSQL",
    "postgres",
    "store",
    "migrate",
    "password_env",
    "password_file",
    "sslmode",
    "disable",
    "allow",
    "prefer",
    "require",
    "verify",
    "ca",
    "full",
    "Webhook",
];

/// English words left in a text once what is data or a name is taken out:
/// quoted parts (`…`, '…', "…", “…”), paths, URLs, flags and keys, numbers,
/// and the [`KEPT`] words.
pub fn english_left(s: &str) -> Vec<String> {
    english_left_keeping(s, &[])
}

/// [`english_left`], also keeping the words of `extra` (names a message
/// quotes, such as config keys).
pub fn english_left_keeping(s: &str, extra: &[&str]) -> Vec<String> {
    let mut cleaned = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '`' | '\'' | '"') => quote = Some(c),
            None if c == '“' => quote = Some('”'),
            None => cleaned.push(c),
        }
    }
    cleaned
        .split(|c: char| c.is_whitespace() || "（），：；、。()[],;:？?［］".contains(c))
        .filter(|w| !w.is_empty() && !w.starts_with('-'))
        .filter(|w| !w.contains(['/', '.', '_', '=', '@', '$', '~', '*', '+', '<', '>']))
        .flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .filter(|w| !KEPT.contains(w) && !extra.contains(w))
        .map(str::to_string)
        .collect()
}
