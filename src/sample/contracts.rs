//! Contracts: who supports whom, on what, for how many days, paid by whom — the written ones
//! that guarantee every alert, and random ones matched to leaders' specialisms and capacity.

use super::dice::{Dice, add, month_year, school_day_on_or_after, term_ends};
use super::focus::{self, Focus};
use super::leaders::{LeaderInfo, LeaderRoles};
use super::schools::{Roles, SchoolInfo};
use crate::domain::{Category, Contract, ContractStatus, Designation, FundingStream, Leader, Rag, School, Stamp};
use chrono::{Datelike, NaiveDate};

/// Which written part a contract plays (the board minutes refer to them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// A random contract.
    None,
    /// Leadership support at the failing school: red and escalated.
    Failing,
    /// Phonics at the failing school, by the over-committed SLE.
    FailingPhonics,
    /// Review overdue at a category C school.
    Overdue,
    /// Ends within the fortnight.
    Ending,
    /// No visit for over 30 days (over-committed SLE).
    Quiet,
    /// Ended early at the school now unsupported.
    UnsupportedPast,
    /// Proposed new support for it.
    UnsupportedNext,
    /// More days delivered than commissioned.
    Overrun,
    /// Past its end date, still active.
    Lapsed,
}

/// How a random live contract's delivery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    /// Visits and reviews on schedule.
    Normal,
    /// No visit for over 30 days.
    Quiet,
    /// The last review was not held.
    Overdue,
    /// The latest review is red.
    RedEnd,
}

/// A written review: day offset from today, RAG, escalate, next review offset, summary.
pub(crate) type ScriptReview = (i64, Rag, bool, Option<i64>, &'static str);

/// Written delivery: visits as (day offset from today, days), and reviews.
#[derive(Debug, Clone, Default)]
pub(crate) struct Script {
    /// Visits.
    pub visits: Vec<(i64, f64)>,
    /// Reviews (an empty summary is written from the focus).
    pub reviews: Vec<ScriptReview>,
}

/// A contract with what the generator needs to deliver it.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// The record (school and leader ids set; its own id set later).
    pub c: Contract,
    /// Index of the supported school.
    pub school: usize,
    /// Index of the leader.
    pub leader: usize,
    /// The leader's designation, as the notes call them ("SLE to model a lesson").
    pub des: Designation,
    /// Its focus.
    pub focus: &'static Focus,
    /// Baseline and target of its success criteria.
    pub b: i64,
    /// Target.
    pub t: i64,
    /// When delivery stopped (paused or terminated), if it did.
    pub stop: Option<NaiveDate>,
    /// Written delivery, for written parts.
    pub script: Option<Script>,
    /// How random delivery goes.
    pub variant: Variant,
    /// Its written part.
    pub part: Part,
}

/// Everything planning reads.
pub(crate) struct Ctx<'a> {
    /// The injected clock.
    pub today: NaiveDate,
    /// First day of the academic year containing today.
    pub year_start: NaiveDate,
    /// Schools.
    pub schools: &'a [School],
    /// Their generator-side facts.
    pub sinfo: &'a [SchoolInfo],
    /// Leaders.
    pub leaders: &'a [Leader],
    /// Their generator-side facts.
    pub linfo: &'a [LeaderInfo],
    /// Funding streams: the Schools Forum grant, then the hub's core funding.
    pub streams: &'a [FundingStream],
}

/// Days each leader has taken on, this academic year and last: each contract's days shared
/// between the years by the time it spends in each, with a margin, so random contracts keep
/// leaders within capacity (`world::settle_capacity` catches what delivery still tips over).
struct Load {
    cur: Vec<f64>,
    prev: Vec<f64>,
    year_start: NaiveDate,
}

