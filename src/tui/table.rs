//! The list widget every screen uses: a prepared table model (cells formatted once per data
//! load, not per frame), a fuzzy filter with highlighted matches, column sorting, and drawing
//! of the visible rows only — so 25,000 schools scroll as smoothly as 25.
//!
//! Filtering 30,000 names a keystroke: each row's text is borrowed, not rebuilt; a row is first
//! tested for the query's letters in order (most rows fail there, without scoring); only rows
//! that pass are scored ([`fuzzy`], skim's scoring without its per-call costs); match positions
//! are worked out only for the rows on screen; and while the query grows letter by letter only
//! the rows that matched the shorter query are looked at again.

mod fuzzy;

use super::theme::{Role, Theme};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Row, Table};
use std::cmp::Ordering;

/// What Enter on a row opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A school's detail.
    School(i64),
    /// A leader's detail.
    Leader(i64),
    /// A contract's detail.
    Contract(i64),
    /// A board meeting (chosen in forms; it has no detail view of its own).
    Meeting(i64),
    /// A funding stream's detail.
    Stream(i64),
    /// A visit's detail (its notes in full; `e` corrects or removes it).
    Visit(i64),
    /// Nothing to open.
    None,
}

/// A value to sort a column by.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum SortKey {
    /// Text, compared case-insensitively (store it lower-cased).
    Text(String),
    /// A number (days, counts, dates as day numbers).
    Num(f64),
    /// Blank: always last.
    None,
}

impl SortKey {
    fn cmp(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Num(a), SortKey::Num(b)) => a.total_cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            (SortKey::None, SortKey::None) => Ordering::Equal,
            (SortKey::None, _) => Ordering::Greater,
            (_, SortKey::None) => Ordering::Less,
            (SortKey::Num(_), SortKey::Text(_)) => Ordering::Less,
            (SortKey::Text(_), SortKey::Num(_)) => Ordering::Greater,
        }
    }
}

/// One cell: styled spans, and what it sorts by.
#[derive(Debug, Clone)]
pub struct TCell {
    /// The text pieces with their roles (a bar is several pieces).
    pub spans: Vec<(String, Role)>,
    /// Sort value.
    pub sort: SortKey,
}

impl TCell {
    /// A plain text cell in `role`, sorted by its text.
    pub fn text(s: impl Into<String>, role: Role) -> TCell {
        let s = clean(&s.into());
        TCell { sort: SortKey::Text(s.to_lowercase()), spans: vec![(s, role)] }
    }
    /// A cell sorted by a number.
    pub fn num(s: impl Into<String>, role: Role, n: f64) -> TCell {
        TCell { spans: vec![(clean(&s.into()), role)], sort: SortKey::Num(n) }
    }
    /// A cell made of several styled pieces.
    pub fn spans(spans: Vec<(String, Role)>, sort: SortKey) -> TCell {
        TCell { spans: spans.into_iter().map(|(s, r)| (clean(&s), r)).collect(), sort }
    }
    /// An empty cell.
    pub fn blank() -> TCell {
        TCell { spans: Vec::new(), sort: SortKey::None }
    }
    /// The cell's whole text.
    pub fn plain(&self) -> String {
        self.spans.iter().map(|(s, _)| s.as_str()).collect()
    }
    /// The cell's whole text, borrowed when it is one piece (most cells).
    pub fn text_ref(&self) -> std::borrow::Cow<'_, str> {
        match self.spans.as_slice() {
            [] => std::borrow::Cow::Borrowed(""),
            [(s, _)] => std::borrow::Cow::Borrowed(s.as_str()),
            _ => std::borrow::Cow::Owned(self.plain()),
        }
    }
}

pub use crate::text::{clean, unsafe_for_terminal};

/// One row: what it opens, its cells, and the text the filter searches.
#[derive(Debug, Clone)]
pub struct TRow {
    /// Enter opens this.
    pub target: Target,
    /// Cells, one per column.
    pub cells: Vec<TCell>,
    /// Columns the filter searches (indexes into `cells`).
    pub search: &'static [usize],
}

