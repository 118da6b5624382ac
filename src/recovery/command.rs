//! `hiveaudit recover`: replay a hive's logs into a new file.

use std::path::{Path, PathBuf};

/// Recovers `hive` with `logs` (or the logs found beside it) into `out`; returns the exit code.
pub fn run(hive: &Path, logs: &[PathBuf], out: &Path) -> i32 {
    let _ = (hive, logs, out);
    crate::cli::EXIT_FATAL
}
