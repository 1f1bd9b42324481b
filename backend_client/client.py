"""The live source: ZeroMQ SUB + DEALER on one I/O thread, feeding the ConsoleModel.

The GUI thread never touches a socket: it calls request(), which queues the request (bounded)
and wakes the I/O thread through an inproc socket; replies resolve concurrent Futures.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any

import zmq

from backend_client.city import city_from_dict, sensors_from_list
from backend_client.codec import (
    ProtocolError,
    UnknownMessageError,
    alarm_from_wire,
    decode_publication,
    decode_reply,
    encode_request,
    telemetry_header,
)
from backend_client.model.console_model import ConsoleModel
from backend_client.model.replay_clock import ReplayClock
from backend_client.protocol import (
    ALARM_TOPIC,
    DOWN_AFTER_S,
    HEARTBEAT_TOPIC,
    PROTOCOL_VERSION,
    STALE_AFTER_S,
    TELEMETRY_PREFIX,
    AlarmChange,
    Heartbeat,
    LinkState,
    Op,
    Reply,
    Request,
    Role,
    TelemetryBatch,
)
from backend_client.security import CurveClientKeys, curve_client
from backend_client.topics import telemetry_subscriptions

log = logging.getLogger(__name__)

MAX_QUEUED_REQUESTS = 256
DRAIN_PER_POLL = 2000
# A drain decodes telemetry in arrival order up to IN_ORDER_FRAMES; frames still waiting after that
# mean the client is behind, so of the rest it keeps the newest (at most MAX_BACKLOG_FRAMES /
# MAX_BACKLOG_BYTES) and sheds the oldest: counted from their headers, never decoded.
IN_ORDER_FRAMES = 256
MAX_BACKLOG_FRAMES = 64
MAX_BACKLOG_BYTES = 32 * 1024 * 1024


# operator actions: a read-only seat (the wall role) is refused them here already, before the
# backend's policy refuses them again
ACTION_OPS = frozenset(
    {Op.ACK, Op.SHELVE, Op.UNSHELVE, Op.SUPPRESS, Op.OUT_OF_SERVICE, Op.VERIFY, Op.DISPATCH,
     Op.FEEDBACK, Op.CLOSE, Op.SCENARIO}
)  # fmt: skip


class RequestError(RuntimeError):
    """The backend refused a request, or it timed out; the message is meant for the operator."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is at this seat; carried with every request so the backend can check it."""

    user: str = "operator"
    role: str = "supervisor"
    host: str = "localhost"


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Endpoints and limits of the live link."""

    pub: str = "tcp://127.0.0.1:5556"
    rpc: str = "tcp://127.0.0.1:5557"
    request_timeout_s: float = 5.0
    sub_hwm: int = 2_000  # publications ZeroMQ may queue before it drops (bounded memory)
    reconnect_interval_s: float = 2.0
    # telemetry this seat shows: "gas", "gas/A1", "D03:" (backend_client/topics.py); () = all
    interests: tuple[str, ...] = ()
    curve: CurveClientKeys | None = None  # CurveZMQ keys (backend_client/security.py); None: plain

    def __post_init__(self) -> None:
        telemetry_subscriptions(self.interests)  # a bad interest fails here, naming itself


@dataclass(slots=True)
class _Pending:
    future: Future
    deadline: float
    internal: Callable[[Reply], None] | None = None


class BackendClient:
    """Keeps the model in step with one backend: handshake, telemetry, alarms, resync, reconnect."""

    def __init__(
        self,
        model: ConsoleModel,
        config: ClientConfig,
        identity: Identity | None = None,
        context: zmq.Context | None = None,
    ) -> None:
        self.model = model
        self.config = config
        self.identity = identity or Identity()
        self._ctx = context or zmq.Context.instance()
        self._queue: queue.Queue[tuple[Request, Future]] = queue.Queue(MAX_QUEUED_REQUESTS)
        self._wake_address = f"inproc://lifeline-client-{uuid.uuid4().hex}"
        self._wake_lock = threading.Lock()
        self._wake_front: zmq.Socket | None = None
        self._running = threading.Event()
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._pending: dict[str, _Pending] = {}
        self._dealer: zmq.Socket | None = None
        self._instance = ""
        self._replay_clock: ReplayClock | None = None  # set while the backend is a replay server
        self._city_instance = ""
        self._telemetry_seq: dict[str, int] = {}
        self._last_heartbeat = 0.0
        self._handshake_sent = 0.0
        self._ready = False
        self._snapshot_in_flight = False
        self._log_budget = 20
        self._session = ""  # login token (backends with user accounts); set on the I/O thread
        self._session_instance = ""
        self._credentials: tuple[str, str, str] | None = None

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the I/O thread; returns at once (the link state tells how it goes)."""
        if self._thread is not None:
            return
        wake_back = self._ctx.socket(zmq.PAIR)
        wake_back.bind(self._wake_address)
        self._wake_front = self._ctx.socket(zmq.PAIR)
        self._wake_front.connect(self._wake_address)
        self._running.set()
        self._thread = threading.Thread(
            target=self._run, args=(wake_back,), name="lifeline-client", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the I/O thread and close its sockets; pending requests fail."""
        if self._thread is None:
            return
        self._running.clear()
        self._wake()
        self._thread.join(timeout)
        self._thread = None
        with self._wake_lock:
            if self._wake_front is not None:
                self._wake_front.close(linger=0)
                self._wake_front = None

    # --- requests (any thread) -----------------------------------------------------------------

    def request(self, op: str, args: dict[str, Any] | None = None) -> Future:
        """Send a request; the Future resolves to the reply's result or raises RequestError."""
        future: Future = Future()
        if self.identity.role == Role.WALL and op in ACTION_OPS:
            future.set_exception(RequestError(f"a wall seat is read-only: it may not {op}"))
            return future
        request = Request(
            id=f"{uuid.uuid4().hex[:8]}-{next(self._ids)}",
            op=op,
            args=args or {},
            user=self.identity.user,
            role=self.identity.role,
            host=self.identity.host,
        )
        try:
            self._queue.put_nowait((request, future))
        except queue.Full:
            future.set_exception(RequestError("too many requests waiting; try again"))
            return future
        self._wake()
        return future

    def login(self, user: str, password: str, seat: str = "desk") -> Future:
        """Open a session on a backend with user accounts; later requests carry its token, and
        the client logs in again when the backend restarts. Resolves to {session, role, ...}."""
        self._credentials = (user, password, seat)
        sent = self.request(Op.LOGIN, {"user": user, "password": password, "seat": seat})
        done: Future = Future()  # resolved only once the session is in place
        sent.add_done_callback(lambda f: self._on_login_future(f, done))
        return done

    def _on_login_future(self, sent: Future, done: Future) -> None:
        error = sent.exception()
        if error is not None:
            done.set_exception(error)
            return
        self._on_login(Reply("", True, result=sent.result()))
        done.set_result(sent.result())

    def _on_login(self, reply: Reply) -> None:
        result = reply.result if reply.ok and isinstance(reply.result, dict) else {}
        token = result.get("session")
        if isinstance(token, str):
            self._session, self._session_instance = token, self._instance
            # the seat now is who the backend says: the window's role checks follow the login
            user, role = result.get("user"), result.get("role")
            if isinstance(user, str) and isinstance(role, str):
                self.identity = Identity(user, role, self.identity.host)
        else:
            log.warning("login refused: %s", reply.error)

    def acknowledge(self, alarm_id: str, comment: str = "") -> Future:
        """Acknowledge an alarm; the command id makes a retry harmless."""
        return self.request(
            Op.ACK, {"alarm": alarm_id, "comment": comment, "cmd": uuid.uuid4().hex}
        )

    def shelve(self, alarm_id: str, minutes: float, comment: str) -> Future:
        return self.request(Op.SHELVE, {"alarm": alarm_id, "minutes": minutes, "comment": comment})

    def unshelve(self, alarm_id: str, comment: str = "") -> Future:
        """Unshelve by hand; the alarm comes back acknowledged if still active."""
        return self.request(
            Op.UNSHELVE, {"alarm": alarm_id, "comment": comment, "cmd": uuid.uuid4().hex}
        )

    def suppress(
        self,
        comment: str,
        on: bool = True,
        alarm_id: str | None = None,
        compartment: str | None = None,
    ) -> Future:
        """Suppress by design (one alarm, or a compartment under maintenance), or lift it."""
        target = {"alarm": alarm_id} if compartment is None else {"compartment": compartment}
        return self.request(Op.SUPPRESS, {**target, "on": on, "comment": comment})

    def set_out_of_service(self, alarm_id: str, comment: str, on: bool = True) -> Future:
        """Take an alarm out of service (on=True) or put it back."""
        return self.request(Op.OUT_OF_SERVICE, {"alarm": alarm_id, "on": on, "comment": comment})

    def verify(self, alarm_id: str, real: bool, note: str = "") -> Future:
        """Closed loop: record whether an acknowledged alarm is real or false."""
        args = {"alarm": alarm_id, "real": real, "note": note, "cmd": uuid.uuid4().hex}
        return self.request(Op.VERIFY, args)

    def dispatch(self, alarm_id: str, note: str = "", unit: str | None = None) -> Future:
        """Closed loop: push a verified alarm to its responsible unit (or the unit named)."""
        args = {"alarm": alarm_id, "note": note, "unit": unit, "cmd": uuid.uuid4().hex}
        return self.request(Op.DISPATCH, args)

    def feedback(self, alarm_id: str, note: str) -> Future:
        """Closed loop: record what the dispatched unit reports."""
        return self.request(Op.FEEDBACK, {"alarm": alarm_id, "note": note, "cmd": uuid.uuid4().hex})

    def close_alarm(self, alarm_id: str, note: str = "") -> Future:
        """Closed loop: close and archive."""
        return self.request(Op.CLOSE, {"alarm": alarm_id, "note": note, "cmd": uuid.uuid4().hex})

    def fetch_policy(self) -> Future:
        """The backend's role policy and what this seat's role may do."""
        return self.request(Op.POLICY)

    def export_history(
        self, alarm_id: str | None = None, since_us: int | None = None, until_us: int | None = None
    ) -> Future:
        """The closed-loop archive as CSV text ({csv, rows})."""
        return self.request(Op.EXPORT, {"alarm": alarm_id, "since": since_us, "until": until_us})

    def start_scenario(self, name: str, params: dict[str, Any] | None = None) -> Future:
        return self.request(Op.SCENARIO, {"name": name, "params": params or {}})

    def history(self, channels: list[int], t0_us: int, t1_us: int) -> Future:
        return self.request(Op.HISTORY, {"channels": channels, "t0": t0_us, "t1": t1_us})

    def _wake(self) -> None:
        with self._wake_lock:
            if self._wake_front is not None:
                self._wake_front.send(b"", zmq.NOBLOCK)

    # --- the I/O thread ------------------------------------------------------------------------

    def _run(self, wake: zmq.Socket) -> None:
        sub, dealer = self._open()
        poller = zmq.Poller()
        poller.register(wake, zmq.POLLIN)
        poller.register(sub, zmq.POLLIN)
        poller.register(dealer, zmq.POLLIN)
        self._send_hello(dealer)
        try:
            while self._running.is_set():
                events = dict(poller.poll(100))
                if wake in events:
                    self._drain_wake(wake)
                    self._send_queued(dealer)
                if sub in events:
                    self._drain_sub(sub)
                if dealer in events:
                    self._drain_dealer(dealer)
                self._housekeeping()
                if self.model.link == LinkState.DOWN and self._due_reconnect():
                    poller.unregister(sub)
                    poller.unregister(dealer)
                    sub.close(linger=0)
                    dealer.close(linger=0)
                    sub, dealer = self._open()
                    poller.register(sub, zmq.POLLIN)
                    poller.register(dealer, zmq.POLLIN)
                    self.model.stats.reconnects += 1
                    self._send_hello(dealer)
        except Exception:  # the I/O thread must report, never vanish silently
            log.exception("client I/O thread failed")
            self.model.set_link(LinkState.DOWN)
            raise
        finally:
            for pending in self._pending.values():
                if not pending.future.done():
                    pending.future.set_exception(RequestError("client stopped"))
            sub.close(linger=0)
            dealer.close(linger=0)
            wake.close(linger=0)

    def _open(self) -> tuple[zmq.Socket, zmq.Socket]:
        sub = self._ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.RCVHWM, self.config.sub_hwm)
        sub.setsockopt(zmq.LINGER, 0)
        # alarms and heartbeats always: one alarm stream, its seq numbers tell of losses
        telemetry = telemetry_subscriptions(self.config.interests)
        for topic in (*telemetry, ALARM_TOPIC, HEARTBEAT_TOPIC):
            sub.setsockopt(zmq.SUBSCRIBE, topic)
        dealer = self._ctx.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        if self.config.curve is not None:  # an unknown key: the backend never completes a link
            curve_client(sub, self.config.curve)
            curve_client(dealer, self.config.curve)
        sub.connect(self.config.pub)
        dealer.connect(self.config.rpc)
        self._dealer = dealer
        self._ready = False
        self._snapshot_in_flight = False
        self.model.alarms.invalidate()
        return sub, dealer

    def _due_reconnect(self) -> bool:
        wait = max(self.config.reconnect_interval_s, self.config.request_timeout_s)
        return time.monotonic() - self._handshake_sent > wait

    @staticmethod
    def _drain_wake(wake: zmq.Socket) -> None:
        while True:
            try:
                wake.recv(zmq.NOBLOCK)
            except zmq.Again:
                return

    def _send_queued(self, dealer: zmq.Socket) -> None:
        while True:
            try:
                request, future = self._queue.get_nowait()
            except queue.Empty:
                return
            self._send(dealer, request, future)

    def _send(
        self,
        dealer: zmq.Socket,
        request: Request,
        future: Future,
        internal: Callable[[Reply], None] | None = None,
    ) -> None:
        deadline = time.monotonic() + self.config.request_timeout_s
        if self._session and not request.session and request.op != Op.LOGIN:
            request = replace(request, session=self._session)
        self._pending[request.id] = _Pending(future, deadline, internal)
        try:
            dealer.send(encode_request(request), zmq.NOBLOCK)
        except zmq.Again:
            del self._pending[request.id]
            future.set_exception(RequestError("backend not reachable; request not sent"))

    def _internal(self, dealer: zmq.Socket, op: str, handler: Callable[[Reply], None]) -> None:
        request = Request(
            id=f"sys-{next(self._ids)}",
            op=op,
            args={"protocol": PROTOCOL_VERSION, "client": "lifeline-console"}
            if op == Op.HELLO
            else {},
            user=self.identity.user,
            role=self.identity.role,
            host=self.identity.host,
        )
        self._send(dealer, request, Future(), handler)

    def _relogin(self, dealer: zmq.Socket) -> None:
        assert self._credentials is not None
        user, password, seat = self._credentials
        self._session = ""
        request = Request(
            id=f"sys-{next(self._ids)}",
            op=Op.LOGIN,
            args={"user": user, "password": password, "seat": seat},
            user=user,
            role=self.identity.role,
            host=self.identity.host,
        )
        self._send(dealer, request, Future(), self._on_login)

    # --- handshake: hello -> city -> alarms snapshot -------------------------------------------

    def _send_hello(self, dealer: zmq.Socket) -> None:
        self._handshake_sent = time.monotonic()
        self._internal(dealer, Op.HELLO, lambda reply: self._on_hello(dealer, reply))

    def _on_hello(self, dealer: zmq.Socket, reply: Reply) -> None:
        if not reply.ok or not isinstance(reply.result, dict):
            self._fail(f"hello refused: {reply.error}")
            return
        try:
            sensors = sensors_from_list(reply.result.get("channels"), "hello catalog")
            instance = str(reply.result.get("instance", ""))
        except ValueError as exc:
            self._fail(f"hello catalog invalid: {exc}")
            return
        self._instance = instance
        if self._credentials and self._session_instance not in ("", instance):
            self._relogin(dealer)  # a restarted backend has forgotten the session
        self._last_heartbeat = time.monotonic()
        self.model.set_catalog(sensors, str(reply.result.get("server", "")))
        self._follow_replay(reply.result.get("replay"))
        if self._city_instance != instance:
            self._internal(dealer, Op.CITY, self._on_city)
        self._request_snapshot(dealer)

    def _follow_replay(self, replay: object) -> None:
        """On a replay server (hello says so) draw its time, not the wall clock, and start the
        buffers afresh on each new instance (a seek); back on a live backend, the wall clock."""
        if not isinstance(replay, dict):
            if self._replay_clock is not None:
                self._replay_clock = None
                self.model.clock = time.time
            return
        self.model.reset_buffers()
        if self._replay_clock is None:
            self._replay_clock = ReplayClock()
            self.model.clock = self._replay_clock
        now = replay.get("now")
        self._replay_clock.reset(now if isinstance(now, int) else None)

    @property
    def link_up(self) -> LinkState:
        """What a healthy link shows: LIVE, or REPLAY when the backend replays a recording."""
        return LinkState.LIVE if self._replay_clock is None else LinkState.REPLAY

    def _on_city(self, reply: Reply) -> None:
        if not reply.ok or not isinstance(reply.result, dict):
            self._fail(f"city refused: {reply.error}")
            return
        try:
            self.model.set_city(city_from_dict(reply.result.get("city"), "backend city"))
            self._city_instance = self._instance
        except ValueError as exc:
            self._fail(str(exc))

    def _request_snapshot(self, dealer: zmq.Socket) -> None:
        if self._snapshot_in_flight:
            return
        self._snapshot_in_flight = True
        self.model.alarms.invalidate()
        self.model.stats.resyncs += 1
        self._internal(dealer, Op.ALARMS, self._on_snapshot)

    def _on_snapshot(self, reply: Reply) -> None:
        self._snapshot_in_flight = False
        if not reply.ok or not isinstance(reply.result, dict):
            self._fail(f"alarm snapshot refused: {reply.error}")
            return
        try:
            seq = reply.result["seq"]
            raw = reply.result["alarms"]
            if not isinstance(seq, int) or not isinstance(raw, list):
                raise ProtocolError("alarm snapshot: seq must be int and alarms a list")
            alarms = [alarm_from_wire(a, f"alarm snapshot[{i}]") for i, a in enumerate(raw)]
        except (KeyError, ProtocolError) as exc:
            self._fail(f"alarm snapshot invalid: {exc}")
            return
        self.model.alarms.apply_snapshot(seq, alarms)
        self._ready = True
        self.model.set_link(self.link_up)

    def _fail(self, message: str) -> None:
        self.model.stats.last_error = message
        self._count_bad(message)

    # --- publications ----------------------------------------------------------------------------

    def _drain_sub(self, sub: zmq.Socket) -> None:
        """Take what is queued: in order while keeping up, then only the newest (see above)."""
        backlog: deque[list] = deque()
        backlog_bytes = 0
        decoded = 0
        for _ in range(DRAIN_PER_POLL):
            try:  # zero-copy: the body is decoded straight from ZeroMQ's buffer
                frames = [sub.recv(zmq.NOBLOCK, copy=False).buffer]
            except zmq.Again:
                break
            while sub.rcvmore:
                frames.append(sub.recv(copy=False).buffer)
            if not (
                len(frames) == 2 and bytes(frames[0][: len(TELEMETRY_PREFIX)]) == TELEMETRY_PREFIX
            ):
                self._on_publication(frames)
                continue
            if decoded < IN_ORDER_FRAMES:
                decoded += 1
                self._on_publication(frames)
                continue
            backlog.append(frames)
            backlog_bytes += len(frames[1])
            while len(backlog) > MAX_BACKLOG_FRAMES or (
                backlog_bytes > MAX_BACKLOG_BYTES and len(backlog) > 1
            ):
                oldest = backlog.popleft()
                backlog_bytes -= len(oldest[1])
                self._shed(oldest)
        for frames in backlog:
            self._on_publication(frames)

    def _on_publication(self, frames: list[bytes]) -> None:
        try:
            message = decode_publication(frames)
        except UnknownMessageError as exc:
            self.model.stats.unknown += 1
            self._count_bad(str(exc), malformed=False)
            return
        except ProtocolError as exc:
            self._count_bad(str(exc))
            return
        if isinstance(message, TelemetryBatch):
            self._on_telemetry(message)
        elif isinstance(message, AlarmChange):
            self.model.stats.count(0)
            if not self.model.alarms.apply_change(message) and self._ready:
                self._request_snapshot(self._dealer)
        elif isinstance(message, Heartbeat):
            self._on_heartbeat(message)

    def _shed(self, frames: list[bytes]) -> None:
        """Drop a telemetry frame unread but count its samples; its seq is not a network loss."""
        try:
            topic, seq, n = telemetry_header(frames)
        except ProtocolError as exc:
            self._count_bad(str(exc))
            return
        self.model.stats.shed_samples += n
        self._track_seq(topic, seq)

    def _on_telemetry(self, batch: TelemetryBatch) -> None:
        self._track_seq(batch.topic, batch.seq)
        self.model.ingest(batch)

    def _track_seq(self, topic: str, seq: int) -> None:
        last = self._telemetry_seq.get(topic)
        if last is not None and seq > last + 1:
            self.model.stats.lost_batches += seq - last - 1
        self._telemetry_seq[topic] = seq

    def _on_heartbeat(self, beat: Heartbeat) -> None:
        self.model.stats.count(0)
        self._last_heartbeat = time.monotonic()
        if self._instance and beat.instance != self._instance:
            log.warning(
                "backend restarted (instance %s -> %s); resyncing", self._instance, beat.instance
            )
            self._ready = False
            self._telemetry_seq.clear()
            self._send_hello(self._dealer)
            return
        if self._replay_clock is not None:
            self._replay_clock.heartbeat(beat.time_us, beat.period_ms)
        if self._ready and self.model.alarms.behind(beat.alarm_seq):
            self._request_snapshot(self._dealer)
        if self._ready:
            self.model.set_link(self.link_up)

    # --- replies and timeouts --------------------------------------------------------------------

    def _drain_dealer(self, dealer: zmq.Socket) -> None:
        for _ in range(DRAIN_PER_POLL):
            try:
                frames = dealer.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            try:
                reply = decode_reply(frames[-1])
            except ProtocolError as exc:
                self._count_bad(str(exc))
                continue
            pending = self._pending.pop(reply.id, None)
            if pending is None:
                continue  # a reply after its timeout, or from before a reconnect
            if pending.internal is not None:
                pending.internal(reply)
            elif reply.ok:
                pending.future.set_result(reply.result)
            else:
                pending.future.set_exception(RequestError(reply.error or "request refused"))

    def _housekeeping(self) -> None:
        now = time.monotonic()
        for request_id, pending in list(self._pending.items()):
            if now > pending.deadline:
                del self._pending[request_id]
                if pending.internal is not None:  # a handshake step went unanswered
                    self._snapshot_in_flight = False
                    self._ready = False
                    self.model.set_link(LinkState.DOWN)
                elif not pending.future.done():
                    pending.future.set_exception(RequestError("backend did not answer in time"))
        self.model.stats.decay()
        if not self._ready:
            if self.model.link == LinkState.CONNECTING and now - self._handshake_sent > 10:
                self.model.set_link(LinkState.DOWN)
            return
        age = now - self._last_heartbeat
        if age > DOWN_AFTER_S:
            self.model.set_link(LinkState.DOWN)
            self._ready = False
        elif age > STALE_AFTER_S:
            self.model.set_link(LinkState.STALE)

    def _count_bad(self, message: str, malformed: bool = True) -> None:
        if malformed:
            self.model.stats.malformed += 1
        if self._log_budget > 0:
            self._log_budget -= 1
            log.warning("dropped: %s", message)
        elif self.model.stats.malformed % 1000 == 0:
            log.warning(
                "dropped %d malformed frames so far; latest: %s",
                self.model.stats.malformed,
                message,
            )
