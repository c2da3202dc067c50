//! One struct per table row (DESIGN §3 ◆). Dates are `NaiveDate`, money is pence, days are
//! `f64` holding whole or half days. `version`, `updated_at` and `updated_by` travel with each
//! editable record so an edit can be checked against what is stored now (optimistic concurrency).

use super::enums::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Who last changed a record, and which revision it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    /// Revision number, starting at 1 and bumped by every update.
    pub version: i64,
    /// ISO-8601 UTC time of the last change.
    pub updated_at: String,
    /// Who made the last change (OS user, plus SSH client where known).
    pub updated_by: String,
}

/// A school: a member of the alliance or an external client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct School {
    /// Row id (0 before insert).
    pub id: i64,
    /// DfE unique reference number (6 digits), when known.
    pub urn: Option<i64>,
    /// Establishment name.
    pub name: String,
    /// Phase of education.
    pub phase: Phase,
    /// GIAS type name, e.g. "Academy converter".
    pub school_type: String,
    /// Local authority name.
    pub la_name: String,
    /// Postcode.
    pub postcode: String,
    /// Number on roll, when known.
    pub pupils: Option<i64>,
    /// Multi-academy trust, if any.
    pub trust: String,
    /// Headteacher's name.
    pub headteacher: String,
    /// In the alliance (true) or an external client (false).
    pub member: bool,
    /// The board's category of concern.
    pub category: Category,
    /// Soft intelligence.
    pub notes: String,
    /// GIAS `ReligiousCharacter (name)` (blank: none recorded; church schools involve the diocese).
    #[serde(default)]
    pub religious_character: String,
    /// GIAS `Diocese (name)` (blank: none).
    #[serde(default)]
    pub diocese: String,
    /// GIAS `Trusts (code)`: the trust's group id, which survives a trust's renaming.
    #[serde(default)]
    pub trust_code: String,
    /// The day it closed (a converted school stays in the record, closed, linked to its successor).
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// An Ofsted inspection, in any of the three eras.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// Row id.
    pub id: i64,
    /// The inspected school.
    pub school_id: i64,
    /// First day of the inspection.
    pub inspected_on: NaiveDate,
    /// Which era's framework.
    pub framework: Framework,
    /// Outcome as published ("Good", "Requires improvement", "Needs attention" …).
    pub outcome: String,
    /// Overall grade 1–4 for graded inspections.
    pub grade: Option<i64>,
    /// Safeguarding judgement, where published.
    pub safeguarding_met: Option<bool>,
    /// Every graded sub-judgement or report-card area as `Area: judgement` lines.
    pub areas: String,
    /// Ofsted's category of concern, where the inspection put the school in one.
    #[serde(default)]
    pub category_of_concern: Option<ConcernCategory>,
    /// Standard (a judgement) or monitoring.
    #[serde(default = "standard_kind")]
    pub kind: InspectionKind,
    /// Revision stamp.
    pub stamp: Stamp,
}

fn standard_kind() -> InspectionKind {
    InspectionKind::Standard
}

/// A dated event in a school's life: a new head, a trust joined or left, a conversion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolEvent {
    /// Row id.
    pub id: i64,
    /// The school.
    pub school_id: i64,
    /// When it happened (GIAS's date where it gives one, else the day it was recorded).
    pub happened_on: NaiveDate,
    /// What happened.
    pub kind: EventKind,
    /// The value before (old head, old trust, predecessor URN …; blank where none).
    pub before: String,
    /// The value after.
    pub after: String,
    /// Where it came from (`gias`, `gias-links`, `edit`, `sample`).
    pub source: String,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// A link between two schools, as GIAS's links file records it (both directions are stored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolLink {
    /// Row id.
    pub id: i64,
    /// The school.
    pub school_id: i64,
    /// The school linked to it.
    pub linked_school_id: i64,
    /// What the linked school is to this one, lower case as stored (`predecessor`,
    /// `successor`, `amalgamated`, `merged` …).
    pub link_type: String,
    /// GIAS's `LinkEstablishedDate`.
    pub since: Option<NaiveDate>,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// A system leader (NLE, LLE, SLE, NLG or other).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leader {
    /// Row id.
    pub id: i64,
    /// Full name.
    pub name: String,
    /// Current designation.
    pub designation: Designation,
    /// Their employer, which releases them.
    pub home_school_id: Option<i64>,
    /// Specialism tags, comma-separated ("Maths, KS2 writing").
    pub specialisms: String,
    /// Days a year they can give (capacity).
    pub days_per_year: f64,
    /// Their day rate in pence.
    pub day_rate_pence: i64,
    /// Email address.
    pub email: String,
    /// Phone number.
    pub phone: String,
    /// Whether they are currently deployable.
    pub active: bool,
    /// Revision stamp.
    pub stamp: Stamp,
}

impl Leader {
    /// Specialisms as a list of trimmed tags.
    pub fn specialism_tags(&self) -> Vec<&str> {
        self.specialisms.split([',', ';']).map(str::trim).filter(|t| !t.is_empty()).collect()
    }
}

