//! Replay of old-format (DIRT) transaction logs, written by Windows NT 4.0 to Windows 8.0.
//!
//! An old log holds a copy of the base block, a `DIRT` bitmap with one bit per 512-byte page of
//! the hive bins, and then the pages whose bits are set, in order, starting at the first
//! 512-byte boundary after the bitmap. It applies only if its base block is at least as recent
//! as the primary's. There are no hashes: a log whose pages are not all present is refused.

use crate::hive::base_block::{BASE_BLOCK_SIZE, BaseBlock, HEADER_SIZE, get_u64};

use super::Refusal;
use super::log_file::{LogFormat, ValidLog, old_layout};
use super::plan::{Replay, Writes};

/// Size of an old-format dirty page.
const PAGE: usize = HEADER_SIZE;
/// Offset of the timestamp inside a hive bin header.
const HBIN_TIMESTAMP_OFFSET: usize = 20;

/// The timestamp an old log must not predate: the base block's when its checksum is valid,
/// otherwise the first hive bin's.
fn primary_timestamp(primary: &[u8], header: &BaseBlock) -> Option<u64> {
    if header.checksum_ok() {
        return Some(header.last_written);
    }
    let bin = primary.get(BASE_BLOCK_SIZE..)?;
    (bin.get(..4)? == b"hbin").then(|| get_u64(bin, HBIN_TIMESTAMP_OFFSET))?
}

/// Replays the old-format `log` onto `primary`, whose hive bins may grow to `max_hive_bins`.
pub fn replay<'a>(
    primary: &'a [u8],
    header: &BaseBlock,
    log: &ValidLog<'a>,
    max_hive_bins: u64,
) -> Result<Replay<'a>, Refusal> {
    let Some(not_before) = primary_timestamp(primary, header) else {
        return Err(Refusal::Invalid(
            "damaged base block and no first hive bin to date the hive".into(),
        ));
    };
    if log.header.last_written < not_before {
        return Err(Refusal::Stale(format!(
            "{} was written before the hive (timestamp {:#x} < {:#x})",
            log.name, log.header.last_written, not_before
        )));
    }
    let hive_bins_size = log.header.hive_bins_size;
    if BASE_BLOCK_SIZE as u64 + u64::from(hive_bins_size) > max_hive_bins {
        return Err(Refusal::Invalid(format!(
            "{}: hive bins size {hive_bins_size} exceeds what the files hold",
            log.name
        )));
    }
    let layout = old_layout(log).map_err(|why| Refusal::Invalid(format!("{}: {why}", log.name)))?;
    let mut writes = Writes::default();
    let mut source = layout.pages_start;
    for index in set_bits(layout.bitmap) {
        let Some(page) = log.bytes.get(source..source + PAGE) else {
            return Err(Refusal::Invalid(format!(
                "{}: dirty page {index} is missing (log truncated)",
                log.name
            )));
        };
        writes.push(BASE_BLOCK_SIZE + index * PAGE, page);
        source += PAGE;
    }
    let sequence = log.sequence();
    Ok(Replay {
        format: LogFormat::Old,
        logs_used: vec![log.name.to_string()],
        entries_applied: (source - layout.pages_start) / PAGE,
        sequences: (sequence, sequence),
        stopped: None,
        base_header: log.header_bytes(),
        base_block_from_log: true,
        hive_bins_size,
        flags: log.header.flags,
        largest_hive_bins: hive_bins_size,
        writes,
    })
}

/// Indexes of the set bits of `bitmap`, least significant bit of each byte first.
fn set_bits(bitmap: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bitmap.iter().enumerate().flat_map(|(byte_index, &byte)| {
        (0..8)
            .filter(move |bit| byte & (1 << bit) != 0)
            .map(move |bit| byte_index * 8 + bit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_read_least_significant_first() {
        let bits: Vec<usize> = set_bits(&[0b1000_0001, 0, 0b0000_0010]).collect();
        assert_eq!(bits, vec![0, 7, 17]);
    }
}
