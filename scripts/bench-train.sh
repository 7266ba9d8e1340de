#!/usr/bin/env bash
# Training speed: `teikit train` on the four shared editions with part markup (about 1,200
# letters), timed by hyperfine (median of 3 runs), with the model's size.
# Usage: TEIKIT_SHARED=/path/to/shared scripts/bench-train.sh
set -euo pipefail
: "${TEIKIT_SHARED:?set TEIKIT_SHARED to the shared folder}"
cd "$(dirname "$0")/.."
cargo build --release --quiet
T=target/release/teikit
C="$TEIKIT_SHARED/corpora"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
editions="$C/edgeworth/letters $C/cody/letters $C/schnitzler-briefe/letters $C/jean-paul/letters"
"$T" train $editions -o "$out/m.tkm"
hyperfine --runs 3 --export-json "$out/train.json" "$T train $editions -o $out/m.tkm"
python3 - "$out/train.json" "$out/m.tkm" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"median {r['median']:.1f} s (user {r['user']:.1f} s), model {os.path.getsize(sys.argv[2])} bytes")
PY
