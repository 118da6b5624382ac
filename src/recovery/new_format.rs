//! Replay of new-format (HvLE) transaction logs, written by Windows 8.1 and later.
//!
//! Each log holds entries after its base block; an entry is accepted only if its signature,
//! size, hive bins size, page count, both Marvin32 hashes and sequence number (the log's first
//! sequence number, then one more per entry) are right and its page references stay inside the
//! entry and the hive bins. Replay stops at the first entry that fails; the entries before it
//! stay applied. With two logs, the one holding the earlier sequence numbers goes first.

use crate::hive::base_block::{BASE_BLOCK_SIZE, BaseBlock, HEADER_SIZE, get_u32, get_u64};

use super::Refusal;
use super::log_file::{ENTRY_HEADER_SIZE, HBIN_ALIGNMENT, LogFormat, ValidLog};
use super::marvin::{LOG_ENTRY_SEED, marvin32, marvin32_all};
use super::plan::{Replay, Writes};

/// Size of one page reference (offset and size, two u32) after the entry header.
const PAGE_REFERENCE_SIZE: usize = 8;

/// A validated log entry.
#[derive(Clone, Copy, Debug)]
struct Entry<'a> {
    /// The whole entry, `Size` bytes.
    bytes: &'a [u8],
    sequence: u32,
    flags: u32,
    hive_bins_size: u32,
    page_count: usize,
}

impl<'a> Entry<'a> {
    /// The entry's pages: offset relative to the hive bins, and bytes (validated to fit).
    fn pages(&self) -> impl Iterator<Item = (usize, &'a [u8])> + 'a {
        let bytes = self.bytes;
        let mut data = ENTRY_HEADER_SIZE + self.page_count * PAGE_REFERENCE_SIZE;
        (0..self.page_count).map_while(move |i| {
            let at = ENTRY_HEADER_SIZE + i * PAGE_REFERENCE_SIZE;
            let offset = get_u32(bytes, at)? as usize;
            let size = get_u32(bytes, at + 4)? as usize;
            let page = bytes.get(data..data.checked_add(size)?)?;
            data += size;
            Some((offset, page))
        })
    }
}

/// Why reading entries from a log ended.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stop {
    /// The normal end: no further entry, or an older entry left over from earlier use.
    End,
    /// A damaged or unexpected entry.
    Defect(String),
}

/// An entry whose header fields are valid, with where it lies and the sequence number it must
/// carry; its hashes and page references are not checked yet.
struct Framed<'a> {
    at: usize,
    expected: u32,
    entry: Entry<'a>,
}

/// Frames the entries from offset 512 on, the first expected to carry sequence number `first`
/// and each next one the number after. Framing ends at the first entry whose header is wrong,
/// with the reason replay would stop there.
fn frame_entries(log: &[u8], first: u32, max_hive_bins: u64) -> (Vec<Framed<'_>>, Stop) {
    let mut framed = Vec::new();
    let (mut at, mut expected) = (HEADER_SIZE, first);
    loop {
        match frame_entry(log, at, expected, max_hive_bins) {
            Ok(entry) => {
                let size = entry.bytes.len();
                framed.push(Framed {
                    at,
                    expected,
                    entry,
                });
                at += size;
                expected = expected.wrapping_add(1);
            }
            Err(stop) => return (framed, stop),
        }
    }
}

/// Reads the header of the entry at `at`, which must carry sequence number `expected` and may
/// not announce hive bins larger than `max_hive_bins`, and checks every field that comes
/// before the hashes.
fn frame_entry(
    log: &[u8],
    at: usize,
    expected: u32,
    max_hive_bins: u64,
) -> Result<Entry<'_>, Stop> {
    let rest = log.get(at..).unwrap_or_default();
    if rest.len() < ENTRY_HEADER_SIZE || &rest[..4] != b"HvLE" {
        return Err(Stop::End);
    }
    let field = |offset| get_u32(rest, offset).unwrap_or_default();
    let (size, flags, sequence) = (field(4), field(8), field(12));
    let (hive_bins_size, page_count) = (field(16), field(20));
    if sequence != expected && expected.wrapping_sub(sequence) as i32 > 0 {
        return Err(Stop::End);
    }
    let defect = |why: String| Err(Stop::Defect(format!("entry at offset {at}: {why}")));
    if size < HEADER_SIZE as u32 || size % HEADER_SIZE as u32 != 0 {
        return defect(format!("invalid size {size}"));
    }
    let Some(bytes) = rest.get(..size as usize) else {
        return defect(format!("size {size} runs past the end of the log"));
    };
    if hive_bins_size < HBIN_ALIGNMENT || hive_bins_size % HBIN_ALIGNMENT != 0 {
        return defect(format!("invalid hive bins size {hive_bins_size}"));
    }
    if BASE_BLOCK_SIZE as u64 + u64::from(hive_bins_size) > max_hive_bins {
        return defect(format!(
            "hive bins size {hive_bins_size} exceeds what the files hold"
        ));
    }
    let page_count = page_count as usize;
    if page_count == 0 || page_count > (bytes.len() - ENTRY_HEADER_SIZE) / PAGE_REFERENCE_SIZE {
        return defect(format!("invalid dirty page count {page_count}"));
    }
    Ok(Entry {
        bytes,
        sequence,
        flags,
        hive_bins_size,
        page_count,
    })
}

