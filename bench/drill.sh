#!/usr/bin/env bash
# `make drill`: three failure drills against real server processes, on a private throwaway
# PostgreSQL cluster (never the machine's shared server: drill 1 stops and crashes it). Writes
# bench/results/drill.md, and exits non-zero if any check failed.
#
#   1. database outage under write load: PostgreSQL is stopped (pg_ctl -m fast), started, then
#      killed (-m immediate: crash recovery) and started again while bench/drillclient sends
#      progress writes (unique Idempotency-Keys, re-sent with the same key until acknowledged) and
#      registrations. Checks: the server stays up; /readyz goes 503 during each outage and 200
#      after; no 5xx other than 503; the outage is logged once (one ERROR line when it starts, one
#      WARN line when it ends), not once per 503; every write the client saw acknowledged is in the
#      database; reading time is counted once per key; every account created has its verification
#      e-mail job, and 0 registrations were acknowledged without a queued mail (the mail is queued
#      in the registration's transaction, so a database lost between commit and enqueue cannot drop
#      it: there is no such moment).
#   2. SIGTERM under load (the same server process, which survived drill 1): writes, team reports
#      and registrations in flight. Checks: every request in flight at SIGTERM gets its answer, no
#      connection reset or EOF, the process exits 0, acknowledged writes are in the database.
#   3. two server processes on one database, started at the same moment without JWT_SECRET (so
#      they must agree on the generated key), behind a round-robin client: registrations and
#      writes; plus a sessions check (log in on A, refresh on B, use the token on A, ...). Checks:
#      one send_email job per account, each completed on its first attempt, exactly one e-mail in
#      the two logs per account; logins, refreshes and tokens work across processes; reuse of a
#      spent refresh token is caught whichever process sees it.
#
# Env: LEARNERS (100) seeded with `rapport demo --learners`; RAPPORT_BIN (default: build bin/rapport);
#      OUT (bench/results/drill.md); KEEP_WORK=1 keeps the server logs and client records. Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin)
#      and, as root, the `postgres` (or `nobody`) user to run them: initdb refuses root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
LEARNERS=${LEARNERS:-100}
OUT=${OUT:-bench/results/drill.md}
say() { echo "drill: $(date -u +%T) $*" >&2; }
now_us() { date +%s%6N; }

pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  say "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"; exit 1
fi
as_pg=()
if [ "$(id -u)" = 0 ]; then
  pguser=postgres; id -u postgres >/dev/null 2>&1 || pguser=nobody
  as_pg=(runuser -u "$pguser" --)
fi

work="$(mktemp -d)"
dir="$root/.data/drill/run-$$"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  rmdir "$root/.data/drill" 2>/dev/null || true
  if [ -n "${KEEP_WORK:-}" ]; then say "kept the logs and client records in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}
wait_http() {
  for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  say "$1 did not come up:"; cat "$2" >&2; exit 1
}

bin="${RAPPORT_BIN:-}"
if [ -z "$bin" ]; then
  say "building bin/rapport"
  go build -trimpath -o bin/rapport ./cmd/rapport
  bin="$root/bin/rapport"
fi
go build -o "$work/drillclient" ./bench/drillclient
client="$work/drillclient"

# The private cluster.
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown -R "$pguser" "$dir"
pgport=$(free_port)
say "initialising a private cluster in $dir (port $pgport)"
"${as_pg[@]}" "$pgbin/initdb" --no-sync -A trust -U postgres -D "$dir/data" >/dev/null
pg_start() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -w -D "$dir/data" -l "$dir/postgres.log" \
    -o "-h 127.0.0.1 -p $pgport -k $dir -c max_connections=200" start >/dev/null
}
pg_stop() { "${as_pg[@]}" "$pgbin/pg_ctl" -w -D "$dir/data" -m "$1" stop >/dev/null; }
pg_start
psql "postgres://postgres@127.0.0.1:$pgport/postgres" -qc 'CREATE DATABASE rapport' >/dev/null
dburl="postgres://postgres@127.0.0.1:$pgport/rapport?sslmode=disable"
q() { psql "$dburl" -tAc "$1"; }

export DATABASE_URL="$dburl" SMTP_URL= DB_MAX_CONNS=20 SHUTDOWN_TIMEOUT_SECONDS=20
LOG_LEVEL=warn "$bin" migrate >/dev/null
LOG_LEVEL=warn "$bin" demo --learners "$LEARNERS" | tail -n1 >&2

