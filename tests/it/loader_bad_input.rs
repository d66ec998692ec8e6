//! The loader against bad input: every bad line is reported with its file
//! and line number and skipped; the lines around it still load.

use std::io::Write;

use shiftdeck::domain::Floor;
use shiftdeck::source::{self, LineError, file::FileFollower};

const GOOD: &str =
    r#"{"type":"contact","id":"k1","customer":"c1","arrived_at":"2026-11-22T09:00:00+08:00"}"#;

fn load(bytes: &[u8]) -> (Floor, Vec<LineError>, source::IngestStats) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, bytes).expect("write");
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    let stats = source::load_file(&path, &mut floor, &mut errors, &mut |_| {}).expect("load");
    (floor, errors, stats)
}

fn contact_line(id: &str) -> String {
    format!(r#"{{"type":"contact","id":"{id}","arrived_at":"2026-11-22T09:00:00+08:00"}}"#)
}

#[test]
fn malformed_lines_are_reported_with_file_and_line_and_skipped() {
    let text = format!(
        "{}\n{{\"type\":\"contact\",\"id\":\"k2\",\"arrived_at\":\"2026-11-22 09:00\"}}\nnot json\n[]\n{}\n",
        contact_line("k1"),
        contact_line("k3")
    );
    let (floor, errors, stats) = load(text.as_bytes());
    assert_eq!(floor.contacts().len(), 2);
    assert_eq!(stats.malformed, 3);
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 3, 4]);
    let shown = errors[0].to_string();
    assert!(shown.contains("floor.ndjson:2: `arrived_at`"), "{shown}");
}

