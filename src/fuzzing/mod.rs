//! Fuzzing support: the harness functions every fuzzer and test drives, the seed inputs they
//! start from, and the damage the hostile-collection test applies. Not part of the supported
//! API; it is public only so that `fuzz/` and `tests/` can call the same code.
//!
//! Each harness in [`targets`] takes arbitrary bytes, runs one reader of untrusted input over
//! them and panics only on a bug (a panic in nt-hive is caught, as in a scan, but a caught panic
//! raised in hiveaudit's own code fails the harness). `docs/robustness.md` has the commands.

pub mod build;
pub mod damage;
pub mod seeds;
pub mod targets;
