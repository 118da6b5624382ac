//! Safe, case-insensitive lookups over a hive's cells.
//!
//! The cells a lookup needs (key nodes, subkey lists, value lists, value records, data and big
//! data) are parsed here from [`HiveBytes`]: a slice in memory, or a [`PagedHive`] whose pages
//! are read on first use, so that a lookup reads only the pages under the cells it visits.
//! Every offset and length is checked before it is used. Names are compared with nt-hive's
//! [`NtHiveNameString`], which carries the case rules Windows uses. [`guarded`] still turns a
//! panic (a bug) into an error, so that one bad cell costs one lookup, not the run.

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use nt_hive::NtHiveNameString;

use super::base_block::{BASE_BLOCK_SIZE, BaseBlock, read_u32, read_u64};
use super::pages::PagedHive;
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

/// Where a key node (`nk`) keeps its name; the record is this long up to the name.
const NK_NAME: NameLayout = NameLayout {
    length_at: 72,
    flags_at: 2,
    latin1_flag: 0x0020,
    name_at: 76,
};
/// Where a value record (`vk`) keeps its name; the record is this long up to the name.
const VK_NAME: NameLayout = NameLayout {
    length_at: 2,
    flags_at: 16,
    latin1_flag: 0x0001,
    name_at: 20,
};
/// Bit of the vk data size that marks data stored inline in the offset field.
const DATA_INLINE: u32 = 0x8000_0000;
/// Most data one big-data segment carries.
const BIG_DATA_SEGMENT: usize = 16344;
/// First minor version whose hives store data longer than a segment as big data (`db`).
const FIRST_BIG_DATA_VERSION: u32 = 4;
/// Cell offset meaning "no cell".
const NO_CELL: u32 = u32::MAX;

/// A lookup in a hive failed because its structure is damaged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HiveError(pub String);

impl fmt::Display for HiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HiveError {}

/// Result of a hive lookup.
pub type HiveResult<T> = Result<T, HiveError>;

fn damaged<T>(message: String) -> HiveResult<T> {
    Err(HiveError(message))
}

/// Fails unless `bytes` are long enough to hold a base block.
fn require_base_block(bytes: HiveBytes<'_>) -> HiveResult<()> {
    match bytes.len() {
        len if len < BASE_BLOCK_SIZE => {
            damaged(format!("{len} bytes is shorter than a hive header (4096)"))
        }
        _ => Ok(()),
    }
}

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

/// Where a hive's bytes are: all in memory, or read page by page on demand.
#[derive(Clone, Copy)]
pub enum HiveBytes<'a> {
    /// The whole hive as one slice (a recovered copy, a test fixture, fuzz input).
    Memory(&'a [u8]),
    /// A hive whose pages are read when a lookup first needs them.
    Paged(&'a PagedHive<'a>),
}

impl<'a> HiveBytes<'a> {
    /// Length of the hive in bytes.
    pub fn len(self) -> usize {
        match self {
            HiveBytes::Memory(bytes) => bytes.len(),
            HiveBytes::Paged(hive) => hive.len(),
        }
    }

    /// Whether the hive has no bytes.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Bytes from `offset` on, at least to the end of its page; `None` when none can be read
    /// there (then [`HiveBytes::range`] tells why).
    pub fn rest(self, offset: usize) -> Option<&'a [u8]> {
        match self {
            HiveBytes::Memory(bytes) => bytes.get(offset..),
            HiveBytes::Paged(hive) => hive.rest_of_page(offset),
        }
    }

    /// The `len` bytes at file offset `offset`.
    pub fn range(self, offset: usize, len: usize) -> HiveResult<&'a [u8]> {
        match self {
            HiveBytes::Memory(bytes) => offset
                .checked_add(len)
                .and_then(|end| bytes.get(offset..end))
                .ok_or_else(|| {
                    HiveError(format!(
                        "{len} bytes at offset {offset:#x} run past the end of the hive ({} bytes)",
                        bytes.len()
                    ))
                }),
            HiveBytes::Paged(hive) => hive.range(offset, len),
        }
    }
}

