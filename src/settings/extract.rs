//! Reading the catalogue's settings out of one hive.
//!
//! Every setting of the hive's kind yields at least one [`Observation`], present or not, so
//! "not set" is reported as such. Placeholder segments are expanded from the hive itself.
//! Each lookup runs guarded: a damaged cell costs that one observation, not the hive.

use std::sync::{Arc, LazyLock};

use rustc_hash::FxHashMap;

use crate::hive::{HiveKind, HiveResult, HiveView, Key, NamePattern, ValueIndex, guarded};

use super::catalogue::{self, SELECT_CURRENT, Setting, ValueKind};
use super::decode::{self, Decoded};
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
/// Each distinct key is resolved once, from its nearest resolved ancestor, and its value list
/// walked once, however many settings live in it.
pub fn extract(view: &HiveView<'_>, kind: HiveKind) -> Extraction {
    let mut keys = KeyCache::new(view);
    let control_set = (kind == HiveKind::System).then(|| current_control_set(&mut keys));
    let mut observations = Vec::new();
    for setting in catalogue::for_hive(kind) {
        observe(&mut keys, setting, control_set, &mut observations);
    }
    let user_hive = kind == HiveKind::NtUser;
    Extraction {
        control_set,
        observations,
        profiles: if user_hive {
            profiles::read(view)
        } else {
            Vec::new()
        },
        zone_map: if user_hive {
            zonemap::read(view)
        } else {
            Vec::new()
        },
    }
}

/// `Select\Current`, or ControlSet001 when it is missing or unusable (domain-rules.md 0.1).
fn current_control_set(keys: &mut KeyCache<'_, '_>) -> ControlSet {
    let current = guarded(|| read(keys, &SELECT_CURRENT, SELECT_CURRENT.key))
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
        None => ControlSet {
            number: 1,
            from_select: false,
        },
    }
}

/// Looks `setting` up (each instance of it, for a key path with a placeholder) and appends
/// what was found to `observations`.
fn observe(
    keys: &mut KeyCache<'_, '_>,
    setting: &'static Setting,
    control_set: Option<ControlSet>,
    observations: &mut Vec<Observation>,
) {
    let observation = |keys: &mut KeyCache<'_, '_>, instance, key_path: Arc<str>| {
        let lookup =
            guarded(|| read(keys, setting, &key_path)).unwrap_or_else(|e| Lookup::Error(e.0));
        Observation {
            setting,
            instance,
            key_path,
            lookup,
        }
    };
    match Template::parse(setting.key) {
        Template::Fixed(path) => observations.push(observation(keys, None, path.into())),
        Template::ControlSet { suffix } => {
            let name = control_set.unwrap_or(ControlSet {
                number: 1,
                from_select: false,
            });
            let path = join(&name.key_name(), suffix).into();
            observations.push(observation(keys, None, path));
        }
        Template::Enumerated {
            prefix,
            placeholder,
            suffix,
        } => match guarded(|| enumerate(keys, prefix, placeholder)) {
            Ok(instances) if instances.is_empty() => observations.push(Observation {
                setting,
                instance: None,
                key_path: setting.key.into(),
                lookup: Lookup::KeyAbsent,
            }),
            Ok(instances) => {
                for name in instances {
                    let path = join(&join(prefix, &name), suffix).into();
                    observations.push(observation(keys, Some(name), path));
                }
            }
            Err(error) => observations.push(Observation {
                setting,
                instance: None,
                key_path: setting.key.into(),
                lookup: Lookup::Error(error.0),
            }),
        },
    }
}

