//! `alliance` — school-to-school support, in one SQLite file and a fast terminal app.
//!
//! The crate is one library shared by the TUI and the command line; the binary
//! (`src/main.rs`) only parses arguments and dispatches. Data flows one way:
//!
//! ```text
//! key/resize/tick ─► tui::keymap ─► Action ─► App::update ─► store (SQLite, one transaction)
//!                                                 └─► metrics::compute ─► draw(&App) ─► terminal
//! ```
//!
//! - [`domain`]: plain types and rules (enums, records, dates, money, validation); no I/O.
//! - [`store`]: the only module that speaks SQL: safe open, migrations, typed reads/writes, audit.
//! - [`metrics`]: the one implementation of capacity, progress, alerts and school status.
//! - [`sample`]: the deterministic sample-alliance generator behind `sample.db`.
//! - [`cli`]: the non-interactive commands (`status`, `init`, `sample`, …).

pub mod cli;
pub mod domain;
pub mod matching;
pub mod metrics;
pub mod sample;
pub mod store;
pub mod tui;
