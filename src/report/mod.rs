//! The reports: `hives`, `machines`, `settings`, `findings` and `accounts`, as CSV or JSON
//! Lines.
//!
//! A run writes all five into a fresh hidden staging directory inside the report directory
//! and moves them into place only when every one is complete; an abandoned run (interrupted,
//! or failed) removes its staging directory. A report directory therefore holds either the
//! previous complete set or the new one, never a truncated report under a final name. The
//! moves are five renames in one directory, done after the last row; an interrupt that comes
//! during them is only noted (see [`crate::scan`]), so they always complete together.

mod record;
pub mod rows;
pub mod writer;

use std::io;
use std::path::{Path, PathBuf};

pub use rows::{AccountRow, FindingRow, HiveRow, LastWrite, MachineRow, SettingRow};
pub use writer::{EncodedRows, OutputFormat, SharedCells, TableWriter};

/// The names of the report files, without extension.
pub const REPORT_NAMES: [&str; 5] = ["hives", "machines", "settings", "findings", "accounts"];

/// Prefix of the staging directories runs write into.
pub const STAGING_PREFIX: &str = ".hiveaudit-partial-";

/// The five report writers of one scan.
pub struct Reports {
    /// `hives.csv`.
    pub hives: TableWriter<HiveRow>,
    /// `machines.csv`.
    pub machines: TableWriter<MachineRow>,
    /// `settings.csv`.
    pub settings: TableWriter<SettingRow<'static>>,
    /// `findings.csv`.
    pub findings: TableWriter<FindingRow>,
    /// `accounts.csv`.
    pub accounts: TableWriter<AccountRow>,
    staging: Staging,
}

impl Reports {
    /// Opens the five reports in a new staging directory inside `dir` (which must exist).
    pub fn create(dir: &Path, format: OutputFormat) -> io::Result<Self> {
        let staging = Staging::create(dir)?;
        let at = staging.path.as_path();
        Ok(Reports {
            hives: TableWriter::create(at, REPORT_NAMES[0], format)?,
            machines: TableWriter::create(at, REPORT_NAMES[1], format)?,
            settings: TableWriter::create(at, REPORT_NAMES[2], format)?,
            findings: TableWriter::create(at, REPORT_NAMES[3], format)?,
            accounts: TableWriter::create(at, REPORT_NAMES[4], format)?,
            staging,
        })
    }

    /// Has the system start writing the rows so far of every report to the disk, in the
    /// background, so that the final sync in [`Reports::finish`] waits for little.
    pub fn start_writeback(&mut self) -> io::Result<()> {
        self.hives.start_writeback()?;
        self.machines.start_writeback()?;
        self.settings.start_writeback()?;
        self.findings.start_writeback()?;
        self.accounts.start_writeback()
    }

    /// Completes all five files, then moves each into the report directory, replacing the
    /// previous run's reports, and removes the staging directory.
    pub fn finish(self) -> io::Result<()> {
        // Each file is flushed and synced on its own thread: the waits for the disk overlap.
        let done = std::thread::scope(|scope| {
            let finishing = [
                scope.spawn(|| self.hives.finish()),
                scope.spawn(|| self.machines.finish()),
                scope.spawn(|| self.settings.finish()),
                scope.spawn(|| self.findings.finish()),
                scope.spawn(|| self.accounts.finish()),
            ];
            finishing.map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
        });
        let done = done.into_iter().collect::<io::Result<Vec<_>>>()?;
        let target = self.staging.target.clone();
        for file in done {
            let name = file.file_name().expect("report files have names");
            std::fs::rename(&file, target.join(name))?;
        }
        Ok(())
    }
}

/// A staging directory, removed with whatever it still holds when dropped.
struct Staging {
    path: PathBuf,
    target: PathBuf,
}

impl Staging {
    fn create(target: &Path) -> io::Result<Self> {
        remove_abandoned_staging(target);
        let path = target.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir(&path)?;
        Ok(Staging {
            path,
            target: target.to_path_buf(),
        })
    }
}

/// Removes staging directories left by runs that were killed outright (SIGKILL, power loss):
/// those whose process no longer exists. Where processes cannot be checked (no `/proc`),
/// nothing is removed.
fn remove_abandoned_staging(target: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(target) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(STAGING_PREFIX)) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn finished_reports_replace_the_old_set_and_leave_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("hives.csv"), "old").unwrap();
        let reports = Reports::create(dir.path(), OutputFormat::Csv { bom: false }).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("hives.csv")).unwrap(),
            "old"
        );
        reports.finish().unwrap();
        let names = entries(dir.path());
        assert_eq!(
            names,
            [
                "accounts.csv",
                "findings.csv",
                "hives.csv",
                "machines.csv",
                "settings.csv"
            ]
        );
        assert!(
            std::fs::read_to_string(dir.path().join("hives.csv"))
                .unwrap()
                .starts_with("path,")
        );
    }

    #[test]
    fn staging_left_by_a_killed_run_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids wrap below 2^22 on Linux, so this one cannot be running.
        let stale = dir.path().join(format!("{STAGING_PREFIX}4294967294"));
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("hives.csv"), "half").unwrap();
        let reports = Reports::create(dir.path(), OutputFormat::Csv { bom: false }).unwrap();
        reports.finish().unwrap();
        assert!(!stale.exists());
    }

    #[test]
    fn abandoned_reports_leave_the_old_set_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("hives.csv"), "old").unwrap();
        let mut reports = Reports::create(dir.path(), OutputFormat::Csv { bom: false }).unwrap();
        reports.hives.write(&HiveRow::default()).unwrap();
        drop(reports);
        assert_eq!(entries(dir.path()), ["hives.csv"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("hives.csv")).unwrap(),
            "old"
        );
    }
}
