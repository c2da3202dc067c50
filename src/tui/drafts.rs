//! Saving drafts off the screen thread. A draft is written as the user types (after a pause);
//! while another process holds the write lock (a long import) that write waits up to the busy
//! timeout, and on the screen thread every keystroke would wait with it. The running TUI hands
//! drafts to this worker instead, through its own connection; writes and discards go through
//! one queue, so they land in the order they were asked for (a draft written after the form
//! was saved would otherwise come back as a stale "Resume?").

use crate::store::{Access, Store};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

/// One thing for the worker to do.
enum Job {
    /// Keep the open form's values: `(form, target, values)`.
    Save(String, String, String),
    /// Forget a draft (the form was saved or discarded).
    Discard(String, String),
}

/// The worker, its queue and the last error it met (shown by the app).
pub struct DraftWriter {
    jobs: Option<Sender<Job>>,
    worker: Option<std::thread::JoinHandle<()>>,
    error: Arc<Mutex<Option<String>>>,
}

impl DraftWriter {
    /// Starts the worker on its own read-write connection to the app's file (not opening the
    /// file outside SQLite: see [`Store::reader`]). `None` if it cannot (the app then writes
    /// drafts itself, as before).
    pub fn spawn(app_store: &Store) -> Option<DraftWriter> {
        if app_store.is_read_only() {
            return None;
        }
        let mut store = Store::another_connection(app_store.path(), Access::ReadWrite, app_store.actor.clone()).ok()?;
        let (jobs, inbox) = channel::<Job>();
        let error = Arc::new(Mutex::new(None));
        let seen = Arc::clone(&error);
        let worker = std::thread::Builder::new()
            .name("alliance-drafts".into())
            .spawn(move || run(&mut store, &inbox, &seen))
            .ok()?;
        Some(DraftWriter { jobs: Some(jobs), worker: Some(worker), error })
    }

    /// Queues the open form's values; returns at once.
    pub fn save(&self, form: &str, target: &str, values: &str) {
        self.send(Job::Save(form.into(), target.into(), values.into()));
    }

    /// Queues forgetting a draft, after any write queued before it.
    pub fn discard(&self, form: &str, target: &str) {
        self.send(Job::Discard(form.into(), target.into()));
    }

    fn send(&self, job: Job) {
        if let Some(jobs) = &self.jobs
            && jobs.send(job).is_err()
            && let Ok(mut e) = self.error.lock()
        {
            *e = Some("could not keep a draft: the draft writer stopped".into());
        }
    }

    /// The last error the worker met, once.
    pub fn take_error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|mut e| e.take())
    }
}

impl Drop for DraftWriter {
    /// Every queued draft is written before the app's own connection closes (the last one is
    /// what a quit keeps).
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// The worker's loop: take every job waiting, skip saves a later save of the same draft
/// replaces, and write the rest in order.
fn run(store: &mut Store, inbox: &Receiver<Job>, error: &Arc<Mutex<Option<String>>>) {
    while let Ok(first) = inbox.recv() {
        let mut batch = vec![first];
        batch.extend(inbox.try_iter());
        let last_save = |i: usize, f: &str, t: &str| {
            !batch[i + 1..]
                .iter()
                .any(|j| matches!(j, Job::Save(f2, t2, _) | Job::Discard(f2, t2) if f2 == f && t2 == t))
        };
        for (i, job) in batch.iter().enumerate() {
            let result = match job {
                Job::Save(f, t, v) if last_save(i, f, t) => store.save_draft(f, t, v),
                Job::Save(..) => Ok(()),
                Job::Discard(f, t) => store.discard_draft(f, t),
            };
            if let Err(e) = result
                && let Ok(mut slot) = error.lock()
            {
                *slot = Some(format!("could not keep a draft: {e}"));
            }
        }
    }
}
