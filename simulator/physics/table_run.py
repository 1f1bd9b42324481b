"""A scenario run whose offsets a field model computed ahead; a tick reads them by interpolation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class TableRun:
    """Offsets of some channels tabulated at times after the start; a tick costs one lerp.

    Before the first row and after the last the offset is the nearest row's, so a model that ends
    calm (its last row zero) leaves no step behind.
    """

    name: str
    summary: str
    channels: np.ndarray  # (n,) channel numbers
    times_s: np.ndarray  # (k,) seconds after the start, increasing
    table: np.ndarray  # (k, n) offsets in each channel's unit
    duration_s: float

    def __post_init__(self) -> None:
        if self.table.shape != (self.times_s.shape[0], self.channels.shape[0]):
            raise ValueError(f"{self.name}: table {self.table.shape} does not fit times x channels")
        if self.times_s.shape[0] < 2 or np.any(np.diff(self.times_s) <= 0):
            raise ValueError(f"{self.name}: times must be at least two, strictly increasing")

    def offsets(self, elapsed_s: float) -> np.ndarray:
        """Offset of each of self.channels at elapsed_s seconds after the start."""
        t = min(max(float(elapsed_s), float(self.times_s[0])), float(self.times_s[-1]))
        k = int(np.searchsorted(self.times_s, t, side="right")) - 1
        k = min(k, len(self.times_s) - 2)
        t0, t1 = self.times_s[k], self.times_s[k + 1]
        w = (t - t0) / (t1 - t0)
        return (1.0 - w) * self.table[k] + w * self.table[k + 1]
