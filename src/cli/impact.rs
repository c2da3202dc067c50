//! `alliance criterion …`, `alliance contract close|sign|agreement`, `alliance impact` and
//! `alliance export agreement`: the command-line twins of the impact forms, with the same
//! validation (the store's).

use super::{ExportCommand, Failure};
use crate::domain::impact::academic_year;
use crate::domain::money::{fmt_days, fmt_pence};
use crate::domain::{
    AcademicYear, CloseKind, Closeout, Contract, Criterion, Outcome, Party, Rag, Review, Stamp, fmt_date, parse_date,
    rag_descriptor,
};
use crate::export::agreement::{self, AgreementDoc};
use crate::store::{CriterionOutcome, Store, exit};
use chrono::NaiveDate;
use clap::Subcommand;
use std::io::Write;

/// `alliance criterion …`.
#[derive(Debug, Subcommand)]
pub enum CriterionCommand {
    /// A contract's criteria, numbered as `edit`, `rate` and `contract close` take them.
    List {
        /// The contract's id.
        #[arg(long)]
        contract: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a criterion to a contract.
    Add {
        /// The contract's id.
        #[arg(long)]
        contract: i64,
        /// The criterion, as agreed ("Y1 phonics check pass rate from 57% to 70%").
        text: String,
        /// Measure, baseline and target.
        #[command(flatten)]
        values: Values,
    },
    /// Change a criterion: its wording, measure, baseline, target or actual.
    Edit {
        /// The contract's id.
        #[arg(long)]
        contract: i64,
        /// The criterion's number in `criterion list`.
        n: usize,
        /// New wording.
        #[arg(long)]
        text: Option<String>,
        /// Measure, baseline and target.
        #[command(flatten)]
        values: Values,
        /// The actual reached (a number; `none` clears it).
        #[arg(long, allow_negative_numbers = true)]
        actual: Option<String>,
        /// When the actual was measured (default: today).
        #[arg(long, allow_negative_numbers = true)]
        actual_on: Option<String>,
    },
    /// Rate criteria at the contract's latest review (or --review ID): `1=green 2=amber`.
    /// green: on track to be met by the end date; amber: at risk: needs a change of approach;
    /// red: off track: unlikely without further action.
    Rate {
        /// The contract's id.
        #[arg(long)]
        contract: i64,
        /// The review (default: the contract's latest).
        #[arg(long)]
        review: Option<i64>,
        /// `N=green|amber|red` for each criterion rated.
        #[arg(required = true, num_args = 1.., value_name = "N=RAG")]
        ratings: Vec<String>,
    },
}

/// A criterion's measure, baseline and target, as typed.
#[derive(Debug, clap::Args)]
pub struct Values {
    /// The measure it names: a published code (PTRWM_EXP) or a local one ("% Y1 phonics check").
    #[arg(long)]
    measure: Option<String>,
    /// The baseline value (a number; `none` clears it).
    #[arg(long, allow_negative_numbers = true)]
    baseline: Option<String>,
    /// When the baseline was taken.
    #[arg(long, allow_negative_numbers = true)]
    baseline_on: Option<String>,
    /// The target value (a number; `none` clears it).
    #[arg(long, allow_negative_numbers = true)]
    target: Option<String>,
    /// When the target should be reached.
    #[arg(long, allow_negative_numbers = true)]
    target_by: Option<String>,
}

/// `alliance contract …`.
#[derive(Debug, Subcommand)]
pub enum ContractCommand {
    /// Close a contract with its close-out (completed, or --terminate with a --reason).
    Close {
        /// The contract's id.
        id: i64,
        /// The overall outcome: met, partly_met or not_met (required).
        #[arg(long)]
        outcome: Option<String>,
        /// A criterion's outcome, `N=met|partly_met|not_met` (N as in `criterion list`).
        #[arg(long = "criterion", value_name = "N=OUTCOME")]
        criteria: Vec<String>,
        /// A criterion's actual, `N=VALUE`, dated the close-out's date.
        #[arg(long = "actual", value_name = "N=VALUE", allow_negative_numbers = true)]
        actuals: Vec<String>,
        /// The contract ended early: terminated, not completed (needs --reason).
        #[arg(long)]
        terminate: bool,
        /// Why it ended early.
        #[arg(long, default_value = "")]
        reason: String,
        /// The close-out date (default: today).
        #[arg(long, default_value = "today", allow_negative_numbers = true)]
        on: String,
        /// What the school will sustain.
        #[arg(long, default_value = "")]
        sustain: String,
        /// The school's feedback score, 1 to 5.
        #[arg(long)]
        score: Option<String>,
        /// The school's feedback comment.
        #[arg(long, default_value = "")]
        feedback: String,
        /// Lessons for the board.
        #[arg(long, default_value = "")]
        lessons: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record a party's signature on the contract's agreement as it stands.
    Sign {
        /// The contract's id.
        id: i64,
        /// school, provider (the leader's home school) or commissioner.
        #[arg(long)]
        party: String,
        /// When they signed.
        #[arg(long, allow_negative_numbers = true)]
        on: String,
        /// Who signed.
        #[arg(long)]
        by: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The agreement's versions and who signed which.
    Agreement {
        /// The contract's id.
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn json_out(v: &serde_json::Value) {
    let text = serde_json::to_string_pretty(v).unwrap_or_default();
    outln!("{}", super::json_for_terminal(&text));
}

fn date_arg(flag: &str, input: &str, today: NaiveDate) -> Result<NaiveDate, Failure> {
    parse_date(input, today).map_err(|e| Failure::invalid(format!("{flag}: {e}")))
}

fn number_arg(flag: &str, input: &str) -> Result<Option<f64>, Failure> {
    let t = input.trim().trim_end_matches('%').trim();
    if t.eq_ignore_ascii_case("none") || t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite()).map(Some).ok_or_else(|| {
        let shown: String = input.chars().filter(|c| !c.is_control()).take(20).collect();
        Failure::invalid(format!("{flag} `{shown}` is not a number (e.g. 63 or 63%; `none` clears it)"))
    })
}

/// `N=VALUE` → (N, VALUE).
fn numbered<'a>(flag: &str, item: &'a str, count: usize) -> Result<(usize, &'a str), Failure> {
    let (n, v) = item.split_once('=').ok_or_else(|| {
        Failure::invalid(format!("{flag} takes N=VALUE, e.g. 1=met (got `{}`)", super::printable(item)))
    })?;
    let n: usize = n.trim().parse().ok().filter(|n| (1..=count).contains(n)).ok_or_else(|| {
        Failure::invalid(format!("{flag}: `{}` is not a criterion number (1 to {count})", super::printable(n.trim())))
    })?;
    Ok((n, v.trim()))
}

fn contract_of(store: &Store, id: i64) -> Result<Contract, Failure> {
    store.find::<Contract>(id)?.ok_or_else(|| Failure::invalid(format!("there is no contract #{id}")))
}

fn apply_values(k: &mut Criterion, v: &Values, today: NaiveDate) -> Result<(), Failure> {
    if let Some(m) = &v.measure {
        k.measure = m.trim().to_string();
    }
    if let Some(b) = &v.baseline {
        k.baseline = number_arg("--baseline", b)?;
    }
    if let Some(d) = &v.baseline_on {
        k.baseline_on = Some(date_arg("--baseline-on", d, today)?);
    }
    if let Some(t) = &v.target {
        k.target = number_arg("--target", t)?;
    }
    if let Some(d) = &v.target_by {
        k.target_by = Some(date_arg("--target-by", d, today)?);
    }
    Ok(())
}

fn shown(v: Option<f64>, on: Option<NaiveDate>, word: &str) -> String {
    match (v, on) {
        (Some(v), Some(d)) => format!("{v} {word} {}", fmt_date(d)),
        (Some(v), None) => v.to_string(),
        (None, Some(d)) => format!("{word} {}", fmt_date(d)),
        (None, None) => "—".into(),
    }
}

/// Runs `criterion …`.
pub fn criterion(store: &mut Store, today: NaiveDate, cmd: &CriterionCommand) -> Result<(), Failure> {
    match cmd {
        CriterionCommand::List { contract, json } => {
            let c = contract_of(store, *contract)?;
            let list = store.criteria(c.id)?;
            let latest = store.latest_ratings(c.id)?;
            let rating = |id: i64| latest.iter().find(|(k, _, _)| *k == id).map(|(_, r, on)| (*r, *on));
            if *json {
                let rows: Vec<_> = list
                    .iter()
                    .enumerate()
                    .map(|(i, k)| {
                        let r = rating(k.id);
                        serde_json::json!({
                            "n": i + 1, "id": k.id, "text": k.text, "measure": k.measure,
                            "baseline": k.baseline, "baseline_on": k.baseline_on,
                            "target": k.target, "target_by": k.target_by,
                            "actual": k.actual, "actual_on": k.actual_on, "actual_source": k.actual_source,
                            "outcome": k.outcome.as_str(),
                            "latest_rating": r.map(|(r, _)| r.as_str()),
                            "rated_on": r.map(|(_, on)| on),
                        })
                    })
                    .collect();
                json_out(&serde_json::json!({ "contract": c.id, "criteria": rows }));
                return Ok(());
            }
            if list.is_empty() {
                outln!(
                    "contract #{} has no success criteria — add one with `alliance criterion add --contract {} TEXT`",
                    c.id,
                    c.id
                );
                return Ok(());
            }
            for (i, k) in list.iter().enumerate() {
                outln!("{}. {}", i + 1, super::printable(&k.text));
                let mut facts = vec![format!("outcome {}", k.outcome.label())];
                if !k.measure.is_empty() {
                    facts.push(format!("measure {}", super::printable(&k.measure)));
                }
                facts.push(format!("baseline {}", shown(k.baseline, k.baseline_on, "on")));
                facts.push(format!("target {}", shown(k.target, k.target_by, "by")));
                if k.actual.is_some() {
                    facts.push(format!("actual {} ({})", shown(k.actual, k.actual_on, "on"), k.actual_source));
                }
                if let Some((r, on)) = rating(k.id) {
                    facts.push(format!("rated {} on {} ({})", r.as_str(), fmt_date(on), rag_descriptor(r)));
                }
                outln!("   {}", facts.join(" · "));
            }
            Ok(())
        }
        CriterionCommand::Add { contract, text, values } => {
            let c = contract_of(store, *contract)?;
            let mut k = Criterion::new(c.id, text);
            apply_values(&mut k, values, today)?;
            let id = store.save_criterion(&k)?;
            let n = store.criteria(c.id)?.iter().position(|x| x.id == id).map_or(0, |p| p + 1);
            outln!("added criterion {n} to contract #{}", c.id);
            Ok(())
        }
        CriterionCommand::Edit { contract, n, text, values, actual, actual_on } => {
            let c = contract_of(store, *contract)?;
            let list = store.criteria(c.id)?;
            let mut k = list.get(n.wrapping_sub(1)).cloned().ok_or_else(|| {
                Failure::invalid(format!("contract #{} has no criterion {n} (it has {})", c.id, list.len()))
            })?;
            if let Some(t) = text {
                k.text = t.clone();
            }
            apply_values(&mut k, values, today)?;
            if let Some(a) = actual {
                k.actual = number_arg("--actual", a)?;
                k.actual_on = match (k.actual, actual_on) {
                    (None, _) => None,
                    (Some(_), Some(d)) => Some(date_arg("--actual-on", d, today)?),
                    (Some(_), None) => Some(today),
                };
            } else if let Some(d) = actual_on {
                k.actual_on = Some(date_arg("--actual-on", d, today)?);
            }
            store.save_criterion(&k)?;
            outln!("saved criterion {n} of contract #{}", c.id);
            Ok(())
        }
        CriterionCommand::Rate { contract, review, ratings } => {
            let c = contract_of(store, *contract)?;
            let list = store.criteria(c.id)?;
            let review_id = match review {
                Some(r) => {
                    let rv: Review =
                        store.find(*r)?.ok_or_else(|| Failure::invalid(format!("there is no review #{r}")))?;
                    if rv.contract_id != c.id {
                        return Err(Failure::invalid(format!(
                            "review #{r} is of contract #{}, not #{}",
                            rv.contract_id, c.id
                        )));
                    }
                    rv.id
                }
                None => latest_review(store, c.id)?.ok_or_else(|| {
                    Failure::invalid(format!(
                        "contract #{} has no progress review yet — record one first, then rate its criteria",
                        c.id
                    ))
                })?,
            };
            let mut out = Vec::new();
            for item in ratings {
                let (n, v) = numbered("rating", item, list.len())?;
                let rag = Rag::parse(v).ok_or_else(|| {
                    Failure::invalid(format!("rating {n}: `{}` is not green, amber or red", super::printable(v)))
                })?;
                out.push((list[n - 1].id, rag));
            }
            store.rate_criteria(review_id, &out)?;
            outln!("rated {} criteri{} at review #{review_id}", out.len(), if out.len() == 1 { "on" } else { "a" });
            Ok(())
        }
    }
}

fn latest_review(store: &Store, contract_id: i64) -> Result<Option<i64>, Failure> {
    let reviews: Vec<Review> = store.reviews_for(contract_id)?;
    Ok(reviews.into_iter().max_by_key(|r| (r.reviewed_on, r.id)).map(|r| r.id))
}

/// Runs `contract …`.
pub fn contract(store: &mut Store, today: NaiveDate, cmd: &ContractCommand) -> Result<(), Failure> {
    match cmd {
        ContractCommand::Close {
            id,
            outcome,
            criteria,
            actuals,
            terminate,
            reason,
            on,
            sustain,
            score,
            feedback,
            lessons,
            json,
        } => {
            let Some(outcome) = outcome else {
                return Err(Failure::invalid(
                    "give the overall outcome: --outcome met, partly_met or not_met — a contract closes with its outcome",
                ));
            };
            let outcome = Outcome::parse(outcome).filter(|o| *o != Outcome::Open).ok_or_else(|| {
                Failure::invalid(format!("--outcome `{}` is not met, partly_met or not_met", super::printable(outcome)))
            })?;
            let c = contract_of(store, *id)?;
            let closed_on = date_arg("--on", on, today)?;
            let list = store.criteria(c.id)?;
            let mut outcomes: Vec<CriterionOutcome> = Vec::new();
            for item in criteria {
                let (n, v) = numbered("--criterion", item, list.len())?;
                let o = Outcome::parse(v).filter(|o| *o != Outcome::Open).ok_or_else(|| {
                    Failure::invalid(format!(
                        "--criterion {n}: `{}` is not met, partly_met or not_met",
                        super::printable(v)
                    ))
                })?;
                outcomes.push(CriterionOutcome { criterion_id: list[n - 1].id, outcome: o, actual: None });
            }
            for item in actuals {
                let (n, v) = numbered("--actual", item, list.len())?;
                let value = number_arg("--actual", v)?
                    .ok_or_else(|| Failure::invalid(format!("--actual {n}: give the value reached")))?;
                let k = &list[n - 1];
                match outcomes.iter_mut().find(|o| o.criterion_id == k.id) {
                    Some(o) => o.actual = Some((value, closed_on)),
                    None => {
                        return Err(Failure::invalid(format!(
                            "--actual {n}: give criterion {n}'s outcome too (--criterion {n}=met|partly_met|not_met)"
                        )));
                    }
                }
            }
            let score =
                match score {
                    None => None,
                    Some(s) => {
                        Some(s.trim().parse::<i64>().ok().filter(|v| (1..=5).contains(v)).ok_or_else(|| {
                            Failure::invalid(format!("--score `{}` is not 1 to 5", super::printable(s)))
                        })?)
                    }
                };
            let close = Closeout {
                id: 0,
                contract_id: c.id,
                kind: if *terminate { CloseKind::Terminated } else { CloseKind::Completed },
                closed_on,
                outcome,
                sustain: sustain.clone(),
                school_feedback_score: score,
                school_feedback: feedback.clone(),
                lessons: lessons.clone(),
                reason: reason.clone(),
                stamp: Stamp::default(),
            };
            let done = store.close_contract(&close, &outcomes, today)?;
            if *json {
                json_out(&serde_json::json!({
                    "contract": c.id, "status": close.kind.as_str(), "outcome": outcome.as_str(),
                    "closeout_id": done.closeout_id,
                    "warnings": done.warnings.iter().map(|w| &w.message).collect::<Vec<_>>(),
                }));
            } else {
                outln!("contract #{} {} on {}: {}", c.id, close.kind.as_str(), fmt_date(closed_on), outcome.label());
                for w in &done.warnings {
                    outln!("warning: {}", w.message);
                }
            }
            Ok(())
        }
        ContractCommand::Sign { id, party, on, by, json } => {
            let party = Party::parse(party).ok_or_else(|| {
                Failure::invalid(format!(
                    "--party `{}` is not school, provider or commissioner",
                    super::printable(party)
                ))
            })?;
            let c = contract_of(store, *id)?;
            let signed_on = date_arg("--on", on, today)?;
            let s = store.sign(c.id, party, signed_on, by, today)?;
            if *json {
                json_out(&serde_json::json!({
                    "contract": c.id, "version": s.version, "party": party.as_str(), "activated": s.activated,
                    "awaiting": s.awaiting.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                }));
            } else {
                outln!("the {} signed version {} of contract #{}'s agreement", party.as_str(), s.version, c.id);
                if s.activated {
                    outln!("signed by the school and the provider: contract #{} is now active", c.id);
                } else if !s.awaiting.is_empty() {
                    let who: Vec<_> = s.awaiting.iter().map(|p| p.as_str()).collect();
                    outln!("awaiting: {}", who.join(", "));
                }
            }
            Ok(())
        }
        ContractCommand::Agreement { id, json } => {
            let c = contract_of(store, *id)?;
            let st = store.agreement_status(c.id)?;
            if *json {
                let versions: Vec<_> = st
                    .history
                    .iter()
                    .map(|(a, s)| {
                        serde_json::json!({
                            "version": a.version, "created_on": a.created_on,
                            "terms": serde_json::from_str::<serde_json::Value>(&a.terms).unwrap_or_default(),
                            "signed": s.iter().map(|x| serde_json::json!({
                                "party": x.party.as_str(), "signed_on": x.signed_on, "signed_by": x.signed_by,
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                json_out(&serde_json::json!({
                    "contract": c.id, "status": c.status.as_str(), "version": st.version,
                    "awaiting": st.awaiting.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                    "variation_awaiting_signoff": st.variation_awaiting, "changes": st.changes,
                    "versions": versions,
                }));
                return Ok(());
            }
            if st.history.is_empty() {
                outln!(
                    "contract #{} ({}): no agreement signed yet — `alliance export agreement --contract {} --out FILE` prints it to sign",
                    c.id,
                    c.status.as_str(),
                    c.id
                );
                return Ok(());
            }
            let mark = if st.variation_awaiting { " — variation awaiting sign-off" } else { "" };
            outln!("contract #{} ({}{mark})", c.id, c.status.as_str());
            for (a, s) in &st.history {
                outln!("version {} drawn up {}", a.version, fmt_date(a.created_on));
                if s.is_empty() {
                    outln!("   not signed");
                }
                for x in s {
                    outln!(
                        "   {} signed {} by {}",
                        x.party.as_str(),
                        fmt_date(x.signed_on),
                        super::printable(&x.signed_by)
                    );
                }
            }
            if !st.changes.is_empty() {
                outln!("changed since last signed: {}", st.changes.join("; "));
            }
            if !st.awaiting.is_empty() {
                let who: Vec<_> = st.awaiting.iter().map(|p| p.as_str()).collect();
                outln!("awaiting: {}", who.join(", "));
            }
            Ok(())
        }
    }
}

/// The academic year `--year` names, else the one containing `today`.
pub fn year_arg(store: &Store, today: NaiveDate, year: Option<&str>) -> Result<AcademicYear, Failure> {
    let month = store.settings()?.year_start_month;
    match year {
        None => Ok(AcademicYear::containing(today, month)),
        Some(y) => academic_year(y, month).ok_or_else(|| {
            Failure::invalid(format!("--year `{}` is not an academic year — e.g. 2025/26", super::printable(y)))
        }),
    }
}

/// Runs `impact`.
pub fn impact(store: &Store, today: NaiveDate, year: Option<&str>, json: bool) -> Result<(), Failure> {
    let year = year_arg(store, today, year)?;
    let i = crate::metrics::impact::impact(&store.impact_inputs(year)?);
    if json {
        json_out(&serde_json::to_value(&i).unwrap_or_default());
        return Ok(());
    }
    let c = &i.contracts;
    let k = &i.criteria;
    outln!("Impact, academic year {}", year.label());
    outln!(
        "Contracts closed: {} — {} met, {} partly met, {} not met ({} terminated early)",
        c.closed,
        c.met,
        c.partly_met,
        c.not_met,
        c.terminated
    );
    outln!("Criteria: {} met, {} partly met, {} not met, {} open", k.met, k.partly_met, k.not_met, k.open);
    let per = |v: Option<i64>| v.map_or("—".to_string(), fmt_pence);
    outln!(
        "Cost: {} for {} days delivered — {} per school, {} per criterion met",
        fmt_pence(i.cost.total_pence),
        fmt_days(i.cost.delivered_days),
        per(i.cost.per_school_pence),
        per(i.cost.per_criterion_met_pence)
    );
    let s = &i.schools;
    outln!(
        "Schools supported: {} — category better {}, same {}, worse {}; inspected since support began {}",
        s.supported,
        s.category_improved,
        s.category_same,
        s.category_worse,
        s.inspected_since
    );
    for m in &s.measures {
        outln!(
            "   #{} {}: {} → {} ({:+})",
            m.contract_id,
            super::printable(&m.measure),
            m.baseline,
            m.actual,
            m.change
        );
    }
    for (title, groups) in [("By leader", &i.by_leader), ("By focus", &i.by_focus), ("By funding stream", &i.by_stream)]
    {
        if groups.is_empty() {
            continue;
        }
        outln!("{title}:");
        for g in groups {
            outln!(
                "   {:<34} {:>2} closed  {} met / {} partly / {} not  {:>2} criteria met  {}",
                super::printable(&g.name).chars().take(34).collect::<String>(),
                g.contracts,
                g.met,
                g.partly_met,
                g.not_met,
                g.criteria_met,
                fmt_pence(g.cost_pence)
            );
        }
    }
    Ok(())
}

/// Runs `export agreement`.
pub fn export_agreement(store: &Store, today: NaiveDate, cmd: &ExportCommand) -> Result<(), Failure> {
    let ExportCommand::Agreement { contract, format, out, force } = cmd else {
        return Err(Failure::invalid("not an agreement export"));
    };
    let to_stdout = out.as_os_str() == "-";
    let ext = out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let html = match format.as_deref().or(ext.as_deref()) {
        Some("html" | "htm") => true,
        Some("md" | "markdown") => false,
        None if to_stdout => false,
        _ => {
            return Err(Failure {
                code: exit::USAGE,
                message: format!(
                    "choose a format with --format html or md ({} does not end in .html or .md)",
                    out.display()
                ),
            });
        }
    };
    if !to_stdout && !force && out.exists() {
        return Err(Failure::invalid(crate::export::SaveError::Exists(out.clone()).to_string()));
    }
    contract_of(store, *contract)?;
    let doc = AgreementDoc::build(store, *contract, today)?;
    let text = if html { agreement::html(&doc) } else { agreement::markdown(&doc) };
    if to_stdout {
        use std::io::IsTerminal;
        let bytes = super::pack_for_stdout(text.into_bytes(), std::io::stdout().is_terminal());
        let _ = std::io::stdout().lock().write_all(&bytes);
        return Ok(());
    }
    crate::export::save(out, text.as_bytes(), *force)
        .map_err(|e: crate::export::SaveError| Failure { code: e.exit_code(), message: e.to_string() })?;
    outln!(
        "wrote the agreement for contract #{} (version {}, {}) to {}",
        contract,
        doc.version(),
        if html { "html" } else { "md" },
        out.display()
    );
    Ok(())
}
