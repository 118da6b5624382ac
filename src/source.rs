//! Where evidence bytes come from, opened read-only.
//!
//! Today every input is a file on a mounted file system. A hive is read with `pread`, a page at
//! a time as lookups need them ([`PagedFile`]); a transaction log is mapped and read front to
//! back ([`EvidenceBytes`]). Disk images and collection archives will add variants to
//! [`Evidence`] that offer the same two ways in.

use std::fmt;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::ops::Deref;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use memmap2::{Mmap, MmapMut, MmapOptions};

use crate::hive::PagedHive;
use sha2::{Digest, Sha256};

/// Bytes read per call when hashing a file.
const HASH_BLOCK: usize = 1 << 20;

/// One piece of evidence: a file that may hold a hive or a transaction log. Cheap to clone:
/// the rows and lists that name a file share its path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// A regular file on a mounted file system.
    File(Arc<Path>),
}

impl Evidence {
    /// The path shown in reports.
    pub fn display_path(&self) -> String {
        match self {
            Evidence::File(path) => path.display().to_string(),
        }
    }

    /// The file-system path, where there is one.
    pub fn path(&self) -> &Path {
        match self {
            Evidence::File(path) => path,
        }
    }

    /// The file name (last path component).
    pub fn file_name(&self) -> String {
        self.path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The SHA-256 of the whole content, as 64 lower-case hex digits, read front to back in
    /// blocks (never mapped, so hashing leaves nothing mapped behind).
    pub fn sha256(&self) -> io::Result<String> {
        let (mut file, _) = open_regular(self.path())?;
        let mut hasher = Sha256::new();
        let mut block = vec![0u8; HASH_BLOCK];
        loop {
            match file.read(&mut block) {
                Ok(0) => break,
                Ok(read) => hasher.update(&block[..read]),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        Ok(hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect())
    }

    /// Maps the whole content copy-on-write: writes to the map change private copies of the
    /// touched pages only, never the file. Used to patch a recovered hive in place.
    pub fn open_copy_on_write(&self) -> io::Result<MmapMut> {
        let (file, metadata) = open_regular(self.path())?;
        map_copy_on_write(&file, metadata.len())
    }

    /// Opens the content to be read in windows at chosen offsets, with read-ahead off, so that
    /// only the pages asked for are read from the disk and nothing is mapped.
    pub fn open_paged(&self) -> io::Result<PagedFile> {
        let (file, metadata) = open_regular(self.path())?;
        advise_no_read_ahead(&file);
        let len = usize::try_from(metadata.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too large to read"))?;
        Ok(PagedFile { file, len })
    }

    /// Maps the whole content read-only, to be read front to back, possibly only in part (a
    /// transaction log): pages are mapped as they are first read, with read-ahead, so the
    /// unused rest of a log (padding, or entries left from its earlier use) costs nothing.
    pub fn open(&self) -> io::Result<EvidenceBytes> {
        let (file, metadata) = open_regular(self.path())?;
        if metadata.len() == 0 {
            return Ok(EvidenceBytes::Owned(Vec::new()));
        }
        Ok(EvidenceBytes::Mapped(map_read_only(&file, metadata.len())?))
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_path())
    }
}

/// An opened piece of evidence, read by `pread` at chosen offsets.
pub struct PagedFile {
    file: File,
    len: usize,
}

impl PagedFile {
    /// Size of the content in bytes, as it was when opened.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first `limit` bytes (fewer when the content is shorter): enough to sniff a header.
    pub fn prefix(&self, limit: usize) -> io::Result<Vec<u8>> {
        let mut prefix = vec![0; self.len.min(limit)];
        self.file.read_exact_at(&mut prefix, 0)?;
        Ok(prefix)
    }

    /// The content as a hive read page by page on demand.
    pub fn hive(&self) -> PagedHive<'_> {
        PagedHive::new(
            self.len,
            Box::new(|offset, window| self.read_window(offset, window)),
        )
    }

    /// Fills `window` with the bytes from `offset`; what lies past the end is zero.
    pub fn read_window(&self, offset: usize, window: &mut [u8]) -> io::Result<()> {
        let available = self.len.saturating_sub(offset).min(window.len());
        let (present, past_end) = window.split_at_mut(available);
        self.file.read_exact_at(present, offset as u64)?;
        past_end.fill(0);
        Ok(())
    }
}

/// A [`PagedFile`] that discovery opened and keeps for the audit, so that a hive is opened
/// once per scan, not once to sniff and again to read. It is handed over once: the first
/// [`take`](KeptFile::take) gets it and closes it when done; a clone starts empty. At most
/// half of the process's open-file limit is kept at a time; a file past that is closed at
/// once and opened again when it is read.
#[derive(Default)]
pub struct KeptFile(Mutex<Option<(PagedFile, KeptSlot)>>);

impl KeptFile {
    /// Keeps `file` when the budget of kept files allows it, else closes it.
    pub fn keep(file: PagedFile) -> Self {
        match KeptSlot::claim() {
            Some(slot) => KeptFile(Mutex::new(Some((file, slot)))),
            None => KeptFile::default(),
        }
    }

    /// The kept file, to the first caller only.
    pub fn take(&self) -> Option<PagedFile> {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.take().map(|(file, _slot)| file)
    }
}

impl Clone for KeptFile {
    fn clone(&self) -> Self {
        KeptFile::default()
    }
}

impl fmt::Debug for KeptFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f.write_str(if kept.is_some() {
            "KeptFile(open)"
        } else {
            "KeptFile(none)"
        })
    }
}

