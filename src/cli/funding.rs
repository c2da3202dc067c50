//! `alliance funding`: the funding streams with what the board has committed, delivered and
//! has left against each (the one budget rule, [`crate::metrics::budget`]), and adding, editing
//! or removing a stream.

use super::{Failure, FundingCommand};
use crate::domain::money::{fmt_pence, parse_pence};
use crate::domain::{AcademicYear, FundingStream, Stamp};
use crate::metrics::budget::{Budget, BudgetLine};
use crate::store::Store;
use chrono::NaiveDate;
use std::io::Write;

/// Runs the command.
pub fn run(store: &mut Store, today: NaiveDate, what: Option<&FundingCommand>, json: bool) -> Result<(), Failure> {
    match what {
        None => list(store, today, json),
        Some(FundingCommand::Add { name, amount, notes }) => {
            let amount_pence = amount_of(amount)?;
            let f = FundingStream {
                id: 0,
                name: name.clone(),
                amount_pence,
                notes: notes.clone(),
                stamp: Stamp::default(),
            };
            let id = store.save_stream(&f)?;
            let clean = crate::text::clean;
            outln!("funding stream #{id} added: {} · {}", clean(name.trim()), fmt_pence(amount_pence));
            Ok(())
        }
        Some(FundingCommand::Edit { stream, name, amount, notes }) => {
            if name.is_none() && amount.is_none() && notes.is_none() {
                return Err(Failure::invalid("nothing to change — give --name, --amount or --notes"));
            }
            let mut f = pick_stream(store, stream)?;
            let was = f.clone();
            if let Some(n) = name {
                f.name = n.clone();
            }
            if let Some(a) = amount {
                f.amount_pence = amount_of(a)?;
            }
            if let Some(n) = notes {
                f.notes = n.clone();
            }
            store.save_stream(&f)?;
            let clean = crate::text::clean;
            outln!("funding stream #{} saved: {} · {}", f.id, clean(f.name.trim()), fmt_pence(f.amount_pence));
            if f.amount_pence != was.amount_pence {
                let line = line_of(store, today, f.id)?;
                if let Some(h) = line.as_ref().and_then(BudgetLine::headroom_pence) {
                    if h < 0 {
                        outln!(
                            "warning: {} is now over-committed by {} — the board will see an alert",
                            clean(f.name.trim()),
                            fmt_pence(-h)
                        );
                    } else {
                        outln!("headroom now {}", fmt_pence(h));
                    }
                }
            }
            Ok(())
        }
        Some(FundingCommand::Remove { stream, unallocate }) => {
            let f = pick_stream(store, stream)?;
            let (gone, moved) = store.remove_stream(f.id, f.stamp.version, *unallocate).map_err(|e| {
                let mut fail = Failure::from(e);
                if !*unallocate && fail.code == crate::store::exit::INVALID {
                    fail.message.push_str(", or add --unallocate to remove it and leave them unallocated");
                }
                fail
            })?;
            let clean = crate::text::clean;
            match moved {
                0 => outln!("funding stream {} removed", clean(&gone.name)),
                n => outln!(
                    "funding stream {} removed; {n} contract{} no longer allocated to a stream",
                    clean(&gone.name),
                    if n == 1 { " is" } else { "s are" }
                ),
            }
            Ok(())
        }
    }
}

fn amount_of(text: &str) -> Result<i64, Failure> {
    parse_pence(text).map_err(|e| Failure::invalid(format!("--amount: {e}")))
}

