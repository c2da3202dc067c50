//! A school's picture: status and why, category, inspections (report cards as their profile
//! of areas), live contracts, alerts, dated events and links.

use super::{Section, Tone};
use crate::domain::money::fmt_days;
use crate::domain::{
    Category, ConcernCategory, ContractStatus, Designation, EventKind, Framework, InspectionKind, School, fmt_date,
};
use crate::metrics::{Alert, Reason, Snapshot, Status};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;

/// One inspection as shown and as `--json` gives it.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionView {
    /// First day.
    pub inspected_on: NaiveDate,
    /// Era: graded, ungraded, report_card.
    pub framework: Framework,
    /// Standard or monitoring.
    pub kind: InspectionKind,
    /// Outcome as published.
    pub outcome: String,
    /// Overall grade, where there is one.
    pub grade: Option<i64>,
    /// Ofsted's category of concern, where recorded.
    pub category_of_concern: Option<ConcernCategory>,
    /// Safeguarding met / not met, where published.
    pub safeguarding_met: Option<bool>,
    /// Every graded sub-judgement or report-card area with its word, in the order recorded.
    pub areas: Vec<(String, String)>,
    /// One line: the grade, or the report card's profile of areas.
    pub summary: String,
    /// What puts the school in a category of concern (empty when nothing does).
    pub concern: Vec<String>,
    /// The predecessor school it was made of, for an inspection from before a conversion.
    pub predecessor: Option<String>,
}

/// A live contract.
#[derive(Debug, Clone, Serialize)]
pub struct ContractView {
    /// Contract id.
    pub id: i64,
    /// Active or paused.
    pub status: ContractStatus,
    /// Focus.
    pub focus: String,
    /// The system leader.
    pub leader: String,
    /// Their designation.
    pub designation: Designation,
    /// Period.
    pub start_on: NaiveDate,
    /// End.
    pub end_on: NaiveDate,
    /// Days commissioned.
    pub days_commissioned: f64,
    /// Days delivered, all time.
    pub delivered: f64,
}

/// A dated event.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// When.
    pub happened_on: NaiveDate,
    /// What, as stored (`head_changed` …).
    pub kind: EventKind,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
    /// Where it came from.
    pub source: String,
}

/// A link to another school.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// What the other school is to this one (`successor`, `predecessor` …).
    pub link_type: String,
    /// The other school's id.
    pub school_id: i64,
    /// Its name.
    pub name: String,
    /// Its URN.
    pub urn: Option<i64>,
    /// Since.
    pub since: Option<NaiveDate>,
}

/// Everything `alliance school` shows.
#[derive(Debug, Clone, Serialize)]
pub struct SchoolView {
    /// School id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// URN.
    pub urn: Option<i64>,
    /// `urgent`, `concern`, `watch`, `ok` — or `closed` for a school that is no longer open.
    pub status: String,
    /// Every rule that fired, most severe first, with the inputs it read.
    pub reasons: Vec<Reason>,
    /// The board's category.
    pub category: Category,
    /// Phase.
    pub phase: crate::domain::Phase,
    /// GIAS type.
    pub school_type: String,
    /// Local authority.
    pub la_name: String,
    /// Trust name (blank: none).
    pub trust: String,
    /// Trust's group id (GIAS `Trusts (code)`).
    pub trust_code: String,
    /// Religious character.
    pub religious_character: String,
    /// Diocese.
    pub diocese: String,
    /// Headteacher.
    pub headteacher: String,
    /// Pupils on roll.
    pub pupils: Option<i64>,
    /// Postcode.
    pub postcode: String,
    /// Member or external client.
    pub member: bool,
    /// When it closed.
    pub closed_on: Option<NaiveDate>,
    /// Predecessors, successors and other links.
    pub links: Vec<LinkView>,
    /// Every inspection, newest first.
    pub inspections: Vec<InspectionView>,
    /// Live contracts (active and paused).
    pub contracts: Vec<ContractView>,
    /// Alerts about the school or its contracts.
    pub alerts: Vec<Alert>,
    /// Dated events, oldest first.
    pub events: Vec<EventView>,
    /// Published and local measures: each one's last years with the LA and England beside them.
    pub measures: Vec<crate::metrics::data::Trend>,
}

