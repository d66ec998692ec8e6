//! Ingesting a large run of lines on every core. The bytes are cut into
//! pieces at line boundaries; worker threads decode whole pieces at once
//! (line split, UTF-8 and JSON scan, timestamps, numbers, checks, the
//! record's own strings), each against an interner of its own kept for
//! the whole run, while the caller's thread takes the pieces in file
//! order, moves the names each piece met first into the floor's interner
//! and applies its records. The floor is touched by one thread only, in
//! feed order, so "the later line wins" holds across pieces exactly as in
//! a one-thread load.
//!
//! Symbols come out the same as well: a worker's interner numbers its
//! names in the order the worker first meets them, and each decoded line
//! says how many of them it had met by its end, so the caller interns them
//! into the floor's interner at the same line, in the same order, as
//! decoding the lines one by one would (a malformed line's names
//! included). A name the worker met in an earlier piece of the run is
//! already in the floor's interner by then (the worker's pieces are
//! applied in file order, its earlier ones first), so it is looked up
//! there once a run and worker, not once a piece: a day's thousand agents
//! turn up in every piece.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::channel;

use super::wire;
use super::{IngestStats, LineError, MAX_KEPT_ERRORS};
use crate::domain::Record;
use crate::domain::floor::{Batch, Floor};
use crate::domain::intern::{Interner, Sym};
use crate::domain::record::AgentStateEvent;

/// Below this many bytes a second thread costs more than it saves.
pub const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// Bytes per piece (rounded up to the end of a line).
pub const PIECE_BYTES: usize = 1 << 20;

/// Bytes of the first piece of a run: the applying thread waits for it.
pub const FIRST_PIECE_BYTES: usize = 64 << 10;

/// One non-blank line of a piece, decoded.
struct Decoded {
    /// 0-based line number within the piece.
    line: u32,
    /// How many names the worker had met by the end of this line.
    names: u32,
    decoded: Result<Record, wire::LineReason>,
}

/// An agent-state line of a piece, decoded: most lines of a feed, kept
/// apart from [`Decoded`] so that they cross to the applying thread in 32
/// bytes, not a whole line's 136 (a `Record` is as big as a contact).
struct DecodedState {
    /// How many names the worker had met by the end of this line.
    names: u32,
    event: AgentStateEvent,
}

/// A piece, decoded by a worker. Its lists go back to the workers once
/// applied and are filled again (see [`Spares`]).
#[derive(Default)]
struct Piece {
    /// Lines in the piece, blank ones included.
    lines: u64,
    /// The decoded lines other than agent states, in line order.
    items: Vec<Decoded>,
    /// The agent states, in line order.
    states: Vec<DecodedState>,
    /// Bit `i` (of `items` and `states` merged in line order): the `i`th
    /// decoded line is an agent state.
    is_state: Vec<u64>,
    /// The worker that decoded it (whose interner numbers its symbols).
    worker: usize,
    /// The names the worker met first in this piece, in that order: their
    /// texts one after the other, and where each ends.
    new_names: String,
    new_ends: Vec<u32>,
}

/// The pieces of `bytes`: about `size` bytes each, each ending after a
/// newline (the last one at the end of `bytes`).
pub(super) fn pieces(bytes: &[u8], size: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(bytes.len() / size.max(1) + 1);
    let mut rest = bytes;
    while !rest.is_empty() {
        let want = size.max(1).min(rest.len());
        let end = match memchr::memchr(b'\n', &rest[want - 1..]) {
            Some(i) => want + i,
            None => rest.len(),
        };
        let (piece, next) = rest.split_at(end);
        out.push(piece);
        rest = next;
    }
    out
}

