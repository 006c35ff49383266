#!/usr/bin/env bash
# Installs what the test suite needs and that is not vendored: stripe-mock, Mailpit, versitygw and (as root,
# when missing) Debian's chromium. Binaries are cached under .tools/ so reruns are instant.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
mkdir -p "$TOOLS/bin"
export GOBIN="$TOOLS/bin"

if [ ! -x "$TOOLS/bin/stripe-mock" ]; then
  echo "install-tools: stripe-mock v0.183.0"
  go install github.com/stripe/stripe-mock@v0.183.0
fi

if [ ! -x "$TOOLS/bin/mailpit" ]; then
  # `go install mailpit@version` is refused (403 on the deprecation lookup); a scratch module works.
  echo "install-tools: mailpit v1.27.11 (about 90 s the first time)"
  scratch="$(mktemp -d)"
  (cd "$scratch" && go mod init mailpitbuild >/dev/null 2>&1 \
    && go get github.com/axllent/mailpit@v1.27.11 >/dev/null 2>&1 \
    && go build -o "$TOOLS/bin/mailpit" github.com/axllent/mailpit)
  rm -rf "$scratch"
fi

if [ ! -x "$TOOLS/bin/versitygw" ]; then
  # The S3-compatible server the Go suite runs the storage and media tests against (Apache-2.0).
  echo "install-tools: versitygw v1.8.0 (a few minutes the first time)"
  go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
fi

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "install-tools: chromium (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "install-tools: /usr/bin/chromium is missing; install the Debian package 'chromium'" >&2
    exit 1
  fi
fi
