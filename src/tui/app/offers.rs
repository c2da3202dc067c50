//! What a normal-mode key opens here and now, and whether the footer offers it to this person:
//! dispatch and the footer read the same mapping, so a key the footer shows is one that works.

use super::*;

impl App {
    /// The form a normal-mode action opens here and now (on this screen, for the selected
    /// record), if any. Dispatch and the footer both read it, so the footer offers exactly the
    /// keys that open something.
    pub fn form_for(&self, action: Action) -> Option<FormKind> {
        Some(match action {
            Action::LogVisit => FormKind::Visit,
            Action::Review => FormKind::Review,
            Action::Meeting => FormKind::Meeting,
            Action::New => match (self.screen, self.state(Screen::Board).focus) {
                (Screen::Board, board::BUDGET) => FormKind::Stream(None),
                (Screen::Board, _) => FormKind::Decision(None),
                (Screen::Leaders, _) => FormKind::Leader(None),
                (Screen::Schools, _) => FormKind::School(None),
                _ => FormKind::Contract(None),
            },
            Action::ToggleDone => FormKind::Decision(self.selected_decision()),
            Action::Edit => match (self.screen, self.selection()) {
                (Screen::Board, _)
                    if self.details.is_empty() && self.state(Screen::Board).focus == board::DECISIONS =>
                {
                    FormKind::Decision(Some(self.selected_decision()?))
                }
                (_, Target::Stream(id)) => FormKind::Stream(Some(id)),
                (_, Target::Visit(id)) => FormKind::VisitEdit(id),
                (_, Target::Contract(id)) => FormKind::Contract(Some(id)),
                (_, Target::School(id)) => FormKind::School(Some(id)),
                (_, Target::Leader(id)) => FormKind::Leader(Some(id)),
                _ => return None,
            },
            Action::Inspection => match self.selection() {
                Target::School(id) => FormKind::Inspection(id),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Whether the footer should offer `action`: not a form this person's role could not save
    /// (the store's rule, [`crate::tui::roles::form_refusal`]), and no form at all on a
    /// read-only file. Keys stay bound and say why when pressed; the footer only stops
    /// advertising what would be refused.
    pub fn offers(&self, action: Action) -> bool {
        // An action that opens nothing here (no record selected) stays offered: pressed, it
        // says what to select.
        let Some(kind) = self.form_for(action) else { return true };
        if self.read_only {
            return false;
        }
        match &self.data.who {
            Some(who) => crate::tui::roles::form_refusal(kind, who).is_none(),
            None => true,
        }
    }
}
