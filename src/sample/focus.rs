//! What support is about: each focus area with the words a coordinator and a system leader
//! would use for it — aims, success criteria with a baseline and a target, what a visit finds,
//! the next steps agreed, and how a progress review describes it.
//!
//! Placeholders, filled in per contract: `{b}` baseline, `{t}` target, `{now}` the figure at a
//! review, `{by}` the deadline ("July 2027").

mod school;
mod subjects;

use crate::domain::{Activity, Phase};

/// Which schools a focus suits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Primary-age pupils (primary, middle, all-through).
    Primary,
    /// Early years (primary, nursery, all-through).
    Early,
    /// Secondary-age pupils (secondary, middle, all-through).
    Secondary,
    /// Mainstream schools of any phase.
    Mainstream,
    /// Every school, including special schools, PRUs and nurseries.
    Any,
}

/// A focus area and its vocabulary.
#[derive(Debug)]
pub(crate) struct Focus {
    /// As written on a contract ("KS1 writing").
    pub name: &'static str,
    /// A leader with any of these specialisms suits it.
    pub tags: &'static [&'static str],
    /// Which schools it suits.
    pub scope: Scope,
    /// The school's lead for it ("English lead").
    pub lead: &'static str,
    /// Which pupils or classes it is about.
    pub classes: &'static str,
    /// Aims, one is chosen.
    pub aims: &'static [&'static str],
    /// Success criteria template.
    pub criteria: &'static str,
    /// Range the baseline is drawn from.
    pub baseline: (i64, i64),
    /// Range of target − baseline (negative when lower is better).
    pub gain: (i64, i64),
    /// What a visit finds.
    pub findings: &'static [&'static str],
    /// Next steps agreed at a visit.
    pub steps: &'static [&'static str],
    /// How a good review reads.
    pub progress: &'static [&'static str],
    /// How a worried review reads.
    pub worries: &'static [&'static str],
    /// Typical activities after the diagnostic.
    pub activities: &'static [Activity],
}

impl Focus {
    /// Whether the focus suits a school of this phase.
    pub fn fits(&self, phase: Phase) -> bool {
        use Phase::*;
        match self.scope {
            Scope::Primary => matches!(phase, Primary | Middle | AllThrough),
            Scope::Early => matches!(phase, Primary | Nursery | AllThrough),
            Scope::Secondary => matches!(phase, Secondary | Middle | AllThrough),
            Scope::Mainstream => matches!(phase, Primary | Secondary | Middle | AllThrough),
            Scope::Any => true,
        }
    }

    /// Whether a leader's specialisms (comma-separated) suit it.
    pub fn suits(&self, specialisms: &str) -> bool {
        specialisms.split(',').map(str::trim).any(|s| self.tags.contains(&s))
    }
}

/// Every focus area: whole-school ones first, then subjects.
pub(crate) fn all() -> Vec<&'static Focus> {
    school::WHOLE_SCHOOL.iter().chain(subjects::SUBJECTS.iter()).collect()
}

/// Every specialism tag a focus accepts.
#[cfg(test)]
pub(crate) fn all_tags() -> Vec<&'static str> {
    let mut tags: Vec<&'static str> = all().iter().flat_map(|f| f.tags.iter().copied()).collect();
    tags.sort_unstable();
    tags.dedup();
    tags
}

/// The focus called `name` (the generator asks only for names it defines).
pub(crate) fn named(name: &str) -> &'static Focus {
    school::WHOLE_SCHOOL
        .iter()
        .chain(subjects::SUBJECTS.iter())
        .find(|f| f.name == name)
        .unwrap_or(&school::WHOLE_SCHOOL[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_focus_has_words_and_a_deadline() {
        for f in all() {
            assert!(f.criteria.contains("{by}") && f.criteria.contains("{t}"), "{}", f.name);
            for list in [f.aims, f.findings, f.steps, f.progress, f.worries] {
                assert!(!list.is_empty(), "{}", f.name);
            }
            assert!(!f.activities.is_empty() && !f.tags.is_empty(), "{}", f.name);
            assert_eq!(named(f.name).name, f.name);
        }
    }

    #[test]
    fn every_phase_has_a_focus_and_leaders_can_fit_them() {
        for phase in Phase::ALL {
            assert!(all().iter().any(|f| f.fits(*phase)), "{phase}");
        }
        let tags = all_tags();
        for t in ["Leadership", "Phonics", "KS1 writing", "KS2 maths", "EYFS", "SEND", "Attendance", "Governance"] {
            assert!(tags.contains(&t), "{t}");
        }
        assert!(named("Early reading").suits("EYFS, Early reading"));
        assert!(!named("Leadership").suits("Phonics"));
    }
}
