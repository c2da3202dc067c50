//! `alliance import terms FILE`: an LA's published term dates, as CSV or iCalendar.
//!
//! - **CSV** with a header `starts_on,ends_on,label` (an optional `kind` column says `term` or
//!   `closure`); dates as `2026-09-03` or `03/09/2026`.
//! - **iCalendar** (`.ics`, as LAs publish for phones): each all-day event (`VEVENT`). Its end
//!   (`DTEND`) is the day *after* the last, as RFC 5545 says for dates; an event with a time
//!   ends on its end's date. Events named like "Autumn term starts" / "Autumn term ends" are
//!   paired into one term.
//!
//! A label names a **closure** when it says half term, holiday, INSET, training, bank holiday,
//! closed or occasional day; otherwise it names a **term** when it says term. Other events
//! (parents' evenings, sports day) are left out and counted in the report.

use super::read::{FileError, decode, key};
use crate::domain::{Stamp, Term, TermKind};
use chrono::{Duration, NaiveDate};

/// What a file of term dates holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermFile {
    /// Terms and closures, in file order.
    pub rows: Vec<Term>,
    /// Events that name neither a term nor a closure (their summaries), left out.
    pub ignored: Vec<String>,
}

/// Words that make a label a closure (checked before "term": "half term" is a closure).
const CLOSURE_WORDS: &[&str] = &[
    "half term",
    "half-term",
    "halfterm",
    "holiday",
    "inset",
    "training",
    "teacher day",
    "staff day",
    "bank holiday",
    "closed",
    "closure",
    "occasional day",
    "non-pupil",
    "pupil-free",
    "pupil free",
];

/// The kind a label names, if any.
pub fn kind_of(label: &str) -> Option<TermKind> {
    let l = label.to_lowercase();
    if CLOSURE_WORDS.iter().any(|w| l.contains(w)) {
        Some(TermKind::Closure)
    } else if l.split(|c: char| !c.is_alphanumeric()).any(|w| w == "term" || w == "terms") {
        Some(TermKind::Term)
    } else {
        None
    }
}

fn term(starts_on: NaiveDate, ends_on: NaiveDate, label: &str, kind: TermKind) -> Term {
    Term { id: 0, starts_on, ends_on, label: label.trim().to_string(), kind, stamp: Stamp::default() }
}

/// Reads a term-dates file, CSV or iCalendar (told apart by its first line).
pub fn read(name: &str, bytes: &[u8]) -> Result<TermFile, FileError> {
    let text = decode(name, bytes)?;
    if text.trim_start().to_ascii_uppercase().starts_with("BEGIN:VCALENDAR") {
        ical(name, &text)
    } else {
        csv_rows(name, &text)
    }
}

fn csv_date(name: &str, line: u64, what: &str, s: &str) -> Result<NaiveDate, FileError> {
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"].iter().find_map(|f| NaiveDate::parse_from_str(s.trim(), f).ok()).ok_or_else(
        || {
            let shown: String = s.chars().filter(|c| !c.is_control()).take(30).collect();
            FileError(format!("{name} line {line}: {what} `{shown}` is not a date — write 2026-09-03 or 03/09/2026"))
        },
    )
}

fn csv_rows(name: &str, text: &str) -> Result<TermFile, FileError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| FileError(format!("{name} could not be read as CSV ({e})")))?
        .iter()
        .map(key)
        .collect::<Vec<_>>();
    let col = |names: &[&str]| names.iter().find_map(|n| headers.iter().position(|h| h == n));
    let (Some(start), Some(end)) = (col(&["startson", "start", "from"]), col(&["endson", "end", "to"])) else {
        return Err(FileError(format!(
            "{name} is neither an iCalendar file nor a CSV with a `starts_on,ends_on,label` header"
        )));
    };
    let label = col(&["label", "name", "description", "summary"]);
    let kind_col = col(&["kind", "type"]);
    let mut out = TermFile::default();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| FileError(format!("{name} could not be read as CSV ({e})")))?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = rec.position().map_or(0, |p| p.line());
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim().to_string();
        let a = csv_date(name, line, "starts_on", &get(Some(start)))?;
        let b = csv_date(name, line, "ends_on", &get(Some(end)))?;
        let text = get(label);
        let kind = match get(kind_col).to_lowercase().as_str() {
            "" => kind_of(&text).unwrap_or(TermKind::Term),
            k => TermKind::parse(k)
                .ok_or_else(|| FileError(format!("{name} line {line}: kind `{k}` is not term or closure")))?,
        };
        out.rows.push(term(a, b, &text, kind));
    }
    if out.rows.is_empty() {
        return Err(FileError(format!("{name} has a header but no term dates")));
    }
    Ok(out)
}

