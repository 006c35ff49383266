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

  Demo accounts (password: rapport-demo-2026), each with eight weeks of history
    learner     learner@demo.rapport.local      dashboard, skills growth, certificates
    manager     manager@demo.rapport.local      Teams > Demo Sales Team: 7 reps, assignments
    instructor  instructor@demo.rapport.local   Studio: a draft lesson, versions, item stats
    admin       admin@demo.rapport.local        Admin: users, grants, billing events

  Another port: HTTP_ADDR=127.0.0.1:9090 make run (PUBLIC_URL follows the port).
  E-mails go to this log unless SMTP_URL is set (look for "e-mail (not sent").

  Stop with Ctrl-C.

MSG
exec ./bin/rapport serve
