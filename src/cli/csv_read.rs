//! Reading RFC 4180 CSV back (`shiftdeck import`): the files `export`
//! writes, and the same after a spreadsheet saved them. Streams, one record
//! at a time, each with the line it starts on, so every problem is said as
//! `FILE:LINE: reason`; a record's problem never stops the records after it.
//!
//! Accepted: a UTF-8 byte-order mark, CRLF or LF, quoted fields holding
//! commas, quotes (`""`) and line breaks, blank lines (skipped). Bounded: a
//! field longer than [`FIELD_MAX`] bytes is not kept (its record is bad),
//! so a damaged file cannot fill the memory.

use std::io::BufRead;

/// The longest field kept, in bytes.
pub const FIELD_MAX: usize = 64 * 1024;

/// Why a record cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordProblem {
    /// A field longer than [`FIELD_MAX`] bytes.
    FieldTooLong,
    /// Bytes that are not UTF-8.
    NotUtf8,
    /// The file ends inside a quoted field (cut short).
    Unterminated,
}

/// One record: the line it starts on (1-based) and its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub line: u64,
    pub fields: Result<Vec<String>, RecordProblem>,
}

pub struct CsvReader<R> {
    input: R,
    /// An empty line ends the input (the feedback export's change log is
    /// followed by one, then the derived state); otherwise it is skipped.
    pub stop_at_blank: bool,
    /// The line the next record starts on.
    line: u64,
    at_start: bool,
    done: bool,
}

impl<R: BufRead> CsvReader<R> {
    pub fn new(input: R) -> Self {
        CsvReader {
            input,
            stop_at_blank: false,
            line: 1,
            at_start: true,
            done: false,
        }
    }

