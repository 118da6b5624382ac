//! The command line: argument definitions and dispatch to the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Exit code: the run finished and every input could be read.
pub const EXIT_OK: i32 = 0;
/// Exit code: a fatal error stopped the run.
pub const EXIT_FATAL: i32 = 1;
/// Exit code: the run finished but some inputs could not be read.
pub const EXIT_UNREADABLE: i32 = 2;
/// Exit code: findings at or above `--fail-on` were reported.
pub const EXIT_FINDINGS: i32 = 3;

/// Audit collected Windows registry hives for the causes of repeated credential prompts.
#[derive(Debug, Parser)]
#[command(name = "hiveaudit", version, about, long_about = None, after_help = TOP_EXAMPLE)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan a collection of hives and write the reports.
    #[command(after_help = SCAN_EXAMPLE)]
    Scan(ScanArgs),
    /// Replay a dirty hive's transaction logs into a new, clean hive file.
    Recover(RecoverArgs),
    /// List the rules hiveaudit evaluates.
    Rules(RulesArgs),
}

const TOP_EXAMPLE: &str = "Examples:\n  hiveaudit scan /cases/acme --out /cases/acme-report\n  \
hiveaudit rules\n  hiveaudit recover evidence/NTUSER.DAT --out recovered/NTUSER.DAT";

const SCAN_EXAMPLE: &str = "Example:\n  hiveaudit scan /cases/acme --out /cases/acme-report\n\n\
Exit codes: 0 done, 2 done but some inputs could not be read, 3 findings at or above\n\
--fail-on, 1 fatal error, 130 interrupted (no report written).";

/// Arguments of `hiveaudit scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files and directories to scan (any mix).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Directory for the reports (created; must be empty unless --force).
    #[arg(long)]
    pub out: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Write into a non-empty output directory, replacing hiveaudit's own reports.
    #[arg(long)]
    pub force: bool,
    /// Start CSV files with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    pub excel: bool,
    /// No progress bar and no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Exit with code 3 when a finding has this severity or a higher one.
    #[arg(long, value_enum)]
    pub fail_on: Option<crate::rules::Severity>,
    /// Read dirty hives as they are instead of replaying their transaction logs.
    #[arg(long)]
    pub no_recover: bool,
    /// Fill the sha256 column of hives.csv with the SHA-256 of every file (reads every byte).
    #[arg(long)]
    pub hash: bool,
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// RFC 4180 CSV.
    Csv,
    /// JSON Lines, one record per line.
    Jsonl,
}

/// Arguments of `hiveaudit recover`.
#[derive(Debug, clap::Args)]
pub struct RecoverArgs {
    /// The primary hive file.
    pub hive: PathBuf,
    /// A transaction log to use (repeatable); default: the .LOG/.LOG1/.LOG2 files beside HIVE.
    #[arg(long = "log")]
    pub logs: Vec<PathBuf>,
    /// Where to write the recovered hive (a new file; never an input).
    #[arg(long)]
    pub out: PathBuf,
}

/// Arguments of `hiveaudit rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format: an aligned table, CSV or JSON Lines.
    #[arg(long, value_enum, default_value_t = crate::rules::RulesFormat::Table)]
    pub format: crate::rules::RulesFormat,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Scan(args) => crate::scan::run(&args),
        Command::Recover(args) => crate::recovery::command::run(&args.hive, &args.logs, &args.out),
        Command::Rules(args) => print_rules(args.format),
    }
}

fn print_rules(format: crate::rules::RulesFormat) -> i32 {
    match crate::rules::print_catalogue(format, &mut std::io::stdout().lock()) {
        Ok(()) => EXIT_OK,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(error) => {
            eprintln!("hiveaudit: {error}");
            EXIT_FATAL
        }
    }
}
