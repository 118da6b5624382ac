//! Safe, case-insensitive lookups over a hive's bytes, built on nt-hive.
//!
//! nt-hive does the cell work; this module guards it. It refuses buffers nt-hive would panic
//! on, pre-checks the cell offsets nt-hive asserts on, and recovers the key last-write times and raw value types that nt-hive
//! does not expose (their fields sit at fixed distances before the name it returns).
//! [`guarded`] turns any remaining panic into an error, so one bad cell costs one lookup.

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use nt_hive::{Hive, KeyNode, KeyValue, KeyValueData, KeyValues, NtHiveNameString};

use super::base_block::{BASE_BLOCK_SIZE, BaseBlock, read_u32, read_u64};
use super::pattern::{NamePattern, name_hash};

/// Largest value this reader will copy out; policy and profile values are far smaller.
pub const MAX_VALUE_SIZE: usize = 1 << 20;
/// Most subkeys a single enumeration returns; real keys stay far below this.
pub const MAX_SUBKEYS: usize = 100_000;
/// Work one [`HiveView`] may do, in units of one per key or value visited plus one per byte
/// of name or data copied out. A real hive's whole extraction costs well under a million;
/// this bounds the time and memory a crafted hive (a list naming the same huge key a hundred
/// thousand times, Office-version keys by the thousand) can cost.
pub const WORK_BUDGET: u64 = 64 << 20;

/// Offset of the name inside an nk record, counted from its `nk` signature.
const NK_NAME_OFFSET: usize = 76;
/// Offset of the name inside a vk record, counted from its `vk` signature.
const VK_NAME_OFFSET: usize = 20;
/// Bit of the vk data size that marks data stored inline in the offset field.
const DATA_INLINE: u32 = 0x8000_0000;

/// A lookup in a hive failed because its structure is damaged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HiveError(pub String);

impl fmt::Display for HiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HiveError {}

impl From<nt_hive::NtHiveError> for HiveError {
    fn from(error: nt_hive::NtHiveError) -> Self {
        HiveError(error.to_string())
    }
}

/// Result of a hive lookup.
pub type HiveResult<T> = Result<T, HiveError>;

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    static FOREIGN_PANICS: Cell<u64> = const { Cell::new(0) };
}

/// How many guarded panics on this thread were raised outside nt-hive: each one is a bug in
/// hiveaudit that the guard hid. The fuzz harnesses check that this stays at zero.
#[doc(hidden)]
pub fn panics_outside_nt_hive() -> u64 {
    FOREIGN_PANICS.with(Cell::get)
}

/// Runs `work`, turning a panic inside it into an error naming what panicked.
///
/// While a guarded call runs, the panic hook stays quiet, so caught panics neither garble the
/// progress bar nor look like a crash; panics elsewhere are still printed.
pub fn guarded<T>(work: impl FnOnce() -> HiveResult<T>) -> HiveResult<T> {
    install_quiet_hook();
    let was_guarded = GUARDED.with(|flag| flag.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    GUARDED.with(|flag| flag.set(was_guarded));
    outcome.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(HiveError(format!("hive parser failed: {message}")))
    })
}

fn install_quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default_hook = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                default_hook(info);
            } else if !info
                .location()
                .is_some_and(|at| at.file().contains("nt-hive"))
            {
                FOREIGN_PANICS.with(|count| count.set(count.get() + 1));
            }
        }));
    });
}

/// A read-only view of one hive's bytes.
pub struct HiveView<'a> {
    bytes: &'a [u8],
    hive: Hive<&'a [u8]>,
    work_left: Cell<u64>,
}

impl<'a> HiveView<'a> {
    /// Opens `bytes` as a hive without trusting its sequence numbers (dirty hives are read as
    /// they are; recovery happens before this, on the bytes).
    pub fn open(bytes: &'a [u8]) -> HiveResult<Self> {
        if bytes.len() < BASE_BLOCK_SIZE {
            return Err(HiveError(format!(
                "{} bytes is shorter than a hive header (4096)",
                bytes.len()
            )));
        }
        let header = BaseBlock::parse(bytes).map_err(|e| HiveError(e.to_string()))?;
        let root = header.root_cell_offset as usize;
        if root == u32::MAX as usize || BASE_BLOCK_SIZE + root >= bytes.len() {
            return Err(HiveError(format!(
                "root cell offset {root:#x} lies outside the hive"
            )));
        }
        let hive = Hive::without_validation(bytes)?;
        Ok(HiveView {
            bytes,
            hive,
            work_left: Cell::new(WORK_BUDGET),
        })
    }

