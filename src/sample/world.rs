//! Builds the whole sample in memory — a pure function of the seed, today and the number of
//! schools — then checks every record against the domain's validation, and writes it.
//!
//! Ids are given in the order records are inserted into a new, empty file (1, 2, 3 …), so
//! records can refer to each other before anything is written; [`write`] checks that SQLite
//! gave the same ids.

use super::board;
use super::contracts::{self, Ctx};
use super::delivery;
use super::dice::Dice;
use super::inspections;
use super::leaders;
use super::names;
use super::schools::{self, share};
use super::story;
use super::written;
use crate::domain::settings::Settings;
use crate::domain::validate::{self, Level, Problem, Problems};
use crate::domain::{
    AcademicYear, Contract, ContractStatus, Decision, FundingStream, Inspection, Leader, Meeting, Review, School,
    Stamp, Term, Visit,
};
use crate::store::{self, Actor, Entity, StoreError};
use chrono::{Datelike, NaiveDate};

/// How often the sample's contracts were reviewed, in calendar days: the six-weekly cadence the
/// generator has always used (the setting is now in school days and would change the story).
const REVIEW_EVERY_DAYS: i64 = 42;

/// Every record of the sample, with ids already given.
#[derive(Debug, Clone)]
pub(crate) struct World {
    /// The alliance's name, for the settings.
    pub alliance_name: String,
    /// Funding streams.
    pub streams: Vec<FundingStream>,
    /// Schools.
    pub schools: Vec<School>,
    /// Inspections.
    pub inspections: Vec<Inspection>,
    /// System leaders.
    pub leaders: Vec<Leader>,
    /// Contracts.
    pub contracts: Vec<Contract>,
    /// Visits.
    pub visits: Vec<Visit>,
    /// Progress reviews.
    pub reviews: Vec<Review>,
    /// Board meetings.
    pub meetings: Vec<Meeting>,
    /// Board decisions.
    pub decisions: Vec<Decision>,
    /// Dated events in the schools' lives (new heads).
    pub events: Vec<crate::domain::SchoolEvent>,
    /// Term dates (terms and their half terms).
    pub terms: Vec<Term>,
    pub impact: super::impact::ImpactRecords,
    /// Published data: three years of figures with LA and England rows ([`super::measures`]).
    pub measures: Vec<crate::domain::Measure>,
    /// Dated soft intelligence ([`super::measures::intelligence`]).
    pub intelligence: Vec<crate::domain::Intelligence>,
}

fn stream(id: i64, name: String, pounds: i64, notes: &str) -> FundingStream {
    FundingStream { id, name, amount_pence: pounds * 100, notes: notes.to_string(), stamp: Stamp::default() }
}

/// What a sample looks like beyond its number of schools: where the schools are, how many
/// leaders and contracts there are, and how much history lies behind this year.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// The local authorities schools fill, 150 at a time.
    pub las: &'static [names::La],
    /// Leaders for every 96 schools.
    pub leaders_per_96: usize,
    /// Contracts of this year and last (live, proposed and recently closed) to plan.
    pub contracts: usize,
    /// Closed contracts of earlier years, if any.
    pub history: Option<History>,
    /// The alliance's name.
    pub name: &'static str,
}

/// Closed contracts of the academic years before last.
#[derive(Debug, Clone, Copy)]
pub(crate) struct History {
    /// How many earlier years.
    pub years: i64,
    /// Contracts started in each.
    pub per_year: usize,
    /// Days commissioned, in per cent of this year's typical contract.
    pub days_percent: i64,
}

impl Shape {
    /// The city alliance: one authority per 150 schools (Plymouth first), 30 leaders and 40
    /// contracts for every 96 schools, and no history before last year.
    pub(crate) fn city(n: usize) -> Shape {
        Shape {
            las: names::LAS,
            leaders_per_96: 30,
            contracts: share(n, 40, 96).max(14),
            history: None,
            name: "Plymouth Schools Alliance (sample)",
        }
    }
}

