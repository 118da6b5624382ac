//! The regf base block: the first 4,096 bytes of every hive and transaction log.
//!
//! Only the first 512 bytes carry fields (the rest is reserved). Discovery uses this to recognise
//! hives by content, loading uses it to tell clean from dirty, and recovery uses it to choose and
//! order transaction logs. All integers are little-endian.

use std::fmt;

/// Size of the base block; hive bins start right after it.
pub const BASE_BLOCK_SIZE: usize = 4096;
/// Number of leading base-block bytes that carry fields.
pub const HEADER_SIZE: usize = 512;
/// Offset of the XOR-32 checksum, which covers the bytes before it.
pub const CHECKSUM_OFFSET: usize = 508;
/// Offset of the primary sequence number.
pub const PRIMARY_SEQUENCE_OFFSET: usize = 4;
/// Offset of the secondary sequence number.
pub const SECONDARY_SEQUENCE_OFFSET: usize = 8;
/// Offset of the file type (0 for a primary file).
pub const FILE_TYPE_OFFSET: usize = 28;
/// Offset of the hive bins data size.
pub const HIVE_BINS_SIZE_OFFSET: usize = 40;
/// Offset of the flags.
pub const FLAGS_OFFSET: usize = 144;
/// Offset and length of the embedded file name (UTF-16LE, last 31 characters of the path).
const EMBEDDED_NAME: std::ops::Range<usize> = 48..112;

/// What a regf file says it is (base-block field "file type" at offset 28).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    /// A primary hive file.
    Primary,
    /// A transaction log in the old (DIRT) format, written by XP to Windows 8.0.
    OldLog,
    /// A transaction log in the old format written by NT 4.0 and Windows 2000.
    OldLogNt,
    /// A transaction log in the new (HvLE) format, written by Windows 8.1 and later.
    NewLog,
    /// Any other value.
    Unknown(u32),
}

impl FileType {
    fn from_raw(raw: u32) -> Self {
        match raw {
            0 => FileType::Primary,
            1 => FileType::OldLog,
            2 => FileType::OldLogNt,
            6 => FileType::NewLog,
            other => FileType::Unknown(other),
        }
    }

    /// True for every kind of transaction log.
    pub fn is_log(self) -> bool {
        matches!(
            self,
            FileType::OldLog | FileType::OldLogNt | FileType::NewLog
        )
    }
}

/// Why a buffer is not a regf base block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseBlockError {
    /// Fewer bytes than the 512-byte header.
    TooShort(usize),
    /// The first four bytes are not `regf`.
    BadSignature([u8; 4]),
}

impl fmt::Display for BaseBlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BaseBlockError::TooShort(len) => {
                write!(f, "{len} bytes is too short for a regf base block")
            }
            BaseBlockError::BadSignature(sig) => {
                write!(f, "no regf signature (starts with {})", hex(sig))
            }
        }
    }
}

impl std::error::Error for BaseBlockError {}

/// The parsed fields of a base block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseBlock {
    /// Primary sequence number, incremented before a write.
    pub primary_sequence: u32,
    /// Secondary sequence number, set equal to the primary once a write completes.
    pub secondary_sequence: u32,
    /// Last-written time as a Windows FILETIME.
    pub last_written: u64,
    /// Format major version (1).
    pub major_version: u32,
    /// Format minor version (3 to 6).
    pub minor_version: u32,
    /// What the file is: primary hive or transaction log.
    pub file_type: FileType,
    /// Format (1 means "direct memory load", the only one Windows writes).
    pub file_format: u32,
    /// Offset of the root key cell, relative to the start of the hive bins.
    pub root_cell_offset: u32,
    /// Total size of the hive bins in bytes.
    pub hive_bins_size: u32,
    /// Clustering factor (1 is the only value Windows writes).
    pub clustering_factor: u32,
    /// Flags; bit 0 is set while a KTM transaction is pending.
    pub flags: u32,
    /// The last 31 characters of the path the hive was loaded from, as Windows stored them.
    pub embedded_name: String,
    /// The checksum stored at offset 508.
    pub stored_checksum: u32,
    /// The checksum computed over bytes 0..508.
    pub computed_checksum: u32,
}

