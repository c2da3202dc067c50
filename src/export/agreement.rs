//! The support agreement a contract's parties sign (issue #15): parties and contacts, focus,
//! aims, each success criterion with its baseline and target, days, dates, review points,
//! price, who pays whom, brokerage, cancellation and change of circumstances, confidentiality
//! and data sharing, safeguarding assurance, and signature lines — as plain, printable HTML (one
//! file, inline CSS, no scripts) or Markdown. Every piece of typed text is shown exactly as
//! typed, escaped ([`super::html::h`], [`super::markdown::md`]).

use super::html::h;
use super::markdown::md;
use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::settings::{Settings, fmt_percent_bp};
use crate::domain::{Contract, Criterion, Leader, Party, School, fmt_date};
use crate::store::{AgreementStatus, Store, StoreError};
use chrono::NaiveDate;

/// Everything the agreement shows, read once.
#[derive(Debug, Clone)]
pub struct AgreementDoc {
    /// The alliance (the broker).
    pub alliance: String,
    /// The contract.
    pub contract: Contract,
    /// The supported school.
    pub school: School,
    /// The system leader.
    pub leader: Leader,
    /// The leader's home school (the provider), if recorded.
    pub home: Option<School>,
    /// The funding stream's name, if allocated.
    pub stream: Option<String>,
    /// The criteria, in order.
    pub criteria: Vec<Criterion>,
    /// Where the sign-off stands.
    pub status: AgreementStatus,
    /// Settings in force (brokerage, review interval).
    pub settings: Settings,
    /// School days (the review interval counts them).
    pub calendar: crate::domain::Calendar,
    /// The date the document is produced.
    pub today: NaiveDate,
}

impl AgreementDoc {
    /// Reads the agreement of contract `id`.
    pub fn build(store: &Store, id: i64, today: NaiveDate) -> Result<AgreementDoc, StoreError> {
        let contract: Contract = store.get(id)?;
        let school: School = store.get(contract.school_id)?;
        let leader: Leader = store.get(contract.leader_id)?;
        let home = match leader.home_school_id {
            Some(h) => store.find::<School>(h)?,
            None => None,
        };
        let stream = match contract.funding_stream_id {
            Some(s) => store.find::<crate::domain::FundingStream>(s)?.map(|f| f.name),
            None => None,
        };
        let settings = store.settings()?;
        Ok(AgreementDoc {
            alliance: settings.alliance_name.clone(),
            criteria: store.criteria(id)?,
            status: store.agreement_status(id)?,
            contract,
            school,
            leader,
            home,
            stream,
            settings,
            calendar: store.calendar()?,
            today,
        })
    }

    /// The version this document is: the latest recorded, or the next one if the terms have
    /// changed since (or 1 when none has been drawn up).
    pub fn version(&self) -> i64 {
        match self.status.history.last() {
            None => 1,
            Some((a, _)) => {
                let now = crate::domain::Terms::of(&self.contract, &self.criteria);
                let same = serde_json::from_str::<crate::domain::Terms>(&a.terms).ok().as_ref() == Some(&now);
                if same { a.version } else { a.version + 1 }
            }
        }
    }

    /// Days × rate.
    pub fn price_pence(&self) -> i64 {
        self.contract.price_pence()
    }

    /// The alliance's brokerage share of the price.
    pub fn brokerage_pence(&self) -> i64 {
        (self.price_pence() as f64 * self.settings.brokerage_bp as f64 / 10_000.0).round() as i64
    }

    /// Review points: every review interval (in school days) from the start, up to the end,
    /// and the end.
    pub fn review_points(&self) -> Vec<NaiveDate> {
        let step = self.settings.review_interval_days.max(1);
        let mut out = Vec::new();
        let mut d = self.calendar.add_school_days(self.contract.start_on, step);
        while d < self.contract.end_on && out.len() < 40 {
            out.push(d);
            d = self.calendar.add_school_days(d, step);
        }
        out.push(self.contract.end_on);
        out
    }

    fn commissioner(&self) -> String {
        let f = self.contract.funding.trim();
        match &self.stream {
            Some(s) if f.is_empty() || f == s => s.clone(),
            Some(s) => format!("{f} ({s})"),
            None if f.is_empty() => "the supported school".to_string(),
            None => f.to_string(),
        }
    }

