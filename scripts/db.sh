#!/usr/bin/env bash
# Finds PostgreSQL for `make run` and `make test`, or starts a private cluster, then makes sure the
# database exists. Prints the DATABASE_URL to use on stdout (messages go to stderr).
#   - DATABASE_URL set or the local server on 127.0.0.1:5432 answering: use it.
#   - otherwise, if PostgreSQL's server binaries are installed, run a private cluster under
#     .data/pg on 127.0.0.1:${RAPPORT_PG_PORT:-54329} (as the unprivileged `postgres` or `nobody`
#     user when run as root, since initdb refuses root).
set -euo pipefail
cd "$(dirname "$0")/.."
url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rapport?sslmode=disable}"
say() { echo "db: $*" >&2; }

# server_url strips the database name so we can connect to the maintenance database.
server_url() { echo "$1" | sed -E 's#^(postgres(ql)?://[^/]+)/[^?]*#\1/postgres#'; }
db_name() { echo "$1" | sed -E 's#^postgres(ql)?://[^/]+/([^?]*).*#\2#'; }

if ! pg_isready -q -d "$(server_url "$url")" -t 3 2>/dev/null; then
  if [ -n "${DATABASE_URL:-}" ]; then
    say "DATABASE_URL does not answer: $(echo "$url" | sed -E 's#//[^@]*@#//***@#')"; exit 1
  fi
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    say "no PostgreSQL at 127.0.0.1:5432 and no server binaries to start one."
    say "install PostgreSQL (apt-get install postgresql) or set DATABASE_URL."; exit 1
  fi
  port="${RAPPORT_PG_PORT:-54329}"
  dir="$PWD/.data/pg"
  run_as=()
  if [ "$(id -u)" = 0 ]; then
    user=postgres; id -u postgres >/dev/null 2>&1 || user=nobody
    run_as=(runuser -u "$user" --)
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown -R "${run_as[2]}" "$PWD/.data"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    say "initialising a private cluster in $dir"
    "${run_as[@]}" "$bin/initdb" --no-sync -A trust -U postgres -D "$dir/data" >/dev/null
  fi
  if ! pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
    say "starting the private cluster on 127.0.0.1:$port"
    "${run_as[@]}" "$bin/pg_ctl" -w -D "$dir/data" -l "$dir/server.log" \
      -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null
  fi
  url="postgres://postgres@127.0.0.1:$port/rapport?sslmode=disable"
fi

name="$(db_name "$url")"
admin="$(server_url "$url")"
if [ "$(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
  say "creating database $name"
  psql "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null
fi
echo "$url"
