//! System leaders: NLEs and LLEs who are heads of strong schools, SLEs released by their home
//! schools (many by the lead school), an NLG or two, and local "Other" roles — with the
//! capacity, day rates and specialisms the designations usually carry.

use super::dice::Dice;
use super::names::{self, People};
use super::schools::{Roles, SchoolInfo, la_sizes, share};
use crate::domain::{Category, Designation, Leader, Phase, School, Stamp};

/// The leaders with a written part (indexes into the leader list).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeaderRoles {
    /// The NLE who heads the lead school and supports the failing school.
    pub nle: usize,
    /// The SLE who has agreed to more days than they have (over capacity).
    pub over: usize,
}

/// Generator-side facts about a leader.
#[derive(Debug, Clone)]
pub(crate) struct LeaderInfo {
    /// Which local authority they work in.
    pub la: usize,
}

const PRIMARY_SLE: &[&str] = &[
    "Phonics",
    "Early reading",
    "KS1 writing",
    "KS2 writing",
    "KS2 maths",
    "EYFS",
    "SEND",
    "Science",
    "Attendance",
    "Behaviour",
    "Curriculum",
    "ECT development",
    "Disadvantaged pupils",
];
const SECONDARY_SLE: &[&str] = &[
    "KS3 maths",
    "English",
    "Science",
    "SEND",
    "Behaviour",
    "Attendance",
    "Curriculum",
    "Disadvantaged pupils",
    "ECT development",
    "Safeguarding",
];
/// Specialisms given to the first leaders of the first authority, so that the written
/// contracts find a leader who fits.
const FIRST_SLES: &[&str] =
    &["Phonics, Early reading", "KS2 maths, Maths", "KS1 writing, KS2 writing", "EYFS, Early reading"];

