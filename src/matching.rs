//! Best-placed leader: for a supported school, a focus and the days needed, rank the system
//! leaders the board could deploy, and say why (DESIGN §5, round two). Leaders who cannot be
//! deployed — inactive, a conflict of interest (home school is the supported school or in its
//! trust), or a home school that is itself urgent or of concern — are listed apart with the
//! reason, never silently dropped.
//!
//! **Fit to the focus dominates.** The focus and each specialism are read as (area, key
//! stage) tags ([`tags`]): "Numeracy" is maths, an English specialist covers phonics, "KS2"
//! alone names no work. A leader *covers* the focus when their specialisms cover every area it
//! names. The order is: leaders who cover the focus and have available days, then those who
//! cover it with none left, then everyone else — by score within each group — so a
//! generalist never outranks a specialist who could start.
//!
//! Scores add up, and every point comes with a line of explanation (largest first), so a
//! coordinator can argue with it at the board; the weights are in docs/DESIGN-NOTES.md §4.

pub mod tags;

use crate::domain::money::fmt_days;
use crate::domain::{Category, Designation, Phase, Rag};
use serde::Serialize;
use tags::{Area, Stages, Tag};

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

/// How a finished piece of support turned out, as its close-out records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The success criteria were met.
    Met,
    /// Some were.
    PartlyMet,
    /// None were.
    NotMet,
}

/// One contract a leader led before, as their track record sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Past {
    /// The contract's focus (only contracts whose focus overlaps the one asked about count).
    pub focus: String,
    /// Its latest progress review's rating, if reviewed.
    pub rag: Option<Rag>,
    /// Its close-out outcome, once close-outs are recorded; it outweighs the RAG.
    pub outcome: Option<Outcome>,
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
    /// Why their home school cannot spare them: its name, status word and first reason, when
    /// the school status (DESIGN §5) puts it at urgent or concern.
    pub home_standing: Option<String>,
    /// The contracts they led before.
    pub track: Vec<Past>,
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
    /// Whether their specialisms cover every area the focus names.
    pub covers: bool,
    /// Why: one line per rule that scored, largest weight first.
    pub reasons: Vec<String>,
    /// Why the leader cannot be deployed here, if so.
    pub excluded: Option<String>,
}

/// Points for a specialism that covers the whole focus.
pub const COVERS: i64 = 60;
/// Points for the key stage of a covering specialism matching the school's (or the focus's).
pub const STAGE_MATCH: i64 = 15;
/// Points taken off when a covering specialism names only other key stages.
pub const STAGE_OTHER: i64 = -15;

/// How well one leader's specialisms fit the focus.
struct Fit {
    /// Every focus area is covered.
    covers: bool,
    points: i64,
    why: String,
}

/// The focus as the ranking reads it.
struct Focus<'a> {
    text: &'a str,
    tag: Tag,
    /// The stages the work is at: named in the focus, else the school's.
    stages: Stages,
}

fn fit(focus: &Focus<'_>, specialisms: &[String]) -> Fit {
    let none = Fit { covers: false, points: 0, why: String::new() };
    if focus.tag.areas.is_empty() {
        // No area the vocabulary knows: only the same words count.
        return specialisms.iter().find(|s| s.trim().eq_ignore_ascii_case(focus.text.trim())).map_or(none, |s| Fit {
            covers: true,
            points: COVERS,
            why: format!("specialism `{s}` is the focus"),
        });
    }
    let parsed: Vec<(&String, Tag)> = specialisms.iter().map(|s| (s, tags::parse(s))).collect();
    // The best tag for each focus area, then the whole focus.
    let mut covered = 0usize;
    let mut best: Option<(i64, String)> = None;
    for area in &focus.tag.areas {
        let mut area_best: Option<(i64, String)> = None;
        for (s, t) in parsed.iter().filter(|(_, t)| t.areas.iter().any(|a| a.covers(*area))) {
            let (stage_points, stage_why) = if t.stages.is_empty() || focus.stages.is_empty() {
                (0, String::new())
            } else if t.stages.meets(focus.stages) {
                (STAGE_MATCH, format!(", at {}", focus.stages.label()))
            } else {
                (STAGE_OTHER, format!(", but at {} not {}", t.stages.label(), focus.stages.label()))
            };
            let p = COVERS + stage_points;
            if area_best.as_ref().is_none_or(|(b, _)| p > *b) {
                area_best = Some((p, format!("specialism `{s}` covers {}{stage_why}", area.word())));
            }
        }
        if let Some((p, why)) = area_best {
            covered += 1;
            if best.as_ref().is_none_or(|(b, _)| p > *b) {
                best = Some((p, why));
            }
        }
    }
    let n = focus.tag.areas.len();
    match best {
        Some((p, why)) if covered == n => Fit { covers: true, points: p, why },
        Some((p, why)) => {
            // Part of the focus: pro rata, and never enough to be taken for covering it.
            let points = (p * covered as i64 / n as i64).min(COVERS / 2);
            let missing: Vec<&str> = focus
                .tag
                .areas
                .iter()
                .filter(|a| !parsed.iter().any(|(_, t)| t.areas.iter().any(|x| x.covers(**a))))
                .map(|a| a.word())
                .collect();
            Fit { covers: false, points, why: format!("{why} (not {})", missing.join(", ")) }
        }
        None => {
            // A narrower specialism (phonics for an English focus) is related work.
            let related =
                parsed.iter().find(|(_, t)| t.areas.iter().any(|a| focus.tag.areas.iter().any(|f| a.overlaps(*f))));
            match related {
                Some((s, _)) => Fit {
                    covers: false,
                    points: 20,
                    why: format!("specialism `{s}` is part of the focus, not all of it"),
                },
                None => none,
            }
        }
    }
}

