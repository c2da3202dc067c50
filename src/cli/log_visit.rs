//! `alliance log-visit`: the CLI twin of the visit form, with the same validation (the store's
//! `add_visit`). A school is found by URN or name; its one live contract is used, or the
//! `--leader` picks among several.

use super::{Command, Failure};
use crate::domain::money::{MAX_VISIT_DAYS, fmt_days};
use crate::domain::{Activity, Contract, Leader, Stamp, Visit, fmt_date, parse_date};
use crate::store::{ContractRow, Store};
use chrono::NaiveDate;

fn matches(name: &str, query: &str) -> bool {
    name.to_lowercase().contains(&query.trim().to_lowercase())
}

/// Finds one school by URN, exact name, or a unique part of its name.
pub(crate) fn pick_school(store: &Store, query: &str) -> Result<(i64, String), Failure> {
    let q = query.trim();
    if q.is_empty() {
        return Err(Failure::invalid("--school is empty — give a name or URN"));
    }
    let schools = store.school_names()?;
    if let Ok(urn) = q.parse::<i64>() {
        return schools
            .iter()
            .find(|(_, _, u)| *u == Some(urn))
            .map(|(id, n, _)| (*id, n.clone()))
            .ok_or_else(|| Failure::invalid(format!("no school with URN {urn}")));
    }
    if let Some((id, n, _)) = schools.iter().find(|(_, n, _)| n.eq_ignore_ascii_case(q)) {
        return Ok((*id, n.clone()));
    }
    let found: Vec<_> = schools.iter().filter(|(_, n, _)| matches(n, q)).collect();
    match found.as_slice() {
        [] => Err(Failure::invalid(format!("no school matches `{q}` — try part of its name or its URN"))),
        [(id, n, _)] => Ok((*id, n.clone())),
        many => Err(Failure::invalid(format!(
            "`{q}` matches {} schools: {} — be more specific or use the URN",
            many.len(),
            many.iter()
                .take(6)
                .map(|(_, n, u)| format!("{n}{}", u.map_or(String::new(), |u| format!(" ({u})"))))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn describe(c: &ContractRow) -> String {
    format!("#{} {} ({}, {})", c.contract.id, c.contract.focus, c.leader_name, c.contract.status)
}

/// Runs the command.
pub fn run(store: &mut Store, today: NaiveDate, cmd: &Command) -> Result<(), Failure> {
    let Command::LogVisit { contract, school, leader, date, days, activity, notes, next_steps, json } = cmd else {
        return Err(Failure::invalid("not a log-visit command"));
    };
    let visited_on = parse_date(date, today).map_err(|e| Failure::invalid(format!("--date: {e}")))?;
    let days = super::days_arg(days, MAX_VISIT_DAYS)?;
    let activity = Activity::parse(activity).ok_or_else(|| {
        Failure::invalid(format!("--activity `{}` is not one of: {}", activity.trim(), Activity::choices()))
    })?;
    let leaders: Vec<Leader> = store.all()?;
    let wanted_leader: Option<&Leader> = match leader {
        None => None,
        Some(q) => {
            let found: Vec<&Leader> = leaders.iter().filter(|l| matches(&l.name, q)).collect();
            match found.as_slice() {
                [] => return Err(Failure::invalid(format!("no leader matches `{}`", q.trim()))),
                [one] => Some(*one),
                many => match many.iter().find(|l| l.name.eq_ignore_ascii_case(q.trim())) {
                    Some(exact) => Some(*exact),
                    None => {
                        return Err(Failure::invalid(format!(
                            "`{}` matches {} leaders: {} — be more specific",
                            q.trim(),
                            many.len(),
                            many.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")
                        )));
                    }
                },
            }
        }
    };
    let contract: Contract = match (contract, school) {
        (Some(id), _) => store.find(*id)?.ok_or_else(|| Failure::invalid(format!("no contract with id {id}")))?,
        (None, Some(q)) => {
            let (school_id, name) = pick_school(store, q)?;
            let live: Vec<ContractRow> =
                store.contracts_for_school(school_id)?.into_iter().filter(|c| c.contract.status.is_live()).collect();
            let narrowed: Vec<&ContractRow> = match wanted_leader {
                Some(l) if live.len() > 1 => live.iter().filter(|c| c.contract.leader_id == l.id).collect(),
                _ => live.iter().collect(),
            };
            match narrowed.as_slice() {
                [] if live.is_empty() => {
                    return Err(Failure::invalid(format!("{name} has no live contract to log a visit against")));
                }
                [one] => one.contract.clone(),
                _ => {
                    return Err(Failure::invalid(format!(
                        "{name} has {} live contracts: {} — use --contract ID or --leader NAME",
                        live.len(),
                        live.iter().map(describe).collect::<Vec<_>>().join("; ")
                    )));
                }
            }
        }
        (None, None) => return Err(Failure::invalid("give --contract ID or --school NAME-OR-URN")),
    };
    let v = Visit {
        id: 0,
        contract_id: contract.id,
        leader_id: wanted_leader.map_or(contract.leader_id, |l| l.id),
        visited_on,
        days,
        activity,
        notes: notes.clone(),
        next_steps: next_steps.clone(),
        stamp: Stamp::default(),
    };
    let (id, warnings) = store.add_visit(&v, today).map_err(|e| match e {
        crate::store::StoreError::Invalid(p) => Failure::invalid(format!("visit not logged: {}", p.error_text())),
        other => Failure::from(other),
    })?;
    if *json {
        let w: Vec<&str> = warnings.iter().map(|p| p.message.as_str()).collect();
        outln!("{}", serde_json::json!({"id": id, "contract_id": contract.id, "warnings": w}));
    } else {
        outln!(
            "visit {id} logged: {} day(s) of {} on {}, contract #{} ({})",
            fmt_days(days),
            activity,
            fmt_date(visited_on),
            contract.id,
            crate::text::clean(&contract.focus)
        );
        for w in &warnings {
            crate::text::print_note(&w.message);
        }
    }
    Ok(())
}
