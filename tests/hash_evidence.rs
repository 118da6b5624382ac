//! `--hash`: the sha256 column of hives.csv matches `sha256sum` for every file of the sample
//! fleet, and stays empty without `--hash`.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

#[test]
fn sha256_column_matches_sha256sum() {
    let fleet = common::testdata().join("sample-fleet");
    let scan = common::scan(&[&fleet], &["--hash"]);
    assert!(scan.code == 0 || scan.code == 2, "{}", scan.stderr);
    let rows = common::read_csv(&scan.dir.join("hives.csv"));
    let paths: Vec<&str> = rows.iter().map(|row| row["path"].as_str()).collect();
    let listing = Command::new("sha256sum")
        .args(&paths)
        .output()
        .expect("sha256sum runs");
    let expected: BTreeMap<String, String> = String::from_utf8(listing.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(digest, path)| (path.to_string(), digest.to_string()))
        .collect();
    assert!(!expected.is_empty());
    for row in &rows {
        let want = expected.get(&row["path"]).cloned().unwrap_or_default();
        assert_eq!(row["sha256"], want, "{}", row["path"]);
    }
}

#[test]
fn sha256_column_is_empty_without_hash() {
    let fleet = common::testdata().join("sample-fleet");
    let scan = common::scan(&[&fleet], &[]);
    let rows = common::read_csv(&scan.dir.join("hives.csv"));
    assert!(rows.iter().all(|row| row["sha256"].is_empty()));
}

/// A file whose name is not UTF-8 is shown with a replacement character, but hashed from its
/// real name: the shown path is not a path that opens it.
#[test]
fn files_with_names_that_are_not_utf8_are_hashed() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let folder = tempfile::tempdir().unwrap();
    let sample = common::testdata().join("sample-fleet");
    let system = std::fs::read_dir(&sample)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find_map(|machine| {
            let path = machine.join("C/Windows/System32/config/SYSTEM");
            path.exists().then_some(path)
        })
        .expect("a sample SYSTEM hive");
    std::fs::copy(system, folder.path().join("SYSTEM")).unwrap();
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(folder.path().join(name), b"hello").unwrap();
    let scan = common::scan(&[folder.path()], &["--hash"]);
    let rows = common::read_csv(&scan.dir.join("hives.csv"));
    let row = rows
        .iter()
        .find(|row| row["path"].ends_with("caf\u{FFFD}.txt"))
        .expect("a row for the file");
    assert_eq!(
        row["sha256"],
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
}
