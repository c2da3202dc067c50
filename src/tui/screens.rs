//! The screens as components. Each screen owns its state — which of its lists has the focus,
//! and every list's selection, filter and sort ([`ScreenState`]) — names its lists, and draws
//! itself (`dashboard`, `list`, `board`). The App keeps one [`ScreenState`] per screen and
//! delegates: list keys act on [`ScreenState::focused`], `Tab` moves the focus, drawing goes
//! to the screen's module. A new screen is a new `Screen`, its lists here and a draw function.

pub mod board;
pub mod conflicts;
pub mod dashboard;
pub mod list;

use super::app::App;
use super::data::Data;
use super::keymap::Screen;
use super::table::{self, ListState, TableModel};
use super::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType};

/// One screen's state: the focused list, and each list's view.
#[derive(Debug, Clone, Default)]
pub struct ScreenState {
    /// The list with the focus (an index into [`Screen::lists`]).
    pub focus: usize,
    /// Each list's selection, filter, sort and scroll, in [`Screen::lists`] order.
    pub lists: Vec<ListState>,
}

impl ScreenState {
    /// The state of `screen`, its first list focused.
    pub fn new(screen: Screen) -> ScreenState {
        ScreenState { focus: 0, lists: vec![ListState::default(); screen.lists().len()] }
    }

    /// The focused list's view.
    pub fn focused(&self) -> &ListState {
        &self.lists[self.focus.min(self.lists.len() - 1)]
    }

    /// Moves the focus to the next (or previous) list, wrapping.
    pub fn cycle(&mut self, forward: bool) {
        let n = self.lists.len().max(1);
        self.focus = if forward { (self.focus + 1) % n } else { (self.focus + n - 1) % n };
    }

    /// Recomputes every list's view over `screen`'s models in `data`, keeping selections.
    pub fn refresh(&mut self, screen: Screen, data: &Data) {
        for (i, st) in self.lists.iter_mut().enumerate() {
            st.refresh(model(screen, data, i));
        }
    }
}

/// One list of a screen: its title, and the stem of the CSV file `x` writes from it.
#[derive(Debug, Clone, Copy)]
pub struct ListInfo {
    /// The title.
    pub title: &'static str,
    /// The CSV file's stem.
    pub csv: &'static str,
}

const fn li(title: &'static str, csv: &'static str) -> ListInfo {
    ListInfo { title, csv }
}

const DASHBOARD: &[ListInfo] = &[
    li("Active contracts", "active-contracts"),
    li("Leader capacity", "leader-capacity"),
    li("School status", "school-status"),
    li("Alerts", "alerts"),
];
const CONTRACTS: &[ListInfo] = &[li("Contracts", "contracts")];
const LEADERS: &[ListInfo] = &[li("Leaders", "leaders")];
const SCHOOLS: &[ListInfo] = &[li("Schools", "schools")];
const VISITS: &[ListInfo] = &[li("Visits", "visits")];
const IMPACT: &[ListInfo] = &[li("Outcomes", "impact")];
const BOARD: &[ListInfo] = &[li("Agenda", "agenda"), li("Budget", "budget"), li("Decisions", "decisions")];

impl Screen {
    /// The screen's lists, in `Tab` order.
    pub fn lists(self) -> &'static [ListInfo] {
        match self {
            Screen::Dashboard => DASHBOARD,
            Screen::Contracts => CONTRACTS,
            Screen::Leaders => LEADERS,
            Screen::Schools => SCHOOLS,
            Screen::Visits => VISITS,
            Screen::Board => BOARD,
            Screen::Impact => IMPACT,
        }
    }
}

/// The model behind list `i` of `screen` (the last list for an index past the end).
pub fn model(screen: Screen, data: &Data, i: usize) -> &TableModel {
    match (screen, i) {
        (Screen::Dashboard, 0) => &data.dash_contracts,
        (Screen::Dashboard, 1) => &data.dash_capacity,
        (Screen::Dashboard, 2) => &data.dash_schools,
        (Screen::Dashboard, _) => &data.dash_alerts,
        (Screen::Contracts, _) => &data.contracts,
        (Screen::Leaders, _) => &data.leaders,
        (Screen::Schools, _) => &data.schools,
        (Screen::Visits, _) => &data.visits,
        (Screen::Impact, _) => &data.impact.table,
        (Screen::Board, board::AGENDA) => &data.agenda,
        (Screen::Board, board::BUDGET) => &data.budget,
        (Screen::Board, _) => &data.decisions,
    }
}

/// Draws the app's current screen into `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    match app.screen {
        Screen::Dashboard => dashboard::draw(frame, area, app),
        Screen::Board => board::draw(frame, area, app),
        Screen::Impact => list::draw_impact(frame, area, app),
        s => list::draw(frame, area, app, s),
    }
}

/// A pane's frame: thick and bright when it has the focus.
pub fn pane_block<'a>(title: String, app: &App, focused: bool) -> Block<'a> {
    let th = &app.theme;
    Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(th.style(if focused { Role::BorderFocus } else { Role::Border }))
        .title(Span::styled(title, th.style(Role::Title)))
}

/// " (41)", or " (5 of 96) /otter" while a filter is on.
pub fn filter_note(st: &ListState, total: usize) -> String {
    if st.filter.is_empty() {
        format!(" ({total})")
    } else {
        format!(" ({} of {total}) /{}", st.view.len(), table::clean(&st.filter))
    }
}