/// A read-only view of one hive.
pub struct HiveView<'a> {
    bytes: HiveBytes<'a>,
    root: u32,
    big_data: bool,
    work_left: Cell<u64>,
}

impl<'a> HiveView<'a> {
    /// Opens a hive held in memory (see [`HiveView::new`]).
    pub fn open(bytes: &'a [u8]) -> HiveResult<Self> {
        Self::new(HiveBytes::Memory(bytes))
    }

    /// Opens a hive whose pages are read on demand (see [`HiveView::new`]).
    pub fn paged(hive: &'a PagedHive<'a>) -> HiveResult<Self> {
        Self::new(HiveBytes::Paged(hive))
    }

    /// Opens a hive whose pages are read on demand, with its base block parsed already (by
    /// discovery), so that the first page is not read again.
    pub fn paged_with_header(hive: &'a PagedHive<'a>, header: &BaseBlock) -> HiveResult<Self> {
        let bytes = HiveBytes::Paged(hive);
        require_base_block(bytes)?;
        Self::with_header(bytes, header)
    }

    /// Opens a hive without trusting its sequence numbers (dirty hives are read as they are;
    /// recovery happens before this).
    pub fn new(bytes: HiveBytes<'a>) -> HiveResult<Self> {
        require_base_block(bytes)?;
        let header = BaseBlock::parse(bytes.range(0, BASE_BLOCK_SIZE)?)
            .map_err(|e| HiveError(e.to_string()))?;
        Self::with_header(bytes, &header)
    }

    /// Opens `bytes`, at least a base block long, as the hive that `header` (its own base
    /// block) describes.
    fn with_header(bytes: HiveBytes<'a>, header: &BaseBlock) -> HiveResult<Self> {
        let root = header.root_cell_offset;
        if root == NO_CELL || BASE_BLOCK_SIZE + root as usize >= bytes.len() {
            return damaged(format!("root cell offset {root:#x} lies outside the hive"));
        }
        Ok(HiveView {
            bytes,
            root,
            big_data: header.minor_version >= FIRST_BIG_DATA_VERSION,
            work_left: Cell::new(WORK_BUDGET),
        })
    }

    /// Spends `units` of the view's [`WORK_BUDGET`], failing once it is used up.
    fn charge(&self, units: usize) -> HiveResult<()> {
        let left = self.work_left.get();
        let cost = units as u64 + 1;
        if cost > left {
            self.work_left.set(0);
            return damaged(format!(
                "hive needs more work than the budget of {WORK_BUDGET} units allows"
            ));
        }
        self.work_left.set(left - cost);
        Ok(())
    }

    /// The root key.
    pub fn root(&self) -> HiveResult<Key<'_, 'a>> {
        self.key_at(self.root)
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

    /// The data of the allocated cell at `offset` (counted from the first hive bin), without
    /// its size field.
    fn cell(&self, offset: u32) -> HiveResult<&'a [u8]> {
        if offset == NO_CELL {
            return damaged("a cell offset of 0xffffffff is used as a cell".to_string());
        }
        let at = BASE_BLOCK_SIZE + offset as usize;
        // One look at the page holding the cell usually yields the whole cell.
        let head = match self.bytes.rest(at) {
            Some(head) if head.len() >= 4 => head,
            _ => self.bytes.range(at, 4)?,
        };
        let size = i32::from_le_bytes(head[..4].try_into().expect("four bytes"));
        if size >= 0 {
            return damaged(format!(
                "the cell at offset {at:#x} is free (size field {size})"
            ));
        }
        let size = size.unsigned_abs() as usize;
        if size < 8 || !size.is_multiple_of(8) {
            return damaged(format!(
                "the cell at offset {at:#x} has an impossible size of {size} bytes"
            ));
        }
        match head.get(4..size) {
            Some(data) => Ok(data),
            None => self.bytes.range(at + 4, size - 4),
        }
    }

    /// The key node at cell `offset`.
    fn key_at(&self, offset: u32) -> HiveResult<Key<'_, 'a>> {
        let nk = record(self.cell(offset)?, NK_NAME.name_at, b"nk", offset)?;
        Ok(Key { view: self, nk })
    }

