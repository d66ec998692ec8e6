//! The sources' state in the lead's language: how a polled source is being
//! read ([`PollNote`]) and a followed file read again ([`FileReset`]).

use std::time::Duration;

use super::{Lang, Localize, Msg, tf};
use crate::domain::status::{FileReset, PollNote, ResetKind};

impl Localize for PollNote {
    fn localize(&self, lang: Lang) -> String {
        match self {
            PollNote::RetryCapped { asked, waiting } => tf(
                lang,
                Msg::NoteRetryCapped,
                &[&wait_text(lang, *asked), &wait_text(lang, *waiting)],
            ),
            PollNote::Paged { pages, mb } => tf(lang, Msg::NotePaged, &[pages, mb]),
            PollNote::Cached { saved_at } => tf(lang, Msg::NoteCached, &[saved_at]),
        }
    }
}

impl Localize for FileReset {
    fn localize(&self, lang: Lang) -> String {
        let m = match self.kind {
            ResetKind::Rotated => Msg::NoticeFileRotated,
            ResetKind::Truncated => Msg::NoticeFileTruncated,
            ResetKind::Rewritten => Msg::NoticeFileRewritten,
        };
        tf(lang, m, &[&self.file])
    }
}

/// A wait in the largest whole unit: `45 s`, `5 min`, `3 h`, `11 d`.
pub fn wait_text(lang: Lang, d: Duration) -> String {
    let s = d.as_secs();
    let (n, unit) = match s {
        0..120 => (s, Msg::UnitSeconds),
        120..7200 => (s / 60, Msg::UnitMinutes),
        7200..172_800 => (s / 3600, Msg::UnitHours),
        _ => (s / 86_400, Msg::UnitDays),
    };
    tf(lang, unit, &[&n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_in_the_largest_whole_unit() {
        let s = Duration::from_secs;
        assert_eq!(wait_text(Lang::En, s(45)), "45 s");
        assert_eq!(wait_text(Lang::En, s(300)), "5 min");
        assert_eq!(wait_text(Lang::En, s(3 * 3600)), "3 h");
        assert_eq!(wait_text(Lang::En, s(999_999)), "11 d");
        assert_eq!(wait_text(Lang::Zh, s(300)), "5 分钟");
    }

    #[test]
    fn a_reset_names_the_file_and_why() {
        let r = FileReset {
            file: "floor.ndjson".into(),
            kind: ResetKind::Rewritten,
            at: crate::domain::Ts::from_secs(0),
        };
        assert_eq!(
            r.localize(Lang::En),
            "floor.ndjson was rewritten in place: read again from line 1"
        );
        assert_eq!(
            r.localize(Lang::Zh),
            "floor.ndjson 被原地改写：从第 1 行重新读取"
        );
    }
}
