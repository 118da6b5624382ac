//! Whose a user hive is.
//!
//! In order: the Windows profile folder it was collected from (`Users\alice\NTUSER.DAT`), the
//! profile path Windows stored in its base block, the user part of a renamed file's name
//! (`alice.ntuser`, `host5_alice.ntuser`), and last the collection sub-folder it sits in inside
//! a machine folder (`host1/alice/NTUSER.DAT`). Only NTUSER hives get a user: UsrClass hives
//! store no profile path, and their file names rarely carry one.

use super::{DiscoveredHive, UserHive, UserSource, names};
use crate::hive::HiveKind;

/// Folders whose sub-folders are user profiles, lower case.
const PROFILE_PARENTS: [&str; 3] = ["users", "documents and settings", "serviceprofiles"];

/// What the layout knows about a hive's user.
#[derive(Debug, Default)]
pub(super) struct UserHint {
    /// The Windows profile folder the hive sits in directly.
    pub profile: Option<String>,
    /// The user part of the file name.
    pub file_name: Option<String>,
    /// The collection sub-folder of a machine folder the hive sits in directly.
    pub folder: Option<String>,
}

/// Names the user of `hive` from `hint` and its base block.
pub(super) fn identify(hive: DiscoveredHive, hint: UserHint) -> UserHive {
    let (user, user_source) = if hive.kind == HiveKind::NtUser {
        find_user(&hive, hint)
    } else {
        (None, UserSource::Unknown)
    };
    UserHive {
        hive,
        user: user.map(String::into_boxed_str),
        user_source,
    }
}

fn find_user(hive: &DiscoveredHive, hint: UserHint) -> (Option<String>, UserSource) {
    let embedded = hive
        .header
        .as_ref()
        .and_then(|header| embedded_user(&header.embedded_name));
    let found = [
        (hint.profile, UserSource::ProfileFolder),
        (embedded, UserSource::EmbeddedPath),
        (hint.file_name, UserSource::FileName),
        (hint.folder, UserSource::ProfileFolder),
    ]
    .into_iter()
    .find_map(|(user, source)| user.filter(|u| !u.is_empty()).map(|u| (u, source)));
    match found {
        Some((user, source)) => (Some(user), source),
        None => (None, UserSource::Unknown),
    }
}

/// The profile folder in the path Windows stored (`\??\C:\Users\alice\ntuser.dat` → `alice`).
///
/// Windows keeps only the last 31 characters, so the path may start mid-word
/// (`ers\alice\ntuser.dat`): the user is taken only when a separator precedes it and the folder
/// before it is (the end of) a profile parent such as `Users`.
pub(super) fn embedded_user(embedded_name: &str) -> Option<String> {
    let parts: Vec<&str> = embedded_name.split(['\\', '/']).collect();
    let [.., parent, user, _file] = parts.as_slice() else {
        return None;
    };
    let parent = parent.to_lowercase();
    let under_profiles =
        !parent.is_empty() && PROFILE_PARENTS.iter().any(|known| known.ends_with(&parent));
    (under_profiles && !user.is_empty()).then(|| user.to_string())
}

/// The user part of a user hive's file name once the machine prefix (if any) is removed.
pub(super) fn file_name_user(rest: &str, machine_prefix: Option<&str>) -> Option<String> {
    let user = match machine_prefix {
        Some(prefix) => names::after_prefix(rest, prefix)?,
        None => rest,
    };
    (!user.is_empty()).then(|| user.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_from_the_embedded_path() {
        let cases = [
            ("\\??\\C:\\Users\\alice\\ntuser.dat", Some("alice")),
            ("ers\\alice\\ntuser.dat", Some("alice")),
            ("nts and Settings\\joe\\ntuser.dat", Some("joe")),
            ("tings\\NetworkService\\ntuser.dat", Some("NetworkService")),
            ("files\\NetworkService\\NTUSER.DAT", Some("NetworkService")),
            ("lice\\ntuser.dat", None),
            ("ny\\Desktop\\Vibranium-NTUSER.DAT", None),
            ("\\alice\\ntuser.dat", None),
            ("", None),
        ];
        for (embedded, user) in cases {
            assert_eq!(embedded_user(embedded).as_deref(), user, "{embedded}");
        }
    }

    #[test]
    fn user_from_the_file_name() {
        assert_eq!(file_name_user("alice", None).as_deref(), Some("alice"));
        assert_eq!(
            file_name_user("host5_alice", Some("host5")).as_deref(),
            Some("alice")
        );
        assert_eq!(file_name_user("host5", Some("host5")), None);
        assert_eq!(file_name_user("", None), None);
    }
}