impl BaseBlock {
    /// Parses the first 512 bytes of `bytes`. Needs only the header, not the whole file.
    pub fn parse(bytes: &[u8]) -> Result<Self, BaseBlockError> {
        if bytes.len() < HEADER_SIZE {
            return Err(BaseBlockError::TooShort(bytes.len()));
        }
        let signature: [u8; 4] = bytes[0..4].try_into().expect("four bytes");
        if &signature != b"regf" {
            return Err(BaseBlockError::BadSignature(signature));
        }
        Ok(BaseBlock {
            primary_sequence: read_u32(bytes, PRIMARY_SEQUENCE_OFFSET),
            secondary_sequence: read_u32(bytes, SECONDARY_SEQUENCE_OFFSET),
            last_written: read_u64(bytes, 12),
            major_version: read_u32(bytes, 20),
            minor_version: read_u32(bytes, 24),
            file_type: FileType::from_raw(read_u32(bytes, FILE_TYPE_OFFSET)),
            file_format: read_u32(bytes, 32),
            root_cell_offset: read_u32(bytes, 36),
            hive_bins_size: read_u32(bytes, HIVE_BINS_SIZE_OFFSET),
            clustering_factor: read_u32(bytes, 44),
            flags: read_u32(bytes, FLAGS_OFFSET),
            embedded_name: decode_embedded_name(&bytes[EMBEDDED_NAME]),
            stored_checksum: read_u32(bytes, CHECKSUM_OFFSET),
            computed_checksum: checksum(bytes),
        })
    }

    /// True when the stored checksum matches the header's content.
    pub fn checksum_ok(&self) -> bool {
        self.stored_checksum == self.computed_checksum
    }

    /// True when the sequence numbers agree.
    pub fn sequences_match(&self) -> bool {
        self.primary_sequence == self.secondary_sequence
    }

    /// A hive is dirty when a write was interrupted (sequence numbers differ) or its header is
    /// damaged (checksum wrong): its logs may then hold data the primary file lacks.
    pub fn is_dirty(&self) -> bool {
        !self.sequences_match() || !self.checksum_ok()
    }

    /// The version as Windows writes it, e.g. `1.5`.
    pub fn version(&self) -> String {
        format!("{}.{}", self.major_version, self.minor_version)
    }
}

/// The regf XOR-32 checksum of the first 508 bytes of `header` (which must hold at least 508).
///
/// Windows never stores 0 or 0xFFFFFFFF: they become 1 and 0xFFFFFFFE.
pub fn checksum(header: &[u8]) -> u32 {
    let sum = header[..CHECKSUM_OFFSET]
        .chunks_exact(4)
        .fold(0u32, |acc, word| {
            acc ^ u32::from_le_bytes(word.try_into().expect("four bytes"))
        });
    match sum {
        0 => 1,
        u32::MAX => u32::MAX - 1,
        other => other,
    }
}

/// Stores the checksum of the first 508 bytes of `header` (at least 512 bytes) at offset 508.
pub fn seal(header: &mut [u8]) {
    let sum = checksum(header);
    write_u32(header, CHECKSUM_OFFSET, sum);
}

/// Writes a little-endian u32 at `offset`; the caller guarantees the bounds.
pub fn write_u32(bytes: &mut [u8], offset: usize, value: u32) {
    bytes[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
}

/// Reads a little-endian u32 at `offset`, or `None` when the bytes are not all there.
pub fn get_u32(bytes: &[u8], offset: usize) -> Option<u32> {
    let word = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes(word.try_into().ok()?))
}

/// Reads a little-endian u64 at `offset`, or `None` when the bytes are not all there.
pub fn get_u64(bytes: &[u8], offset: usize) -> Option<u64> {
    let word = bytes.get(offset..offset.checked_add(8)?)?;
    Some(u64::from_le_bytes(word.try_into().ok()?))
}

