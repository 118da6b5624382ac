//! Finding hives in a collection and grouping them into machines and users.
//!
//! Input is any mix of files and directories. Every regular file walked is accounted for:
//! as a hive (recognised by content, typed by [`crate::hive::kind::detect`]), as a
//! transaction log attached to its hive, or as something else. Hives are then grouped into
//! machines by the collection's layout (KAPE trees, a folder per machine, folders of loose
//! hives from many machines); user hives that cannot be placed are kept apart, never guessed.

use std::path::PathBuf;

use crate::hive::{BaseBlock, DetectedBy, HiveKind};
use crate::source::Evidence;

/// What to leave out of a walk.
#[derive(Clone, Debug, Default)]
pub struct DiscoveryOptions {
    /// Directories never entered (e.g. the report directory).
    pub exclude: Vec<PathBuf>,
}

/// Everything found in the inputs, in a deterministic order.
#[derive(Debug, Default)]
pub struct Collection {
    /// Machines, sorted by id.
    pub machines: Vec<MachineInputs>,
    /// Hives that belong to no machine that could be identified, sorted by path.
    pub unplaced: Vec<UserHive>,
    /// Files that are not hives: logs, other files, skipped and unreadable entries, by path.
    pub other_files: Vec<OtherFile>,
}

/// A hive found by discovery, with the logs beside it.
#[derive(Clone, Debug)]
pub struct DiscoveredHive {
    /// Where the bytes are.
    pub evidence: Evidence,
    /// File size in bytes.
    pub size: u64,
    /// The parsed base block, when the file starts with one.
    pub header: Option<BaseBlock>,
    /// Why there is no usable base block (short file, no signature, read error).
    pub header_error: Option<String>,
    /// What the hive is.
    pub kind: HiveKind,
    /// Which evidence decided `kind`.
    pub detected_by: DetectedBy,
    /// Transaction logs beside the hive (`.LOG`, `.LOG1`, `.LOG2`, any case), sorted by name.
    pub logs: Vec<Evidence>,
}

/// A hive placed as belonging to a user (NTUSER) or kept unplaced.
#[derive(Clone, Debug)]
pub struct UserHive {
    /// The hive.
    pub hive: DiscoveredHive,
    /// The user name, when one could be found.
    pub user: Option<String>,
    /// Where the user name came from.
    pub user_source: UserSource,
}

/// Where a user name was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserSource {
    /// The profile folder the hive was collected from (`Users\alice\NTUSER.DAT`).
    ProfileFolder,
    /// The path Windows stored in the base block (`\??\C:\Users\alice\ntuser.dat`).
    EmbeddedPath,
    /// The hive's file name (`alice.ntuser`).
    FileName,
    /// No user name could be found.
    Unknown,
}

/// The hives of one machine.
#[derive(Clone, Debug)]
pub struct MachineInputs {
    /// A stable label from the collection layout: the machine folder's path relative to the
    /// input, or the shared file-name prefix in a folder of loose hives.
    pub id: String,
    /// The SYSTEM hive in use, if collected.
    pub system: Option<DiscoveredHive>,
    /// The SOFTWARE hive in use, if collected.
    pub software: Option<DiscoveredHive>,
    /// User hives (NTUSER), sorted by path.
    pub users: Vec<UserHive>,
    /// Every other hive of the machine (SAM, SECURITY, UsrClass, RegBack copies, ...): listed,
    /// not audited. Sorted by path.
    pub others: Vec<DiscoveredHive>,
}

/// A file that is not a hive.
#[derive(Clone, Debug)]
pub struct OtherFile {
    /// The path shown in reports.
    pub path: String,
    /// Size, when it could be read.
    pub size: Option<u64>,
    /// What it is.
    pub status: OtherStatus,
}

/// What a non-hive file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OtherStatus {
    /// A transaction log, attached to the hive at this path (or none beside it).
    Log {
        /// Path of the hive the log belongs to.
        hive: Option<String>,
    },
    /// A regular file that is not a hive.
    NotHive,
    /// Not a regular file (FIFO, device, socket): skipped without opening it.
    Skipped(String),
    /// Could not be read (permissions, symlink loop, vanished).
    Unreadable(String),
}

/// Walks `inputs` and returns what they hold.
pub fn discover(inputs: &[PathBuf], options: &DiscoveryOptions) -> Collection {
    let _ = (inputs, options);
    Collection::default()
}