/// The focus of a past contract overlaps this one: they share an area (or, where either names
/// no known area, the same text).
fn overlaps(focus: &Focus<'_>, other: &str) -> bool {
    let t = tags::parse(other);
    if focus.tag.areas.is_empty() || t.areas.is_empty() {
        return other.trim().eq_ignore_ascii_case(focus.text.trim());
    }
    focus.tag.areas.iter().any(|a| t.areas.iter().any(|b| a.overlaps(*b)))
}

/// Ranks `candidates` for supporting `school` on `focus`, needing `days` if known.
pub fn rank(school: &SchoolFacts, focus: &str, days: Option<f64>, candidates: &[Candidate]) -> Vec<Ranked> {
    let tag = tags::parse(focus);
    let stages = if tag.stages.is_empty() { Stages::of_school(school.phase, &school.name) } else { tag.stages };
    let f = Focus { text: focus, tag, stages };
    let leadership = f.tag.areas.contains(&Area::Leadership);
    let governance = f.tag.areas.contains(&Area::Governance);
    let mut out: Vec<(u8, Ranked)> = candidates
        .iter()
        .map(|c| {
            let mut lines: Vec<(i64, String)> = Vec::new();
            let mut add = |points: i64, why: String| lines.push((points, why));
            // Fit to the focus.
            let fit = fit(&f, &c.specialisms);
            if fit.points != 0 {
                add(fit.points, fit.why.clone());
            } else if !fit.covers {
                add(0, "no specialism covers the focus".into());
            }
            // Designation fits the work.
            match c.designation {
                Designation::Sle if fit.covers => add(15, "SLE in their own specialism".into()),
                Designation::Nle if leadership => add(20, "NLE for a leadership focus".into()),
                Designation::Lle if leadership => add(15, "LLE for a leadership focus".into()),
                Designation::Nlg if governance => add(20, "NLG for a governance focus".into()),
                _ => {}
            }
            if school.category == Category::D && matches!(c.designation, Designation::Nle | Designation::Lle) {
                add(10, format!("{} leadership experience for a category D school", c.designation));
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
            // Track record in this kind of work only.
            let mine: Vec<&Past> = c.track.iter().filter(|p| overlaps(&f, &p.focus)).collect();
            let judged: Vec<i64> = mine
                .iter()
                .filter_map(|p| match (p.outcome, p.rag) {
                    (Some(Outcome::Met), _) => Some(1),
                    (Some(Outcome::PartlyMet), _) => Some(0),
                    (Some(Outcome::NotMet), _) => Some(-1),
                    (None, Some(Rag::Green)) => Some(1),
                    (None, Some(Rag::Amber)) => Some(0),
                    (None, Some(Rag::Red)) => Some(-1),
                    (None, None) => None,
                })
                .collect();
            if !judged.is_empty() {
                let n = judged.len() as i64;
                let good = judged.iter().filter(|j| **j > 0).count();
                let bad = judged.iter().filter(|j| **j < 0).count();
                let points = 15 * judged.iter().sum::<i64>() / n;
                if points != 0 {
                    add(points, format!("track record in this work: {good} met or green, {bad} not met or red of {n}"));
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
                    _ => c.home_standing.clone(),
                }
            };
            let tier = match (fit.covers, c.available > 0.0) {
                (true, true) => 0,
                (true, false) => {
                    add(0, "covers the focus but has no days left: ranked after those who can start".into());
                    1
                }
                (false, _) => 2,
            };
            let score = lines.iter().map(|(p, _)| p).sum();
            // Largest weight first; a stable sort keeps the rule order among equals.
            lines.sort_by_key(|(p, _)| std::cmp::Reverse(p.abs()));
            let reasons = lines.into_iter().map(|(p, why)| format!("{p:+} {why}")).collect();
            let r = Ranked {
                leader_id: c.id,
                name: c.name.clone(),
                designation: c.designation,
                score,
                available: c.available,
                covers: fit.covers,
                reasons,
                excluded,
            };
            (tier, r)
        })
        .collect();
    out.sort_by(|(ta, a), (tb, b)| {
        a.excluded
            .is_some()
            .cmp(&b.excluded.is_some())
            .then(ta.cmp(tb))
            .then(b.score.cmp(&a.score))
            .then(a.name.cmp(&b.name))
    });
    out.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests;
