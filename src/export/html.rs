//! The board pack as one self-contained, print-friendly HTML file: inline CSS (screen and print),
//! inline SVG charts where a picture reads faster than a table (schools by status, leader
//! capacity, budget per stream), no scripts and no external URLs. Every piece of user text goes
//! through [`h`].

use super::pack::BoardPack;
use crate::board::AgendaKind;
use crate::board::budget::BudgetLine;
use crate::domain::fmt_date;
use crate::domain::money::{fmt_days, fmt_pence};
use crate::metrics::{Severity, Status};
use crate::store::DecisionRow;

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

struct Out(String);

impl Out {
    fn push(&mut self, s: impl AsRef<str>) {
        self.0.push_str(s.as_ref());
        self.0.push('\n');
    }

    /// A table: `num` marks right-aligned (numeric) columns. Cells are already-escaped HTML.
    fn table(&mut self, headers: &[&str], num: &[usize], rows: &[Vec<String>], total: Option<Vec<String>>) {
        let cls = |i: usize| if num.contains(&i) { " class=\"n\"" } else { "" };
        self.push("<table><thead><tr>");
        for (i, hd) in headers.iter().enumerate() {
            self.push(format!("<th{}>{}</th>", cls(i), h(hd)));
        }
        self.push("</tr></thead><tbody>");
        let row = |r: &Vec<String>, class: &str, out: &mut Out| {
            let cells: String = r.iter().enumerate().map(|(i, c)| format!("<td{}>{c}</td>", cls(i))).collect();
            out.push(format!("<tr{class}>{cells}</tr>"));
        };
        for r in rows {
            row(r, "", self);
        }
        if let Some(t) = total {
            row(&t, " class=\"total\"", self);
        }
        self.push("</tbody></table>");
    }
}

fn status_badge(s: Status) -> String {
    format!("<span class=\"badge {0}\">{1} {0}</span>", s.label(), s.glyph())
}

fn severity_badge(s: Severity) -> String {
    format!("<span class=\"badge {0}\">{0}</span>", s.label())
}

/// Renders the pack.
pub(super) fn render(p: &BoardPack) -> String {
    let mut o = Out(String::new());
    let title = format!("Board pack — {} — {}", p.month.label(), p.alliance);
    o.push("<!DOCTYPE html>");
    o.push("<html lang=\"en-GB\">");
    o.push("<head>");
    o.push("<meta charset=\"utf-8\">");
    o.push("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    o.push(format!("<title>{}</title>", h(&title)));
    o.push(format!("<style>{CSS}</style>"));
    o.push("</head>");
    o.push("<body>");
    let meeting = match p.meeting() {
        Some(m) => format!("board meeting of {}", fmt_date(m.held_on)),
        None => format!("no board meeting recorded in {}", p.month.label()),
    };
    o.push(format!("<header><h1>Board pack — {}</h1>", h(&p.month.label())));
    o.push(format!(
        "<p class=\"sub\"><strong>{}</strong> · {} · figures as of {} · academic year {}</p></header>",
        h(&p.alliance),
        h(&meeting),
        fmt_date(p.today),
        p.year.label()
    ));
    glance(&mut o, p);
    agenda(&mut o, p);
    schools(&mut o, p);
    contracts(&mut o, p);
    leaders(&mut o, p);
    budget(&mut o, p);
    decisions(&mut o, p);
    o.push(format!(
        "<footer>Generated by alliance on {}. Every figure is as of that date.</footer>",
        fmt_date(p.today)
    ));
    o.push("</body>");
    o.push("</html>");
    o.0
}

fn glance(o: &mut Out, p: &BoardPack) {
    let t = &p.totals;
    let b = &p.budget.total;
    o.push("<section id=\"glance\"><h2>At a glance</h2><div class=\"tiles\">");
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
            format!("{} committed", fmt_pence(b.committed_pence)),
            format!(
                "of {} in funding streams<br>delivered {} · remaining {} · proposed {}",
                b.allocated_pence.map_or("—".to_string(), fmt_pence),
                fmt_pence(b.delivered_pence),
                fmt_pence(b.remaining_pence()),
                fmt_pence(b.proposed_pence)
            ),
        ),
    ];
    for (head, body) in tiles {
        o.push(format!("<div class=\"tile\"><b>{}</b>{body}</div>", h(&head)));
    }
    o.push("</div>");
    o.push(status_chart(t.by_status));
    o.push("</section>");
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

