//! The monthly board's read models, shared by the board pack export and (later) the Board
//! screen: the [`agenda`] built from the data, and the [`budget`] per funding stream.
//!
//! Both are pure functions of what the store and [`crate::metrics`] already computed, so the
//! TUI, `export board-pack` and tests see one set of rules. New agenda items belong in
//! [`agenda::agenda`]; new money rules in [`budget::budget`].

pub mod agenda;
pub mod budget;

pub use agenda::{AgendaItem, AgendaKind, agenda};
pub use budget::{Budget, BudgetLine, budget, price_pence};
