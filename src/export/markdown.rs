//! The board pack as GitHub-flavoured Markdown: headings, bullet lists and pipe tables, with
//! every piece of user text escaped by [`md`].

use super::pack::BoardPack;
use super::sections::{self, Markup, money_or_dash};
use crate::board::{AgendaItem, AgendaKind};
use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::{Rag, fmt_date};
use crate::metrics::{AlertKind, Reason, Status};

/// Escapes user text for Markdown: characters that start emphasis, code, links, HTML or table
/// cells get a backslash, an `&` that could start an entity is escaped, a leading `#`, `+`, `-`,
/// `=` or `1.` (a heading, list or rule if the text began a line) is escaped, line breaks become
/// ` / ` (a table cell is one line) and other control characters are dropped.
pub(crate) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let s = s.trim();
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let mut s = s;
    if s.starts_with(['#', '+', '-', '=']) {
        out.push('\\');
    } else if digits > 0 && s[digits..].starts_with(['.', ')']) {
        out.push_str(&s[..digits]);
        out.push('\\');
        s = &s[digits..];
    }
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                while chars.peek().is_some_and(|n| matches!(n, '\r' | '\n' | ' ' | '\t')) {
                    chars.next();
                }
                out.push_str(" / ");
            }
            '\t' => out.push(' '),
            c if c.is_control() => {}
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' if chars.peek().is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') => out.push_str("\\&"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Default)]
struct Markdown(String);

impl Markdown {
    fn line(&mut self, s: impl AsRef<str>) {
        self.0.push_str(s.as_ref());
        self.0.push('\n');
    }
    fn blank(&mut self) {
        self.0.push('\n');
    }
}

/// Renders the pack.
pub(super) fn render(p: &BoardPack) -> String {
    let mut o = Markdown::default();
    sections::write(&mut o, p);
    o.0
}

impl Markup for Markdown {
    const DONE: &'static str = "Done";

    fn text(&self, s: &str) -> String {
        md(s)
    }
    fn lines(&self, s: &str) -> String {
        md(s)
    }
    fn alarm(&self, s: &str) -> String {
        format!("**{s}**")
    }

    fn status(&self, s: Status) -> String {
        format!("{} {}", s.glyph(), s.label())
    }
    /// The first two reasons: a table cell is one line.
    fn reasons(&self, reasons: &[Reason]) -> String {
        let mut why: Vec<String> = reasons.iter().take(2).map(|r| md(&r.text)).collect();
        if reasons.len() > 2 {
            why.push(format!("+{} more", reasons.len() - 2));
        }
        why.join("; ")
    }
    fn done(&self, done: f64) -> String {
        format!("{:.0}%", done * 100.0)
    }
    fn rag(&self, r: Rag) -> String {
        r.glyph().to_string()
    }
    fn flag(&self, f: AlertKind) -> String {
        f.short().to_string()
    }
    fn over_capacity(&self, available: f64) -> String {
        format!("**{} (over)**", fmt_days(available))
    }
    fn over_committed(&self, headroom_pence: i64) -> String {
        format!("**{} (over-committed)**", fmt_pence(headroom_pence))
    }

    fn head(&mut self, p: &BoardPack, meeting: &str) {
        if p.official_sensitive() {
            self.line("**OFFICIAL-SENSITIVE** — this pack includes sensitive soft intelligence");
            self.blank();
        }
        self.line(format!("# Board pack — {}", p.month.label()));
        self.blank();
        self.line(format!(
            "**{}** · {meeting} · figures as of {} · academic year {}",
            md(&p.alliance),
            fmt_date(p.today),
            p.year.label()
        ));
        self.blank();
    }