/// The Hash-1 of every framed entry: Marvin32 of everything after its 40-byte header.
fn body_hashes(framed: &[Framed<'_>]) -> Vec<u64> {
    let bodies: Vec<&[u8]> = framed
        .iter()
        .map(|framed| &framed.entry.bytes[ENTRY_HEADER_SIZE..])
        .collect();
    marvin32_all(LOG_ENTRY_SEED, &bodies)
}

/// The checks that follow framing, in order: both hashes (`body_hash` is the computed
/// Hash-1), the sequence number, and the page references.
fn accept(framed: &Framed<'_>, body_hash: u64) -> Result<(), Stop> {
    let (entry, at, expected) = (&framed.entry, framed.at, framed.expected);
    let defect = |why: String| Err(Stop::Defect(format!("entry at offset {at}: {why}")));
    if !hashes_match(entry.bytes, body_hash) {
        return defect("hash mismatch".into());
    }
    if entry.sequence != expected {
        let sequence = entry.sequence;
        return defect(format!("sequence number {sequence}, expected {expected}"));
    }
    check_pages(entry).or_else(defect)
}

/// Hash-2 covers the first 32 header bytes (including Hash-1); Hash-1, computed as
/// `body_hash`, covers everything after the 40-byte header.
fn hashes_match(entry: &[u8], body_hash: u64) -> bool {
    let stored_1 = get_u64(entry, 24);
    let stored_2 = get_u64(entry, 32);
    stored_2 == Some(marvin32(LOG_ENTRY_SEED, &entry[..32])) && stored_1 == Some(body_hash)
}

/// Every page must be a non-empty run of whole 512-byte sectors (Windows writes whole 4 KiB
/// pages) inside the entry and inside the hive bins the entry announces.
fn check_pages(entry: &Entry<'_>) -> Result<(), String> {
    let mut seen = 0;
    for (offset, page) in entry.pages() {
        seen += 1;
        if page.is_empty() || page.len() % HEADER_SIZE != 0 || offset % HEADER_SIZE != 0 {
            let size = page.len();
            return Err(format!(
                "page at {offset:#x} of {size} bytes is not sector-aligned"
            ));
        }
        let end = offset as u64 + page.len() as u64;
        if end > u64::from(entry.hive_bins_size) {
            return Err(format!("page at {offset:#x} lies outside the hive bins"));
        }
    }
    if seen != entry.page_count {
        return Err("dirty pages run past the end of the entry".into());
    }
    Ok(())
}

/// Replay state accumulated over one or two logs.
struct Replayer<'a> {
    writes: Writes<'a>,
    max_hive_bins: u64,
    applied: usize,
    sequences: Option<(u32, u32)>,
    flags: u32,
    hive_bins_size: u32,
    largest_hive_bins: u32,
    stopped: Option<String>,
    logs_used: Vec<String>,
}

impl<'a> Replayer<'a> {
    fn new(primary: &BaseBlock, max_hive_bins: u64) -> Self {
        Replayer {
            writes: Writes::default(),
            max_hive_bins,
            applied: 0,
            sequences: None,
            flags: primary.flags,
            hive_bins_size: primary.hive_bins_size,
            largest_hive_bins: 0,
            stopped: None,
            logs_used: Vec::new(),
        }
    }

