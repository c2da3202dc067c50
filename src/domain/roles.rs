//! Who may do what (DESIGN §9, issue #16): the pure rules the store applies to every write in
//! its one write path, and that screens and reports use to hide what a role cannot do.
//!
//! - **admin**: everything.
//! - **coordinator**: everything except the tables in [`ADMIN_TABLES`] (settings, funding
//!   streams, people).
//! - **leader**: writes only the tables in [`LEADER_TABLES`], and only on their own contracts;
//!   sees the schools and contracts they work on.
//! - **board**: reads everything except sensitive soft intelligence; writes nothing.
//! - someone **not listed** in `people` (or inactive): reads, writes nothing.

use super::Role;

/// Tables only an admin may change.
pub const ADMIN_TABLES: &[&str] = &["settings", "funding_streams", "people"];

/// The only tables a leader's write may touch (besides their own drafts and the audit row
/// every write makes). A new table a leader writes as part of a visit or review (a review's
/// criterion ratings, say) is added here; every other new table is closed to leaders by default.
/// A leader also sends their away copy's visits and reviews (`away_applied`, `away_conflicts`:
/// the server's record of what arrived, issue #17).
pub const LEADER_TABLES: &[&str] =
    &["visits", "reviews", "criterion_ratings", "audit", "drafts", "away_applied", "away_conflicts"];

/// The tables whose rows name a contract a leader must own (`contract_id` in the audit JSON, or
/// for a criterion rating the contract of its `review_id`).
pub const LEADER_CONTRACT_TABLES: &[&str] = &["visits", "reviews", "criterion_ratings"];

/// The person a store acts for, as resolved from `people` inside each write transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// The program itself (the sample generator and library callers that name no account):
    /// unrestricted. The command line and the TUI always act for an account.
    Program,
    /// A person with a role: listed in `people`, or the owner of a file whose `people` is empty
    /// (admin).
    Person {
        /// Their account.
        account: String,
        /// Their role.
        role: Role,
        /// The system leader they are (leaders).
        leader_id: Option<i64>,
    },
    /// An account that is not (or no longer) in `people`: read-only.
    Unlisted {
        /// Their account.
        account: String,
    },
}

impl Who {
    /// The role, if any (the program counts as admin).
    pub fn role(&self) -> Option<Role> {
        match self {
            Who::Program => Some(Role::Admin),
            Who::Person { role, .. } => Some(*role),
            Who::Unlisted { .. } => None,
        }
    }

    /// The account, if a person.
    pub fn account(&self) -> &str {
        match self {
            Who::Program => "alliance",
            Who::Person { account, .. } | Who::Unlisted { account } => account,
        }
    }

    /// Whether this person may write anything at all (board members and unlisted accounts may
    /// not: the TUI opens read-only for them).
    pub fn may_write(&self) -> bool {
        matches!(self.role(), Some(Role::Admin | Role::Coordinator | Role::Leader))
    }

    /// Whether this person may change everything a coordinator may (records of every school and
    /// contract, board meetings and decisions).
    pub fn may_coordinate(&self) -> bool {
        matches!(self.role(), Some(Role::Admin | Role::Coordinator))
    }

    /// Whether this person may change settings, funding streams and people.
    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    /// Whether sensitive soft intelligence is shown to this person (not to board members, nor
    /// to accounts outside `people`). The `intelligence` table's readers call this.
    pub fn sees_sensitive(&self) -> bool {
        matches!(self.role(), Some(Role::Admin | Role::Coordinator | Role::Leader))
    }

    /// For a leader, the system leader whose schools and contracts are all they see; `None`
    /// for everyone else (they see every school and contract).
    pub fn leader_scope(&self) -> Option<i64> {
        match self {
            Who::Person { role: Role::Leader, leader_id, .. } => Some(leader_id.unwrap_or(0)),
            _ => None,
        }
    }

    /// Whether a contract led by `contract_leader` is visible to this person.
    pub fn sees_contract(&self, contract_leader: i64) -> bool {
        self.leader_scope().is_none_or(|mine| mine == contract_leader)
    }

    /// Why this person may not write at all; `None` if they may.
    pub fn write_refusal(&self) -> Option<Refusal> {
        match self {
            Who::Unlisted { account } => Some(Refusal::Unlisted { account: account.clone() }),
            Who::Person { account, role: Role::Board, .. } => Some(Refusal::Board { account: account.clone() }),
            _ => None,
        }
    }

