//! The away conflicts list (`C`, or the palette): every conflict an away copy's changes left on
//! this file, for a coordinator to resolve. Each names the record and field, the away value
//! with who changed it and when, the value here with who and when, and what kind of conflict
//! it is. A field both sides changed is resolved by keeping the server's value (`s`), taking
//! the away value (`a`) or typing a new one (`e`) — a value is saved through the record's own
//! validated, versioned write, refused if the field changed here since it was listed. A change
//! held back whole (refused, on a closed contract, of a removed record) is dismissed with a
//! reason (`d`) once dealt with. Nothing is decided without a key; every resolution is audited.

use crate::store::{Conflict, Resolution, Store, StoreError};
use crate::tui::keymap::Action;
use crate::tui::table::clean;
use crate::tui::theme::{Role, Theme};
use crate::tui::who::wrap;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

/// What is being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asking {
    /// A new value for the field.
    Value,
    /// Why the held-back change is dismissed.
    Reason,
}

/// A question the list is asking, with what has been typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// What it asks for.
    pub asking: Asking,
    /// What has been typed.
    pub text: String,
}

/// What a key did in the list.
#[derive(Debug, Clone, PartialEq)]
pub enum ListOutcome {
    /// Stay open.
    None,
    /// Close the list.
    Close,
    /// Open the help.
    Help,
    /// Quit the app.
    Quit,
    /// Something was saved: reload the data.
    Saved,
    /// Log the held-back visit again (on a live contract) through the visit form, pre-filled
    /// with what was typed away; the conflict stays listed until dismissed.
    Relog(Box<crate::domain::Visit>),
}

/// The conflict list's state.
#[derive(Debug, Clone)]
pub struct ConflictList {
    /// The open conflicts, oldest first: (id, conflict).
    pub rows: Vec<(i64, Conflict)>,
    /// The highlighted row.
    pub selected: usize,
    /// A value or reason being typed.
    pub prompt: Option<Prompt>,
    /// The last outcome, one line (text, is-error).
    pub message: Option<(String, bool)>,
    /// Why this person may not resolve conflicts (a leader, the board), or `None`.
    pub refusal: Option<String>,
    /// For a change held back whole, what the away record said (by conflict id), so nothing
    /// typed away has to be guessed at.
    pub away_records: std::collections::HashMap<i64, String>,
    /// What each conflict's record is about (its school, and a contract's focus), by conflict
    /// id: coordinators know records by school, not by number.
    pub subjects: std::collections::HashMap<i64, String>,
}

/// The away record of a change held back whole, one line in a coordinator's words: each field
/// that has a value, dates as dates, the leader by name; the contract or school it belonged to is
/// left out (the heading names it), as are ids and stamps.
fn away_record(store: &Store, id: i64) -> Option<String> {
    let change = store.conflict_change(id).ok().flatten()?;
    let rec = change.get("after").or_else(|| change.get("before"))?.as_object()?.clone();
    let parts: Vec<String> = rec
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "id" | "stamp" | "version" | "updated_at" | "updated_by"))
        .filter_map(|(k, v)| {
            let name = k.replace('_', " ");
            match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) if s.is_empty() => None,
                serde_json::Value::Number(n) if k == "leader_id" => {
                    let leader = n.as_i64().and_then(|l| store.get::<crate::domain::Leader>(l).ok());
                    Some(format!("leader {}", leader.map_or_else(|| format!("#{n}"), |l| l.name)))
                }
                _ if k.ends_with("_id") => None,
                serde_json::Value::String(s) => match crate::domain::dates::iso(s) {
                    Some(day) => Some(format!("{name} {}", crate::domain::dates::fmt_date(day))),
                    None => Some(format!("{name} {s}")),
                },
                serde_json::Value::Bool(b) => Some(format!("{name} {}", if *b { "yes" } else { "no" })),
                other => Some(format!("{name} {other}")),
            }
        })
        .collect();
    Some(parts.join(" · "))
}

/// "contract #26" from `contracts`, 26.
fn record(table: &str, id: i64) -> String {
    let one = match table {
        "board_meetings" => "board meeting".to_string(),
        "criteria" => "criterion".to_string(),
        "intelligence" => "intelligence entry".to_string(),
        "criterion_ratings" => "criterion rating".to_string(),
        "funding_streams" => "funding stream".to_string(),
        other => other.strip_suffix('s').unwrap_or(other).replace('_', " "),
    };
    format!("{one} #{id}")
}

/// "23 Nov 2026 10:00" from an ISO-8601 time (as given when it is not one).
fn when(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.format("%-d %b %Y %H:%M").to_string())
        .unwrap_or_else(|_| at.replace('T', " ").trim_end_matches('Z').to_string())
}

