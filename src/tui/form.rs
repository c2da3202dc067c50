//! The form engine: fields, focus order, per-field parsing and messages, and drawing. Text is
//! edited with `ratatui-textarea` (one line or many); dates, days and money are parsed by the
//! domain's parsers as you type, with a preview or the reason shown next to the field.
//!
//! A form never loses what was typed: a refused save keeps every value, and the values are
//! serialised ([`Form::values`]) into the drafts table as the user types (see `forms`).

mod draft;
mod draw;
mod merge;

pub use draft::Saved;
pub use merge::{Base, Conflict};

use super::keymap::Action;
use super::table::{Column, ListState, TCell, TRow, TableModel, Target, clean};
use super::theme::{Role, Theme};
use crate::domain::money::{fmt_days, fmt_pence, parse_days, parse_pence};
use crate::domain::{fmt_date, parse_date};
use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use serde::{Deserialize, Serialize};

/// What kind of value a field holds.
#[derive(Debug, Clone)]
pub enum Kind {
    /// One line of text.
    Text,
    /// Several lines of text.
    Multi,
    /// A date in any accepted form.
    Date,
    /// An optional date (blank allowed).
    OptDate,
    /// Days, whole or half.
    Days,
    /// Money in pounds.
    Money,
    /// One of a fixed list.
    Choice(Vec<String>),
    /// Yes or no.
    Bool,
    /// A record chosen with a fuzzy picker.
    Pick(TableModel),
}

/// One field of a form.
#[derive(Debug, Clone)]
pub struct Field {
    /// Key used by validation messages and drafts.
    pub key: &'static str,
    /// Label shown to the left.
    pub label: &'static str,
    /// Kind.
    pub kind: Kind,
    /// Text being edited (also the picker's search text).
    pub text: TextArea<'static>,
    /// Choice index, or 0/1 for Bool.
    pub choice: usize,
    /// The picked record.
    pub picked: Option<Target>,
    /// The picked record's label.
    pub picked_label: String,
    /// Why the value is refused.
    pub error: Option<String>,
    /// A warning that does not stop the save.
    pub warning: Option<String>,
    /// Whether the field can be left empty.
    pub optional: bool,
    /// Fixed: shown but not editable.
    pub locked: bool,
    /// Picker list state.
    pub list: ListState,
    /// The picker's highlight was moved with ↑/↓ since the last choice: Enter or Tab takes it.
    pub browsing: bool,
    /// The text is a suggestion (a default, not a saved value): typing replaces it.
    pub suggested: bool,
    /// Someone else changed this field while the user changed it too (see [`Form::merge`]):
    /// the form is not saved until the user chooses theirs, hers, or types a new value.
    pub conflict: Option<Conflict>,
}

fn textarea(text: &str, multi: bool) -> TextArea<'static> {
    let lines: Vec<String> =
        if text.is_empty() { vec![String::new()] } else { text.lines().map(str::to_string).collect() };
    let mut t = TextArea::new(lines);
    if multi {
        t.set_wrap_mode(WrapMode::WordOrGlyph);
    }
    t.move_cursor(CursorMove::Bottom);
    t.move_cursor(CursorMove::End);
    t
}

impl Field {
    fn new(key: &'static str, label: &'static str, kind: Kind) -> Field {
        let multi = matches!(kind, Kind::Multi);
        Field {
            key,
            label,
            kind,
            text: textarea("", multi),
            choice: 0,
            picked: None,
            picked_label: String::new(),
            error: None,
            warning: None,
            optional: false,
            locked: false,
            list: ListState::default(),
            browsing: false,
            suggested: false,
            conflict: None,
        }
    }

    /// In a picker, takes the highlighted row when the user searched or moved to it — or, on
    /// Enter, when nothing is picked yet (Tab past an empty optional picker leaves it empty).
    /// Returns whether the choice changed.
    fn commit_pick(&mut self, enter: bool) -> bool {
        let Kind::Pick(model) = &self.kind else { return false };
        let wanted = !self.value().trim().is_empty() || self.browsing || (enter && self.picked.is_none());
        let Some((i, _)) = self.list.view.get(self.list.selected).filter(|_| wanted) else { return false };
        let row = &model.rows[*i];
        self.picked = Some(row.target);
        self.picked_label = row.cells.iter().map(TCell::plain).collect::<Vec<_>>().join(" ");
        self.text = textarea("", false);
        self.list.filter.clear();
        self.list.refresh(model);
        self.error = None;
        self.browsing = false;
        true
    }

