//! Small drawing helpers on top of the buffer: every string goes through
//! [`text::fit`], so it is sanitised and measured by display width, and
//! nothing is drawn outside the given area.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, BorderType, Borders, Widget};

use super::text;
use super::theme::Theme;
use crate::app::state::App;
use crate::app::view::View;
use crate::i18n::{Lang, Msg, tf};

/// Draws `s` at (x, y), cut to `max` columns; returns the columns used.
pub fn put(buf: &mut Buffer, x: u16, y: u16, max: u16, s: &str, style: Style) -> u16 {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x >= area.right() || max == 0 {
        return 0;
    }
    let max = max.min(area.right() - x);
    put_fitted(buf, x, y, max, &text::fit(s, max as usize), style)
}

/// [`put`] for text already sanitised and fitted by [`text::fit`].
fn put_fitted(buf: &mut Buffer, x: u16, y: u16, max: u16, fitted: &str, style: Style) -> u16 {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x >= area.right() || max == 0 {
        return 0;
    }
    let max = max.min(area.right() - x);
    let (end, _) = buf.set_stringn(x, y, fitted, max as usize, style);
    end.saturating_sub(x)
}

/// Draws segments one after another on row `y` of `area`.
pub fn segments(buf: &mut Buffer, area: Rect, y: u16, segs: &[(&str, Style)]) -> u16 {
    let mut x = area.x;
    for (s, style) in segs {
        let room = area.right().saturating_sub(x);
        if room == 0 {
            break;
        }
        x += put(buf, x, y, room, s, *style);
    }
    x - area.x
}

/// Paints a whole row of `area` with a style (selection bars, loud lines).
pub fn fill_row(buf: &mut Buffer, area: Rect, y: u16, style: Style) {
    if y >= area.top() && y < area.bottom() {
        buf.set_style(Rect::new(area.x, y, area.width, 1), style);
    }
}

