//! Screen 6: board meetings, the agenda built from the data, the budget per funding stream,
//! and the decisions — three lists `Tab` moves between.

use super::{filter_note, pane_block};
use crate::domain::fmt_date;
use crate::tui::app::App;
use crate::tui::keymap::Screen;
use crate::tui::table;
use crate::tui::theme::Role;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The agenda list.
pub const AGENDA: usize = 0;
/// The budget list (funding streams: Enter opens, n adds, e edits).
pub const BUDGET: usize = 1;
/// The decisions list.
pub const DECISIONS: usize = 2;

/// Draws the Board: meetings, the agenda, the budget and the decisions.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    let th = app.theme.clone();
    let [strip, middle, bottom] =
        Layout::vertical([Constraint::Length(2), Constraint::Percentage(55), Constraint::Fill(1)]).areas(area);
    let today = app.today;
    let mut spans = vec![Span::styled(" Meetings: ", th.style(Role::Title))];
    if app.data.meetings.is_empty() {
        spans.push(Span::styled("none recorded yet — m records one", th.style(Role::Muted)));
    }
    for (i, (d, _, n)) in app.data.meetings.iter().take(6).enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", th.style(Role::Muted)));
        }
        let role = if *d > today { Role::Accent } else { Role::Text };
        spans.push(Span::styled(format!("{} ({n})", fmt_date(*d)), th.style(role)));
    }
    let open =
        app.data.decisions.rows.iter().filter(|r| r.cells.first().is_some_and(|c| c.plain().contains("open"))).count();
    let latest_notes =
        app.data.meetings.first().map(|(_, n, _)| n.lines().next().unwrap_or("").to_string()).unwrap_or_default();
    let lines = vec![
        Line::from(spans),
        Line::from(vec![
            Span::styled(format!(" {open} open decisions"), th.style(Role::Warn)),
            Span::styled(format!(" · latest minutes: {}", table::clean(&latest_notes)), th.style(Role::Muted)),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), strip);
    let wide = middle.width >= 110;
    let [left, right] = if wide {
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(middle)
    } else {
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(middle)
    };
    let s = Screen::Board;
    let agenda_title = format!(" Agenda{} ", filter_note(&app.state(s).lists[AGENDA], app.data.agenda.rows.len()));
    let focus = app.state(s).focus;
    let (agenda_on, budget_on, decisions_on) = (focus == AGENDA, focus == BUDGET, focus == DECISIONS);
    let block = pane_block(agenda_title, app, agenda_on);
    let (data, st) = app.data_and_state(s);
    table::draw(frame, left, block, &data.agenda, &mut st.lists[AGENDA], &th, agenda_on);
    let hint = if budget_on { " · n new stream · e edit" } else { "" };
    let budget_title = format!(" Budget {}{}{hint} ", app.data.snap.year.label(), {
        let budget = &app.state(s).lists[BUDGET];
        if budget.filter.is_empty() { String::new() } else { filter_note(budget, app.data.budget.rows.len()) }
    });
    let block = pane_block(budget_title, app, budget_on);
    let (data, st) = app.data_and_state(s);
    table::draw(frame, right, block, &data.budget, &mut st.lists[BUDGET], &th, budget_on);
    let title = format!(
        " Decisions{} · Tab switches · d done · n new · m meeting ",
        filter_note(&app.state(s).lists[DECISIONS], app.data.decisions.rows.len())
    );
    let block = pane_block(title, app, decisions_on);
    let (data, st) = app.data_and_state(s);
    table::draw(frame, bottom, block, &data.decisions, &mut st.lists[DECISIONS], &th, decisions_on);
}