# start_server NAME PORT [VAR=VALUE]...: starts `rapport serve` in the background, logging to
# $work/NAME.log; the pid is left in $last_pid.
start_server() {
  local name=$1 port=$2; shift 2
  env "$@" HTTP_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" "$bin" serve >"$work/$name.log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}

# check NAME OK DETAIL: records one expectation for the report.
failed=0
checks="$work/checks.md"
: >"$checks"
check() {
  local mark=PASS
  if [ "$2" != 1 ]; then mark=FAIL; failed=1; fi
  echo "| $1 | $mark | $3 |" >>"$checks"
  say "$mark $1: $3"
}
is() { if eval "$1"; then echo 1; else echo 0; fi; }

# acked_check PREFIX DIR: how many acknowledged writes of DIR/acked.csv are missing, and how many
# rows with the prefix are in the database (acknowledged or not: a write whose answer was lost).
acked_check() {
  psql "$dburl" -qtA -F' ' <<SQL | tail -n1
CREATE TEMP TABLE acked (user_id uuid, key text, seconds int);
\copy acked FROM '$2/acked.csv' CSV
SELECT (SELECT count(*) FROM acked),
       (SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM progress_time_events e
          WHERE e.user_id = a.user_id AND e.idempotency_key = a.key)),
       (SELECT count(*) FROM progress_time_events WHERE idempotency_key LIKE '$1-%');
SQL
}
# unmailed DIR: of the registrations the client saw acknowledged (201, DIR/registered.csv), how
# many there are, how many have no send_email job to their address, and how many accounts are
# missing.
unmailed() {
  psql "$dburl" -qtA -F' ' <<SQL | tail -n1
CREATE TEMP TABLE registered (email text, target int, user_id uuid);
\copy registered FROM '$1/registered.csv' CSV
SELECT (SELECT count(*) FROM registered),
       (SELECT count(*) FROM registered r WHERE NOT EXISTS (SELECT 1 FROM river_job j
          WHERE j.kind = 'send_email' AND j.args->>'to' = r.email)),
       (SELECT count(*) FROM registered r WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id));
SQL
}
# acked_between FROM TO: registrations of drill 1 answered 201 in [FROM, TO] (Unix µs).
acked_between() {
  awk -F, -v a="$1" -v b="$2" 'NR > 1 && $1 == "register" && $5 == 201 && $4 >= a && $4 <= b { n++ } END { print n + 0 }' "$work/d1/attempts.csv"
}
# seconds_mismatch: lesson rows whose seconds differ from the sum of their reading-time events
# (a key counted twice, or a write half applied, would show here).
seconds_mismatch() {
  q "SELECT count(*) FROM lesson_progress p LEFT JOIN (SELECT user_id, lesson_id, sum(seconds) AS s
     FROM progress_time_events GROUP BY 1, 2) e USING (user_id, lesson_id) WHERE p.seconds <> coalesce(e.s, 0)"
}
# error_lines LOG: the distinct messages of ERROR-level lines in a server log (at most 8).
error_lines() {
  { grep '"level":"ERROR"' "$1" || true; } | jq -r '[.msg, (.status // "" | tostring), (.error // "" | .[0:160])] | join(" ")' 2>/dev/null |
    sort | uniq -c | sort -rn | head -n 12
}
# jobs_for PREFIX: send_email jobs for accounts with the prefix: total, completed, first-attempt, max attempt, distinct recipients.
jobs_for() {
  q "SELECT count(*), count(*) FILTER (WHERE state = 'completed'), count(*) FILTER (WHERE attempt = 1),
     coalesce(max(attempt), 0), count(DISTINCT args->>'to') FROM river_job
     WHERE kind = 'send_email' AND args->>'to' LIKE '$1-%'" | tr '|' ' '
}
wait_jobs() {
  for _ in $(seq 1 120); do
    [ "$(q "SELECT count(*) FROM river_job WHERE kind = 'send_email' AND state <> 'completed'")" = 0 ] && return 0
    sleep 0.5
  done
  return 1
}
rel() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (a - b) / 1e6 }'; } # µs difference in seconds
# wait_started FILE PID: waits until the client (PID) has logged in and started its load; prints
# the start time (Unix µs).
wait_started() {
  for _ in $(seq 1 600); do
    if [ -s "$1" ]; then cat "$1"; return 0; fi
    kill -0 "$2" 2>/dev/null || { say "the client exited before starting"; return 1; }
    sleep 0.1
  done
  say "the client did not start within 60 s"; return 1
}