impl Load {
    /// The share of a contract's days that falls in this year and in last year, by the time it
    /// spends in each, plus a margin for delivery that runs behind time.
    fn shares(&self, c: &Contract) -> (f64, f64) {
        let total = (c.end_on - c.start_on).num_days().max(1) as f64;
        let prev_start = add(self.year_start, -365);
        let overlap =
            |from: NaiveDate, to: NaiveDate| ((c.end_on.min(to) - c.start_on.max(from)).num_days() + 1).max(0) as f64;
        let prev = overlap(prev_start, add(self.year_start, -1)) / total;
        let cur = overlap(self.year_start, NaiveDate::MAX) / total;
        let margin = if cur > 0.0 && prev > 0.0 { 0.2 } else { 0.0 };
        let share = |x: f64| if x > 0.0 { c.days_commissioned * (x + margin).min(1.0) } else { 0.0 };
        (share(cur), share(prev))
    }
    fn fits(&self, l: usize, cap: f64, c: &Contract) -> bool {
        let (cur, prev) = self.shares(c);
        self.cur[l] + cur <= cap && self.prev[l] + prev <= cap
    }
    fn add(&mut self, l: usize, c: &Contract) {
        let (cur, prev) = self.shares(c);
        self.cur[l] += cur;
        self.prev[l] += prev;
    }
}

/// The aims, success criteria, baseline and target for a focus. Impact is judged on the
/// summer's results, so the deadline is the July that ends the contract's academic year.
fn texts(d: &mut Dice, f: &Focus, end_on: NaiveDate) -> (String, String, i64, i64) {
    let b = d.range(f.baseline.0, f.baseline.1);
    let t = b + d.range(f.gain.0.min(f.gain.1), f.gain.0.max(f.gain.1));
    let t = t.clamp(1, 98);
    let july = end_on.year() + i32::from(end_on.month() >= 8);
    let by = NaiveDate::from_ymd_opt(july, 7, 1).map_or_else(|| month_year(end_on), month_year);
    let criteria = f.criteria.replace("{b}", &b.to_string()).replace("{t}", &t.to_string()).replace("{by}", &by);
    (d.pick(f.aims).to_string(), criteria, b, t)
}

/// Who pays, and the funding stream it is allocated to (this year's streams only).
fn funding(d: &mut Dice, ctx: &Ctx, school: usize, f: &Focus, end_on: NaiveDate) -> (String, Option<i64>) {
    #[derive(Clone, Copy)]
    enum Source {
        Forum,
        Hub,
        Trust,
        Own,
        La,
        Rise,
    }
    use Source::*;
    let s = &ctx.schools[school];
    let source = if matches!(f.name, "ECT development" | "Curriculum") && d.chance(50) {
        Hub
    } else if ctx.sinfo[school].academy {
        if s.category == Category::D && d.chance(40) { Rise } else { d.pick(&[Trust, Trust, Trust, Own, Own, Forum]) }
    } else {
        d.pick(&[Forum, Forum, Forum, La, La, Own])
    };
    let this_year = end_on >= ctx.year_start;
    let stream = |i: usize| ctx.streams.get(i).filter(|_| this_year).map(|x| (x.name.clone(), Some(x.id)));
    let text = |t: &str| (t.to_string(), None);
    match source {
        Forum => stream(0).unwrap_or_else(|| {
            let last = crate::domain::AcademicYear::containing(add(ctx.year_start, -1), 9);
            (format!("Schools Forum grant {}", last.label()), None)
        }),
        Hub => stream(1).unwrap_or_else(|| text("Teaching school hub core funding")),
        Trust if !s.trust.is_empty() => text("Trust school improvement budget"),
        Trust | Own => text("School's own budget"),
        La => text("LA school improvement grant"),
        Rise => text("DfE RISE targeted intervention"),
    }
}

/// The first term end on or after `min`.
fn term_end_after(ends: &[NaiveDate], min: NaiveDate) -> NaiveDate {
    ends.iter().copied().find(|e| *e >= min).unwrap_or(add(min, 90))
}

/// Plans contracts against leaders' load.
pub(crate) struct Planner<'a, 'b> {
    ctx: &'a Ctx<'b>,
    load: Load,
    ends: Vec<NaiveDate>,
    by_la: Vec<Vec<usize>>,
    over: usize,
    plans: Vec<Plan>,
}