    /// Spends `units` of the view's [`WORK_BUDGET`], failing once it is used up.
    fn charge(&self, units: usize) -> HiveResult<()> {
        let left = self.work_left.get();
        let cost = units as u64 + 1;
        if cost > left {
            self.work_left.set(0);
            return Err(HiveError(format!(
                "hive needs more work than the budget of {WORK_BUDGET} units allows"
            )));
        }
        self.work_left.set(left - cost);
        Ok(())
    }

    /// The root key.
    pub fn root(&self) -> HiveResult<Key<'_, 'a>> {
        let node = self.hive.root_key_node()?;
        Ok(Key { view: self, node })
    }

    /// The key at `path` below the root (backslash-separated, any letter case), if present.
    pub fn key(&self, path: &str) -> HiveResult<Option<Key<'_, 'a>>> {
        let mut key = self.root()?;
        for part in path.split('\\').filter(|part| !part.is_empty()) {
            match key.subkey(part)? {
                Some(next) => key = next,
                None => return Ok(None),
            }
        }
        Ok(Some(key))
    }

    /// Offset of `slice` inside the hive bytes, if it points into them.
    fn offset_of(&self, slice: &[u8]) -> Option<usize> {
        let start = self.bytes.as_ptr() as usize;
        let at = slice.as_ptr() as usize;
        (at >= start && at < start + self.bytes.len()).then(|| at - start)
    }

    /// The record whose name starts at `name`, checked against its two-byte signature.
    fn record_before(&self, name: &[u8], name_offset: usize, signature: &[u8; 2]) -> Option<usize> {
        let record = self.offset_of(name)?.checked_sub(name_offset)?;
        (self.bytes.get(record..record + 2)? == signature).then_some(record)
    }
}

/// A key found in a hive.
#[derive(Clone)]
pub struct Key<'h, 'a> {
    view: &'h HiveView<'a>,
    node: KeyNode<'h, &'a [u8]>,
}

impl<'h, 'a> Key<'h, 'a> {
    /// The key's name as stored.
    pub fn name(&self) -> HiveResult<String> {
        Ok(self.node.name()?.to_string_lossy())
    }

    /// The key's last-write time as a Windows FILETIME.
    pub fn last_written(&self) -> Option<u64> {
        let name = self.node.name().ok()?;
        let nk = self
            .view
            .record_before(name_bytes(&name), NK_NAME_OFFSET, b"nk")?;
        let filetime = read_u64(self.view.bytes, nk + 4);
        (filetime != 0).then_some(filetime)
    }

    /// The subkey called `name` (any letter case), if present.
    ///
    /// Found by binary search over the sorted subkey list, as Windows looks keys up: a key
    /// that an unsorted (damaged) list hides from Windows is not found here either. Where the
    /// list stores a hint per entry, an ASCII name is looked up as Windows does, by the hints
    /// first, so that only the key nodes the hints cannot rule out are read.
    pub fn subkey(&self, name: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        if !self.has_children(20, 28) {
            return Ok(None);
        }
        self.view.charge(name.len())?;
        if name.is_ascii() {
            match self.hinted_leaf() {
                Some(leaf) if leaf.hashed => return self.find_by_hash(leaf, name),
                Some(leaf) => return self.find_by_prefix(leaf, name),
                None => {}
            }
        }
        match self.node.subkey(name) {
            Some(found) => Ok(Some(self.wrap(found?))),
            None => Ok(None),
        }
    }

    /// The key's subkey list when it is a single leaf with a hint per entry (`lf` since
    /// Windows NT 4, `lh` since Windows XP), bounds-checked.
    fn hinted_leaf(&self) -> Option<HintedLeaf> {
        let bytes = self.view.bytes;
        let nk = self.nk_offset()?;
        let cell = BASE_BLOCK_SIZE.checked_add(read_u32(bytes, nk + 28) as usize)?;
        let header = bytes.get(cell..cell.checked_add(8)?)?;
        let cell_size = i32::from_le_bytes(header[0..4].try_into().ok()?).checked_neg()?;
        let hashed = match &header[4..6] {
            b"lh" => true,
            b"lf" => false,
            _ => return None,
        };
        if cell_size <= 0 {
            return None;
        }
        let count = usize::from(u16::from_le_bytes([header[6], header[7]]));
        let end = (cell + 8).checked_add(count.checked_mul(8)?)?;
        (end <= bytes.len() && end <= cell.checked_add(cell_size as usize)?).then_some(HintedLeaf {
            hashed,
            entries: cell + 8,
            count,
        })
    }

