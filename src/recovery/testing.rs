//! Builders of synthetic primaries and logs (new and old format), so that unit and property
//! tests can construct exactly the damage they need and the fuzz harnesses get seeds. Not part
//! of the supported API.

use crate::hive::base_block::{BASE_BLOCK_SIZE, HEADER_SIZE, seal, write_u32};

use super::marvin::{LOG_ENTRY_SEED, marvin32};

/// A base block of `size` bytes with the given sequence numbers, file type and hive bins size.
pub fn base_block(size: usize, seq1: u32, seq2: u32, file_type: u32, hbins: u32) -> Vec<u8> {
    let mut bytes = vec![0u8; size];
    bytes[..4].copy_from_slice(b"regf");
    for (offset, value) in [(4, seq1), (8, seq2), (20, 1), (24, 5), (28, file_type)] {
        write_u32(&mut bytes, offset, value);
    }
    for (offset, value) in [(32, 1), (36, 0x20), (40, hbins), (44, 1)] {
        write_u32(&mut bytes, offset, value);
    }
    seal(&mut bytes);
    bytes
}

/// A primary hive with `hbins` bytes of hive bins, each byte of which is 0xAA.
pub fn primary(seq1: u32, seq2: u32, hbins: u32) -> Vec<u8> {
    let mut bytes = base_block(BASE_BLOCK_SIZE, seq1, seq2, 0, hbins);
    bytes.resize(BASE_BLOCK_SIZE + hbins as usize, 0xAA);
    bytes
}

/// One HvLE entry with valid hashes; each page is `(offset in hive bins, bytes)`.
pub fn entry(sequence: u32, hbins: u32, pages: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = vec![0u8; 40];
    bytes[..4].copy_from_slice(b"HvLE");
    write_u32(&mut bytes, 12, sequence);
    write_u32(&mut bytes, 16, hbins);
    write_u32(&mut bytes, 20, pages.len() as u32);
    for (offset, page) in pages {
        bytes.extend_from_slice(&offset.to_le_bytes());
        bytes.extend_from_slice(&(page.len() as u32).to_le_bytes());
    }
    for (_, page) in pages {
        bytes.extend_from_slice(page);
    }
    bytes.resize(bytes.len().next_multiple_of(HEADER_SIZE), 0);
    let size = bytes.len() as u32;
    write_u32(&mut bytes, 4, size);
    rehash(&mut bytes);
    bytes
}

/// Recomputes both hashes of an entry after its bytes were changed.
pub fn rehash(entry: &mut [u8]) {
    let hash_1 = marvin32(LOG_ENTRY_SEED, &entry[40..]);
    entry[24..32].copy_from_slice(&hash_1.to_le_bytes());
    let hash_2 = marvin32(LOG_ENTRY_SEED, &entry[..32]);
    entry[32..40].copy_from_slice(&hash_2.to_le_bytes());
}

/// A new-format log whose base block carries `sequence`, followed by `entries`.
pub fn new_log(sequence: u32, hbins: u32, entries: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = base_block(HEADER_SIZE, sequence, sequence, 6, hbins);
    for entry in entries {
        bytes.extend_from_slice(entry);
    }
    bytes
}

/// An old-format log: base block, DIRT bitmap for `hbins`, then the 512-byte `pages` (by page
/// index, ascending) at the first sector boundary after the bitmap.
pub fn old_log(sequence: u32, timestamp: u64, hbins: u32, pages: &[(usize, u8)]) -> Vec<u8> {
    let mut bytes = base_block(HEADER_SIZE, sequence, sequence, 1, hbins);
    bytes[12..20].copy_from_slice(&timestamp.to_le_bytes());
    seal(&mut bytes);
    bytes.extend_from_slice(b"DIRT");
    let mut bitmap = vec![0u8; hbins as usize / 4096];
    for (index, _) in pages {
        bitmap[index / 8] |= 1 << (index % 8);
    }
    bytes.extend_from_slice(&bitmap);
    bytes.resize(bytes.len().next_multiple_of(HEADER_SIZE), 0);
    for (_, fill) in pages {
        bytes.extend(std::iter::repeat_n(*fill, HEADER_SIZE));
    }
    bytes
}

/// A page of `len` bytes all equal to `fill`.
pub fn page(len: usize, fill: u8) -> Vec<u8> {
    vec![fill; len]
}
