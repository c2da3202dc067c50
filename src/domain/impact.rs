//! Impact records and their rules (DESIGN §3): success criteria with a baseline, a target and an
//! actual; each review's rating of each criterion; the close-out that ends a contract with an
//! outcome; and the signed agreement with its versions.

use super::enums::{CloseKind, Outcome, Party, Rag};
use super::records::{Contract, Stamp};
use super::validate::{Level, MAX_LINE, MAX_TEXT, Problem, Problems};
use super::{dates::fmt_date, money::fmt_days};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One success criterion of a contract: how one part of the work will be judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Row id.
    pub id: i64,
    /// The contract it belongs to.
    pub contract_id: i64,
    /// The criterion as agreed, exactly as typed.
    pub text: String,
    /// The measure it names: a published code (`PTRWM_EXP`) or a local one
    /// ("% Y1 phonics check"); blank when it names none.
    pub measure: String,
    /// Where it started.
    pub baseline: Option<f64>,
    /// When the baseline was taken.
    pub baseline_on: Option<NaiveDate>,
    /// Where it should get to.
    pub target: Option<f64>,
    /// By when.
    pub target_by: Option<NaiveDate>,
    /// Where it got to.
    pub actual: Option<f64>,
    /// When the actual was taken.
    pub actual_on: Option<NaiveDate>,
    /// `typed` (someone entered it: imports never replace it), `imported` (filled from
    /// published data), or blank (no actual yet).
    pub actual_source: String,
    /// Met, partly met, not met, or still open.
    pub outcome: Outcome,
    /// Revision stamp.
    pub stamp: Stamp,
}

impl Criterion {
    /// A new, open criterion with only its text.
    pub fn new(contract_id: i64, text: &str) -> Criterion {
        Criterion {
            id: 0,
            contract_id,
            text: text.to_string(),
            measure: String::new(),
            baseline: None,
            baseline_on: None,
            target: None,
            target_by: None,
            actual: None,
            actual_on: None,
            actual_source: String::new(),
            outcome: Outcome::Open,
            stamp: Stamp::default(),
        }
    }
}

/// How a review rated one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionRating {
    /// Row id.
    pub id: i64,
    /// The review.
    pub review_id: i64,
    /// The criterion rated.
    pub criterion_id: i64,
    /// The rating, against [`rag_descriptor`].
    pub rag: Rag,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// The descriptor a criterion rating means, shown beside the choice in the review form and
/// the CLI's help, so every reviewer rates against the same words.
pub fn rag_descriptor(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "on track to be met by the end date",
        Rag::Amber => "at risk: needs a change of approach",
        Rag::Red => "off track: unlikely without further action",
    }
}

/// The record that closes a contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closeout {
    /// Row id.
    pub id: i64,
    /// The contract closed (one close-out each).
    pub contract_id: i64,
    /// Completed or terminated.
    pub kind: CloseKind,
    /// When it closed (the close-out counts in this date's academic year).
    pub closed_on: NaiveDate,
    /// Overall outcome: met, partly met or not met (never open).
    pub outcome: Outcome,
    /// What the school will sustain.
    pub sustain: String,
    /// The school's feedback score, 1–5.
    pub school_feedback_score: Option<i64>,
    /// The school's comment.
    pub school_feedback: String,
    /// Lessons for the board.
    pub lessons: String,
    /// Why it was terminated (required for a termination).
    pub reason: String,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// One version of a contract's agreement: the terms as they stood when it was drawn up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Row id.
    pub id: i64,
    /// The contract.
    pub contract_id: i64,
    /// 1, 2, 3 … (a variation after signing makes the next).
    pub version: i64,
    /// When this version was drawn up.
    pub created_on: NaiveDate,
    /// The terms it records, as [`Terms`] JSON. (An agreement has no revision stamp: its
    /// `version` column is the agreement's version; a signed version is never changed.)
    pub terms: String,
}

/// One party's signature on one agreement version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signoff {
    /// Row id.
    pub id: i64,
    /// The agreement version signed.
    pub agreement_id: i64,
    /// Who signed for.
    pub party: Party,
    /// When.
    pub signed_on: NaiveDate,
    /// The signatory's name.
    pub signed_by: String,
    /// Revision stamp.
    pub stamp: Stamp,
}

