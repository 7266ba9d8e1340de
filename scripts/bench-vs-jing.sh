#!/usr/bin/env bash
# Times teikit, jing and xmllint (--relaxng) on the same inputs in one run, N repeats each,
# and prints the median wall seconds and the ratios to jing.
#
#   scripts/bench-vs-jing.sh [-n REPEATS] [--big-mb MB] [--skip-big] [--skip-xmllint] [--huge]
#
# Workloads (from $TEIKIT_SHARED, default ../shared):
#   escher      300 letters, tei_all, all cores (teikit uses rayon; jing gets all files in one JVM)
#   schnitzler  300 letters, tei_all, all cores
#   big         one synthetic ~200 MB TEI file (target/bench/big.xml, built once from escher
#               letters' bodies), one core (RAYON_NUM_THREADS=1), with peak memory
#   huge        (--huge) ten times the big file's body (~2 GB), teikit only: time and memory
# Also prints tei_all's compile time as teikit reports it.
set -euo pipefail
cd "$(dirname "$0")/.."

REPEATS=3
BIG_MB=200
SKIP_BIG=0
SKIP_XMLLINT=0
HUGE=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) REPEATS="$2"; shift 2 ;;
    --big-mb) BIG_MB="$2"; shift 2 ;;
    --skip-big) SKIP_BIG=1; shift ;;
    --skip-xmllint) SKIP_XMLLINT=1; shift ;;
    --huge) HUGE=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

SHARED="${TEIKIT_SHARED:-$(cd .. && pwd)/shared}"
[ -d "$SHARED" ] || { echo "shared folder $SHARED not found (set TEIKIT_SHARED)" >&2; exit 2; }
SCHEMA="$SHARED/schemas/tei_all.rng"
for tool in jing xmllint python3; do
  command -v "$tool" >/dev/null || { echo "$tool not installed" >&2; exit 2; }
done

cargo build --release --bin teikit --example rng_validate >&2
TEIKIT="$(pwd)/target/release/teikit"
ENGINE="$(pwd)/target/release/examples/rng_validate"
WORK="$(pwd)/target/bench"
mkdir -p "$WORK"

