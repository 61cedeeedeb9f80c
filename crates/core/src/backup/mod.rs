//! Copies of the shop's file that survive a dead disk or a bad update, and the way back.
//!
//! - [`copy`]: one copy through SQLite's online backup API into the folder the owner chose
//!   (default `sao-luu` beside the database), under a temporary name, checked
//!   (`integrity_check`, sales and invoices counted), then renamed `hoadon-<date>_<time>.db`.
//! - [`retention`]: which copies are kept (14 daily, 12 monthly), applied only after a
//!   checked copy.
//! - [`schedule`]: when one is due (start-up after a day, daily while the app runs).
//! - [`restore`]: the copies found, and one put back after the current file was copied aside.
//! - [`reattach`]: after a restore, the invoices issued since the copy found again at the
//!   provider and attached to their sales.
//!
//! What happened is kept in the shop's settings (`backup.*`): the last good copy, and since
//! when copies fail, which the main screen shows as "Chưa sao lưu được từ …". Passwords are
//! not in the database (see [`crate::SecretStore`]), so no copy holds them.

pub mod copy;
pub mod reattach;
pub mod restore;
pub mod retention;
pub mod schedule;

use std::path::{Path, PathBuf};

use hoadon_rules::calendar;
use hoadon_store::backup::CopyProgress;
use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

pub use copy::{BackupControl, BackupJob, MadeBackup};
pub use reattach::{ReattachReport, ReattachedInvoice, RestoreReport, UnattachedInvoice};
pub use restore::{BackupEntry, BackupKind, RestoreOutcome};

use crate::{Error, Result, Shop};

const FOLDER: &str = "backup.folder";
const LAST_OK_AT: &str = "backup.last_ok_at";
const LAST_OK_FILE: &str = "backup.last_ok_file";
const FAILING_SINCE: &str = "backup.failing_since";
const LAST_ERROR: &str = "backup.last_error";

/// Every `backup.*` key: carried across a restore, which would otherwise bring back the
/// copy's own (older) record of copies.
const KEYS: [&str; 5] = [FOLDER, LAST_OK_AT, LAST_OK_FILE, FAILING_SINCE, LAST_ERROR];

/// The default folder: `sao-luu` beside the database.
pub fn default_folder(database: &Path) -> PathBuf {
    database.parent().unwrap_or(Path::new(".")).join("sao-luu")
}

/// What Cài đặt and the main screen show about the copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupStatus {
    /// The target folder.
    pub folder: String,
    /// Whether it is the default one (`sao-luu` beside the database).
    pub default_folder: bool,
    /// The last good copy: when (Unix seconds) and its file name.
    #[ts(type = "number | null")]
    pub last_ok_at: Option<i64>,
    /// The last good copy's file name.
    pub last_ok_file: Option<String>,
    /// The first failed attempt since the last good copy, Unix seconds.
    #[ts(type = "number | null")]
    pub failing_since: Option<i64>,
    /// The last failure's sentence.
    pub last_error: Option<String>,
    /// The warning the main screen shows while copies fail: "Chưa sao lưu được từ …".
    pub warning: Option<String>,
    /// Whether a copy is due now.
    pub due: bool,
    /// The copy under way, when one runs (the shell fills it in).
    pub running: Option<CopyProgress>,
    /// What the copies hold and do not hold, for Cài đặt.
    pub passwords_note: String,
}

/// Why passwords are not in a copy, said in Cài đặt.
pub const PASSWORDS_NOTE: &str = "Mật khẩu tài khoản hóa đơn điện tử và tra cứu không nằm trong dữ liệu cửa hàng (chúng ở \
    kho khóa của hệ điều hành hoặc tệp mã hóa riêng), nên bản sao lưu không chứa mật khẩu: sau khi khôi phục trên máy khác, \
    hãy nhập lại mật khẩu trong Cài đặt.";

impl Shop {
    fn backup_setting_i64(&self, key: &str) -> Result<Option<i64>> {
        Ok(self.store().setting(key)?.and_then(|v| v.parse().ok()))
    }

    /// Where the next copy goes and what it copies. A shop in memory has no file to copy.
    pub fn backup_job(&self) -> Result<BackupJob> {
        let database = self
            .database_path()
            .ok_or_else(|| Error::field("backup", "Cửa hàng đang mở trong bộ nhớ, không có tệp dữ liệu để sao lưu."))?;
        let chosen = self.store().setting(FOLDER)?.filter(|f| !f.trim().is_empty()).map(PathBuf::from);
        Ok(BackupJob { folder: chosen.clone().unwrap_or_else(|| default_folder(&database)), chosen: chosen.is_some(), database })
    }

