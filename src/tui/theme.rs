//! Themes: semantic roles (text, muted, title, border, selected, ok, warn, danger …) loaded from
//! TOML, each with a truecolor value and a 16-colour fallback, resolved once for the terminal's
//! colour depth (truecolor → 256 → 16 → none).
//!
//! Built-in themes are compiled in (so the app works from any directory); a file of the same
//! name in `<config dir>/alliance/themes/` overrides one, and `--theme path/to/file.toml` loads
//! a file directly. A broken theme never stops the app: it falls back to `default` and says why.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The terminal's colour depth, detected below every front end; re-exported here because a
/// [`Theme`] is resolved for one.
pub use crate::terminal::ColorDepth;
use crate::terminal::no_color;

/// The themes shipped in `themes/`.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("high-contrast", include_str!("../../themes/high-contrast.toml")),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// One role as written in TOML.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleSpec {
    fg: Option<String>,
    bg: Option<String>,
    fallback: Option<String>,
    fallback_bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reverse: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    mono: bool,
    roles: BTreeMap<String, RoleSpec>,
}

/// The semantic roles every screen draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Ordinary text.
    Text,
    /// Secondary text.
    Muted,
    /// Titles.
    Title,
    /// Pane borders.
    Border,
    /// The focused pane's border.
    BorderFocus,
    /// Table headers.
    Header,
    /// The selected row.
    Selected,
    /// Good news (green RAG, ok status).
    Ok,
    /// Needs attention (amber, watch).
    Warn,
    /// Act now (red, urgent).
    Danger,
    /// Neutral highlights.
    Info,
    /// Accents (designations).
    Accent,
    /// Fuzzy-match highlights.
    Matched,
    /// Delivered part of a capacity bar.
    BarDelivered,
    /// Committed part of a capacity bar.
    BarCommitted,
    /// Free part of a capacity bar.
    BarFree,
    /// The header and footer bars.
    StatusBar,
}

const ROLES: [(Role, &str); 17] = [
    (Role::Text, "text"),
    (Role::Muted, "muted"),
    (Role::Title, "title"),
    (Role::Border, "border"),
    (Role::BorderFocus, "border_focus"),
    (Role::Header, "header"),
    (Role::Selected, "selected"),
    (Role::Ok, "ok"),
    (Role::Warn, "warn"),
    (Role::Danger, "danger"),
    (Role::Info, "info"),
    (Role::Accent, "accent"),
    (Role::Matched, "matched"),
    (Role::BarDelivered, "bar_delivered"),
    (Role::BarCommitted, "bar_committed"),
    (Role::BarFree, "bar_free"),
    (Role::StatusBar, "statusbar"),
];

/// A theme resolved for one colour depth: a style per role, ready to draw with.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The theme's name.
    pub name: String,
    /// One line about it.
    pub description: String,
    /// The colour depth it was resolved for.
    pub depth: ColorDepth,
    styles: [Style; 17],
}

impl Theme {
    /// The style for a role.
    pub fn style(&self, role: Role) -> Style {
        self.styles[role as usize]
    }

    /// Parses a theme's TOML and resolves it for `depth`. Roles a theme leaves out take the
    /// default theme's, so a partial user theme still draws everything.
    pub fn from_toml(text: &str, depth: ColorDepth) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
        for key in file.roles.keys() {
            if !ROLES.iter().any(|(_, n)| n == key) {
                let known: Vec<&str> = ROLES.iter().map(|(_, n)| *n).collect();
                return Err(format!("unknown role `{key}` (roles: {})", known.join(", ")));
            }
        }
        let base: Option<ThemeFile> = if file.name == "default" { None } else { toml::from_str(BUILT_IN[0].1).ok() };
        let depth = if file.mono { ColorDepth::None } else { depth };
        let mut styles = [Style::default(); 17];
        for (role, key) in ROLES {
            let spec = file
                .roles
                .get(key)
                .or_else(|| base.as_ref().and_then(|b| b.roles.get(key)))
                .cloned()
                .unwrap_or_default();
            styles[role as usize] = resolve(&spec, depth, role)?;
        }
        Ok(Theme { name: file.name, description: file.description, depth, styles })
    }

    /// The built-in default theme, for `depth` (never fails: it is tested).
    pub fn fallback(depth: ColorDepth) -> Theme {
        Theme::from_toml(BUILT_IN[0].1, depth).unwrap_or_else(|_| Theme {
            name: "default".into(),
            description: String::new(),
            depth: ColorDepth::None,
            styles: [Style::default(); 17],
        })
    }

    /// Loads a theme by name or path. Returns the theme and, if it had to fall back, why.
    pub fn load(name: &str, depth: ColorDepth) -> (Theme, Option<String>) {
        let depth = if no_color() { ColorDepth::None } else { depth };
        let text = match theme_source(name) {
            Ok(t) => t,
            Err(why) => return (Theme::fallback(depth), Some(why)),
        };
        match Theme::from_toml(&text, depth) {
            Ok(t) => (t, None),
            Err(e) => {
                (Theme::fallback(depth), Some(format!("theme `{name}` is broken ({e}) — using the default theme")))
            }
        }
    }

    /// Names of every theme available: built-in plus the user's.
    pub fn available() -> Vec<String> {
        let mut names: Vec<String> = BUILT_IN.iter().map(|(n, _)| n.to_string()).collect();
        if let Some(dir) = user_theme_dir()
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "toml")
                    && let Some(stem) = p.file_stem().and_then(|s| s.to_str())
                    && !names.iter().any(|n| n == stem)
                {
                    names.push(stem.to_string());
                }
            }
        }
        names
    }
}

