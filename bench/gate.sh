#!/usr/bin/env bash
# bench/gate.sh — the irreversibility gate (Tianjin Art. 29) on 1 million
# generated rows (issue 4: target under 20 s on 2 cores). Prints a Markdown
# section: the library call on tables in memory (BenchmarkCheckRelease), and
# `shujiao check-release` end to end (reading both CSV files, the gate, the
# signed certificate) on a release that `shujiao anonymize` made with k = 20.
# Usage: bash bench/gate.sh   (from the repository root; SHUJIAO_GATE_BENCH_ROWS=N to change the count)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${SHUJIAO_GATE_BENCH_ROWS:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

lib="$(SHUJIAO_GATE_BENCH_ROWS="$n" go test ./anonymizer -run '^$' -bench '^BenchmarkCheckRelease$' -benchtime 1x -benchmem -count 1 2>&1)" || { echo "$lib"; exit 1; }

go build -o "$work/shujiao" ./cmd/shujiao
bin="$work/shujiao"
cat >"$work/policy.json" <<'JSON'
{"columns": {"身份证号": {"role": "identifying"}, "姓名": {"role": "identifying"}, "手机号": {"role": "identifying"},
 "性别": {"role": "quasi", "hierarchy": "mask"}, "出生日期": {"role": "quasi", "hierarchy": "date"},
 "行政区划": {"role": "quasi", "hierarchy": "division"}, "职业": {"role": "insensitive"}, "学历": {"role": "insensitive"},
 "收入": {"role": "insensitive"}, "诊断": {"role": "insensitive"}}, "k": 20, "suppression": 0.05}
JSON
"$bin" gen --rows "$n" --seed 42 --out "$work/raw.csv"
"$bin" anonymize --policy "$work/policy.json" --out "$work/release.csv" --report "$work/report.json" "$work/raw.csv" 2>/dev/null
"$bin" keys init --data-dir "$work/var" >/dev/null
timed() { # timed LABEL CMD...: wall seconds, peak RSS (MB) and CPU seconds (when GNU time is installed)
  local label=$1 t0 t1 rss="-" cpu="-"
  shift
  t0=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M %U %S' -o "$work/rss" "$@" >"$work/out.json" 2>"$work/err" || true
    read -r kb u sy < <(tail -1 "$work/rss")
    rss=$((kb / 1024))
    cpu=$(awk -v a="$u" -v b="$sy" 'BEGIN{printf "%.2f", a+b}')
  else
    "$@" >"$work/out.json" 2>"$work/err" || true
  fi
  t1=$(date +%s.%N)
  printf '%s %s %s %s\n' "$label" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')" "$rss" "$cpu"
}
e2e="$(timed check-release "$bin" check-release --raw "$work/raw.csv" --release "$work/release.csv" --policy "$work/policy.json" \
  --report "$work/report.json" --json --certificate "$work/cert.json" --data-dir "$work/var")"
verdict="$(grep -m1 '"level"' "$work/out.json" | tr -d ' ,"' ; grep -m1 '"passed"' "$work/out.json" | tr -d ' ,"')"
nodetect="$(timed check-release-detect "$bin" check-release --raw "$work/raw.csv" --release "$work/release.csv" --json)"
verify="$(timed verify "$bin" verify-certificate "$work/cert.json" --release "$work/release.csv" --data-dir "$work/var")"

cores="$(nproc)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
echo "## Irreversibility gate ($n rows)"
echo
echo "Machine: $cores cores ($cpu), load average $(cut -d' ' -f1-3 /proc/loadavg); $(go version | cut -d' ' -f3)."
echo "Data: \`shujiao gen --rows $n --seed 42\` (10 columns, three direct identifiers); release by \`shujiao anonymize\`, k = 20, suppression ≤ 5 %. Target: under 20 s."
echo
echo "| step | seconds | peak MB | notes |"
echo "| --- | ---: | ---: | --- |"
echo "$lib" | awk '/^BenchmarkCheckRelease/{ns="";b="";cpu="";
  for (i=2;i<=NF;i++){ if ($(i+1)=="ns/op") ns=$i; if ($(i+1)=="B/op") b=$i; if ($(i+1)=="cpu-s/op") cpu=$i }
  printf "| library CheckRelease (tables in memory; pseudonym column, year, prefecture) | %.2f | | %.0f MB allocated, %.2f CPU-seconds |\n", ns/1e9, b/1e6, cpu }'
read -r _ s m c <<<"$e2e"; echo "| \`check-release --policy … --certificate\` (read 2 CSV + gate + sign) | $s | $m | $c CPU-seconds; $(echo $verdict | tr '\n' ' ') |"
read -r _ s m c <<<"$nodetect"; echo "| \`check-release\` without policy (roles by detection) | $s | $m | $c CPU-seconds |"
read -r _ s m c <<<"$verify"; echo "| \`verify-certificate\` | $s | $m | $c CPU-seconds |"
