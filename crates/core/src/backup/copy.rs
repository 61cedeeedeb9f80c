//! One copy: into a temporary name in the target folder, checked, then renamed to its final
//! name; only after that are old copies pruned. A copy stopped with "Hủy", or one that fails
//! its check, leaves nothing under a final name.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use hoadon_store::backup::{self as store_backup, BackupCounts, CopyProgress};
use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

use super::retention;
use crate::{Error, Result};

/// Where a copy goes and what it copies, read from the shop's settings
/// ([`crate::Shop::backup_job`]); it holds no connection, so a long copy never holds the
/// shop's lock.
#[derive(Debug, Clone)]
pub struct BackupJob {
    /// The shop's database file.
    pub database: PathBuf,
    /// The target folder.
    pub folder: PathBuf,
    /// Whether the owner chose the folder. The default folder (`sao-luu` beside the database)
    /// is created when missing; a chosen one that is gone (a USB stick pulled out) is a
    /// failure, never silently recreated on the computer's own disk.
    pub chosen: bool,
}

/// The progress of the copy under way, and the owner's "Hủy": shared between the copy and
/// whoever shows it.
#[derive(Debug, Default)]
pub struct BackupControl {
    // Shared with the check of the finished copy, which SQLite interrupts from its own callback.
    cancelled: Arc<AtomicBool>,
    done: AtomicU32,
    total: AtomicU32,
}

impl BackupControl {
    /// A control for a new copy.
    pub fn new() -> BackupControl {
        BackupControl::default()
    }

    /// Asks the copy to stop at its next step.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Whether "Hủy" was asked.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// How far the copy has gone.
    pub fn progress(&self) -> CopyProgress {
        CopyProgress { done: self.done.load(Ordering::Relaxed), total: self.total.load(Ordering::Relaxed) }
    }

    fn report(&self, p: CopyProgress) -> bool {
        self.total.store(p.total, Ordering::Relaxed);
        self.done.store(p.done, Ordering::Relaxed);
        !self.is_cancelled()
    }
}

/// A copy made and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MadeBackup {
    /// Its file name in the folder.
    pub file: String,
    /// When it was taken, Unix seconds.
    #[ts(type = "number")]
    pub at: i64,
    /// What it holds.
    pub counts: BackupCounts,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// The old copies removed after it was checked.
    pub pruned: Vec<String>,
}

/// A temporary copy left by a crash is removed by a later copy once it is this old (a copy
/// by the CLI beside the app may be writing a younger one).
const STALE_TEMP_SECONDS: u64 = 86_400;
const TEMP_PREFIX: &str = ".dang-sao-luu-";

impl BackupJob {
    /// Copies the database into the folder as `hoadon-<date>_<time>.db`, checks the copy,
    /// then prunes. `Ok(None)` when stopped by [`BackupControl::cancel`].
    pub fn run(&self, now: OffsetDateTime, control: &BackupControl) -> Result<Option<MadeBackup>> {
        let Some((file, counts)) = self.copy_checked(now, retention::PREFIX, control)? else {
            return Ok(None);
        };
        let size_bytes = std::fs::metadata(self.folder.join(&file)).map(|m| m.len()).unwrap_or(0);
        let pruned = self.prune();
        tracing::info!(%file, ?counts, size_bytes, pruned = pruned.len(), "backup made and checked");
        Ok(Some(MadeBackup { file, at: now.unix_timestamp(), counts, size_bytes, pruned }))
    }