    /// Applies the valid entries of `log`, in order; returns how many were applied.
    ///
    /// The entries are framed first and hashed together (two at a time), then checked and
    /// applied in order up to the first that fails, exactly as if each were read, hashed and
    /// checked in turn.
    fn replay(&mut self, log: &ValidLog<'a>) -> usize {
        self.flags = log.header.flags;
        let (framed, end) = frame_entries(log.bytes, log.sequence(), self.max_hive_bins);
        let mut stop = end;
        let mut count = 0;
        for (framed, body_hash) in framed.iter().zip(body_hashes(&framed)) {
            if let Err(defect) = accept(framed, body_hash) {
                stop = defect;
                break;
            }
            self.apply(&framed.entry);
            count += 1;
        }
        self.stopped = match stop {
            Stop::End => None,
            Stop::Defect(why) => Some(format!("{}: {why}", log.name)),
        };
        if count > 0 {
            self.logs_used.push(log.name.to_string());
        }
        count
    }

    fn apply(&mut self, entry: &Entry<'a>) {
        for (offset, page) in entry.pages() {
            self.writes.push(BASE_BLOCK_SIZE + offset, page);
        }
        self.applied += 1;
        self.flags = (self.flags & !1) | (entry.flags & 1);
        self.hive_bins_size = entry.hive_bins_size;
        self.largest_hive_bins = self.largest_hive_bins.max(entry.hive_bins_size);
        let first = self.sequences.map_or(entry.sequence, |(first, _)| first);
        self.sequences = Some((first, entry.sequence));
    }

    fn last_sequence(&self) -> Option<u32> {
        self.sequences.map(|(_, last)| last)
    }

    fn finish(self, base_header: &'a [u8], from_log: bool) -> Result<Replay<'a>, Refusal> {
        let Some(sequences) = self.sequences else {
            let why = self
                .stopped
                .unwrap_or_else(|| "no log entry to apply".into());
            return Err(Refusal::Invalid(format!("no valid log entry ({why})")));
        };
        Ok(Replay {
            format: LogFormat::New,
            logs_used: self.logs_used,
            entries_applied: self.applied,
            sequences,
            stopped: self.stopped,
            base_header,
            base_block_from_log: from_log,
            hive_bins_size: self.hive_bins_size,
            flags: self.flags,
            largest_hive_bins: self.largest_hive_bins,
            writes: self.writes,
        })
    }
}

/// True when sequence number `a` comes before `b`, allowing for wrap-around.
fn is_earlier(a: u32, b: u32) -> bool {
    (b.wrapping_sub(a) as i32) > 0
}

/// Replays one or two new-format logs onto a dirty primary.
///
/// With a valid primary base block, the earlier log applies if its first sequence number is at
/// least the primary's secondary one (otherwise only the later log is tried); the later log
/// then continues only if it starts right after the last entry applied. With a damaged primary
/// base block, only the later log applies and its base block replaces the primary's.
pub fn replay<'a>(
    primary: &'a [u8],
    header: &BaseBlock,
    logs: &[ValidLog<'a>],
    max_hive_bins: u64,
) -> Result<Replay<'a>, Refusal> {
    let mut ordered: Vec<&ValidLog<'a>> = logs.iter().collect();
    if let [a, b] = ordered[..]
        && is_earlier(b.sequence(), a.sequence())
    {
        ordered.swap(0, 1);
    }
    let mut replayer = Replayer::new(header, max_hive_bins);
    let Some(&newest) = ordered.last() else {
        return Err(Refusal::Invalid("no new-format log".into()));
    };
    if !header.checksum_ok() {
        replayer.replay(newest);
        return replayer.finish(newest.header_bytes(), true);
    }
    let eligible = |log: &ValidLog<'_>| log.sequence() >= header.secondary_sequence;
    let Some(start) = ordered.iter().position(|log| eligible(log)) else {
        return Err(Refusal::Stale(format!(
            "every new-format log starts before the hive's sequence number {} (logs: {})",
            header.secondary_sequence,
            describe_sequences(&ordered)
        )));
    };
    let mut logs_left = ordered[start..].iter();
    if let Some(first) = logs_left.next()
        && replayer.replay(first) > 0
        && let Some(next) = logs_left.next()
    {
        let continues = replayer.last_sequence().map(|s| s.wrapping_add(1));
        if continues == Some(next.sequence()) {
            replayer.replay(next);
        }
    }
    replayer.finish(primary.get(..HEADER_SIZE).unwrap_or_default(), false)
}

fn describe_sequences(logs: &[&ValidLog<'_>]) -> String {
    logs.iter()
        .map(|log| format!("{} at {}", log.name, log.sequence()))
        .collect::<Vec<_>>()
        .join(", ")
}
