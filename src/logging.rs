//! Logs go to a file under the state dir, never to the terminal (the interface draws there).

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts logging to `tidings.log` in the platform's state dir. Returns the file (if logging
/// could start) and a guard that flushes on drop. Level from `TIDINGS_LOG` (default `info`).
pub fn init() -> (Option<PathBuf>, Option<WorkerGuard>) {
    let Some(file) = crate::config::paths::log_file() else { return (None, None) };
    match init_at(&file) {
        Some(guard) => (Some(file), Some(guard)),
        None => (None, None),
    }
}

fn init_at(file: &Path) -> Option<WorkerGuard> {
    let dir = file.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let appender = tracing_appender::rolling::never(dir, file.file_name()?);
    // The default buffer holds 128,000 lines and is allocated whole up front (4 MB); a few
    // thousand is plenty for a log at `info`.
    let (writer, guard) =
        tracing_appender::non_blocking::NonBlockingBuilder::default().buffered_lines_limit(4096).finish(appender);
    let filter = EnvFilter::try_from_env("TIDINGS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_env_filter(filter).try_init().ok()?;
    Some(guard)
}