/// Decodes one piece against the worker's interner `names`. `first_line`
/// is the number of its first line when that matters (a BOM is stripped on
/// line 1 only), else 0.
fn decode_piece(
    bytes: &[u8],
    first_line: u64,
    names: &mut Interner,
    worker: usize,
    spare: Option<Piece>,
) -> Piece {
    let known = names.len();
    let Piece {
        mut items,
        mut states,
        mut is_state,
        mut new_names,
        mut new_ends,
        ..
    } = spare.unwrap_or_default();
    items.reserve(bytes.len() / 400);
    states.reserve(bytes.len() / 200);
    let mut rest = bytes;
    let mut n: u32 = 0;
    let mut decoded_lines = 0usize;
    while !rest.is_empty() {
        let no = if first_line == 0 {
            0
        } else {
            first_line + u64::from(n)
        };
        let (line, next) = next_line(rest, no);
        rest = next;
        if !is_blank(line) {
            let decoded = wire::decode_line(line, names);
            let names = names.len() as u32;
            if decoded_lines.is_multiple_of(64) {
                is_state.push(0);
            }
            if let Ok(Record::AgentState(event)) = decoded {
                if let Some(word) = is_state.last_mut() {
                    *word |= 1 << (decoded_lines % 64);
                }
                states.push(DecodedState { names, event });
            } else {
                items.push(Decoded {
                    line: n,
                    names,
                    decoded,
                });
            }
            decoded_lines += 1;
        }
        n += 1;
    }
    for i in known..names.len() {
        new_names.push_str(names.resolve(Sym::from_index(i)));
        new_ends.push(new_names.len() as u32);
    }
    Piece {
        lines: u64::from(n),
        items,
        states,
        is_state,
        worker,
        new_names,
        new_ends,
    }
}

/// Applies a decoded piece whose first line is `first_line`. `map` takes
/// the piece's worker's symbols to the floor's: it holds every name the
/// worker met before this piece, and grows by the ones met in it.
fn apply_piece(
    floor: &mut Batch<'_>,
    mut piece: Piece,
    map: &mut Vec<Sym>,
    origin: &str,
    first_line: u64,
    stats: &mut IngestStats,
    errors: &mut Vec<LineError>,
) -> Piece {
    let map_before = map.len();
    stats.lines += piece.lines;
    let Piece {
        items,
        states,
        is_state,
        new_names,
        new_ends,
        ..
    } = &mut piece;
    // The names this piece's worker met first in it, in that order.
    let mut new = 0;
    let mut catch_up = |map: &mut Vec<Sym>, floor: &mut Batch<'_>, names: u32| {
        while map.len() < names as usize {
            let start = if new == 0 { 0 } else { new_ends[new - 1] };
            let name = &new_names[start as usize..new_ends[new] as usize];
            map.push(floor.names().intern(name));
            new += 1;
        }
    };
    let mut items = items.drain(..);
    let mut states = states.drain(..);
    let decoded_lines = items.len() + states.len();
    for i in 0..decoded_lines {
        if is_state[i / 64] & (1 << (i % 64)) != 0 {
            let Some(DecodedState { names, mut event }) = states.next() else {
                break;
            };
            // Names first: the line's own may be among the new ones.
            catch_up(map, floor, names);
            event.map_syms(|s| map[s.index()]);
            stats.applied += 1;
            floor.apply_state(event);
        } else {
            let Some(Decoded {
                line,
                names,
                mut decoded,
            }) = items.next()
            else {
                break;
            };
            catch_up(map, floor, names);
            if let Ok(r) = &mut decoded {
                r.map_syms(|s| map[s.index()]);
            }
            let line_no = first_line + u64::from(line);
            apply_decoded(floor, decoded, origin, line_no, stats, errors);
        }
    }
    drop((items, states));
    debug_assert_eq!(
        map.len(),
        piece.new_ends.len() + map_before,
        "every new name is met on a line"
    );
    piece.is_state.clear();
    piece.new_names.clear();
    piece.new_ends.clear();
    piece
}

