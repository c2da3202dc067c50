//! App state and the one door for input: [`App::handle_key`] turns a key into an [`Action`]
//! through the keymap (or feeds an open overlay), and [`App::update`] applies it. Data is
//! reloaded here, never while drawing.

mod editing;
mod export;
mod offers;
mod palette;
mod refresh;

use super::data::Data;
use super::detail::{self, Doc};
use super::form::{Confirm, Outcome as FormOutcome};
use super::forms::{self, Context, FormKind, OpenForm};
use super::keymap::{self, Action, Layer, Screen};
use super::screens::{self, ScreenState, board};
use super::table::{Column, ListState, TCell, TRow, TableModel, Target, clean};
use super::theme::{ColorDepth, Role, Theme};
use crate::domain::money::fmt_days;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use palette::palette_model;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Constraint;
use std::time::{Duration, Instant};

/// What the palette does with a choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Go to a screen.
    Go(Screen),
    /// Open a record.
    Open(Target),
    /// Switch theme.
    Theme(String),
    /// Show help.
    Help,
    /// Quit.
    Quit,
    /// Write this month's board pack in a format (md or html) to the current folder.
    BoardPack(&'static str),
    /// Open a form.
    Form(FormKind),
    /// Who can help? for the selection's school.
    Who,
    /// The away conflicts list.
    Conflicts,
    /// Close, sign or export the agreement of the selected contract.
    Impact(super::impact_view::ImpactAction),
}

/// An overlay drawn above the screen, taking the keys while open.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// Nothing open.
    None,
    /// The help screen.
    Help {
        /// The first line shown.
        scroll: usize,
        /// How many lines fitted at the last draw (for paging and the last page).
        page: usize,
    },
    /// The palette.
    Palette {
        /// What has been typed.
        query: String,
        /// Its list state.
        list: ListState,
    },
    /// Who can help? (leaders ranked for a school, focus and days).
    Who(Box<super::who::Who>),
    /// The away conflicts list.
    Conflicts(Box<super::screens::conflicts::ConflictList>),
}

/// The whole state of the TUI.
pub struct App {
    store: Store,
    /// The injected clock.
    pub today: NaiveDate,
    /// The resolved theme.
    pub theme: Theme,
    /// Loaded data.
    pub data: Data,
    /// Current screen.
    pub screen: Screen,
    /// Each screen's own state (focused list; each list's selection, filter and sort), in
    /// [`Screen::ALL`] order: see [`App::state`].
    screens: Vec<ScreenState>,
    /// Whether the filter box is taking keys.
    pub filtering: bool,
    /// The open detail documents (Esc pops).
    pub details: Vec<Doc>,
    /// Open overlay.
    pub overlay: Overlay,
    /// Palette entries (records and actions), rebuilt with the data.
    pub palette: TableModel,
    /// What each palette row does (same order as `palette.rows`).
    palette_cmds: Vec<Command>,
    /// One-line message for the footer (text, is-error).
    pub message: Option<(String, bool)>,
    /// Set when the app should exit.
    pub quit: bool,
    /// Whether the file is read-only.
    pub read_only: bool,
    /// The open form, if any.
    pub form: Option<OpenForm>,
    /// When the open form's draft should next be written (debounced while typing).
    draft_due: Option<Instant>,
    /// Where the open form's latest values are mirrored for the signal watcher.
    mirror: Option<super::PendingDraft>,
    last_version: i64,
    last_poll: Instant,
    /// Reads other coordinators' changes on another thread (the running TUI only).
    reloader: Option<super::reload::Reloader>,
    /// Bumped by every reload made on this thread; a background result asked for under an
    /// older generation is dropped (it may predate the user's own save).
    reload_generation: u64,
    /// Another change arrived while a background reload was running.
    reload_again: bool,
    /// The file was replaced under the app (see [`super::lost_file`]): nothing more is saved,
    /// and the open form is kept in this file beside the database.
    pub replaced: Option<Option<std::path::PathBuf>>,
    /// Writes drafts on another thread (the running TUI only).
    drafts: Option<super::drafts::DraftWriter>,
}

impl Drop for App {
    /// Closes the reader thread's connection first, so the app's store closes last and folds
    /// every acknowledged change into the file (see [`Store::checkpoint`]).
    fn drop(&mut self) {
        self.reloader = None;
        // Queued drafts are written before the app's own connection closes.
        self.drafts = None;
    }
}

/// How long typing may pause before the draft is written.
pub const DRAFT_EVERY: Duration = Duration::from_millis(400);

/// How often the file is checked for other coordinators' changes.
pub const POLL_EVERY: Duration = Duration::from_millis(1000);

