//! The hostile collection: a few hundred damaged hives generated here (bit flips, truncation,
//! interesting words, random tails, with and without the checksum fixed) in KAPE and loose
//! layouts, plus a FIFO named NTUSER.DAT, a symbolic-link loop, an unreadable file, a zero-byte
//! RegBack copy and a sparse 3 GiB fake SYSTEM. The real binary must finish on its own within a
//! time bound, name every file in hives.csv, print no panic and stay within a memory bound;
//! and the evidence must be the same afterwards, byte for byte, time for time.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::hash::{DefaultHasher, Hasher};
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use hiveaudit::fuzzing::damage::{self, Damage, Rng};
use hiveaudit::fuzzing::{seeds, targets};

/// The scan must end by itself within this time.
const TIME_LIMIT: Duration = Duration::from_secs(120);
/// Peak resident memory the scan may reach.
const MEMORY_LIMIT_KIB: u64 = 512 * 1024;
/// Machines in KAPE layout, each with a damaged SYSTEM, SOFTWARE and NTUSER.DAT.
const KAPE_MACHINES: u64 = 60;
/// Damaged loose hives besides the KAPE trees.
const LOOSE_HIVES: u64 = 120;
/// Size of the sparse fake SYSTEM hive.
const SPARSE_SIZE: u64 = 3 << 30;

/// A damaged copy of `hive`, chosen by `seed`.
fn damaged(hive: &[u8], seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut bytes = hive.to_vec();
    for _ in 0..=rng.below(2) {
        let kind = Damage::ALL[rng.below(Damage::ALL.len())];
        damage::apply(&mut rng, &mut bytes, kind, seed.is_multiple_of(2));
    }
    bytes
}

fn write(path: &Path, bytes: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Writes the damaged hives and logs; returns nothing, the tree is listed afterwards.
fn write_damaged_hives(root: &Path) {
    let hives = [
        ("C/Windows/System32/config/SYSTEM", seeds::system("HOST")),
        ("C/Windows/System32/config/SOFTWARE", seeds::software("u")),
        ("C/Users/u/NTUSER.DAT", seeds::ntuser("u")),
    ];
    for machine in 0..KAPE_MACHINES {
        for (i, (path, hive)) in hives.iter().enumerate() {
            let seed = machine * 3 + i as u64;
            write(
                &root.join(format!("M{machine}/{path}")),
                &damaged(hive, seed),
            );
        }
        if machine % 5 == 0 {
            let log = damaged(&seeds::system("LOG"), machine + 10_000);
            write(
                &root.join(format!("M{machine}/C/Windows/System32/config/SYSTEM.LOG1")),
                &log,
            );
        }
    }
    for n in 0..LOOSE_HIVES {
        let (name, hive) = &hives[n as usize % 3];
        let file = name.rsplit('/').next().unwrap().to_lowercase();
        let path = root.join(format!("loose/host{n}_{file}"));
        write(&path, &damaged(hive, 50_000 + n));
    }
    for (n, packed) in seeds::recovery_inputs().iter().enumerate() {
        let files = targets::unpack(packed);
        let dir = root.join(format!("dirty{n}"));
        write(&dir.join("SYSTEM"), files[0]);
        for (log, bytes) in ["SYSTEM.LOG1", "SYSTEM.LOG2"].iter().zip(&files[1..]) {
            write(&dir.join(log), bytes);
        }
    }
}

/// The files no reader can trust: FIFO, link loop, unreadable file, empty RegBack copy, and a
/// sparse multi-GiB SYSTEM whose header looks valid.
fn write_hostile_files(root: &Path) {
    let fifo = root.join("M0/C/Users/pipe/NTUSER.DAT");
    fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    fs::create_dir_all(root.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", root.join("loop/again")).unwrap();
    let locked = root.join("M1/C/Users/locked/NTUSER.DAT");
    write(&locked, &seeds::ntuser("locked"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    write(
        &root.join("M2/C/Windows/System32/config/RegBack/SYSTEM"),
        b"",
    );
    let sparse = root.join("big/C/Windows/System32/config/SYSTEM");
    let mut hive = seeds::system("BIG");
    let bins = (SPARSE_SIZE - 4096) as u32;
    hive[40..44].copy_from_slice(&bins.to_le_bytes());
    hiveaudit::hive::base_block::seal(&mut hive);
    write(&sparse, &hive);
    File::options()
        .write(true)
        .open(&sparse)
        .unwrap()
        .set_len(SPARSE_SIZE)
        .unwrap();
}

/// Every non-directory entry below `root` (links not followed).
fn listing(root: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(entry.path());
            }
            found.insert(entry.path());
        }
    }
    found
}

/// What must not change: for each entry, its size, modification time and content hash
/// (regular, readable files only; sparse files are hashed over their first 16 MiB).
type Snapshot = BTreeMap<PathBuf, (u64, SystemTime, u64)>;

fn snapshot(root: &Path) -> Snapshot {
    listing(root)
        .into_iter()
        .map(|path| {
            let meta = fs::symlink_metadata(&path).unwrap();
            let hash = if meta.is_file() {
                content_hash(&path)
            } else {
                0
            };
            (path, (meta.len(), meta.modified().unwrap(), hash))
        })
        .collect()
}

fn content_hash(path: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    if let Ok(file) = File::open(path) {
        let mut bytes = Vec::new();
        file.take(16 << 20).read_to_end(&mut bytes).unwrap();
        hasher.write(&bytes);
    }
    hasher.finish()
}

/// What a child process did: exit code, stderr, wall time and peak resident memory.
struct Run {
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
    peak_kib: u64,
}

/// Runs hiveaudit with `args` under a watchdog that kills it after [`TIME_LIMIT`], polling
/// its peak resident set size (VmHWM) meanwhile.
fn run_watched(args: &[&std::ffi::OsStr]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hiveaudit"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    let mut peak_kib = 0;
    let status = loop {
        peak_kib = peak_kib.max(vm_hwm(child.id()).unwrap_or(0));
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("hiveaudit still running after {TIME_LIMIT:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stderr: reader.join().unwrap(),
        elapsed: started.elapsed(),
        peak_kib,
    }
}

/// Peak resident set size of process `pid` in KiB, from `/proc/<pid>/status`.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn running_as_root() -> bool {
    vm_status_field("Uid:").is_some_and(|uid| uid == "0")
}

fn vm_status_field(field: &str) -> Option<String> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line.split_whitespace().nth(1).map(str::to_string)
}