    /// The subkey list at cell `offset`; `ri` lists are accepted only where `roots` is set.
    fn subkey_list(&self, offset: u32, roots: bool) -> HiveResult<SubkeyList<'a>> {
        let cell = self.cell(offset)?;
        if cell.len() < 4 {
            return damaged(format!("subkey list at cell {offset:#x} has no header"));
        }
        let count = usize::from(u16::from_le_bytes([cell[2], cell[3]]));
        let kind = match &cell[0..2] {
            b"lf" => ListKind::Fast,
            b"lh" => ListKind::Hash,
            b"li" => ListKind::Index,
            b"ri" if roots => ListKind::Root,
            other => {
                return damaged(format!(
                    "subkey list at cell {offset:#x} has signature {other:?}, not lf, lh, li{}",
                    if roots { " or ri" } else { "" }
                ));
            }
        };
        let items = cell[4..].get(..count * kind.item_size()).ok_or_else(|| {
            HiveError(format!(
                "subkey list at cell {offset:#x} announces {count} entries but has room for fewer"
            ))
        })?;
        Ok(SubkeyList { kind, items, count })
    }

    /// The leaf an index root's entry points to; it must list at least one key.
    fn root_leaf(&self, offset: u32) -> HiveResult<SubkeyList<'a>> {
        let leaf = self.subkey_list(offset, false)?;
        if leaf.count == 0 {
            return damaged(format!("index-root leaf at cell {offset:#x} is empty"));
        }
        Ok(leaf)
    }

    /// The value record at cell `offset`.
    fn value_at(&self, offset: u32) -> HiveResult<ValueRecord<'a>> {
        Ok(ValueRecord {
            vk: record(self.cell(offset)?, VK_NAME.name_at, b"vk", offset)?,
        })
    }
}

/// Checks that `cell` holds a record of at least `header` bytes with `signature`.
fn record<'a>(
    cell: &'a [u8],
    header: usize,
    signature: &[u8; 2],
    offset: u32,
) -> HiveResult<&'a [u8]> {
    if cell.len() < header {
        return damaged(format!(
            "cell {offset:#x} is {} bytes, too short for a {} record",
            cell.len(),
            String::from_utf8_lossy(signature)
        ));
    }
    if &cell[0..2] != signature {
        return damaged(format!(
            "cell {offset:#x} has signature {:?} where {:?} was expected",
            String::from_utf8_lossy(&cell[0..2]),
            String::from_utf8_lossy(signature)
        ));
    }
    Ok(cell)
}

/// Where a record keeps its name: the offsets of the name's length (u16) and of the flags
/// (u16), the flag bit that marks a Latin-1 name (else UTF-16), and where the name starts.
struct NameLayout {
    length_at: usize,
    flags_at: usize,
    latin1_flag: u16,
    name_at: usize,
}

/// The name stored in `record` (at least `layout.name_at` bytes long) as `layout` describes.
fn stored_name<'a>(record: &'a [u8], layout: &NameLayout) -> HiveResult<NtHiveNameString<'a>> {
    let field = |at: usize| u16::from_le_bytes([record[at], record[at + 1]]);
    let length = usize::from(field(layout.length_at));
    let start = layout.name_at;
    let bytes = record.get(start..start + length).ok_or_else(|| {
        HiveError(format!(
            "a name of {length} bytes runs past the end of its {}-byte record",
            record.len()
        ))
    })?;
    Ok(if field(layout.flags_at) & layout.latin1_flag != 0 {
        NtHiveNameString::Latin1(bytes)
    } else {
        NtHiveNameString::Utf16LE(bytes)
    })
}

/// The kinds of subkey list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ListKind {
    /// `lf`: key offsets with the names' first four characters.
    Fast,
    /// `lh`: key offsets with a hash of each name.
    Hash,
    /// `li`: key offsets alone.
    Index,
    /// `ri`: offsets of further lists.
    Root,
}

impl ListKind {
    fn item_size(self) -> usize {
        match self {
            ListKind::Fast | ListKind::Hash => 8,
            ListKind::Index | ListKind::Root => 4,
        }
    }
}

