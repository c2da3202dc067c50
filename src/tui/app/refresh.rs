//! Reading the file again: after the user's own saves, when another coordinator writes
//! (on a worker thread in the running TUI), and on `R`. Selections and open details are kept.

use super::*;

impl App {
    /// Reloads everything from the file (the dashboard, and each screen already shown),
    /// keeping selections on the same records.
    pub fn reload(&mut self) {
        self.reload_from(false);
    }

    /// [`App::reload`], saying whether the change came from someone else (their removals are
    /// marked in open details; the user's own close them).
    pub(super) fn reload_from(&mut self, by_others: bool) {
        self.reload_generation += 1;
        let shown = self.shown_screens();
        let loaded = Data::load(&self.store, self.today).and_then(|mut d| {
            for s in shown {
                d.ensure(&self.store, s)?;
            }
            Ok(d)
        });
        self.apply_reload(loaded, by_others);
    }

    pub(super) fn shown_screens(&self) -> Vec<Screen> {
        Screen::ALL.into_iter().filter(|s| self.data.is_loaded(*s)).collect()
    }

    /// Swaps freshly read data in, keeping selections, and re-reads the open details. A
    /// detail whose record is gone is closed after the user's own change (they removed it),
    /// and marked as removed after someone else's.
    pub(super) fn apply_reload(&mut self, loaded: Result<Data, StoreError>, by_others: bool) {
        match loaded {
            Ok(mut d) => {
                // A screen first shown while a background read ran is not in it: read it now
                // rather than empty it.
                for s in self.shown_screens() {
                    if !d.is_loaded(s)
                        && let Err(e) = d.ensure(&self.store, s)
                    {
                        self.message = Some((format!("could not read the {} screen: {e}", s.title()), true));
                    }
                }
                self.data = d;
                self.rebuild_views();
                let targets: Vec<Target> = self.details.iter().map(|d| d.target).collect();
                let mut gone = Vec::new();
                for (i, t) in targets.into_iter().enumerate() {
                    match detail::load(&self.store, &self.data.snap, t) {
                        Ok(Some(mut doc)) => {
                            doc.scroll = self.details[i].scroll.min(doc.lines.len().saturating_sub(1));
                            self.details[i] = doc;
                        }
                        Err(StoreError::NotFound { .. }) if !by_others => gone.push(i),
                        // The record was removed by someone else: say so rather than show it.
                        Err(StoreError::NotFound { .. }) => {
                            const GONE: &str = "(removed by another coordinator — this is how it was)";
                            let doc = &mut self.details[i];
                            if doc.lines.first().and_then(|l| l.first()).is_none_or(|(s, _)| s != GONE) {
                                doc.lines.insert(0, vec![(GONE.into(), crate::tui::theme::Role::Danger)]);
                            }
                        }
                        _ => {}
                    }
                }
                for i in gone.into_iter().rev() {
                    self.details.remove(i);
                }
            }
            Err(e) => self.message = Some((format!("could not reload: {e}"), true)),
        }
    }

    /// Reads other coordinators' changes on a worker thread from now on (see
    /// [`App::reload`]). Without it — in tests and `render` — reloads happen in place.
    pub fn reload_in_background(&mut self) {
        self.reloader = crate::tui::reload::Reloader::spawn(&self.store);
    }

    /// Whether a background reload is running.
    pub fn reloading(&self) -> bool {
        self.reloader.as_ref().is_some_and(|r| r.busy())
    }

    /// Takes a finished background reload, if any; returns whether the screen changed.
    pub fn take_background_reload(&mut self) -> bool {
        let took = self.reloader.as_mut().and_then(|r| r.take());
        if self.reloader.as_ref().is_some_and(|r| r.dead()) {
            return self.reload_without_worker();
        }
        let Some(done) = took else { return false };
        let changed = if done.generation == self.reload_generation {
            let ok = done.data.is_ok();
            self.apply_reload(done.data, true);
            if ok {
                self.message = Some(("updated: the file was changed by another coordinator".into(), false));
            } else {
                // Look again at the next poll rather than miss the change.
                self.last_version = -1;
            }
            true
        } else {
            false
        };
        if std::mem::take(&mut self.reload_again) {
            self.request_background_reload();
        }
        changed
    }

    pub(super) fn request_background_reload(&mut self) {
        let (generation, today, screens) = (self.reload_generation, self.today, self.shown_screens());
        if let Some(r) = self.reloader.as_mut()
            && !r.request(generation, today, screens)
        {
            if r.dead() {
                self.reload_without_worker();
            } else {
                self.reload_again = true;
            }
        }
    }

    /// The worker stopped: read on this thread from now on, starting with this change.
    pub(super) fn reload_without_worker(&mut self) -> bool {
        self.reloader = None;
        self.reload_again = false;
        self.reload_from(true);
        self.message = Some(("updated: the file was changed by another coordinator".into(), false));
        true
    }

    /// Called on every idle tick: reloads when another process has written (one pragma
    /// otherwise). Returns whether anything changed and the screen needs drawing.
    pub fn poll(&mut self) -> bool {
        if self.last_poll.elapsed() < POLL_EVERY {
            return false;
        }
        self.last_poll = Instant::now();
        self.check_for_changes()
    }

    /// Reloads now if another process has written since the last look.
    pub fn check_for_changes(&mut self) -> bool {
        if self.replaced.is_none()
            && let Err(e) = self.store.check_file_identity()
        {
            self.file_replaced(&e);
            return true;
        }
        match self.store.data_version() {
            Ok(v) if v != self.last_version => {
                self.last_version = v;
                if self.reloader.is_some() {
                    // The screen keeps answering; the new data is swapped in when read.
                    self.request_background_reload();
                    return false;
                }
                self.reload_from(true);
                self.message = Some(("updated: the file was changed by another coordinator".into(), false));
                true
            }
            _ => false,
        }
    }

    /// Called on idle ticks: writes a pending draft once typing pauses.
    pub fn tick(&mut self) -> bool {
        if self.draft_due.is_some_and(|t| Instant::now() >= t) {
            self.save_draft_now();
        }
        if let Some(e) = self.drafts.as_ref().and_then(crate::tui::drafts::DraftWriter::take_error) {
            self.message = Some((e, true));
        }
        let landed = self.take_background_reload();
        self.poll() || landed
    }
}
