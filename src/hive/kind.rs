//! What a hive is (SYSTEM, SOFTWARE, NTUSER, ...), decided from its content.
//!
//! The embedded file name in the base block is asked first, then the root key's subkeys, and
//! the file's own name only as a last hint: collected hives are often renamed.

use std::fmt;

use serde::Serialize;

use super::reader::{HiveBytes, HiveView, fold_case, guarded};

/// The role a hive plays on a Windows machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum HiveKind {
    /// `config\SYSTEM`: control sets, LSA, computer name.
    System,
    /// `config\SOFTWARE`: OS version, profile list, machine-wide software settings.
    Software,
    /// A user's `NTUSER.DAT` (HKEY_CURRENT_USER).
    NtUser,
    /// `config\DEFAULT`, the template for new users; shaped like an NTUSER hive.
    Default,
    /// A user's `UsrClass.dat` (HKCU\Software\Classes).
    UsrClass,
    /// `config\SAM`.
    Sam,
    /// `config\SECURITY`.
    Security,
    /// `Amcache.hve`.
    Amcache,
    /// Boot configuration data.
    Bcd,
    /// `config\COMPONENTS`.
    Components,
    /// `config\DRIVERS`.
    Drivers,
    /// A regf hive of no known role.
    Other,
}

impl HiveKind {
    /// The name used in reports, as Windows tools spell it.
    pub fn label(self) -> &'static str {
        match self {
            HiveKind::System => "SYSTEM",
            HiveKind::Software => "SOFTWARE",
            HiveKind::NtUser => "NTUSER",
            HiveKind::Default => "DEFAULT",
            HiveKind::UsrClass => "UsrClass",
            HiveKind::Sam => "SAM",
            HiveKind::Security => "SECURITY",
            HiveKind::Amcache => "Amcache",
            HiveKind::Bcd => "BCD",
            HiveKind::Components => "COMPONENTS",
            HiveKind::Drivers => "DRIVERS",
            HiveKind::Other => "other",
        }
    }

    /// Whether hiveaudit extracts settings from hives of this kind.
    pub fn is_audited(self) -> bool {
        matches!(
            self,
            HiveKind::System | HiveKind::Software | HiveKind::NtUser
        )
    }
}

impl fmt::Display for HiveKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Which evidence decided a hive's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DetectedBy {
    /// The file name stored in the base block.
    EmbeddedName,
    /// The keys under the root.
    Structure,
    /// The name of the file on disk.
    FileName,
    /// Nothing recognisable: the kind is [`HiveKind::Other`].
    Nothing,
}

impl DetectedBy {
    /// The name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            DetectedBy::EmbeddedName => "embedded-name",
            DetectedBy::Structure => "structure",
            DetectedBy::FileName => "file-name",
            DetectedBy::Nothing => "none",
        }
    }
}

/// Decides the kind of a hive from its embedded name, its root keys and its file name, in
/// that order. `view` is `None` when the hive could not be opened.
pub fn detect(
    embedded_name: &str,
    view: Option<&HiveView<'_>>,
    file_name: &str,
) -> (HiveKind, DetectedBy) {
    if let Some(kind) = from_embedded_name(embedded_name) {
        return (kind, DetectedBy::EmbeddedName);
    }
    if let Some(kind) = view.and_then(from_structure) {
        return (kind, DetectedBy::Structure);
    }
    // SYSTEM is known by its root keys alone: a root that lists cleanly without them is not a
    // SYSTEM hive, whatever the file is called (Windows Sandbox's `System_Delta` differencing
    // hive has ControlSet001 but no Select).
    let not_system = view.is_some_and(root_lists_cleanly);
    if let Some(kind) =
        from_file_name(file_name).filter(|&kind| !(not_system && kind == HiveKind::System))
    {
        return (kind, DetectedBy::FileName);
    }
    (HiveKind::Other, DetectedBy::Nothing)
}

