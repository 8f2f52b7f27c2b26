#!/usr/bin/env bash
# Measures bin/run start-up on a fresh clone: cold (no .venv, no node_modules, empty database)
# and warm (everything already in place), as seconds until /healthz answers 200.
# Usage: bench/bin_run_startup.sh [port]   (prints two lines; leaves nothing running)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
port="${1:-8090}"
work="$(mktemp -d)"
git clone -q "$here" "$work/clone"
cd "$work/clone"

measure() {
  local label="$1" start end pid
  start=$(date +%s.%N)
  PORT="$port" bin/run > "$work/$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 900); do
    if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  end=$(date +%s.%N)
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 1
  printf '%s start-up: %.1f s (until /healthz answered 200)\n' "$label" "$(echo "$end - $start" | bc)"
}

measure cold
measure warm
rm -rf "$work"
