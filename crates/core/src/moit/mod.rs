//! The MOIT (Bộ Công Thương) statistics inside the shop: the year's report as the screen, the
//! CLI and the exports read it, the visits typed or imported, and the settings of the embedded
//! report server. The figures, exports and server themselves are `hoadon-moit`'s; this module
//! turns what the owner typed into its inputs and its failures into the app's one [`Error`].
//!
//! One concept per file: `error.rs` (`From<MoitError> for Error`), `report.rs` (the year's
//! [`MoitReportView`]), `export.rs` (JSON, CSV, PDF files), `visits.rs` (a day's visits as
//! typed, a CSV import), `server_settings.rs` (the Cài đặt form, its validation and password
//! hashing), `server_status.rs` (where a running server answers).
//!
//! [`Error`]: crate::Error

mod error;
mod export;
mod report;
mod server_settings;
mod server_status;
mod visits;

pub use export::ExportFormat;
pub use report::{MoitApiFigure, MoitExportChoice, MoitReportView};
pub use server_settings::{MoitServerForm, MoitServerSettings};
pub use server_status::MoitServerStatus;

pub use hoadon_moit::{
    ApiFigures, CsvSeparator, KeyCase, MoitError, MoitReport, Result as MoitResult, MoitServer, MoitServerConfig, PAGE_USER, ReportSource,
    ReportTable, Since, StoreSource, VisitsImport, VisitsPeriod, report_table, serve, to_csv,
};

/// Where the shop's domain for the publishing help is kept (beside `moit.server`).
const DOMAIN_KEY: &str = "moit.domain";