fn agenda(o: &mut Out, p: &BoardPack) {
    o.push("<section id=\"agenda\"><h2>1. Agenda</h2>");
    if p.agenda.is_empty() {
        o.push("<p>Nothing on the agenda from the data this month.</p></section>");
        return;
    }
    for kind in AgendaKind::ALL {
        let items: Vec<_> = p.agenda.iter().filter(|a| a.kind == kind).collect();
        if items.is_empty() {
            continue;
        }
        o.push(format!(
            "<h3>{} ({})</h3><p class=\"q\">{}</p><ul>",
            h(kind.heading()),
            items.len(),
            h(kind.question())
        ));
        for a in items {
            o.push(format!(
                "<li>{} <strong>{}</strong> — {}</li>",
                severity_badge(a.severity),
                h(&a.subject),
                h_br(&a.detail)
            ));
        }
        o.push("</ul>");
    }
    o.push("</section>");
}

fn schools(o: &mut Out, p: &BoardPack) {
    o.push("<section id=\"schools\"><h2>2. School status</h2>");
    let shown: Vec<_> = p.schools.iter().filter(|s| s.status != Status::Ok).collect();
    if shown.is_empty() {
        o.push(format!("<p>All {} schools are ok.</p></section>", p.schools.len()));
        return;
    }
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|s| {
            let f = &s.school;
            let inspection = f
                .latest_inspection
                .as_ref()
                .map_or("—".to_string(), |i| format!("{} ({})", h(&i.outcome), fmt_date(i.inspected_on)));
            let why: Vec<String> = s.reasons.iter().map(|r| h_br(&r.text)).collect();
            vec![
                status_badge(s.status),
                h(&f.name),
                f.urn.map_or("—".to_string(), |u| u.to_string()),
                f.category.to_string(),
                inspection,
                s.live_contracts.to_string(),
                why.join("<br>"),
            ]
        })
        .collect();
    o.table(&["Status", "School", "URN", "Cat.", "Latest inspection", "Live", "Why"], &[5], &rows, None);
    let ok = p.schools.len() - shown.len();
    if ok > 0 {
        o.push(format!("<p class=\"note\">The other {ok} schools are ok.</p>"));
    }
    o.push("</section>");
}

fn contracts(o: &mut Out, p: &BoardPack) {
    o.push("<section id=\"contracts\"><h2>3. Live contracts</h2>");
    if p.contracts.is_empty() {
        o.push("<p>No live contracts.</p></section>");
        return;
    }
    let rows: Vec<Vec<String>> = p
        .contracts
        .iter()
        .map(|lc| {
            let pr = &lc.progress;
            let c = &pr.contract;
            let done = if c.days_commissioned > 0.0 { c.delivered / c.days_commissioned } else { 0.0 };
            let full = if done > 1.0 { " full" } else { "" };
            let bar = format!(
                "<span class=\"bar{full}\"><i style=\"width:{:.0}%\"></i></span>{:.0}%",
                (done * 100.0).clamp(0.0, 100.0),
                done * 100.0
            );
            let flags: Vec<String> =
                pr.flags.iter().map(|f| format!("<span title=\"{}\">{}</span>", f.as_str(), f.short())).collect();
            vec![
                h(&c.school_name),
                h(&c.focus),
                format!("{} ({})", h(&c.leader_name), c.designation),
                c.status.to_string(),
                fmt_date(c.end_on),
                format!("{} / {}", fmt_days(c.delivered), fmt_days(c.days_commissioned)),
                bar,
                pr.latest_rag.map_or("—".to_string(), |r| format!("{} {}", r.glyph(), r)),
                pr.next_review_on.map_or("—".to_string(), fmt_date),
                fmt_pence(lc.price_pence),
                flags.join(" "),
            ]
        })
        .collect();
    o.table(
        &[
            "School",
            "Focus",
            "Leader",
            "Status",
            "Ends",
            "Days",
            "Delivered",
            "Review",
            "Next review",
            "Price",
            "Flags",
        ],
        &[5, 9],
        &rows,
        None,
    );
    o.push("</section>");
}

