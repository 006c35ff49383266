#!/usr/bin/env bash
# `make bench`: load figures for Rapport's hot routes on a realistic data set, each next to two
# baselines measured in the same run; writes bench/results/bench.md (overwritten each run).
#
#   baselines  bare Echo  bench/bare: an Echo server with one JSON route and no middleware
#              statement  bench/pgxinsert -statement progress: the progress route's own SQL through
#                         raw pgx (no HTTP), to split the route's cost into database and HTTP
#              raw pgx    bench/pgxinsert: single-row INSERTs (one durable commit each) through a
#                         pgx pool into a scratch table shaped like progress_time_events
#   routes     GET /healthz                         Rapport's full middleware chain, no database
#              GET /api/v1/modules                  the catalog with the learner's progress
#              GET /api/v1/modules/{m}/lessons/{l}  ETag miss: stale If-None-Match, 200 + body
#              GET /api/v1/modules/{m}/lessons/{l}  ETag hit: current If-None-Match, 304
#              PUT /api/v1/progress/lessons/{id}    fresh writes: a distinct Idempotency-Key per
#                                                   request, WRITERS learners x every lesson
#              PUT /api/v1/progress/lessons/{id}    replays: one fixed key per learner, so every
#                                                   call after the first takes the idempotent path
#              GET /api/v1/teams/{id}/report        as the team's manager (REPORT_REPS learners: the
#                                                   seeded team of manager-001, grown to that size)
#   references bare Echo /sized/N                   the same Echo server answering a JSON body of the
#                                                   catalog's and the lesson's size
#              GET /api/v1/certificates/{code}      Rapport's single-row read (the team report's
#                                                   reference for p99)
#   then       every route again at 70% of the rate it reached, open loop: p99 against p50
#   and        the server's RSS after the whole run
#
# Every HTTP scenario, baseline included, is driven by vegeta (from the Go module registry,
# installed into .tools/bin) as a closed loop of CONCURRENCY workers (-rate=0, -workers =
# -max-workers = CONCURRENCY), WARMUP unmeasured then DURATION measured. vegeta is used for all
# of them, not hey, because a progress write needs a distinct Idempotency-Key per request (vegeta
# reads a generated targets file; hey repeats one set of headers), and one tool for every row keeps
# the ratios fair; it also counts transport errors and keeps nanosecond latencies.
#
# Steps: build bin/rapport (unless RAPPORT_BIN is set) and the two baselines; create a scratch
# database on the server scripts/db.sh finds (or DATABASE_URL's); `migrate`; `demo --learners
# LEARNERS`; the raw pgx baseline (before the server holds any connection); start the bare server
# and Rapport (DB_MAX_CONNS) on free ports; log in load accounts; run the scenarios; check that
# every acknowledged fresh write is in the database; write the table. On exit every process it
# started is stopped and the scratch database dropped.
#
# Env: DURATION (10s) WARMUP (2s) CONCURRENCY (32) LEARNERS (2000) WRITERS (32) DB_MAX_CONNS (40)
#      REPORT_REPS (500)
#      ONLY: a comma-separated list of row labels to run besides bare (say ONLY=healthz,lesson-hit while
#      working on one path); the table then shows only those rows, and the targets whose rows are
#      missing say so. Unset runs everything, as `make bench` does.
#      DATABASE_URL, RAPPORT_BIN, OUT (bench/results/bench.md)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONCURRENCY=${CONCURRENCY:-32}
LEARNERS=${LEARNERS:-2000}
WRITERS=${WRITERS:-32}
DB_MAX_CONNS=${DB_MAX_CONNS:-40}
REPORT_REPS=${REPORT_REPS:-500}
OUT=${OUT:-bench/results/bench.md}
PASSWORD=rapport-load-2026 # LoadPassword in cmd/rapport/demo_load.go
say() { echo "bench: $(date -u +%T) $*" >&2; }
started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

