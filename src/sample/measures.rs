//! Published data for the sample (issue 14): three years of KS2, KS4, absence and census
//! figures for every school that would have them, with LA and England rows, written so the
//! data triggers have stories to tell:
//!
//! - **sliding**: a category A primary with no contract at all, its RWM expected down from the
//!   mid-60s to below 50 over two years and well under its LA — a high `data_concern` (gap and
//!   fall), so it is a concern and the agenda asks the board to review its category;
//! - **recovering**: a primary whose support has been completed, its RWM climbing back from
//!   under 50 to above the LA — no trigger;
//! - **small cohort**: the smallest primary, its results suppressed (SUPP) every year and its
//!   census shares too — no trigger can fire on it.
//!
//! Every other school sits near its LA, never far enough off to trip a trigger, so the stories
//! stand out. The figures come from their own random stream (the seed with a fixed twist), so
//! adding them changed no other record of the sample.

use super::dice::Dice;
use crate::domain::{Contract, ContractStatus, Measure, Phase, School, Stamp};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Real LA codes of the sample's South West authorities; others get a made-up code from 300.
const LA_CODES: &[(&str, &str)] = &[
    ("Plymouth", "879"),
    ("Torbay", "880"),
    ("Devon", "878"),
    ("Cornwall", "908"),
    ("Somerset", "933"),
    ("Bristol, City of", "801"),
    ("North Somerset", "802"),
    ("Bath and North East Somerset", "800"),
    ("Dorset", "838"),
    ("Wiltshire", "865"),
    ("Gloucestershire", "916"),
    ("Swindon", "866"),
];

/// The schools the stories are told about (indexes into the schools).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stories {
    /// Results sliding for two years, no contract.
    pub sliding: Option<usize>,
    /// Results recovering after completed support.
    pub recovering: Option<usize>,
    /// Small cohort: suppressed.
    pub small: Option<usize>,
}

fn year_label(start: i32) -> String {
    format!("{start}/{:02}", (start + 1) % 100)
}

fn ks2(p: Phase) -> bool {
    matches!(p, Phase::Primary | Phase::Middle | Phase::AllThrough)
}

fn ks4(p: Phase) -> bool {
    matches!(p, Phase::Secondary | Phase::AllThrough)
}

fn schooled(p: Phase) -> bool {
    !matches!(p, Phase::Nursery | Phase::SixteenPlus)
}

/// Picks the story schools: deterministic, from the records alone.
pub(crate) fn stories(schools: &[School], contracts: &[Contract]) -> Stories {
    let with_contract = |id: i64| contracts.iter().any(|c| c.school_id == id);
    let completed = |id: i64| {
        contracts.iter().any(|c| c.school_id == id && c.status == ContractStatus::Completed)
            && !contracts.iter().any(|c| c.school_id == id && c.status.is_live())
    };
    let primary = |s: &&School| s.phase == Phase::Primary;
    let sliding = schools
        .iter()
        .filter(primary)
        .filter(|s| s.category == crate::domain::Category::A && !with_contract(s.id))
        .map(|s| s.id)
        .nth(2);
    let recovering = schools.iter().filter(primary).filter(|s| completed(s.id)).map(|s| s.id).next();
    let small = schools
        .iter()
        .filter(primary)
        .filter(|s| Some(s.id) != sliding && Some(s.id) != recovering)
        .min_by_key(|s| (s.pupils.unwrap_or(i64::MAX), s.id))
        .map(|s| s.id);
    let index = |id: Option<i64>| id.and_then(|id| schools.iter().position(|s| s.id == id));
    Stories { sliding: index(sliding), recovering: index(recovering), small: index(small) }
}

struct Out {
    rows: Vec<Measure>,
}

impl Out {
    #[allow(clippy::too_many_arguments, reason = "one figure's fields, named at each call")]
    fn push(
        &mut self,
        school: Option<&School>,
        area: &str,
        la_code: &str,
        code: &str,
        year: &str,
        v: Option<f64>,
        release: &str,
    ) {
        let (value, status) = match v {
            // As the DfE publishes them: whole percentages and scores for results, one decimal
            // for absence and census shares, two for progress scores.
            Some(v) => {
                let places = match code {
                    "READPROG" | "WRITPROG" | "MATPROG" | "P8MEA" => 100.0,
                    "PERCTOT" | "PPERSABS10" | "PNUMFSMEVER" | "PSENELSE" | "PSENELK" | "PNUMEAL" | "ATT8SCR" => 10.0,
                    _ => 1.0,
                };
                (Some((v * places).round() / places), "ok".to_string())
            }
            None => (None, "SUPP".to_string()),
        };
        self.rows.push(Measure {
            id: self.rows.len() as i64 + 1,
            school_id: school.map(|s| s.id),
            area: area.to_string(),
            measure: code.to_string(),
            year: year.to_string(),
            value,
            status,
            release: release.to_string(),
            source: "sample".to_string(),
            la_code: if school.is_some() { la_code.to_string() } else { String::new() },
            note: String::new(),
            stamp: Stamp::default(),
        });
    }
}