    /// Sets the target folder; `None` goes back to the default. A chosen folder must exist
    /// and be a folder (one on a USB stick is checked again at each copy).
    pub fn set_backup_folder(&self, folder: Option<&Path>, now: i64) -> Result<BackupStatus> {
        match folder {
            None => self.store().remove_setting(FOLDER)?,
            Some(folder) => {
                if !folder.is_absolute() {
                    return Err(Error::field("backup_folder", "Hãy chọn thư mục sao lưu bằng đường dẫn đầy đủ."));
                }
                if !folder.is_dir() {
                    return Err(Error::field("backup_folder", format!("Không thấy thư mục «{}».", folder.display())));
                }
                let text = folder.to_str().ok_or_else(|| Error::field("backup_folder", "Tên thư mục có ký tự không đọc được; hãy chọn thư mục khác."))?;
                self.store().set_setting(FOLDER, text)?;
            }
        }
        self.backup_status(now)
    }

    /// The copies' state at `now` (Unix seconds).
    pub fn backup_status(&self, now: i64) -> Result<BackupStatus> {
        let job = self.backup_job()?;
        let last_ok_at = self.backup_setting_i64(LAST_OK_AT)?;
        let failing_since = self.backup_setting_i64(FAILING_SINCE)?;
        let last_error = self.store().setting(LAST_ERROR)?;
        let warning = failing_since.map(|_| {
            let since = match last_ok_at {
                Some(at) => format!("Chưa sao lưu được từ {} (bản sao lưu tốt gần nhất)", calendar::format_moment(at)),
                None => "Chưa sao lưu được lần nào".to_string(),
            };
            match &last_error {
                Some(why) => format!("{since}: {why}"),
                None => format!("{since}."),
            }
        });
        Ok(BackupStatus {
            folder: job.folder.display().to_string(),
            default_folder: !job.chosen,
            last_ok_at,
            last_ok_file: self.store().setting(LAST_OK_FILE)?,
            failing_since,
            last_error,
            warning,
            due: schedule::is_due(last_ok_at, now),
            running: None,
            passwords_note: PASSWORDS_NOTE.to_string(),
        })
    }

    /// Records how a copy ended: a good one clears the warning, a failure keeps the moment
    /// copies started failing and the sentence why. A cancelled copy changes nothing.
    pub fn record_backup(&self, outcome: &Result<Option<MadeBackup>>, now: i64) -> Result<()> {
        let store = self.store();
        match outcome {
            Ok(Some(made)) => store.in_transaction(|s| {
                s.set_setting(LAST_OK_AT, &made.at.to_string())?;
                s.set_setting(LAST_OK_FILE, &made.file)?;
                s.remove_setting(FAILING_SINCE)?;
                s.remove_setting(LAST_ERROR)
            })?,
            Ok(None) => {}
            Err(e) => store.in_transaction(|s| {
                if s.setting(FAILING_SINCE)?.is_none() {
                    s.set_setting(FAILING_SINCE, &now.to_string())?;
                }
                s.set_setting(LAST_ERROR, &e.user_message())
            })?,
        }
        Ok(())
    }

    /// A copy now, recorded: what the CLI's `hoadon backup now` and the tests do in one call
    /// (the app runs [`BackupJob::run`] without the shop's lock and records after).
    pub fn back_up_now(&self, now: OffsetDateTime, control: &BackupControl) -> Result<Option<MadeBackup>> {
        let outcome = self.backup_job().and_then(|job| job.run(now, control));
        self.record_backup(&outcome, now.unix_timestamp())?;
        outcome
    }

    fn backup_settings(&self) -> Result<Vec<(&'static str, Option<String>)>> {
        KEYS.iter().map(|&k| Ok((k, self.store().setting(k)?))).collect()
    }

    fn put_backup_settings(&self, saved: &[(&'static str, Option<String>)]) -> Result<()> {
        self.store().in_transaction(|s| {
            for (key, value) in saved {
                match value {
                    Some(v) => s.set_setting(key, v)?,
                    None => s.remove_setting(key)?,
                }
            }
            Ok(())
        })?;
        Ok(())
    }
}
