//! `hiveaudit recover` through the real binary on corpus samples: logs found in any letter
//! case, bad logs refused with nothing written, inputs untouched.

use std::path::Path;

use libtest_mimic::Failed;

use crate::common::{entries, fingerprint, recover};
use crate::tree::{assert_same_tree, tree};

pub fn corpus_dirty_hive_is_recovered_with_logs_found_in_any_case(
    root: &Path,
) -> Result<(), Failed> {
    let data = root.join("regipy/regipy_tests/data");
    let hive = data.join("transactions_NTUSER.DAT");
    let log1 = data.join("transactions_ntuser.dat.log1");
    let before = (fingerprint(&hive), fingerprint(&log1));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("recovered.dat");
    let result = recover(&[&hive, &out]);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(stdout.contains("transactions_ntuser.dat.log1") && stdout.contains("23 log entries"));
    let reference = std::fs::read(root.join("reference/transactions_NTUSER.recovered")).unwrap();
    assert_same_tree(
        "cli",
        &tree(&std::fs::read(&out).unwrap()),
        &tree(&reference),
    );
    assert_eq!((fingerprint(&hive), fingerprint(&log1)), before);
    assert_eq!(entries(dir.path()), 1);
    Ok(())
}

pub fn corpus_bad_logs_are_refused_and_nothing_is_written(root: &Path) -> Result<(), Failed> {
    let sample = root.join("yarp/hives_for_tests/BadLogHive3");
    let hive = sample.join("BadLogHive");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("recovered");
    let log2 = sample.join("BadLogHive.LOG2");
    let result = recover(&[&hive, Path::new("--log"), &log2, &out]);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("checksum mismatch"));
    assert_eq!(entries(dir.path()), 0);
    Ok(())
}