/// A subkey list: its kind and its entries.
#[derive(Clone, Copy)]
struct SubkeyList<'a> {
    kind: ListKind,
    items: &'a [u8],
    count: usize,
}

impl SubkeyList<'_> {
    /// The cell offset in entry `index` (a key node, or for `ri` a leaf).
    fn offset(self, index: usize) -> u32 {
        read_u32(self.items, index * self.kind.item_size())
    }

    /// The hint stored in entry `index`, for lists that store one.
    fn hint(self, index: usize) -> Option<NameHint> {
        let at = index * 8 + 4;
        match self.kind {
            ListKind::Hash => Some(NameHint::Hash(read_u32(self.items, at))),
            ListKind::Fast => Some(NameHint::Prefix(
                self.items[at..at + 4].try_into().expect("four bytes"),
            )),
            ListKind::Index | ListKind::Root => None,
        }
    }
}

/// A value record (`vk`) found in a key's value list.
#[derive(Clone, Copy)]
struct ValueRecord<'a> {
    vk: &'a [u8],
}

impl<'a> ValueRecord<'a> {
    fn name(self) -> HiveResult<NtHiveNameString<'a>> {
        stored_name(self.vk, &VK_NAME)
    }
}

/// A key found in a hive.
#[derive(Clone)]
pub struct Key<'h, 'a> {
    view: &'h HiveView<'a>,
    nk: &'a [u8],
}

impl<'h, 'a> Key<'h, 'a> {
    /// The key's name as stored.
    pub fn name(&self) -> HiveResult<String> {
        Ok(self.stored_name()?.to_string_lossy())
    }