    /// Looks `name` (ASCII) up in a hash leaf as Windows does: only entries whose stored hash
    /// matches are read and their names compared, so a miss reads no key cell at all.
    fn find_by_hash(&self, leaf: HintedLeaf, name: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        let wanted = name_hash(name);
        for index in 0..leaf.count {
            if leaf.hint(self.view.bytes, index) != NameHint::Hash(wanted) {
                continue;
            }
            let Some(node) = self.nth_subkey(index)? else {
                return Ok(None);
            };
            if node.name()? == name {
                return Ok(Some(self.wrap(node)));
            }
        }
        Ok(None)
    }

    /// Looks `name` (ASCII) up in a fast leaf by the binary search nt-hive does over the
    /// names, but as Windows does it: where an entry's hint (the name's first characters)
    /// already orders it against `name`, its key node is not read.
    fn find_by_prefix(&self, leaf: HintedLeaf, name: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        let (mut left, mut right) = (0i64, leaf.count as i64 - 1);
        while left <= right {
            let mid = (left + right) / 2;
            let order = match leaf.hint(self.view.bytes, mid as usize) {
                NameHint::Prefix(hint) => prefix_order(hint, name),
                NameHint::Hash(_) => None,
            };
            let order = match order {
                Some(order) => order,
                None => {
                    let Some(node) = self.nth_subkey(mid as usize)? else {
                        return Ok(None);
                    };
                    match node.name()?.partial_cmp(name) {
                        Some(Ordering::Equal) => return Ok(Some(self.wrap(node))),
                        order => order.unwrap_or(Ordering::Less),
                    }
                }
            };
            match order {
                Ordering::Less => left = mid + 1,
                _ => right = mid - 1,
            }
        }
        Ok(None)
    }

    /// The key node of entry `index` of the subkey list, charged to the work budget.
    fn nth_subkey(&self, index: usize) -> HiveResult<Option<KeyNode<'h, &'a [u8]>>> {
        self.view.charge(0)?;
        let Some(subkeys) = self.node.subkeys() else {
            return Ok(None);
        };
        Ok(subkeys?.nth(index).transpose()?)
    }

    /// The names of all subkeys, in stored order (at most [`MAX_SUBKEYS`]).
    pub fn subkey_names(&self) -> HiveResult<Vec<String>> {
        let mut names = Vec::new();
        self.for_each_subkey(|key| {
            names.push(key.name()?);
            Ok(true)
        })?;
        Ok(names)
    }

    /// The names of the subkeys that `pattern` and then `accepts` admit, in stored order: the
    /// same as filtering [`Key::subkey_names`] with `accepts`, for a `pattern` that admits at
    /// least every name `accepts` does. Where the subkey list stores a hint per entry, only the
    /// key nodes of the entries whose hint `pattern` admits are read.
    pub fn subkey_names_matching(
        &self,
        pattern: &NamePattern,
        accepts: impl Fn(&str) -> bool,
    ) -> HiveResult<Vec<String>> {
        let leaf = match self.hinted_leaf() {
            Some(leaf) if self.has_children(20, 28) => leaf,
            _ => {
                let mut names = self.subkey_names()?;
                names.retain(|name| accepts(name));
                return Ok(names);
            }
        };
        let mut names = Vec::new();
        for index in 0..leaf.count {
            let admitted = match leaf.hint(self.view.bytes, index) {
                NameHint::Hash(hash) => pattern.may_hash_to(hash),
                NameHint::Prefix(hint) => pattern.may_start_with(hint),
            };
            if !admitted {
                continue;
            }
            let Some(node) = self.nth_subkey(index)? else {
                break;
            };
            let name = node.name()?;
            self.view.charge(name_bytes(&name).len())?;
            let name = name.to_string_lossy();
            if accepts(&name) {
                names.push(name);
            }
        }
        Ok(names)
    }

    /// All subkeys, in stored order (at most [`MAX_SUBKEYS`]).
    pub fn subkeys(&self) -> HiveResult<Vec<Key<'h, 'a>>> {
        let mut keys = Vec::new();
        self.for_each_subkey(|key| {
            keys.push(key);
            Ok(true)
        })?;
        Ok(keys)
    }

