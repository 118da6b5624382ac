//! Grouping hives into machines.
//!
//! A hive is placed by the first rule that applies:
//! 1. [`tree`]: it sits in a Windows tree recreated by a collector (KAPE and the like):
//!    `<m>/[drive/][Windows.old/]Windows/System32/config/...`, `.../Users/<u>/...`. The machine
//!    is `<m>`.
//! 2. [`loose`]: the nearest folder at or above it that either holds SYSTEM hives or is the
//!    machine folder of a Windows installation found by rule 1 decides: a folder with one
//!    SYSTEM (and at most one SOFTWARE) is one machine; a folder with several is a folder of
//!    loose hives from many machines, joined by file-name prefix; below an installation's
//!    machine folder (`<m>/C/Boot/BCD`), the hive is one of that machine's other hives.
//! 3. Otherwise the hive is unplaced.
//!
//! Within a machine, a hive is a *primary* candidate when it sits where the live copy sits
//! (see [`Role`]); the best SYSTEM and SOFTWARE candidates become `system` and `software`,
//! primary NTUSER hives become `users`, and everything else is listed in `others`.

mod loose;
mod tree;

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use super::identity::{self, UserHint};
use super::{DiscoveredHive, MachineInputs, UserHive, names};
use crate::hive::HiveKind;

/// A hive with the folder its layout is read from.
#[derive(Debug)]
pub(super) struct FoundHive {
    /// The hive.
    pub hive: DiscoveredHive,
    /// The input folder (or the folder of an input file).
    pub root: PathBuf,
}

/// Where a hive goes.
#[derive(Debug)]
struct Placement {
    /// Identifies the machine: its folder, or its SYSTEM file in a folder of loose hives.
    key: PathBuf,
    /// The machine's label before it is made unique.
    id: String,
    /// Whether the hive may be the machine's system, software or a user.
    role: Role,
    /// What the layout says about the hive's user.
    hint: UserHint,
    /// The machine folder holds a Windows installation (`Windows/System32`, ...), so every
    /// other hive below it came from that machine too.
    installation: bool,
}

/// How a hive serves its machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Sits where the live copy sits: a candidate for `system`/`software`, or a user.
    Primary,
    /// A copy (RegBack, Windows.old, elsewhere) or a kind that is not audited: `others`.
    Secondary,
}

impl Role {
    /// A SYSTEM or SOFTWARE hive is primary where the machine keeps its live copy
    /// (`machine_spot`), an NTUSER hive where a user's live copy sits (`user_spot`).
    fn of(kind: HiveKind, machine_spot: bool, user_spot: bool) -> Role {
        let live = match kind {
            HiveKind::System | HiveKind::Software => machine_spot,
            HiveKind::NtUser => user_spot,
            _ => false,
        };
        if live { Role::Primary } else { Role::Secondary }
    }
}

/// Groups `found` into machines (sorted by id) and unplaced hives (sorted by path).
pub(super) fn group(found: Vec<FoundHive>) -> (Vec<MachineInputs>, Vec<UserHive>) {
    let in_tree: Vec<Option<Placement>> = found.iter().map(tree::place).collect();
    let installations = in_tree
        .iter()
        .flatten()
        .filter(|placed| placed.installation)
        .map(|placed| (placed.key.clone(), placed.id.clone()));
    let loose_hives = found
        .iter()
        .zip(&in_tree)
        .filter(|(_, placed)| placed.is_none())
        .map(|(hive, _)| hive);
    let folders = loose::Folders::new(loose_hives, installations);
    let mut machines: BTreeMap<PathBuf, Builder> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for (item, placed) in found.into_iter().zip(in_tree) {
        match placed.or_else(|| folders.place(&item)) {
            Some(placement) => machines
                .entry(placement.key)
                .or_insert_with(|| Builder::new(placement.id))
                .hives
                .push((item.hive, placement.role, placement.hint)),
            None => {
                let hint = unplaced_hint(&item.hive);
                unplaced.push(identity::identify(item.hive, hint));
            }
        }
    }
    unplaced.sort_by(|a, b| a.hive.evidence.cmp(&b.hive.evidence));
    (finish(machines), unplaced)
}

