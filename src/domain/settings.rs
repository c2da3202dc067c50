//! Alliance settings: the values the rules depend on, their defaults, how people write them and
//! which values are accepted. Pure: the store reads and writes them as one `settings` row per key
//! (so other tools can read them with plain SQL); a key that is missing or unreadable falls back to
//! its default rather than failing a screen.

use super::Designation;
use super::money::{fmt_pence, parse_pence};
use serde::Serialize;

/// The settings the rules depend on (DESIGN §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Shown in titles and the board pack.
    pub alliance_name: String,
    /// First month of the academic year (9 = September).
    pub year_start_month: u32,
    /// School days between progress reviews when none is set.
    pub review_interval_days: i64,
    /// How many days ahead "ending soon" looks.
    pub ending_soon_days: i64,
    /// School days without a visit before an active contract is flagged.
    pub no_visit_days: i64,
    /// Default day rates, pence: NLE, LLE, SLE, NLG, Other.
    pub day_rates_pence: [i64; 5],
    /// The alliance's brokerage share, in basis points (1500 = 15%).
    pub brokerage_bp: i64,
    /// Days after which an away copy (a laptop's snapshot) is called old: its header warns,
    /// since the longer it is away the more its edits may conflict.
    pub away_max_age_days: i64,
    /// Whether a contract may become active only once the school and the provider have signed
    /// its agreement (`signoff = required`); `warn` lets it with a warning.
    pub signoff_required: bool,
    /// Published-data triggers (issue 14): what makes a `data_concern` alert.
    pub triggers: Triggers,
}

/// The published-data trigger thresholds (issue 14), each editable as a setting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Triggers {
    /// KS2 RWM expected this many points or more below the LA.
    pub rwm_la_gap: i64,
    /// A results measure (RWM expected, English & maths 4+) down this many points or more over
    /// two years.
    pub results_fall: i64,
    /// Progress 8 below this, in hundredths (−50 = −0.50).
    pub p8_below_hundredths: i64,
    /// Overall or persistent absence this many points or more above England.
    pub absence_gap: i64,
    /// FSM share up this many points or more over two years while results fell.
    pub fsm_rise: i64,
    /// Months since the last inspection after which a good, outstanding, ungraded or report-card
    /// school is overdue (a "requires improvement" school: half of it).
    pub inspection_months: i64,
}

impl Default for Triggers {
    fn default() -> Self {
        Triggers {
            rwm_la_gap: 10,
            results_fall: 15,
            p8_below_hundredths: -50,
            absence_gap: 5,
            fsm_rise: 5,
            inspection_months: 60,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            alliance_name: "Alliance".to_string(),
            year_start_month: 9,
            review_interval_days: 30,
            ending_soon_days: 14,
            no_visit_days: 20,
            day_rates_pence: [55_000, 45_000, 35_000, 40_000, 35_000],
            brokerage_bp: 1500,
            triggers: Triggers::default(),
            away_max_age_days: 14,
            signoff_required: true,
        }
    }
}

fn rate_index(d: Designation) -> usize {
    match d {
        Designation::Nle => 0,
        Designation::Lle => 1,
        Designation::Sle => 2,
        Designation::Nlg => 3,
        Designation::Other => 4,
    }
}

impl Settings {
    /// The default day rate for a designation.
    pub fn day_rate(&self, d: Designation) -> i64 {
        self.day_rates_pence[rate_index(d)]
    }