/// True when the root key's subkeys can be listed: the structure probe saw the whole root.
/// Types a hive from its bytes: [`detect`] with its root keys read (under a panic guard) when
/// they can be, without them when the hive cannot be opened.
pub fn detect_in(
    bytes: HiveBytes<'_>,
    embedded_name: &str,
    file_name: &str,
) -> (HiveKind, DetectedBy) {
    guarded(|| {
        let view = HiveView::new(bytes)?;
        Ok(detect(embedded_name, Some(&view), file_name))
    })
    .unwrap_or_else(|_| detect(embedded_name, None, file_name))
}

fn root_lists_cleanly(view: &HiveView<'_>) -> bool {
    view.root().and_then(|root| root.subkey_names()).is_ok()
}

/// The kind named by the last component of the path Windows stored in the base block.
pub fn from_embedded_name(embedded_name: &str) -> Option<HiveKind> {
    let last = embedded_name.rsplit(['\\', '/']).next()?;
    kind_for_name(last)
}

/// The kind a file name suggests: `SYSTEM`, `host5_system.hiv`, `alice.ntuser`, ...
pub fn from_file_name(file_name: &str) -> Option<HiveKind> {
    if let Some(kind) = kind_for_name(file_name) {
        return Some(kind);
    }
    let folded = file_name.to_ascii_lowercase();
    let tokens: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    [
        ("ntuser", HiveKind::NtUser),
        ("usrclass", HiveKind::UsrClass),
        ("software", HiveKind::Software),
        ("system", HiveKind::System),
        ("sam", HiveKind::Sam),
        ("security", HiveKind::Security),
        ("amcache", HiveKind::Amcache),
    ]
    .into_iter()
    .find(|(token, _)| tokens.contains(token))
    .map(|(_, kind)| kind)
}

fn kind_for_name(name: &str) -> Option<HiveKind> {
    let kind = match name.to_ascii_lowercase().as_str() {
        "system" => HiveKind::System,
        "software" => HiveKind::Software,
        "ntuser.dat" | "ntuser.man" => HiveKind::NtUser,
        "default" => HiveKind::Default,
        "usrclass.dat" => HiveKind::UsrClass,
        "sam" => HiveKind::Sam,
        "security" => HiveKind::Security,
        "amcache.hve" => HiveKind::Amcache,
        "bcd" | "bcd-template" => HiveKind::Bcd,
        "components" => HiveKind::Components,
        "drivers" => HiveKind::Drivers,
        _ => return None,
    };
    Some(kind)
}

/// The kind the root key's subkeys point to, as RegRipper and yarp probe it.
pub fn from_structure(view: &HiveView<'_>) -> Option<HiveKind> {
    let root = view.root().ok()?;
    let root_name = fold_case(&root.name().unwrap_or_default());
    let names: Vec<String> = root
        .subkey_names()
        .ok()?
        .iter()
        .map(|n| fold_case(n))
        .collect();
    let has = |wanted: &str| names.iter().any(|n| n == wanted);
    let has_path = |path: &str| matches!(view.key(path), Ok(Some(_)));

    if has("SELECT") && names.iter().any(|n| is_control_set(n)) {
        return Some(HiveKind::System);
    }
    if has_path("Microsoft\\Windows NT\\CurrentVersion") {
        return Some(HiveKind::Software);
    }
    if has("SOFTWARE")
        && ["ENVIRONMENT", "CONTROL PANEL", "KEYBOARD LAYOUT", "CONSOLE"]
            .iter()
            .any(|k| has(k))
    {
        return Some(HiveKind::NtUser);
    }
    if has_path("SAM\\Domains") {
        return Some(HiveKind::Sam);
    }
    if has("POLICY") && (has("RXACT") || has("CACHE") || has("SAM")) {
        return Some(HiveKind::Security);
    }
    if root_name.ends_with("_CLASSES") || has("LOCAL SETTINGS") {
        return Some(HiveKind::UsrClass);
    }
    if [
        "Root\\InventoryApplicationFile",
        "Root\\File",
        "Root\\Programs",
    ]
    .iter()
    .any(|p| has_path(p))
    {
        return Some(HiveKind::Amcache);
    }
    if has("OBJECTS") && has("DESCRIPTION") {
        return Some(HiveKind::Bcd);
    }
    if has("DRIVERDATABASE") {
        return Some(HiveKind::Drivers);
    }
    if has("CANONICALDATA") || has("DERIVEDDATA") {
        return Some(HiveKind::Components);
    }
    None
}