# ------------------------------------------------------------------------------------------------
say "drill 1: database outage under write load"
port1=$(free_port)
u1="http://127.0.0.1:$port1"
start_server d1 "$port1" LOG_LEVEL=warn JWT_SECRET=drill-secret-drill-secret-drill-secret-01
s1=$last_pid
wait_http "$u1/readyz" "$work/d1.log"
"$client" load -targets "$u1" -out "$work/d1" -duration 5m -writers 16 -learners 40 -key-prefix d1 -retry \
  -registrars 2 -register-n 100000 -register-prefix d1 -watch-ready -started-file "$work/d1.started" &
c1=$!
pids+=("$c1")
t1_start=$(wait_started "$work/d1.started" "$c1")
sleep 6
t1_stop1=$(now_us); say "pg_ctl stop -m fast"; pg_stop fast; t1_stopped1=$(now_us)
sleep 6
t1_up1=$(now_us); say "pg_ctl start"; pg_start; t1_started1=$(now_us)
sleep 6
t1_stop2=$(now_us); say "pg_ctl stop -m immediate (crash)"; pg_stop immediate; t1_stopped2=$(now_us)
sleep 5
t1_up2=$(now_us); say "pg_ctl start (crash recovery)"; pg_start; t1_started2=$(now_us)
# Let the load run on for a while once the server is ready again, then stop the client.
wait_http "$u1/readyz" "$work/d1.log"
sleep 4
kill -INT "$c1"
wait "$c1"
t1_end=$(now_us)
s1_alive=$(is "kill -0 $s1 2>/dev/null")
sleep 1
read -r d1_acked d1_missing d1_rows < <(acked_check d1 "$work/d1")
d1_mismatch=$(seconds_mismatch)
wait_jobs || true
d1_registered=$(jq .registered "$work/d1/summary.json")
read -r d1_jobs d1_jobs_done d1_jobs_first d1_jobs_max d1_jobs_to < <(jobs_for d1)
d1_users=$(q "SELECT count(*) FROM users WHERE email LIKE 'd1-%'")
# Counted at the very end (the jobs_for figures above are taken right after drill 1).
d1_running_q="SELECT count(*) FROM river_job WHERE kind = 'send_email' AND state = 'running' AND args->>'to' LIKE 'd1-%'"
read -r d1_acked_regs d1_unmailed d1_acked_no_user < <(unmailed "$work/d1")
# Registrations answered 201 while PostgreSQL was being stopped (from the stop command to its end,
# plus a second before): the window where a commit could be followed by a failed enqueue.
d1_regs_at_stop=$(( $(acked_between $((t1_stop1 - 1000000)) "$t1_stopped1") + $(acked_between $((t1_stop2 - 1000000)) "$t1_stopped2") ))
# The outage log: one ERROR line when an outage starts, one WARN line when it ends, and no
# per-request ERROR line for a 503.
d1_outage_starts=$({ grep '"level":"ERROR"' "$work/d1.log" || true; } | { grep -c '"msg":"the database is not answering' || true; })
d1_outage_ends=$({ grep -c '"msg":"the database answers again"' "$work/d1.log" || true; } | head -n1)
d1_503_errors=$({ grep '"level":"ERROR"' "$work/d1.log" || true; } | jq -s '[.[] | select(.status == 503 and (.msg | startswith("the database is not answering") | not))] | length')
# An outage's end as logged: the ones of a second or more (each PostgreSQL stop), and the blips
# under a second (while PostgreSQL shuts down, it ends the pool's connections one by one and the
# others still answer for a few milliseconds).
ends_json=$({ grep '"msg":"the database answers again"' "$work/d1.log" || true; } | jq -s '.')
d1_outage_long=$(jq '[.[] | select(.outage_ms >= 1000)] | length' <<<"$ends_json")
d1_outage_long_detail=$(jq -r '[.[] | select(.outage_ms >= 1000) | "\(.outage_ms / 1000) s with \(.failed_requests) failed requests"] | join(", ")' <<<"$ends_json")
d1_outage_blips=$(jq '[.[] | select(.outage_ms < 1000)] | length' <<<"$ends_json")
d1_outage_blips_detail=$(jq -r '[.[] | select(.outage_ms < 1000)] | "longest \(map(.outage_ms) | max // 0) ms, \(map(.failed_requests) | add // 0) failed requests in all"' <<<"$ends_json")
# The slowest /readyz answer the server itself logged (503s are logged at warn level).
d1_ready_slowest=$({ grep '"path":"/readyz"' "$work/d1.log" || true; } | jq -s 'map(select(.msg == "request") | .ms) | max // 0')
d1_5xx=$(jq '[.ops[].by_status | to_entries[] | select((.key | tonumber) >= 500 and .key != "503") | .value] | add // 0' "$work/d1/summary.json")
d1_transport=$(jq '[.ops[].errors_by_kind | to_entries[] | .value] | add // 0' "$work/d1/summary.json")
# /readyz: the states seen, in order, collapsed.
d1_ready=$(jq -r --argjson t0 "$((t1_start / 1000))" '[.ready[] | "\(.state) (t+\(((.at_ms - $t0) / 100 | floor) / 10)s)"] | join(" → ")' "$work/d1/summary.json")
# Each outage must show a 503 while PostgreSQL is down, then a 200 before the next stop (or the
# end), and the last state must be 200. Other states in between (a poll that timed out on the
# loaded machine) are reported, not failed.
d1_ready_ok=$(jq --argjson w "[[$((t1_stop1 / 1000)), $((t1_started1 / 1000)), $((t1_stop2 / 1000))],
  [$((t1_stop2 / 1000)), $((t1_started2 / 1000)), $((t1_end / 1000))]]" '
  .ready as $r
  | ([$w[] as [$s, $e, $n]
      | ([$r[] | select(.state == "503" and .at_ms >= $s and .at_ms <= $e)] | first) as $down
      | $down != null and ([$r[] | select(.state == "200" and .at_ms > $down.at_ms and .at_ms <= $n)] | length > 0)]
     | all) and ($r[-1].state == "200")
  | if . then 1 else 0 end' "$work/d1/summary.json")
