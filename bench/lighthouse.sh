#!/usr/bin/env bash
# `make lighthouse`: Lighthouse (mobile settings, its default) on the landing page and the catalog,
# driving Debian's Chromium; writes bench/results/lighthouse.md (overwritten each run).
#
# Steps: start bin/rapport the way the browser tests do (scripts/e2e-server.sh: a fresh database,
# the curriculum and demo accounts) on LH_PORT; run lighthouse (pinned, fetched by npx on first
# use: 12.x is the line that runs on Node 20) once per page, RUNS times, and keep each page's
# median performance run; write the four category scores and the key metrics. Not part of
# `make test`: scores depend on the machine's load.
#
# Env: LH_PORT (18190) RUNS (3) CHROME_PATH (/usr/bin/chromium) OUT (bench/results/lighthouse.md)
set -euo pipefail
cd "$(dirname "$0")/.."
LH_VERSION=12.8.2
LH_PORT=${LH_PORT:-18190}
RUNS=${RUNS:-3}
OUT=${OUT:-bench/results/lighthouse.md}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ -x bin/rapport ] || { echo "lighthouse: bin/rapport is missing; run make build" >&2; exit 1; }
[ -x "$CHROME_PATH" ] || { echo "lighthouse: $CHROME_PATH is missing; run make tools" >&2; exit 1; }

work="$(mktemp -d)"
E2E_PORT=$LH_PORT ./scripts/e2e-server.sh >"$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
base="http://127.0.0.1:$LH_PORT"
for _ in $(seq 1 120); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$base/readyz" >/dev/null || { echo "lighthouse: the server did not become ready" >&2; exit 1; }

flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage"
for page in landing catalog; do
  path=/; [ "$page" = catalog ] && path=/catalog
  for run in $(seq 1 "$RUNS"); do
    echo "lighthouse: $page run $run of $RUNS"
    # Under heavy load Chromium's trace is sometimes lost (NO_NAVSTART): try that run again.
    for try in 1 2 3; do
      if npx --yes "lighthouse@$LH_VERSION" "$base$path" --quiet \
        --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="$flags" --output=json --output-path="$work/$page-$run.json" >/dev/null; then
        break
      fi
      [ "$try" = 3 ] && { echo "lighthouse: $page failed three times" >&2; exit 1; }
      echo "lighthouse: $page run $run failed; trying again"
    done
  done
done

load="$(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
node - "$work" "$RUNS" "$OUT" "$LH_VERSION" "$(chromium --version 2>/dev/null || echo chromium)" "$load" <<'JS'
const fs = require('fs');
const [dir, runs, out, version, chrome, load] = process.argv.slice(2);
const cats = ['performance', 'accessibility', 'best-practices', 'seo'];
const metrics = [
  ['first-contentful-paint', 'FCP'], ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'], ['cumulative-layout-shift', 'CLS'], ['speed-index', 'Speed Index'],
];
const rows = [];
const detail = [];
for (const [page, path] of [['landing', '/'], ['catalog', '/catalog']]) {
  const reports = [];
  for (let i = 1; i <= Number(runs); i++) reports.push(JSON.parse(fs.readFileSync(`${dir}/${page}-${i}.json`, 'utf8')));
  reports.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
  const r = reports[Math.floor(reports.length / 2)];
  const perfs = reports.map((x) => x.categories.performance.score.toFixed(2)).join(', ');
  rows.push(`| ${page} (\`${path}\`) | ${cats.map((c) => r.categories[c].score.toFixed(2)).join(' | ')} | ${perfs} | ${Math.round(r.environment.benchmarkIndex)} |`);
  detail.push(`| ${page} | ${metrics.map(([id]) => r.audits[id].displayValue).join(' | ')} |`);
  const failing = Object.values(r.audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual');
  if (failing.length) detail.push(`|  | audits below 0.9: ${failing.map((a) => a.id).join(', ')} |||||`);
}
const text = `# Lighthouse: landing and catalog

Measured by \`make lighthouse\` (bench/lighthouse.sh) on ${new Date().toISOString().slice(0, 10)}: Lighthouse ${version},
${chrome.trim()} headless, Lighthouse's default mobile settings (emulated Moto G Power, simulated slow 4G and 4x CPU
slowdown), against \`bin/rapport\` serving the built app with the demo data, as an anonymous visitor. Each page was
measured ${runs} times; the table shows the run with the median performance score, and every run's performance score.
Load average at the end: ${load}. Performance is the one score that depends on the machine: Lighthouse multiplies the
main-thread time it observes, so other work on the machine lowers it; its benchmark index (higher is faster,
about 1000 or more on an idle desktop) shows how busy the machine was.

| page | performance | accessibility | best practices | SEO | performance of each run | benchmark index |
|---|---|---|---|---|---|---|
${rows.join('\n')}

| page | ${metrics.map(([, n]) => n).join(' | ')} |
|---|---|---|---|---|---|
${detail.join('\n')}
`;
fs.writeFileSync(out, text);
console.log(text);
JS
