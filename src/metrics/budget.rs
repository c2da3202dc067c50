//! Money per funding stream: committed, delivered (spent), remaining and headroom, in exact
//! pence (issue 7 §3, the part the board pack needs now).
//!
//! Rules, stated once:
//! - a contract's **price** is days × its day rate, rounded to the penny ([`price_pence`]);
//! - **committed**: a live (active or paused) contract commits its price (or what it has
//!   delivered, if more); a completed or terminated one commits what it delivered;
//! - **delivered**: the contract's visit days × its day rate (all time);
//! - **remaining** = committed − delivered: money still to be spent on agreed work;
//! - **proposed**: the price of proposed contracts, shown apart (the board has not agreed them);
//! - **headroom** = the stream's amount − committed; negative means over-committed.
//!
//! Contracts allocated to a funding stream count against it whatever their dates. Contracts
//! with no stream are grouped by their `funding` text, counting those that run at some point in
//! the current academic year.

use crate::domain::{AcademicYear, Contract, ContractStatus, FundingStream};
use serde::Serialize;

/// What the budget rule reads of one contract: the contract (status, days, rate, dates, stream
/// and funding text) and the visit days delivered on it, all time. Its own type, so every caller
/// (the store's metric inputs, the Board screen, the board pack, `funding`) feeds the one rule
/// from whatever rows it holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Commitment<'a> {
    /// The contract.
    pub contract: &'a Contract,
    /// Σ visit days delivered on it, all time.
    pub delivered: f64,
}

/// Price of `days` at `rate_pence` a day, to the penny (half pennies round up).
pub fn price_pence(days: f64, rate_pence: i64) -> i64 {
    (days * rate_pence as f64).round() as i64
}

/// One funding stream, or one group of contracts by their `funding` text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BudgetLine {
    /// The stream's id (`None` for a group by funding text, and for the total).
    pub stream_id: Option<i64>,
    /// The stream's name, or the funding text.
    pub name: String,
    /// The stream's amount (`None` for funding-text groups).
    pub allocated_pence: Option<i64>,
    /// Money committed to agreed contracts.
    pub committed_pence: i64,
    /// Money spent: delivered days × rate.
    pub delivered_pence: i64,
    /// Money on proposed contracts (not committed).
    pub proposed_pence: i64,
    /// Contracts counted (proposed included).
    pub contracts: usize,
}

impl BudgetLine {
    /// committed − delivered: agreed work still to be paid for.
    pub fn remaining_pence(&self) -> i64 {
        self.committed_pence - self.delivered_pence
    }

    /// allocated − committed (streams only); negative when over-committed.
    pub fn headroom_pence(&self) -> Option<i64> {
        self.allocated_pence.map(|a| a - self.committed_pence)
    }

    /// Whether the stream has committed more than it holds.
    pub fn over_committed(&self) -> bool {
        self.headroom_pence().is_some_and(|h| h < 0)
    }

    fn add(&mut self, row: &Commitment<'_>) {
        let c = &row.contract;
        let rate = c.day_rate_pence;
        let delivered = price_pence(row.delivered, rate);
        self.contracts += 1;
        match c.status {
            ContractStatus::Proposed => self.proposed_pence += price_pence(c.days_commissioned, rate),
            ContractStatus::Active | ContractStatus::Paused => {
                self.committed_pence += price_pence(c.days_commissioned.max(row.delivered), rate);
                self.delivered_pence += delivered;
            }
            ContractStatus::Completed | ContractStatus::Terminated => {
                self.committed_pence += delivered;
                self.delivered_pence += delivered;
            }
        }
    }
}

/// The budget: one line per funding stream (by name), then one per funding text, and a total.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Budget {
    /// Funding streams, in name order.
    pub streams: Vec<BudgetLine>,
    /// Contracts with no stream, grouped by their funding text (largest committed first).
    pub other: Vec<BudgetLine>,
    /// Sums of every line above (allocated = Σ stream amounts).
    pub total: BudgetLine,
}

impl Budget {
    /// Streams then funding-text groups.
    pub fn lines(&self) -> impl Iterator<Item = &BudgetLine> {
        self.streams.iter().chain(&self.other)
    }

    /// Committed against the funding streams alone: the figure to set beside their amounts.
    pub fn stream_committed_pence(&self) -> i64 {
        self.streams.iter().map(|l| l.committed_pence).sum()
    }

    /// Committed on contracts paid some other way (no stream): shown apart, never as if it
    /// came out of the streams.
    pub fn other_committed_pence(&self) -> i64 {
        self.other.iter().map(|l| l.committed_pence).sum()
    }
}

/// Label for contracts whose funding was never written down.
pub const NO_FUNDING: &str = "(funding not recorded)";

