//! When the database file changes under the running TUI (another file moved or copied over
//! it, its `-wal` deleted), nothing more may be saved into the file this process still has
//! open: those writes would go to an unlinked file and vanish. The open form is kept as a
//! draft file beside the database instead, and the user is told plainly what happened.

use super::forms::OpenForm;
use std::path::{Path, PathBuf};

/// Writes the open form's values to `FILE.unsaved-FORM-TARGET-YYYYMMDD-HHMMSS.json` beside the
/// database (readable by the owner only), or over `previous` when one was already written, and
/// returns its path. The JSON holds the form, its title and the values as drafts keep them.
pub fn keep_form(db: &Path, of: &OpenForm, previous: Option<&Path>) -> std::io::Result<PathBuf> {
    let (form, target) = of.kind.draft_key();
    let body = serde_json::json!({
        "database": db.display().to_string(),
        "form": form,
        "target": target,
        "title": of.form.title,
        "values": serde_json::from_str::<serde_json::Value>(&of.form.values()).unwrap_or_default(),
    });
    let text = serde_json::to_string_pretty(&body).unwrap_or_default();
    if let Some(p) = previous {
        std::fs::write(p, text)?;
        return Ok(p.to_path_buf());
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { format!("-{n}") };
        let path = PathBuf::from(format!("{}.unsaved-{form}-{target}-{stamp}{suffix}.json", db.display()));
        match crate::store::create_private(&path) {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(text.as_bytes())?;
                f.sync_all()?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    }
}
