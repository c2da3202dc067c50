//! Reading another coordinator's changes without freezing the screen.
//!
//! When the file changes under an open TUI, every screen already shown is read again. On a
//! city file that takes a few milliseconds; on a national one about a third of a second, and
//! with many coordinators saving, a TUI reloading on its own thread would stutter each time.
//! So the running TUI (not tests or `render`, which stay synchronous and deterministic) hands
//! reloads to a worker thread with its own read-only connection; the screen keeps answering
//! keys and swaps the new data in when it is ready.
//!
//! Ordering: each request carries the app's reload generation. The app's own saves reload
//! synchronously and bump the generation, so a background result that started before a save
//! (and may predate it) is dropped rather than shown over newer data.

use super::data::Data;
use super::keymap::Screen;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

/// What to read: the dashboard as of `today`, plus the screens already shown.
struct Request {
    generation: u64,
    today: NaiveDate,
    screens: Vec<Screen>,
}

/// A finished read, tagged with the generation it was asked for.
pub struct Reloaded {
    /// The app's reload generation when it was asked for.
    pub generation: u64,
    /// The data, or why it could not be read.
    pub data: Result<Data, StoreError>,
}

/// The worker and its two channels.
pub struct Reloader {
    /// `None` once the worker is being stopped.
    requests: Option<Sender<Request>>,
    /// Stops a read under way when the app closes.
    interrupt: rusqlite::InterruptHandle,
    worker: Option<std::thread::JoinHandle<()>>,
    results: Receiver<Reloaded>,
    in_flight: bool,
    dead: bool,
}

impl Reloader {
    /// Starts the worker on its own read-only connection to the app's file. `None` when the
    /// file cannot be opened a second time (the app then reloads on its own thread, as before).
    pub fn spawn(app_store: &Store) -> Option<Reloader> {
        let store = app_store.reader().ok()?;
        let interrupt = store.interrupt_handle();
        let (requests, inbox) = channel::<Request>();
        let (outbox, results) = channel::<Reloaded>();
        let worker = std::thread::Builder::new()
            .name("alliance-reload".into())
            .spawn(move || {
                for req in inbox {
                    let data = Data::load(&store, req.today).and_then(|mut d| {
                        for s in &req.screens {
                            d.ensure(&store, *s)?;
                        }
                        Ok(d)
                    });
                    if outbox.send(Reloaded { generation: req.generation, data }).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Reloader {
            requests: Some(requests),
            interrupt,
            worker: Some(worker),
            results,
            in_flight: false,
            dead: false,
        })
    }

    /// Asks for a reload unless one is already running (the caller asks again when it lands,
    /// so a change made meanwhile is not missed). Returns whether a request was sent.
    pub fn request(&mut self, generation: u64, today: NaiveDate, screens: Vec<Screen>) -> bool {
        if self.in_flight || self.dead {
            return false;
        }
        self.in_flight = self.requests.as_ref().is_some_and(|r| r.send(Request { generation, today, screens }).is_ok());
        self.dead = !self.in_flight;
        self.in_flight
    }

    /// Whether the worker has stopped (it panicked): the app then reloads on its own thread.
    pub fn dead(&self) -> bool {
        self.dead
    }

    /// Whether a reload is running.
    pub fn busy(&self) -> bool {
        self.in_flight
    }

    /// The finished reload, if there is one.
    pub fn take(&mut self) -> Option<Reloaded> {
        match self.results.try_recv() {
            Ok(r) => {
                self.in_flight = false;
                Some(r)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.in_flight = false;
                self.dead = true;
                None
            }
        }
    }
}

impl Drop for Reloader {
    /// The worker's connection is closed before the app's own: the app's store folds the
    /// write-ahead log into the file as it closes, which a reader still open (or still
    /// reading) would hold up — and a process that ends with a connection open leaves the
    /// acknowledged changes in `-wal` only.
    fn drop(&mut self) {
        self.requests = None;
        self.interrupt.interrupt();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