/// Looks up `setting` at the resolved `key_path`.
fn read(keys: &mut KeyCache<'_, '_>, setting: &Setting, key_path: &str) -> HiveResult<Lookup> {
    let Some(key) = keys.key(key_path)? else {
        return Ok(Lookup::KeyAbsent);
    };
    let last_written = key.last_written();
    if setting.kind == ValueKind::SubkeyNames {
        let names = key.subkey_names()?;
        return Ok(Lookup::Subkeys {
            names,
            last_written,
        });
    }
    Ok(match keys.values(key_path, &key)?.get(setting.value)? {
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
) -> HiveResult<Vec<String>> {
    let Some(key) = keys.key(prefix)? else {
        return Ok(Vec::new());
    };
    match placeholder.pattern() {
        Some(pattern) => key.subkey_names_matching(pattern, |name| placeholder.accepts(name)),
        None => key.subkey_names(),
    }
}

/// The keys and value lists of one hive looked up so far, by path in upper case.
struct KeyCache<'h, 'a> {
    view: &'h HiveView<'a>,
    keys: FxHashMap<String, Option<Key<'h, 'a>>>,
    values: FxHashMap<String, ValueIndex<'h, 'a>>,
    /// Reused for folding the path of each lookup, so that a cache hit allocates nothing.
    folded: String,
}

impl<'h, 'a> KeyCache<'h, 'a> {
    fn new(view: &'h HiveView<'a>) -> Self {
        KeyCache {
            view,
            keys: FxHashMap::default(),
            values: FxHashMap::default(),
            folded: String::new(),
        }
    }

    /// The key at `path` (backslash-separated, any letter case), resolved from its parent's
    /// entry so that a shared prefix is walked once. A failed lookup is not remembered: it
    /// fails again, and costs that one setting, each time it is asked for.
    fn key(&mut self, path: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        let path = path.trim_matches('\\');
        fold_path_into(&mut self.folded, path);
        if let Some(found) = self.keys.get(&self.folded) {
            return Ok(found.clone());
        }
        let found = match path.rsplit_once('\\') {
            None if path.is_empty() => Some(self.view.root()?),
            None => self.view.root()?.subkey(path)?,
            Some((parent, name)) => match self.key(parent)? {
                Some(parent) => parent.subkey(name)?,
                None => None,
            },
        };
        self.keys.insert(fold_path(path), found.clone());
        Ok(found)
    }

    /// The value list of `key`, found at `path`, walked as far as lookups need it.
    fn values(&mut self, path: &str, key: &Key<'h, 'a>) -> HiveResult<&mut ValueIndex<'h, 'a>> {
        fold_path_into(&mut self.folded, path);
        if !self.values.contains_key(&self.folded) {
            self.values.insert(self.folded.clone(), key.value_index()?);
        }
        Ok(self.values.get_mut(&self.folded).expect("inserted above"))
    }
}

/// The cache key of a key path: without outer backslashes, in upper case.
fn fold_path(path: &str) -> String {
    let mut folded = String::new();
    fold_path_into(&mut folded, path);
    folded
}

/// [`fold_path`] into a reused buffer.
fn fold_path_into(folded: &mut String, path: &str) {
    let path = path.trim_matches('\\');
    folded.clear();
    if path.is_ascii() {
        folded.push_str(path);
        folded.make_ascii_uppercase();
    } else {
        folded.push_str(&path.to_uppercase());
    }
}

fn join(left: &str, right: &str) -> String {
    match (left.is_empty(), right.is_empty()) {
        (true, _) => right.to_string(),
        (_, true) => left.to_string(),
        _ => format!("{left}\\{right}"),
    }
}

/// A placeholder segment that stands for several subkeys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Placeholder {
    /// `NN.N`: an Office version.
    OfficeVersion,
    /// `0` to `4`: an Internet Explorer security zone.
    Zone,
    /// Any subkey (used for SIDs).
    Any,
}

impl Placeholder {
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

/// The subkeys of `key` that are Office versions ([`is_office_version`]), in stored order;
/// where the subkey list stores name hints, only the key nodes they admit are read.
pub fn office_versions(key: &Key<'_, '_>) -> HiveResult<Vec<String>> {
    key.subkey_names_matching(office_version_pattern(), is_office_version)
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
    fn control_set_names_are_zero_padded() {
        let set = ControlSet {
            number: 12,
            from_select: true,
        };
        assert_eq!(set.key_name(), "ControlSet012");
    }
}
