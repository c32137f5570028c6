#!/usr/bin/env bash
# make bench: runs every bench/<topic>.sh and gathers their Markdown sections
# into bench/RESULTS.md, headed by the machine the figures were taken on.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/RESULTS.md
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
  echo "# Benchmark results"
  echo
  echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB,"
  echo "$(go version | cut -d' ' -f3), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo
} >"$tmp"
status=0
for script in bench/*.sh; do
  [ "$(basename "$script")" = run.sh ] && continue
  echo "== $script" >&2
  if ! bash "$script" >>"$tmp"; then
    echo "bench: $script failed" >&2
    echo -e "\n_$script failed in this run._\n" >>"$tmp"
    status=1
  fi
  echo >>"$tmp"
done
mv "$tmp" "$out"
chmod 644 "$out"
trap - EXIT
echo "bench: wrote $out" >&2
exit $status
