#!/usr/bin/env bash
# Regenerates the pictures in docs/ from the running console (the README shows docs/console.png).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --demo --scenario gas-leak \
  --screenshot docs/console.png --quit-after "${SCREENSHOT_SECONDS:-25}"
# the wall seat on a 4K screen: read-only role, the alarm queue in its large type
XVFB_SCREEN=3840x2160x24 ./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --demo --scenario gas-leak --role wall --size 3840x2160 \
  --screenshot docs/console-wall.png --quit-after "${SCREENSHOT_SECONDS:-25}"
# a physics drill: its alarms carry the EXERCISE mark
./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --demo --scenario tunnel-gas-drill \
  --screenshot docs/console-drill.png --quit-after "${DRILL_SECONDS:-90}"
# replay: record a gas leak, then replay it (timeline, incident library, training score)
rec="$(mktemp -d)/seat.sqlite"
./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --demo --scenario gas-leak --record "$rec" --quit-after 40
./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --replay "$rec" --speed 4 \
  --screenshot docs/console-replay.png --quit-after 12
if [ -f scripts/render_scene.py ]; then
  .venv/bin/python scripts/render_scene.py --out docs
fi
echo "screenshots: docs/console.png, console-wall.png, console-drill.png, console-replay.png"
echo "and the scene renders in docs/"