fn user_theme_dir() -> Option<PathBuf> {
    crate::paths::themes_dir()
}

fn theme_source(name: &str) -> Result<String, String> {
    let as_path = Path::new(name);
    if name.ends_with(".toml") || name.contains('/') {
        return std::fs::read_to_string(as_path)
            .map_err(|e| format!("cannot read theme file {name}: {e} — using the default theme"));
    }
    if let Some(dir) = user_theme_dir() {
        let p = dir.join(format!("{name}.toml"));
        if p.exists() {
            return std::fs::read_to_string(&p)
                .map_err(|e| format!("cannot read theme {}: {e} — using the default theme", p.display()));
        }
    }
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| t.to_string()).ok_or_else(|| {
        let names = Theme::available().join(", ");
        format!("no theme called `{name}` (available: {names}) — using the default theme")
    })
}

fn resolve(spec: &RoleSpec, depth: ColorDepth, role: Role) -> Result<Style, String> {
    let mut style = Style::default();
    let pick = |hex: &Option<String>, named: &Option<String>| -> Result<Option<Color>, String> {
        match depth {
            ColorDepth::None => Ok(None),
            ColorDepth::Ansi16 => match named.as_deref().or(hex.as_deref()) {
                Some(n) => parse_named(n).map(Some),
                None => Ok(None),
            },
            ColorDepth::TrueColor | ColorDepth::Ansi256 => match hex.as_deref() {
                Some(h) => {
                    let (r, g, b) = parse_hex(h)?;
                    Ok(Some(if depth == ColorDepth::TrueColor {
                        Color::Rgb(r, g, b)
                    } else {
                        Color::Indexed(rgb_to_256(r, g, b))
                    }))
                }
                None => match named.as_deref() {
                    Some(n) => parse_named(n).map(Some),
                    None => Ok(None),
                },
            },
        }
    };
    if let Some(c) = pick(&spec.fg, &spec.fallback)? {
        style = style.fg(c);
    }
    if let Some(c) = pick(&spec.bg, &spec.fallback_bg)? {
        style = style.bg(c);
    }
    let mut m = Modifier::empty();
    for (on, flag) in [
        (spec.bold, Modifier::BOLD),
        (spec.dim, Modifier::DIM),
        (spec.italic, Modifier::ITALIC),
        (spec.underline, Modifier::UNDERLINED),
        (spec.reverse, Modifier::REVERSED),
    ] {
        if on {
            m |= flag;
        }
    }
    // Without colour, the selection must still be visible: reverse video is the one signal
    // every terminal shows.
    if depth == ColorDepth::None && role == Role::Selected {
        m |= Modifier::REVERSED;
    }
    Ok(style.add_modifier(m))
}

fn parse_hex(h: &str) -> Result<(u8, u8, u8), String> {
    let s = h.trim().trim_start_matches('#');
    let bad = || format!("`{h}` is not a colour (use #rrggbb)");
    if s.len() != 6 || !s.is_ascii() {
        return Err(bad());
    }
    let byte = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).map_err(|_| bad());
    Ok((byte(0)?, byte(2)?, byte(4)?))
}

fn parse_named(n: &str) -> Result<Color, String> {
    if n.starts_with('#') {
        let (r, g, b) = parse_hex(n)?;
        return Ok(nearest_16(r, g, b));
    }
    Ok(match n.trim().to_ascii_lowercase().replace('-', "_").as_str() {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark_gray" | "dark_grey" => Color::DarkGray,
        "light_red" => Color::LightRed,
        "light_green" => Color::LightGreen,
        "light_yellow" => Color::LightYellow,
        "light_blue" => Color::LightBlue,
        "light_magenta" => Color::LightMagenta,
        "light_cyan" => Color::LightCyan,
        "white" => Color::White,
        "reset" => Color::Reset,
        other => return Err(format!("`{other}` is not one of the 16 colour names")),
    })
}

