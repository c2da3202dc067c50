//! The closed vocabularies of the data model (DESIGN §3 ◆). Each enum stores as the exact text
//! the schema's CHECK constraints accept, so other tools can query the file by those words.

use std::fmt;

/// Declares a string-backed enum with `as_str`, `parse` (case-insensitive, also accepting the
/// label), `ALL` and `Display`, so the database text, the CLI and the screens share one spelling.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored in the database (◆ contract).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// A short human label for screens.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses the stored text or the label, ignoring case and surrounding space.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| {
                    v.as_str().eq_ignore_ascii_case(s) || v.label().eq_ignore_ascii_case(s)
                })
            }

            /// The accepted words, for error messages ("one of: a, b, c").
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

text_enum! {
    /// Phase of education, as GIAS names it (shortened).
    Phase {
        /// Nursery school.
        Nursery => "Nursery" / "Nursery",
        /// Primary (including infant and junior).
        Primary => "Primary" / "Primary",
        /// Middle (deemed primary or secondary).
        Middle => "Middle" / "Middle",
        /// Secondary.
        Secondary => "Secondary" / "Secondary",
        /// All-through (3/4–16/18).
        AllThrough => "All-through" / "All-through",
        /// Special school.
        Special => "Special" / "Special",
        /// Pupil referral unit / alternative provision.
        Pru => "PRU" / "PRU",
        /// Sixth-form / 16 plus.
        SixteenPlus => "16 plus" / "16 plus",
    }
}

text_enum! {
    /// The board's categorisation of concern (A none … D serious).
    Category {
        /// No concern.
        A => "A" / "A",
        /// Some concern.
        B => "B" / "B",
        /// Significant concern.
        C => "C" / "C",
        /// Serious concern.
        D => "D" / "D",
    }
}

impl Category {
    /// What the letter means, in the board's words.
    pub fn meaning(self) -> &'static str {
        match self {
            Category::A => "no concern",
            Category::B => "some concern",
            Category::C => "significant concern",
            Category::D => "serious concern",
        }
    }
}

text_enum! {
    /// A system leader's designation.
    Designation {
        /// National Leader of Education.
        Nle => "NLE" / "NLE",
        /// Local Leader of Education.
        Lle => "LLE" / "LLE",
        /// Specialist Leader of Education.
        Sle => "SLE" / "SLE",
        /// National Leader of Governance.
        Nlg => "NLG" / "NLG",
        /// Local roles: lead practitioner, adviser.
        Other => "Other" / "Other",
    }
}

impl Designation {
    /// The full title, for detail views.
    pub fn title(self) -> &'static str {
        match self {
            Designation::Nle => "National Leader of Education",
            Designation::Lle => "Local Leader of Education",
            Designation::Sle => "Specialist Leader of Education",
            Designation::Nlg => "National Leader of Governance",
            Designation::Other => "Other system leader",
        }
    }
}

text_enum! {
    /// Where a contract is in its lifecycle: proposed → active ⇄ paused → completed | terminated.
    ContractStatus {
        /// Awaiting a board decision.
        Proposed => "proposed" / "proposed",
        /// Support under way.
        Active => "active" / "active",
        /// Temporarily stopped; still live.
        Paused => "paused" / "paused",
        /// Finished as agreed.
        Completed => "completed" / "completed",
        /// Ended early.
        Terminated => "terminated" / "terminated",
    }
}

impl ContractStatus {
    /// Live contracts are the ones the board monitors and that commit a leader's days.
    pub fn is_live(self) -> bool {
        matches!(self, ContractStatus::Active | ContractStatus::Paused)
    }

    /// Whether the lifecycle allows moving from `self` to `to` (staying put is always allowed).
    pub fn can_become(self, to: ContractStatus) -> bool {
        use ContractStatus::*;
        self == to
            || matches!(
                (self, to),
                (Proposed, Active)
                    | (Proposed, Terminated)
                    | (Active, Paused)
                    | (Paused, Active)
                    | (Active, Completed)
                    | (Active, Terminated)
                    | (Paused, Completed)
                    | (Paused, Terminated)
            )
    }
}