/// A hive with no machine keeps the user its file name suggests.
fn unplaced_hint(hive: &DiscoveredHive) -> UserHint {
    UserHint {
        file_name: user_in_file_name(hive, None),
        ..UserHint::default()
    }
}

/// The user part of a hive's file name, after the machine prefix when there is one.
fn user_in_file_name(hive: &DiscoveredHive, machine_prefix: Option<&str>) -> Option<String> {
    let rest = names::name_rest(&hive.evidence.file_name(), hive.kind);
    identity::file_name_user(&rest, machine_prefix)
}

/// The hives gathered for one machine.
#[derive(Debug)]
struct Builder {
    id: String,
    hives: Vec<(DiscoveredHive, Role, UserHint)>,
}

impl Builder {
    fn new(id: String) -> Self {
        Builder {
            id,
            hives: Vec::new(),
        }
    }

    fn build(self, id: String) -> MachineInputs {
        let mut systems = Vec::new();
        let mut softwares = Vec::new();
        let mut users = Vec::new();
        let mut others = Vec::new();
        for (hive, role, hint) in self.hives {
            match (role, hive.kind) {
                (Role::Primary, HiveKind::System) => systems.push(hive),
                (Role::Primary, HiveKind::Software) => softwares.push(hive),
                (Role::Primary, HiveKind::NtUser) => users.push(identity::identify(hive, hint)),
                _ => others.push(hive),
            }
        }
        let system = choose_live(systems, &mut others);
        let software = choose_live(softwares, &mut others);
        users.sort_by(|a, b| a.hive.evidence.cmp(&b.hive.evidence));
        others.sort_by(|a, b| a.evidence.cmp(&b.evidence));
        // Every machine is held until the scan ends: no spare capacity per machine.
        users.shrink_to_fit();
        others.shrink_to_fit();
        MachineInputs {
            id,
            system,
            software,
            users,
            others,
        }
    }
}

/// Picks the live copy among candidates: the one named as Windows names it (`SYSTEM`), then
/// the first by path (drive `C` before `D`). The rest are listed in `others`.
fn choose_live(
    mut candidates: Vec<DiscoveredHive>,
    others: &mut Vec<DiscoveredHive>,
) -> Option<DiscoveredHive> {
    candidates.sort_by_cached_key(|hive| {
        let canonical = names::same_name(&hive.evidence.file_name(), hive.kind.label());
        (Reverse(canonical), hive.evidence.clone())
    });
    let mut candidates = candidates.into_iter();
    let live = candidates.next();
    others.extend(candidates);
    live
}

/// Builds every machine with a unique id: its label, or its full path where labels collide.
fn finish(machines: BTreeMap<PathBuf, Builder>) -> Vec<MachineInputs> {
    let mut label_counts: HashMap<String, usize> = HashMap::new();
    for builder in machines.values() {
        *label_counts.entry(builder.id.clone()).or_default() += 1;
    }
    let mut built: Vec<MachineInputs> = machines
        .into_iter()
        .map(|(key, builder)| {
            let id = if label_counts[&builder.id] > 1 {
                key.display().to_string()
            } else {
                builder.id.clone()
            };
            builder.build(id)
        })
        .collect();
    built.sort_by(|a, b| a.id.cmp(&b.id));
    built
}

/// The label of machine folder `dir`: its path below `root`, or its own name when it is the
/// root itself.
fn folder_label(root: &Path, dir: &Path) -> String {
    match dir.strip_prefix(root) {
        Ok(below) if !below.as_os_str().is_empty() => below
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        _ => own_name(dir),
    }
}

/// A folder's own name, resolving `.` and the like through the file system.
fn own_name(dir: &Path) -> String {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    dir.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .or_else(|| {
            fs::canonicalize(dir)
                .ok()
                .and_then(|full| full.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| dir.display().to_string())
}
