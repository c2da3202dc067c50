//! A form's values as kept in the drafts table: each field by key, choices by their text (so a
//! draft survives the options changing), picked records by kind and id.

use super::*;

/// A field's value as saved in a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// Field key.
    pub key: String,
    /// Text lines.
    pub text: String,
    /// Choice index.
    pub choice: usize,
    /// Picked record.
    pub picked: Option<(String, i64)>,
    /// Picked label.
    pub picked_label: String,
    /// The chosen option's text (choice fields): restored by text, so a draft survives the
    /// options changing (a funding stream added or removed) without pointing at another.
    #[serde(default)]
    pub chosen: String,
}

pub(super) fn target_parts(t: Target) -> Option<(String, i64)> {
    match t {
        Target::School(id) => Some(("school".into(), id)),
        Target::Leader(id) => Some(("leader".into(), id)),
        Target::Contract(id) => Some(("contract".into(), id)),
        Target::Meeting(id) => Some(("meeting".into(), id)),
        Target::Stream(id) => Some(("stream".into(), id)),
        Target::Visit(id) => Some(("visit".into(), id)),
        Target::None => None,
    }
}

pub(super) fn target_from(p: &(String, i64)) -> Target {
    match p.0.as_str() {
        "school" => Target::School(p.1),
        "leader" => Target::Leader(p.1),
        "contract" => Target::Contract(p.1),
        "meeting" => Target::Meeting(p.1),
        "stream" => Target::Stream(p.1),
        "visit" => Target::Visit(p.1),
        _ => Target::None,
    }
}

impl Field {
    pub(super) fn saved(&self) -> Saved {
        Saved {
            key: self.key.to_string(),
            text: self.value(),
            choice: self.choice,
            picked: self.picked.and_then(target_parts),
            picked_label: self.picked_label.clone(),
            chosen: match &self.kind {
                Kind::Choice(_) => self.chosen().to_string(),
                _ => String::new(),
            },
        }
    }

    pub(super) fn restore(&mut self, s: &Saved) {
        if self.locked {
            return;
        }
        self.set_text(&s.text);
        self.suggested = false;
        let choice_before_restore = self.choice;
        self.choice = s.choice;
        if let Kind::Choice(o) = &self.kind {
            self.choice = match o.iter().position(|x| *x == s.chosen) {
                Some(i) => i,
                // A draft from before choices were kept by text: its index, if still valid;
                // an option that is gone leaves the field as the form opened it.
                None if s.chosen.is_empty() && s.choice < o.len() => s.choice,
                None => choice_before_restore,
            };
        }
        self.picked = s.picked.as_ref().map(target_from).filter(|t| *t != Target::None);
        self.picked_label = s.picked_label.clone();
    }
}
