#!/usr/bin/env bash
# Schematron speed in one run, N repeats each, medians of wall and CPU (user+sys) seconds:
#   rng      teikit, tei_all.rng, no Schematron (--schematron none)
#   rng+sch  teikit, tei_all.rng with its embedded Schematron (the default)
#   schxslt  SchXslt 1.x on Saxon HE, tei_all's embedded rules, all files in one JVM
#            (conformance/schematron/sch_oracle.py: compile + run), Schematron only
# on the 300 schnitzler-briefe letters of $TEIKIT_SHARED (default ../shared). Prints the ratios
# rng+sch / rng (target: at most 2) and schxslt / rng+sch (target: at least 20). Wall time on a
# shared machine follows its load; CPU time (user+sys, all threads) is the steadier figure.
#
#   scripts/bench-schematron.sh [-n REPEATS] [--skip-schxslt] [CORPUS]
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=3
SKIP_SCHXSLT=0
CORPUS=schnitzler-briefe
while [ $# -gt 0 ]; do
  case "$1" in
    -n) REPEATS="$2"; shift 2 ;;
    --skip-schxslt) SKIP_SCHXSLT=1; shift ;;
    *) CORPUS="$1"; shift ;;
  esac
done
SHARED="${TEIKIT_SHARED:-$(cd .. && pwd)/shared}"
SCHEMA="$SHARED/schemas/tei_all.rng"
LETTERS="$SHARED/corpora/$CORPUS/letters"
SCH="$SHARED/conformance/schematron"
cargo build --release --bin teikit >&2
BIN="$PWD/target/release/teikit"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# median wall and CPU seconds of REPEATS runs of "$@" (wall read from the clock in
# nanoseconds: /usr/bin/time's %e has 10 ms steps, 4 % of teikit's quarter second)
measure() {
  local walls=() cpus=()
  for _ in $(seq "$REPEATS"); do
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$OUT/t" "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    read -r u s < <(tail -n 1 "$OUT/t")
    walls+=("$(echo "scale=3; ($t1 - $t0) / 1000000000" | bc)")
    cpus+=("$(echo "$u + $s" | bc)")
  done
  printf '%s %s\n' "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(((REPEATS + 1) / 2))p")" \
    "$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "$(((REPEATS + 1) / 2))p")"
}

read -r rng_w rng_c < <(measure "$BIN" validate --schema "$SCHEMA" --schematron none --format json "$LETTERS")
read -r sch_w sch_c < <(measure "$BIN" validate --schema "$SCHEMA" --format json "$LETTERS")
printf '%-9s wall %7.3f s  cpu %7.2f s\n' rng "$rng_w" "$rng_c" rng+sch "$sch_w" "$sch_c"
printf 'rng+sch / rng: wall %.2fx  cpu %.2fx  (target <= 2)\n' "$(echo "$sch_w / $rng_w" | bc -l)" "$(echo "$sch_c / $rng_c" | bc -l)"
if [ "$SKIP_SCHXSLT" = 0 ]; then
  mapfile -t files < <(find "$LETTERS" -name '*.xml' | sort)
  read -r x_w x_c < <(measure python3 "$SCH/sch_oracle.py" "$SCH/schxslt" "$SCHEMA" "$OUT/x.jsonl" "${files[@]}")
  printf '%-9s wall %7.3f s  cpu %7.2f s\n' schxslt "$x_w" "$x_c"
  printf 'schxslt / rng+sch: wall %.2fx  cpu %.2fx  (target >= 20)\n' "$(echo "$x_w / $sch_w" | bc -l)" "$(echo "$x_c / $sch_c" | bc -l)"
fi