impl Planner<'_, '_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        d: &mut Dice,
        school: usize,
        leader: usize,
        f: &'static Focus,
        status: ContractStatus,
        (start_on, end_on): (NaiveDate, NaiveDate),
        days: f64,
        part: Part,
    ) -> usize {
        let (aims, success_criteria, b, t) = texts(d, f, end_on);
        let (funding, funding_stream_id) = funding(d, self.ctx, school, f, end_on);
        let c = Contract {
            id: 0,
            school_id: self.ctx.schools[school].id,
            leader_id: self.ctx.leaders[leader].id,
            focus: f.name.to_string(),
            aims,
            success_criteria,
            start_on,
            end_on,
            days_commissioned: days,
            day_rate_pence: self.ctx.leaders[leader].day_rate_pence,
            funding,
            funding_stream_id,
            status,
            stamp: Stamp::default(),
        };
        self.load.add(leader, &c);
        let des = self.ctx.leaders[leader].designation;
        let plan =
            Plan { c, school, leader, des, focus: f, b, t, stop: None, script: None, variant: Variant::Normal, part };
        self.plans.push(plan);
        self.plans.len() - 1
    }

    /// The best-placed leader for a focus at a school: fits the focus, is free, not from the
    /// school itself, and has the most room (ties broken at random).
    fn leader_for(&self, d: &mut Dice, school: usize, f: &Focus, c: &Contract, allow_inactive: bool) -> Option<usize> {
        let la = self.ctx.sinfo[school].la;
        let pool = self.by_la.get(la).map(Vec::as_slice).unwrap_or(&[]);
        let sample: Vec<usize> =
            if pool.len() <= 48 { pool.to_vec() } else { (0..48).map(|_| pool[d.below(pool.len())]).collect() };
        let school_id = self.ctx.schools[school].id;
        let mut best: Option<(i64, usize)> = None;
        for l in sample {
            let leader = &self.ctx.leaders[l];
            if l == self.over
                || leader.home_school_id == Some(school_id)
                || !(leader.active || allow_inactive)
                || !f.suits(&leader.specialisms)
                || !self.load.fits(l, leader.days_per_year, c)
            {
                continue;
            }
            // System leaders do the work their designation is for: heads lead, SLEs teach.
            use Designation::*;
            let suited = match (f.name, leader.designation) {
                ("Leadership", Nle | Lle) | ("Governance", Nlg) => true,
                ("Leadership" | "Governance", _) => false,
                (_, Sle | Other) => true,
                _ => false,
            };
            let room = ((leader.days_per_year - self.load.cur[l]) * 10.0) as i64
                + d.range(0, 40)
                + if suited { 150 } else { 0 };
            if best.is_none_or(|(r, _)| room > r) {
                best = Some((room, l));
            }
        }
        best.map(|(_, l)| l)
    }
}

fn days_for(d: &mut Dice, des: Designation) -> f64 {
    use Designation::*;
    match des {
        Nle => d.days(12, 24, 70),
        Lle => d.days(8, 16, 60),
        Sle => d.days(5, 12, 55),
        Nlg => d.days(3, 8, 40),
        Other => d.days(6, 12, 50),
    }
}

/// Plans every contract: the written ones first, then `target` in all (as far as leaders'
/// capacity allows).
pub(crate) fn plan(d: &mut Dice, ctx: &Ctx, roles: &Roles, lr: &LeaderRoles, target: usize) -> Vec<Plan> {
    let n_la = ctx.linfo.iter().map(|l| l.la + 1).max().unwrap_or(1);
    let mut by_la = vec![Vec::new(); n_la];
    for (i, l) in ctx.linfo.iter().enumerate() {
        by_la[l.la].push(i);
    }
    let mut p = Planner {
        ctx,
        load: Load {
            cur: vec![0.0; ctx.leaders.len()],
            prev: vec![0.0; ctx.leaders.len()],
            year_start: ctx.year_start,
        },
        ends: term_ends(ctx.year_start.year()),
        by_la,
        over: lr.over,
        plans: Vec::new(),
    };
    super::written::plan_written(d, &mut p, roles, lr);
    random_plans(d, &mut p, roles, target);
    p.plans
}