/// The terms an agreement fixes; a change to any of them after signing is a variation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    /// First day.
    pub start_on: NaiveDate,
    /// Last day.
    pub end_on: NaiveDate,
    /// Days commissioned.
    pub days_commissioned: f64,
    /// Day rate, pence.
    pub day_rate_pence: i64,
    /// Each criterion's text, measure, baseline and target, in order.
    pub criteria: Vec<TermCriterion>,
}

/// A criterion as an agreement fixes it (its actual and outcome are not terms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermCriterion {
    /// Text.
    pub text: String,
    /// Measure.
    pub measure: String,
    /// Baseline value and date.
    pub baseline: Option<f64>,
    /// Baseline date.
    pub baseline_on: Option<NaiveDate>,
    /// Target value.
    pub target: Option<f64>,
    /// Target date.
    pub target_by: Option<NaiveDate>,
}

impl Terms {
    /// The terms of a contract with its criteria as they stand.
    pub fn of(c: &Contract, criteria: &[Criterion]) -> Terms {
        Terms {
            start_on: c.start_on,
            end_on: c.end_on,
            days_commissioned: c.days_commissioned,
            day_rate_pence: c.day_rate_pence,
            criteria: criteria
                .iter()
                .map(|k| TermCriterion {
                    text: k.text.clone(),
                    measure: k.measure.clone(),
                    baseline: k.baseline,
                    baseline_on: k.baseline_on,
                    target: k.target,
                    target_by: k.target_by,
                })
                .collect(),
        }
    }

    /// What changed from `self` (the signed terms) to `now`, in words: the variation.
    pub fn changes_to(&self, now: &Terms) -> Vec<String> {
        let mut out = Vec::new();
        if self.start_on != now.start_on || self.end_on != now.end_on {
            out.push(format!(
                "dates {} – {} → {} – {}",
                fmt_date(self.start_on),
                fmt_date(self.end_on),
                fmt_date(now.start_on),
                fmt_date(now.end_on)
            ));
        }
        if self.days_commissioned != now.days_commissioned {
            out.push(format!("days {} → {}", fmt_days(self.days_commissioned), fmt_days(now.days_commissioned)));
        }
        if self.day_rate_pence != now.day_rate_pence {
            out.push("day rate changed".into());
        }
        if self.criteria != now.criteria {
            out.push("success criteria changed".into());
        }
        out
    }
}

/// Splits free-text success criteria into clauses: each line, and each `;`-separated part of
/// a line, is one criterion, its text unchanged but for the spaces around it. The schema's
/// migration splits existing contracts the same way (`criteria_split_like_the_migration`).
pub fn split_clauses(text: &str) -> Vec<String> {
    text.split(['\n', ';'])
        .map(|s| s.trim_matches([' ', '\t', '\r']))
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem { field, message: message.into(), level: Level::Error }
}

/// Checks a criterion: its text is one line, its measure short, a target date not before the
/// baseline's, an actual only with a date, and numbers finite.
pub fn criterion(k: &Criterion) -> Problems {
    let mut p = Vec::new();
    let text = k.text.trim();
    if text.is_empty() {
        p.push(problem("text", "the criterion's wording is needed"));
    } else if k.text.chars().count() > 2_000 {
        p.push(problem("text", "the criterion is too long (at most 2,000 characters)"));
    } else if k.text.contains(['\n', '\r']) {
        p.push(problem("text", "a criterion is one line — add another criterion for the next clause"));
    }
    if k.measure.chars().count() > MAX_LINE || k.measure.contains(['\n', '\r']) {
        p.push(problem("measure", format!("the measure must be one line of at most {MAX_LINE} characters")));
    }
    for (field, v) in [("baseline", k.baseline), ("target", k.target), ("actual", k.actual)] {
        if v.is_some_and(|v| !v.is_finite() || v.abs() > 1e12) {
            p.push(problem(field, format!("the {field} must be a number")));
        }
    }
    if let (Some(b), Some(t)) = (k.baseline_on, k.target_by)
        && t < b
    {
        p.push(problem("target_by", format!("the target date is before the baseline's ({})", fmt_date(b))));
    }
    if k.actual.is_some() && k.actual_on.is_none() {
        p.push(problem("actual_on", "give the date of the actual (when it was measured)"));
    }
    if !matches!(k.actual_source.as_str(), "" | "typed" | "imported") {
        p.push(problem("actual_source", "an actual is typed or imported"));
    }
    Problems(p)
}

