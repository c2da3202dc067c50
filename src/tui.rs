//! The terminal app: state ([`app`]), keymap ([`keymap`]), drawing ([`ui`]), view models
//! ([`data`], [`detail`]), the list widget ([`table`]) and themes ([`theme`]).
//!
//! [`run`] owns the real terminal; [`render_text`] draws the same screens into an in-memory
//! buffer for `alliance render` and the snapshot tests, so both go through the same code.

pub mod app;
pub mod data;
pub mod detail;
pub mod drafts;
pub mod form;
pub mod forms;
pub mod impact_view;
pub mod keymap;
pub mod lost_file;
pub mod reload;
pub mod roles;
pub mod screens;
pub mod table;
pub mod theme;
pub mod ui;
pub mod who;
pub mod words;

pub use app::App;
pub use keymap::Screen;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Runs the TUI until the user quits or a signal (SIGTERM, SIGHUP, SIGINT) arrives. The
/// terminal is restored on every path: normal exit, error, panic (ratatui's hook) and signals.
///
/// A dropped SSH link closes the terminal under us: the kernel sends SIGHUP, and reads of the
/// dead terminal return end-of-file — on which crossterm's reader spins without returning to
/// our loop. So signals are also watched from a second thread: it asks the loop to stop, and if
/// the loop has not finished within a second it writes the open form's last values (mirrored
/// into [`PendingDraft`] as the user types) through its own connection and ends the process.
pub fn run(mut app: App) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let pending: PendingDraft = Arc::default();
    app.mirror_drafts(Arc::clone(&pending));
    watch_signals(Arc::clone(&stop), Arc::clone(&finished), pending, app.store().path().to_path_buf())?;
    let mut terminal = ratatui::init();
    // Pasted notes arrive as one event rather than as keys (so Enter in a paste is text).
    let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::event::EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app, &stop);
    // Every way out keeps what was typed: the draft is written before the terminal goes back.
    app.save_draft_now();
    let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    finished.store(true, Ordering::SeqCst);
    result
}

/// The open form's latest values, `(form, target, values)`, shared with the signal watcher.
pub type PendingDraft = Arc<std::sync::Mutex<Option<(String, String, String)>>>;

fn watch_signals(
    stop: Arc<AtomicBool>,
    finished: Arc<AtomicBool>,
    pending: PendingDraft,
    db: std::path::PathBuf,
) -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            stop.store(true, Ordering::SeqCst);
            for _ in 0..20 {
                if finished.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // The loop is stuck on a dead terminal: keep the draft and leave.
            let draft = pending.lock().ok().and_then(|g| g.clone());
            if let Some((form, target, values)) = draft
                && let Ok(mut store) = crate::store::Store::another_connection(
                    &db,
                    crate::store::Access::ReadWrite,
                    crate::store::Actor::from_env(),
                )
            {
                let _ = store.save_draft(&form, &target, &values);
            }
            std::process::exit(128 + sig);
        }
    });
    Ok(())
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App, stop: &AtomicBool) -> anyhow::Result<()> {
    // Redraw only after an event or a reload: an idle app over SSH sends nothing.
    let mut dirty = true;
    while !app.quit && !stop.load(Ordering::Relaxed) {
        if dirty {
            terminal.draw(|f| ui::draw(f, app))?;
        }
        dirty = if event::poll(Duration::from_millis(250))? {
            let ev = event::read()?;
            app.handle_event(&ev);
            true
        } else {
            app.tick()
        };
        // Another coordinator's changes land as soon as they are read, even while typing.
        dirty |= app.take_background_reload();
    }
    Ok(())
}

/// Draws `app` at `width`×`height` into memory and returns the screen as plain text lines
/// (trailing spaces trimmed), exactly as the TUI would show it.
pub fn render_text(app: &mut App, width: u16, height: u16) -> anyhow::Result<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|f| ui::draw(f, app))?;
    Ok(buffer_text(terminal.backend().buffer()))
}

/// Opens `screen` in `app` and returns it drawn at `width`×`height`, as [`render_text`] does:
/// what `alliance render` prints, so the command needs nothing of the TUI's keymap.
pub fn render_screen(app: &mut App, screen: Screen, width: u16, height: u16) -> anyhow::Result<String> {
    app.update(keymap::Action::Go(screen));
    render_text(app, width, height)
}

/// A buffer as text, one line per row, trailing spaces trimmed.
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let w = buf.area.width as usize;
    let mut out = String::new();
    for (i, cell) in buf.content.iter().enumerate() {
        out.push_str(cell.symbol());
        if (i + 1) % w == 0 {
            let trimmed = out.trim_end_matches(' ').len();
            out.truncate(trimmed);
            out.push('\n');
        }
    }
    out
}
