//! Exports: the monthly board pack (Markdown, HTML, CSV) and CSV of any table.
//!
//! The board pack is built once as data ([`BoardPack::build`], from the store and
//! [`crate::metrics`]) and then written per format ([`render`]). Markdown and HTML share one walk
//! over the sections (`sections.rs`), each supplying only its markup, so their sections cannot
//! drift apart; CSV has its own writer (`csv_pack.rs`). To add a section: add a field to
//! [`BoardPack`], fill it in `BoardPack::build`, then write it in `sections.rs` and in
//! `csv_pack.rs` — every figure comes from the pack, so a section can never disagree between
//! formats.
//!
//! Safety of the output:
//! - Markdown and HTML escape every piece of user text (names, notes, decisions), so a school
//!   called `<script>…` or `*Star* | Academy` prints as typed and never as markup.
//! - HTML is one self-contained file: inline CSS (with print rules) and inline SVG charts, no
//!   scripts, no external URLs.
//! - CSV cells that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or
//!   carriage return) are prefixed with `'` ([`neutralise`]); figures the pack computes itself
//!   stay numbers.

pub mod agreement;
mod csv_pack;
mod html;
mod impact_section;
mod markdown;
pub mod pack;
mod sections;

pub use pack::{BoardPack, DecisionLine, LiveContract, Month};

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An output format of the board pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GitHub-flavoured Markdown.
    Markdown,
    /// One self-contained, print-friendly HTML file with inline SVG charts.
    Html,
    /// One CSV file: sections one after another (see [`render`]).
    Csv,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Format::Markdown, Format::Html, Format::Csv];

    /// Parses `md`, `markdown`, `html`, `htm` or `csv` (any case).
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The format a file name's extension asks for, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        path.extension().and_then(|e| e.to_str()).and_then(Format::parse)
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Csv => "csv",
        }
    }
}

/// Writes the pack in `format`.
///
/// The CSV layout (one file, so it opens in any spreadsheet): a UTF-8 byte-order mark, then each
/// section as a row holding only its title, a header row, its data rows, and one empty row. The
/// first section, `Board pack`, holds `field,value` pairs (alliance, month, as-of date, meeting).
/// Dates are ISO (`2026-11-23`), money is pounds with two decimals, days are numbers.
pub fn render(pack: &BoardPack, format: Format) -> Vec<u8> {
    match format {
        Format::Markdown => markdown::render(pack).into_bytes(),
        Format::Html => html::render(pack).into_bytes(),
        Format::Csv => csv_pack::render(pack),
    }
}

/// Makes a cell safe to open in a spreadsheet: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be read as a formula (CSV injection), so it gets a leading `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Writes a table as CSV to `out`: a UTF-8 byte-order mark (so spreadsheets read accents right),
/// the header row, then the rows; CRLF line ends; every cell passed through [`neutralise`].
///
/// This is how the TUI exports a list as shown (filtered, sorted): pass its column titles and
/// the cell texts of the visible rows.
pub fn write_table_csv<W: Write, H: AsRef<str>, C: AsRef<str>>(
    out: W,
    headers: &[H],
    rows: &[Vec<C>],
) -> std::io::Result<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv_writer(out);
    w.write_record(headers.iter().map(|h| neutralise(h.as_ref()).into_owned()))?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c.as_ref()).into_owned()))?;
    }
    w.flush()
}

/// [`write_table_csv`] into a `String`.
///
/// ```
/// let csv = alliance::export::table_csv(&["School", "Notes"], &[vec!["Drake Primary", "=SUM(A1)"]]);
/// assert_eq!(csv, "\u{feff}School,Notes\r\nDrake Primary,'=SUM(A1)\r\n");
/// ```
pub fn table_csv<H: AsRef<str>, C: AsRef<str>>(headers: &[H], rows: &[Vec<C>]) -> String {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail; keep whatever was written if it somehow did.
    let _ = write_table_csv(&mut buf, headers, rows);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The CSV writer every export uses: CRLF line ends, rows of any length, quoting as needed.
fn csv_writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().flexible(true).terminator(csv::Terminator::CRLF).from_writer(out)
}

