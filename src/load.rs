//! Loading a discovered hive: open it, tell clean from dirty, and replay the transaction logs
//! of a dirty hive before anything is read.
//!
//! A hive is read page by page on demand (see [`PagedHive`]), never mapped or copied whole.
//! A recovered hive is the primary's pages with the logs' final version of each changed page
//! laid over them as each page is first read, so the evidence file is never written and only
//! the pages extraction visits are ever put together. The primary stays readable beside it,
//! so extraction can tell which values the logs changed.

use std::io;

use crate::discovery::DiscoveredHive;
use crate::hive::BaseBlock;
use crate::hive::PagedHive;
use crate::hive::base_block::BASE_BLOCK_SIZE;
use crate::recovery::{self, LogInput, PRIMARY_HEAD, Recovery};
use crate::source::{EvidenceBytes, PagedFile};

/// The state of a hive after loading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HiveState {
    /// Sequence numbers agree and the checksum is right: the logs are not needed.
    Clean,
    /// Dirty, and its transaction logs were replayed.
    Recovered {
        /// What was applied (format, entries, sequence range, logs).
        detail: String,
    },
    /// Dirty and read as the primary file holds it: recent changes may be missing.
    Stale {
        /// `dirty` (recovery turned off), `dirty-no-logs`, `logs-stale` or `logs-invalid`.
        status: &'static str,
        /// Why it is dirty and why it was not recovered.
        detail: String,
    },
    /// A zero-byte file where a hive was expected to be listed (Windows 10 1803 and later
    /// leave the RegBack copies empty): noted, not an error.
    Empty,
    /// Not readable as a hive.
    Error(String),
}

impl HiveState {
    /// The status word used in reports.
    pub fn label(&self) -> &'static str {
        match self {
            HiveState::Clean => "clean",
            HiveState::Recovered { .. } => "recovered",
            HiveState::Stale { status, .. } => status,
            HiveState::Empty => "empty",
            HiveState::Error(_) => "error",
        }
    }

    /// Human detail for the report (empty when clean).
    pub fn detail(&self) -> &str {
        match self {
            HiveState::Clean => "",
            HiveState::Empty => "zero-byte file",
            HiveState::Recovered { detail }
            | HiveState::Stale { detail, .. }
            | HiveState::Error(detail) => detail,
        }
    }

    /// True when values may be stale because a dirty hive was read without its logs applied.
    pub fn is_stale(&self) -> bool {
        matches!(self, HiveState::Stale { .. })
    }
}

/// The hives extraction reads, lent for the duration of [`load`]'s callback.
#[derive(Clone, Copy, Default)]
pub struct Views<'v> {
    /// The hive as it stands: recovered when the logs were replayed, else the primary as
    /// collected; `None` when it cannot be read.
    pub current: Option<&'v PagedHive<'v>>,
    /// The primary as collected, when logs were replayed over it.
    pub before_logs: Option<&'v PagedHive<'v>>,
    /// The base block of `current` when it is known without reading it: the primary's, which
    /// discovery parsed. `None` for a recovered hive, whose base block the logs may change.
    pub current_header: Option<&'v BaseBlock>,
}

