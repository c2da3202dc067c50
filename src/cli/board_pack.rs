//! `alliance export board-pack`: builds the month's board pack and writes it in the chosen
//! format, refusing to replace an existing file unless `--force`.

use super::{ExportCommand, Failure};
use crate::export::{self, BoardPack, Format, Month, SaveError};
use crate::store::{Store, exit};
use chrono::NaiveDate;
use std::io::Write;

/// Runs `export …`.
pub fn run(store: &Store, today: NaiveDate, cmd: &ExportCommand) -> Result<(), Failure> {
    let ExportCommand::BoardPack { month, format, out, force, include_sensitive } = cmd else {
        return Err(Failure::invalid("not a board pack"));
    };
    let to_stdout = out.as_os_str() == "-";
    let format = match format {
        Some(f) => Format::parse(f),
        None => Format::from_path(out),
    }
    .ok_or_else(|| Failure {
        code: exit::USAGE,
        message: format!(
            "choose a format with --format md, html or csv ({} does not end in .md, .html or .csv)",
            out.display()
        ),
    })?;
    if !to_stdout {
        export::check_target(out, *force).map_err(|e| Failure { code: e.exit_code(), message: e.to_string() })?;
    }
    let month = month.unwrap_or_else(|| Month::containing(today));
    let pack = BoardPack::build_with(store, month, today, *include_sensitive)?;
    let bytes = export::render(&pack, format);
    if to_stdout {
        use std::io::IsTerminal;
        let bytes = pack_for_stdout(bytes, std::io::stdout().is_terminal());
        // A closed pipe (`… --out - | head`) is not worth a message.
        let _ = std::io::stdout().lock().write_all(&bytes);
        return Ok(());
    }
    export::save(out, &bytes, *force)
        .map_err(|e: SaveError| Failure { code: e.exit_code(), message: e.to_string() })?;
    let meeting =
        pack.meeting().map_or(String::new(), |m| format!(", meeting of {}", crate::domain::fmt_date(m.held_on)));
    outln!(
        "wrote the {} board pack ({}{meeting}, {} agenda items, as of {}) to {}",
        month.label(),
        format.extension(),
        pack.agenda.len(),
        crate::domain::fmt_date(today),
        out.display()
    );
    Ok(())
}

/// What `--out -` writes: on a terminal, the pack with every control character and bidi
/// override from the file shown as an escape ([`super::document_for_terminal`]), so a name or
/// note cannot drive the reader's terminal; into a pipe or a file, the pack's bytes exactly (the
/// CSV stays valid and byte-for-byte what `--out FILE` writes).
pub fn pack_for_stdout(bytes: Vec<u8>, terminal: bool) -> Vec<u8> {
    if terminal { super::document_for_terminal(&String::from_utf8_lossy(&bytes)).into_bytes() } else { bytes }
}
