//! Visits imported from a web-analytics export (one line per day: date, visits).
//!
//! The shop's app does not see its website's visitors; the analytics tool does. Its CSV
//! exports differ by tool and by the computer's language, so the reader accepts what they
//! commonly produce: a header line or none, `,` `;` or tab between fields, dates as
//! `dd/MM/yyyy`, `yyyy-MM-dd` or `yyyyMMdd`, numbers with `.` `,` or space between
//! thousands, quoted fields, `#` comment lines. Each line is judged on its own: the good
//! ones are stored, the others come back with their line number and the reason, in
//! Vietnamese, for the shop owner to fix.

use std::collections::HashMap;
use std::path::Path;

use hoadon_rules::calendar;
use hoadon_store::Store;
use serde::{Deserialize, Serialize};
use time::{Date, Month};
use ts_rs::TS;

use crate::{MoitError, Result};

/// A line that was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "MoitRefusedLine")]
pub struct RefusedLine {
    /// 1-based, as an editor shows it.
    pub line: u32,
    /// The line as it was in the file.
    pub text: String,
    /// Why, in Vietnamese.
    pub reason: String,
}

/// One day read from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDay {
    /// The line number in the file, from 1.
    pub line: u32,
    /// The day.
    pub day: Date,
    /// Its visits.
    pub visits: i64,
}

/// What a file holds, before anything is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedVisits {
    /// The days read, in the file's order.
    pub days: Vec<ParsedDay>,
    /// The lines refused, with the reason.
    pub refused: Vec<RefusedLine>,
    /// The header line, when the file had one.
    pub header: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "MoitVisitsImport")]
pub struct VisitsImport {
    /// Days stored (a day already in the database is replaced, not added to, so importing
    /// the same export twice changes nothing).
    pub taken: u32,
    /// How many lines were refused.
    pub refused_total: u32,
    /// The first [`SHOWN_REFUSED`] lines refused, with the reason, each line's text cut to
    /// [`SHOWN_CHARS`] characters: enough for the owner to find it in the file, and no way to
    /// read a whole file back through the window, whatever file it is.
    pub refused: Vec<RefusedLine>,
    /// `dd/MM/yyyy` of the first and last day stored.
    pub first_day: Option<String>,
    /// `dd/MM/yyyy` of the last day stored.
    pub last_day: Option<String>,
    /// Sum of the visits stored.
    #[ts(type = "number")]
    pub total_visits: i64,
    /// The file began with a header line.
    pub had_header: bool,
}

/// How many refused lines an import lists.
pub const SHOWN_REFUSED: usize = 50;
/// How much of a refused line an import shows.
pub const SHOWN_CHARS: usize = 60;

/// Reads an export file and stores its valid days (see [`import_visits`]).
pub fn import_visits_file(store: &Store, path: impl AsRef<Path>) -> Result<VisitsImport> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| MoitError::Io(format!("{}: {e}", path.display())))?;
    import_visits(store, &decode(&bytes))
}

/// UTF-8 as analytics tools write it; UTF-16 as Excel's "Unicode text" saves it.
fn decode(bytes: &[u8]) -> String {
    let utf16 = |be: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|p| if be { u16::from_be_bytes([p[0], p[1]]) } else { u16::from_le_bytes([p[0], p[1]]) })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Stores the valid days of `text` (all of them in one transaction) and says what was taken
/// and what was refused. A file with nothing valid stores nothing and is not an error: the
/// report lists every refused line.
pub fn import_visits(store: &Store, text: &str) -> Result<VisitsImport> {
    let parsed = parse_visits_csv(text);
    store.in_transaction(|s| {
        for d in &parsed.days {
            s.set_visits(d.day, d.visits)?;
        }
        Ok(())
    })?;
    let first = parsed.days.iter().map(|d| d.day).min();
    let last = parsed.days.iter().map(|d| d.day).max();
    Ok(VisitsImport {
        taken: parsed.days.len() as u32,
        total_visits: parsed.days.iter().map(|d| d.visits).sum(),
        first_day: first.map(calendar::format_date),
        last_day: last.map(calendar::format_date),
        had_header: parsed.header.is_some(),
        refused_total: parsed.refused.len() as u32,
        refused: parsed.refused.into_iter().take(SHOWN_REFUSED).map(shown).collect(),
    })
}

fn shown(mut refused: RefusedLine) -> RefusedLine {
    if let Some((cut, _)) = refused.text.char_indices().nth(SHOWN_CHARS) {
        refused.text.truncate(cut);
        refused.text.push('…');
    }
    refused
}

