//! Writing files from the TUI: the list as shown to CSV, and this month's board pack.

use super::*;

impl App {
    /// A file name in the current folder that does not exist yet: `stem.ext`, `stem-2.ext` …
    pub(super) fn fresh_path(stem: &str, ext: &str) -> std::path::PathBuf {
        let mut p = std::path::PathBuf::from(format!("{stem}.{ext}"));
        let mut n = 2;
        while p.exists() {
            p = std::path::PathBuf::from(format!("{stem}-{n}.{ext}"));
            n += 1;
        }
        p
    }

    pub(super) fn shown(p: &std::path::Path) -> String {
        std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf()).display().to_string()
    }

    /// Writes the focused list, as filtered and sorted on screen, to a CSV file.
    pub(super) fn export_csv(&mut self) {
        let lists = self.screen.lists();
        let name = lists[self.state(self.screen).focus.min(lists.len() - 1)].csv;
        let (m, st) = self.current();
        let headers: Vec<&str> = m.columns.iter().map(|c| c.title).collect();
        let rows: Vec<Vec<String>> = st
            .view
            .iter()
            .filter_map(|(i, _)| m.rows.get(*i))
            .map(|r| r.cells.iter().map(|c| c.plain().trim().to_string()).collect())
            .collect();
        let n = rows.len();
        let csv = crate::export::table_csv(&headers, &rows);
        let path = Self::fresh_path(&format!("alliance-{name}-{}", self.today), "csv");
        self.message = Some(match crate::export::save(&path, csv.as_bytes(), false) {
            Ok(()) => (format!("exported {n} rows to {}", Self::shown(&path)), false),
            Err(e) => (e.to_string(), true),
        });
    }

    pub(super) fn export_board_pack(&mut self, ext: &str) {
        let Some(format) = crate::export::Format::parse(ext) else { return };
        let month = crate::export::pack::Month::containing(self.today);
        let result = crate::export::pack::BoardPack::build(&self.store, month, self.today)
            .map(|pack| crate::export::render(&pack, format));
        let path = Self::fresh_path(&format!("board-pack-{}", self.today.format("%Y-%m")), ext);
        self.message = Some(match result {
            Ok(bytes) => match crate::export::save(&path, &bytes, false) {
                Ok(()) => (format!("board pack written to {}", Self::shown(&path)), false),
                Err(e) => (e.to_string(), true),
            },
            Err(e) => (format!("could not build the board pack: {e}"), true),
        });
    }
}