impl App {
    /// Builds the app over an open store.
    pub fn new(store: Store, today: NaiveDate, theme: Theme) -> Result<App, StoreError> {
        let data = Data::load(&store, today)?;
        let last_version = store.data_version()?;
        let read_only = store.is_read_only();
        let mut app = App {
            palette: TableModel::default(),
            palette_cmds: Vec::new(),
            store,
            today,
            theme,
            data,
            screen: Screen::Dashboard,
            screens: Screen::ALL.into_iter().map(ScreenState::new).collect(),
            filtering: false,
            details: Vec::new(),
            overlay: Overlay::None,
            message: None,
            quit: false,
            read_only,
            form: None,
            draft_due: None,
            mirror: None,
            last_version,
            last_poll: Instant::now(),
            reloader: None,
            reload_generation: 0,
            reload_again: false,
            replaced: None,
            drafts: None,
        };
        app.rebuild_views();
        Ok(app)
    }

    /// The store, for commands that write.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn rebuild_views(&mut self) {
        // The palette (every school, leader and contract) is built when it is opened.
        if matches!(self.overlay, Overlay::Palette { .. }) {
            (self.palette, self.palette_cmds) = palette_model(&self.data);
        } else {
            (self.palette, self.palette_cmds) = (TableModel::default(), Vec::new());
        }
        for screen in Screen::ALL {
            self.screens[screen.index()].refresh(screen, &self.data);
        }
        if let Overlay::Palette { list, .. } = &mut self.overlay {
            list.refresh(&self.palette);
        }
    }

    /// The state screen `s` owns.
    pub fn state(&self, s: Screen) -> &ScreenState {
        &self.screens[s.index()]
    }

    /// The state screen `s` owns, to change.
    pub fn state_mut(&mut self, s: Screen) -> &mut ScreenState {
        &mut self.screens[s.index()]
    }

    /// The data and screen `s`'s state together (a screen draws its models with its state).
    pub fn data_and_state(&mut self, s: Screen) -> (&Data, &mut ScreenState) {
        (&self.data, &mut self.screens[s.index()])
    }

    /// Screen `s`'s focused list (a list screen's only list).
    pub fn list(&self, s: Screen) -> &ListState {
        self.state(s).focused()
    }

    /// The focused list's state and how many rows its model has.
    pub fn focused_list(&self) -> (&ListState, usize) {
        let st = self.state(self.screen);
        (st.focused(), screens::model(self.screen, &self.data, st.focus).rows.len())
    }

    /// The table model behind a list screen (the Board's decisions; none for the dashboard).
    pub fn model_for(&self, s: Screen) -> Option<&TableModel> {
        (s != Screen::Dashboard).then(|| screens::model(s, &self.data, usize::MAX))
    }

    /// The model and state that list keys act on now.
    fn current(&mut self) -> (&TableModel, &mut ListState) {
        let st = &mut self.screens[self.screen.index()];
        let focus = st.focus.min(st.lists.len() - 1);
        (screens::model(self.screen, &self.data, focus), &mut st.lists[focus])
    }

    /// Reads screen `s` if it has not been read yet (screens other than the dashboard are read
    /// when first shown), and lays out its lists.
    fn show(&mut self, s: Screen) {
        if self.data.is_loaded(s) {
            return;
        }
        if let Err(e) = self.data.ensure(&self.store, s) {
            self.message = Some((format!("could not read the {} screen: {e}", s.title()), true));
            return;
        }
        self.screens[s.index()].refresh(s, &self.data);
    }

    /// The one door for terminal events.
    pub fn handle_event(&mut self, ev: &Event) {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(*k),
            Event::Paste(text) => {
                if let Some(of) = self.form.as_mut() {
                    let out = of.form.paste(text);
                    self.form_outcome(out);
                }
            }
            _ => {}
        }
    }

    /// The layer that takes the next key: the top-most open one.
    pub fn layer(&self) -> Layer {
        match (&self.overlay, &self.form) {
            (Overlay::Help { .. }, _) => Layer::Help,
            (_, Some(of)) if of.form.confirm.is_some() => Layer::Confirm,
            (_, Some(_)) => Layer::Form,
            (Overlay::Palette { .. }, None) => Layer::Palette,
            (Overlay::Who(_), None) => Layer::Who,
            (Overlay::Conflicts(c), None) if c.prompt.is_some() => Layer::Answer,
            (Overlay::Conflicts(_), None) => Layer::Conflicts,
            (Overlay::None, None) if self.filtering => Layer::Filter,
            (Overlay::None, None) => Layer::Normal,
        }
    }

    /// Handles one key: the top-most layer's table says what it does.
    pub fn handle_key(&mut self, key: KeyEvent) {
        let layer = self.layer();
        let action = keymap::lookup_in(layer, key);
        match layer {
            Layer::Help => self.help_key(action),
            Layer::Form | Layer::Confirm => {
                if action == Some(Action::Help) {
                    self.overlay = Overlay::Help { scroll: 0, page: 0 };
                    return;
                }
                let Some(of) = self.form.as_mut() else { return };
                let out = of.form.handle_key(key, action);
                forms::rank_leaders(of, &self.store, &self.data.snap);
                forms::follow_choices(of, &self.store);
                self.form_outcome(out);
            }
            Layer::Palette => self.palette_key(key, action),
            Layer::Who => self.who_key(key, action),
            Layer::Conflicts | Layer::Answer => self.conflicts_key(key, action),
            Layer::Filter => self.filter_key(key, action),
            Layer::Normal => {
                // `q` steps back out of a detail before it quits; Ctrl-C quits from anywhere, as
                // the help says (a detail is a view, with nothing to keep).
                let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
                if ctrl_c && action == Some(Action::Quit) {
                    self.quit = true;
                } else if let Some(a) = action {
                    self.update(a);
                }
            }
        }
    }

    fn help_key(&mut self, action: Option<Action>) {
        let Overlay::Help { scroll, page } = &mut self.overlay else { return };
        let last = keymap::help_lines().len().saturating_sub(*page);
        let step = (*page).max(1);
        match action {
            Some(Action::Down) => *scroll = (*scroll + 1).min(last),
            Some(Action::Up) => *scroll = scroll.saturating_sub(1),
            Some(Action::PageDown) => *scroll = (*scroll + step).min(last),
            Some(Action::PageUp) => *scroll = scroll.saturating_sub(step),
            Some(Action::Top) => *scroll = 0,
            Some(Action::Bottom) => *scroll = last,
            Some(Action::Back) => self.overlay = Overlay::None,
            Some(Action::Quit) => {
                self.overlay = Overlay::None;
                if self.form.is_some() {
                    self.form_outcome(FormOutcome::Quit);
                } else {
                    self.quit = true;
                }
            }
            _ => {}
        }
    }

    /// A printable character typed into a text box (no Ctrl or Alt).
    fn typed(key: KeyEvent) -> Option<char> {
        match key.code {
            KeyCode::Char(c)
                if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) && !c.is_control() =>
            {
                Some(c)
            }
            _ => None,
        }
    }

    fn filter_key(&mut self, key: KeyEvent, action: Option<Action>) {
        let (_, st) = self.current();
        let page = st.page.max(1) as isize;
        match action {
            Some(Action::Open) => {
                // The filter stays; the highlighted (best) match opens.
                self.filtering = false;
                self.update(Action::Open);
                return;
            }
            Some(Action::Cancel) => {
                st.filter.clear();
                self.filtering = false;
            }
            Some(Action::Down) => return st.step(1),
            Some(Action::Up) => return st.step(-1),
            Some(Action::PageDown) => return st.step(page),
            Some(Action::PageUp) => return st.step(-page),
            Some(Action::ClearText) => st.filter.clear(),
            Some(Action::DeleteBack) => {
                st.filter.pop();
            }
            Some(Action::Help) => return self.overlay = Overlay::Help { scroll: 0, page: 0 },
            Some(Action::Quit) => return self.quit = true,
            Some(_) => return,
            None => match Self::typed(key) {
                Some(c) if st.filter.chars().count() < 80 => st.filter.push(c),
                _ => return,
            },
        }
        let (m, st) = self.current();
        st.refilter_to_best(m);
    }

    fn refilter(&mut self) {
        let (m, st) = self.current();
        st.refilter(m);
    }

    fn who_key(&mut self, key: KeyEvent, action: Option<Action>) {
        use super::who::WhoOutcome;
        let Overlay::Who(who) = &mut self.overlay else { return };
        match who.key(key, action, &self.store, &self.data.snap) {
            WhoOutcome::None => {}
            WhoOutcome::Close => self.overlay = Overlay::None,
            WhoOutcome::Help => self.overlay = Overlay::Help { scroll: 0, page: 0 },
            WhoOutcome::Quit => self.quit = true,
            WhoOutcome::Start(school, leader, focus, days) => {
                self.overlay = Overlay::None;
                let ctx =
                    Context { school: Some(school), leader: Some(leader), focus: Some(focus), days, contract: None };
                self.open_form_with(FormKind::Contract(None), ctx);
            }
        }
    }

    fn conflicts_key(&mut self, key: KeyEvent, action: Option<Action>) {
        use super::screens::conflicts::ListOutcome;
        let Overlay::Conflicts(list) = &mut self.overlay else { return };
        match list.key(key, action, &mut self.store, self.today) {
            ListOutcome::None => {}
            ListOutcome::Close => self.overlay = Overlay::None,
            ListOutcome::Help => self.overlay = Overlay::Help { scroll: 0, page: 0 },
            ListOutcome::Quit => self.quit = true,
            // The record and the header's count changed: everyone's figures reload.
            ListOutcome::Saved => self.reload(),
            ListOutcome::Relog(v) => self.relog_visit(&v),
        }
    }

    /// Opens the visit form pre-filled with a visit held back from an away copy (its contract
    /// left for the coordinator to choose: the one it was on is closed here).
    fn relog_visit(&mut self, v: &crate::domain::Visit) {
        let ctx = super::forms::Context { leader: Some(v.leader_id), ..Default::default() };
        self.overlay = Overlay::None;
        self.open_form_with(FormKind::Visit, ctx);
        let Some(of) = self.form.as_mut().filter(|of| of.kind == FormKind::Visit) else { return };
        let days = crate::domain::money::fmt_days(v.days);
        for (key, text) in [
            ("visited_on", v.visited_on.format("%Y-%m-%d").to_string()),
            ("days", days),
            ("notes", v.notes.clone()),
            ("next_steps", v.next_steps.clone()),
        ] {
            if let Some(f) = of.form.field_mut(key) {
                f.set_text(&text);
                f.suggested = false;
            }
        }
        if let Some(f) = of.form.field_mut("activity")
            && let super::form::Kind::Choice(opts) = &f.kind
            && let Some(i) = opts.iter().position(|o| o == v.activity.as_str())
        {
            f.choice = i;
        }
        of.form.dirty = true;
        self.message = Some((
            format!(
                "the away visit of {} is in the form — choose a live contract and save, then C and d dismiss its conflict",
                crate::domain::fmt_date(v.visited_on)
            ),
            false,
        ));
    }

    /// Opens the list of conflicts away copies left (any screen; the footer shows how many).
    pub fn open_conflicts(&mut self) {
        match super::screens::conflicts::ConflictList::open(&self.store) {
            Ok(list) => self.overlay = Overlay::Conflicts(Box::new(list)),
            Err(e) => self.message = Some((e.to_string(), true)),
        }
    }

    /// Opens "who can help?" for the school of the selection (a school, or a contract's school
    /// with its focus and days still owed); with none, the view asks for a school.
    pub fn who_can_help(&mut self) {
        let (school, focus, days) = match self.selection() {
            Target::School(id) => (Some(id), String::new(), None),
            Target::Contract(id) => match self.data.snap.contracts.iter().find(|p| p.contract.id == id) {
                Some(p) => (Some(p.contract.school_id), p.contract.focus.clone(), None),
                None => (None, String::new(), None),
            },
            _ => (None, String::new(), None),
        };
        let who = super::who::Who::open(&self.store, &self.data.snap, school, &focus, days);
        self.overlay = Overlay::Who(Box::new(who));
    }

    fn open(&mut self, t: Target) {
        match detail::load(&self.store, &self.data.snap, t) {
            Ok(Some(doc)) => self.details.push(doc),
            Ok(None) => {}
            Err(e) => self.message = Some((super::words::store_error(&e), true)),
        }
    }

    /// The record the user is looking at: the open detail, else the selected row.
    pub(super) fn selection(&self) -> Target {
        if let Some(d) = self.details.last() {
            return d.target;
        }
        let st = &self.screens[self.screen.index()];
        let focus = st.focus.min(st.lists.len() - 1);
        st.lists[focus].selected_target(screens::model(self.screen, &self.data, focus)).unwrap_or(Target::None)
    }

    pub(super) fn selected_decision(&self) -> Option<i64> {
        let board = self.state(Screen::Board);
        if board.focus != board::DECISIONS {
            return None;
        }
        let st = &board.lists[board::DECISIONS];
        st.view.get(st.selected).and_then(|(i, _)| self.data.decision_ids.get(*i)).copied()
    }

    fn toggle_done(&mut self) {
        if self.screen != Screen::Board || self.read_only {
            return;
        }
        if self.state(Screen::Board).focus != board::DECISIONS {
            self.message = Some(("Tab to the decisions to mark one done".into(), true));
            return;
        }
        let Some(id) = self.selected_decision() else { return };
        let Ok(mut d) = self.store.get::<crate::domain::Decision>(id) else { return };
        d.done = !d.done;
        match self.store.save_decision(&d) {
            Ok(id) => {
                self.message = Some((format!("decision #{id} marked {}", if d.done { "done" } else { "open" }), false));
                self.reload();
            }
            Err(e) => self.message = Some((super::words::store_error(&e), true)),
        }
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Filter | Action::Palette) {
            self.message = None;
        }
        if let Some(doc) = self.details.last_mut() {
            let page = 10;
            match action {
                Action::Down => return doc.scroll = (doc.scroll + 1).min(doc.lines.len().saturating_sub(1)),
                Action::Up => return doc.scroll = doc.scroll.saturating_sub(1),
                Action::PageDown => return doc.scroll = (doc.scroll + page).min(doc.lines.len().saturating_sub(1)),
                Action::PageUp => return doc.scroll = doc.scroll.saturating_sub(page),
                Action::Top => return doc.scroll = 0,
                Action::Bottom => return doc.scroll = doc.lines.len().saturating_sub(1),
                Action::Back | Action::Quit => {
                    self.details.pop();
                    return;
                }
                Action::Open | Action::Filter | Action::SortNext | Action::SortReverse | Action::ToggleDone => return,
                _ => {}
            }
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Go(s) => {
                self.details.clear();
                self.filtering = false;
                self.screen = s;
                self.show(s);
            }
            Action::NextPane | Action::PrevPane => {
                self.filtering = false;
                let screen = self.screen;
                self.state_mut(screen).cycle(action == Action::NextPane);
            }
            Action::Down => self.current().1.step(1),
            Action::Up => self.current().1.step(-1),
            Action::Top => self.current().1.jump(false),
            Action::Bottom => self.current().1.jump(true),
            Action::PageDown => {
                let st = self.current().1;
                let p = st.page.max(1) as isize;
                st.step(p);
            }
            Action::PageUp => {
                let st = self.current().1;
                let p = st.page.max(1) as isize;
                st.step(-p);
            }
            Action::Open => {
                let (m, st) = self.current();
                if let Some(t) = st.selected_target(m) {
                    self.open(t);
                }
            }
            Action::Back => {
                let st = self.current().1;
                if !st.filter.is_empty() {
                    st.filter.clear();
                    self.refilter();
                }
            }
            Action::Filter => self.filtering = true,
            Action::Palette => {
                if self.palette.rows.is_empty() {
                    (self.palette, self.palette_cmds) = palette_model(&self.data);
                }
                let mut list = ListState::default();
                list.refresh(&self.palette);
                self.overlay = Overlay::Palette { query: String::new(), list };
            }
            Action::Help => self.overlay = Overlay::Help { scroll: 0, page: 0 },
            Action::SortNext => {
                let (m, st) = self.current();
                let n = m.columns.len();
                st.next_sort(n);
                self.refilter();
                let label = {
                    let (m, st) = self.current();
                    match st.sort {
                        Some((c, _)) => format!("sorted by {}", m.columns.get(c).map_or("", |c| c.title)),
                        None => "natural order".to_string(),
                    }
                };
                self.message = Some((label, false));
            }
            Action::SortReverse => {
                let (_, st) = self.current();
                st.sort = Some(match st.sort {
                    Some((c, rev)) => (c, !rev),
                    None => (0, true),
                });
                self.refilter();
            }
            Action::NextTheme => {
                let names = Theme::available();
                let i = names.iter().position(|n| *n == self.theme.name).map_or(0, |i| (i + 1) % names.len());
                let next = names[i].clone();
                self.set_theme(&next);
            }
            Action::Refresh => {
                self.reload();
                self.message = Some(("reloaded".into(), false));
            }
            Action::LogVisit | Action::Review | Action::Meeting | Action::New => {
                if let Some(kind) = self.form_for(action) {
                    self.open_form(kind);
                }
            }
            Action::Edit => match self.form_for(action) {
                Some(kind) => self.open_form(kind),
                None => {
                    self.message =
                        Some(("select a contract, school, leader, decision or funding stream to edit".into(), true))
                }
            },
            Action::Inspection => match self.form_for(action) {
                Some(kind) => self.open_form(kind),
                None => self.message = Some(("select a school first (screen 4)".into(), true)),
            },
            Action::ToggleDone => self.toggle_done(),
            Action::ExportCsv => self.export_csv(),
            Action::WhoCanHelp => self.who_can_help(),
            Action::Conflicts => self.open_conflicts(),
            // The other layers' actions never reach normal mode.
            _ => {}
        }
    }
}
