#!/usr/bin/env bash
# Fingerprinted copies (docs/fingerprint.md): the smallest leaked sample that
# traces to its buyer with a false-match probability under 1e-6, per table
# size, and the utility cost of a copy. Prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
go run bench/fingerprint_bench.go -sizes "${FINGERPRINT_SIZES:-1000,10000,100000}" -trials "${FINGERPRINT_TRIALS:-10}"
