#!/usr/bin/env bash
# Started by Playwright (frontend/playwright.config.ts): a fresh database, the curriculum and demo
# accounts loaded, then bin/rapport serves on E2E_PORT with Mailpit as its SMTP server.
set -euo pipefail
cd "$(dirname "$0")/.."
base="$(./scripts/db.sh)"
name="rapport_e2e_$$"
admin="$(echo "$base" | sed -E 's#^(postgres(ql)?://[^/]+)/[^?]*#\1/postgres#')"
psql "$admin" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
export DATABASE_URL="$(echo "$base" | sed -E "s#^(postgres(ql)?://[^/]+)/[^?]*#\1/$name#")"
export HTTP_ADDR="127.0.0.1:${E2E_PORT:-18080}"
export PUBLIC_URL="http://127.0.0.1:${E2E_PORT:-18080}"
export SMTP_URL="${TEST_SMTP_URL:-smtp://127.0.0.1:1025}"
export LOG_LEVEL=warn
export RAPPORT_TEST_CLOCK=1
export STRIPE_SECRET_KEY=sk_test_e2e
export STRIPE_WEBHOOK_SECRET=whsec_e2e_secret
export STRIPE_API_BASE="${STRIPE_MOCK_URL:-http://127.0.0.1:12111}"
# Media storage: a fresh folder on disk, unless E2E_STORAGE_URL names another store (S3 in make test).
media_dir="$(mktemp -d)"
export STORAGE_URL="${E2E_STORAGE_URL:-file://$media_dir}"
trap 'rm -rf "$media_dir"; psql "$admin" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
./bin/rapport migrate up
./bin/rapport demo
./bin/rapport serve &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$media_dir"; psql "$admin" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
trap 'exit 0' TERM INT
wait $server