/// Checks a close-out: an overall outcome (never open), a score of 1–5 if given, a reason for
/// a termination, and free text within the usual limits.
pub fn closeout(c: &Closeout) -> Problems {
    let mut p = Vec::new();
    if c.outcome == Outcome::Open {
        p.push(problem("outcome", "give the overall outcome: met, partly_met or not_met"));
    }
    if c.school_feedback_score.is_some_and(|s| !(1..=5).contains(&s)) {
        p.push(problem("school_feedback_score", "the school's feedback score is 1 to 5"));
    }
    if c.kind == CloseKind::Terminated && c.reason.trim().is_empty() {
        p.push(problem("reason", "a terminated contract needs the reason it ended early"));
    }
    for (field, v) in [
        ("sustain", &c.sustain),
        ("school_feedback", &c.school_feedback),
        ("lessons", &c.lessons),
        ("reason", &c.reason),
    ] {
        if v.len() > MAX_TEXT {
            p.push(problem(field, format!("the {field} text is too long")));
        }
    }
    Problems(p)
}

/// Whether an overall close-out outcome reads against its criteria' outcomes, as a warning
/// sentence (the board may judge the whole differently from its parts, so it is never refused,
/// but a "met" with most aims missed is what a reviewer questions first). Open criteria are not
/// counted. The rule: *met* needs at least half of the criteria met and none not met; *not met*
/// fits when fewer than half are met; *partly met* fits anything but all met or none even partly
/// met.
pub fn outcome_against_criteria(overall: Outcome, criteria: &[Outcome]) -> Option<String> {
    let rated: Vec<Outcome> = criteria.iter().copied().filter(|o| *o != Outcome::Open).collect();
    if rated.is_empty() {
        return None;
    }
    let n = rated.len();
    let count = |o: Outcome| rated.iter().filter(|x| **x == o).count();
    let (met, partly, not) = (count(Outcome::Met), count(Outcome::PartlyMet), count(Outcome::NotMet));
    let tally = format!("{met} of {n} criteria met, {partly} partly met, {not} not met");
    match overall {
        Outcome::Met if met * 2 < n || not > 0 => {
            Some(format!("overall met, but {tally} — say in lessons why the aims count as met, or choose partly_met"))
        }
        Outcome::NotMet if met * 2 >= n => {
            Some(format!("overall not met, but {tally} — say in lessons why, or choose partly_met"))
        }
        Outcome::PartlyMet if met == n => Some(format!("all {n} criteria met — is the overall outcome met?")),
        Outcome::PartlyMet if met + partly == 0 => {
            Some("no criterion met or partly met — is the overall outcome not_met?".to_string())
        }
        _ => None,
    }
}

/// Checks a signature: a name on one line, and a date no later than `today`.
pub fn signoff(s: &Signoff, today: NaiveDate) -> Problems {
    let mut p = Vec::new();
    if s.signed_by.trim().is_empty() {
        p.push(problem("signed_by", "give the name of the person who signed"));
    } else if s.signed_by.chars().count() > MAX_LINE || s.signed_by.contains(['\n', '\r']) {
        p.push(problem("signed_by", format!("the name must be one line of at most {MAX_LINE} characters")));
    }
    if s.signed_on > today {
        p.push(problem("signed_on", "a signature cannot be dated in the future"));
    }
    Problems(p)
}

/// Reads an academic year as people write it — `2025/26`, `2025-26`, `2025/2026` or `2025`
/// (the year it starts) — for years starting on the 1st of `start_month`.
pub fn academic_year(label: &str, start_month: u32) -> Option<super::AcademicYear> {
    let t = label.trim();
    let (first, second) = match t.split_once(['/', '-']) {
        Some((a, b)) => (a.trim(), Some(b.trim())),
        None => (t, None),
    };
    let y: i32 = first.parse().ok().filter(|y| (1900..=2200).contains(y))?;
    if let Some(b) = second {
        let n: i32 = b.parse().ok()?;
        let ok = (b.len() == 2 && n == (y + 1) % 100) || (b.len() == 4 && n == y + 1);
        if !ok {
            return None;
        }
    }
    let start = NaiveDate::from_ymd_opt(y, start_month.clamp(1, 12), 1)?;
    Some(super::AcademicYear::containing(start, start_month))
}