d1_ready_odd=$(jq '[.ready[] | select(.state != "200" and .state != "503")] | length' "$work/d1/summary.json")
# First acknowledged write after each restart, relative to the restart.
first_ack_after() {
  awk -F, -v t="$1" 'NR > 1 && $1 == "write" && $5 == 200 && $3 >= t { if (!m || $4 < m) m = $4 }
    END { if (m) printf "%.2f s", (m - t) / 1e6; else printf "never" }' "$work/d1/attempts.csv"
}
d1_recover1=$(first_ack_after "$t1_started1")
d1_recover2=$(first_ack_after "$t1_started2")
d1_statuses=$(jq -c '.ops | map_values({attempts, by_status, errors_by_kind, abandoned, p50_ms, p99_ms})' "$work/d1/summary.json")

check "1. server process stays up through both outages" "$s1_alive" "pid $s1 alive after the drill"
check "1. /readyz 503 during each outage, 200 after" "$d1_ready_ok" "$d1_ready ($d1_ready_odd polls not answered within the client's 2 s; slowest 503 as timed by the server: $d1_ready_slowest ms)"
check "1. no 5xx other than 503, no transport errors" "$(is "[ $d1_5xx = 0 ] && [ $d1_transport = 0 ]")" "$d1_5xx other 5xx, $d1_transport transport errors"
check "1. every acknowledged write is in the database" "$(is "[ $d1_missing = 0 ] && [ $d1_acked -gt 0 ]")" "$d1_acked acknowledged, $d1_missing missing; $d1_rows rows with the d1 prefix"
check "1. reading time counted once per key" "$(is "[ $d1_mismatch = 0 ]")" "$d1_mismatch lesson rows whose seconds differ from their events"
check "1. one verification e-mail job per account created" "$(is "[ $d1_jobs = $d1_users ] && [ $d1_jobs_to = $d1_users ]")" \
  "$d1_registered registrations answered 201, $d1_users accounts in the database, $d1_jobs jobs to $d1_jobs_to recipients"
check "1. 0 registrations acknowledged without a queued mail" "$(is "[ $d1_unmailed = 0 ] && [ $d1_acked_no_user = 0 ] && [ $d1_acked_regs -gt 0 ]")" \
  "$d1_unmailed of $d1_acked_regs registrations the client saw acknowledged have no send_email job ($d1_acked_no_user no account); $d1_regs_at_stop of them were answered while PostgreSQL was being stopped"
