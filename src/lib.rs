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
//! - [`board`]: the monthly board's agenda and budget, shared by the board pack and the Board screen.
//! - [`export`]: the board pack (Markdown, HTML, CSV) and CSV of any table.
//! - [`import`]: DfE GIAS establishments and Ofsted inspection outcomes, from their CSV downloads.
//! - [`cli`]: the non-interactive commands (`status`, `init`, `sample`, …).
//! - [`text`]: terminal-safe text, the bottom layer every front end prints through.

pub mod board;
pub mod cli;
pub mod domain;
pub mod export;
pub mod identity;
pub mod import;
pub mod matching;
pub mod metrics;
pub mod paths;
pub mod sample;
pub mod share;
pub mod store;
pub mod terminal;
pub mod text;
pub mod tui;
pub mod views;
