#!/usr/bin/env bash
# bench/upload.sh — a large dataset uploaded through the API (issue 19, item
# 5): wall time, CPU time and the server's peak resident memory (VmHWM of
# the serve process, which also holds the other routes' state) while a
# generated CSV is stored and profiled. Prints a Markdown section.
# Usage: bash bench/upload.sh (from the repository root;
# SHUJIAO_BENCH_UPLOAD_ROWS=N changes the table, default 10,000,000 rows,
# about 973 MB; SHUJIAO_BENCH_UPLOAD_PARALLEL=P uploads P copies at once).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${SHUJIAO_BENCH_UPLOAD_ROWS:-10000000}"
par="${SHUJIAO_BENCH_UPLOAD_PARALLEL:-1}"
tmp="$(mktemp -d)"
port=$((18000 + RANDOM % 1000))
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
command -v curl >/dev/null && command -v python3 >/dev/null || { echo "bench/upload.sh: needs curl and python3" >&2; exit 1; }
bin="$tmp/shujiao"
go build -o "$bin" ./cmd/shujiao
"$bin" gen --rows "$rows" --seed 1 --out "$tmp/people.csv"
size=$(stat -c %s "$tmp/people.csv")
"$bin" demo --data-dir "$tmp/var" --json >"$tmp/demo.json" 2>"$tmp/demo.log"
token="$(python3 -c 'import json,sys; print([a["token"] for a in json.load(open(sys.argv[1]))["accounts"] if a["key"] == "seller-a"][0])' "$tmp/demo.json")"
"$bin" serve --data-dir "$tmp/var" --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
	curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.5
done
hwm() { awk '/VmHWM/{print $2}' "/proc/$server/status"; }
cpu() { awk '{print $14+$15}' "/proc/$server/stat"; }
before_hwm=$(hwm)
before_cpu=$(cpu)
load="$(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
for i in $(seq 1 "$par"); do
	curl -sS -o "$tmp/answer$i.json" -w '%{http_code}\n' -H "Authorization: Bearer $token" \
		-F "file=@$tmp/people.csv;filename=people$i.csv" "http://127.0.0.1:$port/v1/datasets" >"$tmp/status$i" &
done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
end=$(date +%s.%N)
after_hwm=$(hwm)
after_cpu=$(cpu)
tick=$(getconf CLK_TCK)
for i in $(seq 1 "$par"); do
	st=$(cat "$tmp/status$i")
	[ "$st" = 201 ] || { echo "upload $i: HTTP $st: $(head -c 400 "$tmp/answer$i.json")" >&2; exit 1; }
done
got_rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"])' "$tmp/answer1.json")
wall=$(echo "$end - $start" | bc)
echo "### Upload through the API: $par × $rows rows ($(echo "scale=1; $size/1000000" | bc) MB of CSV each)"
echo
echo "Machine: $(nproc) cores, load average at start $load; $(go version | cut -d' ' -f3); commit $(git rev-parse --short HEAD)."
echo
echo "| uploads at once | MB each | rows counted | wall s | server CPU s | server peak RSS before | server peak RSS after |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf "| %d | %.1f | %s | %.1f | %.1f | %.0f MB | %.0f MB |\n" "$par" "$(echo "$size/1000000" | bc -l)" "$got_rows" "$wall" \
	"$(echo "($after_cpu - $before_cpu)/$tick" | bc -l)" "$(echo "$before_hwm/1024" | bc -l)" "$(echo "$after_hwm/1024" | bc -l)"
