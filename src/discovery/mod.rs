//! Finding hives in a collection and grouping them into machines and users.
//!
//! Input is any mix of files and directories. Every regular file walked is accounted for:
//! as a hive (recognised by content, typed by [`crate::hive::kind::detect`]), as a
//! transaction log attached to its hive, or as something else. Hives are then grouped into
//! machines by the collection's layout (KAPE trees, a folder per machine, folders of loose
//! hives from many machines); user hives that cannot be placed are kept apart, never guessed.
//!
//! # What is a hive
//! A file whose base block parses and says "primary". A file that does not start with a base
//! block (0-byte RegBack copy, damaged, unreadable) is still reported as a hive, without a
//! header and with `header_error` set, when its name says hive (`SYSTEM`, `NTUSER.DAT`,
//! `host5_system.hiv`, not `ntuser.dat.xz`), so that it shows up as an error with its machine.
//! A base block saying "log" makes a log; a file without a base block is taken for a log only
//! when it has a log's name *and* its hive is beside it (a 0-byte `.LOG2` is normal).
//!
//! # Layouts
//! * Windows trees, any letter case: `<m>/[C|C:|C%3A/][Windows.old/]Windows/System32/config/`,
//!   `<m>/.../Users/<u>/`, `Documents and Settings/<u>/`, `Windows/ServiceProfiles/<u>/`,
//!   `config/systemprofile/`, and Velociraptor's `<m>/uploads/<accessor>/<volume>/...` (drive or
//!   shadow copy, URL-encoded). The machine id is `<m>` relative to the input (the input's own
//!   name when `<m>` is the input). The live SYSTEM/SOFTWARE is the one in
//!   `Windows/System32/config` named `SYSTEM`/`SOFTWARE`, first by path when there are
//!   several (drive `C` before `D`); RegBack, Windows.old and shadow copies, UsrClass, SAM,
//!   Amcache, BCD and any other hive below `<m>` are `others`, as are NTUSER hives not directly
//!   in a live profile folder. A one-letter folder just above `Windows` is read as a drive.
//! * A folder directly holding one SYSTEM (and at most one SOFTWARE, with no clashing
//!   file-name prefix) is one machine, labelled with its path; every hive in or below it
//!   belongs to it unless a nearer folder decides otherwise.
//! * A folder directly holding several SYSTEM hives holds one machine per SYSTEM, labelled
//!   with the SYSTEM file's prefix (`host5_system.hiv` → `host5`) or its name. Other hives join
//!   a machine only when their name, less the hive-type token, is exactly its prefix (user
//!   hives: the prefix, then the user: `host5_alice.ntuser`) and fits no other machine.
//! * Anything else is unplaced. When two machines get the same label, both are labelled with
//!   their full path instead (their folder, or their SYSTEM file).
//!
//! # Users
//! From the Windows profile folder, else the profile path embedded in the base block (only a
//! complete folder name below `Users`, `Documents and Settings` or `ServiceProfiles`), else the
//! file name (`alice.ntuser`, `host5_alice.ntuser`), else the collection folder the hive sits in
//! directly below a machine folder (`host1/alice/NTUSER.DAT`).
//!
//! The work is split into steps, one module each: `walk` lists the inputs without opening
//! special files, `sniff` reads each file's first 4,096 bytes, `logs` attaches transaction
//! logs, and `layout` groups hives into machines, with `identity` naming users and `names`
//! holding the file-name rules they share.

mod identity;
mod layout;
mod logs;
mod names;

pub use names::log_base;
mod sniff;
mod walk;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use self::layout::FoundHive;
use self::sniff::{LogFile, Sniffed};
use self::walk::{Entry, Found};
use crate::hive::{BaseBlock, DetectedBy, HiveKind};
use crate::source::{Evidence, KeptFile};

/// What to leave out of a walk.
#[derive(Clone, Debug, Default)]
pub struct DiscoveryOptions {
    /// Directories never entered (e.g. the report directory).
    pub exclude: Vec<PathBuf>,
    /// Asked between entries: when it returns true the walk stops early (the caller was
    /// interrupted and will discard the partial collection).
    pub stop: Option<fn() -> bool>,
}

/// Everything found in the inputs, in a deterministic order.
#[derive(Debug, Default)]
pub struct Collection {
    /// Machines, sorted by id.
    pub machines: Vec<MachineInputs>,
    /// Hives that belong to no machine that could be identified, sorted by path. NTUSER hives
    /// carry the user their embedded path or file name gives; hives of other kinds have none.
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
    /// Why there is no usable base block (short file, no signature, read error). Set exactly
    /// when `header` is `None`; `kind` then comes from the file name.
    pub header_error: Option<Box<str>>,
    /// What the hive is.
    pub kind: HiveKind,
    /// Which evidence decided `kind`.
    pub detected_by: DetectedBy,
    /// Transaction logs beside the hive (`.LOG`, `.LOG1`, `.LOG2`, any case), sorted by name.
    pub logs: Box<[Evidence]>,
    /// The file as discovery opened it, kept for the one that reads the hive next.
    pub opened: KeptFile,
}

