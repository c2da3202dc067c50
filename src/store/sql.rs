//! How the domain's closed vocabularies are bound to and read from SQL. The enums live in
//! `domain` (pure, no rusqlite); their stored text is `as_str`/`parse`, and only the store knows
//! that SQLite carries it as TEXT.

use crate::domain::{
    Activity, Category, CloseKind, ConcernCategory, ContractStatus, DecisionKind, Designation, EventKind, Framework,
    InspectionKind, Outcome, Party, Phase, Rag, Role, TermKind,
};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// Binds each enum as its stored text and reads it back through its `parse`, so a value
/// outside the vocabulary is a clear read error, not a silent default.
macro_rules! sql_text {
    ($($name:ident),+ $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = value.as_str()?;
                $name::parse(s).ok_or_else(|| {
                    FromSqlError::Other(format!("unexpected {} value {:?}", stringify!($name), s).into())
                })
            }
        }
    )+};
}

sql_text!(
    Phase,
    Category,
    Designation,
    ContractStatus,
    Rag,
    Activity,
    Framework,
    DecisionKind,
    ConcernCategory,
    InspectionKind,
    EventKind,
    Role,
    Outcome,
    CloseKind,
    Party,
    TermKind,
);
