//! The sign-off form (issue #15): records one party's signature on a contract's agreement as it
//! stands, through [`Store::sign`] — the same rules as `alliance contract sign` (a proposed
//! contract becomes active once the school and the provider have signed).

use super::{chosen, text};
use crate::domain::{Party, fmt_date};
use crate::store::{Store, StoreError};
use crate::tui::form::{Field, Form};
use chrono::NaiveDate;

/// The form's title and fields for contract `id`: the party defaults to the first required one
/// still to sign.
pub fn open(store: &Store, id: i64, today: NaiveDate) -> Result<(String, Vec<Field>), StoreError> {
    let row = store.contract_row(id)?;
    let label = row.map_or(format!("contract #{id}"), |r| {
        format!("#{} {} — {} — {}", r.contract.id, r.school_name, r.leader_name, r.contract.focus)
    });
    let st = store.agreement_status(id)?;
    let first = st.awaiting.first().copied().unwrap_or(Party::Commissioner);
    let parties: Vec<&str> = Party::ALL.iter().map(|p| p.as_str()).collect();
    let signed: Vec<String> =
        st.signed.iter().map(|s| format!("{} {}", s.party.as_str(), fmt_date(s.signed_on))).collect();
    let state =
        if signed.is_empty() { "nobody has signed yet".to_string() } else { format!("signed: {}", signed.join(", ")) };
    let fields = vec![
        Field::text("contract", "Contract", &label).locked(),
        Field::text("state", "Agreement", &state).locked(),
        Field::choice("party", "Signed for", &parties, first.as_str()),
        Field::date("signed_on", "Signed on", Some(today)),
        Field::text("signed_by", "Signed by (name)", ""),
    ];
    Ok((format!("Record a signature on contract #{id}'s agreement"), fields))
}

/// Reads the form and records the signature. `Ok(None)`: a field was refused.
pub fn save(form: &mut Form, store: &mut Store, id: i64, today: NaiveDate) -> Result<Option<String>, StoreError> {
    let signed_on = match form.field_mut("signed_on").map(|f| (f.parse_date(today), f)) {
        Some((Ok(d), _)) => d.unwrap_or(today),
        Some((Err(e), f)) => {
            f.error = Some(e);
            return Ok(None);
        }
        None => today,
    };
    let party = Party::parse(chosen(form, "party")).unwrap_or(Party::School);
    let s = store.sign(id, party, signed_on, &text(form, "signed_by"), today)?;
    let mut msg = format!("the {} signed version {} of contract #{id}'s agreement", party.as_str(), s.version);
    if s.activated {
        msg.push_str(" — signed by the school and the provider, the contract is now active");
    }
    Ok(Some(msg))
}