/// Reads the days of an export without storing anything.
pub fn parse_visits_csv(text: &str) -> ParsedVisits {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = ParsedVisits::default();
    let mut separator = None;
    let mut columns = 2;
    let mut seen: HashMap<Date, u32> = HashMap::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index as u32 + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let sep = *separator.get_or_insert_with(|| detect_separator(line));
        let fields = split_fields(line, sep);
        let first_content_line = out.header.is_none() && out.days.is_empty() && out.refused.is_empty();
        if first_content_line && read_date(&fields[0]).is_none() && !looks_like_data(&fields) {
            columns = fields.len().max(2);
            out.header = Some(line.to_string());
            continue;
        }
        let refuse = |reason: String| RefusedLine { line: line_no, text: line.to_string(), reason };
        match read_row(&fields, sep, columns) {
            Ok((day, visits)) => match seen.get(&day) {
                Some(first) => out.refused.push(refuse(format!(
                    "Ngày {} đã có ở dòng {first}; mỗi ngày chỉ một dòng",
                    calendar::format_date(day)
                ))),
                None => {
                    seen.insert(day, line_no);
                    out.days.push(ParsedDay { line: line_no, day, visits });
                }
            },
            Err(reason) => out.refused.push(refuse(reason)),
        }
    }
    out
}

/// `;` or a tab when the first line has one: with those, a `,` inside a number can only
/// separate thousands (or be a decimal comma, which is refused).
fn detect_separator(line: &str) -> char {
    let outside_quotes: String = line.split('"').step_by(2).collect();
    if outside_quotes.contains(';') {
        ';'
    } else if outside_quotes.contains('\t') {
        '\t'
    } else {
        ','
    }
}

/// Splits on `sep` outside double quotes; `""` inside quotes is a quote.
fn split_fields(line: &str, sep: char) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("never empty").push('"');
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => fields.push(String::new()),
            c => fields.last_mut().expect("never empty").push(c),
        }
    }
    fields.iter().map(|f| f.trim().to_string()).collect()
}

/// A first line with a number where the visits go is a data line with a bad date, not a
/// header: it must be refused, not skipped in silence.
fn looks_like_data(fields: &[String]) -> bool {
    fields.get(1).is_some_and(|f| read_number(f).is_ok())
}

fn read_row(fields: &[String], sep: char, columns: usize) -> std::result::Result<(Date, i64), String> {
    let date_text = fields[0].as_str();
    if date_text.is_empty() {
        return Err("Thiếu ngày".into());
    }
    let day = read_date(date_text).ok_or_else(|| {
        format!("Ngày «{date_text}» không hợp lệ: cần dạng dd/MM/yyyy hoặc yyyy-MM-dd")
    })?;
    // An unquoted "1,234" in a comma file arrives as two fields: with more fields than the
    // header announced, the extra ones are the rest of the number.
    let visits_text = if sep == ',' && fields.len() > columns {
        fields[1..=1 + fields.len() - columns].join(",")
    } else {
        fields.get(1).cloned().unwrap_or_default()
    };
    let visits = read_number(&visits_text)?;
    Ok((day, visits))
}

fn read_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.contains('/') {
        return calendar::parse_date(text);
    }
    if text.contains('-') {
        return calendar::parse_iso_date(text);
    }
    // yyyyMMdd, as Google Analytics writes its "Date" dimension.
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = text[..4].parse().ok()?;
        let month = Month::try_from(text[4..6].parse::<u8>().ok()?).ok()?;
        return Date::from_calendar_date(year, month, text[6..].parse().ok()?).ok();
    }
    None
}

