//! A new system leader, or an edit.

use super::*;

/// The `name` field (its draft key).
pub(super) const NAME: &str = "name";
/// The `specialisms` field (its draft key).
pub(super) const SPECIALISMS: &str = "specialisms";
/// The `days_per_year` field (its draft key).
pub(super) const DAYS_PER_YEAR: &str = "days_per_year";
/// The `day_rate_pence` field (its draft key).
pub(super) const DAY_RATE_PENCE: &str = "day_rate_pence";
/// The `email` field (its draft key).
pub(super) const EMAIL: &str = "email";
/// The `phone` field (its draft key).
pub(super) const PHONE: &str = "phone";
/// The `active` field (its draft key).
pub(super) const ACTIVE: &str = "active";
/// The `designation` field (its draft key).
pub(super) const DESIGNATION: &str = "designation";
/// The `home_school_id` field (its draft key).
pub(super) const HOME_SCHOOL_ID: &str = "home_school_id";

/// Opens the form.
pub(super) fn open(id: Option<i64>, store: &Store, snap: &Snapshot) -> Result<Opened, StoreError> {
    let l: Option<Leader> = id.map(|i| store.get(i)).transpose()?;
    let fields = vec![
        Field::text(NAME, "Name", l.as_ref().map_or("", |l| &l.name)),
        Field::choice(
            DESIGNATION,
            "Designation",
            &strs(Designation::ALL, Designation::as_str),
            l.as_ref().map_or("SLE", |l| l.designation.as_str()),
        ),
        // Their own school: the conflict-of-interest rule excludes them from it (and
        // from its trust's schools) when the board looks for a leader.
        Field::pick(
            HOME_SCHOOL_ID,
            "Home school",
            school_picker(snap),
            l.as_ref().and_then(|l| l.home_school_id).map(Target::School),
        )
        .optional(),
        Field::text(SPECIALISMS, "Specialisms", l.as_ref().map_or("", |l| &l.specialisms)).optional(),
        Field::days(DAYS_PER_YEAR, "Capacity (days/yr)", l.as_ref().map(|l| l.days_per_year)),
        Field::money(DAY_RATE_PENCE, "Day rate (blank: default)", l.as_ref().map(|l| l.day_rate_pence)).optional(),
        Field::text(EMAIL, "Email", l.as_ref().map_or("", |l| &l.email)).optional(),
        Field::text(PHONE, "Phone", l.as_ref().map_or("", |l| &l.phone)).optional(),
        Field::boolean(ACTIVE, "Active", l.as_ref().is_none_or(|l| l.active)),
    ];
    let title = match &l {
        Some(l) => format!("Edit leader · {}", l.name),
        None => "New system leader".into(),
    };
    let v = l.as_ref().map_or(0, |l| l.stamp.version);
    Ok((title, fields, l.as_ref().and_then(json), v))
}

/// Checks the fields and saves through the store.
pub(super) fn save(
    id: Option<i64>,
    r: &mut Reader<'_>,
    store: &mut Store,
    cx: &SaveCx,
) -> Result<Option<String>, StoreError> {
    let version = cx.version;
    let SaveCx { settings, .. } = cx;
    let cap = r.days(DAYS_PER_YEAR);
    let rate = r.pence(DAY_RATE_PENCE);
    if r.failed {
        return Ok(None);
    }
    let mut l: Leader = match id {
        Some(i) => store.get(i)?,
        None => Leader {
            id: 0,
            name: String::new(),
            designation: Designation::Sle,
            home_school_id: None,
            specialisms: String::new(),
            days_per_year: 0.0,
            day_rate_pence: 0,
            email: String::new(),
            phone: String::new(),
            active: true,
            stamp: Stamp::default(),
        },
    };
    l.name = text(r.form, NAME).trim().to_string();
    l.designation = Designation::parse(chosen(r.form, DESIGNATION)).unwrap_or(l.designation);
    l.home_school_id = picked(r.form, HOME_SCHOOL_ID);
    l.specialisms = text(r.form, SPECIALISMS).trim().to_string();
    l.days_per_year = cap;
    // Blank: the default day rate for their designation, from the settings.
    l.day_rate_pence = rate.unwrap_or_else(|| settings.day_rate(l.designation));
    l.email = text(r.form, EMAIL).trim().to_string();
    l.phone = text(r.form, PHONE).trim().to_string();
    l.active = flag(r.form, ACTIVE);
    l.stamp.version = version;
    let saved = store.save_leader(&l)?;
    Ok(Some(if id.is_some() {
        format!("{} saved", l.name)
    } else {
        format!("leader #{saved} {} ({}) added at {} a day", l.name, l.designation, fmt_pence(l.day_rate_pence))
    }))
}
