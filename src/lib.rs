//! hiveaudit: find why Windows users keep getting credential prompts, offline, from collected
//! registry hives.
//!
//! Data flows one way through the modules:
//! [`discovery`] finds hives and their logs in a collection and groups them into machines;
//! [`source`] opens evidence read-only; [`hive`] reads hive bytes safely;
//! [`load`] maps a hive and tells clean from dirty; [`recovery`] replays transaction logs;
//! [`settings`] is the catalogue of registry values that matter and extracts them;
//! [`rules`] turns extracted facts into findings; [`report`] writes the CSV/JSONL reports;
//! [`scan`] drives the pipeline in parallel and [`cli`] is the command line.

#![deny(unsafe_code)]

pub mod cli;
pub mod discovery;
#[doc(hidden)]
pub mod fuzzing;
pub mod hive;
pub mod load;
pub mod recovery;
pub mod report;
pub mod rules;
pub mod scan;
pub mod settings;
pub mod source;