/// `CONTROLSET001` and its siblings (folded names).
fn is_control_set(folded: &str) -> bool {
    folded
        .strip_prefix("CONTROLSET")
        .is_some_and(|digits| digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hive::base_block::{BASE_BLOCK_SIZE, checksum};

    #[test]
    fn embedded_names_decide_first() {
        assert_eq!(
            from_embedded_name("\\??\\C:\\Users\\alice\\ntuser.dat"),
            Some(HiveKind::NtUser)
        );
        assert_eq!(from_embedded_name("SYSTEM"), Some(HiveKind::System));
        assert_eq!(
            from_embedded_name("emRoot\\System32\\Config\\SOFTWARE"),
            Some(HiveKind::Software)
        );
        assert_eq!(
            from_embedded_name("\\Microsoft\\Windows\\UsrClass.dat"),
            Some(HiveKind::UsrClass)
        );
        assert_eq!(
            from_embedded_name("SandboxState\\Hives\\system_Delta"),
            None
        );
        assert_eq!(from_embedded_name(""), None);
    }

    #[test]
    fn renamed_files_are_hinted_by_tokens() {
        assert_eq!(from_file_name("host5_system.hiv"), Some(HiveKind::System));
        assert_eq!(from_file_name("alice.ntuser"), Some(HiveKind::NtUser));
        assert_eq!(from_file_name("SOFTWARE"), Some(HiveKind::Software));
        assert_eq!(from_file_name("notes.txt"), None);
    }

    /// A hive whose root key `ROOT` has no subkeys and no values.
    fn empty_hive() -> Vec<u8> {
        let mut bytes = vec![0u8; 2 * BASE_BLOCK_SIZE];
        let mut put = |at: usize, field: &[u8]| bytes[at..at + field.len()].copy_from_slice(field);
        put(0, b"regf");
        for (at, value) in [
            (4, 1u32),
            (8, 1),
            (20, 1),
            (24, 5),
            (36, 0x20),
            (40, 0x1000),
        ] {
            put(at, &value.to_le_bytes());
        }
        put(BASE_BLOCK_SIZE, b"hbin");
        put(BASE_BLOCK_SIZE + 8, &0x1000u32.to_le_bytes());
        let nk = BASE_BLOCK_SIZE + 0x20;
        put(nk, &(-0x60i32).to_le_bytes());
        put(nk + 4, b"nk");
        put(nk + 6, &0x2Cu16.to_le_bytes());
        for field in [28, 32, 40, 44, 48] {
            put(nk + 4 + field, &u32::MAX.to_le_bytes());
        }
        put(nk + 4 + 72, &4u16.to_le_bytes());
        put(nk + 4 + 76, b"ROOT");
        let sum = checksum(&bytes);
        bytes[508..512].copy_from_slice(&sum.to_le_bytes());
        bytes
    }

    #[test]
    fn a_root_without_system_keys_overrules_a_system_file_name() {
        let bytes = empty_hive();
        let view = HiveView::open(&bytes).unwrap();
        assert!(root_lists_cleanly(&view));
        assert_eq!(
            detect("", Some(&view), "System_Delta"),
            (HiveKind::Other, DetectedBy::Nothing)
        );
        assert_eq!(
            detect("", None, "System_Delta"),
            (HiveKind::System, DetectedBy::FileName)
        );
        assert_eq!(
            detect("", Some(&view), "host5_software.hiv"),
            (HiveKind::Software, DetectedBy::FileName)
        );
    }

    #[test]
    fn control_set_names_need_three_digits() {
        assert!(is_control_set("CONTROLSET002"));
        assert!(!is_control_set("CONTROLSET"));
        assert!(!is_control_set("CURRENTCONTROLSET"));
    }
}
