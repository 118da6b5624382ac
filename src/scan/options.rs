//! Scan options, checked before any work starts.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::cli::{Format, ScanArgs};
use crate::report::{OutputFormat, REPORT_NAMES};
use crate::rules::Severity;

/// Why a scan could not run or complete.
#[derive(Debug)]
pub enum ScanError {
    /// An argument is unusable.
    Usage(String),
    /// The thread pool could not start.
    Setup(String),
    /// The reports could not be written.
    Output(io::Error),
    /// Ctrl-C or a termination signal stopped the run before the reports were complete.
    Interrupted,
}

impl ScanError {
    /// Wraps an error writing the reports.
    pub fn output(error: io::Error) -> Self {
        ScanError::Output(error)
    }
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::Usage(message) | ScanError::Setup(message) => f.write_str(message),
            ScanError::Output(error) => write!(f, "cannot write the reports: {error}"),
            ScanError::Interrupted => f.write_str(
                "interrupted; no report written (reports of an earlier run are left as they were)",
            ),
        }
    }
}

impl std::error::Error for ScanError {}

/// Validated options of one scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Files and directories to scan.
    pub inputs: Vec<PathBuf>,
    /// Report directory.
    pub out: PathBuf,
    /// Worker threads; `None` for one per core.
    pub jobs: Option<usize>,
    /// Report format.
    pub format: OutputFormat,
    /// Write into a non-empty report directory.
    pub force: bool,
    /// No progress bar, no summary.
    pub quiet: bool,
    /// Severity at which the exit code becomes 3.
    pub fail_on: Option<Severity>,
    /// Replay the transaction logs of dirty hives.
    pub recover: bool,
    /// Hash every file (SHA-256) for the `sha256` column of `hives.csv`.
    pub hash: bool,
}

impl ScanOptions {
    /// Checks the command-line arguments: inputs exist, the report directory is not inside
    /// (or one of) the inputs, the thread count is positive.
    pub fn from_args(args: &ScanArgs) -> Result<Self, ScanError> {
        if args.jobs == Some(0) {
            return Err(ScanError::Usage("--jobs must be at least 1".into()));
        }
        for input in &args.inputs {
            if std::fs::symlink_metadata(input).is_err() {
                return Err(ScanError::Usage(format!(
                    "input {} does not exist",
                    input.display()
                )));
            }
        }
        let options = ScanOptions {
            inputs: args.inputs.clone(),
            out: args.out.clone(),
            jobs: args.jobs,
            format: match args.format {
                Format::Csv => OutputFormat::Csv { bom: args.excel },
                Format::Jsonl => OutputFormat::Jsonl,
            },
            force: args.force,
            quiet: args.quiet,
            fail_on: args.fail_on,
            recover: !args.no_recover,
            hash: args.hash,
        };
        options.refuse_output_inside_inputs()?;
        Ok(options)
    }

    /// Evidence is never written to: the report directory may not lie inside an input tree or
    /// contain one.
    fn refuse_output_inside_inputs(&self) -> Result<(), ScanError> {
        let out = absolute(&self.out);
        for input in &self.inputs {
            let input = absolute(input);
            if out.starts_with(&input) || input.starts_with(&out) {
                return Err(ScanError::Usage(format!(
                    "the report directory {} overlaps the input {}; choose a directory outside \
                     the evidence",
                    self.out.display(),
                    input.display()
                )));
            }
        }
        Ok(())
    }

    /// Creates the report directory, refusing a non-empty one unless `force` is set.
    pub fn prepare_output(&self) -> Result<(), ScanError> {
        match std::fs::read_dir(&self.out) {
            Ok(mut entries) => {
                if !self.force && entries.next().is_some() {
                    return Err(ScanError::Usage(format!(
                        "{} is not empty; use --force to replace the reports in it ({})",
                        self.out.display(),
                        REPORT_NAMES.join(", ")
                    )));
                }
                Ok(())
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&self.out).map_err(ScanError::output)
            }
            Err(error) => Err(ScanError::Output(error)),
        }
    }
}

/// `path` made absolute and canonical as far as it exists.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return canonical;
    }
    // A report directory that does not exist yet: canonicalise its nearest existing parent.
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}