/// Builds a sample of `n` schools of the given shape, telling `stage` what it is doing.
pub(crate) fn build(seed: u64, today: NaiveDate, n: usize, shape: &Shape, stage: &mut dyn FnMut(&str)) -> World {
    let mut d = Dice::new(seed);
    let settings = Settings::default();
    let year = AcademicYear::containing(today, settings.year_start_month);

    stage("schools");
    let mut people = names::People::default();
    let (mut schools, sinfo) = schools::schools(&mut d, &mut people, n, shape.las);
    for (i, s) in schools.iter_mut().enumerate() {
        s.id = i as i64 + 1;
    }
    let roles = schools::assign_roles(&mut d, &mut schools, &sinfo);
    for s in &mut schools {
        s.notes = schools::notes(&mut d, s);
    }
    written::notes(&mut schools, &roles);
    stage("leaders");
    let (mut leaders, linfo, lr) =
        leaders::leaders(&mut d, &mut people, &mut schools, &sinfo, &roles, shape.leaders_per_96);
    for (i, l) in leaders.iter_mut().enumerate() {
        l.id = i as i64 + 1;
    }

    let mut inspections = Vec::new();
    for (i, s) in schools.iter().enumerate() {
        if i == roles.lead {
            inspections.extend(inspections::lead_history(s.id, today));
        } else {
            inspections.extend(inspections::history(&mut d, s, today, i == roles.failing));
        }
    }
    for (i, x) in inspections.iter_mut().enumerate() {
        x.id = i as i64 + 1;
    }
    story::fit_notes(&mut schools, &inspections, seed);
    let events = story::head_events(&schools, roles.unsupported, year.start);

    // Bigger samples stand for several authorities, each with its own grant.
    let scale = n.div_ceil(96) as i64;
    let streams = vec![
        stream(
            1,
            format!("Schools Forum grant {}", year.label()),
            600_000 * scale,
            "Agreed by Schools Forum for school-to-school support; board approves each allocation. Underspend returns to the DSG at year end.",
        ),
        stream(
            2,
            "Teaching school hub core funding".to_string(),
            40_000 * scale,
            "DfE core funding for the hub's school improvement offer: ECT and curriculum work first.",
        ),
    ];

    let ctx = Ctx {
        today,
        year_start: year.start,
        schools: &schools,
        sinfo: &sinfo,
        leaders: &leaders,
        linfo: &linfo,
        streams: &streams,
    };
    stage("contracts");
    let mut plans = contracts::plan(&mut d, &ctx, &roles, &lr, shape.contracts);
    if let Some(h) = shape.history {
        for k in 2..h.years + 2 {
            let start = year.start.with_year(year.start.year() - k as i32).unwrap_or(year.start);
            plans.extend(contracts::history(&mut d, &ctx, start, h.per_year, h.days_percent));
        }
    }
    plans.sort_by(|a, b| {
        a.c.start_on.cmp(&b.c.start_on).then(a.c.school_id.cmp(&b.c.school_id)).then(a.c.focus.cmp(&b.c.focus))
    });
    for (i, p) in plans.iter_mut().enumerate() {
        p.c.id = i as i64 + 1;
    }

    stage("visits and reviews");
    let (mut visits, mut reviews) = (Vec::new(), Vec::new());
    for p in &plans {
        let (v, r) = delivery::deliver(&mut d, p, today, REVIEW_EVERY_DAYS);
        visits.extend(v);
        reviews.extend(r);
    }
    // Logged in the order they happened.
    visits.sort_by_key(|v| (v.visited_on, v.contract_id));
    for (i, v) in visits.iter_mut().enumerate() {
        v.id = i as i64 + 1;
    }
    reviews.sort_by_key(|r| (r.reviewed_on, r.contract_id));
    for (i, r) in reviews.iter_mut().enumerate() {
        r.id = i as i64 + 1;
    }

    let contracts: Vec<Contract> = plans.iter().map(|p| p.c.clone()).collect();
    settle_capacity(&mut leaders, &contracts, &visits, year, lr.over);

    let impact = super::impact::build(seed, today, &contracts, &reviews, &schools, &leaders);

    stage("board");
    let (meetings, mut decisions) = board::board(&mut d, &plans, &schools, &leaders, &inspections, today);
    for (i, x) in decisions.iter_mut().enumerate() {
        x.id = i as i64 + 1;
    }
    stage("published data");
    let stories = super::measures::stories(&schools, &plans.iter().map(|p| p.c.clone()).collect::<Vec<_>>());
    let measures = super::measures::measures(seed, &schools, stories, today);
    let intelligence = super::measures::intelligence(&schools, stories, today);
    World {
        intelligence,
        measures,
        alliance_name: shape.name.to_string(),
        streams,
        schools,
        inspections,
        leaders,
        contracts,
        visits,
        reviews,
        meetings,
        decisions,
        events,
        terms: super::terms::terms(),
        impact,
    }
}