/// The bordered block of a pane: `1 Queues`, highlighted when focused.
/// The title goes through the sanitizer: it can carry feed text (a
/// feedback id, a queue id, a contact).
pub fn pane_block<'a>(title: &str, focused: bool, theme: &Theme) -> Block<'a> {
    let (border, title_style) = if focused {
        (theme.border_focus, theme.title_focus)
    } else {
        (theme.border, theme.title)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(border)
        .title(ratatui::text::Span::styled(
            text::sanitize(title),
            title_style,
        ))
        .style(theme.base)
}

/// Renders the block and returns its inner area.
pub fn framed(buf: &mut Buffer, area: Rect, block: Block<'_>) -> Rect {
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// Draws a pane's frame and returns its inside with the view to draw from,
/// or `None` when the pane is done: before the first view (the inside then
/// says why, see [`super::no_data`]) or with no row inside the border.
pub fn pane<'a>(
    buf: &mut Buffer,
    area: Rect,
    title: &str,
    focused: bool,
    app: &'a App,
    theme: &Theme,
) -> Option<(Rect, &'a View)> {
    let inner = framed(buf, area, pane_block(title, focused, theme));
    let Some(view) = app.view.as_deref() else {
        super::no_data(buf, inner, app, theme);
        return None;
    };
    (inner.height > 0).then_some((inner, view))
}

/// The part of `area` below its first `rows` rows (a table under its header).
pub fn below(area: Rect, rows: u16) -> Rect {
    Rect::new(
        area.x,
        area.y.saturating_add(rows),
        area.width,
        area.height.saturating_sub(rows),
    )
}

/// A line of text on row `row` of `area`, one column in (an overlay's text).
pub fn indented(buf: &mut Buffer, area: Rect, row: u16, s: &str, style: Style) {
    put(
        buf,
        area.x + 1,
        area.y.saturating_add(row),
        area.width.saturating_sub(1),
        s,
        style,
    );
}

/// One line of text on the first row of `area` (an empty list's note).
pub fn note(buf: &mut Buffer, area: Rect, msg: &str, style: Style) {
    put(buf, area.x, area.y, area.width, msg, style);
}

/// Draws items one after another on row `y` of `area` with `sep` between
/// them (tabs, stage counts); returns the columns used.
pub fn separated<S: AsRef<str>>(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    items: impl IntoIterator<Item = (S, Style)>,
    sep: &str,
    sep_style: Style,
) -> u16 {
    let mut x = area.x;
    for (i, (s, style)) in items.into_iter().enumerate() {
        if i > 0 {
            x += put(buf, x, y, area.right().saturating_sub(x), sep, sep_style);
        }
        x += put(buf, x, y, area.right().saturating_sub(x), s.as_ref(), style);
    }
    x - area.x
}

/// The rows of a list of `len` that fit in `body`, scrolled so that
/// `selected` stays visible: each row's index in the list and its `y`.
pub fn visible(selected: usize, len: usize, body: Rect) -> impl Iterator<Item = (usize, u16)> {
    let height = body.height as usize;
    let offset = scroll_offset(selected, len, height);
    (offset..len.min(offset + height)).map(move |i| (i, body.y + (i - offset) as u16))
}

/// [`visible`] for a list that may not fit: when it overflows, the last row
/// of `body` says how many rows are not shown (`+3 more`) and the rows
/// scroll in the ones above it. Returns the rows to draw.
pub fn visible_more(
    buf: &mut Buffer,
    body: Rect,
    selected: usize,
    len: usize,
    lang: Lang,
    theme: &Theme,
) -> Vec<(usize, u16)> {
    let h = body.height as usize;
    if len <= h || h < 2 {
        return visible(selected, len, body).collect();
    }
    let rows = Rect::new(body.x, body.y, body.width, body.height - 1);
    let shown: Vec<(usize, u16)> = visible(selected, len, rows).collect();
    more(buf, body, body.bottom() - 1, len - shown.len(), lang, theme);
    shown
}

/// An empty list's note: when the filter hides all `total` rows it says
/// so (`the filter /a:li hides all 4 rows`), else `empty`.
pub fn empty_note(app: &App, total: usize, empty: &str) -> String {
    if total > 0 && !app.filter.is_empty() {
        tf(app.lang, Msg::FilterHidesAll, &[&app.filter_text, &total])
    } else {
        empty.to_string()
    }
}

/// The tag a pane title carries when the filter's queue or agent term
/// does not apply to it (`· not by agent`), so an unfiltered pane never
/// passes for a filtered one.
pub fn unfiltered_tag(app: &App, by_queue: bool, by_agent: bool) -> String {
    let mut tags = Vec::new();
    if app.filter.queue.is_some() && !by_queue {
        tags.push(Msg::NotByQueue);
    }
    if app.filter.agent.is_some() && !by_agent {
        tags.push(Msg::NotByAgent);
    }
    tags.iter()
        .map(|m| format!("· {} ", crate::i18n::t(app.lang, *m)))
        .collect()
}

/// The `+N more` marker of a cut list, on row `y`.
pub fn more(buf: &mut Buffer, area: Rect, y: u16, hidden: usize, lang: Lang, theme: &Theme) {
    if hidden > 0 {
        put(
            buf,
            area.x,
            y,
            area.width,
            &tf(lang, Msg::MoreRows, &[&hidden]),
            theme.dim,
        );
    }
}

/// First row to show so that `selected` stays visible in `height` rows.
pub fn scroll_offset(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let max_offset = len - height;
    (selected + 1).saturating_sub(height).min(max_offset)
}

/// A column of a table: fixed width, right or left aligned.
#[derive(Clone, Copy, Debug)]
pub struct Col {
    pub width: u16,
    pub right: bool,
}

impl Col {
    pub const fn left(width: u16) -> Col {
        Col {
            width,
            right: false,
        }
    }
    pub const fn right(width: u16) -> Col {
        Col { width, right: true }
    }
}

/// The columns of `spec` that `keep` shows (see [`choose_columns`]), each
/// made by `col(index in spec, width)`.
pub fn kept_cols(spec: &[(u16, u8)], keep: &[bool], col: impl Fn(usize, u16) -> Col) -> Vec<Col> {
    spec.iter()
        .zip(keep)
        .enumerate()
        .filter(|(_, (_, k))| **k)
        .map(|(i, ((w, _), _))| col(i, *w))
        .collect()
}

/// Draws one table row: cells in columns separated by one space.
pub fn row(buf: &mut Buffer, area: Rect, y: u16, cols: &[Col], cells: &[(&str, Style)]) {
    row_cells(buf, area, y, cols, cells.iter().copied());
}

/// One table line of a pane whose optional columns were picked by
/// [`choose_columns`]: `cells` holds every column's text and style, `keep`
/// says which are shown in `cols`; `selected` paints the whole line (the
/// selection bar) after the text.
pub fn kept_row<S: AsRef<str>>(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    cols: &[Col],
    keep: &[bool],
    cells: impl IntoIterator<Item = (S, Style)>,
    selected: Option<Style>,
) {
    let kept = cells
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(cell, _)| cell);
    row_cells(buf, area, y, cols, kept);
    if let Some(style) = selected {
        fill_row(buf, area, y, style);
    }
}

