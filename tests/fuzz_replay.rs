//! Replays the fuzz seeds and every saved crash/hang regression through the same harness
//! functions the fuzzers run (`hiveaudit::fuzzing::targets`), so CI checks them without a
//! fuzzer. With `HIVEAUDIT_WRITE_SEEDS=DIR`, also writes the seeds to `DIR/<target>/` as the
//! starting corpus for `cargo fuzz run` (see docs/robustness.md).

use std::path::Path;

use hiveaudit::fuzzing::{seeds, targets};

/// Saved inputs that once failed a harness, one folder per target.
fn regressions(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect()
}

#[test]
fn seeds_and_regressions_pass_every_harness() {
    let write_to = std::env::var_os("HIVEAUDIT_WRITE_SEEDS");
    for (target, harness) in targets::ALL {
        let seeds = seeds::for_target(target);
        if let Some(dir) = &write_to {
            let dir = Path::new(dir).join(target);
            std::fs::create_dir_all(&dir).unwrap();
            for (n, seed) in seeds.iter().enumerate() {
                std::fs::write(dir.join(format!("seed-{n}")), seed).unwrap();
            }
        }
        for input in seeds.iter().chain(&regressions(target)) {
            harness(input);
        }
    }
}