    /// Takes one stored `key = value` pair; a value out of range (or an unknown key) is
    /// ignored and the default kept, so one bad row written by another tool cannot stop the
    /// app. Returns whether the value was taken.
    pub fn apply(&mut self, key: &str, value: &str) -> bool {
        let num = value.trim().parse::<i64>().ok();
        match (key, num) {
            ("alliance_name", _) => self.alliance_name = value.to_string(),
            ("signoff", _) => match value.trim() {
                "required" => self.signoff_required = true,
                "warn" => self.signoff_required = false,
                _ => return false,
            },
            ("year_start_month", Some(n)) if (1..=12).contains(&n) => self.year_start_month = n as u32,
            ("review_interval_days", Some(n)) if n > 0 => self.review_interval_days = n,
            ("ending_soon_days", Some(n)) if n >= 0 => self.ending_soon_days = n,
            ("no_visit_days", Some(n)) if n > 0 => self.no_visit_days = n,
            ("brokerage_bp", Some(n)) if (0..=10_000).contains(&n) => self.brokerage_bp = n,
            ("trigger_rwm_la_gap", Some(n)) if (1..=100).contains(&n) => self.triggers.rwm_la_gap = n,
            ("trigger_results_fall", Some(n)) if (1..=100).contains(&n) => self.triggers.results_fall = n,
            ("trigger_p8_below", Some(n)) if (-300..=0).contains(&n) => self.triggers.p8_below_hundredths = n,
            ("trigger_absence_gap", Some(n)) if (1..=100).contains(&n) => self.triggers.absence_gap = n,
            ("trigger_fsm_rise", Some(n)) if (1..=100).contains(&n) => self.triggers.fsm_rise = n,
            ("trigger_inspection_months", Some(n)) if (6..=240).contains(&n) => self.triggers.inspection_months = n,
            ("away_max_age_days", Some(n)) if n > 0 => self.away_max_age_days = n,
            (key, Some(n)) if n >= 0 => match key.strip_prefix("day_rate_pence_").and_then(Designation::parse) {
                Some(d) => self.day_rates_pence[rate_index(d)] = n,
                None => return false,
            },
            _ => return false,
        }
        true
    }

    /// The stored text of one key (as in the `settings` table), if it is a known key.
    pub fn get(&self, key: &str) -> Option<String> {
        self.pairs().into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// One key's value as people read it: `£550`, `15%`, `42 days`, `September`.
    pub fn shown(&self, key: &str) -> String {
        let stored = self.get(key).unwrap_or_default();
        let n = stored.parse::<i64>().unwrap_or(0);
        match spec(key).map(|s| s.unit) {
            Some(Unit::Pence) => fmt_pence(n),
            Some(Unit::Percent) => fmt_percent_bp(n),
            Some(Unit::Days) if SCHOOL_DAY_KEYS.contains(&key) => {
                format!("{n} school day{}", if n == 1 { "" } else { "s" })
            }
            Some(Unit::Days) => format!("{n} day{}", if n == 1 { "" } else { "s" }),
            Some(Unit::Points) => format!("{n} point{}", if n == 1 { "" } else { "s" }),
            Some(Unit::Progress) => format!("{:.2}", n as f64 / 100.0),
            Some(Unit::Months) => format!("{n} month{}", if n == 1 { "" } else { "s" }),
            Some(Unit::Month) => {
                super::dates::MONTH_NAMES.get((n as usize).wrapping_sub(1)).map_or(stored.clone(), |m| m.to_string())
            }
            Some(Unit::Text) | None => stored,
        }
    }

    /// Every known key with its stored text, in the order the `settings` table is written.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut v = vec![
            ("alliance_name".to_string(), self.alliance_name.clone()),
            ("year_start_month".to_string(), self.year_start_month.to_string()),
            ("review_interval_days".to_string(), self.review_interval_days.to_string()),
            ("ending_soon_days".to_string(), self.ending_soon_days.to_string()),
            ("no_visit_days".to_string(), self.no_visit_days.to_string()),
            ("brokerage_bp".to_string(), self.brokerage_bp.to_string()),
            ("trigger_rwm_la_gap".to_string(), self.triggers.rwm_la_gap.to_string()),
            ("trigger_results_fall".to_string(), self.triggers.results_fall.to_string()),
            ("trigger_p8_below".to_string(), self.triggers.p8_below_hundredths.to_string()),
            ("trigger_absence_gap".to_string(), self.triggers.absence_gap.to_string()),
            ("trigger_fsm_rise".to_string(), self.triggers.fsm_rise.to_string()),
            ("trigger_inspection_months".to_string(), self.triggers.inspection_months.to_string()),
            ("away_max_age_days".to_string(), self.away_max_age_days.to_string()),
            ("signoff".to_string(), if self.signoff_required { "required" } else { "warn" }.to_string()),
        ];
        for d in Designation::ALL {
            v.push((format!("day_rate_pence_{}", d.as_str()), self.day_rate(*d).to_string()));
        }
        v
    }
}