/// Files kept open by every [`KeptFile`] of the process.
static KEPT_FILES: AtomicUsize = AtomicUsize::new(0);

/// One of the kept files counted in [`KEPT_FILES`]; gives its place back when dropped.
struct KeptSlot;

impl KeptSlot {
    fn claim() -> Option<Self> {
        let budget = kept_file_budget();
        KEPT_FILES
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |kept| {
                (kept < budget).then_some(kept + 1)
            })
            .ok()
            .map(|_| KeptSlot)
    }
}

impl Drop for KeptSlot {
    fn drop(&mut self) {
        KEPT_FILES.fetch_sub(1, Ordering::Relaxed);
    }
}

/// How many files may be kept open: half the soft limit on open files, at most 8,192, so
/// that the walk, the logs and the reports always have descriptors to spare.
fn kept_file_budget() -> usize {
    static BUDGET: OnceLock<usize> = OnceLock::new();
    *BUDGET.get_or_init(|| (open_file_limit() / 2).min(8_192))
}

/// Descriptors beyond the kept files that a scan has open at once: standard streams, the
/// folders being listed, a hive's logs and the reports.
#[cfg(target_os = "linux")]
const WORKING_DESCRIPTORS: usize = 256;

/// Grows the process's table of open files, once, to hold every file discovery may keep
/// (see [`KeptFile`]) next to the scan's working ones. Call it before the process starts
/// threads: Linux makes a process with several threads wait for an RCU grace period, about a
/// scheduler tick, each time the table doubles, and a scan that keeps a thousand hives open
/// would pay that five times on its critical path.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub fn reserve_descriptors() {
    use std::os::fd::AsRawFd;
    let Ok(root) = File::open("/") else {
        return;
    };
    let lowest = kept_file_budget() + WORKING_DESCRIPTORS;
    // SAFETY: F_DUPFD_CLOEXEC duplicates a descriptor `root` owns into the lowest free slot at
    // or above `lowest`, never over an open one; the duplicate is closed at once. Failure
    // (a limit below `lowest`) leaves the table as it was, which costs only speed.
    unsafe {
        let duplicate = libc::fcntl(
            root.as_raw_fd(),
            libc::F_DUPFD_CLOEXEC,
            lowest as libc::c_int,
        );
        if duplicate >= 0 {
            libc::close(duplicate);
        }
    }
}

/// Other systems grow their table of open files without waiting on other threads.
#[cfg(not(target_os = "linux"))]
pub fn reserve_descriptors() {}

/// The soft limit on open files; 0 (keep nothing) when it cannot be read.
#[allow(unsafe_code)]
fn open_file_limit() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit struct through a pointer to a live local.
    match unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } {
        0 => usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX),
        _ => 0,
    }
}

/// Opens `path` read-only and refuses anything but a regular file. The open itself is
/// non-blocking, so a FIFO or device that replaced a file since discovery cannot stall the
/// run; one `open` and one `fstat` per file.
fn open_regular(path: &Path) -> io::Result<(File, Metadata)> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok((file, metadata))
}

/// Tells the kernel not to read ahead of the header read: a hive is then read only where
/// its lookups go, so a cold scan pulls no unneeded pages from the disk.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn advise_no_read_ahead(file: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: posix_fadvise only reads its integer arguments; the descriptor is open and owned
    // by `file` for the duration of the call. The advice is a hint, so its result is ignored.
    let _ = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_RANDOM) };
}

/// macOS has no `posix_fadvise`; `F_RDAHEAD` 0 turns read-ahead off for the descriptor.
#[cfg(target_vendor = "apple")]
#[allow(unsafe_code)]
fn advise_no_read_ahead(file: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: fcntl with F_RDAHEAD only reads its integer arguments; the descriptor is open and
    // owned by `file` for the duration of the call. The result is ignored (a hint).
    let _ = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_RDAHEAD, 0) };
}

