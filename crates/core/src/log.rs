//! Logging to a file beside the database: the UI shows a Vietnamese sentence, the log keeps
//! the detail a technician needs.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Sends `tracing` events to `<dir>/hoadon.log` (daily files) and, when `to_stderr`, to the
/// terminal too. Keep the guard alive for as long as the program runs, or the last lines are lost.
pub fn init_logging(dir: &Path, to_stderr: bool) -> (PathBuf, Option<WorkerGuard>) {
    let path = dir.join("hoadon.log");
    if std::fs::create_dir_all(dir).is_err() {
        return (path, None);
    }
    let appender = tracing_appender::rolling::daily(dir, "hoadon.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("HOADON_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = fmt::layer().with_writer(writer).with_ansi(false);
    let stderr_layer = to_stderr.then(|| fmt::layer().with_writer(std::io::stderr));
    let _ = tracing_subscriber::registry().with(filter).with(file_layer).with(stderr_layer).try_init();
    (path, Some(guard))
}
