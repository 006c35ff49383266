#!/usr/bin/env bash
# The web app's API types are generated from the contract production serves (`rapport openapi`),
# never written by hand: frontend/src/api/schema.d.ts is openapi-typescript's output for it.
# Usage: scripts/api-types.sh          regenerate frontend/src/api/schema.d.ts (make api-types)
#        scripts/api-types.sh --check  fail when the committed file differs from a fresh one (make test)
set -euo pipefail
cd "$(dirname "$0")/.."
committed=frontend/src/api/schema.d.ts
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

go run ./cmd/rapport openapi >"$tmp/openapi.json"
# Run from frontend/ so npx finds the pinned openapi-typescript in node_modules.
(cd frontend && npx --no-install openapi-typescript "$tmp/openapi.json" --output "$tmp/schema.d.ts" --silent)

if [ "${1:-}" = --check ]; then
  if ! diff -u "$committed" "$tmp/schema.d.ts" >"$tmp/diff"; then
    head -n 40 "$tmp/diff" >&2
    echo "$committed is stale: run make api-types" >&2
    exit 1
  fi
  echo "api types: $committed matches the contract"
else
  cp "$tmp/schema.d.ts" "$committed"
  echo "api types: wrote $committed"
fi
