#!/usr/bin/env bash
# bench-fleet.sh [MACHINES] [RUNS]
#
# Reproducible fleet comparison: builds a KAPE-style fleet of MACHINES machines (default 400)
# from the shared corpus with ../shared/bench/make_fleet.sh, warms the page cache, then times
# `hiveaudit scan` (default, and --no-recover, and with one thread) against the peer scripts in
# ../shared/bench (libhivex via Debian python3-hivex, regipy from PyPI), RUNS rounds of every
# tool once (default 5). Prints median wall time, CPU time, peak RSS and the ratios as a
# Markdown table.
#
# Environment: FLEET_DIR (default: a directory under ${TMPDIR:-/tmp}, reused when it already
# holds MACHINES machines), SKIP_PEERS=1 to time hiveaudit only, HIVEAUDIT (binary to time;
# default: built here with cargo build --release).
set -euo pipefail
machines=${1:-400}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$(cd "$here/.." && pwd)/shared}
fleet=${FLEET_DIR:-${TMPDIR:-/tmp}/hiveaudit-fleet-$machines}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

install_peers() {
  if ! /usr/bin/python3 -c 'import hivex' 2>/dev/null; then
    apt-get update -qq
    apt-get install -y -qq python3-hivex >/dev/null
  fi
  if ! python3 -c 'import regipy' 2>/dev/null; then
    python3 -m pip install -q regipy >/dev/null
  fi
}

if [[ ! -d $fleet || $(find "$fleet" -mindepth 1 -maxdepth 1 -type d | wc -l) -ne $machines ]]; then
  rm -rf "$fleet"
  bash "$shared/bench/make_fleet.sh" "$fleet" "$machines" >&2
fi
if [[ -z ${HIVEAUDIT:-} ]]; then
  (cd "$here" && cargo build --release -q)
  HIVEAUDIT=${CARGO_TARGET_DIR:-$here/target}/release/hiveaudit
fi
[[ ${SKIP_PEERS:-} == 1 ]] || install_peers

# timed COMMAND...: runs COMMAND (output discarded) and prints "wall user sys maxrss_kib",
# with times to the tenth of a millisecond (/usr/bin/time gives only hundredths of a second;
# it still measures the peak RSS, which a child forked from Python would overstate).
timed() {
  python3 - "$out/rss" "$@" <<'PY'
import os, subprocess, sys, time
rss_file, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
child = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_file, *command],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, _, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
rss = open(rss_file).read().split()[-1]
print(f"{wall:.4f} {usage.ru_utime:.4f} {usage.ru_stime:.4f} {rss}")
PY
}

# once LABEL COMMAND...: one timed run; prints "LABEL wall user sys rss".
# Before it, untimed, the page cache is warmed with every byte once and then with one run of
# the same command. Some hosts reclaim page cache that stays idle for a few seconds (this
# one runs DAMON-based reclaim, kdamond), so pages read by `cat` at the start of a 6 GB warm-up
# can be gone again when the timed run starts; a tool that reads few pages would then be timed
# against the disk, one 4 KiB read at a time. The command's own warm-up run, right before the
# timed one, leaves exactly the pages it reads in the cache, for every tool alike.
# The warm-up run's reports are deleted before the timed run, untimed, so that hiveaudit
# writes into an empty report directory, as the peers write to /dev/null: replacing an
# earlier run's reports frees that run's files (11 MB for the fleet of 400, about 7 ms
# here), a cost of the earlier output, not of this audit.
once() {
  local label=$1
  shift
  find "$fleet" -type f -exec cat {} + >/dev/null
  "$@" >/dev/null 2>&1 || true
  rm -rf "$out/r"
  echo "$label $(timed "$@")"
}

# One round times every tool once. The rounds are interleaved, so that a shared host getting
# busier or quieter during the minutes a benchmark takes moves every tool alike and leaves
# the ratios alone.
round() {
  once "hiveaudit" "$HIVEAUDIT" scan "$fleet" --out "$out/r" --force --quiet
  once "hiveaudit --no-recover" "$HIVEAUDIT" scan "$fleet" --out "$out/r" --force --quiet --no-recover
  once "hiveaudit --jobs 1" "$HIVEAUDIT" scan "$fleet" --out "$out/r" --force --quiet --jobs 1
  once "hiveaudit --no-recover --jobs 1" "$HIVEAUDIT" scan "$fleet" --out "$out/r" --force --quiet --no-recover --jobs 1
  once "hiveaudit --hash" "$HIVEAUDIT" scan "$fleet" --out "$out/r" --force --quiet --hash
  once "sha256sum every file" sh -c 'find "$1" -type f -print0 | xargs -0 sha256sum' sh "$fleet"
  if [[ ${SKIP_PEERS:-} != 1 ]]; then
    once "libhivex (python3-hivex)" /usr/bin/python3 "$shared/bench/peer_hivex.py" "$fleet"
    once "regipy" python3 "$shared/bench/peer_regipy.py" "$fleet"
  fi
  once "cat every byte" find "$fleet" -type f -exec cat {} +
}

for ((i = 0; i < runs; i++)); do
  round
done >"$out/times"

python3 - "$out/times" "$machines" "$(nproc)" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    *label, wall, user, system, rss = line.split()
    rows.setdefault(" ".join(label), []).append((float(wall), float(user) + float(system), int(rss)))
med = {k: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v),
           max(r for _, _, r in v)) for k, v in rows.items()}
spread = {k: (min(w for w, _, _ in v), max(w for w, _, _ in v)) for k, v in rows.items()}
print(f"Fleet: {sys.argv[2]} machines, {sys.argv[3]} cores, warm cache, median of {len(next(iter(rows.values())))} runs\n")
print("| tool | wall (s) | wall, fastest–slowest run | CPU (s) | peak RSS (MiB) | faster than libhivex | faster than regipy |")
print("|---|---|---|---|---|---|---|")
hivex = med.get("libhivex (python3-hivex)", (None,))[0]
regipy = med.get("regipy", (None,))[0]
for label, (wall, cpu, rss) in med.items():
    ours = label.startswith("hiveaudit")
    ratio = lambda peer: f"{peer / wall:.1f}x" if ours and peer and wall > 0 else "-"
    low, high = spread[label]
    print(f"| {label} | {wall:.3f} | {low:.3f}–{high:.3f} | {cpu:.3f} | {rss / 1024:.1f} | {ratio(hivex)} | {ratio(regipy)} |")
for suffix in ("", " --no-recover"):
    one = med.get(f"hiveaudit{suffix} --jobs 1", (0,))[0]
    two = med.get(f"hiveaudit{suffix}", (0,))[0]
    if one and two:
        print(f"\nSpeed-up from 1 to {sys.argv[3]} threads (hiveaudit{suffix}): {one / two:.2f}x")
sha = med.get("sha256sum every file", (0,))[0]
ours = med.get("hiveaudit --hash", (0,))[0]
if sha and ours:
    print(f"\nhiveaudit --hash takes {ours / sha:.2f}x the time of sha256sum over the same files")
PY
