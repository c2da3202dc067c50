//! The dated events a change to a school's record means (DESIGN §3 `school_events`): a new
//! headteacher, a trust joined or left, a new name, a closure. GIAS imports and edits in the TUI
//! both derive them here, so a head change reads the same whichever way it was recorded.

use super::{EventKind, School};

/// What changed between two versions of a school, as `(kind, before, after)`.
///
/// A headteacher filled in where none was recorded is not a change of head (it is the first
/// record of one), nor is a blank GIAS cell (GIAS blanks do not erase what is stored). A move
/// from one trust to another is one `trust_joined` event with the old trust as `before`.
pub fn between(old: &School, new: &School) -> Vec<(EventKind, String, String)> {
    let mut out = Vec::new();
    let (oh, nh) = (old.headteacher.trim(), new.headteacher.trim());
    if !oh.is_empty() && !nh.is_empty() && !same_person(oh, nh) {
        out.push((EventKind::HeadChanged, oh.to_string(), nh.to_string()));
    }
    let (ot, nt) = (old.trust.trim(), new.trust.trim());
    if !ot.eq_ignore_ascii_case(nt) {
        if nt.is_empty() {
            out.push((EventKind::TrustLeft, ot.to_string(), String::new()));
        } else {
            out.push((EventKind::TrustJoined, ot.to_string(), nt.to_string()));
        }
    }
    if old.name.trim() != new.name.trim() && !new.name.trim().is_empty() {
        out.push((EventKind::Renamed, old.name.trim().to_string(), new.name.trim().to_string()));
    }
    if old.closed_on.is_none()
        && let Some(on) = new.closed_on
    {
        out.push((EventKind::Closed, String::new(), super::fmt_date(on)));
    }
    out
}

/// The same person written two ways ("Mrs Jane Trelawny" and "Jane Trelawny", any case): a
/// title added or dropped is not a new head.
fn same_person(a: &str, b: &str) -> bool {
    const TITLES: [&str; 8] = ["mr", "mrs", "ms", "miss", "dr", "mx", "prof", "rev"];
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| w.trim_matches('.').to_lowercase())
            .filter(|w| !TITLES.contains(&w.as_str()))
            .collect()
    };
    words(a) == words(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Category, Phase, Stamp};

    fn school(head: &str, trust: &str) -> School {
        School {
            id: 1,
            urn: Some(100_001),
            name: "Hill Primary".into(),
            phase: Phase::Primary,
            school_type: String::new(),
            la_name: String::new(),
            postcode: String::new(),
            pupils: None,
            trust: trust.into(),
            headteacher: head.into(),
            member: true,
            category: Category::A,
            notes: String::new(),
            religious_character: String::new(),
            diocese: String::new(),
            trust_code: String::new(),
            closed_on: None,
            stamp: Stamp::default(),
        }
    }

    #[test]
    fn a_new_head_is_an_event_a_title_is_not() {
        let ev = between(&school("Mrs Jane Trelawny", ""), &school("Mr Tom Hart", ""));
        assert_eq!(ev, vec![(EventKind::HeadChanged, "Mrs Jane Trelawny".into(), "Mr Tom Hart".into())]);
        assert!(between(&school("Mrs Jane Trelawny", ""), &school("Jane Trelawny", "")).is_empty());
        assert!(between(&school("", ""), &school("Jane Trelawny", "")).is_empty(), "first record of a head");
    }

    #[test]
    fn trusts_joined_and_left() {
        let ev = between(&school("A B", ""), &school("A B", "Tamar Trust"));
        assert_eq!(ev, vec![(EventKind::TrustJoined, String::new(), "Tamar Trust".into())]);
        let ev = between(&school("A B", "Tamar Trust"), &school("A B", ""));
        assert_eq!(ev, vec![(EventKind::TrustLeft, "Tamar Trust".into(), String::new())]);
        let ev = between(&school("A B", "Tamar Trust"), &school("A B", "Moor Trust"));
        assert_eq!(ev, vec![(EventKind::TrustJoined, "Tamar Trust".into(), "Moor Trust".into())]);
    }
}
