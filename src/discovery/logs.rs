//! Attaching transaction logs to the hive beside them.
//!
//! A log belongs to the hive in the same folder whose name is the log's name without `.LOG`,
//! `.LOG1` or `.LOG2`, compared ignoring letter case on both parts (`NTUSER.DAT` takes
//! `ntuser.dat.LOG1`). When letter case alone tells several hives apart (possible on Linux), the
//! exact spelling wins and otherwise the log is attached to none of them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::sniff::LogFile;
use super::{DiscoveredHive, OtherFile, OtherStatus, names};

/// Attaches each log to its hive and returns one row per log. A file that only has a log's
/// name and no hive beside it is not taken for a log: its row says `NotHive`.
pub(super) fn attach(hives: &mut [&mut DiscoveredHive], logs: Vec<LogFile>) -> Vec<OtherFile> {
    let index = index_by_folder_and_name(hives);
    let rows = logs
        .into_iter()
        .map(|log| {
            let owner = owner_of(&log, hives, &index);
            let status = match owner {
                Some(at) => {
                    hives[at].logs.push(log.evidence.clone());
                    OtherStatus::Log {
                        hive: Some(hives[at].evidence.display_path()),
                    }
                }
                None if log.by_content => OtherStatus::Log { hive: None },
                None => OtherStatus::NotHive,
            };
            OtherFile {
                path: log.evidence.display_path(),
                size: Some(log.size),
                status,
            }
        })
        .collect();
    for hive in hives.iter_mut() {
        hive.logs.sort();
    }
    rows
}

/// Hive positions keyed by folder and lower-cased file name.
type NameIndex = HashMap<(PathBuf, String), Vec<usize>>;

fn index_by_folder_and_name(hives: &[&mut DiscoveredHive]) -> NameIndex {
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
fn owner_of(log: &LogFile, hives: &[&mut DiscoveredHive], index: &NameIndex) -> Option<usize> {
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

fn folder(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}
