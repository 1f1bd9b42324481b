"""Channel buffers at province scale: every sample lands in one shared log, read channels get rings.

A batch's samples belong to thousands of channels; scattering each into its own ring costs a cache
miss per sample and memory per channel (163,000 channels x 4,096 samples is gigabytes). Instead an
append copies the batch into one time-ordered log (contiguous writes), updates each channel's
count and latest sample, and scatters only the samples of channels someone reads (plots, alarm
details) into their rings. A channel read for the first time is seeded from the log; the least
recently read lose their rings when the slots run out. Memory is fixed by the sizes given.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from backend_client.protocol import Quality

DEFAULT_LOG_SAMPLES = 1 << 20  # about 17 MB: a second of a province's stream, minutes of a city's
DEFAULT_RING_SLOTS = 1024  # channels with a ring of their own at once (16 panels x 6 is 96)


@dataclass(frozen=True, slots=True)
class Series:
    """One channel's buffered samples in time order (copies, safe to keep)."""

    times_us: np.ndarray
    values: np.ndarray
    quality: np.ndarray


class ChannelBuffers:
    """Per-channel rings of `capacity` samples behind a shared log; memory never grows."""

    def __init__(
        self,
        n_channels: int,
        capacity: int,
        log_samples: int = DEFAULT_LOG_SAMPLES,
        ring_slots: int = DEFAULT_RING_SLOTS,
    ) -> None:
        if n_channels < 0 or capacity < 1 or log_samples < 1 or ring_slots < 1:
            raise ValueError(
                f"need n_channels >= 0 and capacity, log_samples, ring_slots >= 1, got "
                f"{n_channels}, {capacity}, {log_samples}, {ring_slots}"
            )
        self.n_channels = n_channels
        self.capacity = capacity
        self._lock = threading.Lock()
        self.rejected = 0  # samples naming a channel outside the catalog
        # every channel: how many samples ever, and the newest one
        self._written = np.zeros(n_channels, dtype=np.int64)
        self._last_t = np.zeros(n_channels, dtype=np.int64)
        self._last_v = np.full(n_channels, np.nan, dtype=np.float32)
        self._last_q = np.full(n_channels, Quality.MISSING, dtype=np.uint8)
        # the shared log, a ring of samples in arrival order
        self._log_ch = np.zeros(log_samples, dtype=np.int32)
        self._log_t = np.zeros(log_samples, dtype=np.int64)
        self._log_v = np.zeros(log_samples, dtype=np.float32)
        self._log_q = np.zeros(log_samples, dtype=np.uint8)
        self._log_n = 0  # samples ever logged
        # rings for channels that are read: slot per channel, least recently read evicted
        self._slot_of = np.full(n_channels, -1, dtype=np.int32)
        self._channel_of = np.full(ring_slots, -1, dtype=np.int64)
        self._used = np.zeros(ring_slots, dtype=np.int64)  # read clock per slot, for eviction
        self._rings_in_use = False
        self._base = np.zeros(ring_slots, dtype=np.int64)  # count of a ring's oldest valid sample
        self._clock = 0
        # ring storage grows with the slots in use (rows are read only where written)
        self._times = np.zeros((0, capacity), dtype=np.int64)
        self._values = np.zeros((0, capacity), dtype=np.float32)
        self._quality = np.zeros((0, capacity), dtype=np.uint8)

    @property
    def nbytes(self) -> int:
        arrays = (self._written, self._last_t, self._last_v, self._last_q, self._log_ch)
        arrays += (self._log_t, self._log_v, self._log_q, self._slot_of, self._times)
        return sum(a.nbytes for a in (*arrays, self._values, self._quality))

    # --- writing ---------------------------------------------------------------------------

    def append(
        self, channels: np.ndarray, times_us: np.ndarray, values: np.ndarray, quality: np.ndarray
    ) -> int:
        """Append a mixed-channel batch (time-ordered per channel); returns samples stored."""
        channels = np.asarray(channels)
        if channels.dtype.kind not in "iu":
            channels = channels.astype(np.int64)
        times_us, values, quality = np.asarray(times_us), np.asarray(values), np.asarray(quality)
        n = int(channels.size)
        if n == 0:
            return 0
        if channels.min() < 0 or channels.max() >= self.n_channels:
            valid = (channels >= 0) & (channels < self.n_channels)
            self.rejected += int((~valid).sum())
            channels, times_us = channels[valid], times_us[valid]
            values, quality = values[valid], quality[valid]
            n = int(channels.size)
            if n == 0:
                return 0
        with self._lock:
            self._log(channels, times_us, values, quality)
            # per channel: count and newest sample. A batch grouped by channel (the usual case)
            # needs no sort: each run's last sample is the channel's newest.
            if n > 1 and (channels[1:] < channels[:-1]).any():
                order = np.argsort(channels, kind="stable")
                ch_sorted = channels[order]
            else:
                order, ch_sorted = None, channels
            change = np.empty(n, dtype=bool)
            change[-1] = True
            np.not_equal(ch_sorted[1:], ch_sorted[:-1], out=change[:-1])
            last = np.flatnonzero(change)  # each channel's last sample
            runs = last.copy()
            runs[1:] -= last[:-1]
            runs[0] += 1
            uniq = ch_sorted[last].astype(np.intp)  # intp indexes twice as fast as uint32
            newest = last if order is None else order[last]
            self._written[uniq] += runs
            self._last_t[uniq] = times_us[newest]
            self._last_v[uniq] = values[newest]
            self._last_q[uniq] = quality[newest]
            if self._rings_in_use and (self._slot_of[uniq] >= 0).any():
                slots = self._slot_of[channels.astype(np.intp)]
                self._ring_append(channels, slots, times_us, values, quality)
        return n

    def _log(self, ch: np.ndarray, t: np.ndarray, v: np.ndarray, q: np.ndarray) -> None:
        """Copy the batch into the log as at most two contiguous slices (its newest part fits)."""
        size = self._log_t.size
        if ch.size > size:
            ch, t, v, q = ch[-size:], t[-size:], v[-size:], q[-size:]
        start = self._log_n % size
        first = min(ch.size, size - start)
        for log, part in ((self._log_ch, ch), (self._log_t, t), (self._log_v, v), (self._log_q, q)):
            log[start : start + first] = part[:first]
            log[: ch.size - first] = part[first:]
        self._log_n += ch.size

    def _ring_append(self, ch, slots, t, v, q) -> None:
        """Scatter the samples of channels with a ring into their rings, in arrival order."""
        mine = np.flatnonzero(slots >= 0)
        slot = slots[mine]
        order = np.argsort(slot, kind="stable")
        mine, slot = mine[order], slot[order]
        first = np.flatnonzero(np.concatenate(([True], slot[1:] != slot[:-1])))
        runs = np.diff(np.append(first, slot.size))
        rank = np.arange(slot.size) - np.repeat(first, runs)
        # channel counts already include this batch: its samples end at the new count
        end = self._written[ch[mine[first]]]
        pos = (np.repeat(end - runs, runs) + rank) % self.capacity
        keep = rank >= np.repeat(runs, runs) - self.capacity  # a long run: its newest fit
        mine, slot, pos = mine[keep], slot[keep], pos[keep]
        self._times[slot, pos] = t[mine]
        self._values[slot, pos] = v[mine]
        self._quality[slot, pos] = q[mine]

    # --- reading ---------------------------------------------------------------------------

    def series(self, channel: int, since_us: int | None = None) -> Series:
        """The channel's newest samples (up to capacity) oldest first, optionally from since_us.

        The ring is two time-ordered runs; each is cut by binary search and copied as one
        slice, so the cost is the samples returned, not the capacity.
        """
        with self._lock:
            slot = self._ring_for(channel)
            written = int(self._written[channel])
            n = self._held(slot, written)
            pieces = self._pieces(written - n, n)
            times_row = self._times[slot]
            if since_us is not None:
                cut = []
                for piece in pieces:
                    skip = int(np.searchsorted(times_row[piece], since_us, side="left"))
                    cut.append(slice(piece.start + skip, piece.stop))
                pieces = cut
            return self._read(slot, pieces)

    def newer(self, channel: int, seen: int) -> tuple[Series, int, bool]:
        """Samples written after the first `seen`, the count written now, and whether none of
        them was overwritten before this read (False: the reader missed some and must reload).
        """
        with self._lock:
            slot = self._ring_for(channel)
            written = int(self._written[channel])
            held = self._held(slot, written)
            complete = 0 <= seen <= written and written - seen <= held
            first = max(seen if complete else 0, written - held)
            return self._read(slot, self._pieces(first, written - first)), written, complete

    def oldest_time(self, channel: int) -> int | None:
        """Time of the oldest sample still held for a channel (None when it has none)."""
        with self._lock:
            slot = self._ring_for(channel)
            written = int(self._written[channel])
            held = self._held(slot, written)
            if held == 0:
                return None
            return int(self._times[slot, (written - held) % self.capacity])

    def latest(self) -> Series:
        """Every channel's newest sample (time 0 and MISSING where none yet)."""
        with self._lock:
            return Series(self._last_t.copy(), self._last_v.copy(), self._last_q.copy())

    def counts(self) -> np.ndarray:
        """Samples ever written per channel."""
        with self._lock:
            return self._written.copy()

    # --- rings -----------------------------------------------------------------------------

    def _pieces(self, first: int, n: int) -> list[slice]:
        """Ring positions of samples first .. first + n - 1 (by channel count), as slices."""
        if n <= 0:
            return []
        start = first % self.capacity
        pieces = [slice(start, min(start + n, self.capacity))]
        if start + n > self.capacity:
            pieces.append(slice(0, start + n - self.capacity))
        return pieces

    def _read(self, slot: int, pieces: list[slice]) -> Series:
        return Series(
            _gather(self._times[slot], pieces),
            _gather(self._values[slot], pieces),
            _gather(self._quality[slot], pieces),
        )

    def _ring_for(self, channel: int) -> int:
        """The channel's slot, given one (seeded from the log) if it had none. Lock held."""
        if not 0 <= channel < self.n_channels:
            raise IndexError(f"no channel {channel} in {self.n_channels}")
        self._clock += 1
        slot = int(self._slot_of[channel])
        if slot < 0:
            slot = int(np.argmin(self._used))  # a free slot (0) or the least recently read
            if slot >= self._times.shape[0]:
                self._grow_rings(slot + 1)
            old = int(self._channel_of[slot])
            if old >= 0:
                self._slot_of[old] = -1
            self._slot_of[channel] = slot
            self._channel_of[slot] = channel
            self._rings_in_use = True
            self._seed(channel, slot)
        self._used[slot] = self._clock
        return slot

    def _grow_rings(self, rows: int) -> None:
        """Make room for at least `rows` rings, doubling (bounded by the slot count)."""
        rows = min(max(rows, 2 * self._times.shape[0], 8), self._channel_of.size)
        for name in ("_times", "_values", "_quality"):
            old = getattr(self, name)
            grown = np.zeros((rows, self.capacity), dtype=old.dtype)
            grown[: old.shape[0]] = old
            setattr(self, name, grown)

    def _held(self, slot: int, written: int) -> int:
        """How many of its channel's newest samples a ring really holds (seeding may find few)."""
        return min(written - int(self._base[slot]), self.capacity)

    def _seed(self, channel: int, slot: int) -> None:
        """Fill a new ring with the channel's samples still in the log (its newest capacity)."""
        size = self._log_t.size
        logged = min(self._log_n, size)
        start = self._log_n - logged  # absolute index of the oldest sample in the log
        hits = np.flatnonzero(self._log_ch[:logged] == channel)
        order = np.argsort((hits - start) % size, kind="stable")  # arrival order
        hits = hits[order][-self.capacity :]
        written = int(self._written[channel])
        pos = (written - hits.size + np.arange(hits.size)) % self.capacity
        self._times[slot, pos] = self._log_t[hits]
        self._values[slot, pos] = self._log_v[hits]
        self._quality[slot, pos] = self._log_q[hits]
        # the log holds a channel's newest samples: counts written - hits .. written - 1
        self._base[slot] = written - hits.size


def _gather(row: np.ndarray, pieces: list[slice]) -> np.ndarray:
    """Copy the given runs of one ring row into a new array, oldest first."""
    if len(pieces) == 1:
        return row[pieces[0]].copy()
    if not pieces:
        return row[:0].copy()
    return np.concatenate([row[p] for p in pieces])
