//! What file and folder names say: transaction-log names, names that claim a hive, the parts
//! of a renamed hive's name, and the folder names of a Windows tree.
//!
//! Names are hints only. Content decides whether a file is a hive; names are used when content
//! cannot decide (a 0-byte RegBack copy) and to place renamed hives in a folder of loose hives.

use std::path::Path;

use crate::hive::{HiveKind, kind};

/// Suffixes of transaction logs, lower case.
const LOG_SUFFIXES: [&str; 3] = [".log", ".log1", ".log2"];

/// Extensions analysts and tools give hive files, lower case (besides the hive-type tokens
/// themselves, as in `alice.ntuser`).
const HIVE_EXTENSIONS: [&str; 6] = ["dat", "hiv", "hive", "hve", "man", "sav"];

/// Folders that hold user profiles at a Windows root, lower case.
pub(super) const PROFILE_ROOTS: [&str; 2] = ["users", "documents and settings"];

/// The name of the hive a transaction log belongs to (`ntuser.dat.LOG1` → `ntuser.dat`), or
/// `None` when `name` does not end in `.LOG`, `.LOG1` or `.LOG2` (any letter case).
pub fn log_base(name: &str) -> Option<&str> {
    let lower = name.to_ascii_lowercase();
    LOG_SUFFIXES
        .iter()
        .find(|suffix| lower.len() > suffix.len() && lower.ends_with(*suffix))
        // ASCII lower-casing keeps byte offsets, and the suffix is ASCII: a char boundary.
        .map(|suffix| &name[..name.len() - suffix.len()])
}

/// True when a file name alone says "hive": it carries a hive-type token (`SYSTEM`,
/// `host5_system.hiv`, `alice.ntuser`) and no extension of some other format (`.txt`, `.xz`).
pub(super) fn claims_hive(name: &str) -> bool {
    kind::from_file_name(name).is_some() && extension(name).is_none_or(is_hive_extension)
}

fn extension(name: &str) -> Option<&str> {
    Path::new(name).extension().and_then(|ext| ext.to_str())
}

fn is_hive_extension(ext: &str) -> bool {
    let lower = ext.to_ascii_lowercase();
    HIVE_EXTENSIONS.contains(&lower.as_str()) || kind::from_file_name(&lower).is_some()
}

/// The file-name prefix beside a hive-type token (`host5_system.hiv` → `host5`), or `None`
/// when the name carries no such token (`sys.bin`): only a token makes a prefix meaningful.
pub(super) fn type_prefix(name: &str, kind: HiveKind) -> Option<String> {
    type_token(hive_stem(name), kind).map(|_| name_rest(name, kind))
}

/// A hive's file name without its hive extension and its hive-type token, separators
/// trimmed: `host5_system.hiv` → `host5`, `host5_alice.ntuser` → `host5_alice`,
/// `NTUSER.DAT` → empty.
pub(super) fn name_rest(name: &str, kind: HiveKind) -> String {
    let stem = hive_stem(name);
    let Some((start, end)) = type_token(stem, kind) else {
        return stem.trim_matches(is_separator).to_string();
    };
    let before = stem[..start].trim_end_matches(is_separator);
    let after = stem[end..].trim_start_matches(is_separator);
    let joint = if before.is_empty() || after.is_empty() {
        ""
    } else {
        &stem[before.len()..start]
    };
    format!("{before}{joint}{after}")
        .trim_matches(is_separator)
        .to_string()
}

/// The name without a hive extension (`.hiv`, ...).
fn hive_stem(name: &str) -> &str {
    match extension(name) {
        Some(ext) if is_hive_extension(ext) => &name[..name.len() - ext.len() - 1],
        _ => name,
    }
}

/// Where the whole-word hive-type token of `kind` stands in `stem`.
fn type_token(stem: &str, kind: HiveKind) -> Option<(usize, usize)> {
    if kind == HiveKind::Other {
        return None;
    }
    token_spans(stem)
        .into_iter()
        .find(|&(start, end)| stem[start..end].eq_ignore_ascii_case(kind.label()))
}

/// Byte ranges of the alphanumeric runs in `text`.
fn token_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        if !is_separator(c) {
            start.get_or_insert(at);
        } else if let Some(begun) = start.take() {
            spans.push((begun, at));
        }
    }
    if let Some(begun) = start {
        spans.push((begun, text.len()));
    }
    spans
}

/// Characters that separate the parts of a renamed hive's name.
pub(super) fn is_separator(c: char) -> bool {
    !c.is_alphanumeric()
}

