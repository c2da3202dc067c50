//! The tables of the layers above normal mode: the `/` filter, the `:` palette, who can help?,
//! a form, a form's question, and the help overlay.

use super::{Action, Binding, CTRL, NONE, SHIFT, Section};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

const F1: (KeyCode, KeyModifiers) = (KeyCode::F(1), NONE);

/// The `/` filter: typing narrows the list; these keys do the rest.
pub const FILTER: &[Binding] = &[
    b!(&[(KeyCode::Enter, NONE)], "Enter", "open the highlighted match (the filter stays)", "open", Action::Open, Find),
    b!(
        &[(KeyCode::Down, NONE), (KeyCode::Char('j'), CTRL), (KeyCode::Char('n'), CTRL), (KeyCode::Tab, NONE)],
        "↓ Ctrl-J/N Tab",
        "next match",
        "move",
        Action::Down,
        Find
    ),
    b!(
        &[(KeyCode::Up, NONE), (KeyCode::Char('k'), CTRL), (KeyCode::Char('p'), CTRL), (KeyCode::BackTab, SHIFT)],
        "↑ Ctrl-K/P S-Tab",
        "previous match",
        "",
        Action::Up,
        Find
    ),
    b!(&[(KeyCode::PageDown, NONE)], "PgDn", "a page of matches down", "", Action::PageDown, Find),
    b!(&[(KeyCode::PageUp, NONE)], "PgUp", "a page of matches up", "", Action::PageUp, Find),
    b!(&[(KeyCode::Esc, NONE)], "Esc", "clear the filter and leave it", "clear", Action::Cancel, Find),
    b!(&[(KeyCode::Char('u'), CTRL)], "Ctrl-U", "clear what you typed", "", Action::ClearText, Find),
    b!(&[(KeyCode::Backspace, NONE)], "Bksp", "delete a letter", "", Action::DeleteBack, Find),
    b!(&[F1], "F1", "help", "help", Action::Help, Find),
    b!(&[(KeyCode::Char('c'), CTRL)], "Ctrl-C", "quit", "", Action::Quit, Find),
];

/// The `:` palette: typing narrows the choices; these keys do the rest.
pub const PALETTE: &[Binding] = &[
    b!(&[(KeyCode::Enter, NONE)], "Enter", "go to the highlighted choice", "go", Action::Open, Find),
    b!(
        &[(KeyCode::Down, NONE), (KeyCode::Char('j'), CTRL), (KeyCode::Char('n'), CTRL), (KeyCode::Tab, NONE)],
        "↓ Ctrl-J/N Tab",
        "next choice",
        "move",
        Action::Down,
        Find
    ),
    b!(
        &[(KeyCode::Up, NONE), (KeyCode::Char('k'), CTRL), (KeyCode::Char('p'), CTRL), (KeyCode::BackTab, SHIFT)],
        "↑ Ctrl-K/P S-Tab",
        "previous choice",
        "",
        Action::Up,
        Find
    ),
    b!(&[(KeyCode::PageDown, NONE)], "PgDn", "a page of choices down", "", Action::PageDown, Find),
    b!(&[(KeyCode::PageUp, NONE)], "PgUp", "a page of choices up", "", Action::PageUp, Find),
    b!(&[(KeyCode::Esc, NONE)], "Esc", "close the palette", "close", Action::Cancel, Find),
    b!(&[(KeyCode::Char('u'), CTRL)], "Ctrl-U", "clear what you typed", "", Action::ClearText, Find),
    b!(&[(KeyCode::Backspace, NONE)], "Bksp", "delete a letter", "", Action::DeleteBack, Find),
    b!(&[F1], "F1", "help", "help", Action::Help, Find),
    b!(&[(KeyCode::Char('c'), CTRL)], "Ctrl-C", "quit", "", Action::Quit, Find),
];