check "1. an outage is logged when it starts and ends, not per 503" "$(is "[ $d1_outage_long = 2 ] && [ $d1_outage_starts = $d1_outage_ends ] && [ $d1_503_errors = 0 ]")" \
  "$d1_outage_starts ERROR \"the database is not answering\", $d1_outage_ends WARN \"the database answers again\": $d1_outage_long outages of a second or more ($d1_outage_long_detail) and $d1_outage_blips blips while PostgreSQL shut down ($d1_outage_blips_detail); $d1_503_errors other ERROR lines for a 503"

# ------------------------------------------------------------------------------------------------
say "drill 2: SIGTERM under load (the same server process)"
"$client" load -targets "$u1" -out "$work/d2" -duration 9s -writers 16 -reporters 6 -learners 40 -key-prefix d2 \
  -registrars 2 -register-n 100000 -register-prefix d2 -started-file "$work/d2.started" &
c2=$!
pids+=("$c2")
wait_started "$work/d2.started" "$c2" >/dev/null
sleep 4
say "SIGTERM to the server (pid $s1)"
t2_sig=$(now_us)
kill -TERM "$s1"
s1_rc=0
wait "$s1" || s1_rc=$?
t2_exit=$(now_us)
wait "$c2"
# Requests in flight at SIGTERM: written in full before it, finished after it. One of those can
# meet a keep-alive connection that the server closes without reading it (it had finished the
# previous request and was shutting down): Go's transport then re-sends it on a new connection,
# which the closed listener refuses. The server never started those ("unread"); anything else
# that is not a 2xx is a failure.
inflight='NR > 1 && $9 > 0 && $9 < t && $4 > t'
read -r d2_inflight d2_inflight_ok d2_inflight_unread d2_inflight_bad < <(awk -F, -v t="$t2_sig" "$inflight"' {
    n++; if ($5 >= 200 && $5 < 300) ok++; else if ($5 == 0 && $6 == "refused" && $8 <= 1) unread++; else bad++ }
  END { print n + 0, ok + 0, unread + 0, bad + 0 }' "$work/d2/attempts.csv")
d2_inflight_detail=$(awk -F, -v t="$t2_sig" "$inflight"' { k[$1 " " ($5 ? $5 : $6)]++ } END { for (x in k) printf "%s×%d ", x, k[x] }' "$work/d2/attempts.csv")
d2_after=$(awk -F, -v t="$t2_sig" 'NR > 1 && $3 >= t { k[$5 ? $5 : $6]++ } END { for (x in k) printf "%s×%d ", x, k[x] }' "$work/d2/attempts.csv")
d2_resets=$(jq '[.ops[].errors_by_kind | (.reset // 0) + (.eof // 0) + (.broken_pipe // 0) + (.idle_closed // 0)] | add // 0' "$work/d2/summary.json")
d2_kinds=$(jq -c '[.ops[].errors_by_kind] | add' "$work/d2/summary.json")
d2_5xx=$(jq '[.ops[].by_status | to_entries[] | select((.key | tonumber) >= 500) | .value] | add // 0' "$work/d2/summary.json")
d2_drain=$(rel "$t2_exit" "$t2_sig")
d2_slowest_inflight=$(awk -F, -v t="$t2_sig" "$inflight"' && $5 > 0 { d = ($4 - t) / 1e6; if (d > m) m = d } END { printf "%.2f", m }' "$work/d2/attempts.csv")
d2_statuses=$(jq -c '.ops | map_values({attempts, by_status, errors_by_kind, p50_ms, p99_ms})' "$work/d2/summary.json")
read -r d2_acked d2_missing d2_rows < <(acked_check d2 "$work/d2")

check "2. requests in flight at SIGTERM all answered 2xx" "$(is "[ $d2_inflight_bad = 0 ] && [ $d2_inflight_ok -gt 0 ]")" \
  "$d2_inflight in flight: $d2_inflight_ok answered 2xx, $d2_inflight_unread unread by the server (keep-alive close, re-sent, refused), $d2_inflight_bad failed ($d2_inflight_detail); the last answered $d2_slowest_inflight s after SIGTERM"
check "2. no connection reset / EOF, no 5xx" "$(is "[ $d2_resets = 0 ] && [ $d2_5xx = 0 ]")" "errors by kind over the run: $d2_kinds; requests sent after SIGTERM: $d2_after"
check "2. server exits 0 after draining" "$(is "[ $s1_rc = 0 ]")" "exit status $s1_rc, $d2_drain s after SIGTERM"
check "2. every acknowledged write is in the database" "$(is "[ $d2_missing = 0 ] && [ $d2_acked -gt 0 ]")" "$d2_acked acknowledged, $d2_missing missing"

