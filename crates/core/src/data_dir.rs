//! Where the shop's database lives.
//!
//! One file, `hoadon.db`, in the app's data folder — the folder Tauri gives the desktop app
//! (`~/.local/share/<identifier>` on Linux) — unless `HOADON_DB` names another file. The CLI
//! uses the same rule, so the window and a script see the same shop.

use std::path::PathBuf;

/// The app's identifier, as in `tauri.conf.json`; it names the data folder.
pub const IDENTIFIER: &str = "vn.hoadon.cuahang";

/// The environment variable that points the app and the CLI at another database file.
pub const DATABASE_ENV: &str = "HOADON_DB";

/// `$XDG_DATA_HOME/<identifier>`, else `~/.local/share/<identifier>` (Linux's rule, which is
/// what Tauri's `app_data_dir` resolves to there).
pub fn default_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join(IDENTIFIER)
}

/// The database file: `HOADON_DB` when set, else `hoadon.db` in `data_dir`.
pub fn database_path(data_dir: Option<PathBuf>) -> PathBuf {
    match std::env::var_os(DATABASE_ENV).filter(|v| !v.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => data_dir.unwrap_or_else(default_data_dir).join("hoadon.db"),
    }
}
