//! The files an export writes before its final rename, and those an export that was killed
//! (a power cut, the app closed by force) left behind.
//!
//! Everything an export writes lives beside the chosen file, hidden and named after it and
//! after the process: the file itself (`.bang-ke….xlsx.dang-xuat-<pid>`) and, for `.xlsx`,
//! the scratch folder of the spreadsheet writer (`….dang-xuat-<pid>.tam`), kept beside the
//! target rather than in the system's temporary folder, which may be too small for a million
//! rows. An owner who finds one knows what it was; the next export to the same name removes
//! those over an hour old whose process is gone, and any over a day old.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What the temporary names carry between the target's name and the process id.
const MARK: &str = ".dang-xuat-";

/// Where a process that cannot be asked about is taken as gone: no export runs a day. A pid
/// may also have been taken by another program since, so after a day the file goes whatever
/// `/proc` says.
const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Younger than this, a leftover stays even when no process of its pid runs here: the folder
/// may be shared (a network drive, a synced folder) and the export another computer's, whose
/// pids this one cannot see. A million-sale export takes well under a minute.
const SURELY_OVER_AFTER: Duration = Duration::from_secs(3600);

/// The temporary file of this process's export to `path`.
pub(crate) fn file_for(path: &Path) -> PathBuf {
    path.with_file_name(format!(".{}{MARK}{}", file_name(path), std::process::id()))
}

/// The spreadsheet writer's scratch folder for the temporary file `temporary`.
pub(crate) fn scratch_for(temporary: &Path) -> PathBuf {
    let mut name = temporary.file_name().unwrap_or_default().to_os_string();
    name.push(".tam");
    temporary.with_file_name(name)
}

/// Removes what earlier exports to `path` left when their process died; returns how many
/// were removed. A leftover under an hour old stays (the export may be another computer's, in
/// a shared folder), and so does one whose process still runs here, until it is a day old.
pub(crate) fn sweep(path: &Path) -> usize {
    let prefix = format!(".{}{MARK}", file_name(path));
    let folder = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(folder) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else { continue };
        let Ok(pid) = rest.trim_end_matches(".tam").parse::<u32>() else { continue };
        let modified = entry.metadata().and_then(|m| m.modified()).unwrap_or(SystemTime::now());
        if pid == std::process::id() || !abandoned(pid, modified) {
            continue;
        }
        let gone = if entry.path().is_dir() { std::fs::remove_dir_all(entry.path()) } else { std::fs::remove_file(entry.path()) };
        match gone {
            Ok(()) => {
                tracing::info!(file = %entry.path().display(), "removed what a killed export left");
                removed += 1;
            }
            Err(e) => tracing::warn!(file = %entry.path().display(), error = %e, "could not remove what a killed export left"),
        }
    }
    removed
}

/// Whether the export of process `pid` is over: on Linux, its `/proc` entry gone and the file
/// untouched for an hour; anywhere, the file a day old.
fn abandoned(pid: u32, modified: SystemTime) -> bool {
    // A time in the future (a clock set back) is no age at all.
    let age = modified.elapsed().unwrap_or(Duration::ZERO);
    if age > ABANDONED_AFTER {
        return true;
    }
    cfg!(target_os = "linux") && age > SURELY_OVER_AFTER && !Path::new(&format!("/proc/{pid}")).exists()
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Above Linux's largest pid (2^22), so never a running process.
    const DEAD: u32 = 4_194_305;

    fn age(path: &Path, by: Duration) {
        let when = SystemTime::now() - by;
        if path.is_dir() {
            // A folder's time is set through a handle opened on it; Unix opens a folder so,
            // Windows does not (these tests run on the Linux CI).
            std::fs::File::open(path).unwrap().set_modified(when).unwrap();
        } else {
            std::fs::OpenOptions::new().write(true).open(path).unwrap().set_modified(when).unwrap();
        }
    }

    #[test]
    fn a_killed_export_s_files_go_and_a_running_one_s_stay() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bang-ke-ban-hang-2026-03.xlsx");
        let dead_file = dir.path().join(format!(".bang-ke-ban-hang-2026-03.xlsx.dang-xuat-{DEAD}"));
        let dead_scratch = dir.path().join(format!(".bang-ke-ban-hang-2026-03.xlsx.dang-xuat-{DEAD}.tam"));
        // pid 1 (init) is alive on every Linux machine; our own export is never swept.
        let running = dir.path().join(".bang-ke-ban-hang-2026-03.xlsx.dang-xuat-1");
        let own = file_for(&target);
        let other_target = dir.path().join(format!(".hoa-don-2026-03.xlsx.dang-xuat-{DEAD}"));
        std::fs::write(&dead_file, b"cut").unwrap();
        std::fs::create_dir(&dead_scratch).unwrap();
        std::fs::write(dead_scratch.join(".tmp123"), b"rows").unwrap();
        for kept in [&running, &own, &other_target] {
            std::fs::write(kept, b"x").unwrap();
        }
        for path in [&dead_file, &dead_scratch, &running, &own, &other_target] {
            age(path, Duration::from_secs(2 * 3600));
        }
        if cfg!(target_os = "linux") {
            assert_eq!(sweep(&target), 2);
            assert!(!dead_file.exists() && !dead_scratch.exists());
        }
        assert!(running.exists() && own.exists() && other_target.exists(), "only this target's dead leftovers go");
        assert_eq!(scratch_for(&own).file_name().unwrap().to_string_lossy(), format!(".bang-ke-ban-hang-2026-03.xlsx.dang-xuat-{}.tam", std::process::id()));
    }

    /// A shared folder: another computer's export, its pid unknown here, written a minute ago.
    #[test]
    fn a_young_leftover_of_an_unknown_process_stays_until_an_hour_has_passed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bang-ke-ban-hang-2026-03.xlsx");
        let young = dir.path().join(format!(".bang-ke-ban-hang-2026-03.xlsx.dang-xuat-{DEAD}"));
        std::fs::write(&young, b"rows").unwrap();
        age(&young, Duration::from_secs(60));
        assert_eq!(sweep(&target), 0);
        assert!(young.exists(), "a minute old: maybe still being written");
        age(&young, Duration::from_secs(3 * 3600));
        let expected = if cfg!(target_os = "linux") { 1 } else { 0 };
        assert_eq!(sweep(&target), expected, "three hours old and no such process here");
        // Running pid 1's file goes too once it is a day old: that pid is someone else's now.
        let reused = dir.path().join(".bang-ke-ban-hang-2026-03.xlsx.dang-xuat-1");
        std::fs::write(&reused, b"rows").unwrap();
        age(&reused, Duration::from_secs(25 * 3600));
        sweep(&target);
        assert!(!reused.exists(), "a day old: abandoned whatever runs under its pid");
    }
}
