//! Plain domain types and rules, free of I/O: the vocabulary of school-to-school support
//! (schools, system leaders, contracts, visits, reviews, board decisions), UK-friendly date
//! parsing, money and days formatting, and the validation a coordinator's input goes through.
//!
//! Nothing here knows about SQLite or the terminal, so every rule is unit-testable on its own.

pub mod calendar;
pub mod dates;
pub mod enums;
pub mod events;
pub mod impact;
pub mod measures;
pub mod money;
pub mod outcomes;
pub mod records;
pub mod roles;
pub mod settings;
pub mod validate;

pub use calendar::{Calendar, Term};
pub use dates::{AcademicYear, fmt_date, parse_date};
pub use enums::*;
pub use impact::{
    Agreement, Closeout, Criterion, CriterionRating, Signoff, TermCriterion, Terms, rag_descriptor, split_clauses,
};
pub use measures::Measure;
pub use records::*;
