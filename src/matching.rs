//! Best-placed leader: for a supported school, a focus and the days needed, rank the system
//! leaders the board could deploy, and say why. Conflicts of interest (the leader's home school
//! is the supported school, or in the same trust) and inactive leaders are excluded, with the
//! reason shown, never silently dropped.
//!
//! Scoring is additive and every point comes with a line of explanation, so a coordinator can
//! argue with it at the board:
//! - specialism: a tag equal to the focus +40; tags sharing a word with it +25
//! - phase: home school of the same phase +15 (all-through counts half for primary/secondary)
//! - available days: enough for the days needed +20, some +5, none or over capacity −20
//!   (no days given: +1 per available day, up to +20)
//! - designation fit: NLE/LLE for leadership or a category D school, NLG for governance,
//!   SLE for a subject focus (+15 to +20)
//! - track record: the RAG of the latest review on each contract they led: up to +15 for all
//!   green, down to −15 for all red
//! - distance: home school in the same local authority +10

use crate::domain::money::fmt_days;
use crate::domain::{Category, Designation, Phase, Rag};
use serde::Serialize;

/// What the ranking knows about the supported school.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolFacts {
    /// Its id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Phase.
    pub phase: Phase,
    /// Local authority.
    pub la_name: String,
    /// Trust ("" when none).
    pub trust: String,
    /// Board category.
    pub category: Category,
}

/// What the ranking knows about a leader.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Leader id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Designation.
    pub designation: Designation,
    /// Specialism tags.
    pub specialisms: Vec<String>,
    /// Deployable.
    pub active: bool,
    /// Available days this academic year (from the metrics).
    pub available: f64,
    /// Home school: id, phase, LA, trust.
    pub home: Option<(i64, Phase, String, String)>,
    /// Latest RAG of each contract they led.
    pub track: Vec<Rag>,
}

/// One leader's place in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// Leader id.
    pub leader_id: i64,
    /// Name.
    pub name: String,
    /// Designation.
    pub designation: Designation,
    /// Total score (higher is better placed).
    pub score: i64,
    /// Available days.
    pub available: f64,
    /// Why: one line per rule that scored.
    pub reasons: Vec<String>,
    /// Why the leader cannot be deployed here, if so.
    pub excluded: Option<String>,
}

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2 && !matches!(*w, "and" | "the" | "for" | "with"))
        .map(str::to_string)
        .collect()
}

fn is_leadership(focus: &str) -> bool {
    let f = focus.to_lowercase();
    ["leadership", "management", "headship", "head ", "new head", "senior leader"].iter().any(|w| f.contains(w))
}

fn is_governance(focus: &str) -> bool {
    focus.to_lowercase().contains("governance") || focus.to_lowercase().contains("governor")
}

