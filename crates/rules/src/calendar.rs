//! Dates in Asia/Ho_Chi_Minh.
//!
//! Vietnam keeps UTC+7 all year (no daylight saving), so a fixed offset is exact and the app
//! needs no time-zone database. "This year" for the MOIT report and the date printed on an
//! invoice are both taken in this offset, whatever the computer's own zone is.

use time::format_description::BorrowedFormatItem;
use time::macros::{format_description, offset};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Vietnam's offset from UTC, +07:00 all year round: the zone of every date and moment the
/// app shows, prints or reports.
pub const VIETNAM: UtcOffset = offset!(+7);

const DMY: &[BorrowedFormatItem<'static>] = format_description!("[day]/[month]/[year]");
const DMY_HMS: &[BorrowedFormatItem<'static>] =
    format_description!("[day]/[month]/[year] [hour]:[minute]:[second]");

/// The current moment in Vietnam.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().to_offset(VIETNAM)
}

/// A Unix timestamp (seconds) seen from Vietnam.
pub fn from_unix(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(VIETNAM)
}

/// The calendar date in Vietnam of a Unix timestamp.
pub fn date_of(seconds: i64) -> Date {
    from_unix(seconds).date()
}

/// The first year the app reports on or accepts a sale in.
pub const FIRST_YEAR: i32 = 2000;
/// The last year the app reports on or accepts a sale in.
pub const LAST_YEAR: i32 = 2100;

/// `year` when it lies in [`FIRST_YEAR`]..=[`LAST_YEAR`], else the Vietnamese sentence saying so.
pub fn check_year(year: i32) -> Result<i32, String> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(format!("Năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR} mà ứng dụng nhận."))
    }
}

/// `seconds` when it falls in a year [`check_year`] accepts (Vietnam's time), else the
/// Vietnamese sentence saying so.
pub fn check_moment(seconds: i64) -> Result<i64, String> {
    if (start_of_year(FIRST_YEAR)..start_of_year(LAST_YEAR + 1)).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(format!("Thời điểm nằm ngoài khoảng 01/01/{FIRST_YEAR}–31/12/{LAST_YEAR} mà ứng dụng nhận."))
    }
}

/// 01/01 00:00:00 +07 of `year`, as a Unix timestamp. A year beyond what the calendar
/// library holds (±9999) is clamped to it rather than a panic; callers check the range
/// with [`check_year`] first.
pub fn start_of_year(year: i32) -> i64 {
    let year = year.clamp(Date::MIN.year() + 1, Date::MAX.year());
    start_of_day(Date::from_calendar_date(year, Month::January, 1).expect("1 January exists"))
}

/// 00:00:00 +07 of `date`, as a Unix timestamp.
pub fn start_of_day(date: Date) -> i64 {
    PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_offset(VIETNAM).unix_timestamp()
}

/// `dd/MM/yyyy`.
pub fn format_date(date: Date) -> String {
    date.format(DMY).expect("formats every date")
}

/// `dd/MM/yyyy HH:mm:ss` in Vietnam.
pub fn format_moment(seconds: i64) -> String {
    from_unix(seconds).format(DMY_HMS).expect("formats every moment")
}

/// "Ngày 05 tháng 03 năm 2026", as invoices print their date.
pub fn invoice_date_words(date: Date) -> String {
    format!("Ngày {:02} tháng {:02} năm {}", date.day(), u8::from(date.month()), date.year())
}

/// Reads `dd/MM/yyyy` (also `d/M/yyyy`).
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().split('/');
    let day: u8 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let year: i32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1900..=9999).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Reads ISO `yyyy-MM-dd`, as HTML date inputs send it.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn years_start_at_midnight_in_vietnam() {
        // 2026-01-01T00:00:00+07:00 is 2025-12-31T17:00:00Z.
        assert_eq!(start_of_year(2026), 1_767_200_400);
        assert_eq!(date_of(start_of_year(2026)), date!(2026 - 01 - 01));
        assert_eq!(date_of(start_of_year(2026) - 1), date!(2025 - 12 - 31));
        assert_eq!(format_moment(start_of_year(2026) - 1), "31/12/2025 23:59:59");
    }

    #[test]
    fn formats_and_parses_dates() {
        assert_eq!(format_date(date!(2026 - 03 - 05)), "05/03/2026");
        assert_eq!(invoice_date_words(date!(2026 - 03 - 05)), "Ngày 05 tháng 03 năm 2026");
        assert_eq!(parse_date("05/03/2026"), Some(date!(2026 - 03 - 05)));
        assert_eq!(parse_date("5/3/2026"), Some(date!(2026 - 03 - 05)));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("2026-03-05"), None);
        assert_eq!(parse_iso_date("2026-03-05"), Some(date!(2026 - 03 - 05)));
    }

    #[test]
    fn years_and_moments_out_of_range_are_refused_not_a_panic() {
        assert_eq!(check_year(2026), Ok(2026));
        assert!(check_year(1999).unwrap_err().contains("2000–2100"));
        assert!(check_year(10_000).is_err());
        assert!(check_moment(start_of_year(2000)).is_ok());
        assert!(check_moment(start_of_year(2000) - 1).is_err());
        assert!(check_moment(start_of_year(2101) - 1).is_ok());
        assert!(check_moment(start_of_year(2101)).is_err());
        for year in [i32::MIN, -10_000, 10_000, i32::MAX] {
            let _ = start_of_year(year);
        }
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(year in proptest::num::i32::ANY, seconds in proptest::num::i64::ANY, text in "\\PC{0,40}") {
            let _ = check_year(year);
            let _ = start_of_year(year);
            let _ = check_moment(seconds);
            let _ = format_moment(seconds);
            let _ = date_of(seconds);
            let _ = parse_date(&text);
            let _ = parse_iso_date(&text);
        }
    }
}
