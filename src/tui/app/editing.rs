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
            // Nothing was attempted, so the reason alone: not "nothing was changed".
            self.message = Some((no.reason(), true));
            return;
        }
        // On an away copy, a form whose save the copy refuses (it is changed on the server
        // only) is not offered, so nothing is typed in vain.
        let server_only = match kind {
            FormKind::Settings => Some("settings"),
            FormKind::Closeout(_) => Some("closeouts"),
            FormKind::Sign(_) => Some("signoffs"),
            _ => None,
        };
        if let Some(table) = server_only
            && self.data.away_badge.is_some()
        {
            let why = crate::store::server_only_reason(table);
            self.message = Some((format!("{why} — nothing is saved on this away copy"), true));
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
            Err(e) => self.message = Some((crate::tui::words::store_error(&e), true)),
        }
    }

    /// Mirrors the open form's values into `pending` as they change (see [`crate::tui::run`]).
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
                        self.discard_draft(form, &target);
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
                        if self.replaced.is_none()
                            && self.store.is_detached()
                            && let Err(e) = self.store.check_file_identity()
                        {
                            self.file_replaced(&e);
                        }
                        self.save_draft_now();
                    }
                }
            }
            FormOutcome::Close => {
                if let Some(of) = self.form.take() {
                    let (form, target) = of.kind.draft_key();
                    self.discard_draft(form, &target);
                }
                self.draft_due = None;
            }
            FormOutcome::Quit => {
                self.save_draft_now();
                self.quit = true;
            }
        }
    }

    /// The file changed under the app: stop saving, keep the open form beside the database,
    /// and say what happened.
    pub(super) fn file_replaced(&mut self, e: &StoreError) {
        self.read_only = true;
        self.replaced = Some(None);
        self.keep_form_beside_db();
        let kept = match &self.replaced {
            Some(Some(p)) => format!(" Your open form is kept in {}.", p.display()),
            _ => String::new(),
        };
        let said = format!("{}.{kept}", crate::tui::words::store_error(e));
        // A form covers the footer: it says so itself.
        if let Some(of) = self.form.as_mut() {
            of.form.notice = Some((said.clone(), true));
        }
        self.message = Some((said, true));
    }

    /// Writes the open form to its file beside the database (after the file was replaced).
    fn keep_form_beside_db(&mut self) {
        let Some(of) = &self.form else { return };
        let previous = self.replaced.clone().flatten();
        match crate::tui::lost_file::keep_form(self.store.path(), of, previous.as_deref()) {
            Ok(p) => self.replaced = Some(Some(p)),
            Err(err) => {
                self.message = Some((format!("could not keep your open form beside the database: {err}"), true))
            }
        }
    }

    /// Writes the open form's draft now (on a timer while typing, and on every way out).
    pub fn save_draft_now(&mut self) {
        self.draft_due = None;
        if self.replaced.is_some() {
            if self.form.as_ref().is_some_and(|of| of.form.dirty) {
                self.keep_form_beside_db();
            }
            return;
        }
        let Some(of) = &self.form else { return };
        if !of.form.dirty || self.read_only {
            return;
        }
        let (form, target) = of.kind.draft_key();
        let values = of.form.values();
        if let Some(drafts) = &self.drafts {
            drafts.save(form, &target, &values);
        } else if let Err(e) = self.store.save_draft(form, &target, &values) {
            self.message = Some((format!("could not keep a draft: {e}"), true));
        }
    }

    /// Writes drafts on another thread from now on, so a file held by another writer (a long
    /// import) never freezes typing (the running TUI; tests and `render` stay synchronous).
    pub fn save_drafts_in_background(&mut self) {
        if self.drafts.is_none() {
            self.drafts = crate::tui::drafts::DraftWriter::spawn(&self.store);
        }
    }

    /// Forgets a draft, in order after any draft write still queued.
    fn discard_draft(&mut self, form: &str, target: &str) {
        match &self.drafts {
            Some(drafts) => drafts.discard(form, target),
            None => {
                let _ = self.store.discard_draft(form, target);
            }
        }
    }
}
