//! Benchmarks of the hot paths: opening a hive and extracting every setting (from memory, and
//! from the file page by page as a scan reads it), replaying transaction logs (reported as log
//! bytes per second), hashing log entries with Marvin32, and discovering a collection.
//!
//! Run with `cargo bench`. Inputs are the generated fixtures under `testdata/` and, for
//! discovery, a generated collection of a thousand machines; with `HIVE_CORPUS` set, real
//! Windows hives and logs from the corpus are measured too.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use hiveaudit::discovery::{DiscoveryOptions, discover};
use hiveaudit::hive::pages::copy_window;
use hiveaudit::hive::{HiveKind, HiveView, PagedHive};
use hiveaudit::recovery::marvin::{LOG_ENTRY_SEED, marvin32_all};
use hiveaudit::recovery::{LogInput, Recovery, recover};
use hiveaudit::settings::extract;
use hiveaudit::source::Evidence;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn corpus() -> Option<PathBuf> {
    std::env::var_os("HIVE_CORPUS")
        .map(PathBuf::from)
        .filter(|dir| dir.join("MANIFEST.json").is_file())
}

/// Hives to open and read, by label: generated fixtures, plus real hives from the corpus.
fn sample_hives() -> Vec<(String, PathBuf, HiveKind)> {
    let fleet = testdata().join("sample-fleet/WKS-ALICE01/C");
    let mut hives = vec![
        (
            "fixture SYSTEM".to_string(),
            fleet.join("Windows/System32/config/SYSTEM"),
            HiveKind::System,
        ),
        (
            "fixture SOFTWARE".to_string(),
            fleet.join("Windows/System32/config/SOFTWARE"),
            HiveKind::Software,
        ),
        (
            "fixture NTUSER".to_string(),
            fleet.join("Users/alice/NTUSER.DAT"),
            HiveKind::NtUser,
        ),
    ];
    if let Some(corpus) = corpus() {
        hives.push((
            "Win7 SYSTEM 11 MB".into(),
            corpus.join("regipy/regipy_tests/data/SYSTEM"),
            HiveKind::System,
        ));
        hives.push((
            "Win7 NTUSER 2.6 MB".into(),
            corpus.join("notatin/test_data/win7_ntuser.dat"),
            HiveKind::NtUser,
        ));
        hives.push((
            "NT4 SOFTWARE".into(),
            corpus.join("aiowinreg/tests/testdata/nt/software.reg"),
            HiveKind::Software,
        ));
    }
    hives
}

fn open_and_extract(c: &mut Criterion) {
    let mut group = c.benchmark_group("open+extract");
    for (label, path, kind) in sample_hives() {
        let bytes = std::fs::read(&path).unwrap();
        group.bench_function(format!("{label}, in memory"), |b| {
            b.iter(|| {
                let view = HiveView::open(&bytes).unwrap();
                extract(&view, kind)
            })
        });
        // As a scan reads it: open the file, read the pages lookups reach (page cache warm).
        let evidence = Evidence::File(path.into());
        group.bench_function(format!("{label}, from the file"), |b| {
            b.iter(|| {
                let file = evidence.open_paged().unwrap();
                let pages = file.hive();
                let view = HiveView::paged(&pages).unwrap();
                extract(&view, kind)
            })
        });
    }
    group.finish();
}

