//! The keys of one hive as settings extraction resolves them.
//!
//! A key path is resolved one segment at a time from its parent's entry, so that a key is
//! looked up in the hive once however many settings, profiles or paths lead through it. An
//! entry is found by its parent's entry and its name folded to upper case: only the segment is
//! folded and hashed, never the whole path. Key paths handed out for reports are interned, so
//! that settings in one key share one string.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::hive::{HiveResult, HiveView, Key, ValueIndex};

use super::extract::Placeholder;

/// A key resolved in a [`KeyCache`] that exists in the hive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyId(u32);

/// One key looked up: the key (`None` when absent) and its value list once walked.
struct Entry<'h, 'a> {
    key: Option<Key<'h, 'a>>,
    values: Option<ValueIndex<'h, 'a>>,
}

/// The keys and value lists of one hive looked up so far.
pub struct KeyCache<'h, 'a> {
    view: &'h HiveView<'a>,
    /// Every key looked up; the root, once read, is the first.
    entries: Vec<Entry<'h, 'a>>,
    /// The key each path was resolved to, by the path as spelled (`None`: absent).
    resolved: FxHashMap<Box<str>, Option<KeyId>>,
    /// Child entries by parent and folded name.
    children: FxHashMap<ChildKey, u32>,
    /// The subkeys each placeholder stood for below each key listed so far.
    instances: FxHashMap<(KeyId, Placeholder), Arc<[String]>>,
    /// Key paths handed out so far.
    paths: FxHashSet<Arc<str>>,
}

impl<'h, 'a> KeyCache<'h, 'a> {
    /// An empty cache over `view`, with room for what extracting the catalogue from one hive
    /// usually looks up (about 30 keys, 10 paths resolved whole and 20 key paths handed out
    /// per hive), so that the tables are not grown and rehashed step by step for every hive.
    pub fn new(view: &'h HiveView<'a>) -> Self {
        KeyCache {
            view,
            entries: Vec::with_capacity(64),
            resolved: FxHashMap::with_capacity_and_hasher(16, Default::default()),
            children: FxHashMap::with_capacity_and_hasher(64, Default::default()),
            instances: FxHashMap::default(),
            paths: FxHashSet::with_capacity_and_hasher(32, Default::default()),
        }
    }

    /// The key at `path` below the root (backslash-separated, any letter case), if present.
    /// A failed lookup is not remembered: it fails again, and costs that one setting, each
    /// time it is asked for.
    pub fn resolve(&mut self, path: &str) -> HiveResult<Option<KeyId>> {
        if let Some(&found) = self.resolved.get(path) {
            return Ok(found);
        }
        let root = self.root()?;
        let found = self.resolve_below(root, path)?;
        self.resolved.insert(path.into(), found);
        Ok(found)
    }

    /// The key at the path made of `parts` joined by backslashes, as [`KeyCache::resolve`]
    /// finds it: the first part is resolved as a whole (it is usually shared by many paths),
    /// the others segment by segment below it.
    pub fn resolve_parts(&mut self, parts: &[&str]) -> HiveResult<Option<KeyId>> {
        let Some((first, rest)) = parts.split_first() else {
            return self.resolve("");
        };
        let mut id = self.resolve(first)?;
        for part in rest {
            let Some(parent) = id else {
                break;
            };
            id = self.resolve_below(parent, part)?;
        }
        Ok(id)
    }

    /// The key at `path` below `parent`, as [`KeyCache::resolve`] finds it.
    pub fn resolve_below(&mut self, parent: KeyId, path: &str) -> HiveResult<Option<KeyId>> {
        let mut id = parent;
        for name in path.split('\\').filter(|name| !name.is_empty()) {
            match self.child(id, name)? {
                Some(child) => id = child,
                None => return Ok(None),
            }
        }
        Ok(Some(id))
    }

    /// The key at `path` (see [`KeyCache::resolve`]).
    pub fn key_at(&mut self, path: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        Ok(self.resolve(path)?.map(|id| self.key(id).clone()))
    }

    /// The key `id` stands for.
    pub fn key(&self, id: KeyId) -> &Key<'h, 'a> {
        self.entries[id.0 as usize]
            .key
            .as_ref()
            .expect("only keys that exist get an id")
    }

