//! A hive read page by page, on demand.
//!
//! A targeted audit reads a few dozen cells of a hive that may be megabytes long. Mapping each
//! hive into memory makes every lookup cheap, but the map itself is not: on Linux each map
//! and unmap takes the process-wide address-space lock and, once two threads run, an unmap
//! interrupts the other cores to flush their TLBs. Reading the few pages a lookup needs with
//! `pread` into the heap does neither, so threads scale. Each page is
//! read once per hive; a range that spans pages is read as one contiguous run.

use std::cell::{Cell, RefCell};
use std::io;

use elsa::FrozenMap;
use rustc_hash::FxBuildHasher;

use super::reader::{HiveError, HiveResult};

/// Size of the pages a hive is read in (the hive-bin granule).
pub const PAGE_SIZE: usize = 4096;
/// Most bytes of pages one hive may hold in memory; a crafted hive whose lookups would read
/// more (huge cells read at many offsets) fails its lookups instead.
pub const ARENA_LIMIT: usize = 64 << 20;
/// Page buffers a thread keeps from one hive for the next (1 MiB), so that reading a page
/// costs neither an allocation nor zeroing memory that the read overwrites anyway.
const SPARE_PAGES: usize = 256;

thread_local! {
    static SPARES: RefCell<Vec<Box<[u8]>>> = const { RefCell::new(Vec::new()) };
}

/// Fills `window` with the hive's bytes from `offset` (a multiple of [`PAGE_SIZE`]; the
/// window is whole pages), writing every byte of it: bytes past the end of the source are
/// zero. The window may hold anything before the call.
pub type Fill<'f> = Box<dyn Fn(usize, &mut [u8]) -> io::Result<()> + 'f>;

/// Fills `window` from `bytes` held in memory, starting at `offset`, with zeros past their
/// end: a [`Fill`] for a hive that is already in memory (tests, fuzzing, benchmarks).
pub fn copy_window(bytes: &[u8], offset: usize, window: &mut [u8]) {
    let present = bytes.get(offset..).unwrap_or_default();
    let kept = present.len().min(window.len());
    window[..kept].copy_from_slice(&present[..kept]);
    window[kept..].fill(0);
}

/// A hive of known length whose pages are fetched on first use and then kept until the
/// hive is dropped (the slices handed out borrow them).
pub struct PagedHive<'f> {
    len: usize,
    fill: Fill<'f>,
    /// Page index → its bytes.
    pages: FrozenMap<usize, Box<[u8]>, FxBuildHasher>,
    /// (first page, page count) → the bytes of a run read in one piece.
    runs: FrozenMap<(usize, usize), Box<[u8]>, FxBuildHasher>,
    /// The runs read so far, to serve single pages from.
    run_keys: RefCell<Vec<(usize, usize)>>,
    /// Bytes held in pages and runs.
    held: Cell<usize>,
}

impl<'f> PagedHive<'f> {
    /// A hive `len` bytes long whose pages `fill` reads.
    pub fn new(len: usize, fill: Fill<'f>) -> Self {
        PagedHive {
            len,
            fill,
            pages: FrozenMap::default(),
            runs: FrozenMap::default(),
            run_keys: RefCell::default(),
            held: Cell::new(0),
        }
    }

    /// Length of the hive in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the hive has no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many bytes of the hive have been read so far (each page or run once).
    pub fn bytes_read(&self) -> usize {
        self.held.get()
    }

    /// The `len` bytes at `offset`, reading the pages under them if they were not read yet.
    pub fn range(&self, offset: usize, len: usize) -> HiveResult<&[u8]> {
        let end = offset
            .checked_add(len)
            .filter(|&end| end <= self.len)
            .ok_or_else(|| {
                HiveError(format!(
                    "{len} bytes at offset {offset:#x} run past the end of the hive ({} bytes)",
                    self.len
                ))
            })?;
        if len == 0 {
            return Ok(&[]);
        }
        let first = offset / PAGE_SIZE;
        let last = (end - 1) / PAGE_SIZE;
        let within = offset - first * PAGE_SIZE;
        let bytes = if first == last {
            self.page(first)?
        } else {
            self.run(first, last - first + 1)?
        };
        Ok(&bytes[within..within + len])
    }

    /// The bytes from `offset` to the end of its page (or of the hive), reading the page if
    /// it was not read yet; `None` past the end or when the page cannot be read.
    pub fn rest_of_page(&self, offset: usize) -> Option<&[u8]> {
        if offset >= self.len {
            return None;
        }
        let index = offset / PAGE_SIZE;
        let page = self.page(index).ok()?;
        let end = (self.len - index * PAGE_SIZE).min(PAGE_SIZE);
        page.get(offset % PAGE_SIZE..end)
    }

    /// Page `index`, read on first use (or taken from a run that covers it).
    fn page(&self, index: usize) -> HiveResult<&[u8]> {
        if let Some(page) = self.pages.get(&index) {
            return Ok(page);
        }
        if let Some(page) = self.page_in_run(index) {
            return Ok(page);
        }
        let mut page = SPARES
            .with(|spares| spares.borrow_mut().pop())
            .unwrap_or_else(|| vec![0; PAGE_SIZE].into_boxed_slice());
        self.fill_window(index, &mut page)?;
        Ok(self.pages.insert(index, page))
    }

