//! The days an export covers.

use hoadon_rules::calendar;
use time::Date;

/// Whole days in Vietnam (UTC+7), both ends included: 01/03/2026–31/03/2026 is March.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub from: Date,
    /// The last day, included.
    pub to: Date,
}

impl Period {
    /// The days `from` to `to`; `None` when `to` comes before `from`.
    pub fn new(from: Date, to: Date) -> Option<Period> {
        (from <= to).then_some(Period { from, to })
    }

    /// 00:00 +07 of the first day, Unix seconds (included).
    pub fn start(&self) -> i64 {
        calendar::start_of_day(self.from)
    }

    /// 00:00 +07 of the day after the last, Unix seconds (excluded).
    pub fn end(&self) -> i64 {
        match self.to.next_day() {
            Some(next) => calendar::start_of_day(next),
            None => i64::MAX,
        }
    }

    /// "Từ ngày 01/03/2026 đến ngày 31/03/2026", as the files print it.
    pub fn describe(&self) -> String {
        format!("Từ ngày {} đến ngày {}", calendar::format_date(self.from), calendar::format_date(self.to))
    }

    /// `01-03-2026_31-03-2026`, for file names (no `/`).
    pub fn file_stem(&self) -> String {
        let day = |d: Date| calendar::format_date(d).replace('/', "-");
        format!("{}_{}", day(self.from), day(self.to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn whole_days_in_vietnam() {
        let march = Period::new(date!(2026 - 03 - 01), date!(2026 - 03 - 31)).unwrap();
        // 01/03/2026 00:00 +07 is 28/02/2026 17:00 UTC.
        assert_eq!(march.start(), 1_772_298_000);
        assert_eq!(march.end() - march.start(), 31 * 86_400);
        assert_eq!(march.describe(), "Từ ngày 01/03/2026 đến ngày 31/03/2026");
        assert_eq!(march.file_stem(), "01-03-2026_31-03-2026");
        assert!(Period::new(date!(2026 - 03 - 02), date!(2026 - 03 - 01)).is_none());
        assert!(Period::new(date!(2026 - 03 - 01), date!(2026 - 03 - 01)).is_some());
    }
}
