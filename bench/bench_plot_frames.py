"""Plot redraw under load: our PlotsView grid against naive full replots, side by side."""

from __future__ import annotations

from bench import Figure, Result, benchmark, run_worker


@benchmark("plot_frames", "Plots: 64 curves at 10 Hz + 8 at 100 Hz, 10 min, 4x4 grid, 30 fps")
def run(mode: str) -> Result:
    data = run_worker("bench.plot_frames_worker", "PLOT-FRAMES", mode)
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
