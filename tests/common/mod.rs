//! Helpers shared by the end-to-end tests: run the real binary, read its reports.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One report row: column name to cell.
pub type Row = BTreeMap<String, String>;

/// Zero-byte fixture files. They are not committed (an empty file has the same hash as the
/// empty logs in the shared corpus, which must not be copied into the project), so the tests
/// create them, as `testdata/build.sh` does.
const EMPTY_FIXTURES: [&str; 2] = [
    "fixtures/broken/BROKEN01/C/Users/empty/NTUSER.DAT",
    "fixtures/layouts/kape/KAPE-L1/C/Windows/System32/config/RegBack/SYSTEM",
];

/// The repository's `testdata` directory, with its zero-byte fixtures in place.
pub fn testdata() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    for relative in EMPTY_FIXTURES {
        let path = dir.join(relative);
        if !path.exists() {
            std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("mkdir");
            std::fs::File::create(&path).expect("an empty fixture file");
        }
    }
    dir
}

/// Runs `hiveaudit` with `args`.
pub fn hiveaudit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hiveaudit"))
        .args(args)
        .output()
        .expect("the hiveaudit binary runs")
}

/// A finished scan: its exit code, stderr and report directory.
pub struct Scan {
    /// Process exit code.
    pub code: i32,
    /// What it printed on stderr.
    pub stderr: String,
    /// The report directory.
    pub dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Scan {
    /// Reads `<name>.csv` from the report directory.
    pub fn csv(&self, name: &str) -> Vec<Row> {
        read_csv(&self.dir.join(format!("{name}.csv")))
    }
}

/// Scans `inputs` into a fresh report directory, with extra `args`.
pub fn scan(inputs: &[&Path], args: &[&str]) -> Scan {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("report");
    let output = Command::new(env!("CARGO_BIN_EXE_hiveaudit"))
        .arg("scan")
        .args(inputs)
        .arg("--out")
        .arg(&dir)
        .args(args)
        .output()
        .expect("the hiveaudit binary runs");
    Scan {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        dir,
        _tmp: tmp,
    }
}

/// Reads a CSV report into rows keyed by column name.
pub fn read_csv(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a well-formed CSV record");
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Runs `hiveaudit recover` with `args`; the last one is the `--out` file.
pub fn recover(args: &[&Path]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hiveaudit"));
    command.arg("recover");
    let (out, rest) = args.split_last().expect("at least the output");
    command.args(rest).arg("--out").arg(out);
    command.output().expect("the hiveaudit binary runs")
}

/// A hash of a file's content, to show it did not change.
pub fn fingerprint(path: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    std::fs::read(path).expect("readable").hash(&mut hasher);
    hasher.finish()
}

/// Number of entries in a directory.
pub fn entries(dir: &Path) -> usize {
    std::fs::read_dir(dir).expect("a directory").count()
}
