//! The monthly board's agenda, shared by the board pack export and the Board screen: the
//! [`agenda`] built from the data. (The budget per funding stream is a metric,
//! [`crate::metrics::budget`], since the alerts read it too.)
//!
//! Pure functions of what [`crate::metrics`] already computed and of the board's own input types
//! ([`agenda::TakenDecision`]); nothing here reads the store, so the TUI, `export board-pack` and
//! tests see one set of rules. New agenda items belong in [`agenda::agenda`].

pub mod agenda;

pub use agenda::{AgendaItem, AgendaKind, TakenDecision, agenda};