/// How a setting's value is written by people and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Free text (one line).
    Text,
    /// A month: `9`, `Sep` or `September`; stored 1–12.
    Month,
    /// Whole days; stored as the number.
    Days,
    /// Money in pounds (`£550`, `550.50`); stored in pence.
    Pence,
    /// A percentage (`15%`, `12.5`); stored in basis points.
    Percent,
    /// Percentage points of a published measure (`10`); stored as the whole number.
    Points,
    /// A progress score at or below zero (`-0.5`); stored in hundredths (−50).
    Progress,
    /// Whole months (`60`); stored as the number.
    Months,
}

/// One setting people can change: its stored key, unit and what it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SettingSpec {
    /// The key in the `settings` table (◆: scripts read these).
    pub key: &'static str,
    /// How the value is written.
    pub unit: Unit,
    /// A short label for forms.
    pub label: &'static str,
    /// What it changes, for `alliance settings` and the help.
    pub about: &'static str,
}

const fn spec_of(key: &'static str, unit: Unit, label: &'static str, about: &'static str) -> SettingSpec {
    SettingSpec { key, unit, label, about }
}

/// Every setting, in the order they are listed. Day-rate keys use the designation's stored
/// spelling (`day_rate_pence_NLE`), as the sample and earlier files have them.
pub const SPECS: &[SettingSpec] = &[
    spec_of("alliance_name", Unit::Text, "Alliance name", "shown in titles and the board pack"),
    spec_of("day_rate_pence_NLE", Unit::Pence, "Day rate NLE", "default day rate of a National Leader of Education"),
    spec_of("day_rate_pence_LLE", Unit::Pence, "Day rate LLE", "default day rate of a Local Leader of Education"),
    spec_of("day_rate_pence_SLE", Unit::Pence, "Day rate SLE", "default day rate of a Specialist Leader of Education"),
    spec_of("day_rate_pence_NLG", Unit::Pence, "Day rate NLG", "default day rate of a National Leader of Governance"),
    spec_of("day_rate_pence_Other", Unit::Pence, "Day rate other", "default day rate of other system leaders"),
    spec_of("brokerage_bp", Unit::Percent, "Brokerage", "the alliance's share of each contract's price"),
    spec_of(
        "review_interval_days",
        Unit::Days,
        "Review every",
        "school days between progress reviews when none is set",
    ),
    spec_of("ending_soon_days", Unit::Days, "Ending soon", "days ahead a contract counts as ending soon"),
    spec_of(
        "no_visit_days",
        Unit::Days,
        "No visit for",
        "school days without a visit before an active contract is flagged",
    ),
    spec_of("year_start_month", Unit::Month, "Year starts", "first month of the academic year"),
    spec_of(
        "trigger_rwm_la_gap",
        Unit::Points,
        "RWM below LA by",
        "KS2 RWM expected this many points below the LA raises a data concern",
    ),
    spec_of(
        "trigger_results_fall",
        Unit::Points,
        "Results fall of",
        "RWM expected or English & maths 4+ down this many points over two years raises a data concern",
    ),
    spec_of(
        "trigger_p8_below",
        Unit::Progress,
        "Progress 8 below",
        "a published Progress 8 below this raises a data concern",
    ),
    spec_of(
        "trigger_absence_gap",
        Unit::Points,
        "Absence above Eng.",
        "overall or persistent absence this many points above England raises a data concern",
    ),
    spec_of(
        "trigger_fsm_rise",
        Unit::Points,
        "FSM rise of",
        "FSM share up this many points over two years while results fell raises a data concern",
    ),
    spec_of(
        "trigger_inspection_months",
        Unit::Months,
        "Inspection due after",
        "months after the last inspection a school is overdue one (half for requires improvement)",
    ),
    spec_of(
        "away_max_age_days",
        Unit::Days,
        "Away copy old after",
        "days after which an away copy warns that it is old",
    ),
    spec_of(
        "signoff",
        Unit::Text,
        "Sign-off",
        "required: a contract becomes active only once the school and the provider have signed its agreement; warn: allowed, with a warning",
    ),
];

