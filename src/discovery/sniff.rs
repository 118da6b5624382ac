//! Recognising hives and transaction logs by content: the first 4,096 bytes, and a look at the
//! root key only when the embedded name does not say what the hive is.

use std::path::Path;

use super::{DiscoveredHive, OtherFile, OtherStatus, names};
use crate::hive::base_block::BASE_BLOCK_SIZE;
use crate::hive::{BaseBlock, DetectedBy, HiveBytes, HiveKind, kind};
use crate::source::{Evidence, KeptFile, PagedFile};

/// What one regular file is.
#[derive(Debug)]
pub(super) enum Sniffed {
    /// A primary hive, or a file whose name claims one (then without a header).
    Hive(DiscoveredHive),
    /// A transaction log, or a file named like one (not yet known to sit beside its hive).
    Log(LogFile),
    /// Anything else.
    Other(OtherFile),
}

/// A transaction log candidate.
#[derive(Debug)]
pub(super) struct LogFile {
    /// Where it is.
    pub evidence: Evidence,
    /// Its size in bytes.
    pub size: u64,
    /// True when its base block says it is a log; false when only its name does.
    pub by_content: bool,
}

/// Reads the first 4,096 bytes of the regular file at `path` and decides what it is.
pub(super) fn sniff(path: &Path) -> Sniffed {
    let evidence = Evidence::File(path.into());
    let name = evidence.file_name();
    let opened = evidence.open_paged().and_then(|file| {
        let prefix = file.prefix(BASE_BLOCK_SIZE)?;
        Ok((file, prefix))
    });
    let (file, prefix) = match opened {
        Ok(opened) => opened,
        Err(err) => {
            // The size of a file that cannot be opened comes from its metadata, if any.
            let size = std::fs::metadata(path).ok().map(|metadata| metadata.len());
            if names::claims_hive(&name) {
                let error = format!("cannot read: {err}");
                return Sniffed::Hive(named_only(evidence, size.unwrap_or(0), error));
            }
            return other(evidence, size, OtherStatus::Unreadable(err.to_string()));
        }
    };
    let size = file.len() as u64;
    match BaseBlock::parse(&prefix) {
        Ok(header) if header.file_type.is_log() => Sniffed::Log(LogFile {
            evidence,
            size,
            by_content: true,
        }),
        Ok(header) => Sniffed::Hive(typed(evidence, file, header)),
        Err(_) if names::log_base(&name).is_some() => Sniffed::Log(LogFile {
            evidence,
            size,
            by_content: false,
        }),
        Err(err) if names::claims_hive(&name) => {
            Sniffed::Hive(named_only(evidence, size, err.to_string()))
        }
        Err(_) => other(evidence, Some(size), OtherStatus::NotHive),
    }
}

/// A hive with a base block, typed by embedded name, structure and file name; the opened
/// `file` is kept for the audit.
fn typed(evidence: Evidence, file: PagedFile, header: BaseBlock) -> DiscoveredHive {
    let (kind, detected_by) = detect_kind(&evidence, &file, &header.embedded_name);
    DiscoveredHive {
        evidence,
        size: file.len() as u64,
        header: Some(header),
        header_error: None,
        kind,
        detected_by,
        logs: Box::default(),
        opened: KeptFile::keep(file),
    }
}

/// Asks the embedded name first; probes the root key of `file` only when the name does not
/// decide.
fn detect_kind(
    evidence: &Evidence,
    file: &PagedFile,
    embedded_name: &str,
) -> (HiveKind, DetectedBy) {
    let file_name = evidence.file_name();
    if kind::from_embedded_name(embedded_name).is_none() {
        let hive = file.hive();
        return kind::detect_in(HiveBytes::Paged(&hive), embedded_name, &file_name);
    }
    kind::detect(embedded_name, None, &file_name)
}

/// A file without a usable base block whose name says it is a hive: kept as a hive so that it
/// shows up, as an error, with its machine.
fn named_only(evidence: Evidence, size: u64, error: String) -> DiscoveredHive {
    let (kind, detected_by) = kind::detect("", None, &evidence.file_name());
    DiscoveredHive {
        evidence,
        size,
        header: None,
        header_error: Some(error.into()),
        kind,
        detected_by,
        logs: Box::default(),
        opened: KeptFile::default(),
    }
}

fn other(evidence: Evidence, size: Option<u64>, status: OtherStatus) -> Sniffed {
    Sniffed::Other(OtherFile {
        evidence,
        size,
        status,
    })
}
