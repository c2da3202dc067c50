//! Schools: phases in realistic proportions, GIAS type names, trusts, URNs, postcodes, pupils,
//! headteachers, the board's categories and soft intelligence — plus the handful of schools
//! whose situation is written on purpose so that every alert and status appears.

use super::dice::Dice;
use super::names::{self, People};
use crate::domain::{Category, Phase, School, Stamp};

/// What the generator knows about a school beyond its record.
#[derive(Debug, Clone)]
pub(crate) struct SchoolInfo {
    /// Which local authority (index into the list of authorities the schools were made for).
    pub la: usize,
    /// An academy or free school (trust-run), rather than LA-maintained.
    pub academy: bool,
}

/// The schools with a written part to play (indexes into the school list).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Roles {
    /// The lead school of the alliance: category A, Outstanding, never supported (status ok).
    pub lead: usize,
    /// Category D, leadership support gone red and escalated (urgent).
    pub failing: usize,
    /// Category C, supported, review overdue (concern).
    pub overdue: usize,
    /// Category B, contract ending within the fortnight (watch).
    pub ending: usize,
    /// Category B, visits cancelled, none in 30 days.
    pub quiet: usize,
    /// Category C with no live contract: support ended, new support only proposed.
    pub unsupported: usize,
    /// Category B, more days delivered than commissioned.
    pub overrun: usize,
    /// Category B, contract past its end date and not closed.
    pub lapsed: usize,
}

impl Roles {
    /// Every school with a written part.
    pub fn all(&self) -> [usize; 8] {
        [self.lead, self.failing, self.overdue, self.ending, self.quiet, self.unsupported, self.overrun, self.lapsed]
    }
}

/// Splits `n` schools into local authorities of at most [`names::SCHOOLS_PER_LA`].
pub(crate) fn la_sizes(n: usize) -> Vec<usize> {
    let k = n.div_ceil(names::SCHOOLS_PER_LA).max(1);
    (0..k).map(|i| n / k + usize::from(i < n % k)).collect()
}

/// `round(n × num / den)` in integers.
pub(crate) fn share(n: usize, num: usize, den: usize) -> usize {
    (n * num * 2 + den) / (den * 2)
}

/// The phases of `n` schools: about three-quarters primary, a fifth secondary, a few others.
fn phases(n: usize) -> Vec<Phase> {
    let mut out = Vec::with_capacity(n);
    for (phase, per_96) in [
        (Phase::Secondary, 17),
        (Phase::Special, 3),
        (Phase::Nursery, 1),
        (Phase::Pru, 1),
        (Phase::AllThrough, 1),
        (Phase::SixteenPlus, 1),
    ] {
        out.extend(std::iter::repeat_n(phase, share(n, per_96, 96)));
    }
    out.truncate(n.saturating_sub(n * 2 / 3));
    out.resize(n, Phase::Primary);
    out
}

/// A GIAS type name for a school of this phase.
fn school_type(d: &mut Dice, phase: Phase) -> &'static str {
    let (types, weights): (&[&str], &[u32]) = match phase {
        Phase::Primary | Phase::Middle => (
            &[
                "Academy converter",
                "Academy sponsor led",
                "Community school",
                "Voluntary aided school",
                "Voluntary controlled school",
                "Foundation school",
                "Free schools",
            ],
            &[34, 10, 30, 8, 8, 5, 5],
        ),
        Phase::Secondary => (
            &[
                "Academy converter",
                "Academy sponsor led",
                "Free schools",
                "Community school",
                "Voluntary aided school",
                "Foundation school",
            ],
            &[50, 30, 6, 5, 5, 4],
        ),
        Phase::Special => {
            (&["Community special school", "Academy special converter", "Free schools special"], &[50, 35, 15])
        }
        Phase::Nursery => (&["Local authority nursery school"], &[1]),
        Phase::Pru => (&["Pupil referral unit", "Academy alternative provision converter"], &[1, 1]),
        Phase::AllThrough => (&["Academy converter", "Free schools"], &[1, 1]),
        Phase::SixteenPlus => (&["Free schools 16 to 19", "Academy 16-19 converter"], &[1, 1]),
    };
    types[d.weighted(weights)]
}

fn is_academy(school_type: &str) -> bool {
    school_type.starts_with("Academy") || school_type.starts_with("Free schools")
}

