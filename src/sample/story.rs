//! Keeping the sample's story true: soft intelligence must fit the school it is about. A junior
//! school has no KS1 teachers, a maintained school has no trust, and a note cannot cite a
//! report card the school never had. Notes are drawn before the inspections exist (so the rest
//! of the sample stays as it was); this pass checks each note against its school and, where it
//! does not fit, writes one that does from the same category's notes, with its own dice.

use super::dice::Dice;
use super::schools::{fill_note, note_pool};
use crate::domain::{EventKind, Framework, Inspection, Phase, School, SchoolEvent, Stamp};

/// Why `note` does not fit school `s` with these inspections, if it does not.
pub(crate) fn misfit(note: &str, s: &School, inspections: &[&Inspection]) -> Option<String> {
    let lower = note.to_lowercase();
    let name = s.name.to_lowercase();
    if lower.contains("the trust") && s.trust.trim().is_empty() {
        return Some(format!("speaks of \"the trust\" but {} is not in a trust", s.name));
    }
    let infant_stage = ["ks1", "phonics", "year 1 ", "reception", "eyfs"].iter().any(|w| lower.contains(w));
    let has_infants =
        matches!(s.phase, Phase::Primary | Phase::AllThrough | Phase::Special) && !name.contains("junior");
    if infant_stage && !has_infants {
        return Some(format!("speaks of KS1/EYFS but {} has no infant classes", s.name));
    }
    let junior_stage = ["ks2", "year 6"].iter().any(|w| lower.contains(w));
    let has_juniors = matches!(s.phase, Phase::Primary | Phase::Middle | Phase::AllThrough | Phase::Special)
        && !name.contains("infant");
    if junior_stage && !has_juniors {
        return Some(format!("speaks of KS2 but {} has no junior classes", s.name));
    }
    if lower.contains("report card") {
        let Some(card) = inspections.iter().rev().find(|i| i.framework == Framework::ReportCard) else {
            return Some(format!("cites a report card but {} has never had one", s.name));
        };
        let o = card.outcome_view();
        for (phrase, word) in
            [("needs attention for ", "Needs attention"), ("urgent improvement for ", "Urgent improvement")]
        {
            let Some(at) = lower.find(phrase) else { continue };
            let cited = &lower[at + phrase.len()..];
            let cited = &cited[..cited.find(['.', ',', ';']).unwrap_or(cited.len())];
            for part in cited.split(" and for ") {
                let part = part.trim();
                let judged =
                    o.areas().iter().any(|(a, j)| a.to_lowercase().starts_with(part) && j.eq_ignore_ascii_case(word));
                if !judged {
                    return Some(format!("cites {word} for {part}, which the report card does not say"));
                }
            }
        }
        if lower.contains("safeguarding not met") && card.safeguarding_met != Some(false) {
            return Some("cites safeguarding not met, which the report card does not say".to_string());
        }
    }
    None
}

/// The heads who started this September: the school whose head left at Easter (its interim
/// head) and every school whose notes say it has a new head from September, as dated
/// `head_changed` events, so the `new_head` alert has its story. The heads before them are
/// named from a fixed list (no dice: the rest of the sample stays as it was).
pub(crate) fn head_events(schools: &[School], interim: usize, year_start: chrono::NaiveDate) -> Vec<SchoolEvent> {
    const BEFORE: [&str; 6] =
        ["Mrs Ann Polglase", "Mr David Rowe", "Ms Carol Jenkin", "Mr Peter Hosking", "Dr Sarah Tonkin", "Mr Ian Luke"];
    let mut out = Vec::new();
    for (i, s) in schools.iter().enumerate() {
        if i != interim && !s.notes.starts_with("New head from September") {
            continue;
        }
        out.push(SchoolEvent {
            id: out.len() as i64 + 1,
            school_id: s.id,
            happened_on: year_start,
            kind: EventKind::HeadChanged,
            before: BEFORE[s.id as usize % BEFORE.len()].to_string(),
            after: s.headteacher.clone(),
            source: "sample".to_string(),
            stamp: Stamp::default(),
        });
    }
    out
}