/// A support contract between a supported school and a system leader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    /// Row id.
    pub id: i64,
    /// The supported school.
    pub school_id: i64,
    /// The system leader.
    pub leader_id: i64,
    /// What it is about ("KS1 writing", "Leadership").
    pub focus: String,
    /// What the support should achieve.
    pub aims: String,
    /// How success will be assessed (impact measures, baseline, target).
    pub success_criteria: String,
    /// First day.
    pub start_on: NaiveDate,
    /// Last day (always time-limited).
    pub end_on: NaiveDate,
    /// Days commissioned.
    pub days_commissioned: f64,
    /// Agreed day rate in pence.
    pub day_rate_pence: i64,
    /// Who pays (free text).
    pub funding: String,
    /// The funding stream it is allocated to, if any.
    pub funding_stream_id: Option<i64>,
    /// Lifecycle status.
    pub status: ContractStatus,
    /// Revision stamp.
    pub stamp: Stamp,
}

impl Contract {
    /// Agreed price: days × rate, rounded to the penny (half days make half-rate pence exact).
    pub fn price_pence(&self) -> i64 {
        (self.days_commissioned * self.day_rate_pence as f64).round() as i64
    }
}

/// A support visit (a "note of visit").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    /// Row id.
    pub id: i64,
    /// The contract it delivers.
    pub contract_id: i64,
    /// Who visited (defaults to the contract's leader).
    pub leader_id: i64,
    /// The day of the visit.
    pub visited_on: NaiveDate,
    /// Days delivered (halves allowed).
    pub days: f64,
    /// What was done.
    pub activity: Activity,
    /// Note of visit.
    pub notes: String,
    /// Agreed next steps.
    pub next_steps: String,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// A progress review of a contract, rated RAG.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Row id.
    pub id: i64,
    /// The reviewed contract.
    pub contract_id: i64,
    /// Date of the review.
    pub reviewed_on: NaiveDate,
    /// Rating.
    pub rag: Rag,
    /// Summary of progress.
    pub summary: String,
    /// When the next review is due.
    pub next_review_on: Option<NaiveDate>,
    /// Whether to take it back to the board.
    pub escalate: bool,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// A partnership board meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Row id.
    pub id: i64,
    /// Date of the meeting.
    pub held_on: NaiveDate,
    /// Minutes / notes.
    pub notes: String,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// A decision taken at a board meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Row id.
    pub id: i64,
    /// The meeting it was taken at.
    pub meeting_id: i64,
    /// The school concerned, if any.
    pub school_id: Option<i64>,
    /// The contract concerned, if any.
    pub contract_id: Option<i64>,
    /// What kind of decision.
    pub kind: DecisionKind,
    /// The school's new category (`recategorise` only; the text is the reason, `due_on` the
    /// review date).
    #[serde(default)]
    pub category: Option<Category>,
    /// The decision as minuted.
    pub text: String,
    /// Who carries it out.
    pub owner: String,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
    /// Whether it has been done.
    pub done: bool,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// A source of money that contracts are allocated to (a grant, core funding).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundingStream {
    /// Row id.
    pub id: i64,
    /// Name, e.g. "Schools Forum grant 2026/27".
    pub name: String,
    /// Amount available in pence.
    pub amount_pence: i64,
    /// Notes (conditions, contact).
    pub notes: String,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// A dated piece of soft intelligence about a school (issue 14).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intelligence {
    /// Row id (0 before insert).
    pub id: i64,
    /// The school it is about.
    pub school_id: i64,
    /// When it was heard or noted.
    pub noted_on: NaiveDate,
    /// Where it came from ("LA adviser", "head's call" …).
    pub source: String,
    /// What was heard (`[redacted]` once redacted).
    pub text: String,
    /// `normal` or `sensitive` (left out of packs and exports unless asked for).
    pub sensitivity: String,
    /// When to look at it again (review or remove).
    pub review_on: Option<NaiveDate>,
    /// Whether its text has been redacted.
    pub redacted: bool,
    /// Revision stamp.
    pub stamp: Stamp,
}

impl Intelligence {
    /// Whether it is marked sensitive.
    pub fn is_sensitive(&self) -> bool {
        self.sensitivity == "sensitive"
    }
    /// Whether its review date has passed (it should be reviewed or removed).
    pub fn review_due(&self, today: NaiveDate) -> bool {
        !self.redacted && self.review_on.is_some_and(|r| r < today)
    }
    /// What a list says beside the entry, in order: sensitive, redacted, and its review date
    /// (past it: "review due since … — review or remove"). The CLI and the TUI both print these.
    pub fn flags(&self, today: NaiveDate) -> Vec<String> {
        let mut flags = Vec::new();
        if self.is_sensitive() {
            flags.push("SENSITIVE".to_string());
        }
        if self.redacted {
            flags.push("redacted".to_string());
        }
        match self.review_on {
            Some(r) if self.review_due(today) => {
                flags.push(format!("review due since {} — review or remove", super::fmt_date(r)))
            }
            Some(r) => flags.push(format!("review {}", super::fmt_date(r))),
            None => {}
        }
        flags
    }
}

/// Someone who may use this alliance's file (DESIGN §3 `people`): an account, what they are
/// called, their role and, for a leader, which system leader they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Row id.
    pub id: i64,
    /// Unix login name (deployment A) or the gate's `--as` name (deployment B).
    pub account: String,
    /// Display name ("Ann Patel").
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The system leader this person is (leaders only).
    pub leader_id: Option<i64>,
    /// An inactive person is treated as not listed (read-only).
    pub active: bool,
    /// Revision stamp.
    pub stamp: Stamp,
}
