//! Reading the catalogue's settings out of one hive.
//!
//! Every setting of the hive's kind yields at least one [`Observation`], present or not, so
//! "not set" is reported as such. Placeholder segments are expanded from the hive itself.
//! Each lookup runs guarded: a damaged cell costs that one observation, not the hive.

use std::sync::{Arc, LazyLock};

use crate::hive::{HiveKind, HiveResult, HiveView, Key, NamePattern, guarded};

use super::catalogue::{self, SELECT_CURRENT, Setting, ValueKind};
use super::decode::{self, Decoded};
use super::keys::KeyCache;
use super::profiles::{self, Profile};
use super::zonemap::{self, ZoneMapping};

/// What looking up one setting found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The key does not exist.
    KeyAbsent,
    /// The key exists but has no such value.
    ValueAbsent {
        /// The key's last-write time (FILETIME).
        last_written: Option<u64>,
    },
    /// The value exists.
    Present {
        /// The registry type code as stored.
        raw_type: u32,
        /// The raw data.
        data: Vec<u8>,
        /// What the data means for this setting.
        decoded: Decoded,
        /// The key's last-write time (FILETIME).
        last_written: Option<u64>,
    },
    /// The key exists; these are its subkeys' names (for [`ValueKind::SubkeyNames`]).
    Subkeys {
        /// Subkey names, in stored order.
        names: Vec<String>,
        /// The key's last-write time (FILETIME).
        last_written: Option<u64>,
    },
    /// The hive is damaged where this setting lives.
    Error(String),
}

/// One setting looked up in one hive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observation {
    /// The setting's definition.
    pub setting: &'static Setting,
    /// The placeholder's value (Office version, SID), when the key path has one.
    pub instance: Option<String>,
    /// The key path looked up, placeholders resolved.
    pub key_path: Arc<str>,
    /// What was found.
    pub lookup: Lookup,
}

impl Observation {
    /// Whether the value (or, for subkey listings, the key) exists.
    pub fn is_present(&self) -> bool {
        matches!(self.lookup, Lookup::Present { .. } | Lookup::Subkeys { .. })
    }

    /// The decoded value, when present.
    pub fn decoded(&self) -> Option<&Decoded> {
        match &self.lookup {
            Lookup::Present { decoded, .. } => Some(decoded),
            _ => None,
        }
    }

    /// The value as a number, when present and numeric.
    pub fn number(&self) -> Option<u32> {
        self.decoded().and_then(Decoded::number)
    }

    /// The value as text, when present and textual.
    pub fn text(&self) -> Option<&str> {
        self.decoded().and_then(Decoded::text)
    }

    /// The key's last-write time (FILETIME), when the key exists.
    pub fn last_written(&self) -> Option<u64> {
        match &self.lookup {
            Lookup::ValueAbsent { last_written }
            | Lookup::Present { last_written, .. }
            | Lookup::Subkeys { last_written, .. } => *last_written,
            Lookup::KeyAbsent | Lookup::Error(_) => None,
        }
    }
}

/// Which control set a SYSTEM hive's settings were read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ControlSet {
    /// The N of `ControlSet%03d`.
    pub number: u32,
    /// False when `Select\Current` was missing or unusable and ControlSet001 was assumed.
    pub from_select: bool,
}

impl ControlSet {
    /// ControlSet001, assumed when `Select\Current` does not name a usable control set.
    pub const ASSUMED: ControlSet = ControlSet {
        number: 1,
        from_select: false,
    };

    /// The key name, e.g. `ControlSet002`.
    pub fn key_name(self) -> String {
        format!("ControlSet{:03}", self.number)
    }
}

/// Everything read from one hive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extraction {
    /// For SYSTEM hives: the control set used.
    pub control_set: Option<ControlSet>,
    /// One or more observations per setting of the hive's kind, in catalogue order.
    pub observations: Vec<Observation>,
    /// For NTUSER hives: the Outlook MAPI profiles of every profile root.
    pub profiles: Vec<Profile>,
    /// For NTUSER hives: the site-to-zone assignments of `ZoneMap\Domains`.
    pub zone_map: Vec<ZoneMapping>,
}

impl Extraction {
    /// The observations of `setting`.
    pub fn of<'e>(&'e self, setting: &'static Setting) -> impl Iterator<Item = &'e Observation> {
        self.observations
            .iter()
            .filter(move |o| o.setting.id == setting.id)
    }