/// Replaces every note that does not fit its school with one from the same category's notes
/// that does (or none, when no note fits: a blank note is better than a false one).
pub(crate) fn fit_notes(schools: &mut [School], inspections: &[Inspection], seed: u64) {
    let mut d = Dice::new(seed ^ 0x0570_91e5);
    for s in schools.iter_mut() {
        let mine: Vec<&Inspection> = inspections.iter().filter(|i| i.school_id == s.id).collect();
        if s.notes.is_empty() || misfit(&s.notes, s, &mine).is_none() {
            continue;
        }
        let (pct, k, ps) = (d.range(14, 24), d.range(3, 9), d.range(55, 68));
        let fitting: Vec<String> = note_pool(s.category)
            .iter()
            .map(|t| fill_note(t, pct, k, ps))
            .filter(|n| *n != s.notes && misfit(n, s, &mine).is_none())
            .collect();
        s.notes = if fitting.is_empty() { String::new() } else { fitting[d.below(fitting.len())].clone() };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Category, DecisionKind};
    use crate::sample::world;

    fn school(name: &str, phase: Phase, trust: &str) -> School {
        School {
            id: 1,
            urn: None,
            name: name.into(),
            phase,
            school_type: String::new(),
            la_name: String::new(),
            postcode: String::new(),
            pupils: None,
            trust: trust.into(),
            headteacher: String::new(),
            member: true,
            category: Category::C,
            notes: String::new(),
            religious_character: String::new(),
            diocese: String::new(),
            trust_code: String::new(),
            closed_on: None,
            stamp: Stamp::default(),
        }
    }

    #[test]
    fn notes_that_do_not_fit_their_school_are_caught() {
        let junior = school("Glenton Junior School", Phase::Primary, "");
        assert!(misfit("Two experienced KS1 teachers left in the summer.", &junior, &[]).is_some());
        assert!(misfit("Year 6 maths dipped in 2026.", &junior, &[]).is_none());
        let special = school("Cadleworthy School", Phase::Special, "");
        assert!(misfit("Outcomes fell; the trust is considering a change of leadership.", &special, &[]).is_some());
        let academy = school("Moor Academy", Phase::Secondary, "Moor Trust");
        assert!(misfit("Three teachers leaving; the trust is recruiting.", &academy, &[]).is_none());
        assert!(misfit("Phonics screening check 60% in 2026.", &academy, &[]).is_some());
        let card = Inspection {
            id: 1,
            school_id: 1,
            inspected_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 20).expect("date"),
            framework: Framework::ReportCard,
            outcome: String::new(),
            grade: None,
            safeguarding_met: Some(true),
            areas: "Achievement: Needs attention\nAttendance and behaviour: Expected standard".into(),
            category_of_concern: None,
            kind: crate::domain::InspectionKind::Standard,
            stamp: Stamp::default(),
        };
        let note = "Report card: needs attention for achievement and for attendance. Staff turnover high.";
        assert!(misfit(note, &academy, &[]).is_some(), "no report card at all");
        assert!(misfit(note, &academy, &[&card]).is_some(), "attendance was not judged needs attention");
        assert!(misfit("Report card: needs attention for achievement.", &academy, &[&card]).is_none());
    }

    /// The story holds in samples of any seed, not only the committed one.
    #[test]
    fn samples_tell_a_true_story() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        let (from, to) = super::super::inspections::covid_suspension();
        for seed in [2026, 7, 41] {
            let w = world::build(seed, today, 96, &world::Shape::city(96), &mut |_| {});
            for i in &w.inspections {
                assert!(i.inspected_on < from || i.inspected_on > to, "seed {seed}: inspection on {}", i.inspected_on);
            }
            for s in &w.schools {
                let mine: Vec<&Inspection> = w.inspections.iter().filter(|i| i.school_id == s.id).collect();
                assert_eq!(misfit(&s.notes, s, &mine), None, "seed {seed}: {}: {}", s.name, s.notes);
            }
            // Progress is told in order: a contract's notes never go back to an earlier milestone.
            for c in &w.contracts {
                let focus = crate::sample::focus::named(&c.focus);
                let mut visits: Vec<_> = w.visits.iter().filter(|v| v.contract_id == c.id).collect();
                visits.sort_by_key(|v| (v.visited_on, v.id));
                let mut reached = 0;
                for v in visits {
                    let Some((_, told)) = v.notes.split_once("Since the last visit: ") else { continue };
                    let stage = focus.progress.iter().position(|t| {
                        let head = &t[..t.find('{').unwrap_or(t.len())];
                        told.to_lowercase().starts_with(&head.to_lowercase())
                    });
                    let Some(stage) = stage else { continue };
                    assert!(stage >= reached, "seed {seed}: contract #{} goes back to an earlier milestone", c.id);
                    reached = stage;
                }
            }
            for d in &w.decisions {
                let text = d.text.to_lowercase();
                if text.contains("category c") || text.contains("category d") || text.starts_with("move ") {
                    assert_eq!(d.kind, DecisionKind::Recategorise, "seed {seed}: {}", d.text);
                    assert!(d.category.is_some() && d.due_on.is_some());
                }
                if text.contains("consider a warning notice") {
                    let s = w.schools.iter().find(|s| Some(s.id) == d.school_id).expect("school");
                    let latest = w.inspections.iter().filter(|i| i.school_id == s.id).max_by_key(|i| i.inspected_on);
                    assert!(
                        latest.is_none_or(|i| i.outcome_view().concern_triggers().is_empty()),
                        "seed {seed}: a warning notice for {}, already in a category of concern",
                        s.name
                    );
                }
            }
        }
    }
}
