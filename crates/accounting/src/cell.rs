//! One cell of a listing, typed, so that each file format writes it its own way: a real date
//! and a `#,##0` number in Excel, `dd/mm/yyyy` and bare digits in CSV.

use std::borrow::Cow;

use hoadon_rules::Dong;
use time::Date;

/// A cell's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell<'a> {
    /// Words (a name, a status).
    Text(Cow<'a, str>),
    /// A day.
    Date(Date),
    /// Whole đồng.
    Money(Dong),
    /// A count or a number that is not money (a sale's or an invoice's number).
    Number(i64),
    /// Nothing (a rate the sale does not use, an invoice without a number yet).
    Blank,
}

impl<'a> Cell<'a> {
    pub(crate) fn text(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell::Text(s.into())
    }

    pub(crate) fn text_or_blank(s: Option<&'a str>) -> Cell<'a> {
        s.filter(|s| !s.is_empty()).map_or(Cell::Blank, Cell::text)
    }
}

/// What a sheet is: its heading (the `.xlsx` prints it above the columns) and columns.
pub(crate) struct Layout {
    /// The sheet's name in Excel (at most 31 characters).
    pub sheet: String,
    /// Lines above the columns in the `.xlsx`: the title, the seller, the period. CSV leaves
    /// them out, so that its first line names the columns.
    pub heading: Vec<String>,
    /// Each column's header and width in characters.
    pub columns: Vec<(String, f64)>,
}

/// Where the rows of a listing go: an `.xlsx` sheet or a CSV file.
pub(crate) trait Sheet {
    /// Starts a sheet (the `.xlsx` may hold several; a CSV file takes one).
    fn start(&mut self, layout: &Layout) -> crate::Result<()>;
    /// One row under the columns.
    fn row(&mut self, cells: &[Cell<'_>]) -> crate::Result<()>;
    /// The row of totals under the last row: bold in the `.xlsx`; CSV leaves it out, so that
    /// a spreadsheet adding a column up does not count it twice.
    fn totals(&mut self, cells: &[Cell<'_>]) -> crate::Result<()>;
    /// A line of explanation under everything (the `.xlsx` only).
    fn note(&mut self, text: &str) -> crate::Result<()>;
}