/// A hive placed as belonging to a user (NTUSER) or kept unplaced.
#[derive(Clone, Debug)]
pub struct UserHive {
    /// The hive.
    pub hive: DiscoveredHive,
    /// The user name, when one could be found.
    pub user: Option<Box<str>>,
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
    /// input, or the shared file-name prefix in a folder of loose hives. Unique: labels that
    /// would collide are replaced by the machine's full path. Shared with the machine's rows.
    pub id: Arc<str>,
    /// The SYSTEM hive in use, if collected.
    pub system: Option<DiscoveredHive>,
    /// The SOFTWARE hive in use, if collected.
    pub software: Option<DiscoveredHive>,
    /// User hives (NTUSER), sorted by path.
    pub users: Box<[UserHive]>,
    /// Every other hive of the machine (SAM, SECURITY, UsrClass, RegBack copies, ...): listed,
    /// not audited. Sorted by path.
    pub others: Box<[DiscoveredHive]>,
}

/// A file that is not a hive.
#[derive(Clone, Debug)]
pub struct OtherFile {
    /// Where it is.
    pub evidence: Evidence,
    /// Size, when it could be read.
    pub size: Option<u64>,
    /// What it is.
    pub status: OtherStatus,
}

/// What a non-hive file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OtherStatus {
    /// A transaction log (by its base block, or by its name with its hive beside it), attached
    /// to the hive at this path, or to none when no hive sits beside it.
    Log {
        /// The hive the log belongs to.
        hive: Option<Evidence>,
    },
    /// A regular file that is not a hive.
    NotHive,
    /// Not a regular file (FIFO, device, socket): skipped without opening it.
    Skipped(String),
    /// Could not be read (permissions, symlink loop, vanished). A file whose name says hive is
    /// reported as a hive with a `header_error` instead.
    Unreadable(String),
}

/// Walks `inputs` and returns what they hold.
///
/// Never fails and never writes: entries that cannot be read become [`OtherStatus::Unreadable`]
/// rows, special files [`OtherStatus::Skipped`] rows, and the walk goes on. A path reached
/// through two inputs is reported once, from the first. Each file is read up to its first
/// 4,096 bytes; a hive whose embedded name does not say what it is also has its root key
/// probed. A hive's file stays open for the audit ([`DiscoveredHive::opened`]), within a budget
/// of open files.
pub fn discover(inputs: &[PathBuf], options: &DiscoveryOptions) -> Collection {
    let sniffed: Vec<(Arc<Path>, Sniffed)> = walk::walk(inputs, &options.exclude, options.stop)
        .into_par_iter()
        .map(|entry| (entry.root.clone(), sniff_entry(entry)))
        .collect();
    // Both lists are sized once: the hives are moved on to their machines, and every other
    // file, logs included once attached, is a row kept for the whole scan.
    let hive_count = sniffed
        .iter()
        .filter(|(_, item)| matches!(item, Sniffed::Hive(_)))
        .count();
    let mut hives = Vec::with_capacity(hive_count);
    let mut logs = Vec::new();
    let mut other_files = Vec::with_capacity(sniffed.len() - hive_count);
    for (root, item) in sniffed {
        match item {
            Sniffed::Hive(hive) => hives.push(FoundHive { hive, root }),
            Sniffed::Log(log) => logs.push(log),
            Sniffed::Other(row) => other_files.push(row),
        }
    }
    other_files.extend(attach_logs(&mut hives, logs));
    other_files.sort_by_cached_key(|file| walk::order_key(file.evidence.path()));
    let (machines, unplaced) = layout::group(hives);
    Collection {
        machines,
        unplaced,
        other_files,
    }
}

/// Sniffs a regular file; turns special and unreadable entries into rows.
fn sniff_entry(entry: Entry) -> Sniffed {
    let (size, status) = match entry.found {
        Found::File => return sniff::sniff(&entry.path),
        Found::Special(reason) => (None, OtherStatus::Skipped(reason)),
        Found::Unreadable(error) => (None, OtherStatus::Unreadable(error)),
    };
    Sniffed::Other(OtherFile {
        evidence: Evidence::File(entry.path.into()),
        size,
        status,
    })
}

fn attach_logs(hives: &mut [FoundHive], logs: Vec<LogFile>) -> Vec<OtherFile> {
    let mut targets: Vec<&mut DiscoveredHive> =
        hives.iter_mut().map(|found| &mut found.hive).collect();
    logs::attach(&mut targets, logs)
}