/// A column's title, width and how readily it is dropped when the terminal is narrow.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Header text.
    pub title: &'static str,
    /// Width constraint.
    pub width: Constraint,
    /// Narrowest useful width.
    pub min: u16,
    /// 0 = always shown; higher numbers go first when space runs out.
    pub drop: u8,
}

/// A table's columns and rows, prepared from the data. Build it with [`TableModel::new`]; its
/// rows are not changed afterwards (the filter keeps a copy of their searchable text).
#[derive(Debug, Clone, Default)]
pub struct TableModel {
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows, in their natural order.
    pub rows: Vec<TRow>,
    /// The searchable text of every row, end to end (see [`Haystack`]).
    haystack: std::sync::OnceLock<Haystack>,
}

impl TableModel {
    /// A model of these rows, with their searchable text gathered while it is fresh in memory.
    pub fn new(columns: Vec<Column>, rows: Vec<TRow>) -> TableModel {
        let m = TableModel { columns, rows, haystack: std::sync::OnceLock::new() };
        m.haystack();
        m
    }

    fn haystack(&self) -> &Haystack {
        self.haystack.get_or_init(|| Haystack::build(&self.rows))
    }
}

/// Every row's searchable cells, prepared for matching ([`fuzzy::prepare`]) and laid end to
/// end. Filtering reads each cell's text through three pointers (row → cells → spans → text)
/// scattered over the heap: at 66,000 cells that costs ~10 ms a keystroke in cache misses
/// alone, and decoding and classifying the characters as much again; prepared once, side by
/// side, they read in a millisecond or two.
#[derive(Debug, Clone, Default)]
struct Haystack {
    chars: Vec<char>,
    bonus: Vec<i8>,
    /// (column, start, end) of each searchable cell in `chars`, row after row.
    cells: Vec<(u16, u32, u32)>,
    /// Where each row's cells start in `cells` (and one past the last row).
    row_start: Vec<u32>,
}

impl Haystack {
    fn build(rows: &[TRow]) -> Haystack {
        let mut h = Haystack { row_start: Vec::with_capacity(rows.len() + 1), ..Haystack::default() };
        for row in rows {
            h.row_start.push(h.cells.len() as u32);
            for &c in row.search {
                let Some(cell) = row.cells.get(c) else { continue };
                let start = h.chars.len() as u32;
                fuzzy::prepare(&cell.text_ref(), &mut h.chars, &mut h.bonus);
                h.cells.push((c as u16, start, h.chars.len() as u32));
            }
        }
        h.row_start.push(h.cells.len() as u32);
        h
    }

    /// Row `i`'s searchable cells: (column, characters, bonuses).
    fn row(&self, i: usize) -> impl Iterator<Item = (usize, &[char], &[i8])> {
        let (a, b) = match (self.row_start.get(i), self.row_start.get(i + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        };
        self.cells[a..b].iter().map(|&(c, s, e)| {
            let r = s as usize..e as usize;
            (usize::from(c), &self.chars[r.clone()], &self.bonus[r])
        })
    }
}

/// Matched character positions within each searched cell: `(cell, positions)`.
pub type Matches = Vec<(usize, Vec<usize>)>;

/// The view of a table: filter, sort, selection and scroll.
#[derive(Debug, Clone, Default)]
pub struct ListState {
    /// The fuzzy filter text.
    pub filter: String,
    /// Sort column and whether reversed; `None` keeps the natural order.
    pub sort: Option<(usize, bool)>,
    /// Selected position in `view`.
    pub selected: usize,
    /// First visible position in `view`.
    pub offset: usize,
    /// Visible rows: (row index, matched char positions per searched cell).
    pub view: Vec<(usize, Matches)>,
    /// Rows that fit on screen at the last draw (for paging).
    pub page: usize,
    /// What filtering keeps between keystrokes.
    kept: Box<Kept>,
}

/// What filtering keeps between keystrokes (boxed: a list state is small until it filters).
#[derive(Debug, Clone, Default)]
struct Kept {
    /// Scoring buffers.
    matcher: fuzzy::Matcher,
    /// The last query and the rows (by index, in order) that matched it, so a longer query
    /// only looks at those ([`ListState::refilter`]).
    narrow: Option<Narrow>,
    /// The row (by index) that matched the filter best at the last filtering, whatever the sort.
    best: Option<usize>,
}

/// What the last filtering matched.
#[derive(Debug, Clone, Default)]
struct Narrow {
    query: String,
    rows: usize,
    matched: Vec<usize>,
}

/// How many rows at the top of a filtered view get their match positions at once (the rest get
/// them when they are drawn).
const POSITIONS_AHEAD: usize = 64;

impl ListState {
    /// Recomputes the view after the data, filter or sort changed, keeping the selection on the
    /// same record where it is still visible.
    pub fn refresh(&mut self, model: &TableModel) {
        self.recompute(model, false);
    }