    /// The value called `name` (any letter case; empty for the default value), if present.
    ///
    /// The value list is walked here rather than by nt-hive, so that each entry is charged to
    /// the work budget. To look up several values of one key, walk it once with
    /// [`Key::value_index`].
    pub fn value(&self, name: &str) -> HiveResult<Option<Value>> {
        let mut found = None;
        self.for_each_value(|value| {
            if self.named(&value, name)? {
                found = Some(self.read_value(&value)?);
                return Ok(false);
            }
            Ok(true)
        })?;
        Ok(found)
    }

    /// The key's value list, walked on demand and at most once, so that any number of values
    /// can be looked up by name without visiting an entry twice (at most [`MAX_SUBKEYS`]
    /// entries).
    pub fn value_index(&self) -> HiveResult<ValueIndex<'h, 'a>> {
        let unread = match self
            .has_children(36, 40)
            .then(|| self.node.values())
            .flatten()
        {
            Some(values) => Some(values?.take(MAX_SUBKEYS)),
            None => None,
        };
        Ok(ValueIndex {
            key: self.clone(),
            read: Vec::new(),
            unread,
            failure: None,
        })
    }

    /// Whether `value` is called `name`, compared as Windows compares names (case-insensitive
    /// over the Basic Multilingual Plane) without allocating; the name is charged to the budget.
    fn named(&self, value: &KeyValue<'h, &'a [u8]>, name: &str) -> HiveResult<bool> {
        let stored = value.name()?;
        self.view.charge(name_bytes(&stored).len())?;
        Ok(match stored {
            // No Latin-1 letter outside ASCII upper-cases into ASCII, so for an ASCII name a
            // byte-wise ASCII comparison is the same as Windows' comparison, and far cheaper.
            NtHiveNameString::Latin1(bytes) if name.is_ascii() => {
                bytes.eq_ignore_ascii_case(name.as_bytes())
            }
            _ => stored == name,
        })
    }

    /// All values of the key, in stored order (at most [`MAX_SUBKEYS`]).
    pub fn values(&self) -> HiveResult<Vec<Value>> {
        let mut values = Vec::new();
        self.for_each_value(|value| {
            values.push(self.read_value(&value)?);
            Ok(true)
        })?;
        Ok(values)
    }

    /// Calls `visit` on each value until it returns `Ok(false)`.
    fn for_each_value(
        &self,
        mut visit: impl FnMut(KeyValue<'h, &'a [u8]>) -> HiveResult<bool>,
    ) -> HiveResult<()> {
        if !self.has_children(36, 40) {
            return Ok(());
        }
        let Some(values) = self.node.values() else {
            return Ok(());
        };
        for value in values?.take(MAX_SUBKEYS) {
            self.view.charge(0)?;
            if !visit(value?)? {
                break;
            }
        }
        Ok(())
    }

    fn wrap(&self, node: KeyNode<'h, &'a [u8]>) -> Key<'h, 'a> {
        Key {
            view: self.view,
            node,
        }
    }

    /// Calls `visit` on each subkey until it returns `Ok(false)`.
    fn for_each_subkey(
        &self,
        mut visit: impl FnMut(Key<'h, 'a>) -> HiveResult<bool>,
    ) -> HiveResult<()> {
        if !self.has_children(20, 28) {
            return Ok(());
        }
        let Some(subkeys) = self.node.subkeys() else {
            return Ok(());
        };
        for node in subkeys?.take(MAX_SUBKEYS) {
            let key = self.wrap(node?);
            let name_len = key.node.name().map_or(0, |name| name_bytes(&name).len());
            self.view.charge(name_len)?;
            if !visit(key)? {
                break;
            }
        }
        Ok(())
    }

    /// Whether the nk record announces children at `count_at` whose list offset at `list_at`
    /// is usable; nt-hive asserts on an offset of 0xFFFFFFFF, so that is checked first.
    fn has_children(&self, count_at: usize, list_at: usize) -> bool {
        let Some(nk) = self.nk_offset() else {
            return true;
        };
        let bytes = self.view.bytes;
        if bytes.len() < nk + NK_NAME_OFFSET {
            return false;
        }
        read_u32(bytes, nk + count_at) != 0 && read_u32(bytes, nk + list_at) != u32::MAX
    }

    fn nk_offset(&self) -> Option<usize> {
        let name = self.node.name().ok()?;
        self.view
            .record_before(name_bytes(&name), NK_NAME_OFFSET, b"nk")
    }