#[test]
fn a_hostile_collection_is_scanned_completely_quickly_and_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let evidence = tmp.path().join("evidence");
    write_damaged_hives(&evidence);
    write_hostile_files(&evidence);
    let before = snapshot(&evidence);
    let out = tmp.path().join("report");

    let run = run_watched(&[
        "scan".as_ref(),
        evidence.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    eprintln!(
        "hostile scan: {} entries in {:?}, peak RSS {} KiB, exit {:?}",
        before.len(),
        run.elapsed,
        run.peak_kib,
        run.code
    );
    assert!(
        matches!(run.code, Some(0 | 2 | 3)),
        "exit {:?}: {}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.peak_kib < MEMORY_LIMIT_KIB,
        "peak RSS {} KiB",
        run.peak_kib
    );

    let rows = common::read_csv(&out.join("hives.csv"));
    let reported: BTreeSet<PathBuf> = rows.iter().map(|row| PathBuf::from(&row["path"])).collect();
    for (path, (_, _, _)) in &before {
        if !path.is_dir() || path.ends_with("loop/again") {
            assert!(
                reported.contains(path),
                "{} missing from hives.csv",
                path.display()
            );
        }
    }
    let statuses: BTreeSet<&str> = rows.iter().map(|row| row["status"].as_str()).collect();
    for expected in ["clean", "error", "recovered", "skipped", "unreadable"] {
        assert!(
            statuses.contains(expected),
            "no {expected} row: {statuses:?}"
        );
    }
    let status_of = |tail: &str| {
        rows.iter()
            .find(|row| row["path"].ends_with(tail))
            .map(|row| row["status"].clone())
            .unwrap_or_default()
    };
    assert_eq!(status_of("pipe/NTUSER.DAT"), "skipped");
    assert_eq!(status_of("RegBack/SYSTEM"), "empty");
    assert_eq!(status_of("loop/again"), "unreadable");
    if running_as_root() {
        eprintln!("running as root: chmod 000 does not stop reads, unreadable-file check skipped");
    } else {
        assert_eq!(status_of("locked/NTUSER.DAT"), "error");
    }

    assert_eq!(snapshot(&evidence), before, "the scan changed the evidence");
    fs::set_permissions(
        evidence.join("M1/C/Users/locked/NTUSER.DAT"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
}

#[test]
fn recover_and_refused_scans_leave_the_evidence_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let evidence = tmp.path().join("evidence");
    write_damaged_hives(&evidence);
    let before = snapshot(&evidence);

    let hive = evidence.join("dirty0/SYSTEM");
    let recovered = tmp.path().join("recovered.hiv");
    let run = run_watched(&[
        "recover".as_ref(),
        hive.as_os_str(),
        "--out".as_ref(),
        recovered.as_os_str(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(recovered.is_file());

    let inside = evidence.join("M0/report");
    let refused = run_watched(&[
        "scan".as_ref(),
        evidence.as_os_str(),
        "--out".as_ref(),
        inside.as_os_str(),
    ]);
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("overlaps the input"),
        "{}",
        refused.stderr
    );
    assert!(!inside.exists());

    let out = tmp.path().join("report");
    let scan = run_watched(&[
        "scan".as_ref(),
        evidence.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(matches!(scan.code, Some(0 | 2 | 3)), "{}", scan.stderr);
    assert_eq!(
        snapshot(&evidence),
        before,
        "recover or scan changed the evidence"
    );
}
