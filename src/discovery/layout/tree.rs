//! Windows trees recreated by collectors: KAPE with `RecreateDirectories`, Velociraptor's
//! `uploads/auto/C%3A` and `uploads/ntfs/%5C%5C.%5CC%3A` folders, or a copied system drive.
//!
//! A tree is recognised below the input by an anchor, in any letter case: `Windows` followed by
//! `System32`, `SysWOW64`, `ServiceProfiles` or `AppCompat`; failing that, the last `Users` or
//! `Documents and Settings` folder with a profile folder below it. The machine folder is what
//! precedes the anchor, less a `Windows.old` folder (a previous installation of the same
//! machine), a volume folder (`C`, `C:`, `C%3A`, a raw device, a shadow copy) and
//! Velociraptor's `uploads/<accessor>`. Live copies sit in `Windows/System32/config` (SYSTEM,
//! SOFTWARE) and directly in a profile folder (NTUSER: `Users/<u>`,
//! `Documents and Settings/<u>`, `Windows/ServiceProfiles/<u>`, `config/systemprofile`), and
//! not under `Windows.old` or a shadow copy; copies there, in `RegBack` or anywhere else are
//! listed as the machine's other hives.

use std::path::{Path, PathBuf};

use super::super::names::{self, Volume};
use super::{FoundHive, Placement, Role, UserHint, folder_label, user_in_file_name};

/// Folders that follow `Windows` at the root of a Windows installation, lower case.
const WINDOWS_CHILDREN: [&str; 4] = ["system32", "syswow64", "serviceprofiles", "appcompat"];

/// Where a hive sits in a Windows tree, if it does.
pub(super) fn place(found: &FoundHive) -> Option<Placement> {
    let dirs = folders_below(&found.root, found.hive.evidence.path())?;
    let windows = windows_anchor(&dirs);
    let anchor = windows.or_else(|| profile_anchor(&dirs))?;
    let (root_len, copy) = machine_root(&dirs[..anchor]);
    let key: PathBuf = found
        .root
        .join(dirs[..root_len].iter().collect::<PathBuf>());
    let spot = Spot::of(&dirs[anchor..]);
    let live = !copy;
    let machine_spot = live && spot == Spot::Config;
    let profile = match spot {
        Spot::Profile(user) if live => Some(user),
        _ => None,
    };
    let role = Role::of(found.hive.kind, machine_spot, profile.is_some());
    Some(Placement {
        id: folder_label(&found.root, &key),
        key,
        role,
        hint: UserHint {
            profile,
            file_name: user_in_file_name(&found.hive, None),
            folder: None,
        },
        installation: windows.is_some(),
    })
}

/// The folder names between `root` and the file at `path`.
fn folders_below(root: &Path, path: &Path) -> Option<Vec<String>> {
    let relative = path.strip_prefix(root).ok()?;
    Some(
        relative
            .parent()?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect(),
    )
}

/// The first `Windows` folder that is a Windows installation's.
fn windows_anchor(dirs: &[String]) -> Option<usize> {
    (0..dirs.len()).find(|&at| {
        dirs[at].eq_ignore_ascii_case("windows")
            && dirs
                .get(at + 1)
                .is_some_and(|next| WINDOWS_CHILDREN.contains(&next.to_lowercase().as_str()))
    })
}

/// The last profile parent (`Users`) with a folder below it.
fn profile_anchor(dirs: &[String]) -> Option<usize> {
    (0..dirs.len().saturating_sub(1))
        .rev()
        .find(|&at| names::PROFILE_ROOTS.contains(&dirs[at].to_lowercase().as_str()))
}