/// A date read from iCalendar, and whether it was a whole date (no time).
type IcalDate = (NaiveDate, bool);

/// A `VEVENT` being read: summary, DTSTART, DTEND.
type Open = (String, Option<IcalDate>, Option<IcalDate>);

/// One `VEVENT`: its summary, first day and last day (inclusive).
struct Event {
    summary: String,
    first: NaiveDate,
    last: NaiveDate,
}

/// The date of a `DTSTART`/`DTEND` line's value (`20260903`, `20260903T083000Z`), and whether
/// it was a whole date (then DTEND is exclusive).
fn ical_date(value: &str) -> Option<IcalDate> {
    let v = value.trim();
    let day = NaiveDate::parse_from_str(v.get(..8)?, "%Y%m%d").ok()?;
    Some((day, v.len() == 8))
}

/// Undoes RFC 5545 text escaping in a SUMMARY.
fn unescape(s: &str) -> String {
    s.replace("\\n", " ").replace("\\N", " ").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
}

fn ical(name: &str, text: &str) -> Result<TermFile, FileError> {
    // Unfold: a line starting with a space or tab continues the one before.
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix(' ').or_else(|| raw.strip_prefix('\t')), lines.last_mut()) {
            (Some(more), Some(last)) => last.push_str(more),
            _ => lines.push(raw.to_string()),
        }
    }
    let mut events = Vec::new();
    let mut current: Option<Open> = None;
    for (n, line) in lines.iter().enumerate() {
        let Some((prop, value)) = line.split_once(':') else { continue };
        // The property name is before any `;PARAM=…`.
        let prop = prop.split(';').next().unwrap_or("").to_ascii_uppercase();
        match (prop.as_str(), value.trim().to_ascii_uppercase().as_str()) {
            ("BEGIN", "VEVENT") => current = Some((String::new(), None, None)),
            ("END", "VEVENT") => {
                let Some((summary, start, end)) = current.take() else { continue };
                let Some((first, whole)) = start else {
                    return Err(FileError(format!("{name}: the event `{summary}` has no start date (DTSTART)")));
                };
                let last = match end {
                    Some((e, true)) if whole => e - Duration::days(1),
                    Some((e, _)) => e,
                    None => first,
                };
                if last < first {
                    return Err(FileError(format!("{name}: the event `{summary}` ends before it starts")));
                }
                events.push(Event { summary, first, last });
            }
            _ => {
                let Some(ev) = current.as_mut() else { continue };
                let bad = || FileError(format!("{name} line {}: `{}` is not an iCalendar date", n + 1, value.trim()));
                match prop.as_str() {
                    "SUMMARY" => ev.0 = unescape(value.trim()),
                    "DTSTART" => ev.1 = Some(ical_date(value).ok_or_else(bad)?),
                    "DTEND" => ev.2 = Some(ical_date(value).ok_or_else(bad)?),
                    _ => {}
                }
            }
        }
    }
    if events.is_empty() {
        return Err(FileError(format!("{name} is an iCalendar file with no events")));
    }
    Ok(classify(events))
}

/// "Autumn term starts" → ("autumn term", Some(true)); "Autumn term ends" → (…, Some(false)).
fn start_or_end(summary: &str) -> (String, Option<bool>) {
    let words: Vec<String> = summary
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let starts = ["starts", "start", "begins", "begin", "opens"];
    let ends = ["ends", "end", "finishes", "finish", "closes"];
    let which = if words.iter().any(|w| starts.contains(&w.as_str())) {
        Some(true)
    } else if words.iter().any(|w| ends.contains(&w.as_str())) {
        Some(false)
    } else {
        None
    };
    let stem = words.into_iter().filter(|w| !starts.contains(&w.as_str()) && !ends.contains(&w.as_str()));
    (stem.collect::<Vec<_>>().join(" "), which)
}