/// The settings counted in school days (term time, DESIGN §5); the rest of `Unit::Days` are
/// calendar days. Their values were converted once, by the `V_TERMS` migration.
pub const SCHOOL_DAY_KEYS: &[&str] = &["review_interval_days", "no_visit_days"];

/// The highest day rate accepted: a guard against pence typed where pounds were meant.
pub const MAX_DAY_RATE_PENCE: i64 = 500_000;

/// The spec of a stored key.
pub fn spec(key: &str) -> Option<&'static SettingSpec> {
    SPECS.iter().find(|s| s.key == key)
}

/// Finds a setting from what someone typed: the stored key in any case, `-` for `_`, or a
/// short name (`name`, `brokerage`, `rate-nle`, `day-rate-sle`, `review-interval`,
/// `ending-soon`, `no-visit`, `year-start`).
pub fn resolve_key(input: &str) -> Result<&'static SettingSpec, String> {
    let k = input.trim().to_ascii_lowercase().replace('-', "_");
    let direct = SPECS.iter().find(|s| s.key.eq_ignore_ascii_case(&k));
    let short = || -> Option<&'static SettingSpec> {
        let stored = match k.as_str() {
            "name" | "alliance" => "alliance_name",
            "brokerage" | "brokerage_percent" | "brokerage_pct" => "brokerage_bp",
            "review_interval" | "review_every" => "review_interval_days",
            "ending_soon" => "ending_soon_days",
            "no_visit" => "no_visit_days",
            "away_max_age" | "away_age" => "away_max_age_days",
            "year_start" | "year_start_month" => "year_start_month",
            other => {
                let d = other
                    .strip_prefix("day_rate_pence_")
                    .or_else(|| other.strip_prefix("day_rate_"))
                    .or_else(|| other.strip_prefix("rate_"))?;
                return Designation::parse(d).and_then(|d| spec(&format!("day_rate_pence_{}", d.as_str())));
            }
        };
        spec(stored)
    };
    direct.or_else(short).ok_or_else(|| {
        format!(
            "there is no setting called `{}` — settings: {}",
            clean(input),
            SPECS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
        )
    })
}

