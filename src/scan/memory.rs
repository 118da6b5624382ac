//! Handing memory the scan no longer uses back to the system.
//!
//! glibc's allocator keeps the pages it once handed out, and gives each thread a heap of its
//! own. What discovery frees (the walker threads' lists, the placements made while grouping)
//! and what one thread frees while another allocates (a batch's rows are written on one
//! thread and were made on every other) stays resident, scattered between the blocks that
//! live on: with more batches, the heaps spread further, and the high-water mark rose with the
//! number of machines instead of staying at what one batch needs. Handing back the wholly free
//! pages after discovery and after every batch keeps it to what is live.

/// Returns the pages that hold no live allocation to the system (glibc `malloc_trim`); the
/// allocator faults them in again, zeroed, if it reuses them.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub(super) fn release_free_pages() {
    // SAFETY: malloc_trim takes no pointer: it only walks the allocator's own free lists,
    // under the allocator's locks, so any thread may call it at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Other allocators hand free memory back by themselves, or offer no way to ask.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(super) fn release_free_pages() {}
