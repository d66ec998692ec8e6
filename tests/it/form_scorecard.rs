//! The scorecard form: the key flow through its update function, a failed
//! write that keeps everything, and the drawn form on TestBackend.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shiftdeck::app::form::{
    FORM_KEYS, FormKey, FormKeys, FormOutcome, ScoreForm, form_hints, form_key,
};
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
    // A digit scores the dimension under the cursor, ↓ goes on: 4, 5, 3, 2.
    press(
        &mut f,
        &[
            Digit(4),
            Next,
            Digit(5),
            Next,
            Digit(3),
            Next,
            Digit(2),
            Next,
        ],
    );
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
    // 4 + 5 + 3 + 2 = 14 of 20, but the business error voids it: 0.
    let total = f.total();
    assert_eq!((total.raw, total.max, total.critical), (14, 20, 1));
    assert_eq!((total.voided(), total.scored()), (true, 0));
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
    assert_eq!((s.total(), s.raw_total(), s.max_total()), (0, 14, 20));
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
    press(&mut f, &[Digit(4), Next, Digit(9)]);
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
    assert_eq!(f.total().raw, 14, "nothing entered is lost");
    assert_eq!(f.comment, "late refund 退款");
    let rw = Store::open(&path).unwrap();
    let FormOutcome::Save(s) = press(&mut f, &[FormKey::Save]) else {
        panic!()
    };
    let id = rw.save_score(&s).unwrap();
    let back = rw.score_by_id(id).unwrap().unwrap();
    assert_eq!((back.total(), back.raw_total()), (0, 14));
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
            "  ↑/Shift-Tab/k    上一个字段",
            "  ↓/Tab/j          下一个字段",
            "  数字             在评分项上：给出分数（光标不动；↓ 到下一项）",
            "  ←/h              分数减一；切换致命错误；上一个根因",
            "  →/l              分数加一；切换致命错误；下一个根因",
            "  空格             切换致命错误；下一个根因",
            "  Enter            下一个字段；在“保存”上：保存",
            "  文字             在备注上：输入文字（字母、数字、空格）",
            "  Backspace        删除备注的最后一个字符",
            "  Ctrl-S           在任意字段保存",
            "  Esc/Ctrl-C       不保存并关闭",
        ]
    );
    let en = shiftdeck::ui::help::lines_in(Lang::En);
    assert!(en.iter().any(|(l, h)| *h && l == "Scorecard form"));
    assert!(
        en.iter().any(|(l, _)| l
            == "  digit            on a dimension: its score (the cursor stays; ↓ goes on)"),
        "{en:?}"
    );
}

#[test]
fn digit_then_down_scores_every_dimension_as_the_hints_say() {
    // Real key events through the form's key table and its update.
    let mut f = ScoreForm::new(&ScorecardConfig::default(), day(), "c-1", "a-1");
    let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
    for d in ['4', '5', '3', '2'] {
        let ev = KeyEvent::new(KeyCode::Char(d), KeyModifiers::NONE);
        let k = form_key(&ev, f.on_comment()).unwrap();
        f.handle(k, now(), "王芳");
        f.handle(form_key(&down, f.on_comment()).unwrap(), now(), "王芳");
    }
    assert_eq!(f.scores, [Some(4), Some(5), Some(3), Some(2)]);
    assert_eq!(f.cursor, 4, "on the first critical check");
    // A digit keeps the cursor; a second digit corrects the same score.
    let mut g = ScoreForm::new(&ScorecardConfig::default(), day(), "c-1", "a-1");
    press(&mut g, &[FormKey::Digit(2), FormKey::Digit(4)]);
    assert_eq!((g.cursor, g.scores[0], g.scores[1]), (0, Some(4), None));
}

