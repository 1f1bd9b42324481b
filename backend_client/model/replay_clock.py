"""Replay time for a console attached to lifeline-replay, from its heartbeats.

A replay server's heartbeats carry the replay time, every 50 ms (docs/protocol.md section 10).
ReplayClock turns them into a clock views can draw by: the latest heartbeat's time moved on at
the pace the last two heartbeats showed (so pause, 0.25x and 64x need no extra message), never
more than two heartbeat periods ahead.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from backend_client.protocol import HEARTBEAT_PERIOD_S

AHEAD_PERIODS = 2  # wall time extrapolated past the latest heartbeat: this many periods at most


class ReplayClock:
    """Replay time in seconds from heartbeats; call it as ConsoleModel.clock."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._last: tuple[int, float] | None = None  # (replay us, wall monotonic s)
        self.pace = 0.0  # replay seconds per wall second, as the last two heartbeats showed
        self.max_ahead_s = AHEAD_PERIODS * HEARTBEAT_PERIOD_S

    def reset(self, t_us: int | None = None) -> None:
        """A new instance (a seek): forget the pace; start from t when known."""
        self.pace = 0.0
        self._last = None if t_us is None else (int(t_us), self._monotonic())

    def heartbeat(self, t_us: int, period_ms: int = 1000) -> None:
        now = self._monotonic()
        self.max_ahead_s = AHEAD_PERIODS * period_ms / 1e3
        if self._last is not None and now > self._last[1]:
            self.pace = max(0.0, (t_us - self._last[0]) / 1e6 / (now - self._last[1]))
        self._last = (int(t_us), now)

    def __call__(self) -> float:
        if self._last is None:
            return 0.0
        t_us, at = self._last
        ahead = min(self._monotonic() - at, self.max_ahead_s)
        return t_us / 1e6 + ahead * self.pace
