//! Handing memory the scan no longer uses back to the system.
//!
//! glibc's allocator keeps the pages it once handed out, and gives each thread a heap of its
//! own. What discovery frees (the walker threads' lists, the copies made while grouping) and
//! what one batch frees on one thread's heap while the next batch allocates on another's stay
//! resident, scattered between the blocks that live on. Handing back the wholly free pages
//! after discovery and after every batch keeps the resident set closer to what is live; it
//! offsets what the collection's exact-size lists cost in block placement, and leaves the
//! growth of peak RSS with the number of machines where it was (docs/performance.md).

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
