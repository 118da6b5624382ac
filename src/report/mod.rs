//! The reports: `hives`, `machines`, `settings`, `findings` and `accounts`, as CSV or JSON
//! Lines.
//!
//! All five are written under temporary names while the scan runs and renamed into place only
//! when every one is complete, so an interrupted run never leaves a truncated report that
//! looks finished.

pub mod rows;
pub mod writer;

use std::io;
use std::path::Path;

pub use rows::{AccountRow, FindingRow, HiveRow, MachineRow, SettingRow};
pub use writer::{OutputFormat, TableWriter};

/// The names of the report files, without extension.
pub const REPORT_NAMES: [&str; 5] = ["hives", "machines", "settings", "findings", "accounts"];

/// The five report writers of one scan.
pub struct Reports {
    /// `hives.csv`.
    pub hives: TableWriter<HiveRow>,
    /// `machines.csv`.
    pub machines: TableWriter<MachineRow>,
    /// `settings.csv`.
    pub settings: TableWriter<SettingRow>,
    /// `findings.csv`.
    pub findings: TableWriter<FindingRow>,
    /// `accounts.csv`.
    pub accounts: TableWriter<AccountRow>,
}

impl Reports {
    /// Opens the five reports in `dir` (which must exist) under temporary names.
    pub fn create(dir: &Path, format: OutputFormat) -> io::Result<Self> {
        Ok(Reports {
            hives: TableWriter::create(dir, REPORT_NAMES[0], format)?,
            machines: TableWriter::create(dir, REPORT_NAMES[1], format)?,
            settings: TableWriter::create(dir, REPORT_NAMES[2], format)?,
            findings: TableWriter::create(dir, REPORT_NAMES[3], format)?,
            accounts: TableWriter::create(dir, REPORT_NAMES[4], format)?,
        })
    }

    /// Completes all five files, then renames each into place.
    pub fn finish(self) -> io::Result<()> {
        let renames = [
            self.hives.finish()?,
            self.machines.finish()?,
            self.settings.finish()?,
            self.findings.finish()?,
            self.accounts.finish()?,
        ];
        for (partial, complete) in renames {
            std::fs::rename(partial, complete)?;
        }
        Ok(())
    }
}