    /// The first observation of `setting` (settings without placeholders have exactly one).
    pub fn first(&self, setting: &'static Setting) -> Option<&Observation> {
        self.of(setting).next()
    }
}

/// Reads every catalogue setting for a hive of `kind` from `view`.
///
/// Each distinct key is resolved once, from its parent's entry, its value list walked once and
/// its subkeys enumerated once, however many settings live in it.
pub fn extract(view: &HiveView<'_>, kind: HiveKind) -> Extraction {
    let mut keys = KeyCache::new(view);
    let control_set = (kind == HiveKind::System).then(|| current_control_set(&mut keys));
    let mut extractor = Extractor {
        keys,
        control_set_name: control_set.unwrap_or(ControlSet::ASSUMED).key_name().into(),
        path: String::new(),
        // At least one observation per setting; placeholders add more.
        observations: Vec::with_capacity(catalogue::for_hive(kind).count()),
    };
    for setting in catalogue::for_hive(kind) {
        extractor.observe(setting);
    }
    let user_hive = kind == HiveKind::NtUser;
    let Extractor {
        mut keys,
        observations,
        ..
    } = extractor;
    Extraction {
        control_set,
        observations,
        profiles: if user_hive {
            profiles::read(&mut keys)
        } else {
            Vec::new()
        },
        zone_map: if user_hive {
            zonemap::read(&mut keys)
        } else {
            Vec::new()
        },
    }
}

/// `Select\Current`, or ControlSet001 when it is missing or unusable (domain-rules.md 0.1).
fn current_control_set(keys: &mut KeyCache<'_, '_>) -> ControlSet {
    let current = guarded(|| read(keys, &SELECT_CURRENT, &[SELECT_CURRENT.key]))
        .ok()
        .and_then(|lookup| match lookup {
            Lookup::Present { decoded, .. } => decoded.number(),
            _ => None,
        })
        .filter(|&n| (1..=999).contains(&n));
    match current {
        Some(number) => ControlSet {
            number,
            from_select: true,
        },
        None => ControlSet::ASSUMED,
    }
}

/// The state of one hive's extraction.
struct Extractor<'h, 'a> {
    keys: KeyCache<'h, 'a>,
    /// What `{ControlSet}` stands for in this hive.
    control_set_name: Arc<str>,
    /// Reused for building each key path.
    path: String,
    observations: Vec<Observation>,
}

impl Extractor<'_, '_> {
    /// Looks `setting` up (each instance of it, for a key path with a placeholder) and appends
    /// what was found to the observations.
    fn observe(&mut self, setting: &'static Setting) {
        match Template::parse(setting.key) {
            Template::Fixed(path) => self.observe_at(setting, None, &[path]),
            Template::ControlSet { suffix } => {
                let name = Arc::clone(&self.control_set_name);
                self.observe_at(setting, None, &[&name, suffix]);
            }
            Template::Enumerated {
                prefix,
                placeholder,
                suffix,
            } => match guarded(|| enumerate(&mut self.keys, prefix, placeholder)) {
                Ok(instances) if instances.is_empty() => {
                    self.observe_unresolved(setting, Lookup::KeyAbsent);
                }
                Ok(instances) => {
                    for name in instances.iter() {
                        self.observe_at(setting, Some(name), &[prefix, name, suffix]);
                    }
                }
                Err(error) => self.observe_unresolved(setting, Lookup::Error(error.0)),
            },
        }
    }

    /// Looks `setting` up at the key path made of `parts` and records what was found.
    fn observe_at(&mut self, setting: &'static Setting, instance: Option<&str>, parts: &[&str]) {
        join_path(&mut self.path, parts);
        let key_path = self.keys.shared_path(&self.path);
        let lookup =
            guarded(|| read(&mut self.keys, setting, parts)).unwrap_or_else(|e| Lookup::Error(e.0));
        self.observations.push(Observation {
            setting,
            instance: instance.map(String::from),
            key_path,
            lookup,
        });
    }

    /// Records `lookup` for a setting whose placeholder stood for nothing.
    fn observe_unresolved(&mut self, setting: &'static Setting, lookup: Lookup) {
        self.observations.push(Observation {
            setting,
            instance: None,
            key_path: self.keys.shared_path(setting.key),
            lookup,
        });
    }
}

