//! A system leader's picture: designation, specialisms, home school, the capacity figures of
//! DESIGN §5 with their inputs, and contracts.

use super::{Section, Tone};
use crate::domain::money::fmt_days;
use crate::domain::{ContractStatus, Designation, Leader, School, fmt_date};
use crate::metrics::Snapshot;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;

/// The capacity sums for the academic year (DESIGN §5).
#[derive(Debug, Clone, Serialize)]
pub struct CapacityView {
    /// Academic year, e.g. `2026/27`.
    pub year: String,
    /// Days a year.
    pub capacity: f64,
    /// Delivered this year.
    pub delivered: f64,
    /// Still owed on live contracts.
    pub committed: f64,
    /// capacity − delivered − committed.
    pub available: f64,
    /// (delivered + committed) / capacity, when there is a capacity.
    pub utilisation: Option<f64>,
    /// Days on proposed contracts.
    pub pipeline: f64,
}

/// One of the leader's contracts.
#[derive(Debug, Clone, Serialize)]
pub struct LeaderContractView {
    /// Contract id.
    pub id: i64,
    /// Status.
    pub status: ContractStatus,
    /// Supported school.
    pub school: String,
    /// Focus.
    pub focus: String,
    /// Period.
    pub start_on: NaiveDate,
    /// End.
    pub end_on: NaiveDate,
    /// Days commissioned.
    pub days_commissioned: f64,
    /// Delivered.
    pub delivered: f64,
}

/// Everything `alliance leader` shows.
#[derive(Debug, Clone, Serialize)]
pub struct LeaderView {
    /// Leader id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Designation.
    pub designation: Designation,
    /// Specialism tags.
    pub specialisms: Vec<String>,
    /// Home school's name, if any.
    pub home_school: Option<String>,
    /// Home school's status word (a leader is not sent out of a struggling school).
    pub home_school_status: Option<String>,
    /// Deployable.
    pub active: bool,
    /// Capacity figures.
    pub capacity: Option<CapacityView>,
    /// Every contract, newest first.
    pub contracts: Vec<LeaderContractView>,
}

impl LeaderView {
    /// Builds the view of leader `id`.
    pub fn load(store: &Store, snap: &Snapshot, id: i64) -> Result<LeaderView, StoreError> {
        let l: Leader = store.get(id)?;
        let home = l.home_school_id.map(|h| store.find::<School>(h)).transpose()?.flatten();
        let home_school_status = home
            .as_ref()
            .and_then(|h| snap.schools.iter().find(|s| s.school.id == h.id))
            .map(|s| s.status.label().to_string());
        let capacity = snap.leaders.iter().find(|c| c.leader.id == id).map(|c| CapacityView {
            year: snap.year.label(),
            capacity: c.capacity,
            delivered: c.delivered,
            committed: c.committed,
            available: c.available,
            utilisation: c.utilisation,
            pipeline: c.pipeline,
        });
        let mut contracts: Vec<LeaderContractView> = store
            .contracts_for_leader(id)?
            .into_iter()
            .map(|c| LeaderContractView {
                id: c.contract.id,
                status: c.contract.status,
                school: c.school_name,
                focus: c.contract.focus,
                start_on: c.contract.start_on,
                end_on: c.contract.end_on,
                days_commissioned: c.contract.days_commissioned,
                delivered: c.delivered,
            })
            .collect();
        contracts.sort_by(|a, b| b.start_on.cmp(&a.start_on).then(b.id.cmp(&a.id)));
        Ok(LeaderView {
            id,
            specialisms: l.specialism_tags().into_iter().map(str::to_string).collect(),
            name: l.name,
            designation: l.designation,
            home_school: home.map(|h| h.name),
            home_school_status,
            active: l.active,
            capacity,
            contracts,
        })
    }

    /// The view as titled lines: designation, specialisms, home school, capacity, contracts.
    pub fn sections(&self) -> Vec<Section> {
        let mut top = Section::new("");
        top.field("Designation", format!("{} — {}", self.designation, self.designation.title()), Tone::Text);
        top.field(
            "Specialisms",
            if self.specialisms.is_empty() { "—".to_string() } else { self.specialisms.join(", ") },
            Tone::Text,
        );
        let home = match (&self.home_school, &self.home_school_status) {
            (Some(h), Some(st)) => format!("{h} (status {st})"),
            (Some(h), None) => h.clone(),
            (None, _) => "—".to_string(),
        };
        top.field("Home school", home, Tone::Text);
        top.field("Deployable", if self.active { "yes (active)" } else { "no (inactive)" }, Tone::Text);

        let mut cap = Section::new("Capacity");
        if let Some(c) = &self.capacity {
            cap.title = format!("Capacity, academic year {}", c.year);
            cap.field("capacity", format!("{} days a year", fmt_days(c.capacity)), Tone::Text);
            cap.field("− delivered", fmt_days(c.delivered), Tone::Text);
            cap.field("− committed", format!("{} (still owed on live contracts)", fmt_days(c.committed)), Tone::Text);
            let over = c.available < 0.0;
            cap.field(
                "= available",
                format!("{}{}", fmt_days(c.available), if over { "  OVER CAPACITY" } else { "" }),
                if over { Tone::Danger } else { Tone::Text },
            );
            cap.field(
                "utilisation",
                c.utilisation.map_or("— (no capacity set)".into(), |u| format!("{:.0}%", u * 100.0)),
                Tone::Text,
            );
            cap.field("pipeline", format!("{} days on proposed contracts", fmt_days(c.pipeline)), Tone::Muted);
        }

        let mut list = Section::new("Contracts");
        for c in &self.contracts {
            list.push(
                format!(
                    "#{:<4} {:<10} {} — {} {}/{} days, {} – {}",
                    c.id,
                    c.status.as_str(),
                    c.school,
                    c.focus,
                    fmt_days(c.delivered),
                    fmt_days(c.days_commissioned),
                    fmt_date(c.start_on),
                    fmt_date(c.end_on)
                ),
                Tone::Text,
            );
        }
        vec![top, cap, list]
    }

    /// The text `alliance leader` prints.
    pub fn text(&self) -> String {
        super::plain_text(&self.name, &self.sections())
    }
}
