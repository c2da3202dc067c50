//! Deterministic sample alliance (placeholder signature; filled in next).
use chrono::NaiveDate;
use std::path::Path;
/// Options.
pub struct SampleOptions { /// seed
 pub seed: u64, /// today
 pub today: NaiveDate, /// schools
 pub schools: usize }
/// Generates.
pub fn generate(_path: &Path, _o: &SampleOptions) -> anyhow::Result<String> { anyhow::bail!("not yet") }
