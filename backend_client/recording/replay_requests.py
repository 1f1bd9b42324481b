"""The ROUTER side of lifeline-replay: the protocol's read ops answered from the recording at
the replay's time, operator requests refused as read only (or an ack kept as a training ack),
and the `replay` op with which a trainer steers every console of the wall."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from backend_client.codec import alarm_to_wire, pack_samples
from backend_client.protocol import MAX_STRING_CHARS, PROTOCOL_VERSION, Op, Reply, Request

if TYPE_CHECKING:
    from backend_client.recording.replay_server import ReplayServer

log = logging.getLogger(__name__)

SERVER_NAME = "lifeline-replay 0.1.0"
REPLAY_OP = "replay"
READ_ONLY = "replay: read only"
MAX_HISTORY_SAMPLES = 3_500_000  # as lifeline-sim: inside the 64 MiB reply limit
CHANGING_OPS = frozenset(
    {
        Op.SHELVE,
        Op.UNSHELVE,
        Op.SUPPRESS,
        Op.OUT_OF_SERVICE,
        Op.VERIFY,
        Op.DISPATCH,
        Op.FEEDBACK,
        Op.CLOSE,
        Op.SCENARIO,
        Op.EXPORT,
    }
)
STEP_PLAY_US = 600_000_000  # a step to an alarm this close is played through, not seeked
ACTIONS = ("state", "play", "pause", "seek", "speed", "loop", "step")


class ReplayRequestError(ValueError):
    """A request the replay server refuses; its text is the reply's error."""