/// England's figures for a measure, by year offset (0 = the latest of the three).
fn england(code: &str, back: i32) -> f64 {
    let b = back as f64;
    match code {
        "PTRWM_EXP" => 62.0 - b,
        "PTRWM_HIGH" => 8.0 - 0.5 * b,
        "READ_AVERAGE" => 105.0,
        "MAT_AVERAGE" => 104.0,
        "READPROG" | "WRITPROG" | "MATPROG" | "P8MEA" => 0.0,
        "ATT8SCR" => 46.0 - 0.3 * b,
        "PTL2BASICS_94" => 65.0 - 0.5 * b,
        "PERCTOT" => 6.9 + 0.4 * b,
        "PPERSABS10" => 19.0 + 1.5 * b,
        "PNUMFSMEVER" => 25.7 - 0.8 * b,
        "PSENELSE" => 2.5 - 0.1 * b,
        "PSENELK" => 13.6 - 0.3 * b,
        "PNUMEAL" => 21.4 - 0.4 * b,
        _ => 0.0,
    }
}

/// How far a school or LA may sit from England on a measure without any trigger firing.
fn spread(code: &str) -> i64 {
    match code {
        "PTRWM_EXP" | "PTL2BASICS_94" => 5,
        "PTRWM_HIGH" | "PNUMFSMEVER" | "PNUMEAL" => 3,
        "ATT8SCR" | "PPERSABS10" => 2,
        "READ_AVERAGE" | "MAT_AVERAGE" | "PSENELK" => 1,
        _ => 0,
    }
}

fn jitter(d: &mut Dice, code: &str) -> f64 {
    match code {
        "READPROG" | "WRITPROG" | "MATPROG" | "P8MEA" => d.range(-25, 45) as f64 / 100.0,
        "PERCTOT" => d.range(-10, 15) as f64 / 10.0,
        "PSENELSE" => d.range(-8, 10) as f64 / 10.0,
        c => d.range(-spread(c), spread(c)) as f64,
    }
}

