//! The board pack as one self-contained, print-friendly HTML file: inline CSS (screen and print),
//! inline SVG charts where a picture reads faster than a table (schools by status, leader
//! capacity, budget per stream), no scripts and no external URLs. Every piece of user text goes
//! through [`h`].

use super::pack::BoardPack;
use super::sections::{self, Markup};
use crate::board::{AgendaItem, AgendaKind};
use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::{Rag, fmt_date};
use crate::metrics::budget::BudgetLine;
use crate::metrics::{AlertKind, Reason, Severity, Status};

/// Escapes text for HTML element content and attribute values; drops control characters other
/// than line breaks (which stay as text: use [`h_br`] to show them).
pub(crate) fn h(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// [`h`], with line breaks shown as `<br>`.
fn h_br(s: &str) -> String {
    h(s.trim()).replace("\r\n", "\n").split('\n').map(str::trim).collect::<Vec<_>>().join("<br>")
}

/// Shortens a label for a chart (whole characters), then escapes it.
fn short(s: &str, max: usize) -> String {
    let clean: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if clean.chars().count() <= max {
        return h(&clean);
    }
    let cut: String = clean.chars().take(max.saturating_sub(1)).collect();
    h(&format!("{cut}…"))
}

const CSS: &str = r#"
:root{--ink:#1b1b1b;--muted:#5f6368;--line:#d5d9de;--head:#f2f4f6}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);max-width:1120px;margin:0 auto;padding:24px;background:#fff}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;border-bottom:2px solid var(--ink);padding-bottom:2px;margin:30px 0 8px}
h3{font-size:15px;margin:16px 0 2px}
.sub,.note,.q{color:var(--muted)}
.q{font-style:italic;margin:0 0 4px}
.note{font-size:12px}
ul{margin:4px 0 8px;padding-left:20px}
li{margin:2px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:700;border-top:2px solid var(--ink)}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid}
.urgent,.high{color:#a11d15;border-color:#a11d15}
.concern,.medium{color:#b34700;border-color:#b34700}
.watch,.low{color:#7a5a00;border-color:#7a5a00}
.ok{color:#1e6b2f;border-color:#1e6b2f}
.over{color:#a11d15;font-weight:700}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:10px;margin:8px 0}
.tile{border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.tile b{font-size:20px;display:block}
.bar{display:inline-block;width:70px;height:9px;background:#e6ebf1;border:1px solid #b8c3cf;vertical-align:middle;margin-right:4px}
.bar i{display:block;height:100%;background:#1f4e79}
.bar.full i{background:#a11d15}
svg{display:block;max-width:100%;height:auto;margin:6px 0 10px}
svg text{font-family:system-ui,Arial,sans-serif;font-size:12px;fill:#1b1b1b}
svg text.w{fill:#fff;font-weight:600}
footer{color:var(--muted);font-size:12px;margin-top:28px;border-top:1px solid var(--line);padding-top:6px}
@media print{
 @page{size:A4;margin:14mm}
 body{padding:0;max-width:none;font-size:10pt}
 h2{break-after:avoid;page-break-after:avoid}
 table,svg,.tile,li,tr{break-inside:avoid;page-break-inside:avoid}
 thead{display:table-header-group}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

#[derive(Default)]
struct Html(String);

impl Html {
    fn push(&mut self, s: impl AsRef<str>) {
        self.0.push_str(s.as_ref());
        self.0.push('\n');
    }
}

fn severity_badge(s: Severity) -> String {
    format!("<span class=\"badge {0}\">{0}</span>", s.label())
}

/// Renders the pack.
pub(super) fn render(p: &BoardPack) -> String {
    let mut o = Html::default();
    sections::write(&mut o, p);
    o.0
}

impl Markup for Html {
    const DONE: &'static str = "Delivered";

    fn text(&self, s: &str) -> String {
        h(s)
    }
    fn lines(&self, s: &str) -> String {
        h_br(s)
    }
    fn alarm(&self, s: &str) -> String {
        format!("<span class=\"over\">{s}</span>")
    }

    fn status(&self, s: Status) -> String {
        format!("<span class=\"badge {0}\">{1} {0}</span>", s.label(), s.glyph())
    }
    fn reasons(&self, reasons: &[Reason]) -> String {
        reasons.iter().map(|r| h_br(&r.text)).collect::<Vec<_>>().join("<br>")
    }
    /// A bar of days delivered (full and red past 100%), and the percentage.
    fn done(&self, done: f64) -> String {
        let full = if done > 1.0 { " full" } else { "" };
        format!(
            "<span class=\"bar{full}\"><i style=\"width:{:.0}%\"></i></span>{:.0}%",
            (done * 100.0).clamp(0.0, 100.0),
            done * 100.0
        )
    }
    fn rag(&self, r: Rag) -> String {
        format!("{} {}", r.glyph(), r)
    }
    fn flag(&self, f: AlertKind) -> String {
        format!("<span title=\"{}\">{}</span>", f.as_str(), f.short())
    }
    fn over_capacity(&self, available: f64) -> String {
        format!("<span class=\"over\">{} over</span>", fmt_days(-available))
    }
    fn over_committed(&self, headroom_pence: i64) -> String {
        format!("<span class=\"over\">{} over-committed</span>", fmt_pence(-headroom_pence))
    }

    fn head(&mut self, p: &BoardPack, meeting: &str) {
        let title = format!("Board pack — {} — {}", p.month.label(), p.alliance);
        self.push("<!DOCTYPE html>");
        self.push("<html lang=\"en-GB\">");
        self.push("<head>");
        self.push("<meta charset=\"utf-8\">");
        self.push("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        self.push(format!("<title>{}</title>", h(&title)));
        self.push(format!("<style>{CSS}</style>"));
        self.push("</head>");
        self.push("<body>");
        if p.official_sensitive() {
            self.push("<p class=\"marking\"><strong>OFFICIAL-SENSITIVE</strong> — this pack includes sensitive soft intelligence</p>");
        }
        self.push(format!("<header><h1>Board pack — {}</h1>", h(&p.month.label())));
        self.push(format!(
            "<p class=\"sub\"><strong>{}</strong> · {} · figures as of {} · academic year {}</p></header>",
            h(&p.alliance),
            h(meeting),
            fmt_date(p.today),
            p.year.label()
        ));
    }

    fn glance(&mut self, p: &BoardPack) {
        let t = &p.totals;
        let b = &p.budget.total;
        self.push("<section id=\"glance\"><h2>At a glance</h2><div class=\"tiles\">");
        let tiles = [
            (
                format!("{} schools", p.schools.len()),
                format!(
                    "urgent {} · concern {} · watch {} · ok {}<br>category A {} · B {} · C {} · D {}",
                    t.by_status[0],
                    t.by_status[1],
                    t.by_status[2],
                    t.by_status[3],
                    t.by_category[0],
                    t.by_category[1],
                    t.by_category[2],
                    t.by_category[3]
                ),
            ),
            (
                format!("{} live contracts", t.live),
                format!(
                    "{} active · {} paused · {} proposed<br>review green {} · amber {} · red {} · none {}",
                    t.active, t.paused, t.proposed, t.by_rag[0], t.by_rag[1], t.by_rag[2], t.by_rag[3]
                ),
            ),
            (
                format!("{} days available", fmt_days(t.available_days)),
                format!(
                    "{} active leaders · capacity {} days<br>delivered {} · committed {} · over capacity {}",
                    t.active_leaders,
                    fmt_days(t.capacity_days),
                    fmt_days(t.delivered_days),
                    fmt_days(t.committed_days),
                    t.over_capacity
                ),
            ),
            (
                format!("{} committed", fmt_pence(p.budget.stream_committed_pence())),
                format!(
                    "of {} in funding streams, + {} from other funding<br>delivered {} · remaining {} · proposed {}",
                    b.allocated_pence.map_or("—".to_string(), fmt_pence),
                    fmt_pence(p.budget.other_committed_pence()),
                    fmt_pence(b.delivered_pence),
                    fmt_pence(b.remaining_pence()),
                    fmt_pence(b.proposed_pence)
                ),
            ),
        ];
        for (head, body) in tiles {
            self.push(format!("<div class=\"tile\"><b>{}</b>{body}</div>", h(&head)));
        }
        self.push("</div>");
        self.push(status_chart(t.by_status));
        self.push("</section>");
    }

    fn foot(&mut self, p: &BoardPack) {
        self.push(format!(
            "<footer>Generated by alliance on {}. Every figure is as of that date.</footer>",
            fmt_date(p.today)
        ));
        self.push("</body>");
        self.push("</html>");
    }

    fn section(&mut self, id: &str, title: &str) {
        self.push(format!("<section id=\"{id}\"><h2>{title}</h2>"));
    }
    fn end_section(&mut self) {
        self.push("</section>");
    }
    fn empty(&mut self, message: &str) {
        self.push(format!("<p>{message}</p></section>"));
    }
    fn heading(&mut self, s: &str) {
        self.push(format!("<h3>{s}</h3>"));
    }
    fn para(&mut self, s: &str) {
        self.push(format!("<p>{s}</p>"));
    }
    fn note(&mut self, s: &str) {
        self.push(format!("<p class=\"note\">{s}</p>"));
    }
    fn quote(&mut self, s: &str) {
        self.note(&h_br(s));
    }

    fn agenda_group(&mut self, kind: AgendaKind, items: &[&AgendaItem]) {
        self.push(format!(
            "<h3>{} ({})</h3><p class=\"q\">{}</p><ul>",
            h(kind.heading()),
            items.len(),
            h(kind.question())
        ));
        for a in items {
            self.push(format!(
                "<li>{} <strong>{}</strong> — {}</li>",
                severity_badge(a.severity),
                h(&a.subject),
                h_br(&a.detail)
            ));
        }
        self.push("</ul>");
    }

    /// Headers are escaped here; cells come already escaped.
    fn table(&mut self, headers: &[&str], num: &[usize], rows: Vec<Vec<String>>, total: Option<Vec<String>>) {
        let cls = |i: usize| if num.contains(&i) { " class=\"n\"" } else { "" };
        self.push("<table><thead><tr>");
        for (i, hd) in headers.iter().enumerate() {
            self.push(format!("<th{}>{}</th>", cls(i), h(hd)));
        }
        self.push("</tr></thead><tbody>");
        let row = |r: &[String], class: &str, out: &mut Html| {
            let cells: String = r.iter().enumerate().map(|(i, c)| format!("<td{}>{c}</td>", cls(i))).collect();
            out.push(format!("<tr{class}>{cells}</tr>"));
        };
        for r in &rows {
            row(r, "", self);
        }
        if let Some(t) = total {
            row(&t, " class=\"total\"", self);
        }
        self.push("</tbody></table>");
    }

    fn capacity_chart(&mut self, p: &BoardPack) {
        self.push(capacity_chart(p));
    }
    fn budget_chart(&mut self, p: &BoardPack) {
        self.push(budget_chart(p));
    }
    fn trend_chart(&mut self, w: &super::pack::DataWatch) {
        for t in &w.trends {
            self.push(trend_chart(t));
        }
    }
}

/// One measure's trend as a small line chart: the school (solid), its LA (dashed) and England
/// (dotted) over the years shown; a suppressed or unpublished year is a gap labelled with its
/// word, never a point at zero.
fn trend_chart(t: &crate::metrics::data::Trend) -> String {
    use crate::domain::measures::fmt_value;
    let (w, hgt, left, top, plot_w, plot_h) = (360.0, 120.0, 40.0, 22.0, 300.0, 70.0);
    let all: Vec<f64> = t.years.iter().flat_map(|y| [y.value, y.la, y.england]).flatten().collect();
    if all.is_empty() {
        return String::new();
    }
    let (mut lo, mut hi) = all.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if hi - lo < 1e-9 {
        lo -= 1.0;
        hi += 1.0;
    }
    let n = t.years.len().max(2) as f64 - 1.0;
    let x = |i: usize| left + plot_w * i as f64 / n;
    let y = |v: f64| top + plot_h - plot_h * (v - lo) / (hi - lo);
    let mut s = format!(
        "<svg class=\"trend\" viewBox=\"0 0 {w} {hgt}\" width=\"{w}\" height=\"{hgt}\" role=\"img\" aria-label=\"{}\">",
        h(&format!("{}: {}", t.label, t.summary()))
    );
    s.push_str(&format!("<text x=\"{left}\" y=\"14\">{}</text>", h(&t.label)));
    let series = |pick: &dyn Fn(&crate::metrics::data::TrendYear) -> Option<f64>, style: &str, colour: &str| {
        let mut out = String::new();
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, out: &mut String| {
            if run.len() > 1 {
                out.push_str(&format!(
                    "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{style} points=\"{}\"/>",
                    run.join(" ")
                ));
            }
            run.clear();
        };
        for (i, yr) in t.years.iter().enumerate() {
            match pick(yr) {
                Some(v) => {
                    run.push(format!("{:.1},{:.1}", x(i), y(v)));
                    out.push_str(&format!(
                        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{colour}\"/>",
                        x(i),
                        y(v)
                    ));
                }
                None => flush(&mut run, &mut out),
            }
        }
        flush(&mut run, &mut out);
        out
    };
    s.push_str(&series(&|yr| yr.england, " stroke-dasharray=\"2 3\"", "#777"));
    s.push_str(&series(&|yr| yr.la, " stroke-dasharray=\"6 3\"", "#4a6fa5"));
    s.push_str(&series(&|yr| yr.value, "", "#a11d15"));
    for (i, yr) in t.years.iter().enumerate() {
        let label = fmt_value(&t.measure, yr.value, &yr.status);
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" class=\"muted\">{}</text>",
            x(i),
            top + plot_h + 14.0,
            h(&label),
            x(i),
            top + plot_h + 26.0,
            h(&yr.year)
        ));
    }
    s.push_str("<text x=\"340\" y=\"14\" text-anchor=\"end\" class=\"muted\">school — LA - - England ···</text>");
    s.push_str("</svg>");
    s
}
/// One stacked bar of schools by status, each segment labelled with its word and count.
fn status_chart(counts: [usize; 4]) -> String {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return String::new();
    }
    let colours = ["#a11d15", "#d35400", "#c9a000", "#2e8b47"];
    let (w, bar) = (720.0, 700.0);
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} 62\" width=\"{w}\" height=\"62\" role=\"img\" aria-label=\"Schools by status\">"
    );
    let mut x = 10.0;
    for (i, st) in Status::ALL.iter().enumerate() {
        let n = counts[i];
        if n == 0 {
            continue;
        }
        let width = bar * n as f64 / total as f64;
        s.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"4\" width=\"{width:.1}\" height=\"26\" fill=\"{}\"><title>{} {n}</title></rect>",
            colours[i],
            st.label()
        ));
        if width > 26.0 {
            s.push_str(&format!("<text class=\"w\" x=\"{:.1}\" y=\"22\">{n}</text>", x + 5.0));
        }
        x += width;
    }
    let mut lx = 10.0;
    for (i, st) in Status::ALL.iter().enumerate() {
        s.push_str(&format!(
            "<rect x=\"{lx}\" y=\"42\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"52\">{} {} {}</text>",
            colours[i],
            lx + 16.0,
            st.glyph(),
            st.label(),
            counts[i]
        ));
        lx += 130.0;
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars per active leader: delivered, then committed, against their capacity (the
/// outlined box); days beyond capacity are hatched red, with the number in words beside.
fn capacity_chart(p: &BoardPack) -> String {
    let (label_w, bar_w, right_w, row_h) = (180.0, 400.0, 140.0, 22.0);
    let width = label_w + bar_w + right_w;
    let height = 30.0 + row_h * p.leaders.len() as f64;
    let scale_max = p.leaders.iter().map(|l| l.capacity.max(l.delivered + l.committed)).fold(1.0_f64, f64::max);
    let k = bar_w / scale_max;
    let mut s = format!(
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Leader capacity\">\
         <defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#f6d5d2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#a11d15\" stroke-width=\"3\"/></pattern></defs>"
    );
    let legend = [
        ("#1f4e79", "delivered"),
        ("#7fb0dd", "committed"),
        ("#eef2f6", "available"),
        ("url(#hatch)", "over capacity"),
    ];
    let mut lx = label_w;
    for (fill, word) in legend {
        s.push_str(&format!(
            "<rect x=\"{lx}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{fill}\" stroke=\"#8896a5\"/><text x=\"{}\" y=\"14\">{word}</text>",
            lx + 16.0
        ));
        lx += 110.0;
    }
    for (i, l) in p.leaders.iter().enumerate() {
        let y = 28.0 + row_h * i as f64;
        let cap = l.capacity * k;
        let del = l.delivered * k;
        let com = l.committed * k;
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + 13.0,
            short(&format!("{} ({})", l.leader.name, l.leader.designation), 26)
        ));
        s.push_str(&format!(
            "<rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{cap:.1}\" height=\"16\" fill=\"#eef2f6\" stroke=\"#8896a5\"/>"
        ));
        s.push_str(&format!(
            "<rect x=\"{label_w}\" y=\"{:.1}\" width=\"{del:.1}\" height=\"12\" fill=\"#1f4e79\"><title>delivered {}</title></rect>",
            y + 2.0,
            fmt_days(l.delivered)
        ));
        s.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{com:.1}\" height=\"12\" fill=\"#7fb0dd\"><title>committed {}</title></rect>",
            label_w + del,
            y + 2.0,
            fmt_days(l.committed)
        ));
        if del + com > cap {
            s.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"16\" fill=\"url(#hatch)\" stroke=\"#a11d15\"/>",
                label_w + cap,
                del + com - cap
            ));
        }
        let words = if l.available < 0.0 {
            let over = -l.available;
            format!("{} {} over", fmt_days(over), if over == 1.0 { "day" } else { "days" })
        } else {
            format!("{} of {} available", fmt_days(l.available), fmt_days(l.capacity))
        };
        s.push_str(&format!("<text x=\"{:.1}\" y=\"{:.1}\">{}</text>", label_w + bar_w + 8.0, y + 13.0, h(&words)));
    }
    s.push_str("</svg>");
    s
}

/// One bar per funding stream, each drawn against its own amount (the outlined box = 100%), so
/// every pot reads at a glance whatever its size: delivered, then committed, then proposed
/// (dashed). Over-commitment runs past the box, outlined red, and is said in words.
fn budget_chart(p: &BoardPack) -> String {
    let lines: Vec<&BudgetLine> =
        p.budget.streams.iter().filter(|l| l.allocated_pence.is_some_and(|a| a > 0)).collect();
    if lines.is_empty() {
        return String::new();
    }
    let (label_w, bar_w, right_w, row_h) = (250.0, 320.0, 260.0, 24.0);
    let width = label_w + bar_w + right_w;
    let height = 30.0 + row_h * lines.len() as f64;
    // The box is 80% of the bar area, leaving room to show over-commitment beyond it.
    let box_w = bar_w * 0.8;
    let mut s = format!(
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Budget per funding stream\">"
    );
    let legend =
        [("#1f4e79", "delivered"), ("#7fb0dd", "committed"), ("#fde9c8", "proposed"), ("#ffffff", "stream amount")];
    let mut lx = label_w;
    for (fill, word) in legend {
        s.push_str(&format!(
            "<rect x=\"{lx}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{fill}\" stroke=\"#8896a5\"/><text x=\"{}\" y=\"14\">{word}</text>",
            lx + 16.0
        ));
        lx += 100.0;
    }
    for (i, l) in lines.iter().enumerate() {
        let amount = l.allocated_pence.unwrap_or(1).max(1) as f64;
        let k = box_w / amount;
        let clip = |v: f64| v.clamp(0.0, bar_w);
        let y = 28.0 + row_h * i as f64;
        let com = clip(l.committed_pence as f64 * k);
        let del = clip(l.delivered_pence as f64 * k);
        let prop = clip(l.proposed_pence as f64 * k).min(bar_w - com);
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + 13.0,
            short(&l.name, 34)
        ));
        let stroke = if l.over_committed() { "#a11d15" } else { "#8896a5" };
        s.push_str(&format!(
            "<rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{box_w:.1}\" height=\"16\" fill=\"#ffffff\" stroke=\"{stroke}\"/>\
             <rect x=\"{label_w}\" y=\"{:.1}\" width=\"{com:.1}\" height=\"12\" fill=\"#7fb0dd\"/>\
             <rect x=\"{label_w}\" y=\"{:.1}\" width=\"{del:.1}\" height=\"12\" fill=\"#1f4e79\"/>",
            y + 2.0,
            y + 2.0
        ));
        if l.over_committed() {
            s.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"16\" fill=\"none\" stroke=\"#a11d15\" stroke-width=\"2\"/>",
                label_w + box_w,
                (com - box_w).max(0.0)
            ));
        }
        if prop > 0.0 {
            s.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{prop:.1}\" height=\"12\" fill=\"#fde9c8\" stroke=\"#b34700\" stroke-dasharray=\"3 2\"/>",
                label_w + com,
                y + 2.0
            ));
        }
        let used = l.committed_pence as f64 / amount * 100.0;
        let words = match l.headroom_pence() {
            Some(v) if v < 0 => format!("{} over-committed ({used:.0}%)", fmt_pence(-v)),
            Some(v) => format!("{used:.0}% committed, {} headroom", fmt_pence(v)),
            None => String::new(),
        };
        s.push_str(&format!("<text x=\"{:.1}\" y=\"{:.1}\">{}</text>", label_w + bar_w + 8.0, y + 13.0, h(&words)));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::{h, h_br, short};

    #[test]
    fn escapes_everything_that_could_be_markup() {
        assert_eq!(
            h("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(h_br("one\r\ntwo\n<b>"), "one<br>two<br>&lt;b&gt;");
        assert_eq!(short("<Very long school name here>", 10), "&lt;Very lon…");
    }
}