# ------------------------------------------------------------------------------------------------
say "drill 3: two server processes on one database"
# The key generated by `demo` is dropped, so A and B race to create it (first writer wins).
q "DELETE FROM settings WHERE key = 'jwt_secret'" >/dev/null
portA=$(free_port)
portB=$(free_port)
uA="http://127.0.0.1:$portA"
uB="http://127.0.0.1:$portB"
start_server A "$portA" LOG_LEVEL=info JWT_SECRET=
sA=$last_pid
start_server B "$portB" LOG_LEVEL=info JWT_SECRET=
sB=$last_pid
wait_http "$uA/readyz" "$work/A.log"
wait_http "$uB/readyz" "$work/B.log"
N3=${N3:-200}
"$client" load -targets "$uA,$uB" -out "$work/d3" -duration 30s -writers 8 -learners 40 -key-prefix d3 -retry \
  -registrars 6 -register-n "$N3" -register-prefix d3 &
c3=$!
pids+=("$c3")
"$client" sessions -targets "$uA,$uB" -out "$work/d3s" -from 41 -n 40
wait "$c3"
wait_jobs || say "send_email jobs still pending after 60 s"
sleep 1
d3_registered=$(jq .registered "$work/d3/summary.json")
d3_by_target=$(awk -F, '{ n[$2]++ } END { printf "A %d, B %d", n[0], n[1] }' "$work/d3/registered.csv")
read -r d3_jobs d3_done d3_first d3_max d3_to < <(jobs_for d3)
d3_workers=$(q "SELECT string_agg(n::text, ' + ' ORDER BY n DESC) FROM (SELECT count(*) AS n FROM river_job
  WHERE kind = 'send_email' AND args->>'to' LIKE 'd3-%' GROUP BY attempted_by[1]) x")
mails() { { grep -h '"msg":"e-mail (not sent: no SMTP_URL)"' "$@" || true; } | jq -r .to | grep "^$prefix-" || true; }
prefix=d3
d3_mail_A=$(mails "$work/A.log" | wc -l)
d3_mail_B=$(mails "$work/B.log" | wc -l)
d3_mail_distinct=$(mails "$work/A.log" "$work/B.log" | sort -u | wc -l)
prefix=d2
d2_mail_total=$(mails "$work/A.log" "$work/B.log" | wc -l)
d2_registered=$(jq .registered "$work/d2/summary.json")
read -r d2_jobs d2_jobs_done d2_jobs_first d2_jobs_max d2_jobs_to < <(jobs_for d2)
d2_users=$(q "SELECT count(*) FROM users WHERE email LIKE 'd2-%'")
all_jobs=$(q "SELECT string_agg(format('%s %s: %s (max attempt %s)', kind, state, n, m), '; ') FROM (SELECT kind, state, count(*) AS n,
  max(attempt) AS m FROM river_job GROUP BY 1, 2 ORDER BY 1, 2) x")
read -r d3_acked d3_missing d3_rows < <(acked_check d3 "$work/d3")
d3_mismatch=$(seconds_mismatch)
d3_statuses=$(jq -c '.ops | map_values({attempts, by_status, errors_by_kind, p50_ms, p99_ms})' "$work/d3/summary.json")
d3_sessions=$(jq -c '[.order[] as $s | {($s): "\(.steps[$s].ok)/\(.steps[$s].ok + .steps[$s].failed)"}] | add' "$work/d3s/sessions.json")
d3_session_fail=$(jq '[.steps[].failed] | add' "$work/d3s/sessions.json")
secret_after=$(q "SELECT count(*) FROM settings WHERE key = 'jwt_secret'")
kill -TERM "$sA" "$sB"
sA_rc=0; wait "$sA" || sA_rc=$?
sB_rc=0; wait "$sB" || sB_rc=$?

check "3. one send_email job per account, each completed on its first attempt" \
  "$(is "[ $d3_jobs = $d3_registered ] && [ $d3_to = $d3_registered ] && [ $d3_done = $d3_jobs ] && [ $d3_first = $d3_jobs ] && [ $d3_registered -gt 0 ]")" \
  "$d3_registered registered (via $d3_by_target); $d3_jobs jobs, $d3_done completed, $d3_first on attempt 1 (max $d3_max), $d3_to recipients; worked by the two processes: $d3_workers"
