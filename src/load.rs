//! Loading a discovered hive: map its bytes, tell clean from dirty, and replay the transaction
//! logs of a dirty hive before anything is read.
//!
//! Recovery works on bytes: the primary stays mapped read-only and the recovered state is a
//! copy-on-write map patched in memory (or, when the hive grows, a copy), so the evidence file
//! is never written. Both stay available so extraction can tell which values the logs changed.

#[cfg(target_os = "linux")]
use memmap2::Advice;
use memmap2::MmapMut;

use crate::discovery::DiscoveredHive;
use crate::hive::BaseBlock;
use crate::hive::base_block::BASE_BLOCK_SIZE;
use crate::recovery::{self, LogInput, Recovery};
use crate::source::{Access, Evidence, EvidenceBytes};

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

/// A hive ready to be read.
pub struct LoadedHive {
    /// The primary file as collected.
    pub primary: Option<EvidenceBytes>,
    /// The recovered state, when transaction logs were replayed.
    pub recovered: Option<EvidenceBytes>,
    /// Clean, recovered, stale or unreadable.
    pub state: HiveState,
}

impl LoadedHive {
    /// The bytes extraction reads: the recovered state if there is one, else the primary.
    pub fn current(&self) -> Option<&[u8]> {
        self.recovered.as_deref().or(self.primary.as_deref())
    }
}

/// Loads `hive` read-only; with `recover`, a dirty hive's logs are replayed in memory.
pub fn load(hive: &DiscoveredHive, recover: bool) -> LoadedHive {
    let state = header_state(hive);
    let unreadable = |state| LoadedHive {
        primary: None,
        recovered: None,
        state,
    };
    if let HiveState::Error(_) = state {
        return unreadable(state);
    }
    let primary = match hive.evidence.open(Access::Lookups) {
        Ok(bytes) => bytes,
        Err(error) => return unreadable(HiveState::Error(format!("cannot read: {error}"))),
    };
    let (recovered, state) = match state {
        HiveState::Stale { detail, .. } if recover => replay(hive, &primary, &detail),
        HiveState::Stale { status, detail } => (
            None,
            HiveState::Stale {
                status,
                detail: format!("{detail}; read without applying transaction logs (--no-recover)"),
            },
        ),
        other => (None, other),
    };
    LoadedHive {
        primary: Some(primary),
        recovered,
        state,
    }
}

/// Replays the logs beside `hive` onto `primary`.
fn replay(
    hive: &DiscoveredHive,
    primary: &[u8],
    dirty: &str,
) -> (Option<EvidenceBytes>, HiveState) {
    with_recovery(hive, primary, dirty, |outcome| match outcome {
        Recovery::Recovered(plan) => Some(materialise(&hive.evidence, primary, plan)),
        _ => None,
    })
}

/// The state a dirty hive would have after replaying its logs, without materialising the
/// result: for hives that are listed, not read. An empty listed file is noted as empty.
pub fn assess(hive: &DiscoveredHive, recover: bool) -> HiveState {
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
    match hive.evidence.open(Access::Lookups) {
        Ok(primary) => with_recovery(hive, &primary, detail, |_| None::<()>).1,
        Err(error) => HiveState::Error(format!("cannot read: {error}")),
    }
}

/// Opens the logs beside `hive`, plans recovery of `primary`, lets `use_plan` act on the
/// outcome, and returns its result with the hive's state.
fn with_recovery<T>(
    hive: &DiscoveredHive,
    primary: &[u8],
    dirty: &str,
    use_plan: impl FnOnce(&Recovery<'_>) -> Option<T>,
) -> (Option<T>, HiveState) {
    let mut problems = Vec::new();
    let opened: Vec<(String, EvidenceBytes)> = hive
        .logs
        .iter()
        .filter_map(|log| match log.open(Access::Whole) {
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
    let outcome = recovery::recover(primary, &inputs);
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

/// The recovered bytes: the primary patched in a copy-on-write map when the hive keeps its
/// size (only the final version of each changed page is copied), else a patched copy.
fn materialise(evidence: &Evidence, primary: &[u8], plan: &recovery::Plan<'_>) -> EvidenceBytes {
    if let Ok(mut map) = evidence.open_copy_on_write() {
        if map.len() >= plan.new_size {
            copy_pages_to_write(&map, plan);
        }
        if plan.apply_in_place(&mut map) {
            return EvidenceBytes::Patched(map);
        }
    }
    EvidenceBytes::Owned(plan.apply(primary))
}

/// Memory page size assumed when asking for private copies of pages. On a system with larger
/// pages the request fails and is ignored: the copies are then made one fault at a time.
#[cfg(target_os = "linux")]
const PAGE_SIZE: usize = 4096;

/// Has the kernel make the private copies of every page `plan` writes to in one call per run
/// of pages, instead of one copy-on-write fault per page. Only a hint: on failure (a kernel
/// older than Linux 5.14) the first write to each page makes its copy as before.
#[cfg(target_os = "linux")]
fn copy_pages_to_write(map: &MmapMut, plan: &recovery::Plan<'_>) {
    for (offset, len) in plan.written_runs(PAGE_SIZE) {
        let _ = map.advise_range(Advice::PopulateWrite, offset, len);
    }
}

/// Other systems have no way to ask for the copies up front: each is made by the first write
/// to its page.
#[cfg(not(target_os = "linux"))]
fn copy_pages_to_write(_map: &MmapMut, _plan: &recovery::Plan<'_>) {}

/// The state of a hive judged from its header alone (clean, dirty or unreadable).
pub fn header_state(hive: &DiscoveredHive) -> HiveState {
    match &hive.header {
        None => HiveState::Error(
            hive.header_error
                .clone()
                .unwrap_or_else(|| "no regf base block".to_string()),
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
