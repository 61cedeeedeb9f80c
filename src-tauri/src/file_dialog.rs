//! The system's "Lưu thành…" and "Mở…" dialogs, opened by the commands themselves so that no
//! command takes a file path from the webview: a script running in the window can only ask
//! for a dialog, and the owner chooses (or cancels) where anything is written or read.
//!
//! The end-to-end tests cannot click in a native GTK dialog. When the app is started with
//! `HOADON_E2E_DIALOG_ANSWER_FILE=<file>`, each dialog instead reads the path the owner
//! "picks" from that file and deletes it (no file, or an empty one: the owner cancelled).
//! Only whoever starts the app can set it; the window cannot.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};
use tokio::sync::oneshot;

/// The environment variable naming the tests' answer file.
const ANSWER_FILE: &str = "HOADON_E2E_DIALOG_ANSWER_FILE";

/// What a dialog offers: its title, the file types, and for a save the proposed name.
pub struct Dialog<'a> {
    pub title: &'a str,
    /// The filter's name as the dialog shows it ("PDF", "CSV") and its extensions.
    pub filter: (&'a str, &'a [&'a str]),
}

/// "Lưu thành…" proposing `file_name`: the path chosen, or `None` when the owner cancels.
pub async fn save<R: Runtime>(app: &AppHandle<R>, dialog: Dialog<'_>, file_name: &str) -> Option<PathBuf> {
    if let Some(answer) = test_answer() {
        return answer;
    }
    let (tx, rx) = oneshot::channel();
    builder(app, &dialog).set_file_name(file_name).save_file(move |path| {
        let _ = tx.send(path);
    });
    chosen(rx).await
}

/// "Mở…" for one file: the path chosen, or `None` when the owner cancels.
pub async fn open<R: Runtime>(app: &AppHandle<R>, dialog: Dialog<'_>) -> Option<PathBuf> {
    if let Some(answer) = test_answer() {
        return answer;
    }
    let (tx, rx) = oneshot::channel();
    builder(app, &dialog).pick_file(move |path| {
        let _ = tx.send(path);
    });
    chosen(rx).await
}

/// "Chọn thư mục…": the folder chosen, or `None` when the owner cancels.
pub async fn folder<R: Runtime>(app: &AppHandle<R>, title: &str) -> Option<PathBuf> {
    if let Some(answer) = test_answer() {
        return answer;
    }
    let (tx, rx) = oneshot::channel();
    app.dialog().file().set_title(title).pick_folder(move |path| {
        let _ = tx.send(path);
    });
    chosen(rx).await
}

fn builder<R: Runtime>(app: &AppHandle<R>, dialog: &Dialog<'_>) -> FileDialogBuilder<R> {
    let (name, extensions) = dialog.filter;
    app.dialog().file().set_title(dialog.title).add_filter(name, extensions)
}

async fn chosen(rx: oneshot::Receiver<Option<FilePath>>) -> Option<PathBuf> {
    // A path the platform hands back as a URL that is not a file (never on desktop) counts as
    // cancelled rather than being guessed at.
    rx.await.ok().flatten().and_then(|path| path.into_path().ok())
}

/// `Some(answer)` when the tests answer the dialogs; `None` to open the real one.
fn test_answer() -> Option<Option<PathBuf>> {
    let file = std::env::var_os(ANSWER_FILE)?;
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let _ = std::fs::remove_file(&file);
    let path = text.trim();
    Some((!path.is_empty()).then(|| PathBuf::from(path)))
}