text_enum! {
    /// Progress-review rating.
    Rag {
        /// On track.
        Green => "green" / "green",
        /// Needs attention.
        Amber => "amber" / "amber",
        /// Off track.
        Red => "red" / "red",
    }
}

impl Rag {
    /// A glyph so status never relies on colour alone.
    pub fn glyph(self) -> &'static str {
        match self {
            Rag::Green => "●G",
            Rag::Amber => "◐A",
            Rag::Red => "▲R",
        }
    }
}

text_enum! {
    /// What happened on a visit.
    Activity {
        /// Diagnostic review.
        Diagnostic => "diagnostic" / "diagnostic",
        /// Coaching or mentoring.
        Coaching => "coaching" / "coaching",
        /// Lesson observation.
        Observation => "observation" / "observation",
        /// Work scrutiny.
        WorkScrutiny => "work scrutiny" / "work scrutiny",
        /// Training / INSET.
        Training => "training" / "training",
        /// Data analysis.
        DataAnalysis => "data analysis" / "data analysis",
        /// Joint action planning.
        ActionPlanning => "action planning" / "action planning",
        /// Meeting.
        Meeting => "meeting" / "meeting",
        /// Governance review.
        GovernanceReview => "governance review" / "governance review",
    }
}

text_enum! {
    /// Which Ofsted era an inspection belongs to.
    Framework {
        /// Overall grade 1–4 (to Aug 2024).
        Graded => "graded" / "graded",
        /// Ungraded inspection ("school remains Good").
        Ungraded => "ungraded" / "ungraded",
        /// Report card (from Nov 2025).
        ReportCard => "report_card" / "report card",
    }
}

text_enum! {
    /// What a board decision does.
    DecisionKind {
        /// Commission new support.
        Commission => "commission" / "commission",
        /// Extend a contract.
        Extend => "extend" / "extend",
        /// Vary a contract's terms.
        Vary => "vary" / "vary",
        /// End support.
        End => "end" / "end",
        /// Escalate to the LA/DfE.
        Escalate => "escalate" / "escalate",
        /// Keep monitoring.
        Monitor => "monitor" / "monitor",
        /// Change the school's category (applied to the school in the same transaction).
        Recategorise => "recategorise" / "recategorise",
        /// Approve funding for support.
        ApproveFunding => "approve_funding" / "approve funding",
    }
}

text_enum! {
    /// Ofsted's statutory categories of concern (not the board's A–D).
    ConcernCategory {
        /// Special measures.
        SpecialMeasures => "special measures" / "special measures",
        /// Serious weaknesses (graded era).
        SeriousWeaknesses => "serious weaknesses" / "serious weaknesses",
        /// Requires significant improvement (report-card era).
        SignificantImprovement => "significant improvement" / "requires significant improvement",
    }
}

impl ConcernCategory {
    /// Reads the words Ofsted's files use ("Special Measures", "Serious weaknesses",
    /// "Requires significant improvement"); `None` for blanks and anything else.
    pub fn from_published(s: &str) -> Option<ConcernCategory> {
        let k: String = s.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
        if k.contains("specialmeasures") {
            Some(ConcernCategory::SpecialMeasures)
        } else if k.contains("seriousweakness") {
            Some(ConcernCategory::SeriousWeaknesses)
        } else if k.contains("significantimprovement") {
            Some(ConcernCategory::SignificantImprovement)
        } else {
            None
        }
    }
}

text_enum! {
    /// A standard inspection (a judgement) or a monitoring one (of a school already judged).
    InspectionKind {
        /// Graded, ungraded or report-card inspection that judges the school.
        Standard => "standard" / "standard",
        /// Monitoring inspection of a school in a category or below good: it judges progress,
        /// not the school, so it never replaces the latest judgement.
        Monitoring => "monitoring" / "monitoring",
    }
}

