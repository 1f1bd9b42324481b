"""The reference backend: a simulated city speaking protocol v1 over ZeroMQ (PUB + ROUTER).

One loop, in its own thread or the caller's, ticks at 10 Hz: calm signals plus scenario offsets
are published per domain on "tel.<domain>" (and on "tel.<domain>.<area>" for areas someone
subscribed to by area), checked by the alarm engine (changes go out on "alm"), kept in a bounded
history, and a heartbeat goes out every second. Between ticks the loop answers requests; all
state is touched by that one thread, other threads hand it work through a queue.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import zmq

from backend_client.city import City, sensor_to_dict
from backend_client.codec import (
    encode_alarm_change,
    encode_heartbeat,
    encode_telemetry,
)
from backend_client.protocol import (
    HEARTBEAT_PERIOD_S,
    MAX_REQUEST_BYTES,
    AlarmChange,
    Heartbeat,
)
from backend_client.security import CurveConfig, CurveConfigError, CurveGate
from backend_client.topic_plan import TopicPlan
from simulator.access import DESK_IDLE_S, AccessGate
from simulator.alarm_settings import city_settings
from simulator.alarm_store import AlarmStore
from simulator.alarms import AlarmEngine
from simulator.audit import AuditLog
from simulator.history import HistoryStore
from simulator.policy import RolePolicy, load_policy
from simulator.requests import RequestHandler
from simulator.scenario_file import ScenarioSpec
from simulator.scenario_file_compile import CompiledScenario, check_targets, compile_scenario
from simulator.scenarios import ScenarioRunner, get_scenario
from simulator.signals import EmissionSchedule, SignalModel
from simulator.users import UserStore

log = logging.getLogger(__name__)

SERVER_NAME = "lifeline-sim 0.1.0"
DEFAULT_ENDPOINT = "tcp://127.0.0.1:*"
MAX_LAG_S = 2.0  # further behind than this, the loop skips ticks instead of bursting
MAX_REQUESTS_PER_WAKE = 64


@dataclass
class ServerStats:
    """Counters a test or an operator can read to see what the loop has done."""

    ticks: int = 0
    batches: int = 0
    samples: int = 0
    alarm_changes: int = 0
    heartbeats: int = 0
    requests: int = 0
    bad_requests: int = 0
    dropped_replies: int = 0
    dropped_publications: int = 0
    skipped_ticks: int = 0


def now_us() -> int:
    """Wall-clock time in integer microseconds since the Unix epoch (UTC)."""
    return time.time_ns() // 1000


class SimServer:
    """Publishes a simulated city and answers its requests; start()/stop() or run()."""

    def __init__(
        self,
        city: City,
        pub: str = DEFAULT_ENDPOINT,
        rpc: str = DEFAULT_ENDPOINT,
        seed: int = 0,
        tick_hz: float = 10.0,
        history_s: float = 7200.0,
        state_db: str | Path | None = None,
        policy: RolePolicy | None = None,
        curve: CurveConfig | None = None,
        users_db: str | Path | None = None,
        audit_db: str | Path | None = None,
        desk_idle_s: float = DESK_IDLE_S,
    ) -> None:
        self.city = city
        self.name = SERVER_NAME
        self.clock: Callable[[], int] = now_us
        self.instance = str(uuid.uuid4())
        self.tick_hz = tick_hz
        self.t0_us = 0  # time of tick 0, set when the loop starts
        self.stats = ServerStats()
        rates = np.array([s.rate_hz for s in city.sensors], dtype=float)
        self.signals = SignalModel(city.sensors, seed=seed)
        self.schedule = EmissionSchedule(rates, tick_hz)
        self.scenarios = ScenarioRunner(city)
        self.alarms = AlarmEngine(city.sensors, city_settings(city))
        self.policy = policy or load_policy()
        self.store = AlarmStore(state_db)  # in memory when None: nothing survives a restart
        restored = self.store.load_into(self.alarms)
        if restored:
            log.info("restored %d alarms from %s", restored, state_db)
        self.history = HistoryStore(rates, history_s)
        self.catalog = [sensor_to_dict(s) for s in city.sensors]
        # tel.<domain>, and tel.<domain>.<area> for areas subscribed to by area (topic_plan.py)
        self.topic_plan = TopicPlan(city.sensors)
        self.topic_seq: dict[str, int] = {}
        # user accounts only with users_db; the audit log always (in memory without audit_db)
        users = UserStore(users_db) if users_db is not None else None
        self.access = AccessGate(users, AuditLog(audit_db), desk_idle_s)
        self.requests = RequestHandler(self)
        self._work: queue.Queue[Callable[[], None]] = queue.Queue()
        self._pending: list[tuple[float, str, dict[str, Any]]] = []
        self._pending_files: list[tuple[float, CompiledScenario]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx = zmq.Context()
        self._pub = self._ctx.socket(zmq.XPUB)  # a PUB that tells us what is subscribed
        self._router = self._ctx.socket(zmq.ROUTER)
        self._gate: CurveGate | None = None  # CurveZMQ with an allowlist (backend_client/security)
        try:
            if curve is not None:
                if curve.server is None:
                    raise CurveConfigError(f"{curve.source}: the backend needs a [server] table")
                self._gate = CurveGate(self._ctx, curve.server)
                self._gate.serve(self._pub)
                self._gate.serve(self._router)
            for sock in (self._pub, self._router):
                sock.setsockopt(zmq.LINGER, 0)
            self._pub.setsockopt(zmq.SNDHWM, 10_000)
            self._router.setsockopt(zmq.MAXMSGSIZE, 4 * MAX_REQUEST_BYTES)
            self._pub.bind(pub)
            self._router.bind(rpc)
        except (zmq.ZMQError, CurveConfigError):
            self._close_sockets()
            self.store.close()
            self._close_access()
            raise
        self.pub_endpoint = self._pub.getsockopt_string(zmq.LAST_ENDPOINT)
        self.rpc_endpoint = self._router.getsockopt_string(zmq.LAST_ENDPOINT)

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Run the loop in a background thread."""
        if self._thread is not None:
            raise RuntimeError("server already started")
        self._thread = threading.Thread(target=self.run, name="lifeline-sim", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the loop (from any thread) and close the sockets."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._close_sockets()
        if self._thread is None or not self._thread.is_alive():
            self.store.flush(self.alarms)
            self.store.close()
            self._close_access()

    def _close_access(self) -> None:
        self.access.audit.close()
        if self.access.users is not None:
            self.access.users.close()

    def reload_allowlist(self) -> None:
        """Re-read the curve allowlist folder (a console key added or removed); no-op if plain."""
        if self._gate is not None:
            self._gate.reload()

    def request_stop(self) -> None:
        """Ask the loop to finish its current step and return; safe from a signal handler."""
        self._stop.set()

    def __enter__(self) -> SimServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _close_sockets(self) -> None:
        for sock in (self._pub, self._router):
            if not sock.closed:
                sock.close(linger=0)
        if self._gate is not None:
            self._gate.stop()
            self._gate = None
        if not self._ctx.closed:
            self._ctx.term()

    def schedule_scenario(
        self, name: str, params: dict[str, Any] | None = None, delay_s: float = 0.0
    ) -> None:
        """Start a scenario delay_s from now (from any thread); an unknown name raises at once."""
        get_scenario(name)
        due = time.monotonic() + delay_s
        self._work.put(lambda: self._pending.append((due, name, dict(params or {}))))

    def schedule_scenario_file(self, spec: ScenarioSpec, delay_s: float = 0.0) -> str:
        """Run a scenario file's field models in a worker thread, then start it delay_s after
        it was scheduled (from any thread); an id the city lacks raises ScenarioError at once."""
        check_targets(self.city, spec)
        due = time.monotonic() + delay_s

        def build() -> None:
            try:
                compiled = compile_scenario(self.city, spec)
            except Exception as exc:  # a model that fails must not take the server down
                log.error("scenario file %s could not be prepared: %s", spec.source, exc)
                return
            self._work.put(lambda: self._pending_files.append((due, compiled)))

        threading.Thread(target=build, name=f"scenario {spec.name}", daemon=True).start()
        return f"{spec.title or spec.name}: preparing" + (" (EXERCISE)" if spec.exercise else "")

    def start_compiled(self, compiled: CompiledScenario) -> str:
        """Start a prepared scenario file's runs now (loop thread only); returns its summary."""
        now_s = self.clock() / 1e6
        for timed in compiled.runs:
            self.scenarios.add(timed.run, now_s + timed.at_s, compiled.spec.exercise)
        log.info("scenario file %s started: %s", compiled.spec.source, compiled.summary)
        return compiled.summary

    # --- the loop ---------------------------------------------------------------------------

    def run(self, duration_s: float | None = None) -> None:
        """Tick, publish and answer requests until stop() (or for duration_s seconds)."""
        period = 1.0 / self.tick_hz
        start_mono = time.monotonic()
        self.t0_us = self.clock()
        end = None if duration_s is None else start_mono + duration_s
        poller = zmq.Poller()
        poller.register(self._router, zmq.POLLIN)
        poller.register(self._pub, zmq.POLLIN)
        tick = 0
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                if end is not None and now >= end:
                    break
                self._drain_work(now)
                due = start_mono + tick * period
                if now >= due:
                    if now - due > MAX_LAG_S:
                        behind = int((now - start_mono) / period) - tick
                        self.stats.skipped_ticks += behind
                        log.warning("loop %.1f s behind; skipping %d ticks", now - due, behind)
                        tick += behind
                    self._tick(tick)
                    tick += 1
                    continue
                if poller.poll(max(0.0, (due - now) * 1000.0)):
                    self._serve()
                    self._drain_subscriptions()
        except Exception:
            log.exception("simulator loop failed")
            raise

    def _drain_work(self, now: float) -> None:
        while True:
            try:
                self._work.get_nowait()()
            except queue.Empty:
                break
        ready = [p for p in self._pending if p[0] <= now]
        if ready:
            self._pending = [p for p in self._pending if p[0] > now]
            for _, name, params in ready:
                try:
                    self.start_scenario(name, params)
                except ValueError as exc:
                    log.error("scenario %s could not start: %s", name, exc)
        files = [p for p in self._pending_files if p[0] <= now]
        if files:
            self._pending_files = [p for p in self._pending_files if p[0] > now]
            for _, compiled in files:
                self.start_compiled(compiled)

    def start_scenario(
        self, name: str, params: dict[str, Any] | None = None, exercise: bool = False
    ) -> str:
        """Start a scenario now (loop thread only); returns its summary, raises ScenarioError."""
        run = self.scenarios.start(name, params, self.clock() / 1e6, exercise)
        log.info("scenario %s started: %s", name, run.summary)
        return run.summary

    def _tick(self, tick: int) -> None:
        t_us = self.t0_us + round(tick * 1e6 / self.tick_hz)
        t_s = t_us / 1e6
        channels, offsets_s = self.schedule.due(tick)
        self.signals.advance(t_s)
        values, quality = self.signals.sample(channels, t_s + offsets_s)
        if self.scenarios.active:
            values += self.scenarios.offsets_at(channels, t_s + offsets_s)
            self.alarms.exercise = self.scenarios.exercise_channels(t_s)
        elif self.alarms.exercise.any():
            self.alarms.exercise[:] = False
        times_us = t_us + np.round(offsets_s * 1e6).astype(np.int64)
        self._publish_telemetry(channels, times_us, values, quality)
        self.history.append(channels, times_us, values, quality)
        changes = self.alarms.evaluate(channels, values, quality, times_us)
        changes += self.alarms.advance(t_us)
        self.store.flush(self.alarms)
        for change in changes:
            self.publish_alarm(change)
        if tick % max(1, round(self.tick_hz * HEARTBEAT_PERIOD_S)) == 0:
            period_ms = round(HEARTBEAT_PERIOD_S * 1e3)
            engine = self.alarms
            beat = Heartbeat(
                t_us, self.instance, engine.seq, period_ms, engine.flood, engine.alarm_rate
            )
            self._send(encode_heartbeat(beat))
            self.stats.heartbeats += 1
        self.stats.ticks += 1

    def _publish_telemetry(
        self, channels: np.ndarray, times_us: np.ndarray, values: np.ndarray, quality: np.ndarray
    ) -> None:
        self._drain_subscriptions()
        topics = self.topic_plan.topics
        codes = self.topic_plan.codes[channels]
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(topics) + 1))
        for k, topic in enumerate(topics):
            sel = order[bounds[k] : bounds[k + 1]]
            if sel.size == 0:
                continue
            seq = self.topic_seq.get(topic, 0)
            self.topic_seq[topic] = seq + 1
            frames = encode_telemetry(
                topic, seq, channels[sel], times_us[sel], values[sel], quality[sel]
            )
            self._send(frames)
            self.stats.batches += 1
            self.stats.samples += int(sel.size)

    def _drain_subscriptions(self) -> None:
        """Follow what subscribers ask for, so areas asked for by area get topics of their own."""
        for _ in range(MAX_REQUESTS_PER_WAKE):
            try:
                message = self._pub.recv(zmq.NOBLOCK)
            except zmq.Again:
                return
            if self.topic_plan.on_subscription(message):
                log.debug("telemetry topics now: %s", ", ".join(self.topic_plan.topics))

    def publish_alarm(self, change: AlarmChange) -> None:
        """Publish one alarm change (loop thread only)."""
        a = change.alarm
        log.debug("alarm %s seq %d: %s level %d active %s", a.id, change.seq, a.state, a.level,
                  a.active)  # fmt: skip
        self._send(encode_alarm_change(change))
        self.stats.alarm_changes += 1

    def _send(self, frames: list[bytes]) -> None:
        try:
            self._pub.send_multipart(frames, zmq.NOBLOCK)
        except zmq.Again:  # PUB drops for slow subscribers itself; Again only at the socket's HWM
            self.stats.dropped_publications += 1

    # --- requests ---------------------------------------------------------------------------

    def _serve(self) -> None:
        for _ in range(MAX_REQUESTS_PER_WAKE):
            try:
                frames = self._router.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            self.stats.requests += 1
            reply = self.requests.handle_frames(frames)
            if reply is None:
                continue
            try:
                self._router.send_multipart(reply, zmq.NOBLOCK)
            except zmq.ZMQError as exc:
                self.stats.dropped_replies += 1
                log.warning("reply dropped: %s", exc)
