//! Two people editing the same record: what a form started from ([`Base`]), kept in its
//! draft, and the field-by-field merge of a stale save with the record as someone else saved
//! it ([`Form::merge`]); a field both changed is a [`Conflict`] resolved with Ctrl-T (theirs),
//! Ctrl-Y (hers) or by typing a new value.

use super::*;

/// A field both people changed: the other person's value, and who they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// The field's key.
    pub key: String,
    /// Their value.
    pub theirs: Saved,
    /// Who saved it.
    pub by: String,
}

impl Conflict {
    /// The line shown under the field.
    pub(super) fn message(&self) -> String {
        format!(
            "{} changed this to “{}” while you edited it — Ctrl-T takes theirs, Ctrl-Y keeps yours, or type a new value",
            clean(&self.by),
            self.theirs.shown()
        )
    }
}

/// The values a form started from, and the version of the record they were read from: a save
/// is made against that version, and a stale save is merged field by field against these
/// values ([`Form::merge`]). Kept in drafts, so a draft resumed after someone else's save is
/// merged too rather than saved over their change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Base {
    /// Every field's value as the form opened (or as last merged).
    pub values: Vec<Saved>,
    /// The record's version they came from (0 for a new record or the settings).
    pub version: i64,
}

/// A draft as stored: the typed values, the base they were typed against, and any conflict
/// still to be resolved. (Older drafts are a bare list of values.)
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Draft {
    values: Vec<Saved>,
    base: Option<Base>,
    #[serde(default)]
    conflicts: Vec<Conflict>,
}

impl Saved {
    /// Whether two values are the same value of the same field (a choice by its text).
    pub fn same(&self, other: &Saved) -> bool {
        let choice = if self.chosen.is_empty() && other.chosen.is_empty() {
            self.choice == other.choice
        } else {
            self.chosen == other.chosen
        };
        self.text == other.text && self.picked == other.picked && choice
    }

    /// The value as a person reads it, on one line and cut short.
    pub fn shown(&self) -> String {
        let v = if !self.chosen.is_empty() {
            self.chosen.clone()
        } else if self.picked.is_some() {
            self.picked_label.clone()
        } else {
            self.text.replace('\n', " ")
        };
        let v = if v.is_empty() { "(empty)".to_string() } else { v };
        let cut: String = v.chars().take(40).collect();
        if cut.chars().count() < v.chars().count() { format!("{cut}…") } else { cut }
    }
}

impl Field {
    /// A locked field shows the record as it is now (it is never saved from the form).
    fn restore_locked(&mut self, s: &Saved) {
        self.locked = false;
        self.restore(s);
        self.locked = true;
    }
}

impl Form {
    /// Records the values now shown as what the form started from, read from `version` of
    /// the record (see [`Base`]).
    pub fn started_from(mut self, version: i64) -> Form {
        self.base = Some(Base { values: self.fields.iter().map(Field::saved).collect(), version });
        self
    }

    /// The version a save is made against: the base's (a resumed draft keeps the version it
    /// was typed against), else `fallback`.
    pub fn base_version(&self, fallback: i64) -> i64 {
        self.base.as_ref().map_or(fallback, |b| b.version)
    }

    /// A field's value in the base, as text (a choice's option text).
    pub fn base_value(&self, key: &str) -> Option<String> {
        let s = self.base.as_ref()?.values.iter().find(|s| s.key == key)?;
        Some(if s.chosen.is_empty() { s.text.clone() } else { s.chosen.clone() })
    }

    /// The values as JSON for the drafts table, with the base they were typed against and any
    /// conflict still open.
    pub fn values(&self) -> String {
        let draft = Draft {
            values: self.fields.iter().map(Field::saved).collect(),
            base: self.base.clone(),
            conflicts: self.fields.iter().filter_map(|f| f.conflict.clone()).collect(),
        };
        serde_json::to_string(&draft).unwrap_or_else(|_| "[]".into())
    }

    /// Restores values from a draft (unknown keys are ignored), with its base and conflicts.
    pub fn restore(&mut self, json: &str) -> bool {
        let (saved, base, conflicts) = match serde_json::from_str::<Draft>(json) {
            Ok(d) => (d.values, d.base, d.conflicts),
            Err(_) => match serde_json::from_str::<Vec<Saved>>(json) {
                Ok(v) => (v, None, Vec::new()),
                Err(_) => return false,
            },
        };
        for s in &saved {
            if let Some(f) = self.fields.iter_mut().find(|f| f.key == s.key) {
                f.restore(s);
            }
        }
        if base.is_some() {
            self.base = base;
        }
        let today = self.today;
        for f in &mut self.fields {
            if let Kind::Pick(m) = &f.kind {
                f.list.refresh(m);
            }
            if !f.value().is_empty() {
                f.check(today);
            }
            f.conflict = conflicts.iter().find(|c| c.key == f.key).cloned();
            if let Some(c) = &f.conflict {
                f.error = Some(c.message());
            }
        }
        self.dirty = true;
        true
    }

    /// Merges a stale edit with the record as someone else saved it, field by field against
    /// the values this form started from: a field the user left alone takes their value; a
    /// field only the user changed keeps hers; a field both changed (to different values)
    /// becomes a [`Conflict`] she must resolve before the form saves. `theirs` is the same
    /// form opened on the record as it is now; it becomes the new base. Returns how many
    /// fields are in conflict.
    pub fn merge(&mut self, theirs: &Form, by: &str) -> usize {
        let base = self.base.clone().map(|b| b.values).unwrap_or_default();
        let mut conflicts = 0;
        for f in &mut self.fields {
            let Some(t) = theirs.field(f.key).map(Field::saved) else { continue };
            if f.locked {
                f.restore_locked(&t);
                continue;
            }
            let mine = f.saved();
            // No base for the field (an old draft): treat their value as the start.
            let Some(b) = base.iter().find(|b| b.key == f.key) else {
                continue;
            };
            if t.same(b) || t.same(&mine) {
                continue;
            }
            if mine.same(b) {
                f.restore(&t);
                f.check(self.today);
                continue;
            }
            let c = Conflict { key: f.key.to_string(), theirs: t, by: by.to_string() };
            f.error = Some(c.message());
            f.conflict = Some(c);
            conflicts += 1;
        }
        self.base = theirs.base.clone();
        if let Some(i) = self.fields.iter().position(|f| f.conflict.is_some()) {
            self.focus = i;
        }
        conflicts
    }

    /// Resolves the focused field's conflict: `true` takes their value, `false` keeps hers.
    pub(super) fn resolve(&mut self, take_theirs: bool) -> Outcome {
        let today = self.today;
        let Some(f) = self.fields.get_mut(self.focus) else { return Outcome::None };
        let Some(c) = f.conflict.take() else { return Outcome::None };
        f.error = None;
        if take_theirs {
            f.restore(&c.theirs);
            f.check(today);
        }
        self.dirty = true;
        let left = self.fields.iter().filter(|f| f.conflict.is_some()).count();
        self.notice = Some(if left == 0 {
            ("every conflict resolved — Ctrl-S saves".into(), false)
        } else {
            (format!("{left} field(s) still changed by both of you"), true)
        });
        Outcome::Changed
    }

    /// Whether any field is still in conflict.
    pub fn conflicts(&self) -> usize {
        self.fields.iter().filter(|f| f.conflict.is_some()).count()
    }

    /// Typing a new value into a field in conflict resolves it with that value.
    pub(super) fn clear_conflict(&mut self, i: usize) {
        if let Some(f) = self.fields.get_mut(i)
            && f.conflict.take().is_some()
        {
            f.error = None;
        }
    }
}