    /// The copy under a temporary name, checked, renamed `<prefix><date>_<time>.db`: its name
    /// and counts, or `None` when cancelled (nothing left behind).
    pub(crate) fn copy_checked(&self, now: OffsetDateTime, prefix: &str, control: &BackupControl) -> Result<Option<(String, BackupCounts)>> {
        self.ready_folder()?;
        self.remove_stale_temps();
        let temp = self.folder.join(format!("{TEMP_PREFIX}{}-{}.tmp", std::process::id(), now.unix_timestamp_nanos()));
        let snapshot = match store_backup::copy_database(&self.database, &temp, &mut |p| control.report(p)) {
            Ok(Some(counts)) => counts,
            Ok(None) => {
                tracing::info!(folder = %self.folder.display(), "backup cancelled; the partial copy was removed");
                return Ok(None);
            }
            Err(e) => {
                tracing::warn!(error = %e, temp = %temp.display(), "backup copy failed");
                return Err(self.write_failure(&e.to_string()));
            }
        };
        // "Hủy" is honoured while the copy is checked too: the bar is still on screen.
        let counts = match store_backup::verify_copy(&temp, Arc::clone(&control.cancelled)) {
            Ok(None) => {
                store_backup::remove_with_journals(&temp);
                tracing::info!(folder = %self.folder.display(), "backup cancelled while checked; the copy was removed");
                return Ok(None);
            }
            Ok(Some(counts)) if counts == snapshot => counts,
            Ok(Some(counts)) => {
                store_backup::remove_with_journals(&temp);
                tracing::error!(?counts, ?snapshot, "backup copy holds other counts than the database");
                return Err(Error::field("backup", "Bản sao lưu vừa tạo không khớp số đơn hàng/hóa đơn với dữ liệu; đã bỏ bản sao đó."));
            }
            Err(e) => {
                store_backup::remove_with_journals(&temp);
                tracing::error!(error = %e, "backup copy failed its check");
                return Err(Error::field("backup", "Bản sao lưu vừa tạo không qua được bước kiểm tra (integrity_check); đã bỏ bản sao đó."));
            }
        };
        let (file, path) = self.final_name(prefix, now);
        let renamed = sync_file(&temp).and_then(|()| std::fs::rename(&temp, &path)).and_then(|()| sync_dir(&self.folder));
        if let Err(e) = renamed {
            store_backup::remove_with_journals(&temp);
            return Err(self.write_failure(&e.to_string()));
        }
        Ok(Some((file, counts)))
    }

    fn ready_folder(&self) -> Result<()> {
        let shown = self.folder.display();
        if !self.chosen {
            std::fs::create_dir_all(&self.folder)
                .map_err(|e| Error::field("backup_folder", format!("Không tạo được thư mục sao lưu «{shown}» ({e}).")))?;
        }
        match std::fs::metadata(&self.folder) {
            Ok(m) if m.is_dir() => Ok(()),
            Ok(_) => Err(Error::field("backup_folder", format!("«{shown}» không phải là thư mục."))),
            Err(_) => Err(Error::field(
                "backup_folder",
                format!("Không thấy thư mục sao lưu «{shown}» (ổ USB đã rút ra, hoặc thư mục đã bị xóa hay đổi tên?)."),
            )),
        }
    }

    /// The owner reads where and the likely causes; SQLite's or the OS's words go to the log.
    fn write_failure(&self, detail: &str) -> Error {
        tracing::warn!(folder = %self.folder.display(), detail, "the backup could not be written");
        Error::field(
            "backup_folder",
            format!("Không ghi được bản sao lưu vào thư mục «{}»: thư mục chỉ cho đọc, ổ đĩa đã đầy hoặc không có quyền ghi.", self.folder.display()),
        )
    }

    fn final_name(&self, prefix: &str, now: OffsetDateTime) -> (String, PathBuf) {
        (1..)
            .map(|attempt| retention::file_name(prefix, now, attempt))
            .map(|name| {
                let path = self.folder.join(&name);
                (name, path)
            })
            .find(|(_, path)| !path.exists())
            .expect("some attempt number is free")
    }

    /// The names of the files in the folder (an unreadable folder lists nothing).
    pub(crate) fn names(&self) -> Vec<String> {
        std::fs::read_dir(&self.folder)
            .map(|dir| dir.filter_map(|e| e.ok()).filter_map(|e| e.file_name().into_string().ok()).collect())
            .unwrap_or_default()
    }

    fn prune(&self) -> Vec<String> {
        let mut pruned = Vec::new();
        for name in retention::to_prune(&self.names()) {
            match std::fs::remove_file(self.folder.join(&name)) {
                Ok(()) => pruned.push(name),
                Err(e) => tracing::warn!(file = %name, error = %e, "an old backup could not be removed"),
            }
        }
        pruned
    }

    fn remove_stale_temps(&self) {
        for name in self.names().into_iter().filter(|n| n.starts_with(TEMP_PREFIX)) {
            let path = self.folder.join(&name);
            let old = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > STALE_TEMP_SECONDS);
            if old {
                store_backup::remove_with_journals(&path);
            }
        }
    }
}

fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
}

/// The rename itself reaches the disk (a USB stick pulled out right after keeps the copy).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
