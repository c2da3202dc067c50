//! The Leaders screen's list.

use super::*;

/// The Leaders screen: capacity, and what each leader knows — specialisms, designation, the
/// phase of their home school — all searchable with `/` (`/maths` finds maths specialists).
pub(super) fn leaders_model(snap: &Snapshot, specialisms: &HashMap<i64, String>) -> TableModel {
    let phases: HashMap<i64, Phase> = snap.schools.iter().map(|s| (s.school.id, s.school.phase)).collect();
    let columns = vec![
        col("Leader", Constraint::Fill(2), 10, 0),
        col("Des", Constraint::Length(5), 4, 0),
        col("Specialisms", Constraint::Fill(3), 14, 0),
        col("Avail", Constraint::Length(5), 5, 0),
        col("Phase", Constraint::Length(9), 7, 3),
        col("Capacity", Constraint::Length(16), 11, 9),
        col("Use", Constraint::Length(5), 4, 4),
        col("Cap", Constraint::Length(5), 4, 6),
        col("Deliv", Constraint::Length(6), 5, 6),
        col("Commit", Constraint::Length(6), 6, 6),
        col("Pipeline", Constraint::Length(8), 8, 8),
        col("Live", Constraint::Length(4), 4, 7),
        col("State", Constraint::Length(8), 8, 2),
    ];
    table(&columns, snap.leaders.iter(), |l| {
        let avail_role = if l.over_capacity() {
            Role::Danger
        } else if l.available < 2.0 {
            Role::Warn
        } else {
            Role::Ok
        };
        let util = l.utilisation.map_or("–".to_string(), |u| format!("{:.0}%", u * 100.0));
        let phase = l.leader.home_school_id.and_then(|id| phases.get(&id)).map_or("", |p| p.as_str());
        let cells = vec![
            TCell::text(&l.leader.name, if l.leader.active { Role::Text } else { Role::Muted }),
            TCell::text(l.leader.designation.as_str(), Role::Accent),
            TCell::text(specialisms.get(&l.leader.id).map_or("", String::as_str), Role::Text),
            days_cell(l.available, avail_role),
            TCell::text(phase, Role::Muted),
            capacity_bar(l, 15),
            TCell::num(util, Role::Text, l.utilisation.unwrap_or(0.0)),
            days_cell(l.capacity, Role::Text),
            days_cell(l.delivered, Role::Text),
            days_cell(l.committed, Role::Text),
            days_cell(l.pipeline, Role::Muted),
            TCell::num(l.live_contracts.to_string(), Role::Text, l.live_contracts as f64),
            TCell::text(if l.leader.active { "active" } else { "inactive" }, Role::Muted),
        ];
        TRow { target: Target::Leader(l.leader.id), cells, search: &[0, 1, 2, 4] }
    })
}