    /// A one-line text field.
    pub fn text(key: &'static str, label: &'static str, value: &str) -> Field {
        let mut f = Field::new(key, label, Kind::Text);
        f.set_text(value);
        f
    }
    /// A multi-line text field.
    pub fn multi(key: &'static str, label: &'static str, value: &str) -> Field {
        let mut f = Field::new(key, label, Kind::Multi);
        f.set_text(value);
        f.optional = true;
        f
    }
    /// A date field with a starting value.
    pub fn date(key: &'static str, label: &'static str, value: Option<NaiveDate>) -> Field {
        let mut f = Field::new(key, label, Kind::Date);
        if let Some(d) = value {
            f.set_text(&d.format("%d/%m/%Y").to_string());
        }
        f
    }
    /// An optional date field.
    pub fn opt_date(key: &'static str, label: &'static str, value: Option<NaiveDate>) -> Field {
        let mut f = Field::date(key, label, value);
        f.kind = Kind::OptDate;
        f.optional = true;
        f
    }
    /// A days field.
    pub fn days(key: &'static str, label: &'static str, value: Option<f64>) -> Field {
        let mut f = Field::new(key, label, Kind::Days);
        if let Some(v) = value {
            f.set_text(&fmt_days(v));
        }
        f
    }
    /// A money field (pence in, pounds shown).
    pub fn money(key: &'static str, label: &'static str, pence: Option<i64>) -> Field {
        let mut f = Field::new(key, label, Kind::Money);
        if let Some(p) = pence {
            f.set_text(&fmt_pence(p).replace(',', ""));
        }
        f
    }
    /// A choice among `options`, starting at `current` (matched by text).
    pub fn choice(key: &'static str, label: &'static str, options: &[&str], current: &str) -> Field {
        let mut f = Field::new(key, label, Kind::Choice(options.iter().map(|s| s.to_string()).collect()));
        f.choice = options.iter().position(|o| *o == current).unwrap_or(0);
        f
    }
    /// A yes/no field.
    pub fn boolean(key: &'static str, label: &'static str, value: bool) -> Field {
        let mut f = Field::new(key, label, Kind::Bool);
        f.choice = usize::from(value);
        f
    }
    /// A fuzzy picker over `model`, optionally pre-filled.
    pub fn pick(key: &'static str, label: &'static str, model: TableModel, current: Option<Target>) -> Field {
        let label_of = |t: Target| {
            model
                .rows
                .iter()
                .find(|r| r.target == t)
                .map(|r| r.cells.iter().map(TCell::plain).collect::<Vec<_>>().join(" "))
        };
        let picked_label = current.and_then(label_of).unwrap_or_default();
        let mut f = Field::new(key, label, Kind::Pick(model));
        if let Some(t) = current.filter(|_| !picked_label.is_empty()) {
            f.picked = Some(t);
            f.picked_label = picked_label;
        }
        f
    }
    /// Marks the field optional.
    pub fn optional(mut self) -> Field {
        self.optional = true;
        self
    }
    /// Marks the value as a suggestion (a default, not a saved value): the first key typed
    /// replaces it rather than adding to it.
    pub fn suggested(mut self) -> Field {
        self.suggested = true;
        self
    }
    /// [`Field::suggested`] when `yes` (a new record's default; an edit's value is kept).
    pub fn suggested_if(self, yes: bool) -> Field {
        if yes { self.suggested() } else { self }
    }
    /// Marks the field read-only.
    pub fn locked(mut self) -> Field {
        self.locked = true;
        self
    }

    /// Replaces the text.
    pub fn set_text(&mut self, s: &str) {
        self.text = textarea(s, matches!(self.kind, Kind::Multi));
    }

    /// The text as typed (lines joined with newlines).
    pub fn value(&self) -> String {
        self.text.lines().join("\n")
    }

    /// The chosen option's text.
    pub fn chosen(&self) -> &str {
        match &self.kind {
            Kind::Choice(opts) => opts.get(self.choice).map_or("", String::as_str),
            _ => "",
        }
    }

    /// Whether this field takes one line of typing.
    fn single_line(&self) -> bool {
        !matches!(self.kind, Kind::Multi)
    }

    /// Parses a date field (error text on failure; `Ok(None)` when optional and blank).
    pub fn parse_date(&self, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
        let v = self.value();
        if v.trim().is_empty() && self.optional {
            return Ok(None);
        }
        parse_date(&v, today).map(Some).map_err(|e| e.to_string())
    }