fn log_recovery(c: &mut Criterion) {
    let Some(corpus) = corpus() else {
        eprintln!("recovery benchmark skipped: set HIVE_CORPUS for real logs");
        return;
    };
    let mut group = c.benchmark_group("recovery");
    let samples = [
        (
            "SYSTEM_B",
            "regipy/regipy_tests/data/SYSTEM_B",
            ["SYSTEM_B.LOG1", "SYSTEM_B.LOG2"],
        ),
        (
            "Amcache RathbunVM",
            "DFIRArtifactMuseum/Windows/Amcache/Win10/RathbunVM/Amcache.hve",
            ["Amcache.hve.LOG1", "Amcache.hve.LOG2"],
        ),
    ];
    for (label, hive, logs) in samples {
        let hive = corpus.join(hive);
        let primary = std::fs::read(&hive).unwrap();
        let logs: Vec<(String, Vec<u8>)> = logs
            .iter()
            .map(|name| {
                let bytes = std::fs::read(hive.parent().unwrap().join(name)).unwrap();
                (name.to_string(), bytes)
            })
            .collect();
        let inputs: Vec<LogInput<'_>> = logs
            .iter()
            .map(|(name, bytes)| LogInput { name, bytes })
            .collect();
        let log_bytes: usize = logs.iter().map(|(_, bytes)| bytes.len()).sum();
        group.throughput(Throughput::Bytes(log_bytes as u64));
        group.bench_function(format!("{label} plan"), |b| {
            b.iter(|| recover(&primary, &inputs))
        });
        group.bench_function(format!("{label} plan+apply"), |b| {
            b.iter(|| match recover(&primary, &inputs) {
                Recovery::Recovered(plan) => plan.apply(&primary).len(),
                other => panic!("not recovered: {other}"),
            })
        });
        // As a scan does it: plan, then extract from the recovered hive, whose pages are put
        // together only as extraction reads them.
        group.bench_function(format!("{label} plan+extract"), |b| {
            b.iter(|| match recover(&primary, &inputs) {
                Recovery::Recovered(plan) => {
                    let recovered = PagedHive::new(
                        primary.len().max(plan.new_size),
                        Box::new(|offset, window: &mut [u8]| {
                            copy_window(&primary, offset, window);
                            plan.patch_window(offset, window);
                            Ok(())
                        }),
                    );
                    extract(&HiveView::paged(&recovered).unwrap(), HiveKind::System)
                }
                other => panic!("not recovered: {other}"),
            })
        });
    }
    group.finish();
}

/// Marvin32 of 200 entry bodies of mixed sizes (4 KiB to 64 KiB, pseudo-random, 6.8 MB in
/// all) that lie one after the other, as in a long log; reported as bytes hashed per second.
fn marvin(c: &mut Criterion) {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let sizes: Vec<usize> = (0..200)
        .map(|_| (4 << 10) + (next() % (60 << 10)) as usize)
        .collect();
    let data: Vec<u8> = (0..sizes.iter().sum()).map(|_| next() as u8).collect();
    let mut rest = &data[..];
    let inputs: Vec<&[u8]> = sizes
        .iter()
        .map(|&size| {
            let (input, after) = rest.split_at(size);
            rest = after;
            input
        })
        .collect();
    let mut group = c.benchmark_group("marvin");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.bench_function("marvin32_all, 200 inputs of 4-64 KiB", |b| {
        b.iter(|| marvin32_all(LOG_ENTRY_SEED, &inputs))
    });
    group.finish();
}

/// Machines in the generated collection the discovery benchmark walks.
const TREE_MACHINES: usize = 1000;

/// A KAPE-style collection of [`TREE_MACHINES`] machines in a temporary directory, each with
/// the sample fleet's SYSTEM and SOFTWARE and two users' NTUSER.DAT (copies of the fixtures):
/// 8,000 directories and 4,000 hives, the shape of a large sweep.
fn large_tree() -> tempfile::TempDir {
    let source = testdata().join("sample-fleet/WKS-ALICE01/C");
    let tree = tempfile::tempdir().expect("temporary directory");
    for machine in 0..TREE_MACHINES {
        let root = tree.path().join(format!("WKS{machine:05}/C"));
        let config = root.join("Windows/System32/config");
        std::fs::create_dir_all(&config).expect("config folder");
        for hive in ["SYSTEM", "SOFTWARE"] {
            let from = source.join("Windows/System32/config").join(hive);
            std::fs::copy(from, config.join(hive)).expect("copy hive");
        }
        for user in ["alice", "bob"] {
            let profile = root.join("Users").join(user);
            std::fs::create_dir_all(&profile).expect("profile folder");
            let from = source.join("Users/alice/NTUSER.DAT");
            std::fs::copy(from, profile.join("NTUSER.DAT")).expect("copy hive");
        }
    }
    tree
}

fn discovery(c: &mut Criterion) {
    let mut group = c.benchmark_group("discovery");
    group.sample_size(20);
    let tree = large_tree();
    let mut inputs = vec![
        ("testdata".to_string(), testdata()),
        (
            format!("{TREE_MACHINES} machines"),
            tree.path().to_path_buf(),
        ),
    ];
    if let Some(corpus) = corpus() {
        inputs.push(("corpus".to_string(), corpus));
    }
    for (label, dir) in inputs {
        group.bench_function(label, |b| {
            b.iter(|| discover(std::slice::from_ref(&dir), &DiscoveryOptions::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, open_and_extract, log_recovery, marvin, discovery);
criterion_main!(benches);
