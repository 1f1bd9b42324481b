"""Where a live source's data is copied to the recording: a ConsoleModel (and its AlarmBook)
that hand everything they are fed to a RecordingWriter, and a client that records its requests.

The taps run on the client's I/O thread and only queue (RecordingWriter.submit_* never blocks).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from concurrent.futures import Future
from typing import Any

import numpy as np

from backend_client.city import City, Sensor
from backend_client.client import BackendClient
from backend_client.model.alarm_book import AlarmBook
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmChange, AlarmRecord, Op, TelemetryBatch
from backend_client.recording.events import (
    ActionEvent,
    AlarmChangeEvent,
    CatalogEvent,
    CityEvent,
    SnapshotEvent,
)
from backend_client.recording.writer import RecordingWriter

RECORDED_OPS = frozenset(
    {
        Op.ACK,
        Op.SHELVE,
        Op.UNSHELVE,
        Op.SUPPRESS,
        Op.OUT_OF_SERVICE,
        Op.VERIFY,
        Op.DISPATCH,
        Op.FEEDBACK,
        Op.CLOSE,
        Op.SCENARIO,
    }
)


def _now_us() -> int:
    return time.time_ns() // 1000


class StepTracker:
    """Turns the closed-loop steps carried on alarm records into actions, each once."""

    def __init__(self, writer: RecordingWriter) -> None:
        self.writer = writer
        self._seen: dict[str, tuple[int, set[str]]] = {}  # alarm id -> (raised, step keys)

    def observe(self, alarm: AlarmRecord) -> None:
        raised, seen = self._seen.get(alarm.id, (alarm.raised_us, set()))
        if raised != alarm.raised_us:
            seen = set()
        for step in alarm.steps:
            key = f"step|{alarm.id}|{alarm.raised_us}|{step.time_us}|{step.action}|{step.user}"
            if key in seen:
                continue
            seen.add(key)
            self.writer.submit_event(
                ActionEvent(
                    time_us=step.time_us,
                    source="step",
                    op=step.action,
                    user=step.user,
                    role=step.role,
                    host=step.host,
                    key=key,
                    alarm_id=alarm.id,
                    args={"note": step.note, "detail": step.detail, "raised_us": alarm.raised_us},
                    ok=True,
                    result="",
                )
            )
        self._seen[alarm.id] = (alarm.raised_us, seen)


class RecordingAlarmBook(AlarmBook):
    """An AlarmBook that records every change it is given and its state after each snapshot."""

    def __init__(self, writer: RecordingWriter, clock: RecordingModel) -> None:
        super().__init__()
        self.writer = writer
        self.steps = StepTracker(writer)
        self._clock = clock

    def apply_change(self, change: AlarmChange) -> bool:
        before = self.seq
        ok = super().apply_change(change)
        applied = before is not None and change.seq == before + 1
        self.writer.submit_event(AlarmChangeEvent(change.seq, change.alarm, applied))
        if applied:
            self._clock.observe_time(change.alarm.changed_us)
            self.steps.observe(change.alarm)
        return ok

    def apply_snapshot(self, seq: int, alarms: Iterable[AlarmRecord]) -> None:
        super().apply_snapshot(seq, alarms)
        book = tuple(a for a in self.changes_since(None).alarms.values() if a is not None)
        for alarm in book:
            self._clock.observe_time(alarm.changed_us)
            self.steps.observe(alarm)
        snapshot_seq = self.seq if self.seq is not None else seq
        self.writer.submit_event(SnapshotEvent(self._clock.backend_now_us(), snapshot_seq, book))


class RecordingModel(ConsoleModel):
    """A ConsoleModel that also records; keep_buffers=False makes it a headless recorder's."""

    def __init__(
        self, writer: RecordingWriter, buffer_capacity: int = 4096, keep_buffers: bool = True
    ) -> None:
        super().__init__(buffer_capacity)
        self.writer = writer
        self.keep_buffers = keep_buffers
        self._latest_us = 0
        self.alarms = RecordingAlarmBook(writer, self)

    def observe_time(self, t_us: int) -> None:
        self._latest_us = max(self._latest_us, int(t_us))

    def backend_now_us(self) -> int:
        """The backend's clock as far as its data tells (wall clock before any data)."""
        return self._latest_us or _now_us()

    def set_catalog(self, sensors: tuple[Sensor, ...], backend_name: str = "") -> None:
        super().set_catalog(sensors, backend_name)
        self.writer.submit_event(CatalogEvent(self.backend_now_us(), backend_name, sensors))

    def set_city(self, city: City) -> None:
        super().set_city(city)
        self.writer.submit_event(CityEvent(self.backend_now_us(), city))

    def ingest(self, batch: TelemetryBatch) -> None:
        if self.keep_buffers:
            super().ingest(batch)
        else:
            self.stats.count(len(batch))
        if len(batch):
            self.observe_time(int(np.max(batch.times_us)))
            self.writer.submit_samples(batch.channels, batch.times_us, batch.values, batch.quality)


class RecordingClient(BackendClient):
    """A BackendClient whose operator requests (ack, shelve, closed-loop steps...) are recorded
    with their outcome; model must be a RecordingModel."""

    def request(self, op: str, args: dict[str, Any] | None = None) -> Future:
        """As BackendClient.request; a recorded op's Future resolves once its action is committed
        to the recording, so a confirmed action survives the console being killed."""
        future = super().request(op, args)
        if op in RECORDED_OPS and isinstance(self.model, RecordingModel):
            writer, sent_us, ident = self.model.writer, _now_us(), self.identity
            key = f"request|{uuid.uuid4().hex}"
            confirmed: Future = Future()

            def record(done: Future) -> None:
                error = done.exception()
                writer.submit_event(
                    ActionEvent(
                        time_us=sent_us,
                        source="request",
                        op=str(op),
                        user=ident.user,
                        role=ident.role,
                        host=ident.host,
                        key=key,
                        alarm_id=str((args or {}).get("alarm") or ""),
                        args=dict(args or {}),
                        ok=error is None,
                        result=str(error) if error is not None else done.result(),
                    )
                )
                writer.sync(lambda: _settle(confirmed, done))

            future.add_done_callback(record)
            return confirmed
        return future


def _settle(target: Future, done: Future) -> None:
    """Give target the outcome of done."""
    error = done.exception()
    if error is not None:
        target.set_exception(error)
    else:
        target.set_result(done.result())
