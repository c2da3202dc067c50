//! The alliance's settings: only the keys the user changed are saved.

use super::*;

/// Opens the form.
pub(super) fn open(settings: &Settings, extra: &mut Extra) -> Result<Opened, StoreError> {
    let fields = SPECS
        .iter()
        .map(|spec| {
            let stored = settings.get(spec.key).unwrap_or_default();
            match spec.unit {
                Unit::Pence => Field::money(spec.key, spec.label, stored.parse().ok()),
                Unit::Month => Field::choice(spec.key, spec.label, &MONTH_NAMES, &settings.shown(spec.key)),
                // "15%" and "42 days" say their unit; both are read back as typed.
                Unit::Percent | Unit::Days | Unit::Points | Unit::Progress | Unit::Months => {
                    Field::text(spec.key, spec.label, &settings.shown(spec.key))
                }
                Unit::Text => Field::text(spec.key, spec.label, &stored),
            }
        })
        .collect();
    extra.initial = Some(stored_settings(settings));
    Ok(("Settings".into(), fields, extra.initial.clone(), 0))
}

/// Checks the fields and saves through the store.
pub(super) fn save(r: &mut Reader<'_>, store: &mut Store, cx: &SaveCx) -> Result<Option<String>, StoreError> {
    let SaveCx { initial, .. } = cx;
    let base = cx.base.clone().unwrap_or_default();
    let first = initial.clone().unwrap_or_default();
    let mut changes = Vec::new();
    for spec in SPECS {
        let typed = match spec.unit {
            Unit::Month => chosen(r.form, spec.key).to_string(),
            _ => text(r.form, spec.key),
        };
        match parse_value(spec, &typed) {
            Ok(value) => {
                // Only what the user changed: a key they left alone is not written
                // back over someone else's newer value.
                // Changed from the value the form started from (a resumed draft's own base):
                // a stale one is refused by the store and merged by the form.
                let started = r
                    .form
                    .base_value(spec.key)
                    .and_then(|b| parse_value(spec, &b).ok())
                    .or_else(|| first.get(spec.key).and_then(|v| v.as_str()).map(str::to_string))
                    .or_else(|| base.get(spec.key).and_then(|v| v.as_str()).map(str::to_string))
                    .unwrap_or_default();
                if value != started {
                    changes.push(SettingChange { key: spec.key, expected: started, value });
                }
            }
            Err(e) => {
                if let Some(f) = r.form.field_mut(spec.key) {
                    f.error = Some(e);
                }
                r.failed = true;
            }
        }
    }
    if r.failed {
        return Ok(None);
    }
    if changes.is_empty() {
        return Ok(Some("settings unchanged".into()));
    }
    let after = store.change_settings(&changes)?;
    let said: Vec<String> = changes.iter().map(|c| format!("{} {}", spec_label(c.key), after.shown(c.key))).collect();
    Ok(Some(format!("settings saved: {}", said.join(", "))))
}
