//! The one keymap table. Dispatch, the footer hint line and the `?` overlay are all generated
//! from [`BINDINGS`], so what the help says is what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The screens, in the order of their number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// 1: contracts, capacity, school status, alerts.
    Dashboard,
    /// 2: every contract.
    Contracts,
    /// 3: system leaders.
    Leaders,
    /// 4: schools.
    Schools,
    /// 5: visits this academic year.
    Visits,
    /// 6: board meetings and decisions.
    Board,
    /// 7: programme impact, this year and last.
    Impact,
}

impl Screen {
    /// Every screen in number order.
    pub const ALL: [Screen; 7] = [
        Screen::Dashboard,
        Screen::Contracts,
        Screen::Leaders,
        Screen::Schools,
        Screen::Visits,
        Screen::Board,
        Screen::Impact,
    ];

    /// The tab title.
    pub fn title(self) -> &'static str {
        match self {
            Screen::Dashboard => "Dashboard",
            Screen::Contracts => "Contracts",
            Screen::Leaders => "Leaders",
            Screen::Schools => "Schools",
            Screen::Visits => "Visits",
            Screen::Board => "Board",
            Screen::Impact => "Impact",
        }
    }

    /// The lower-case name used by `alliance render SCREEN`.
    pub fn slug(self) -> &'static str {
        match self {
            Screen::Dashboard => "dashboard",
            Screen::Contracts => "contracts",
            Screen::Leaders => "leaders",
            Screen::Schools => "schools",
            Screen::Visits => "visits",
            Screen::Board => "board",
            Screen::Impact => "impact",
        }
    }

    /// Parses a screen name (as `render` takes it).
    pub fn parse(s: &str) -> Option<Screen> {
        Screen::ALL.into_iter().find(|x| x.slug().eq_ignore_ascii_case(s.trim()))
    }

    /// Its index, 0-based.
    pub fn index(self) -> usize {
        Screen::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Everything a key can ask for, in any layer ([`Layer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave the app.
    Quit,
    /// Go to a screen.
    Go(Screen),
    /// Next pane (dashboard).
    NextPane,
    /// Previous pane.
    PrevPane,
    /// Selection up one row (in a form: the previous field, or up a picker's list).
    Up,
    /// Selection down one row (in a form: the next field, or down a picker's list).
    Down,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// One page up.
    PageUp,
    /// One page down.
    PageDown,
    /// Open the selected record's detail (in the filter and palette: the highlighted match).
    Open,
    /// Close the detail or overlay; clear the filter.
    Back,
    /// Start typing a fuzzy filter.
    Filter,
    /// The palette over records and actions.
    Palette,
    /// The help overlay.
    Help,
    /// Sort by the next column.
    SortNext,
    /// Reverse the sort.
    SortReverse,
    /// Switch to the next theme.
    NextTheme,
    /// Reload from the file now.
    Refresh,
    /// Log a visit (from anywhere; pre-filled from the selection).
    LogVisit,
    /// Record a progress review.
    Review,
    /// New record: a contract, or on the Board screen a decision.
    New,
    /// Edit the selected contract, school, leader or decision.
    Edit,
    /// Add an inspection to the selected school.
    Inspection,
    /// Record a board meeting.
    Meeting,
    /// Mark the selected decision done (or not done).
    ToggleDone,
    /// Export the list as shown (filtered, sorted) to a CSV file.
    ExportCsv,
    /// Who can help? The ranking of leaders for the selected school or contract.
    WhoCanHelp,
    /// Leave a text box (filter: clear it; palette: close it).
    Cancel,
    /// Clear what was typed in the box or field.
    ClearText,
    /// Delete the character before the cursor.
    DeleteBack,
    /// Form: save.
    Save,
    /// Form: next field (a picker takes its highlighted row first).
    NextField,
    /// Form: previous field.
    PrevField,
    /// Form: Enter — next field; a picker takes its highlighted row.
    Enter,
    /// Form: next option of a choice, or toggle yes/no.
    ChoiceNext,
    /// Form: previous option of a choice, or toggle yes/no.
    ChoicePrev,
    /// Form: close (asks first when something was typed).
    CloseForm,
    /// Form: quit the app, keeping the form as a draft.
    QuitKeepDraft,
    /// Form: a field both people changed takes the other person's value.
    TakeTheirs,
    /// Form: a field both people changed keeps the value typed here.
    KeepMine,
    /// The list of conflicts away copies left, to resolve.
    Conflicts,
    /// Conflict list: a field both sides changed keeps the server's value.
    KeepServer,
    /// Conflict list: a field both sides changed takes the away copy's value.
    TakeAway,
    /// Conflict list: type a new value for a field both sides changed.
    TypeValue,
    /// Conflict list: dismiss a held-back change, with a reason.
    Dismiss,
    /// A question: yes.
    Yes,
    /// A question: no.
    No,
}

/// The modes that take keys, each with its own table. The top-most open one takes a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Screens, lists and details.
    Normal,
    /// Typing a `/` filter.
    Filter,
    /// The `:` palette.
    Palette,
    /// An open form.
    Form,
    /// A question a form asks (discard? resume the draft?).
    Confirm,
    /// The `?` overlay.
    Help,
    /// The "who can help?" view.
    Who,
    /// The list of away conflicts (C).
    Conflicts,
    /// Typing a value or a reason in the conflict list.
    Answer,
}

impl Layer {
    /// Every layer, in the order the help lists them.
    pub const ALL: [Layer; 9] = [
        Layer::Normal,
        Layer::Filter,
        Layer::Palette,
        Layer::Who,
        Layer::Conflicts,
        Layer::Answer,
        Layer::Form,
        Layer::Confirm,
        Layer::Help,
    ];

    /// The layer's table.
    pub fn bindings(self) -> &'static [Binding] {
        match self {
            Layer::Normal => BINDINGS,
            Layer::Filter => FILTER,
            Layer::Palette => PALETTE,
            Layer::Form => FORM,
            Layer::Confirm => CONFIRM,
            Layer::Help => HELP,
            Layer::Who => WHO,
            Layer::Conflicts => CONFLICTS,
            Layer::Answer => ANSWER,
        }
    }

    /// The heading the help gives the layer (normal mode has its own sections).
    pub fn title(self) -> &'static str {
        match self {
            Layer::Normal => "Screens and lists",
            Layer::Filter => "In the / filter",
            Layer::Palette => "In the : palette",
            Layer::Form => "In a form",
            Layer::Confirm => "When a form asks",
            Layer::Help => "In this help",
            Layer::Who => "In who can help? (w)",
            Layer::Conflicts => "In the away conflicts list (C)",
            Layer::Answer => "Typing a value or reason for a conflict",
        }
    }
}

/// Which group a binding is listed under in the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Moving between screens and panes.
    Navigate,
    /// Moving within a list.
    Move,
    /// Finding things.
    Find,
    /// Recording things.
    Record,
    /// Everything else.
    General,
}

impl Section {
    /// The heading in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Section::Navigate => "Screens",
            Section::Move => "Lists",
            Section::Find => "Find",
            Section::Record => "Record (forms: Ctrl-S saves, Tab moves, Esc closes)",
            Section::General => "General",
        }
    }
}

/// One row of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The keys that trigger it.
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in hints and help.
    pub label: &'static str,
    /// What it does, for the help overlay.
    pub help: &'static str,
    /// A short word for the footer hint line (empty: not in the footer).
    pub hint: &'static str,
    /// The action.
    pub action: Action,
    /// Help section.
    pub section: Section,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

macro_rules! b {
    ($keys:expr, $label:literal, $help:literal, $hint:literal, $action:expr, $section:ident) => {
        Binding { keys: $keys, label: $label, help: $help, hint: $hint, action: $action, section: Section::$section }
    };
}

mod layers;

pub use layers::{ANSWER, CONFIRM, CONFLICTS, FILTER, FORM, HELP, PALETTE, WHO};

/// The keymap (DESIGN §6). First match wins.
pub const BINDINGS: &[Binding] = &[
    b!(&[(KeyCode::Char('1'), NONE)], "1", "Dashboard", "", Action::Go(Screen::Dashboard), Navigate),
    b!(&[(KeyCode::Char('2'), NONE)], "2", "Contracts", "", Action::Go(Screen::Contracts), Navigate),
    b!(&[(KeyCode::Char('3'), NONE)], "3", "Leaders", "", Action::Go(Screen::Leaders), Navigate),
    b!(&[(KeyCode::Char('4'), NONE)], "4", "Schools", "", Action::Go(Screen::Schools), Navigate),
    b!(&[(KeyCode::Char('5'), NONE)], "5", "Visits", "", Action::Go(Screen::Visits), Navigate),
    b!(&[(KeyCode::Char('6'), NONE)], "6", "Board", "", Action::Go(Screen::Board), Navigate),
    b!(&[(KeyCode::Char('7'), NONE)], "7", "Impact", "", Action::Go(Screen::Impact), Navigate),
    b!(&[(KeyCode::Tab, NONE)], "Tab", "next pane", "pane", Action::NextPane, Navigate),
    b!(
        &[(KeyCode::BackTab, SHIFT), (KeyCode::BackTab, NONE)],
        "S-Tab",
        "previous pane",
        "",
        Action::PrevPane,
        Navigate
    ),
    b!(
        &[(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)],
        "j/↓",
        "down (in a detail: scroll)",
        "scroll",
        Action::Down,
        Move
    ),
    b!(&[(KeyCode::Char('k'), NONE), (KeyCode::Up, NONE)], "k/↑", "up", "", Action::Up, Move),
    b!(&[(KeyCode::Char('g'), NONE), (KeyCode::Home, NONE)], "g", "first row", "", Action::Top, Move),
    b!(
        &[(KeyCode::Char('G'), SHIFT), (KeyCode::Char('G'), NONE), (KeyCode::End, NONE)],
        "G",
        "last row",
        "",
        Action::Bottom,
        Move
    ),
    b!(&[(KeyCode::PageUp, NONE), (KeyCode::Char('b'), CTRL)], "PgUp", "page up", "", Action::PageUp, Move),
    b!(&[(KeyCode::PageDown, NONE), (KeyCode::Char('f'), CTRL)], "PgDn", "page down", "", Action::PageDown, Move),
    b!(&[(KeyCode::Enter, NONE)], "Enter", "open the selected record", "open", Action::Open, Move),
    b!(&[(KeyCode::Esc, NONE), (KeyCode::Backspace, NONE)], "Esc", "back / clear filter", "back", Action::Back, Move),
    b!(&[(KeyCode::Char('s'), NONE)], "s", "sort by next column", "sort", Action::SortNext, Move),
    b!(&[(KeyCode::Char('S'), SHIFT), (KeyCode::Char('S'), NONE)], "S", "reverse sort", "", Action::SortReverse, Move),
    b!(&[(KeyCode::Char('/'), NONE)], "/", "fuzzy filter this list", "filter", Action::Filter, Find),
    b!(
        &[(KeyCode::Char(':'), NONE), (KeyCode::Char('p'), CTRL)],
        ":",
        "palette: records and actions (also Ctrl-P)",
        "palette",
        Action::Palette,
        Find
    ),
    b!(
        &[(KeyCode::Char('w'), NONE)],
        "w",
        "who can help? leaders ranked for the selected school or contract",
        "who can help",
        Action::WhoCanHelp,
        Find
    ),
    b!(
        &[(KeyCode::Char('v'), NONE)],
        "v",
        "log a visit (pre-filled from the selection)",
        "visit",
        Action::LogVisit,
        Record
    ),
    b!(&[(KeyCode::Char('r'), NONE)], "r", "record a progress review", "review", Action::Review, Record),
    b!(
        &[(KeyCode::Char('n'), NONE)],
        "n",
        "new: contract · leader (3) · school (4) · decision (6)",
        "new",
        Action::New,
        Record
    ),
    b!(
        &[(KeyCode::Char('e'), NONE)],
        "e",
        "edit the selected record (also decisions, streams)",
        "edit",
        Action::Edit,
        Record
    ),
    b!(
        &[(KeyCode::Char('i'), NONE)],
        "i",
        "add an inspection to the selected school",
        "inspection",
        Action::Inspection,
        Record
    ),
    b!(&[(KeyCode::Char('m'), NONE)], "m", "record a board meeting", "meeting", Action::Meeting, Record),
    b!(
        &[(KeyCode::Char('d'), NONE)],
        "d",
        "mark the selected decision done / not done",
        "done",
        Action::ToggleDone,
        Record
    ),
    b!(
        &[(KeyCode::Char('?'), NONE), (KeyCode::Char('?'), SHIFT), (KeyCode::F(1), NONE)],
        "?",
        "this help",
        "help",
        Action::Help,
        General
    ),
    b!(
        &[(KeyCode::Char('C'), SHIFT), (KeyCode::Char('C'), NONE)],
        "C",
        "away conflicts to resolve (coordinators and admins)",
        "",
        Action::Conflicts,
        Find
    ),
    b!(&[(KeyCode::Char('t'), NONE)], "t", "next theme", "", Action::NextTheme, General),
    b!(
        &[(KeyCode::Char('x'), NONE)],
        "x",
        "export this list as shown to CSV (in the current folder)",
        "",
        Action::ExportCsv,
        General
    ),
    b!(
        &[(KeyCode::Char('R'), SHIFT), (KeyCode::Char('R'), NONE), (KeyCode::F(5), NONE)],
        "R",
        "reload from the file now",
        "",
        Action::Refresh,
        General
    ),
    b!(
        &[(KeyCode::Char('q'), NONE), (KeyCode::Char('c'), CTRL)],
        "q",
        "back, or quit from a screen (Ctrl-C quits)",
        "quit",
        Action::Quit,
        General
    ),
];

/// The action bound to a key in normal mode, if any.
pub fn lookup(key: KeyEvent) -> Option<Action> {
    lookup_in(Layer::Normal, key)
}

/// The action `key` has in `layer`, if any (typed characters in the text layers have none:
/// they are text).
pub fn lookup_in(layer: Layer, key: KeyEvent) -> Option<Action> {
    let mods = key.modifiers & (KeyModifiers::SHIFT | KeyModifiers::CONTROL | KeyModifiers::ALT);
    layer.bindings().iter().find(|b| b.keys.iter().any(|(code, m)| *code == key.code && *m == mods)).map(|b| b.action)
}

/// One line of the `?` overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpLine {
    /// A section heading.
    Heading(&'static str),
    /// A binding: its label and what it does.
    Key(&'static str, &'static str),
    /// The closing line, naming the theme and its colour depth (filled in when drawn).
    Theme,
}

/// The `?` overlay's lines, in order: normal mode's bindings under their sections, then every
/// other layer's table under its own heading.
pub fn help_lines() -> Vec<HelpLine> {
    let mut lines = Vec::new();
    for section in [Section::Navigate, Section::Move, Section::Find, Section::Record, Section::General] {
        lines.push(HelpLine::Heading(section.title()));
        lines.extend(BINDINGS.iter().filter(|b| b.section == section).map(|b| HelpLine::Key(b.label, b.help)));
    }
    for layer in Layer::ALL.into_iter().skip(1) {
        lines.push(HelpLine::Heading(layer.title()));
        lines.extend(layer.bindings().iter().map(|b| HelpLine::Key(b.label, b.help)));
    }
    lines.push(HelpLine::Theme);
    lines
}

/// How to resolve a field both people changed, from the form layer's table: the footer puts
/// these first while the open form has such a field.
pub fn conflict_hints() -> Vec<(&'static str, &'static str)> {
    [Action::TakeTheirs, Action::KeepMine]
        .iter()
        .filter_map(|a| FORM.iter().find(|b| b.action == *a))
        .map(|b| (b.label, b.hint))
        .collect()
}

/// What the footer offers, most useful first, for `layer` on `screen` (`detail`: a record's
/// detail is open; `offered`: whether this person can use an action here). `? help` (F1 where `?` is text) is always last, and the footer always
/// keeps it.
pub fn footer_hints(
    layer: Layer,
    screen: Screen,
    detail: bool,
    offered: &dyn Fn(Action) -> bool,
) -> Vec<(&'static str, &'static str)> {
    use Action as A;
    let order: &[Action] = match (layer, screen) {
        (Layer::Normal, _) if detail => &[A::Down, A::Back, A::LogVisit, A::Review, A::WhoCanHelp, A::Edit, A::Palette],
        (Layer::Normal, Screen::Dashboard) => {
            &[A::Open, A::NextPane, A::Filter, A::Palette, A::LogVisit, A::Review, A::Quit]
        }
        (Layer::Normal, Screen::Contracts) => {
            &[A::Open, A::Filter, A::LogVisit, A::Review, A::WhoCanHelp, A::New, A::Edit, A::SortNext, A::Quit]
        }
        (Layer::Normal, Screen::Leaders) => &[A::Open, A::Filter, A::SortNext, A::New, A::Edit, A::Palette, A::Quit],
        (Layer::Normal, Screen::Schools) => {
            &[A::Open, A::Filter, A::WhoCanHelp, A::Inspection, A::Edit, A::New, A::SortNext, A::Quit]
        }
        (Layer::Normal, Screen::Visits) => &[A::Open, A::Filter, A::Edit, A::LogVisit, A::SortNext, A::Quit],
        (Layer::Normal, Screen::Impact) => &[A::Open, A::Filter, A::SortNext, A::Palette, A::Quit],
        (Layer::Normal, Screen::Board) => &[A::NextPane, A::Open, A::New, A::Meeting, A::ToggleDone, A::Edit, A::Quit],
        (Layer::Filter | Layer::Palette, _) => &[A::Open, A::Down, A::Cancel],
        (Layer::Form, _) => &[A::Save, A::NextField, A::ChoiceNext, A::CloseForm],
        (Layer::Confirm, _) => &[A::Yes, A::No],
        (Layer::Help, _) => &[A::Back],
        (Layer::Who, _) => &[A::Open, A::NextField, A::Down, A::Cancel],
        (Layer::Conflicts, _) => {
            &[A::KeepServer, A::TakeAway, A::TypeValue, A::Dismiss, A::LogVisit, A::Down, A::Cancel]
        }
        (Layer::Answer, _) => &[A::Save, A::Cancel],
    };
    let table = layer.bindings();
    let mut v: Vec<(&'static str, &'static str)> = order
        .iter()
        .filter(|a| offered(**a))
        .filter_map(|a| table.iter().find(|b| b.action == *a && !b.hint.is_empty()))
        .map(|b| (b.label, b.hint))
        .collect();
    if layer == Layer::Normal && !detail {
        v.insert(1.min(v.len()), ("1-7", "screens"));
    }
    if let Some(h) = table.iter().find(|b| b.action == A::Help) {
        v.push((if layer == Layer::Normal { "?" } else { h.label }, "help"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn table_drives_lookup() {
        assert_eq!(lookup(key(KeyCode::Char('3'), NONE)), Some(Action::Go(Screen::Leaders)));
        assert_eq!(lookup(key(KeyCode::Char('c'), CTRL)), Some(Action::Quit));
        assert_eq!(lookup(key(KeyCode::Char('p'), CTRL)), Some(Action::Palette));
        assert_eq!(lookup(key(KeyCode::Char('G'), SHIFT)), Some(Action::Bottom));
        assert_eq!(lookup(key(KeyCode::Char('x'), NONE)), Some(Action::ExportCsv));
        assert_eq!(lookup(key(KeyCode::Char('z'), NONE)), None);
        assert_eq!(lookup_in(Layer::Palette, key(KeyCode::Char('n'), CTRL)), Some(Action::Down));
        assert_eq!(lookup_in(Layer::Form, key(KeyCode::Char('q'), CTRL)), Some(Action::CloseForm));
        assert_eq!(lookup_in(Layer::Form, key(KeyCode::Char('t'), CTRL)), Some(Action::TakeTheirs));
        assert_eq!(lookup_in(Layer::Form, key(KeyCode::Char('y'), CTRL)), Some(Action::KeepMine));
        assert_eq!(conflict_hints(), vec![("Ctrl-T", "theirs"), ("Ctrl-Y", "mine")]);
        assert_eq!(lookup_in(Layer::Filter, key(KeyCode::Char('j'), NONE)), None, "j is typed into the filter");
        assert_eq!(lookup(key(KeyCode::Char('C'), SHIFT)), Some(Action::Conflicts));
        assert_eq!(lookup_in(Layer::Conflicts, key(KeyCode::Char('a'), NONE)), Some(Action::TakeAway));
        assert_eq!(lookup_in(Layer::Answer, key(KeyCode::Char('a'), NONE)), None, "a is typed into the answer");
    }

    #[test]
    fn every_layer_binds_each_key_once_and_offers_help() {
        for layer in Layer::ALL {
            let mut seen = std::collections::HashSet::new();
            for b in layer.bindings() {
                assert!(!b.keys.is_empty(), "{layer:?} {}", b.label);
                for k in b.keys {
                    assert!(seen.insert(*k), "{layer:?}: key {k:?} bound twice");
                }
            }
            for screen in Screen::ALL {
                for detail in [false, true] {
                    let hints = footer_hints(layer, screen, detail, &|_| true);
                    assert!(!hints.is_empty(), "{layer:?} offers nothing in the footer");
                    if !matches!(layer, Layer::Confirm | Layer::Help) {
                        assert_eq!(hints.last().map(|h| h.1), Some("help"), "{layer:?} {screen:?}: help comes last");
                    }
                }
            }
        }
    }

    #[test]
    fn help_lists_every_binding_of_every_layer() {
        let lines = help_lines();
        for layer in Layer::ALL {
            for b in layer.bindings() {
                assert!(lines.contains(&HelpLine::Key(b.label, b.help)), "{layer:?} {} missing from help", b.label);
            }
        }
        let bindings: usize = Layer::ALL.iter().map(|l| l.bindings().len()).sum();
        assert_eq!(lines.len(), bindings + 5 + 8 + 1, "5 sections, 8 layer headings and the theme line");
    }
}