/// Finds a stream by id, exact name, or a unique part of its name.
fn pick_stream(store: &Store, query: &str) -> Result<FundingStream, Failure> {
    let q = query.trim();
    let streams: Vec<FundingStream> = store.all()?;
    if q.is_empty() {
        return Err(Failure::invalid("which funding stream? give its name or id"));
    }
    if let Some(f) = q.parse::<i64>().ok().and_then(|id| streams.iter().find(|f| f.id == id)) {
        return Ok(f.clone());
    }
    if let Some(f) = streams.iter().find(|f| f.name.trim().eq_ignore_ascii_case(q)) {
        return Ok(f.clone());
    }
    let lower = q.to_lowercase();
    let found: Vec<&FundingStream> = streams.iter().filter(|f| f.name.to_lowercase().contains(&lower)).collect();
    let clean = crate::text::clean;
    match found.as_slice() {
        [f] => Ok((*f).clone()),
        [] => Err(Failure::invalid(format!(
            "no funding stream matches `{}`{}",
            clean(q),
            if streams.is_empty() {
                " — there are none yet; add one with `alliance funding add NAME --amount £…`".to_string()
            } else {
                format!(" — streams: {}", streams.iter().map(|f| clean(&f.name)).collect::<Vec<_>>().join(", "))
            }
        ))),
        many => Err(Failure::invalid(format!(
            "`{}` matches {} streams: {} — be more specific or use the id",
            clean(q),
            many.len(),
            many.iter().map(|f| format!("{} (#{})", clean(&f.name), f.id)).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn budget(store: &Store, today: NaiveDate) -> Result<Budget, Failure> {
    let settings = store.settings()?;
    let year = AcademicYear::containing(today, settings.year_start_month);
    let streams: Vec<FundingStream> = store.all()?;
    let contracts = store.contracts_with_streams()?;
    Ok(crate::store::budget_of(&streams, &contracts, year))
}

fn line_of(store: &Store, today: NaiveDate, id: i64) -> Result<Option<BudgetLine>, Failure> {
    Ok(budget(store, today)?.streams.into_iter().find(|l| l.stream_id == Some(id)))
}

fn list(store: &Store, today: NaiveDate, json: bool) -> Result<(), Failure> {
    let b = budget(store, today)?;
    let streams: Vec<FundingStream> = store.all()?;
    let mut out = std::io::stdout().lock();
    if json {
        let rows: Vec<serde_json::Value> = b
            .streams
            .iter()
            .map(|l| {
                let notes = streams.iter().find(|f| Some(f.id) == l.stream_id).map_or("", |f| f.notes.as_str());
                serde_json::json!({
                    "id": l.stream_id,
                    "name": l.name,
                    "amount_pence": l.allocated_pence,
                    "committed_pence": l.committed_pence,
                    "delivered_pence": l.delivered_pence,
                    "remaining_pence": l.remaining_pence(),
                    "headroom_pence": l.headroom_pence(),
                    "proposed_pence": l.proposed_pence,
                    "contracts": l.contracts,
                    "over_committed": l.over_committed(),
                    "notes": notes,
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&rows).map_err(|e| Failure::invalid(e.to_string()))?;
        let _ = writeln!(out, "{}", super::json_for_terminal(&text));
        return Ok(());
    }
    if b.streams.is_empty() {
        let _ = writeln!(out, "No funding streams yet — add one with `alliance funding add NAME --amount £…`");
        return Ok(());
    }
    let clean = crate::text::clean;
    let _ = writeln!(
        out,
        "{:>3}  {:<34} {:>12} {:>12} {:>12} {:>12} {:>12} {:>5}",
        "#", "Funding stream", "Amount", "Committed", "Delivered", "Remaining", "Headroom", "Ctrs"
    );
    for l in &b.streams {
        let name: String = clean(&l.name).chars().take(34).collect();
        let headroom = l.headroom_pence().unwrap_or(0);
        let _ = writeln!(
            out,
            "{:>3}  {:<34} {:>12} {:>12} {:>12} {:>12} {:>12} {:>5}{}",
            l.stream_id.unwrap_or(0),
            name,
            fmt_pence(l.allocated_pence.unwrap_or(0)),
            fmt_pence(l.committed_pence),
            fmt_pence(l.delivered_pence),
            fmt_pence(l.remaining_pence()),
            fmt_pence(headroom),
            l.contracts,
            if l.over_committed() { "  OVER-COMMITTED" } else { "" }
        );
        if l.proposed_pence > 0 {
            let _ = writeln!(out, "     {:<34} {} more proposed, awaiting the board", "", fmt_pence(l.proposed_pence));
        }
    }
    Ok(())
}
