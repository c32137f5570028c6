#!/usr/bin/env bash
# bench/ledger.sh — appends to the transaction ledger under parallel load
# (issue 7 item 5: appending must not serialize the market behind one lock
# longer than the append itself). Prints a Markdown section.
# Usage: bash bench/ledger.sh   (from the repository root; TEST_DATABASE_URL
# to measure on a durable server instead of the tests' private cluster,
# which runs with fsync off; SHUJIAO_BENCH_TIME to change -benchtime).
set -euo pipefail
cd "$(dirname "$0")/.."
bt="${SHUJIAO_BENCH_TIME:-3s}"
out="$(go test ./internal/postgres -run '^$' -bench 'BenchmarkAppendLedger|BenchmarkAppendWhileSequencing|BenchmarkIntegrate' -benchtime "$bt" -count 1 2>&1)" || { echo "$out"; exit 1; }
cores="$(nproc)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
db="the tests' private PostgreSQL (fsync off)"
[ -n "${TEST_DATABASE_URL:-}" ] && db="TEST_DATABASE_URL"
echo "## Ledger appends under parallel load"
echo
echo "Machine: $cores cores ($cpu), load average at start $load; $(go version | cut -d' ' -f3); database: $db."
echo "Each append is a whole committed transaction (BEGIN, INSERT into ledger_entries, COMMIT) from $((8 * cores)) parallel clients"
echo "(b.RunParallel, SetParallelism 8) on a pool of 32 connections. 'behind one lock' takes one advisory lock per"
echo "transaction first — the design the ledger avoids; 'while sequencing' runs the sequencer flat out at the same time."
echo
echo "| benchmark | µs per append (wall, parallel) | appends/s |"
echo "| --- | ---: | ---: |"
echo "$out" | awk '/^BenchmarkAppend/{
  name=$1; sub(/^Benchmark/,"",name); sub(/-[0-9]+$/,"",name);
  for (i=2;i<=NF;i++) { if ($(i+1)=="ns/op") ns=$i; if ($(i+1)=="appends/s") r=$i }
  printf "| %s | %.0f | %.0f |\n", name, ns/1e3, r }'
echo
echo "| sequencer | µs per entry | entries/s integrated |"
echo "| --- | ---: | ---: |"
echo "$out" | awk '/^BenchmarkIntegrate/{
  for (i=2;i<=NF;i++) { if ($(i+1)=="ns/op") ns=$i; if ($(i+1)=="entries/s") r=$i }
  printf "| Integrate (batches of 2,000, one transaction each) | %.0f | %.0f |\n", ns/1e3, r }'
