//! "Who can help?": the system leaders ranked for a school, a focus and a number of days — the
//! same ranking `alliance match` prints, from the one [`crate::matching`] module through
//! [`Store::best_placed`]. This view only shows it: it has no ranking rules of its own. The
//! highlighted leader's reasons are shown in full underneath, wrapped with their indent, and
//! Enter starts a contract with that leader, school, focus and days.

use super::form::picker;
use super::keymap::Action;
use super::table::{self, Column, ListState, TCell, TRow, TableModel, Target, clean};
use super::theme::{Role, Theme};
use crate::domain::money::{fmt_days, parse_days};
use crate::matching::Ranked;
use crate::metrics::Snapshot;
use crate::store::Store;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

/// The boxes the user types into, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhoBox {
    /// Which school (found by name as typed).
    School,
    /// The focus of the support (`maths`, `phonics` …).
    Focus,
    /// How many days it needs (blank: any).
    Days,
}

/// What a key did in the view.
#[derive(Debug, Clone, PartialEq)]
pub enum WhoOutcome {
    /// Stay open.
    None,
    /// Close the view.
    Close,
    /// Start a contract: (school, leader, focus, days).
    Start(i64, i64, String, Option<f64>),
    /// Open the help.
    Help,
    /// Quit the app.
    Quit,
}

/// The open view.
#[derive(Debug, Clone)]
pub struct Who {
    /// What is typed in the school box.
    pub school_query: String,
    /// The school found for it.
    pub school: Option<(i64, String)>,
    /// What is typed in the focus box.
    pub focus: String,
    /// What is typed in the days box.
    pub days: String,
    /// The box taking typing.
    pub editing: WhoBox,
    /// The ranking, best first (the excluded last, with why).
    pub ranked: Vec<Ranked>,
    /// The ranking as a list.
    pub model: TableModel,
    /// Its selection.
    pub list: ListState,
    /// Why there is no ranking (days not understood, no school found).
    pub problem: Option<String>,
    schools: TableModel,
    school_list: ListState,
}

impl Who {
    /// Opens the view for `school` (if known) and `focus`, ranked at once.
    pub fn open(store: &Store, snap: &Snapshot, school: Option<i64>, focus: &str, days: Option<f64>) -> Who {
        let mut names: Vec<_> =
            snap.schools.iter().map(|s| (Target::School(s.school.id), s.school.name.clone())).collect();
        names.sort_by(|a, b| a.1.cmp(&b.1));
        let schools = picker(names);
        let mut school_list = ListState::default();
        school_list.refresh(&schools);
        let school = school
            .and_then(|id| snap.schools.iter().find(|s| s.school.id == id))
            .map(|s| (s.school.id, s.school.name.clone()));
        let school_id_known = school.is_some();
        let mut w = Who {
            school_query: school.as_ref().map(|s| s.1.clone()).unwrap_or_default(),
            school,
            focus: focus.to_string(),
            days: days.map(fmt_days).unwrap_or_default(),
            editing: if school_id_known { WhoBox::Focus } else { WhoBox::School },
            ranked: Vec::new(),
            model: TableModel::default(),
            list: ListState::default(),
            problem: None,
            schools,
            school_list,
        };
        w.rerank(store, snap);
        w
    }

    fn text_mut(&mut self) -> &mut String {
        match self.editing {
            WhoBox::School => &mut self.school_query,
            WhoBox::Focus => &mut self.focus,
            WhoBox::Days => &mut self.days,
        }
    }

