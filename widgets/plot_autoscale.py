"""Y autoscale with hysteresis: grows at once, shrinks only after the data stayed small a while.

No Qt, so the rule is tested on its own; a plot calls `update` once per redraw.
"""

from __future__ import annotations

import math

PADDING = 0.08  # of the data span, above and below
HEADROOM = 0.25  # extra room on the side the data left by, so a rising curve does not push often
SHRINK_BELOW = 0.5  # data using less than this fraction of the range...
SHRINK_AFTER_S = 3.0  # ...for this long lets the range shrink


class YAutoscale:
    """The y range for one axis; never changes frame to frame while data stays inside it."""

    def __init__(self) -> None:
        self.range: tuple[float, float] | None = None
        self._small_since: float | None = None

    def reset(self) -> None:
        self.range = None
        self._small_since = None

    @staticmethod
    def _padded(lo: float, hi: float) -> tuple[float, float]:
        span = hi - lo
        pad = span * PADDING if span > 0 else max(abs(hi) * 0.05, 0.5)
        return lo - pad, hi + pad

    def update(self, lo: float, hi: float, now_s: float) -> tuple[float, float] | None:
        """The range to show for data spanning [lo, hi], or None when nothing is known yet."""
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return self.range
        if self.range is None:
            self.range = self._padded(lo, hi)
            return self.range
        r0, r1 = self.range
        if lo < r0 or hi > r1:
            # grow only on the side the data left by: padding, plus headroom that scales with
            # how far it went, so a noise dip adds little and a steep rise does not push each frame
            span = hi - lo
            if lo < r0:
                r0 = lo - PADDING * span - min(HEADROOM * span, 4 * (r0 - lo))
            if hi > r1:
                r1 = hi + PADDING * span + min(HEADROOM * span, 4 * (hi - r1))
            self.range = (r0, r1)
            self._small_since = None
            return self.range
        data_span = max(hi - lo, 0.0)
        if data_span < SHRINK_BELOW * (r1 - r0):
            if self._small_since is None:
                self._small_since = now_s
            elif now_s - self._small_since >= SHRINK_AFTER_S:
                self.range = self._padded(lo, hi)
                self._small_since = None
        else:
            self._small_since = None
        return self.range
