//! The report table as CSV, for Excel.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::table::ReportTable;

/// Excel reads a CSV as UTF-8 only when it starts with this mark; without it, "Tiêu chí"
/// opens as "TiÃªu chÃ­".
pub const UTF8_BOM: &str = "\u{feff}";

/// The field separator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "MoitCsvSeparator")]
pub enum CsvSeparator {
    /// `,`, as the CSV standard says.
    #[default]
    Comma,
    /// For Excel on a computer whose list separator is `;` (Windows set to Vietnamese
    /// decimal commas), which otherwise opens a comma file as one column.
    Semicolon,
}

impl CsvSeparator {
    fn char(self) -> char {
        match self {
            CsvSeparator::Comma => ',',
            CsvSeparator::Semicolon => ';',
        }
    }
}

/// Columns "Tiêu chí", "Số lượng", "Diễn giải", one line per row of the table, CRLF line
/// ends, starting with the UTF-8 BOM. "Tiêu chí" joins group, criterion and period note
/// ("Số lượng người bán – Tổng số người bán (Tính từ …)"); "Số lượng" is the bare integer,
/// so a spreadsheet can add it up.
pub fn to_csv(table: &ReportTable, separator: CsvSeparator) -> String {
    let sep = separator.char();
    let mut out = String::from(UTF8_BOM);
    let mut line = |fields: [&str; 3]| {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            out.push_str(&quote(field, sep));
        }
        out.push_str("\r\n");
    };
    line(crate::table::COLUMNS);
    for row in &table.rows {
        let criterion = match &row.group {
            Some(group) => format!("{group} – {} {}", row.criterion, row.period_note),
            None => format!("{} {}", row.criterion, row.period_note),
        };
        line([&criterion, &row.value.to_string(), &row.explanation]);
    }
    out
}

/// RFC 4180 quoting, only where needed: a field holding the separator, a quote or a line
/// break is quoted, its quotes doubled. Also the accountant's listings' (`hoadon-accounting`).
pub fn quote(field: &str, sep: char) -> std::borrow::Cow<'_, str> {
    if field.contains([sep, '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\"")).into()
    } else {
        field.into()
    }
}