fn leaders(o: &mut Out, p: &BoardPack) {
    o.push(format!("<section id=\"leaders\"><h2>4. Leader capacity ({})</h2>", p.year.label()));
    if p.leaders.is_empty() {
        o.push("<p>No active leaders.</p></section>");
        return;
    }
    o.push(capacity_chart(p));
    let rows: Vec<Vec<String>> = p
        .leaders
        .iter()
        .map(|l| {
            let available = if l.over_capacity() {
                format!("<span class=\"over\">{} over</span>", fmt_days(-l.available))
            } else {
                fmt_days(l.available)
            };
            vec![
                h(&l.leader.name),
                l.leader.designation.to_string(),
                fmt_days(l.capacity),
                fmt_days(l.delivered),
                fmt_days(l.committed),
                available,
                l.utilisation.map_or("—".to_string(), |u| format!("{:.0}%", u * 100.0)),
                fmt_days(l.pipeline),
                l.live_contracts.to_string(),
            ]
        })
        .collect();
    o.table(
        &["Leader", "Role", "Capacity", "Delivered", "Committed", "Available", "Used", "Proposed", "Live"],
        &[2, 3, 4, 5, 6, 7, 8],
        &rows,
        None,
    );
    o.push("</section>");
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

fn budget_row(l: &BudgetLine, name: String) -> Vec<String> {
    let headroom = match l.headroom_pence() {
        Some(v) if v < 0 => format!("<span class=\"over\">{} over-committed</span>", fmt_pence(-v)),
        Some(v) => fmt_pence(v),
        None => "—".to_string(),
    };
    vec![
        name,
        l.allocated_pence.map_or("—".to_string(), fmt_pence),
        fmt_pence(l.committed_pence),
        fmt_pence(l.delivered_pence),
        fmt_pence(l.remaining_pence()),
        headroom,
        fmt_pence(l.proposed_pence),
        l.contracts.to_string(),
    ]
}

fn budget(o: &mut Out, p: &BoardPack) {
    o.push("<section id=\"budget\"><h2>5. Budget</h2>");
    let b = &p.budget;
    if b.lines().next().is_none() {
        o.push("<p>No funding streams and no contracts this year.</p></section>");
        return;
    }
    o.push(budget_chart(p));
    let rows: Vec<Vec<String>> = b.lines().map(|l| budget_row(l, h(&l.name))).collect();
    let mut total = budget_row(&b.total, "Total".to_string());
    total[5] = "—".to_string();
    o.table(
        &["Funding", "Amount", "Committed", "Delivered", "Remaining", "Headroom", "Proposed", "Contracts"],
        &[1, 2, 3, 4, 5, 6, 7],
        &rows,
        Some(total),
    );
    o.push(
        "<p class=\"note\">Committed: live contracts' price (days × day rate), and what closed contracts delivered. \
         Delivered: visit days × day rate. Remaining = committed − delivered. Headroom = amount − committed. \
         Proposed contracts are not committed. Contracts without a stream are grouped by their funding, this \
         academic year.</p>",
    );
    o.push("</section>");
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

fn about(d: &DecisionRow) -> String {
    match (&d.school_name, &d.contract_focus) {
        (Some(s), Some(f)) => format!("{} ({})", h(s), h(f)),
        (Some(s), None) => h(s),
        (None, Some(f)) => h(f),
        (None, None) => "—".to_string(),
    }
}

fn decisions(o: &mut Out, p: &BoardPack) {
    o.push("<section id=\"decisions\"><h2>6. Decisions</h2>");
    if let Some(m) = p.meeting() {
        o.push(format!("<h3>Taken at the meeting of {}</h3>", fmt_date(m.held_on)));
        if !m.notes.trim().is_empty() {
            o.push(format!("<p class=\"note\">{}</p>", h_br(&m.notes)));
        }
        if p.decisions_taken.is_empty() {
            o.push("<p>No decisions recorded.</p>");
        } else {
            let rows: Vec<Vec<String>> = p
                .decisions_taken
                .iter()
                .map(|d| {
                    vec![
                        d.decision.kind.to_string(),
                        about(d),
                        h_br(&d.decision.text),
                        h(&d.decision.owner),
                        d.decision.due_on.map_or("—".to_string(), fmt_date),
                        if d.decision.done { "done".to_string() } else { "open".to_string() },
                    ]
                })
                .collect();
            o.table(&["Kind", "About", "Decision", "Owner", "Due", "Done"], &[], &rows, None);
        }
    }
    o.push("<h3>Open decisions with a due date</h3>");
    if p.decisions_due.is_empty() {
        o.push("<p>None.</p></section>");
        return;
    }
    let overdue = p.decisions_due.iter().filter(|d| d.overdue).count();
    if overdue > 0 {
        o.push(format!("<p><span class=\"over\">{overdue} overdue</span> as of {}.</p>", fmt_date(p.today)));
    }
    let rows: Vec<Vec<String>> = p
        .decisions_due
        .iter()
        .map(|d| {
            let dec = &d.row.decision;
            let due = dec.due_on.map_or("—".to_string(), fmt_date);
            let due = if d.overdue { format!("<span class=\"over\">{due} — overdue</span>") } else { due };
            vec![due, dec.kind.to_string(), about(&d.row), h_br(&dec.text), h(&dec.owner), fmt_date(d.row.held_on)]
        })
        .collect();
    o.table(&["Due", "Kind", "About", "Decision", "Owner", "Decided"], &[], &rows, None);
    o.push("</section>");
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
