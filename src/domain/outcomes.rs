//! Reading an Ofsted outcome as a school-improvement professional does (DESIGN §5, DOMAIN
//! "Round two"): which facts put a school in a statutory *category of concern*, whether it is
//! *below good* (the RISE "stuck" test reads two of these), and a report card shown as its
//! profile of areas — never as one worst word.

use super::{ConcernCategory, Framework, REPORT_CARD_SCALE, grade_word};

/// One inspection's published outcome, borrowed from a stored record or a metrics fact row.
#[derive(Debug, Clone, Copy)]
pub struct Outcome<'a> {
    /// Era.
    pub framework: Framework,
    /// Outcome as published.
    pub outcome: &'a str,
    /// Overall grade, where there is one.
    pub grade: Option<i64>,
    /// `Area: judgement` lines (graded sub-judgements or report-card areas).
    pub areas: &'a str,
    /// Safeguarding met / not met, where published.
    pub safeguarding_met: Option<bool>,
    /// Ofsted's category of concern, where recorded.
    pub category_of_concern: Option<ConcernCategory>,
}

/// The report-card word for "Urgent improvement".
const URGENT: &str = REPORT_CARD_SCALE[4];
/// The report-card word for "Needs attention".
const ATTENTION: &str = REPORT_CARD_SCALE[3];

impl<'a> Outcome<'a> {
    /// `(area, judgement)` pairs, in the order recorded.
    pub fn areas(&self) -> Vec<(&'a str, &'a str)> {
        self.areas
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(a, j)| (a.trim(), j.trim()))
            .filter(|(a, j)| !a.is_empty() && !j.is_empty())
            .collect()
    }

    /// Areas judged `word` (case ignored).
    fn areas_judged(&self, word: &str) -> Vec<&'a str> {
        self.areas().into_iter().filter(|(_, j)| j.eq_ignore_ascii_case(word)).map(|(a, _)| a).collect()
    }

    /// Every published fact that puts the school in a category of concern, in words (empty when
    /// none): graded overall 4 / Inadequate, a recorded category of concern, any report-card
    /// area Urgent improvement, safeguarding not met.
    pub fn concern_triggers(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(c) = self.category_of_concern {
            out.push(format!("Ofsted recorded {}", c.label()));
        }
        if self.grade == Some(4) || (self.grade.is_none() && self.outcome.trim().eq_ignore_ascii_case("inadequate")) {
            out.push("graded 4 Inadequate overall".to_string());
        }
        let urgent = self.areas_judged(URGENT);
        if !urgent.is_empty() {
            out.push(format!("Urgent improvement in {}", urgent.join(", ")));
        }
        if self.safeguarding_met == Some(false) {
            out.push("safeguarding not met".to_string());
        }
        out
    }

    /// Below good: graded 3 or 4; with no overall grade, any sub-judgement Requires improvement
    /// or Inadequate; a report card with any area Needs attention or Urgent improvement; or any
    /// category-of-concern fact. Ungraded inspections judge nothing new, so are never below good
    /// here (they are not counted as judgements at all).
    pub fn below_good(&self) -> bool {
        if !self.concern_triggers().is_empty() {
            return true;
        }
        match (self.framework, self.grade) {
            (Framework::Graded, Some(g)) => g >= 3,
            (Framework::Graded, None) => self
                .areas()
                .iter()
                .any(|(_, j)| j.eq_ignore_ascii_case(grade_word(3)) || j.eq_ignore_ascii_case(grade_word(4))),
            (Framework::ReportCard, _) => !self.areas_judged(ATTENTION).is_empty(),
            (Framework::Ungraded, _) => false,
        }
    }

    /// A few words for a reason that cites the inspection: the grade, or the report card's
    /// count of areas below the expected standard.
    pub fn short(&self) -> String {
        match (self.framework, self.grade) {
            (_, Some(g)) => format!("grade {g} {}", grade_word(g)),
            (Framework::ReportCard, _) => {
                let (u, a) = (self.areas_judged(URGENT).len(), self.needs_attention().len());
                match (u, a) {
                    (0, 0) => "report card, every area expected or better".to_string(),
                    (0, a) => format!("report card, {a} needing attention"),
                    (u, 0) => format!("report card, {u} urgent improvement"),
                    (u, a) => format!("report card, {u} urgent improvement and {a} needing attention"),
                }
            }
            _ => self.outcome.to_string(),
        }
    }

    /// A few words for a list column: the grade ("3 Requires improvement"), or a report card's
    /// profile, worst first so a narrow column keeps what matters ("2 urgent · 3 attention ·
    /// 1 expected"), never its one worst word.
    pub fn compact(&self) -> String {
        match (self.framework, self.grade) {
            (_, Some(g)) => format!("{g} {}", grade_word(g)),
            (Framework::ReportCard, _) if !self.areas().is_empty() => {
                const SHORT: [&str; 5] = ["exceptional", "strong", "expected", "attention", "urgent"];
                let mut parts = Vec::new();
                for (i, word) in REPORT_CARD_SCALE.iter().enumerate().rev() {
                    let n = self.areas_judged(word).len();
                    if n > 0 {
                        parts.push(format!("{n} {}", SHORT[i]));
                    }
                }
                parts.join(" · ")
            }
            _ => self.outcome.to_string(),
        }
    }

    /// Report-card areas judged Needs attention.
    pub fn needs_attention(&self) -> Vec<&'a str> {
        self.areas_judged(ATTENTION)
    }

    /// One line for lists: the grade word (with any category of concern) for a graded
    /// inspection, the profile of areas for a report card ("1 strong standard, 4 expected
    /// standard, 1 needs attention (Achievement); safeguarding met"), the outcome as published
    /// otherwise.
    pub fn summary(&self) -> String {
        let mut s = match (self.framework, self.grade) {
            (Framework::ReportCard, _) if !self.areas().is_empty() => {
                let mut parts = Vec::new();
                for word in REPORT_CARD_SCALE {
                    let areas = self.areas_judged(word);
                    if areas.is_empty() {
                        continue;
                    }
                    let mut p = format!("{} {}", areas.len(), word.to_lowercase());
                    // The areas that need action are named; the rest are counted.
                    if word == ATTENTION || word == URGENT {
                        p.push_str(&format!(" ({})", areas.join(", ")));
                    }
                    parts.push(p);
                }
                parts.join(", ")
            }
            (_, Some(g)) => format!("grade {g} {}", grade_word(g)),
            _ => self.outcome.to_string(),
        };
        if let Some(c) = self.category_of_concern
            && !s.to_lowercase().contains(c.as_str())
        {
            s.push_str(&format!(" — {}", c.label()));
        }
        match self.safeguarding_met {
            Some(true) if self.framework == Framework::ReportCard => s.push_str("; safeguarding met"),
            Some(false) => s.push_str("; safeguarding NOT met"),
            _ => {}
        }
        s
    }
}

