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
    recover_from_head(primary, primary.len(), logs)
}

/// Bytes of the primary that recovery reads: its base block and the first hive bin's header.
pub const PRIMARY_HEAD: usize = 2 * crate::hive::base_block::BASE_BLOCK_SIZE;

/// [`recover`] given only the start of the primary (its first [`PRIMARY_HEAD`] bytes, or all
/// of a shorter file) and its length in bytes, so that recovery reads nothing more of it.
pub fn recover_from_head<'a>(
    head: &'a [u8],
    primary_len: usize,
    logs: &[LogInput<'a>],
) -> Recovery<'a> {
    let header = match BaseBlock::parse(head) {
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
    let max_hive_bins = growth_limit(primary_len, logs);
    let outcome = if let Some(chosen) = choose_new(&valid) {
        new_format::replay(head, &header, &chosen, max_hive_bins)
    } else if let Some(chosen) = choose_old(&valid) {
        old_format::replay(head, &header, chosen, max_hive_bins)
    } else {
        Err(Refusal::Invalid(rejected.join("; ")))
    };
    match outcome {
        Ok(replay) => Recovery::Recovered(Plan::new(replay, primary_len)),
        Err(refusal) => refusal.into(),
    }
}

/// The largest file (base block plus hive bins) a log may grow the hive to: a hive grows only
/// by bins whose pages are in the logs, so it cannot exceed the primary plus all logs.
fn growth_limit(primary_len: usize, logs: &[LogInput<'_>]) -> u64 {
    let logs: u64 = logs.iter().map(|log| log.bytes.len() as u64).sum();
    primary_len as u64 + logs
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

#[doc(hidden)]
pub mod testing;

#[cfg(test)]
mod tests {
    use super::testing::{entry, new_log, old_log, page, primary, rehash};
    use super::*;
    use crate::hive::base_block::{BASE_BLOCK_SIZE, get_u32, seal, write_u32};

    const HBINS: u32 = 16384;

    fn log<'a>(name: &'a str, bytes: &'a [u8]) -> LogInput<'a> {
        LogInput { name, bytes }
    }

    fn plan<'a>(recovery: Recovery<'a>) -> Plan<'a> {
        match recovery {
            Recovery::Recovered(plan) => plan,
            other => panic!("expected a recovery, got {other}"),
        }
    }

    /// A dirty primary (3/2) and a log with entries 2, 3, 4 writing pages 0x11, 0x22, 0x33.
    fn three_entries() -> (Vec<u8>, Vec<Vec<u8>>) {
        let entries = vec![
            entry(2, HBINS, &[(0, page(4096, 0x11))]),
            entry(3, HBINS, &[(4096, page(4096, 0x22)), (0, page(512, 0x21))]),
            entry(4, HBINS, &[(8192, page(4096, 0x33))]),
        ];
        (primary(3, 2, HBINS), entries)
    }

    #[test]
    fn valid_entries_are_all_applied_and_the_header_finalised() {
        let (hive, entries) = three_entries();
        let bytes = new_log(2, HBINS, &entries);
        let plan = plan(recover(&hive, &[log("h.LOG1", &bytes)]));
        assert_eq!((plan.entries_applied, plan.sequences), (3, (2, 4)));
        assert_eq!(plan.stopped, None);
        let out = plan.apply(&hive);
        assert_eq!(out.len(), hive.len());
        assert_eq!(
            out[BASE_BLOCK_SIZE], 0x21,
            "a later entry overrides an earlier one"
        );
        assert_eq!(out[BASE_BLOCK_SIZE + 512], 0x11);
        assert_eq!(out[BASE_BLOCK_SIZE + 4096], 0x22);
        assert_eq!(out[BASE_BLOCK_SIZE + 8192], 0x33);
        assert_eq!(out[BASE_BLOCK_SIZE + 12288], 0xAA, "untouched pages stay");
        let header = BaseBlock::parse(&out).unwrap();
        assert!(!header.is_dirty());
        assert_eq!(header.primary_sequence, 4);
        assert_eq!(recover(&out, &[log("h.LOG1", &bytes)]), Recovery::Clean);
    }

    #[test]
    fn a_bad_hash_stops_replay_after_the_earlier_entries() {
        let (hive, mut entries) = three_entries();
        entries[1][600] ^= 1;
        let bytes = new_log(2, HBINS, &entries);
        let plan = plan(recover(&hive, &[log("h.LOG1", &bytes)]));
        assert_eq!((plan.entries_applied, plan.sequences), (1, (2, 2)));
        assert!(plan.stopped.as_deref().unwrap().contains("hash mismatch"));
        assert!(Recovery::Recovered(plan).describe().contains("partial"));
    }

    #[test]
    fn the_first_failing_entry_gives_the_reason_even_if_a_later_header_is_bad() {
        let (hive, mut entries) = three_entries();
        entries[0][600] ^= 1;
        entries[2][4] = 1;
        let bytes = new_log(2, HBINS, &entries);
        let outcome = recover(&hive, &[log("h.LOG1", &bytes)]);
        let Recovery::LogsInvalid(why) = outcome else {
            panic!("expected no usable entry, got {outcome:?}");
        };
        assert!(why.contains("entry at offset 512: hash mismatch"), "{why}");
    }

    #[test]
    fn a_sequence_gap_stops_replay() {
        let (hive, mut entries) = three_entries();
        entries[1] = entry(5, HBINS, &[(0, page(512, 0x55))]);
        let bytes = new_log(2, HBINS, &entries);
        let plan = plan(recover(&hive, &[log("h.LOG1", &bytes)]));
        assert_eq!(plan.entries_applied, 1);
        assert!(
            plan.stopped
                .unwrap()
                .contains("sequence number 5, expected 3")
        );
    }

    #[test]
    fn an_older_leftover_entry_is_the_normal_end() {
        let (hive, mut entries) = three_entries();
        entries[2] = entry(1, HBINS, &[(0, page(512, 0x55))]);
        let bytes = new_log(2, HBINS, &entries);
        let plan = plan(recover(&hive, &[log("h.LOG1", &bytes)]));
        assert_eq!((plan.entries_applied, plan.stopped), (2, None));
    }

    #[test]
    fn a_truncated_entry_stops_replay() {
        let (hive, entries) = three_entries();
        let mut bytes = new_log(2, HBINS, &entries);
        bytes.truncate(bytes.len() - 100);
        let plan = plan(recover(&hive, &[log("h.LOG1", &bytes)]));
        assert_eq!(plan.entries_applied, 2);
        assert!(plan.stopped.unwrap().contains("past the end"));
    }

    #[test]
    fn absurd_sizes_are_refused_without_allocating() {
        let hive = primary(3, 2, HBINS);
        for (field, value) in [(4, 0xFFFF_FE00), (16, 0xFFFF_F000), (20, 0x0FFF_FFFF)] {
            let mut bad = entry(2, HBINS, &[(0, page(512, 1))]);
            write_u32(&mut bad, field, value);
            rehash(&mut bad);
            let bytes = new_log(2, HBINS, &[bad]);
            match recover(&hive, &[log("h.LOG1", &bytes)]) {
                Recovery::LogsInvalid(why) => assert!(why.contains("entry at offset 512"), "{why}"),
                other => panic!("field {field}: {other}"),
            }
        }
        let outside = entry(2, HBINS, &[(HBINS, page(512, 1))]);
        let bytes = new_log(2, HBINS, &[outside]);
        assert!(matches!(
            recover(&hive, &[log("h.LOG1", &bytes)]),
            Recovery::LogsInvalid(_)
        ));
    }

    #[test]
    fn an_entry_may_grow_the_hive() {
        let hive = primary(3, 2, HBINS);
        let grown = HBINS + 4096;
        let bytes = new_log(2, HBINS, &[entry(2, grown, &[(HBINS, page(4096, 0x77))])]);
        let plan = plan(recover(&hive, &[log("h.LOG", &bytes)]));
        let out = plan.apply(&hive);
        assert_eq!(out.len(), BASE_BLOCK_SIZE + grown as usize);
        assert_eq!(out[out.len() - 1], 0x77);
        assert_eq!(get_u32(&out, 40), Some(grown));
    }

    #[test]
    fn a_clean_hive_ignores_newer_logs() {
        let hive = primary(2, 2, HBINS);
        let (_, entries) = three_entries();
        let bytes = new_log(2, HBINS, &entries);
        assert_eq!(recover(&hive, &[log("h.LOG1", &bytes)]), Recovery::Clean);
    }

    #[test]
    fn dual_logs_are_ordered_by_sequence_not_name() {
        let hive = primary(3, 2, HBINS);
        let older = new_log(2, HBINS, &[entry(2, HBINS, &[(0, page(512, 1))])]);
        let newer = new_log(3, HBINS, &[entry(3, HBINS, &[(0, page(512, 2))])]);
        let logs = [log("h.LOG1", &newer), log("h.LOG2", &older)];
        let plan = plan(recover(&hive, &logs));
        assert_eq!(plan.logs_used, vec!["h.LOG2", "h.LOG1"]);
        assert_eq!(plan.apply(&hive)[BASE_BLOCK_SIZE], 2);
    }

    #[test]
    fn stale_logs_are_not_applied() {
        let hive = primary(9, 8, HBINS);
        let old = new_log(2, HBINS, &[entry(2, HBINS, &[(0, page(512, 1))])]);
        assert!(matches!(
            recover(&hive, &[log("h.LOG1", &old)]),
            Recovery::LogsStale(_)
        ));
        assert_eq!(recover(&hive, &[log("h.LOG1", &[])]), Recovery::DirtyNoLogs);
    }

    #[test]
    fn a_damaged_primary_base_block_comes_from_the_newest_log() {
        let mut hive = primary(3, 3, HBINS);
        hive[100] ^= 0xFF;
        let older = new_log(2, HBINS, &[entry(2, HBINS, &[(0, page(512, 1))])]);
        let newer = new_log(3, HBINS, &[entry(3, HBINS, &[(0, page(512, 2))])]);
        let plan = plan(recover(
            &hive,
            &[log("h.LOG1", &older), log("h.LOG2", &newer)],
        ));
        assert!(plan.base_block_from_log);
        assert_eq!(plan.logs_used, vec!["h.LOG2"]);
        let out = plan.apply(&hive);
        assert_eq!(out[100], 0, "the log's base block replaced the damaged one");
        assert!(!BaseBlock::parse(&out).unwrap().is_dirty());
    }

    #[test]
    fn old_format_pages_follow_the_bitmap() {
        // 2 MiB of hive bins: a 512-byte bitmap, so the pages start at offset 1536.
        let hbins = 2 * 1024 * 1024;
        let hive = primary(5, 4, hbins);
        let bytes = old_log(5, 0, hbins, &[(0, 0x10), (9, 0x19), (4000, 0x40)]);
        let plan = plan(recover(&hive, &[log("h.LOG1", &bytes), log("h.LOG2", &[])]));
        assert_eq!((plan.format, plan.entries_applied), (LogFormat::Old, 3));
        let out = plan.apply(&hive);
        assert_eq!(out[BASE_BLOCK_SIZE], 0x10);
        assert_eq!(out[BASE_BLOCK_SIZE + 9 * 512], 0x19);
        assert_eq!(out[BASE_BLOCK_SIZE + 4000 * 512 + 511], 0x40);
        assert_eq!(out[BASE_BLOCK_SIZE + 512], 0xAA);
    }

    #[test]
    fn old_format_needs_a_recent_timestamp_and_every_page() {
        let mut hive = primary(5, 4, HBINS);
        hive[12..20].copy_from_slice(&100u64.to_le_bytes());
        seal(&mut hive);
        let stale = old_log(5, 99, HBINS, &[(0, 1)]);
        assert!(matches!(
            recover(&hive, &[log("h.LOG", &stale)]),
            Recovery::LogsStale(_)
        ));
        let mut cut = old_log(5, 100, HBINS, &[(0, 1), (1, 2)]);
        cut.truncate(cut.len() - 1);
        assert!(matches!(
            recover(&hive, &[log("h.LOG", &cut)]),
            Recovery::LogsInvalid(_)
        ));
    }

    #[test]
    fn non_hives_are_reported() {
        assert!(matches!(recover(b"nope", &[]), Recovery::NotAHive(_)));
        let (_, entries) = three_entries();
        let log_file = new_log(2, HBINS, &entries);
        assert!(matches!(recover(&log_file, &[]), Recovery::NotAHive(_)));
    }
}

#[cfg(test)]
mod fuzz_tests;
