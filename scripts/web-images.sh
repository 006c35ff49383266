#!/usr/bin/env bash
# `make web-images`: the landing page's product pictures, cut from the README screenshots
# (docs/screenshots, refreshed by `make screenshots`) and written as small WebP files at display
# size (two widths, for srcset) into frontend/src/assets/landing, where Vite gives them hashed,
# long-cached names. The results are committed, so building the app never needs cwebp; run this
# after the screenshots change. Needs cwebp (Debian package webp; installed
# here when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cwebp >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq webp >/dev/null
  else
    echo "web-images: cwebp is missing; install the Debian package 'webp'" >&2
    exit 1
  fi
fi
out=frontend/src/assets/landing
mkdir -p "$out"
# name  source screenshot  crop (x y width height, in the 1280-wide screenshot); each is written
# 400 and 720 pixels wide (a phone's column and a desktop's).
while read -r name src x y w h; do
  [ -z "$name" ] && continue
  for width in 400 720; do
    height=$(( h * width / w ))
    cwebp -quiet -q 82 -m 6 -metadata none -crop "$x" "$y" "$w" "$h" -resize "$width" "$height" \
      "docs/screenshots/$src" -o "$out/$name-$width.webp"
    echo "web-images: $out/$name-$width.webp ${width}x${height} $(stat -c %s "$out/$name-$width.webp") bytes"
  done
done <<'LIST'
shot-skills skills.png 88 325 1104 490
shot-team team.png 88 150 1104 352
shot-studio studio-editor.png 0 80 1280 230
LIST
