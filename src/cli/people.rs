//! `alliance people`: who may use the file and what they may do (issue #16). Listing is open to
//! everyone who can read the file; changes are for admins (the store refuses anyone else).

use super::{Failure, PeopleCommand};
use crate::domain::{Leader, Person, Role};
use crate::store::{PersonChange, Store};

/// Runs the command.
pub fn run(store: &mut Store, what: Option<&PeopleCommand>, json: bool) -> Result<(), Failure> {
    let clean = crate::text::clean;
    match what {
        None => list(store, json),
        Some(PeopleCommand::Add { account, role, name, leader }) => {
            let change = PersonChange {
                account: account.clone(),
                role: Some(role_of(role)?),
                name: name.clone(),
                leader_id: leader.as_deref().map(|q| leader_of(store, q).map(Some)).transpose()?,
                active: None,
            };
            store.add_person(&change)?;
            outln!("{} added as {}", clean(account.trim()), role_of(role)?.as_str());
            Ok(())
        }
        Some(PeopleCommand::Edit { account, role, name, leader, inactive, active }) => {
            if role.is_none() && name.is_none() && leader.is_none() && !inactive && !active {
                return Err(Failure::invalid(
                    "nothing to change — give --role, --name, --leader, --active or --inactive",
                ));
            }
            let change = PersonChange {
                account: account.clone(),
                role: role.as_deref().map(role_of).transpose()?,
                name: name.clone(),
                leader_id: leader.as_deref().map(|q| leader_of(store, q).map(Some)).transpose()?,
                active: if *inactive {
                    Some(false)
                } else if *active {
                    Some(true)
                } else {
                    None
                },
            };
            let p = store.edit_person(&change)?;
            outln!("{} is now {}{}", clean(&p.account), p.role.as_str(), if p.active { "" } else { " (inactive)" });
            Ok(())
        }
        Some(PeopleCommand::Remove { account }) => {
            let p = store.remove_person(account)?;
            outln!("{} removed (was {})", clean(&p.account), p.role.as_str());
            Ok(())
        }
    }
}

fn role_of(word: &str) -> Result<Role, Failure> {
    Role::parse(word).ok_or_else(|| {
        Failure::invalid(format!("`{}` is not a role — one of: {}", crate::text::clean(word), Role::choices()))
    })
}

/// A system leader by id, exact name or a unique part of the name.
fn leader_of(store: &Store, query: &str) -> Result<i64, Failure> {
    let q = query.trim();
    let leaders: Vec<Leader> = store.all()?;
    if let Some(l) = q.parse::<i64>().ok().and_then(|id| leaders.iter().find(|l| l.id == id)) {
        return Ok(l.id);
    }
    if let Some(l) = leaders.iter().find(|l| l.name.eq_ignore_ascii_case(q)) {
        return Ok(l.id);
    }
    let lower = q.to_lowercase();
    let found: Vec<&Leader> = leaders.iter().filter(|l| l.name.to_lowercase().contains(&lower)).collect();
    let clean = crate::text::clean;
    match found.as_slice() {
        [l] => Ok(l.id),
        [] => Err(Failure::invalid(format!("no leader matches `{}`", clean(q)))),
        many => Err(Failure::invalid(format!(
            "`{}` matches {} leaders: {} — be more specific or use the id",
            clean(q),
            many.len(),
            many.iter().map(|l| format!("{} (#{})", clean(&l.name), l.id)).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn list(store: &Store, json: bool) -> Result<(), Failure> {
    let people = store.people()?;
    let leaders: Vec<Leader> = store.all()?;
    let leader_name =
        |p: &Person| p.leader_id.and_then(|id| leaders.iter().find(|l| l.id == id)).map(|l| l.name.clone());
    let who = store.who()?;
    let owner = crate::identity::owner_of(store.path()).map(|(_, n)| n).ok();
    if json {
        let rows: Vec<serde_json::Value> = people
            .iter()
            .map(|p| {
                serde_json::json!({
                    "account": p.account, "name": p.name, "role": p.role.as_str(),
                    "leader_id": p.leader_id, "leader": leader_name(p), "active": p.active,
                })
            })
            .collect();
        let out = serde_json::json!({
            "people": rows,
            "you": who.account(),
            "your_role": who.role().map(Role::as_str),
            "owner_is_admin": people.is_empty(),
            "owner": owner,
        });
        outln!("{}", super::json_for_terminal(&out.to_string()));
        return Ok(());
    }
    let clean = crate::text::clean;
    if people.is_empty() {
        outln!(
            "nobody is listed yet: the file's owner ({}) is its admin, and everyone else reads only",
            clean(owner.as_deref().unwrap_or("unknown"))
        );
    }
    for p in &people {
        let mut line = format!("{:<16} {:<12} {}", clean(&p.account), p.role.as_str(), clean(&p.name));
        if let Some(l) = leader_name(p) {
            line.push_str(&format!(" · leader {}", clean(&l)));
        }
        if !p.active {
            line.push_str(" · inactive");
        }
        outln!("{}", line.trim_end());
    }
    let you = match who.role() {
        Some(r) => format!("you are {} ({})", clean(who.account()), r.as_str()),
        None => format!("you are {} (not listed: read-only)", clean(who.account())),
    };
    outln!("{you}");
    Ok(())
}
