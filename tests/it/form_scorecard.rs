//! The scorecard form: the key flow through its update function, a failed
//! write that keeps everything, and the drawn form on TestBackend.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shiftdeck::app::form::{FormKey, FormOutcome, ScoreForm, form_key};
use shiftdeck::config::ScorecardConfig;
use shiftdeck::domain::{RootCause, Ts};
use shiftdeck::store::Store;
use shiftdeck::ui::theme::{Theme, ThemeKind};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn now() -> Ts {
    Ts::from_secs(1_795_000_000)
}

fn press(f: &mut ScoreForm, keys: &[FormKey]) -> FormOutcome {
    let mut last = FormOutcome::Nothing;
    for k in keys {
        last = f.handle(*k, now(), "王芳");
    }
    last
}

fn typed(f: &mut ScoreForm, text: &str) {
    for c in text.chars() {
        let ev = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let k = form_key(&ev, f.on_comment()).unwrap();
        f.handle(k, now(), "王芳");
    }
}

fn filled() -> ScoreForm {
    use FormKey::*;
    let mut f = ScoreForm::new(&ScorecardConfig::default(), day(), "c-1042", "a-7");
    // Digits score and move on: 4, 5, 3, 2.
    press(&mut f, &[Digit(4), Digit(5), Digit(3), Digit(2)]);
    // Critical: customer no, business yes (Space), compliance no.
    press(&mut f, &[Next, Toggle, Next, Next]);
    // Root cause: → agent → process.
    press(&mut f, &[Right, Right, Next]);
    typed(&mut f, "late refund 退款");
    f
}

#[test]
fn keys_fill_the_scorecard_and_save_returns_the_entry() {
    let mut f = filled();
    assert_eq!(f.total(), (14, 20));
    let FormOutcome::Save(s) = press(&mut f, &[FormKey::Next, FormKey::Enter]) else {
        panic!("Enter on Save must save")
    };
    assert!(f.saving);
    assert_eq!(
        s.dimensions,
        vec![
            ("responsiveness".to_string(), 4),
            ("attitude".to_string(), 5),
            ("expertise".to_string(), 3),
            ("resolution".to_string(), 2)
        ]
    );
    assert_eq!((s.total(), s.max_total()), (14, 20));
    assert!(!s.critical_customer && s.critical_business && !s.critical_compliance);
    assert_eq!(s.root_cause, Some(RootCause::Process));
    assert_eq!(s.comment, "late refund 退款");
    assert_eq!((s.author.as_str(), s.saved_at), ("王芳", now()));
    // While saving, keys wait.
    assert_eq!(press(&mut f, &[FormKey::Cancel]), FormOutcome::Nothing);
}

#[test]
fn saving_with_a_dimension_unscored_points_at_it() {
    use FormKey::*;
    let mut f = ScoreForm::new(&ScorecardConfig::default(), day(), "c-1", "a-1");
    press(&mut f, &[Digit(4), Digit(9)]);
    assert_eq!(f.error.as_deref(), Some("scores run from 1 to 5"));
    assert_eq!(press(&mut f, &[Save]), FormOutcome::Nothing);
    assert_eq!(f.error.as_deref(), Some("score attitude first"));
    assert_eq!(f.cursor, 1);
    // ←/→ walk the scale and stop at its ends.
    press(&mut f, &[Right, Right]);
    assert_eq!(f.scores[1], Some(5));
    press(&mut f, &[Left, Left, Left, Left, Left, Left]);
    assert_eq!(f.scores[1], Some(1));
}

#[test]
fn a_failed_write_keeps_the_form_and_a_retry_saves() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    Store::open(&path).unwrap();
    let ro = Store::open_read_only(&path).unwrap().unwrap();
    let mut f = filled();
    let FormOutcome::Save(s) = press(&mut f, &[FormKey::Save]) else {
        panic!()
    };
    let err = ro.save_score(&s).unwrap_err();
    f.failed(err.to_string());
    assert!(!f.saving);
    assert!(f.error.as_deref().unwrap().starts_with("not saved: "));
    assert_eq!(f.total(), (14, 20), "nothing entered is lost");
    assert_eq!(f.comment, "late refund 退款");
    let rw = Store::open(&path).unwrap();
    let FormOutcome::Save(s) = press(&mut f, &[FormKey::Save]) else {
        panic!()
    };
    let id = rw.save_score(&s).unwrap();
    assert_eq!(rw.score_by_id(id).unwrap().unwrap().total(), 14);
}

