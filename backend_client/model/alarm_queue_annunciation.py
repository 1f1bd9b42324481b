"""When to sound the horn for new level I/II alarms: at most once an interval, one sound a flood."""

from __future__ import annotations

from dataclasses import dataclass

ANNUNCIATION_INTERVAL_S = 5.0


@dataclass(frozen=True, slots=True)
class Annunciation:
    """One sound and the words shown with it."""

    alarms: int  # new severe alarms this sound stands for
    text: str


class AnnunciationPolicy:
    """Counts new severe alarms; a silence drops what is pending, later alarms sound again."""

    def __init__(self, interval_s: float = ANNUNCIATION_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self.pending = 0
        self._last_sound_s: float | None = None
        self.banner = ""

    def note(self, new_alarms: int) -> None:
        """New level I/II alarms arrived (any number, one batch)."""
        self.pending += max(0, new_alarms)

    def poll(self, now_s: float, flooding: bool) -> Annunciation | None:
        """The sound due now, if any; call on every batch and on a steady timer."""
        if not self.pending:
            return None
        if self._last_sound_s is not None and now_s - self._last_sound_s < self.interval_s:
            return None
        n, self.pending = self.pending, 0
        self._last_sound_s = now_s
        if flooding or n > 1:
            self.banner = f"{n} more alarm{'s' if n != 1 else ''}"
        else:
            self.banner = "New level I/II alarm"
        return Annunciation(n, self.banner)

    def silence(self) -> None:
        """The operator heard it: forget what is pending; only alarms after this sound again."""
        self.pending = 0
        self.banner = ""

    @property
    def sounding(self) -> bool:
        """True while something is pending or the last sound was not silenced."""
        return bool(self.pending or self.banner)
