//! Where evidence bytes come from, opened read-only.
//!
//! Today every input is a file on a mounted file system, memory-mapped so that a lookup touches
//! only the pages it needs. Disk images and collection archives will add variants to
//! [`Evidence`]; everything downstream sees only [`EvidenceBytes`].

use std::fmt;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::ops::Deref;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use memmap2::{Mmap, MmapMut, MmapOptions};
use sha2::{Digest, Sha256};

/// Bytes read per call when hashing a file.
const HASH_BLOCK: usize = 1 << 20;

/// How the bytes of an opened piece of evidence will be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A few cells here and there (hive lookups): only the pages touched are mapped, one
    /// fault each, without read-ahead.
    Lookups,
    /// Front to back, possibly only in part (transaction logs): pages are mapped as they are
    /// first read, with read-ahead, so the unused rest of a log (zero padding or entries left
    /// from its earlier use) costs nothing, and neither does a huge sparse file.
    Whole,
}

/// One piece of evidence: a file that may hold a hive or a transaction log.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// A regular file on a mounted file system.
    File(PathBuf),
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

    /// Reads at most `limit` bytes from the start (enough to sniff a header without mapping)
    /// and returns them with the file's size, both from one open.
    pub fn read_prefix(&self, limit: usize) -> io::Result<(Vec<u8>, u64)> {
        let (file, metadata) = open_regular(self.path())?;
        advise_no_read_ahead(&file);
        let mut buffer = Vec::with_capacity(limit);
        file.take(limit as u64).read_to_end(&mut buffer)?;
        Ok((buffer, metadata.len()))
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

    /// Opens the whole content read-only, mapped for the way it will be read.
    pub fn open(&self, access: Access) -> io::Result<EvidenceBytes> {
        let (file, metadata) = open_regular(self.path())?;
        if metadata.len() == 0 {
            return Ok(EvidenceBytes::Owned(Vec::new()));
        }
        Ok(EvidenceBytes::Mapped(map_read_only(
            &file,
            metadata.len(),
            access,
        )?))
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_path())
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
fn map_read_only(file: &File, len: u64, access: Access) -> io::Result<Mmap> {
    // SAFETY: read-only mapping of an evidence file that nothing writes during the scan.
    let map = unsafe { map_options(len)?.map(file) }?;
    // Lookups jump between cells, so reading ahead only costs; a log is read front to back.
    let advice = match access {
        Access::Lookups => memmap2::Advice::Random,
        Access::Whole => memmap2::Advice::Sequential,
    };
    let _ = map.advise(advice);
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
    /// A copy-on-write map patched in memory (a recovered hive); the file is untouched.
    Patched(MmapMut),
    /// Bytes held in memory (empty files, recovered hives, later: files read from images).
    Owned(Vec<u8>),
}

impl Deref for EvidenceBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            EvidenceBytes::Mapped(map) => map,
            EvidenceBytes::Patched(map) => map,
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
        let evidence = Evidence::File(path);
        assert_eq!(evidence.read_prefix(4).unwrap(), (b"regf".to_vec(), 13));
        assert_eq!(&*evidence.open(Access::Lookups).unwrap(), b"regf and more");
        assert_eq!(evidence.file_name(), "hive");
        assert_eq!(
            evidence.sha256().unwrap(),
            "479d2ec21027f83c9bdeb1e7aaca9db6fd613509e45ec2c2ba80f256d35e8e2b"
        );
    }

    #[test]
    fn copy_on_write_maps_never_change_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hive");
        std::fs::write(&path, b"regf bytes").unwrap();
        let mut map = Evidence::File(path.clone()).open_copy_on_write().unwrap();
        map[0] = b'R';
        assert_eq!(&map[..4], b"Regf");
        assert_eq!(std::fs::read(&path).unwrap(), b"regf bytes");
    }

    #[test]
    fn empty_files_open_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty");
        std::fs::write(&path, b"").unwrap();
        assert!(Evidence::File(path).open(Access::Whole).unwrap().is_empty());
    }

    #[test]
    fn directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = Evidence::File(dir.path().to_path_buf())
            .open(Access::Lookups)
            .err()
            .unwrap();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
