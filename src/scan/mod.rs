//! The scan pipeline: discover, load, extract, evaluate, report.
//!
//! Machines are processed in parallel, a bounded batch at a time, and their rows are written
//! in collection order, so output is identical whatever the thread count and memory does not
//! grow with the number of machines. Each hive is read under a panic guard: a damaged file
//! becomes an error row and the run goes on. An interrupt is checked before each machine and
//! after each batch; an interrupted scan writes nothing (see [`interrupt`]).

mod audit;
pub mod hashing;
pub mod interrupt;
mod memory;
mod options;
mod summary;

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::cli::{EXIT_FATAL, ScanArgs};
use crate::discovery::{self, Collection, DiscoveryOptions, MachineInputs};
use crate::report::{HiveRow, Reports};
use crate::rules::fleet::MachineSummary;
use hashing::Digests;

pub use audit::{
    AuditOptions, MachineReport, audit_machine, audit_unplaced, fleet_finding_row, other_file_row,
};
pub use options::{ScanError, ScanOptions};
pub use summary::Summary;

/// Machines processed per parallel batch; bounds the rows held in memory.
const BATCH_MACHINES: usize = 32;

/// Runs `hiveaudit scan`; returns the exit code.
pub fn run(args: &ScanArgs) -> i32 {
    // Before `interrupt::install` starts the first thread other than this one.
    crate::source::reserve_descriptors();
    interrupt::install();
    let outcome = ScanOptions::from_args(args).and_then(|options| {
        let summary = scan(&options)?;
        Ok((options, summary))
    });
    match outcome {
        Ok((options, summary)) => {
            if !options.quiet {
                eprint!("{}", summary.render(&options.out));
            }
            summary.exit_code(options.fail_on)
        }
        Err(error) => {
            eprintln!("hiveaudit: {error}");
            match error {
                ScanError::Interrupted => interrupt::EXIT_INTERRUPTED,
                _ => EXIT_FATAL,
            }
        }
    }
}

/// Scans the inputs of `options` and writes the reports; returns what was found.
pub fn scan(options: &ScanOptions) -> Result<Summary, ScanError> {
    options.prepare_output()?;
    let discovery_options = DiscoveryOptions {
        exclude: vec![options.out.clone()],
        stop: Some(interrupt::interrupted),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| ScanError::Setup(e.to_string()))?;
    let collection = pool.install(|| discovery::discover(&options.inputs, &discovery_options));
    memory::release_free_pages();
    stop_if_interrupted()?;
    let digests = match options.hash {
        true => pool.install(|| hashing::hash_collection(&collection)),
        false => Digests::new(),
    };
    let mut reports = Reports::create(&options.out, options.format).map_err(ScanError::output)?;
    let progress = progress_bar(&collection, options.quiet);
    let mut summary = Summary::default();
    // One summary per machine, kept to the end: allocated once, at its final size.
    let mut fleet = Vec::with_capacity(collection.machines.len());
    let audit_options = AuditOptions {
        recover: options.recover,
        format: options.format,
    };
    let mut written: Vec<MachineReport> = Vec::new();
    for batch in collection.machines.chunks(BATCH_MACHINES) {
        // The previous batch is written while this one is audited, so no thread waits on the
        // writer: the one that finishes writing goes on to audit machines of this batch.
        let (audited, write) = pool.install(|| {
            rayon::join(
                || audit_batch(batch, audit_options, &progress),
                || {
                    let batch = std::mem::take(&mut written);
                    write_reports(batch, &digests, &mut reports, &mut summary, &mut fleet)
                },
            )
        });
        write.map_err(ScanError::output)?;
        memory::release_free_pages();
        stop_if_interrupted()?;
        written = audited.into_iter().flatten().collect();
    }
    let unplaced = pool.install(|| audit_unplaced(&collection.unplaced, audit_options, &progress));
    written.push(unplaced);
    write_reports(written, &digests, &mut reports, &mut summary, &mut fleet)
        .map_err(ScanError::output)?;
    for found in crate::rules::fleet::evaluate(&fleet) {
        summary.add_finding(found.finding.severity);
        let row = fleet_finding_row(&found);
        reports.findings.write(&row).map_err(ScanError::output)?;
    }
    for file in &collection.other_files {
        let mut row = other_file_row(file);
        fill_digest(&mut row, &digests);
        summary.add_other_file(&row);
        reports.hives.write(&row).map_err(ScanError::output)?;
    }
    progress.finish_and_clear();
    stop_if_interrupted()?;
    reports.finish().map_err(ScanError::output)?;
    Ok(summary)
}

/// Audits a batch of machines in parallel; machines not started before an interrupt give
/// `None`.
fn audit_batch(
    batch: &[MachineInputs],
    options: AuditOptions,
    progress: &ProgressBar,
) -> Vec<Option<MachineReport>> {
    batch
        .par_iter()
        .map(|machine| {
            (!interrupt::interrupted()).then(|| {
                interrupt::test_delay();
                audit_machine(machine, options, progress)
            })
        })
        .collect()
}

/// Writes audited machines' rows in order, with their files' digests, counts them in
/// `summary` and keeps their summaries for the fleet rules.
fn write_reports(
    audited: Vec<MachineReport>,
    digests: &Digests,
    reports: &mut Reports,
    summary: &mut Summary,
    fleet: &mut Vec<MachineSummary>,
) -> std::io::Result<()> {
    for mut report in audited {
        fleet.extend(report.fleet.take());
        for row in &mut report.hives {
            fill_digest(row, digests);
        }
        summary.add(&report);
        report.write(reports)?;
    }
    reports.start_writeback()
}

/// Puts the file's SHA-256 in `row`, when it was hashed.
fn fill_digest(row: &mut HiveRow, digests: &Digests) {
    if let Some(digest) = digests.get(&row.path) {
        row.sha256.clone_from(digest);
    }
}

fn stop_if_interrupted() -> Result<(), ScanError> {
    match interrupt::interrupted() {
        true => Err(ScanError::Interrupted),
        false => Ok(()),
    }
}

fn progress_bar(collection: &Collection, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let hives: usize = collection
        .machines
        .iter()
        .map(|m| {
            usize::from(m.system.is_some()) + usize::from(m.software.is_some()) + m.users.len()
        })
        .sum::<usize>()
        + collection.unplaced.len();
    let bar = ProgressBar::with_draw_target(Some(hives as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {pos}/{len} hives [{elapsed}] {wide_bar} {per_sec}")
    {
        bar.set_style(style);
    }
    bar
}
