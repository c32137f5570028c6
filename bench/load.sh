#!/usr/bin/env bash
# bench/load.sh — the load benchmark of issue 7 item 7: N simulated buyers on
# loopback HTTP doing quote → order (and pay) → delivery → download against a
# private PostgreSQL, flat out and then paced at 70 % of the maximum rate,
# beside pgbench's TPC-B-like TPS on the same PostgreSQL at the same client
# count, in the same run. Prints a Markdown section.
# Usage: bash bench/load.sh   (from the repository root)
#   SHUJIAO_LOAD_CLIENTS   simulated buyers and pgbench clients (default 8)
#   SHUJIAO_LOAD_DURATION  length of each phase (default 20s)
#   SHUJIAO_LOAD_DURABLE   true (fsync on, default) or false
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${SHUJIAO_LOAD_CLIENTS:-8}"
duration="${SHUJIAO_LOAD_DURATION:-20s}"
durable="${SHUJIAO_LOAD_DURABLE:-true}"
echo "_load average at start: $(cut -d' ' -f1-3 /proc/loadavg)_"
echo
go run ./bench/loadbench -clients "$clients" -duration "$duration" -durable="$durable"