    fn read_value(&self, value: &KeyValue<'h, &'a [u8]>) -> HiveResult<Value> {
        let name = value.name()?;
        let vk = self
            .view
            .record_before(name_bytes(&name), VK_NAME_OFFSET, b"vk")
            .ok_or_else(|| HiveError("value record not found before its name".into()))?;
        let bytes = self.view.bytes;
        let raw_size = read_u32(bytes, vk + 4);
        let data_offset = read_u32(bytes, vk + 8);
        let raw_type = read_u32(bytes, vk + 12);
        let size = (raw_size & !DATA_INLINE) as usize;
        let name = name.to_string_lossy();
        if size > MAX_VALUE_SIZE {
            return Err(HiveError(format!(
                "value {name:?} claims {size} bytes of data"
            )));
        }
        self.view.charge(size)?;
        let data = if size == 0 {
            Vec::new()
        } else if raw_size & DATA_INLINE == 0 && data_offset == u32::MAX {
            return Err(HiveError(format!("value {name:?} has no data cell")));
        } else {
            collect_data(value.data()?, size)?
        };
        Ok(Value {
            name,
            raw_type,
            data,
        })
    }
}

/// The value list of one key, walked on demand (see [`Key::value_index`]).
pub struct ValueIndex<'h, 'a> {
    key: Key<'h, 'a>,
    /// The entries walked so far, in stored order.
    read: Vec<KeyValue<'h, &'a [u8]>>,
    /// The rest of the list.
    unread: Option<std::iter::Take<KeyValues<'h, &'a [u8]>>>,
    /// Why the walk stopped early: a damaged entry, or the work budget spent.
    failure: Option<HiveError>,
}

impl ValueIndex<'_, '_> {
    /// The value called `name` (any letter case; empty for the default value), if present.
    ///
    /// The entries already walked are searched first; the walk then goes on only until the
    /// value is found, so a key's later entries are never read for values found earlier.
    /// Once the walk has failed, every value not found before the failure fails likewise.
    pub fn get(&mut self, name: &str) -> HiveResult<Option<Value>> {
        if let Some(at) = self.position_read(name)? {
            return self.key.read_value(&self.read[at]).map(Some);
        }
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        match self.walk_to(name) {
            Ok(found) => Ok(found),
            Err(failure) => {
                self.failure = Some(failure.clone());
                Err(failure)
            }
        }
    }

    /// Where `name` is among the entries walked so far.
    fn position_read(&self, name: &str) -> HiveResult<Option<usize>> {
        for (at, value) in self.read.iter().enumerate() {
            if self.key.named(value, name)? {
                return Ok(Some(at));
            }
        }
        Ok(None)
    }

    /// Walks on until the value called `name`, keeping every entry passed.
    fn walk_to(&mut self, name: &str) -> HiveResult<Option<Value>> {
        while let Some(value) = self.unread.as_mut().and_then(Iterator::next) {
            self.key.view.charge(0)?;
            let value = value?;
            let found = self.key.named(&value, name)?;
            self.read.push(value);
            if found {
                return self
                    .key
                    .read_value(&self.read[self.read.len() - 1])
                    .map(Some);
            }
        }
        Ok(None)
    }
}

fn collect_data(data: KeyValueData<'_, &[u8]>, size: usize) -> HiveResult<Vec<u8>> {
    match data {
        KeyValueData::Small(bytes) => Ok(bytes.to_vec()),
        KeyValueData::Big(segments) => {
            let mut out = Vec::with_capacity(size);
            for segment in segments {
                out.extend_from_slice(segment?);
                if out.len() > size {
                    break;
                }
            }
            out.truncate(size);
            Ok(out)
        }
    }
}

fn name_bytes<'n>(name: &NtHiveNameString<'n>) -> &'n [u8] {
    match name {
        NtHiveNameString::Latin1(bytes) | NtHiveNameString::Utf16LE(bytes) => bytes,
    }
}

/// A subkey list that is one leaf storing, beside each key node's offset, a hint of its name.
#[derive(Clone, Copy)]
struct HintedLeaf {
    /// `lh` (a hash of the name) rather than `lf` (the name's first characters).
    hashed: bool,
    /// Offset of the first entry.
    entries: usize,
    /// Number of entries.
    count: usize,
}

