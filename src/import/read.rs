//! Reading a downloaded CSV: refuse what is not text, decode Windows-1252 or UTF-8, find the
//! header row, and look columns up by name (never by position: DfE and Ofsted add, drop and
//! reorder columns between releases).

use chrono::NaiveDate;
use csv::StringRecord;
use std::collections::HashMap;

/// Why a file cannot be imported at all: one sentence for the person who chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError(pub String);

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FileError {}

/// Turns the file's bytes into text. UTF-8 (with or without a byte-order mark) is taken as it
/// is; anything else is Windows-1252, which is how GIAS publishes its CSV. Binary files — a
/// spreadsheet saved as `.xlsx`, a zip, a database — are refused with a sentence that says so.
pub fn decode(name: &str, bytes: &[u8]) -> Result<String, FileError> {
    if bytes.is_empty() {
        return Err(FileError(format!("{name} is empty — nothing to import")));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(FileError(format!(
            "{name} is an Excel workbook or zip file, not a CSV — download the CSV version, or save it as CSV first"
        )));
    }
    if bytes.starts_with(b"SQLite format 3\0") {
        return Err(FileError(format!("{name} is an SQLite database, not a CSV file")));
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head.contains(&0) {
        return Err(FileError(format!("{name} is a binary file, not a CSV (text) file")));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(body).0.into_owned()),
    }
}

/// A header name reduced to lower-case letters and digits, so `Personal development and
/// well-being`, `personal development and wellbeing` and `LA (code)` / `la(code)` match.
pub fn key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The longest cell a DfE or Ofsted download has room for (their longest are addresses and
/// published outcomes, a few hundred characters).
pub const MAX_CELL: usize = 2_000;

/// The largest file an import reads (the national GIAS download is about 70 MB).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// A parsed CSV: its header and data records, each with the file line it starts on.
#[derive(Debug)]
pub struct Table {
    columns: HashMap<String, usize>,
    /// The header as written.
    pub headers: Vec<String>,
    /// Data records with their 1-based line numbers.
    pub records: Vec<(u64, StringRecord)>,
}

impl Table {
    /// Parses `text`, taking as header the first of its first ten rows that has a `URN` column
    /// (some downloads put a title or notes above the header). `None` when no row does.
    ///
    /// A record that runs across line ends (an unbalanced `"` swallows the rest of the file
    /// into one cell) or has a cell longer than [`MAX_CELL`] is refused with its line number:
    /// no DfE or Ofsted download has either, and importing what is left would drop every row
    /// swallowed. Line numbers are counted from the text itself, so CRLF files number right.
    pub fn parse(text: &str) -> Result<Option<Table>, FileError> {
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut header: Option<StringRecord> = None;
        let mut records = Vec::new();
        let line_starts: Vec<usize> = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
        // The reader may report a record as starting on the line end before it: step over line
        // ends to its first byte, then count the `\n`s before that.
        let bytes = text.as_bytes();
        let line_of = |byte: u64| {
            let mut at = byte as usize;
            while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
                at += 1;
            }
            line_starts.partition_point(|&p| p < at) as u64 + 1
        };
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(String::new(), |p| format!(" on line {}", line_of(p.byte())));
                let why: String = e.to_string().chars().filter(|c| !c.is_control()).take(120).collect();
                FileError(format!("the file could not be read as CSV{line} ({why})"))
            })?;
            let line = rec.position().map_or(0, |p| line_of(p.byte()));
            if rec.iter().any(|c| c.contains(['\n', '\r'])) {
                return Err(FileError(format!(
                    "line {line}: a quoted cell runs on across line ends (a stray `\"`?) — fix the file; nothing was imported"
                )));
            }
            if let Some(long) = rec.iter().find(|c| c.chars().count() > MAX_CELL) {
                let start: String = long.chars().filter(|c| !c.is_control()).take(30).collect();
                return Err(FileError(format!(
                    "line {line}: a cell is {} characters long (“{start}…”), more than any GIAS or Ofsted field ({MAX_CELL}) — fix the file; nothing was imported",
                    long.chars().count()
                )));
            }
            if header.is_none() {
                if rec.iter().any(|c| key(c) == "urn") {
                    header = Some(rec);
                } else if i >= 10 {
                    return Ok(None);
                }
                continue;
            }
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            records.push((line, rec));
        }
        let Some(header) = header else { return Ok(None) };
        let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        let mut columns = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            columns.entry(key(h)).or_insert(i);
        }
        Ok(Some(Table { columns, headers, records }))
    }

    /// Whether the header has this column.
    pub fn has(&self, name: &str) -> bool {
        self.columns.contains_key(&key(name))
    }

    /// The first of `names` the header has.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.columns.get(&key(n)).copied())
    }
}