text_enum! {
    /// A dated change in a school's life (GIAS imports and edits write them).
    EventKind {
        /// A new headteacher (before → after).
        HeadChanged => "head_changed" / "new headteacher",
        /// Joined a trust.
        TrustJoined => "trust_joined" / "joined trust",
        /// Left a trust.
        TrustLeft => "trust_left" / "left trust",
        /// Renamed.
        Renamed => "renamed" / "renamed",
        /// Converted: closed and reopened under another URN (before/after are URNs).
        Converted => "converted" / "converted",
        /// Opened.
        Opened => "opened" / "opened",
        /// Closed.
        Closed => "closed" / "closed",
    }
}

/// Ofsted grade words for the graded era.
pub fn grade_word(grade: i64) -> &'static str {
    match grade {
        1 => "Outstanding",
        2 => "Good",
        3 => "Requires improvement",
        4 => "Inadequate",
        _ => "Ungraded",
    }
}

text_enum! {
    /// What a person may do with the file (DESIGN §3 `people`, issue #16).
    Role {
        /// A coordinator, plus settings, funding streams and people.
        Admin => "admin" / "admin",
        /// Everything except settings, funding streams and people.
        Coordinator => "coordinator" / "coordinator",
        /// Sees the schools and contracts they work on; logs visits and reviews on their own
        /// contracts only.
        Leader => "leader" / "leader",
        /// Reads everything except sensitive soft intelligence; changes nothing.
        Board => "board" / "board",
    }
}

/// The five report-card judgements (Nov 2025 on), best first.
pub const REPORT_CARD_SCALE: [&str; 5] =
    ["Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement"];

text_enum! {
    /// Where a success criterion stands: open until the close-out (or an earlier judgement)
    /// says met, partly met or not met.
    Outcome {
        /// Not yet judged.
        Open => "open" / "open",
        /// Met.
        Met => "met" / "met",
        /// Partly met.
        PartlyMet => "partly_met" / "partly met",
        /// Not met.
        NotMet => "not_met" / "not met",
    }
}

text_enum! {
    /// How a contract closed: completed as planned or terminated early.
    CloseKind {
        /// Completed.
        Completed => "completed" / "completed",
        /// Terminated early (a reason is required).
        Terminated => "terminated" / "terminated",
    }
}

text_enum! {
    /// A party that signs a support agreement.
    Party {
        /// The supported school.
        School => "school" / "school",
        /// The provider: the system leader's home school, which releases them.
        Provider => "provider" / "provider",
        /// Whoever pays (the commissioner): LA, trust, grant holder.
        Commissioner => "commissioner" / "commissioner",
    }
}

text_enum! {
    /// What a row of `terms` records.
    TermKind {
        /// Days schools are open (a term, or a half of one).
        Term => "term" / "term",
        /// Days inside a term when schools are shut: half term, training (INSET) days, bank
        /// holidays.
        Closure => "closure" / "closure",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_text_label_and_case() {
        assert_eq!(Framework::parse("report card"), Some(Framework::ReportCard));
        assert_eq!(Framework::parse("REPORT_CARD"), Some(Framework::ReportCard));
        assert_eq!(Activity::parse(" Work Scrutiny "), Some(Activity::WorkScrutiny));
        assert_eq!(Designation::parse("sle"), Some(Designation::Sle));
        assert_eq!(Rag::parse("purple"), None);
        assert_eq!(Phase::parse("16 PLUS"), Some(Phase::SixteenPlus));
    }

    #[test]
    fn lifecycle_transitions() {
        use ContractStatus::*;
        assert!(Proposed.can_become(Active));
        assert!(Active.can_become(Paused) && Paused.can_become(Active));
        assert!(!Completed.can_become(Active));
        assert!(!Proposed.can_become(Paused));
        assert!(!Terminated.can_become(Completed));
        assert!(Active.is_live() && Paused.is_live() && !Proposed.is_live());
    }
}