    /// Ranks again for what is typed now.
    pub fn rerank(&mut self, store: &Store, snap: &Snapshot) {
        self.problem = None;
        let days = if self.days.trim().is_empty() {
            None
        } else {
            match parse_days(&self.days) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.problem = Some(e.to_string());
                    None
                }
            }
        };
        let Some((school, _)) = self.school else {
            self.problem = Some("type part of a school's name".into());
            self.set_ranked(Vec::new());
            return;
        };
        match store.best_placed(snap, school, self.focus.trim(), days) {
            Ok(r) => self.set_ranked(r),
            Err(e) => {
                self.problem = Some(e.to_string());
                self.set_ranked(Vec::new());
            }
        }
    }

    fn set_ranked(&mut self, ranked: Vec<Ranked>) {
        let rows = ranked
            .iter()
            .map(|r| {
                let role = if r.excluded.is_some() { Role::Muted } else { Role::Text };
                TRow {
                    target: Target::Leader(r.leader_id),
                    cells: vec![
                        TCell::text(if r.excluded.is_some() { format!("✗ {}", r.name) } else { r.name.clone() }, role),
                        TCell::text(r.designation.as_str(), Role::Accent),
                        TCell::num(fmt_days(r.available), Role::Ok, r.available),
                        TCell::num(r.score.to_string(), Role::Text, r.score as f64),
                        TCell::text(
                            r.excluded.clone().or_else(|| r.reasons.first().cloned()).unwrap_or_default(),
                            Role::Muted,
                        ),
                    ],
                    search: &[0],
                }
            })
            .collect();
        self.model = TableModel::new(
            vec![
                Column { title: "Leader", width: Constraint::Fill(2), min: 12, drop: 0 },
                Column { title: "Des", width: Constraint::Length(5), min: 4, drop: 2 },
                Column { title: "Free", width: Constraint::Length(5), min: 4, drop: 0 },
                Column { title: "Score", width: Constraint::Length(5), min: 5, drop: 1 },
                Column { title: "Best reason", width: Constraint::Fill(3), min: 10, drop: 3 },
            ],
            rows,
        );
        self.ranked = ranked;
        self.list = ListState::default();
        self.list.refresh(&self.model);
    }

    /// The highlighted leader.
    pub fn highlighted(&self) -> Option<&Ranked> {
        self.list.view.get(self.list.selected).and_then(|(i, _)| self.ranked.get(*i))
    }

    /// Handles one key; `action` is the who layer's meaning for it.
    pub fn key(&mut self, key: KeyEvent, action: Option<Action>, store: &Store, snap: &Snapshot) -> WhoOutcome {
        let page = self.list.page.max(1) as isize;
        match action {
            Some(Action::Cancel) => return WhoOutcome::Close,
            Some(Action::Quit) => return WhoOutcome::Quit,
            Some(Action::Help) => return WhoOutcome::Help,
            Some(Action::Open) => {
                let Some((school, _)) = self.school.clone() else { return WhoOutcome::None };
                return match self.highlighted() {
                    Some(r) if r.excluded.is_none() => WhoOutcome::Start(
                        school,
                        r.leader_id,
                        self.focus.trim().to_string(),
                        parse_days(&self.days).ok(),
                    ),
                    Some(r) => {
                        self.problem =
                            Some(format!("{} cannot be chosen: {}", r.name, r.excluded.clone().unwrap_or_default()));
                        WhoOutcome::None
                    }
                    None => WhoOutcome::None,
                };
            }
            Some(Action::NextField | Action::PrevField) => {
                let order = [WhoBox::School, WhoBox::Focus, WhoBox::Days];
                let i = order.iter().position(|b| *b == self.editing).unwrap_or(0);
                let step = if action == Some(Action::NextField) { 1 } else { 2 };
                self.editing = order[(i + step) % 3];
                return WhoOutcome::None;
            }
            Some(Action::Down) => self.list.step(1),
            Some(Action::Up) => self.list.step(-1),
            Some(Action::PageDown) => self.list.step(page),
            Some(Action::PageUp) => self.list.step(-page),
            Some(Action::ClearText) => {
                self.text_mut().clear();
                self.changed(store, snap);
            }
            Some(Action::DeleteBack) => {
                self.text_mut().pop();
                self.changed(store, snap);
            }
            _ => {
                if let KeyCode::Char(c) = key.code
                    && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && !c.is_control()
                    && self.text_mut().chars().count() < 80
                {
                    self.text_mut().push(c);
                    self.changed(store, snap);
                }
            }
        }
        WhoOutcome::None
    }

    fn changed(&mut self, store: &Store, snap: &Snapshot) {
        if self.editing == WhoBox::School {
            self.school_list.filter = self.school_query.clone();
            self.school_list.refilter_to_best(&self.schools);
            self.school = match self.school_list.selected_target(&self.schools) {
                Some(Target::School(id)) if !self.school_query.trim().is_empty() => {
                    snap.schools.iter().find(|s| s.school.id == id).map(|s| (id, s.school.name.clone()))
                }
                _ => None,
            };
        }
        self.rerank(store, snap);
    }

    /// Draws the view over `area`.
    pub fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, th: &Theme) {
        let w = area.width.saturating_sub(2).min(110);
        let r =
            Rect { x: area.x + (area.width - w) / 2, y: area.y + 1, width: w, height: area.height.saturating_sub(2) };
        frame.render_widget(Clear, r);
        let block = Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(th.style(Role::BorderFocus))
            .title(Span::styled(" Who can help? — the same ranking as `alliance match` ", th.style(Role::Title)))
            .title_bottom(Span::styled(
                " Enter start a contract · Tab next box · ↓↑ move · Esc close ",
                th.style(Role::Muted),
            ));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let reasons = self.reason_lines(inner.width.saturating_sub(2) as usize, th);
        let reasons_h = (reasons.len() as u16).clamp(1, inner.height.saturating_sub(6).max(1) / 2 + 1);
        let [boxes, list, why] =
            Layout::vertical([Constraint::Length(3), Constraint::Fill(1), Constraint::Length(reasons_h)]).areas(inner);
        let boxed = |label: &str, text: String, on: bool| -> Vec<Span<'static>> {
            let style = if on { th.style(Role::Accent) } else { th.style(Role::Text) };
            vec![
                Span::styled(format!("{label:<8}"), th.style(Role::Muted)),
                Span::styled(format!("{}{}", clean(&text), if on { "▏" } else { "" }), style),
            ]
        };
        let found = match &self.school {
            Some((_, name)) if *name != self.school_query => format!("   → {}", clean(name)),
            _ => String::new(),
        };
        let mut school = boxed("School", self.school_query.clone(), self.editing == WhoBox::School);
        school.push(Span::styled(found, th.style(Role::Info)));
        let mut focus = boxed("Focus", self.focus.clone(), self.editing == WhoBox::Focus);
        focus.push(Span::raw("    "));
        focus.extend(boxed("Days", self.days.clone(), self.editing == WhoBox::Days));
        let third = match &self.problem {
            Some(p) => Line::from(Span::styled(clean(p), th.style(Role::Danger))),
            None => Line::from(Span::styled(
                format!("{} ranked — reasons of the highlighted leader below", self.ranked.len()),
                th.style(Role::Muted),
            )),
        };
        frame.render_widget(Paragraph::new(vec![Line::from(school), Line::from(focus), third]), boxes);
        table::draw(frame, list, Block::default(), &self.model, &mut self.list, th, true);
        frame.render_widget(Paragraph::new(reasons.into_iter().take(reasons_h as usize).collect::<Vec<_>>()), why);
    }

    /// The highlighted leader's reasons, each wrapped to `width` with its continuation lines
    /// indented under its text.
    fn reason_lines(&self, width: usize, th: &Theme) -> Vec<Line<'static>> {
        let Some(r) = self.highlighted() else { return Vec::new() };
        let mut items: Vec<(String, Role)> = Vec::new();
        if let Some(x) = &r.excluded {
            items.push((format!("excluded: {x}"), Role::Danger));
        }
        items.extend(r.reasons.iter().map(|x| (x.clone(), Role::Text)));
        let mut out = Vec::new();
        for (text, role) in items {
            for (i, piece) in wrap(&clean(&text), width.saturating_sub(2).max(10)).into_iter().enumerate() {
                let lead = if i == 0 { "• " } else { "  " };
                out.push(Line::from(Span::styled(format!("{lead}{piece}"), th.style(role))));
            }
        }
        out
    }
}

/// Greedy word wrap by display width (a word longer than a line is cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let need = if line.is_empty() { word.width() } else { line.width() + 1 + word.width() };
        if need > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.width() > width {
            let cut: String = line.chars().take(width).collect();
            let rest: String = line.chars().skip(width).collect();
            lines.push(cut);
            line = rest;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_keeps_words_and_width() {
        let w = wrap("one two three four five six", 9);
        assert_eq!(w, vec!["one two", "three", "four five", "six"]);
        assert!(wrap("abcdefghijkl", 5).iter().all(|l| l.chars().count() <= 5));
    }
}
