"""Turns the polled, thread-safe model into Qt signals at display rate, never per sample."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from backend_client.model.console_model import ConsoleModel

INTERVAL_PERCENTILES = (50, 99)


class ModelBridge(QObject):
    """One timer tick per frame compares model versions and emits what changed."""

    catalogLoaded = Signal()
    cityLoaded = Signal()
    alarmsChanged = Signal()
    linkChanged = Signal(str)
    selectionChanged = Signal(int)  # -1 when nothing is selected
    frameTicked = Signal()  # new telemetry may be drawn
    statsUpdated = Signal()

    def __init__(self, model: ConsoleModel, fps: float = 30.0, parent: QObject | None = None):
        super().__init__(parent)
        self.model = model
        self._seen: dict[str, int] = {}
        self._calls: deque[Callable[[], None]] = deque(maxlen=10_000)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # coarse timers drift ~5 % late
        self._timer.setInterval(max(1, round(1000 / fps)))
        self._timer.timeout.connect(self.tick)
        self._stats_every = max(1, round(fps / 2))
        self._frames = 0
        self._samples_seen = -1
        self.frame_times_s: deque[float] = deque(maxlen=3600)  # GUI time per tick, last ~2 min
        self.tick_starts_s: deque[float] = deque(maxlen=3600)  # when each tick ran: stalls show

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def call_soon(self, fn: Callable[[], None]) -> None:
        """Run fn on the GUI thread at the next tick (safe to call from any thread)."""
        self._calls.append(fn)

    def when_done(
        self,
        future: Future,
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Deliver a request's outcome on the GUI thread."""

        def done(f: Future) -> None:
            error = f.exception()
            if error is None:
                self.call_soon(lambda: on_result(f.result()))
            else:
                self.call_soon(lambda: on_error(error))

        future.add_done_callback(done)

    def _changed(self, key: str, version: int) -> bool:
        if self._seen.get(key) == version:
            return False
        self._seen[key] = version
        return True

    def tick(self) -> None:
        """Emit at most one signal of each kind per frame; record how long the frame's work took."""
        started = time.perf_counter()
        self.tick_starts_s.append(started)
        self._emit()
        self.frame_times_s.append(time.perf_counter() - started)

    def frame_time_summary(self) -> dict[str, float]:
        """p50/p99/max GUI milliseconds per frame, for logs and benchmarks."""
        if not self.frame_times_s:
            return {}
        ms = np.array(self.frame_times_s) * 1000
        gaps = np.diff(np.array(self.tick_starts_s)) * 1000
        summary = {"frames": int(ms.size), "p50_ms": float(np.percentile(ms, 50))}
        summary |= {"p99_ms": float(np.percentile(ms, 99)), "max_ms": float(ms.max())}
        if gaps.size:  # time between ticks: the display rate actually reached, and its stalls
            summary |= {"fps": float(1000 / gaps.mean())}
            for q in INTERVAL_PERCENTILES:
                summary[f"interval_p{q}_ms"] = float(np.percentile(gaps, q))
            summary["interval_max_ms"] = float(gaps.max())
        return summary

    def reset_frame_stats(self) -> None:
        """Forget frame times so far (start-up, say): what follows is what a summary shows."""
        self.frame_times_s.clear()
        self.tick_starts_s.clear()

    def _emit(self) -> None:
        while self._calls:
            self._calls.popleft()()
        m = self.model
        if self._changed("catalog", m.catalog_version):
            self.catalogLoaded.emit()
        if self._changed("city", m.city_version):
            self.cityLoaded.emit()
        if self._changed("link", m.link_version):
            self.linkChanged.emit(str(m.link))
        if self._changed("alarms", m.alarms.version):
            self.alarmsChanged.emit()
        if self._changed("selection", m.selection_version):
            self.selectionChanged.emit(-1 if m.selected is None else m.selected)
        if m.stats.samples != self._samples_seen:
            self._samples_seen = m.stats.samples
            self.frameTicked.emit()
        self._frames += 1
        if self._frames % self._stats_every == 0:
            self.statsUpdated.emit()