/// Which required parties have not signed, given the parties that have.
pub fn unsigned(signed: &[Party]) -> Vec<Party> {
    [Party::School, Party::Provider].into_iter().filter(|p| !signed.contains(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_are_lines_and_semicolon_parts_with_text_unchanged() {
        assert_eq!(
            split_clauses("Raise KS2 writing from 63% to 74%; books show grammar\nGovernors  challenge ;;\n  \n"),
            vec!["Raise KS2 writing from 63% to 74%", "books show grammar", "Governors  challenge"]
        );
        assert!(split_clauses("").is_empty());
        assert_eq!(split_clauses("one\r\ntwo"), vec!["one", "two"]);
    }

    #[test]
    fn a_termination_needs_a_reason_and_every_close_an_outcome() {
        let mut c = Closeout {
            id: 0,
            contract_id: 1,
            kind: CloseKind::Terminated,
            closed_on: NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"),
            outcome: Outcome::NotMet,
            sustain: String::new(),
            school_feedback_score: Some(3),
            school_feedback: String::new(),
            lessons: String::new(),
            reason: " ".into(),
            stamp: Stamp::default(),
        };
        assert!(closeout(&c).for_field("reason").is_some());
        c.reason = "the head left".into();
        assert!(!closeout(&c).has_errors());
        c.outcome = Outcome::Open;
        assert!(closeout(&c).for_field("outcome").is_some());
        c.outcome = Outcome::Met;
        c.school_feedback_score = Some(6);
        assert!(closeout(&c).for_field("school_feedback_score").is_some());
    }

    #[test]
    fn a_criterion_is_one_line_with_dated_actuals() {
        let mut k = Criterion::new(1, "Phonics pass rate");
        assert!(!criterion(&k).has_errors());
        k.actual = Some(70.0);
        assert!(criterion(&k).for_field("actual_on").is_some());
        k.actual_on = NaiveDate::from_ymd_opt(2026, 7, 1);
        k.text = "two\nlines".into();
        assert!(criterion(&k).for_field("text").is_some());
    }

    #[test]
    fn academic_years_are_read_as_written() {
        let y = academic_year("2025/26", 9).expect("year");
        assert_eq!(y.label(), "2025/26");
        assert_eq!(y.start, NaiveDate::from_ymd_opt(2025, 9, 1).expect("date"));
        assert_eq!(academic_year("2025-2026", 9).map(|y| y.label()), Some("2025/26".into()));
        assert_eq!(academic_year("2025", 9).map(|y| y.label()), Some("2025/26".into()));
        assert_eq!(academic_year("2025/27", 9), None);
        assert_eq!(academic_year("next", 9), None);
    }

    #[test]
    fn school_and_provider_must_sign() {
        assert_eq!(unsigned(&[]), vec![Party::School, Party::Provider]);
        assert_eq!(unsigned(&[Party::Provider, Party::Commissioner]), vec![Party::School]);
        assert!(unsigned(&[Party::School, Party::Provider]).is_empty());
    }

    #[test]
    fn an_overall_outcome_is_questioned_when_its_criteria_say_otherwise() {
        use Outcome::{Met as M, NotMet as N, Open as O, PartlyMet as P};
        // Met: at least half met and none not met — at the edge, and just past it.
        assert_eq!(outcome_against_criteria(M, &[M, P]), None);
        assert_eq!(outcome_against_criteria(M, &[M, M, P, O]), None);
        let w = outcome_against_criteria(M, &[M, P, P]).expect("one of three met is not met overall");
        assert!(w.contains("1 of 3 criteria met, 2 partly met, 0 not met"), "{w}");
        assert!(outcome_against_criteria(M, &[M, M, M, N]).is_some(), "a criterion not met");
        // Not met: fewer than half met.
        assert_eq!(outcome_against_criteria(N, &[M, P, N]), None);
        assert!(outcome_against_criteria(N, &[M, M, N, N]).is_some(), "half met");
        // Partly met: neither all met nor nothing even partly.
        assert_eq!(outcome_against_criteria(P, &[M, N]), None);
        assert!(outcome_against_criteria(P, &[M, M]).is_some());
        assert!(outcome_against_criteria(P, &[N, N]).is_some());
        // Nothing rated: nothing to say.
        assert_eq!(outcome_against_criteria(M, &[O, O]), None);
        assert_eq!(outcome_against_criteria(M, &[]), None);
    }
}
