//! Screen 1: the headline strip, and active contracts, leader capacity, school status and
//! alerts, each a list `Tab` moves between.

use super::{filter_note, pane_block};
use crate::tui::app::App;
use crate::tui::keymap::Screen;
use crate::tui::table;
use crate::tui::theme::Role;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Sparkline;

/// Draws the dashboard: the headline strip and its four lists.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    let th = app.theme.clone();
    let [strip, grid] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let t = &app.data.snap.totals;
    let high = app.data.snap.alerts.iter().filter(|a| a.severity == crate::metrics::Severity::High).count();
    let text = vec![
        Span::styled(format!(" {} ", app.data.snap.year.label()), th.style(Role::Title)),
        Span::styled(format!("live {} ", t.live), th.style(Role::Text)),
        Span::styled(
            format!("red {} ", t.by_rag[2]),
            th.style(if t.by_rag[2] > 0 { Role::Danger } else { Role::Muted }),
        ),
        Span::styled(
            format!("· alerts {} ({high} high) ", app.data.snap.alerts.len()),
            th.style(if high > 0 { Role::Warn } else { Role::Muted }),
        ),
        // Term time: a year without term dates counts every weekday — say so where it is seen.
        Span::styled(
            app.data.snap.term_note.as_ref().map_or(String::new(), |n| format!("· {n} ")),
            th.style(Role::Warn),
        ),
        Span::styled(
            format!("· {} days free ", crate::domain::money::fmt_days((t.available_days * 2.0).round() / 2.0)),
            th.style(Role::Muted),
        ),
        Span::styled("· visits/week ", th.style(Role::Muted)),
    ];
    let used: u16 = text.iter().map(|s| s.width() as u16).sum();
    frame.render_widget(Line::from(text), strip);
    let weeks: Vec<u64> = app.data.weekly.iter().map(|(_, n, _)| (*n).max(0) as u64).collect();
    if strip.width > used + 4 {
        let w = (strip.width - used - 1).min(weeks.len() as u16).max(1);
        let data: Vec<u64> = weeks.iter().rev().take(w as usize).rev().copied().collect();
        let r = Rect { x: strip.x + used, y: strip.y, width: w, height: 1 };
        frame.render_widget(Sparkline::default().data(&data).style(th.style(Role::Info)), r);
    }
    let [top, bottom] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(grid);
    let wide = grid.width >= 120;
    let (l_pct, r_pct) = if wide { (64, 36) } else { (55, 45) };
    let [a, b] = Layout::horizontal([Constraint::Percentage(l_pct), Constraint::Percentage(r_pct)]).areas(top);
    let [c, d] = Layout::horizontal([Constraint::Percentage(l_pct), Constraint::Percentage(r_pct)]).areas(bottom);
    let s = Screen::Dashboard;
    for (i, area) in [a, b, c, d].into_iter().enumerate() {
        let st = app.state(s);
        let focused = st.focus == i;
        let title =
            format!(" {}{} ", s.lists()[i].title, filter_note(&st.lists[i], super::model(s, &app.data, i).rows.len()));
        let block = pane_block(title, app, focused);
        let (data, st) = app.data_and_state(s);
        table::draw(frame, area, block, super::model(s, data, i), &mut st.lists[i], &th, focused);
    }
}
