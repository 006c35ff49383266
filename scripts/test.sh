#!/usr/bin/env bash
# make test: starts the test services (stripe-mock, Mailpit, versitygw for S3) if they are not running, then runs the
# Go tests with the race detector, the API-types staleness check and the frontend unit tests, and the
# Playwright browser tests.
# Usage: scripts/test.sh [all|go|web|e2e] [playwright spec files…]
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
shift || true
TOOLS="$PWD/.tools/bin"
export DATABASE_URL="$(./scripts/db.sh)"
export TEST_SMTP_URL="smtp://127.0.0.1:1025"
export MAILPIT_API="http://127.0.0.1:8025"
export STRIPE_MOCK_URL="http://127.0.0.1:12111"

pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

up() { curl -fsS -o /dev/null --max-time 2 "$1"; }
wait_up() {
  for _ in $(seq 1 50); do up "$1" && return 0; sleep 0.2; done
  echo "test: $2 did not start" >&2; return 1
}
if ! up "$MAILPIT_API/api/v1/info"; then
  "$TOOLS/mailpit" --disable-version-check --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025 >/tmp/rapport-mailpit.log 2>&1 &
  pids+=($!)
  wait_up "$MAILPIT_API/api/v1/info" mailpit
fi
if ! curl -s -o /dev/null --max-time 2 "$STRIPE_MOCK_URL/v1/customers"; then
  "$TOOLS/stripe-mock" -http-addr 127.0.0.1:12111 -https-addr 127.0.0.1:12112 >/tmp/rapport-stripe-mock.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do curl -s -o /dev/null --max-time 2 "$STRIPE_MOCK_URL/v1/customers" && break; sleep 0.2; done
fi

# A real S3 server (versitygw) on a free port with a temporary directory: the storage and media
# tests run against it as well as against disk (TEST_S3_*), and Playwright can store media on it
# (E2E_STORAGE_URL with the S3_* keys).
VERSITYGW="${VERSITYGW:-$TOOLS/versitygw}"
if [ -x "$VERSITYGW" ]; then
  s3dir="$(mktemp -d)"
  s3port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  export TEST_S3_URL="http://127.0.0.1:$s3port" TEST_S3_ACCESS_KEY_ID=rapport-test TEST_S3_SECRET_ACCESS_KEY=rapport-test-secret
  mkdir -p "$s3dir/rapport-e2e"
  "$VERSITYGW" --access "$TEST_S3_ACCESS_KEY_ID" --secret "$TEST_S3_SECRET_ACCESS_KEY" --port "127.0.0.1:$s3port" posix "$s3dir" >/tmp/rapport-versitygw.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do curl -s -o /dev/null --max-time 2 "$TEST_S3_URL/" && break; sleep 0.2; done
  export E2E_STORAGE_URL="s3://rapport-e2e?endpoint=$TEST_S3_URL&region=us-east-1&use_path_style=true"
  export S3_ACCESS_KEY_ID="$TEST_S3_ACCESS_KEY_ID" S3_SECRET_ACCESS_KEY="$TEST_S3_SECRET_ACCESS_KEY"
  trap 'cleanup; rm -rf "$s3dir"' EXIT
else
  echo "test: versitygw is not installed (make tools); S3 storage tests will be skipped" >&2
fi

if [ "$what" = all ] || [ "$what" = go ]; then
  echo "== Go tests (race detector on)"
  go vet ./...
  go test -race -count=1 -timeout 15m ./...
  ./scripts/fuzz.sh
fi
if [ "$what" = all ] || [ "$what" = web ]; then
  echo "== Frontend API types (generated from the contract) and unit tests"
  ./scripts/api-types.sh --check
  (cd frontend && npx vitest run)
fi
if [ "$what" = all ] || [ "$what" = e2e ]; then
  echo "== Browser tests (Playwright, /usr/bin/chromium)"
  (cd frontend && npx playwright test "$@")
fi
if [ "$what" = all ]; then ./scripts/drop-test-dbs.sh; fi