/// Random contracts are planned to fit each leader's capacity, but delivery runs ahead of or
/// behind plan. Where an active leader (other than the one written to be over) ends up over
/// capacity this year, their capacity goes up to the next multiple of five days, as their home
/// school would agree, so the only `over_capacity` alert is the written one.
fn settle_capacity(
    leaders: &mut [Leader],
    contracts: &[Contract],
    visits: &[Visit],
    year: AcademicYear,
    keep_over: usize,
) {
    let index = |id: i64| usize::try_from(id - 1).ok();
    let mut delivered = vec![0.0; contracts.len()];
    let mut load = vec![0.0; leaders.len()];
    for v in visits {
        if let Some(c) = index(v.contract_id).and_then(|i| delivered.get_mut(i)) {
            *c += v.days;
        }
        if year.contains(v.visited_on)
            && let Some(l) = index(v.leader_id).and_then(|i| load.get_mut(i))
        {
            *l += v.days;
        }
    }
    for (c, done) in contracts.iter().zip(&delivered) {
        if c.status.is_live()
            && let Some(l) = index(c.leader_id).and_then(|i| load.get_mut(i))
        {
            *l += (c.days_commissioned - done).max(0.0);
        }
    }
    for (i, (l, used)) in leaders.iter_mut().zip(load).enumerate() {
        if i != keep_over && l.active && used > l.days_per_year {
            l.days_per_year = (used / 5.0).ceil() * 5.0;
        }
    }
}

fn bug(what: &str, id: i64, p: &Problems) -> String {
    format!("the sample generator made an invalid {what} (#{id}): {}", p.error_text())
}

impl World {
    /// Checks every record with the rules a coordinator's input goes through: a record the
    /// generator makes that those rules refuse is a bug in the generator.
    pub fn check(&self, today: NaiveDate) -> Result<(), String> {
        for s in &self.schools {
            let p = validate::school(s);
            if p.has_errors() {
                return Err(bug("school", s.id, &p));
            }
        }
        for l in &self.leaders {
            let p = validate::leader(l);
            if p.has_errors() {
                return Err(bug("leader", l.id, &p));
            }
        }
        for c in &self.contracts {
            let p = validate::contract(c, None);
            if p.has_errors() {
                return Err(bug("contract", c.id, &p));
            }
        }
        for v in &self.visits {
            // A visit was logged while its contract was live; it may have ended since.
            let c = usize::try_from(v.contract_id - 1).ok().and_then(|i| self.contracts.get(i)).map(|c| {
                let mut then = c.clone();
                if !then.status.is_live() {
                    then.status = ContractStatus::Active;
                }
                then
            });
            let p = validate::visit(v, c.as_ref(), today);
            if p.has_errors() {
                return Err(bug("visit", v.id, &p));
            }
        }
        for r in &self.reviews {
            let p = validate::review(r, today);
            if p.has_errors() {
                return Err(bug("review", r.id, &p));
            }
        }
        for x in &self.decisions {
            let p = validate::decision(x);
            if p.has_errors() {
                return Err(bug("decision", x.id, &p));
            }
        }
        for k in &self.impact.criteria {
            let p = crate::domain::impact::criterion(k);
            if p.has_errors() {
                return Err(bug("criterion", k.id, &p));
            }
        }
        for x in &self.impact.closeouts {
            let p = crate::domain::impact::closeout(x);
            if p.has_errors() {
                return Err(bug("close-out", x.id, &p));
            }
        }
        for s in &self.impact.signoffs {
            let p = crate::domain::impact::signoff(s, today);
            if p.has_errors() {
                return Err(bug("signature", s.id, &p));
            }
        }
        Ok(())
    }
}

fn insert_all<E: Entity>(tx: &rusqlite::Transaction<'_>, actor: &Actor, records: &[E]) -> Result<(), StoreError> {
    for r in records {
        let id = store::insert_in(tx, r, actor)?;
        if id != r.id() {
            let message = format!("{} was stored as #{id}, expected #{} (the file was not new?)", E::LABEL, r.id());
            return Err(StoreError::Invalid(Problems(vec![Problem { field: "id", message, level: Level::Error }])));
        }
    }
    Ok(())
}

impl World {
    /// How many records [`write_bulk`] writes.
    pub fn rows(&self) -> usize {
        self.streams.len()
            + self.schools.len()
            + self.inspections.len()
            + self.leaders.len()
            + self.contracts.len()
            + self.visits.len()
            + self.reviews.len()
            + self.meetings.len()
            + self.decisions.len()
            + self.events.len()
            + self.terms.len()
            + self.impact.criteria.len()
            + self.impact.ratings.len()
            + self.impact.closeouts.len()
            + self.impact.agreements.len()
            + self.impact.signoffs.len()
            + self.measures.len()
            + self.intelligence.len()
    }
}