/// A cell by column index, trimmed; empty when the column or cell is missing. `NULL` (as some
/// exports write for "no value") counts as empty.
pub fn cell(rec: &StringRecord, col: Option<usize>) -> &str {
    let v = col.and_then(|i| rec.get(i)).map(str::trim).unwrap_or("");
    if v.eq_ignore_ascii_case("null") { "" } else { v }
}

/// Parses a date as the DfE and Ofsted write them: `dd-mm-yyyy`, `dd/mm/yyyy`, or ISO
/// `yyyy-mm-dd`; a time after the date (`01/02/2024 00:00`) is ignored.
pub fn date(s: &str) -> Option<NaiveDate> {
    let s = s.split_whitespace().next()?;
    ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"].iter().find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// Parses a URN: six digits, 100000–999999.
pub fn urn(s: &str) -> Result<i64, String> {
    let shown: String = s.chars().filter(|c| !c.is_control()).take(20).collect();
    if s.is_empty() {
        return Err("no URN".to_string());
    }
    let n: i64 = s.parse().map_err(|_| format!("URN `{shown}` is not a number"))?;
    if !(100_000..=999_999).contains(&n) {
        return Err(format!("URN {n} is not a six-digit DfE URN"));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_windows_1252_and_utf8() {
        assert_eq!(decode("f", b"caf\xe9 \x92s").ok().as_deref(), Some("café ’s"));
        assert_eq!(decode("f", "café".as_bytes()).ok().as_deref(), Some("café"));
        assert_eq!(decode("f", b"\xEF\xBB\xBFURN").ok().as_deref(), Some("URN"));
        assert!(decode("f", b"PK\x03\x04rest").is_err_and(|e| e.0.contains("Excel")));
        assert!(decode("f", b"abc\0def").is_err_and(|e| e.0.contains("binary")));
        assert!(decode("f", b"").is_err());
    }

    #[test]
    fn finds_header_and_columns_by_name() {
        let t = Table::parse("Title line\n\nURN,LA (code),Personal development and well-being\n1,2,3\n,,\n4,5,6\n")
            .ok()
            .flatten();
        let Some(t) = t else { panic!("table") };
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.records[0].0, 4);
        let crlf = Table::parse("URN,a\r\n1,2\r\n\r\n3,4\r\n").ok().flatten();
        let Some(crlf) = crlf else { panic!("table") };
        assert_eq!(crlf.records.iter().map(|r| r.0).collect::<Vec<_>>(), vec![2, 4], "CRLF lines counted right");
        assert!(t.has("la(code)"));
        assert_eq!(t.column(&["Personal development and wellbeing"]), Some(2));
        assert!(Table::parse("a,b\n1,2\n").ok().flatten().is_none());
    }

    #[test]
    fn a_stray_quote_or_a_huge_cell_is_refused_with_its_line() {
        let mut csv = String::from("URN,EstablishmentName\n100001,\"Ok\n100002,Swallowed\n");
        for i in 0..1000 {
            csv.push_str(&format!("{},School {i}\n", 100003 + i));
        }
        let err = Table::parse(&csv).expect_err("refused");
        assert!(err.0.starts_with("line 2:") && err.0.contains("stray"), "{}", err.0);
        assert!(err.0.len() < 200, "one short sentence");
        let long = format!("URN,Name\n100001,{}\n", "x".repeat(MAX_CELL + 1));
        let err = Table::parse(&long).expect_err("refused");
        assert!(err.0.starts_with("line 2:") && err.0.len() < 250, "{}", err.0);
    }

    #[test]
    fn crlf_files_number_lines_as_lf_files_do() {
        let lf = Table::parse("Title\nURN,Name\n100001,A\n100002,B\n").ok().flatten().expect("table");
        let crlf = Table::parse("Title\r\nURN,Name\r\n100001,A\r\n100002,B\r\n").ok().flatten().expect("table");
        let lines = |t: &Table| t.records.iter().map(|(l, _)| *l).collect::<Vec<_>>();
        assert_eq!(lines(&lf), vec![3, 4]);
        assert_eq!(lines(&crlf), vec![3, 4]);
    }

    #[test]
    fn dates_and_urns() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 12);
        assert_eq!(date("12-03-2024"), d);
        assert_eq!(date("12/03/2024"), d);
        assert_eq!(date("2024-03-12"), d);
        assert_eq!(date("12/03/2024 00:00"), d);
        assert_eq!(date("31/02/2024"), None);
        assert_eq!(urn("113525"), Ok(113525));
        assert!(urn("abc").is_err_and(|e| e == "URN `abc` is not a number"));
        assert!(urn("12345").is_err());
    }
}