/// Computes the budget from every funding stream and every contract (with its delivered days).
pub fn budget(streams: &[FundingStream], contracts: &[Commitment<'_>], year: AcademicYear) -> Budget {
    let mut by_stream: Vec<BudgetLine> = streams
        .iter()
        .map(|s| BudgetLine {
            stream_id: Some(s.id),
            name: s.name.clone(),
            allocated_pence: Some(s.amount_pence),
            ..BudgetLine::default()
        })
        .collect();
    by_stream.sort_by(|a, b| a.name.cmp(&b.name));
    let mut other: Vec<BudgetLine> = Vec::new();
    for row in contracts {
        let c = &row.contract;
        if let Some(line) = c.funding_stream_id.and_then(|id| by_stream.iter_mut().find(|l| l.stream_id == Some(id))) {
            line.add(row);
            continue;
        }
        let in_year = c.start_on <= year.end && c.end_on >= year.start;
        if !in_year {
            continue;
        }
        let name = match c.funding.split_whitespace().collect::<Vec<_>>().join(" ") {
            n if n.is_empty() => NO_FUNDING.to_string(),
            n => n,
        };
        match other.iter_mut().find(|l| l.name.eq_ignore_ascii_case(&name)) {
            Some(line) => line.add(row),
            None => {
                let mut line = BudgetLine { name, ..BudgetLine::default() };
                line.add(row);
                other.push(line);
            }
        }
    }
    other.sort_by(|a, b| b.committed_pence.cmp(&a.committed_pence).then(a.name.cmp(&b.name)));
    let mut total = BudgetLine { name: "Total".to_string(), allocated_pence: Some(0), ..BudgetLine::default() };
    for l in by_stream.iter().chain(&other) {
        total.allocated_pence = Some(total.allocated_pence.unwrap_or(0) + l.allocated_pence.unwrap_or(0));
        total.committed_pence += l.committed_pence;
        total.delivered_pence += l.delivered_pence;
        total.proposed_pence += l.proposed_pence;
        total.contracts += l.contracts;
    }
    Budget { streams: by_stream, other, total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Stamp;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn row(
        id: i64,
        days: f64,
        rate: i64,
        delivered: f64,
        status: ContractStatus,
        stream: Option<i64>,
        funding: &str,
    ) -> (Contract, f64) {
        (
            Contract {
                id,
                school_id: 1,
                leader_id: 1,
                focus: "Maths".into(),
                aims: String::new(),
                success_criteria: String::new(),
                start_on: d(2026, 9, 1),
                end_on: d(2027, 3, 31),
                days_commissioned: days,
                day_rate_pence: rate,
                funding: funding.into(),
                funding_stream_id: stream,
                status,
                stamp: Stamp::default(),
            },
            delivered,
        )
    }

    fn commitments(rows: &[(Contract, f64)]) -> Vec<Commitment<'_>> {
        rows.iter().map(|(contract, delivered)| Commitment { contract, delivered: *delivered }).collect()
    }

    #[test]
    fn sums_to_the_penny() {
        use ContractStatus::*;
        let streams = [FundingStream {
            id: 7,
            name: "Schools Forum grant".into(),
            amount_pence: 1_000_000,
            notes: String::new(),
            stamp: Stamp::default(),
        }];
        let rows = [
            // 6.5 days at £350.33 = £2,277.145 → £2,277.15 (half penny up); delivered 2.5 = £875.825 → £875.83
            row(1, 6.5, 35_033, 2.5, Active, Some(7), ""),
            // completed with 3 of 4 days delivered: commits £1,350.00 (3 × £450)
            row(2, 4.0, 45_000, 3.0, Completed, Some(7), ""),
            // proposed: £1,750 shown apart
            row(3, 5.0, 35_000, 0.0, Proposed, Some(7), ""),
            // no stream: grouped by funding text, case and spaces ignored
            row(4, 2.0, 55_000, 1.0, Paused, None, "School  budget"),
            row(5, 1.0, 55_000, 0.0, Active, None, "school budget"),
        ];
        let year = AcademicYear::containing(d(2026, 11, 23), 9);
        let b = budget(&streams, &commitments(&rows), year);
        let s = &b.streams[0];
        assert_eq!(s.committed_pence, 227_715 + 135_000);
        assert_eq!(s.delivered_pence, 87_583 + 135_000);
        assert_eq!(s.remaining_pence(), 227_715 - 87_583);
        assert_eq!(s.proposed_pence, 175_000);
        assert_eq!(s.headroom_pence(), Some(1_000_000 - 362_715));
        assert!(!s.over_committed());
        assert_eq!(b.other.len(), 1);
        assert_eq!(b.other[0].committed_pence, 165_000);
        assert_eq!(b.other[0].delivered_pence, 55_000);
        assert_eq!(b.total.committed_pence, 362_715 + 165_000);
        assert_eq!(b.total.allocated_pence, Some(1_000_000));
        assert_eq!(b.total.contracts, 5);
    }

    #[test]
    fn over_committed_stream_is_flagged() {
        let streams = [FundingStream {
            id: 1,
            name: "Core".into(),
            amount_pence: 100_000,
            notes: String::new(),
            stamp: Stamp::default(),
        }];
        let rows = [row(1, 3.0, 35_000, 0.0, ContractStatus::Active, Some(1), "")];
        let b = budget(&streams, &commitments(&rows), AcademicYear::containing(d(2026, 11, 23), 9));
        assert_eq!(b.streams[0].headroom_pence(), Some(-5_000));
        assert!(b.streams[0].over_committed());
    }
}