/// What the written scenarios use to add their contracts.
impl Planner<'_, '_> {
    /// Today.
    pub(crate) fn today(&self) -> NaiveDate {
        self.ctx.today
    }
    /// The first term end on or after `min`.
    pub(crate) fn term_end_after(&self, min: NaiveDate) -> NaiveDate {
        term_end_after(&self.ends, min)
    }
    /// The last term end on or before `max`.
    pub(crate) fn term_end_before(&self, max: NaiveDate) -> NaiveDate {
        self.ends.iter().copied().filter(|e| *e <= max).max().unwrap_or(add(max, -30))
    }
    /// A leader for a written contract: `fixed` if given, else the best fit (the over-committed
    /// SLE excluded), else any active leader of the first authority.
    pub(crate) fn leader(
        &self,
        d: &mut Dice,
        school: usize,
        f: &Focus,
        fixed: Option<usize>,
        dates: (NaiveDate, NaiveDate),
        days: f64,
    ) -> usize {
        fixed
            .or_else(|| self.leader_for(d, school, f, &probe(dates, days), false))
            .or_else(|| {
                let pool = self.by_la.first().map(Vec::as_slice).unwrap_or(&[]);
                pool.iter().copied().find(|&l| l != self.over && self.ctx.leaders[l].active)
            })
            .unwrap_or(0)
    }
    /// Adds a written contract with its delivery script; returns its plan index.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_written(
        &mut self,
        d: &mut Dice,
        school: usize,
        leader: usize,
        f: &'static Focus,
        status: ContractStatus,
        dates: (NaiveDate, NaiveDate),
        days: f64,
        part: Part,
        script: Script,
        stop: Option<NaiveDate>,
    ) -> usize {
        let i = self.push(d, school, leader, f, status, dates, days, part);
        self.plans[i].script = Some(script);
        self.plans[i].stop = stop;
        i
    }
    /// Allocates plan `i` to funding stream `stream` (0: Schools Forum grant, 1: hub funding).
    pub(crate) fn fund_from(&mut self, i: usize, stream: usize) {
        if let (Some(p), Some(s)) = (self.plans.get_mut(i), self.ctx.streams.get(stream)) {
            p.c.funding = s.name.clone();
            p.c.funding_stream_id = Some(s.id);
        }
    }
}