impl HintedLeaf {
    /// The hint stored in entry `index`.
    fn hint(self, bytes: &[u8], index: usize) -> NameHint {
        let at = self.entries + index * 8 + 4;
        if self.hashed {
            NameHint::Hash(read_u32(bytes, at))
        } else {
            NameHint::Prefix([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        }
    }
}

/// What a subkey list entry tells of its key's name without the key node being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameHint {
    /// `lh`: [`name_hash`] of the name.
    Hash(u32),
    /// `lf`: the name's first four characters as stored, zero-padded; a zero also ends the
    /// hint where Windows could not store a character in one byte.
    Prefix([u8; 4]),
}

/// How a name whose `lf` hint is `hint` orders against `name` (ASCII), compared as nt-hive
/// compares names (upper-cased, character by character), when the hint alone decides it:
/// at an ASCII character of the hint that differs from `name`'s, or where `name` ends first.
/// `None` when the key node must be read: the hint ended, agreed, or held a non-ASCII byte.
fn prefix_order(hint: [u8; 4], name: &str) -> Option<Ordering> {
    for (index, &stored) in hint.iter().enumerate() {
        if stored == 0 || !stored.is_ascii() {
            return None;
        }
        let Some(&wanted) = name.as_bytes().get(index) else {
            return Some(Ordering::Greater);
        };
        let order = stored
            .to_ascii_uppercase()
            .cmp(&wanted.to_ascii_uppercase());
        if order != Ordering::Equal {
            return Some(order);
        }
    }
    None
}

/// Case folding for registry names, which Windows compares case-insensitively.
pub fn fold_case(name: &str) -> String {
    name.to_uppercase()
}

/// A value read from a hive: its name, the type code as stored, and its raw data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// The value name as stored (empty for the default value).
    pub name: String,
    /// The registry type code as stored (REG_DWORD = 4, ...), which may be unknown.
    pub raw_type: u32,
    /// The data bytes.
    pub data: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzing::build::{TestKey, build_hive};
    use crate::hive::base_block::{seal, write_u32};

    /// Turns the root's subkey list into a hash leaf (`lh`) with the hashes Windows writes;
    /// returns the offset of each entry's stored hash.
    fn make_root_list_hashed(hive: &mut [u8]) -> Vec<usize> {
        let root = BASE_BLOCK_SIZE + read_u32(hive, 36) as usize + 4;
        let list = BASE_BLOCK_SIZE + read_u32(hive, root + 28) as usize + 4;
        hive[list..list + 2].copy_from_slice(b"lh");
        let count = usize::from(u16::from_le_bytes([hive[list + 2], hive[list + 3]]));
        let mut hashes = Vec::new();
        for entry in 0..count {
            let nk = root_entry(hive, entry);
            let length = usize::from(u16::from_le_bytes([hive[nk + 72], hive[nk + 73]]));
            let name = String::from_utf8(hive[nk + 76..nk + 76 + length].to_vec()).unwrap();
            write_u32(hive, list + 8 + 8 * entry, name_hash(&name));
            hashes.push(list + 8 + 8 * entry);
        }
        hashes
    }

    /// The offset of the nk record of entry `entry` of the root's subkey list.
    fn root_entry(hive: &[u8], entry: usize) -> usize {
        let root = BASE_BLOCK_SIZE + read_u32(hive, 36) as usize + 4;
        let list = BASE_BLOCK_SIZE + read_u32(hive, root + 28) as usize + 4;
        BASE_BLOCK_SIZE + read_u32(hive, list + 4 + 8 * entry) as usize + 4
    }

    /// A hive whose root has subkeys `Alpha` and `Beta` in a hash leaf (`lh`) with the hashes
    /// Windows writes; returns it and the offset of each entry's stored hash.
    fn hive_with_hash_leaf() -> (Vec<u8>, Vec<usize>) {
        let mut hive = build_hive("SOFTWARE", &TestKey::new("ROOT").key("Alpha").key("Beta"));
        let hashes = make_root_list_hashed(&mut hive);
        (hive, hashes)
    }

    #[test]
    fn pattern_enumeration_reads_only_admitted_key_nodes() {
        // Stored order: 07, 1, 123, 42, 9, A1, Beta, x.
        let names = ["1", "07", "42", "123", "A1", "x", "Beta", "9"];
        let root_key = names
            .iter()
            .fold(TestKey::new("ROOT"), |key, name| key.key(name));
        let digits = NamePattern::new(vec![vec![b'0'..=b'9'], vec![b'0'..=b'9'; 2]]);
        let short_number = |name: &str| name.len() <= 2 && name.bytes().all(|b| b.is_ascii_digit());
        for hashed in [false, true] {
            let mut hive = build_hive("NTUSER", &root_key);
            if hashed {
                make_root_list_hashed(&mut hive);
            }
            let expected: Vec<String> = {
                let view = HiveView::open(&hive).unwrap();
                let mut all = view.root().unwrap().subkey_names().unwrap();
                all.retain(|name| short_number(name));
                all
            };
            assert_eq!(expected, ["07", "1", "42", "9"]);
            for entry in [2, 5, 6, 7] {
                let nk = root_entry(&hive, entry);
                hive[nk..nk + 2].copy_from_slice(b"xx");
            }
            let view = HiveView::open(&hive).unwrap();
            let root = view.root().unwrap();
            assert!(root.subkey_names().is_err());
            let found = root.subkey_names_matching(&digits, short_number).unwrap();
            assert_eq!(found, expected, "hashed: {hashed}");
        }
    }