#[derive(Clone, Copy, PartialEq)]
enum Faith {
    None,
    Catholic,
    CofE,
}

/// A school's name from its place, phase, type and faith.
fn school_name(d: &mut Dice, saints: &mut Vec<&str>, place: &str, phase: Phase, ty: &str, faith: Faith) -> String {
    // Each saint once per authority; after that, faith schools take the place's name.
    let saint = if faith == Faith::None { None } else { saints.pop() };
    let saint = saint.map_or_else(|| place.to_string(), |s| format!("St {s}'s"));
    let academy = is_academy(ty);
    match (phase, faith) {
        (Phase::Primary | Phase::Middle, Faith::Catholic) => format!("{saint} Catholic Primary School"),
        (Phase::Primary | Phase::Middle, Faith::CofE) => match d.below(2) {
            0 => format!("{place} Church of England Primary School"),
            _ => format!("{saint} Church of England Primary School"),
        },
        (Phase::Secondary, Faith::Catholic) => format!("{saint} Catholic College"),
        (Phase::Secondary, Faith::CofE) => format!("{saint} Church of England Academy"),
        (Phase::Primary | Phase::Middle, Faith::None) => {
            let options: &[&str] = if ty.starts_with("Free") {
                &["{} Free School", "{} Primary School"]
            } else if academy {
                &["{} Primary School", "{} Primary Academy", "{} Academy", "{} Primary School"]
            } else {
                &["{} Primary School", "{} Community Primary School", "{} Primary School"]
            };
            let mut form = d.pick(options);
            if d.chance(12) {
                form = if d.chance(50) { "{} Infant School" } else { "{} Junior School" };
            }
            form.replace("{}", place)
        }
        (Phase::Secondary, Faith::None) => {
            let options: &[&str] = if academy {
                &["{} Academy", "{} High School", "{} College", "{} School"]
            } else {
                &["{} Community College", "{} High School", "{} School"]
            };
            d.pick(options).replace("{}", place)
        }
        (Phase::Special, _) => format!("{place} School"),
        (Phase::Nursery, _) => format!("{place} Nursery School"),
        (Phase::Pru, _) if academy => format!("The {place} Academy"),
        (Phase::Pru, _) => format!("{place} Learning Centre"),
        (Phase::AllThrough, _) => format!("{place} Academy"),
        (Phase::SixteenPlus, _) => format!("{place} Sixth Form College"),
    }
}

/// Pupils on roll, by phase and name (infant and junior schools are smaller).
fn pupils(d: &mut Dice, phase: Phase, name: &str) -> i64 {
    match phase {
        Phase::Primary | Phase::Middle => {
            let forms = [1, 2, 2, 2, 3][d.below(5)];
            let full = if name.contains("Infant") || name.contains("Junior") {
                forms * 30 * if name.contains("Infant") { 3 } else { 4 }
            } else {
                forms * 210
            };
            full - d.range(0, full / 6)
        }
        Phase::Secondary => d.range(550, 1650),
        Phase::Special => d.range(60, 260),
        Phase::Nursery => d.range(50, 110),
        Phase::Pru => d.range(15, 80),
        Phase::AllThrough => d.range(900, 1900),
        Phase::SixteenPlus => d.range(250, 1100),
    }
}