/// Split off the next line: (line, rest). Strips a BOM on line 1 and a CR.
pub(super) fn next_line(rest: &[u8], line_no: u64) -> (&[u8], &[u8]) {
    let (mut line, next) = match memchr::memchr(b'\n', rest) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    if line_no == 1 && line.starts_with(b"\xEF\xBB\xBF") {
        line = &line[3..];
    }
    if line.last() == Some(&b'\r') {
        line = &line[..line.len() - 1];
    }
    (line, next)
}

pub(super) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Count and apply one decoded line.
#[inline]
pub(super) fn apply_decoded(
    floor: &mut Batch<'_>,
    decoded: Result<Record, super::wire::LineReason>,
    origin: &str,
    line_no: u64,
    stats: &mut IngestStats,
    errors: &mut Vec<LineError>,
) {
    match decoded {
        Ok(record) => {
            if matches!(record, Record::Unknown(_)) {
                stats.unknown += 1;
            } else {
                stats.applied += 1;
            }
            floor.apply(record);
        }
        Err(reason) => {
            stats.malformed += 1;
            if errors.len() < MAX_KEPT_ERRORS {
                errors.push(LineError {
                    origin: origin.to_owned(),
                    line: line_no,
                    reason,
                });
            }
        }
    }
}

/// Same result as the one-thread loop, on every core.
pub(super) fn ingest_parallel(
    floor: &mut Floor,
    origin: &str,
    first_line: u64,
    bytes: &[u8],
    errors: &mut Vec<LineError>,
) -> IngestStats {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    ingest_pieces(
        floor,
        origin,
        first_line,
        bytes,
        errors,
        (FIRST_PIECE_BYTES, PIECE_BYTES),
        workers,
    )
}

/// [`ingest_parallel`] with given piece sizes (the first piece's, the
/// others') and number of workers.
pub(super) fn ingest_pieces(
    floor: &mut Floor,
    origin: &str,
    first_line: u64,
    bytes: &[u8],
    errors: &mut Vec<LineError>,
    (first_piece, piece_bytes): (usize, usize),
    workers: usize,
) -> IngestStats {
    let mut stats = IngestStats::default();
    let mut parts = pieces(bytes, first_piece);
    if parts.len() > 1 {
        let head = parts[0].len();
        parts.truncate(1);
        parts.extend(pieces(&bytes[head..], piece_bytes));
    }
    let mut floor = floor.batch();
    let next = AtomicUsize::new(0);
    let workers = workers.clamp(1, parts.len().max(1));
    // Each worker's symbols → the floor's.
    let mut maps: Vec<Vec<Sym>> = vec![Vec::new(); workers];
    let spares = Spares::take();
    std::thread::scope(|s| {
        let (tx, rx) = channel::<(usize, Piece)>();
        for worker in 0..workers {
            let tx = tx.clone();
            let (next, parts) = (&next, &parts);
            // Sized for the simulator's lines (about 200 bytes, a new
            // customer name on every third): the table seldom regrows.
            let share = bytes.len() / workers;
            let spares = &spares;
            s.spawn(move || {
                let mut names = spares
                    .interner()
                    .unwrap_or_else(|| Interner::with_capacity(share / 256, share / 32));
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(part) = parts.get(i) else { break };
                    let line = if i == 0 { first_line } else { 0 };
                    let piece = decode_piece(part, line, &mut names, worker, spares.piece());
                    if tx.send((i, piece)).is_err() {
                        break;
                    }
                }
                spares.keep_interner(names);
            });
        }
        drop(tx);
        // Pieces come in any order; they are applied in file order.
        let mut waiting: Vec<Option<Piece>> = Vec::new();
        waiting.resize_with(parts.len(), || None);
        let mut done = 0;
        let mut line = first_line;
        for (i, piece) in rx {
            waiting[i] = Some(piece);
            while let Some(piece) = waiting.get_mut(done).and_then(Option::take) {
                let lines = piece.lines;
                let map = &mut maps[piece.worker];
                let spare = apply_piece(&mut floor, piece, map, origin, line, &mut stats, errors);
                spares.keep_piece(spare);
                line += lines;
                done += 1;
            }
        }
    });
    spares.put_back();
    stats
}