    /// The next byte, or `None` at the end of the input.
    fn byte(&mut self) -> std::io::Result<Option<u8>> {
        let buf = loop {
            match self.input.fill_buf() {
                Ok(b) => break b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        let Some(&b) = buf.first() else {
            return Ok(None);
        };
        self.input.consume(1);
        Ok(Some(b))
    }

    fn peek(&mut self) -> std::io::Result<Option<u8>> {
        loop {
            match self.input.fill_buf() {
                Ok(b) => return Ok(b.first().copied()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The next record; `Ok(None)` at the end. A read error of the file
    /// itself ends the reading.
    pub fn next_record(&mut self) -> std::io::Result<Option<Record>> {
        if self.at_start {
            self.at_start = false;
            let bom = [0xef, 0xbb, 0xbf];
            if self.input.fill_buf()?.starts_with(&bom) {
                self.input.consume(3);
            }
        }
        loop {
            if self.done {
                return Ok(None);
            }
            let start = self.line;
            let mut fields: Vec<Vec<u8>> = vec![Vec::new()];
            let mut problem: Option<RecordProblem> = None;
            let mut quoted = false;
            // The field began with a quote (so a quote inside it is special).
            let mut in_quotes_field = false;
            let mut any = false;
            loop {
                let Some(b) = self.byte()? else {
                    self.done = true;
                    if quoted {
                        problem.get_or_insert(RecordProblem::Unterminated);
                    }
                    break;
                };
                any = true;
                if quoted {
                    match b {
                        b'"' if self.peek()? == Some(b'"') => {
                            self.byte()?;
                            push(&mut fields, b'"', &mut problem);
                        }
                        b'"' => quoted = false,
                        b'\n' => {
                            self.line += 1;
                            push(&mut fields, b, &mut problem);
                        }
                        _ => push(&mut fields, b, &mut problem),
                    }
                    continue;
                }
                match b {
                    b',' => {
                        fields.push(Vec::new());
                        in_quotes_field = false;
                    }
                    b'"' if !in_quotes_field && fields.last().is_some_and(Vec::is_empty) => {
                        quoted = true;
                        in_quotes_field = true;
                    }
                    b'\r' if self.peek()? == Some(b'\n') => {}
                    b'\n' => {
                        self.line += 1;
                        break;
                    }
                    // After a closing quote, or a quote inside a bare field:
                    // kept as written.
                    _ => push(&mut fields, b, &mut problem),
                }
            }
            if !any {
                return Ok(None);
            }
            // A blank line is no record.
            if problem.is_none() && fields.len() == 1 && fields[0].is_empty() && !in_quotes_field {
                if self.stop_at_blank {
                    self.done = true;
                    return Ok(None);
                }
                continue;
            }
            let fields = match problem {
                Some(p) => Err(p),
                None => fields
                    .into_iter()
                    .map(String::from_utf8)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| RecordProblem::NotUtf8),
            };
            return Ok(Some(Record {
                line: start,
                fields,
            }));
        }
    }
}

fn push(fields: &mut [Vec<u8>], b: u8, problem: &mut Option<RecordProblem>) {
    if let Some(f) = fields.last_mut() {
        if f.len() >= FIELD_MAX {
            problem.get_or_insert(RecordProblem::FieldTooLong);
        } else {
            f.push(b);
        }
    }
}

/// The formula guard every CSV shiftdeck writes puts on a cell (see
/// `export::csv_field`), here so that reading takes it off by the same rule.
/// `s` with a `'` in front when a spreadsheet would take it for a formula.
pub fn neutralise_formula(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(s) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// An optional sign, digits, and at most one decimal point among them.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut digits = 0;
    let mut points = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => points += 1,
            _ => return false,
        }
    }
    digits > 0 && points <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &[u8]) -> Vec<Record> {
        let mut r = CsvReader::new(text);
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            out.push(rec);
        }
        out
    }

    fn ok(line: u64, fields: &[&str]) -> Record {
        Record {
            line,
            fields: Ok(fields.iter().map(|s| s.to_string()).collect()),
        }
    }

    #[test]
    fn quoted_fields_line_breaks_and_lines() {
        let text = "\u{feff}a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n2,\"two\r\nlines\",4\n5,,\n";
        assert_eq!(
            all(text.as_bytes()),
            [
                ok(1, &["a", "b", "c"]),
                ok(2, &["1", "x, \"y\"", "3"]),
                ok(4, &["2", "two\r\nlines", "4"]),
                ok(6, &["5", "", ""]),
            ]
        );
    }

    #[test]
    fn an_empty_line_can_end_the_input() {
        let text = b"a,b\r\n1,\"x\r\n\r\ny\"\r\n\r\nitem,stage\r\nfb-1,new\r\n";
        let mut r = CsvReader::new(&text[..]);
        r.stop_at_blank = true;
        assert_eq!(r.next_record().unwrap(), Some(ok(1, &["a", "b"])));
        // A line break inside quotes is no empty line.
        assert_eq!(r.next_record().unwrap(), Some(ok(2, &["1", "x\r\n\r\ny"])));
        assert_eq!(r.next_record().unwrap(), None);
        assert_eq!(r.next_record().unwrap(), None);
    }

    #[test]
    fn no_final_newline_and_an_empty_quoted_field() {
        assert_eq!(all(b"a,\"\"\nb,c"), [ok(1, &["a", ""]), ok(2, &["b", "c"])]);
        assert_eq!(all(b"\"\"\n"), [ok(1, &[""])]);
    }

    #[test]
    fn a_file_cut_inside_quotes_is_one_bad_record() {
        let got = all(b"a,b\n1,\"never closed\n2,3\n");
        assert_eq!(got[0], ok(1, &["a", "b"]));
        assert_eq!(
            got[1],
            Record {
                line: 2,
                fields: Err(RecordProblem::Unterminated)
            }
        );
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn a_huge_field_is_refused_and_the_next_record_read() {
        let mut text = b"1,\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', FIELD_MAX + 10));
        text.extend(b"\"\n2,ok\n");
        let got = all(&text);
        assert_eq!(got[0].fields, Err(RecordProblem::FieldTooLong));
        assert_eq!(got[1], ok(2, &["2", "ok"]));
    }

    #[test]
    fn bytes_that_are_not_utf8() {
        let got = all(b"a,\xff\xfe\nb,c\n");
        assert_eq!(got[0].fields, Err(RecordProblem::NotUtf8));
        assert_eq!(got[1], ok(2, &["b", "c"]));
    }
}
