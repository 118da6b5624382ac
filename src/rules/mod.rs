//! The rules: prompt-causing combinations, each defined once with its source.

use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
pub enum Severity {
    /// Context only.
    Info,
    /// Minor.
    Low,
    /// A documented contributing cause.
    Medium,
    /// Microsoft documents repeated prompts for this exact configuration.
    High,
    /// Authentication will fail.
    Critical,
}

/// Prints the rule catalogue; returns the exit code.
pub fn print_catalogue(format: crate::cli::RulesFormat) -> i32 {
    let _ = format;
    0
}
