"""Measures the wall alarm queue under load in its own process (needs an X display); prints JSON.

Ours: the real AlarmQueueView (header, filters, table at the default large type, 1920x1080)
fed by the real ModelBridge at 30 fps while a feeder thread applies alarm changes to the
AlarmBook, as the client's I/O thread would. A frame is the bridge tick (the queue applies the
frame's batch) plus the paint it causes. Naive: the same recorded batches applied by updating a
dict and re-sorting the whole list after every change, as a queue without batching would.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time

import numpy as np

from backend_client.city import DOMAINS, Sensor
from backend_client.model.alarm_queue import AlarmQueue
from backend_client.model.alarm_queue_keys import queue_key
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState

SIZES = {  # active alarms, changes/s, seconds listed, seconds grouped, naive batches
    "full": (10_000, 500, 20.0, 5.0, 40),
    "quick": (10_000, 500, 6.0, 2.0, 15),
    "smoke": (1_000, 100, 1.0, 0.5, 5),
}
FPS = 30
FEED_HZ = 100
SPARE = 0.2  # extra idle sensors that new alarms are raised on
LEVEL_WEIGHTS = (0.05, 0.15, 0.3, 0.5)  # I..IV, ISA-style: few severe


def _catalog(n: int) -> tuple[Sensor, ...]:
    return tuple(
        Sensor(
            f"Q/{i:06d}",
            f"{DOMAINS[i % len(DOMAINS)]} sensor {i}",
            DOMAINS[i % len(DOMAINS)],
            "p",
            "kPa",
            (0.0, 0.0, 0.0),
            f"asset-{i // 16}",
            f"area-{i % 24}",
        )
        for i in range(n)
    )


def _record(
    sensor: Sensor, channel: int, level: int, state: AlarmState, raised_us: int, now_us: int
) -> AlarmRecord:
    return AlarmRecord(
        sensor.id,
        channel,
        sensor.id,
        level,
        state,
        state != AlarmState.RTN_UNACK,
        12.5,
        10.0,
        raised_us,
        now_us,
        "pressure high",
    )


class Feeder(threading.Thread):
    """Applies alarm changes to the book at a steady rate, keeping about n alarms active."""

    def __init__(self, model: ConsoleModel, sensors: tuple[Sensor, ...], active: int, rate: int):
        super().__init__(daemon=True)
        self.model = model
        self.sensors = sensors
        self.rate = rate
        self.stop_flag = threading.Event()
        self.rng = random.Random(7)
        self.seq = 0
        self.applied = 0
        now = int(time.time() * 1e6)
        self.alarms: dict[int, AlarmRecord] = {}
        for ch in range(active):
            level = self.rng.choices((1, 2, 3, 4), LEVEL_WEIGHTS)[0]
            state = AlarmState.ACKED if self.rng.random() < 0.6 else AlarmState.UNACK
            raised = now - self.rng.randrange(86_400_000_000)
            self.alarms[ch] = _record(sensors[ch], ch, level, state, raised, raised)
        self.active = list(self.alarms)
        self.idle = list(range(active, len(sensors)))

    def snapshot(self) -> None:
        self.model.alarms.apply_snapshot(self.seq, list(self.alarms.values()))

    def _one(self, now: int) -> AlarmRecord:
        rng = self.rng
        r = rng.random()
        if r < 0.1 and self.idle:  # a new alarm
            ch = self.idle.pop(rng.randrange(len(self.idle)))
            self.active.append(ch)
            level = rng.choices((1, 2, 3, 4), LEVEL_WEIGHTS)[0]
            record = _record(self.sensors[ch], ch, level, AlarmState.UNACK, now, now)
            self.alarms[ch] = record
            return record
        i = rng.randrange(len(self.active))
        ch = self.active[i]
        old = self.alarms[ch]
        if r < 0.2:  # cleared and acknowledged: back to normal, off the queue
            self.active[i] = self.active[-1]
            self.active.pop()
            self.idle.append(ch)
            del self.alarms[ch]
            return _record(self.sensors[ch], ch, old.level, AlarmState.NORMAL, old.raised_us, now)
        if old.state == AlarmState.UNACK:
            state = AlarmState.ACKED if r < 0.7 else AlarmState.RTN_UNACK
        elif old.state == AlarmState.RTN_UNACK:
            state = AlarmState.ACKED
        else:
            state = AlarmState.UNACK if r < 0.4 else AlarmState.ACKED
        level = max(1, min(4, old.level + rng.choice((-1, 0, 0, 1))))
        record = _record(self.sensors[ch], ch, level, state, old.raised_us, now)
        self.alarms[ch] = record
        return record

    def run(self) -> None:
        per_tick = max(1, round(self.rate / FEED_HZ))
        next_at = time.perf_counter()
        while not self.stop_flag.is_set():
            now = int(time.time() * 1e6)
            for _ in range(per_tick):
                self.seq += 1
                self.model.alarms.apply_change(AlarmChange(self.seq, self._one(now)))
            self.applied += per_tick
            next_at += 1.0 / FEED_HZ
            time.sleep(max(0.0, next_at - time.perf_counter()))


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def run_ours(mode: str) -> tuple[dict, list[dict], list[AlarmRecord]]:
    """Frame times through the real view; returns the figures, the batches seen and the start."""
    from PySide6.QtWidgets import QApplication

    from console.model_bridge import ModelBridge
    from views.alarm_queue_view import AlarmQueueView

    active, rate, seconds, grouped_seconds, _ = SIZES[mode]
    app = QApplication.instance() or QApplication([])
    from importlib.resources import files

    app.setStyleSheet((files("resources") / "styles" / "dark.qss").read_text("utf-8"))
    sensors = _catalog(int(active * (1 + SPARE)))
    model = ConsoleModel(buffer_capacity=16)
    model.set_catalog(sensors)
    feeder = Feeder(model, sensors, active, rate)
    feeder.snapshot()
    start = list(feeder.alarms.values())
    view = AlarmQueueView(model)
    view.resize(1920, 1080)
    view.show()
    bridge = ModelBridge(model, fps=FPS)
    refresh_ms: list[float] = []
    batches: list[dict] = []
    recording = [False]

    seen = [model.alarms.changes_since(None).cursor]  # our own reader, to record the batches

    def timed_refresh() -> None:
        if recording[0]:
            delta = model.alarms.changes_since(seen[0])
            seen[0] = delta.cursor
            batches.append(delta.alarms)
        t0 = time.perf_counter()
        view.refresh()
        refresh_ms.append((time.perf_counter() - t0) * 1000)

    bridge.alarmsChanged.connect(timed_refresh)
    for _ in range(20):
        bridge.tick()
        app.processEvents()
    view.filters.group.setChecked(False)  # measure the full list, not the flood groups
    view.table.selectRow(5)
    view.table.setFocus()
    app.processEvents()

    def measure(duration: float) -> tuple[list[float], float, int]:
        frames: list[float] = []
        refresh_ms.clear()
        applied0 = feeder.applied
        t_end = time.perf_counter() + duration
        next_at = time.perf_counter()
        wall0 = time.perf_counter()
        while time.perf_counter() < t_end:
            t0 = time.perf_counter()
            bridge.tick()
            app.processEvents()  # the paint the batch caused, like the event loop would
            frames.append((time.perf_counter() - t0) * 1000)
            next_at += 1.0 / FPS
            time.sleep(max(0.0, next_at - time.perf_counter()))
        wall = time.perf_counter() - wall0
        return frames, (feeder.applied - applied0) / wall, len(refresh_ms)

    seen[0] = model.alarms.changes_since(None).cursor
    feeder.start()
    recording[0] = True
    frames, changes_per_s, n_batches = measure(seconds)
    recording[0] = False
    batch_ms = list(refresh_ms)
    kept = view.table.current_alarm()
    view.filters.group.setChecked(True)
    grouped_frames, _, _ = measure(grouped_seconds)
    feeder.stop_flag.set()
    feeder.join(2)
    view.close()
    sizes = [len(b) for b in batches]
    return (
        {
            "frame_p50_ms": _pct(frames, 50),
            "frame_p99_ms": _pct(frames, 99),
            "frame_max_ms": max(frames),
            "frames": len(frames),
            "batch_p50_ms": _pct(batch_ms, 50),
            "batch_p99_ms": _pct(batch_ms, 99),
            "batches": n_batches,
            "changes_per_batch": float(np.mean(sizes)) if sizes else 0.0,
            "changes_per_s": changes_per_s,
            "active_alarms": view.queue.total,
            "grouped_frame_p99_ms": _pct(grouped_frames, 99),
            "groups": view.queue.group_count(),
            "selection_kept": kept is not None,
        },
        batches,
        start,
    )


def run_batches(batches: list[dict], start: list[AlarmRecord], sensors, n: int) -> dict:
    """The same recorded batches: our queue's apply against a re-sort per change."""
    queue = AlarmQueue(sensors)
    queue.reset(start)
    ours = []
    for batch in batches[:n]:
        t0 = time.perf_counter()
        queue.apply(batch)
        ours.append((time.perf_counter() - t0) * 1000)
    current = {a.id: a for a in start}
    naive = []
    for batch in batches[:n]:
        t0 = time.perf_counter()
        for alarm_id, record in batch.items():
            if record is None or record.state == AlarmState.NORMAL:
                current.pop(alarm_id, None)
            else:
                current[alarm_id] = record
            rows = sorted(current.values(), key=queue_key)  # what the table would show now
        naive.append((time.perf_counter() - t0) * 1000)
        del rows
    return {"ours_apply_ms": float(np.mean(ours)), "naive_apply_ms": float(np.mean(naive))}


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "quick"
    active, _, _, _, naive_batches = SIZES[mode]
    ours, batches, start = run_ours(mode)
    sensors = _catalog(int(active * (1 + SPARE)))
    same = run_batches(batches, start, sensors, naive_batches)
    print("ALARM-QUEUE " + json.dumps({"ours": ours, "batches": same, "mode": mode}))


if __name__ == "__main__":
    main()