fn probe((start_on, end_on): (NaiveDate, NaiveDate), days: f64) -> Contract {
    Contract {
        id: 0,
        school_id: 0,
        leader_id: 0,
        focus: String::new(),
        aims: String::new(),
        success_criteria: String::new(),
        start_on,
        end_on,
        days_commissioned: days,
        day_rate_pence: 0,
        funding: String::new(),
        funding_stream_id: None,
        status: ContractStatus::Active,
        stamp: Stamp::default(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Want {
    Live,
    Past,
    Any,
}

/// Dates for a random contract of this status: (start, end, stop).
fn dates_for(d: &mut Dice, p: &Planner, status: ContractStatus) -> (NaiveDate, NaiveDate, Option<NaiveDate>) {
    let t = p.ctx.today;
    let next = |d: &mut Dice, min: NaiveDate| {
        let first = term_end_after(&p.ends, min);
        if d.chance(35) { term_end_after(&p.ends, add(first, 1)) } else { first }
    };
    match status {
        ContractStatus::Active => {
            let start = school_day_on_or_after(add(t, -d.range(15, 200))).min(t);
            (start, next(d, add(start, 100).max(add(t, 21))), None)
        }
        ContractStatus::Paused => {
            let start = school_day_on_or_after(add(t, -d.range(60, 160))).min(add(t, -40));
            let pause = add(t, -d.range(25, 45)).max(add(start, 20));
            (start, next(d, add(start, 120).max(add(t, 40))), Some(pause))
        }
        ContractStatus::Proposed => {
            let start = school_day_on_or_after(add(t, d.range(10, 60)));
            (start, next(d, add(start, 90)), None)
        }
        ContractStatus::Completed => {
            let recent: Vec<NaiveDate> =
                p.ends.iter().copied().filter(|e| *e <= add(t, -7) && *e >= add(t, -400)).collect();
            let end = recent.iter().rev().take(3).nth(d.below(3)).copied().unwrap_or(add(t, -30));
            let start = school_day_on_or_after(add(end, -d.range(90, 240)));
            (start, end, Some(end))
        }
        ContractStatus::Terminated => {
            let start = school_day_on_or_after(add(t, -d.range(100, 300)));
            let end = next(d, add(start, 120));
            let run = (end - start).num_days() * d.range(30, 60) / 100;
            let stop = add(start, run.max(21)).min(add(t, -14));
            (start, end, Some(stop))
        }
    }
}

fn random_plans(d: &mut Dice, p: &mut Planner, roles: &Roles, target: usize) {
    let written = roles.all();
    let mut order: Vec<usize> = (0..p.ctx.schools.len()).filter(|i| !written.contains(i)).collect();
    d.shuffle(&mut order);
    let mut wants: Vec<(usize, Want)> = Vec::new();
    let mut extra: Vec<(usize, Want)> = Vec::new();
    for &s in &order {
        match p.ctx.schools[s].category {
            Category::D => {
                wants.push((s, Want::Live));
                if d.chance(50) {
                    extra.push((s, Want::Any));
                }
            }
            Category::C => {
                wants.push((s, Want::Live));
                if d.chance(40) {
                    extra.push((s, Want::Past));
                }
            }
            Category::B if d.chance(55) => extra.push((s, Want::Any)),
            Category::A if d.chance(12) => extra.push((s, Want::Any)),
            _ => {}
        }
    }
    let room = target.saturating_sub(p.plans.len());
    wants.extend(extra);
    while wants.len() < room && !order.is_empty() {
        wants.push((order[d.below(order.len())], Want::Any));
    }
    wants.truncate(room);
    let mut must =
        vec![ContractStatus::Completed, ContractStatus::Paused, ContractStatus::Proposed, ContractStatus::Completed];
    let all = focus::all();
    let mut foci_at: Vec<Vec<&'static str>> = vec![Vec::new(); p.ctx.schools.len()];
    for x in &p.plans {
        foci_at[x.school].push(x.focus.name);
    }
    use ContractStatus::*;
    for (school, want) in wants {
        let status = match want {
            Want::Live if d.chance(92) => Active,
            Want::Live => Paused,
            Want::Past if d.chance(75) => Completed,
            Want::Past => Terminated,
            Want::Any if !must.is_empty() => must.remove(0),
            Want::Any => [Completed, Proposed, Active, Terminated, Paused][d.weighted(&[45, 20, 25, 6, 4])],
        };
        let (start, end, stop) = dates_for(d, p, status);
        let phase = p.ctx.schools[school].phase;
        let cat = p.ctx.schools[school].category;
        let taken = &foci_at[school];
        let foci: Vec<&'static Focus> =
            all.iter().copied().filter(|f| f.fits(phase) && !taken.contains(&f.name)).collect();
        let weights: Vec<u32> = foci
            .iter()
            .map(|f| match (f.name, cat) {
                ("Leadership", Category::D) => 40,
                ("Leadership", Category::C) => 25,
                ("Leadership", _) => 6,
                ("Governance", Category::C | Category::D) => 10,
                ("Governance", _) => 4,
                _ => 10,
            })
            .collect();
        let allow_inactive = end < p.ctx.year_start;
        for _ in 0..6 {
            let f = foci.get(d.weighted(&weights)).copied().unwrap_or(focus::named("Leadership"));
            let c = probe((start, end), 3.0);
            let Some(l) = p.leader_for(d, school, f, &c, allow_inactive) else { continue };
            let mut days = days_for(d, p.ctx.leaders[l].designation);
            let cap = p.ctx.leaders[l].days_per_year;
            while days > 2.0 && !p.load.fits(l, cap, &probe((start, end), days)) {
                days -= 1.0;
            }
            if !p.load.fits(l, cap, &probe((start, end), days)) {
                continue;
            }
            let i = p.push(d, school, l, f, status, (start, end), days, Part::None);
            foci_at[school].push(f.name);
            let plan = &mut p.plans[i];
            plan.stop = stop;
            if status == Active && start < add(p.ctx.today, -45) {
                plan.variant =
                    [Variant::Normal, Variant::Quiet, Variant::Overdue, Variant::RedEnd][d.weighted(&[86, 4, 6, 4])];
            }
            break;
        }
    }
}

/// Closed contracts of an earlier academic year, for the national-scale sample: `count` of
/// them starting in the year that begins on `year_start`, about one in seven ended early. Each
/// goes where support is usually needed (weighted to the schools the board is worried about),
/// on a focus that suits the school, to a leader of the school's authority whose specialisms
/// fit and who still has room that year; `days_percent` scales the days commissioned.
pub(crate) fn history(d: &mut Dice, ctx: &Ctx, year_start: NaiveDate, count: usize, days_percent: i64) -> Vec<Plan> {
    let n_la = ctx.linfo.iter().map(|l| l.la + 1).max().unwrap_or(1);
    let mut by_la: Vec<Vec<usize>> = vec![Vec::new(); n_la];
    for (i, l) in ctx.linfo.iter().enumerate() {
        by_la[l.la].push(i);
    }
    let mut by_cat: [Vec<usize>; 4] = Default::default();
    for (i, s) in ctx.schools.iter().enumerate() {
        by_cat[s.category as usize].push(i);
    }
    let ends = term_ends(year_start.year());
    let year = crate::domain::AcademicYear::containing(year_start, year_start.month());
    let forum = format!("Schools Forum grant {}", year.label());
    let all = focus::all();
    let mut used = vec![0.0_f64; ctx.leaders.len()];
    let mut out = Vec::with_capacity(count);
    let mut tries = 0;
    while out.len() < count && tries < count * 4 {
        tries += 1;
        // Schools in C and D get most of the support, B some, A a little.
        let cat = [3, 2, 1, 0][d.weighted(&[20, 30, 32, 18])];
        let Some(&school) = by_cat[cat].get(d.below(by_cat[cat].len())) else { continue };
        let s = &ctx.schools[school];
        let foci: Vec<&'static Focus> = all.iter().copied().filter(|f| f.fits(s.phase)).collect();
        let weights: Vec<u32> = foci
            .iter()
            .map(|f| match (f.name, s.category) {
                ("Leadership", Category::C | Category::D) => 30,
                ("Leadership", _) => 6,
                ("Governance", _) => 5,
                _ => 10,
            })
            .collect();
        let f = foci.get(d.weighted(&weights)).copied().unwrap_or(focus::named("Leadership"));
        let pool = by_la.get(ctx.sinfo[school].la).map(Vec::as_slice).unwrap_or(&[]);
        let mut best: Option<(i64, usize)> = None;
        for _ in 0..pool.len().min(24) {
            let l = pool[d.below(pool.len())];
            let leader = &ctx.leaders[l];
            if leader.home_school_id == Some(s.id) || !f.suits(&leader.specialisms) {
                continue;
            }
            let suited = match (f.name, leader.designation) {
                ("Leadership", Designation::Nle | Designation::Lle) | ("Governance", Designation::Nlg) => true,
                ("Leadership" | "Governance", _) => false,
                (_, Designation::Sle | Designation::Other) => true,
                _ => false,
            };
            let room = ((leader.days_per_year - used[l]) * 10.0) as i64 + d.range(0, 40) + if suited { 150 } else { 0 };
            if best.is_none_or(|(r, _)| room > r) {
                best = Some((room, l));
            }
        }
        let Some((_, l)) = best else { continue };
        let des = ctx.leaders[l].designation;
        let days = ((days_for(d, des) * days_percent as f64 / 50.0).round() / 2.0).max(1.0);
        if used[l] + days > ctx.leaders[l].days_per_year * 1.2 {
            continue;
        }
        used[l] += days;
        let start = school_day_on_or_after(add(year_start, d.range(2, 230)));
        let first = term_end_after(&ends, add(start, 60));
        let end = if d.chance(20) { term_end_after(&ends, add(first, 1)) } else { first };
        let (status, stop) = if d.chance(86) {
            (ContractStatus::Completed, Some(end))
        } else {
            let run = (end - start).num_days() * d.range(30, 60) / 100;
            (ContractStatus::Terminated, Some(add(start, run.max(21))))
        };
        let (aims, success_criteria, b, t) = texts(d, f, end);
        let (mut funding, _) = funding(d, ctx, school, f, end);
        if funding.starts_with("Schools Forum grant") {
            funding.clone_from(&forum);
        }
        let c = Contract {
            id: 0,
            school_id: s.id,
            leader_id: ctx.leaders[l].id,
            focus: f.name.to_string(),
            aims,
            success_criteria,
            start_on: start,
            end_on: end,
            days_commissioned: days,
            day_rate_pence: ctx.leaders[l].day_rate_pence,
            funding,
            funding_stream_id: None,
            status,
            stamp: Stamp::default(),
        };
        out.push(Plan {
            c,
            school,
            leader: l,
            des,
            focus: f,
            b,
            t,
            stop,
            script: None,
            variant: Variant::Normal,
            part: Part::None,
        });
    }
    out
}
