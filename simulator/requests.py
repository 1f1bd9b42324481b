"""The ROUTER side of the backend: decode a request, run its op, encode the reply; never raise.

Frames are [identity, ...envelope..., body]; the reply repeats the envelope so REQ and DEALER
clients both get their answer. A body that is not a valid request gets an error reply when its
id can still be read, and is otherwise counted and logged.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgpack

from backend_client.codec import (
    alarm_to_wire,
    decode_request,
    encode_reply,
    pack_samples,
)
from backend_client.protocol import (
    MAX_REQUEST_BYTES,
    MAX_STRING_CHARS,
    PROTOCOL_VERSION,
    Op,
    Reply,
    Request,
)
from simulator.alarms import AlarmError, Outcome
from simulator.citydoc import city_to_dict
from simulator.scenarios import ScenarioError, list_scenarios

if TYPE_CHECKING:
    from simulator.server import SimServer

log = logging.getLogger(__name__)

MAX_HISTORY_SAMPLES = 3_500_000  # 17 bytes each: 59.5 MB, inside the 64 MiB reply limit
MAX_HISTORY_CHANNELS = 10_000
REMEMBERED_COMMANDS = 1024


class RequestError(ValueError):
    """A request whose arguments do not fit its op; becomes an error reply."""


def _arg(req: Request, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
    if key not in req.args or req.args[key] is None:
        if default is ...:
            raise RequestError(f"{req.op}: missing argument {key!r}")
        return default
    value = req.args[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise RequestError(f"{req.op}: argument {key!r} must be {names}")
    if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
        raise RequestError(f"{req.op}: argument {key!r} is too long")
    return value


def recover_id(body: bytes) -> str | None:
    """The id of a body that failed strict decoding, if it can be read at all."""
    try:
        raw = msgpack.unpackb(
            body,
            raw=False,
            max_str_len=MAX_REQUEST_BYTES,
            max_bin_len=MAX_REQUEST_BYTES,
            max_array_len=10_000,
            max_map_len=10_000,
        )
    except Exception:  # any garbage may come in; msgpack raises many types
        return None
    ident = raw.get("id") if isinstance(raw, dict) else None
    return ident if isinstance(ident, str) and len(ident) <= MAX_STRING_CHARS else None


class RequestHandler:
    """Answers the protocol's ops from the server's state (runs on the server's loop thread)."""

    def __init__(self, server: SimServer) -> None:
        self.server = server
        self._city_doc = city_to_dict(server.city)  # built once: a large city takes a while
        self._commands: OrderedDict[str, str] = OrderedDict()  # op:cmd -> alarm id
        self.ops: dict[str, Callable[[Request], Any]] = {
            Op.HELLO: self.hello,
            Op.CITY: self.city,
            Op.ALARMS: self.alarms,
            Op.ACK: self.ack,
            Op.SHELVE: self.shelve,
            Op.HISTORY: self.history,
            Op.SCENARIOS: self.scenarios,
            Op.SCENARIO: self.scenario,
        }

    def handle_frames(self, frames: list[bytes]) -> list[bytes] | None:
        """The reply frames for one received message, or None when nothing can be answered."""
        if len(frames) < 2:
            self.server.stats.bad_requests += 1
            log.warning("request with %d frame(s) dropped: no envelope", len(frames))
            return None
        envelope, body = frames[:-1], frames[-1]
        try:
            req = decode_request(body)
        except Exception as exc:  # ProtocolError, or anything else garbage may provoke
            self.server.stats.bad_requests += 1
            ident = recover_id(body)
            log.warning("bad request (id %r): %s", ident, exc)
            if ident is None:
                return None
            return [*envelope, encode_reply(Reply(ident, False, error=str(exc)))]
        reply = self.dispatch(req)
        try:
            data = encode_reply(reply)
        except Exception as exc:  # a result msgpack cannot pack is a bug; still answer
            log.exception("could not encode the reply to %s", req.op)
            data = encode_reply(Reply(req.id, False, error=f"could not encode reply: {exc}"))
        return [*envelope, data]

    def dispatch(self, req: Request) -> Reply:
        """Run one request's op; every failure becomes ok=false with a readable error."""
        op = self.ops.get(req.op)
        if op is None:
            return Reply(req.id, False, error=f"unknown op {req.op!r}")
        try:
            return Reply(req.id, True, result=op(req))
        except (RequestError, AlarmError, ScenarioError) as exc:
            return Reply(req.id, False, error=str(exc))
        except Exception as exc:
            log.exception("request %s (%s) failed", req.id, req.op)
            return Reply(req.id, False, error=f"internal error: {type(exc).__name__}: {exc}")

    # --- ops --------------------------------------------------------------------------------

    def hello(self, req: Request) -> dict[str, Any]:
        """Who we are, the time, the alarm sequence and the channel catalog."""
        s = self.server
        return {
            "protocol": PROTOCOL_VERSION,
            "server": s.name,
            "instance": s.instance,
            "city": s.city.name,
            "time": s.clock(),
            "alarm_seq": s.alarms.seq,
            "channels": s.catalog,
        }

    def city(self, req: Request) -> dict[str, Any]:
        """The whole city document."""
        return {"city": self._city_doc}

    def alarms(self, req: Request) -> dict[str, Any]:
        """Every alarm not NORMAL, with the sequence number the snapshot is consistent with."""
        seq, records = self.server.alarms.snapshot()
        return {"seq": seq, "alarms": [alarm_to_wire(r) for r in records]}

    def _once(self, req: Request, alarm: str, run: Callable[[], Outcome]) -> dict[str, Any]:
        """Run an operator command once per cmd id; a retry gets the current record, no action."""
        cmd = _arg(req, "cmd", str, "")
        key = f"{req.op}:{cmd}"
        if cmd and key in self._commands:
            change = self.server.alarms.current(alarm)
        else:
            outcome = run()
            if outcome.new:
                self.server.publish_alarm(outcome.change)
            change = outcome.change
            if cmd:
                self._commands[key] = alarm
                while len(self._commands) > REMEMBERED_COMMANDS:
                    self._commands.popitem(last=False)
        return {"seq": change.seq, "alarm": alarm_to_wire(change.alarm)}

    def ack(self, req: Request) -> dict[str, Any]:
        """Acknowledge one alarm as the requesting user."""
        alarm = _arg(req, "alarm", str)
        comment = _arg(req, "comment", str, "")
        engine, now = self.server.alarms, self.server.clock()
        return self._once(
            req,
            alarm,
            lambda: engine.acknowledge(alarm, req.user, req.role, req.host, comment, now),
        )

    def shelve(self, req: Request) -> dict[str, Any]:
        """Shelve one alarm for some minutes."""
        alarm = _arg(req, "alarm", str)
        minutes = _arg(req, "minutes", (int, float))
        comment = _arg(req, "comment", str, "")
        engine, now = self.server.alarms, self.server.clock()
        return self._once(req, alarm, lambda: engine.shelve(alarm, minutes, comment, now, req.user))

    def history(self, req: Request) -> dict[str, Any]:
        """Stored samples of some channels with t0 <= time < t1 (microseconds UTC)."""
        channels = _arg(req, "channels", list)
        t0, t1 = _arg(req, "t0", int), _arg(req, "t1", int)
        n = len(self.server.city.sensors)
        if not 1 <= len(channels) <= MAX_HISTORY_CHANNELS:
            raise RequestError(f"history: 'channels' needs 1 to {MAX_HISTORY_CHANNELS} channels")
        bad = [c for c in channels if isinstance(c, bool) or not isinstance(c, int)]
        bad += [c for c in channels if isinstance(c, int) and not 0 <= c < n]
        if bad:
            raise RequestError(f"history: channels must be integers in 0..{n - 1}, got {bad[:5]}")
        if t1 < t0:
            raise RequestError("history: t1 is before t0")
        try:
            arrays = self.server.history.query(channels, t0, t1, MAX_HISTORY_SAMPLES)
        except ValueError as exc:
            raise RequestError(f"history: {exc}") from None
        return {"samples": pack_samples(*arrays)}

    def scenarios(self, req: Request) -> dict[str, Any]:
        """The scenarios this backend can run, with their parameters' defaults."""
        return {
            "scenarios": [
                {
                    "name": s.name,
                    "title": s.title,
                    "description": s.description,
                    "params": dict(s.defaults),
                }
                for s in list_scenarios()
            ]
        }

    def scenario(self, req: Request) -> dict[str, Any]:
        """Start a scenario now."""
        name = _arg(req, "name", str)
        params = _arg(req, "params", dict, {})
        summary = self.server.start_scenario(name, params)
        return {"started": name, "summary": summary}
