//! The small vocabulary the best-placed-leader ranking reads a focus and a specialism with: each
//! becomes a set of *areas* (maths, writing, SEND, leadership …) and a set of *key stages*
//! (EYFS, KS1–KS5), so "Numeracy", "Maths" and "KS2 mathematics" are the same work, and "KS2"
//! on its own names no work at all.
//!
//! - Areas have at most one parent: English covers reading, writing, phonics and oracy (and
//!   literacy is another word for English), so an English specialist covers a phonics focus,
//!   but a phonics specialist covers only part of an English focus.
//! - Phases name key stages: primary = EYFS–KS2 (infant EYFS–KS1, junior KS2), secondary =
//!   KS3–KS5, "early years" and "reception" = EYFS. "Early reading" is reading in EYFS–KS1.
//! - Words the vocabulary does not know are ignored; a focus with no known area is matched on
//!   its exact text instead (see [`super::rank`]).

use crate::domain::Phase;

/// An area of work a focus or a specialism names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// English as a whole (also "literacy").
    English,
    /// Reading (⊂ English).
    Reading,
    /// Writing, spelling, handwriting (⊂ English).
    Writing,
    /// Phonics (⊂ English).
    Phonics,
    /// Oracy, speaking and listening (⊂ English).
    Oracy,
    /// Maths = mathematics = numeracy.
    Maths,
    /// Science, biology, chemistry, physics.
    Science,
    /// History.
    History,
    /// Geography.
    Geography,
    /// Computing.
    Computing,
    /// Modern foreign languages.
    Languages,
    /// Art and design.
    Art,
    /// Music.
    Music,
    /// Physical education.
    Pe,
    /// Religious education.
    Re,
    /// Design and technology.
    Dt,
    /// PSHE / RSHE.
    Pshe,
    /// The early years foundation stage as a whole ("EYFS" on its own).
    EarlyYears,
    /// Special educational needs and disabilities, inclusion.
    Send,
    /// Behaviour.
    Behaviour,
    /// Attendance.
    Attendance,
    /// Safeguarding.
    Safeguarding,
    /// Curriculum (design, intent, sequencing).
    Curriculum,
    /// Assessment.
    Assessment,
    /// Leadership (senior, headship, leadership and management).
    Leadership,
    /// Governance.
    Governance,
    /// Disadvantaged pupils, pupil premium.
    Disadvantage,
    /// Early-career teachers, ITT, mentoring.
    EarlyCareer,
    /// Finance, budgets.
    Finance,
    /// Most-able pupils.
    MostAble,
}

impl Area {
    /// The area that covers this one, if any (English covers reading, writing, phonics, oracy).
    pub fn parent(self) -> Option<Area> {
        match self {
            Area::Reading | Area::Writing | Area::Phonics | Area::Oracy => Some(Area::English),
            _ => None,
        }
    }

    /// Whether a specialism in `self` covers work in `other`: the same area, or its parent.
    pub fn covers(self, other: Area) -> bool {
        self == other || other.parent() == Some(self)
    }

    /// Whether the two areas are about the same work at all (one covers the other).
    pub fn overlaps(self, other: Area) -> bool {
        self.covers(other) || other.covers(self)
    }

    /// The word shown in reasons.
    pub fn word(self) -> &'static str {
        match self {
            Area::English => "English",
            Area::Reading => "reading",
            Area::Writing => "writing",
            Area::Phonics => "phonics",
            Area::Oracy => "oracy",
            Area::Maths => "maths",
            Area::Science => "science",
            Area::History => "history",
            Area::Geography => "geography",
            Area::Computing => "computing",
            Area::Languages => "languages",
            Area::Art => "art",
            Area::Music => "music",
            Area::Pe => "PE",
            Area::Re => "RE",
            Area::Dt => "design and technology",
            Area::Pshe => "PSHE",
            Area::EarlyYears => "early years",
            Area::Send => "SEND",
            Area::Behaviour => "behaviour",
            Area::Attendance => "attendance",
            Area::Safeguarding => "safeguarding",
            Area::Curriculum => "curriculum",
            Area::Assessment => "assessment",
            Area::Leadership => "leadership",
            Area::Governance => "governance",
            Area::Disadvantage => "disadvantaged pupils",
            Area::EarlyCareer => "early-career teachers",
            Area::Finance => "finance",
            Area::MostAble => "most-able pupils",
        }
    }
}

/// Key stages as bits: EYFS, KS1 … KS5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Stages(pub u8);