/// Looks up `setting` at the key path made of `parts` (see [`KeyCache::resolve_parts`]).
fn read(keys: &mut KeyCache<'_, '_>, setting: &Setting, parts: &[&str]) -> HiveResult<Lookup> {
    let Some(id) = keys.resolve_parts(parts)? else {
        return Ok(Lookup::KeyAbsent);
    };
    let key = keys.key(id);
    let last_written = key.last_written();
    if setting.kind == ValueKind::SubkeyNames {
        let names = key.subkey_names()?;
        return Ok(Lookup::Subkeys {
            names,
            last_written,
        });
    }
    Ok(match keys.values(id)?.get(setting.value)? {
        None => Lookup::ValueAbsent { last_written },
        Some(value) => {
            let decoded = match setting.kind {
                ValueKind::Dword => decode::dword(value.raw_type, &value.data),
                ValueKind::Binary => decode::binary(value.raw_type, &value.data),
                ValueKind::Text | ValueKind::SubkeyNames => {
                    decode::text(value.raw_type, &value.data)
                }
            };
            Lookup::Present {
                raw_type: value.raw_type,
                data: value.data,
                decoded,
                last_written,
            }
        }
    })
}

/// The subkeys of `prefix` that a placeholder stands for, in stored order.
fn enumerate(
    keys: &mut KeyCache<'_, '_>,
    prefix: &str,
    placeholder: Placeholder,
) -> HiveResult<Arc<[String]>> {
    match keys.resolve(prefix)? {
        Some(id) => keys.instances(id, placeholder),
        None => Ok(Arc::new([])),
    }
}

/// Writes the non-empty `parts` into `path`, separated by backslashes.
fn join_path(path: &mut String, parts: &[&str]) {
    path.clear();
    for part in parts.iter().filter(|part| !part.is_empty()) {
        if !path.is_empty() {
            path.push('\\');
        }
        path.push_str(part);
    }
}

/// A placeholder segment that stands for several subkeys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// `NN.N`: an Office version.
    OfficeVersion,
    /// `0` to `4`: an Internet Explorer security zone.
    Zone,
    /// Any subkey (used for SIDs).
    Any,
}

impl Placeholder {
    /// The subkeys of `key` it stands for, in stored order; where the subkey list stores name
    /// hints, only the key nodes they admit are read.
    pub fn subkeys_of(self, key: &Key<'_, '_>) -> HiveResult<Vec<String>> {
        match self.pattern() {
            Some(pattern) => key.subkey_names_matching(pattern, |name| self.accepts(name)),
            None => key.subkey_names(),
        }
    }

    fn accepts(self, name: &str) -> bool {
        match self {
            Placeholder::Any => true,
            Placeholder::OfficeVersion => is_office_version(name),
            Placeholder::Zone => matches!(name, "0" | "1" | "2" | "3" | "4"),
        }
    }

    /// The names it stands for as a pattern over subkey list hints; `None` for any name.
    fn pattern(self) -> Option<&'static NamePattern> {
        static ZONE: LazyLock<NamePattern> =
            LazyLock::new(|| NamePattern::new(vec![vec![b'0'..=b'4']]));
        match self {
            Placeholder::Any => None,
            Placeholder::OfficeVersion => Some(office_version_pattern()),
            Placeholder::Zone => Some(&ZONE),
        }
    }
}

/// The names [`is_office_version`] accepts: one to three digits, a dot, one to three digits.
/// Built once: every user hive enumerates Office versions under several keys.
fn office_version_pattern() -> &'static NamePattern {
    static PATTERN: LazyLock<NamePattern> = LazyLock::new(|| {
        let shape = |major, minor| {
            [
                vec![b'0'..=b'9'; major],
                vec![b'.'..=b'.'],
                vec![b'0'..=b'9'; minor],
            ]
            .concat()
        };
        NamePattern::new(
            (1..=3)
                .flat_map(|major| (1..=3).map(move |minor| shape(major, minor)))
                .collect(),
        )
    });
    &PATTERN
}