vegeta="$root/.tools/bin/vegeta"
if [ ! -x "$vegeta" ]; then
  say "installing vegeta v12.13.0 into .tools/bin"
  GOBIN="$root/.tools/bin" go install github.com/tsenart/vegeta/v12@v12.13.0
fi

work="$(mktemp -d)"
pids=()
name="rapport_bench_$(date +%s)_$$"
admin=""
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$admin" ]; then
    psql "$admin" -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}
# wait_http URL LOG: waits up to 20 s for URL to answer 2xx, else shows LOG and fails.
wait_http() {
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  say "$1 did not come up:"; cat "$2" >&2; exit 1
}

bin="${RAPPORT_BIN:-}"
if [ -z "$bin" ]; then
  say "building bin/rapport"
  go build -trimpath -o bin/rapport ./cmd/rapport
  bin="$root/bin/rapport"
fi
go build -o "$work/bare" ./bench/bare
go build -o "$work/pgxinsert" ./bench/pgxinsert

base="${DATABASE_URL:-$(./scripts/db.sh)}"
with_db() { echo "$base" | sed -E "s#^(postgres(ql)?://[^/]+)/[^?]*#\1/$1#"; }
admin="$(with_db postgres)"
dburl="$(with_db "$name")"
psql "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null
pg_version="$(psql "$admin" -tAc 'SHOW server_version')"
others="$(psql "$admin" -tAc "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname IS DISTINCT FROM '$name' AND pid <> pg_backend_pid()")"

export DATABASE_URL="$dburl" LOG_LEVEL=warn SMTP_URL= DB_MAX_CONNS
export JWT_SECRET="bench-secret-bench-secret-bench-secret-01"
say "migrating and seeding $LEARNERS learners"
"$bin" migrate >/dev/null
t0=$(date +%s%N)
"$bin" demo --learners "$LEARNERS" >"$work/demo.log"
seed_secs=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
say "$(tail -n1 "$work/demo.log")"
# The team report's team: manager-001's team, grown to REPORT_REPS reps by moving load learners
# of other teams onto it (their progress, attempts and certificates come with them).
psql "$dburl" -qc "
  WITH t AS (SELECT m.team_id FROM team_members m JOIN users u ON u.id = m.user_id
             WHERE u.email = 'manager-001@load.rapport.test' AND m.role = 'manager' LIMIT 1),
  moving AS (SELECT m.team_id, m.user_id FROM team_members m JOIN users u ON u.id = m.user_id, t
             WHERE m.role = 'member' AND m.team_id <> t.team_id AND u.email LIKE 'learner-%@load.rapport.test'
             ORDER BY u.email LIMIT GREATEST($REPORT_REPS - (SELECT count(*) FROM team_members x, t
                                             WHERE x.team_id = t.team_id AND x.is_learner AND x.removed_at IS NULL), 0))
  UPDATE team_members m SET team_id = t.team_id FROM moving, t
  WHERE m.team_id = moving.team_id AND m.user_id = moving.user_id" >/dev/null