    /// The value list of key `id`, walked as far as lookups need it.
    pub fn values(&mut self, id: KeyId) -> HiveResult<&mut ValueIndex<'h, 'a>> {
        let entry = &mut self.entries[id.0 as usize];
        if entry.values.is_none() {
            let key = entry.key.as_ref().expect("only keys that exist get an id");
            entry.values = Some(key.value_index()?);
        }
        Ok(entry.values.as_mut().expect("filled above"))
    }

    /// The subkeys of key `id` that `placeholder` stands for, in stored order; listed once per
    /// key and placeholder.
    pub fn instances(&mut self, id: KeyId, placeholder: Placeholder) -> HiveResult<Arc<[String]>> {
        if let Some(listed) = self.instances.get(&(id, placeholder)) {
            return Ok(Arc::clone(listed));
        }
        let names: Arc<[String]> = placeholder.subkeys_of(self.key(id))?.into();
        self.instances.insert((id, placeholder), Arc::clone(&names));
        Ok(names)
    }

    /// `path` as a shared string: the same string for every setting of one key path.
    pub fn shared_path(&mut self, path: &str) -> Arc<str> {
        if let Some(shared) = self.paths.get(path) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = path.into();
        self.paths.insert(Arc::clone(&shared));
        shared
    }

    /// The root key's entry, read on first use.
    fn root(&mut self) -> HiveResult<KeyId> {
        if self.entries.is_empty() {
            let root = self.view.root()?;
            self.entries.push(Entry {
                key: Some(root),
                values: None,
            });
        }
        Ok(KeyId(0))
    }

    /// The subkey `name` of `parent`, looked up in the hive on first use.
    fn child(&mut self, parent: KeyId, name: &str) -> HiveResult<Option<KeyId>> {
        let child = ChildKey::new(parent, name);
        let index = match self.children.get(&child) {
            Some(&index) => index,
            None => {
                let found = self.key(parent).subkey(name)?;
                let index = u32::try_from(self.entries.len()).expect("fewer keys than u32::MAX");
                self.entries.push(Entry {
                    key: found,
                    values: None,
                });
                self.children.insert(child, index);
                index
            }
        };
        Ok(self.entries[index as usize]
            .key
            .is_some()
            .then_some(KeyId(index)))
    }
}

/// The longest folded name a [`ChildKey`] holds inline. Nearly every name on the catalogue's
/// paths is shorter, MAPI's 32-digit profile sections included.
const INLINE_NAME: usize = 40;

/// What identifies the subkey `name` of a parent: the parent's index and the name folded to
/// upper case as [`str::to_uppercase`] folds it, so that names Windows treats as one, in any
/// letter case, share an entry. A short name is held inline: looking a child up or remembering
/// it allocates nothing. Which form a key takes depends only on the folded name's length, so
/// equal names always give equal keys.
#[derive(Debug, PartialEq, Eq, Hash)]
enum ChildKey {
    Inline {
        parent: u32,
        len: u8,
        name: [u8; INLINE_NAME],
    },
    Boxed {
        parent: u32,
        name: Box<[u8]>,
    },
}

impl ChildKey {
    fn new(parent: KeyId, name: &str) -> Self {
        if name.is_ascii() && name.len() <= INLINE_NAME {
            // Folded in place: the usual case copies the name once.
            let mut folded = [0; INLINE_NAME];
            folded[..name.len()].copy_from_slice(name.as_bytes());
            folded.make_ascii_uppercase();
            return ChildKey::Inline {
                parent: parent.0,
                len: name.len() as u8,
                name: folded,
            };
        }
        Self::folded(parent, name.to_uppercase().as_bytes())
    }

