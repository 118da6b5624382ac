#!/usr/bin/env bash
# build.sh - regenerate every hive under testdata/ from the committed .reg sources.
#
#   testdata/build.sh            (from anywhere; HIVEGEN=/path/to/make_hive.sh to override)
#
# Mapping: testdata/reg/<P>.reg  ->  testdata/<P>
#   e.g. reg/sample-fleet/WKS-ALICE01/C/Windows/System32/config/SYSTEM.reg
#        ->  sample-fleet/WKS-ALICE01/C/Windows/System32/config/SYSTEM
# Each .reg file names its make_hive.sh options in header comments:
#   ; hivegen-type: ntuser|system|software     ; hivegen-name: <embedded file name>
#   ; hivegen-minor: 3|5                       ; hivegen-timestamp: <ISO date>
#   ; hivegen-flags: --seq N [--dirty]
# The damaged files of fixtures/broken/ are made at the end of this script (section BROKEN).
#
# Output trees (sample-fleet/, fixtures/) are wholly generated: they are built in a temporary
# directory and swapped into place at the end, so testdata/ is never half-built.
# With `faketime` installed (apt-get install -y faketime) the output is byte-identical on every run;
# without it only the key timestamps (LastWriteTime of each key, set by libhivex) differ.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
HIVEGEN="${HIVEGEN:-$HERE/../../shared/tools/hivegen/make_hive.sh}"
FROZEN_TIME='2024-03-01 12:00:00'

for tool in hivexregedit hivexget python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build.sh: '$tool' not found." >&2
    echo "  Install libhivex: apt-get install -y libhivex-bin libwin-hivex-perl python3" >&2
    echo "  (on Debian hivexregedit is packaged in libwin-hivex-perl)" >&2
    exit 1
  fi
done
[[ -x "$HIVEGEN" ]] || { echo "build.sh: hive generator not found at $HIVEGEN (set HIVEGEN=)" >&2; exit 1; }
FAKETIME=()
if command -v faketime >/dev/null 2>&1; then
  FAKETIME=(faketime -f "$FROZEN_TIME")
else
  echo "build.sh: note: faketime not installed; hives will differ from the committed ones in key timestamps only" >&2
fi

OUTPUTS=(sample-fleet fixtures)
STAGE="$(mktemp -d "$HERE/.build.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

header() { # header FILE KEY -> value of '; hivegen-KEY: value' (empty if missing)
  sed -n "s/^; hivegen-$2: //p" "$1" | head -n1 | tr -d '\r'
}

build_one() { # build_one SRC.reg
  local src="$1" rel out type name minor ts flags
  rel="${src#"$HERE"/reg/}"
  out="$STAGE/${rel%.reg}"
  type="$(header "$src" type)"; name="$(header "$src" name)"
  minor="$(header "$src" minor)"; ts="$(header "$src" timestamp)"; flags="$(header "$src" flags)"
  [[ -n "$type" && -n "$name" && -n "$minor" && -n "$ts" ]] || { echo "build.sh: $src lacks hivegen-* headers" >&2; return 1; }
  mkdir -p "$(dirname "$out")"
  # shellcheck disable=SC2086  # flags are simple words (--seq N --dirty)
  "${FAKETIME[@]}" "$HIVEGEN" --type "$type" --name "$name" --minor "$minor" --timestamp "$ts" $flags \
    "$out" "$src" >/dev/null || { echo "build.sh: failed: $src" >&2; return 1; }
}

# deterministic list (byte order), built JOBS at a time; any failure stops the build
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 4)}"
count=0 running=0
while IFS= read -r -d '' src; do
  build_one "$src" &
  count=$((count + 1)); running=$((running + 1))
  if (( running >= JOBS )); then wait -n; running=$((running - 1)); fi
done < <(find "$HERE/reg" -type f -name '*.reg' -print0 | LC_ALL=C sort -z)
while (( running > 0 )); do wait -n; running=$((running - 1)); done
(( count > 0 )) || { echo "build.sh: no .reg sources under $HERE/reg" >&2; exit 1; }

# ---- BROKEN: damaged files for fixtures/broken/BROKEN01 (all reproducible) -------------------
B="$STAGE/fixtures/broken/BROKEN01"
mkdir -p "$B/C/Windows/System32/config" "$B/C/Users/empty" "$B/C/Users/tiny"
# truncated SYSTEM: first 6000 bytes of a real generated SYSTEM hive
head -c 6000 "$STAGE/fixtures/rules/R-DQ02-SW/C/Windows/System32/config/SYSTEM" > "$B/C/Windows/System32/config/SYSTEM"
# SOFTWARE that is not a hive: 20000 pseudo-random bytes from a fixed seed
python3 -c 'import random,sys; random.seed(1); sys.stdout.buffer.write(bytes(random.getrandbits(8) for _ in range(20000)))' \
  > "$B/C/Windows/System32/config/SOFTWARE"
# 0-byte NTUSER.DAT
: > "$B/C/Users/empty/NTUSER.DAT"
# 100-byte file that starts with the regf signature
{ printf 'regf'; head -c 96 /dev/zero; } > "$B/C/Users/tiny/NTUSER.DAT"
# a generated hive whose base-block checksum (offset 508) is wrong: XOR it with 0xFFFFFFFF
python3 - "$B/C/Users/badsum/NTUSER.DAT" <<'PY'
import struct, sys
p = sys.argv[1]
with open(p, 'r+b') as f:
    f.seek(508); (c,) = struct.unpack('<I', f.read(4))
    f.seek(508); f.write(struct.pack('<I', c ^ 0xFFFFFFFF))
PY
# ---- layouts/kape: 0-byte RegBack copy, as KAPE often collects it ----------------------------
mkdir -p "$STAGE/fixtures/layouts/kape/KAPE-L1/C/Windows/System32/config/RegBack"
: > "$STAGE/fixtures/layouts/kape/KAPE-L1/C/Windows/System32/config/RegBack/SYSTEM"

# ---- swap into place ---------------------------------------------------------------------------
for d in "${OUTPUTS[@]}"; do
  [[ -d "$STAGE/$d" ]] || { echo "build.sh: nothing generated for $d" >&2; exit 1; }
done
for d in "${OUTPUTS[@]}"; do
  if [[ -e "$HERE/$d" ]]; then mv "$HERE/$d" "$STAGE/old-$d"; fi
  mv "$STAGE/$d" "$HERE/$d"
done
echo "build.sh: generated $count hives (+5 empty/damaged files, 1 checksum corrupted) into: ${OUTPUTS[*]}"
