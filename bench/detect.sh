#!/usr/bin/env bash
# bench/detect.sh — PII detection throughput (issue 4: MB/s), and the table
# readers, writers and generator it rests on (issue 3: items 1 and 10).
# Prints a Markdown section. Usage: bash bench/detect.sh (from the repository
# root; SHUJIAO_BENCH_GEN_ROWS=N changes the generated table, default 1,000,000).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${SHUJIAO_BENCH_GEN_ROWS:-1000000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cores="$(nproc)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"

out="$(go test ./anonymizer -run '^$' -bench 'BenchmarkFindIdentifiers_FreeText|BenchmarkDetect_PopulationTable|BenchmarkReadTable_CSV|BenchmarkReadTable_JSONL|BenchmarkWriteTable_CSV|BenchmarkSynthesize_CSV' -benchtime 5x -benchmem -count 1 2>&1)" || { echo "$out"; exit 1; }

echo "## PII detection, table reading and writing, synthetic data"
echo
echo "Machine: $cores cores ($cpu), load average at start $load; $(go version | cut -d' ' -f3)."
echo "Figures depend on what else runs on the machine (the development machine is shared)."
echo
echo "MB/s is wall-clock throughput; MB per CPU second (user + system, all threads, garbage collection included)"
echo "measures the work itself and changes less with the machine's other load."
echo
echo "| benchmark | what | MB/s | MB per CPU second | ms per op | MB allocated per op |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
echo "$out" | awk '/^Benchmark/{
  name=$1; sub(/-[0-9]+$/,"",name);
  ns=""; mbs=""; b=""; cpu="";
  for (i=2;i<=NF;i++) {
    if ($(i+1)=="ns/op") ns=$i;
    if ($(i+1)=="MB/s") mbs=$i;
    if ($(i+1)=="MB/cpu-s") cpu=$i;
    if ($(i+1)=="B/op") b=$i;
  }
  what["BenchmarkFindIdentifiers_FreeText"]="FindIdentifiers over 1 MB of Chinese free text in 120-byte cells, one sentence in four with an identifier";
  what["BenchmarkDetect_PopulationTable"]="Detect over a 100,000-row synthetic population table (10 columns, every row examined); MB of its CSV";
  what["BenchmarkReadTable_CSV"]="ReadTable: CSV of 200,000 synthetic rows into a dictionary-encoded table";
  what["BenchmarkReadTable_JSONL"]="ReadTable: JSON Lines of 100,000 synthetic rows";
  what["BenchmarkWriteTable_CSV"]="WriteTable: the same table back to CSV";
  what["BenchmarkSynthesize_CSV"]="Synthesize: 100,000 rows of the population table as CSV";
  printf "| %s | %s | %s | %s | %.1f | %.1f |\n", name, what[name], mbs, cpu, ns/1e6, b/1e6 }'

command -v /usr/bin/time >/dev/null || { echo "bench/detect.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
bin="$tmp/shujiao"
go build -o "$bin" ./cmd/shujiao
# timed CMD...: runs CMD under /usr/bin/time and prints "wall cpu peak_MB".
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null
  awk '{printf "%s %.2f %.0f", $1, $2+$3, $4/1024}' "$tmp/time"
}
read -r gen_wall gen_cpu gen_mem <<<"$(timed "$bin" gen --rows "$rows" --seed 1 --out "$tmp/people.csv")"
size=$(stat -c %s "$tmp/people.csv")
read -r det_wall det_cpu det_mem <<<"$(timed "$bin" detect "$tmp/people.csv" --json)"
read -r smp_wall smp_cpu smp_mem <<<"$(timed "$bin" detect "$tmp/people.csv" --max-rows 100000 --json)"
mb=$(echo "scale=1; $size/1000000" | bc)
echo
echo "End to end with the binary on $rows generated rows ($mb MB of CSV). MB/s are per CPU second (user + system),"
echo "which does not depend on the machine's other load; wall seconds do."
echo
echo "| command | wall seconds | CPU seconds | MB/s per CPU second | peak RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: |"
row() { printf "| %s | %s | %s | %.1f | %s |\n" "$1" "$2" "$3" "$(echo "$size/1000000/$3" | bc -l)" "$4"; }
row "\`shujiao gen --rows $rows\`" "$gen_wall" "$gen_cpu" "$gen_mem"
row "\`shujiao detect\` (read + every row examined)" "$det_wall" "$det_cpu" "$det_mem"
row "\`shujiao detect --max-rows 100000\` (read + sample)" "$smp_wall" "$smp_cpu" "$smp_mem"

# Issue 14 item 6: precision and recall of the name model on the labelled
# corpus (anonymizer/testdata/names_corpus.tsv generated, names_hard.tsv hand-written).
names="$(go test ./anonymizer -run '^TestNameModel_PrecisionAndRecallOnLabelledCorpus$' -count 1 -v 2>&1)" || { echo "$names"; exit 1; }
echo
echo "Person names (issue 14 item 6) on the labelled corpus in \`anonymizer/testdata/\` (goal ≥ 0.95 in columns, ≥ 0.9 in free text):"
echo
echo "| setting | precision | recall | true pos. | false pos. | false neg. |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
echo "$names" | sed -n 's/.*NAMES \(.*\) precision \([0-9.]*\) recall \([0-9.]*\) (tp \([0-9]*\), fp \([0-9]*\), fn \([0-9]*\);.*/| \1 | \2 | \3 | \4 | \5 | \6 |/p'
