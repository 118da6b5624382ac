//! Attaching transaction logs to the hive beside them.
//!
//! A log belongs to the hive in the same folder whose name is the log's name without `.LOG`,
//! `.LOG1` or `.LOG2`, compared ignoring letter case on both parts (`NTUSER.DAT` takes
//! `ntuser.dat.LOG1`). When letter case alone tells several hives apart (possible on Linux), the
//! exact spelling wins and otherwise the log is attached to none of them.

use std::collections::HashMap;
use std::path::Path;

use super::sniff::LogFile;
use super::{DiscoveredHive, OtherFile, OtherStatus, names};
use crate::source::Evidence;

/// Attaches each log to its hive and returns one row per log. A file that only has a log's
/// name and no hive beside it is not taken for a log: its row says `NotHive`.
pub(super) fn attach(hives: &mut [&mut DiscoveredHive], logs: Vec<LogFile>) -> Vec<OtherFile> {
    // Owners are found first, so that the index is gone before the rows (kept for the whole
    // scan) are made, rather than leaving its freed entries between them.
    let owners = owners(hives, &logs);
    let mut attached = Vec::new();
    let rows = logs
        .into_iter()
        .zip(owners)
        .map(|(log, owner)| {
            let status = match owner {
                Some(at) => {
                    attached.push((at, log.evidence.clone()));
                    OtherStatus::Log {
                        hive: Some(hives[at].evidence.clone()),
                    }
                }
                None if log.by_content => OtherStatus::Log { hive: None },
                None => OtherStatus::NotHive,
            };
            OtherFile {
                evidence: log.evidence,
                size: Some(log.size),
                status,
            }
        })
        .collect();
    give_logs(hives, attached);
    rows
}

/// The position of the hive each log belongs to, if exactly one can be named.
fn owners(hives: &[&mut DiscoveredHive], logs: &[LogFile]) -> Vec<Option<usize>> {
    let index = index_by_folder_and_name(hives);
    logs.iter()
        .map(|log| owner_of(log, hives, &index))
        .collect()
}

/// Gives each hive its logs (pairs of hive position and log), sorted by name, in a list of
/// exactly their number: hives are kept for the whole scan.
fn give_logs(hives: &mut [&mut DiscoveredHive], mut attached: Vec<(usize, Evidence)>) {
    attached.sort();
    let runs: Vec<(usize, usize)> = attached
        .chunk_by(|a, b| a.0 == b.0)
        .map(|run| (run[0].0, run.len()))
        .collect();
    let mut logs = attached.into_iter().map(|(_, log)| log);
    for (at, count) in runs {
        hives[at].logs = logs.by_ref().take(count).collect();
    }
}

/// Hive positions keyed by folder and lower-cased file name.
type NameIndex<'h> = HashMap<(&'h Path, String), Vec<usize>>;

fn index_by_folder_and_name<'h>(hives: &'h [&mut DiscoveredHive]) -> NameIndex<'h> {
    let mut index = NameIndex::new();
    for (at, hive) in hives.iter().enumerate() {
        let key = (
            folder(hive.evidence.path()),
            hive.evidence.file_name().to_lowercase(),
        );
        index.entry(key).or_default().push(at);
    }
    index
}

/// The position of the hive `log` belongs to, if exactly one can be named.
fn owner_of(log: &LogFile, hives: &[&mut DiscoveredHive], index: &NameIndex<'_>) -> Option<usize> {
    let name = log.evidence.file_name();
    let base = names::log_base(&name)?;
    let candidates = index.get(&(folder(log.evidence.path()), base.to_lowercase()))?;
    let exact = candidates
        .iter()
        .copied()
        .find(|&at| hives[at].evidence.file_name() == base);
    match candidates.as_slice() {
        [only] => Some(*only),
        _ => exact,
    }
}

fn folder(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new(""))
}
