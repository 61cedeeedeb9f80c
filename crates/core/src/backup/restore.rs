//! The copies found in the folder, and one put back in place of the current file.
//!
//! Before anything is overwritten the current file is itself copied (checked, like any copy)
//! into the folder as `truoc-khoi-phuc-<date>_<time>.db`, which pruning never removes and the
//! list shows: a restore of the wrong day can be undone by restoring that one. The copy is put
//! back through SQLite's backup API into the open database, and the shop is then opened again
//! on it (migrating an older copy).

use std::path::{Path, PathBuf};

use hoadon_rules::calendar::VIETNAM;
use hoadon_store::backup::{self as store_backup, BackupCounts};
use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

use super::copy::BackupControl;
use super::retention::{self, BEFORE_RESTORE_PREFIX};
use crate::{Error, Result, Shop};

/// What a listed copy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupKind {
    /// A copy of the schedule or of "Sao lưu ngay".
    Scheduled,
    /// The current file as it was just before a restore.
    BeforeRestore,
}

/// A copy found in the folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupEntry {
    /// Its file name, which is what "Khôi phục" names.
    pub file: String,
    /// When it was taken (from its name), Unix seconds.
    #[ts(type = "number")]
    pub at: i64,
    /// What it is.
    pub kind: BackupKind,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// What it holds; `None` when it cannot be read (then `problem` says why).
    pub counts: Option<BackupCounts>,
    /// Why it cannot be read.
    pub problem: Option<String>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RestoreOutcome {
    /// The copy put back.
    pub restored: String,
    /// When that copy was taken, Unix seconds (from its name, else the file's time).
    #[ts(type = "number")]
    pub backup_at: i64,
    /// What the shop holds now.
    pub counts: BackupCounts,
    /// Where the file as it was before is kept.
    pub kept_copy: String,
}

impl Shop {
    /// The copies in the backup folder, newest first.
    pub fn list_backups(&self) -> Result<Vec<BackupEntry>> {
        let job = self.backup_job()?;
        let mut entries: Vec<BackupEntry> = job
            .names()
            .into_iter()
            .filter_map(|file| {
                let (moment, scheduled) = retention::moment_of(&file)?;
                let path = job.folder.join(&file);
                let size_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                let (counts, problem) = match store_backup::read_counts(&path) {
                    Ok(c) => (Some(c), None),
                    Err(e) => {
                        tracing::warn!(file = %path.display(), error = %e, "a backup could not be read");
                        (None, Some("Không đọc được tệp này (hỏng hoặc không phải dữ liệu của ứng dụng).".to_string()))
                    }
                };
                let kind = if scheduled { BackupKind::Scheduled } else { BackupKind::BeforeRestore };
                Some(BackupEntry { file, at: moment.assume_offset(VIETNAM).unix_timestamp(), kind, size_bytes, counts, problem })
            })
            .collect();
        entries.sort_by(|a, b| b.at.cmp(&a.at).then(b.file.cmp(&a.file)));
        Ok(entries)
    }

    /// The path of the listed copy `file`: a bare name of a copy in the folder, nothing else
    /// (the window names a copy from the list, never a path).
    pub fn backup_file(&self, file: &str) -> Result<PathBuf> {
        let bare = Path::new(file).file_name().and_then(|n| n.to_str()) == Some(file);
        if !bare || retention::moment_of(file).is_none() {
            return Err(Error::field("backup", format!("«{file}» không phải là một bản sao lưu trong danh sách.")));
        }
        let path = self.backup_job()?.folder.join(file);
        if !path.is_file() {
            return Err(Error::field("backup", format!("Không còn thấy bản sao lưu «{file}» trong thư mục sao lưu.")));
        }
        Ok(path)
    }

    /// Puts the copy at `file` back as the shop's data, after copying the current file into the
    /// backup folder; the shop is then this copy, reopened (and migrated when older).
    pub fn restore_backup(&mut self, file: &Path, now: OffsetDateTime) -> Result<RestoreOutcome> {
        let database = self.database_path().ok_or_else(|| Error::field("backup", "Cửa hàng đang mở trong bộ nhớ, không có tệp để khôi phục vào."))?;
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if std::fs::canonicalize(file).ok().is_some_and(|f| std::fs::canonicalize(&database).ok() == Some(f)) {
            return Err(Error::field("backup", "Đây là chính tệp dữ liệu đang dùng, không phải một bản sao lưu."));
        }
        if let Err(e) = store_backup::verify_readable(file) {
            tracing::warn!(file = %file.display(), error = %e, "refused to restore an unreadable copy");
            return Err(Error::field("backup", format!("Không khôi phục được từ «{name}»: tệp hỏng hoặc không phải dữ liệu của ứng dụng.")));
        }
        let backup_at = retention::moment_of(&name)
            .map(|(m, _)| m.assume_offset(VIETNAM).unix_timestamp())
            .or_else(|| std::fs::metadata(file).and_then(|m| m.modified()).ok().map(|t| OffsetDateTime::from(t).unix_timestamp()))
            .unwrap_or(0);
        let kept_copy = self.keep_current(now)?;
        let carried = self.backup_settings()?;
        self.store_mut().restore_from(file, &mut |_| {})?;
        *self = Shop::open(&database)?;
        self.put_backup_settings(&carried)?;
        let counts = self.store().backup_counts()?;
        tracing::info!(restored = %file.display(), kept = %kept_copy, ?counts, "restored the shop from a backup");
        Ok(RestoreOutcome { restored: name, backup_at, counts, kept_copy })
    }

    /// The current file, copied and checked as `truoc-khoi-phuc-<date>_<time>.db`.
    fn keep_current(&self, now: OffsetDateTime) -> Result<String> {
        let job = self.backup_job()?;
        let made = job.run_named(now, BEFORE_RESTORE_PREFIX, &BackupControl::new())?;
        Ok(made)
    }
}

impl super::copy::BackupJob {
    /// The copy kept before a restore: the same copy and check, under `prefix`, no pruning.
    pub(crate) fn run_named(&self, now: OffsetDateTime, prefix: &str, control: &BackupControl) -> Result<String> {
        self.copy_checked(now, prefix, control)?
            .map(|(file, _)| file)
            .ok_or_else(|| Error::field("backup", "Việc sao chép dữ liệu hiện tại đã bị hủy; chưa khôi phục gì."))
    }
}
