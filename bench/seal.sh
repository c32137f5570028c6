#!/usr/bin/env bash
# bench/seal.sh — the sealing benchmark of issue 18 (bench/seal.md): a
# private PostgreSQL, certified listings of a few sizes, orders placed
# through the services (no HTTP), then River seals them in the background
# with serve's worker configuration, fingerprinting on (a copy per order)
# and off (the release sealed once, a session key packet per buyer).
# Prints a Markdown section, and as its LAST line, for scripts:
#   seal MB/s X; jobs/s Y; queue wait p99 Z ms
# Usage: bash bench/seal.sh   (from anywhere)
#   SHUJIAO_SEAL_SIZES    rows of the certified releases (default 1000,10000,100000)
#   SHUJIAO_SEAL_ORDERS   orders sealed per size (default 40,24,8)
#   SHUJIAO_SEAL_PACED    the size also measured paced at half the drain rate (default 10000)
#   SHUJIAO_SEAL_RATE     orders/s of the paced phase (default 0: half the drain rate)
#   SHUJIAO_SEAL_DURABLE  true (fsync on, default) or false
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${SHUJIAO_SEAL_SIZES:-1000,10000,100000}"
orders="${SHUJIAO_SEAL_ORDERS:-40,24,8}"
paced="${SHUJIAO_SEAL_PACED:-10000}"
rate="${SHUJIAO_SEAL_RATE:-0}"
durable="${SHUJIAO_SEAL_DURABLE:-true}"
echo "_load average at start: $(cut -d' ' -f1-3 /proc/loadavg)_"
echo
go run ./bench/sealbench -sizes "$sizes" -orders "$orders" -paced-size "$paced" -paced-rate "$rate" -durable="$durable"