    /// Re-checks the field as typed, setting `error` for values that cannot be read.
    pub fn check(&mut self, today: NaiveDate) {
        self.error = match &self.kind {
            Kind::Date | Kind::OptDate => self.parse_date(today).err(),
            Kind::Days => parse_days(&self.value()).err().map(|e| e.to_string()),
            Kind::Money => parse_pence(&self.value()).err().map(|e| e.to_string()),
            Kind::Text if !self.optional && self.value().trim().is_empty() => {
                Some(format!("{} is needed", self.label.to_lowercase()))
            }
            Kind::Pick(_) if !self.optional && self.picked.is_none() => {
                Some(format!("choose the {}", self.label.to_lowercase()))
            }
            _ => None,
        };
    }

    /// A preview next to a parsed field: the date in words, the amount as money.
    fn preview(&self, today: NaiveDate) -> Option<String> {
        match &self.kind {
            Kind::Date | Kind::OptDate => match self.parse_date(today) {
                Ok(Some(d)) => Some(format!("{} {}", weekday(d), fmt_date(d))),
                _ => None,
            },
            Kind::Money => parse_pence(&self.value()).ok().map(fmt_pence),
            _ => None,
        }
    }
}

fn weekday(d: NaiveDate) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d.weekday().num_days_from_monday() as usize]
}

/// What the form asks before going on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// "Discard your changes?"
    Discard,
    /// "Resume your draft from …?" with the saved values.
    Resume(String, String),
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing more to do.
    None,
    /// Values changed (save the draft).
    Changed,
    /// Ctrl-S: try to save.
    Save,
    /// Close the form (draft discarded).
    Close,
    /// Close but keep the draft (Ctrl-C / quit).
    Quit,
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    /// Title.
    pub title: String,
    /// The fields, in focus order.
    pub fields: Vec<Field>,
    /// Focused field.
    pub focus: usize,
    /// Whether anything was typed.
    pub dirty: bool,
    /// An open question.
    pub confirm: Option<Confirm>,
    /// A form-level message (why a save was refused, what changed).
    pub notice: Option<(String, bool)>,
    /// Extra lines under the notice (e.g. what another coordinator changed).
    pub notice_lines: Vec<String>,
    /// The injected clock.
    pub today: NaiveDate,
    /// Scroll offset (first field line shown).
    pub scroll: u16,
    /// A choice or yes/no changed since the form last looked (see [`Form::take_choice_changed`]).
    choice_changed: bool,
    /// What the form started from (see [`Base`]); `None` for a form that edits nothing.
    pub base: Option<Base>,
}

impl Form {
    /// A new form over `fields`.
    pub fn new(title: impl Into<String>, fields: Vec<Field>, today: NaiveDate) -> Form {
        let mut f = Form {
            title: title.into(),
            fields,
            focus: 0,
            dirty: false,
            confirm: None,
            notice: None,
            notice_lines: Vec::new(),
            today,
            scroll: 0,
            choice_changed: false,
            base: None,
        };
        // Start where there is something to fill in: past locked fields and pickers already
        // chosen from the selection (the visit's contract, the review's contract).
        f.focus = f
            .fields
            .iter()
            .position(|x| !(x.locked || matches!(x.kind, Kind::Pick(_)) && x.picked.is_some()))
            .or_else(|| f.fields.iter().position(|x| !x.locked))
            .unwrap_or(0);
        for field in &mut f.fields {
            if let Kind::Pick(m) = &field.kind {
                field.list.refresh(m);
            }
        }
        f
    }

    /// Whether a choice changed since the last call (forms update suggestions from it).
    pub fn take_choice_changed(&mut self) -> bool {
        std::mem::take(&mut self.choice_changed)
    }