/// Reads a little-endian u32 at `offset`; the caller guarantees the bounds.
pub fn read_u32(bytes: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(bytes[offset..offset + 4].try_into().expect("four bytes"))
}

/// Reads a little-endian u64 at `offset`; the caller guarantees the bounds.
pub fn read_u64(bytes: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(bytes[offset..offset + 8].try_into().expect("eight bytes"))
}

fn decode_embedded_name(raw: &[u8]) -> String {
    let units: Vec<u16> = raw
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .take_while(|&unit| unit != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal header as Windows writes it for a clean primary hive.
    pub(crate) fn header(seq1: u32, seq2: u32, name: &str) -> Vec<u8> {
        let mut bytes = vec![0u8; BASE_BLOCK_SIZE];
        bytes[0..4].copy_from_slice(b"regf");
        bytes[4..8].copy_from_slice(&seq1.to_le_bytes());
        bytes[8..12].copy_from_slice(&seq2.to_le_bytes());
        bytes[20..24].copy_from_slice(&1u32.to_le_bytes());
        bytes[24..28].copy_from_slice(&5u32.to_le_bytes());
        bytes[32..36].copy_from_slice(&1u32.to_le_bytes());
        bytes[36..40].copy_from_slice(&0x20u32.to_le_bytes());
        for (i, unit) in name.encode_utf16().enumerate() {
            bytes[48 + 2 * i..50 + 2 * i].copy_from_slice(&unit.to_le_bytes());
        }
        seal(&mut bytes);
        bytes
    }

    #[test]
    fn parses_a_clean_header() {
        let block = BaseBlock::parse(&header(7, 7, "SYSTEM")).unwrap();
        assert_eq!(block.embedded_name, "SYSTEM");
        assert_eq!(block.version(), "1.5");
        assert_eq!(block.file_type, FileType::Primary);
        assert!(block.checksum_ok());
        assert!(!block.is_dirty());
    }

    #[test]
    fn sequence_mismatch_is_dirty() {
        let block = BaseBlock::parse(&header(8, 7, "")).unwrap();
        assert!(block.checksum_ok());
        assert!(block.is_dirty());
    }

    #[test]
    fn damaged_checksum_is_dirty() {
        let mut bytes = header(3, 3, "SOFTWARE");
        bytes[100] ^= 0x40;
        let block = BaseBlock::parse(&bytes).unwrap();
        assert!(!block.checksum_ok());
        assert!(block.is_dirty());
    }

    #[test]
    fn rejects_short_and_foreign_input() {
        assert_eq!(
            BaseBlock::parse(&[0u8; 100]),
            Err(BaseBlockError::TooShort(100))
        );
        let mut bytes = header(1, 1, "");
        bytes[0..4].copy_from_slice(b"MZ\x90\x00");
        assert!(matches!(
            BaseBlock::parse(&bytes),
            Err(BaseBlockError::BadSignature(_))
        ));
    }

    #[test]
    fn checked_reads_refuse_short_input() {
        let bytes = [1u8, 0, 0, 0, 2];
        assert_eq!(get_u32(&bytes, 0), Some(1));
        assert_eq!(get_u32(&bytes, 2), None);
        assert_eq!(get_u32(&bytes, usize::MAX - 1), None);
        assert_eq!(get_u64(&bytes, 0), None);
    }

    #[test]
    fn seal_makes_a_header_valid() {
        let mut bytes = header(4, 4, "SAM");
        write_u32(&mut bytes, PRIMARY_SEQUENCE_OFFSET, 9);
        assert!(!BaseBlock::parse(&bytes).unwrap().checksum_ok());
        seal(&mut bytes);
        let block = BaseBlock::parse(&bytes).unwrap();
        assert!(block.checksum_ok());
        assert_eq!(block.primary_sequence, 9);
    }

    #[test]
    fn checksum_never_stores_zero_or_all_ones() {
        assert_eq!(checksum(&[0u8; 512]), 1);
        let mut ones = [0u8; 512];
        ones[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(checksum(&ones), u32::MAX - 1);
    }
}