/// Opens `hive` read-only, replays a dirty hive's logs when `recover` is set, and calls `read`
/// once on the result; returns the hive's state with what `read` returned.
pub fn load<T>(
    hive: &DiscoveredHive,
    recover: bool,
    mut read: impl FnMut(Views<'_>) -> T,
) -> (HiveState, T) {
    let state = header_state(hive);
    if let HiveState::Error(_) = state {
        return (state, read(Views::default()));
    }
    let file = match open(hive.opened.take(), hive) {
        Ok(file) => file,
        Err(error) => {
            return (
                HiveState::Error(format!("cannot read: {error}")),
                read(Views::default()),
            );
        }
    };
    let primary = file.hive();
    let current = Views {
        current: Some(&primary),
        before_logs: None,
        current_header: hive.header.as_ref(),
    };
    match state {
        HiveState::Stale { detail, .. } if recover => replay(hive, &file, &primary, &detail, read),
        HiveState::Stale { status, detail } => (
            HiveState::Stale {
                status,
                detail: format!("{detail}; read without applying transaction logs (--no-recover)"),
            },
            read(current),
        ),
        other => (other, read(current)),
    }
}

/// Replays the logs beside `hive` over `primary` and calls `read` once on the outcome.
fn replay<T>(
    hive: &DiscoveredHive,
    file: &PagedFile,
    primary: &PagedHive<'_>,
    dirty: &str,
    mut read: impl FnMut(Views<'_>) -> T,
) -> (HiveState, T) {
    let head = match primary.range(0, file.len().min(PRIMARY_HEAD)) {
        Ok(head) => head,
        Err(error) => return (HiveState::Error(error.0), read(Views::default())),
    };
    let (recovered, state) = with_recovery(hive, head, file.len(), dirty, |outcome| {
        let Recovery::Recovered(plan) = outcome else {
            return None;
        };
        let recovered = PagedHive::new(
            file.len().max(plan.new_size),
            Box::new(|offset, window| {
                file.read_window(offset, window)?;
                plan.patch_window(offset, window);
                Ok(())
            }),
        );
        Some(read(Views {
            current: Some(&recovered),
            before_logs: Some(primary),
            current_header: None,
        }))
    });
    let result = recovered.unwrap_or_else(|| {
        read(Views {
            current: Some(primary),
            before_logs: None,
            current_header: hive.header.as_ref(),
        })
    });
    (state, result)
}

/// The state a dirty hive would have after replaying its logs, without materialising the
/// result: for hives that are listed, not read. An empty listed file is noted as empty.
pub fn assess(hive: &DiscoveredHive, recover: bool) -> HiveState {
    // The file discovery kept open is closed by the thread assessing the hive, read or not.
    let kept = hive.opened.take();
    if hive.size == 0 {
        return HiveState::Empty;
    }
    let state = header_state(hive);
    let HiveState::Stale { detail, .. } = &state else {
        return state;
    };
    if !recover {
        return state;
    }
    match open(kept, hive) {
        Ok(file) => {
            let primary = file.hive();
            match primary.range(0, file.len().min(PRIMARY_HEAD)) {
                Ok(head) => with_recovery(hive, head, file.len(), detail, |_| None::<()>).1,
                Err(error) => HiveState::Error(error.0),
            }
        }
        Err(error) => HiveState::Error(format!("cannot read: {error}")),
    }
}

/// The file of `hive`: the one discovery `kept` open, else opened again.
fn open(kept: Option<PagedFile>, hive: &DiscoveredHive) -> io::Result<PagedFile> {
    kept.map_or_else(|| hive.evidence.open_paged(), Ok)
}

/// Opens the logs beside `hive`, plans recovery of the primary (from `head`, its first bytes,
/// and its length), lets `use_plan` act on the outcome, and returns its result with the
/// hive's state.
fn with_recovery<T>(
    hive: &DiscoveredHive,
    head: &[u8],
    primary_len: usize,
    dirty: &str,
    use_plan: impl FnOnce(&Recovery<'_>) -> Option<T>,
) -> (Option<T>, HiveState) {
    let mut problems = Vec::new();
    let opened: Vec<(String, EvidenceBytes)> = hive
        .logs
        .iter()
        .filter_map(|log| match log.open() {
            Ok(bytes) => Some((log.file_name(), bytes)),
            Err(error) => {
                problems.push(format!("{}: {error}", log.file_name()));
                None
            }
        })
        .collect();
    let inputs: Vec<LogInput<'_>> = opened
        .iter()
        .map(|(name, bytes)| LogInput { name, bytes })
        .collect();
    let outcome = recovery::recover_from_head(head, primary_len, &inputs);
    let mut detail = outcome.describe();
    if !problems.is_empty() {
        detail.push_str(&format!("; unreadable logs: {}", problems.join(", ")));
    }
    let stale = |status| HiveState::Stale {
        status,
        detail: format!("{dirty}; {detail}"),
    };
    let state = match &outcome {
        Recovery::Recovered(_) => HiveState::Recovered {
            detail: detail.clone(),
        },
        Recovery::Clean => HiveState::Clean,
        Recovery::DirtyNoLogs => stale("dirty-no-logs"),
        Recovery::LogsStale(_) => stale("logs-stale"),
        Recovery::LogsInvalid(_) => stale("logs-invalid"),
        Recovery::NotAHive(why) => HiveState::Error(why.clone()),
    };
    (use_plan(&outcome), state)
}

/// The state of a hive judged from its header alone (clean, dirty or unreadable).
pub fn header_state(hive: &DiscoveredHive) -> HiveState {
    match &hive.header {
        None => HiveState::Error(
            hive.header_error
                .as_deref()
                .unwrap_or("no regf base block")
                .to_string(),
        ),
        Some(header) if truncated(header, hive.size) => HiveState::Error(format!(
            "truncated: {} bytes, but the header announces {} bytes of hive bins after 4096",
            hive.size, header.hive_bins_size
        )),
        Some(header) => match dirty_reason(header) {
            None => HiveState::Clean,
            Some(reason) => HiveState::Stale {
                status: "dirty",
                detail: reason,
            },
        },
    }
}

/// Whether a clean hive's file is shorter than the hive bins its header announces. A dirty
/// hive's size is judged by recovery, which may rebuild it from its logs.
fn truncated(header: &BaseBlock, size: u64) -> bool {
    !header.is_dirty() && size < BASE_BLOCK_SIZE as u64 + u64::from(header.hive_bins_size)
}

/// Why a header says the hive is dirty, or `None` when it is clean.
pub fn dirty_reason(header: &BaseBlock) -> Option<String> {
    let mut reasons = Vec::new();
    if !header.sequences_match() {
        reasons.push(format!(
            "sequence numbers differ ({}/{})",
            header.primary_sequence, header.secondary_sequence
        ));
    }
    if !header.checksum_ok() {
        reasons.push(format!(
            "base-block checksum wrong (stored {:#010x}, computed {:#010x})",
            header.stored_checksum, header.computed_checksum
        ));
    }
    (!reasons.is_empty()).then(|| reasons.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::{DiscoveryOptions, discover};
    use crate::fuzzing::build::{TestKey, build_hive};

    #[test]
    fn a_hive_is_read_through_the_file_discovery_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("SYSTEM");
        let hive = build_hive("SYSTEM", &TestKey::new("ROOT").dword("Select\\Current", 1));
        std::fs::write(&path, &hive).unwrap();
        let collection = discover(&[dir.path().to_path_buf()], &DiscoveryOptions::default());
        let system = collection.machines[0].system.as_ref().unwrap();
        // Gone from its folder, the file is still open: the audit reads what discovery found.
        std::fs::remove_file(&path).unwrap();
        let (state, first) = load(system, true, |views| {
            views.current.map(|hive| hive.range(0, 4).unwrap().to_vec())
        });
        assert_eq!(
            (state, first.as_deref()),
            (HiveState::Clean, Some(&b"regf"[..]))
        );
        // The file is handed over once; a second load opens the path again, and fails.
        let (state, _) = load(system, true, |_| ());
        assert!(matches!(state, HiveState::Error(error) if error.starts_with("cannot read")));
    }
}
