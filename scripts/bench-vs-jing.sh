#!/usr/bin/env bash
# Times teikit, jing and xmllint (--relaxng) on the same inputs in one run, N repeats each,
# and prints the median wall seconds and the ratios to jing.
#
#   scripts/bench-vs-jing.sh [-n REPEATS] [--big-mb MB] [--big-from CORPORA] [--skip-big]
#                            [--skip-corpora] [--skip-xmllint] [--huge]
#
# Workloads (from $TEIKIT_SHARED, default ../shared):
#   escher      300 letters, tei_all, all cores (teikit uses rayon; jing gets all files in one JVM)
#   schnitzler  300 letters, tei_all, all cores (--skip-corpora: neither corpus)
#   big         one synthetic ~200 MB TEI file (target/bench/big-*.xml, built once from the
#               bodies of the valid letters of --big-from, default escher; `escher,jean-paul`
#               keeps the Jean Paul letters' pointers into registers that are not given and to
#               the ids the build strips: ~1,500 distinct dangling pointers), one core
#               (RAYON_NUM_THREADS=1), with peak memory and teikit's diagnostics by code
#   huge        (--huge) ten times the big file's body (~2 GB), teikit only: time and memory
# Also prints tei_all's compile time as teikit reports it.
set -euo pipefail
cd "$(dirname "$0")/.."

REPEATS=3
BIG_MB=200
SKIP_BIG=0
SKIP_CORPORA=0
BIG_FROM=escher
SKIP_XMLLINT=0
HUGE=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) REPEATS="$2"; shift 2 ;;
    --big-mb) BIG_MB="$2"; shift 2 ;;
    --skip-big) SKIP_BIG=1; shift ;;
    --skip-corpora) SKIP_CORPORA=1; shift ;;
    --big-from) BIG_FROM="$2"; shift 2 ;;
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

# A big TEI document: the teiHeader of the first corpus's first valid letter, then the <body>
# contents of the valid letters of the --big-from corpora (xml:ids stripped: repeated, they
# would be duplicates), each in a <div>, repeated until the file reaches BIG_MB megabytes.
big_name() {
  if [ "$BIG_FROM" = escher ]; then echo "big-${BIG_MB}mb.xml"; else echo "big-${BIG_FROM//,/-}-${BIG_MB}mb.xml"; fi
}
make_big() {
  local out
  out="$WORK/$(big_name)"
  if [ ! -s "$out" ]; then
    python3 - "$SHARED/corpora" "$BIG_FROM" "$out" "$BIG_MB" <<'PY' >&2
import sys, re, os
corpora, names, out, mb = sys.argv[1], sys.argv[2].split(","), sys.argv[3], int(sys.argv[4])
bodies, first = [], None
for name in names:
    corpus = os.path.join(corpora, name)
    tsv = open(os.path.join(corpus, "jing-tei_all.tsv")).read().splitlines()[1:]
    valid = [l.split("\t")[0] for l in tsv if l.split("\t")[1] == "valid"]
    for f in valid:
        t = open(os.path.join(corpus, f), encoding="utf-8").read()
        m = re.search(r"<body>(.*?)</body>", t, re.S)
        # a body with its own namespace declarations or nested texts does not stand alone
        if m and "xmlns" not in m.group(1) and not re.search(r"<(body|text|group)[ >]", m.group(1)):
            # Without xml:id: repeated, they would be duplicate IDs.
            bodies.append(re.sub(r'\sxml:id="[^"]*"', "", m.group(1)))
    if first is None:
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
corpora=(escher schnitzler-briefe)
[ "$SKIP_CORPORA" = 1 ] && corpora=()
for corpus in "${corpora[@]}"; do
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
  row "one ${BIG_MB} MB file from ${BIG_FROM} (one core)" "$t" "$e" "$j" "$x"
  echo
  echo "peak resident memory on the ${BIG_MB} MB file, MB (/usr/bin/time %M):"
  echo "| teikit validate (streamed) | teikit validate (read whole) | jing | xmllint |"
  echo "|---:|---:|---:|---:|"
  ts=$(RAYON_NUM_THREADS=1 peak_mb "$TEIKIT" validate --format json --schema "$SCHEMA" "$big")
  tw=$(RAYON_NUM_THREADS=1 peak_mb "$TEIKIT" validate --format json --stream-from 100000000000 --schema "$SCHEMA" "$big")
  jm=$(peak_mb jing "$SCHEMA" "$big")
  if [ "$SKIP_XMLLINT" = 1 ]; then xm="-"; else xm=$(peak_mb xmllint --noout --relaxng "$SCHEMA" "$big"); fi
  echo "| $ts | $tw | $jm | $xm |"
  echo
  echo "teikit's diagnostics on the ${BIG_MB} MB file, by code:"
  RAYON_NUM_THREADS=1 "$TEIKIT" validate --format json --schema "$SCHEMA" "$big" 2>/dev/null |
    python3 -c 'import json, sys, collections
for f in json.load(sys.stdin)["files"]:
    for code, n in collections.Counter(d["code"] for d in f["diagnostics"]).most_common():
        print(f"  {n:6} {code}")' || true
fi
if [ "$HUGE" = 1 ]; then
  # ten copies of the big file's body: about 2 GB; teikit only (jing holds the file whole)
  huge="$WORK/huge-x10-$(big_name)"
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
