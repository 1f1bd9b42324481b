"""The one model that live and replay sources feed and every view reads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from backend_client.city import City, Sensor
from backend_client.model.alarm_book import AlarmBook
from backend_client.model.ring_buffer import ChannelBuffers
from backend_client.protocol import AlarmState, LinkState, Quality, TelemetryBatch

# Sensor display codes shared with the 3D scene: 0 normal, 1..4 level I..IV, 5 bad, 6 offline.
CODE_NORMAL = 0
CODE_BAD_QUALITY = 5
CODE_OFFLINE = 6
OFFLINE_AFTER_S = 15.0


@dataclass(slots=True)
class LinkStats:
    """Counters the status bar shows; written by the source thread, read by the GUI."""

    messages: int = 0
    samples: int = 0
    malformed: int = 0
    unknown: int = 0
    lost_batches: int = 0
    shed_samples: int = 0
    resyncs: int = 0
    reconnects: int = 0
    rate_msgs: float = 0.0
    rate_samples: float = 0.0
    last_error: str = ""
    _window_start: float = field(default_factory=time.monotonic)
    _window_msgs: int = 0
    _window_samples: int = 0

    def count(self, samples: int) -> None:
        self.messages += 1
        self.samples += samples
        self._window_msgs += 1
        self._window_samples += samples
        now = time.monotonic()
        elapsed = now - self._window_start
        if elapsed >= 1.0:
            self.rate_msgs = self._window_msgs / elapsed
            self.rate_samples = self._window_samples / elapsed
            self._window_start, self._window_msgs, self._window_samples = now, 0, 0

    def decay(self) -> None:
        """Let rates fall to zero when nothing arrives."""
        if time.monotonic() - self._window_start > 2.0:
            self.rate_msgs = self.rate_samples = 0.0
            self._window_start, self._window_msgs, self._window_samples = time.monotonic(), 0, 0


class ConsoleModel:
    """Catalog, city, buffers, alarms, link state and selection; versions let views poll cheaply."""

    def __init__(self, buffer_capacity: int = 4096) -> None:
        self.buffer_capacity = buffer_capacity
        # what views draw as "now", in seconds: the wall clock live, the position in a replay
        self.clock: Callable[[], float] = time.time
        self.sensors: tuple[Sensor, ...] = ()
        self.sensor_index: dict[str, int] = {}
        self.city: City | None = None
        self.buffers = ChannelBuffers(0, buffer_capacity)
        self.alarms = AlarmBook()
        self.stats = LinkStats()
        self.link = LinkState.CONNECTING
        self.backend_name = ""
        self.selected: int | None = None
        self.catalog_version = 0
        self.city_version = 0
        self.link_version = 0
        self.selection_version = 0
        self._offline_after_us = np.zeros(0)
        self._lock = threading.Lock()

    # --- written by a source (live client or replay) -----------------------------------------

    def set_catalog(self, sensors: tuple[Sensor, ...], backend_name: str = "") -> None:
        """A new channel catalog resets the buffers (channel numbers may have changed)."""
        with self._lock:
            if tuple(s.id for s in sensors) != tuple(s.id for s in self.sensors):
                self.buffers = ChannelBuffers(len(sensors), self.buffer_capacity)
                self.selected = None
            self.sensors = sensors
            self.sensor_index = {s.id: i for i, s in enumerate(sensors)}
            self._offline_after_us = np.array(
                [max(OFFLINE_AFTER_S, 3.0 / s.rate_hz) * 1e6 for s in sensors], dtype=np.float64
            )
            self.backend_name = backend_name
            self.catalog_version += 1

    def reset_buffers(self) -> None:
        """Forget every buffered sample (a replay jumped): views reload what they show."""
        with self._lock:
            self.buffers = ChannelBuffers(len(self.sensors), self.buffer_capacity)

    def set_city(self, city: City) -> None:
        with self._lock:
            self.city = city
            self.city_version += 1

    def ingest(self, batch: TelemetryBatch) -> None:
        """Store one decoded batch (vectorised; no per-sample Python)."""
        stored = self.buffers.append(batch.channels, batch.times_us, batch.values, batch.quality)
        self.stats.count(stored)

    def set_link(self, state: LinkState) -> None:
        if state != self.link:
            self.link = state
            self.link_version += 1

    # --- user intent from views ----------------------------------------------------------------

    def select(self, channel: int | None) -> None:
        """Select a sensor everywhere (plots, 3D, alarm details, browser)."""
        if channel is not None and not 0 <= channel < len(self.sensors):
            raise IndexError(f"no channel {channel} in a catalog of {len(self.sensors)}")
        if channel != self.selected:
            self.selected = channel
            self.selection_version += 1

    # --- derived views of the state ------------------------------------------------------------

    def sensor_codes(self, now_us: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per-sensor display code and unacknowledged mask for the 3D scene, vectorised."""
        n = len(self.sensors)
        codes = np.full(n, CODE_NORMAL, dtype=np.uint8)
        blink = np.zeros(n, dtype=bool)
        if n == 0:
            return codes, blink
        latest = self.buffers.latest()
        now_us = now_us if now_us is not None else int(self.clock() * 1e6)
        bad = (latest.quality != Quality.GOOD) & (latest.quality != Quality.MISSING)
        codes[bad] = CODE_BAD_QUALITY
        offline = (latest.times_us == 0) | (now_us - latest.times_us > self._offline_after_us)
        codes[offline] = CODE_OFFLINE
        alarms = [a for a in self.alarms.active() if 0 <= a.channel < n]
        if alarms:
            channels = np.fromiter((a.channel for a in alarms), dtype=np.int64, count=len(alarms))
            levels = np.fromiter((a.level for a in alarms), dtype=np.uint8, count=len(alarms))
            shown = np.fromiter(
                (
                    a.state in (AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK)
                    for a in alarms
                ),
                dtype=bool,
                count=len(alarms),
            )
            unacked = np.fromiter(
                (a.state in (AlarmState.UNACK, AlarmState.RTN_UNACK) for a in alarms),
                dtype=bool,
                count=len(alarms),
            )
            # most severe alarm per sensor wins: write least severe first
            order = np.argsort(-levels.astype(np.int16), kind="stable")
            sel = order[shown[order]]
            codes[channels[sel]] = levels[sel]
            blink[channels[unacked]] = True
        return codes, blink
