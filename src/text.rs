//! Terminal-safe text: the one place that decides what may reach a terminal raw. It depends on
//! nothing else in the crate, so every front end (the TUI's screens, every command's output and
//! messages, the board pack on a terminal) uses it.
//!
//! Text from a shared file, a downloaded CSV or a file name is hostile until shown otherwise:
//! an escape sequence in a school's name could clear another coordinator's screen, retitle
//! their terminal or write their clipboard (OSC 52), and a bidi override reorders what they
//! read. So control characters and bidi overrides are never written raw: screens show them as
//! `�` (newlines as `⏎`), messages and printed lines as `\u{1b}`-style escapes, JSON as
//! `\uXXXX` (still valid JSON).

use std::io::Write;

/// Whether a character must never be written raw to a terminal: control characters (C0, DEL
/// and C1: escape sequences, OSC 52, carriage return, backspace) and the bidirectional
/// overrides and isolates, which reorder what follows them on screen ("Trojan Source"
/// spoofing). Right-to-left letters themselves are fine.
pub fn unsafe_for_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Makes text from the database safe to draw in a cell: control characters and bidi
/// overrides never reach the terminal, and newlines become a visible `⏎`.
pub fn clean(s: &str) -> String {
    if !s.chars().any(unsafe_for_terminal) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' => '⏎',
            '\t' => ' ',
            c if unsafe_for_terminal(c) => '�',
            c => c,
        })
        .collect()
}

/// Makes a one-line message safe for a terminal: it may echo a file name or typed input, so
/// control characters (newlines too) and bidi overrides are shown as `\u{1b}`-style escapes and
/// the message stays on one line.
pub fn printable(message: &str) -> String {
    message
        .chars()
        .map(|c| if unsafe_for_terminal(c) { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

/// Makes printed lines safe for a terminal: `\n` between lines stays, every other control
/// character and bidi override is shown as a `\u{1b}`-style escape. Safe text is unchanged, so
/// it may be applied to output that was already made safe.
pub fn lines_for_terminal(text: &str) -> String {
    if !text.chars().any(|c| c != '\n' && unsafe_for_terminal(c)) {
        return text.to_string();
    }
    text.chars()
        .map(|c| if c != '\n' && unsafe_for_terminal(c) { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

/// Makes JSON safe to print on a terminal without changing its meaning: serde escapes C0
/// controls inside strings, but not DEL, C1 controls (`\u{9b}` is CSI to many terminals) or
/// bidi overrides; those are written as `\uXXXX` escapes here. Newlines between tokens stay.
pub fn json_for_terminal(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c != '\n' && unsafe_for_terminal(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Makes a document safe to show on a terminal (the board pack on `--out -`): line breaks
/// (`\n`, `\r\n`) stay, so it reads as it would in a file; every other control character and
/// bidi override is written as a `\u{1b}`-style escape, as [`printable`] does.
pub fn document_for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_break = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if !line_break && unsafe_for_terminal(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` cut to at most `max` characters, with `…` when something was cut: what a message
/// echoes of a value someone typed or a file held.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Writes `text` and a newline to stdout through [`lines_for_terminal`] — the one door every
/// command's printed lines go through. A closed pipe (`… | head`) ends it quietly.
pub fn print_line(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{}", lines_for_terminal(text));
}

/// Writes a one-line message to stderr through [`printable`], prefixed `alliance: `.
pub fn print_error(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "alliance: {}", printable(message));
}

/// Writes a note (a warning that did not stop the command) to stderr through [`printable`].
pub fn print_note(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "note: {}", printable(message));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_a_terminal_obeys_gets_through() {
        let hostile = "a\u{1b}]52;c;aGk=\u{7}b\r\u{9b}2J\u{202e}x\ty";
        for out in [clean(hostile), printable(hostile), lines_for_terminal(hostile), document_for_terminal(hostile)] {
            assert!(!out.chars().any(unsafe_for_terminal), "{out:?}");
        }
        assert_eq!(lines_for_terminal("one\ntwo"), "one\ntwo");
        assert_eq!(lines_for_terminal(&lines_for_terminal(hostile)), lines_for_terminal(hostile), "idempotent");
        assert!(!printable("a\nb").contains('\n'));
        assert_eq!(clean("a\nb"), "a⏎b");
    }

    #[test]
    fn cut_keeps_short_text_and_marks_a_cut() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("abcdefghijkl", 5), "abcd…");
        assert_eq!(cut("ééééé", 5), "ééééé");
    }
}