fn specialisms(d: &mut Dice, des: Designation, home_phase: Phase) -> String {
    let (base, pool): (Option<&str>, &[&str]) = match des {
        Designation::Nle => {
            (Some("Leadership"), &["Curriculum", "Safeguarding", "SEND", "Disadvantaged pupils", "Attendance"])
        }
        Designation::Lle => {
            (Some("Leadership"), &["Curriculum", "Attendance", "Behaviour", "Phonics", "EYFS", "ECT development"])
        }
        Designation::Nlg => (Some("Governance"), &["Finance"]),
        Designation::Other => (None, &["SEND", "Attendance", "Safeguarding", "Behaviour", "EYFS"]),
        Designation::Sle => match home_phase {
            Phase::Secondary | Phase::SixteenPlus => (None, SECONDARY_SLE),
            Phase::Special | Phase::Pru => (None, &["SEND", "Behaviour", "Attendance"]),
            _ => (None, PRIMARY_SLE),
        },
    };
    let mut tags: Vec<&str> = base.into_iter().collect();
    let want = tags.len() + 1 + usize::from(d.chance(45));
    for _ in 0..6 {
        if tags.len() >= want {
            break;
        }
        let t = d.pick(pool);
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags.join(", ")
}

fn capacity(d: &mut Dice, des: Designation) -> f64 {
    match des {
        Designation::Nle => [30.0, 35.0, 40.0][d.below(3)],
        Designation::Lle => [20.0, 20.0, 20.0, 15.0, 25.0][d.below(5)],
        Designation::Sle => [15.0, 15.0, 15.0, 15.0, 10.0, 20.0][d.below(6)],
        Designation::Nlg => [10.0, 10.0, 8.0, 12.0][d.below(4)],
        Designation::Other => [15.0, 20.0][d.below(2)],
    }
}

fn day_rate(d: &mut Dice, des: Designation) -> i64 {
    match des {
        Designation::Nle if d.chance(20) => 60_000,
        Designation::Nle => 55_000,
        Designation::Lle => 45_000,
        Designation::Sle if d.chance(10) => 38_000,
        Designation::Sle | Designation::Other => 35_000,
        Designation::Nlg => 40_000,
    }
}

/// The designations of `c` leaders: about 4 NLE, 7 LLE, 14 SLE, 2 NLG and 3 Other in 30.
fn designations(c: usize) -> Vec<Designation> {
    let nle = share(c, 4, 30).max(1);
    let lle = share(c, 7, 30).max(1);
    let nlg = share(c, 2, 30).max(1);
    let other = share(c, 3, 30).max(1);
    let mut v = Vec::with_capacity(c);
    v.extend(std::iter::repeat_n(Designation::Nle, nle));
    v.extend(std::iter::repeat_n(Designation::Lle, lle));
    v.extend(std::iter::repeat_n(Designation::Nlg, nlg));
    v.extend(std::iter::repeat_n(Designation::Other, other));
    v.truncate(c.saturating_sub(2));
    v.resize(c, Designation::Sle);
    v
}

/// Generates the leaders, `per_96` for every 96 schools of an authority (30 in a city), and
/// makes each NLE and LLE the headteacher of their home school.
pub(crate) fn leaders(
    d: &mut Dice,
    people: &mut People,
    schools: &mut [School],
    info: &[SchoolInfo],
    roles: &Roles,
    per_96: usize,
) -> (Vec<Leader>, Vec<LeaderInfo>, LeaderRoles) {
    let mut out = Vec::new();
    let mut out_info = Vec::new();
    let mut lr = LeaderRoles { nle: usize::MAX, over: usize::MAX };
    let written = roles.all();
    for (la, size) in la_sizes(schools.len()).into_iter().enumerate() {
        let count = share(size, per_96, 96).max(if la == 0 { 8 } else { 2 });
        let mut des = designations(count);
        d.shuffle(&mut des);
        // Heads' schools: strong schools of this authority without a written part.
        let mut strong: Vec<usize> = (0..schools.len())
            .filter(|&i| info[i].la == la && schools[i].category == Category::A && !written.contains(&i))
            .collect();
        d.shuffle(&mut strong);
        let others: Vec<usize> = (0..schools.len())
            .filter(|&i| {
                info[i].la == la && matches!(schools[i].category, Category::A | Category::B) && !written.contains(&i)
            })
            .collect();
        let (mut next_strong, mut first_sle, mut first_other) = (0, 0, true);
        for dz in des {
            let person = people.next(d);
            let lead_here = la == 0 && dz == Designation::Nle && lr.nle == usize::MAX;
            let home = if lead_here {
                Some(roles.lead)
            } else {
                match dz {
                    Designation::Nle | Designation::Lle | Designation::Nlg => {
                        let h = strong.get(next_strong).copied();
                        next_strong += 1;
                        h.or_else(|| others.get(d.below(others.len())).copied())
                    }
                    _ if la == 0 && d.chance(35) => Some(roles.lead),
                    _ => others.get(d.below(others.len())).copied().or_else(|| strong.first().copied()),
                }
            };
            let home = home.unwrap_or(roles.lead);
            let home_phase = schools[home].phase;
            let mut tags = specialisms(d, dz, home_phase);
            if la == 0 {
                match dz {
                    Designation::Sle if first_sle < FIRST_SLES.len() => {
                        tags = FIRST_SLES[first_sle].to_string();
                        first_sle += 1;
                    }
                    Designation::Other if first_other => {
                        tags = "Attendance, Behaviour".to_string();
                        first_other = false;
                    }
                    _ => {}
                }
            }
            let idx = out.len();
            if lead_here {
                lr.nle = idx;
                tags = "Leadership, Curriculum, Safeguarding".to_string();
            }
            if la == 0 && dz == Designation::Sle && lr.over == usize::MAX {
                lr.over = idx;
            }
            if matches!(dz, Designation::Nle | Designation::Lle) {
                schools[home].headteacher = person.titled(d);
            }
            let domain = names::domain(&schools[home].name, &schools[home].la_name);
            let mut days = capacity(d, dz);
            if idx == lr.over {
                days = 15.0;
            }
            out.push(Leader {
                id: 0,
                name: person.name(),
                designation: dz,
                home_school_id: Some(schools[home].id),
                specialisms: tags,
                days_per_year: days,
                day_rate_pence: day_rate(d, dz),
                email: person.email(&domain),
                phone: names::phone(d),
                active: true,
                stamp: Stamp::default(),
            });
            out_info.push(LeaderInfo { la });
        }
    }
    // A couple step back each year (retired, moved to a trust role); their past work stays.
    let written_leaders = [lr.nle, lr.over];
    let mut candidates: Vec<usize> = (0..out.len()).filter(|i| !written_leaders.contains(i)).collect();
    d.shuffle(&mut candidates);
    for &i in candidates.iter().take(share(out.len(), 1, 15)) {
        out[i].active = false;
    }
    if lr.nle == usize::MAX {
        lr.nle = 0;
    }
    if lr.over == usize::MAX {
        lr.over = out.len().saturating_sub(1);
    }
    (out, out_info, lr)
}