    fn glance(&mut self, p: &BoardPack) {
        let t = &p.totals;
        self.line("## At a glance");
        self.blank();
        self.line(format!(
            "- **Schools**: {} — urgent {} · concern {} · watch {} · ok {} (category A {} · B {} · C {} · D {})",
            p.schools.len(),
            t.by_status[0],
            t.by_status[1],
            t.by_status[2],
            t.by_status[3],
            t.by_category[0],
            t.by_category[1],
            t.by_category[2],
            t.by_category[3]
        ));
        self.line(format!(
            "- **Contracts**: {} live ({} active, {} paused) · {} proposed · latest review green {} · amber {} · red {} · none {}",
            t.live, t.active, t.paused, t.proposed, t.by_rag[0], t.by_rag[1], t.by_rag[2], t.by_rag[3]
        ));
        self.line(format!(
            "- **Leaders**: {} active · capacity {} days · delivered {} · committed {} · available {} · over capacity {}",
            t.active_leaders,
            fmt_days(t.capacity_days),
            fmt_days(t.delivered_days),
            fmt_days(t.committed_days),
            fmt_days(t.available_days),
            t.over_capacity
        ));
        let b = &p.budget.total;
        self.line(format!(
            "- **Budget**: {} committed of {} in funding streams (+ {} from other funding) · {} delivered · {} remaining · {} proposed",
            fmt_pence(p.budget.stream_committed_pence()),
            money_or_dash(b.allocated_pence),
            fmt_pence(p.budget.other_committed_pence()),
            fmt_pence(b.delivered_pence),
            fmt_pence(b.remaining_pence()),
            fmt_pence(b.proposed_pence)
        ));
        self.line(format!("- **Agenda**: {} items from the data", p.agenda.len()));
        self.blank();
    }

    fn foot(&mut self, p: &BoardPack) {
        self.line(format!("*Generated by alliance on {}. Status words and rules: see the README.*", fmt_date(p.today)));
    }

    fn section(&mut self, _id: &str, title: &str) {
        self.line(format!("## {title}"));
        self.blank();
    }
    fn end_section(&mut self) {}
    fn empty(&mut self, message: &str) {
        self.para(message);
    }
    fn heading(&mut self, s: &str) {
        self.line(format!("### {s}"));
        self.blank();
    }
    fn para(&mut self, s: &str) {
        self.line(s);
        self.blank();
    }
    fn note(&mut self, s: &str) {
        self.para(s);
    }
    fn quote(&mut self, s: &str) {
        self.para(&format!("> {}", md(s)));
    }

    fn agenda_group(&mut self, kind: AgendaKind, items: &[&AgendaItem]) {
        self.heading(&format!("{} ({})", kind.heading(), items.len()));
        self.para(&format!("*{}*", kind.question()));
        for a in items {
            self.line(format!("- **{}** — {} _({})_", md(&a.subject), md(&a.detail), a.severity.label()));
        }
        self.blank();
    }

    /// A pipe table; Markdown has no row styles, so the total's first cell is bold.
    fn table(&mut self, headers: &[&str], _num: &[usize], mut rows: Vec<Vec<String>>, total: Option<Vec<String>>) {
        if let Some(mut t) = total {
            if let Some(first) = t.first_mut() {
                *first = format!("**{first}**");
            }
            rows.push(t);
        }
        self.line(format!("| {} |", headers.join(" | ")));
        self.line(format!("|{}|", headers.iter().map(|_| "---").collect::<Vec<_>>().join("|")));
        for r in rows {
            self.line(format!("| {} |", r.join(" | ")));
        }
        self.blank();
    }
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn escapes_markup_and_joins_lines() {
        assert_eq!(md("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
        assert_eq!(md("*Star* | `code` _x_"), "\\*Star\\* \\| \\`code\\` \\_x\\_");
        assert_eq!(md("one\r\n\r\ntwo\nthree"), "one / two / three");
        assert_eq!(md("St Mary & St John"), "St Mary & St John");
        assert_eq!(md("&lt;b&gt;"), "\\&lt;b\\&gt;");
        assert_eq!(md("[link](x)"), "\\[link\\](x)");
        assert_eq!(md("a\u{7}b"), "ab");
        assert_eq!(md("# not a heading"), "\\# not a heading");
        assert_eq!(md("contract #24"), "contract #24");
        assert_eq!(md("-5"), "\\-5");
        assert_eq!(md("1. first"), "1\\. first");
    }
}