/// The "who can help?" view: typing fills the focused box (school, focus, days) and ranks again.
pub const WHO: &[Binding] = &[
    b!(
        &[(KeyCode::Enter, NONE)],
        "Enter",
        "start a contract with the highlighted leader",
        "start contract",
        Action::Open,
        Find
    ),
    b!(&[(KeyCode::Tab, NONE)], "Tab", "next box: school, focus, days", "next box", Action::NextField, Find),
    b!(&[(KeyCode::BackTab, SHIFT), (KeyCode::BackTab, NONE)], "S-Tab", "previous box", "", Action::PrevField, Find),
    b!(
        &[(KeyCode::Down, NONE), (KeyCode::Char('j'), CTRL), (KeyCode::Char('n'), CTRL)],
        "↓ Ctrl-J/N",
        "next leader",
        "move",
        Action::Down,
        Find
    ),
    b!(
        &[(KeyCode::Up, NONE), (KeyCode::Char('k'), CTRL), (KeyCode::Char('p'), CTRL)],
        "↑ Ctrl-K/P",
        "previous leader",
        "",
        Action::Up,
        Find
    ),
    b!(&[(KeyCode::PageDown, NONE)], "PgDn", "a page of leaders down", "", Action::PageDown, Find),
    b!(&[(KeyCode::PageUp, NONE)], "PgUp", "a page of leaders up", "", Action::PageUp, Find),
    b!(&[(KeyCode::Esc, NONE)], "Esc", "close", "close", Action::Cancel, Find),
    b!(&[(KeyCode::Char('u'), CTRL)], "Ctrl-U", "clear the box", "", Action::ClearText, Find),
    b!(&[(KeyCode::Backspace, NONE)], "Bksp", "delete a letter", "", Action::DeleteBack, Find),
    b!(&[F1], "F1", "help", "help", Action::Help, Find),
    b!(&[(KeyCode::Char('c'), CTRL)], "Ctrl-C", "quit", "", Action::Quit, Find),
];

/// The away conflicts list: each conflict an away copy's changes left here, for a coordinator
/// to resolve.
pub const CONFLICTS: &[Binding] = &[
    b!(
        &[(KeyCode::Char('s'), NONE)],
        "s",
        "a field both changed: keep the server's value",
        "keep server's",
        Action::KeepServer,
        Record
    ),
    b!(
        &[(KeyCode::Char('a'), NONE)],
        "a",
        "a field both changed: take the away value (saved as an edit)",
        "take away",
        Action::TakeAway,
        Record
    ),
    b!(
        &[(KeyCode::Char('e'), NONE)],
        "e",
        "a field both changed: type a new value (saved as an edit)",
        "new value",
        Action::TypeValue,
        Record
    ),
    b!(
        &[(KeyCode::Char('d'), NONE)],
        "d",
        "a change held back whole: dismiss it, saying why",
        "dismiss",
        Action::Dismiss,
        Record
    ),
    b!(
        &[(KeyCode::Char('v'), NONE)],
        "v",
        "a visit held back: log it again (on a live contract) in the visit form, pre-filled",
        "log again",
        Action::LogVisit,
        Record
    ),
    b!(&[(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)], "j/↓", "next conflict", "move", Action::Down, Record),
    b!(&[(KeyCode::Char('k'), NONE), (KeyCode::Up, NONE)], "k/↑", "previous conflict", "", Action::Up, Record),
    b!(&[(KeyCode::Esc, NONE), (KeyCode::Char('q'), NONE)], "Esc q", "close the list", "close", Action::Cancel, Record),
    b!(&[F1, (KeyCode::Char('?'), NONE), (KeyCode::Char('?'), SHIFT)], "?", "help", "help", Action::Help, Record),
    b!(&[(KeyCode::Char('c'), CTRL)], "Ctrl-C", "quit", "", Action::Quit, Record),
];

/// Typing the new value, or the reason for a dismissal, in the conflict list.
pub const ANSWER: &[Binding] = &[
    b!(&[(KeyCode::Enter, NONE), (KeyCode::Char('s'), CTRL)], "Enter", "save", "save", Action::Save, Record),
    b!(&[(KeyCode::Esc, NONE)], "Esc", "cancel (nothing is saved)", "cancel", Action::Cancel, Record),
    b!(&[(KeyCode::Char('u'), CTRL)], "Ctrl-U", "clear what you typed", "", Action::ClearText, Record),
    b!(&[(KeyCode::Backspace, NONE)], "Bksp", "delete a letter", "", Action::DeleteBack, Record),
    b!(&[F1], "F1", "help", "help", Action::Help, Record),
    b!(&[(KeyCode::Char('c'), CTRL)], "Ctrl-C", "quit", "", Action::Quit, Record),
];

