//! `alliance decide`: records a board decision without the TUI, through the store's one
//! validated, audited write (a `recategorise` changes the school's category in the same
//! transaction, with its reason and review date).

use super::Failure;
use super::log_visit::pick_school;
use crate::domain::{Category, Decision, DecisionKind, Stamp, fmt_date, parse_date};
use crate::store::Store;
use chrono::NaiveDate;

/// What `alliance decide` was given.
#[derive(Debug)]
pub struct DecideArgs<'a> {
    /// The decision's kind.
    pub kind: &'a str,
    /// The school, by name or URN.
    pub school: Option<&'a str>,
    /// The contract's id.
    pub contract: Option<i64>,
    /// The new category (recategorise).
    pub category: Option<&'a str>,
    /// The decision as minuted (for recategorise: the reason).
    pub text: &'a str,
    /// Who carries it out.
    pub owner: &'a str,
    /// Due / review date.
    pub due: Option<&'a str>,
    /// The meeting's date (default: the latest meeting on or before today).
    pub meeting: Option<&'a str>,
    /// Already done.
    pub done: bool,
}

/// Runs the command; prints the new decision's id and what it changed.
pub fn run(store: &mut Store, today: NaiveDate, a: &DecideArgs<'_>) -> Result<(), Failure> {
    let kind = DecisionKind::parse(a.kind).ok_or_else(|| {
        Failure::invalid(format!("--kind `{}` is not one of: {}", a.kind.trim(), DecisionKind::choices()))
    })?;
    let category = a
        .category
        .map(|c| {
            Category::parse(c)
                .ok_or_else(|| Failure::invalid(format!("--category `{}` is not one of: A, B, C, D", c.trim())))
        })
        .transpose()?;
    let due_on =
        a.due.map(|d| parse_date(d, today).map_err(|e| Failure::invalid(format!("--due: {e}")))).transpose()?;
    let school = a.school.map(|s| pick_school(store, s)).transpose()?;
    let meetings = store.meetings()?;
    let meeting = match a.meeting {
        Some(m) => {
            let on = parse_date(m, today).map_err(|e| Failure::invalid(format!("--meeting: {e}")))?;
            meetings.iter().find(|x| x.held_on == on).ok_or_else(|| {
                Failure::invalid(format!("no board meeting on {} — record the meeting first", fmt_date(on)))
            })?
        }
        None => meetings.iter().filter(|x| x.held_on <= today).max_by_key(|x| x.held_on).ok_or_else(|| {
            Failure::invalid("no board meeting recorded on or before today — record the meeting first")
        })?,
    };
    let before = match school {
        Some((id, _)) if kind == DecisionKind::Recategorise => Some(store.get::<crate::domain::School>(id)?.category),
        _ => None,
    };
    let d = Decision {
        id: 0,
        meeting_id: meeting.id,
        school_id: school.as_ref().map(|(id, _)| *id),
        contract_id: a.contract,
        kind,
        category,
        text: a.text.to_string(),
        owner: a.owner.trim().to_string(),
        due_on,
        done: a.done,
        stamp: Stamp::default(),
    };
    let id = store.save_decision(&d).map_err(|e| match e {
        crate::store::StoreError::Invalid(p) => Failure::invalid(format!("decision not recorded: {}", p.error_text())),
        e => e.into(),
    })?;
    let mut said = format!("decision #{id} ({}) recorded at the board of {}", kind.as_str(), fmt_date(meeting.held_on));
    if let (Some((_, name)), Some(was), Some(now)) = (&school, before, category) {
        said.push_str(&format!("; {name}: category {was} → {now}"));
        if let Some(due) = due_on {
            said.push_str(&format!(", to be reviewed by {}", fmt_date(due)));
        }
    }
    outln!("{}", crate::text::clean(&said));
    Ok(())
}
