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
