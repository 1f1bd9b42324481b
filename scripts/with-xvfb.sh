#!/usr/bin/env bash
# Runs a command on a private Xvfb display and returns the command's own exit status.
# (xvfb-run can fail with status 5 after a passing command when its temp-dir cleanup races.)
set -uo pipefail
geometry=${XVFB_SCREEN:-1920x1080x24}
fdfile=$(mktemp)
Xvfb -displayfd 3 -screen 0 "$geometry" -nolisten tcp 3>"$fdfile" 2>/dev/null &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null; wait $xvfb_pid 2>/dev/null; rm -f "$fdfile"' EXIT
for _ in $(seq 100); do
  [ -s "$fdfile" ] && break
  kill -0 $xvfb_pid 2>/dev/null || { echo "with-xvfb: Xvfb failed to start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$fdfile" ] || { echo "with-xvfb: Xvfb did not report a display" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$fdfile")"
"$@"