#[test]
fn a_saved_score_reopens_for_correction() {
    let mut f = filled();
    let FormOutcome::Save(s) = press(&mut f, &[FormKey::Save]) else {
        panic!()
    };
    let g = ScoreForm::from_saved(&ScorecardConfig::default(), &s);
    assert_eq!(g.scores, f.scores);
    assert_eq!((g.critical, g.root_cause), (f.critical, f.root_cause));
}

fn draw(f: &ScoreForm, w: u16, h: u16, theme: &Theme) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|frame| {
        let area = frame.area();
        shiftdeck::ui::form::render(frame, area, f, theme, "王芳");
    })
    .unwrap();
    term
}

#[test]
fn the_form_on_screen() {
    let theme = Theme::new(ThemeKind::Default);
    let empty = ScoreForm::new(&ScorecardConfig::default(), day(), "c-1042", "a-7");
    insta::assert_snapshot!("form_empty_80x24", draw(&empty, 80, 24, &theme).backend());
    let mut f = filled();
    insta::assert_snapshot!("form_filled_80x24", draw(&f, 80, 24, &theme).backend());
    f.handle(FormKey::Save, now(), "王芳");
    f.failed("disk full".into());
    let term = draw(&f, 160, 48, &theme);
    insta::assert_snapshot!("form_failed_160x48", term.backend());
    // The error is drawn in the alert style, not only as text.
    let buf = term.backend().buffer();
    let row = (0..48)
        .find(|y| {
            (0..160)
                .map(|x| buf[(x, *y)].symbol())
                .collect::<String>()
                .contains("not saved")
        })
        .unwrap();
    let x = (0..160).find(|x| buf[(*x, row)].symbol() == "n").unwrap();
    assert_eq!(buf[(x, row)].style().fg, theme.alert.fg);
}

#[test]
fn the_form_in_chinese() {
    use shiftdeck::i18n::Lang;
    let theme = Theme::new(ThemeKind::Default);
    let f = filled().in_lang(Lang::Zh);
    let term = draw(&f, 80, 24, &theme);
    insta::assert_snapshot!("form_zh_filled_80x24", term.backend());
    let screen = format!("{:?}", term.backend().buffer());
    for word in [
        "质检评分",
        "服务态度",
        "致命错误",
        "根因",
        "备注",
        "保存",
        "总分",
    ] {
        assert!(screen.contains(word), "{word} missing");
    }
    // Errors are in the form's language too.
    let mut empty =
        ScoreForm::new(&ScorecardConfig::default(), day(), "c-1", "a-1").in_lang(Lang::Zh);
    empty.handle(FormKey::Digit(9), now(), "王芳");
    assert_eq!(empty.error.as_deref(), Some("评分范围为 1 到 5"));
    empty.handle(FormKey::Save, now(), "王芳");
    assert_eq!(empty.error.as_deref(), Some("请先为“响应及时性”评分"));
    empty.failed("磁盘已满".into());
    assert_eq!(empty.error.as_deref(), Some("未保存：磁盘已满"));
}

#[test]
fn the_form_keys_are_in_the_help() {
    use shiftdeck::i18n::Lang;
    let zh = shiftdeck::ui::help::lines_in(Lang::Zh);
    let at = zh
        .iter()
        .position(|(l, h)| *h && l == "质检评分表")
        .unwrap();
    let keys: Vec<&str> = zh[at + 1..].iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        keys,
        [
            "  ↑↓               字段",
            "  数字 ←→          评分",
            "  空格             切换",
            "  ^S               保存",
            "  Esc              取消",
        ]
    );
    let en = shiftdeck::ui::help::lines_in(Lang::En);
    assert!(en.iter().any(|(l, h)| *h && l == "Scorecard form"));
    assert!(en.iter().any(|(l, _)| l == "  digit ←→         score"));
}
