//! How far an export is, and the owner's "Hủy".

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What an export is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "AccountingExportPhase")]
pub enum ExportPhase {
    /// Adding up the period (the VAT per rate, which also names the listing's columns).
    Summing,
    /// Writing the rows: `done` of `total`.
    Writing,
    /// Closing the file (the `.xlsx` zips the rows it streamed aside).
    Saving,
}

impl ExportPhase {
    fn code(self) -> u8 {
        self as u8
    }

    fn from_code(code: u8) -> ExportPhase {
        match code {
            0 => ExportPhase::Summing,
            1 => ExportPhase::Writing,
            _ => ExportPhase::Saving,
        }
    }

    /// The phase as the progress bar says it.
    pub fn label(self) -> &'static str {
        match self {
            ExportPhase::Summing => "Đang tổng hợp số liệu",
            ExportPhase::Writing => "Đang ghi các dòng",
            ExportPhase::Saving => "Đang hoàn tất tệp",
        }
    }
}

/// What the window's progress bar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "AccountingExportProgress")]
pub struct ExportProgress {
    /// What the export is doing.
    pub phase: ExportPhase,
    /// [`ExportPhase::label`], for the window.
    pub label: String,
    /// Rows written so far.
    #[ts(type = "number")]
    pub done: u64,
    /// Rows the listing will have (0 until known).
    #[ts(type = "number")]
    pub total: u64,
    /// The owner asked to stop; the export stops at its next row.
    pub cancelling: bool,
}

/// Shared between the export (which moves it on) and whoever shows it or cancels it, across
/// threads.
#[derive(Debug, Default)]
pub struct Progress {
    phase: AtomicU8,
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
}

impl Progress {
    /// A new export's progress: summing, nothing done.
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Asks the export to stop. It stops at its next row, removes its temporary file and
    /// answers [`ExportOutcome::Cancelled`](crate::ExportOutcome::Cancelled).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`Progress::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Where the export stands now.
    pub fn snapshot(&self) -> ExportProgress {
        let phase = ExportPhase::from_code(self.phase.load(Ordering::Relaxed));
        ExportProgress {
            phase,
            label: phase.label().to_string(),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            cancelling: self.is_cancelled(),
        }
    }

    pub(crate) fn enter(&self, phase: ExportPhase, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        // Saving comes once every row is written.
        let done = if phase == ExportPhase::Saving { total } else { 0 };
        self.done.store(done, Ordering::Relaxed);
        self.phase.store(phase.code(), Ordering::Relaxed);
    }

    /// One more row written; `Err(Cancelled)` once the owner cancelled.
    pub(crate) fn step(&self) -> crate::Result<()> {
        self.done.fetch_add(1, Ordering::Relaxed);
        self.check()
    }

    pub(crate) fn check(&self) -> crate::Result<()> {
        if self.is_cancelled() { Err(crate::AccountingError::Cancelled) } else { Ok(()) }
    }
}
