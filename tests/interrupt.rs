//! Interrupting a scan (SIGINT as Ctrl-C sends it, or SIGTERM) stops it within a couple of
//! seconds with exit code 130, and leaves the report directory as it was: empty for a first
//! run, the previous complete set for a `--force` run. Machines are slowed down with the
//! test-only `HIVEAUDIT_TEST_MACHINE_DELAY_MS` so that the signal lands mid-scan every time.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hiveaudit::fuzzing::seeds;

const MACHINES: usize = 30;
/// Each machine waits this long before it is audited.
const DELAY_MS: &str = "200";
/// The signal is sent this long after the start.
const SIGNAL_AFTER: Duration = Duration::from_millis(800);
/// The scan must be gone this long after the signal.
const STOP_WITHIN: Duration = Duration::from_secs(2);

fn collection(root: &Path) {
    for n in 0..MACHINES {
        let config = root.join(format!("M{n}/C/Windows/System32/config"));
        fs::create_dir_all(&config).unwrap();
        fs::write(config.join("SYSTEM"), seeds::system(&format!("HOST-{n}"))).unwrap();
        fs::write(config.join("SOFTWARE"), seeds::software("u")).unwrap();
        let user = root.join(format!("M{n}/C/Users/u"));
        fs::create_dir_all(&user).unwrap();
        fs::write(user.join("NTUSER.DAT"), seeds::ntuser("u")).unwrap();
    }
}

/// The report directory's entries and their contents.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found: Vec<(PathBuf, Vec<u8>)> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| {
                let path = e.unwrap().path();
                let bytes = fs::read(&path).unwrap_or_default();
                (path, bytes)
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    found.sort();
    found
}

/// Starts a slowed scan, sends `signal` mid-way; returns the exit code and stderr.
fn interrupted_scan(evidence: &Path, out: &Path, extra: &[&str], signal: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hiveaudit"))
        .args(["scan", "--jobs", "1"])
        .arg(evidence)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("HIVEAUDIT_TEST_MACHINE_DELAY_MS", DELAY_MS)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(SIGNAL_AFTER);
    assert!(
        child.try_wait().unwrap().is_none(),
        "the scan ended before the signal"
    );
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let signalled = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if signalled.elapsed() > STOP_WITHIN {
            child.kill().unwrap();
            panic!("still running {STOP_WITHIN:?} after {signal}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn ctrl_c_stops_quickly_and_writes_no_report() {
    let tmp = tempfile::tempdir().unwrap();
    let evidence = tmp.path().join("evidence");
    collection(&evidence);
    let out = tmp.path().join("report");
    let (code, stderr) = interrupted_scan(&evidence, &out, &[], "-INT");
    assert_eq!(code, 130, "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(contents(&out), [], "an interrupted first run left files");
}

#[test]
fn sigterm_during_a_forced_rerun_keeps_the_previous_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let evidence = tmp.path().join("evidence");
    collection(&evidence);
    let out = tmp.path().join("report");
    let first = Command::new(env!("CARGO_BIN_EXE_hiveaudit"))
        .arg("scan")
        .arg(&evidence)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0));
    let previous = contents(&out);
    assert_eq!(previous.len(), hiveaudit::report::REPORT_NAMES.len());
    let (code, stderr) = interrupted_scan(&evidence, &out, &["--force"], "-TERM");
    assert_eq!(code, 130, "{stderr}");
    assert_eq!(contents(&out), previous, "the previous reports changed");
}