/// How many of the folders before the anchor name the machine, and whether they lead to a
/// copy (`Windows.old`, a shadow copy) rather than the live installation.
///
/// Dropped from the end, in order: `Windows.old`, a volume folder (drive or shadow copy), and
/// after a volume Velociraptor's `uploads/<accessor>` folders.
fn machine_root(before_anchor: &[String]) -> (usize, bool) {
    let mut len = before_anchor.len();
    let mut copy = len > 0 && names::is_windows_old(&before_anchor[len - 1]);
    if copy {
        len -= 1;
    }
    if let Some(volume) = before_anchor[..len]
        .last()
        .and_then(|dir| names::volume(dir))
    {
        len -= 1;
        copy |= volume == Volume::ShadowCopy;
        if len >= 2 && before_anchor[len - 2].eq_ignore_ascii_case("uploads") {
            len -= 2;
        }
    }
    (len, copy)
}

/// Where a hive sits relative to the anchor.
#[derive(Debug, PartialEq, Eq)]
enum Spot {
    /// `Windows/System32/config`.
    Config,
    /// Directly in this user's profile folder.
    Profile(String),
    /// Anywhere else in the tree.
    Elsewhere,
}

impl Spot {
    fn of(from_anchor: &[String]) -> Spot {
        let lower: Vec<String> = from_anchor.iter().map(|d| d.to_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let last = || from_anchor.last().cloned().unwrap_or_default();
        match lower.as_slice() {
            ["windows", "system32", "config"] => Spot::Config,
            ["windows", "system32", "config", "systemprofile"]
            | ["windows", "serviceprofiles", _] => Spot::Profile(last()),
            [parent, _] if names::PROFILE_ROOTS.contains(parent) => Spot::Profile(last()),
            _ => Spot::Elsewhere,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(path: &str) -> Vec<String> {
        path.split('/').map(str::to_string).collect()
    }

    #[test]
    fn anchors_and_machine_roots() {
        let cases = [
            ("pc/C/Windows/System32/config", Some((2, 1, false))),
            (
                "pc/c%3A/windows/system32/config/RegBack",
                Some((2, 1, false)),
            ),
            (
                "pc/C/Windows.old/Windows/System32/config",
                Some((3, 1, true)),
            ),
            (
                "pc/Windows/ServiceProfiles/LocalService",
                Some((1, 1, false)),
            ),
            ("pc/C/Users/alice", Some((2, 1, false))),
            (
                "pc/uploads/auto/C%3A/Windows/System32/config",
                Some((4, 1, false)),
            ),
            (
                "pc/uploads/ntfs/%5C%5C.%5CC%3A/Windows/System32/config",
                Some((4, 1, false)),
            ),
            (
                "pc/uploads/ntfs/%5C%5C%3F%5CGLOBALROOT%5CDevice%5CHarddiskVolumeShadowCopy1/Windows/System32/config",
                Some((4, 1, true)),
            ),
            (
                "case/users/pc/D/Documents and Settings/bob",
                Some((4, 3, false)),
            ),
            ("Windows/System32/config", Some((0, 0, false))),
            ("case/host1/alice", None),
            ("case/Users", None),
        ];
        for (path, expected) in cases {
            let dirs = dirs(path);
            let found = windows_anchor(&dirs).or_else(|| profile_anchor(&dirs));
            let got = found.map(|anchor| {
                let (len, old) = machine_root(&dirs[..anchor]);
                (anchor, len, old)
            });
            assert_eq!(got, expected, "{path}");
        }
    }

    #[test]
    fn live_spots() {
        assert_eq!(Spot::of(&dirs("WINDOWS/System32/Config")), Spot::Config);
        assert_eq!(
            Spot::of(&dirs("Windows/System32/config/systemprofile")),
            Spot::Profile("systemprofile".into())
        );
        assert_eq!(
            Spot::of(&dirs("Users/alice")),
            Spot::Profile("alice".into())
        );
        assert_eq!(
            Spot::of(&dirs("Windows/System32/config/RegBack")),
            Spot::Elsewhere
        );
        assert_eq!(Spot::of(&dirs("Users/alice/Desktop")), Spot::Elsewhere);
        assert_eq!(Spot::of(&dirs("Windows/System32")), Spot::Elsewhere);
    }
}
