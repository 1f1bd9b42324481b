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
if [ -f scripts/render_scene.py ]; then
  .venv/bin/python scripts/render_scene.py --out docs
fi
echo "screenshots: docs/console.png, docs/console-wall.png and the scene renders in docs/"
