"""Per-channel staging of samples until a chunk is full or old; vectorised, no per-sample Python.

Every channel has one row of `width` slots in three 2-D arrays (times, values, quality). A batch
is sorted by channel and scattered into the rows after their fill; rows that fill up are cut as
chunks at once (all of one width: encoded as one 2-D array) and the batch's remainder goes on
into the emptied rows. Rows older than the age limit are cut by take_old().
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class StagedRows:
    """Rows cut from the stage: channel, samples in the first lengths[i] slots of each row."""

    channels: np.ndarray
    times_us: np.ndarray
    values: np.ndarray
    quality: np.ndarray
    lengths: np.ndarray

    def __len__(self) -> int:
        return int(self.channels.shape[0])


class ChannelStager:
    """Holds each channel's newest samples; memory is channels x width x 13 bytes."""

    def __init__(self, chunk_samples: int, budget_samples: int) -> None:
        self.chunk_samples = chunk_samples
        self.budget_samples = budget_samples
        self.width = chunk_samples
        self._times = np.zeros((0, self.width), np.int64)
        self._values = np.zeros((0, self.width), np.float32)
        self._quality = np.zeros((0, self.width), np.uint8)
        self._fill = np.zeros(0, np.int64)
        self._born = np.zeros(0, np.float64)  # monotonic time of each row's first staged sample
        self._saved = np.zeros(0, np.int64)  # leading slots of each row already saved as a tail

    @property
    def staged(self) -> int:
        return int(self._fill.sum())

    def _grow(self, channels: int) -> list[StagedRows]:
        """Make room for channel numbers below `channels`; a narrower width cuts what is staged."""
        size = max(channels, 2 * self._fill.shape[0])
        width = int(max(2, min(self.chunk_samples, self.budget_samples // max(size, 1))))
        cut = self.take_all() if width != self.width else []
        old = self._fill.shape[0]
        times, values, quality = self._times, self._values, self._quality
        self.width = width
        self._times = np.zeros((size, width), np.int64)
        self._values = np.zeros((size, width), np.float32)
        self._quality = np.zeros((size, width), np.uint8)
        if not cut and old:
            self._times[:old], self._values[:old], self._quality[:old] = times, values, quality
        fill, born, saved = self._fill, self._born, self._saved
        self._fill = np.zeros(size, np.int64)
        self._born = np.zeros(size, np.float64)
        self._saved = np.zeros(size, np.int64)
        self._fill[:old], self._born[:old], self._saved[:old] = fill, born, saved
        return cut

    def add(
        self,
        channels: np.ndarray,
        times_us: np.ndarray,
        values: np.ndarray,
        quality: np.ndarray,
        now: float | None = None,
    ) -> list[StagedRows]:
        """Stage a batch; returns the rows that filled up (each a full chunk)."""
        if channels.shape[0] == 0:
            return []
        now = time.monotonic() if now is None else now
        out: list[StagedRows] = []
        top = int(channels.max()) + 1
        if top > self._fill.shape[0]:
            out += self._grow(top)
        ch = np.asarray(channels, np.int64)
        if ch.shape[0] > 1 and not bool((ch[1:] >= ch[:-1]).all()):
            order = np.argsort(ch, kind="stable")  # keeps each channel's samples in order
            ch, times_us, values, quality = (
                ch[order],
                times_us[order],
                values[order],
                quality[order],
            )
        while ch.shape[0]:
            starts = np.flatnonzero(np.r_[True, ch[1:] != ch[:-1]])
            counts = np.diff(np.r_[starts, ch.shape[0]])
            rank = np.arange(ch.shape[0]) - np.repeat(starts, counts)
            run_ch = ch[starts]
            fresh = self._fill[run_ch] == 0
            self._born[run_ch[fresh]] = now
            pos = self._fill[ch] + rank
            fits = pos < self.width
            rows, cols = ch[fits], pos[fits]
            self._times[rows, cols] = times_us[fits]
            self._values[rows, cols] = values[fits]
            self._quality[rows, cols] = quality[fits]
            self._fill[run_ch] = np.minimum(self._fill[run_ch] + counts, self.width)
            full = run_ch[self._fill[run_ch] == self.width]
            if full.size:
                out.append(self._cut(full))
            if fits.all():
                break
            ch, times_us, values, quality = (
                ch[~fits],
                times_us[~fits],
                values[~fits],
                quality[~fits],
            )
        return out

    def _cut(self, rows: np.ndarray) -> StagedRows:
        lengths = self._fill[rows].copy()
        staged = StagedRows(
            rows.astype(np.uint32),
            self._times[rows],
            self._values[rows],
            self._quality[rows],
            lengths,
        )
        self._fill[rows] = 0
        self._saved[rows] = 0
        return staged

    def take_old(self, max_age_s: float, now: float | None = None) -> list[StagedRows]:
        """Cut every row whose first staged sample is older than max_age_s."""
        now = time.monotonic() if now is None else now
        rows = np.flatnonzero((self._fill > 0) & (now - self._born >= max_age_s))
        return [self._cut(rows)] if rows.size else []

    def take_all(self) -> list[StagedRows]:
        """Cut every row holding samples (on stop, or before the width changes)."""
        rows = np.flatnonzero(self._fill > 0)
        return [self._cut(rows)] if rows.size else []

    @property
    def unsaved(self) -> bool:
        """True when some staged samples are not yet in a tail (see take_unsaved)."""
        return bool((self._fill > self._saved).any())

    def take_unsaved(self) -> StagedRows | None:
        """Copies of the samples staged since the last call, per row, left-aligned; they stay
        staged (the full chunk is cut as usual), so a crash loses none that were saved."""
        rows = np.flatnonzero(self._fill > self._saved)
        if not rows.size:
            return None
        start, lengths = self._saved[rows], self._fill[rows] - self._saved[rows]
        cols = np.minimum(start[:, None] + np.arange(int(lengths.max()))[None, :], self.width - 1)
        picked = rows[:, None], cols
        self._saved[rows] = self._fill[rows]
        return StagedRows(
            rows.astype(np.uint32),
            self._times[picked],
            self._values[picked],
            self._quality[picked],
            lengths,
        )
