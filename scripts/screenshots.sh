#!/usr/bin/env bash
# Regenerates the pictures in docs/ from the running console (the README shows docs/console.png).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# the pictures show the presets, not whatever desk layout this user (or the run before) saved
fresh() { XDG_CONFIG_HOME="$(mktemp -d)" "$@"; }
fresh ./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --demo --scenario gas-leak \
  --screenshot docs/console.png --quit-after "${SCREENSHOT_SECONDS:-25}"
# the same desk in Chinese, and in the light and high-contrast themes
fresh ./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --demo --scenario gas-leak --lang zh_CN \
  --screenshot docs/console-zh.png --quit-after "${SCREENSHOT_SECONDS:-25}"
for theme in light high-contrast; do
  fresh ./scripts/with-xvfb.sh \
    .venv/bin/lifeline-console --demo --scenario gas-leak --theme "$theme" \
    --screenshot "docs/console-$theme.png" --quit-after "${SCREENSHOT_SECONDS:-25}"
done
# a three-screen video wall (1080p | 4K | 1080p) on Qt's offscreen platform: one PNG per screen,
# in English and in Chinese
for lang in en zh_CN; do
  suffix=$([ "$lang" = en ] && echo "" || echo "-zh")
  QT_QPA_PLATFORM="offscreen:configfile=scripts/wall-screens.json" \
    fresh .venv/bin/lifeline-console --demo --scenario gas-leak --lang "$lang" \
    --wall resources/layouts/wall-3x1.json \
    --screenshot "docs/wall$suffix.png" --quit-after "${WALL_SECONDS:-40}"
done
# a physics drill: its alarms carry the EXERCISE mark
fresh ./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --demo --scenario tunnel-gas-drill \
  --screenshot docs/console-drill.png --quit-after "${DRILL_SECONDS:-90}"
# replay: record a gas leak, then replay it (timeline, incident library, training score)
rec="$(mktemp -d)/seat.sqlite"
fresh ./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --demo --scenario gas-leak --record "$rec" --quit-after 40
fresh ./scripts/with-xvfb.sh \
  .venv/bin/lifeline-console --replay "$rec" --speed 4 \
  --screenshot docs/console-replay.png --quit-after 12
if [ -f scripts/render_scene.py ]; then
  .venv/bin/python scripts/render_scene.py --out docs
fi
echo "screenshots: docs/console{,-zh,-light,-high-contrast,-drill,-replay}.png,"
echo "docs/wall-{1,2,3}.png and docs/wall-zh-{1,2,3}.png"
echo "and the scene renders in docs/"
