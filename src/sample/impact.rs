//! The sample's impact records: each contract's success criteria (its free text split as the
//! schema's migration splits it, with baseline and target read from the clause's own "from X%
//! to Y%"), every review's rating of each criterion, close-outs for completed and terminated
//! contracts that agree with their final reviews, and signed agreements for every contract that
//! has been active — plus one proposed contract signed by the school only, awaiting the
//! provider. Drawn with dice of their own, so the rest of the sample is unchanged.

use super::dice::{Dice, add};
use crate::domain::{
    Agreement, CloseKind, Closeout, Contract, ContractStatus, Criterion, CriterionRating, Leader, Outcome, Party, Rag,
    Review, School, Signoff, Stamp, Terms, split_clauses,
};
use chrono::NaiveDate;

/// Everything this module adds to the world.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImpactRecords {
    pub criteria: Vec<Criterion>,
    pub ratings: Vec<CriterionRating>,
    pub closeouts: Vec<Closeout>,
    pub agreements: Vec<Agreement>,
    pub signoffs: Vec<Signoff>,
}

/// "from 63% to 74%" → (63, 74); "from 27 to 19" → (27, 19).
fn from_to(clause: &str) -> Option<(f64, f64)> {
    let rest = &clause[clause.find("from ")? + 5..];
    let (a, rest) = rest.split_once(" to ")?;
    let b: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let a: f64 = a.trim().trim_end_matches('%').parse().ok()?;
    Some((a, b.parse().ok()?))
}

/// "finds 73% of lessons … (baseline 49%)" → (49, 73): the first percentage is the target.
fn with_baseline(clause: &str) -> Option<(f64, f64)> {
    let rest = &clause[clause.find("(baseline ")? + 10..];
    let b: f64 = rest.split('%').next()?.trim().parse().ok()?;
    let before = clause.split('%').next()?;
    let t: String = before.chars().rev().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let t: f64 = t.chars().rev().collect::<String>().parse().ok()?;
    Some((b, t))
}

/// "… by July 2026 …" → 31 July 2026.
fn by_july(clause: &str) -> Option<NaiveDate> {
    let rest = &clause[clause.find("by July ")? + 8..];
    let y: i32 = rest.get(..4)?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, 7, 31)
}

/// The measure a clause names: a published code where there is one, else the clause's topic.
fn measure(clause: &str) -> String {
    if clause.contains("persistent absence") {
        return "PPERSABS10".into();
    }
    if clause.contains("reading, writing and maths combined") {
        return "PTRWM_EXP disadvantage gap".into();
    }
    match clause.split_once(':') {
        Some((topic, _)) if topic.len() < 40 => format!("% {topic}"),
        _ => String::new(),
    }
}

fn closes(c: &Contract) -> Option<CloseKind> {
    match c.status {
        ContractStatus::Completed => Some(CloseKind::Completed),
        ContractStatus::Terminated => Some(CloseKind::Terminated),
        _ => None,
    }
}

const SUSTAIN: &[&str] = &[
    "The subject lead keeps the half-termly monitoring cycle and reports to governors each term.",
    "Staff meetings keep a fortnightly slot for the approach; new staff are inducted into it.",
    "The deputy head has taken over the coaching the leader modelled.",
    "The assessment calendar and moderation with a partner school continue next year.",
];
const FEEDBACK: &[&str] = &[
    "Practical, well-judged support; staff felt trusted rather than inspected.",
    "Useful, though visits were hard to fit around our own calendar.",
    "The leader understood a school like ours and made the work manageable.",
    "Good challenge for leaders; we would have liked more time in classrooms.",
];
const LESSONS: &[&str] = &[
    "Agree the baseline data before the first visit: two weeks were lost finding it.",
    "Half-day visits kept momentum better than full days spread thinly.",
    "Involve governors from the start so the milestones are challenged between visits.",
    "A named contact at the school for each criterion kept the work moving.",
];

