//! Forms from the app's side: what a form is pre-filled from, opening it (offering a draft to
//! resume), what its keys led to, and keeping drafts as the user types.

use super::*;

impl App {
    /// What a form can be pre-filled from.
    pub(super) fn context(&mut self) -> Context {
        let mut ctx = Context::default();
        let mut selected = self.selection();
        if let Target::Visit(id) = selected {
            // A visit stands for its contract when a form is pre-filled from it.
            selected = self
                .store
                .find::<crate::domain::Visit>(id)
                .ok()
                .flatten()
                .map_or(Target::None, |v| Target::Contract(v.contract_id));
        }
        match selected {
            Target::Contract(id) => {
                ctx.contract = Some(id);
                // The school carries over (more support for it); the leader does not — a new
                // contract's leader is chosen from the ranking, not inherited from a row.
                if let Some(p) = self.data.snap.contracts.iter().find(|p| p.contract.id == id) {
                    ctx.school = Some(p.contract.school_id);
                }
            }
            Target::School(id) => {
                ctx.school = Some(id);
                let live: Vec<_> = self
                    .data
                    .snap
                    .contracts
                    .iter()
                    .filter(|p| p.contract.school_id == id && p.contract.status.is_live())
                    .collect();
                if let [only] = live.as_slice() {
                    ctx.contract = Some(only.contract.id);
                }
            }
            Target::Leader(id) => {
                ctx.leader = Some(id);
                let live: Vec<_> = self
                    .data
                    .snap
                    .contracts
                    .iter()
                    .filter(|p| p.contract.leader_id == id && p.contract.status.is_live())
                    .collect();
                if let [only] = live.as_slice() {
                    ctx.contract = Some(only.contract.id);
                }
            }
            _ => {}
        }
        ctx
    }

    /// Opens a form, offering to resume a draft left for it.
    pub fn open_form(&mut self, kind: FormKind) {
        let ctx = self.context();
        self.open_form_with(kind, ctx);
    }

    /// [`App::open_form`] pre-filled from `ctx`.
    pub fn open_form_with(&mut self, kind: FormKind, ctx: Context) {
        if self.read_only {
            self.message = Some(("read-only: this file cannot be changed here (nothing was lost)".into(), true));
            return;
        }
        // A form the person's role could not save is not offered (the store's own rule).
        if let Some(no) = self.store.who().ok().and_then(|w| crate::tui::roles::form_refusal(kind, &w)) {
            self.message = Some((no.replace(" — nothing was changed", ""), true));
            return;
        }
        match forms::open(kind, &self.store, &self.data.snap, self.today, ctx) {
            Ok(mut of) => {
                let (form, target) = kind.draft_key();
                if let Ok(Some((json, at))) = self.store.load_draft(form, &target) {
                    let at = at.replace('T', " ").trim_end_matches('Z').to_string();
                    of.form.confirm = Some(Confirm::Resume(json, at));
                }
                self.form = Some(of);
            }
            Err(e) => self.message = Some((e.to_string(), true)),
        }
    }

    /// Mirrors the open form's values into `pending` as they change (see [`super::run`]).
    pub fn mirror_drafts(&mut self, pending: crate::tui::PendingDraft) {
        self.mirror = Some(pending);
    }

    pub(super) fn update_mirror(&self) {
        let Some(m) = &self.mirror else { return };
        let value = self.form.as_ref().filter(|of| of.form.dirty).map(|of| {
            let (form, target) = of.kind.draft_key();
            (form.to_string(), target, of.form.values())
        });
        if let Ok(mut g) = m.lock() {
            *g = value;
        }
    }

    pub(super) fn form_outcome(&mut self, out: FormOutcome) {
        self.form_outcome_inner(out);
        self.update_mirror();
    }

    pub(super) fn form_outcome_inner(&mut self, out: FormOutcome) {
        match out {
            FormOutcome::None => {}
            FormOutcome::Changed => {
                if self.draft_due.is_none() {
                    self.draft_due = Some(Instant::now() + DRAFT_EVERY);
                }
            }
            FormOutcome::Save => {
                let Some(mut of) = self.form.take() else { return };
                match forms::save(&mut of, &mut self.store, &self.data.snap) {
                    forms::Saved::Done(msg) => {
                        let (form, target) = of.kind.draft_key();
                        let _ = self.store.discard_draft(form, &target);
                        self.draft_due = None;
                        self.message = Some((msg, false));
                        // Noted before the reload: a change someone else commits while it
                        // reads is then still seen as new at the next poll.
                        if let Ok(v) = self.store.data_version() {
                            self.last_version = v;
                        }
                        self.reload();
                    }
                    forms::Saved::Refused => {
                        self.form = Some(of);
                        self.save_draft_now();
                    }
                }
            }
            FormOutcome::Close => {
                if let Some(of) = self.form.take() {
                    let (form, target) = of.kind.draft_key();
                    let _ = self.store.discard_draft(form, &target);
                }
                self.draft_due = None;
            }
            FormOutcome::Quit => {
                self.save_draft_now();
                self.quit = true;
            }
        }
    }

    /// Writes the open form's draft now (on a timer while typing, and on every way out).
    pub fn save_draft_now(&mut self) {
        self.draft_due = None;
        let Some(of) = &self.form else { return };
        if !of.form.dirty || self.read_only {
            return;
        }
        let (form, target) = of.kind.draft_key();
        let values = of.form.values();
        if let Err(e) = self.store.save_draft(form, &target, &values) {
            self.message = Some((format!("could not keep a draft: {e}"), true));
        }
    }
}