    fn provider(&self) -> String {
        self.home
            .as_ref()
            .map_or_else(|| format!("{} (home school not recorded)", self.leader.name), |s| s.name.clone())
    }

    /// Lines of plain prose, shared by both formats (each already in the document's words; the
    /// typed parts are escaped by `esc`).
    fn terms(&self, esc: &dyn Fn(&str) -> String) -> Vec<(&'static str, String)> {
        let price = fmt_pence(self.price_pence());
        let brokerage = fmt_pence(self.brokerage_pence());
        let to_provider = fmt_pence(self.price_pence() - self.brokerage_pence());
        vec![
            (
                "Price",
                format!(
                    "{} days at {} a day = {price}.",
                    fmt_days(self.contract.days_commissioned),
                    fmt_pence(self.contract.day_rate_pence)
                ),
            ),
            (
                "Who pays whom",
                format!(
                    "{} (the commissioner) pays {} the price of {price}, invoiced as days are delivered on 28-day terms. {} keeps its brokerage of {} ({brokerage}) and pays {} {to_provider} for releasing {}.",
                    esc(&self.commissioner()),
                    esc(&self.alliance),
                    esc(&self.alliance),
                    fmt_percent_bp(self.settings.brokerage_bp),
                    esc(&self.provider()),
                    esc(&self.leader.name)
                ),
            ),
            (
                "Cancellation and change of circumstances",
                "Either school may end the support with 20 school days' notice in writing to the alliance; days delivered to that point are paid for. A visit cancelled with less than two school days' notice is charged. If the system leader cannot continue, the alliance offers a replacement of the same standing or returns the undelivered days. A change of headteacher, an inspection, or the school joining or leaving a trust is a change of circumstances: the parties review this agreement within 20 school days, and any change to the days, dates, price or success criteria is a variation that all parties sign again.".to_string(),
            ),
            (
                "Confidentiality and data sharing",
                "The parties keep confidential what they learn about pupils, staff and the school through this work. Pupil data is shared only as the work needs, anonymised where it can be, under the school's data protection policy and UK GDPR; the system leader's notes of visit are shared with the school's headteacher and the alliance's coordinator, and summaries of progress (not notes about named staff) go to the partnership board.".to_string(),
            ),
            (
                "Safeguarding assurance",
                format!(
                    "{} confirms in writing to the supported school, before the first visit, that {} holds an enhanced DBS check with a barred-list check, has had safeguarding training within the last two years, and is suitable to work with children; the supported school records this on its single central record. On every visit the system leader follows the supported school's safeguarding procedures and reports any concern to its designated safeguarding lead the same day.",
                    esc(&self.provider()),
                    esc(&self.leader.name)
                ),
            ),
        ]
    }

    fn signatories(&self) -> Vec<(Party, String, String)> {
        let signed = |p: Party| {
            self.status.history.last().and_then(|(a, s)| {
                (a.version == self.version()).then(|| s.iter().find(|x| x.party == p).cloned()).flatten()
            })
        };
        [
            (Party::School, format!("for the supported school, {}", self.school.name)),
            (Party::Provider, format!("for the provider, {}", self.provider())),
            (Party::Commissioner, format!("for the commissioner, {}", self.commissioner())),
        ]
        .into_iter()
        .map(|(p, who)| {
            let done =
                signed(p).map_or(String::new(), |s| format!("Signed by {} on {}", s.signed_by, fmt_date(s.signed_on)));
            (p, who, done)
        })
        .collect()
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| {
        if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
    })
}

