#!/usr/bin/env bash
# Fuzzes each fuzz target for a few seconds (make test runs this after the Go tests). Plain
# `go test` already replays the committed seeds in testdata/fuzz/<FuzzName>/; this looks for new
# failing inputs. go test writes a failing input to testdata/fuzz/<FuzzName>/ of the package:
# fix the bug and commit the input with the fix, so every later `go test` replays it.
#
# FuzzJSONBodies drives the whole app: it needs PostgreSQL and stripe-mock (scripts/test.sh finds
# or starts them and sets DATABASE_URL and STRIPE_MOCK_URL; its mail goes to the log). Each fuzz
# worker is a process of its own that builds its own app on its own package database (pgtest
# creates one per process and drops it when the process ends), so that target runs with at most
# two workers to bound the connections and memory a many-core machine would otherwise take.
#
# Usage: scripts/fuzz.sh [seconds per target, default 3 (or FUZZTIME); FuzzJSONBodies gets four
# times as long, since each of its workers first builds an app and replays ~290 seeds through it]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-${FUZZTIME:-3s}}"
secs="${secs%s}"

# package, target, extra go test flags
targets=(
  "./internal/catalog FuzzRenderMarkdown"
  "./internal/catalog FuzzParseLesson"
  "./internal/catalog FuzzParseModule"
  "./internal/catalog FuzzImportDir"
  "./internal/assess FuzzValidateAnswer"
  "./internal/assess FuzzScore"
  "./internal/assess FuzzParseInstrument"
  "./internal/app FuzzJSONBodies -parallel=2"
)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$SECONDS
for t in "${targets[@]}"; do
  read -r pkg name extra <<<"$t"
  dur="${secs}s"
  [ -n "${extra:-}" ] && dur="$((secs * 4))s"
  t0=$SECONDS
  # -fuzz takes one target, so one invocation each; a short minimisation keeps runs short.
  if ! go test -run='^$' -fuzz="^${name}\$" -fuzztime="$dur" -fuzzminimizetime=3s ${extra:-} "$pkg" >"$log" 2>&1; then
    if grep -q 'Failing input written to' "$log"; then
      cat "$log"
      echo "fuzz: $name found a failing input (saved under $pkg/testdata/fuzz/$name/); fix it and commit the input" >&2
      exit 1
    fi
    # Go 1.26's fuzzing coordinator can report its own -fuzztime deadline as the target failing
    # (golang/go#75804, fixed in Go 1.27): a bare "context deadline exceeded" and no input.
    if [ "$(grep -A1 "^--- FAIL: $name " "$log" | tail -n1)" != "    context deadline exceeded" ]; then
      cat "$log"
      echo "fuzz: $name failed" >&2
      exit 1
    fi
    echo "fuzz: $name: the run ended on Go's fuzztime deadline race (golang/go#75804), not on an input"
  fi
  # The run first replays the seeds and the inputs cached from earlier runs ("baseline").
  execs="$(grep -o 'execs: [0-9]*' "$log" | tail -n1 || true)"
  echo "fuzz: $name ok ($dur, ${execs:-baseline replay only}, $((SECONDS - t0)) s)"
done
echo "fuzz: every target ok in $((SECONDS - start)) s"