/// What follows `prefix` in `rest` (ASCII case-insensitive), separators trimmed: `Some("")`
/// when `rest` is exactly the prefix, `None` when `rest` does not start with the prefix as a
/// whole part (`host5` starts `host5_alice`, not `host55_alice`).
pub(super) fn after_prefix<'a>(rest: &'a str, prefix: &str) -> Option<&'a str> {
    let head = rest.get(..prefix.len())?;
    let tail = &rest[prefix.len()..];
    let whole_part = tail.chars().next().is_none_or(is_separator);
    (!prefix.is_empty() && head.eq_ignore_ascii_case(prefix) && whole_part)
        .then(|| tail.trim_matches(is_separator))
}

/// A folder standing for a volume in a collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Volume {
    /// A drive: `C`, `C:`, `C%3A`, or Velociraptor's raw device `%5C%5C.%5CC%3A` (`\\.\C:`).
    Drive,
    /// A volume shadow copy, as Velociraptor names it:
    /// `%5C%5C%3F%5CGLOBALROOT%5CDevice%5CHarddiskVolumeShadowCopy1`.
    ShadowCopy,
}

/// The volume a collector's folder name stands for, if any.
pub(super) fn volume(name: &str) -> Option<Volume> {
    let decoded = percent_decoded(name);
    let drive = decoded.strip_prefix("\\\\.\\").unwrap_or(&decoded);
    let mut chars = drive.chars();
    let letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if letter && matches!(chars.as_str(), "" | ":") {
        return Some(Volume::Drive);
    }
    decoded
        .to_ascii_lowercase()
        .contains("harddiskvolumeshadowcopy")
        .then_some(Volume::ShadowCopy)
}

/// `name` with `%XX` escapes decoded, as Velociraptor writes path components.
fn percent_decoded(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = bytes
            .get(at + 1..at + 3)
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (bytes[at], escaped) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                at += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// True for the folder of a previous Windows installation (`Windows.old`, `Windows.old.000`).
pub(super) fn is_windows_old(name: &str) -> bool {
    name.to_ascii_lowercase().starts_with("windows.old")
}

/// True when two names are the same, ignoring letter case.
pub(super) fn same_name(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_names_in_any_case() {
        assert_eq!(log_base("ntuser.dat.LOG1"), Some("ntuser.dat"));
        assert_eq!(
            log_base("transactions_ntuser.dat.log2"),
            Some("transactions_ntuser.dat")
        );
        assert_eq!(log_base("SYSTEM.LOG"), Some("SYSTEM"));
        assert_eq!(log_base(".log1"), None);
        assert_eq!(log_base("SYSTEM.LOG1.xz"), None);
        assert_eq!(log_base("NTUSER.DAT"), None);
    }

    #[test]
    fn names_that_claim_a_hive() {
        for name in [
            "SYSTEM",
            "NTUSER.DAT",
            "host5_system.hiv",
            "alice.ntuser",
            "host6_SOFTWARE",
        ] {
            assert!(claims_hive(name), "{name}");
        }
        for name in ["NTUSER.DAT.xz", "system.txt", "notes", "SYSTEM.LOG1"] {
            assert!(!claims_hive(name), "{name}");
        }
    }

    #[test]
    fn rest_of_a_renamed_name() {
        assert_eq!(name_rest("host5_system.hiv", HiveKind::System), "host5");
        assert_eq!(name_rest("host6_SYSTEM", HiveKind::System), "host6");
        assert_eq!(name_rest("SYSTEM", HiveKind::System), "");
        assert_eq!(name_rest("NTUSER.DAT", HiveKind::NtUser), "");
        assert_eq!(
            name_rest("host5_alice.ntuser", HiveKind::NtUser),
            "host5_alice"
        );
        assert_eq!(name_rest("alice_NTUSER.DAT", HiveKind::NtUser), "alice");
        assert_eq!(
            name_rest("web-01_system_old", HiveKind::System),
            "web-01_old"
        );
        assert_eq!(name_rest("host7.hiv", HiveKind::Software), "host7");
    }

    #[test]
    fn prefixes_match_whole_parts() {
        assert_eq!(after_prefix("host5_alice", "HOST5"), Some("alice"));
        assert_eq!(after_prefix("host5", "host5"), Some(""));
        assert_eq!(after_prefix("host55_alice", "host5"), None);
        assert_eq!(after_prefix("alice", ""), None);
    }

    #[test]
    fn volume_folders() {
        for name in ["C", "c:", "D", "C%3A", "e%3a", "%5C%5C.%5CC%3A"] {
            assert_eq!(volume(name), Some(Volume::Drive), "{name}");
        }
        assert_eq!(
            volume("%5C%5C%3F%5CGLOBALROOT%5CDevice%5CHarddiskVolumeShadowCopy1"),
            Some(Volume::ShadowCopy)
        );
        for name in ["CD", "", "host1", "C%3", "100%", "%zz"] {
            assert_eq!(volume(name), None, "{name}");
        }
    }
}
