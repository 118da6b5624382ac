//! Transaction-log recovery: replaying `.LOG`/`.LOG1`/`.LOG2` onto a dirty hive's bytes, as
//! Windows does, before any key is read.
//!
//! [`recover`] looks at the primary's base block and the logs and returns a [`Recovery`]: clean
//! (nothing to do, logs never read), recovered (with a [`Plan`] that says what will change), or
//! a reason why a dirty hive cannot be recovered. Nothing is copied until the caller applies the
//! plan ([`Plan::apply`] or [`Plan::apply_in_place`]). No input, however damaged, makes it
//! panic, allocate much more than the inputs' size, or write outside the recovered hive.
//! The algorithm and its sources are described in `docs/recovery.md`.

pub mod command;
pub mod log_file;
pub mod marvin;
mod new_format;
mod old_format;
pub mod plan;

use std::fmt;

use crate::hive::base_block::{BaseBlock, FileType};

pub use log_file::{LogFormat, LogRole};
pub use plan::Plan;

use log_file::ValidLog;

/// One transaction log offered for recovery.
#[derive(Clone, Copy, Debug)]
pub struct LogInput<'a> {
    /// The file name (its extension, `.LOG`, `.LOG1` or `.LOG2` in any case, gives its role).
    pub name: &'a str,
    /// The whole file.
    pub bytes: &'a [u8],
}

/// What recovery found for one hive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recovery<'a> {
    /// The hive is clean (sequence numbers match, checksum valid): its logs are not used.
    Clean,
    /// The logs were replayed; the plan says how (possibly partially: see [`Plan::stopped`]).
    Recovered(Plan<'a>),
    /// The hive is dirty and no non-empty log was offered.
    DirtyNoLogs,
    /// Valid logs exist but none is recent enough for the hive.
    LogsStale(String),
    /// No offered log can be used (damaged base blocks, no valid entry, truncated pages).
    LogsInvalid(String),
    /// The primary file is not a regf primary hive.
    NotAHive(String),
}

impl Recovery<'_> {
    /// A one-line description for reports (the status/detail column of hives.csv).
    pub fn describe(&self) -> String {
        match self {
            Recovery::Clean => "clean: transaction logs not needed".into(),
            Recovery::Recovered(plan) => describe_plan(plan),
            Recovery::DirtyNoLogs => "dirty, and no transaction log to recover it".into(),
            Recovery::LogsStale(why) => format!("dirty, logs too old to apply: {why}"),
            Recovery::LogsInvalid(why) => format!("dirty, logs unusable: {why}"),
            Recovery::NotAHive(why) => format!("not a primary hive: {why}"),
        }
    }

    /// True when the hive can be read after this outcome (clean, or recovered).
    pub fn is_usable(&self) -> bool {
        matches!(self, Recovery::Clean | Recovery::Recovered(_))
    }
}

impl fmt::Display for Recovery<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

fn describe_plan(plan: &Plan<'_>) -> String {
    let unit = match plan.format {
        LogFormat::New => "log entries",
        LogFormat::Old => "dirty pages",
    };
    let (first, last) = plan.sequences;
    let mut text = format!(
        "recovered from {} log {}: {} {unit} applied (sequence {first}..{last}), {} bytes",
        plan.format.label(),
        plan.logs_used.join(" + "),
        plan.entries_applied,
        plan.new_size
    );
    if plan.base_block_from_log && plan.format == LogFormat::New {
        text.push_str("; base block taken from the log");
    }
    if let Some(why) = &plan.stopped {
        text.push_str(&format!("; partial, replay stopped at {why}"));
    }
    text
}

/// Why a dirty hive's logs were not applied.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Refusal {
    /// The logs predate the hive.
    Stale(String),
    /// The logs are damaged or hold nothing applicable.
    Invalid(String),
}

impl<'a> From<Refusal> for Recovery<'a> {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Stale(why) => Recovery::LogsStale(why),
            Refusal::Invalid(why) => Recovery::LogsInvalid(why),
        }
    }
}

