//! Add an inspection to a school.

use super::*;

/// The `school` field (its draft key).
pub(super) const SCHOOL: &str = "school";
/// The `inspected_on` field (its draft key).
pub(super) const INSPECTED_ON: &str = "inspected_on";
/// The `framework` field (its draft key).
pub(super) const FRAMEWORK: &str = "framework";
/// The `outcome` field (its draft key).
pub(super) const OUTCOME: &str = "outcome";
/// The `category_of_concern` field (its draft key).
pub(super) const CATEGORY_OF_CONCERN: &str = "category_of_concern";
/// The `kind` field (its draft key).
pub(super) const KIND: &str = "kind";
/// The `grade` field (its draft key).
pub(super) const GRADE: &str = "grade";
/// The `safeguarding_met` field (its draft key).
pub(super) const SAFEGUARDING_MET: &str = "safeguarding_met";
/// The `areas` field (its draft key).
pub(super) const AREAS: &str = "areas";

/// Opens the form.
pub(super) fn open(id: i64, store: &Store, today: NaiveDate) -> Result<Opened, StoreError> {
    let s: School = store.get(id)?;
    let fields = vec![
        Field::text(SCHOOL, "School", &s.name).locked(),
        Field::date(INSPECTED_ON, "Inspected on", Some(today)).suggested(),
        Field::choice(FRAMEWORK, "Framework", &strs(Framework::ALL, Framework::as_str), "report_card"),
        Field::text(OUTCOME, "Outcome (as published)", ""),
        Field::choice(GRADE, "Grade (graded only)", &["none", "1", "2", "3", "4"], "none"),
        // Not assumed: "met" is a judgement the report states.
        Field::choice(SAFEGUARDING_MET, "Safeguarding", &["unknown", "met", "not met"], "unknown"),
        Field::multi(AREAS, "Areas (one per line)", ""),
        // Ofsted's statutory category, if the report places the school in one.
        Field::choice(
            CATEGORY_OF_CONCERN,
            "Category of concern",
            &std::iter::once("none").chain(ConcernCategory::ALL.iter().map(|c| c.as_str())).collect::<Vec<_>>(),
            "none",
        ),
        // A monitoring inspection judges progress, not the school.
        Field::choice(KIND, "Kind", &strs(InspectionKind::ALL, InspectionKind::as_str), "standard"),
    ];
    Ok((format!("Add inspection · {}", s.name), fields, None, 0))
}

/// Checks the fields and saves through the store.
pub(super) fn save(
    school_id: i64,
    r: &mut Reader<'_>,
    store: &mut Store,
    today: NaiveDate,
) -> Result<Option<String>, StoreError> {
    let on = r.date(INSPECTED_ON);
    if r.failed {
        return Ok(None);
    }
    let framework = Framework::parse(chosen(r.form, FRAMEWORK)).unwrap_or(Framework::ReportCard);
    let grade = chosen(r.form, GRADE).parse::<i64>().ok();
    let outcome = match (text(r.form, OUTCOME).trim(), grade) {
        ("", Some(g)) => grade_word(g).to_string(),
        (o, _) => o.to_string(),
    };
    // The outcome rule is the domain's (`validate::inspection`), checked by the store for
    // every front end; its message lands next to the field.
    let i = Inspection {
        id: 0,
        school_id,
        inspected_on: on.unwrap_or(today),
        framework,
        outcome,
        grade,
        safeguarding_met: match chosen(r.form, SAFEGUARDING_MET) {
            "met" => Some(true),
            "not met" => Some(false),
            _ => None,
        },
        areas: text(r.form, AREAS),
        category_of_concern: ConcernCategory::parse(chosen(r.form, CATEGORY_OF_CONCERN)),
        kind: InspectionKind::parse(chosen(r.form, KIND)).unwrap_or(InspectionKind::Standard),
        stamp: Stamp::default(),
    };
    let id = store.add_inspection(&i, today)?;
    Ok(Some(format!("inspection #{id} added")))
}
