//! Loose hives outside any Windows tree: a folder per machine, or one folder for many.
//!
//! Only folders that directly hold SYSTEM hives (not counting `RegBack` folders) and the
//! machine folders of Windows installations shape the layout, and a hive belongs to the
//! nearest such folder at or above it, up to its input:
//! * the machine folder of a Windows installation: the hive is one of its other hives.
//! * one SYSTEM and at most one SOFTWARE, with no clash between their file-name prefixes
//!   (`host5_system.hiv` beside `host6_software.hiv` is a clash): the folder is one machine,
//!   labelled with the folder's path. Everything in it or below it belongs to it.
//! * otherwise the folder holds many machines: each SYSTEM is its own machine, labelled with
//!   its file-name prefix (`host5_system.hiv` → `host5`) or, without one, its file name. Another
//!   hive joins a machine only when its name, less its hive-type token, is exactly that prefix
//!   (user hives: the prefix then the user, `host5_alice.ntuser`) and no other machine's prefix
//!   fits as well. Anything else stays unplaced: never guessed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::super::names;
use super::{FoundHive, Placement, Role, UserHint, folder_label, user_in_file_name};
use crate::hive::HiveKind;

/// The folders that decide where loose hives belong.
pub(super) struct Folders {
    folders: HashMap<PathBuf, Folder>,
}

/// A folder that decides where the loose hives below it belong.
enum Folder {
    /// The folder of one machine.
    Machine,
    /// A folder of loose hives from many machines, one per SYSTEM hive.
    Many(Vec<Seed>),
    /// The machine folder of a Windows installation, with the machine's label.
    Installation(String),
}

/// A SYSTEM hive that founds a machine in a folder of many.
struct Seed {
    path: PathBuf,
    prefix: String,
    id: String,
}

impl Seed {
    fn new(found: &FoundHive) -> Self {
        let name = found.hive.evidence.file_name();
        let prefix = names::name_rest(&name, HiveKind::System);
        let id = if prefix.is_empty() {
            name
        } else {
            prefix.clone()
        };
        Seed {
            path: found.hive.evidence.path().to_path_buf(),
            prefix,
            id,
        }
    }
}

impl Folders {
    /// Reads the layout from the hives not placed in a Windows tree and the machine folders
    /// (with labels) of the Windows installations found. A folder that holds SYSTEM hives
    /// itself is read from them.
    pub(super) fn new<'a>(
        loose: impl Iterator<Item = &'a FoundHive>,
        installations: impl Iterator<Item = (PathBuf, String)>,
    ) -> Self {
        let mut systems: HashMap<PathBuf, Vec<Seed>> = HashMap::new();
        let mut softwares: HashMap<PathBuf, Vec<String>> = HashMap::new();
        for found in loose {
            let Some(dir) = found.hive.evidence.path().parent() else {
                continue;
            };
            if is_regback(dir) {
                continue;
            }
            match found.hive.kind {
                HiveKind::System => systems
                    .entry(dir.to_path_buf())
                    .or_default()
                    .push(Seed::new(found)),
                HiveKind::Software => softwares.entry(dir.to_path_buf()).or_default().push(
                    names::type_prefix(&found.hive.evidence.file_name(), HiveKind::Software)
                        .unwrap_or_default(),
                ),
                _ => {}
            }
        }
        let mut folders: HashMap<PathBuf, Folder> = systems
            .into_iter()
            .map(|(dir, seeds)| {
                let software = softwares.get(&dir).map_or(&[][..], Vec::as_slice);
                let folder = if is_one_machine(&seeds, software) {
                    Folder::Machine
                } else {
                    Folder::Many(seeds)
                };
                (dir, folder)
            })
            .collect();
        for (dir, id) in installations {
            folders.entry(dir).or_insert(Folder::Installation(id));
        }
        Folders { folders }
    }

    /// The machine a loose hive belongs to, if one can be named without guessing.
    pub(super) fn place(&self, found: &FoundHive) -> Option<Placement> {
        let (dir, folder) = found
            .hive
            .evidence
            .path()
            .ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(&found.root))
            .find_map(|dir| self.folders.get(dir).map(|folder| (dir, folder)))?;
        match folder {
            Folder::Machine => Some(in_machine_folder(found, dir)),
            Folder::Many(seeds) => in_shared_folder(found, dir, seeds),
            Folder::Installation(id) => Some(Placement {
                key: dir.to_path_buf(),
                id: id.clone(),
                role: Role::Secondary,
                hint: UserHint::default(),
                installation: true,
            }),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_regback(dir: &Path) -> bool {
    dir.file_name()
        .is_some_and(|name| name.eq_ignore_ascii_case("regback"))
}

/// One SYSTEM, at most one SOFTWARE, and prefixes that do not name two different machines
/// (a name without a hive-type token, such as `sys.bin`, has no prefix to clash).
fn is_one_machine(systems: &[Seed], software_prefixes: &[String]) -> bool {
    match (systems, software_prefixes) {
        ([_], []) => true,
        ([system], [software]) => {
            names::type_prefix(&file_name(&system.path), HiveKind::System).is_none()
                || system.prefix.is_empty()
                || software.is_empty()
                || system.prefix.eq_ignore_ascii_case(software)
        }
        _ => false,
    }
}

fn in_machine_folder(found: &FoundHive, dir: &Path) -> Placement {
    let parent = found.hive.evidence.path().parent();
    let sub_folder = parent
        .filter(|sub| sub.parent() == Some(dir))
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned());
    Placement {
        key: dir.to_path_buf(),
        id: folder_label(&found.root, dir),
        role: Role::of(found.hive.kind, parent == Some(dir), true),
        hint: UserHint {
            profile: None,
            file_name: user_in_file_name(&found.hive, None),
            folder: sub_folder,
        },
        installation: false,
    }
}

fn in_shared_folder(found: &FoundHive, dir: &Path, seeds: &[Seed]) -> Option<Placement> {
    let hive = &found.hive;
    let seed = match seeds.iter().find(|seed| seed.path == hive.evidence.path()) {
        Some(own) => own,
        None => only_matching_seed(hive.kind, &hive.evidence.file_name(), seeds)?,
    };
    Some(Placement {
        key: seed.path.clone(),
        id: seed.id.clone(),
        role: Role::of(hive.kind, hive.evidence.path().parent() == Some(dir), true),
        hint: UserHint {
            file_name: user_in_file_name(hive, Some(&seed.prefix)),
            ..UserHint::default()
        },
        installation: false,
    })
}

/// The one machine whose prefix the file name carries.
fn only_matching_seed<'a>(kind: HiveKind, file_name: &str, seeds: &'a [Seed]) -> Option<&'a Seed> {
    let rest = names::name_rest(file_name, kind);
    let user_hive = matches!(kind, HiveKind::NtUser | HiveKind::UsrClass);
    let mut matching = seeds
        .iter()
        .filter(|seed| match names::after_prefix(&rest, &seed.prefix) {
            Some(after) => user_hive || after.is_empty(),
            None => false,
        });
    match (matching.next(), matching.next()) {
        (Some(seed), None) => Some(seed),
        _ => None,
    }
}
