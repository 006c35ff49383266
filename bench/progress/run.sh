#!/usr/bin/env bash
# Load test for PUT /api/v1/progress/lessons/{id}, with GET /healthz (a bare Echo handler behind
# the same middleware chain) as the baseline, measured in the same run.
#
# It creates a scratch database on DATABASE_URL's server (dropped at exit), starts the server on
# it, imports the shipped curriculum, registers learners and runs `hey` three times:
#   healthz  GET /healthz, CONCURRENCY workers
#   hot      PUT one lesson of one learner, CONCURRENCY workers: every call fights for one row
#            lock (worst case: one learner with CONCURRENCY tabs)
#   spread   PUT from LEARNERS learners on their own lesson rows, CONCURRENCY workers in total
# Each PUT carries `Authorization: Bearer ...` and a fixed Idempotency-Key, so every call runs the
# full single-statement upsert (time-event insert, which finds the key, plus the row update).
# Requests/sec and latency percentiles are computed from hey's per-request CSV.
#
# Usage: bench/progress/run.sh
# Env:   DATABASE_URL  server to use (default: the local one, as scripts/db.sh finds it)
#        RAPPORT_BIN   server binary (default: build the current tree into the scratch dir; set
#                      RAPPORT_BIN=bin/rapport after `make build` to measure that binary)
#        DURATION (10s) CONCURRENCY (50) LEARNERS (10) PORT (18081)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-50}
LEARNERS=${LEARNERS:-10}
PORT=${PORT:-18081}
say() { echo "bench: $*" >&2; }

hey="$root/.tools/bin/hey"
if [ ! -x "$hey" ]; then
  say "installing hey into .tools/bin"
  GOBIN="$root/.tools/bin" go install github.com/rakyll/hey@v0.1.5
fi

base="${DATABASE_URL:-$(./scripts/db.sh)}"
with_db() { echo "$base" | sed -E "s#^(postgres(ql)?://[^/]+)/[^?]*#\1/$1#"; }
name="rapport_bench_$(date +%s)_$$"
admin="$(with_db postgres)"
dburl="$(with_db "$name")"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  psql "$admin" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

bin="${RAPPORT_BIN:-}"
if [ -z "$bin" ]; then
  say "building the server"
  go build -trimpath -o "$work/rapport" ./cmd/rapport
  bin="$work/rapport"
fi
psql "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null

url="http://127.0.0.1:$PORT"
export DATABASE_URL="$dburl" HTTP_ADDR="127.0.0.1:$PORT" PUBLIC_URL="$url" LOG_LEVEL=warn SMTP_URL=
export JWT_SECRET="bench-secret-bench-secret-bench-secret-01"
"$bin" content import >/dev/null
"$bin" serve 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "$url/readyz" 2>/dev/null && break; sleep 0.2; done
curl -fsS -o /dev/null "$url/readyz" || { say "server did not start:"; cat "$work/server.log" >&2; exit 1; }

# register prints a fresh learner's access token.
register() {
  curl -fsS -H 'Content-Type: application/json' "$url/api/v1/auth/register" \
    -d "{\"email\":\"bench-$1-$$@example.com\",\"password\":\"bench password 123\",\"name\":\"Bench $1\"}" |
    jq -r .access_token
}
slug="$(curl -fsS "$url/api/v1/modules" | jq -r '[.modules[] | select(.access == "free")][0].slug')"
mapfile -t lessons < <(curl -fsS "$url/api/v1/modules/$slug" | jq -r '.lessons[].id')
body='{"status":"started","seconds":30,"position":"scroll:0.42"}'

# run NAME ARGS...: one hey process per "--" separated group of hey arguments, in parallel; then
# prints requests/sec, p50, p99 and the share of non-2xx answers over all of them.
run() {
  local label=$1; shift
  local i=0 args=() pids=()
  : >"$work/$label.csv"
  while [ $# -gt 0 ]; do
    args=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    "$hey" -o csv "${args[@]}" >"$work/$label.$i.csv" &
    pids+=($!); i=$((i + 1))
  done
  for p in "${pids[@]}"; do wait "$p"; done
  for f in "$work/$label".*.csv; do tail -n +2 "$f" >>"$work/$label.csv"; done
  local secs=${DURATION%s}
  cut -d, -f1,7 "$work/$label.csv" | sort -t, -k1,1g | awk -F, -v secs="$secs" -v label="$label" '
    { t[NR] = $1; if ($2 < 200 || $2 > 299) bad++ }
    END {
      n = NR; p50 = t[int(n * 0.50) + 1]; p99 = t[int(n * 0.99) + 1]
      printf "%-8s %10.0f req/s   p50 %7.2f ms   p99 %7.2f ms   %d requests, %d non-2xx\n",
        label, n / secs, p50 * 1000, p99 * 1000, n, bad
    }'
}

hot_token="$(register hot)"
spread=()
for i in $(seq 1 "$LEARNERS"); do
  tok="$(register "spread-$i")"
  lesson="${lessons[$(( (i - 1) % ${#lessons[@]} ))]}"
  spread+=(-z "$DURATION" -c "$(( CONCURRENCY / LEARNERS ))" -m PUT -T application/json -d "$body"
    -H "Authorization: Bearer $tok" -H "Idempotency-Key: bench-$i" "$url/api/v1/progress/lessons/$lesson" --)
done
put_args=(-m PUT -T application/json -d "$body" -H "Authorization: Bearer $hot_token" -H "Idempotency-Key: bench-hot"
  "$url/api/v1/progress/lessons/${lessons[0]}")

say "warming up"
"$hey" -z 2s -c "$CONCURRENCY" "$url/healthz" >/dev/null
"$hey" -z 2s -c "$CONCURRENCY" "${put_args[@]}" >/dev/null

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), PostgreSQL $(psql "$admin" -tAc 'SHOW server_version'), ${DURATION} per run, ${CONCURRENCY} workers"
run healthz -z "$DURATION" -c "$CONCURRENCY" "$url/healthz"
run hot -z "$DURATION" -c "$CONCURRENCY" "${put_args[@]}"
run spread "${spread[@]}"
seconds="$(psql "$dburl" -tAc "SELECT seconds FROM lesson_progress p JOIN users u ON u.id = p.user_id WHERE u.email LIKE 'bench-hot-%'")"
echo "# check: the hot row holds ${seconds} seconds (30 once: every replay of its key added nothing)"
sleep 2 # let the server's backends flush their statistics
psql "$dburl" -tAc "SELECT format('# lesson_progress: %s updates, %s%% HOT', n_tup_upd,
  round(100.0 * n_tup_hot_upd / greatest(n_tup_upd, 1))) FROM pg_stat_user_tables WHERE relname = 'lesson_progress'"