/// Generates `n` schools across local authorities, sorted by authority then name.
/// The authorities are those of `las`, in order, wrapping round the list.
pub(crate) fn schools(
    d: &mut Dice,
    people: &mut People,
    n: usize,
    las: &[names::La],
) -> (Vec<School>, Vec<SchoolInfo>) {
    let mut rows: Vec<(School, SchoolInfo)> = Vec::with_capacity(n);
    for (la, size) in la_sizes(n).into_iter().enumerate() {
        let places = names::places(d);
        let mut saints = names::SAINTS.to_vec();
        d.shuffle(&mut saints);
        let trusts = names::trusts_for(la, &places);
        let la_name = las[la % las.len()].0;
        let mut phases = phases(size);
        d.shuffle(&mut phases);
        for (i, phase) in phases.into_iter().enumerate() {
            let place = places.get(i % places.len().max(1)).map_or("Vale", String::as_str);
            let ty = school_type(d, phase);
            let academy = is_academy(ty);
            let faith = match ty {
                "Voluntary aided school" if d.chance(70) => Faith::Catholic,
                "Voluntary aided school" | "Voluntary controlled school" => Faith::CofE,
                "Academy converter" if phase == Phase::Primary && d.chance(12) => {
                    if d.chance(50) {
                        Faith::Catholic
                    } else {
                        Faith::CofE
                    }
                }
                _ => Faith::None,
            };
            let name = school_name(d, &mut saints, place, phase, ty, faith);
            let trust = if !academy {
                String::new()
            } else if faith == Faith::Catholic {
                trusts[10].clone()
            } else if faith == Faith::CofE {
                trusts[11].clone()
            } else if d.chance(90) {
                // Trusts differ in size: the first few hold most of the academies.
                trusts[d.weighted(&[12, 10, 9, 8, 7, 6, 5, 4, 3, 2])].clone()
            } else {
                String::new()
            };
            // GIAS's responsible bodies, read off what is already drawn (no dice: the rest of
            // the sample stays as it was). The trust's group id is its place in the LA's list.
            let (religious_character, diocese) = match faith {
                Faith::Catholic => ("Roman Catholic", "Diocese of Plymouth (RC)"),
                Faith::CofE => ("Church of England", "Diocese of Exeter"),
                Faith::None => ("", ""),
            };
            let trust_code = trusts
                .iter()
                .position(|t| *t == trust && !trust.is_empty())
                .map_or(String::new(), |i| format!("{}", 16_000 + la * 100 + i));
            let school = School {
                id: 0,
                urn: None,
                religious_character: religious_character.to_string(),
                diocese: diocese.to_string(),
                trust_code,
                closed_on: None,
                pupils: Some(pupils(d, phase, &name)),
                name,
                phase,
                school_type: ty.to_string(),
                la_name: la_name.to_string(),
                postcode: names::postcode(d, las, la),
                trust,
                headteacher: people.next(d).titled(d),
                member: d.chance(94),
                category: Category::A,
                notes: String::new(),
                stamp: Stamp::default(),
            };
            rows.push((school, SchoolInfo { la, academy }));
        }
    }
    rows.sort_by(|a, b| a.1.la.cmp(&b.1.la).then(a.0.name.cmp(&b.0.name)));
    // URNs rise through the list with small gaps; academies opened later, so theirs are higher.
    let mut urns = Vec::with_capacity(n);
    let mut urn = 900_100;
    for _ in 0..n {
        urn += d.range(1, 3);
        urns.push(urn);
    }
    let mut order: Vec<(bool, usize, usize)> = (0..n).map(|i| (rows[i].1.academy, d.below(1_000_000), i)).collect();
    order.sort_unstable();
    for (k, (_, _, i)) in order.into_iter().enumerate() {
        rows[i].0.urn = Some(urns[k]);
    }
    rows.into_iter().unzip()
}

/// Chooses the schools with written parts, all in the first authority, and sets their
/// categories; then gives every other school a category so the whole list is about
/// 60% A, 25% B, 10% C and 5% D.
pub(crate) fn assign_roles(d: &mut Dice, schools: &mut [School], info: &[SchoolInfo]) -> Roles {
    let first: Vec<usize> = (0..schools.len()).filter(|&i| info[i].la == 0).collect();
    let mut taken: Vec<usize> = Vec::new();
    let choose = |d: &mut Dice, want: &[Phase], taken: &mut Vec<usize>| -> usize {
        let fits: Vec<usize> =
            first.iter().copied().filter(|i| !taken.contains(i) && want.contains(&schools[*i].phase)).collect();
        let pool: Vec<usize> =
            if fits.is_empty() { first.iter().copied().filter(|i| !taken.contains(i)).collect() } else { fits };
        let pick = pool.get(d.below(pool.len())).copied().unwrap_or(0);
        taken.push(pick);
        pick
    };
    let primary = [Phase::Primary];
    let lead = choose(d, &primary, &mut taken);
    let roles = Roles {
        lead,
        failing: choose(d, &primary, &mut taken),
        overdue: choose(d, &primary, &mut taken),
        ending: choose(d, &primary, &mut taken),
        quiet: choose(d, &primary, &mut taken),
        unsupported: choose(d, &primary, &mut taken),
        overrun: choose(d, &[Phase::Secondary, Phase::AllThrough], &mut taken),
        lapsed: choose(d, &primary, &mut taken),
    };
    let lead_school = &mut schools[roles.lead];
    lead_school.member = true;
    if lead_school.trust.is_empty() && info[roles.lead].academy {
        lead_school.trust = names::TRUSTS[0].to_string();
    }
    let fixed = [
        (roles.lead, Category::A),
        (roles.failing, Category::D),
        (roles.overdue, Category::C),
        (roles.ending, Category::B),
        (roles.quiet, Category::B),
        (roles.unsupported, Category::C),
        (roles.overrun, Category::B),
        (roles.lapsed, Category::B),
    ];
    let n = schools.len();
    let mut left = [share(n, 60, 100), share(n, 25, 100), share(n, 10, 100), share(n, 5, 100)];
    for (i, c) in fixed {
        schools[i].category = c;
        schools[i].member = true;
        left[c as usize] = left[c as usize].saturating_sub(1);
    }
    let others: Vec<usize> = (0..n).filter(|i| !roles.all().contains(i)).collect();
    let mut cats: Vec<Category> = Vec::with_capacity(others.len());
    for (c, k) in [Category::D, Category::C, Category::B].into_iter().zip([left[3], left[2], left[1]]) {
        cats.extend(std::iter::repeat_n(c, k));
    }
    cats.truncate(others.len());
    cats.resize(others.len(), Category::A);
    d.shuffle(&mut cats);
    for (i, c) in others.into_iter().zip(cats) {
        schools[i].category = c;
    }
    roles
}

