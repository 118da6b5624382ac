#!/usr/bin/env python3
"""pages-touched.py HIVEAUDIT FLEET [SCAN ARGS...]

Measures how much of the clean hives a scan reads: evicts every file of FLEET from the page
cache (posix_fadvise DONTNEED), runs `HIVEAUDIT scan FLEET --out TMP --force --quiet ARGS`,
then counts with mincore(2) the pages of each clean hive (status `clean` in hives.csv) that
are resident. Prints the pages touched as a share of the clean hives' bytes.

Evicting the page cache makes the next run of any tool over FLEET start cold; run it on a
fleet nobody else is timing. A page that was resident before eviction and could not be
dropped (mapped by another process) would count as touched, so the figure is an upper bound.
"""
import csv, ctypes, mmap, os, subprocess, sys, tempfile

libc = ctypes.CDLL(None, use_errno=True)
PAGE = os.sysconf("SC_PAGE_SIZE")


def evict(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)  # dirty pages (a freshly built fleet) cannot be dropped
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def resident_pages(path):
    size = os.path.getsize(path)
    if size == 0:
        return 0, 0
    with open(path, "rb") as f:
        m = mmap.mmap(f.fileno(), size, access=mmap.ACCESS_COPY)
    try:
        pages = (size + PAGE - 1) // PAGE
        vec = (ctypes.c_ubyte * pages)()
        addr = ctypes.addressof(ctypes.c_char.from_buffer(m))
        if libc.mincore(ctypes.c_void_p(addr), ctypes.c_size_t(size), vec) != 0:
            raise OSError(ctypes.get_errno(), "mincore")
        return sum(b & 1 for b in vec), pages
    finally:
        m.close()


def main():
    binary, fleet, *args = sys.argv[1:]
    files = [os.path.join(d, f) for d, _, fs in os.walk(fleet) for f in fs]
    for path in files:
        evict(path)
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([binary, "scan", fleet, "--out", out, "--force", "--quiet", *args])
        rows = list(csv.DictReader(open(os.path.join(out, "hives.csv"), encoding="utf-8")))
    clean = [r["path"] for r in rows if r["status"] == "clean"]
    touched = total = 0
    for path in clean:
        t, n = resident_pages(path)
        touched += t
        total += n
    print(f"clean hives: {len(clean)}, {total * PAGE / 2**20:.0f} MiB; "
          f"pages touched: {touched} ({touched * PAGE / 2**20:.1f} MiB) = "
          f"{100 * touched / max(total, 1):.2f}% of their bytes")


if __name__ == "__main__":
    main()
