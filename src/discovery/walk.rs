//! Walking the inputs without ever blocking, looping or writing.
//!
//! Every entry becomes a regular file to sniff, a special file skipped from its metadata alone
//! (a FIFO would block an `open`), or an unreadable entry (permission denied, symbolic-link
//! loop, vanished). Symbolic links are followed; walkdir reports a link back to an ancestor as
//! an error instead of looping. Entries come out sorted by path and each path once.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

/// One walked entry that is not a directory.
#[derive(Debug)]
pub(super) struct Entry {
    /// The path as walked (the input joined with the path below it).
    pub path: PathBuf,
    /// The folder the layout of this entry is read from: the input directory, or the folder
    /// of an input file.
    pub root: PathBuf,
    /// What the entry is.
    pub found: Found,
}

/// What a walked entry is.
#[derive(Debug)]
pub(super) enum Found {
    /// A regular file of this size.
    File(u64),
    /// Not a regular file: why it was skipped.
    Special(String),
    /// Could not be listed or stat'ed: the error.
    Unreadable(String),
}

/// Walks every input in turn; a path reached from two inputs is kept from the first. `stop`
/// is asked between entries and ends the walk early when it says so.
pub(super) fn walk(
    inputs: &[PathBuf],
    exclude: &[PathBuf],
    stop: Option<fn() -> bool>,
) -> Vec<Entry> {
    let excluded = Excluded::new(exclude);
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    for input in inputs {
        let root = layout_root(input);
        let walker = WalkDir::new(input)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| !excluded.contains(entry));
        for item in walker {
            if stop.is_some_and(|stop| stop()) {
                return entries;
            }
            let Some(entry) = classify(item, input, &root) else {
                continue;
            };
            if seen.insert(entry.path.clone()) {
                entries.push(entry);
            }
        }
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    entries
}

/// The folder whose layout applies to everything below `input`.
fn layout_root(input: &Path) -> PathBuf {
    match fs::metadata(input) {
        Ok(metadata) if !metadata.is_dir() => input.parent().unwrap_or(input).to_path_buf(),
        _ => input.to_path_buf(),
    }
}

/// Turns one walker item into an entry; directories give none.
fn classify(item: walkdir::Result<DirEntry>, input: &Path, root: &Path) -> Option<Entry> {
    let (path, found) = match item {
        Err(err) => (
            err.path().unwrap_or(input).to_path_buf(),
            Found::Unreadable(describe(&err)),
        ),
        Ok(entry) if entry.file_type().is_dir() => return None,
        Ok(entry) => {
            let found = found_file(&entry);
            (entry.into_path(), found)
        }
    };
    Some(Entry {
        path,
        root: root.to_path_buf(),
        found,
    })
}

/// A non-directory entry, judged from its (followed) metadata without opening it.
fn found_file(entry: &DirEntry) -> Found {
    if !entry.file_type().is_file() {
        return Found::Special(special_kind(entry.file_type()).to_string());
    }
    match entry.metadata() {
        Ok(metadata) => Found::File(metadata.len()),
        Err(err) => Found::Unreadable(describe(&err)),
    }
}

fn describe(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        return format!("symbolic link loop back to {}", ancestor.display());
    }
    err.io_error()
        .map_or_else(|| err.to_string(), ToString::to_string)
}

#[cfg(unix)]
fn special_kind(file_type: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "FIFO (named pipe), not opened"
    } else if file_type.is_socket() {
        "socket, not opened"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "device, not opened"
    } else {
        "not a regular file, not opened"
    }
}

#[cfg(not(unix))]
fn special_kind(_file_type: fs::FileType) -> &'static str {
    "not a regular file, not opened"
}

/// Directories never entered, compared by canonical path.
struct Excluded {
    /// Last components of the excluded directories: only entries with one of these names
    /// are canonicalised, so the walk stays cheap.
    names: HashSet<std::ffi::OsString>,
    canonical: HashSet<PathBuf>,
}

impl Excluded {
    fn new(exclude: &[PathBuf]) -> Self {
        let canonical: HashSet<PathBuf> = exclude
            .iter()
            .filter_map(|dir| fs::canonicalize(dir).ok())
            .collect();
        let names = exclude
            .iter()
            .chain(&canonical)
            .filter_map(|dir| dir.file_name().map(ToOwned::to_owned))
            .collect();
        Excluded { names, canonical }
    }

    fn contains(&self, entry: &DirEntry) -> bool {
        entry.file_type().is_dir()
            && self.names.contains(entry.file_name())
            && fs::canonicalize(entry.path()).is_ok_and(|path| self.canonical.contains(&path))
    }
}