    /// Why this person may not resolve a conflict an away copy left (only a coordinator or an
    /// admin decides which value stands), or `None` when they may.
    pub fn conflict_refusal(&self) -> Option<Refusal> {
        if let Some(no) = self.write_refusal() {
            return Some(no);
        }
        match self.role() {
            Some(Role::Leader) => Some(Refusal::LeaderConflicts { account: self.account().to_string() }),
            _ => None,
        }
    }

    /// Why this person may not change `table`, or `None` when the table is theirs to change.
    pub fn table_refusal(&self, table: &str) -> Option<Refusal> {
        if let Some(no) = self.write_refusal() {
            return Some(no);
        }
        let (account, table) = (self.account().to_string(), table.to_string());
        match self.role() {
            Some(Role::Admin) => None,
            Some(Role::Coordinator) if ADMIN_TABLES.contains(&table.as_str()) => {
                Some(Refusal::AdminOnly { account, table })
            }
            Some(Role::Leader) if !LEADER_TABLES.contains(&table.as_str()) => {
                Some(Refusal::LeaderTable { account, table })
            }
            _ => None,
        }
    }

    /// Why this person may not change a visit or review of a contract led by
    /// `contract_leader` (contract `contract_id`), or `None`.
    pub fn contract_refusal(&self, contract_id: i64, contract_leader: Option<i64>) -> Option<Refusal> {
        let mine = self.leader_scope()?;
        if contract_leader == Some(mine) {
            return None;
        }
        Some(Refusal::NotTheirContract { account: self.account().to_string(), contract_id })
    }
}

/// Why a person's change was refused: who they are and what stood in the way, as data, so each
/// front end can word it for where it is said (the command line's sentence, the TUI's status
/// line); `Display` is the full sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The account is not (or no longer) one of the alliance's people: the file is read-only
    /// for them.
    Unlisted {
        /// Their account.
        account: String,
    },
    /// A board member: reads everything, changes nothing.
    Board {
        /// Their account.
        account: String,
    },
    /// A coordinator changing what only an admin may ([`ADMIN_TABLES`]).
    AdminOnly {
        /// Their account.
        account: String,
        /// The table the change touched.
        table: String,
    },
    /// A leader changing a table outside [`LEADER_TABLES`].
    LeaderTable {
        /// Their account.
        account: String,
        /// The table the change touched.
        table: String,
    },
    /// A leader changing a visit or review of a contract that is not theirs.
    NotTheirContract {
        /// Their account.
        account: String,
        /// The contract concerned.
        contract_id: i64,
    },
    /// A leader resolving an away conflict (a coordinator's or an admin's decision).
    LeaderConflicts {
        /// Their account.
        account: String,
    },
    /// A leader sending the changes of someone else's away copy.
    NotTheirCopy {
        /// Their account.
        account: String,
        /// The account the away copy was taken for.
        copy_account: String,
    },
}

impl Refusal {
    /// The account refused.
    pub fn account(&self) -> &str {
        match self {
            Refusal::Unlisted { account }
            | Refusal::Board { account }
            | Refusal::AdminOnly { account, .. }
            | Refusal::LeaderTable { account, .. }
            | Refusal::NotTheirContract { account, .. }
            | Refusal::LeaderConflicts { account }
            | Refusal::NotTheirCopy { account, .. } => account,
        }
    }