impl SchoolView {
    /// Builds the view of school `id` from the store and this load's metrics.
    pub fn load(store: &Store, snap: &Snapshot, id: i64) -> Result<SchoolView, StoreError> {
        let s: School = store.get(id)?;
        let st = snap.schools.iter().find(|x| x.school.id == id);
        let status = match (s.closed_on, st) {
            (Some(_), _) => "closed".to_string(),
            (None, Some(st)) => st.status.label().to_string(),
            (None, None) => Status::Ok.label().to_string(),
        };
        let links: Vec<LinkView> = store
            .school_links(id)?
            .into_iter()
            .map(|(l, other)| LinkView {
                link_type: l.link_type,
                school_id: other.id,
                name: other.name,
                urn: other.urn,
                since: l.since,
            })
            .collect();
        // A converted school's history continues: its predecessors' inspections are shown
        // (and counted by the status rules) until Ofsted inspects it under its new URN.
        let mut sources = vec![(id, None)];
        for l in links.iter().filter(|l| l.link_type.starts_with("predecessor")) {
            sources.push((l.school_id, Some(l.name.clone())));
        }
        let mut all = Vec::new();
        for (school, predecessor) in sources {
            for i in store.inspections_for(school)? {
                all.push((i, predecessor.clone()));
            }
        }
        let mut inspections: Vec<InspectionView> = all
            .iter()
            .map(|(i, predecessor)| {
                let o = i.outcome_view();
                InspectionView {
                    inspected_on: i.inspected_on,
                    framework: i.framework,
                    kind: i.kind,
                    outcome: i.outcome.clone(),
                    grade: i.grade,
                    category_of_concern: i.category_of_concern,
                    safeguarding_met: i.safeguarding_met,
                    areas: o.areas().into_iter().map(|(a, j)| (a.to_string(), j.to_string())).collect(),
                    summary: o.summary(),
                    concern: o.concern_triggers(),
                    predecessor: predecessor.clone(),
                }
            })
            .collect();
        inspections.sort_by_key(|i| std::cmp::Reverse(i.inspected_on));
        let contracts = store
            .contracts_for_school(id)?
            .into_iter()
            .filter(|c| c.contract.status.is_live())
            .map(|c| ContractView {
                id: c.contract.id,
                status: c.contract.status,
                focus: c.contract.focus,
                leader: c.leader_name,
                designation: c.designation,
                start_on: c.contract.start_on,
                end_on: c.contract.end_on,
                days_commissioned: c.contract.days_commissioned,
                delivered: c.delivered,
            })
            .collect::<Vec<_>>();
        let alerts = snap
            .alerts
            .iter()
            .filter(|a| a.school_id == Some(id) || a.contract_id.is_some_and(|c| contracts.iter().any(|x| x.id == c)))
            .cloned()
            .collect();
        let events = store
            .school_events(id)?
            .into_iter()
            .map(|e| EventView {
                happened_on: e.happened_on,
                kind: e.kind,
                before: e.before,
                after: e.after,
                source: e.source,
            })
            .collect();
        Ok(SchoolView {
            id,
            name: s.name,
            urn: s.urn,
            status,
            reasons: st.map(|st| st.reasons.clone()).unwrap_or_default(),
            category: s.category,
            phase: s.phase,
            school_type: s.school_type,
            la_name: s.la_name,
            trust: s.trust,
            trust_code: s.trust_code,
            religious_character: s.religious_character,
            diocese: s.diocese,
            headteacher: s.headteacher,
            pupils: s.pupils,
            postcode: s.postcode,
            member: s.member,
            closed_on: s.closed_on,
            links,
            inspections,
            contracts,
            alerts,
            events,
            measures: store.school_trends(id)?,
        })
    }

