"""The writer thread: takes batches from a bounded queue, chunks them, commits in transactions.

submit_*() never blocks: when the queue holds queue_samples samples (or queue_events events)
the new item is shed and counted in stats, so a slow disk costs recorded data, never the
caller's I/O thread.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgpack
import numpy as np
import zstandard
from sqlalchemy import Connection, insert

from backend_client.city import city_to_dict, sensor_to_dict
from backend_client.protocol import AlarmRecord
from backend_client.recording.chunk_codec import EncodedChunk, encode_rows
from backend_client.recording.config import RecordingConfig
from backend_client.recording.events import (
    ActionEvent,
    AlarmChangeEvent,
    CatalogEvent,
    CityEvent,
    Event,
    SnapshotEvent,
    record_to_json,
    to_json,
)
from backend_client.recording.schema import (
    ActionRow,
    AlarmEventRow,
    CatalogRow,
    ChannelRow,
    ChunkRow,
    CityRow,
    SnapshotRow,
)
from backend_client.recording.stager import ChannelStager, StagedRows
from backend_client.recording.store import RecordingStore
from backend_client.recording.tail import TailLedger

log = logging.getLogger(__name__)

AGE_CHECK_S = 1.0
_Samples = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@dataclass(slots=True)
class WriterStats:
    """Counters of what was recorded and what was shed; written by the writer, read anywhere."""

    samples_in: int = 0
    samples_written: int = 0
    chunks_written: int = 0
    chunk_bytes: int = 0
    events_written: int = 0
    shed_samples: int = 0
    shed_events: int = 0
    commits: int = 0
    failed_commits: int = 0
    pruned_chunks: int = 0
    tail_chunks_written: int = 0  # provisional chunks of staged samples (see save_tail)
    last_error: str = ""


class _Flush:
    def __init__(self) -> None:
        self.done = threading.Event()


class _Sync:
    """Commit what is queued now (without cutting partial chunks), then call back."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback


class RecordingWriter:
    """Owns the stage and the database writes; start() before submitting, stop() to flush all."""

    def __init__(self, store: RecordingStore, config: RecordingConfig | None = None) -> None:
        self.store = store
        self.config = config or RecordingConfig()
        self.stats = WriterStats()
        self._stage = ChannelStager(self.config.chunk_samples, self.config.stage_budget_samples)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._queued_samples = 0
        self._queued_events = 0
        self._thread: threading.Thread | None = None
        self._chunks: list[EncodedChunk] = []
        self._events: list[Event] = []
        self._epoch: int | None = None  # id of the latest snapshot written
        self._known_channels: set[int] = set()
        self._max_span = 0
        self._tail = TailLedger(self.config.zstd_level)
        self._compress = zstandard.ZstdCompressor(level=self.config.zstd_level)

    # --- any thread ------------------------------------------------------------------------------

    @property
    def queued_samples(self) -> int:
        """Telemetry samples waiting for the writer thread."""
        with self._lock:
            return self._queued_samples

    def submit_samples(
        self, channels: np.ndarray, times_us: np.ndarray, values: np.ndarray, quality: np.ndarray
    ) -> bool:
        """Queue a telemetry batch (arrays are kept, not copied); False when it was shed."""
        n = int(channels.shape[0])
        with self._lock:
            if self._queued_samples + n > self.config.queue_samples:
                self.stats.shed_samples += n
                return False
            self._queued_samples += n
        self._queue.put((channels, times_us, values, quality))
        return True

    def submit_event(self, event: Event) -> bool:
        """Queue an alarm change, snapshot, catalog or action; False when it was shed."""
        with self._lock:
            if self._queued_events >= self.config.queue_events:
                self.stats.shed_events += 1
                return False
            self._queued_events += 1
        self._queue.put(event)
        return True

    def flush(self, timeout: float = 30.0) -> bool:
        """Write everything queued and staged now (partial chunks too); True once done."""
        marker = _Flush()
        self._queue.put(marker)
        return marker.done.wait(timeout)

    def sync(self, callback: Callable[[], None]) -> None:
        """Call back (on the writer thread) once everything queued so far is committed; at once
        when the writer is not running. Operator actions use it: confirmed means on disk."""
        if self._thread is None:
            callback()
            return
        self._queue.put(_Sync(callback))

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="lifeline-recorder", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        """Write what is queued and staged, then end the thread."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join(timeout)
        self._thread = None
        while True:  # a sync queued after the stop marker must not wait forever
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, _Sync):
                item.callback()

    # --- the writer thread -----------------------------------------------------------------------

    def _run(self) -> None:
        last_commit = last_age = last_prune = time.monotonic()
        self.prune()  # once at start (before anything is written), then every retention interval
        while True:
            try:
                item = self._queue.get(timeout=0.2)
            except queue.Empty:
                item = False
            flushes: list[_Flush] = []
            syncs: list[_Sync] = []
            stop = False
            while item is not False:
                if item is None:
                    stop = True
                elif isinstance(item, _Flush):
                    flushes.append(item)
                elif isinstance(item, _Sync):
                    syncs.append(item)
                else:
                    self._take(item)
                if len(self._chunks) > 4096 or len(self._events) > 4096:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    item = False
            now = time.monotonic()
            if now - last_age >= AGE_CHECK_S:
                last_age = now
                self._encode(self._stage.take_old(self.config.max_chunk_age_s, now))
            if stop or flushes:
                self._encode(self._stage.take_all())
            busy = len(self._chunks) > 4096 or len(self._events) > 4096
            tail = self.config.save_tail and self._stage.unsaved
            if (self._chunks or self._events or tail or syncs) and (
                stop
                or flushes
                or syncs
                or busy
                or now - last_commit >= self.config.commit_interval_s
            ):
                self._commit()
                last_commit = time.monotonic()
            for sync in syncs:
                sync.callback()
            if self.config.keep_raw_days and now - last_prune >= self.config.retention_interval_s:
                last_prune = now
                self.prune()
            for marker in flushes:
                marker.done.set()
            if stop:
                return

    def _take(self, item: _Samples | Event) -> None:
        if isinstance(item, tuple):
            channels, times_us, values, quality = item
            n = int(channels.shape[0])
            with self._lock:
                self._queued_samples -= n
            self.stats.samples_in += n
            self._encode(self._stage.add(channels, times_us, values, quality))
        else:
            with self._lock:
                self._queued_events -= 1
            self._events.append(item)

    def _encode(self, cuts: list[StagedRows]) -> None:
        for rows in cuts:
            self._tail.cut(rows.channels)
            self._chunks += encode_rows(
                rows.channels,
                rows.times_us,
                rows.values,
                rows.quality,
                rows.lengths,
                self.config.zstd_level,
            )

    def prune(self, now_us: int | None = None) -> int:
        """Apply the raw-sample retention (keep_raw_days) now; returns the chunks deleted."""
        if not self.config.keep_raw_days:
            return 0
        now_us = time.time_ns() // 1000 if now_us is None else now_us
        try:
            deleted = self.store.prune_raw(self.config.keep_raw_days, now_us)
        except Exception as exc:  # a busy or failing database must not end the recording
            self.stats.last_error = f"retention failed: {exc}"
            log.warning("%s", self.stats.last_error)
            return 0
        self.stats.pruned_chunks += deleted
        return deleted

    def _commit(self) -> None:
        chunks, events = self._chunks, self._events
        self._chunks, self._events = [], []
        tail = self._tail.encode(self._stage) if self.config.save_tail else []
        try:
            with self.store.engine.begin() as conn:
                self.store.write_lock(conn)  # seats sharing one database commit in turn
                self._write_chunks(conn, chunks)
                if tail:
                    self._note_channels(conn, tail)
                    self._note_span(conn, tail)
                tail_committed = self._tail.replace(conn, tail)  # cut chunks replace tails
                for event in events:
                    self._write_event(conn, event)
        except Exception as exc:  # counted and logged; the recording goes on
            self.stats.failed_commits += 1
            self.stats.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("recording commit failed (%d chunks lost): %s", len(chunks), exc)
            self._epoch = None
            return
        self.stats.tail_chunks_written += tail_committed()
        self.stats.commits += 1
        self.stats.chunks_written += len(chunks)
        self.stats.samples_written += sum(c.n for c in chunks)
        self.stats.chunk_bytes += sum(len(c.data) for c in chunks)
        self.stats.events_written += len(events)

    def _write_chunks(self, conn: Connection, chunks: list[EncodedChunk]) -> None:
        if not chunks:
            return
        self._note_channels(conn, chunks)
        conn.execute(
            insert(ChunkRow),
            [
                {
                    "channel": c.channel,
                    "t_start": c.t_start,
                    "t_end": c.t_end,
                    "n": c.n,
                    "data": c.data,
                }
                for c in chunks
            ],
        )
        self._note_span(conn, chunks)

    def _note_channels(self, conn: Connection, chunks: list[EncodedChunk]) -> None:
        """A channel row for every channel with chunks (named once a catalog is recorded)."""
        new = {c.channel for c in chunks} - self._known_channels
        if new:
            blank = {"sensor_id": "", "name": "", "domain": "", "unit": ""}
            rows = [{"channel": ch, **blank} for ch in sorted(new)]
            conn.execute(self.store.insert_ignore(ChannelRow), rows)
            self._known_channels |= new

    def _note_span(self, conn: Connection, chunks: list[EncodedChunk]) -> None:
        """Keep the longest chunk span in the meta table: readers widen their queries by it."""
        span = max(c.t_end - c.t_start for c in chunks)
        if span > self._max_span:
            stored = self.store.meta(conn, "max_chunk_span_us")
            self._max_span = max(span, int(stored or 0))
            self.store.set_meta(conn, "max_chunk_span_us", str(self._max_span))

    def _write_event(self, conn: Connection, event: Event) -> None:
        if isinstance(event, AlarmChangeEvent):
            conn.execute(
                insert(AlarmEventRow),
                [
                    _alarm_row(
                        event.alarm,
                        event.seq,
                        False,
                        event.applied,
                        self._epoch if event.applied else None,
                    )
                ],
            )
        elif isinstance(event, SnapshotEvent):
            result = conn.execute(
                insert(SnapshotRow).values(
                    time_us=event.time_us, seq=event.seq, alarms=len(event.alarms)
                )
            )
            self._epoch = int(result.inserted_primary_key[0])
            if event.alarms:
                rows = [_alarm_row(a, event.seq, True, True, self._epoch) for a in event.alarms]
                conn.execute(insert(AlarmEventRow), rows)
        elif isinstance(event, CatalogEvent):
            body = self._compress.compress(
                msgpack.packb([sensor_to_dict(s) for s in event.sensors], use_bin_type=True)
            )
            conn.execute(
                insert(CatalogRow).values(
                    time_us=event.time_us,
                    server=event.server,
                    channels=len(event.sensors),
                    body=body,
                )
            )
            rows = [
                {
                    "channel": i,
                    "sensor_id": s.id,
                    "name": s.name,
                    "domain": s.domain,
                    "unit": s.unit,
                }
                for i, s in enumerate(event.sensors)
            ]
            self.store.upsert_channels(conn, rows)
            self._known_channels |= set(range(len(event.sensors)))
        elif isinstance(event, CityEvent):
            doc = json.dumps(city_to_dict(event.city), separators=(",", ":")).encode()
            conn.execute(
                insert(CityRow).values(
                    time_us=event.time_us, name=event.city.name, body=self._compress.compress(doc)
                )
            )
        elif isinstance(event, ActionEvent):
            conn.execute(self.store.insert_ignore(ActionRow), [_action_row(event)])


def _alarm_row(
    alarm: AlarmRecord, seq: int, in_snapshot: bool, applied: bool, epoch: int | None
) -> dict[str, Any]:
    return {
        "time_us": alarm.changed_us,
        "seq": seq,
        "epoch": epoch,
        "in_snapshot": in_snapshot,
        "applied": applied,
        "alarm_id": alarm.id,
        "channel": alarm.channel,
        "level": alarm.level,
        "state": str(alarm.state),
        "record": record_to_json(alarm),
    }


def _action_row(event: ActionEvent) -> dict[str, Any]:
    return {
        "time_us": event.time_us,
        "source": event.source,
        "op": event.op,
        "alarm_id": event.alarm_id,
        "user": event.user,
        "role": event.role,
        "host": event.host,
        "args": to_json(event.args),
        "ok": event.ok,
        "result": event.result if isinstance(event.result, str) else to_json(event.result),
        "key": event.key,
    }