/// [`row`] over any cells, so callers need not collect them first.
fn row_cells<S: AsRef<str>>(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    cols: &[Col],
    cells: impl IntoIterator<Item = (S, Style)>,
) {
    let mut x = area.x;
    for (col, (s, style)) in cols.iter().zip(cells) {
        let room = area.right().saturating_sub(x).min(col.width);
        if room == 0 {
            break;
        }
        let cell = if col.right {
            text::pad_left(s.as_ref(), room as usize)
        } else {
            text::fit(s.as_ref(), room as usize)
        };
        put_fitted(buf, x, y, room, &cell, style);
        x = x.saturating_add(col.width + 1);
    }
}

/// Picks which optional columns fit: `cols` are (width, priority) with
/// priority 0 always kept; returns the kept flags and the leftover width,
/// which the caller gives to its flexible column.
pub fn choose_columns(total: u16, cols: &[(u16, u8)]) -> (Vec<bool>, u16) {
    let mut keep: Vec<bool> = cols.iter().map(|(_, p)| *p == 0).collect();
    let used = |keep: &[bool]| -> u16 {
        cols.iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|((w, _), _)| w + 1)
            .sum()
    };
    let max_p = cols.iter().map(|(_, p)| *p).max().unwrap_or(0);
    for p in 1..=max_p {
        let mut trial = keep.clone();
        for (i, (_, q)) in cols.iter().enumerate() {
            if *q == p {
                trial[i] = true;
            }
        }
        if used(&trial) <= total {
            keep = trial;
        } else {
            break;
        }
    }
    let left = total.saturating_sub(used(&keep));
    (keep, left)
}

/// Blanks an area (under an overlay).
pub fn clear(buf: &mut Buffer, area: Rect) {
    let area = area.intersection(buf.area);
    // A wide char just left of the area would spill into it: blank it too.
    if area.x > buf.area.x {
        for y in area.top()..area.bottom() {
            let cell = &mut buf[(area.x - 1, y)];
            if text::width(cell.symbol()) > 1 {
                cell.reset();
            }
        }
    }
    ratatui::widgets::Clear.render(area, buf);
}

