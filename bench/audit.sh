#!/usr/bin/env bash
# bench/audit.sh — the Shaanxi Art. 37 batch audit on 1 million trades
# (issue 6: target under 10 s on 2 cores). Prints a Markdown section.
# Usage: bash bench/audit.sh   (from the repository root; SHUJIAO_BENCH_TRADES=N to change the count)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${SHUJIAO_BENCH_TRADES:-1000000}"
out="$(SHUJIAO_BENCH_TRADES="$n" go test ./market -run '^$' -bench 'BenchmarkAudit1M' -benchtime 1x -benchmem -count 1 2>&1)" || { echo "$out"; exit 1; }
cores="$(nproc)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "## Art. 37 batch audit ($n trades)"
echo
echo "Machine: $cores cores ($cpu), GOMAXPROCS=${GOMAXPROCS:-$cores}, load average at start $load; $(go version | cut -d' ' -f3)."
echo "Wall time depends on what else runs on the machine; CPU seconds (user + system, all threads) measure the work itself."
echo "Input: synthetic CSV of the documented columns (1,000 listings of 200 sellers, 36 condition keys each; 2 % overcharged, 1 % promotions, 20 listings with a loyalty surcharge)."
echo
echo "| step | wall seconds | CPU seconds | MB allocated | allocations | notes |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
echo "$out" | awk '/^BenchmarkAudit1M\//{
  name=$1; sub(/^BenchmarkAudit1M\//,"",name); sub(/-[0-9]+$/,"",name);
  ns=""; b=""; a=""; cpu=""; notes="";
  for (i=2;i<=NF;i++) {
    if ($(i+1)=="ns/op") ns=$i;
    if ($(i+1)=="B/op") b=$i;
    if ($(i+1)=="allocs/op") a=$i;
    if ($(i+1)=="cpu-s/op") cpu=$i;
    if ($(i+1)=="flags") notes=notes $i " flags ";
    if ($(i+1)=="groups") notes=notes $i " groups ";
    if ($(i+1)=="MB/s") notes=notes $i " MB/s ";
  }
  printf "| %s | %.2f | %.2f | %.0f | %s | %s|\n", name, ns/1e9, cpu, b/1e6, a, notes }'

# End to end: the shujiao binary on a CSV file of the same trades.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/shujiao" ./cmd/shujiao
go run bench/gen_trades.go -n "$n" > "$tmp/trades.csv"
size_mb="$(( $(stat -c %s "$tmp/trades.csv") / 1000000 ))"
set +e
/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$tmp/shujiao" audit-prices "$tmp/trades.csv" --json > "$tmp/out.json"
code=$?
set -e
read -r wall user sys rss < <(tail -1 "$tmp/time")
flags="$(grep -c '"rule": "shaanxi-37"' "$tmp/out.json" || true)"
echo
echo "End to end, \`shujiao audit-prices trades.csv --json\` on a ${size_mb} MB file of $n trades:"
echo
echo "| wall seconds | CPU seconds (user + sys) | peak RSS MB | exit | flags |"
echo "| ---: | ---: | ---: | ---: | ---: |"
echo "| $wall | $(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}') | $(( rss / 1024 )) | $code | $flags |"