/// Emptied pieces and workers' interners, filled again by the next piece
/// or run instead of fresh allocations: a piece's lists are half a
/// megabyte, which the allocator hands out as fresh pages (a page fault
/// every 4 KB) and returns to the system when freed by another thread.
/// They are kept by the applying thread from one run to the next (a big
/// file is read in 16 MB runs).
struct Spares {
    pieces: Mutex<Vec<Piece>>,
    interners: Mutex<Vec<Interner>>,
}

/// Drops the spares this thread keeps (at the end of a load: they are
/// several megabytes).
pub(super) fn drop_spares() {
    SPARES.with(|s| *s.borrow_mut() = (Vec::new(), Vec::new()));
}

thread_local! {
    static SPARES: std::cell::RefCell<(Vec<Piece>, Vec<Interner>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Enough for the pieces in flight at once on a few cores.
const MAX_SPARE_PIECES: usize = 8;

impl Spares {
    /// The spares this thread kept from its last run.
    fn take() -> Spares {
        let (pieces, interners) = SPARES.with(|s| std::mem::take(&mut *s.borrow_mut()));
        Spares {
            pieces: Mutex::new(pieces),
            interners: Mutex::new(interners),
        }
    }

    /// Keep them for this thread's next run.
    fn put_back(self) {
        let pieces = self.pieces.into_inner().unwrap_or_default();
        let interners = self.interners.into_inner().unwrap_or_default();
        SPARES.with(|s| *s.borrow_mut() = (pieces, interners));
    }

    fn piece(&self) -> Option<Piece> {
        self.pieces.lock().ok()?.pop()
    }

    fn keep_piece(&self, piece: Piece) {
        if let Ok(mut pieces) = self.pieces.lock()
            && pieces.len() < MAX_SPARE_PIECES
        {
            pieces.push(piece);
        }
    }

    fn interner(&self) -> Option<Interner> {
        let mut names = self.interners.lock().ok()?.pop()?;
        names.clear();
        Some(names)
    }

    fn keep_interner(&self, names: Interner) {
        if let Ok(mut interners) = self.interners.lock() {
            interners.push(names);
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The parallel path gives exactly the floor and the reports of the one-thread path.
    #[test]
    fn parallel_equals_serial() {
        let mut text = String::from("\u{feff}");
        for i in 0..20_000 {
            text.push_str(&format!(
                "{{\"type\":\"contact\",\"id\":\"k{}\",\"customer\":\"c{}\",\"arrived_at\":\"2026-11-22T09:{:02}:00Z\",\"text\":\"say \\\"hi\\\"\"}}\r\n",
                i % 15_000,
                i % 700,
                i % 60
            ));
            if i % 997 == 0 {
                text.push_str("not json\n\n");
            }
        }
        let bytes = text.as_bytes();
        assert!(bytes.len() >= PARALLEL_MIN_BYTES);
        let (mut a, mut b) = (Floor::new(), Floor::new());
        let (mut ea, mut eb) = (Vec::new(), Vec::new());
        let sa = ingest_parallel(&mut a, "f", 1, bytes, &mut ea);
        let mut sb = IngestStats::default();
        let mut line_no = 1;
        let mut rest = bytes;
        let mut batch = b.batch();
        while !rest.is_empty() {
            let (line, next) = next_line(rest, line_no);
            rest = next;
            sb.lines += 1;
            if !is_blank(line) {
                let d = wire::decode_line(line, batch.names());
                apply_decoded(&mut batch, d, "f", line_no, &mut sb, &mut eb);
            }
            line_no += 1;
        }
        drop(batch);
        assert_eq!(sa, sb);
        assert_eq!(ea, eb);
        assert_eq!(a.canonical(), b.canonical());
        assert_eq!(sa.malformed, 21);
    }

    /// Lines applied one by one: the reference the parallel path must match.
    pub(in crate::source) fn serial(
        floor: &mut Floor,
        origin: &str,
        bytes: &[u8],
        errors: &mut Vec<LineError>,
    ) -> IngestStats {
        let mut stats = IngestStats::default();
        let mut line_no = 1;
        let mut rest = bytes;
        let mut batch = floor.batch();
        while !rest.is_empty() {
            let (line, next) = next_line(rest, line_no);
            rest = next;
            stats.lines += 1;
            if !is_blank(line) {
                let d = wire::decode_line(line, batch.names());
                apply_decoded(&mut batch, d, origin, line_no, &mut stats, errors);
            }
            line_no += 1;
        }
        stats
    }

    /// A small xorshift generator: the same seed, the same files.
    pub(in crate::source) struct Rng(pub(in crate::source) u64);
    impl Rng {
        pub(in crate::source) fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n.max(1)
        }
    }

    /// One random feed line: every record type, ids from small pools (so
    /// later lines replace earlier ones, often in another piece or file),
    /// open-enum values outside the known ones, and malformed lines of
    /// every kind, some of which name new things before they fail.
    pub(in crate::source) fn line(r: &mut Rng) -> String {
        let t = |r: &mut Rng| {
            format!(
                "2026-11-22T{:02}:{:02}:{:02}+08:00",
                r.below(24),
                r.below(60),
                r.below(60)
            )
        };
        let pick = |r: &mut Rng, xs: &[&str]| xs[r.below(xs.len() as u64) as usize].to_owned();
        match r.below(16) {
            0 => format!(
                r#"{{"type":"queue","id":"q{}","name":"Queue {}","channel":"{}","sl_seconds":{}}}"#,
                r.below(6),
                r.below(9),
                pick(r, &["phone", "chat", "fax", "pager"]),
                r.below(60)
            ),
            1 => format!(
                r#"{{"type":"agent","id":"a{}","name":"王{}","team":"t{}"}}"#,
                r.below(30),
                r.below(9),
                r.below(3)
            ),
            2 | 3 => format!(
                r#"{{"type":"agent_state","agent":"a{}","state":"{}","at":"{}","queue":"q{}"}}"#,
                r.below(40),
                pick(
                    r,
                    &["available", "busy", "wrap", "break", "lunch", "training"]
                ),
                t(r),
                r.below(8)
            ),
            4..=8 => format!(
                r#"{{"type":"contact","id":"k{}","channel":"{}","queue":"q{}","customer":"u{}","agent":"a{}","arrived_at":"{}","answered_at":"{}","ended_at":"{}","talk_s":{},"category":"{}","priority":"{}","text":"t{}"}}"#,
                r.below(300),
                pick(r, &["phone", "chat", "sms"]),
                r.below(10),
                r.below(120),
                r.below(40),
                t(r),
                t(r),
                t(r),
                r.below(900),
                pick(r, &["consult", "tech", "billing"]),
                pick(r, &["high", "low", "vip"]),
                r.below(5)
            ),
            9 => format!(
                r#"{{"type":"survey","id":"s{}","contact":"k{}","at":"{}","csat":{}}}"#,
                r.below(50),
                r.below(300),
                t(r),
                1 + r.below(5)
            ),
            10 => format!(
                r#"{{"type":"feedback","id":"f{}","source":"{}","customer":"u{}","owner":"o{}","stage":"{}","category":"{}","callback_result":"{}","root_cause":"{}","received_at":"{}"}}"#,
                r.below(40),
                pick(r, &["chat", "letter"]),
                r.below(150),
                r.below(5),
                pick(r, &["new", "review"]),
                pick(r, &["process", "price"]),
                pick(r, &["satisfied", "later"]),
                pick(r, &["system", "weather"]),
                t(r)
            ),
            11 => format!(
                r#"{{"type":"queue_stats","queue":"q{}","at":"{}","waiting":{},"agents":{{"busy":{}}}}}"#,
                r.below(12),
                t(r),
                r.below(9),
                r.below(9)
            ),
            12 => match r.below(3) {
                0 => format!(r#"{{"type":"weather","id":"w{}"}}"#, r.below(3)),
                _ => format!(
                    r#"{{"type":"shift","agent":"a{}","start":"2026-11-22T08:00:00+08:00","end":"2026-11-22T{}:00:00+08:00","queue":"q{}"}}"#,
                    r.below(50),
                    7 + r.below(10),
                    r.below(14)
                ),
            },
            13 => String::new(),
            // Names first, then a failure: the names are interned all the same.
            14 => format!(
                r#"{{"type":"agent_state","agent":"new{}","state":"nap{}","at":"soon"}}"#,
                r.below(1000),
                r.below(1000)
            ),
            _ => pick(
                r,
                &[
                    "not json",
                    "[1,2]",
                    r#"{"id":"k1"}"#,
                    r#"{"type":"contact","id":"k2","talk_s":-1}"#,
                    r#"{"type":"contact","id":"k3","text":"say "hi""}"#,
                    r#"{"type":"contact","id":"k4","arrived_at":"2026-11-22T09:00:00"}"#,
                    "   ",
                ],
            ),
        }
    }

    /// Parallel loading gives exactly the floor, the counts and the
    /// malformed-line reports of loading line by line, on random files
    /// whose upserts cross piece and file boundaries, with any piece size
    /// and any number of workers.
    #[test]
    fn parallel_load_equals_serial_load_on_random_files() {
        for seed in 1..=40u64 {
            let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            let files: Vec<String> = (0..1 + r.below(3))
                .map(|f| {
                    let mut text = String::new();
                    if f == 0 && r.below(2) == 0 {
                        text.push('\u{feff}');
                    }
                    for _ in 0..r.below(400) {
                        text.push_str(&line(&mut r));
                        text.push_str(if r.below(5) == 0 { "\r\n" } else { "\n" });
                    }
                    if r.below(2) == 0 {
                        // No final newline.
                        text.push_str(&line(&mut r));
                    }
                    text
                })
                .collect();
            let piece = (1 + r.below(500) as usize, 1 + r.below(3000) as usize);
            let workers = 1 + r.below(4) as usize;
            let (mut a, mut b) = (Floor::new(), Floor::new());
            let (mut ea, mut eb) = (Vec::new(), Vec::new());
            for (i, text) in files.iter().enumerate() {
                let origin = format!("f{i}");
                let sa =
                    ingest_pieces(&mut a, &origin, 1, text.as_bytes(), &mut ea, piece, workers);
                let sb = serial(&mut b, &origin, text.as_bytes(), &mut eb);
                assert_eq!(sa, sb, "seed {seed}, file {i}");
            }
            assert_eq!(ea, eb, "seed {seed}");
            assert_eq!(
                a.canonical(),
                b.canonical(),
                "seed {seed}, pieces {piece:?}, workers {workers}"
            );
        }
    }

    /// What the split of agent states saves, as the comments say it.
    #[test]
    fn decoded_states_are_a_fraction_of_a_decoded_line() {
        assert_eq!(std::mem::size_of::<DecodedState>(), 32);
        assert!(std::mem::size_of::<Decoded>() >= 4 * 32);
    }

    #[test]
    fn pieces_end_after_a_newline_and_cover_everything() {
        let text = b"ab\ncdef\n\ng\nhij";
        for size in 1..=text.len() + 1 {
            let parts = pieces(text, size);
            assert_eq!(parts.concat(), text, "size {size}");
            for p in &parts[..parts.len() - 1] {
                assert_eq!(p.last(), Some(&b'\n'), "size {size}");
            }
        }
        // At least the size, up to the next newline.
        assert_eq!(pieces(text, 4), [&b"ab\ncdef\n"[..], b"\ng\nhij"]);
        assert_eq!(pieces(text, 3), [&b"ab\n"[..], b"cdef\n", b"\ng\n", b"hij"]);
        assert!(pieces(b"", 4).is_empty());
    }
}
