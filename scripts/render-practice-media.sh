#!/usr/bin/env bash
# Renders the recorded buyer lines of the practice activities (content/practice/media/) with
# espeak-ng and ffmpeg: one Ogg Opus clip per line (the media library files Ogg as audio, where
# it would file a WebM as video) plus a WebVTT captions file whose cues follow the sentences. The output is committed, so neither tool is needed to build, test
# or run Rapport; run this only after editing a line below (apt-get install espeak-ng ffmpeg).
# Each sentence is spoken separately so every caption cue starts and ends with its own audio.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/content/practice/media
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# render NAME VOICE SPEED PITCH SENTENCE... : NAME.ogg and NAME.vtt in $out.
render() {
  local name=$1 voice=$2 speed=$3 pitch=$4
  shift 4
  local i=0 start=0 list=$work/$name.list vtt=$work/$name.vtt
  : >"$list"
  printf 'WEBVTT\n' >"$vtt"
  for sentence in "$@"; do
    i=$((i + 1))
    local wav=$work/$name-$i.wav
    espeak-ng -v "$voice" -s "$speed" -p "$pitch" -w "$wav" "$sentence"
    # A short breath between sentences keeps the line from sounding like one run-on phrase.
    ffmpeg -loglevel error -y -i "$wav" -af "apad=pad_dur=0.35" -ar 48000 -ac 1 "$work/$name-$i-padded.wav"
    echo "file '$work/$name-$i-padded.wav'" >>"$list"
    local length end
    length=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/$name-$i-padded.wav")
    end=$(awk -v s="$start" -v l="$length" 'BEGIN { printf "%.3f", s + l }')
    printf '\n%d\n%s --> %s\n%s\n' "$i" "$(timestamp "$start")" "$(timestamp "$end")" "$sentence" >>"$vtt"
    start=$end
  done
  ffmpeg -loglevel error -y -f concat -safe 0 -i "$list" -c:a libopus -b:a 32k -application voip \
    -map_metadata -1 -fflags +bitexact "$out/$name.ogg"
  cp "$vtt" "$out/$name.vtt"
}

# timestamp SECONDS -> HH:MM:SS.mmm, as WebVTT wants it.
timestamp() {
  awk -v t="$1" 'BEGIN { h = int(t / 3600); m = int((t - h * 3600) / 60); s = t - h * 3600 - m * 60; printf "%02d:%02d:%06.3f", h, m, s }'
}

mkdir -p "$out"

# Gareth Lloyd, Harrow Logistics' finance director, in why-now-why-this-year.yaml.
render why-now-why-this-year en-gb+m3 150 40 \
  "Before we go any further, I need to understand why we're doing this now, and why this year." \
  "Our current system works." \
  "It isn't pretty, but it works." \
  "So what changes if we wait twelve months?"
