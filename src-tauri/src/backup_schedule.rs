//! The copies while the app runs: one at start-up when the last good copy is older than a
//! day, then a check every ten minutes (`hoadon_core::backup::schedule`), and "Sao lưu ngay".
//! One copy at a time; it runs on a blocking thread with a connection of its own, so sales
//! are saved meanwhile, and the shop's lock is taken only to read the folder and to record
//! the outcome. What happened is in the shop's settings, which the main screen's warning and
//! Cài đặt read.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hoadon_core::backup::schedule::CHECK_EVERY_SECONDS;
use hoadon_core::backup::{BackupControl, MadeBackup};
use hoadon_core::rules::calendar;
use hoadon_core::store::backup::CopyProgress;
use hoadon_core::Error;
use tauri::{AppHandle, Manager};

use crate::state::AppState;

/// The copy under way, if any.
#[derive(Default)]
pub struct BackupRunner {
    running: Mutex<Option<Arc<BackupControl>>>,
}

impl BackupRunner {
    /// The progress of the copy under way.
    pub fn progress(&self) -> Option<CopyProgress> {
        self.lock().as_ref().map(|c| c.progress())
    }

    /// "Hủy": asks the copy under way to stop; false when none runs.
    pub fn cancel(&self) -> bool {
        self.lock().as_ref().map(|c| c.cancel()).is_some()
    }

    pub fn is_running(&self) -> bool {
        self.lock().is_some()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<BackupControl>>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Makes a copy now and records it. A second one while one runs is refused.
pub async fn back_up(app: &AppHandle) -> Result<Option<MadeBackup>, Error> {
    let runner = app.state::<BackupRunner>();
    let control = {
        let mut slot = runner.lock();
        if slot.is_some() {
            return Err(Error::field("backup", "Đang sao lưu; hãy đợi bản sao lưu này xong."));
        }
        let control = Arc::new(BackupControl::new());
        *slot = Some(control.clone());
        control
    };
    let state = app.state::<AppState>();
    let job = state.shop().backup_job();
    let outcome = match job {
        Ok(job) => {
            let control = control.clone();
            tauri::async_runtime::spawn_blocking(move || job.run(calendar::now(), &control))
                .await
                .unwrap_or_else(|e| Err(Error::field("backup", format!("Việc sao lưu dừng bất thường ({e})."))))
        }
        Err(e) => Err(e),
    };
    *runner.lock() = None;
    if let Err(e) = state.shop().record_backup(&outcome, calendar::now().unix_timestamp()) {
        tracing::error!(error = ?e, "the backup's outcome could not be recorded");
    }
    if let Err(e) = &outcome {
        tracing::warn!(error = ?e, "backup failed");
    }
    outcome
}

/// Starts the schedule: a copy at start-up when one is due, then every check.
pub fn start(app: AppHandle) {
    app.manage(BackupRunner::default());
    tauri::async_runtime::spawn(async move {
        loop {
            let due = {
                let state = app.state::<AppState>();
                let now = calendar::now().unix_timestamp();
                state.shop().backup_status(now).map(|s| s.due)
            };
            match due {
                Ok(true) if !app.state::<BackupRunner>().is_running() => {
                    let _ = back_up(&app).await;
                }
                Ok(_) => {}
                Err(e) => tracing::debug!(error = ?e, "no backup possible for this shop"),
            }
            tokio::time::sleep(Duration::from_secs(CHECK_EVERY_SECONDS)).await;
        }
    });
}
