#!/usr/bin/env bash
# Drops what test runs leave behind on the PostgreSQL server: per-package Go test databases
# (rapport_test_*), browser-test servers' databases (rapport_e2e_*), bench databases
# (rapport_bench_*) and half-built templates (rapport_tmpl_*_wip). A run that crashed or was
# killed cannot drop its own database, so `make test` calls this at the end.
# Databases still in use (another test run on this server) are skipped, never forced. The migrated
# template (rapport_tmpl_<hash>) is kept on purpose: it makes the next run's databases cheap copies.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${DATABASE_URL:-$(./scripts/db.sh)}"
admin="$(echo "$url" | sed -E 's#^(postgres(ql)?://[^/]+)/[^?]*#\1/postgres#')"
names="$(psql "$admin" -Atc "SELECT datname FROM pg_database d
  WHERE (datname LIKE 'rapport\_test\_%' OR datname LIKE 'rapport\_e2e\_%'
         OR datname LIKE 'rapport\_bench\_%' OR datname LIKE 'rapport\_tmpl\_%\_wip')
    AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)")"
dropped=0
for n in $names; do
  if psql "$admin" -qc "DROP DATABASE IF EXISTS \"$n\"" >/dev/null 2>&1; then dropped=$((dropped + 1)); fi
done
echo "test: dropped $dropped leftover test database(s)"
