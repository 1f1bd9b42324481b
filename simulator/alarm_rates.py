"""Chattering (per alarm) and flood (all alarms) detection from activation times (EEMUA 191)."""

from __future__ import annotations

from collections import deque

from backend_client.protocol import (
    CHATTER_ACTIVATIONS,
    CHATTER_WINDOW_S,
    FLOOD_ALARMS,
    FLOOD_WINDOW_S,
)


class ChatterMonitor:
    """Counts each alarm's activations within a sliding window."""

    def __init__(
        self, activations: int = CHATTER_ACTIVATIONS, window_s: float = CHATTER_WINDOW_S
    ) -> None:
        self.activations = activations
        self.window_us = round(window_s * 1e6)
        self._times: dict[int, deque[int]] = {}

    def _trim(self, channel: int, now_us: int) -> deque[int]:
        times = self._times.setdefault(channel, deque())
        while times and times[0] <= now_us - self.window_us:
            times.popleft()
        if not times:
            del self._times[channel]
        return times

    def activate(self, channel: int, t_us: int) -> bool:
        """Record an activation; True when the alarm now chatters."""
        times = self._trim(channel, t_us)
        times.append(t_us)
        self._times[channel] = times
        return len(times) >= self.activations

    def chattering(self, channel: int, now_us: int) -> bool:
        """Whether the alarm still has enough activations within the window ending now."""
        return len(self._trim(channel, now_us)) >= self.activations


class FloodMonitor:
    """Counts new alarms of all channels within a sliding window; a flood is more than a limit."""

    def __init__(self, limit: int = FLOOD_ALARMS, window_s: float = FLOOD_WINDOW_S) -> None:
        self.limit = limit
        self.window_us = round(window_s * 1e6)
        self._times: deque[int] = deque()

    def activate(self, t_us: int) -> None:
        """Record one new (annunciated) alarm."""
        self._times.append(t_us)

    def rate(self, now_us: int) -> int:
        """New alarms within the window ending now."""
        while self._times and self._times[0] <= now_us - self.window_us:
            self._times.popleft()
        return len(self._times)

    def flood(self, now_us: int) -> bool:
        """True while more than `limit` new alarms fell within the window."""
        return self.rate(now_us) > self.limit
