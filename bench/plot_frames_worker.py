"""Measures the plot views under load in its own process (needs an X display); prints JSON.

Ours: the real PlotsView in a 4x4 grid, redrawn by the real ModelBridge at 30 fps while a
feeder thread ingests telemetry into the ConsoleModel. Naive: the same curves replotted from
the whole buffer, undecimated, on every arriving batch.
"""

from __future__ import annotations

import json
import sys
import threading
import time

import numpy as np

from backend_client.city import Sensor
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import TelemetryBatch

SIZES = {  # slow curves, fast curves, other channels, samples/s, window s, seconds, naive s
    "full": (64, 8, 128, 200_000, 600, 20.0, 6.0),
    "quick": (64, 8, 128, 200_000, 600, 8.0, 3.0),
    "smoke": (8, 2, 8, 10_000, 60, 1.5, 0.5),
}
SLOW_HZ, FAST_HZ, FEED_HZ = 10.0, 100.0, 100.0


def _catalog(slow: int, fast: int, other: int) -> tuple[Sensor, ...]:
    def sensor(i: int, kind: str, unit: str, rate: float) -> Sensor:
        return Sensor(
            f"B{i}", f"{kind} {i}", "bridge", kind, unit, (0, 0, 0), "B", "A", rate_hz=rate
        )

    return (
        *(sensor(i, "STRAIN", "µε", SLOW_HZ) for i in range(slow)),
        *(sensor(slow + i, "ACC", "m/s2", FAST_HZ) for i in range(fast)),
        *(sensor(slow + fast + i, "OTHER", "kPa", 1.0) for i in range(other)),
    )


