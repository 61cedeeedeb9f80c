//! Listings as an Excel workbook, streamed: each sheet in constant-memory mode writes its
//! rows to a temporary file as they come, so memory stays flat however many sales.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use crate::cell::{Cell, Layout, Sheet};
use crate::Result;

/// Excel's last row is 1,048,576: a listing longer than that goes on in a second sheet.
const MAX_ROWS: u32 = 1_048_576;
/// Rows kept free at the bottom of a sheet for the totals and the note.
const FOOTER_ROWS: u32 = 3;

struct Formats {
    title: Format,
    header: Format,
    money: Format,
    date: Format,
    bold_money: Format,
    bold: Format,
    note: Format,
}

/// A workbook being written.
pub(crate) struct XlsxBook {
    book: Workbook,
    formats: Formats,
    /// The sheet being written and its layout (for a continuation sheet).
    sheet: Option<(usize, Layout)>,
    sheets: usize,
    part: u32,
    row: u32,
    /// [`MAX_ROWS`]; smaller in the tests, which cannot write a million rows each.
    max_rows: u32,
}

impl XlsxBook {
    /// A workbook whose streamed rows wait in `scratch` (the target's folder: /tmp may be a
    /// tmpfs, which would put the rows back in memory).
    pub(crate) fn new(scratch: &Path) -> Result<XlsxBook> {
        let money = "#,##0";
        let mut book = Workbook::new();
        book.set_tempdir(scratch)?;
        Ok(XlsxBook {
            book,
            formats: Formats {
                title: Format::new().set_bold().set_font_size(14),
                header: Format::new()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_border(FormatBorder::Thin)
                    .set_background_color(0xE8EEF4),
                money: Format::new().set_num_format(money),
                date: Format::new().set_num_format("dd/mm/yyyy"),
                bold_money: Format::new().set_bold().set_num_format(money).set_border_top(FormatBorder::Thin),
                bold: Format::new().set_bold().set_border_top(FormatBorder::Thin),
                note: Format::new().set_italic(),
            },
            sheet: None,
            sheets: 0,
            part: 1,
            row: 0,
            max_rows: MAX_ROWS,
        })
    }

    /// Zips the sheets into `path`.
    pub(crate) fn save(mut self, path: &Path) -> Result<()> {
        self.book.save(path)?;
        Ok(())
    }

    fn open_sheet(&mut self, name: &str, layout: &Layout) -> Result<()> {
        let f = &self.formats;
        let sheet = self.book.add_worksheet_with_constant_memory();
        self.sheets += 1;
        sheet.set_name(name)?;
        for (col, (_, width)) in layout.columns.iter().enumerate() {
            sheet.set_column_width(col as u16, *width)?;
        }
        let mut row = 0;
        for (i, line) in layout.heading.iter().enumerate() {
            if i == 0 {
                sheet.write_string_with_format(row, 0, line, &f.title)?;
            } else {
                sheet.write_string(row, 0, line)?;
            }
            row += 1;
        }
        if !layout.heading.is_empty() {
            row += 1;
        }
        sheet.set_row_height(row, 32)?;
        for (col, (header, _)) in layout.columns.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, header, &f.header)?;
        }
        row += 1;
        sheet.set_freeze_panes(row, 0)?;
        self.row = row;
        Ok(())
    }

    fn write(&mut self, cells: &[Cell<'_>], bold: bool) -> Result<()> {
        let (index, _) = self.sheet.as_ref().expect("a sheet was started");
        let sheet = self.book.worksheet_from_index(*index)?;
        let f = &self.formats;
        let row = self.row;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(s) if bold => sheet.write_string_with_format(row, col, s.as_ref(), &f.bold)?,
                Cell::Text(s) => sheet.write_string(row, col, s.as_ref())?,
                Cell::Date(d) => {
                    let day = ExcelDateTime::from_ymd(d.year() as u16, u8::from(d.month()), d.day())?;
                    sheet.write_datetime_with_format(row, col, &day, &f.date)?
                }
                // Amounts stay below 2^53 (MAX_AMOUNT): exact as Excel's doubles.
                Cell::Money(m) => sheet.write_number_with_format(row, col, m.0 as f64, if bold { &f.bold_money } else { &f.money })?,
                Cell::Number(n) => sheet.write_number(row, col, *n as f64)?,
                Cell::Blank if bold => sheet.write_blank(row, col, &f.bold)?,
                Cell::Blank => continue,
            };
        }
        self.row += 1;
        Ok(())
    }
}

impl Sheet for XlsxBook {
    fn start(&mut self, layout: &Layout) -> Result<()> {
        self.part = 1;
        self.open_sheet(&layout.sheet, layout)?;
        self.sheet = Some((self.sheets - 1, Layout { sheet: layout.sheet.clone(), heading: layout.heading.clone(), columns: layout.columns.clone() }));
        Ok(())
    }

    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        if self.row >= self.max_rows - FOOTER_ROWS {
            let (_, layout) = self.sheet.take().expect("a sheet was started");
            self.part += 1;
            let name = format!("{} ({})", layout.sheet, self.part);
            self.open_sheet(&name, &layout)?;
            self.sheet = Some((self.sheets - 1, layout));
        }
        self.write(cells, false)
    }

    fn totals(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        self.write(cells, true)
    }

    fn note(&mut self, text: &str) -> Result<()> {
        let (index, _) = self.sheet.as_ref().expect("a sheet was started");
        let sheet = self.book.worksheet_from_index(*index)?;
        sheet.write_string_with_format(self.row + 1, 0, text, &self.formats.note)?;
        self.row += 2;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn a_listing_longer_than_a_sheet_goes_on_in_the_next_with_the_same_columns() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = XlsxBook::new(dir.path()).unwrap();
        book.max_rows = 12;
        let layout = Layout {
            sheet: "Bảng kê bán hàng".into(),
            heading: vec!["BẢNG KÊ BÁN HÀNG".into()],
            columns: vec![("Số đơn".into(), 9.0), ("Người mua".into(), 20.0)],
        };
        book.start(&layout).unwrap();
        // Heading, blank line and columns take 3 rows; 3 stay free for the footer: 6 a sheet.
        for n in 0..15 {
            book.row(&[Cell::Number(n), Cell::Text(Cow::Borrowed("Khách lẻ"))]).unwrap();
        }
        book.totals(&[Cell::text("Cộng"), Cell::Blank]).unwrap();
        let names: Vec<String> = book.book.worksheets().iter().map(|w| w.name()).collect();
        assert_eq!(names, ["Bảng kê bán hàng", "Bảng kê bán hàng (2)", "Bảng kê bán hàng (3)"]);
        assert_eq!(book.row, 3 + 3 + 1, "the last sheet: its header, 3 rows, the totals");
        book.save(&dir.path().join("dai.xlsx")).unwrap();
    }
}
