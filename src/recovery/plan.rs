//! A recovery plan: everything replaying the logs will change, computed before any byte of the
//! hive is copied, and the code that applies it to a buffer.
//!
//! Page writes are collected in log order while entries are validated; [`Writes::finish`]
//! then keeps, for every byte, only the last version written, so applying a plan copies each
//! changed byte exactly once, straight from the log that holds its final version.

use std::collections::BTreeMap;

use crate::hive::base_block::{
    BASE_BLOCK_SIZE, FILE_TYPE_OFFSET, FLAGS_OFFSET, HEADER_SIZE, HIVE_BINS_SIZE_OFFSET,
    PRIMARY_SEQUENCE_OFFSET, SECONDARY_SEQUENCE_OFFSET, seal, write_u32,
};

use super::log_file::LogFormat;

/// Bytes taken from a log and where they go in the recovered hive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Patch<'a> {
    /// File offset in the recovered hive.
    pub offset: usize,
    /// The bytes to put there.
    pub bytes: &'a [u8],
}

/// Page writes in the order the logs make them.
#[derive(Debug, Default)]
pub struct Writes<'a> {
    ordered: Vec<Patch<'a>>,
}

impl<'a> Writes<'a> {
    /// Records that `bytes` go to file offset `offset`, replacing anything written before.
    pub fn push(&mut self, offset: usize, bytes: &'a [u8]) {
        if !bytes.is_empty() {
            self.ordered.push(Patch { offset, bytes });
        }
    }

    /// The final version of every written byte, as non-overlapping patches sorted by offset.
    pub fn finish(self) -> Vec<Patch<'a>> {
        let mut covered = Coverage::default();
        let mut patches = Vec::new();
        for write in self.ordered.iter().rev() {
            let end = write.offset + write.bytes.len();
            for (start, stop) in covered.claim(write.offset, end) {
                let from = start - write.offset;
                patches.push(Patch {
                    offset: start,
                    bytes: &write.bytes[from..from + (stop - start)],
                });
            }
        }
        patches.sort_by_key(|patch| patch.offset);
        patches
    }
}

/// Disjoint byte ranges already taken by later writes (start → end, merged when touching).
#[derive(Debug, Default)]
struct Coverage {
    ranges: BTreeMap<usize, usize>,
}

impl Coverage {
    /// Marks `start..end` as covered and returns the parts of it that were not covered before.
    fn claim(&mut self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let mut free = Vec::new();
        let mut cursor = start;
        let mut merged_start = start;
        let mut merged_end = end;
        let first = self
            .ranges
            .range(..=start)
            .next_back()
            .filter(|range| *range.1 >= start)
            .map(|(&begin, _)| begin)
            .unwrap_or(start);
        let overlapping: Vec<(usize, usize)> = self
            .ranges
            .range(first..=end)
            .map(|(&begin, &stop)| (begin, stop))
            .collect();
        for (begin, stop) in overlapping {
            self.ranges.remove(&begin);
            if begin > cursor {
                free.push((cursor, begin.min(end)));
            }
            cursor = cursor.max(stop);
            merged_start = merged_start.min(begin);
            merged_end = merged_end.max(stop);
        }
        if cursor < end {
            free.push((cursor, end));
        }
        self.ranges.insert(merged_start, merged_end);
        free
    }
}

/// What replaying the logs will do, computed from the primary's header and the logs alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan<'a> {
    /// The log format replayed.
    pub format: LogFormat,
    /// Names of the logs whose data was applied, in the order applied.
    pub logs_used: Vec<String>,
    /// New format: log entries applied. Old format: dirty 512-byte pages applied.
    pub entries_applied: usize,
    /// First and last sequence number applied (old format: the log's sequence number twice).
    pub sequences: (u32, u32),
    /// Why replay stopped before the end of the last log, when a damaged or unexpected entry
    /// (not the normal end of the log) stopped it.
    pub stopped: Option<String>,
    /// Size of the recovered file in bytes.
    pub new_size: usize,
    /// Whether the base block came from a log because the primary's checksum was wrong.
    pub base_block_from_log: bool,
    header: Vec<u8>,
    patches: Vec<Patch<'a>>,
}