/// Every figure of the sample: for `today`, the three latest years each family would be
/// published by then (results and census up to the year just ended, absence a year behind).
pub(crate) fn measures(seed: u64, schools: &[School], stories: Stories, today: NaiveDate) -> Vec<Measure> {
    let mut d = Dice::new(seed ^ 0x4d45_4153_5552_4553);
    // The academic year that ended before today's: its results are out (provisional).
    let start = if today.month() >= 9 { today.year() - 1 } else { today.year() - 2 };
    let mut las: BTreeMap<String, String> = BTreeMap::new();
    for s in schools {
        if !las.contains_key(&s.la_name) {
            let code = LA_CODES
                .iter()
                .find(|(n, _)| *n == s.la_name)
                .map_or_else(|| (300 + las.len()).to_string(), |(_, c)| c.to_string());
            las.insert(s.la_name.clone(), code);
        }
    }
    let mut out = Out { rows: Vec::new() };
    let ks2_codes = ["PTRWM_EXP", "PTRWM_HIGH", "READ_AVERAGE", "MAT_AVERAGE"];
    let progress = ["READPROG", "WRITPROG", "MATPROG"];
    let ks4_codes = ["ATT8SCR", "PTL2BASICS_94"];
    let census = ["PNUMFSMEVER", "PSENELSE", "PSENELK", "PNUMEAL"];
    let absence = ["PERCTOT", "PPERSABS10"];
    // (code, year, release, back) for each family.
    let mut plan: Vec<(&str, String, &str, i32, &str)> = Vec::new();
    for back in (0..3).rev() {
        let y = year_label(start - back);
        let release = if back == 0 { "provisional" } else { "final" };
        for c in ks2_codes.iter().chain(&ks4_codes) {
            plan.push((c, y.clone(), release, back, if ks2_codes.contains(c) { "ks2" } else { "ks4" }));
        }
        // KS2 progress and Progress 8: only where the DfE published them.
        for c in progress.iter().chain(&["P8MEA"]) {
            if !crate::domain::measures::not_published(c, &y) {
                plan.push((c, y.clone(), release, back, if *c == "P8MEA" { "ks4" } else { "ks2" }));
            }
        }
        for c in census {
            plan.push((c, y.clone(), "final", back, "all"));
        }
        let ay = year_label(start - 1 - back);
        for c in absence {
            plan.push((c, ay.clone(), "final", back, "all"));
        }
    }
    // LA offsets per measure (small), then LA and England rows.
    let mut la_offset: BTreeMap<(String, &str), f64> = BTreeMap::new();
    for (la, code) in &las {
        for (c, y, release, back, _) in &plan {
            let off = *la_offset.entry((la.clone(), c)).or_insert_with(|| jitter(&mut d, c) / 2.0);
            out.push(None, &format!("la:{code}"), "", c, y, Some(england(c, *back) + off), release);
        }
    }
    for (c, y, release, back, _) in &plan {
        out.push(None, "england", "", c, y, Some(england(c, *back)), release);
    }
    for (i, s) in schools.iter().enumerate() {
        let la = las.get(&s.la_name).cloned().unwrap_or_default();
        let mut base: BTreeMap<&str, f64> = BTreeMap::new();
        for (c, y, release, back, family) in &plan {
            let fits = match *family {
                "ks2" => ks2(s.phase),
                "ks4" => ks4(s.phase),
                _ => schooled(s.phase),
            };
            if !fits {
                continue;
            }
            let la_value = england(c, *back) + la_offset.get(&(s.la_name.clone(), *c)).copied().unwrap_or(0.0);
            let b = *base.entry(c).or_insert_with(|| jitter(&mut d, c));
            let mut v = Some(la_value + b + jitter(&mut d, c) / 3.0);
            if Some(i) == stories.sliding {
                v = match *c {
                    "PTRWM_EXP" => Some(la_value + [-15.0, -5.0, 3.0][*back as usize]),
                    "PTRWM_HIGH" => Some([3.0, 6.0, 9.0][*back as usize]),
                    "PNUMFSMEVER" => Some(la_value + [6.0, 3.0, 1.0][*back as usize]),
                    _ => v,
                };
            } else if Some(i) == stories.recovering {
                v = match *c {
                    "PTRWM_EXP" => Some(la_value + [3.0, -6.0, -14.0][*back as usize]),
                    _ => v,
                };
            } else if Some(i) == stories.small && matches!(*family, "ks2" | "all") && !absence.contains(c) {
                v = None;
            }
            out.push(Some(s), "school", &la, c, y, v, release);
        }
    }
    out.rows
}

/// The sample's soft intelligence: each school's notes as its one dated entry (so `notes`
/// mirrors its newest normal entry, as the store keeps it), the first of them past its review
/// date, and a sensitive entry about the sliding school that packs leave out unless asked.
pub(crate) fn intelligence(schools: &[School], stories: Stories, today: NaiveDate) -> Vec<crate::domain::Intelligence> {
    use crate::domain::Intelligence;
    let mut out = Vec::new();
    let mut first = true;
    for s in schools.iter().filter(|s| !s.notes.trim().is_empty()) {
        let noted_on = today - chrono::Duration::days(20 + (s.id * 37) % 300);
        let review_on = if first { Some(noted_on + chrono::Duration::days(60)).filter(|r| *r < today) } else { None };
        first = false;
        out.push(Intelligence {
            id: out.len() as i64 + 1,
            school_id: s.id,
            noted_on,
            source: "coordinator".into(),
            text: s.notes.clone(),
            sensitivity: "normal".into(),
            review_on,
            redacted: false,
            stamp: Stamp::default(),
        });
    }
    if let Some(s) = stories.sliding.and_then(|i| schools.get(i)) {
        out.push(Intelligence {
            id: out.len() as i64 + 1,
            school_id: s.id,
            noted_on: today - chrono::Duration::days(12),
            source: "chair of governors, by phone".into(),
            text: "Two Year 6 teachers have been off since September; the head asked that this goes no further than the board chair until staff are told.".into(),
            sensitivity: "sensitive".into(),
            review_on: Some(today + chrono::Duration::days(60)),
            redacted: false,
            stamp: Stamp::default(),
        });
    }
    out
}