/// Decides how to recover `primary` from `logs` and plans it. Never panics.
///
/// A clean primary returns [`Recovery::Clean`] without looking at the logs. For a dirty one,
/// each log's base block is validated, a scheme is chosen (new format before old, dual logging
/// before single), and the chosen logs are replayed into a [`Plan`].
pub fn recover<'a>(primary: &'a [u8], logs: &[LogInput<'a>]) -> Recovery<'a> {
    let header = match BaseBlock::parse(primary) {
        Ok(header) if header.file_type == FileType::Primary => header,
        Ok(header) => {
            return Recovery::NotAHive(format!("file type {:?}", header.file_type));
        }
        Err(error) => return Recovery::NotAHive(error.to_string()),
    };
    if !header.is_dirty() {
        return Recovery::Clean;
    }
    if logs.iter().all(|log| log.bytes.is_empty()) {
        return Recovery::DirtyNoLogs;
    }
    let mut valid = Vec::new();
    let mut rejected = Vec::new();
    for log in logs.iter().filter(|log| !log.bytes.is_empty()) {
        match log_file::validate(log.name, log.bytes) {
            Ok(checked) => valid.push(checked),
            Err(why) => rejected.push(format!("{}: {why}", log.name)),
        }
    }
    let max_hive_bins = growth_limit(primary, logs);
    let outcome = if let Some(chosen) = choose_new(&valid) {
        new_format::replay(primary, &header, &chosen, max_hive_bins)
    } else if let Some(chosen) = choose_old(&valid) {
        old_format::replay(primary, &header, chosen, max_hive_bins)
    } else {
        Err(Refusal::Invalid(rejected.join("; ")))
    };
    match outcome {
        Ok(replay) => Recovery::Recovered(Plan::new(replay, primary.len())),
        Err(refusal) => refusal.into(),
    }
}

/// The largest file (base block plus hive bins) a log may grow the hive to: a hive grows only
/// by bins whose pages are in the logs, so it cannot exceed the primary plus all logs.
fn growth_limit(primary: &[u8], logs: &[LogInput<'_>]) -> u64 {
    let logs: u64 = logs.iter().map(|log| log.bytes.len() as u64).sum();
    primary.len() as u64 + logs
}

/// The new-format logs to replay: those named `.LOG1`/`.LOG2` if any, else `.LOG` ones; at
/// most two, the two with the highest sequence numbers if more were offered.
fn choose_new<'a>(valid: &[ValidLog<'a>]) -> Option<Vec<ValidLog<'a>>> {
    let new: Vec<&ValidLog<'a>> = valid
        .iter()
        .filter(|log| log.format == LogFormat::New)
        .collect();
    let dual: Vec<&ValidLog<'a>> = new
        .iter()
        .copied()
        .filter(|log| log.role.is_dual())
        .collect();
    let mut chosen = if dual.is_empty() { new } else { dual };
    if chosen.is_empty() {
        return None;
    }
    chosen.sort_by_key(|log| std::cmp::Reverse(log.sequence()));
    Some(chosen.into_iter().take(2).cloned().collect())
}

/// The old-format log to replay: with both `.LOG1` and `.LOG2` valid, the one with the later
/// base-block timestamp (`.LOG1` on a tie); else `.LOG1`, then `.LOG2`, then `.LOG`.
fn choose_old<'a, 'v>(valid: &'v [ValidLog<'a>]) -> Option<&'v ValidLog<'a>> {
    let old = |role: LogRole| {
        valid
            .iter()
            .find(|log| log.format == LogFormat::Old && log.role == role)
    };
    match (old(LogRole::Log1), old(LogRole::Log2)) {
        (Some(one), Some(two)) if two.header.last_written > one.header.last_written => Some(two),
        (Some(one), _) => Some(one),
        (None, Some(two)) => Some(two),
        (None, None) => old(LogRole::Single),
    }
}