    /// [`ListState::refresh`] after a keystroke in the filter, on the model of the last refresh:
    /// when the query only grew, just the rows that matched before are looked at again.
    pub fn refilter(&mut self, model: &TableModel) {
        self.recompute(model, true);
    }

    fn recompute(&mut self, model: &TableModel, narrowing: bool) {
        let keep = self.selected_target(model);
        let query = self.filter.trim().to_string();
        let mut scored: Vec<(i64, usize, usize)> = Vec::with_capacity(model.rows.len());
        if query.is_empty() {
            scored.extend((0..model.rows.len()).map(|i| (0, i, 0)));
            self.kept.narrow = None;
        } else {
            let previous = self.kept.narrow.take().filter(|n| {
                narrowing && n.rows == model.rows.len() && !n.query.is_empty() && query.starts_with(&n.query)
            });
            self.kept.matcher.set_pattern(&query);
            let mut matched = Vec::new();
            let hay = model.haystack();
            let pattern: Vec<char> = query.chars().collect();
            let mut consider = |i: usize, matcher: &mut fuzzy::Matcher| {
                let mut best: Option<(i64, usize)> = None;
                for (c, text, bonus) in hay.row(i) {
                    if !fuzzy::is_match(text, &pattern) {
                        continue;
                    }
                    if let Some(score) = matcher.score(text, bonus, None)
                        && best.is_none_or(|b| score > b.0)
                    {
                        best = Some((score, c));
                    }
                }
                if let Some((score, c)) = best {
                    scored.push((score, i, c));
                    matched.push(i);
                }
            };
            match previous {
                Some(p) => p.matched.into_iter().for_each(|i| consider(i, &mut self.kept.matcher)),
                None => (0..model.rows.len()).for_each(|i| consider(i, &mut self.kept.matcher)),
            }
            self.kept.narrow = Some(Narrow { query: query.clone(), rows: model.rows.len(), matched });
        }
        if let Some((col, rev)) = self.sort {
            scored.sort_by(|a, b| {
                let ka = model.rows[a.1].cells.get(col).map(|c| &c.sort);
                let kb = model.rows[b.1].cells.get(col).map(|c| &c.sort);
                let o = match (ka, kb) {
                    (Some(x), Some(y)) => x.cmp(y),
                    _ => Ordering::Equal,
                };
                if rev { o.reverse() } else { o }
            });
        } else if !query.is_empty() {
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        let filtered = !query.is_empty();
        self.kept.best =
            if filtered { scored.iter().max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1))).map(|x| x.1) } else { None };
        self.view = scored
            .into_iter()
            .map(|(_, i, c)| (i, if filtered { vec![(c, Vec::new())] } else { Vec::new() }))
            .collect();
        self.positions(model, 0..POSITIONS_AHEAD);
        self.selected = keep
            .and_then(|t| self.view.iter().position(|(i, _)| model.rows[*i].target == t))
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
    }

    /// [`ListState::refilter`] after the filter text changed: the highlight goes to the best
    /// match (the top row when sorted by score), never stays on a row the user did not choose.
    pub fn refilter_to_best(&mut self, model: &TableModel) {
        self.recompute(model, true);
        self.selected = self.kept.best.and_then(|b| self.view.iter().position(|(i, _)| *i == b)).unwrap_or(0);
        self.offset = 0;
    }

    /// Works out the match positions (for highlighting) of the view's rows in `range` that do
    /// not have them yet.
    fn positions(&mut self, model: &TableModel, range: std::ops::Range<usize>) {
        let query = self.filter.trim();
        if query.is_empty() {
            return;
        }
        self.kept.matcher.set_pattern(query);
        let hay = model.haystack();
        let end = range.end.min(self.view.len());
        for (ri, matches) in self.view[range.start.min(end)..end].iter_mut() {
            for (c, pos) in matches.iter_mut() {
                if pos.is_empty()
                    && let Some((_, text, bonus)) = hay.row(*ri).find(|(col, _, _)| col == c)
                {
                    let _ = self.kept.matcher.score(text, bonus, Some(pos));
                }
            }
        }
    }

    /// The record under the selection.
    pub fn selected_target(&self, model: &TableModel) -> Option<Target> {
        self.view.get(self.selected).and_then(|(i, _)| model.rows.get(*i)).map(|r| r.target)
    }

    /// Moves the selection by `delta` rows, clamped.
    pub fn step(&mut self, delta: isize) {
        let last = self.view.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// Selects the first or last row.
    pub fn jump(&mut self, end: bool) {
        self.selected = if end { self.view.len().saturating_sub(1) } else { 0 };
    }

    /// Moves to the next sort column (skipping none), then back to the natural order.
    pub fn next_sort(&mut self, columns: usize) {
        self.sort = match self.sort {
            None => Some((0, false)),
            Some((c, _)) if c + 1 < columns => Some((c + 1, false)),
            Some(_) => None,
        };
    }
}