    fn folded(parent: KeyId, folded: &[u8]) -> Self {
        let parent = parent.0;
        match u8::try_from(folded.len()) {
            Ok(len) if folded.len() <= INLINE_NAME => {
                let mut name = [0; INLINE_NAME];
                name[..folded.len()].copy_from_slice(folded);
                ChildKey::Inline { parent, len, name }
            }
            _ => ChildKey::Boxed {
                parent,
                name: folded.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzing::build::{TestKey, build_hive};

    fn hive() -> Vec<u8> {
        build_hive(
            "NTUSER",
            &TestKey::new("ROOT")
                .dword(r"Software\Ünïcode\Policy\Level", 3)
                .dword(r"Software\Plain\Level", 4),
        )
    }

    #[test]
    fn keys_are_found_in_any_letter_case_including_non_ascii_names() {
        let hive = hive();
        let view = HiveView::open(&hive).unwrap();
        let mut keys = KeyCache::new(&view);
        let first = keys.resolve(r"Software\Ünïcode\Policy").unwrap().unwrap();
        for spelling in [
            r"SOFTWARE\ÜNÏCODE\POLICY",
            r"software\ünïcode\policy",
            r"\Software\\Ünïcode\Policy\",
        ] {
            assert_eq!(keys.resolve(spelling).unwrap(), Some(first), "{spelling}");
        }
        assert_eq!(keys.key(first).name().unwrap(), "Policy");
        let software = keys.resolve("software").unwrap().unwrap();
        assert_eq!(
            keys.resolve_below(software, r"ünïcode\POLICY").unwrap(),
            Some(first)
        );
        for parts in [
            &[r"Software\Ünïcode", "", r"Policy"][..],
            &["", r"SOFTWARE\ünïcode\", r"\policy"],
            &[r"software\ÜNÏCODE\POLICY"],
        ] {
            assert_eq!(keys.resolve_parts(parts).unwrap(), Some(first), "{parts:?}");
        }
        assert_eq!(keys.resolve_parts(&["Missing", "Policy"]).unwrap(), None);
    }

    #[test]
    fn siblings_and_absent_keys_stay_apart() {
        let hive = hive();
        let view = HiveView::open(&hive).unwrap();
        let mut keys = KeyCache::new(&view);
        let plain = keys.resolve(r"Software\Plain").unwrap().unwrap();
        let unicode = keys.resolve(r"Software\ÜNÏCODE").unwrap().unwrap();
        assert_ne!(plain, unicode);
        assert_eq!(keys.resolve(r"Software\Unicode").unwrap(), None);
        assert_eq!(keys.resolve(r"Software\Missing\Plain").unwrap(), None);
        assert_eq!(keys.resolve("").unwrap(), keys.resolve(r"\").unwrap());
        let level = keys.values(plain).unwrap().get("LEVEL").unwrap().unwrap();
        assert_eq!(level.data, 4u32.to_le_bytes());
    }

    #[test]
    fn child_keys_fold_the_name_and_keep_the_parent() {
        let key = ChildKey::new;
        assert_eq!(
            key(KeyId(1), "Straße"),
            key(KeyId(1), "STRASSE"),
            "folded as str::to_uppercase folds"
        );
        assert_ne!(
            key(KeyId(1), "Straße"),
            key(KeyId(2), "straße"),
            "another parent"
        );
        assert_eq!(key(KeyId(1), "software"), key(KeyId(1), "SoftWare"));
        assert_ne!(key(KeyId(1), "AB"), key(KeyId(1), "AB\0"));
        // Names around the inline limit, ASCII and not, fold and compare alike.
        let long = "9375cff0413111d3b88a00104b2a6676-profiles-x";
        for cut in 38..=long.len() {
            let (lower, upper) = (&long[..cut], long[..cut].to_uppercase());
            assert_eq!(key(KeyId(3), lower), key(KeyId(3), &upper), "{cut} bytes");
            assert_ne!(key(KeyId(3), lower), key(KeyId(3), &long[..cut - 1]));
        }
        let accented = "é".repeat(21); // 42 bytes folded: boxed
        assert_eq!(
            key(KeyId(3), &accented),
            key(KeyId(3), &accented.to_uppercase())
        );
        assert!(matches!(key(KeyId(3), &accented), ChildKey::Boxed { .. }));
        assert!(matches!(
            key(KeyId(3), &long[..40]),
            ChildKey::Inline { .. }
        ));
        assert!(matches!(key(KeyId(3), &long[..41]), ChildKey::Boxed { .. }));
    }

    #[test]
    fn equal_paths_share_one_string() {
        let hive = hive();
        let view = HiveView::open(&hive).unwrap();
        let mut keys = KeyCache::new(&view);
        let first = keys.shared_path(r"Software\Plain");
        let again = keys.shared_path(&String::from(r"Software\Plain"));
        assert!(Arc::ptr_eq(&first, &again));
        assert!(!Arc::ptr_eq(&first, &keys.shared_path(r"SOFTWARE\Plain")));
    }
}
