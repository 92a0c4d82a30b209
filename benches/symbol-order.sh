#!/usr/bin/env bash
# Writes link/symbol-order.txt: the functions the release binary runs to write a letter, in the
# order the linker should place them at the start of the program's code.
#
# Why: the kernel reads a program's code into memory 64 KB around each page it first touches, so
# a letter that runs about 2,250 functions scattered over 11 MB of code brings in almost 5 MB of
# it. Placed side by side, the same functions take about 1.4 MB. build.rs hands this file to the
# linker (rust-lld's --symbol-ordering-file) for release builds on x86_64 Linux.
#
# The names carry hashes that change when a dependency or the Rust compiler changes, and new or
# renamed functions are missing from it; a stale file is harmless (the linker skips names it does
# not find), but the memory saving fades. `--check` (below; CI and benches/typst-compare.sh run
# it) says how many of the names the binary still has: regenerate the file with this script
# when it warns.
#
# Needs: valgrind (callgrind) and python3. Run from the repository root.
#
# `benches/symbol-order.sh --check [BINARY]` only says how many of the listed names BINARY
# (default: the release build) has, and warns when more than one in fifty is missing: after a
# merge that replaced 4% of them, a letter took 8.3 MB instead of 7.2 MB.
set -euo pipefail

if [ "${1:-}" = --check ]; then
  binary="${2:-target/release/sanctuary}"
  listed=$(grep -vc '^#' link/symbol-order.txt)
  found=$(nm "$binary" | awk '{print $NF}' | sort -u |
    comm -12 - <(grep -v '^#' link/symbol-order.txt | sort -u) | wc -l)
  echo "symbol order: $found of $listed listed functions are in $binary"
  if [ "$found" -lt $((listed * 49 / 50)) ]; then
    echo "warning: link/symbol-order.txt is out of date; remake it with benches/symbol-order.sh"
  fi
  exit 0
fi

cargo build --release --quiet
SANCTUARY=target/release/sanctuary
WORK="$(mktemp -d /tmp/sanctuary-symbol-order.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

client=(--client tests/fixtures/clients/lukasz.toml --force --format pdf)
runs=0
profile_letter() {
  runs=$((runs + 1))
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$WORK/run.$runs" \
    "$SANCTUARY" letter "$@" "${client[@]}" -o "$WORK/letter.$runs.pdf" >/dev/null 2>"$WORK/log.$runs" ||
    { cat "$WORK/log.$runs" >&2; exit 1; }
}
# The Home Office request first (the letter the benchmarks measure), then what other letters add.
profile_letter sar-home-office --to home-office --request-type detailed --sent 2026-11-23
profile_letter sar-police --to police-force --to-name "Anytown Police" --to-address "1 High Street" \
  --sent 2026-11-23
profile_letter chaser --to home-office --request-sent 2026-10-01 --sent 2026-11-23

mkdir -p link
python3 - "$WORK" "$runs" link/symbol-order.txt <<'PY'
import re, sys

work, runs, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
entry = re.compile(r"^(ob|cob|fn|cfn)=\((\d+)\)(?: (.*))?$")
placed, seen = [], set()
for run in range(1, runs + 1):
    objects, functions, current_object, this_run = {}, {}, None, set()
    for line in open(f"{work}/run.{run}", encoding="utf-8", errors="replace"):
        m = entry.match(line.rstrip("\n"))
        if not m:
            continue
        kind, ident, name = m.groups()
        if kind in ("ob", "cob"):
            if name:
                objects[ident] = name
            if kind == "ob":
                current_object = objects[ident]
        else:
            if name:
                functions[ident] = name
            if kind == "fn" and current_object and current_object.endswith("/sanctuary"):
                # callgrind adds 'N to a function's name for its Nth level of recursion, and
                # names code without a symbol by its address.
                symbol = functions[ident].split("'")[0]
                if not symbol.startswith(("0x", "(")):
                    this_run.add(symbol)
    # Sorted within a run so that the file changes only where the code did.
    for name in sorted(this_run - seen):
        placed.append(name)
        seen.add(name)

with open(out_path, "w", encoding="utf-8") as out:
    out.write("# Functions a letter runs, placed first by the linker. Written by benches/symbol-order.sh;\n")
    out.write("# see there for why and when to regenerate.\n")
    out.write("\n".join(placed) + "\n")
print(f"{out_path}: {len(placed)} functions")
PY