/// Reads a value as people write it for `spec`, giving the text to store, or a sentence saying
/// what is wrong and how to write it.
pub fn parse_value(spec: &SettingSpec, input: &str) -> Result<String, String> {
    let t = input.trim();
    let shown = clean(t);
    match spec.unit {
        Unit::Text if spec.key == "signoff" => match t.to_ascii_lowercase().as_str() {
            v @ ("required" | "warn") => Ok(v.to_string()),
            _ => Err(format!("{}: `{shown}` is not a choice — give required or warn", spec.label)),
        },
        Unit::Text => {
            if t.is_empty() {
                return Err(format!("{} cannot be blank", spec.label));
            }
            if t.chars().any(char::is_control) {
                return Err(format!("{} must be one line of text", spec.label));
            }
            if t.chars().count() > 120 {
                return Err(format!("{} is too long (120 characters at most)", spec.label));
            }
            Ok(t.to_string())
        }
        Unit::Pence => {
            let p = parse_pence(t).map_err(|e| format!("{}: {e}", spec.label))?;
            if p > MAX_DAY_RATE_PENCE {
                return Err(format!(
                    "{}: {} a day is more than {} — day rates are in pounds, e.g. 550 or £550",
                    spec.label,
                    fmt_pence(p),
                    fmt_pence(MAX_DAY_RATE_PENCE)
                ));
            }
            Ok(p.to_string())
        }
        Unit::Percent => {
            let num = t.trim_end_matches('%').trim();
            // parse_pence would take `7,5` as 75 and `£15` as 15: neither is a percentage.
            if num.contains([',', '£']) {
                return Err(format!(
                    "{}: `{shown}` is not a percentage — e.g. 15% or 12.5 (a point, not a comma)",
                    spec.label
                ));
            }
            let bp = parse_pence(num)
                .map_err(|_| format!("{}: `{shown}` is not a percentage — e.g. 15% or 12.5", spec.label))?;
            if bp > 10_000 {
                return Err(format!("{}: `{shown}` is more than 100%", spec.label));
            }
            Ok(bp.to_string())
        }
        Unit::Days => {
            let n: i64 = t
                .trim_end_matches("days")
                .trim_end_matches("day")
                .trim()
                .trim_end_matches("school")
                .trim()
                .parse()
                .map_err(|_| format!("{}: `{shown}` is not a whole number of days — e.g. 42", spec.label))?;
            let least = if spec.key == "ending_soon_days" { 0 } else { 1 };
            if n < least || n > 3660 {
                return Err(format!("{}: {n} is out of range ({least} to 3660 days)", spec.label));
            }
            Ok(n.to_string())
        }
        Unit::Points | Unit::Months => {
            let word = if spec.unit == Unit::Points { "points" } else { "months" };
            let (least, most) = if spec.unit == Unit::Points { (1, 100) } else { (6, 240) };
            let n: i64 =
                t.trim_end_matches(word).trim_end_matches(&word[..word.len() - 1]).trim().parse().map_err(|_| {
                    format!("{}: `{shown}` is not a whole number of {word} — e.g. {least}0", spec.label)
                })?;
            if !(least..=most).contains(&n) {
                return Err(format!("{}: {n} is out of range ({least} to {most} {word})", spec.label));
            }
            Ok(n.to_string())
        }
        Unit::Progress => {
            let v: f64 = t
                .replace('−', "-")
                .parse()
                .map_err(|_| format!("{}: `{shown}` is not a progress score — e.g. -0.5", spec.label))?;
            if !v.is_finite() || !(-3.0..=0.0).contains(&v) {
                return Err(format!("{}: `{shown}` is out of range (-3.00 to 0)", spec.label));
            }
            Ok(((v * 100.0).round() as i64).to_string())
        }
        Unit::Month => {
            let by_number = t.parse::<usize>().ok().filter(|n| (1..=12).contains(n));
            let by_name = || {
                let l = t.to_ascii_lowercase();
                (l.len() >= 3).then(|| {
                    super::dates::MONTH_NAMES.iter().position(|m| m.to_ascii_lowercase().starts_with(&l)).map(|i| i + 1)
                })?
            };
            by_number
                .or_else(by_name)
                .map(|n| n.to_string())
                .ok_or_else(|| format!("{}: `{shown}` is not a month — e.g. 9 or September", spec.label))
        }
    }
}

/// Typed text as it may appear in a message: one line, no control characters, not too long.
fn clean(input: &str) -> String {
    input.trim().chars().filter(|c| !c.is_control()).take(40).collect()
}

/// A basis-point share as a percentage: `15%`, `12.5%`, `7.25%`.
pub fn fmt_percent_bp(bp: i64) -> String {
    let whole = bp / 100;
    match bp % 100 {
        0 => format!("{whole}%"),
        r if r % 10 == 0 => format!("{whole}.{}%", r / 10),
        r => format!("{whole}.{r:02}%"),
    }
}

/// One change to a setting, made against the value the person saw (so two coordinators
/// changing the same setting at once cannot silently overwrite each other).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingChange {
    /// The stored key.
    pub key: &'static str,
    /// The stored value the change was made against.
    pub expected: String,
    /// The new stored value.
    pub value: String,
}
