"""When a wall screen turns to its next page, and when it must hold still for an alarm."""

from __future__ import annotations

from collections.abc import Iterable

from backend_client.protocol import AlarmRecord, AlarmState

NEEDS_ATTENTION = (AlarmState.UNACK, AlarmState.RTN_UNACK)


class PageCycle:
    """Pages change every cycle_s; while an alarm needs attention they hold (on the alarm page
    when the screen has one), and the page shown then gets a full dwell once the hold ends."""

    def __init__(self, pages: int, cycle_s: float, now: float) -> None:
        self.pages = pages
        self.cycle_s = cycle_s
        self.current = 0
        self._since = now

    @property
    def cycles(self) -> bool:
        """Whether this screen turns pages at all."""
        return self.pages > 1 and self.cycle_s > 0

    def page(self, now: float, hold: bool, attention_page: int | None = None) -> int:
        """The page to show at now."""
        if hold:
            if attention_page is not None:
                self.current = attention_page
            self._since = now
            return self.current
        if self.cycles and now - self._since >= self.cycle_s:
            steps = int((now - self._since) // self.cycle_s)
            self.current = (self.current + steps) % self.pages
            self._since += steps * self.cycle_s
        return self.current

    def seconds_left(self, now: float) -> float | None:
        """Until the next page (None: no cycling)."""
        return max(0.0, self.cycle_s - (now - self._since)) if self.cycles else None


def needs_attention(alarms: Iterable[AlarmRecord], levels: tuple[int, ...]) -> bool:
    """Whether an unacknowledged alarm of one of levels is active: the wall must not page away."""
    return any(a.state in NEEDS_ATTENTION and int(a.level) in levels for a in alarms)
