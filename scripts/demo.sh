#!/usr/bin/env bash
# Sets everything up, then runs the console on the bundled simulated city.
# With no display (a server, CI), it runs under Xvfb and saves a screenshot instead.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec .venv/bin/lifeline-console --demo "$@"
fi
out=${DEMO_SCREENSHOT:-demo.png}
echo "demo: no display found; running under Xvfb for ${DEMO_SECONDS:-30} s and saving $out"
./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --demo --screenshot "$out" --quit-after "${DEMO_SECONDS:-30}" "$@"
echo "demo: screenshot written to $out"