# Median wall seconds of REPEATS runs of a command (its output discarded; exit status 0/1
# both count: invalid files are expected).
median() {
  local times=()
  for _ in $(seq "$REPEATS"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'
}

# A big valid TEI document: one teiHeader, then the <body> contents of escher letters, each in a
# <div>, repeated
# until the file reaches BIG_MB megabytes.
make_big() {
  local out="$WORK/big-${BIG_MB}mb.xml"
  if [ ! -s "$out" ]; then
    python3 - "$SHARED/corpora/escher" "$out" "$BIG_MB" "$SCHEMA" <<'PY' >&2
import sys, re, glob, os, subprocess
corpus, out, mb, schema = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
tsv = open(os.path.join(corpus, "jing-tei_all.tsv")).read().splitlines()[1:]
valid = [l.split("\t")[0] for l in tsv if l.split("\t")[1] == "valid"]
bodies = []
for f in valid:
    t = open(os.path.join(corpus, f), encoding="utf-8").read()
    m = re.search(r"<body>(.*?)</body>", t, re.S)
    if m and "xmlns" not in m.group(1):
        # Without xml:id: repeated, they would be duplicate IDs.
        bodies.append(re.sub(r'\sxml:id="[^"]*"', "", m.group(1)))
first = open(os.path.join(corpus, valid[0]), encoding="utf-8").read()
head = first[: first.index("<body>") + len("<body>")]
tail = "</body></text></TEI>\n"
target = mb * 1024 * 1024
with open(out, "w", encoding="utf-8") as w:
    w.write(head)
    size, i = len(head.encode()), 0
    while size < target:
        chunk = "<div>" + bodies[i % len(bodies)] + "</div>\n"
        w.write(chunk)
        size += len(chunk.encode())
        i += 1
    w.write(tail)
print(f"built {out}: {os.path.getsize(out) / 1e6:.0f} MB from {len(bodies)} letter bodies", file=sys.stderr)
PY
    if ! jing "$SCHEMA" "$out" >/dev/null 2>&1; then
      echo "warning: jing finds $out invalid (the timings still compare the same work)" >&2
    fi
  fi
  echo "$out"
}

secs_ratio() { # a / b, or "-" when either is "-"
  if [ "$1" = "-" ] || [ "$2" = "-" ]; then echo "-"; else printf '%.1fx' "$(echo "$1 / $2" | bc -l)"; fi
}

row() { # name, teikit validate, engine, jing, xmllint
  printf '| %-30s | %8s | %8s | %8s | %8s | %9s | %9s |\n' "$1" "$2" "$3" "$4" "$5" \
    "$(secs_ratio "$4" "$2")" "$(secs_ratio "$5" "$2")"
}

# Peak resident memory (MB) of a command, by /usr/bin/time.
peak_mb() {
  local out="$WORK/peak.txt" kb
  /usr/bin/time -f '%M' -o "$out" "$@" >/dev/null 2>&1 || true
  kb=$(tail -1 "$out")
  echo $(( ${kb:-0} / 1024 ))
}

echo
echo "tei_all compile (teikit, reported by the example on an empty file list):"
"$ENGINE" "$SCHEMA" /dev/null 2>&1 >/dev/null | sed 's/^/  /' || true
echo
echo "median of $REPEATS runs, wall seconds, whole process; 'teikit validate' runs every check"
echo "(grammar, ids, pointers, dates, correspondence), 'engine' only RELAX NG (examples/rng_validate)"
echo "| workload                       | teikit validate |   engine |     jing |  xmllint | jing/teikit | xmllint/teikit |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for corpus in escher schnitzler-briefe; do
  dir="$SHARED/corpora/$corpus"
  mapfile -t files < <(tail -n +2 "$dir/jing-tei_all.tsv" | cut -f1 | sed "s#^#$dir/#")
  t=$(median "$TEIKIT" validate --format json --schema "$SCHEMA" "${files[@]}")
  e=$(median "$ENGINE" "$SCHEMA" "${files[@]}")
  j=$(median jing "$SCHEMA" "${files[@]}")
  if [ "$SKIP_XMLLINT" = 1 ]; then x="-"; else x=$(median xmllint --noout --relaxng "$SCHEMA" "${files[@]}"); fi
  row "$corpus (${#files[@]} files, all cores)" "$t" "$e" "$j" "$x"
done
if [ "$SKIP_BIG" = 0 ]; then
  big=$(make_big)
  t=$(RAYON_NUM_THREADS=1 median "$TEIKIT" validate --format json --schema "$SCHEMA" "$big")
  e=$(median "$ENGINE" -j 1 "$SCHEMA" "$big")
  j=$(median jing "$SCHEMA" "$big")
  if [ "$SKIP_XMLLINT" = 1 ]; then x="-"; else x=$(median xmllint --noout --relaxng "$SCHEMA" "$big"); fi
  row "one ${BIG_MB} MB file (one core)" "$t" "$e" "$j" "$x"
  echo
  echo "peak resident memory on the ${BIG_MB} MB file, MB (/usr/bin/time %M):"
  echo "| teikit validate (streamed) | teikit validate (read whole) | jing | xmllint |"
  echo "|---:|---:|---:|---:|"
  ts=$(RAYON_NUM_THREADS=1 peak_mb "$TEIKIT" validate --format json --schema "$SCHEMA" "$big")
  tw=$(RAYON_NUM_THREADS=1 peak_mb "$TEIKIT" validate --format json --stream-from 100000000000 --schema "$SCHEMA" "$big")
  jm=$(peak_mb jing "$SCHEMA" "$big")
  if [ "$SKIP_XMLLINT" = 1 ]; then xm="-"; else xm=$(peak_mb xmllint --noout --relaxng "$SCHEMA" "$big"); fi
  echo "| $ts | $tw | $jm | $xm |"
fi
if [ "$HUGE" = 1 ]; then
  # ten copies of the big file's body: about 2 GB; teikit only (jing holds the file whole)
  huge="$WORK/huge-$((BIG_MB * 10))mb.xml"
  if [ ! -s "$huge" ]; then
    python3 - "$(make_big)" "$huge" <<'PY' >&2
import sys
data = open(sys.argv[1], "rb").read()
a = data.index(b"<body>") + len(b"<body>"); b = data.rindex(b"</body>")
with open(sys.argv[2], "wb") as w:
    w.write(data[:a])
    for _ in range(10):
        w.write(data[a:b])
    w.write(data[b:])
PY
  fi
  size=$(( $(stat -c %s "$huge") / 1024 / 1024 ))
  t0=$(date +%s.%N)
  mem=$(RAYON_NUM_THREADS=1 peak_mb "$TEIKIT" validate --format json --schema "$SCHEMA" "$huge")
  t1=$(date +%s.%N)
  echo
  printf 'one %s MB file, teikit validate, one core: %.1f s, peak resident memory %s MB\n' \
    "$size" "$(echo "$t1 - $t0" | bc -l)" "$mem"
fi