/// The parts of a plan decided by the format-specific replay.
#[derive(Debug)]
pub struct Replay<'a> {
    /// The log format replayed.
    pub format: LogFormat,
    /// Names of the logs applied.
    pub logs_used: Vec<String>,
    /// Entries (new) or pages (old) applied.
    pub entries_applied: usize,
    /// First and last sequence number applied.
    pub sequences: (u32, u32),
    /// Why replay stopped early, if it did.
    pub stopped: Option<String>,
    /// The 512-byte base block to start from (the primary's, or a log's).
    pub base_header: &'a [u8],
    /// Whether `base_header` is a log's.
    pub base_block_from_log: bool,
    /// Final hive bins size.
    pub hive_bins_size: u32,
    /// Final base-block flags.
    pub flags: u32,
    /// Largest hive bins size any applied entry announced (the file never shrinks).
    pub largest_hive_bins: u32,
    /// The page writes.
    pub writes: Writes<'a>,
}

impl<'a> Plan<'a> {
    /// Builds the plan for `replay` onto a primary file of `primary_len` bytes.
    pub fn new(replay: Replay<'a>, primary_len: usize) -> Plan<'a> {
        let sequence = replay.sequences.1;
        let header = finalise_header(
            replay.base_header,
            sequence,
            replay.hive_bins_size,
            replay.flags,
        );
        let grown = BASE_BLOCK_SIZE + replay.largest_hive_bins as usize;
        Plan {
            format: replay.format,
            logs_used: replay.logs_used,
            entries_applied: replay.entries_applied,
            sequences: replay.sequences,
            stopped: replay.stopped,
            new_size: primary_len.max(grown),
            base_block_from_log: replay.base_block_from_log,
            header,
            patches: replay.writes.finish(),
        }
    }

    /// The recovered hive as a new buffer: a copy of `primary` (zero-filled up to the new size),
    /// the final version of every logged page, and the finalised base block.
    pub fn apply(&self, primary: &[u8]) -> Vec<u8> {
        let mut buffer = vec![0u8; self.new_size];
        let kept = primary.len().min(self.new_size);
        buffer[..kept].copy_from_slice(&primary[..kept]);
        self.apply_in_place(&mut buffer);
        buffer
    }

    /// Applies the plan onto a buffer that already holds the primary's bytes (for instance a
    /// copy-on-write mapping of the primary file, so that only changed pages are copied).
    /// Returns false, changing nothing, when `buffer` is shorter than [`Plan::new_size`].
    pub fn apply_in_place(&self, buffer: &mut [u8]) -> bool {
        if buffer.len() < self.new_size {
            return false;
        }
        for patch in &self.patches {
            if let Some(target) = buffer.get_mut(patch.offset..patch.offset + patch.bytes.len()) {
                target.copy_from_slice(patch.bytes);
            }
        }
        buffer[..HEADER_SIZE].copy_from_slice(&self.header);
        true
    }

    /// Writes what the plan changes within `window`, which holds the primary's bytes from file
    /// offset `offset` (zero past its end): the same bytes [`Plan::apply`] puts there (which
    /// drops a write reaching past [`Plan::new_size`]), so a recovered hive can be read page
    /// by page without ever being built whole.
    pub fn patch_window(&self, offset: usize, window: &mut [u8]) {
        let end = offset.saturating_add(window.len());
        let first = self
            .patches
            .partition_point(|patch| patch.offset + patch.bytes.len() <= offset);
        for patch in self.patches[first..]
            .iter()
            .take_while(|patch| patch.offset < end)
            .filter(|patch| patch.offset + patch.bytes.len() <= self.new_size)
        {
            let from = patch.offset.max(offset);
            let to = (patch.offset + patch.bytes.len()).min(end);
            window[from - offset..to - offset]
                .copy_from_slice(&patch.bytes[from - patch.offset..to - patch.offset]);
        }
        if offset < HEADER_SIZE {
            let to = HEADER_SIZE.min(end);
            window[..to - offset].copy_from_slice(&self.header[offset..to]);
        }
    }

    /// Number of bytes the plan copies from the logs.
    pub fn bytes_patched(&self) -> usize {
        self.patches.iter().map(|patch| patch.bytes.len()).sum()
    }
}

/// The base block of the recovered hive: `base` (512 bytes) with both sequence numbers set to
/// `sequence`, the final hive bins size and flags, file type 0 (primary), and a new checksum.
pub fn finalise_header(base: &[u8], sequence: u32, hive_bins_size: u32, flags: u32) -> Vec<u8> {
    let mut header = vec![0u8; HEADER_SIZE];
    let kept = base.len().min(HEADER_SIZE);
    header[..kept].copy_from_slice(&base[..kept]);
    write_u32(&mut header, PRIMARY_SEQUENCE_OFFSET, sequence);
    write_u32(&mut header, SECONDARY_SEQUENCE_OFFSET, sequence);
    write_u32(&mut header, HIVE_BINS_SIZE_OFFSET, hive_bins_size);
    write_u32(&mut header, FLAGS_OFFSET, flags);
    write_u32(&mut header, FILE_TYPE_OFFSET, 0);
    seal(&mut header);
    header
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hive::base_block::{BaseBlock, FileType};

    #[test]
    fn later_writes_win_and_only_final_bytes_remain() {
        let first = [1u8; 8];
        let second = [2u8; 4];
        let third = [3u8; 2];
        let mut writes = Writes::default();
        writes.push(100, &first);
        writes.push(102, &second);
        writes.push(107, &third);
        let patches = writes.finish();
        let mut buffer = [0u8; 110];
        for patch in &patches {
            buffer[patch.offset..patch.offset + patch.bytes.len()].copy_from_slice(patch.bytes);
        }
        assert_eq!(&buffer[100..109], &[1, 1, 2, 2, 2, 2, 1, 3, 3]);
        let total: usize = patches.iter().map(|p| p.bytes.len()).sum();
        assert_eq!(total, 9, "every byte is copied once");
        assert!(
            patches
                .windows(2)
                .all(|w| w[0].offset + w[0].bytes.len() <= w[1].offset)
        );
    }

    #[test]
    fn windows_hold_what_applying_the_whole_plan_gives() {
        let bytes: Vec<u8> = (0..8192u32).map(|i| (i % 253) as u8).collect();
        let mut writes = Writes::default();
        writes.push(4096 + 100, &bytes[..10]);
        writes.push(4096 + 4000, &bytes[..200]);
        writes.push(20480, &bytes[..4096]);
        writes.push(20480 + 50, &bytes[7..20]);
        writes.push(40960 - 512, &bytes[..1024]);
        let plan = Plan {
            format: LogFormat::New,
            logs_used: Vec::new(),
            entries_applied: 1,
            sequences: (1, 1),
            stopped: None,
            new_size: 40960,
            base_block_from_log: false,
            header: vec![0x5A; HEADER_SIZE],
            patches: writes.finish(),
        };
        // The primary is shorter than the plan's result: the rest reads as zeros.
        let primary = vec![0xEEu8; 32768];
        let whole = plan.apply(&primary);
        for window_size in [512, 4096, 3 * 4096] {
            for offset in (0..whole.len()).step_by(window_size) {
                let mut window = vec![0u8; window_size.min(whole.len() - offset)];
                crate::hive::pages::copy_window(&primary, offset, &mut window);
                plan.patch_window(offset, &mut window);
                assert_eq!(window, whole[offset..offset + window.len()], "{offset}");
            }
        }
    }

    #[test]
    fn coverage_merges_touching_ranges() {
        let mut coverage = Coverage::default();
        assert_eq!(coverage.claim(10, 20), vec![(10, 20)]);
        assert_eq!(coverage.claim(30, 40), vec![(30, 40)]);
        assert_eq!(coverage.claim(5, 45), vec![(5, 10), (20, 30), (40, 45)]);
        assert_eq!(coverage.claim(0, 50), vec![(0, 5), (45, 50)]);
        assert_eq!(coverage.ranges.len(), 1);
    }

    #[test]
    fn finalised_header_is_a_clean_primary() {
        let mut base = vec![0u8; HEADER_SIZE];
        base[..4].copy_from_slice(b"regf");
        write_u32(&mut base, PRIMARY_SEQUENCE_OFFSET, 9);
        write_u32(&mut base, SECONDARY_SEQUENCE_OFFSET, 8);
        write_u32(&mut base, FILE_TYPE_OFFSET, 6);
        let header = finalise_header(&base, 12, 8192, 1);
        let block = BaseBlock::parse(&header).unwrap();
        assert!(!block.is_dirty());
        assert_eq!(block.primary_sequence, 12);
        assert_eq!(block.hive_bins_size, 8192);
        assert_eq!(block.flags, 1);
        assert_eq!(block.file_type, FileType::Primary);
    }
}