/// Builds the impact records for `contracts` and their `reviews` (ids as they will be stored,
/// each vector numbered from 1).
pub(crate) fn build(
    seed: u64,
    today: NaiveDate,
    contracts: &[Contract],
    reviews: &[Review],
    schools: &[School],
    leaders: &[Leader],
) -> ImpactRecords {
    let mut d = Dice::new(seed ^ 0x1515_7AC7);
    let mut out = ImpactRecords::default();
    let school = |id: i64| usize::try_from(id - 1).ok().and_then(|i| schools.get(i));
    let leader = |id: i64| usize::try_from(id - 1).ok().and_then(|i| leaders.get(i));
    let mut first_proposed = true;
    // Reviews by contract, in the order they are stored (a national sample has 120,000).
    let mut by_contract: std::collections::HashMap<i64, Vec<&Review>> = std::collections::HashMap::new();
    for r in reviews {
        by_contract.entry(r.contract_id).or_default().push(r);
    }
    for c in contracts {
        let mine: Vec<&Review> = by_contract.remove(&c.id).unwrap_or_default();
        let final_rag = mine.last().map(|r| r.rag);
        // Criteria, with what each is judged against.
        let first = out.criteria.len();
        for clause in split_clauses(&c.success_criteria) {
            let mut k = Criterion::new(c.id, &clause);
            if let Some((b, t)) = from_to(&clause).or_else(|| with_baseline(&clause)) {
                k.measure = measure(&clause);
                k.baseline = Some(b);
                k.baseline_on = Some(c.start_on);
                k.target = Some(t);
                k.target_by = by_july(&clause).filter(|t| *t >= c.start_on);
            }
            k.id = out.criteria.len() as i64 + 1;
            out.criteria.push(k);
        }
        let kids: Vec<usize> = (first..out.criteria.len()).collect();
        // Every review rates every criterion: mostly its own RAG, now and then a step apart.
        for r in &mine {
            for &i in &kids {
                let rag = match (r.rag, d.below(6)) {
                    (Rag::Green, 0) => Rag::Amber,
                    (Rag::Amber, 0) => Rag::Green,
                    (Rag::Amber, 1) | (Rag::Red, 0) => Rag::Red,
                    (Rag::Red, 1) => Rag::Amber,
                    (rag, _) => rag,
                };
                let id = out.ratings.len() as i64 + 1;
                out.ratings.push(CriterionRating {
                    id,
                    review_id: r.id,
                    criterion_id: out.criteria[i].id,
                    rag,
                    stamp: Stamp::default(),
                });
            }
        }
        // The close-out agrees with the final review: green met, amber partly, a termination
        // not met.
        if let Some(kind) = closes(c) {
            let closed_on = mine.last().map_or(c.end_on.min(today), |r| r.reviewed_on);
            let outcome = match (kind, final_rag) {
                (CloseKind::Terminated, _) => Outcome::NotMet,
                (_, Some(Rag::Green)) => Outcome::Met,
                (_, Some(Rag::Red)) => Outcome::NotMet,
                _ => Outcome::PartlyMet,
            };
            for (n, &i) in kids.iter().enumerate() {
                let k = &mut out.criteria[i];
                // Each criterion's outcome bears out the overall one (the rule the close-out
                // warns by, `outcome_against_criteria`): a met contract met most of its aims.
                let last = n + 1 == kids.len();
                k.outcome = match (outcome, n, d.below(4)) {
                    (Outcome::Met, n, 0) if last && n >= 2 => Outcome::PartlyMet,
                    (Outcome::Met, _, _) => Outcome::Met,
                    (Outcome::PartlyMet, 0, _) => Outcome::PartlyMet,
                    (Outcome::PartlyMet, _, r) if r < 2 => Outcome::Met,
                    (Outcome::PartlyMet, _, _) => Outcome::NotMet,
                    (_, 0, 0) => Outcome::PartlyMet,
                    _ => Outcome::NotMet,
                };
                if let (Some(b), Some(t)) = (k.baseline, k.target) {
                    let share = match k.outcome {
                        Outcome::Met => 1.0 + d.range(0, 2) as f64 / 10.0,
                        Outcome::PartlyMet => d.range(4, 8) as f64 / 10.0,
                        _ => d.range(0, 3) as f64 / 10.0,
                    };
                    k.actual = Some((b + (t - b) * share).round());
                    k.actual_on = Some(closed_on);
                    k.actual_source = "typed".into();
                }
            }
            let reason = match kind {
                CloseKind::Terminated => mine
                    .last()
                    .and_then(|r| r.summary.strip_prefix("Support ended early: "))
                    .and_then(|s| s.split_once(". ").map(|(a, _)| a.to_string()))
                    .unwrap_or_else(|| "support ended early by agreement".into()),
                CloseKind::Completed => String::new(),
            };
            let id = out.closeouts.len() as i64 + 1;
            out.closeouts.push(Closeout {
                id,
                contract_id: c.id,
                kind,
                closed_on,
                outcome,
                sustain: if kind == CloseKind::Completed { d.pick(SUSTAIN).to_string() } else { String::new() },
                school_feedback_score: Some(match outcome {
                    Outcome::Met => d.range(4, 5),
                    Outcome::PartlyMet => d.range(3, 4),
                    _ => d.range(2, 3),
                }),
                school_feedback: d.pick(FEEDBACK).to_string(),
                lessons: d.pick(LESSONS).to_string(),
                reason,
                stamp: Stamp::default(),
            });
        }
        // Every contract that has been active was signed by the school and the provider before
        // it started; the first proposed one is signed by the school, awaiting the provider.
        let signed_parties: &[Party] = match c.status {
            ContractStatus::Proposed if first_proposed => {
                first_proposed = false;
                &[Party::School]
            }
            ContractStatus::Proposed => &[],
            _ if d.chance(30) => &[Party::School, Party::Provider, Party::Commissioner],
            _ => &[Party::School, Party::Provider],
        };
        if signed_parties.is_empty() {
            continue;
        }
        let drawn = add(c.start_on, -(d.range(14, 28))).min(today);
        let criteria: Vec<Criterion> = kids.iter().map(|&i| out.criteria[i].clone()).collect();
        let terms = serde_json::to_string(&Terms::of(c, &criteria)).unwrap_or_default();
        let agreement_id = out.agreements.len() as i64 + 1;
        out.agreements.push(Agreement { id: agreement_id, contract_id: c.id, version: 1, created_on: drawn, terms });
        for (i, party) in signed_parties.iter().enumerate() {
            let by = match party {
                Party::School => school(c.school_id).map(|s| s.headteacher.clone()),
                Party::Provider => {
                    leader(c.leader_id).and_then(|l| l.home_school_id).and_then(school).map(|s| s.headteacher.clone())
                }
                Party::Commissioner => Some(if c.funding.contains("Trust") {
                    "Trust director of school improvement".to_string()
                } else {
                    "LA school improvement officer".to_string()
                }),
            }
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "Headteacher".to_string());
            let on = add(drawn, 2 + 3 * i as i64 + d.range(0, 3)).min(today);
            let id = out.signoffs.len() as i64 + 1;
            out.signoffs.push(Signoff {
                id,
                agreement_id,
                party: *party,
                signed_on: on,
                signed_by: by,
                stamp: Stamp::default(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_and_targets_come_from_the_clause() {
        assert_eq!(from_to("raise the proportion from 63% to 74% by July 2026"), Some((63.0, 74.0)));
        assert_eq!(from_to("reduce suspensions from 27 to 19 a term"), Some((27.0, 19.0)));
        assert_eq!(from_to("every class is read to daily"), None);
        assert_eq!(by_july("by July 2027 (teacher assessment)"), NaiveDate::from_ymd_opt(2027, 7, 31));
        assert_eq!(
            with_baseline("monitoring finds 73% of lessons securely delivering (baseline 49%)."),
            Some((49.0, 73.0))
        );
        assert_eq!(with_baseline("no baseline here"), None);
        assert_eq!(measure("Attendance: reduce persistent absence from 19% to 13%"), "PPERSABS10");
        assert_eq!(measure("KS2 maths: raise …"), "% KS2 maths");
    }
}
