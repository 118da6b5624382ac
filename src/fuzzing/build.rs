//! A small, valid hive built in code: base block, one hive bin, and the nk, lf, vk, value-list
//! and data cells of a key tree. Tests and fuzz seeds start from it instead of from collected
//! evidence, so nothing real has to live in the repository.

use crate::hive::base_block::{BASE_BLOCK_SIZE, seal, write_u32};

/// Offset of the first cell inside a hive bin (after the 32-byte bin header).
const FIRST_CELL: usize = 0x20;
/// Size of a hive bin, and the unit the hive bins size is rounded to.
const BIN_ALIGN: usize = 4096;
/// nk flag: the root key of a hive.
const KEY_HIVE_ENTRY: u16 = 0x0004;
/// nk and vk flag: the name is stored as Latin-1, not UTF-16LE.
const COMPRESSED_NAME: u16 = 0x0020;
/// vk flag: the name is stored as Latin-1.
const VALUE_COMPRESSED_NAME: u16 = 0x0001;
/// A FILETIME (2024-01-01T00:00:00Z) stamped on every key.
pub const KEY_TIME: u64 = 133_485_408_000_000_000;

/// REG_SZ.
pub const REG_SZ: u32 = 1;
/// REG_BINARY.
pub const REG_BINARY: u32 = 3;
/// REG_DWORD.
pub const REG_DWORD: u32 = 4;

/// A key to build: its name, values and subkeys.
#[derive(Clone, Debug, Default)]
pub struct TestKey {
    /// The key name.
    pub name: String,
    /// Values, in stored order.
    pub values: Vec<TestValue>,
    /// Subkeys (stored sorted by upper-case name, as Windows keeps them).
    pub subkeys: Vec<TestKey>,
}

/// A value to build (data up to 16 KiB: big-data cells are not built).
#[derive(Clone, Debug)]
pub struct TestValue {
    /// The value name.
    pub name: String,
    /// The registry type code.
    pub raw_type: u32,
    /// The raw data.
    pub data: Vec<u8>,
}

impl TestKey {
    /// A key without values or subkeys.
    pub fn new(name: &str) -> Self {
        TestKey {
            name: name.to_string(),
            ..TestKey::default()
        }
    }

    /// Adds a REG_DWORD value at `path` (`Key\Sub\Value`, keys created as needed).
    pub fn dword(self, path: &str, number: u32) -> Self {
        self.value(path, REG_DWORD, number.to_le_bytes().to_vec())
    }

    /// Adds a REG_SZ value at `path`, stored as UTF-16LE with a terminating NUL.
    pub fn sz(self, path: &str, text: &str) -> Self {
        let units: Vec<u16> = text.encode_utf16().chain([0]).collect();
        self.sz_units(path, &units)
    }

    /// Adds a REG_SZ value at `path` from raw UTF-16 code units (which may be invalid UTF-16).
    pub fn sz_units(self, path: &str, units: &[u16]) -> Self {
        let data = units.iter().flat_map(|unit| unit.to_le_bytes()).collect();
        self.value(path, REG_SZ, data)
    }

    /// Adds a value of any type at `path`, creating the keys on the way.
    pub fn value(mut self, path: &str, raw_type: u32, data: Vec<u8>) -> Self {
        let (keys, name) = path.rsplit_once('\\').unwrap_or(("", path));
        self.key_at(keys).values.push(TestValue {
            name: name.to_string(),
            raw_type,
            data,
        });
        self
    }

    /// Adds the (empty) key at `path`, creating the keys on the way.
    pub fn key(mut self, path: &str) -> Self {
        self.key_at(path);
        self
    }

    fn key_at(&mut self, path: &str) -> &mut TestKey {
        let mut key = self;
        for part in path.split('\\').filter(|part| !part.is_empty()) {
            let index = match key.subkeys.iter().position(|k| k.name == part) {
                Some(index) => index,
                None => {
                    key.subkeys.push(TestKey::new(part));
                    key.subkeys.len() - 1
                }
            };
            key = &mut key.subkeys[index];
        }
        key
    }
}