/// What a kind of conflict means, in a few words.
fn kind_words(kind: &str) -> &'static str {
    match kind {
        "both_changed" => "changed on both sides",
        "deleted_here" => "removed here, edited away",
        "changed_here" => "changed here, removed away",
        "contract_closed" => "contract closed here",
        _ => "refused here",
    }
}

impl ConflictList {
    /// The list as it stands in `store`.
    pub fn open(store: &Store) -> Result<ConflictList, StoreError> {
        let refusal = store.who()?.conflict_refusal().map(|r| r.to_string());
        let mut list = ConflictList {
            rows: Vec::new(),
            selected: 0,
            prompt: None,
            message: None,
            refusal,
            away_records: Default::default(),
            subjects: Default::default(),
        };
        list.reload(store)?;
        Ok(list)
    }

    /// Reads the list again (after a save, or another coordinator's), keeping the place.
    pub fn reload(&mut self, store: &Store) -> Result<(), StoreError> {
        self.rows = store.open_conflicts()?;
        self.away_records = self
            .rows
            .iter()
            .filter(|(_, c)| c.field.is_empty())
            .filter_map(|(id, _)| away_record(store, *id).map(|r| (*id, r)))
            .collect();
        self.subjects = self
            .rows
            .iter()
            .filter_map(|(id, c)| store.conflict_subject(*id, &c.entity, c.entity_id).ok().flatten().map(|s| (*id, s)))
            .collect();
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// The highlighted conflict.
    pub fn current(&self) -> Option<&(i64, Conflict)> {
        self.rows.get(self.selected)
    }

    /// Handles one key (`action`: what the layer's table says it is).
    pub fn key(&mut self, key: KeyEvent, action: Option<Action>, store: &mut Store, today: NaiveDate) -> ListOutcome {
        if let Some(p) = self.prompt.as_mut() {
            match action {
                Some(Action::Cancel) => {
                    self.prompt = None;
                    self.message = Some(("nothing was changed".into(), false));
                }
                Some(Action::Save) => {
                    let how = match p.asking {
                        Asking::Value => Resolution::Value(p.text.clone()),
                        Asking::Reason => Resolution::Dismiss(p.text.clone()),
                    };
                    return self.resolve(how, store, today);
                }
                Some(Action::ClearText) => p.text.clear(),
                Some(Action::DeleteBack) => {
                    p.text.pop();
                }
                Some(Action::Help) => return ListOutcome::Help,
                Some(Action::Quit) => return ListOutcome::Quit,
                _ => {
                    if let KeyCode::Char(c) = key.code
                        && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                        && !c.is_control()
                        && p.text.chars().count() < 2000
                    {
                        p.text.push(c);
                    }
                }
            }
            return ListOutcome::None;
        }
        let field = self.current().map(|(_, c)| c.kind == "both_changed" && !c.field.is_empty());
        let only_field = "this change was held back whole — there is no field to choose; d dismisses it, saying why";
        let only_whole = "this is one field both sides changed — keep the server's (s), take the away value (a) or type a new one (e)";
        match action {
            Some(Action::Cancel) => return ListOutcome::Close,
            Some(Action::Quit) => return ListOutcome::Quit,
            Some(Action::Help) => return ListOutcome::Help,
            Some(Action::LogVisit) => {
                let Some((id, c)) = self.current().cloned() else { return ListOutcome::None };
                if let Some(no) = &self.refusal {
                    self.message = Some((no.clone(), true));
                    return ListOutcome::None;
                }
                let visit = (c.entity == "visits")
                    .then(|| store.conflict_change(id).ok().flatten())
                    .flatten()
                    .and_then(|ch| ch.get("after").cloned())
                    .and_then(|a| serde_json::from_value::<crate::domain::Visit>(a).ok());
                match visit {
                    Some(v) if c.field.is_empty() => return ListOutcome::Relog(Box::new(v)),
                    _ => {
                        self.message = Some((
                            "v logs a held-back visit again; this conflict is not a visit held back".into(),
                            true,
                        ))
                    }
                }
            }
            Some(Action::Down) => self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1)),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(a @ (Action::KeepServer | Action::TakeAway | Action::TypeValue | Action::Dismiss)) => {
                let Some(field) = field else {
                    self.message = Some(("no conflict is waiting".into(), false));
                    return ListOutcome::None;
                };
                if let Some(no) = &self.refusal {
                    self.message = Some((no.clone(), true));
                    return ListOutcome::None;
                }
                match (a, field) {
                    (Action::KeepServer, true) => return self.resolve(Resolution::KeepServer, store, today),
                    (Action::TakeAway, true) => return self.resolve(Resolution::TakeAway, store, today),
                    (Action::TypeValue, true) => {
                        let now = self.current().map(|(_, c)| c.server_value.clone()).unwrap_or_default();
                        self.prompt = Some(Prompt { asking: Asking::Value, text: now });
                    }
                    (Action::Dismiss, false) => {
                        self.prompt = Some(Prompt { asking: Asking::Reason, text: String::new() })
                    }
                    (Action::Dismiss, true) => self.message = Some((only_whole.into(), true)),
                    _ => self.message = Some((only_field.into(), true)),
                }
            }
            _ => {}
        }
        ListOutcome::None
    }

    /// Resolves the highlighted conflict; on success the prompt closes and the list reloads,
    /// on refusal what was typed is kept and the reason shown.
    fn resolve(&mut self, how: Resolution, store: &mut Store, today: NaiveDate) -> ListOutcome {
        let Some((id, c)) = self.current().cloned() else { return ListOutcome::None };
        match store.resolve_conflict_as(id, &how, today) {
            Ok(done) => {
                self.prompt = None;
                let what = if c.field.is_empty() {
                    record(&c.entity, c.entity_id)
                } else {
                    format!("{} {}", record(&c.entity, c.entity_id), c.field)
                };
                self.message = Some((format!("conflict {id} resolved — {what}: {done}"), false));
                if let Err(e) = self.reload(store) {
                    self.message = Some((e.to_string(), true));
                }
                ListOutcome::Saved
            }
            Err(e) => {
                self.message = Some((e.to_string(), true));
                if let Err(e) = self.reload(store) {
                    self.message = Some((e.to_string(), true));
                }
                ListOutcome::None
            }
        }
    }

    /// Whether `action` applies to the highlighted conflict (the footer offers only these, as
    /// the list's own bottom line does): a value for a field both sides changed, dismissing for
    /// a change held back whole, logging again for a held-back visit.
    pub fn offers(&self, action: Action) -> bool {
        let Some((_, c)) = self.current() else {
            return !matches!(
                action,
                Action::KeepServer | Action::TakeAway | Action::TypeValue | Action::Dismiss | Action::LogVisit
            );
        };
        let whole = c.field.is_empty();
        match action {
            Action::KeepServer | Action::TakeAway | Action::TypeValue => !whole,
            Action::Dismiss => whole,
            Action::LogVisit => whole && c.entity == "visits",
            _ => true,
        }
    }

    /// Draws the list over `area`: the conflicts, then the highlighted one in full.
    pub fn draw(&self, frame: &mut Frame<'_>, area: Rect, th: &Theme) {
        // The whole body: the screen behind is not what is being decided.
        let r = area;
        frame.render_widget(Clear, r);
        let block = Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(th.style(Role::BorderFocus))
            .title(Span::styled(format!(" Away conflicts to resolve ({}) ", self.rows.len()), th.style(Role::Title)))
            .title_bottom(Span::styled(
                match (&self.prompt, self.current()) {
                    (Some(_), _) => " Enter save · Esc cancel ",
                    (None, Some((_, c))) if c.field.is_empty() && c.entity == "visits" => {
                        " v log the visit again · d dismiss, saying why · j/k move · Esc close "
                    }
                    (None, Some((_, c))) if c.field.is_empty() => " d dismiss, saying why · j/k move · Esc close ",
                    _ => " s keep server's · a take away · e new value · j/k move · Esc close ",
                },
                th.style(Role::Muted),
            ));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let width = inner.width as usize;
        let detail = self.detail_lines(width, th);
        let list_h = (self.rows.len() as u16 + 1).clamp(2, inner.height.saturating_sub(detail.len() as u16 + 1).max(2));
        let [list, rest] = Layout::vertical([Constraint::Length(list_h), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(Paragraph::new(self.list_lines(width, list_h as usize, th)), list);
        frame.render_widget(Paragraph::new(detail), rest);
    }

    /// "contract #26 · Lindendale Primary School — Leadership": the record and what it is about.
    fn named(&self, id: i64, c: &Conflict) -> String {
        match self.subjects.get(&id) {
            Some(s) => format!("{} · {s}", record(&c.entity, c.entity_id)),
            None => record(&c.entity, c.entity_id),
        }
    }

    fn list_lines(&self, width: usize, height: usize, th: &Theme) -> Vec<Line<'static>> {
        let cut = |s: &str, n: usize| -> String {
            let s = clean(s);
            if s.chars().count() <= n {
                format!("{s:<n$}")
            } else {
                format!("{}…", s.chars().take(n.saturating_sub(1)).collect::<String>())
            }
        };
        // The record column takes what the field and kind columns leave: it names the school.
        let field_w = 16;
        let kind_w = 26.min(width.saturating_sub(6 + 20 + field_w + 3));
        let rec_w = width.saturating_sub(6 + field_w + kind_w + 3).max(12);
        let mut lines = vec![Line::from(Span::styled(
            cut(
                &format!("{:>4}  {}", "#", cut("Record", rec_w) + " " + &cut("Field", field_w) + " " + "Conflict"),
                width,
            ),
            th.style(Role::Header),
        ))];
        if self.rows.is_empty() {
            lines.push(Line::from(Span::styled(" none open — every away change is settled", th.style(Role::Ok))));
            return lines;
        }
        let shown = height.saturating_sub(1).max(1);
        let first = self.selected.saturating_sub(shown - 1);
        for (i, (id, c)) in self.rows.iter().enumerate().skip(first).take(shown) {
            let text = format!(
                "{id:>4}  {} {} {}",
                cut(&self.named(*id, c), rec_w),
                cut(if c.field.is_empty() { "(whole change)" } else { &c.field }, field_w),
                cut(kind_words(&c.kind), kind_w)
            );
            let style = if i == self.selected { th.style(Role::Selected) } else { th.style(Role::Text) };
            lines.push(Line::from(Span::styled(cut(&text, width), style)));
        }
        lines
    }

    fn detail_lines(&self, width: usize, th: &Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let Some((id, c)) = self.current() else {
            if let Some((m, err)) = &self.message {
                lines.push(Line::from(Span::styled(clean(m), th.style(if *err { Role::Danger } else { Role::Info }))));
            }
            return lines;
        };
        let label = |l: &str| Span::styled(format!("{l:<8}"), th.style(Role::Muted));
        let body = width.saturating_sub(8).max(10);
        // The heading wraps under itself: a school's name and focus can fill a narrow line.
        let head = format!("Conflict {id}: ");
        let about = format!(
            "{}{} — {}",
            self.named(*id, c),
            if c.field.is_empty() { String::new() } else { format!(" · {}", c.field) },
            kind_words(&c.kind)
        );
        for (i, part) in wrap(&clean(&about), width.saturating_sub(head.len()).max(10)).into_iter().enumerate() {
            lines.push(Line::from(vec![
                Span::styled(if i == 0 { head.clone() } else { " ".repeat(head.len()) }, th.style(Role::Title)),
                Span::styled(part, th.style(Role::Text)),
            ]));
        }
        let value = |v: &str| {
            if c.field.is_empty() {
                String::new()
            } else if v.is_empty() {
                "(blank) ".into()
            } else {
                format!("\"{}\" ", clean(v))
            }
        };
        let away = format!("{}by {} at {}", value(&c.away_value), clean(&c.away_by), when(&c.away_at));
        let here = if c.server_by.is_empty() {
            format!("{}(who and when not recorded)", value(&c.server_value))
        } else {
            format!("{}by {} at {}", value(&c.server_value), clean(&c.server_by), when(&c.server_at))
        };
        for (l, text, role) in [("Away", away, Role::Warn), ("Here", here, Role::Info)] {
            for (i, part) in wrap(&text, body).into_iter().enumerate() {
                lines.push(Line::from(vec![
                    if i == 0 { label(l) } else { label("") },
                    Span::styled(part, th.style(role)),
                ]));
            }
        }
        if let Some(rec) = self.away_records.get(id) {
            for (i, part) in wrap(&clean(rec), body).into_iter().enumerate() {
                lines.push(Line::from(vec![
                    if i == 0 { label("Record") } else { label("") },
                    Span::styled(part, th.style(Role::Warn)),
                ]));
            }
        }
        for (i, part) in wrap(&clean(&c.detail), body).into_iter().enumerate() {
            lines.push(Line::from(vec![
                if i == 0 { label("What") } else { label("") },
                Span::styled(part, th.style(Role::Muted)),
            ]));
        }
        if let Some(p) = &self.prompt {
            let ask = match p.asking {
                Asking::Value => format!("New {}: ", c.field),
                Asking::Reason => "Why dismiss it: ".to_string(),
            };
            lines.push(Line::from(vec![
                Span::styled(ask, th.style(Role::Title)),
                Span::styled(format!("{}▏", clean(&p.text)), th.style(Role::Accent)),
            ]));
        } else if let Some(no) = &self.refusal {
            lines.push(Line::from(Span::styled(clean(no), th.style(Role::Warn))));
        }
        if let Some((m, err)) = &self.message {
            for part in wrap(&clean(m), width.max(10)) {
                lines.push(Line::from(Span::styled(part, th.style(if *err { Role::Danger } else { Role::Info }))));
            }
        }
        lines
    }
}
