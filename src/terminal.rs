//! What the terminal can show: whether colour is turned off (`NO_COLOR`) and how many colours
//! it has. Like [`crate::text`], it depends on nothing else in the crate, so every front end (the
//! TUI's themes, `status`'s coloured words, `check`'s report) asks the same question here.

/// Whether colour is turned off by `NO_COLOR`. Per <https://no-color.org>, only a value that is
/// set and not empty counts: `NO_COLOR=` leaves colour on. Every reader of the variable (the
/// TUI's colour depth and theme, `status`) asks here.
pub fn no_color() -> bool {
    no_color_value(std::env::var_os("NO_COLOR").as_deref())
}

/// [`no_color`] for a given value of the variable.
pub fn no_color_value(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    /// 24-bit colour (`COLORTERM=truecolor`).
    TrueColor,
    /// The xterm 256-colour palette.
    Ansi256,
    /// The 16 named colours.
    Ansi16,
    /// No colour (`NO_COLOR`, `TERM=dumb`, or the mono theme).
    None,
}

impl ColorDepth {
    /// Detects the depth from `NO_COLOR`, `COLORTERM` and `TERM`.
    pub fn detect() -> ColorDepth {
        let var = |k: &str| std::env::var(k).unwrap_or_default().to_ascii_lowercase();
        if no_color() {
            return ColorDepth::None;
        }
        let term = var("TERM");
        if term == "dumb" {
            return ColorDepth::None;
        }
        let ct = var("COLORTERM");
        if ct.contains("truecolor") || ct.contains("24bit") {
            ColorDepth::TrueColor
        } else if term.contains("256") {
            ColorDepth::Ansi256
        } else {
            ColorDepth::Ansi16
        }
    }

    /// A word for `alliance check` and the help screen.
    pub fn label(self) -> &'static str {
        match self {
            ColorDepth::TrueColor => "truecolor",
            ColorDepth::Ansi256 => "256 colours",
            ColorDepth::Ansi16 => "16 colours",
            ColorDepth::None => "no colour",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_only_when_set_and_not_empty() {
        use std::ffi::OsStr;
        assert!(!no_color_value(None));
        assert!(!no_color_value(Some(OsStr::new(""))), "NO_COLOR= leaves colour on (no-color.org)");
        assert!(no_color_value(Some(OsStr::new("1"))));
        assert!(no_color_value(Some(OsStr::new("0"))), "any non-empty value turns colour off");
    }
}
