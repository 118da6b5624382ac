//! Walking the inputs without ever blocking, looping or writing.
//!
//! Every entry becomes a regular file to sniff, a special file skipped from its metadata alone
//! (a FIFO would block an `open`), or an unreadable entry (permission denied, symbolic-link
//! loop, vanished). Symbolic links are followed; a link back to an ancestor is reported as an
//! error instead of looped through. Directories are listed in parallel (a collection of a
//! thousand machines has tens of thousands of folders, and listing them one after another
//! would leave all but one core idle); entries come out sorted by path and each path once.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{DirEntry, WalkBuilder, WalkState};

/// One walked entry that is not a directory.
#[derive(Debug)]
pub(super) struct Entry {
    /// The path as walked (the input joined with the path below it).
    pub path: PathBuf,
    /// The folder the layout of this entry is read from: the input directory, or the folder
    /// of an input file. Shared by every entry of the input.
    pub root: Arc<Path>,
    /// What the entry is.
    pub found: Found,
}

/// What a walked entry is.
#[derive(Debug)]
pub(super) enum Found {
    /// A regular file (its size is read when it is opened).
    File,
    /// Not a regular file: why it was skipped.
    Special(String),
    /// Could not be listed or stat'ed: the error.
    Unreadable(String),
}

/// Walks every input in turn, each on as many threads as the current rayon pool has; a path
/// reached from two inputs is kept from the first. `stop` is asked between entries and ends
/// the walk early when it says so.
pub(super) fn walk(
    inputs: &[PathBuf],
    exclude: &[PathBuf],
    stop: Option<fn() -> bool>,
) -> Vec<Entry> {
    let excluded = Arc::new(Excluded::new(exclude));
    let mut entries = Vec::new();
    for input in inputs {
        let mut walked = walk_input(input, &excluded, stop);
        if stop.is_some_and(|stop| stop()) {
            return entries;
        }
        if entries.is_empty() {
            entries = walked;
        } else {
            entries.append(&mut walked);
        }
    }
    // A stable sort keeps the entries of a path in input order: the first input's is kept.
    entries.sort_by_cached_key(|entry| order_key(&entry.path));
    entries.dedup_by(|later, first| later.path == first.path);
    entries
}

/// A key whose byte order is the order of `Path::cmp`, so that sorting compares flat bytes
/// instead of parsing both paths into components at every comparison (a tenth of a scan's
/// serial work for a fleet of 400).
///
/// `Path::cmp` compares component by component: first the kind of component (root, `.`,
/// `..`, name, in that order), then a name's bytes, a name that is a prefix of the other
/// coming first. The key holds, for each component, its kind as one byte, its bytes for a
/// name (or a Windows prefix), and a NUL, which no component holds; components are what
/// `Path::components` yields, so `a//b/./c/` and `a/b/c` have the same key, as they are equal.
pub(super) fn order_key(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for component in path.components() {
        let (kind, bytes) = match component {
            Component::Prefix(prefix) => (0, prefix.as_os_str().as_encoded_bytes()),
            Component::RootDir => (1, &[][..]),
            Component::CurDir => (2, &[][..]),
            Component::ParentDir => (3, &[][..]),
            Component::Normal(name) => (4, name.as_encoded_bytes()),
        };
        key.push(kind);
        key.extend_from_slice(bytes);
        key.push(0);
    }
    key
}

/// The entries below one input, in no particular order.
fn walk_input(input: &Path, excluded: &Arc<Excluded>, stop: Option<fn() -> bool>) -> Vec<Entry> {
    let root = layout_root(input);
    let found = Mutex::new(Vec::new());
    let excluded = Arc::clone(excluded);
    WalkBuilder::new(input)
        .standard_filters(false)
        .follow_links(true)
        .threads(rayon::current_num_threads())
        .filter_entry(move |entry| !excluded.contains(entry))
        .build_parallel()
        .run(|| {
            let (found, root) = (&found, &root);
            Box::new(move |item| {
                if stop.is_some_and(|stop| stop()) {
                    return WalkState::Quit;
                }
                if let Some(entry) = classify(item, input, root) {
                    found.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
                }
                WalkState::Continue
            })
        });
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// The folder whose layout applies to everything below `input`.
fn layout_root(input: &Path) -> Arc<Path> {
    match fs::metadata(input) {
        Ok(metadata) if !metadata.is_dir() => input.parent().unwrap_or(input).into(),
        _ => input.into(),
    }
}

/// Turns one walker item into an entry; directories give none.
fn classify(
    item: Result<DirEntry, ignore::Error>,
    input: &Path,
    root: &Arc<Path>,
) -> Option<Entry> {
    let (path, found) = match item {
        Err(err) => (
            error_path(&err).unwrap_or(input).to_path_buf(),
            Found::Unreadable(describe(&err)),
        ),
        Ok(entry) if entry.file_type().is_none_or(|t| t.is_dir()) => return None,
        Ok(entry) => {
            let found = found_file(&entry);
            (entry.into_path(), found)
        }
    };
    Some(Entry {
        path,
        root: Arc::clone(root),
        found,
    })
}

/// A non-directory entry, judged from its type (from the directory listing, or from the
/// target's metadata for a followed link) without opening it.
fn found_file(entry: &DirEntry) -> Found {
    match entry.file_type() {
        Some(file_type) if file_type.is_file() => Found::File,
        Some(file_type) => Found::Special(special_kind(file_type).to_string()),
        None => Found::Unreadable("no file type".to_string()),
    }
}

/// The path a walk error is about, looking through the walker's context wrappers.
fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// The reason shown for an unreadable entry: the operating system's message, or the loop.
fn describe(err: &ignore::Error) -> String {
    match err {
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop back to {}", ancestor.display())
        }
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => describe(err),
        other => other
            .io_error()
            .map_or_else(|| other.to_string(), ToString::to_string),
    }
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
        entry.file_type().is_some_and(|t| t.is_dir())
            && self.names.contains(entry.file_name())
            && fs::canonicalize(entry.path()).is_ok_and(|path| self.canonical.contains(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths of up to three components from names chosen to sort differently byte by byte
    /// than component by component (`-` and `.` sort below `/`), with empty and `.`
    /// components, `..`, and with and without a leading or trailing separator.
    fn awkward_paths() -> Vec<PathBuf> {
        let names = ["a", "a-b", "ab", "-", ".", "..", ""];
        let mut joined: Vec<String> = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = joined
                .iter()
                .flat_map(|path| names.iter().map(move |name| format!("{path}/{name}")))
                .collect();
            joined.extend(longer);
        }
        joined
            .iter()
            .flat_map(|path| {
                let relative = path.trim_start_matches('/').to_string();
                [
                    format!("/{relative}"),
                    relative.clone(),
                    format!("{relative}/"),
                ]
            })
            .map(PathBuf::from)
            .collect()
    }

    #[test]
    fn order_keys_sort_paths_as_path_cmp_does() {
        let paths = awkward_paths();
        assert!(paths.len() > 1000);
        let keys: Vec<Vec<u8>> = paths.iter().map(|path| order_key(path)).collect();
        for (a, key_a) in paths.iter().zip(&keys) {
            for (b, key_b) in paths.iter().zip(&keys) {
                assert_eq!(key_a.cmp(key_b), a.cmp(b), "{a:?} against {b:?}");
            }
        }
    }
}