class ReplayRequests:
    """Answers requests for a ReplayServer (on its loop thread, which owns the replay)."""

    def __init__(self, server: ReplayServer) -> None:
        self.server = server
        self.ops: dict[str, Callable[[Request], Any]] = {
            Op.HELLO: self._hello,
            Op.CITY: self._city,
            Op.ALARMS: self._alarms,
            Op.HISTORY: self._history,
            Op.SCENARIOS: lambda r: {"scenarios": []},
            Op.POLICY: self._policy,
            Op.ACK: self._ack,
            REPLAY_OP: self._replay,
        }

    def handle(self, req: Request) -> Reply:
        """Answer one request (loop thread only); a refusal is an error reply."""
        op = self.ops.get(req.op)
        try:
            if op is None:
                if req.op in CHANGING_OPS:
                    raise ReplayRequestError(f"{READ_ONLY}: {req.op} is not served")
                raise ReplayRequestError(f"unknown op {req.op!r}")
            return Reply(req.id, True, result=op(req))
        except ReplayRequestError as exc:
            return Reply(req.id, False, error=str(exc))
        except Exception as exc:
            log.exception("request %s (%s) failed", req.id, req.op)
            return Reply(req.id, False, error=f"internal error: {type(exc).__name__}: {exc}")

    def _hello(self, req: Request) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL_VERSION,
            "server": SERVER_NAME,
            "instance": self.server.instance,
            "city": "" if self.server.city is None else self.server.city.name,
            "time": self.server.source.now_us,
            "alarm_seq": self.server.book.seq or 0,
            "channels": self.server.catalog,
            "replay": self.server.state(),
        }

    def _city(self, req: Request) -> dict[str, Any]:
        if self.server.city_doc is None:
            raise ReplayRequestError("replay: the recording holds no city document")
        return {"city": self.server.city_doc}

    def _alarms(self, req: Request) -> dict[str, Any]:
        book = self.server.book.changes_since(None).alarms
        return {
            "seq": self.server.book.seq or 0,
            "alarms": [alarm_to_wire(a) for a in book.values() if a is not None],
            "flood": False,
            "alarm_rate": 0,
            "suppressed": [],
            "out_of_service": [],
        }

    def _history(self, req: Request) -> dict[str, Any]:
        """Recorded samples with t0 <= t < t1, within the replay's start and its now."""
        channels = _arg(req, "channels", list)
        t0, t1 = _arg(req, "t0", int), _arg(req, "t1", int)
        n = len(self.server.sensors)
        if not channels or any(
            isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < n for c in channels
        ):
            raise ReplayRequestError(f"history: channels must be integers in 0..{n - 1}")
        if t1 < t0:
            raise ReplayRequestError("history: t1 is before t0")
        lo, hi = max(t0, self.server.source.start_us), min(t1, self.server.source.now_us + 1)
        batch = self.server.source.reader.samples(channels, lo, max(lo, hi))
        if len(batch) > MAX_HISTORY_SAMPLES:
            raise ReplayRequestError(
                f"history request covers {len(batch)} samples, limit {MAX_HISTORY_SAMPLES}; "
                "ask for fewer channels or a shorter span"
            )
        return {
            "samples": pack_samples(batch.channels, batch.times_us, batch.values, batch.quality)
        }

    def _policy(self, req: Request) -> dict[str, Any]:
        allowed = {"ack": [1, 2, 3, 4]} if self.server.training is not None else {}
        return {
            "format": "lifeline-policy/1",
            "roles": {req.role: allowed} if req.role else {},
            "comment_required": {},
            "role": req.role,
            "allowed": allowed,
        }

    def _ack(self, req: Request) -> dict[str, Any]:
        """A training acknowledgement when training; the replayed book is never changed."""
        session = self.server.config.training_session
        if self.server.training is None or session is None:
            raise ReplayRequestError(f"{READ_ONLY}: acknowledgements are not taken (no training)")
        alarm_id = _arg(req, "alarm", str)
        record = self.server.book.get(alarm_id)
        if record is None:
            raise ReplayRequestError(f"replay: alarm {alarm_id!r} is not raised at this time")
        comment = _arg(req, "comment", str, "")
        self.server.training.record_ack(
            session, alarm_id, req.user, self.server.source.now_us, comment
        )
        return {"seq": self.server.book.seq or 0, "alarm": alarm_to_wire(record), "training": True}

    def _replay(self, req: Request) -> dict[str, Any]:
        """The trainer's transport: state, play, pause, seek {t}, speed {speed}, loop {on},
        step {direction: next|previous}."""
        action = _arg(req, "action", str, "state")
        if action not in ACTIONS:
            raise ReplayRequestError(f"replay: action must be one of {', '.join(ACTIONS)}")
        if action != "state" and req.role not in self.server.config.steer_roles:
            allowed = ", ".join(self.server.config.steer_roles)
            raise ReplayRequestError(f"replay: role {req.role!r} may not steer ({allowed} may)")
        s = self.server.source
        if action == "play":
            if s.now_us >= s.end_us:
                self.server.seek(s.start_us)
            s.play()
        elif action == "pause":
            s.pause()
        elif action == "seek":
            self.server.seek(_arg(req, "t", int))
        elif action == "speed":
            try:
                s.set_speed(float(_arg(req, "speed", (int, float))))
            except ValueError as exc:
                raise ReplayRequestError(f"replay: {exc}") from None
        elif action == "loop":
            self.server.loop = _arg(req, "on", bool)
        elif action == "step":
            direction = _arg(req, "direction", str, "next")
            times = s.raise_times()
            if direction == "next":
                i = bisect.bisect_right(times, s.now_us)
                if i < len(times) and times[i] - s.now_us <= STEP_PLAY_US:
                    s.advance(times[i])  # published as fast-forward: no new handshake
                elif i < len(times):
                    self.server.seek(times[i])
            elif direction == "previous":
                i = bisect.bisect_left(times, s.now_us)
                if i > 0:
                    self.server.seek(times[i - 1])
            else:
                raise ReplayRequestError("replay: direction must be next or previous")
        return self.server.state()


def _arg(req: Request, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
    """A request argument checked against kind; default when absent (required if none)."""
    value = req.args.get(key)
    if value is None:
        if default is ...:
            raise ReplayRequestError(f"{req.op}: missing argument {key!r}")
        return default
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise ReplayRequestError(f"{req.op}: argument {key!r} must be {names}")
    if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
        raise ReplayRequestError(f"{req.op}: argument {key!r} is too long")
    return value