IFS='|' read -r n_users n_teams n_progress n_events n_attempts n_responses n_certs < <(psql "$dburl" -tAc "SELECT
  (SELECT count(*) FROM users), (SELECT count(*) FROM teams), (SELECT count(*) FROM lesson_progress),
  (SELECT count(*) FROM progress_time_events), (SELECT count(*) FROM attempts),
  (SELECT count(*) FROM responses), (SELECT count(*) FROM certificates)")

secs=${DURATION%s}
results="$work/results.tsv" # label, what, expected status, requests, unexpected, rps, p50 ms, p99 ms
: >"$results"

say "raw pgx inserts ($CONCURRENCY workers, pool of $DB_MAX_CONNS)"
"$work/pgxinsert" -db "$dburl" -workers "$CONCURRENCY" -conns "$DB_MAX_CONNS" -duration "$DURATION" -warmup "$WARMUP" >"$work/pgx.json"
jq -r '["pgx", "raw pgx INSERT (one row, autocommit)", "-", .requests, .errors, .rps, .p50_ms, .p99_ms] | @tsv' "$work/pgx.json" >>"$results"
# The progress route's own statement through raw pgx: what the database work alone reaches.
say "Rapport's progress statement through raw pgx"
"$work/pgxinsert" -db "$dburl" -statement progress -workers "$CONCURRENCY" -conns "$DB_MAX_CONNS" -duration "$DURATION" -warmup "$WARMUP" >"$work/pgx-progress.json"
jq -r '["pgx-progress", "raw pgx running the progress write statement (no HTTP)", "-", .requests, .errors, .rps, .p50_ms, .p99_ms] | @tsv' "$work/pgx-progress.json" >>"$results"

# target URL [HEADER VALUE]...: one vegeta JSON target (GET).
target() {
  local url=$1; shift
  local h='{}'
  while [ $# -gt 0 ]; do h=$(jq -c --arg k "$1" --arg v "$2" '. + {($k): [$v]}' <<<"$h"); shift 2; done
  jq -cn --arg u "$url" --argjson h "$h" '{method: "GET", url: $u, header: $h}'
}

# attack LABEL WHAT EXPECT WARM_TARGETS TARGETS: WARMUP against WARM_TARGETS (discarded), then
# DURATION against TARGETS; appends one row to the results.
# wanted LABEL: whether ONLY (if set) names the row.
wanted() { [ "$1" = bare ] || [ -z "${ONLY:-}" ] || [[ ",$ONLY," == *",$1,"* ]]; }
attack() {
  local label=$1 what=$2 expect=$3 warm=$4 targets=$5
  wanted "$label" || return 0
  say "$label: $what"
  "$vegeta" attack -format=json -targets="$warm" -rate=0 -workers="$CONCURRENCY" -max-workers="$CONCURRENCY" \
    -duration="$WARMUP" -max-body=0 -timeout=30s >/dev/null
  "$vegeta" attack -format=json -targets="$targets" -rate=0 -workers="$CONCURRENCY" -max-workers="$CONCURRENCY" \
    -duration="$DURATION" -max-body=0 -timeout=30s >"$work/$label.bin"
  "$vegeta" report -type=json "$work/$label.bin" >"$work/$label.json"
  jq -r --arg l "$label" --arg w "$what" --arg e "$expect" --argjson secs "$secs" '
    [$l, $w, $e, .requests, .requests - (.status_codes[$e] // 0), (.status_codes[$e] // 0) / $secs,
     .latencies["50th"] / 1e6, .latencies["99th"] / 1e6] | @tsv' "$work/$label.json" >>"$results"
  jq -c '{status_codes, errors: (.errors[:3])}' "$work/$label.json" >"$work/$label.codes"
}

# The bare Echo baseline.
bare_port=$(free_port)
"$work/bare" -addr "127.0.0.1:$bare_port" 2>"$work/bare.log" &
pids+=($!)
wait_http "http://127.0.0.1:$bare_port/" "$work/bare.log"
target "http://127.0.0.1:$bare_port/" >"$work/bare.targets"
attack bare "bare Echo GET / (one JSON route, no middleware)" 200 "$work/bare.targets" "$work/bare.targets"

# Rapport.
port=$(free_port)
url="http://127.0.0.1:$port"
HTTP_ADDR="127.0.0.1:$port" PUBLIC_URL="$url" "$bin" serve 2>"$work/server.log" &
server_pid=$!
pids+=("$server_pid")
wait_http "$url/readyz" "$work/server.log"

# login EMAIL: prints "user_id access_token".
login() {
  curl -fsS -H 'Content-Type: application/json' "$url/api/v1/auth/login" \
    -d "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" | jq -r '"\(.user.id) \(.access_token)"'
}
say "logging in $((WRITERS + 2)) load accounts"
read -r _ learner < <(login learner-00001@load.rapport.test)
read -r _ manager < <(login manager-001@load.rapport.test)
: >"$work/writers"
for i in $(seq 2 $((WRITERS + 1))); do login "$(printf 'learner-%05d@load.rapport.test' "$i")" >>"$work/writers"; done
team="$(curl -fsS -H "Authorization: Bearer $manager" "$url/api/v1/teams" | jq -r '.teams[0].id')"
n_members="$(curl -fsS -H "Authorization: Bearer $manager" "$url/api/v1/teams/$team/report" | jq '.members | length')"
mapfile -t slugs < <(curl -fsS -H "Authorization: Bearer $learner" "$url/api/v1/modules" | jq -r '.modules[].slug')
: >"$work/lessons"
for s in "${slugs[@]}"; do
  curl -fsS -H "Authorization: Bearer $learner" "$url/api/v1/modules/$s" | jq -r '.lessons[].id' >>"$work/lessons"
done
n_lessons=$(wc -l <"$work/lessons")
# The lesson read: the first lesson of the second module (premium; the learner has a team seat).
lesson_module="${slugs[1]}"
lesson_slug="$(curl -fsS -H "Authorization: Bearer $learner" "$url/api/v1/modules/$lesson_module" | jq -r '.lessons[0].slug')"
lesson_url="$url/api/v1/modules/$lesson_module/lessons/$lesson_slug"
# The free lesson: the first lesson of the first module whose access is free.
free_module="$(curl -fsS -H "Authorization: Bearer $learner" "$url/api/v1/modules" | jq -r '[.modules[] | select(.access == "free")][0].slug')"
free_slug="$(curl -fsS -H "Authorization: Bearer $learner" "$url/api/v1/modules/$free_module" | jq -r '.lessons[0].slug')"
free_url="$url/api/v1/modules/$free_module/lessons/$free_slug"
free_bytes="$(curl -fsS -H "Authorization: Bearer $learner" "$free_url" | wc -c)"
etag="$(curl -fsS -D - -o /dev/null -H "Authorization: Bearer $learner" "$lesson_url" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')"
[ -n "$etag" ] || { say "no ETag on $lesson_url"; exit 1; }
lesson_bytes="$(curl -fsS -H "Authorization: Bearer $learner" "$lesson_url" | wc -c)"
report_bytes="$(curl -fsS -H "Authorization: Bearer $manager" "$url/api/v1/teams/$team/report" | wc -c)"
catalog_bytes="$(curl -fsS -H "Authorization: Bearer $learner" "$url/api/v1/modules" | wc -c)"
cert_code="$(psql "$dburl" -tAc "SELECT code FROM certificates ORDER BY code LIMIT 1")"

auth=(Authorization "Bearer $learner")
target "$url/healthz" >"$work/healthz.targets"
target "$url/api/v1/modules" "${auth[@]}" >"$work/catalog.targets"
target "$lesson_url" "${auth[@]}" If-None-Match '"stale"' >"$work/miss.targets"
target "$free_url" "${auth[@]}" If-None-Match '"stale"' >"$work/free.targets"
target "http://127.0.0.1:$bare_port/sized/$free_bytes" >"$work/bare-free.targets"
target "$lesson_url" "${auth[@]}" If-None-Match "$etag" >"$work/hit.targets"
target "$url/api/v1/teams/$team/report" Authorization "Bearer $manager" >"$work/report.targets"
target "$url/api/v1/certificates/$cert_code" >"$work/cert.targets"
target "http://127.0.0.1:$bare_port/sized/$catalog_bytes" >"$work/bare-catalog.targets"
target "http://127.0.0.1:$bare_port/sized/$lesson_bytes" >"$work/bare-lesson.targets"

# Progress writes. Fresh: line i is learner i % WRITERS on lesson (i / WRITERS) % lessons, with
# key PREFIX-i; enough lines that no key repeats (checked below). Replay: one fixed key per learner.
body="$(printf '%s' '{"status":"started","seconds":30,"position":"scroll:0.42"}' | base64 -w0)"
# writes PREFIX COUNT [replay]: prints vegeta JSON targets.
writes() {
  awk -v prefix="$1" -v n="$2" -v replay="${3:-}" -v url="$url" -v body="$body" '
    FNR == NR { lessons[nl++] = $1; next }
    { users[nu] = $1; tokens[nu++] = $2 }
    END {
      for (i = 0; i < n; i++) {
        u = i % nu; l = int(i / nu) % nl
        key = replay ? prefix "-" u : prefix "-" i
        printf "{\"method\":\"PUT\",\"url\":\"%s/api/v1/progress/lessons/%s\",\"body\":\"%s\",", url, lessons[l], body
        printf "\"header\":{\"Authorization\":[\"Bearer %s\"],\"Content-Type\":[\"application/json\"],\"Idempotency-Key\":[\"%s\"]}}\n", tokens[u], key
      }
    }' "$work/lessons" "$work/writers"
}
fresh_lines=$((secs * 8000))
writes bench-warm $((${WARMUP%s} * 8000)) >"$work/warm.targets"
writes bench-fresh "$fresh_lines" >"$work/fresh.targets"
writes bench-replay "$WRITERS" replay >"$work/replay.targets"
writes bench-rated "$fresh_lines" >"$work/fresh-70.targets"

attack bare-catalog "bare Echo GET /sized/$catalog_bytes (the catalog's body size)" 200 "$work/bare-catalog.targets" "$work/bare-catalog.targets"
attack bare-lesson "bare Echo GET /sized/$lesson_bytes (the lesson's body size)" 200 "$work/bare-lesson.targets" "$work/bare-lesson.targets"
attack bare-free "bare Echo GET /sized/$free_bytes (the free lesson's body size)" 200 "$work/bare-free.targets" "$work/bare-free.targets"
attack healthz "Rapport GET /healthz (middleware chain, no database)" 200 "$work/healthz.targets" "$work/healthz.targets"
attack catalog "GET /api/v1/modules (catalog + the learner's progress)" 200 "$work/catalog.targets" "$work/catalog.targets"
attack lesson-miss "GET lesson, ETag miss (200, $lesson_bytes-byte JSON)" 200 "$work/miss.targets" "$work/miss.targets"
attack lesson-free "GET free lesson, ETag miss (200, $free_bytes-byte JSON)" 200 "$work/free.targets" "$work/free.targets"
attack lesson-hit "GET lesson, ETag hit (If-None-Match: 304)" 304 "$work/hit.targets" "$work/hit.targets"
attack progress-fresh "PUT progress, distinct Idempotency-Keys ($WRITERS learners x $n_lessons lessons)" 200 "$work/warm.targets" "$work/fresh.targets"
attack progress-replay "PUT progress, replayed key (idempotent path, 1 key per learner)" 200 "$work/replay.targets" "$work/replay.targets"
attack team-report "GET /api/v1/teams/{id}/report as manager ($n_members learners, $report_bytes-byte JSON)" 200 "$work/report.targets" "$work/report.targets"
attack cert "GET /api/v1/certificates/{code} (Rapport's single-row read)" 200 "$work/cert.targets" "$work/cert.targets"

# Each route again, open loop at 70% of the rate it reached above: is p99 within 5 x p50 there?
# rated LABEL TARGETS EXPECT: appends "label rate p50 p99 unexpected" to the rated results.
rated_results="$work/rated.tsv"
: >"$rated_results"
rated() {
  local label=$1 targets=$2 expect=$3 from=${4:-$1} rate
  wanted "$label" || return 0
  rate=$(awk -F'\t' -v l="$from" '$1 == l { printf "%d", $6 * 0.7 }' "$results")
  [ "$rate" -ge 1 ] || rate=1
  say "$label at 70%: $rate/s"
  "$vegeta" attack -format=json -targets="$targets" -rate="$rate/s" -workers="$CONCURRENCY" -max-workers=1000 \
    -duration="$DURATION" -max-body=0 -timeout=30s >"$work/$label-70.bin"
  "$vegeta" report -type=json "$work/$label-70.bin" | jq -r --arg l "$label" --arg r "$rate" --arg e "$expect" '
    [$l, $r, .latencies["50th"] / 1e6, .latencies["99th"] / 1e6, .requests - (.status_codes[$e] // 0)] | @tsv' >>"$rated_results"
}
# The reference too, at the rate of the fastest Rapport row above (the 304's 70%): what the
# machine itself does to the tail at that load.
rated bare "$work/bare.targets" 200 lesson-hit
rated catalog "$work/catalog.targets" 200
rated lesson-miss "$work/miss.targets" 200
rated lesson-free "$work/free.targets" 200
rated lesson-hit "$work/hit.targets" 304
rated progress-fresh "$work/fresh-70.targets" 200
rated team-report "$work/report.targets" 200
read -r rss_kb hwm_kb < <(awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { print r, h }' "/proc/$server_pid/status")

# Every acknowledged fresh write must be in the database, and no fresh key may have been reused.
[ -f "$work/progress-fresh.json" ] || echo '{"requests":0,"status_codes":{}}' >"$work/progress-fresh.json"
[ -f "$work/progress-replay.json" ] || echo '{"requests":0,"status_codes":{}}' >"$work/progress-replay.json"
fresh_acked=$(jq '.status_codes["200"] // 0' "$work/progress-fresh.json")
fresh_sent=$(jq '.requests' "$work/progress-fresh.json")
fresh_rows=$(psql "$dburl" -tAc "SELECT count(*) FROM progress_time_events WHERE idempotency_key LIKE 'bench-fresh-%'")
if [ "$fresh_sent" -ge "$fresh_lines" ]; then
  say "warning: the fresh-write run used all $fresh_lines targets, so keys repeated; raise the line count"
fi
replay_seconds=$(psql "$dburl" -tAc "SELECT coalesce(sum(seconds), 0) FROM progress_time_events WHERE idempotency_key LIKE 'bench-replay-%'")

# The table. Ratios: req/s divided by the baseline's, latency divided by the baseline's.
read -r bare_rps bare_p50 bare_p99 < <(awk -F'\t' '$1 == "bare" { print $6, $7, $8 }' "$results") || true
read -r pgx_rps pgx_p50 pgx_p99 < <(awk -F'\t' '$1 == "pgx" { print $6, $7, $8 }' "$results") || true
cores=$(nproc)
mem_gib=$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs || echo unknown)
elapsed=$(($(date +%s) - started))
mkdir -p "$(dirname "$OUT")"
{
  echo "# Rapport load figures (\`make bench\`)"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); run took ${elapsed} s."
  echo "- Machine: ${cores} cores ($cpu), ${mem_gib} GiB RAM, $(uname -sr); $(go version | awk '{print $3}');"
  echo "  PostgreSQL $pg_version on the same machine (fsync and synchronous_commit on; $others other client"
  echo "  sessions were open on it at the start). Load generator, server and database share the ${cores} cores, and"
  echo "  other work may too (load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end), so absolute"
  echo "  numbers are a floor; the ratios to the two baselines, measured in the same run, are the point."
  if [ -n "${BENCH_NOTE:-}" ]; then echo "- Note: $BENCH_NOTE"; fi
  echo "- Data: \`rapport demo --learners $LEARNERS\` seeded in ${seed_secs} s: $n_users users, $n_teams teams,"
  echo "  $n_progress lesson-progress rows, $n_events reading-time events, $n_attempts submitted attempts"
  echo "  ($n_responses answers), $n_certs certificates. Load accounts: learner-00001@load.rapport.test …,"
  echo "  manager-001@load.rapport.test …, password \`$PASSWORD\`."
  echo "- Load: vegeta v12.13.0, closed loop of $CONCURRENCY workers (keep-alive), ${WARMUP} warm-up then ${DURATION}"
  echo "  measured per row; the server runs with DB_MAX_CONNS=$DB_MAX_CONNS, LOG_LEVEL=warn. Raw pgx: $CONCURRENCY"
  echo "  goroutines, pool of $DB_MAX_CONNS, one-row INSERT per statement (autocommit) into a table shaped like"
  echo "  progress_time_events."
  echo
  echo "| Scenario | Requests | Unexpected | Req/s | p50 ms | p99 ms | Req/s vs bare Echo | p50 vs bare Echo | Req/s vs raw pgx | p50 vs raw pgx |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  awk -F'\t' -v brps="$bare_rps" -v bp50="$bare_p50" -v prps="$pgx_rps" -v pp50="$pgx_p50" '
    { printf "| %s (`%s`) | %d | %d | %.0f | %.2f | %.2f | %.2f | %.1f× | %.2f | %.1f× |\n",
        $2, $1, $4, $5, $6, $7, $8, $6 / brps, $7 / bp50, $6 / prps, $7 / pp50 }' "$results"
  echo
  echo
  echo "## Targets (issue 19)"
  echo
  echo "Ratios from this run. Throughput ratios: the route's req/s over its reference's; the team report: its p99"
  echo "over the p99 of Rapport's single-row read. At 70%: each route open-loop at 70% of the rate it reached above."
  echo
  echo "| path | reference | figure | goal | met? |"
  echo "|---|---|--:|---|---|"
  rps() { awk -F'\t' -v l="$1" '$1 == l { print $6 }' "$results"; }
  p99() { awk -F'\t' -v l="$1" '$1 == l { print $8 }' "$results"; }
  row() { # PATH REFERENCE VALUE OP GOAL
    awk -v p="$1" -v r="$2" -v v="$3" -v op="$4" -v g="$5" 'BEGIN {
      met = (op == ">=") ? (v >= g) : (v <= g)
      printf "| %s | %s | %.2f | %s %s | %s |\n", p, r, v, (op == ">=" ? "≥" : "≤"), g, (met ? "yes" : "**no**") }'
  }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }
  row "GET /api/v1/modules signed in" "bare Echo, $catalog_bytes bytes" "$(ratio "$(rps catalog)" "$(rps bare-catalog)")" ">=" 0.50
  row "lesson If-None-Match → 304 (premium)" "bare Echo, tiny body" "$(ratio "$(rps lesson-hit)" "$(rps bare)")" ">=" 0.70
  row "lesson 200, premium" "bare Echo, $lesson_bytes bytes" "$(ratio "$(rps lesson-miss)" "$(rps bare-lesson)")" ">=" 0.40
  row "lesson 200, free" "bare Echo, $free_bytes bytes" "$(ratio "$(rps lesson-free)" "$(rps bare-free)")" ">=" 0.40
  row "PUT /progress/lessons/{id}" "raw pgx one-row write" "$(ratio "$(rps progress-fresh)" "$(rps pgx)")" ">=" 0.60
  echo "| (why) the progress statement alone, through raw pgx | raw pgx one-row write | $(ratio "$(rps pgx-progress)" "$(rps pgx)" | awk '{ printf "%.2f", $1 }') | — | — |"
  echo "| (why) PUT /progress/lessons/{id} | its own statement through raw pgx | $(ratio "$(rps progress-fresh)" "$(rps pgx-progress)" | awk '{ printf "%.2f", $1 }') | — | — |"
  row "team report, $n_members reps: p99" "p99 of a single-row read (\`cert\`)" "$(ratio "$(p99 team-report)" "$(p99 cert)")" "<=" 5
  while IFS=$'\t' read -r l r p50 p99v bad; do
    row "\`$l\` at 70% ($r/s, p50 $(printf '%.2f' "$p50") ms, p99 $(printf '%.2f' "$p99v") ms, $bad unexpected): p99 / p50" "—" "$(ratio "$p99v" "$p50")" "<=" 5
  done <"$rated_results"
  row "server RSS after the whole bench, MB (peak $((hwm_kb / 1024)) MB)" "—" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')" "<=" 150
  echo
  echo "The team report's statement count is not measured here but in Go: \`TestReportQueryCount\`"
  echo "(internal/teams) counts them; the catalog, lesson and progress budgets are \`TestHotPathStatementCounts\`"
  echo "(internal/app). Where the time goes, with the profile: bench/results/profile.md."
  echo
  if [ -f bench/results/bench-before.md ]; then cat bench/results/bench-before.md; echo; fi
  echo "\"Unexpected\" counts answers other than the expected status (304 for the ETag hit, else 200) and"
  echo "transport errors. Req/s counts expected answers only. Ratios: a route's req/s divided by the"
  echo "baseline's (1.00 = as fast), and its p50 divided by the baseline's (1.0× = as quick)."
  echo
  echo "Checks after the run:"
  echo
  echo "- Fresh progress writes: $fresh_sent sent, $fresh_acked acknowledged (200), $fresh_rows reading-time rows"
  echo "  with their keys in the database ($( [ "$fresh_rows" -ge "$fresh_acked" ] && echo "every acknowledged write is there" || echo "MISSING $((fresh_acked - fresh_rows)) acknowledged writes" ))."
  echo "- Replayed writes: $(jq '.requests' "$work/progress-replay.json") calls on $WRITERS keys added $replay_seconds seconds of reading time"
  echo "  in total ($((WRITERS * 30)) expected: 30 s once per key, nothing for the replays)."
  for f in "$work"/*.codes; do
    l=$(basename "$f" .codes)
    echo "- \`$l\` status codes: \`$(cat "$f")\`"
  done
  echo
  echo "Commands (from \`make bench\`, i.e. \`bench/run.sh\`; env DURATION, WARMUP, CONCURRENCY, LEARNERS, WRITERS,"
  echo "DB_MAX_CONNS, DATABASE_URL change them):"
  echo
  echo '```sh'
  echo "rapport migrate && rapport demo --learners $LEARNERS          # scratch database, dropped at the end"
  echo "pgxinsert -workers $CONCURRENCY -conns $DB_MAX_CONNS -warmup $WARMUP -duration $DURATION   # bench/pgxinsert, before the server starts"
  echo "bare -addr 127.0.0.1:PORT                                     # bench/bare"
  echo "DB_MAX_CONNS=$DB_MAX_CONNS LOG_LEVEL=warn rapport serve"
  echo "# per row: warm-up, then the measured run and its report"
  echo "vegeta attack -format=json -targets=ROW.targets -rate=0 -workers=$CONCURRENCY -max-workers=$CONCURRENCY -duration=$WARMUP -max-body=0 -timeout=30s >/dev/null"
  echo "vegeta attack -format=json -targets=ROW.targets -rate=0 -workers=$CONCURRENCY -max-workers=$CONCURRENCY -duration=$DURATION -max-body=0 -timeout=30s > ROW.bin"
  echo "vegeta report -type=json ROW.bin"
  echo '```'
  echo
  echo "The targets: one GET per read row (with the learner's or manager's bearer token; If-None-Match"
  echo "\"stale\" or the lesson's ETag for the lesson rows); for fresh writes, $fresh_lines PUTs with keys"
  echo "bench-fresh-0 … cycling over $WRITERS learners and $n_lessons lessons (body {\"status\":\"started\",\"seconds\":30,...});"
  echo "for replays, one PUT per learner with a fixed key, repeated."
} >"$OUT"
say "wrote $OUT"
cat "$OUT"