impl Stages {
    /// The early years foundation stage.
    pub const EYFS: Stages = Stages(1);
    /// Key stage 1.
    pub const KS1: Stages = Stages(2);
    /// Key stage 2.
    pub const KS2: Stages = Stages(4);
    /// Key stage 3.
    pub const KS3: Stages = Stages(8);
    /// Key stage 4.
    pub const KS4: Stages = Stages(16);
    /// Key stage 5 (sixth form).
    pub const KS5: Stages = Stages(32);
    /// Primary: EYFS to KS2.
    pub const PRIMARY: Stages = Stages(1 | 2 | 4);
    /// Secondary: KS3 to KS5.
    pub const SECONDARY: Stages = Stages(8 | 16 | 32);

    /// No stage named.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// Both.
    pub fn union(self, o: Stages) -> Stages {
        Stages(self.0 | o.0)
    }
    /// Any stage in common.
    pub fn meets(self, o: Stages) -> bool {
        self.0 & o.0 != 0
    }

    /// The stages a school of this phase teaches; its name refines a primary (infant, junior).
    /// Special schools and PRUs may teach any stage, so they name none.
    pub fn of_school(phase: Phase, name: &str) -> Stages {
        let n = name.to_lowercase();
        match phase {
            Phase::Nursery => Stages::EYFS,
            Phase::Primary if n.contains("infant") => Stages(1 | 2),
            Phase::Primary if n.contains("junior") => Stages::KS2,
            Phase::Primary => Stages::PRIMARY,
            Phase::Middle => Stages(4 | 8),
            Phase::Secondary => Stages(8 | 16),
            Phase::AllThrough => Stages(63),
            Phase::SixteenPlus => Stages::KS5,
            Phase::Special | Phase::Pru => Stages::default(),
        }
    }

    /// "KS1–KS2", "EYFS", "KS3 and KS5".
    pub fn label(self) -> String {
        const NAMES: [&str; 6] = ["EYFS", "KS1", "KS2", "KS3", "KS4", "KS5"];
        let on: Vec<usize> = (0..6).filter(|i| self.0 & (1 << i) != 0).collect();
        let contiguous = on.windows(2).all(|w| w[1] == w[0] + 1);
        match on.as_slice() {
            [] => String::new(),
            [one] => NAMES[*one].to_string(),
            [first, .., last] if contiguous => format!("{}–{}", NAMES[*first], NAMES[*last]),
            _ => on.iter().map(|i| NAMES[*i]).collect::<Vec<_>>().join(", "),
        }
    }
}

/// What a focus or one specialism names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tag {
    /// Areas of work (empty: none the vocabulary knows).
    pub areas: Vec<Area>,
    /// Key stages (empty: none named).
    pub stages: Stages,
}

/// What a phrase of the vocabulary means.
#[derive(Clone, Copy)]
enum Means {
    Area(Area),
    Stage(Stages),
    /// An area at given stages ("early reading").
    Both(Area, Stages),
    /// The stage, and the area only when nothing else names one ("EYFS" alone is early years;
    /// "EYFS phonics" is phonics in EYFS).
    StageOr(Stages, Area),
    /// A word that names nothing by itself but must not be read as part of another phrase.
    Nothing,
}

