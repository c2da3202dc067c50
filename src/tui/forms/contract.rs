//! A new contract, or an edit: the leader picker is ranked for the school and focus.

use super::*;

/// The `school_id` field (its draft key).
pub(super) const SCHOOL_ID: &str = "school_id";
/// The `focus` field (its draft key).
pub(super) const FOCUS: &str = "focus";
/// The `leader_id` field (its draft key).
pub(super) const LEADER_ID: &str = "leader_id";
/// The `aims` field (its draft key).
pub(super) const AIMS: &str = "aims";
/// The `success_criteria` field (its draft key).
pub(super) const SUCCESS_CRITERIA: &str = "success_criteria";
/// The `start_on` field (its draft key).
pub(super) const START_ON: &str = "start_on";
/// The `end_on` field (its draft key).
pub(super) const END_ON: &str = "end_on";
/// The `days_commissioned` field (its draft key).
pub(super) const DAYS_COMMISSIONED: &str = "days_commissioned";
/// The `day_rate_pence` field (its draft key).
pub(super) const DAY_RATE_PENCE: &str = "day_rate_pence";
/// The `funding` field (its draft key).
pub(super) const FUNDING: &str = "funding";
/// The `funding_stream_id` field (its draft key).
pub(super) const FUNDING_STREAM_ID: &str = "funding_stream_id";
/// The `status` field (its draft key).
pub(super) const STATUS: &str = "status";

/// Opens the form.
pub(super) fn open(
    id: Option<i64>,
    store: &Store,
    snap: &Snapshot,
    today: NaiveDate,
    ctx: &Context,
    extra: &mut Extra,
) -> Result<Opened, StoreError> {
    let c: Option<Contract> = id.map(|i| store.get(i)).transpose()?;
    let streams: Vec<FundingStream> = store.all()?;
    extra.stream_ids = std::iter::once(None).chain(streams.iter().map(|s| Some(s.id))).collect();
    let school = c.as_ref().map(|c| c.school_id).or(ctx.school);
    let leader = c.as_ref().map(|c| c.leader_id).or(ctx.leader);
    let start = c.as_ref().map_or(today, |c| c.start_on);
    let fields = vec![
        // School and focus first: the leader picker is ranked for them when reached.
        Field::pick(SCHOOL_ID, "Supported school", school_picker(snap), school.map(Target::School)),
        Field::text(FOCUS, "Focus", c.as_ref().map_or(ctx.focus.as_deref().unwrap_or(""), |c| &c.focus)),
        Field::pick(LEADER_ID, "System leader", leader_picker(snap), leader.map(Target::Leader)),
        Field::multi(AIMS, "Aims", c.as_ref().map_or("", |c| &c.aims)),
        Field::multi(SUCCESS_CRITERIA, "Success criteria", c.as_ref().map_or("", |c| &c.success_criteria)),
        Field::date(START_ON, "Start", Some(start)).suggested_if(c.is_none()),
        Field::date(END_ON, "End", Some(c.as_ref().map_or(start + Duration::days(120), |c| c.end_on)))
            .suggested_if(c.is_none()),
        Field::days(DAYS_COMMISSIONED, "Days", c.as_ref().map(|c| c.days_commissioned).or(ctx.days)),
        Field::money(DAY_RATE_PENCE, "Day rate (blank: the leader's)", c.as_ref().map(|c| c.day_rate_pence)).optional(),
        Field::text(FUNDING, "Funding (who pays)", c.as_ref().map_or("", |c| &c.funding)).optional(),
        {
            let mut names: Vec<&str> = vec![NO_STREAM];
            names.extend(streams.iter().map(|s| s.name.as_str()));
            let current = c
                .as_ref()
                .and_then(|c| c.funding_stream_id)
                .and_then(|id| streams.iter().find(|s| s.id == id))
                .map_or(NO_STREAM, |s| s.name.as_str());
            Field::choice(FUNDING_STREAM_ID, "Funding stream", &names, current)
        },
        Field::choice(
            STATUS,
            "Status",
            &strs(ContractStatus::ALL, ContractStatus::as_str),
            c.as_ref().map_or("proposed", |c| c.status.as_str()),
        ),
    ];
    let title = match &c {
        Some(c) => format!("Edit contract #{}", c.id),
        None => "New contract".into(),
    };
    let v = c.as_ref().map_or(0, |c| c.stamp.version);
    Ok((title, fields, c.as_ref().and_then(json), v))
}

/// Checks the fields and saves through the store.
pub(super) fn save(
    id: Option<i64>,
    r: &mut Reader<'_>,
    store: &mut Store,
    snap: &Snapshot,
    today: NaiveDate,
    cx: &SaveCx,
) -> Result<Option<String>, StoreError> {
    let version = cx.version;
    let SaveCx { settings, stream_ids, .. } = cx;
    let school_id = r.need(SCHOOL_ID, "supported school");
    let leader_id = r.need(LEADER_ID, "system leader");
    let start = r.date(START_ON);
    let end = r.date(END_ON);
    let days = r.days(DAYS_COMMISSIONED);
    let rate = r.pence(DAY_RATE_PENCE);
    if r.failed {
        return Ok(None);
    }
    let stream_id = {
        let i = r.form.field(FUNDING_STREAM_ID).map_or(0, |f| f.choice);
        stream_ids.get(i).copied().flatten()
    };
    if let Some(sid) = stream_id
        && store.find::<FundingStream>(sid)?.is_none()
    {
        if let Some(f) = r.form.field_mut(FUNDING_STREAM_ID) {
            f.error = Some("this stream was removed since the form opened — Esc, then open the form again".into());
        }
        return Ok(None);
    }
    let leader = snap.leaders.iter().find(|l| l.leader.id == leader_id);
    // A blank rate takes the leader's own agreed rate; a leader without one (0) takes
    // the default for their designation from the settings.
    let own_rate = match leader {
        Some(l) => store.find::<Leader>(l.leader.id)?.map_or(0, |r| r.day_rate_pence),
        None => 0,
    };
    let default_rate = match (own_rate, leader) {
        (r, _) if r > 0 => r,
        (_, Some(l)) => settings.day_rate(l.leader.designation),
        _ => 0,
    };
    let c = Contract {
        id: id.unwrap_or(0),
        school_id,
        leader_id,
        focus: text(r.form, FOCUS).trim().to_string(),
        aims: text(r.form, AIMS),
        success_criteria: text(r.form, SUCCESS_CRITERIA),
        start_on: start.unwrap_or(today),
        end_on: end.unwrap_or(today),
        days_commissioned: days,
        day_rate_pence: rate.unwrap_or(default_rate),
        funding: text(r.form, FUNDING).trim().to_string(),
        funding_stream_id: stream_id,
        status: ContractStatus::parse(chosen(r.form, STATUS)).unwrap_or(ContractStatus::Proposed),
        stamp: Stamp { version, ..Stamp::default() },
    };
    let over = crate::metrics::capacity_warning(snap, &c);
    let (saved_id, warnings) = store.save_contract(&c)?;
    let mut msg = format!("contract #{saved_id} saved{}", warnings_text(&warnings));
    if let Some(w) = over {
        msg.push_str(&format!(" — warning: {w}"));
    }
    Ok(Some(msg))
}
