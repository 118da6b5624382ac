//! Transaction log files as inputs: what role a file plays (`.LOG`, `.LOG1`, `.LOG2`), and
//! whether its base block makes it a usable log of the new (HvLE) or old (DIRT) format.
//!
//! Only the 512-byte log base block and, for the old format, the dirty vector are examined
//! here; entries and pages are validated when a plan is built.

use crate::hive::base_block::{BaseBlock, FileType, HEADER_SIZE};

/// Hive bins are allocated in multiples of this size.
pub const HBIN_ALIGNMENT: u32 = 4096;
/// Size of a new-format log entry header (the fixed part before the page references).
pub const ENTRY_HEADER_SIZE: usize = 40;

/// The part a log file plays, taken from its extension (any letter case).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogRole {
    /// `.LOG`: single logging (Windows NT 4.0 to XP), or any other name.
    Single,
    /// `.LOG1`: the first file of dual logging.
    Log1,
    /// `.LOG2`: the second file of dual logging.
    Log2,
}

impl LogRole {
    /// The role a file name announces.
    pub fn of(name: &str) -> LogRole {
        let upper = name.to_ascii_uppercase();
        if upper.ends_with(".LOG1") {
            LogRole::Log1
        } else if upper.ends_with(".LOG2") {
            LogRole::Log2
        } else {
            LogRole::Single
        }
    }

    /// True for `.LOG1` and `.LOG2`.
    pub fn is_dual(self) -> bool {
        self != LogRole::Single
    }
}

/// Which log format a file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Windows 8.1 and later: a base block followed by `HvLE` entries.
    New,
    /// Windows XP to 8.0 (and NT 4.0/2000): a base block, a `DIRT` bitmap and dirty pages.
    Old,
}

impl LogFormat {
    /// How reports name the format.
    pub fn label(self) -> &'static str {
        match self {
            LogFormat::New => "new-format (HvLE)",
            LogFormat::Old => "old-format (DIRT)",
        }
    }
}

/// A log whose base block passed validation.
#[derive(Clone, Debug)]
pub struct ValidLog<'a> {
    /// The file name, as given.
    pub name: &'a str,
    /// The role its name announces.
    pub role: LogRole,
    /// Its format.
    pub format: LogFormat,
    /// Its parsed base block.
    pub header: BaseBlock,
    /// The whole file.
    pub bytes: &'a [u8],
}

impl<'a> ValidLog<'a> {
    /// The sequence number of the first entry the log holds (its base block's primary one).
    pub fn sequence(&self) -> u32 {
        self.header.primary_sequence
    }

    /// The log's 512-byte base block.
    pub fn header_bytes(&self) -> &'a [u8] {
        self.bytes.get(..HEADER_SIZE).unwrap_or_default()
    }
}

/// Checks a log's base block, as the regf specification requires before any use: a `regf`
/// signature, a valid checksum, equal sequence numbers (a log's own base block is never
/// dirty), version 1.x, format 1, clustering factor 1, an aligned hive bins size, a log file
/// type, and room for at least one entry (new format) or one dirty page (old format).
pub fn validate<'a>(name: &'a str, bytes: &'a [u8]) -> Result<ValidLog<'a>, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    let header = BaseBlock::parse(bytes).map_err(|e| e.to_string())?;
    check_header_fields(&header)?;
    let format = match header.file_type {
        FileType::NewLog => LogFormat::New,
        FileType::OldLog | FileType::OldLogNt => LogFormat::Old,
        other => return Err(format!("file type {other:?} is not a transaction log")),
    };
    let log = ValidLog {
        name,
        role: LogRole::of(name),
        format,
        header,
        bytes,
    };
    match format {
        LogFormat::New if bytes.len() <= HEADER_SIZE + ENTRY_HEADER_SIZE => {
            Err("too short to hold a log entry".into())
        }
        LogFormat::Old => old_layout(&log).map(|_| log),
        LogFormat::New => Ok(log),
    }
}

fn check_header_fields(header: &BaseBlock) -> Result<(), String> {
    if !header.checksum_ok() {
        return Err("base block checksum mismatch".into());
    }
    if !header.sequences_match() {
        return Err(format!(
            "base block sequence numbers differ ({}/{})",
            header.primary_sequence, header.secondary_sequence
        ));
    }
    if header.major_version != 1 || !(1..=6).contains(&header.minor_version) {
        return Err(format!("unsupported version {}", header.version()));
    }
    if header.file_format != 1 || header.clustering_factor != 1 {
        return Err(format!(
            "unsupported format {} or clustering factor {}",
            header.file_format, header.clustering_factor
        ));
    }
    let size = header.hive_bins_size;
    if size < HBIN_ALIGNMENT || !size.is_multiple_of(HBIN_ALIGNMENT) {
        return Err(format!("invalid hive bins size {size}"));
    }
    Ok(())
}

/// Where an old-format log keeps its dirty vector and pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OldLayout<'a> {
    /// One bit per 512-byte page of the hive bins, least significant bit first.
    pub bitmap: &'a [u8],
    /// Offset of the first dirty page in the log: the first 512-byte boundary after the bitmap.
    pub pages_start: usize,
}

/// Locates the `DIRT` vector and the dirty pages of an old-format log.
pub fn old_layout<'a>(log: &ValidLog<'a>) -> Result<OldLayout<'a>, String> {
    let bitmap_len = (log.header.hive_bins_size / HBIN_ALIGNMENT) as usize;
    let bitmap_start = HEADER_SIZE + 4;
    if log.bytes.get(HEADER_SIZE..bitmap_start) != Some(b"DIRT".as_slice()) {
        return Err("no DIRT signature after the base block".into());
    }
    let bitmap_end = bitmap_start + bitmap_len;
    let bitmap = log
        .bytes
        .get(bitmap_start..bitmap_end)
        .ok_or("dirty vector truncated")?;
    let pages_start = bitmap_end.next_multiple_of(HEADER_SIZE);
    if log.bytes.len() < pages_start + HEADER_SIZE {
        return Err("no room for a dirty page".into());
    }
    Ok(OldLayout {
        bitmap,
        pages_start,
    })
}