/// Writes every record through a bulk load (one summary audit row for them all), telling
/// `tick` how many rows are written so far.
pub(crate) fn write_bulk(b: &mut store::Bulk<'_>, w: &World, tick: &mut dyn FnMut(usize)) -> Result<(), StoreError> {
    // In the order the references need (a school before its leaders, a contract before its
    // visits); `tick` counts across tables.
    macro_rules! load {
        ($($field:ident),*) => {{
            let mut done = 0;
            $(
                b.insert_all(&w.$field, &mut |n| tick(done + n))?;
                done += w.$field.len();
            )*
            tick(done);
        }};
    }
    load!(
        streams,
        schools,
        inspections,
        leaders,
        contracts,
        visits,
        reviews,
        meetings,
        decisions,
        events,
        terms,
        measures,
        intelligence
    );
    let i = &w.impact;
    b.insert_all(&i.criteria, &mut |_| {})?;
    b.insert_all(&i.ratings, &mut |_| {})?;
    b.insert_all(&i.closeouts, &mut |_| {})?;
    b.insert_agreements(&i.agreements)?;
    b.insert_all(&i.signoffs, &mut |_| {})?;
    tick(w.rows());
    Ok(())
}

/// Writes every record, with its audit row, in one transaction.
pub(crate) fn write(tx: &rusqlite::Transaction<'_>, actor: &Actor, w: &World) -> Result<(), StoreError> {
    insert_all(tx, actor, &w.streams)?;
    insert_all(tx, actor, &w.schools)?;
    insert_all(tx, actor, &w.inspections)?;
    insert_all(tx, actor, &w.leaders)?;
    insert_all(tx, actor, &w.contracts)?;
    insert_all(tx, actor, &w.visits)?;
    insert_all(tx, actor, &w.reviews)?;
    insert_all(tx, actor, &w.meetings)?;
    insert_all(tx, actor, &w.decisions)?;
    insert_all(tx, actor, &w.events)?;
    insert_all(tx, actor, &w.terms)?;
    insert_all(tx, actor, &w.impact.criteria)?;
    insert_all(tx, actor, &w.impact.ratings)?;
    insert_all(tx, actor, &w.impact.closeouts)?;
    for a in &w.impact.agreements {
        store::insert_agreement_in(tx, actor, a)?;
    }
    insert_all(tx, actor, &w.impact.signoffs)?;
    insert_all(tx, actor, &w.measures)?;
    insert_all(tx, actor, &w.intelligence)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn every_generated_record_is_valid() {
        for (seed, today, n) in [
            (2026, "2026-11-23", 96),
            (1, "2026-11-23", 10),
            (2, "2027-02-03", 40),
            (3, "2026-09-08", 200),
            (4, "2027-07-14", 96),
        ] {
            let w = build(seed, day(today), n, &Shape::city(n), &mut |_| {});
            assert_eq!(w.check(day(today)), Ok(()), "seed {seed}, {today}, {n} schools");
            assert_eq!(w.schools.len(), n);
        }
    }

    #[test]
    fn the_same_inputs_build_the_same_world() {
        let a = build(9, day("2026-11-23"), 60, &Shape::city(60), &mut |_| {});
        let b = build(9, day("2026-11-23"), 60, &Shape::city(60), &mut |_| {});
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        let c = build(10, day("2026-11-23"), 60, &Shape::city(60), &mut |_| {});
        assert_ne!(format!("{a:?}"), format!("{c:?}"));
    }

    #[test]
    fn ids_and_references_line_up() {
        let w = build(2026, day("2026-11-23"), 96, &Shape::city(96), &mut |_| {});
        for (i, c) in w.contracts.iter().enumerate() {
            assert_eq!(c.id, i as i64 + 1);
            assert!(c.school_id >= 1 && c.school_id <= w.schools.len() as i64);
            let l = &w.leaders[(c.leader_id - 1) as usize];
            assert_eq!(c.day_rate_pence, l.day_rate_pence);
            assert_ne!(l.home_school_id, Some(c.school_id), "a leader does not support their own school");
        }
        for v in &w.visits {
            let c = &w.contracts[(v.contract_id - 1) as usize];
            assert_eq!(v.leader_id, c.leader_id);
            assert!(v.visited_on >= c.start_on && v.visited_on <= c.end_on, "visit {} outside its contract", v.id);
        }
        let tags: Vec<&str> = super::super::focus::all_tags();
        for l in &w.leaders {
            for t in l.specialism_tags() {
                assert!(tags.contains(&t) || t == "Finance", "{t}");
            }
        }
    }
}