/// Elsewhere read-ahead is left to the system.
#[cfg(not(any(target_os = "linux", target_vendor = "apple")))]
fn advise_no_read_ahead(_file: &File) {}

/// Maps `file` read-only.
///
/// The one unsafe operation in hiveaudit: a mapping is undefined behaviour if another process
/// truncates the file while it is mapped. Evidence copies are not modified while a scan runs;
/// the mapping is private and never written.
#[allow(unsafe_code)]
fn map_read_only(file: &File, len: u64) -> io::Result<Mmap> {
    // SAFETY: read-only mapping of an evidence file that nothing writes during the scan.
    let map = unsafe { map_options(len)?.map(file) }?;
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(map)
}

/// Maps `file` privately and writably (copy-on-write).
///
/// Same caveat as [`map_read_only`]: the file must not be truncated while mapped. Writes go to
/// private copies of the touched pages and never reach the file.
#[allow(unsafe_code)]
fn map_copy_on_write(file: &File, len: u64) -> io::Result<MmapMut> {
    // SAFETY: a private mapping of an evidence file that nothing truncates during the run.
    unsafe { map_options(len)?.map_copy(file) }
}

/// Options mapping `len` bytes, the size `open_regular` already read: memmap2 would
/// otherwise ask the file for it again (one `fstat` more per hive).
fn map_options(len: u64) -> io::Result<MmapOptions> {
    let len = usize::try_from(len)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too large to map"))?;
    let mut options = MmapOptions::new();
    options.len(len);
    Ok(options)
}

/// The bytes of a piece of evidence, mapped or owned.
pub enum EvidenceBytes {
    /// A read-only memory map of a file.
    Mapped(Mmap),
    /// Bytes held in memory (empty files, recovered hives, later: files read from images).
    Owned(Vec<u8>),
}

impl Deref for EvidenceBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            EvidenceBytes::Mapped(map) => map,
            EvidenceBytes::Owned(bytes) => bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prefix_and_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hive");
        std::fs::write(&path, b"regf and more").unwrap();
        let evidence = Evidence::File(path.into());
        let file = evidence.open_paged().unwrap();
        assert_eq!(
            (file.prefix(4).unwrap(), file.len()),
            (b"regf".to_vec(), 13)
        );
        assert_eq!(file.prefix(100).unwrap(), b"regf and more");
        assert_eq!(&*evidence.open().unwrap(), b"regf and more");
        assert_eq!(evidence.file_name(), "hive");
        assert_eq!(
            evidence.sha256().unwrap(),
            "479d2ec21027f83c9bdeb1e7aaca9db6fd613509e45ec2c2ba80f256d35e8e2b"
        );
    }

    #[test]
    fn a_kept_file_is_handed_over_once_and_never_cloned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hive");
        std::fs::write(&path, b"regf").unwrap();
        let kept = KeptFile::keep(Evidence::File(path.into()).open_paged().unwrap());
        assert_eq!(format!("{kept:?}"), "KeptFile(open)");
        assert!(kept.clone().take().is_none());
        assert_eq!(kept.take().unwrap().prefix(4).unwrap(), b"regf");
        assert!(kept.take().is_none());
        assert_eq!(format!("{kept:?}"), "KeptFile(none)");
    }

    #[test]
    fn copy_on_write_maps_never_change_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hive");
        std::fs::write(&path, b"regf bytes").unwrap();
        let mut map = Evidence::File(path.as_path().into())
            .open_copy_on_write()
            .unwrap();
        map[0] = b'R';
        assert_eq!(&map[..4], b"Regf");
        assert_eq!(std::fs::read(&path).unwrap(), b"regf bytes");
    }

    #[test]
    fn paged_reads_zero_what_lies_past_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hive");
        std::fs::write(&path, b"regf and more").unwrap();
        let file = Evidence::File(path.into()).open_paged().unwrap();
        assert_eq!(file.len(), 13);
        let mut window = [0xAAu8; 8];
        file.read_window(9, &mut window).unwrap();
        assert_eq!(&window, b"more\0\0\0\0");
        file.read_window(100, &mut window).unwrap();
        assert_eq!(window, [0; 8]);
    }

    #[test]
    fn empty_files_open_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty");
        std::fs::write(&path, b"").unwrap();
        assert!(Evidence::File(path.into()).open().unwrap().is_empty());
    }

    #[test]
    fn directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = Evidence::File(dir.path().into()).open().err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