#[test]
fn malformed_shift_lines_are_reported_with_file_and_line() {
    let shift = |fields: &str| format!(r#"{{"type":"shift",{fields}}}"#);
    let text = [
        shift(r#""agent":"a1","start":"2026-11-22T09:00:00+08:00","end":"2026-11-22T17:00:00+08:00","queue":"q""#),
        shift(r#""agent":"a1","start":"2026-11-22T09:00:00+08:00""#),
        shift(r#""agent":"a1","start":"2026-11-22T09:00:00+08:00","end":"2026-11-22T08:00:00+08:00""#),
        shift(r#""agent":"a1","start":"2026-11-22 09:00","end":"2026-11-22T17:00:00+08:00""#),
        shift(r#""start":"2026-11-22T09:00:00+08:00","end":"2026-11-22T17:00:00+08:00""#),
        contact_line("k1"),
        shift(r#""agent":"a2","start":"2026-11-22T13:00:00+08:00","end":"2026-11-22T21:00:00+08:00""#),
    ]
    .join("\n");
    let (floor, errors, stats) = load(text.as_bytes());
    assert_eq!(stats.malformed, 4, "{errors:?}");
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 3, 4, 5]);
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        shown[0].contains("floor.ndjson:2: shift without `end`"),
        "{shown:?}"
    );
    assert!(
        shown[1].contains(
            "floor.ndjson:3: a shift must end after its start and last at most 24 h, got -1 h"
        ),
        "{shown:?}"
    );
    assert!(shown[2].contains("floor.ndjson:4: `start`"), "{shown:?}");
    assert!(
        shown[3].contains("floor.ndjson:5: shift without `agent`"),
        "{shown:?}"
    );
    // The good shifts and the contact around them load.
    assert_eq!(floor.shifts().len(), 2);
    assert_eq!(floor.contacts().len(), 1);
}

#[test]
fn a_truncated_last_line_is_reported_and_the_rest_loads() {
    let text = format!("{}\n{}", contact_line("k1"), &contact_line("k2")[..40]);
    let (floor, errors, _) = load(text.as_bytes());
    assert_eq!(floor.contacts().len(), 1);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 2);
    assert!(
        errors[0].reason.to_string().contains("truncated"),
        "{}",
        errors[0].reason
    );
}

#[test]
fn a_complete_last_line_without_newline_loads() {
    let text = format!("{}\n{}", contact_line("k1"), contact_line("k2"));
    let (floor, errors, _) = load(text.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(floor.contacts().len(), 2);
}

#[test]
fn unknown_types_are_counted_not_fatal() {
    let text = format!(
        "{{\"type\":\"weather\"}}\n{}\n{{\"type\":\"weather\",\"id\":1}}\n{{\"type\":\"forecast\"}}\n",
        GOOD
    );
    let (floor, errors, stats) = load(text.as_bytes());
    assert!(errors.is_empty());
    assert_eq!(stats.unknown, 3);
    assert_eq!(floor.unknown_types.get("weather"), Some(&2));
    assert_eq!(floor.unknown_types.get("forecast"), Some(&1));
    assert_eq!(floor.contacts().len(), 1);
}

#[test]
fn bom_crlf_and_blank_lines_are_accepted() {
    let text = format!(
        "\u{feff}{}\r\n\r\n   \n{}\r\n",
        contact_line("k1"),
        contact_line("k2")
    );
    let (floor, errors, _) = load(text.as_bytes());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(floor.contacts().len(), 2);
}

#[test]
fn an_empty_file_loads_nothing_without_error() {
    let (floor, errors, stats) = load(b"");
    assert!(errors.is_empty());
    assert_eq!(stats.lines, 0);
    assert!(floor.contacts().is_empty());
}

#[test]
fn a_ten_megabyte_field_loads_and_errors_stay_short() {
    let big = "客".repeat(10 << 20 >> 2); // ~10 MB of UTF-8
    let good = format!(
        r#"{{"type":"contact","id":"k1","text":"{big}","arrived_at":"2026-11-22T09:00:00Z"}}"#
    );
    let bad = format!(r#"{{"type":"contact","id":"k2","arrived_at":"{big}"}}"#);
    let text = format!("{good}\n{bad}\n{}\n", contact_line("k3"));
    let (floor, errors, _) = load(text.as_bytes());
    assert_eq!(floor.contacts().len(), 2);
    assert_eq!(
        floor.contact("k1").and_then(|c| c.text()).map(|t| t.len()),
        Some(big.len())
    );
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].reason.to_string().len() < 400,
        "the reason quotes a clip, not the field"
    );
}

#[test]
fn invalid_utf8_is_a_malformed_line() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(contact_line("k1").as_bytes());
    bytes.extend_from_slice(b"\n{\"type\":\"contact\",\"id\":\"k\xff\xfe2\"}\n");
    bytes.extend_from_slice(contact_line("k3").as_bytes());
    let (floor, errors, _) = load(&bytes);
    assert_eq!(floor.contacts().len(), 2);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 2);
}

#[test]
fn a_later_line_replaces_the_whole_contact() {
    let text = concat!(
        r#"{"type":"contact","id":"k1","customer":"c1","agent":"a1","talk_s":100,"arrived_at":"2026-11-22T09:00:00Z"}"#,
        "\n",
        r#"{"type":"contact","id":"k1","customer":"c2","arrived_at":"2026-11-22T10:00:00Z"}"#,
        "\n"
    );
    let (floor, errors) = source::load_str(text);
    assert!(errors.is_empty());
    let c = floor.contact("k1").expect("k1");
    assert_eq!(c.agent, None, "fields missing from the later line are gone");
    assert_eq!(c.talk_s, 0.0);
    let c1 = floor.names.lookup("c1").expect("c1 interned");
    let c2 = floor.names.lookup("c2").expect("c2 interned");
    assert!(
        floor.contacts_of_customer(c1).is_empty(),
        "the old customer no longer has it"
    );
    assert_eq!(floor.contacts_of_customer(c2).len(), 1);
}

/// Appending to a followed file is ingested without re-reading it.
#[test]
fn appended_lines_are_ingested_incrementally() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, format!("{}\n", contact_line("k1"))).expect("write");
    let mut follower = FileFollower::new(path.clone());
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    let chunk = follower.poll().expect("poll");
    source::ingest_bytes(&mut floor, "f", chunk.first_line, &chunk.bytes, &mut errors);
    let offset = follower.offset();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    write!(f, "{}\nnot json\n", contact_line("k2")).expect("append");
    let chunk = follower.poll().expect("poll");
    assert_eq!(chunk.first_line, 2);
    assert_eq!(
        chunk.bytes.len() as u64,
        follower.offset() - offset,
        "only the new bytes"
    );
    source::ingest_bytes(&mut floor, "f", chunk.first_line, &chunk.bytes, &mut errors);
    assert_eq!(floor.contacts().len(), 2);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
}

#[test]
fn an_impossible_transfer_count_is_a_malformed_line() {
    let text = concat!(
        r#"{"type":"contact","id":"k1","transfers":65535}"#,
        "\n",
        r#"{"type":"contact","id":"k2","transfers":65536}"#,
        "\n"
    );
    let (floor, errors) = source::load_str(text);
    assert_eq!(floor.contacts().len(), 1);
    assert_eq!(floor.contacts()[0].transfers, 65535);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].reason.to_string(),
        "`transfers` must be between 0 and 65535, got 65536"
    );
}
