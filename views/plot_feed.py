"""Feeds plot panels from the model's ring buffers plus fetched history, only when data changed."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np

from backend_client.codec import unpack_samples
from backend_client.model.backfill import BackfillCache
from backend_client.model.console_model import ConsoleModel
from widgets.plot_panel import PlotPanel

log = logging.getLogger(__name__)

History = Callable[[list[int], int, int], Future]
WhenDone = Callable[[Future, Callable[[Any], None], Callable[[BaseException], None]], None]
MIN_SPAN_S = 30.0  # until a window fills, the axis spans at least this much
RETRY_AFTER_S = 30.0  # a failed history span is asked for again after this long


class PlotFeed:
    """Per frame: copies changed channels into their panels and asks for history still missing."""

    def __init__(
        self,
        model: ConsoleModel,
        history: History | None = None,
        when_done: WhenDone | None = None,
    ) -> None:
        self.model = model
        self.history = history
        self.when_done = when_done or _deliver_directly
        self.backfill = BackfillCache()
        self._backfill_version = 0
        self._seen: dict[int, tuple] = {}  # id(panel) -> what it last drew
        self._read: dict[int, dict[int, int]] = {}  # id(panel) -> channel -> ring samples read
        self.requests = 0  # history requests sent (tests and status read it)
        self._failures: list[tuple[float, int, int, int]] = []  # (when, channel, t0, t1)

    def reset(self) -> None:
        """A new catalog: channel numbers mean something else now."""
        self.backfill.clear()
        self._seen.clear()
        self._read.clear()
        self._failures.clear()

    def forget(self, panel: PlotPanel) -> None:
        """The panel's curves changed: draw it in full at the next frame."""
        self._seen.pop(id(panel), None)
        self._read.pop(id(panel), None)

    def feed(
        self,
        panel: PlotPanel,
        window_s: float,
        now_s: float | None = None,
        counts: np.ndarray | None = None,
    ) -> bool:
        """Give the panel what arrived for its channels since last time; True when anything did.

        Only new samples are copied out of the ring (a panel is reloaded in full after forget(),
        or when the ring overwrote samples it had not read yet).
        """
        buffers = self.model.buffers
        counts = buffers.counts() if counts is None else counts
        channels = [c for c in panel.channels if 0 <= c < counts.size]
        key = (tuple(int(counts[c]) for c in channels), self._backfill_version, window_s)
        if self._seen.get(id(panel)) == key:
            return False
        self._seen[id(panel)] = key
        self._retry_failed()
        now_s = self.model.clock() if now_s is None else now_s
        start_us = int((now_s - window_s) * 1e6)
        if not panel.plot.following:
            start_us = min(start_us, int(panel.plot.viewRange()[0][0] * 1e6))
        read = self._read.setdefault(id(panel), {})
        for channel in channels:
            new, read[channel], complete = buffers.newer(channel, read.get(channel, -1))
            history = self.backfill.held(channel) if self.history is not None else None
            if complete:
                panel.plot.extend_curve(channel, new, buffers.capacity, history)
            else:
                panel.plot.update_curve(
                    channel, new.times_us, new.values, new.quality, history=history
                )
            if self.history is not None:
                oldest = buffers.oldest_time(channel)
                oldest = int(now_s * 1e6) if oldest is None else oldest
                if start_us < oldest:
                    self._request(channel, start_us, oldest)
        return True

    def _request(self, channel: int, t0_us: int, t1_us: int) -> None:
        for a, b in self.backfill.missing(channel, t0_us, t1_us):
            self.backfill.mark_requested(channel, a, b)
            self.requests += 1
            try:
                future = self.history([channel], a, b)
            except Exception as exc:  # a closed client must not break drawing
                self._failed(channel, a, b, exc)
                continue
            self.when_done(
                future,
                lambda result, c=channel: self._arrived(c, result),
                lambda error, c=channel, a=a, b=b: self._failed(c, a, b, error),
            )

    def _arrived(self, channel: int, result: Any) -> None:
        try:
            batch = unpack_samples(result["samples"])
        except Exception as exc:
            log.warning("history reply for channel %d unusable: %s", channel, exc)
            return
        mine = batch.channels == channel
        self.backfill.add(channel, batch.times_us[mine], batch.values[mine], batch.quality[mine])
        self._backfill_version += 1

    def _failed(self, channel: int, t0_us: int, t1_us: int, error: BaseException) -> None:
        """The span stays marked a while, so a failing backend is not asked every frame."""
        log.warning("history for channel %d not available: %s", channel, error)
        self._failures.append((time.monotonic(), channel, t0_us, t1_us))

    def _retry_failed(self) -> None:
        due = time.monotonic() - RETRY_AFTER_S
        while self._failures and self._failures[0][0] <= due:
            _when, channel, t0_us, t1_us = self._failures.pop(0)
            self.backfill.forget_request(channel, t0_us, t1_us)


def _deliver_directly(future: Future, on_result, on_error) -> None:
    """Without a bridge (tests), outcomes arrive on whatever thread resolves the future."""

    def done(f: Future) -> None:
        error = f.exception()
        if error is None:
            on_result(f.result())
        else:
            on_error(error)

    future.add_done_callback(done)


def clamp_window_start(start_s: float, first_s: float | None, now_s: float) -> float:
    """Until the window is full, the axis spans what is there rather than empty minutes."""
    if first_s is None or not np.isfinite(first_s):
        return start_s
    return max(start_s, min(first_s, now_s - MIN_SPAN_S))
