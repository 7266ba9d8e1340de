#!/usr/bin/env bash
# Schematron parity with SchXslt on every file of the reference results, the 2 MB Spener CMIF
# file included (CI leaves files over 1 MB out: xee walks its 100,000 nodes once per
# correspDesc/@source, minutes of CPU). Usage: scripts/schematron-parity-full.sh [SHARED]
set -euo pipefail
cd "$(dirname "$0")/.."
export TEIKIT_SHARED="${1:-${TEIKIT_SHARED:-$(cd .. && pwd)/shared}}"
export TEIKIT_SCHEMATRON_FULL=1
cargo test --release --test schematron_parity -- --nocapture --test-threads 1
