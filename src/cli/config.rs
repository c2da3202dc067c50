//! The optional config file: `$ALLIANCE_CONFIG`, else `<XDG config dir>/alliance/config.toml`.
//!
//! ```toml
//! db = "/srv/alliance/plymouth.db"
//! theme = "light"
//! ```

use serde::Deserialize;
use std::path::PathBuf;

/// Settings a coordinator keeps per machine.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default database file.
    pub db: Option<PathBuf>,
    /// Default theme name.
    pub theme: Option<String>,
}

impl Config {
    /// Where the config file lives.
    pub fn path() -> Option<PathBuf> {
        crate::paths::config_file()
    }

    /// Loads the config; a missing file is an empty config, a broken one a clear message.
    pub fn load() -> Result<Config, String> {
        let Some(path) = Config::path() else { return Ok(Config::default()) };
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| format!("config file {} is not valid: {}", path.display(), e.message())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(format!("cannot read config file {}: {e}", path.display())),
        }
    }
}