fn value_on(v: Option<f64>, on: Option<NaiveDate>, word: &str) -> String {
    match (v, on) {
        (None, None) => "—".to_string(),
        (Some(v), None) => num(Some(v)),
        (None, Some(d)) => format!("{word} {}", fmt_date(d)),
        (Some(v), Some(d)) => format!("{} {word} {}", num(Some(v)), fmt_date(d)),
    }
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{font:11pt/1.45 Georgia,"Times New Roman",serif;color:#111;max-width:760px;margin:0 auto;padding:24px;background:#fff;overflow-wrap:anywhere;word-break:break-word}
h1{font-size:20pt;margin:0 0 2px}
h2{font-size:13pt;margin:18px 0 6px;border-bottom:1px solid #111}
.sub{color:#444;margin:0 0 10px}
.typed{white-space:pre-wrap}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:4px 0 8px}
th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}
th{background:#eee}
dl{margin:0}
dt{font-weight:bold;margin-top:6px}
dd{margin:0 0 0 0}
.sig{border:1px solid #111;padding:8px 10px;margin:8px 0;break-inside:avoid;page-break-inside:avoid}
.line{border-bottom:1px solid #111;height:26px;margin:6px 0 2px}
.small{font-size:9pt;color:#444}
@media print{
 @page{size:A4;margin:18mm 16mm}
 body{padding:0;max-width:none}
 h2{break-after:avoid;page-break-after:avoid}
 tr,.sig,dd{break-inside:avoid;page-break-inside:avoid}
 thead{display:table-header-group}
}
"#;

/// The agreement as one printable HTML file.
pub fn html(d: &AgreementDoc) -> String {
    let c = &d.contract;
    let mut o = String::new();
    let mut p = |s: String| {
        o.push_str(&s);
        o.push('\n');
    };
    p("<!DOCTYPE html>".into());
    p(format!(
        "<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Support agreement — {} — contract #{}</title><style>{CSS}</style></head><body>",
        h(&d.school.name),
        c.id
    ));
    p(format!(
        "<h1>Support agreement</h1><p class=\"sub\">{} · contract #{} · version {} · produced {}</p>",
        h(&d.alliance),
        c.id,
        d.version(),
        fmt_date(d.today)
    ));
    if d.status.variation_awaiting {
        p(format!("<p><strong>Variation awaiting sign-off</strong>: {}.</p>", h(&d.status.changes.join("; "))));
    }
    p("<h2>1. Parties and contacts</h2><table><thead><tr><th style=\"width:28%\">Party</th><th>Name</th><th>Contact</th></tr></thead><tbody>".into());
    let urn = d.school.urn.map_or(String::new(), |u| format!(" (URN {u})"));
    p(format!(
        "<tr><td>Supported school</td><td>{}{}</td><td>Headteacher: {}</td></tr>",
        h(&d.school.name),
        urn,
        h(&d.school.headteacher)
    ));
    p(format!(
        "<tr><td>System leader</td><td>{} ({})</td><td>{} {}</td></tr>",
        h(&d.leader.name),
        d.leader.designation.as_str(),
        h(&d.leader.email),
        h(&d.leader.phone)
    ));
    p(format!(
        "<tr><td>Provider (leader's home school)</td><td>{}</td><td>{}</td></tr>",
        h(&d.provider()),
        d.home.as_ref().map_or(String::new(), |s| format!("Headteacher: {}", h(&s.headteacher)))
    ));
    p(format!("<tr><td>Commissioner (who pays)</td><td>{}</td><td></td></tr>", h(&d.commissioner())));
    p(format!("<tr><td>Broker</td><td>{}</td><td></td></tr></tbody></table>", h(&d.alliance)));
    p(format!("<h2>2. Focus and aims</h2><p><strong>Focus:</strong> <span class=\"typed\">{}</span></p>", h(&c.focus)));
    p(format!("<p><strong>Aims:</strong></p><p class=\"typed\">{}</p>", h(c.aims.trim())));
    p("<h2>3. Success criteria</h2><p class=\"small\">How the work will be judged. Each criterion is rated at every progress review: green — on track to be met by the end date; amber — at risk: needs a change of approach; red — off track: unlikely without further action.</p>".into());
    if d.criteria.is_empty() {
        p("<p>No success criteria are recorded yet.</p>".into());
    } else {
        p("<table><thead><tr><th style=\"width:5%\">#</th><th>Criterion</th><th style=\"width:15%\">Measure</th><th style=\"width:16%\">Baseline</th><th style=\"width:16%\">Target</th></tr></thead><tbody>".into());
        for (i, k) in d.criteria.iter().enumerate() {
            p(format!(
                "<tr><td>{}</td><td class=\"typed\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                i + 1,
                h(&k.text),
                h(&k.measure),
                h(&value_on(k.baseline, k.baseline_on, "on")),
                h(&value_on(k.target, k.target_by, "by"))
            ));
        }
        p("</tbody></table>".into());
    }
    p("<h2>4. Days, dates and review points</h2>".into());
    p(format!(
        "<p>{} days commissioned, from {} to {}.</p>",
        fmt_days(c.days_commissioned),
        fmt_date(c.start_on),
        fmt_date(c.end_on)
    ));
    let points: Vec<String> = d.review_points().into_iter().map(fmt_date).collect();
    p(format!("<p>Progress reviews: {} (the last is the final review).</p>", points.join(", ")));
    for (i, (title, text)) in d.terms(&|s| h(s)).into_iter().enumerate() {
        p(format!("<h2>{}. {}</h2><p>{}</p>", i + 5, title, text));
    }
    p("<h2>10. Signatures</h2>".into());
    p(format!("<p class=\"small\">Signing version {} of this agreement confirms the terms above.</p>", d.version()));
    for (_, who, done) in d.signatories() {
        p(format!(
            "<div class=\"sig\"><strong>Signed {}</strong><div class=\"line\"></div><div class=\"small\">Signature</div><div class=\"line\"></div><div class=\"small\">Name and role</div><div class=\"line\"></div><div class=\"small\">Date</div>{}</div>",
            h(&who),
            if done.is_empty() { String::new() } else { format!("<p>{}</p>", h(&done)) }
        ));
    }
    p("</body></html>".into());
    o
}

/// The agreement as Markdown.
pub fn markdown(d: &AgreementDoc) -> String {
    let c = &d.contract;
    let mut o = String::new();
    let mut p = |s: String| {
        o.push_str(&s);
        o.push('\n');
    };
    p("# Support agreement".into());
    p(String::new());
    p(format!("{} · contract #{} · version {} · produced {}", md(&d.alliance), c.id, d.version(), fmt_date(d.today)));
    p(String::new());
    if d.status.variation_awaiting {
        p(format!("**Variation awaiting sign-off**: {}.", md(&d.status.changes.join("; "))));
        p(String::new());
    }
    p("## 1. Parties and contacts".into());
    p(String::new());
    p(format!("- Supported school: {} — headteacher {}", md(&d.school.name), md(&d.school.headteacher)));
    p(format!(
        "- System leader: {} ({}) — {} {}",
        md(&d.leader.name),
        d.leader.designation.as_str(),
        md(&d.leader.email),
        md(&d.leader.phone)
    ));
    p(format!("- Provider (leader's home school): {}", md(&d.provider())));
    p(format!("- Commissioner (who pays): {}", md(&d.commissioner())));
    p(format!("- Broker: {}", md(&d.alliance)));
    p(String::new());
    p("## 2. Focus and aims".into());
    p(String::new());
    p(format!("Focus: {}", md(&c.focus)));
    p(String::new());
    p(format!("Aims: {}", md(&c.aims)));
    p(String::new());
    p("## 3. Success criteria".into());
    p(String::new());
    p("| # | Criterion | Measure | Baseline | Target |".into());
    p("|---|---|---|---|---|".into());
    for (i, k) in d.criteria.iter().enumerate() {
        p(format!(
            "| {} | {} | {} | {} | {} |",
            i + 1,
            md(&k.text),
            md(&k.measure),
            md(&value_on(k.baseline, k.baseline_on, "on")),
            md(&value_on(k.target, k.target_by, "by"))
        ));
    }
    p(String::new());
    p("## 4. Days, dates and review points".into());
    p(String::new());
    p(format!(
        "{} days commissioned, from {} to {}. Progress reviews: {}.",
        fmt_days(c.days_commissioned),
        fmt_date(c.start_on),
        fmt_date(c.end_on),
        d.review_points().into_iter().map(fmt_date).collect::<Vec<_>>().join(", ")
    ));
    for (i, (title, text)) in d.terms(&|s| md(s)).into_iter().enumerate() {
        p(String::new());
        p(format!("## {}. {}", i + 5, title));
        p(String::new());
        p(text);
    }
    p(String::new());
    p("## 10. Signatures".into());
    for (_, who, done) in d.signatories() {
        p(String::new());
        p(format!("Signed {}", md(&who)));
        p(String::new());
        p("Signature: ______________________  Name and role: ______________________  Date: __________".into());
        if !done.is_empty() {
            p(String::new());
            p(md(&done));
        }
    }
    o
}
