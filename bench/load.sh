#!/usr/bin/env bash
# bench/load.sh — the load benchmark of issues 7 and 18: a private PostgreSQL
# (fsync on) and `shujiao serve` built from the tree on loopback; pgbench's
# TPC-B-like workload against that PostgreSQL at the same client count, then
# N simulated buyers placing orders over HTTP (quote → order, paid into
# escrow) flat out and then paced at 70 % of the maximum rate, in the same
# run. Prints a Markdown section, and as its LAST line, for scripts:
#   orders/s X; pgbench TPS Y; ratio Z; p99 at 70 % W ms
# Usage: bash bench/load.sh   (from anywhere)
#   SHUJIAO_LOAD_CLIENTS   simulated buyers and pgbench clients (default 8)
#   SHUJIAO_LOAD_DURATION  length of each phase (default 20s)
#   SHUJIAO_LOAD_DURABLE   true (fsync on, default) or false
#   SHUJIAO_LOAD_FULL      true: each flow also fetches the delivery link and
#                          downloads the delivery (issue 7's flow); default false
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${SHUJIAO_LOAD_CLIENTS:-8}"
duration="${SHUJIAO_LOAD_DURATION:-20s}"
durable="${SHUJIAO_LOAD_DURABLE:-true}"
full="${SHUJIAO_LOAD_FULL:-false}"
echo "_load average at start: $(cut -d' ' -f1-3 /proc/loadavg)_"
echo
go run ./bench/loadbench -clients "$clients" -duration "$duration" -durable="$durable" -full="$full"
