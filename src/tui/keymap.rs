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

/// Everything a key can ask for in normal mode.
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
    /// Selection up one row.
    Up,
    /// Selection down one row.
    Down,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// One page up.
    PageUp,
    /// One page down.
    PageDown,
    /// Open the selected record's detail.
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
    b!(&[(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)], "j/↓", "down", "", Action::Down, Move),
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
        "",
        Action::New,
        Record
    ),
    b!(
        &[(KeyCode::Char('e'), NONE)],
        "e",
        "edit the selected record (also decisions, streams)",
        "",
        Action::Edit,
        Record
    ),
    b!(&[(KeyCode::Char('i'), NONE)], "i", "add an inspection to the selected school", "", Action::Inspection, Record),
    b!(&[(KeyCode::Char('m'), NONE)], "m", "record a board meeting", "", Action::Meeting, Record),
    b!(
        &[(KeyCode::Char('d'), NONE)],
        "d",
        "mark the selected decision done / not done",
        "",
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
    let mods = key.modifiers & (KeyModifiers::SHIFT | KeyModifiers::CONTROL | KeyModifiers::ALT);
    BINDINGS.iter().find(|b| b.keys.iter().any(|(code, m)| *code == key.code && *m == mods)).map(|b| b.action)
}

/// Keys inside the filter box and the palette (shown in help; handled by those widgets).
pub const TEXT_KEYS: &[(&str, &str)] = &[
    ("type", "narrow the list (fuzzy: letters in order)"),
    ("↑/↓ Ctrl-K/J", "move the selection while typing"),
    ("Enter", "keep the filter / go to the palette choice"),
    ("Esc", "cancel"),
    ("Ctrl-U", "clear what you typed"),
];

/// One line of the `?` overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpLine {
    /// A section heading.
    Heading(&'static str),
    /// A binding from [`BINDINGS`]: its label and what it does.
    Key(&'static str, &'static str),
    /// A key inside the filter box and the palette, from [`TEXT_KEYS`].
    TextKey(&'static str, &'static str),
    /// The closing line, naming the theme and its colour depth (filled in when drawn).
    Theme,
}

/// The `?` overlay's lines, in order: every binding of [`BINDINGS`] under its section, then
/// [`TEXT_KEYS`].
pub fn help_lines() -> Vec<HelpLine> {
    let mut lines = Vec::with_capacity(BINDINGS.len() + TEXT_KEYS.len() + 8);
    for section in [Section::Navigate, Section::Move, Section::Find, Section::Record, Section::General] {
        lines.push(HelpLine::Heading(section.title()));
        lines.extend(BINDINGS.iter().filter(|b| b.section == section).map(|b| HelpLine::Key(b.label, b.help)));
    }
    lines.push(HelpLine::Heading("In the filter and palette"));
    lines.extend(TEXT_KEYS.iter().map(|(k, h)| HelpLine::TextKey(k, h)));
    lines.push(HelpLine::Theme);
    lines
}

/// The footer hint line: `key word` pairs from the table.
pub fn footer_hints() -> Vec<(&'static str, &'static str)> {
    let mut v = vec![("1-7", "screens")];
    v.extend(BINDINGS.iter().filter(|b| !b.hint.is_empty()).map(|b| (b.label, b.hint)));
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
    }

    #[test]
    fn every_binding_reachable_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for b in BINDINGS {
            for k in b.keys {
                assert!(seen.insert(*k), "key {k:?} bound twice");
            }
        }
        assert!(footer_hints().iter().any(|(_, w)| *w == "help"));
    }

    #[test]
    fn help_lists_every_binding_once() {
        let lines = help_lines();
        for b in BINDINGS {
            assert_eq!(lines.iter().filter(|l| **l == HelpLine::Key(b.label, b.help)).count(), 1, "{}", b.label);
        }
        assert_eq!(lines.len(), BINDINGS.len() + TEXT_KEYS.len() + 7, "6 headings and the theme line");
    }
}
