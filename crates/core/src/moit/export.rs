//! The report of a year written to a file: the API answer as JSON (camelCase or PascalCase),
//! the page's table as CSV or PDF.

use hoadon_moit::{ApiFigures, CsvSeparator, KeyCase, MoitReport, report_table};

use crate::{Error, Result, Shop};

/// The formats of "Xuất báo cáo", by the names the window sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// `json`: the API answer, the guide's camelCase keys.
    Json,
    /// `json_pascal`: the API answer, PascalCase keys.
    JsonPascal,
    /// `csv`: the page's table, UTF-8 with BOM for Excel.
    Csv,
    /// `pdf`: the page's table, printed.
    Pdf,
}

impl ExportFormat {
    /// The format named `name` (`json`, `json_pascal`, `csv`, `pdf`), else a refusal of the
    /// `format` field.
    pub fn parse(name: &str) -> Result<ExportFormat> {
        Ok(match name {
            "json" => ExportFormat::Json,
            "json_pascal" => ExportFormat::JsonPascal,
            "csv" => ExportFormat::Csv,
            "pdf" => ExportFormat::Pdf,
            other => return Err(Error::field("format", format!("Không có định dạng xuất «{other}»."))),
        })
    }

    /// The file's bytes for `report`.
    pub fn render(self, report: &MoitReport) -> Result<Vec<u8>> {
        Ok(match self {
            ExportFormat::Json => ApiFigures::of(report).to_json_pretty(KeyCase::Camel).into_bytes(),
            ExportFormat::JsonPascal => ApiFigures::of(report).to_json_pretty(KeyCase::Pascal).into_bytes(),
            ExportFormat::Csv => hoadon_moit::to_csv(&report_table(report), CsvSeparator::Comma).into_bytes(),
            ExportFormat::Pdf => hoadon_moit::to_pdf(&report_table(report))?,
        })
    }
}

impl Shop {
    /// Writes the report of `year` to `path` in `format` (`json`, `json_pascal`, `csv` or
    /// `pdf`); returns the path.
    pub fn moit_export(&self, year: i32, format: &str, path: &str) -> Result<String> {
        let report = self.moit_year_report(year)?;
        let bytes = ExportFormat::parse(format)?.render(&report)?;
        std::fs::write(path, bytes)
            .map_err(|e| Error::Invalid { message: format!("Không ghi được tệp {path}: {e}"), fields: Vec::new() })?;
        Ok(path.to_owned())
    }
}