    /// The field with `key`.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The field with `key`, mutably.
    pub fn field_mut(&mut self, key: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    fn move_focus(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        let mut i = self.focus as isize;
        for _ in 0..n {
            i = (i + delta).rem_euclid(n);
            if !self.fields[i as usize].locked {
                break;
            }
        }
        let today = self.today;
        if let Some(f) = self.fields.get_mut(self.focus)
            && (!f.value().is_empty() || matches!(f.kind, Kind::Pick(_)))
        {
            f.check(today);
        }
        self.focus = i as usize;
    }

    /// Inserts pasted text into the focused field (newlines become spaces in one-line fields).
    pub fn paste(&mut self, text: &str) -> Outcome {
        let Some(f) = self.fields.get_mut(self.focus) else { return Outcome::None };
        if f.locked || matches!(f.kind, Kind::Choice(_) | Kind::Bool) {
            return Outcome::None;
        }
        let text: String = if f.single_line() { text.replace(['\r', '\n'], " ") } else { text.replace('\r', "") };
        if std::mem::take(&mut f.suggested) && f.single_line() {
            f.text = textarea("", false);
        }
        f.text.insert_str(text);
        self.dirty = true;
        self.after_edit();
        self.clear_conflict(self.focus);
        Outcome::Changed
    }

    fn after_edit(&mut self) {
        let today = self.today;
        let Some(f) = self.fields.get_mut(self.focus) else { return };
        match &f.kind {
            Kind::Pick(m) => {
                f.list.filter = f.value();
                f.list.selected = 0;
                f.list.refresh(m);
                f.list.selected = 0;
            }
            Kind::Date | Kind::OptDate | Kind::Days | Kind::Money => {
                if f.error.is_some() {
                    f.check(today);
                }
            }
            _ => f.error = None,
        }
    }

    /// Handles one key; `action` is what the form layer's table (or, while a question is open,
    /// the confirm layer's) says it does. Keys with no action are typing. A field changed by
    /// both people (see [`Form::merge`]) is resolved first: Ctrl-T takes theirs, Ctrl-Y keeps
    /// hers, typing a new value replaces both, and Ctrl-S waits until none is left.
    pub fn handle_key(&mut self, key: KeyEvent, action: Option<Action>) -> Outcome {
        if self.confirm.is_none() {
            let in_conflict = self.fields.get(self.focus).is_some_and(|f| f.conflict.is_some());
            match action {
                Some(Action::TakeTheirs | Action::KeepMine) if !in_conflict => {
                    if self.conflicts() > 0 {
                        self.notice =
                            Some(("this field was not changed by both of you — Tab to a marked field".into(), true));
                    }
                    return Outcome::None;
                }
                Some(Action::TakeTheirs) => return self.resolve(true),
                Some(Action::KeepMine) => return self.resolve(false),
                Some(Action::Save) if self.conflicts() > 0 => {
                    let n = self.conflicts();
                    self.notice = Some((
                        format!(
                            "not saved — {n} field(s) were changed by both of you: on each, Ctrl-T takes theirs, Ctrl-Y keeps yours, or type a new value"
                        ),
                        true,
                    ));
                    if let Some(i) = self.fields.iter().position(|f| f.conflict.is_some()) {
                        self.focus = i;
                    }
                    return Outcome::None;
                }
                _ => {}
            }
        }
        let (focus, answering) = (self.focus, self.confirm.is_some());
        let out = self.handle_key_inner(key, action);
        if out == Outcome::Changed && !answering {
            self.clear_conflict(focus);
        }
        out
    }

    fn handle_key_inner(&mut self, key: KeyEvent, action: Option<Action>) -> Outcome {
        if let Some(c) = self.confirm.clone() {
            return match (c, action) {
                (_, Some(Action::QuitKeepDraft)) => Outcome::Quit,
                (Confirm::Discard, Some(Action::Yes)) => Outcome::Close,
                (Confirm::Resume(json, _), Some(Action::Yes | Action::Enter)) => {
                    self.confirm = None;
                    self.restore(&json);
                    self.notice = Some(("draft restored — Ctrl-S saves it".into(), false));
                    Outcome::Changed
                }
                (Confirm::Resume(..), Some(Action::No)) => {
                    self.confirm = None;
                    self.notice = Some(("starting afresh (the old draft is replaced as you type)".into(), false));
                    Outcome::None
                }
                (Confirm::Discard, Some(Action::No | Action::Cancel)) => {
                    self.confirm = None;
                    Outcome::None
                }
                _ => Outcome::None,
            };
        }
        match action {
            Some(Action::Save) => return Outcome::Save,
            Some(Action::QuitKeepDraft) => return Outcome::Quit,
            Some(Action::CloseForm) => {
                if self.dirty {
                    self.confirm = Some(Confirm::Discard);
                    return Outcome::None;
                }
                return Outcome::Close;
            }
            // Leaving a picker after searching or moving in it takes what is highlighted, as
            // Enter does: a search typed and then Tabbed past must not leave the old choice.
            Some(Action::NextField | Action::PrevField) => {
                let committed = self.fields.get_mut(self.focus).is_some_and(|f| !f.locked && f.commit_pick(false));
                if committed {
                    self.dirty = true;
                }
                self.move_focus(if action == Some(Action::NextField) { 1 } else { -1 });
                return if committed { Outcome::Changed } else { Outcome::None };
            }
            _ => {}
        }
        let Some(f) = self.fields.get_mut(self.focus) else { return Outcome::None };
        if f.locked {
            return Outcome::None;
        }
        let single = f.single_line();
        let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (&f.kind, action) {
            (Kind::Choice(opts), action) => {
                let n = opts.len().max(1);
                match (action, key.code) {
                    (Some(Action::ChoiceNext), _) => f.choice = (f.choice + 1) % n,
                    (Some(Action::ChoicePrev), _) => f.choice = (f.choice + n - 1) % n,
                    (Some(Action::Enter | Action::Down), _) => {
                        self.move_focus(1);
                        return Outcome::None;
                    }
                    (Some(Action::Up), _) => {
                        self.move_focus(-1);
                        return Outcome::None;
                    }
                    // Typing picks the next option starting with that letter.
                    (None, KeyCode::Char(c)) if plain => {
                        let c = c.to_ascii_lowercase();
                        let start = f.choice + 1;
                        if let Some(i) =
                            (0..n).map(|k| (start + k) % n).find(|&i| opts[i].to_ascii_lowercase().starts_with(c))
                        {
                            f.choice = i;
                        } else {
                            return Outcome::None;
                        }
                    }
                    _ => return Outcome::None,
                }
                self.dirty = true;
                self.after_choice();
                return Outcome::Changed;
            }
            (Kind::Bool, action) => {
                match (action, key.code) {
                    (Some(Action::ChoiceNext | Action::ChoicePrev), _) => f.choice = 1 - f.choice.min(1),
                    (None, KeyCode::Char('y' | 'Y')) => f.choice = 1,
                    (None, KeyCode::Char('n' | 'N')) => f.choice = 0,
                    (Some(Action::Enter | Action::Down), _) => {
                        self.move_focus(1);
                        return Outcome::None;
                    }
                    (Some(Action::Up), _) => {
                        self.move_focus(-1);
                        return Outcome::None;
                    }
                    _ => return Outcome::None,
                }
                self.dirty = true;
                self.after_choice();
                return Outcome::Changed;
            }
            (Kind::Pick(_), Some(Action::Down)) => {
                f.list.step(1);
                f.browsing = true;
                return Outcome::None;
            }
            (Kind::Pick(_), Some(Action::Up)) => {
                f.list.step(-1);
                f.browsing = true;
                return Outcome::None;
            }
            (Kind::Pick(_), Some(Action::Enter)) => {
                if f.commit_pick(true) {
                    self.dirty = true;
                }
                self.move_focus(1);
                return Outcome::Changed;
            }
            (_, Some(Action::Enter | Action::Down)) if single => {
                self.move_focus(1);
                return Outcome::None;
            }
            (_, Some(Action::Up)) if single => {
                self.move_focus(-1);
                return Outcome::None;
            }
            _ => {}
        }
        let Some(f) = self.fields.get_mut(self.focus) else { return Outcome::None };
        // Ctrl-U clears the field (as in shells); everything else goes to the editor.
        let changed = if action == Some(Action::ClearText) {
            f.text = textarea("", !f.single_line());
            f.suggested = false;
            true
        } else {
            // A suggested value (today's date, one day …) is replaced by what is typed, as
            // selected text is; moving the cursor first keeps it to edit.
            let typing = matches!(key.code, KeyCode::Char(_)) && plain;
            if f.suggested && typing && single {
                f.text = textarea("", false);
            }
            f.suggested = false;
            f.text.input(key)
        };
        if changed {
            self.dirty = true;
            self.after_edit();
            Outcome::Changed
        } else {
            Outcome::None
        }
    }

    /// Hook after a choice or yes/no changed: lets a form update suggestions that depend on it.
    fn after_choice(&mut self) {
        self.choice_changed = true;
    }

    /// Clears every message before a new save attempt.
    pub fn clear_messages(&mut self) {
        for f in &mut self.fields {
            // A conflict stays shown until it is resolved.
            f.error = f.conflict.as_ref().map(Conflict::message);
            f.warning = None;
        }
        self.notice = None;
        self.notice_lines.clear();
    }

    /// Focuses the first field with an error.
    pub fn focus_first_error(&mut self) {
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
        }
    }
}

/// A one-column picker model from `(target, label)` pairs.
pub fn picker(items: Vec<(Target, String)>) -> TableModel {
    TableModel::new(
        vec![Column { title: "", width: Constraint::Fill(1), min: 10, drop: 0 }],
        items
            .into_iter()
            .map(|(target, label)| TRow { target, cells: vec![TCell::text(label, Role::Text)], search: &[0] })
            .collect(),
    )
}
