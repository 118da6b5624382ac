//! The end-of-run summary and the exit code it implies.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use super::audit::MachineReport;
use crate::cli::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use crate::report::HiveRow;
use crate::rules::Severity;

/// Counts gathered while the reports are written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Machines identified.
    pub machines: usize,
    /// User hives audited.
    pub users: usize,
    /// Hive files seen (audited or listed).
    pub hives: usize,
    /// Dirty hives read as they are.
    pub dirty: usize,
    /// Dirty hives whose logs were replayed.
    pub recovered: usize,
    /// Files that could not be read or are not usable hives.
    pub errors: usize,
    /// Findings per severity.
    pub findings: BTreeMap<Severity, usize>,
}

impl Summary {
    /// Adds one machine's (or the unplaced group's) report.
    pub fn add(&mut self, report: &MachineReport) {
        self.machines += usize::from(report.machine.is_some());
        self.users += report.users;
        for row in &report.hives {
            self.hives += 1;
            self.count_status(row);
        }
        for finding in &report.findings {
            self.add_finding(finding.severity);
        }
    }

    /// Counts one finding (fleet findings are added one by one).
    pub fn add_finding(&mut self, severity: Severity) {
        *self.findings.entry(severity).or_default() += 1;
    }

    /// Adds a file that is not a hive (logs, skipped and unreadable files).
    pub fn add_other_file(&mut self, row: &HiveRow) {
        self.count_status(row);
    }

    fn count_status(&mut self, row: &HiveRow) {
        match row.status.as_str() {
            "error" | "unreadable" => self.errors += 1,
            "dirty" | "dirty-no-logs" | "logs-stale" | "logs-invalid" => self.dirty += 1,
            "recovered" => self.recovered += 1,
            _ => {}
        }
    }

    /// 3 when a finding reaches `fail_on`, else 2 when inputs could not be read, else 0.
    pub fn exit_code(&self, fail_on: Option<Severity>) -> i32 {
        let gate_reached =
            fail_on.is_some_and(|gate| self.findings.range(gate..).any(|(_, &n)| n > 0));
        if gate_reached {
            EXIT_FINDINGS
        } else if self.errors > 0 {
            EXIT_UNREADABLE
        } else {
            EXIT_OK
        }
    }

    /// A few lines for the terminal.
    pub fn render(&self, out: &Path) -> String {
        let mut text = String::new();
        let findings: usize = self.findings.values().sum();
        let _ = writeln!(
            text,
            "hiveaudit: {} machines, {} users, {} hives ({} recovered from logs, {} dirty, {} \
             unreadable); {} findings",
            self.machines,
            self.users,
            self.hives,
            self.recovered,
            self.dirty,
            self.errors,
            findings
        );
        if findings > 0 {
            let by_severity: Vec<String> = self
                .findings
                .iter()
                .rev()
                .map(|(severity, n)| format!("{n} {}", severity.label()))
                .collect();
            let _ = writeln!(text, "  findings: {}", by_severity.join(", "));
        }
        let _ = writeln!(text, "  reports in {}", out.display());
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_findings_then_errors() {
        let mut summary = Summary::default();
        assert_eq!(summary.exit_code(None), EXIT_OK);
        summary.errors = 1;
        assert_eq!(summary.exit_code(Some(Severity::High)), EXIT_UNREADABLE);
        summary.findings.insert(Severity::Medium, 2);
        assert_eq!(summary.exit_code(Some(Severity::High)), EXIT_UNREADABLE);
        assert_eq!(summary.exit_code(Some(Severity::Medium)), EXIT_FINDINGS);
        assert_eq!(summary.exit_code(Some(Severity::Info)), EXIT_FINDINGS);
    }
}