impl super::Inspection {
    /// This inspection's outcome, for the rules and summaries of [`Outcome`].
    pub fn outcome_view(&self) -> Outcome<'_> {
        Outcome {
            framework: self.framework,
            outcome: &self.outcome,
            grade: self.grade,
            areas: &self.areas,
            safeguarding_met: self.safeguarding_met,
            category_of_concern: self.category_of_concern,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc(areas: &'static str, safe: Option<bool>) -> Outcome<'static> {
        Outcome {
            framework: Framework::ReportCard,
            outcome: "",
            grade: None,
            areas,
            safeguarding_met: safe,
            category_of_concern: None,
        }
    }

    #[test]
    fn category_of_concern_triggers() {
        let sm = Outcome {
            framework: Framework::Graded,
            outcome: "No overall grade (Special Measures)",
            grade: None,
            areas: "Quality of education: Inadequate",
            safeguarding_met: None,
            category_of_concern: Some(ConcernCategory::SpecialMeasures),
        };
        assert_eq!(sm.concern_triggers(), vec!["Ofsted recorded special measures"]);
        let lg = rc("Inclusion: Expected standard\nLeadership and governance: Urgent improvement", Some(true));
        assert_eq!(lg.concern_triggers(), vec!["Urgent improvement in Leadership and governance"]);
        let sg = rc("Inclusion: Strong standard", Some(false));
        assert_eq!(sg.concern_triggers(), vec!["safeguarding not met"]);
        assert!(rc("Inclusion: Needs attention", Some(true)).concern_triggers().is_empty());
        assert!(rc("Inclusion: Needs attention", Some(true)).below_good());
        assert!(!rc("Inclusion: Expected standard", Some(true)).below_good());
    }

    #[test]
    fn a_report_card_reads_as_its_profile() {
        let o = rc(
            "Inclusion: Strong standard\nAchievement: Needs attention\nAttendance and behaviour: Expected standard\nCurriculum and teaching: Expected standard",
            Some(true),
        );
        assert_eq!(
            o.summary(),
            "1 strong standard, 2 expected standard, 1 needs attention (Achievement); safeguarding met"
        );
    }
}
