#!/usr/bin/env bash
# Serving media from local disk against Go's bare http.ServeContent on the same file, in one run:
# a 200 KiB image (full 200) and a 1 MiB range of a video (206); then the heap while a 500 MB video
# streams. Writes bench/results/media.md.
# Needs PostgreSQL at DATABASE_URL (the handler looks the item up and asks the gate, as in production).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-$(./scripts/db.sh)}"
out="$(go test -run XXX -bench BenchmarkServe -benchtime "${BENCHTIME:-2000x}" ./internal/media/ 2>/dev/null | grep '^BenchmarkServe')"
large="$(go test -run XXX -bench BenchmarkStreamLarge -benchtime 2x ./internal/media/ 2>/dev/null | grep '^BenchmarkStreamLarge')"
ns() { echo "$out" | awk -v n="BenchmarkServe/$1" 'index($1, n) == 1 {print $3}'; }
{
  echo "# Media serving vs bare http.ServeContent ($(date -u +%Y-%m-%d), local disk)"
  echo
  echo '```'
  echo "$out"
  echo '```'
  echo
  for c in image video-range; do
    awk -v c="$c" -v r="$(ns "$c/rapport")" -v b="$(ns "$c/bare")" \
      'BEGIN { printf "- %s: Rapport serves at %.2f of bare ServeContent throughput\n", c, b / r }'
  done
  echo
  echo "Streaming a 500 MB video through a real HTTP server (client discards it):"
  echo
  echo '```'
  echo "$large"
  echo '```'
  echo "$large" | awk '{for (i = 1; i <= NF; i++) if ($i == "peak-heap-growth-MB") printf "- the heap grew by at most %s MB over its idle baseline while 500 MB flowed\n", $(i-1)}'
} > bench/results/media.md
cat bench/results/media.md