    #[test]
    fn hash_leaves_are_searched_by_their_stored_hashes() {
        let (mut hive, hashes) = hive_with_hash_leaf();
        {
            let view = HiveView::open(&hive).unwrap();
            let root = view.root().unwrap();
            assert_eq!(
                root.subkey("BETA").unwrap().unwrap().name().unwrap(),
                "Beta"
            );
            assert_eq!(
                root.subkey("alpha").unwrap().unwrap().name().unwrap(),
                "Alpha"
            );
            assert!(root.subkey("Gamma").unwrap().is_none());
        }
        // As in Windows, an entry whose stored hash is wrong is not found by name, though it
        // is still listed.
        for offset in hashes {
            write_u32(&mut hive, offset, 0);
        }
        let view = HiveView::open(&hive).unwrap();
        let root = view.root().unwrap();
        assert!(root.subkey("Beta").unwrap().is_none());
        assert_eq!(root.subkey_names().unwrap(), ["Alpha", "Beta"]);
    }

    #[test]
    fn name_hashes_ignore_case_and_multiply_by_37() {
        // Real hives' lh lists are checked against these hashes by the corpus lookup test.
        assert_eq!(name_hash("Software"), name_hash("SOFTWARE"));
        assert_eq!(name_hash("A"), 0x41);
        assert_eq!(name_hash("ab"), 0x41 * 37 + 0x42);
    }

    /// Names whose hints tie, differ only in case, end inside or after the hint.
    const FAST_LEAF_NAMES: &[&str] = &[
        "16.0",
        "8.0",
        "A",
        "Ab",
        "abc",
        "ABCD",
        "abcde",
        "Abcdf",
        "Common",
        "Commons",
        "Outlook",
        "Policies",
        "Software",
        "SoftwareX",
        "Zz",
        "_x",
        "~",
    ];

    #[test]
    fn fast_leaf_lookups_find_what_the_name_search_finds() {
        let root_key = FAST_LEAF_NAMES
            .iter()
            .fold(TestKey::new("ROOT"), |key, name| key.key(name));
        let hive = build_hive("NTUSER", &root_key);
        let view = HiveView::open(&hive).unwrap();
        let root = view.root().unwrap();
        assert!(root.hinted_leaf().is_some_and(|leaf| !leaf.hashed));
        let mut wanted: Vec<String> = ["", "0", "16", "16.00", "Abc", "Abcc", "Commo", "Zzz"]
            .map(String::from)
            .to_vec();
        for name in FAST_LEAF_NAMES {
            wanted.extend([name.to_string(), name.to_lowercase(), name.to_uppercase()]);
            wanted.push(format!("{name}~"));
        }
        for name in &wanted {
            let by_hint = root.subkey(name).unwrap().map(|k| k.name().unwrap());
            let by_name = root
                .node
                .subkey(name)
                .map(|k| k.unwrap().name().unwrap().to_string_lossy());
            assert_eq!(by_hint, by_name, "{name:?}");
        }
    }

    #[test]
    fn fast_leaf_lookups_read_only_the_key_nodes_hints_cannot_order() {
        let names = ["Alpha", "Beta", "Delta", "Gamma", "Omega"];
        let root_key = names
            .iter()
            .fold(TestKey::new("ROOT"), |key, name| key.key(name));
        let mut hive = build_hive("NTUSER", &root_key);
        let root = BASE_BLOCK_SIZE + read_u32(&hive, 36) as usize + 4;
        let list = BASE_BLOCK_SIZE + read_u32(&hive, root + 28) as usize + 4;
        // The binary search for Omega passes Delta and Gamma, whose hints order them.
        for entry in [2, 3] {
            let nk = BASE_BLOCK_SIZE + read_u32(&hive, list + 4 + 8 * entry) as usize + 4;
            hive[nk..nk + 2].copy_from_slice(b"xx");
        }
        let view = HiveView::open(&hive).unwrap();
        let root = view.root().unwrap();
        assert!(root.node.subkey("Omega").unwrap().is_err());
        assert_eq!(
            root.subkey("omega").unwrap().unwrap().name().unwrap(),
            "Omega"
        );
    }