    /// Who they are and why they may not, without what became of the change: what a screen
    /// says when it does not offer the change at all.
    pub fn reason(&self) -> String {
        match self {
            Refusal::Unlisted { account } => {
                format!("{account} is not one of this alliance's people, so the file is read-only for them")
            }
            Refusal::Board { account } => {
                format!("{account} is a board member: the board reads everything and changes nothing")
            }
            Refusal::AdminOnly { account, .. } => {
                format!("{account} is a coordinator: only an admin may change settings, funding streams or people")
            }
            Refusal::LeaderTable { account, .. } => {
                format!("{account} is a leader: leaders log visits and reviews on their own contracts only")
            }
            Refusal::NotTheirContract { account, contract_id } => format!(
                "{account} is a leader: contract #{contract_id} is not one of theirs, and leaders log visits and reviews on their own contracts only"
            ),
            Refusal::LeaderConflicts { account } => {
                format!("{account} is a leader: only a coordinator or an admin resolves away conflicts")
            }
            Refusal::NotTheirCopy { account, copy_account } => format!(
                "{account} is a leader: these changes were made on {copy_account}'s away copy, and leaders send only their own"
            ),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Unlisted { account } => write!(
                f,
                "{} — nothing was changed; an admin can add them with `alliance people add {account} --role coordinator`",
                self.reason()
            ),
            Refusal::NotTheirCopy { .. } => write!(f, "{} — nothing was applied", self.reason()),
            _ => write!(f, "{} — nothing was changed", self.reason()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(role: Role, leader_id: Option<i64>) -> Who {
        Who::Person { account: "ann".into(), role, leader_id }
    }

    #[test]
    fn each_role_writes_only_its_own_tables() {
        let admin = person(Role::Admin, None);
        let coord = person(Role::Coordinator, None);
        let leader = person(Role::Leader, Some(4));
        let board = person(Role::Board, None);
        let nobody = Who::Unlisted { account: "eve".into() };
        for table in ["schools", "contracts", "visits", "settings", "people", "funding_streams", "decisions"] {
            assert_eq!(admin.table_refusal(table), None, "{table}");
            assert!(board.table_refusal(table).is_some(), "{table}");
            assert!(nobody.table_refusal(table).is_some(), "{table}");
        }
        for table in ADMIN_TABLES {
            assert!(coord.table_refusal(table).is_some_and(|s| s.to_string().contains("only an admin")));
        }
        assert_eq!(coord.table_refusal("contracts"), None);
        assert_eq!(leader.table_refusal("visits"), None);
        assert_eq!(leader.table_refusal("reviews"), None);
        // A table added later is closed to leaders unless listed.
        assert!(leader.table_refusal("contracts").is_some());
        assert!(leader.table_refusal("intelligence").is_some());
    }

    #[test]
    fn a_leader_writes_only_on_their_own_contracts() {
        let leader = person(Role::Leader, Some(4));
        assert_eq!(leader.contract_refusal(10, Some(4)), None);
        assert!(leader.contract_refusal(11, Some(5)).is_some_and(|s| s.to_string().contains("contract #11")));
        assert!(leader.contract_refusal(12, None).is_some());
        // A leader row without a leader sees and writes nothing of anyone's.
        let unlinked = person(Role::Leader, None);
        assert!(unlinked.contract_refusal(10, Some(4)).is_some());
        assert!(!unlinked.sees_contract(4));
        assert_eq!(person(Role::Coordinator, None).contract_refusal(11, Some(5)), None);
    }

    #[test]
    fn board_and_unlisted_see_no_sensitive_intelligence_and_cannot_write() {
        for who in [person(Role::Board, None), Who::Unlisted { account: "eve".into() }] {
            assert!(!who.sees_sensitive());
            assert!(!who.may_write());
            assert!(who.write_refusal().is_some());
        }
        for role in [Role::Admin, Role::Coordinator, Role::Leader] {
            assert!(person(role, Some(1)).sees_sensitive());
        }
        assert!(Who::Program.is_admin());
    }

    #[test]
    fn a_refusal_carries_who_and_why_and_words_itself_once() {
        let unlisted = Refusal::Unlisted { account: "bea".into() };
        assert_eq!(
            unlisted.to_string(),
            "bea is not one of this alliance's people, so the file is read-only for them — nothing was changed; an admin can add them with `alliance people add bea --role coordinator`"
        );
        let theirs = Refusal::NotTheirContract { account: "ann".into(), contract_id: 11 };
        assert_eq!(theirs.account(), "ann");
        assert!(theirs.to_string().ends_with("their own contracts only — nothing was changed"), "{theirs}");
        let copy = Refusal::NotTheirCopy { account: "ann".into(), copy_account: "bob".into() };
        assert!(copy.to_string().contains("bob's away copy") && copy.to_string().ends_with("nothing was applied"));
        for r in [unlisted, theirs, copy, Refusal::Board { account: "cat".into() }] {
            assert!(!r.reason().contains("nothing was"), "the reason alone says nothing of the change: {r}");
            assert!(r.to_string().starts_with(&r.reason()));
        }
    }
}
