#!/usr/bin/env bash
# Sets everything up, lints, then runs the whole test suite under Xvfb (VTK's Qt view needs X).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --diff . | head -50; exit 1; }
exec ./scripts/with-xvfb.sh .venv/bin/python -m pytest "$@"
