//! The report of a year as it stands now (31/12 for a past year), visits per the saved
//! setting: what the screen "Báo cáo Bộ Công Thương", `hoadon moit report` and the exports read.

use hoadon_moit::{ApiFigures, MoitReport, MoitServerConfig, ReportTable, VisitsPeriod, report_table};
use hoadon_rules::calendar;
use serde::Serialize;
use ts_rs::TS;

use crate::moit::ExportFormat;
use crate::{Error, Result, Shop};

/// The report screen: the figures with their periods, the table as the guide lays it out
/// (the same rows as the page, the CSV and the PDF), and the API answer's figures.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MoitReportView {
    /// The nine figures, each with the period it covers.
    pub report: MoitReport,
    /// The rows of the page, the CSV and the PDF.
    pub table: ReportTable,
    /// The API answer, keys in the guide's camelCase and order: what `hoadon moit report --json` prints.
    pub api: Vec<MoitApiFigure>,
    /// The "Xuất báo cáo" buttons, in order.
    pub exports: Vec<MoitExportChoice>,
}

/// One "Xuất báo cáo" button: the format the window sends back, and its label.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MoitExportChoice {
    /// What `moit_export` takes.
    pub format: ExportFormat,
    /// The button's text.
    pub label: String,
}

/// One figure of the API answer under its key.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MoitApiFigure {
    /// The guide's camelCase key (`soLuongTruyCap`, …).
    pub key: String,
    /// The figure.
    #[ts(type = "number")]
    pub value: i64,
}

impl Shop {
    /// The report of `year` as it stands now (up to 31/12 for a past year), visits per the
    /// saved setting; a year not begun is refused (field `year`).
    pub fn moit_year_report(&self, year: i32) -> Result<MoitReport> {
        let year = calendar::check_year(year).map_err(|m| Error::field("year", m))?;
        let now = calendar::now().unix_timestamp();
        let as_of = hoadon_moit::as_of_for_year(year, now)
            .ok_or_else(|| Error::field("year", format!("Năm {year} chưa bắt đầu, chưa có số liệu để báo cáo.")))?;
        let period = MoitServerConfig::load(&self.store)?.visits_period;
        Ok(hoadon_moit::report(&self.store, year, as_of)?.with_visits_period(period))
    }

    /// The report of this year up to this moment with the visits of `visits_period`: what
    /// each pull of the report server answers.
    pub fn moit_current_report(&self, visits_period: VisitsPeriod) -> hoadon_moit::Result<MoitReport> {
        let now = calendar::now().unix_timestamp();
        let year = calendar::date_of(now).year();
        Ok(hoadon_moit::report(&self.store, year, now)?.with_visits_period(visits_period))
    }

    /// The report screen of `year`: figures, table and the API answer.
    pub fn moit_report(&self, year: i32) -> Result<MoitReportView> {
        let report = self.moit_year_report(year)?;
        let api = hoadon_moit::API_KEYS
            .iter()
            .zip(ApiFigures::of(&report).values())
            .map(|(key, value)| MoitApiFigure { key: key.to_string(), value })
            .collect();
        let exports = ExportFormat::ALL.iter().map(|&format| MoitExportChoice { format, label: format.label().to_owned() }).collect();
        Ok(MoitReportView { table: report_table(&report), report, api, exports })
    }
}
