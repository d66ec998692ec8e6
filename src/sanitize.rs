//! The one sanitizer for text from the data or from a server, on every
//! output: the console draws through it (`ui::text::fit`), and so do
//! `snapshot --format table`, the loader's reports on stderr and the HTTP
//! error excerpts. It sits below every other module, so any of them may
//! use it.

/// Characters that must never reach the terminal raw: C0/C1 controls, DEL,
/// the bidi controls that reorder what the lead reads (marks, embeddings,
/// overrides, isolates), and the invisible ones that hide text or make two
/// different ids look the same (zero-width space, joiners, word joiner and
/// invisible operators, the byte-order mark, soft hyphen, Mongolian vowel
/// separator, line and paragraph separators).
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{061c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Iterator over the printable chars of `s`: escape sequences (CSI, OSC,
/// DCS, SOS, PM, APC, and two-char ESC sequences) are skipped whole,
/// newlines and tabs become spaces, other controls are dropped.
pub struct Clean<'a> {
    chars: std::str::Chars<'a>,
}

impl<'a> Clean<'a> {
    pub fn new(s: &'a str) -> Self {
        Clean { chars: s.chars() }
    }

    /// Skip a control string (OSC/DCS/…) up to BEL, ST (`ESC \`) or C1 ST.
    fn skip_string(&mut self) {
        while let Some(c) = self.chars.next() {
            match c {
                '\u{7}' | '\u{9c}' => return,
                '\u{1b}' => {
                    // ESC \ ends it; any other ESC also ends it (and is dropped).
                    let mut peek = self.chars.clone();
                    if peek.next() == Some('\\') {
                        self.chars = peek;
                    }
                    return;
                }
                _ => {}
            }
        }
    }

    /// Skip CSI parameters up to and including the final byte (0x40–0x7E).
    fn skip_csi(&mut self) {
        for c in self.chars.by_ref() {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                return;
            }
            if !('\u{20}'..='\u{3f}').contains(&c) {
                // Malformed sequence: stop skipping at the first unexpected char.
                return;
            }
        }
    }
}

impl Iterator for Clean<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            let c = self.chars.next()?;
            match c {
                '\u{1b}' => match self.chars.next() {
                    Some('[') => self.skip_csi(),
                    Some(']' | 'P' | 'X' | '^' | '_') => self.skip_string(),
                    // Two-char sequences (ESC c, ESC 7, …): drop both.
                    _ => {}
                },
                '\u{9b}' => self.skip_csi(),
                '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => self.skip_string(),
                '\n' | '\r' | '\t' => return Some(' '),
                c if is_hostile(c) => {}
                c => return Some(c),
            }
        }
    }
}

/// The whole string, sanitised. For display prefer [`fit`], which stops early.
///
/// This is the one sanitizer for text from the data or a server, on every
/// output: the console (through [`fit`]), `snapshot --format table`, and
/// what the command line writes to stderr (through [`sanitize_lines`]).
pub fn sanitize(s: &str) -> String {
    Clean::new(s).collect()
}

/// [`sanitize`] line by line, keeping the line breaks: for messages on stderr.
pub fn sanitize_lines(s: &str) -> String {
    s.split('\n').map(sanitize).collect::<Vec<_>>().join("\n")
}
