"""Plot redraw under load: our PlotsView grid against naive full replots, side by side."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench import Figure, Result, benchmark

ROOT = Path(__file__).resolve().parent.parent


def _worker(mode: str) -> dict:
    """Run the measurement in its own process, under Xvfb when there is no display."""
    cmd = [sys.executable, "-m", "bench.plot_frames_worker", mode]
    if not os.environ.get("DISPLAY"):
        cmd = [str(ROOT / "scripts" / "with-xvfb.sh"), *cmd]
    out = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("PLOT-FRAMES "))
    return json.loads(line.split(" ", 1)[1])


@benchmark("plot_frames", "Plots: 64 curves at 10 Hz + 8 at 100 Hz, 10 min, 4x4 grid, 30 fps")
def run(mode: str) -> Result:
    data = _worker(mode)
    ours, naive = data["ours"], data["naive"]
    return Result(
        figures=[
            Figure("GUI thread busy (ours)", ours["gui_busy_pct"], "%", target="<= 50 %"),
            Figure("frames drawn per second (ours)", ours["frames_per_s"], "fps", target="30 fps"),
            Figure("bridge tick p99 (refresh work, ours)", ours["frame_p99_ms"], "ms"),
            Figure(
                "publish-to-drawn latency p99 (ours)",
                ours["latency_p99_ms"],
                "ms",
                target="<= 100 ms",
            ),
            Figure(
                "samples/s arriving during the run",
                ours["samples_per_s"],
                "samples/s",
                target="200,000 samples/s",
            ),
            Figure(
                "naive GUI time per second of data / ours",
                naive["gui_ms_per_data_s"],
                "ms/s",
                baseline_name="ours",
                baseline_value=ours["gui_ms_per_data_s"],
            ),
            Figure(
                "naive replots achieved",
                naive["replots_per_s"],
                "replots/s",
                target="100/s (one per batch)",
            ),
        ],
        params={
            "mode": mode,
            "curves": ours["curves"],
            "display": "Xvfb 1920x1080",
            "naive": "every curve replotted from its whole buffer on every batch",
        },
        notes=(
            "Latency is measured when the frame's refresh ends (newest plotted sample vs the "
            "wall clock); painting follows in the same event-loop pass. Naive GUI time per "
            "second of data extrapolates its cost per replot to one replot per arriving batch."
        ),
    )