/// `11.0`, `16.0`: digits, a dot, digits.
pub fn is_office_version(name: &str) -> bool {
    let mut parts = name.split('.');
    let numeric = |part: Option<&str>| {
        part.is_some_and(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    numeric(parts.next()) && numeric(parts.next()) && parts.next().is_none()
}

/// A key-path template split around its placeholder.
enum Template<'t> {
    Fixed(&'t str),
    ControlSet {
        suffix: &'t str,
    },
    Enumerated {
        prefix: &'t str,
        placeholder: Placeholder,
        suffix: &'t str,
    },
}

impl<'t> Template<'t> {
    fn parse(template: &'t str) -> Self {
        let Some(start) = template.find('{') else {
            return Template::Fixed(template);
        };
        let end = template[start..]
            .find('}')
            .map_or(template.len(), |e| start + e + 1);
        let prefix = template[..start].trim_end_matches('\\');
        let suffix = template[end..].trim_start_matches('\\');
        match &template[start..end] {
            "{ControlSet}" => Template::ControlSet { suffix },
            "{OfficeVersion}" => Template::Enumerated {
                prefix,
                placeholder: Placeholder::OfficeVersion,
                suffix,
            },
            "{Zone}" => Template::Enumerated {
                prefix,
                placeholder: Placeholder::Zone,
                suffix,
            },
            _ => Template::Enumerated {
                prefix,
                placeholder: Placeholder::Any,
                suffix,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hive::pattern::{name_hash, name_hint};

    #[test]
    fn office_versions_are_recognised_not_listed() {
        for good in ["11.0", "16.0", "17.0", "8.0"] {
            assert!(is_office_version(good), "{good}");
        }
        for bad in ["Common", "16", "16.0.1", ".0", "a.0", ""] {
            assert!(!is_office_version(bad), "{bad}");
        }
    }

    #[test]
    fn every_office_version_passes_the_hint_pattern() {
        let pattern = office_version_pattern();
        let parts: Vec<String> = (0..10)
            .map(|n| n.to_string())
            .chain((0..100).map(|n| format!("{n:02}")))
            .chain((0..1000).map(|n| format!("{n:03}")))
            .collect();
        for major in &parts {
            for minor in &parts {
                let name = format!("{major}.{minor}");
                assert!(is_office_version(&name), "{name}");
                assert!(pattern.may_hash_to(name_hash(&name)), "{name}");
                assert!(pattern.may_start_with(name_hint(&name)), "{name}");
            }
        }
    }

    #[test]
    fn other_office_subkeys_are_ruled_out_by_their_hints() {
        let pattern = office_version_pattern();
        let others = [
            "Common",
            "Outlook",
            "16",
            "x.0",
            "16,0",
            "ClickToRun",
            "Lync",
            "16.0.1",
        ];
        for name in others {
            assert!(!pattern.may_hash_to(name_hash(name)), "{name}");
            // A hint holds the first four characters only: "16.0.1" passes it, and is then
            // turned away by its full name.
            let hinted = &name[..name.len().min(4)];
            if !is_office_version(hinted) {
                assert!(!pattern.may_start_with(name_hint(name)), "{name}");
            }
        }
        let zones = Placeholder::Zone.pattern().unwrap();
        for zone in ["0", "1", "2", "3", "4"] {
            assert!(zones.may_hash_to(name_hash(zone)) && zones.may_start_with(name_hint(zone)));
        }
        for other in ["5", "00", "Zones", "Lockdown_Zones"] {
            assert!(
                !zones.may_hash_to(name_hash(other)) && !zones.may_start_with(name_hint(other))
            );
        }
    }

    #[test]
    fn templates_split_around_placeholders() {
        assert!(matches!(
            Template::parse(r"{ControlSet}\Control\Lsa"),
            Template::ControlSet {
                suffix: r"Control\Lsa"
            }
        ));
        match Template::parse(r"Software\Office\{OfficeVersion}\Outlook") {
            Template::Enumerated {
                prefix,
                placeholder,
                suffix,
            } => {
                assert_eq!(prefix, r"Software\Office");
                assert_eq!(placeholder, Placeholder::OfficeVersion);
                assert_eq!(suffix, "Outlook");
            }
            _ => panic!("not enumerated"),
        }
        assert!(matches!(
            Template::parse("Select"),
            Template::Fixed("Select")
        ));
    }

    #[test]
    fn paths_join_their_non_empty_parts() {
        let mut path = String::from("left over");
        join_path(&mut path, &["", r"Software\Office", "16.0", "", "Outlook"]);
        assert_eq!(path, r"Software\Office\16.0\Outlook");
        join_path(&mut path, &["ControlSet002", ""]);
        assert_eq!(path, "ControlSet002");
        join_path(&mut path, &["", ""]);
        assert_eq!(path, "");
    }

    #[test]
    fn control_set_names_are_zero_padded() {
        let set = ControlSet {
            number: 12,
            from_select: true,
        };
        assert_eq!(set.key_name(), "ControlSet012");
    }
}