/// Soft intelligence for a school, in a coordinator's words (empty for many category A schools).
/// Whether a note fits the school is checked once its inspections exist
/// ([`super::story::fit_notes`]).
pub(crate) fn notes(d: &mut Dice, s: &School) -> String {
    if s.category == Category::A && !d.chance(30) {
        return String::new();
    }
    let (pct, k, ps) = (d.range(14, 24), d.range(3, 9), d.range(55, 68));
    fill_note(d.pick(note_pool(s.category)), pct, k, ps)
}

/// A note template with its figures filled in.
pub(crate) fn fill_note(template: &str, pct: i64, k: i64, ps: i64) -> String {
    template.replace("{pct}", &pct.to_string()).replace("{k}", &k.to_string()).replace("{ps}", &ps.to_string())
}

/// The notes a coordinator might write about a school in this category.
pub(crate) fn note_pool(c: Category) -> &'static [&'static str] {
    match c {
        Category::A => &[
            "Strong school; the head mentors two new heads in the cluster and would take on more.",
            "Hosts the maths hub work group for this part of the city this year.",
            "Interested in becoming an ITT partner school; has room for two trainees.",
            "Head retiring in July; governors have appointed the deputy. Keep an eye on the handover.",
            "Oversubscribed; building works all year on the new SEND base.",
        ],
        Category::B => &[
            "New head from September (previously a deputy in the trust); keen to work with the alliance.",
            "Year 6 maths dipped in 2026; the maths lead is an ECT2 and would welcome support.",
            "Persistent absence {pct}%, among the highest in the cluster; the EWO's time has been cut.",
            "Falling roll: Reception intake well below PAN, and a restructure of support staff is planned.",
            "Two experienced KS1 teachers left in the summer; both replacements are ECTs.",
            "Governors asked the LA for an external review of the curriculum after a parent complaint.",
        ],
        Category::C => &[
            "Head open to support but stretched: teaching two days a week since the deputy left.",
            "Report card: needs attention for achievement and for attendance. Staff turnover high.",
            "Budget deficit of about £{k}0k forecast for 2027/28; governors considering a restructure.",
            "Phonics screening check {ps}% in 2026 (LA 79%); the Year 1 teacher is an ECT and the EYFS lead is on long-term sick leave.",
            "SEND register has grown by a third in two years; the SENCo has half a day a week for it.",
            "Three teachers leaving at Christmas; the trust is recruiting but cover is likely in January.",
        ],
        Category::D => &[
            "Head resigned at October half term; deputy acting up until Easter. LA adviser: leadership capacity is the main issue.",
            "Two complaints to Ofsted from parents this term; staff describe lunchtimes as unsafe.",
            "Outcomes fell sharply in 2026 in phonics, KS1 and KS2; the trust is considering a change of leadership.",
            "Safeguarding records found incomplete at the LA's audit; DSL training now booked for every leader.",
        ],
    }
}