/// Builds a clean hive (sequence numbers equal, checksum right) with `root` as its root key
/// and `embedded_name` as the file name stored in the base block.
pub fn build_hive(embedded_name: &str, root: &TestKey) -> Vec<u8> {
    let mut bins = Bins::default();
    let root_offset = bins.key(root, 0, true);
    let mut data = bins.finish();
    let mut hive = base_block(embedded_name, root_offset, data.len() as u32);
    hive.append(&mut data);
    hive
}

fn base_block(embedded_name: &str, root_offset: u32, bins_size: u32) -> Vec<u8> {
    let mut block = vec![0u8; BASE_BLOCK_SIZE];
    block[..4].copy_from_slice(b"regf");
    for (offset, value) in [(4, 1), (8, 1), (20, 1), (24, 5), (32, 1), (44, 1)] {
        write_u32(&mut block, offset, value);
    }
    block[12..20].copy_from_slice(&KEY_TIME.to_le_bytes());
    write_u32(&mut block, 36, root_offset);
    write_u32(&mut block, 40, bins_size);
    for (i, unit) in embedded_name.encode_utf16().take(31).enumerate() {
        block[48 + 2 * i..50 + 2 * i].copy_from_slice(&unit.to_le_bytes());
    }
    seal(&mut block);
    block
}

/// The cells of one hive bin, appended in order.
#[derive(Default)]
struct Bins {
    cells: Vec<u8>,
}

impl Bins {
    /// Appends a cell holding `data`; returns its offset relative to the hive bins.
    fn cell(&mut self, data: &[u8]) -> u32 {
        let offset = FIRST_CELL + self.cells.len();
        let size = (data.len() + 4).next_multiple_of(8);
        self.cells
            .extend_from_slice(&(-(size as i32)).to_le_bytes());
        self.cells.extend_from_slice(data);
        self.cells.resize(offset - FIRST_CELL + size, 0);
        offset as u32
    }

    /// Writes `key`, its values and its subkeys; returns the nk cell's offset.
    fn key(&mut self, key: &TestKey, parent: u32, is_root: bool) -> u32 {
        let (name, compressed) = encode_name(&key.name);
        let nk = self.cell(&vec![0u8; 76 + name.len()]);
        let value_list = self.values(&key.values);
        let mut subkeys: Vec<&TestKey> = key.subkeys.iter().collect();
        subkeys.sort_by_key(|k| k.name.to_uppercase());
        let children: Vec<(u32, &TestKey)> = subkeys
            .into_iter()
            .map(|child| (self.key(child, nk, false), child))
            .collect();
        let subkey_list = self.subkey_list(&children);
        let mut flags = if compressed { COMPRESSED_NAME } else { 0 };
        if is_root {
            flags |= KEY_HIVE_ENTRY;
        }
        let at = (nk as usize - FIRST_CELL) + 4;
        let record = &mut self.cells[at..at + 76 + name.len()];
        record[..2].copy_from_slice(b"nk");
        record[2..4].copy_from_slice(&flags.to_le_bytes());
        record[4..12].copy_from_slice(&KEY_TIME.to_le_bytes());
        let fields = [
            (16, parent),
            (20, children.len() as u32),
            (28, subkey_list),
            (32, u32::MAX),
            (36, key.values.len() as u32),
            (40, value_list),
            (44, u32::MAX),
            (48, u32::MAX),
        ];
        for (offset, value) in fields {
            write_u32(record, offset, value);
        }
        record[72..74].copy_from_slice(&(name.len() as u16).to_le_bytes());
        record[76..].copy_from_slice(&name);
        nk
    }

    /// An lf list of `children` (already sorted), or 0xFFFFFFFF when there are none.
    fn subkey_list(&mut self, children: &[(u32, &TestKey)]) -> u32 {
        if children.is_empty() {
            return u32::MAX;
        }
        let mut list = b"lf".to_vec();
        list.extend_from_slice(&(children.len() as u16).to_le_bytes());
        for (offset, child) in children {
            list.extend_from_slice(&offset.to_le_bytes());
            let mut hint = [0u8; 4];
            for (slot, byte) in hint.iter_mut().zip(child.name.bytes()) {
                *slot = byte;
            }
            list.extend_from_slice(&hint);
        }
        self.cell(&list)
    }

