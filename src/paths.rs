//! Where the user's files are: the config file (`$ALLIANCE_CONFIG`, else
//! `~/.config/alliance/config.toml`) and the themes folder beside it. A bottom module: the CLI
//! reads the config from here and the TUI finds user themes here, neither through the other.

use std::path::PathBuf;

/// The config file's path (it may not exist).
pub fn config_file() -> Option<PathBuf> {
    match std::env::var_os("ALLIANCE_CONFIG") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => dirs::config_dir().map(|d| d.join("alliance").join("config.toml")),
    }
}

/// The folder of user themes, beside the config file.
pub fn themes_dir() -> Option<PathBuf> {
    config_file().and_then(|p| p.parent().map(|d| d.join("themes")))
}
