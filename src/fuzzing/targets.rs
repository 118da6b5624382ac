//! The harness functions: one per reader of untrusted bytes. Each returns normally on any
//! input and panics only on a bug in hiveaudit.

use crate::hive::pages::copy_window;
use crate::hive::reader::panics_outside_nt_hive;
use crate::hive::{
    BaseBlock, HiveBytes, HiveKind, HiveResult, HiveView, Key, PagedHive, guarded, kind,
};
use crate::load::dirty_reason;
use crate::recovery::{self, LogInput, Recovery};

/// Keys the full-tree walk of [`extract`] visits at most, so that a cyclic tree costs a
/// bounded time per input.
const WALK_KEYS: usize = 10_000;
/// Depth the full-tree walk descends to at most.
const WALK_DEPTH: usize = 64;
/// Names the recovery harness gives its logs, in order.
const LOG_NAMES: [&str; 2] = ["h.LOG1", "h.LOG2"];

/// A harness: runs one reader over arbitrary bytes.
pub type Harness = fn(&[u8]);

/// The harnesses by name, for tools that pick one from the command line.
pub const ALL: [(&str, Harness); 4] = [
    ("base_block", base_block),
    ("recovery", recovery),
    ("extract", extract),
    ("sniff", sniff),
];

/// The base block parser and the dirty test built on it.
pub fn base_block(data: &[u8]) {
    if let Ok(header) = BaseBlock::parse(data) {
        let _ = dirty_reason(&header);
        let _ = (
            header.version(),
            header.file_type.is_log(),
            header.is_dirty(),
        );
    }
}

/// Transaction-log recovery of both formats: `data` is a primary and up to two logs packed by
/// [`pack`]. A plan may never be larger than the inputs together, and applying it must give a
/// hive of the planned size, which is then read like any other. Read page by page as a scan
/// reads it (each page patched on its own), the recovered hive must hold the same bytes.
pub fn recovery(data: &[u8]) {
    let files = unpack(data);
    let (primary, logs) = files.split_first().expect("unpack gives at least one file");
    let offered: Vec<LogInput<'_>> = logs
        .iter()
        .zip(LOG_NAMES)
        .map(|(bytes, name)| LogInput { name, bytes })
        .collect();
    let outcome = recovery::recover(primary, &offered);
    assert!(!outcome.describe().is_empty());
    if let Recovery::Recovered(plan) = outcome {
        let total: usize = files.iter().map(|f| f.len()).sum();
        assert!(plan.new_size <= total, "{} > {total}", plan.new_size);
        let recovered = plan.apply(primary);
        assert_eq!(recovered.len(), plan.new_size);
        let paged = PagedHive::new(
            primary.len().max(plan.new_size),
            Box::new(|offset, window| {
                copy_window(primary, offset, window);
                plan.patch_window(offset, window);
                Ok(())
            }),
        );
        assert_eq!(paged.range(0, recovered.len()).ok(), Some(&recovered[..]));
        extract(&recovered);
    }
}

/// Extraction as a scan does it (every catalogue setting, for each audited hive kind), plus a
/// bounded walk of the whole tree through every [`Key`] accessor. Reading the hive page by
/// page, as a scan does, must extract the same as reading it from memory.
pub fn extract(data: &[u8]) {
    let before = panics_outside_nt_hive();
    let paged = PagedHive::new(
        data.len(),
        Box::new(|offset, window| {
            copy_window(data, offset, window);
            Ok(())
        }),
    );
    for kind in [HiveKind::System, HiveKind::Software, HiveKind::NtUser] {
        let read = |bytes| guarded(|| Ok(crate::settings::extract(&HiveView::new(bytes)?, kind)));
        assert_eq!(
            read(HiveBytes::Memory(data)),
            read(HiveBytes::Paged(&paged)),
            "paged and in-memory reads differ"
        );
    }
    let _ = guarded(|| {
        let view = HiveView::open(data)?;
        walk(&view.root()?, 0, &mut WALK_KEYS.clone())
    });
    assert_eq!(
        panics_outside_nt_hive(),
        before,
        "a panic in hiveaudit's own code was caught while reading this hive"
    );
}

/// Discovery's content sniffing: the base block, then the hive kind from the embedded name,
/// the root keys and a file name.
pub fn sniff(data: &[u8]) {
    let before = panics_outside_nt_hive();
    if let Ok(header) = BaseBlock::parse(data) {
        for file_name in ["NTUSER.DAT", "host5_system.hiv", "data.bin"] {
            let _ = kind::detect_in(HiveBytes::Memory(data), &header.embedded_name, file_name);
        }
    }
    assert_eq!(
        panics_outside_nt_hive(),
        before,
        "a hiveaudit panic was caught"
    );
}

/// Visits every key below `key` (names, times, values, subkeys), at most `budget` keys.
fn walk(key: &Key<'_, '_>, depth: usize, budget: &mut usize) -> HiveResult<()> {
    if depth > WALK_DEPTH || *budget == 0 {
        return Ok(());
    }
    *budget -= 1;
    let _ = (key.name(), key.last_written(), key.values());
    let _ = key.subkey("Software");
    for subkey in key.subkeys()? {
        walk(&subkey, depth + 1, budget)?;
    }
    Ok(())
}

/// Packs files into one fuzz input: a count byte, then each file but the last with a 4-byte
/// little-endian length before it, then the last file. [`unpack`] reverses it.
pub fn pack(files: &[&[u8]]) -> Vec<u8> {
    let mut data = vec![(files.len().max(1) - 1) as u8];
    for (i, file) in files.iter().enumerate() {
        if i + 1 < files.len() {
            data.extend_from_slice(&(file.len() as u32).to_le_bytes());
        }
        data.extend_from_slice(file);
    }
    data
}

/// Splits a fuzz input into one to three files (lengths clamped to what is there).
pub fn unpack(data: &[u8]) -> Vec<&[u8]> {
    let Some((&count, mut rest)) = data.split_first() else {
        return vec![data];
    };
    let mut files = Vec::new();
    for _ in 0..count % 3 {
        let len = rest.get(..4).map_or(0, |word| {
            u32::from_le_bytes(word.try_into().expect("4 bytes")) as usize
        });
        let body = rest.get(4.min(rest.len())..).unwrap_or_default();
        let (file, tail) = body.split_at(len.min(body.len()));
        files.push(file);
        rest = tail;
    }
    files.push(rest);
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzing::seeds;

    #[test]
    fn pack_and_unpack_round_trip() {
        let files: [&[u8]; 3] = [b"primary", b"", b"log two"];
        assert_eq!(unpack(&pack(&files)), files);
        assert_eq!(unpack(&pack(&[b"only"])), [b"only"]);
        assert_eq!(unpack(&[]), [&[] as &[u8]]);
        assert_eq!(unpack(&[2, 9, 0, 0, 0, 1]), [&[1u8] as &[u8], &[], &[]]);
    }

    #[test]
    fn seeds_pass_every_harness() {
        for hive in seeds::hives() {
            for (_, harness) in ALL {
                harness(&hive);
            }
        }
        for input in seeds::recovery_inputs() {
            recovery(&input);
        }
    }
}
