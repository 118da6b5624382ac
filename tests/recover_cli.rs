//! End-to-end tests of `hiveaudit recover` through the real binary: exit codes, the output
//! file, nothing written on failure, and inputs left untouched.

mod common;

use std::path::Path;

use hiveaudit::hive::base_block::{seal, write_u32};

use common::{entries, fingerprint, recover};

/// A minimal hive file: a base block with the given sequence numbers and one zeroed page.
fn synthetic_hive(path: &Path, seq1: u32, seq2: u32) {
    let mut bytes = vec![0u8; 8192];
    bytes[..4].copy_from_slice(b"regf");
    for (offset, value) in [(4, seq1), (8, seq2), (20, 1), (24, 5), (32, 1), (40, 4096)] {
        write_u32(&mut bytes, offset, value);
    }
    seal(&mut bytes);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_clean_hive_is_copied_unchanged_and_its_logs_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let hive = dir.path().join("NTUSER.DAT");
    synthetic_hive(&hive, 7, 7);
    std::fs::write(dir.path().join("ntuser.dat.LOG1"), b"not a log at all").unwrap();
    let out = dir.path().join("copy.dat");
    let result = recover(&[&hive, &out]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(String::from_utf8_lossy(&result.stdout).contains("clean"));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&hive).unwrap());
}

#[test]
fn an_unrecoverable_hive_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let hive = dir.path().join("SYSTEM");
    synthetic_hive(&hive, 8, 7);
    let before = fingerprint(&hive);
    let out = dir.path().join("recovered");
    let result = recover(&[&hive, &out]);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("no transaction log"));
    assert!(!out.exists());
    assert_eq!(entries(dir.path()), 1, "no temporary file left behind");
    assert_eq!(fingerprint(&hive), before);
}

#[test]
fn an_existing_output_or_an_input_as_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let hive = dir.path().join("SOFTWARE");
    synthetic_hive(&hive, 3, 3);
    let before = fingerprint(&hive);
    let taken = dir.path().join("taken");
    std::fs::write(&taken, b"keep me").unwrap();
    assert_eq!(recover(&[&hive, &taken]).status.code(), Some(1));
    assert_eq!(std::fs::read(&taken).unwrap(), b"keep me");
    assert_eq!(recover(&[&hive, &hive]).status.code(), Some(1));
    assert_eq!(fingerprint(&hive), before);
}