    #[test]
    fn prefix_hints_order_only_where_they_differ() {
        assert_eq!(prefix_order(*b"Soft", "SOFTWARE"), None);
        assert_eq!(prefix_order(*b"Soft", "Sof"), Some(Ordering::Greater));
        assert_eq!(prefix_order(*b"Poli", "Software"), Some(Ordering::Less));
        assert_eq!(prefix_order(*b"_x\0\0", "A"), Some(Ordering::Greater));
        assert_eq!(prefix_order(*b"8.0\0", "8.0"), None);
        assert_eq!(prefix_order(*b"8.0\0", "8.1"), Some(Ordering::Less));
        assert_eq!(prefix_order([0xe9, 0, 0, 0], "A"), None);
    }

    #[test]
    fn value_lists_are_walked_only_as_far_as_lookups_need() {
        let root_key = TestKey::new("ROOT")
            .dword("First", 1)
            .dword("Second", 2)
            .dword("Third", 3);
        let mut hive = build_hive("NTUSER", &root_key);
        let root = BASE_BLOCK_SIZE + read_u32(&hive, 36) as usize + 4;
        let list = BASE_BLOCK_SIZE + read_u32(&hive, root + 40) as usize + 4;
        let third = BASE_BLOCK_SIZE + read_u32(&hive, list + 8) as usize + 4;
        hive[third..third + 2].copy_from_slice(b"xx");
        let view = HiveView::open(&hive).unwrap();
        let mut index = view.root().unwrap().value_index().unwrap();
        assert_eq!(
            index.get("second").unwrap().unwrap().data,
            2u32.to_le_bytes()
        );
        assert_eq!(
            index.get("FIRST").unwrap().unwrap().data,
            1u32.to_le_bytes()
        );
        let failure = index.get("Missing").unwrap_err();
        assert_eq!(index.get("Third").unwrap_err(), failure);
        assert_eq!(index.get("First").unwrap().unwrap().name, "First");
    }

    /// A hive whose root lists one subkey with a 255-character name 65,535 times: the list
    /// is appended in a second hive bin and the root pointed at it.
    fn one_huge_key_listed_many_times() -> Vec<u8> {
        let long = "K".repeat(255);
        let mut hive = build_hive("SOFTWARE", &TestKey::new("ROOT").key(&long));
        let root = BASE_BLOCK_SIZE + read_u32(&hive, 36) as usize + 4;
        let list = BASE_BLOCK_SIZE + read_u32(&hive, root + 28) as usize + 4;
        let child = read_u32(&hive, list + 4);
        let count = u16::MAX as usize;
        let bin_offset = hive.len() - BASE_BLOCK_SIZE;
        let bin_size = (32 + 8 + 4 + 8 * count).next_multiple_of(4096);
        let mut bin = vec![0u8; bin_size];
        bin[..4].copy_from_slice(b"hbin");
        write_u32(&mut bin, 4, bin_offset as u32);
        write_u32(&mut bin, 8, bin_size as u32);
        write_u32(&mut bin, 32, (-((bin_size - 32) as i32)) as u32);
        bin[36..38].copy_from_slice(b"lf");
        bin[38..40].copy_from_slice(&u16::MAX.to_le_bytes());
        for i in 0..count {
            write_u32(&mut bin, 40 + 8 * i, child);
        }
        hive.extend_from_slice(&bin);
        write_u32(&mut hive, root + 20, count as u32);
        write_u32(&mut hive, root + 28, (bin_offset + 32) as u32);
        let bins = (hive.len() - BASE_BLOCK_SIZE) as u32;
        write_u32(&mut hive, 40, bins);
        seal(&mut hive);
        hive
    }

    #[test]
    fn a_list_naming_one_huge_key_exhausts_the_budget() {
        let hive = one_huge_key_listed_many_times();
        let view = HiveView::open(&hive).unwrap();
        let root = view.root().unwrap();
        assert_eq!(root.subkey_names().unwrap().len(), u16::MAX as usize);
        let started = std::time::Instant::now();
        let failed = (0..8).find(|_| root.subkey_names().is_err());
        assert!(failed.is_some(), "the work budget never ran out");
        assert!(
            root.subkey("missing").is_err(),
            "a spent budget must stay spent"
        );
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }
}
