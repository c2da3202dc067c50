//! The board's agenda over the store's rows, as the Board screen and the board pack both show
//! it: the store's contract and decision rows handed to the one rule, [`crate::board::agenda`],
//! which takes its own input types and so never names the store.

use crate::board::{AgendaItem, TakenDecision};
use crate::metrics::Snapshot;
use crate::store::{ContractRow, DecisionRow};

/// The agenda as of `snap.today`, from every contract row (their day rates and funding) and
/// every board decision row.
pub fn agenda(snap: &Snapshot, contracts: &[ContractRow], decisions: &[DecisionRow]) -> Vec<AgendaItem> {
    crate::board::agenda(
        snap,
        contracts.iter().map(|r| &r.contract),
        decisions.iter().map(|d| TakenDecision::new(&d.decision, d.held_on, d.school_name.as_deref())),
    )
}
