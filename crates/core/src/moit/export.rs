//! The report of a year written to a file: the API answer as JSON (camelCase or PascalCase),
//! the page's table as CSV or PDF.

use hoadon_moit::{ApiFigures, CsvSeparator, KeyCase, MoitReport, report_table};

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result, Shop};

/// The formats of "Xuất báo cáo", by the names the window sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "MoitExportFormat")]
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
    /// Every format, in the order of the buttons.
    pub const ALL: [ExportFormat; 4] = [ExportFormat::Json, ExportFormat::JsonPascal, ExportFormat::Csv, ExportFormat::Pdf];

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

    /// The file name the save dialog proposes: `bao-cao-bct-2026.json`,
    /// `bao-cao-bct-2026-pascal.json`, `bao-cao-bct-2026.csv`, `bao-cao-bct-2026.pdf`.
    pub fn file_name(self, year: i32) -> String {
        let suffix = if self == ExportFormat::JsonPascal { "-pascal" } else { "" };
        format!("bao-cao-bct-{year}{suffix}.{}", self.extension())
    }

    /// The file's extension, which is also what the save dialog filters on.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json | ExportFormat::JsonPascal => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Pdf => "pdf",
        }
    }

    /// The format as the owner reads it on the buttons and the dialog's title.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Json => "JSON",
            ExportFormat::JsonPascal => "JSON PascalCase",
            ExportFormat::Csv => "CSV (Excel)",
            ExportFormat::Pdf => "PDF",
        }
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
    /// Writes the report of `year` to `path` in `format`; returns the path as shown to the
    /// owner.
    pub fn moit_export(&self, year: i32, format: ExportFormat, path: &Path) -> Result<String> {
        let report = self.moit_year_report(year)?;
        let bytes = format.render(&report)?;
        std::fs::write(path, bytes).map_err(|e| Error::Invalid {
            message: format!("Không ghi được tệp {}: {e}", path.display()),
            fields: Vec::new(),
        })?;
        Ok(path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proposed_file_names() {
        assert_eq!(ExportFormat::Json.file_name(2026), "bao-cao-bct-2026.json");
        assert_eq!(ExportFormat::JsonPascal.file_name(2026), "bao-cao-bct-2026-pascal.json");
        assert_eq!(ExportFormat::Csv.file_name(2026), "bao-cao-bct-2026.csv");
        assert_eq!(ExportFormat::Pdf.file_name(2026), "bao-cao-bct-2026.pdf");
    }

    #[test]
    fn the_window_names_the_formats_in_snake_case() {
        let names: Vec<String> = ExportFormat::ALL
            .iter()
            .map(|f| serde_json::to_string(f).unwrap())
            .collect();
        assert_eq!(names, [r#""json""#, r#""json_pascal""#, r#""csv""#, r#""pdf""#]);
        for f in ["json", "json_pascal", "csv", "pdf"] {
            assert_eq!(serde_json::to_string(&ExportFormat::parse(f).unwrap()).unwrap(), format!("\"{f}\""));
        }
    }
}
