//! Loading a discovered hive: map its bytes, check its header, tell clean from dirty.
//!
//! The result is what extraction reads plus the state every report row carries. Recovery of
//! dirty hives plugs in here, on the bytes, before anything is read.

use crate::discovery::DiscoveredHive;
use crate::hive::BaseBlock;
use crate::source::EvidenceBytes;

/// The state of a hive after loading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HiveState {
    /// Sequence numbers agree and the checksum is right.
    Clean,
    /// Dirty, and read as the primary file holds it: recent changes may be missing.
    Dirty {
        /// Why it is dirty and why it was not recovered.
        detail: String,
    },
    /// Not readable as a hive.
    Error(String),
}

impl HiveState {
    /// The status word used in reports.
    pub fn label(&self) -> &'static str {
        match self {
            HiveState::Clean => "clean",
            HiveState::Dirty { .. } => "dirty",
            HiveState::Error(_) => "error",
        }
    }

    /// Human detail for the report (empty when clean).
    pub fn detail(&self) -> &str {
        match self {
            HiveState::Clean => "",
            HiveState::Dirty { detail } | HiveState::Error(detail) => detail,
        }
    }

    /// True when values may be stale because a dirty hive was read without its logs applied.
    pub fn is_stale(&self) -> bool {
        matches!(self, HiveState::Dirty { .. })
    }
}

/// A hive ready to be read.
pub struct LoadedHive {
    /// The bytes extraction reads.
    pub bytes: Option<EvidenceBytes>,
    /// The base block, when there is one.
    pub header: Option<BaseBlock>,
    /// Clean, dirty or unreadable.
    pub state: HiveState,
}

/// Loads `hive` read-only.
pub fn load(hive: &DiscoveredHive) -> LoadedHive {
    let mut state = header_state(hive);
    let bytes = match &state {
        HiveState::Error(_) => None,
        _ => match hive.evidence.open() {
            Ok(bytes) => Some(bytes),
            Err(error) => {
                state = HiveState::Error(format!("cannot read: {error}"));
                None
            }
        },
    };
    if let HiveState::Dirty { detail } = &mut state {
        detail.push_str("; read without applying transaction logs");
    }
    LoadedHive {
        bytes,
        header: hive.header.clone(),
        state,
    }
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

/// The state of a hive judged from its header alone, for hives that are listed, not read.
pub fn header_state(hive: &DiscoveredHive) -> HiveState {
    match &hive.header {
        None => HiveState::Error(
            hive.header_error
                .clone()
                .unwrap_or_else(|| "no regf base block".to_string()),
        ),
        Some(header) => match dirty_reason(header) {
            None => HiveState::Clean,
            Some(reason) => HiveState::Dirty { detail: reason },
        },
    }
}
