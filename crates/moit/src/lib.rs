//! The e-commerce statistics the Ministry of Industry and Trade (Bộ Công Thương, MOIT)
//! collects from a selling website or app, through online.gov.vn.
//!
//! The ministry asks nine figures (visits; sellers, total and new; products, total and
//! new; orders, total, successful and unsuccessful; the value of the successful orders)
//! and offers two ways to hand them over: an API it pulls with a `POST`, or a report page
//! it logs into as `BaocaoTMDT`. This crate computes the figures from the shop's database,
//! exports them, and serves both options.
//!
//! # Computing
//! [`report()`] gives a [`MoitReport`]: each figure with the period it covers. Order figures
//! and "new" figures run from 01/01 00:00 (+07) of the year to `as_of`; totals of sellers
//! and products from the start of operation to `as_of`. Orders: `completed` is successful,
//! `failed` unsuccessful, `pending` counts in the total only. The transaction value sums
//! the totals (VAT included) of successful orders. The two documents disagree on the
//! period of the visits, so both are computed and [`VisitsPeriod`] chooses what the API
//! and the page each show ([`MoitReport::with_visits_period`]).
//!
//! ```no_run
//! # fn main() -> hoadon_moit::Result<()> {
//! # let store = hoadon_store::Store::open_in_memory()?;
//! use hoadon_moit::{report, report_table, ApiFigures, KeyCase, VisitsPeriod};
//! let now = hoadon_rules::calendar::now().unix_timestamp();
//! let year = hoadon_rules::calendar::date_of(now).year();
//! let report = report(&store, year, now)?.with_visits_period(VisitsPeriod::AsEachDocumentSays);
//! let json = ApiFigures::of(&report).to_json(KeyCase::Camel);   // the API answer
//! let table = report_table(&report);                              // the page, CSV, PDF, screen
//! let csv = hoadon_moit::to_csv(&table, hoadon_moit::CsvSeparator::Comma);
//! let pdf: Vec<u8> = hoadon_moit::to_pdf(&table)?;
//! # Ok(()) }
//! ```
//!
//! # Exporting
//! - JSON: [`ApiFigures`] under the guide's exact keys ([`API_KEYS`], misspelt
//!   `tongSoDongHangKhongThanhCong` included), camelCase or PascalCase ([`KeyCase`]).
//! - The page table as data: [`report_table`] → [`ReportTable`] of [`ReportRow`]s, in the
//!   guide's order and wording; drawn by [`report_html`], [`to_csv`] (UTF-8 with BOM for
//!   Excel) and [`to_pdf`].
//!
//! # Visits
//! The app does not see web visitors; [`import_visits`] reads a web-analytics CSV export
//! (dates `dd/MM/yyyy` or `yyyy-MM-dd`) and reports refused lines with the reason.
//!
//! # Serving
//! [`serve`] starts the embedded server (off by default, 127.0.0.1) from a
//! [`MoitServerConfig`] and a [`ReportSource`]:
//! - `POST /api/baocao` (path configurable): `{"UserName","PassWord"}` → the nine keys;
//!   400 for a body that is not JSON, 401 for a wrong account, 405 for another method,
//!   429 with `Retry-After` while an address is held back after repeated failures.
//! - `GET /` login form → `POST /login` as `BaocaoTMDT` → session cookie (HttpOnly,
//!   SameSite=Strict) → `GET /baocao`, the table; without a session, `/baocao` redirects to
//!   `/`. `POST /logout` ends the session.
//!
//! Passwords are kept as Argon2id hashes ([`hash_password`]). Publishing the server as
//! `baocao.<domain>` takes a reverse proxy with TLS: [`publishing_help`] explains it to the
//! merchant in Vietnamese.

mod csv;
mod json;
mod pdf;
mod publishing;
mod report;
mod server;
mod table;
mod visits;

use thiserror::Error;

pub use crate::csv::{CsvSeparator, UTF8_BOM, quote as quote_csv_field, to_csv};
pub use crate::json::{API_KEYS, ApiFigures, KeyCase, Keyed};
pub use crate::pdf::to_pdf;
pub use crate::publishing::{public_host, publishing_help, publishing_help_for};
pub use crate::report::{Figure, MoitReport, MonthFigures, Since, VisitsPeriod, as_of_for_year, end_of_year, report};
pub use crate::server::{
    ApiOption, BackoffPolicy, DEFAULT_API_PATH, DEFAULT_PORT, GLOBAL_FAILURES_PER_MINUTE, MAX_VERIFICATIONS,
    MIN_PASSWORD_CHARS, MoitServer, MoitServerConfig,
    PAGE_PATHS, PageOption, ReportSource, SETTINGS_KEY, ServerTimeouts, StoreSource, host_allowed, address_key, hash_password, is_valid_password_hash,
    login_html,
    report_html, serve, validate_config,
};
pub use crate::table::{COLUMNS, HEADING, PAGE_USER, ReportRow, ReportTable, report_table};
pub use crate::visits::{
    ParsedDay, ParsedVisits, RefusedLine, SHOWN_CHARS, SHOWN_REFUSED, VisitsImport, import_visits, import_visits_file,
    parse_visits_csv,
};

/// What can go wrong; the messages are Vietnamese, for the shop owner.
#[derive(Debug, Error)]
pub enum MoitError {
    /// The shop's database could not be read.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Store(#[from] hoadon_store::StoreError),
    /// A query of the report failed.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("thời điểm thống kê {as_of} không thuộc năm {year}")]
    /// The moment asked is not in the year asked.
    OutsideYear {
        /// The year asked.
        year: i32,
        /// The moment, as shown.
        as_of: String,
    },
    /// The PDF export failed.
    #[error("không tạo được tệp PDF: {0}")]
    Pdf(String),
    #[error("cấu hình báo cáo Bộ Công Thương chưa đúng: {0}")]
    /// The server's configuration is not usable (why).
    Config(String),
    #[error("không mở được cổng {addr} cho máy chủ báo cáo: {reason}")]
    /// The server could not listen.
    Bind {
        /// The address and port.
        addr: String,
        /// Why.
        reason: String,
    },
    #[error("không tạo được mã băm mật khẩu: {0}")]
    /// A password could not be hashed.
    PasswordHash(String),
    /// A file could not be read or written.
    #[error("lỗi đọc ghi: {0}")]
    Io(String),
}

/// What this crate's functions return.
pub type Result<T, E = MoitError> = std::result::Result<T, E>;