check "3. exactly one e-mail per account in the two logs" "$(is "[ $((d3_mail_A + d3_mail_B)) = $d3_registered ] && [ $d3_mail_distinct = $d3_registered ]")" \
  "A logged $d3_mail_A, B logged $d3_mail_B, $d3_mail_distinct distinct recipients, for $d3_registered accounts"
check "3. logins, refreshes and tokens work across the two processes" "$(is "[ $d3_session_fail = 0 ]")" "$d3_sessions (ok/checked per step)"
check "3. every acknowledged write is in the database, counted once" "$(is "[ $d3_missing = 0 ] && [ $d3_mismatch = 0 ]")" "$d3_acked acknowledged, $d3_missing missing, $d3_mismatch seconds mismatches"
check "3. both processes exit 0 on SIGTERM" "$(is "[ $sA_rc = 0 ] && [ $sB_rc = 0 ]")" "A $sA_rc, B $sB_rc"
# Drill 1's mail jobs once more, after drills 2 and 3 gave the workers time.
read -r d1_jobs_end d1_done_end _ d1_max_end _ < <(jobs_for d1)
d1_running_end=$(q "$d1_running_q")
check "1. every verification e-mail job of drill 1 completed by the end of the drills" "$(is "[ $d1_done_end = $d1_jobs_end ]")" \
  "$d1_done_end of $d1_jobs_end completed (max attempt $d1_max_end), $d1_running_end still running"
check "2. every account created around SIGTERM has its e-mail job, completed once" \
  "$(is "[ $d2_jobs = $d2_users ] && [ $d2_jobs_to = $d2_users ] && [ $d2_jobs_done = $d2_jobs ] && [ $d2_jobs_first = $d2_jobs ]")" \
  "$d2_registered registered (201) in drill 2, $d2_users accounts, $d2_jobs jobs, $d2_jobs_done completed ($d2_mail_total of them left queued by the stopped process and worked by drill 3's A or B), max attempt $d2_jobs_max"