/// An open form. Typing edits the focused field; in a choice its first letter picks, in yes/no
/// `y` and `n` do.
pub const FORM: &[Binding] = &[
    b!(&[(KeyCode::Char('s'), CTRL)], "Ctrl-S", "save", "save", Action::Save, Record),
    b!(
        &[(KeyCode::Tab, NONE)],
        "Tab",
        "next field (a picker takes its highlighted row)",
        "next",
        Action::NextField,
        Record
    ),
    b!(
        &[(KeyCode::BackTab, SHIFT), (KeyCode::BackTab, NONE)],
        "S-Tab",
        "previous field",
        "",
        Action::PrevField,
        Record
    ),
    b!(
        &[(KeyCode::Enter, NONE)],
        "Enter",
        "next field; in a picker, take the highlighted row",
        "",
        Action::Enter,
        Record
    ),
    b!(&[(KeyCode::Down, NONE)], "↓", "next field; in a picker, the next row", "", Action::Down, Record),
    b!(&[(KeyCode::Up, NONE)], "↑", "previous field; in a picker, the row above", "", Action::Up, Record),
    b!(
        &[(KeyCode::Right, NONE), (KeyCode::Char(' '), NONE)],
        "→ space",
        "next option of a choice; toggle yes/no",
        "choose",
        Action::ChoiceNext,
        Record
    ),
    b!(&[(KeyCode::Left, NONE)], "←", "previous option of a choice", "", Action::ChoicePrev, Record),
    b!(&[(KeyCode::Char('u'), CTRL)], "Ctrl-U", "clear the field", "", Action::ClearText, Record),
    b!(
        &[(KeyCode::Esc, NONE), (KeyCode::Char('q'), CTRL)],
        "Esc Ctrl-Q",
        "close (asks first if you typed anything)",
        "close",
        Action::CloseForm,
        Record
    ),
    b!(&[(KeyCode::Char('c'), CTRL)], "Ctrl-C", "quit, keeping the form as a draft", "", Action::QuitKeepDraft, Record),
    b!(
        &[(KeyCode::Char('t'), CTRL)],
        "Ctrl-T",
        "a field someone else changed too: take their value",
        "theirs",
        Action::TakeTheirs,
        Record
    ),
    b!(
        &[(KeyCode::Char('y'), CTRL)],
        "Ctrl-Y",
        "a field someone else changed too: keep your value",
        "mine",
        Action::KeepMine,
        Record
    ),
    b!(&[F1], "F1", "help", "help", Action::Help, Record),
];

/// A form's question (discard your changes? resume your draft?).
pub const CONFIRM: &[Binding] = &[
    b!(&[(KeyCode::Char('y'), NONE), (KeyCode::Char('Y'), SHIFT)], "y", "yes", "yes", Action::Yes, Record),
    b!(&[(KeyCode::Char('n'), NONE), (KeyCode::Char('N'), SHIFT)], "n", "no", "no", Action::No, Record),
    b!(&[(KeyCode::Esc, NONE)], "Esc", "no (keep editing)", "", Action::Cancel, Record),
    b!(&[(KeyCode::Enter, NONE)], "Enter", "resume the draft (when asked)", "", Action::Enter, Record),
    b!(&[(KeyCode::Char('c'), CTRL)], "Ctrl-C", "quit, keeping the form as a draft", "", Action::QuitKeepDraft, Record),
];

/// The `?` overlay.
pub const HELP: &[Binding] = &[
    b!(&[(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)], "j/↓", "scroll down", "", Action::Down, General),
    b!(&[(KeyCode::Char('k'), NONE), (KeyCode::Up, NONE)], "k/↑", "scroll up", "", Action::Up, General),
    b!(&[(KeyCode::PageDown, NONE), (KeyCode::Char(' '), NONE)], "PgDn", "page down", "", Action::PageDown, General),
    b!(&[(KeyCode::PageUp, NONE)], "PgUp", "page up", "", Action::PageUp, General),
    b!(&[(KeyCode::Char('g'), NONE), (KeyCode::Home, NONE)], "g", "top", "", Action::Top, General),
    b!(
        &[(KeyCode::Char('G'), SHIFT), (KeyCode::Char('G'), NONE), (KeyCode::End, NONE)],
        "G",
        "end",
        "",
        Action::Bottom,
        General
    ),
    b!(
        &[
            (KeyCode::Esc, NONE),
            (KeyCode::Char('q'), NONE),
            (KeyCode::Char('?'), NONE),
            (KeyCode::Char('?'), SHIFT),
            (KeyCode::F(1), NONE)
        ],
        "Esc q ?",
        "close the help",
        "close",
        Action::Back,
        General
    ),
    b!(&[(KeyCode::Char('c'), CTRL)], "Ctrl-C", "quit", "", Action::Quit, General),
];