/// The vocabulary, longest phrases first within each entry's words (phrases are matched on
/// whole words, longest first). Documented in docs/DESIGN-NOTES.md §4.
const VOCAB: &[(&str, Means)] = &[
    // English and its parts.
    ("english", Means::Area(Area::English)),
    ("literacy", Means::Area(Area::English)),
    ("early reading", Means::Both(Area::Reading, Stages(1 | 2))),
    ("reading", Means::Area(Area::Reading)),
    ("writing", Means::Area(Area::Writing)),
    ("handwriting", Means::Area(Area::Writing)),
    ("spelling", Means::Area(Area::Writing)),
    ("grammar", Means::Area(Area::Writing)),
    ("phonics", Means::Area(Area::Phonics)),
    ("ssp", Means::Area(Area::Phonics)),
    ("oracy", Means::Area(Area::Oracy)),
    ("speaking and listening", Means::Area(Area::Oracy)),
    // Maths.
    ("maths", Means::Area(Area::Maths)),
    ("math", Means::Area(Area::Maths)),
    ("mathematics", Means::Area(Area::Maths)),
    ("numeracy", Means::Area(Area::Maths)),
    ("arithmetic", Means::Area(Area::Maths)),
    ("mastery", Means::Nothing),
    // Other subjects.
    ("science", Means::Area(Area::Science)),
    ("biology", Means::Area(Area::Science)),
    ("chemistry", Means::Area(Area::Science)),
    ("physics", Means::Area(Area::Science)),
    ("history", Means::Area(Area::History)),
    ("geography", Means::Area(Area::Geography)),
    ("computing", Means::Area(Area::Computing)),
    ("computer science", Means::Area(Area::Computing)),
    ("mfl", Means::Area(Area::Languages)),
    ("modern foreign languages", Means::Area(Area::Languages)),
    ("modern languages", Means::Area(Area::Languages)),
    ("languages", Means::Area(Area::Languages)),
    ("french", Means::Area(Area::Languages)),
    ("spanish", Means::Area(Area::Languages)),
    ("german", Means::Area(Area::Languages)),
    ("art", Means::Area(Area::Art)),
    ("music", Means::Area(Area::Music)),
    ("pe", Means::Area(Area::Pe)),
    ("physical education", Means::Area(Area::Pe)),
    ("re", Means::Area(Area::Re)),
    ("religious education", Means::Area(Area::Re)),
    ("dt", Means::Area(Area::Dt)),
    ("design and technology", Means::Area(Area::Dt)),
    ("pshe", Means::Area(Area::Pshe)),
    ("rshe", Means::Area(Area::Pshe)),
    ("rse", Means::Area(Area::Pshe)),
    // Stages and phases.
    ("eyfs", Means::StageOr(Stages::EYFS, Area::EarlyYears)),
    ("early years", Means::StageOr(Stages::EYFS, Area::EarlyYears)),
    ("reception", Means::Stage(Stages::EYFS)),
    ("ks1", Means::Stage(Stages::KS1)),
    ("key stage 1", Means::Stage(Stages::KS1)),
    ("ks2", Means::Stage(Stages::KS2)),
    ("key stage 2", Means::Stage(Stages::KS2)),
    ("ks3", Means::Stage(Stages::KS3)),
    ("key stage 3", Means::Stage(Stages::KS3)),
    ("ks4", Means::Stage(Stages::KS4)),
    ("key stage 4", Means::Stage(Stages::KS4)),
    ("gcse", Means::Stage(Stages::KS4)),
    ("ks5", Means::Stage(Stages::KS5)),
    ("key stage 5", Means::Stage(Stages::KS5)),
    ("sixth form", Means::Stage(Stages::KS5)),
    ("post 16", Means::Stage(Stages::KS5)),
    ("a level", Means::Stage(Stages::KS5)),
    ("primary", Means::Stage(Stages::PRIMARY)),
    ("infant", Means::Stage(Stages(1 | 2))),
    ("junior", Means::Stage(Stages::KS2)),
    ("secondary", Means::Stage(Stages::SECONDARY)),
    // Whole-school work.
    ("send", Means::Area(Area::Send)),
    ("sen", Means::Area(Area::Send)),
    ("senco", Means::Area(Area::Send)),
    ("special educational needs", Means::Area(Area::Send)),
    ("inclusion", Means::Area(Area::Send)),
    ("behaviour management", Means::Area(Area::Behaviour)),
    ("behaviour", Means::Area(Area::Behaviour)),
    ("behavior", Means::Area(Area::Behaviour)),
    ("exclusions", Means::Area(Area::Behaviour)),
    ("attendance", Means::Area(Area::Attendance)),
    ("absence", Means::Area(Area::Attendance)),
    ("persistent absence", Means::Area(Area::Attendance)),
    ("safeguarding", Means::Area(Area::Safeguarding)),
    ("child protection", Means::Area(Area::Safeguarding)),
    ("curriculum", Means::Area(Area::Curriculum)),
    ("assessment", Means::Area(Area::Assessment)),
    ("leadership and management", Means::Area(Area::Leadership)),
    ("leadership", Means::Area(Area::Leadership)),
    ("headship", Means::Area(Area::Leadership)),
    ("new head", Means::Area(Area::Leadership)),
    ("new headteacher", Means::Area(Area::Leadership)),
    ("senior leaders", Means::Area(Area::Leadership)),
    ("senior leader", Means::Area(Area::Leadership)),
    ("slt", Means::Area(Area::Leadership)),
    ("governance", Means::Area(Area::Governance)),
    ("governors", Means::Area(Area::Governance)),
    ("governor", Means::Area(Area::Governance)),
    ("governing board", Means::Area(Area::Governance)),
    ("disadvantaged pupils", Means::Area(Area::Disadvantage)),
    ("disadvantaged", Means::Area(Area::Disadvantage)),
    ("disadvantage", Means::Area(Area::Disadvantage)),
    ("pupil premium", Means::Area(Area::Disadvantage)),
    ("ect", Means::Area(Area::EarlyCareer)),
    ("ects", Means::Area(Area::EarlyCareer)),
    ("itt", Means::Area(Area::EarlyCareer)),
    ("nqt", Means::Area(Area::EarlyCareer)),
    ("early career", Means::Area(Area::EarlyCareer)),
    ("mentoring", Means::Area(Area::EarlyCareer)),
    ("finance", Means::Area(Area::Finance)),
    ("budget", Means::Area(Area::Finance)),
    ("most able", Means::Area(Area::MostAble)),
    ("more able", Means::Area(Area::MostAble)),
    ("high attainers", Means::Area(Area::MostAble)),
];