/// Chooses which columns fit in `width`, dropping the most droppable first. Flexible columns
/// (names, focus) count at half again their minimum, so a name keeps room to be read rather
/// than a low-priority column squeezing it to a stub.
fn fit_columns(cols: &[Column], width: u16) -> Vec<usize> {
    let mut keep: Vec<usize> = (0..cols.len()).collect();
    let want = |c: &Column| match c.width {
        Constraint::Length(n) => n.max(c.min),
        _ => c.min + c.min / 2,
    };
    let need = |k: &[usize]| k.iter().map(|&i| want(&cols[i]) + 1).sum::<u16>();
    while need(&keep) > width && keep.len() > 1 {
        let worst = keep.iter().copied().filter(|&i| cols[i].drop > 0).max_by_key(|&i| (cols[i].drop, i));
        match worst {
            Some(w) => keep.retain(|&i| i != w),
            None => break,
        }
    }
    keep
}

/// Draws `model` through `state` into `area` inside `block`. Only the rows that fit are built.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    block: Block<'_>,
    model: &TableModel,
    state: &mut ListState,
    theme: &Theme,
    focused: bool,
) {
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 1 || inner.width < 4 {
        return;
    }
    let titled = model.columns.iter().any(|c| !c.title.is_empty());
    let body = (inner.height - u16::from(titled)) as usize;
    state.page = body.max(1);
    if state.selected < state.offset {
        state.offset = state.selected;
    } else if state.selected >= state.offset + body {
        state.offset = state.selected + 1 - body;
    }
    state.offset = state.offset.min(state.view.len().saturating_sub(body));
    state.positions(model, state.offset..state.offset + body);
    let keep = fit_columns(&model.columns, inner.width);
    let sort = state.sort;
    let header = Row::new(keep.iter().map(|&i| {
        let mut t = model.columns[i].title.to_string();
        if let Some((c, rev)) = sort
            && c == i
        {
            t.push(if rev { '▼' } else { '▲' });
        }
        Cell::from(t)
    }))
    .style(theme.style(Role::Header));
    let rows = state.view.iter().enumerate().skip(state.offset).take(body).map(|(pos, (ri, matches))| {
        let row = &model.rows[*ri];
        let selected = focused && pos == state.selected;
        Row::new(keep.iter().map(|&ci| {
            let cell = row.cells.get(ci);
            let hits = matches.iter().find(|(c, _)| *c == ci).map(|(_, h)| h.as_slice());
            Cell::from(cell_line(cell, hits, theme, selected))
        }))
        .style(if selected { theme.style(Role::Selected) } else { Style::default() })
    });
    let widths: Vec<Constraint> = keep.iter().map(|&i| model.columns[i].width).collect();
    // Pickers have untitled columns: no header line for them.
    let titled = model.columns.iter().any(|c| !c.title.is_empty());
    let table = Table::new(rows, widths).column_spacing(1);
    let table = if titled { table.header(header) } else { table };
    frame.render_widget(table, inner);
    if state.view.is_empty() {
        let msg = if state.filter.is_empty() { "nothing here yet" } else { "no match — Esc clears the filter" };
        let y = inner.y + 1;
        if y < inner.y + inner.height {
            frame.render_widget(
                Line::from(Span::styled(msg, theme.style(Role::Muted))),
                Rect { x: inner.x + 1, y, width: inner.width.saturating_sub(1), height: 1 },
            );
        }
    }
}