    fn stored_name(&self) -> HiveResult<NtHiveNameString<'a>> {
        stored_name(self.nk, &NK_NAME)
    }

    /// The key's last-write time as a Windows FILETIME.
    pub fn last_written(&self) -> Option<u64> {
        let filetime = read_u64(self.nk, 4);
        (filetime != 0).then_some(filetime)
    }

    /// The subkey called `name` (any letter case), if present.
    ///
    /// Found by binary search over the sorted subkey list, as Windows looks keys up: a key
    /// that an unsorted (damaged) list hides from Windows is not found here either. Where the
    /// list stores a hint per entry, an ASCII name is looked up as Windows does, by the hints
    /// first, so that only the key nodes the hints cannot rule out are read.
    pub fn subkey(&self, name: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        let Some(list) = self.subkey_list()? else {
            return Ok(None);
        };
        self.view.charge(name.len())?;
        match list.kind {
            ListKind::Hash if name.is_ascii() => self.find_by_hash(list, name),
            ListKind::Fast if name.is_ascii() => self.find_by_prefix(list, name),
            ListKind::Root => self.find_in_root(list, name),
            _ => self.find_in_leaf(list, name),
        }
    }

    /// The key's subkey list, or `None` when it has no subkeys.
    fn subkey_list(&self) -> HiveResult<Option<SubkeyList<'a>>> {
        match self.children(20, 28) {
            Some(offset) => self.view.subkey_list(offset, true).map(Some),
            None => Ok(None),
        }
    }

    /// Looks `name` (ASCII) up in a hash leaf as Windows does: only entries whose stored hash
    /// matches are read and their names compared, so a miss reads no key cell at all.
    fn find_by_hash(&self, leaf: SubkeyList<'a>, name: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        let wanted = NameHint::Hash(name_hash(name));
        for index in 0..leaf.count {
            if leaf.hint(index) != Some(wanted) {
                continue;
            }
            let key = self.nth_subkey(leaf, index)?;
            if key.order_against(name)? == Ordering::Equal {
                return Ok(Some(key));
            }
        }
        Ok(None)
    }

    /// Looks `name` (ASCII) up in a fast leaf by binary search over the names, as Windows
    /// does it: where an entry's hint (the name's first characters) already orders it against
    /// `name`, its key node is not read.
    fn find_by_prefix(&self, leaf: SubkeyList<'a>, name: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        let (mut left, mut right) = (0i64, leaf.count as i64 - 1);
        while left <= right {
            let mid = (left + right) / 2;
            let hinted = match leaf.hint(mid as usize) {
                Some(NameHint::Prefix(hint)) => prefix_order(hint, name),
                _ => None,
            };
            let order = match hinted {
                Some(order) => order,
                None => {
                    let key = self.nth_subkey(leaf, mid as usize)?;
                    match key.order_against(name)? {
                        Ordering::Equal => return Ok(Some(key)),
                        order => order,
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

    /// Binary search over a leaf by the names in its key nodes.
    fn find_in_leaf(&self, leaf: SubkeyList<'a>, name: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        let (mut left, mut right) = (0i64, leaf.count as i64 - 1);
        while left <= right {
            let mid = (left + right) / 2;
            let key = self.nth_subkey(leaf, mid as usize)?;
            match key.order_against(name)? {
                Ordering::Equal => return Ok(Some(key)),
                Ordering::Less => left = mid + 1,
                Ordering::Greater => right = mid - 1,
            }
        }
        Ok(None)
    }

    /// Binary search over an index root: a leaf whose first and last names bracket `name` is
    /// the only one that can hold it.
    fn find_in_root(&self, root: SubkeyList<'a>, name: &str) -> HiveResult<Option<Key<'h, 'a>>> {
        let (mut left, mut right) = (0i64, root.count as i64 - 1);
        while left <= right {
            let mid = (left + right) / 2;
            let leaf = self.view.root_leaf(root.offset(mid as usize))?;
            let first = self.nth_subkey(leaf, 0)?;
            match first.order_against(name)? {
                Ordering::Equal => return Ok(Some(first)),
                Ordering::Greater => {
                    right = mid - 1;
                    continue;
                }
                Ordering::Less => {}
            }
            let last = self.nth_subkey(leaf, leaf.count - 1)?;
            match last.order_against(name)? {
                Ordering::Equal => return Ok(Some(last)),
                Ordering::Less => left = mid + 1,
                Ordering::Greater => return self.find_in_leaf(leaf, name),
            }
        }
        Ok(None)
    }

    /// How this key's name orders against `name` (see [`order_names`]).
    fn order_against(&self, name: &str) -> HiveResult<Ordering> {
        Ok(order_names(&self.stored_name()?, name))
    }

    /// The key node of entry `index` of a leaf, charged to the work budget.
    fn nth_subkey(&self, leaf: SubkeyList<'a>, index: usize) -> HiveResult<Key<'h, 'a>> {
        self.view.charge(0)?;
        self.view.key_at(leaf.offset(index))
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
        let leaf = match self.subkey_list()? {
            Some(list) if matches!(list.kind, ListKind::Fast | ListKind::Hash) => list,
            _ => {
                let mut names = self.subkey_names()?;
                names.retain(|name| accepts(name));
                return Ok(names);
            }
        };
        let mut names = Vec::new();
        for index in 0..leaf.count.min(MAX_SUBKEYS) {
            let admitted = match leaf.hint(index) {
                Some(NameHint::Hash(hash)) => pattern.may_hash_to(hash),
                Some(NameHint::Prefix(hint)) => pattern.may_start_with(hint),
                None => true,
            };
            if !admitted {
                continue;
            }
            let name = self.nth_subkey(leaf, index)?.stored_name()?;
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

    /// Calls `visit` on each subkey, in stored order, until it returns `Ok(false)` or
    /// [`MAX_SUBKEYS`] have been visited.
    fn for_each_subkey(
        &self,
        mut visit: impl FnMut(Key<'h, 'a>) -> HiveResult<bool>,
    ) -> HiveResult<()> {
        let Some(list) = self.subkey_list()? else {
            return Ok(());
        };
        let mut left = MAX_SUBKEYS;
        let mut each = |key: Key<'h, 'a>| -> HiveResult<bool> {
            let name_len = key.stored_name().map_or(0, |name| name_bytes(&name).len());
            self.view.charge(name_len)?;
            left -= 1;
            Ok(visit(key)? && left > 0)
        };
        if list.kind != ListKind::Root {
            return self.walk_leaf(list, &mut each).map(drop);
        }
        for index in 0..list.count {
            let leaf = self.view.root_leaf(list.offset(index))?;
            if !self.walk_leaf(leaf, &mut each)? {
                break;
            }
        }
        Ok(())
    }

    /// Calls `visit` on each key of `leaf`; false when `visit` asked to stop.
    fn walk_leaf(
        &self,
        leaf: SubkeyList<'a>,
        visit: &mut impl FnMut(Key<'h, 'a>) -> HiveResult<bool>,
    ) -> HiveResult<bool> {
        for index in 0..leaf.count {
            if !visit(self.view.key_at(leaf.offset(index))?)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The value called `name` (any letter case; empty for the default value), if present.
    ///
    /// To look up several values of one key, walk its list once with [`Key::value_index`].
    pub fn value(&self, name: &str) -> HiveResult<Option<Value>> {
        self.value_index()?.get(name)
    }

    /// The key's value list, walked on demand and at most once, so that any number of values
    /// can be looked up by name without visiting an entry twice (at most [`MAX_SUBKEYS`]
    /// entries).
    pub fn value_index(&self) -> HiveResult<ValueIndex<'h, 'a>> {
        let list = self.value_list()?;
        Ok(ValueIndex {
            key: self.clone(),
            list,
            read: Vec::with_capacity(list.len() / 4),
            failure: None,
        })
    }

    /// The entries of the key's value list (cell offsets), empty when it has no values.
    fn value_list(&self) -> HiveResult<&'a [u8]> {
        let Some(offset) = self.children(36, 40) else {
            return Ok(&[]);
        };
        let count = read_u32(self.nk, 36) as usize;
        let cell = self.view.cell(offset)?;
        let entries = cell.get(..count.min(MAX_SUBKEYS) * 4);
        if count.checked_mul(4).is_none_or(|bytes| bytes > cell.len()) {
            return damaged(format!(
                "value list at cell {offset:#x} is too short for the {count} values announced"
            ));
        }
        Ok(entries.unwrap_or_default())
    }

    /// Whether `value` is called `name`, compared as Windows compares names (case-insensitive
    /// over the Basic Multilingual Plane) without allocating; the name is charged to the budget.
    fn named(&self, value: ValueRecord<'a>, name: &str) -> HiveResult<bool> {
        let stored = value.name()?;
        self.view.charge(name_bytes(&stored).len())?;
        Ok(same_name(&stored, name))
    }

    /// All values of the key, in stored order (at most [`MAX_SUBKEYS`]).
    pub fn values(&self) -> HiveResult<Vec<Value>> {
        let list = self.value_list()?;
        let mut values = Vec::with_capacity(list.len() / 4);
        for entry in list.chunks_exact(4) {
            self.view.charge(0)?;
            let record = self.view.value_at(read_u32(entry, 0))?;
            values.push(self.read_value(record)?);
        }
        Ok(values)
    }

    /// The offset of the key's list of children (subkeys: count at 20, list at 28; values:
    /// count at 36, list at 40), or `None` when it announces none.
    fn children(&self, count_at: usize, list_at: usize) -> Option<u32> {
        let list = read_u32(self.nk, list_at);
        (read_u32(self.nk, count_at) != 0 && list != NO_CELL).then_some(list)
    }

    fn read_value(&self, value: ValueRecord<'a>) -> HiveResult<Value> {
        let name = value.name()?.to_string_lossy();
        let vk = value.vk;
        let raw_size = read_u32(vk, 4);
        let data_offset = read_u32(vk, 8);
        let raw_type = read_u32(vk, 12);
        let size = (raw_size & !DATA_INLINE) as usize;
        if size > MAX_VALUE_SIZE {
            return damaged(format!("value {name:?} claims {size} bytes of data"));
        }
        self.view.charge(size)?;
        let data = if size == 0 {
            Vec::new()
        } else if raw_size & DATA_INLINE != 0 {
            inline_data(vk, size, &name)?
        } else if data_offset == NO_CELL {
            return damaged(format!("value {name:?} has no data cell"));
        } else if size > BIG_DATA_SEGMENT && self.view.big_data {
            self.big_data(data_offset, size)?
        } else {
            let cell = self.view.cell(data_offset)?;
            cell.get(..size)
                .ok_or_else(|| {
                    HiveError(format!(
                        "value {name:?} has {size} bytes of data in a {}-byte cell",
                        cell.len()
                    ))
                })?
                .to_vec()
        };
        Ok(Value {
            name,
            raw_type,
            data,
        })
    }

    /// Data stored in segments (`db`): the segments in order, each holding up to
    /// [`BIG_DATA_SEGMENT`] bytes; a list with too few segments gives the data it has.
    fn big_data(&self, offset: u32, size: usize) -> HiveResult<Vec<u8>> {
        let header = self.view.cell(offset)?;
        if header.len() < 8 || &header[0..2] != b"db" {
            return damaged(format!("big data at cell {offset:#x} has no db header"));
        }
        let count = usize::from(u16::from_le_bytes([header[2], header[3]]));
        if size > count * BIG_DATA_SEGMENT {
            return damaged(format!(
                "big data at cell {offset:#x} has {count} segments, too few for {size} bytes"
            ));
        }
        let list = self.view.cell(read_u32(header, 4))?;
        let segments = list.get(..count * 4).ok_or_else(|| {
            HiveError(format!(
                "big data at cell {offset:#x} lists {count} segments but has room for fewer"
            ))
        })?;
        let mut data = Vec::with_capacity(size);
        for entry in segments.chunks_exact(4) {
            let wanted = (size - data.len()).min(BIG_DATA_SEGMENT);
            if wanted == 0 {
                break;
            }
            let segment = self.view.cell(read_u32(entry, 0))?;
            data.extend_from_slice(segment.get(..wanted).ok_or_else(|| {
                HiveError(format!(
                    "big-data segment of {} bytes is shorter than the {wanted} it should hold",
                    segment.len()
                ))
            })?);
        }
        Ok(data)
    }
}

/// Data kept in a value record's offset field (at most four bytes).
fn inline_data(vk: &[u8], size: usize, name: &str) -> HiveResult<Vec<u8>> {
    if size > 4 {
        return damaged(format!(
            "value {name:?} claims {size} bytes of data inside its record (at most 4)"
        ));
    }
    Ok(vk[8..8 + size].to_vec())
}

/// The value list of one key, walked on demand (see [`Key::value_index`]).
pub struct ValueIndex<'h, 'a> {
    key: Key<'h, 'a>,
    /// The entries of the list not walked yet (cell offsets).
    list: &'a [u8],
    /// The entries walked so far, in stored order.
    read: Vec<ValueRecord<'a>>,
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
            return self.key.read_value(self.read[at]).map(Some);
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
        for (at, &value) in self.read.iter().enumerate() {
            if self.key.named(value, name)? {
                return Ok(Some(at));
            }
        }
        Ok(None)
    }

    /// Walks on until the value called `name`, keeping every entry passed.
    fn walk_to(&mut self, name: &str) -> HiveResult<Option<Value>> {
        while let Some((entry, rest)) = self.list.split_first_chunk::<4>() {
            self.list = rest;
            self.key.view.charge(0)?;
            let value = self.key.view.value_at(u32::from_le_bytes(*entry))?;
            let found = self.key.named(value, name)?;
            self.read.push(value);
            if found {
                return self.key.read_value(value).map(Some);
            }
        }
        Ok(None)
    }
}

/// How a stored name orders against `name`, as Windows orders names: code unit by code unit,
/// upper-cased (nt-hive's comparison), a name that is a prefix of the other first.
///
/// For a Latin-1 name and an ASCII one (nearly every lookup) this compares bytes: no Latin-1
/// character outside ASCII upper-cases into ASCII (all land above 0x7F), so such a character
/// orders after any ASCII one, and ASCII letters upper-case as ASCII.
fn order_names(stored: &NtHiveNameString<'_>, name: &str) -> Ordering {
    match stored {
        NtHiveNameString::Latin1(bytes) if name.is_ascii() => {
            let upper = |byte: &u8| {
                if byte.is_ascii() {
                    byte.to_ascii_uppercase()
                } else {
                    u8::MAX
                }
            };
            bytes
                .iter()
                .map(upper)
                .cmp(name.bytes().map(|b| b.to_ascii_uppercase()))
        }
        _ => stored.partial_cmp(name).unwrap_or(Ordering::Less),
    }
}

/// Whether a stored name equals `name` as [`order_names`] compares them; a Latin-1 name and an
/// ASCII one are compared byte by byte, ignoring ASCII case (a byte above 0x7F equals no ASCII
/// character in either comparison).
fn same_name(stored: &NtHiveNameString<'_>, name: &str) -> bool {
    match stored {
        NtHiveNameString::Latin1(bytes) if name.is_ascii() => {
            bytes.eq_ignore_ascii_case(name.as_bytes())
        }
        _ => order_names(stored, name) == Ordering::Equal,
    }
}

fn name_bytes<'n>(name: &NtHiveNameString<'n>) -> &'n [u8] {
    match name {
        NtHiveNameString::Latin1(bytes) | NtHiveNameString::Utf16LE(bytes) => bytes,
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
    use crate::hive::pages::copy_window;

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
    fn a_view_given_its_base_block_never_reads_the_first_page() {
        let hive = build_hive("SOFTWARE", &TestKey::new("ROOT").key("Alpha").key("Beta"));
        let header = BaseBlock::parse(&hive).unwrap();
        let first_page_read = std::cell::Cell::new(false);
        let paged = PagedHive::new(
            hive.len(),
            Box::new(|offset, window| {
                first_page_read.set(first_page_read.get() || offset < BASE_BLOCK_SIZE);
                copy_window(&hive, offset, window);
                Ok(())
            }),
        );
        let view = HiveView::paged_with_header(&paged, &header).unwrap();
        let names: Vec<String> = view.root().unwrap().subkey_names().unwrap();
        assert_eq!(names, ["Alpha", "Beta"]);
        assert!(view.key("beta").unwrap().is_some());
        assert!(!first_page_read.get());
        // Without the base block, the view reads it from the first page.
        HiveView::paged(&paged).unwrap();
        assert!(first_page_read.get());
    }

    #[test]
    fn a_base_block_whose_root_lies_outside_the_hive_is_refused() {
        let hive = build_hive("SOFTWARE", &TestKey::new("ROOT"));
        let mut header = BaseBlock::parse(&hive).unwrap();
        header.root_cell_offset = hive.len() as u32;
        let paged = PagedHive::new(
            hive.len(),
            Box::new(|offset, window| {
                copy_window(&hive, offset, window);
                Ok(())
            }),
        );
        let error = HiveView::paged_with_header(&paged, &header).err().unwrap();
        assert!(error.0.contains("lies outside the hive"), "{error}");
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
        let leaf = root.subkey_list().unwrap().unwrap();
        assert_eq!(leaf.kind, ListKind::Fast);
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
                .find_in_leaf(leaf, name)
                .unwrap()
                .map(|k| k.name().unwrap());
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
        let leaf = root.subkey_list().unwrap().unwrap();
        assert!(root.find_in_leaf(leaf, "Omega").is_err());
        assert_eq!(
            root.subkey("omega").unwrap().unwrap().name().unwrap(),
            "Omega"
        );
    }

    #[test]
    fn latin1_names_order_against_ascii_as_nt_hive_orders_them() {
        let stored: [&[u8]; 9] = [
            b"Software",
            b"SOFTWARE",
            b"soft",
            b"Softwarez",
            b"Sof\xe9",
            b"\xb5Mail",
            b"\xffx",
            b"",
            b"_x",
        ];
        let names = [
            "software",
            "Soft",
            "SOFTWAREZ",
            "Sof",
            "",
            "Z",
            "~",
            "_X",
            "mail",
        ];
        for bytes in stored {
            for name in names {
                let latin1 = NtHiveNameString::Latin1(bytes);
                assert_eq!(
                    order_names(&latin1, name),
                    latin1.partial_cmp(name).unwrap(),
                    "{bytes:?} against {name:?}"
                );
                assert_eq!(
                    same_name(&latin1, name),
                    latin1.partial_cmp(name) == Some(Ordering::Equal),
                    "{bytes:?} equal to {name:?}"
                );
            }
        }
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
