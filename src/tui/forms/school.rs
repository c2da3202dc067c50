//! A new school (one GIAS does not list), or an edit of category, soft intelligence and contacts.

use super::*;

/// The `name` field (its draft key).
pub(super) const NAME: &str = "name";
/// The `urn` field (its draft key).
pub(super) const URN: &str = "urn";
/// The `phase` field (its draft key).
pub(super) const PHASE: &str = "phase";
/// The `school_type` field (its draft key).
pub(super) const SCHOOL_TYPE: &str = "school_type";
/// The `la_name` field (its draft key).
pub(super) const LA_NAME: &str = "la_name";
/// The `postcode` field (its draft key).
pub(super) const POSTCODE: &str = "postcode";
/// The `pupils` field (its draft key).
pub(super) const PUPILS: &str = "pupils";
/// The `trust` field (its draft key).
pub(super) const TRUST: &str = "trust";
/// The `headteacher` field (its draft key).
pub(super) const HEADTEACHER: &str = "headteacher";
/// The `member` field (its draft key).
pub(super) const MEMBER: &str = "member";
/// The `category` field (its draft key).
pub(super) const CATEGORY: &str = "category";
/// The `notes` field (its draft key).
pub(super) const NOTES: &str = "notes";

/// Opens the form.
pub(super) fn open_new() -> Result<Opened, StoreError> {
    let fields = vec![
        Field::text(NAME, "Name", ""),
        Field::text(URN, "URN (if it has one)", "").optional(),
        Field::choice(PHASE, "Phase", &strs(Phase::ALL, Phase::as_str), "Primary"),
        Field::text(SCHOOL_TYPE, "Type", "").optional(),
        Field::text(LA_NAME, "Local authority", "").optional(),
        Field::text(POSTCODE, "Postcode", "").optional(),
        Field::text(PUPILS, "Pupils on roll", "").optional(),
        Field::text(TRUST, "Trust", "").optional(),
        Field::text(HEADTEACHER, "Headteacher", "").optional(),
        Field::boolean(MEMBER, "Alliance member", true),
        Field::choice(CATEGORY, "Category", &["A", "B", "C", "D"], "A"),
        Field::multi(NOTES, "Soft intelligence", "").optional(),
    ];
    Ok(("New school".into(), fields, None, 0))
}

/// Opens the form.
pub(super) fn open_edit(id: i64, store: &Store) -> Result<Opened, StoreError> {
    let s: School = store.get(id)?;
    let fields = vec![
        Field::text(NAME, "Name", &s.name).locked(),
        Field::choice(CATEGORY, "Category", &["A", "B", "C", "D"], s.category.as_str()),
        Field::multi(NOTES, "Soft intelligence", &s.notes),
        Field::text(HEADTEACHER, "Headteacher", &s.headteacher).optional(),
        Field::text(TRUST, "Trust", &s.trust).optional(),
        Field::boolean(MEMBER, "Alliance member", s.member),
    ];
    Ok((format!("Edit school · {}", s.name), fields, json(&s), s.stamp.version))
}

/// Checks the fields and saves through the store.
pub(super) fn save_new(r: &mut Reader<'_>, store: &mut Store) -> Result<Option<String>, StoreError> {
    let urn = r.optional_number(URN, "a URN is six digits, e.g. 113525");
    let pupils = r.optional_number(PUPILS, "pupils on roll is a whole number");
    if r.failed {
        return Ok(None);
    }
    let s = School {
        id: 0,
        urn,
        name: text(r.form, NAME).trim().to_string(),
        phase: Phase::parse(chosen(r.form, PHASE)).unwrap_or(Phase::Primary),
        school_type: text(r.form, SCHOOL_TYPE).trim().to_string(),
        la_name: text(r.form, LA_NAME).trim().to_string(),
        postcode: text(r.form, POSTCODE).trim().to_uppercase(),
        pupils,
        trust: text(r.form, TRUST).trim().to_string(),
        headteacher: text(r.form, HEADTEACHER).trim().to_string(),
        member: flag(r.form, MEMBER),
        category: Category::parse(chosen(r.form, CATEGORY)).unwrap_or(Category::A),
        notes: text(r.form, NOTES),
        religious_character: String::new(),
        diocese: String::new(),
        trust_code: String::new(),
        closed_on: None,
        stamp: Stamp::default(),
    };
    let id = store.save_school(&s)?;
    Ok(Some(format!("school #{id} {} added (category {})", s.name, s.category)))
}

/// Checks the fields and saves through the store.
pub(super) fn save_edit(
    id: i64,
    r: &mut Reader<'_>,
    store: &mut Store,
    cx: &SaveCx,
) -> Result<Option<String>, StoreError> {
    let version = cx.version;
    let mut s: School = store.get(id)?;
    s.category = Category::parse(chosen(r.form, CATEGORY)).unwrap_or(s.category);
    s.notes = text(r.form, NOTES);
    s.headteacher = text(r.form, HEADTEACHER).trim().to_string();
    s.trust = text(r.form, TRUST).trim().to_string();
    s.member = flag(r.form, MEMBER);
    s.stamp.version = version;
    store.save_school(&s)?;
    Ok(Some(format!("{} saved (category {})", s.name, s.category)))
}