/// Ranks `candidates` for supporting `school` on `focus`, needing `days` if known.
pub fn rank(school: &SchoolFacts, focus: &str, days: Option<f64>, candidates: &[Candidate]) -> Vec<Ranked> {
    let focus_l = focus.trim().to_lowercase();
    let focus_words = words(focus);
    let mut out: Vec<Ranked> = candidates
        .iter()
        .map(|c| {
            let mut score = 0i64;
            let mut reasons = Vec::new();
            let mut add = |points: i64, why: String| {
                score += points;
                reasons.push(format!("{points:+} {why}"));
            };
            // Specialism.
            if let Some(tag) = c.specialisms.iter().find(|t| t.trim().to_lowercase() == focus_l) {
                add(40, format!("specialism `{tag}` is the focus"));
            } else if let Some(tag) = c.specialisms.iter().find(|t| words(t).iter().any(|w| focus_words.contains(w))) {
                add(25, format!("specialism `{tag}` shares a word with the focus"));
            }
            // Phase and place.
            if let Some((_, phase, la, _)) = &c.home {
                if *phase == school.phase {
                    add(15, format!("home school is {phase} too"));
                } else if *phase == Phase::AllThrough && matches!(school.phase, Phase::Primary | Phase::Secondary) {
                    add(8, "home school is all-through".into());
                }
                if !la.is_empty() && la.eq_ignore_ascii_case(&school.la_name) {
                    add(10, format!("same local authority ({la})"));
                }
            }
            // Capacity.
            match days {
                Some(need) if c.available >= need => {
                    add(20, format!("{} days available, {} needed", fmt_days(c.available), fmt_days(need)))
                }
                Some(need) if c.available > 0.0 => add(
                    5,
                    format!("only {} of the {} days needed are available", fmt_days(c.available), fmt_days(need)),
                ),
                Some(_) => add(-20, format!("no days available ({})", fmt_days(c.available))),
                None if c.available > 0.0 => {
                    let p = c.available.min(20.0).floor() as i64;
                    add(p, format!("{} days available", fmt_days(c.available)));
                }
                None => add(-20, format!("no days available ({})", fmt_days(c.available))),
            }
            // Designation fit.
            let leadership = is_leadership(focus) || school.category == Category::D;
            match c.designation {
                Designation::Nle if leadership => add(20, "NLE for leadership or a category D school".into()),
                Designation::Lle if leadership => add(15, "LLE for leadership or a category D school".into()),
                Designation::Nlg if is_governance(focus) => add(20, "NLG for governance".into()),
                Designation::Sle if !leadership && !is_governance(focus) => add(15, "SLE for a subject focus".into()),
                _ => {}
            }
            // Track record.
            if !c.track.is_empty() {
                let n = c.track.len() as i64;
                let green = c.track.iter().filter(|r| **r == Rag::Green).count() as i64;
                let red = c.track.iter().filter(|r| **r == Rag::Red).count() as i64;
                let points = (15 * green - 15 * red) / n;
                if points != 0 {
                    add(points, format!("track record: {green} green, {red} red of {n} reviewed contracts"));
                }
            }
            let excluded = if !c.active {
                Some("not active".to_string())
            } else {
                match &c.home {
                    Some((home_id, _, _, _)) if *home_id == school.id => {
                        Some("conflict of interest: works at the supported school".to_string())
                    }
                    Some((_, _, _, trust)) if !trust.trim().is_empty() && trust.eq_ignore_ascii_case(&school.trust) => {
                        Some(format!("conflict of interest: home school is in the same trust ({trust})"))
                    }
                    _ => None,
                }
            };
            Ranked {
                leader_id: c.id,
                name: c.name.clone(),
                designation: c.designation,
                score,
                available: c.available,
                reasons,
                excluded,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.excluded.is_some().cmp(&b.excluded.is_some()).then(b.score.cmp(&a.score)).then(a.name.cmp(&b.name))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school() -> SchoolFacts {
        SchoolFacts {
            id: 1,
            name: "Hillside Primary".into(),
            phase: Phase::Primary,
            la_name: "Plymouth".into(),
            trust: "Estuary Trust".into(),
            category: Category::C,
        }
    }

    fn cand(id: i64, d: Designation, tags: &[&str], available: f64) -> Candidate {
        Candidate {
            id,
            name: format!("Leader {id}"),
            designation: d,
            specialisms: tags.iter().map(|s| s.to_string()).collect(),
            active: true,
            available,
            home: Some((100 + id, Phase::Primary, "Plymouth".into(), String::new())),
            track: vec![],
        }
    }

    #[test]
    fn specialist_with_days_beats_generalist() {
        let ranked = rank(
            &school(),
            "KS1 writing",
            Some(6.0),
            &[cand(1, Designation::Sle, &["Maths"], 10.0), cand(2, Designation::Sle, &["KS1 writing"], 10.0)],
        );
        assert_eq!(ranked[0].leader_id, 2);
        // 40 specialism + 15 phase + 10 LA + 20 days + 15 SLE subject = 100
        assert_eq!(ranked[0].score, 100);
        assert_eq!(ranked[1].score, 60);
        assert!(ranked[0].reasons.iter().any(|r| r == "+40 specialism `KS1 writing` is the focus"));
    }

    #[test]
    fn conflicts_are_excluded_with_the_reason() {
        let mut same_school = cand(1, Designation::Nle, &["Leadership"], 20.0);
        same_school.home = Some((1, Phase::Primary, "Plymouth".into(), String::new()));
        let mut same_trust = cand(2, Designation::Lle, &["Leadership"], 20.0);
        same_trust.home = Some((50, Phase::Primary, "Plymouth".into(), "estuary trust".into()));
        let mut inactive = cand(3, Designation::Nle, &["Leadership"], 20.0);
        inactive.active = false;
        let ok = cand(4, Designation::Sle, &["Phonics"], 1.0);
        let ranked = rank(&school(), "Leadership", Some(4.0), &[same_school, same_trust, inactive, ok]);
        assert_eq!(ranked[0].leader_id, 4, "the only deployable leader comes first");
        let why: Vec<_> = ranked.iter().filter_map(|r| r.excluded.clone()).collect();
        assert!(why.contains(&"conflict of interest: works at the supported school".to_string()));
        assert!(why.contains(&"conflict of interest: home school is in the same trust (estuary trust)".to_string()));
        assert!(why.contains(&"not active".to_string()));
    }

    #[test]
    fn designation_capacity_and_track_record() {
        let mut d_school = school();
        d_school.category = Category::D;
        let mut nle = cand(1, Designation::Nle, &[], 2.0);
        nle.track = vec![Rag::Green, Rag::Green];
        let mut sle = cand(2, Designation::Sle, &[], -3.0);
        sle.track = vec![Rag::Red];
        let ranked = rank(&d_school, "Maths", Some(5.0), &[nle, sle]);
        assert_eq!(ranked[0].leader_id, 1);
        // 15 phase + 10 LA + 5 partial days + 20 NLE for category D + 15 all green = 65
        assert_eq!(ranked[0].score, 65);
        // 15 + 10 − 20 no days − 15 all red = −10 (SLE gets no subject bonus at a category D school)
        assert_eq!(ranked[1].score, -10);
    }
}
