"""Limit and deadband checks vectorised over a tick: which channels' condition level changed.

Level I (most severe) wins; a deadband holds a level until the value is clearly back; a more
severe threshold escalates at once. Only channels whose level changed come out, so the Python
state machine behind this sees a handful of changes per tick, not every sample.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backend_client.city import Sensor
from backend_client.protocol import Quality


@dataclass(frozen=True, slots=True)
class LevelChange:
    """A channel whose condition moved to another level (0 = clear) at a sample."""

    channel: int
    level: int
    high: bool  # the high side set it (else the low side)
    value: float
    limit: float  # the threshold of the new level; NaN when clear
    time_us: int


def _levels(values: np.ndarray, high: np.ndarray, low: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(level 0..4, True where the high side set it) for each value; NaN thresholds never fire."""
    with np.errstate(invalid="ignore"):
        hit_high = values[:, None] >= high
        hit_low = values[:, None] <= low
    level_high = np.where(hit_high.any(axis=1), hit_high.argmax(axis=1) + 1, 0)
    level_low = np.where(hit_low.any(axis=1), hit_low.argmax(axis=1) + 1, 0)
    use_high = (level_high > 0) & ((level_low == 0) | (level_high <= level_low))
    return np.where(use_high, level_high, level_low), use_high


class LimitChecker:
    """Keeps each channel's condition level and reports the samples that change it."""

    def __init__(self, sensors: Sequence[Sensor]) -> None:
        n = len(sensors)

        def table(side: str) -> np.ndarray:
            rows = [getattr(s.limits, side) for s in sensors]
            return np.array([[np.nan if v is None else v for v in r] for r in rows]).reshape(n, 4)

        self.high, self.low = table("high"), table("low")
        self.deadband = np.array([s.limits.deadband for s in sensors], dtype=float)
        self.condition = np.zeros(n, dtype=np.int8)  # level the limits say now; 0 = clear

    def check(
        self, channels: np.ndarray, values: np.ndarray, quality: np.ndarray, times_us: np.ndarray
    ) -> list[LevelChange]:
        """Level changes of one tick's samples, each channel's in sample order; bad ones skipped."""
        good = (np.asarray(quality) == Quality.GOOD) & np.isfinite(values)
        ch = np.asarray(channels, dtype=np.intp)[good]
        v = np.asarray(values, dtype=float)[good]
        t = np.asarray(times_us, dtype=np.int64)[good]
        if ch.size == 0:
            return []
        order = np.argsort(ch, kind="stable")
        first = np.r_[True, ch[order][1:] != ch[order][:-1]]
        starts = np.maximum.accumulate(np.where(first, np.arange(ch.size), 0))
        rank = np.empty(ch.size, dtype=np.intp)
        rank[order] = np.arange(ch.size) - starts  # k-th sample of its channel in this batch
        changes: list[LevelChange] = []
        for r in range(int(rank.max()) + 1):
            sel = rank == r
            changes += self._check_unique(ch[sel], v[sel], t[sel])
        return changes

    def _check_unique(self, ch: np.ndarray, v: np.ndarray, t: np.ndarray) -> list[LevelChange]:
        db = self.deadband[ch, None]
        raw, raw_high = _levels(v, self.high[ch], self.low[ch])
        held, held_high = _levels(v, self.high[ch] - db, self.low[ch] + db)
        cur = self.condition[ch].astype(np.int64)
        escalate = (raw > 0) & ((cur == 0) | (raw < cur))
        hold = (cur > 0) & (held > 0) & (held <= cur)
        new = np.where(escalate, raw, np.where(hold, cur, np.where(cur > 0, held, 0)))
        is_high = np.where(escalate, raw_high, held_high)
        out = []
        for k in np.flatnonzero(new != cur):
            c, level = int(ch[k]), int(new[k])
            self.condition[c] = level
            limits = self.high if is_high[k] else self.low
            limit = float(limits[c, level - 1]) if level else math.nan
            out.append(LevelChange(c, level, bool(is_high[k]), float(v[k]), limit, int(t[k])))
        return out
