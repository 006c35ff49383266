#!/usr/bin/env bash
# make run: PostgreSQL found or started, schema migrated, demo content and accounts loaded, then
# the server runs in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="$(./scripts/db.sh)"
export HTTP_ADDR="${HTTP_ADDR:-127.0.0.1:8080}"
port="${HTTP_ADDR##*:}"
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$port}"
./bin/rapport migrate up
./bin/rapport demo
cat <<MSG

  Rapport is starting at $PUBLIC_URL

  Demo accounts (password: rapport-demo-2026)
    learner     learner@demo.rapport.local
    manager     manager@demo.rapport.local
    instructor  instructor@demo.rapport.local
    admin       admin@demo.rapport.local

  Stop with Ctrl-C.

MSG
exec ./bin/rapport serve
