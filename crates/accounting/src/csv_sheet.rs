//! A listing as CSV for Excel: UTF-8 with its mark, commas, CRLF, one line written at a time.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use hoadon_moit::{quote_csv_field, UTF8_BOM};
use hoadon_rules::calendar;

use crate::cell::{Cell, Layout, Sheet};
use crate::{AccountingError, Result};

const SEPARATOR: char = ',';

/// A CSV file being written.
pub(crate) struct CsvFile {
    out: BufWriter<File>,
    path: PathBuf,
    line: String,
}

impl CsvFile {
    pub(crate) fn create(path: &Path) -> Result<CsvFile> {
        let file = File::create(path).map_err(|e| AccountingError::Io(path.to_path_buf(), e))?;
        let mut csv = CsvFile { out: BufWriter::with_capacity(1 << 16, file), path: path.to_path_buf(), line: String::new() };
        csv.put(UTF8_BOM)?;
        Ok(csv)
    }

    /// Flushes and syncs the file, so that the rename that follows publishes it whole.
    pub(crate) fn finish(self) -> Result<()> {
        let path = self.path;
        let file = self.out.into_inner().map_err(|e| AccountingError::Io(path.clone(), e.into_error()))?;
        file.sync_all().map_err(|e| AccountingError::Io(path, e))
    }

    fn put(&mut self, text: &str) -> Result<()> {
        self.out.write_all(text.as_bytes()).map_err(|e| AccountingError::Io(self.path.clone(), e))
    }

    fn write_line<'c>(&mut self, fields: impl Iterator<Item = std::borrow::Cow<'c, str>>) -> Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        for (i, field) in fields.enumerate() {
            if i > 0 {
                line.push(SEPARATOR);
            }
            line.push_str(&quote_csv_field(&field, SEPARATOR));
        }
        line.push_str("\r\n");
        let written = self.put(&line);
        self.line = line;
        written
    }
}

impl Sheet for CsvFile {
    fn start(&mut self, layout: &Layout) -> Result<()> {
        self.write_line(layout.columns.iter().map(|(header, _)| header.as_str().into()))
    }

    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        self.write_line(cells.iter().map(|cell| match cell {
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => calendar::format_date(*d).into(),
            // Bare digits: "1.650.000" would be text to a spreadsheet set to English.
            Cell::Money(m) => m.0.to_string().into(),
            Cell::Number(n) => n.to_string().into(),
            Cell::Blank => "".into(),
        }))
    }

    fn totals(&mut self, _cells: &[Cell<'_>]) -> Result<()> {
        Ok(())
    }

    fn note(&mut self, _text: &str) -> Result<()> {
        Ok(())
    }
}