    /// The vk cells of `values` and their list, or 0xFFFFFFFF when there are none.
    fn values(&mut self, values: &[TestValue]) -> u32 {
        if values.is_empty() {
            return u32::MAX;
        }
        let offsets: Vec<u8> = values
            .iter()
            .flat_map(|value| self.value(value).to_le_bytes())
            .collect();
        self.cell(&offsets)
    }

    fn value(&mut self, value: &TestValue) -> u32 {
        let (name, compressed) = encode_name(&value.name);
        let size = value.data.len() as u32;
        let (size_field, data_field) = if value.data.len() <= 4 {
            let mut inline = [0u8; 4];
            inline[..value.data.len()].copy_from_slice(&value.data);
            (size | 0x8000_0000, u32::from_le_bytes(inline))
        } else {
            (size, self.cell(&value.data))
        };
        let mut record = vec![0u8; 20 + name.len()];
        record[..2].copy_from_slice(b"vk");
        record[2..4].copy_from_slice(&(name.len() as u16).to_le_bytes());
        write_u32(&mut record, 4, size_field);
        write_u32(&mut record, 8, data_field);
        write_u32(&mut record, 12, value.raw_type);
        let flags = if compressed { VALUE_COMPRESSED_NAME } else { 0 };
        record[16..18].copy_from_slice(&flags.to_le_bytes());
        record[20..].copy_from_slice(&name);
        self.cell(&record)
    }

    /// The hive bin: header, cells, and one free cell filling it up to a 4 KiB multiple.
    fn finish(mut self) -> Vec<u8> {
        let used = FIRST_CELL + self.cells.len();
        let size = (used + 8).next_multiple_of(BIN_ALIGN);
        let free = size - used;
        self.cells.extend_from_slice(&(free as i32).to_le_bytes());
        self.cells.resize(size - FIRST_CELL, 0);
        let mut bin = vec![0u8; FIRST_CELL];
        bin[..4].copy_from_slice(b"hbin");
        write_u32(&mut bin, 8, size as u32);
        bin[20..28].copy_from_slice(&KEY_TIME.to_le_bytes());
        bin.append(&mut self.cells);
        bin
    }
}

/// A name as stored: Latin-1 when every character fits (flag set), else UTF-16LE.
fn encode_name(name: &str) -> (Vec<u8>, bool) {
    if name.chars().all(|c| (c as u32) < 0x100) {
        (name.chars().map(|c| c as u8).collect(), true)
    } else {
        let bytes = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        (bytes, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hive::{BaseBlock, HiveView};

    #[test]
    fn built_hives_read_back() {
        let root = TestKey::new("ROOT")
            .dword(r"Select\Current", 2)
            .sz(
                r"ControlSet002\Control\ComputerName\ComputerName\ComputerName",
                "HOST-7",
            )
            .sz(r"Zeta\Ünïcode\Name", "x")
            .key(r"Alpha\Beta")
            .value(r"Big\Blob", REG_BINARY, vec![7; 5000]);
        let bytes = build_hive("SYSTEM", &root);
        let header = BaseBlock::parse(&bytes).unwrap();
        assert!(!header.is_dirty());
        assert_eq!(header.embedded_name, "SYSTEM");
        let view = HiveView::open(&bytes).unwrap();
        let names = view.root().unwrap().subkey_names().unwrap();
        assert_eq!(names, ["Alpha", "Big", "ControlSet002", "Select", "Zeta"]);
        let current = view
            .key("select")
            .unwrap()
            .unwrap()
            .value("CURRENT")
            .unwrap();
        assert_eq!(current.unwrap().data, 2u32.to_le_bytes());
        let path = r"ControlSet002\Control\ComputerName\ComputerName";
        let key = view.key(path).unwrap().unwrap();
        assert_eq!(key.last_written(), Some(KEY_TIME));
        assert_eq!(key.value("ComputerName").unwrap().unwrap().raw_type, REG_SZ);
        assert!(view.key(r"zeta\ÜNÏCODE").unwrap().is_some());
        let blob = view.key("Big").unwrap().unwrap().value("Blob").unwrap();
        assert_eq!(blob.unwrap().data.len(), 5000);
    }
}