/// A rectangle of `w`×`h` centred in `area` (clamped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scroll_keeps_selection_visible() {
        assert_eq!(scroll_offset(0, 100, 10), 0);
        assert_eq!(scroll_offset(9, 100, 10), 0);
        assert_eq!(scroll_offset(10, 100, 10), 1);
        assert_eq!(scroll_offset(99, 100, 10), 90);
        assert_eq!(scroll_offset(5, 3, 10), 0);
    }

    #[test]
    fn visible_rows_follow_the_selection() {
        let body = Rect::new(0, 5, 10, 3);
        let rows = |sel, len| visible(sel, len, body).collect::<Vec<_>>();
        assert_eq!(rows(0, 10), vec![(0, 5), (1, 6), (2, 7)]);
        assert_eq!(rows(4, 10), vec![(2, 5), (3, 6), (4, 7)]);
        assert_eq!(rows(9, 10), vec![(7, 5), (8, 6), (9, 7)]);
        assert_eq!(rows(0, 2), vec![(0, 5), (1, 6)]);
        assert_eq!(rows(0, 0), vec![]);
        assert_eq!(visible(3, 10, Rect::new(0, 5, 10, 0)).count(), 0);
    }

    #[test]
    fn a_cut_list_says_how_many_rows_are_hidden() {
        let theme = Theme::new(crate::app::theme::ThemeKind::Default);
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 4));
        let body = buf.area;
        // 10 rows in 4: 3 shown, the fourth row says 7 more.
        let rows = visible_more(&mut buf, body, 0, 10, Lang::En, &theme);
        assert_eq!(rows, vec![(0, 0), (1, 1), (2, 2)]);
        let line: String = (0..12).map(|x| buf[(x, 3)].symbol()).collect();
        assert_eq!(line, "+7 more     ");
        // Scrolled to the end: rows 7 to 9 shown, still 7 hidden.
        let rows = visible_more(&mut buf, body, 9, 10, Lang::En, &theme);
        assert_eq!(rows, vec![(7, 0), (8, 1), (9, 2)]);
        // A list that fits has no marker and uses every row.
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 4));
        assert_eq!(
            visible_more(&mut buf, body, 0, 4, Lang::En, &theme).len(),
            4
        );
        assert_eq!(buf[(0, 3)].symbol(), " ");
    }

    #[test]
    fn separated_items_and_their_width() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        let area = buf.area;
        let st = Style::new();
        let used = separated(
            &mut buf,
            area,
            0,
            [("ab", st), ("cd", st), ("ef", st)],
            " | ",
            st,
        );
        let line: String = (0..12).map(|x| buf[(x, 0)].symbol()).collect();
        assert_eq!((line.as_str(), used), ("ab | cd | ef", 12));
    }

    #[test]
    fn columns_drop_by_priority() {
        // 10 (always) + 5 (p1) + 8 (p2) with separators: 11 + 6 + 9 = 26.
        let (keep, left) = choose_columns(20, &[(10, 0), (5, 1), (8, 2)]);
        assert_eq!(keep, vec![true, true, false]);
        assert_eq!(left, 3);
        let (keep, left) = choose_columns(30, &[(10, 0), (5, 1), (8, 2)]);
        assert_eq!(keep, vec![true, true, true]);
        assert_eq!(left, 4);
    }

    #[test]
    fn kept_columns_and_cells_only() {
        let spec = [(3, 0), (2, 1), (4, 0)];
        let keep = [true, false, true];
        let cols = kept_cols(&spec, &keep, |i, w| Col::left(w + i as u16));
        // Index 2 keeps its place in spec: width 4 + 2.
        assert_eq!(cols.iter().map(|c| c.width).collect::<Vec<_>>(), vec![3, 6]);
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 2));
        let area = buf.area;
        let sel = Style::new().bg(ratatui::style::Color::Blue);
        let cells = [
            ("abc", Style::new()),
            ("xy", Style::new()),
            ("de", Style::new()),
        ];
        kept_row(&mut buf, area, 1, &cols, &keep, cells, Some(sel));
        // "abc", a space, then the third cell; the dropped "xy" is not drawn.
        let line: String = (0..12).map(|x| buf[(x, 1)].symbol()).collect();
        assert_eq!(line, "abc de      ");
        assert_eq!(buf[(11, 1)].bg, ratatui::style::Color::Blue);
        assert_eq!(buf[(0, 0)].bg, ratatui::style::Color::Reset);
    }

    #[test]
    fn put_clips_to_the_buffer() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 1));
        assert_eq!(put(&mut buf, 0, 0, 10, "王芳丽", Style::new()), 5);
        assert_eq!(put(&mut buf, 0, 3, 10, "below", Style::new()), 0);
        assert_eq!(buf[(0, 0)].symbol(), "王");
        assert_eq!(buf[(4, 0)].symbol(), "…");
    }
}