fn cell_line<'a>(cell: Option<&'a TCell>, hits: Option<&[usize]>, theme: &Theme, selected: bool) -> Line<'a> {
    let Some(cell) = cell else { return Line::default() };
    let role_style = |r: Role| if selected { Style::default() } else { theme.style(r) };
    match hits {
        None => {
            Line::from(cell.spans.iter().map(|(s, r)| Span::styled(s.as_str(), role_style(*r))).collect::<Vec<_>>())
        }
        Some(hits) => {
            // Matched characters are highlighted; the text is split per character run.
            let text = cell.plain();
            let base = cell.spans.first().map_or(Role::Text, |(_, r)| *r);
            let mut spans = Vec::new();
            let mut run = String::new();
            let mut run_hit = false;
            for (i, ch) in text.chars().enumerate() {
                let hit = hits.contains(&i);
                if hit != run_hit && !run.is_empty() {
                    let style = if run_hit { theme.style(Role::Matched) } else { role_style(base) };
                    spans.push(Span::styled(std::mem::take(&mut run), style));
                }
                run_hit = hit;
                run.push(ch);
            }
            if !run.is_empty() {
                let style = if run_hit { theme.style(Role::Matched) } else { role_style(base) };
                spans.push(Span::styled(run, style));
            }
            Line::from(spans)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(names: &[&str]) -> TableModel {
        TableModel::new(
            vec![Column { title: "Name", width: Constraint::Fill(1), min: 10, drop: 0 }],
            names
                .iter()
                .enumerate()
                .map(|(i, n)| TRow {
                    target: Target::School(i as i64 + 1),
                    cells: vec![TCell::text(*n, Role::Text)],
                    search: &[0],
                })
                .collect(),
        )
    }

    #[test]
    fn filter_ranks_and_keeps_selection() {
        let m = model(&["Hillside Primary", "Oakfield Academy", "Holy Cross Primary", "Hope Park"]);
        let mut s = ListState::default();
        s.refresh(&m);
        assert_eq!(s.view.len(), 4);
        s.selected = 2;
        s.filter = "hp".into();
        s.refresh(&m);
        let names: Vec<String> = s.view.iter().map(|(i, _)| m.rows[*i].cells[0].plain()).collect();
        assert!(names.contains(&"Holy Cross Primary".to_string()));
        assert!(!names.contains(&"Oakfield Academy".to_string()));
        assert_eq!(s.selected_target(&m), Some(Target::School(3)), "selection follows the record");
        assert!(!s.view[0].1.is_empty(), "match positions recorded");
    }

    #[test]
    fn sort_cycles_and_reverses() {
        let m = model(&["b", "a", "c"]);
        let mut s = ListState::default();
        s.next_sort(1);
        s.refresh(&m);
        let first = |s: &ListState| m.rows[s.view[0].0].cells[0].plain();
        assert_eq!(first(&s), "a");
        s.sort = Some((0, true));
        s.refresh(&m);
        assert_eq!(first(&s), "c");
        s.next_sort(1);
        assert_eq!(s.sort, None);
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(clean("a\u{1b}[2Jb"), "a�[2Jb");
        assert_eq!(clean("line\nnext"), "line⏎next");
        assert_eq!(clean("\u{1b}]52;c;aGk=\u{7}"), "�]52;c;aGk=�");
        assert_eq!(clean("ok — ✓ مرحبا"), "ok — ✓ مرحبا");
    }
}
