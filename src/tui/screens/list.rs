//! Screens 2–5: Contracts, Leaders, Schools and Visits, one list each.

use super::{filter_note, pane_block};
use crate::tui::app::App;
use crate::tui::keymap::Screen;
use crate::tui::table;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Draws list screen `s` (Contracts, Leaders, Schools, Visits): one list, its title saying
/// how much of the file it holds.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &mut App, s: Screen) {
    let th = app.theme.clone();
    let model = super::model(s, &app.data, 0);
    let shown = model.rows.len();
    let name = match s {
        // Bounded lists say so: the rest are in each school's, leader's and contract's detail.
        Screen::Visits if app.data.visit_count > shown => {
            format!("Visits in {} · the latest of {}", app.data.snap.year.label(), app.data.visit_count)
        }
        Screen::Visits => format!("Visits in {}", app.data.snap.year.label()),
        Screen::Contracts if app.data.contract_count > shown => {
            format!("Contracts · live, proposed and recent, of {}", app.data.contract_count)
        }
        Screen::Leaders => format!("System leaders · capacity {}", app.data.snap.year.label()),
        Screen::Impact => "Outcomes and cost of closed contracts, this year and last".to_string(),
        other => other.title().to_string(),
    };
    let title = format!(" {name}{} ", filter_note(app.state(s).focused(), model.rows.len()));
    let block = pane_block(title, app, true);
    let (data, st) = app.data_and_state(s);
    table::draw(frame, area, block, super::model(s, data, 0), &mut st.lists[0], &th, true);
}

/// Screen 7: the programme's impact figures above the list of closed contracts' outcomes.
pub fn draw_impact(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    let th = app.theme.clone();
    let lines: Vec<ratatui::text::Line<'_>> = app
        .data
        .impact
        .lines
        .iter()
        .map(|l| {
            ratatui::text::Line::from(ratatui::text::Span::styled(
                format!(" {}", table::clean(l)),
                th.style(crate::tui::theme::Role::Text),
            ))
        })
        .collect();
    let [head, rest] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(lines.len().min(8) as u16),
        ratatui::layout::Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(ratatui::widgets::Paragraph::new(lines), head);
    draw(frame, rest, app, Screen::Impact);
}
