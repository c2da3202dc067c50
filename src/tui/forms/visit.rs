//! Log a visit, and correct (or remove) one already logged.

use super::*;

/// The `contract_id` field (its draft key).
pub(super) const CONTRACT_ID: &str = "contract_id";
/// The `visited_on` field (its draft key).
pub(super) const VISITED_ON: &str = "visited_on";
/// The `days` field (its draft key).
pub(super) const DAYS: &str = "days";
/// The `activity` field (its draft key).
pub(super) const ACTIVITY: &str = "activity";
/// The `notes` field (its draft key).
pub(super) const NOTES: &str = "notes";
/// The `next_steps` field (its draft key).
pub(super) const NEXT_STEPS: &str = "next_steps";
/// The `leader_id` field (its draft key).
pub(super) const LEADER_ID: &str = "leader_id";
/// The `contract` field (its draft key).
pub(super) const CONTRACT: &str = "contract";
/// The `remove` field (its draft key).
pub(super) const REMOVE: &str = "remove";

/// Opens the form.
pub(super) fn open_new(snap: &Snapshot, today: NaiveDate, ctx: &Context) -> Result<Opened, StoreError> {
    let contract =
        ctx.contract.filter(|id| snap.contracts.iter().any(|p| p.contract.id == *id && p.contract.status.is_live()));
    let leader = contract
        .and_then(|id| snap.contracts.iter().find(|p| p.contract.id == id))
        .map(|p| p.contract.leader_id)
        .or(ctx.leader);
    // Most used first: date, days and the note; who visited follows the contract.
    let fields = vec![
        Field::pick(CONTRACT_ID, "Contract", contract_picker(snap, true), contract.map(Target::Contract)),
        Field::date(VISITED_ON, "Date", Some(today)).suggested(),
        Field::days(DAYS, "Days", Some(1.0)).suggested(),
        Field::choice(ACTIVITY, "Activity", &strs(Activity::ALL, Activity::as_str), "coaching"),
        Field::multi(NOTES, "Note of visit", ""),
        Field::multi(NEXT_STEPS, "Next steps", ""),
        Field::pick(LEADER_ID, "Visited by", leader_picker(snap), leader.map(Target::Leader)).optional(),
    ];
    Ok(("Log a visit".into(), fields, None, 0))
}

/// Opens the form.
pub(super) fn open_edit(id: i64, store: &Store, snap: &Snapshot) -> Result<Opened, StoreError> {
    let v: Visit = store.get(id)?;
    let label = store.contract_row(v.contract_id)?.map_or(format!("contract #{}", v.contract_id), |r| {
        format!("#{} {} — {} — {}", r.contract.id, r.school_name, r.leader_name, r.contract.focus)
    });
    // Who visited stays choosable when they are no longer active (a correction to an
    // old visit must not force someone else's name onto it).
    let mut leaders = leader_items(snap);
    if !leaders.iter().any(|(t, _)| *t == Target::Leader(v.leader_id))
        && let Some(l) = store.find::<Leader>(v.leader_id)?
    {
        leaders.insert(0, (Target::Leader(l.id), format!("{} ({}) — inactive", l.name, l.designation)));
    }
    let fields = vec![
        Field::text(CONTRACT, "Contract", &label).locked(),
        Field::pick(LEADER_ID, "Visited by", picker(leaders), Some(Target::Leader(v.leader_id))),
        Field::date(VISITED_ON, "Date", Some(v.visited_on)),
        Field::days(DAYS, "Days", Some(v.days)),
        Field::choice(ACTIVITY, "Activity", &strs(Activity::ALL, Activity::as_str), v.activity.as_str()),
        Field::multi(NOTES, "Note of visit", &v.notes),
        Field::multi(NEXT_STEPS, "Next steps", &v.next_steps),
        Field::boolean(REMOVE, "Remove this visit", false),
    ];
    Ok((format!("Correct visit #{id} of {}", fmt_date(v.visited_on)), fields, json(&v), v.stamp.version))
}

/// Checks the fields and saves through the store.
pub(super) fn save_new(
    r: &mut Reader<'_>,
    store: &mut Store,
    snap: &Snapshot,
    today: NaiveDate,
) -> Result<Option<String>, StoreError> {
    let contract_id = r.need(CONTRACT_ID, "contract");
    let leader = picked(r.form, LEADER_ID)
        .or_else(|| snap.contracts.iter().find(|p| p.contract.id == contract_id).map(|p| p.contract.leader_id))
        .unwrap_or(0);
    let visited_on = r.date(VISITED_ON);
    let days = r.days(DAYS);
    if r.failed {
        return Ok(None);
    }
    let v = Visit {
        id: 0,
        contract_id,
        leader_id: leader,
        visited_on: visited_on.unwrap_or(today),
        days,
        activity: Activity::parse(chosen(r.form, ACTIVITY)).unwrap_or(Activity::Coaching),
        notes: text(r.form, NOTES),
        next_steps: text(r.form, NEXT_STEPS),
        stamp: Stamp::default(),
    };
    let (id, warnings) = store.add_visit(&v, today)?;
    Ok(Some(format!(
        "visit #{id} logged: {} day(s) on {}{}",
        fmt_days(days),
        fmt_date(v.visited_on),
        warnings_text(&warnings)
    )))
}

/// Checks the fields and saves through the store.
pub(super) fn save_edit(
    id: i64,
    r: &mut Reader<'_>,
    store: &mut Store,
    today: NaiveDate,
    cx: &SaveCx,
) -> Result<Option<String>, StoreError> {
    let version = cx.version;
    if flag(r.form, REMOVE) {
        let gone = store.remove_visit(id, version)?;
        return Ok(Some(format!(
            "visit #{id} of {} removed ({} day(s); kept in the audit trail)",
            fmt_date(gone.visited_on),
            fmt_days(gone.days)
        )));
    }
    let visited_on = r.date(VISITED_ON);
    let days = r.days(DAYS);
    let leader = r.need(LEADER_ID, "leader who visited");
    if r.failed {
        return Ok(None);
    }
    let mut v: Visit = store.get(id)?;
    v.leader_id = leader;
    v.visited_on = visited_on.unwrap_or(v.visited_on);
    v.days = days;
    v.activity = Activity::parse(chosen(r.form, ACTIVITY)).unwrap_or(v.activity);
    v.notes = text(r.form, NOTES);
    v.next_steps = text(r.form, NEXT_STEPS);
    v.stamp.version = version;
    let warnings = store.update_visit(&v, today)?;
    Ok(Some(format!(
        "visit #{id} corrected: {} day(s) on {}{}",
        fmt_days(v.days),
        fmt_date(v.visited_on),
        warnings_text(&warnings)
    )))
}
