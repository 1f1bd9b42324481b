"""Recorded time read ahead of forward replay, in blocks, the next one read in the background.

A chunk covers minutes, so playback reads a block of recorded time at once (samples, alarm
changes, snapshot times) and slices every frame from it. Reading a block of 2,000 channels
decodes every channel's chunk: about 0.1 to 0.2 s, several frames of the console's 30 fps timer.
While playing, the next block is read on a worker thread once half of the current one is
played, so the frame that crosses into it only joins two blocks (a copy, milliseconds).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from backend_client.protocol import AlarmRecord, TelemetryBatch
from backend_client.recording.reader import RecordingReader


@dataclass(frozen=True, slots=True)
class Block:
    """What happened with lo < time <= hi: samples in time order, the applied alarm changes of
    snapshot `epoch` (in sequence order; a change's row time is its changed_us), snapshot times."""

    lo: int
    hi: int
    epoch: int | None
    samples: TelemetryBatch
    changes: list[AlarmRecord]
    snapshots: list[int]


def in_time_order(batch: TelemetryBatch) -> TelemetryBatch:
    """The batch sorted by time, channel within a time (the order a live stream arrives in)."""
    order = np.lexsort((batch.channels, batch.times_us))
    return TelemetryBatch(
        "replay",
        0,
        batch.channels[order],
        batch.times_us[order],
        batch.values[order],
        batch.quality[order],
    )


def read_block(reader: RecordingReader, lo: int, hi: int, epoch: int | None) -> Block:
    """Read lo < time <= hi (safe on any thread: the reader opens its own connections)."""
    samples = in_time_order(reader.samples(None, lo + 1, hi + 1))
    changes = reader.alarm_changes(epoch, lo, hi) if epoch is not None else []
    return Block(lo, hi, epoch, samples, changes, reader.snapshot_times(lo, hi))


def join_blocks(first: Block, second: Block, after_us: int) -> Block:
    """first's part after after_us followed by second (which starts where first ends)."""
    cut = int(np.searchsorted(first.samples.times_us, after_us, side="right"))
    a, b = first.samples, second.samples
    samples = TelemetryBatch(
        "replay",
        0,
        np.concatenate([a.channels[cut:], b.channels]),
        np.concatenate([a.times_us[cut:], b.times_us]),
        np.concatenate([a.values[cut:], b.values]),
        np.concatenate([a.quality[cut:], b.quality]),
    )
    return Block(
        after_us,
        second.hi,
        second.epoch,
        samples,
        [c for c in first.changes if c.changed_us > after_us] + second.changes,
        [t for t in first.snapshots if t > after_us] + second.snapshots,
    )


class ReadAhead:
    """The block forward replay slices from, and the next one being read while playing."""

    def __init__(self, reader: RecordingReader, block_us: int) -> None:
        self.reader = reader
        self.block_us = block_us
        self.current: Block | None = None
        self._next: Future | None = None
        self.background_reads = 0  # blocks read on the worker thread and used

    def drop(self) -> None:
        """Forget both blocks (after a seek, or when the alarm book's snapshot changed)."""
        self.current = None
        self._next = None  # a read still running finishes on its own; its block is not used

    def block_for(
        self, now_us: int, to_us: int, end_us: int, epoch: int | None, playing: bool
    ) -> Block:
        """A block covering now < time <= to; while playing, start reading the next one."""
        block = self.current
        if block is None or not (block.lo <= now_us and to_us <= block.hi):
            block = self.current = self._follow(now_us, to_us, end_us, epoch)
        half_played = block.hi - to_us <= self.block_us // 2
        if playing and half_played and self._next is None and block.hi < end_us:
            self._start_next(block.hi, min(end_us, block.hi + self.block_us), epoch)
        return block

    def prime(self, now_us: int, end_us: int, epoch: int | None) -> None:
        """Start reading the block from now (play pressed): the first frame waits less."""
        if self.current is None and self._next is None and now_us < end_us:
            self._start_next(now_us, min(end_us, now_us + self.block_us), epoch)

    def _follow(self, now_us: int, to_us: int, end_us: int, epoch: int | None) -> Block:
        """The current block joined to the one read in the background (or that one alone, from
        prime), when it fits; else a block read now."""
        block, pending, self._next = self.current, self._next, None
        if pending is not None:
            try:
                following = pending.result()
            except Exception:  # read again below, where the error reaches the caller
                following = None
            fits = following is not None and following.epoch == epoch and to_us <= following.hi
            if fits and block is not None and block.lo <= now_us <= block.hi == following.lo:
                self.background_reads += 1
                return join_blocks(block, following, now_us)
            if fits and following.lo == now_us:
                self.background_reads += 1
                return following
        hi = min(end_us, max(to_us, now_us + self.block_us))
        return read_block(self.reader, now_us, hi, epoch)

    def _start_next(self, lo: int, hi: int, epoch: int | None) -> None:
        future: Future = Future()
        reader = self.reader

        def work() -> None:
            try:
                future.set_result(read_block(reader, lo, hi, epoch))
            except Exception as exc:  # handed to the frame that needs the block
                future.set_exception(exc)

        self._next = future
        threading.Thread(target=work, name="lifeline-replay-read", daemon=True).start()