#[test]
fn the_hint_line_is_written_from_the_key_table() {
    use shiftdeck::i18n::{Lang, Msg};
    let en: Vec<(String, Msg)> = form_hints(Lang::En, 5);
    assert_eq!(
        en,
        [
            ("↑↓".to_string(), Msg::FormHintField),
            ("1-5 ←→".to_string(), Msg::FormHintScore),
            ("Space".to_string(), Msg::FormHintToggle),
            ("Ctrl-S".to_string(), Msg::FormHintSave),
            ("Esc".to_string(), Msg::FormHintCancel),
        ]
    );
    // The digits follow the configured scale; Space is said in Chinese.
    let zh = form_hints(Lang::Zh, 10);
    assert_eq!(zh[1].0, "1-10 ←→");
    assert_eq!(zh[2].0, "空格");
    // Every key in the table dispatches to its row's form key, off the
    // comment; on the comment, plain characters are typed instead.
    for b in FORM_KEYS {
        let FormKeys::Keys(keys, want) = b.keys else {
            continue;
        };
        for k in keys {
            let mods = if k.ctrl {
                KeyModifiers::CONTROL
            } else {
                KeyModifiers::NONE
            };
            let ev = KeyEvent::new(k.code, mods);
            assert_eq!(form_key(&ev, false), Some(want), "{}", k.name());
            let typed = match k.code {
                KeyCode::Char(c) if !k.ctrl => FormKey::Char(c),
                _ => want,
            };
            assert_eq!(
                form_key(&ev, true),
                Some(typed),
                "{} on the comment",
                k.name()
            );
        }
    }
    let seven = KeyEvent::new(KeyCode::Char('7'), KeyModifiers::NONE);
    assert_eq!(form_key(&seven, false), Some(FormKey::Digit(7)));
    assert_eq!(form_key(&seven, true), Some(FormKey::Char('7')));
    // What the hint line shows, on screen.
    let theme = Theme::new(ThemeKind::Default);
    let f = ScoreForm::new(&ScorecardConfig::default(), day(), "c-1", "a-1");
    let screen = format!("{:?}", draw(&f, 80, 24, &theme).backend().buffer());
    assert!(
        screen.contains("↑↓ field  1-5 ←→ score  Space toggle  Ctrl-S save  Esc cancel"),
        "{screen}"
    );
}

#[test]
fn a_critical_error_visibly_voids_the_total() {
    use shiftdeck::i18n::Lang;
    let theme = Theme::new(ThemeKind::Default);
    let f = filled();
    let screen = format!("{:?}", draw(&f, 80, 24, &theme).backend().buffer());
    assert!(
        screen.contains("total 0/20 (void: 1 critical error, raw 14/20)"),
        "{screen}"
    );
    assert!(!screen.contains("total 14/20"), "{screen}");
    // A second error: plural; in Chinese too.
    let mut g = filled();
    g.critical[2] = true;
    let screen = format!("{:?}", draw(&g, 80, 24, &theme).backend().buffer());
    assert!(
        screen.contains("0/20 (void: 2 critical errors, raw 14/20)"),
        "{screen}"
    );
    let zh = g.clone().in_lang(Lang::Zh);
    let screen = format!("{:?}", draw(&zh, 80, 24, &theme).backend().buffer());
    assert!(screen.contains("作废：2 项致命错误"), "{screen}");
    // Without an error the total reads as the sum.
    g.critical = [false; 3];
    let screen = format!("{:?}", draw(&g, 80, 24, &theme).backend().buffer());
    assert!(screen.contains("total 14/20"), "{screen}");
    assert!(!screen.contains("void"), "{screen}");
}

#[test]
fn a_reopened_form_shows_its_comment_from_the_start() {
    let mut f = filled();
    f.comment = "Refund promised on the 3rd, customer asked twice, agent read the script \
                 word for word and never checked the order"
        .into();
    let FormOutcome::Save(s) = press(&mut f, &[FormKey::Save]) else {
        panic!()
    };
    let g = ScoreForm::from_saved(&ScorecardConfig::default(), &s);
    let theme = Theme::new(ThemeKind::Default);
    let screen = format!("{:?}", draw(&g, 80, 24, &theme).backend().buffer());
    assert!(
        screen.contains("comment             Refund promised on"),
        "{screen}"
    );
    assert!(!screen.contains("checked the order"), "{screen}");
    // On the comment, its end is in view for typing, with the caret.
    let mut h = g.clone();
    h.cursor = h
        .fields()
        .iter()
        .position(|x| *x == shiftdeck::app::form::Field::Comment)
        .unwrap();
    let screen = format!("{:?}", draw(&h, 80, 24, &theme).backend().buffer());
    assert!(screen.contains("checked the order▏"), "{screen}");
}