class Feeder(threading.Thread):
    """Ingests batches at FEED_HZ: plotted channels at their rates, the rest up to the total."""

    def __init__(self, model: ConsoleModel, slow: int, fast: int, other: int, rate: int):
        super().__init__(daemon=True)
        self.model = model
        self.stop_flag = threading.Event()
        per_batch = int(rate / FEED_HZ)
        self._slow_every = round(FEED_HZ / SLOW_HZ)  # slow channels ride every 10th batch
        self._fast = np.arange(slow, slow + fast)
        self._slow = np.arange(slow)
        n_other = max(0, per_batch - fast - slow // 10)
        self._other = slow + fast + (np.arange(n_other) % max(other, 1))
        self.batches = 0

    def run(self) -> None:
        rng = np.random.default_rng(1)
        period = 1.0 / FEED_HZ
        next_at = time.perf_counter()
        while not self.stop_flag.is_set():
            parts = [self._fast, self._other]
            if self.batches % self._slow_every == 0:
                parts.append(self._slow)
            ch = np.concatenate(parts).astype(np.uint32)
            now = int(time.time() * 1e6)
            values = (np.sin(ch + now / 1e6) * 50 + rng.normal(0, 2, ch.size)).astype(np.float32)
            self.model.ingest(
                TelemetryBatch(
                    "bench",
                    self.batches,
                    ch,
                    np.full(ch.size, now, np.int64),
                    values,
                    np.zeros(ch.size, np.uint8),
                )
            )
            self.batches += 1
            next_at += period
            time.sleep(max(0.0, next_at - time.perf_counter()))


def _prefill(model: ConsoleModel, slow: int, fast: int, window_s: int) -> None:
    """A full window of history for every plotted channel, with a few gaps."""
    now = time.time()
    for channels, rate in ((np.arange(slow), SLOW_HZ), (np.arange(slow, slow + fast), FAST_HZ)):
        if not channels.size:
            continue
        n = int(window_s * rate)
        t = now - window_s + np.arange(n) / rate
        ch = np.repeat(channels, n).astype(np.uint32)
        times = (np.tile(t, channels.size) * 1e6).astype(np.int64)
        values = (np.sin(times / 3e7 + ch) * 50).astype(np.float32)
        values[::997] = np.nan
        model.ingest(TelemetryBatch("prefill", 0, ch, times, values, np.zeros(ch.size, np.uint8)))


def _loaded_model(slow: int, fast: int, other: int, window_s: int) -> ConsoleModel:
    """A model holding a full window for every plotted channel; both contestants start here."""
    model = ConsoleModel(buffer_capacity=int(window_s * FAST_HZ * 1.1))
    model.set_catalog(_catalog(slow, fast, other))
    _prefill(model, slow, fast, window_s)
    return model


def run_ours(mode: str) -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from console.model_bridge import ModelBridge
    from views.plots_view import PlotsView

    slow, fast, other, rate, window_s, seconds, _ = SIZES[mode]
    app = QApplication.instance() or QApplication([])
    model = _loaded_model(slow, fast, other, window_s)
    view = PlotsView(model, window_s=window_s)
    view.layout_box.setCurrentText("4 × 4")
    panels = view.grid.panels
    for ch in range(slow + fast):
        view.grid.focus(ch % len(panels))
        view.show_channel(ch)
    view.resize(1920, 1080)
    view.show()
    bridge = ModelBridge(model, fps=30)
    bridge.frameTicked.connect(view.refresh)
    latencies: list[float] = []
    plotted = np.arange(slow + fast)

    def record() -> None:  # runs after refresh: newest sample now on screen vs wall clock
        newest = model.buffers.latest().times_us[plotted].max()
        latencies.append(time.time() - newest / 1e6)

    bridge.frameTicked.connect(record)
    feeder = Feeder(model, slow, fast, other, rate)
    for _ in range(20):
        app.processEvents()
    feeder.start()
    bridge.start()
    cpu0, wall0, samples0 = time.thread_time(), time.perf_counter(), model.stats.samples
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()  # the console's own event loop: idle time is spent blocked, as in the app
    cpu, wall = time.thread_time() - cpu0, time.perf_counter() - wall0
    samples = model.stats.samples - samples0
    bridge.stop()
    feeder.stop_flag.set()
    feeder.join(2)
    frames = bridge.frame_time_summary()
    lat = np.array(latencies[5:] or [np.nan]) * 1000
    view.close()
    return {
        "gui_busy_pct": 100 * cpu / wall,
        "frames_per_s": len(latencies) / wall,
        "frame_p50_ms": frames.get("p50_ms", float("nan")),
        "frame_p99_ms": frames.get("p99_ms", float("nan")),
        "latency_p50_ms": float(np.percentile(lat, 50)),
        "latency_p99_ms": float(np.percentile(lat, 99)),
        "samples_per_s": samples / wall,
        "gui_ms_per_data_s": 1000 * cpu / wall,
        "curves": slow + fast,
    }


def run_naive(mode: str) -> dict[str, float]:
    """Every arriving batch replots every curve from its whole buffer, no decimation."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    slow, fast, other, rate, window_s, _, seconds = SIZES[mode]
    app = QApplication.instance() or QApplication([])
    model = _loaded_model(slow, fast, other, window_s)
    grid = pg.GraphicsLayoutWidget()
    plots = [grid.addPlot(row=i // 4, col=i % 4) for i in range(16)]
    curves = [plots[ch % 16].plot(pen="c") for ch in range(slow + fast)]
    grid.resize(1920, 1080)
    grid.show()
    feeder = Feeder(model, slow, fast, other, rate)
    for _ in range(20):
        app.processEvents()
    feeder.start()
    replots = 0
    seen = feeder.batches
    cpu0, wall0 = time.thread_time(), time.perf_counter()
    while time.perf_counter() - wall0 < seconds:
        if feeder.batches != seen:
            seen = feeder.batches
            for ch, curve in enumerate(curves):
                series = model.buffers.series(ch)
                curve.setData(series.times_us / 1e6, series.values)
            app.processEvents()  # paints
            replots += 1
        else:
            time.sleep(0.0005)
    cpu, wall = time.thread_time() - cpu0, time.perf_counter() - wall0
    feeder.stop_flag.set()
    feeder.join(2)
    grid.close()
    per_replot_ms = 1000 * cpu / max(replots, 1)
    return {
        "replots_per_s": replots / wall,
        "gui_busy_pct": 100 * cpu / wall,
        "gui_ms_per_replot": per_replot_ms,
        # what keeping up with every batch would cost per second of data (often > 1000 ms)
        "gui_ms_per_data_s": per_replot_ms * FEED_HZ,
    }


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "quick"
    result = {"ours": run_ours(mode), "naive": run_naive(mode), "mode": mode}
    print("PLOT-FRAMES " + json.dumps(result))


if __name__ == "__main__":
    main()
