//! Ctrl-C (SIGINT), SIGTERM and SIGHUP: the first one asks the scan to stop between machines,
//! so that it abandons its staging directory and leaves the previous reports as they were;
//! a second one exits at once. Either way the exit code is [`EXIT_INTERRUPTED`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Exit code of an interrupted run (128 + SIGINT, for every signal handled).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Test-only: milliseconds to wait before auditing each machine, so that end-to-end tests can
/// interrupt a scan reliably. Not a feature; never set it in real use.
const TEST_DELAY_VARIABLE: &str = "HIVEAUDIT_TEST_MACHINE_DELAY_MS";

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the signal handler (once per process; later calls change nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(EXIT_INTERRUPTED);
        }
    });
}

/// True once a stop was asked for.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Sleeps for the test-only per-machine delay, when it is set.
pub fn test_delay() {
    let delay = std::env::var(TEST_DELAY_VARIABLE)
        .ok()
        .and_then(|ms| ms.parse().ok());
    if let Some(ms) = delay {
        std::thread::sleep(Duration::from_millis(ms));
    }
}