/// The nearest entry of the xterm 256-colour palette (6×6×6 cube or grey ramp).
pub fn rgb_to_256(r: u8, g: u8, b: u8) -> u8 {
    let level = |v: u8| -> u8 {
        if v < 48 {
            0
        } else if v < 115 {
            1
        } else {
            (v - 35) / 40
        }
    };
    let (lr, lg, lb) = (level(r), level(g), level(b));
    let steps = [0u8, 95, 135, 175, 215, 255];
    let cube = (steps[lr as usize], steps[lg as usize], steps[lb as usize]);
    let avg = (u16::from(r) + u16::from(g) + u16::from(b)) / 3;
    let grey_idx = if avg > 238 { 23 } else { avg.saturating_sub(3) / 10 } as u8;
    let grey = 8 + 10 * grey_idx;
    let dist = |(a, b2, c): (u8, u8, u8)| {
        let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2);
        d(a, r) + d(b2, g) + d(c, b)
    };
    if dist((grey, grey, grey)) < dist(cube) { 232 + grey_idx } else { 16 + 36 * lr + 6 * lg + lb }
}

fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    let palette = [
        (Color::Black, (0, 0, 0)),
        (Color::Red, (205, 0, 0)),
        (Color::Green, (0, 205, 0)),
        (Color::Yellow, (205, 205, 0)),
        (Color::Blue, (0, 0, 238)),
        (Color::Magenta, (205, 0, 205)),
        (Color::Cyan, (0, 205, 205)),
        (Color::Gray, (229, 229, 229)),
        (Color::DarkGray, (127, 127, 127)),
        (Color::LightRed, (255, 0, 0)),
        (Color::LightGreen, (0, 255, 0)),
        (Color::LightYellow, (255, 255, 0)),
        (Color::LightBlue, (92, 92, 255)),
        (Color::LightMagenta, (255, 0, 255)),
        (Color::LightCyan, (0, 255, 255)),
        (Color::White, (255, 255, 255)),
    ];
    let d =
        |(x, y, z): (i32, i32, i32)| (x - i32::from(r)).pow(2) + (y - i32::from(g)).pow(2) + (z - i32::from(b)).pow(2);
    palette.iter().min_by_key(|(_, c)| d(*c)).map_or(Color::Reset, |(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_loads_at_every_depth() {
        for (name, text) in BUILT_IN {
            for depth in [ColorDepth::TrueColor, ColorDepth::Ansi256, ColorDepth::Ansi16, ColorDepth::None] {
                let t = Theme::from_toml(text, depth).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(&t.name, name);
            }
        }
    }

    #[test]
    fn depth_steps_down() {
        let t = Theme::from_toml(BUILT_IN[0].1, ColorDepth::TrueColor).expect("default");
        assert_eq!(t.style(Role::Ok).fg, Some(Color::Rgb(0x98, 0xc3, 0x79)));
        let t = Theme::from_toml(BUILT_IN[0].1, ColorDepth::Ansi256).expect("default");
        assert!(matches!(t.style(Role::Ok).fg, Some(Color::Indexed(_))));
        let t = Theme::from_toml(BUILT_IN[0].1, ColorDepth::Ansi16).expect("default");
        assert_eq!(t.style(Role::Ok).fg, Some(Color::Green));
        let t = Theme::from_toml(BUILT_IN[0].1, ColorDepth::None).expect("default");
        assert_eq!(t.style(Role::Ok).fg, None);
        assert!(t.style(Role::Selected).add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn broken_themes_explain_themselves() {
        let e = Theme::from_toml("name = \"x\"\n[roles]\ntext = { fg = \"#12\" }", ColorDepth::TrueColor)
            .expect_err("short hex");
        assert!(e.contains("#12"), "{e}");
        let e = Theme::from_toml("name = \"x\"\n[roles]\nbogus = {}", ColorDepth::TrueColor).expect_err("unknown role");
        assert!(e.contains("unknown role `bogus`"), "{e}");
        assert!(Theme::from_toml("not toml at all [", ColorDepth::TrueColor).is_err());
        let (t, why) = Theme::load("no-such-theme", ColorDepth::TrueColor);
        assert_eq!(t.name, "default");
        assert!(why.is_some_and(|w| w.contains("no theme called")));
    }

    #[test]
    fn partial_theme_inherits_default_roles() {
        let t = Theme::from_toml("name = \"mine\"\n[roles]\nok = { fg = \"#00ff00\" }", ColorDepth::TrueColor)
            .expect("partial");
        assert_eq!(t.style(Role::Ok).fg, Some(Color::Rgb(0, 255, 0)));
        assert_eq!(t.style(Role::Danger).fg, Some(Color::Rgb(0xef, 0x59, 0x6f)));
    }

    #[test]
    fn palette_conversion() {
        assert_eq!(rgb_to_256(0, 0, 0), 16);
        assert_eq!(rgb_to_256(255, 255, 255), 231);
        assert_eq!(rgb_to_256(128, 128, 128), 244);
        assert_eq!(rgb_to_256(255, 0, 0), 196);
    }
}