/// Why an export could not be saved.
#[derive(Debug)]
pub enum SaveError {
    /// The file exists and overwriting was not asked for.
    Exists(PathBuf),
    /// The path names something that is not a regular file (a device, a symlink, a pipe, a
    /// directory): never replaced, even with `--force`.
    NotRegular(PathBuf),
    /// The file system refused.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Exists(p) => {
                write!(f, "{} already exists — choose another name, or add --force to replace it", p.display())
            }
            SaveError::NotRegular(p) => write!(
                f,
                "{} is not a regular file (a device, link, pipe or folder) — an export only ever replaces a regular file; choose another name",
                p.display()
            ),
            SaveError::Io(p, e) => match e.kind() {
                std::io::ErrorKind::PermissionDenied => {
                    write!(
                        f,
                        "{}: permission denied — nothing was written; choose a place you may write to",
                        p.display()
                    )
                }
                std::io::ErrorKind::StorageFull => {
                    write!(f, "{}: the disk is full — nothing was written; free some space and try again", p.display())
                }
                _ => write!(f, "could not write {}: {e}", p.display()),
            },
        }
    }
}

impl std::error::Error for SaveError {}

impl SaveError {
    /// The exit code (README's table): 3 for a refused name, 7 for no permission, else 1.
    pub fn exit_code(&self) -> i32 {
        use crate::store::exit;
        match self {
            SaveError::Exists(_) | SaveError::NotRegular(_) => exit::INVALID,
            SaveError::Io(_, e) if e.kind() == std::io::ErrorKind::PermissionDenied => exit::PERMISSION,
            SaveError::Io(..) => exit::GENERAL,
        }
    }
}

/// Whether `path` may be written: absent, or a regular file that `overwrite` allows replacing.
/// Looks at the path itself, not what a symlink points at.
pub fn check_target(path: &Path, overwrite: bool) -> Result<(), SaveError> {
    match path.symlink_metadata() {
        Err(_) => Ok(()),
        Ok(m) if !m.file_type().is_file() => Err(SaveError::NotRegular(path.to_path_buf())),
        Ok(_) if !overwrite => Err(SaveError::Exists(path.to_path_buf())),
        Ok(_) => Ok(()),
    }
}

/// Saves `bytes` to `path`, refusing to replace an existing file unless `overwrite`. The bytes go
/// to a temporary file beside it first and are renamed into place, so a reader never sees half a
/// pack and a failed write leaves any old file as it was. The file is readable by its owner only
/// (0600 on Unix), like the database it comes from: exports hold visit notes about named staff.
pub fn save(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), SaveError> {
    let io = |e| SaveError::Io(path.to_path_buf(), e);
    check_target(path, overwrite)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = crate::store::create_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        // Looked at again just before the rename: something may have appeared meanwhile.
        if let Err(refused) = check_target(path, overwrite) {
            return Ok(Err(refused));
        }
        std::fs::rename(&tmp, path).map(Ok)
    })();
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(refused)) => {
            let _ = std::fs::remove_file(&tmp);
            Err(refused)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(io(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_starts_only() {
        for bad in ["=SUM(A1)", "+44 1752 000000", "-5", "@x", "\tcmd", "\rcmd"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for ok in ["Drake Primary", "5", "", "a=b", "'quoted"] {
            assert_eq!(neutralise(ok), ok);
        }
    }

    #[test]
    fn table_csv_quotes_and_neutralises() {
        let csv = table_csv(&["Name", "Note"], &[vec!["St Mary's, \"Aided\"", "line one\nline two"], vec!["@x", "-5"]]);
        assert_eq!(csv, "\u{feff}Name,Note\r\n\"St Mary's, \"\"Aided\"\"\",\"line one\nline two\"\r\n'@x,'-5\r\n");
    }

    #[test]
    fn formats_parse() {
        assert_eq!(Format::parse("MD"), Some(Format::Markdown));
        assert_eq!(Format::parse("htm"), Some(Format::Html));
        assert_eq!(Format::parse("pdf"), None);
        assert_eq!(Format::from_path(Path::new("pack.csv")), Some(Format::Csv));
    }
}