/// The words of `text`, lower case, split on anything but letters and digits; "key stage 2"
/// and "KS2" read the same, as do "post-16" and "post 16".
fn words(text: &str) -> Vec<String> {
    text.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Reads a focus or one specialism.
pub fn parse(text: &str) -> Tag {
    // The vocabulary split into words once per process (ranking reads thousands of tags).
    static PHRASES: std::sync::LazyLock<Vec<(Vec<&'static str>, Means)>> =
        std::sync::LazyLock::new(|| VOCAB.iter().map(|(p, m)| (p.split(' ').collect(), *m)).collect());
    let ws = words(text);
    let phrases = &*PHRASES;
    let mut tag = Tag::default();
    let mut fallback: Vec<Area> = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        // The longest phrase starting here.
        let best = phrases
            .iter()
            .filter(|(p, _)| ws.len() - i >= p.len() && ws[i..i + p.len()].iter().zip(p).all(|(w, x)| w == x))
            .max_by_key(|(p, _)| p.len());
        match best {
            Some((p, m)) => {
                match *m {
                    Means::Area(a) => tag.areas.push(a),
                    Means::Stage(s) => tag.stages = tag.stages.union(s),
                    Means::Both(a, s) => {
                        tag.areas.push(a);
                        tag.stages = tag.stages.union(s);
                    }
                    Means::StageOr(s, a) => {
                        tag.stages = tag.stages.union(s);
                        fallback.push(a);
                    }
                    Means::Nothing => {}
                }
                i += p.len();
            }
            None => i += 1,
        }
    }
    if tag.areas.is_empty() {
        tag.areas = fallback;
    }
    tag.areas.sort();
    tag.areas.dedup();
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_read_as_one_area() {
        for t in ["Maths", "mathematics", "Numeracy", "KS2 maths", "maths mastery"] {
            assert_eq!(parse(t).areas, vec![Area::Maths], "{t}");
        }
        assert_eq!(parse("Literacy").areas, vec![Area::English]);
        assert_eq!(parse("Behaviour management").areas, vec![Area::Behaviour], "management is not leadership");
        assert_eq!(parse("Leadership and management").areas, vec![Area::Leadership]);
    }

    #[test]
    fn a_stage_alone_names_no_area() {
        let t = parse("KS2");
        assert!(t.areas.is_empty());
        assert_eq!(t.stages, Stages::KS2);
        assert_eq!(parse("Key stage 2 writing"), Tag { areas: vec![Area::Writing], stages: Stages::KS2 });
    }

    #[test]
    fn eyfs_is_an_area_alone_and_a_stage_with_one() {
        assert_eq!(parse("EYFS"), Tag { areas: vec![Area::EarlyYears], stages: Stages::EYFS });
        assert_eq!(parse("EYFS phonics"), Tag { areas: vec![Area::Phonics], stages: Stages::EYFS });
        assert_eq!(parse("Early reading"), Tag { areas: vec![Area::Reading], stages: Stages(1 | 2) });
    }

    #[test]
    fn english_covers_its_parts_not_the_other_way() {
        assert!(Area::English.covers(Area::Phonics));
        assert!(!Area::Phonics.covers(Area::English));
        assert!(Area::Phonics.overlaps(Area::English));
        assert!(!Area::Reading.overlaps(Area::Writing));
    }

    #[test]
    fn schools_name_their_stages() {
        assert_eq!(Stages::of_school(Phase::Primary, "Lindencross Infant School").label(), "EYFS–KS1");
        assert_eq!(Stages::of_school(Phase::Primary, "Rowanhill Junior School").label(), "KS2");
        assert_eq!(Stages::of_school(Phase::Secondary, "Fernmead College").label(), "KS3–KS4");
        assert!(Stages::of_school(Phase::Special, "Hartgate School").is_empty());
    }
}