# ------------------------------------------------------------------------------------------------
cores=$(nproc)
mem_gib=$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
pg_version=$(q 'SHOW server_version')
{
  echo "# Rapport failure drills (\`make drill\`)"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Machine: ${cores} cores, ${mem_gib} GiB RAM, $(uname -sr); load average"
  echo "  at the end $(cut -d' ' -f1-3 /proc/loadavg) (other work shares the machine)."
  echo "- Database: a private PostgreSQL $pg_version cluster made for the drill (initdb into .data/drill, fsync on,"
  echo "  max_connections 200), removed afterwards; \`rapport demo --learners $LEARNERS\` loaded into it."
  echo "- Servers: bin/rapport \`serve\`, DB_MAX_CONNS=20, SHUTDOWN_TIMEOUT_SECONDS=20, no SMTP_URL (e-mails go to the log)."
  echo "- Client: bench/drillclient (keep-alive HTTP/1.1); it records every request; the checks compare that with the database."
  echo
  echo "| Check | Result | Numbers |"
  echo "|---|---|---|"
  cat "$checks"
  echo
  echo "## 1. Database outage under write load"
  echo
  echo "16 writers (progress PUTs, unique Idempotency-Key per write, re-sent with the same key every 100 ms"
  echo "until acknowledged) and 2 registrars. Timeline from the client's start:"
  echo
  echo "- t+$(rel "$t1_stop1" "$t1_start")s \`pg_ctl stop -m fast\` (took $(rel "$t1_stopped1" "$t1_stop1") s); t+$(rel "$t1_up1" "$t1_start")s \`pg_ctl start\` (took $(rel "$t1_started1" "$t1_up1") s);"
  echo "  first acknowledged write $d1_recover1 after PostgreSQL was back."
  echo "- t+$(rel "$t1_stop2" "$t1_start")s \`pg_ctl stop -m immediate\` (a crash); t+$(rel "$t1_up2" "$t1_start")s \`pg_ctl start\` with crash recovery"
  echo "  (took $(rel "$t1_started2" "$t1_up2") s); first acknowledged write $d1_recover2 after; the client stopped at t+$(rel "$t1_end" "$t1_start")s."
  echo "- /readyz as polled every 100 ms: $d1_ready"
  echo "- What the client saw: \`$d1_statuses\`"
  echo "- Writes: $d1_acked acknowledged, $d1_missing of them missing from the database; $d1_rows rows carry the"
  echo "  drill's key prefix, $((d1_rows - d1_acked)) more than acknowledged (a write that committed but whose answer the"
  echo "  client never got would show here; the client re-sends with the same key, so each key counts once)."
  echo "- Registrations: $d1_acked_regs acknowledged (201) as the client saw them, $d1_unmailed of them without a queued"
  echo "  verification e-mail; $d1_regs_at_stop answered while PostgreSQL was being stopped. The mail job is inserted in the"
  echo "  registration's own transaction (jobs.Inserter, db.InsertJob), so an acknowledged registration has its mail by construction."
  if [ "$d1_running_end" != 0 ]; then
    echo "- $d1_running_end verification e-mail jobs were still \`running\` at the end: River's producer had fetched them (a fetch"
    echo "  marks jobs running) as PostgreSQL crashed, and the fetch's answer was lost (\"producer: Error fetching jobs\" with"
    echo "  \"unexpected EOF\" in the log below), so no worker has them. River's rescuer makes such jobs retryable after"
    echo "  RescueStuckJobsAfter (unset here, so JobTimeout + 1 hour = 61 minutes): those e-mails go out late, not never."
  fi
  echo "- Outage log: a 503 caused by the lost database is not an error of its own. The first failed request of an outage"
  echo "  is logged at ERROR (\"the database is not answering\"), its end once at WARN with its length and the requests that"
  echo "  failed meanwhile; each 503 keeps its access-log line at WARN. The two stops: $d1_outage_long_detail. Any statement"
  echo "  answered ends an outage, and while PostgreSQL shuts down it ends the pool's connections one by one while the others"
  echo "  still answer, so the log also holds $d1_outage_blips start/end pairs under a second ($d1_outage_blips_detail)."
  echo "- Server log, ERROR lines (count, message, status, error):"
  echo
  echo '```'
  error_lines "$work/d1.log" || true
  echo '```'
  echo
  echo "## 2. SIGTERM under load"
  echo
  echo "16 writers, 6 team-report readers (manager-001, $(jq '.ops.report.p50_ms // 0' "$work/d2/summary.json") ms p50) and 2 registrars; SIGTERM"
  echo "4 s in; the process exited $d2_drain s later with status $s1_rc."
  echo
  echo "- In flight at SIGTERM (written in full before it, finished after it): $d2_inflight ($d2_inflight_detail); the last"
  echo "  answer came $d2_slowest_inflight s after SIGTERM. $d2_inflight_unread of them had been written on a keep-alive connection that the"
  echo "  server, done with the previous request and shutting down, closed without reading; Go's transport re-sent them"
  echo "  (they carry an Idempotency-Key) and the closed listener refused them. The server never started them."
  echo "- Sent after SIGTERM: $d2_after (\"refused\": the listener is closed, a load balancer would route those elsewhere;"
  echo "  any 2xx here were sent in the milliseconds between the script's timestamp and the process closing its listener)."
  echo "- What the client saw: \`$d2_statuses\`"
  echo
  echo "## 3. Two processes, one database"
  echo
  echo "A and B started together without JWT_SECRET and with no generated key in the database yet, so both generated"
  echo "one and raced to store it (first writer wins; jwt_secret rows afterwards: $secret_after)."
  echo "The client round-robins 6 registrars (up to $N3 accounts) and 8 writers over A and B for 30 s, while the sessions"
  echo "check runs for 40 learners (odd ones log in on A, even ones on B)."
  echo
  echo "- send_email jobs for the drill's accounts: $d3_jobs for $d3_registered accounts, $d3_done completed, $d3_first on their first"
  echo "  attempt; workers (River client) per job share: $d3_workers. E-mails logged: A $d3_mail_A, B $d3_mail_B."
  echo "- Every River job in the database after the three drills: $all_jobs."
  echo "- Sessions (ok/checked): \`$d3_sessions\`"
  echo "- What the client saw: \`$d3_statuses\`"
  echo "- ERROR lines in A's and B's logs:"
  echo
  echo '```'
  error_lines "$work/A.log" || true
  error_lines "$work/B.log" || true
  echo '```'
  echo
  echo "Reproduce: \`make drill\` (or \`bench/drill.sh\`). Notes on what broke along the way: bench/results/notes.md."
} >"$OUT"
say "wrote $OUT"
cat "$OUT"
exit "$failed"