fn classify(mut events: Vec<Event>) -> TermFile {
    events.sort_by(|a, b| a.first.cmp(&b.first).then(a.summary.cmp(&b.summary)));
    let mut out = TermFile::default();
    // An open "… term starts" waiting for its "… term ends", by stem.
    let mut open: Vec<(String, NaiveDate, String)> = Vec::new();
    for e in events {
        match kind_of(&e.summary) {
            Some(TermKind::Closure) => out.rows.push(term(e.first, e.last, &e.summary, TermKind::Closure)),
            Some(TermKind::Term) => match start_or_end(&e.summary) {
                (stem, Some(true)) if e.first == e.last => open.push((stem, e.first, e.summary)),
                (stem, Some(false)) if e.first == e.last => match open.iter().position(|(s, ..)| *s == stem) {
                    Some(i) => {
                        let (_, first, _) = open.remove(i);
                        let label = stem.split(' ').map(capitalise).collect::<Vec<_>>().join(" ");
                        out.rows.push(term(first, e.last, &label, TermKind::Term));
                    }
                    None => out.ignored.push(e.summary),
                },
                _ => out.rows.push(term(e.first, e.last, &e.summary, TermKind::Term)),
            },
            None => out.ignored.push(e.summary),
        }
    }
    // A start with no end is not a term.
    out.ignored.extend(open.into_iter().map(|(_, _, s)| s));
    out
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn csv_rows_become_terms_and_closures() {
        let f = read(
            "t.csv",
            b"starts_on,ends_on,label\n2026-09-03,2026-12-18,Autumn term 2026\n26/10/2026,30/10/2026,Half term\n2026-09-02,2026-09-02,INSET day\n",
        )
        .expect("read");
        let kinds: Vec<_> = f.rows.iter().map(|t| (t.starts_on, t.ends_on, t.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (d("2026-09-03"), d("2026-12-18"), TermKind::Term),
                (d("2026-10-26"), d("2026-10-30"), TermKind::Closure),
                (d("2026-09-02"), d("2026-09-02"), TermKind::Closure),
            ]
        );
    }

    #[test]
    fn bad_csv_is_refused_with_the_line() {
        let e = read("t.csv", b"starts_on,ends_on,label\n2026-09-03,18/13/2026,Autumn\n").expect_err("bad date");
        assert!(e.0.contains("t.csv line 2: ends_on `18/13/2026` is not a date"), "{}", e.0);
        let e = read("t.csv", b"from;to\n1;2\n").expect_err("no header");
        assert!(e.0.contains("starts_on,ends_on,label"), "{}", e.0);
    }

    #[test]
    fn ical_events_pair_and_classify() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Autumn term starts\r\nDTSTART;VALUE=DATE:20260903\r\nDTEND;VALUE=DATE:20260904\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Half term\r\nDTSTART;VALUE=DATE:20261026\r\nDTEND;VALUE=DATE:20261031\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Autumn term\r\n  ends\r\nDTSTART;VALUE=DATE:20261218\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Spring Term 2027\r\nDTSTART;VALUE=DATE:20270104\r\nDTEND;VALUE=DATE:20270327\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Parents\\, carers evening\r\nDTSTART:20261112T170000Z\r\nDTEND:20261112T190000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let f = read("dates.ics", ics.as_bytes()).expect("read");
        let rows: Vec<_> = f.rows.iter().map(|t| (t.starts_on, t.ends_on, t.kind, t.label.as_str())).collect();
        assert_eq!(
            rows,
            vec![
                (d("2026-10-26"), d("2026-10-30"), TermKind::Closure, "Half term"),
                (d("2026-09-03"), d("2026-12-18"), TermKind::Term, "Autumn Term"),
                (d("2027-01-04"), d("2027-03-26"), TermKind::Term, "Spring Term 2027"),
            ]
        );
        assert_eq!(f.ignored, vec!["Parents, carers evening".to_string()]);
    }

    #[test]
    fn ical_without_dates_is_refused() {
        let e = read("x.ics", b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Autumn term\nEND:VEVENT\nEND:VCALENDAR\n")
            .expect_err("no start");
        assert!(e.0.contains("has no start date"), "{}", e.0);
        let e = read("x.ics", b"BEGIN:VCALENDAR\nEND:VCALENDAR\n").expect_err("empty");
        assert!(e.0.contains("no events"), "{}", e.0);
    }
}