/// A whole, non-negative number; `.`, `,` or spaces may separate groups of three digits.
fn read_number(text: &str) -> std::result::Result<i64, String> {
    let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
    if compact.is_empty() {
        return Err("Thiếu số lượt truy cập".into());
    }
    if compact.starts_with('-') {
        return Err(format!("Số lượt truy cập «{text}» âm"));
    }
    let invalid = || format!("Số lượt truy cập «{text}» không phải số nguyên (ví dụ 1234 hoặc 1.234)");
    let separators: Vec<char> = compact.chars().filter(|c| matches!(c, '.' | ',')).collect();
    let digits = if let Some(&sep) = separators.first() {
        if separators.iter().any(|&c| c != sep) {
            return Err(invalid());
        }
        let groups: Vec<&str> = compact.split(sep).collect();
        let well_grouped = (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
        if !well_grouped {
            return Err(invalid());
        }
        groups.concat()
    } else {
        // Spaces between digits were thousands separators only when they group by three.
        let groups: Vec<&str> = text.split([' ', '\u{a0}', '\u{202f}']).filter(|g| !g.is_empty()).collect();
        if groups.len() > 1 && !((1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3)) {
            return Err(invalid());
        }
        compact
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    digits.parse().map_err(|_| format!("Số lượt truy cập «{text}» quá lớn"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn days(text: &str) -> Vec<(Date, i64)> {
        parse_visits_csv(text).days.iter().map(|d| (d.day, d.visits)).collect()
    }

    #[test]
    fn reads_both_date_forms_and_separators() {
        let text = "\u{feff}Ngày,Lượt truy cập\r\n01/03/2026,120\r\n2026-03-02,\"1,234\"\r\n03/03/2026,1,234\r\n";
        let parsed = parse_visits_csv(text);
        assert_eq!(parsed.header.as_deref(), Some("Ngày,Lượt truy cập"));
        assert!(parsed.refused.is_empty(), "{:?}", parsed.refused);
        assert_eq!(
            days(text),
            vec![(date!(2026 - 03 - 01), 120), (date!(2026 - 03 - 02), 1234), (date!(2026 - 03 - 03), 1234)]
        );
        assert_eq!(
            days("Day;Users\n01/03/2026;1.234.567\n20260304;12 345\n"),
            vec![(date!(2026 - 03 - 01), 1_234_567), (date!(2026 - 03 - 04), 12_345)]
        );
        assert_eq!(days("# Google Analytics\n\n2026-03-05\t42\n"), vec![(date!(2026 - 03 - 05), 42)]);
    }

    #[test]
    fn refuses_bad_lines_with_their_number_and_reason() {
        let text = "date,visits\n31/02/2026,5\n2026-03-01,-3\n2026-03-02,1.5\n2026-03-03\n2026-03-04,abc\n2026-03-05,7\n05/03/2026,8\n,9\n";
        let parsed = parse_visits_csv(text);
        assert_eq!(parsed.days, vec![ParsedDay { line: 7, day: date!(2026 - 03 - 05), visits: 7 }]);
        let reasons: Vec<(u32, &str)> = parsed.refused.iter().map(|r| (r.line, r.reason.as_str())).collect();
        assert_eq!(reasons.len(), 7, "{reasons:?}");
        assert!(reasons[0].1.starts_with("Ngày «31/02/2026» không hợp lệ"), "{reasons:?}");
        assert_eq!(reasons[0].0, 2);
        assert!(reasons[1].1.contains("âm"));
        assert!(reasons[2].1.contains("không phải số nguyên"));
        assert_eq!(reasons[3].1, "Thiếu số lượt truy cập");
        assert!(reasons[4].1.contains("không phải số nguyên"));
        assert_eq!(reasons[5], (8, "Ngày 05/03/2026 đã có ở dòng 7; mỗi ngày chỉ một dòng"));
        assert_eq!(reasons[6], (9, "Thiếu ngày"));
        assert_eq!(parsed.refused[0].text, "31/02/2026,5");
    }

    #[test]
    fn a_first_line_with_a_bad_date_but_a_number_is_refused_not_taken_as_a_header() {
        let parsed = parse_visits_csv("32/01/2026,10\n01/02/2026,11\n");
        assert!(parsed.header.is_none());
        assert_eq!(parsed.refused.len(), 1);
        assert_eq!(parsed.refused[0].line, 1);
        assert_eq!(parsed.days.len(), 1);
    }

    #[test]
    fn reads_utf16_as_excel_saves_unicode_text() {
        let text = "Ngày\tLượt\r\n01/03/2026\t5\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&bytes), text);
        assert_eq!(days(&decode(&bytes)), vec![(date!(2026 - 03 - 01), 5)]);
    }

    #[test]
    fn numbers_group_by_three_or_are_refused() {
        assert_eq!(read_number("1.234"), Ok(1234));
        assert_eq!(read_number("1,234,567"), Ok(1_234_567));
        assert_eq!(read_number("0"), Ok(0));
        assert!(read_number("12.34").is_err());
        assert!(read_number("1.234,5").is_err());
        assert!(read_number("1 23").is_err());
        assert!(read_number("99999999999999999999").unwrap_err().contains("quá lớn"));
    }
}
