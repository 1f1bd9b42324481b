"""The ROUTER side of the backend: decode a request, run its op, encode the reply; never raise.

Frames are [identity, ...envelope..., body]; the reply repeats the envelope so REQ and DEALER
clients both get their answer. A body that is not a valid request gets an error reply when its
id can still be read, and is otherwise counted and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
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
from simulator.alarm_requests import AlarmOps
from simulator.alarms import AlarmError
from simulator.citydoc import city_to_dict
from simulator.policy import PolicyError
from simulator.request_args import RequestError
from simulator.request_args import arg as _arg
from simulator.scenario_file import library_names, library_path, load_scenario_file
from simulator.scenarios import SCENARIOS, ScenarioError, list_scenarios

if TYPE_CHECKING:
    from simulator.server import SimServer

log = logging.getLogger(__name__)

MAX_HISTORY_SAMPLES = 3_500_000  # 17 bytes each: 59.5 MB, inside the 64 MiB reply limit
MAX_HISTORY_CHANNELS = 10_000


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


def _worth_logging(bad_so_far: int) -> bool:
    """The first 20 bad requests, then every 1000th: a flood of garbage must not flood the log."""
    return bad_so_far <= 20 or bad_so_far % 1000 == 0


class RequestHandler:
    """Answers the protocol's ops from the server's state (runs on the server's loop thread)."""

    def __init__(self, server: SimServer) -> None:
        self.server = server
        self._city_doc = city_to_dict(server.city)  # built once: a large city takes a while
        self.alarm_ops = AlarmOps(server)
        self.ops: dict[str, Callable[[Request], Any]] = {
            Op.HELLO: self.hello,
            Op.CITY: self.city,
            Op.ALARMS: self.alarms,
            Op.HISTORY: self.history,
            Op.SCENARIOS: self.scenarios,
            Op.SCENARIO: self.scenario,
            **self.alarm_ops.ops(),
            **server.access.ops(),
        }

    def handle_frames(self, frames: list[bytes]) -> list[bytes] | None:
        """The reply frames for one received message, or None when nothing can be answered."""
        if len(frames) < 2:
            self.server.stats.bad_requests += 1
            if _worth_logging(self.server.stats.bad_requests):
                log.warning("request with %d frame(s) dropped: no envelope", len(frames))
            return None
        envelope, body = frames[:-1], frames[-1]
        try:
            req = decode_request(body)
        except Exception as exc:  # ProtocolError, or anything else garbage may provoke
            self.server.stats.bad_requests += 1
            ident = recover_id(body)
            if _worth_logging(self.server.stats.bad_requests):
                log.warning(
                    "bad request (id %r; %d so far): %s", ident, self.server.stats.bad_requests, exc
                )
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
        access = self.server.access
        try:
            req = access.admit(req)  # with user accounts: act as the session's user and role
            reply = Reply(req.id, True, result=op(req))
        except (RequestError, AlarmError, PolicyError, ScenarioError) as exc:
            reply = Reply(req.id, False, error=str(exc))
        except Exception as exc:
            log.exception("request %s (%s) failed", req.id, req.op)
            reply = Reply(req.id, False, error=f"internal error: {type(exc).__name__}: {exc}")
        access.record(req, reply)  # operator actions and logins go into the audit log
        return reply

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
        """Every alarm not NORMAL or with an open loop, the seq it is consistent with, the flood."""
        engine = self.server.alarms
        seq, records = engine.snapshot()
        return {
            "seq": seq,
            "alarms": [alarm_to_wire(r) for r in records],
            "flood": engine.flood,
            "alarm_rate": engine.alarm_rate,
            "suppressed": sorted(engine.sensors[c].id for c in engine.suppressed),
            "out_of_service": sorted(engine.sensors[c].id for c in engine.out_of_service),
        }

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
        """The scenarios this backend can run, with their parameters' defaults; then the files
        of the scenario library (no parameters; `exercise` says whether they are drills)."""
        listed: list[dict[str, Any]] = [
            {
                "name": s.name,
                "title": s.title,
                "description": s.description,
                "params": dict(s.defaults),
            }
            for s in list_scenarios()
        ]
        for name in library_names():
            path = library_path(name)
            try:
                spec = load_scenario_file(path) if path else None
            except ScenarioError as exc:
                log.warning("scenario library: %s", exc)
                continue
            if spec is not None:
                listed.append({"name": name, "title": spec.title, "description": spec.description,
                               "params": {}, "file": True, "exercise": spec.exercise})  # fmt: skip
        return {"scenarios": listed}

    def scenario(self, req: Request) -> dict[str, Any]:
        """Start a scenario now, or a scenario library file once its models have run; exercise
        marks it a drill (a library file may be one already)."""
        name = _arg(req, "name", str)
        params = _arg(req, "params", dict, {})
        exercise = _arg(req, "exercise", bool, False)
        path = None if name in SCENARIOS else library_path(name)
        if path is None:
            summary = self.server.start_scenario(name, params, exercise)
            return {"started": name, "summary": summary, "exercise": exercise}
        if params:
            raise RequestError(f"scenario: the scenario file {name!r} takes no params")
        spec = load_scenario_file(path)
        if exercise and not spec.exercise:
            spec = replace(spec, exercise=True)
        summary = self.server.schedule_scenario_file(spec)
        return {"started": name, "summary": summary, "exercise": spec.exercise}
