//! The reports: `hives`, `machines`, `settings` and `findings`, as CSV or JSON Lines.
//!
//! All four are written under temporary names while the scan runs and renamed into place only
//! when every one is complete, so an interrupted run never leaves a truncated report that
//! looks finished.

pub mod rows;
pub mod writer;

use std::io;
use std::path::Path;

pub use rows::{FindingRow, HiveRow, MachineRow, SettingRow};
pub use writer::{OutputFormat, TableWriter};

/// The names of the report files, without extension.
pub const REPORT_NAMES: [&str; 4] = ["hives", "machines", "settings", "findings"];

/// The four report writers of one scan.
pub struct Reports {
    /// `hives.csv`.
    pub hives: TableWriter<HiveRow>,
    /// `machines.csv`.
    pub machines: TableWriter<MachineRow>,
    /// `settings.csv`.
    pub settings: TableWriter<SettingRow>,
    /// `findings.csv`.
    pub findings: TableWriter<FindingRow>,
}

impl Reports {
    /// Opens the four reports in `dir` (which must exist) under temporary names.
    pub fn create(dir: &Path, format: OutputFormat) -> io::Result<Self> {
        Ok(Reports {
            hives: TableWriter::create(dir, REPORT_NAMES[0], format)?,
            machines: TableWriter::create(dir, REPORT_NAMES[1], format)?,
            settings: TableWriter::create(dir, REPORT_NAMES[2], format)?,
            findings: TableWriter::create(dir, REPORT_NAMES[3], format)?,
        })
    }

    /// Completes all four files, then renames each into place.
    pub fn finish(self) -> io::Result<()> {
        let renames = [
            self.hives.finish()?,
            self.machines.finish()?,
            self.settings.finish()?,
            self.findings.finish()?,
        ];
        for (partial, complete) in renames {
            std::fs::rename(partial, complete)?;
        }
        Ok(())
    }
}
