//! The scan pipeline: discover, load and recover, extract, evaluate, report.

/// Runs `hiveaudit scan`; returns the exit code.
pub fn run(args: &crate::cli::ScanArgs) -> i32 {
    let _ = args;
    crate::cli::EXIT_FATAL
}