    /// Page `index` as part of a run read earlier.
    fn page_in_run(&self, index: usize) -> Option<&[u8]> {
        let key = *self
            .run_keys
            .borrow()
            .iter()
            .find(|(first, count)| (*first..first + count).contains(&index))?;
        let within = (index - key.0) * PAGE_SIZE;
        Some(&self.runs.get(&key)?[within..within + PAGE_SIZE])
    }

    /// The run of `count` pages from `first`, read on first use in one piece, so that a cell
    /// spanning pages is contiguous.
    fn run(&self, first: usize, count: usize) -> HiveResult<&[u8]> {
        if let Some(run) = self.runs.get(&(first, count)) {
            return Ok(run);
        }
        let mut run = vec![0; count * PAGE_SIZE].into_boxed_slice();
        self.fill_window(first, &mut run)?;
        self.run_keys.borrow_mut().push((first, count));
        Ok(self.runs.insert((first, count), run))
    }

    /// Reads the pages from page `first` into `window`, within [`ARENA_LIMIT`].
    fn fill_window(&self, first: usize, window: &mut [u8]) -> HiveResult<()> {
        let bytes = window.len();
        if self.held.get() + bytes > ARENA_LIMIT {
            return Err(HiveError(format!(
                "lookups in this hive would hold more than {} MiB of its pages",
                ARENA_LIMIT >> 20
            )));
        }
        (self.fill)(first * PAGE_SIZE, window).map_err(|error| {
            HiveError(format!(
                "cannot read {bytes} bytes at offset {:#x}: {error}",
                first * PAGE_SIZE
            ))
        })?;
        self.held.set(self.held.get() + bytes);
        Ok(())
    }
}

impl Drop for PagedHive<'_> {
    /// Keeps the page buffers for the thread's next hive.
    fn drop(&mut self) {
        SPARES.with(|spares| {
            let mut spares = spares.borrow_mut();
            let room = SPARE_PAGES.saturating_sub(spares.len());
            spares.extend(self.pages.as_mut().drain().map(|(_, page)| page).take(room));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    /// A hive of `len` bytes where byte `i` is `i % 251`, counting the bytes filled.
    fn counted(len: usize) -> (PagedHive<'static>, Rc<Cell<usize>>) {
        let filled = Rc::new(Cell::new(0));
        let counter = Rc::clone(&filled);
        let fill: Fill<'static> = Box::new(move |offset, window: &mut [u8]| {
            counter.set(counter.get() + window.len());
            for (at, byte) in window.iter_mut().enumerate() {
                let position = offset + at;
                *byte = if position < len {
                    (position % 251) as u8
                } else {
                    0
                };
            }
            Ok(())
        });
        (PagedHive::new(len, fill), filled)
    }

    fn expected(offset: usize, len: usize) -> Vec<u8> {
        (offset..offset + len).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn ranges_hold_the_source_bytes_within_and_across_pages() {
        let (hive, _) = counted(5 * PAGE_SIZE + 100);
        assert_eq!(hive.range(10, 20).unwrap(), expected(10, 20));
        assert_eq!(
            hive.range(PAGE_SIZE - 8, 16).unwrap(),
            expected(PAGE_SIZE - 8, 16)
        );
        assert_eq!(
            hive.range(PAGE_SIZE, 3 * PAGE_SIZE + 7).unwrap(),
            expected(PAGE_SIZE, 3 * PAGE_SIZE + 7)
        );
        assert_eq!(
            hive.range(5 * PAGE_SIZE, 100).unwrap(),
            expected(5 * PAGE_SIZE, 100)
        );
    }

    #[test]
    fn each_page_is_read_once_and_earlier_slices_stay_valid() {
        let (hive, filled) = counted(8 * PAGE_SIZE);
        let first = hive.range(100, 8).unwrap();
        let again = hive.range(200, 8).unwrap();
        assert_eq!(filled.get(), PAGE_SIZE);
        let _spanning = hive.range(2 * PAGE_SIZE - 4, 8).unwrap();
        assert_eq!(filled.get(), 3 * PAGE_SIZE);
        // Pages read as part of a run serve later single-page reads.
        hive.range(2 * PAGE_SIZE + 50, 8).unwrap();
        assert_eq!(filled.get(), 3 * PAGE_SIZE);
        assert_eq!(hive.bytes_read(), 3 * PAGE_SIZE);
        assert_eq!(first, expected(100, 8));
        assert_eq!(again, expected(200, 8));
    }

    #[test]
    fn ranges_past_the_end_fail_without_reading() {
        let (hive, filled) = counted(PAGE_SIZE + 10);
        assert!(hive.range(PAGE_SIZE, 11).is_err());
        assert!(hive.range(usize::MAX, 2).is_err());
        assert!(hive.range(PAGE_SIZE + 10, 0).unwrap().is_empty());
        assert_eq!(filled.get(), 0);
    }

    #[test]
    fn read_errors_become_hive_errors() {
        let fill: Fill<'static> =
            Box::new(|_, _: &mut [u8]| Err(io::Error::other("device went away")));
        let hive = PagedHive::new(PAGE_SIZE, fill);
        let error = hive.range(0, 4).unwrap_err();
        assert!(error.0.contains("device went away"), "{error}");
    }

    #[test]
    fn the_arena_limit_bounds_what_one_hive_holds() {
        let (hive, _) = counted(ARENA_LIMIT + 4 * PAGE_SIZE);
        // Runs at many offsets, each nearly a MiB: the limit stops them.
        let mut failed = false;
        for start in 0..80 {
            if hive.range(start * PAGE_SIZE + 1, 1 << 20).is_err() {
                failed = true;
                break;
            }
        }
        assert!(failed);
    }
}
