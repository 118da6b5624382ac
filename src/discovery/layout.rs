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
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::identity::{self, UserHint};
use super::{DiscoveredHive, MachineInputs, UserHive, names};
use crate::hive::HiveKind;

/// A hive with the folder its layout is read from.
#[derive(Debug)]
pub(super) struct FoundHive {
    /// The hive.
    pub hive: DiscoveredHive,
    /// The input folder (or the folder of an input file).
    pub root: Arc<Path>,
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
///
/// Every hive is placed first and moved only once, into a list counted beforehand: the
/// machines are kept for the whole scan, so grouping holds no second copy of the hives and
/// leaves no spare capacity behind.
pub(super) fn group(found: Vec<FoundHive>) -> (Vec<MachineInputs>, Vec<UserHive>) {
    let placements = place(&found);
    let mut machines = builders(&found, &placements);
    let mut unplaced = Vec::with_capacity(placements.iter().filter(|p| p.is_none()).count());
    for (item, placed) in found.into_iter().zip(placements) {
        match placed {
            Some(placement) => machines
                .get_mut(&placement.key)
                .expect("every placement's machine was counted")
                .add(item.hive, placement.role, placement.hint),
            None => {
                let hint = unplaced_hint(&item.hive);
                unplaced.push(identity::identify(item.hive, hint));
            }
        }
    }
    unplaced.sort_by(|a, b| a.hive.evidence.cmp(&b.hive.evidence));
    (finish(machines), unplaced)
}

/// Where each hive goes: into a Windows tree, else by the folders of loose hives, else nowhere.
fn place(found: &[FoundHive]) -> Vec<Option<Placement>> {
    let mut placements: Vec<Option<Placement>> = found.par_iter().map(tree::place).collect();
    let installations = placements
        .iter()
        .flatten()
        .filter(|placed| placed.installation)
        .map(|placed| (placed.key.clone(), placed.id.clone()));
    let loose_hives = found
        .iter()
        .zip(&placements)
        .filter(|(_, placed)| placed.is_none())
        .map(|(hive, _)| hive);
    let folders = loose::Folders::new(loose_hives, installations);
    for (item, placed) in found.iter().zip(&mut placements) {
        if placed.is_none() {
            *placed = folders.place(item);
        }
    }
    placements
}

/// One builder per machine, keyed by the machine's key, with room for exactly its hives.
///
/// Keys are hashed rather than ordered: a path comparison walks both paths' components,
/// and the machines are put in order by id once, at the end.
fn builders(found: &[FoundHive], placements: &[Option<Placement>]) -> HashMap<PathBuf, Builder> {
    let mut counts: HashMap<&Path, (&str, [usize; SLOTS])> = HashMap::new();
    for (item, placement) in found.iter().zip(placements) {
        if let Some(placement) = placement {
            let (_, count) = counts
                .entry(&placement.key)
                .or_insert((&placement.id, [0; SLOTS]));
            count[Slot::of(placement.role, item.hive.kind) as usize] += 1;
        }
    }
    counts
        .into_iter()
        .map(|(key, (id, count))| (key.to_path_buf(), Builder::new(id.to_string(), count)))
        .collect()
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

/// Number of [`Slot`]s.
const SLOTS: usize = 4;

/// Which list of its machine a hive joins.
#[derive(Clone, Copy)]
enum Slot {
    /// A candidate for the live SYSTEM.
    System,
    /// A candidate for the live SOFTWARE.
    Software,
    /// A user hive.
    User,
    /// Any other hive.
    Other,
}

impl Slot {
    fn of(role: Role, kind: HiveKind) -> Slot {
        match (role, kind) {
            (Role::Primary, HiveKind::System) => Slot::System,
            (Role::Primary, HiveKind::Software) => Slot::Software,
            (Role::Primary, HiveKind::NtUser) => Slot::User,
            _ => Slot::Other,
        }
    }
}

/// The hives gathered for one machine.
#[derive(Debug)]
struct Builder {
    id: String,
    systems: Vec<DiscoveredHive>,
    softwares: Vec<DiscoveredHive>,
    users: Vec<UserHive>,
    others: Vec<DiscoveredHive>,
}

impl Builder {
    /// A builder with room for `count` hives per slot. The SYSTEM and SOFTWARE candidates
    /// that are not chosen join the others, so these have room for them too.
    fn new(id: String, count: [usize; SLOTS]) -> Self {
        let [systems, softwares, users, others] = count;
        let not_chosen = systems.saturating_sub(1) + softwares.saturating_sub(1);
        Builder {
            id,
            systems: Vec::with_capacity(systems),
            softwares: Vec::with_capacity(softwares),
            users: Vec::with_capacity(users),
            others: Vec::with_capacity(others + not_chosen),
        }
    }

    fn add(&mut self, hive: DiscoveredHive, role: Role, hint: UserHint) {
        match Slot::of(role, hive.kind) {
            Slot::System => self.systems.push(hive),
            Slot::Software => self.softwares.push(hive),
            Slot::User => self.users.push(identity::identify(hive, hint)),
            Slot::Other => self.others.push(hive),
        }
    }

    fn build(mut self, id: Arc<str>) -> MachineInputs {
        let system = choose_live(self.systems, &mut self.others);
        let software = choose_live(self.softwares, &mut self.others);
        self.users
            .sort_by(|a, b| a.hive.evidence.cmp(&b.hive.evidence));
        self.others.sort_by(|a, b| a.evidence.cmp(&b.evidence));
        MachineInputs {
            id,
            system,
            software,
            users: self.users.into_boxed_slice(),
            others: self.others.into_boxed_slice(),
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

/// Builds every machine with a unique id: its label, or its full path where labels collide;
/// sorted by id (then by key, should a label equal another machine's full path).
fn finish(machines: HashMap<PathBuf, Builder>) -> Vec<MachineInputs> {
    let mut label_counts: HashMap<String, usize> = HashMap::new();
    for builder in machines.values() {
        *label_counts.entry(builder.id.clone()).or_default() += 1;
    }
    let mut built: Vec<(PathBuf, MachineInputs)> = machines
        .into_iter()
        .map(|(key, builder)| {
            let id = if label_counts[&builder.id] > 1 {
                key.display().to_string().into()
            } else {
                builder.id.as_str().into()
            };
            (key, builder.build(id))
        })
        .collect();
    built.sort_by(|(a_key, a), (b_key, b)| a.id.cmp(&b.id).then_with(|| a_key.cmp(b_key)));
    built.into_iter().map(|(_, machine)| machine).collect()
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
