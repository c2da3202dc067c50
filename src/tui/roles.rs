//! What the TUI offers a person (issue #16): a form their role could not save is not opened —
//! the same table rules the store applies on every write ([`crate::domain::roles`]) decide it,
//! so the screen and the store never disagree.

use super::forms::FormKind;
use crate::domain::roles::{Refusal, Who};

/// The tables a form writes when saved.
pub fn tables(kind: FormKind) -> &'static [&'static str] {
    match kind {
        FormKind::Visit | FormKind::VisitEdit(_) => &["visits"],
        FormKind::Review => &["reviews", "criterion_ratings"],
        FormKind::Contract(_) => &["contracts"],
        FormKind::School(_) => &["schools"],
        FormKind::Inspection(_) => &["inspections"],
        FormKind::Leader(_) => &["leaders"],
        FormKind::Meeting => &["board_meetings"],
        FormKind::Decision(_) => &["decisions"],
        FormKind::Stream(_) => &["funding_streams"],
        FormKind::Settings => &["settings"],
        FormKind::Closeout(_) => &["contracts", "closeouts", "criteria"],
        FormKind::Sign(_) => &["signoffs", "agreements", "contracts"],
    }
}

/// Why `who` may not use this form; `None` when they may.
pub fn form_refusal(kind: FormKind, who: &Who) -> Option<Refusal> {
    tables(kind).iter().find_map(|t| who.table_refusal(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    #[test]
    fn each_role_is_offered_only_the_forms_it_can_save() {
        let p = |role| Who::Person { account: "ann".into(), role, leader_id: Some(1) };
        let leader = p(Role::Leader);
        assert_eq!(form_refusal(FormKind::Visit, &leader), None);
        assert_eq!(form_refusal(FormKind::Review, &leader), None);
        for kind in [FormKind::Contract(None), FormKind::School(Some(1)), FormKind::Decision(None), FormKind::Settings]
        {
            assert!(form_refusal(kind, &leader).is_some(), "{kind:?}");
        }
        let coord = p(Role::Coordinator);
        assert_eq!(form_refusal(FormKind::Contract(None), &coord), None);
        assert!(form_refusal(FormKind::Settings, &coord).is_some());
        assert!(form_refusal(FormKind::Stream(None), &coord).is_some());
        assert_eq!(form_refusal(FormKind::Settings, &p(Role::Admin)), None);
        assert!(form_refusal(FormKind::Visit, &p(Role::Board)).is_some());
    }
}
