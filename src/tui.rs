//! The terminal app: state ([`app`]), keymap ([`keymap`]), drawing ([`ui`]), view models
//! ([`data`], [`detail`]), the list widget ([`table`]) and themes ([`theme`]).
//!
//! [`run`] owns the real terminal; [`render_text`] draws the same screens into an in-memory
//! buffer for `alliance render` and the snapshot tests, so both go through the same code.

pub mod app;
pub mod data;
pub mod detail;
pub mod form;
pub mod forms;
pub mod keymap;
pub mod table;
pub mod theme;
pub mod ui;

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
pub fn run(mut app: App) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let mut terminal = ratatui::init();
    // Pasted notes arrive as one event rather than as keys (so Enter in a paste is text).
    let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::event::EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app, &stop);
    // Every way out keeps what was typed: the draft is written before the terminal goes back.
    app.save_draft_now();
    let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    result
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
