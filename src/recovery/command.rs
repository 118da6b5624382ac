//! `hiveaudit recover`: replay a hive's logs into a new file.
//!
//! Finds the logs beside the hive (any letter case) unless they are given, recovers in memory,
//! and writes the result to a new file through a temporary name in the target directory, so
//! that `--out` either does not exist or holds a complete hive. A clean hive is copied
//! unchanged; a dirty hive that cannot be recovered produces no file and a non-zero exit code.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::cli::{EXIT_FATAL, EXIT_OK};
use crate::discovery;
use crate::source::{Evidence, EvidenceBytes};

use super::{LogInput, Plan, Recovery, recover};

/// Recovers `hive` with `logs` (or the logs found beside it) into `out`; returns the exit code.
pub fn run(hive: &Path, logs: &[PathBuf], out: &Path) -> i32 {
    match recover_to_file(hive, logs, out) {
        Ok(summary) => {
            println!("{summary}");
            EXIT_OK
        }
        Err(message) => {
            eprintln!("hiveaudit recover: {message}");
            EXIT_FATAL
        }
    }
}

fn recover_to_file(hive: &Path, logs: &[PathBuf], out: &Path) -> Result<String, String> {
    let log_paths = if logs.is_empty() {
        find_logs(hive).map_err(|e| format!("cannot list logs beside {}: {e}", hive.display()))?
    } else {
        logs.to_vec()
    };
    check_output(out, hive, &log_paths)?;
    let primary = open(hive)?;
    let opened: Vec<(String, EvidenceBytes)> = log_paths
        .iter()
        .map(|path| Ok((path.display().to_string(), open(path)?)))
        .collect::<Result<_, String>>()?;
    let inputs: Vec<LogInput<'_>> = opened
        .iter()
        .map(|(name, bytes)| LogInput { name, bytes })
        .collect();
    let recovery = recover(&primary, &inputs);
    let written = match &recovery {
        Recovery::Clean => write_new(out, &primary).map(|()| primary.len()),
        Recovery::Recovered(plan) => write_recovered(hive, &primary, plan, out),
        refused => return Err(format!("{}: {refused}", hive.display())),
    };
    let size = written.map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(format!(
        "{}: {recovery}\nwrote {} ({size} bytes)",
        hive.display(),
        out.display()
    ))
}

/// Writes the recovered hive to `out` and returns its size. When the hive does not grow, the
/// plan is applied to a copy-on-write map of the primary, so only changed pages are copied.
fn write_recovered(hive: &Path, primary: &[u8], plan: &Plan<'_>, out: &Path) -> io::Result<usize> {
    if plan.new_size == primary.len() {
        let mut map = Evidence::File(hive.into()).open_copy_on_write()?;
        if plan.apply_in_place(&mut map) {
            return write_new(out, &map).map(|()| map.len());
        }
    }
    let bytes = plan.apply(primary);
    write_new(out, &bytes).map(|()| bytes.len())
}

fn open(path: &Path) -> Result<EvidenceBytes, String> {
    Evidence::File(path.into())
        .open()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The `.LOG`, `.LOG1` and `.LOG2` files beside `hive` whose names match the hive's name plus
/// the extension in any letter case.
pub fn find_logs(hive: &Path) -> io::Result<Vec<PathBuf>> {
    let Some(name) = hive.file_name().and_then(|n| n.to_str()) else {
        return Ok(Vec::new());
    };
    let dir = match hive.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut found = Vec::new();
    for entry in fs::read_dir(&dir)? {
        let entry = entry?;
        let file_name = entry.file_name();
        let is_log = file_name
            .to_str()
            .and_then(discovery::log_base)
            .is_some_and(|base| base.eq_ignore_ascii_case(name));
        if is_log && entry.file_type()?.is_file() {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// `out` must not exist (which also keeps it from being one of the inputs) and must not name
/// an input through another spelling.
fn check_output(out: &Path, hive: &Path, logs: &[PathBuf]) -> Result<(), String> {
    if fs::symlink_metadata(out).is_ok() {
        return Err(format!(
            "{} already exists; choose a new file",
            out.display()
        ));
    }
    let target = normalise(out);
    let inputs = std::iter::once(hive).chain(logs.iter().map(PathBuf::as_path));
    for input in inputs {
        if normalise(input) == target {
            return Err(format!("--out {} is one of the inputs", out.display()));
        }
    }
    Ok(())
}

/// `path` with its directory resolved, so that two spellings of one file compare equal.
fn normalise(path: &Path) -> PathBuf {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let dir = dir.canonicalize().unwrap_or(dir);
    match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

/// Writes `contents` to a temporary file beside `out`, then links it to `out`, which fails
/// rather than replace a file created meanwhile; the temporary name is removed either way.
fn write_new(out: &Path, contents: &[u8]) -> io::Result<()> {
    let name = out
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let temp = out.with_file_name(format!(
        ".{}.hiveaudit-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = write_temp(&temp, contents).and_then(|()| publish(&temp, out));
    let _ = fs::remove_file(&temp);
    written
}

fn write_temp(temp: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = File::options().write(true).create_new(true).open(temp)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Moves the finished temporary file to `out` without ever replacing an existing file.
fn publish(temp: &Path, out: &Path) -> io::Result<()> {
    match fs::hard_link(temp, out) {
        Err(error) if error.kind() != io::ErrorKind::AlreadyExists => {
            // File systems without hard links: fall back to a rename after a last check.
            if fs::symlink_metadata(out).is_ok() {
                return Err(io::ErrorKind::AlreadyExists.into());
            }
            fs::rename(temp, out)
        }
        other => other,
    }
}