    /// The status as the metrics name it (`None` for a closed school).
    pub fn status_value(&self) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.label() == self.status)
    }

    /// The view as titled lines, in the order the issue gives: status with its reasons,
    /// category (and who is responsible), inspections, live contracts, alerts, events.
    pub fn sections(&self) -> Vec<Section> {
        let mut top = Section::new("");
        match self.status_value() {
            Some(st) => top.push(format!("Status            {} {}", st.glyph(), st.label()), Tone::Status(st)),
            None => top.push(
                format!("Status            closed {}", self.closed_on.map_or_else(String::new, fmt_date)),
                Tone::Muted,
            ),
        }
        if self.reasons.is_empty() && self.closed_on.is_none() {
            top.push("  no rule fired: category A, no worrying inspection, no alerts", Tone::Muted);
        }
        for r in &self.reasons {
            top.push(format!("  {:<8} {}", r.status.label(), r.text), Tone::Status(r.status));
        }
        top.field("Category", format!("{} ({})", self.category, self.category.meaning()), Tone::Text);
        top.field("URN", self.urn.map_or("—".into(), |u| u.to_string()), Tone::Text);
        top.field("Phase / type", format!("{} · {}", self.phase, self.school_type), Tone::Text);
        top.field("Local authority", &self.la_name, Tone::Text);
        let trust = match (self.trust.is_empty(), self.trust_code.is_empty()) {
            (true, _) => "—".to_string(),
            (false, true) => self.trust.clone(),
            (false, false) => format!("{} (group {})", self.trust, self.trust_code),
        };
        top.field("Trust", trust, Tone::Text);
        if !self.religious_character.is_empty() || !self.diocese.is_empty() {
            let rc = [self.religious_character.as_str(), self.diocese.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            top.field("Religious character", rc, Tone::Text);
        }
        top.field("Headteacher", &self.headteacher, Tone::Text);
        top.field("Pupils", self.pupils.map_or("—".into(), |p| p.to_string()), Tone::Text);
        top.field("Postcode", if self.postcode.is_empty() { "—" } else { &self.postcode }, Tone::Text);
        top.field("Membership", if self.member { "alliance member" } else { "external client" }, Tone::Text);
        for l in &self.links {
            let urn = l.urn.map_or_else(String::new, |u| format!("URN {u}, "));
            let since = l.since.map_or_else(String::new, |d| format!(" since {}", fmt_date(d)));
            let label = if l.link_type.starts_with("successor") { "Became" } else { "Linked" };
            top.field(label, format!("{} ({urn}{}){since}", l.name, l.link_type), Tone::Text);
        }

        let mut insp = Section::new("Inspections");
        for i in &self.inspections {
            let mut kind =
                if i.kind == InspectionKind::Monitoring { " (monitoring)".to_string() } else { String::new() };
            if let Some(p) = &i.predecessor {
                kind.push_str(&format!(" as {p}"));
            }
            let tone = if i.concern.is_empty() { Tone::Text } else { Tone::Danger };
            insp.push(format!("{}  {}{kind} · {}", fmt_date(i.inspected_on), i.framework, i.summary), tone);
            for (area, word) in &i.areas {
                insp.push(format!("    {area}: {word}"), Tone::Muted);
            }
        }

        let mut live = Section::new("Live contracts");
        for c in &self.contracts {
            live.push(
                format!(
                    "#{:<4} {:<7} {} — {} ({}) {}/{} days, {} – {}",
                    c.id,
                    c.status.as_str(),
                    c.focus,
                    c.leader,
                    c.designation,
                    fmt_days(c.delivered),
                    fmt_days(c.days_commissioned),
                    fmt_date(c.start_on),
                    fmt_date(c.end_on)
                ),
                Tone::Text,
            );
        }

        let mut alerts = Section::new("Alerts");
        for a in &self.alerts {
            alerts.push(format!("{:<7}{}", a.severity.label(), a.message), Tone::Severity(a.severity));
        }

        let mut events = Section::new("Events");
        for e in &self.events {
            events.push(format!("{}  {}", fmt_date(e.happened_on), event_words(e)), Tone::Text);
        }
        let mut data = Section::new("Data (published; LA and England beside the latest year)");
        for t in &self.measures {
            data.push(format!("  {:<20}{:<6}{}", t.label, t.spark(), t.summary()), Tone::Text);
        }
        vec![top, insp, live, alerts, events, data]
    }

    /// The text `alliance school` prints.
    pub fn text(&self) -> String {
        super::plain_text(&self.name, &self.sections())
    }
}

/// An event in words ("new headteacher: Mrs A → Mr B").
fn event_words(e: &EventView) -> String {
    let arrow = match (e.before.is_empty(), e.after.is_empty()) {
        (true, true) => String::new(),
        (true, false) => format!(": {}", e.after),
        (false, true) => format!(": {}", e.before),
        (false, false) => format!(": {} → {}", e.before, e.after),
    };
    let what = match e.kind {
        EventKind::Converted => format!("converted: URN {} → URN {}", e.before, e.after),
        EventKind::Opened => format!("opened as URN {}", e.after),
        _ => format!("{}{arrow}", e.kind.label()),
    };
    format!("{what} ({})", e.source)
}
