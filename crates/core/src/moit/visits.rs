//! The visits of the report: one day's count as typed in the window, or a web-analytics CSV.

use std::path::Path;

use hoadon_moit::VisitsImport;
use hoadon_rules::calendar;
use time::Date;

use crate::{Error, FieldError, Result, Shop};

/// A day (`dd/MM/yyyy`) and a count (dots and spaces as thousands separators allowed) as
/// typed; each wrong box named (`day`, `visits`).
pub(super) fn parse_day_visits(day: &str, visits: &str) -> Result<(Date, i64)> {
    let mut fields = Vec::new();
    let date = calendar::parse_date(day);
    if date.is_none() {
        fields.push(FieldError::new("day", "Ngày cần dạng dd/mm/yyyy, ví dụ 05/03/2026."));
    }
    let count = visits.trim().replace(['.', ' '], "").parse::<i64>().ok().filter(|v| *v >= 0);
    if count.is_none() {
        fields.push(FieldError::new("visits", "Lượt truy cập cần là một số nguyên không âm."));
    }
    match (date, count) {
        (Some(date), Some(count)) => Ok((date, count)),
        _ => Err(Error::invalid(fields)),
    }
}

impl Shop {
    /// The visits of one day, as typed; replaces what the day had.
    pub fn set_day_visits(&self, day: &str, visits: &str) -> Result<()> {
        let (date, count) = parse_day_visits(day, visits)?;
        self.store.set_visits(date, count).map_err(Error::Store)
    }

    /// Visits from a web-analytics CSV: what was taken, what was refused and why.
    pub fn import_visits(&self, path: impl AsRef<Path>) -> Result<VisitsImport> {
        Ok(hoadon_moit::import_visits_file(&self.store, path)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_and_a_count_as_typed() {
        let (date, count) = parse_day_visits("05/03/2026", " 1.234 ").unwrap();
        assert_eq!((date.day(), count), (5, 1234));
        let Error::Invalid { fields, .. } = parse_day_visits("2026-13-01", "-1").unwrap_err() else { panic!() };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["day", "visits"]);
    }
}
