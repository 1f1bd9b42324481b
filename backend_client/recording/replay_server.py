"""A recording served over protocol v1, so every console of a wall replays it in step.

The server is a backend like lifeline-sim: PUB (tel.<domain>, alm, hb) and ROUTER (hello, city,
alarms, history, ...), but what it publishes comes from a ReplaySource driving a model that
publishes instead of keeping: the same code that replays into one console decides what is sent
and in which order. One loop thread owns the source and both sockets; a wall clock paces it
(replay time moves by wall time x speed), and heartbeats carry the replay time.

Seeking (a trainer's `replay` request, or the loop starting over) changes the instance id: every
attached console handshakes again (hello, alarms snapshot), as after a backend restart. Operator
requests are refused ("replay: read only"); with a training session, `ack` is kept as a training
acknowledgement (TrainingLog), never applied to the replayed alarms.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import zmq

from backend_client.city import DOMAINS, city_to_dict, sensor_to_dict
from backend_client.codec import (
    decode_request,
    encode_alarm_change,
    encode_heartbeat,
    encode_reply,
    encode_telemetry,
)
from backend_client.model.alarm_book import AlarmBook
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import (
    HEARTBEAT_PERIOD_S,
    MAX_REQUEST_BYTES,
    AlarmChange,
    Heartbeat,
    TelemetryBatch,
)
from backend_client.recording.replay import ReplaySource
from backend_client.recording.replay_requests import ReplayRequests
from backend_client.recording.store import RecordingStore
from backend_client.recording.training import TrainingLog
from backend_client.topics import telemetry_topic

log = logging.getLogger(__name__)

MAX_PUBLISH_SAMPLES = 250_000  # per telemetry frame: 4.25 MB, well inside MAX_FRAME_BYTES
MAX_REQUESTS_PER_WAKE = 64


@dataclass(frozen=True, slots=True)
class ReplayServerConfig:
    """Endpoints, pacing and who may steer a replay server."""

    pub: str = "tcp://127.0.0.1:*"
    rpc: str = "tcp://127.0.0.1:*"
    speed: float = 1.0
    loop: bool = False
    playing: bool = True  # start playing at once (False: paused at the start)
    tick_hz: float = 20.0
    steer_roles: tuple[str, ...] = ("trainer", "supervisor")
    training_session: int | None = None  # acks become training acks of this TrainingLog session


class _PublishingBook(AlarmBook):
    """The replayed alarm book; each change it applies goes out on `alm` (unless muted)."""

    def __init__(self, publish: Callable[[AlarmChange], None]) -> None:
        super().__init__()
        self._publish = publish
        self.muted = True

    def apply_change(self, change: AlarmChange) -> bool:
        ok = super().apply_change(change)
        if not self.muted:
            self._publish(change)
        return ok


class _PublishingModel(ConsoleModel):
    """A ConsoleModel that publishes the batches replay feeds it instead of buffering them."""

    def __init__(self, publish: Callable[[TelemetryBatch], None], book: _PublishingBook) -> None:
        super().__init__(buffer_capacity=1)
        self._publish = publish
        self.alarms = book
        self.muted = True

    def ingest(self, batch: TelemetryBatch) -> None:
        if not self.muted and len(batch):
            self._publish(batch)


class ReplayServer:
    """Serves [start_us, end_us] of a recording over ZeroMQ; start()/stop() or run()."""

    def __init__(
        self,
        store: RecordingStore,
        start_us: int | None = None,
        end_us: int | None = None,
        config: ReplayServerConfig | None = None,
    ) -> None:
        self.config = config or ReplayServerConfig()
        self.store = store
        self.instance = uuid.uuid4().hex
        self.loop = self.config.loop
        self.training = TrainingLog(store) if self.config.training_session is not None else None
        self.samples_sent = 0
        self.alarm_changes_sent = 0
        self.max_lag_s = 0.0  # the longest a tick came late (wall time)
        # heartbeats carry the replay time: every tick, so consoles follow it closely
        self.heartbeat_period_s = min(HEARTBEAT_PERIOD_S, 1.0 / self.config.tick_hz)
        self.book = _PublishingBook(self._publish_change)
        self._model = _PublishingModel(self._publish_samples, self.book)
        self.source = ReplaySource(store, self._model, start_us, end_us, window_s=0.0)
        self.source.set_speed(self.config.speed)
        self._muted(False)
        self.sensors = self._model.sensors
        self.city = self._model.city
        self.city_doc = None if self.city is None else city_to_dict(self.city)
        self.catalog = [sensor_to_dict(s) for s in self.sensors]
        # the live backend's topics: one per (domain, area), so seats subscribed by interest
        # (backend_client/topics.py) get their share of the replay too
        names = [telemetry_topic(s.domain, s.area) for s in self.sensors]
        self.topics = sorted(set(names), key=lambda t: (DOMAINS.index(t.split(".")[0]), t))
        code = {t: k for k, t in enumerate(self.topics)}
        self._topic_code = np.array([code[t] for t in names], np.int32)
        self._topic_seq = dict.fromkeys(self.topics, 0)
        if self.config.playing:
            self.source.play()
        self.requests = ReplayRequests(self)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx = zmq.Context()
        self._pub = self._ctx.socket(zmq.PUB)
        self._router = self._ctx.socket(zmq.ROUTER)
        try:
            for sock in (self._pub, self._router):
                sock.setsockopt(zmq.LINGER, 0)
            self._pub.setsockopt(zmq.SNDHWM, 10_000)
            self._router.setsockopt(zmq.MAXMSGSIZE, 4 * MAX_REQUEST_BYTES)
            self._pub.bind(self.config.pub)
            self._router.bind(self.config.rpc)
        except zmq.ZMQError:
            self._close_sockets()
            raise
        self.pub_endpoint = self._pub.getsockopt_string(zmq.LAST_ENDPOINT)
        self.rpc_endpoint = self._router.getsockopt_string(zmq.LAST_ENDPOINT)

    # --- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Run the loop in a background thread."""
        if self._thread is not None:
            raise RuntimeError("replay server already started")
        self._thread = threading.Thread(target=self.run, name="lifeline-replay", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the loop (from any thread) and close the sockets."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._close_sockets()

    def request_stop(self) -> None:
        """Ask the loop to return after its current step; safe from a signal handler."""
        self._stop.set()

    def _close_sockets(self) -> None:
        for sock in (self._pub, self._router):
            if not sock.closed:
                sock.close(linger=0)
        if not self._ctx.closed:
            self._ctx.term()

    # --- the loop -------------------------------------------------------------------------------

    def run(self, duration_s: float | None = None) -> None:
        """Tick the replay clock, publish and answer requests until stop()."""
        period = 1.0 / self.config.tick_hz
        poller = zmq.Poller()
        poller.register(self._router, zmq.POLLIN)
        began = last = time.monotonic()
        next_tick, next_beat = last, last
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                if duration_s is not None and now - began >= duration_s:
                    break
                if now >= next_tick:
                    self.max_lag_s = max(self.max_lag_s, now - next_tick)
                    self._tick(now - last)
                    last = now
                    next_tick = max(next_tick + period, now)
                if now >= next_beat:
                    self._heartbeat()
                    next_beat = now + self.heartbeat_period_s
                wait = max(0.0, min(next_tick, next_beat) - time.monotonic())
                if poller.poll(wait * 1000.0):
                    self._serve()
        except Exception:
            log.exception("replay loop failed")
            raise

    def _tick(self, elapsed_s: float) -> None:
        source = self.source
        was_playing = source.playing
        source.tick(elapsed_s)
        if was_playing and not source.playing and self.loop:
            self.seek(source.start_us)
            source.play()

    def seek(self, t_us: int) -> int:
        """Jump to t (loop thread only): a new instance, so every console handshakes again."""
        self._muted(True)
        try:
            reached = self.source.seek(t_us)
        finally:
            self._muted(False)
        self.instance = uuid.uuid4().hex
        self._heartbeat()  # consoles learn of the new instance now, not a period later
        return reached

    def _muted(self, muted: bool) -> None:
        self._model.muted = self.book.muted = muted

    # --- publications ---------------------------------------------------------------------------

    def _publish_samples(self, batch: TelemetryBatch) -> None:
        """One frame per topic (and per MAX_PUBLISH_SAMPLES), in the batch's time order."""
        codes = self._topic_code[batch.channels.astype(np.intp)]
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(self.topics) + 1))
        for k, topic in enumerate(self.topics):
            sel = order[bounds[k] : bounds[k + 1]]
            for lo in range(0, sel.size, MAX_PUBLISH_SAMPLES):
                part = sel[lo : lo + MAX_PUBLISH_SAMPLES]
                seq = self._topic_seq[topic]
                self._topic_seq[topic] = seq + 1
                self._send(
                    encode_telemetry(
                        topic,
                        seq,
                        batch.channels[part],
                        batch.times_us[part],
                        batch.values[part],
                        batch.quality[part],
                    )
                )
                self.samples_sent += int(part.size)

    def _publish_change(self, change: AlarmChange) -> None:
        self._send(encode_alarm_change(change))
        self.alarm_changes_sent += 1

    def _heartbeat(self) -> None:
        seq = self.book.seq or 0
        period_ms = round(self.heartbeat_period_s * 1e3)
        beat = Heartbeat(self.source.now_us, self.instance, seq, period_ms)
        self._send(encode_heartbeat(beat))

    def _send(self, frames: list[bytes]) -> None:
        with contextlib.suppress(zmq.Again):  # PUB drops for slow subscribers; so do we
            self._pub.send_multipart(frames, zmq.NOBLOCK)

    # --- requests -------------------------------------------------------------------------------

    def _serve(self) -> None:
        for _ in range(MAX_REQUESTS_PER_WAKE):
            try:
                frames = self._router.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            if len(frames) < 2:
                continue
            try:
                req = decode_request(frames[-1])
            except Exception as exc:  # garbage may provoke anything; never fatal
                log.warning("bad request dropped: %s", exc)
                continue
            reply = self.requests.handle(req)
            with contextlib.suppress(zmq.ZMQError):
                self._router.send_multipart([*frames[:-1], encode_reply(reply)], zmq.NOBLOCK)

    def state(self) -> dict[str, Any]:
        """The replay's position and clock, as the `replay` op returns it."""
        s = self.source
        return {
            "start": s.start_us,
            "end": s.end_us,
            "now": s.now_us,
            "speed": s.speed,
            "playing": s.playing,
            "loop": self.loop,
            "instance": self.instance,
            "training_session": self.config.training_session,
        }
