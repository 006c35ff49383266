#!/usr/bin/env bash
# Renders the curriculum's media made in-house from their HTML sources (content/media-sources/)
# with headless Chromium: the buying-group diagram (PNG) and the post-call journal worksheet (PDF).
# Run it after editing a source, then `rapport content import` stores the new bytes (the old item
# stays in the library while a published version shows it).
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
src=$PWD/content/media-sources
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,720 \
  --screenshot="$PWD/content/modules/01-buyer-has-changed/media/buying-group-map.png" "file://$src/buying-group-map.html"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$PWD/content/modules/02-self-awareness/media/post-call-journal-worksheet.pdf" "file://$src/post-call-journal-worksheet.html"
