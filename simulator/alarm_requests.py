"""The alarm ops of the request socket: role policy first, then the engine, then save and publish.

Every operator step is checked against the role carried by the request, whatever console (or
script) sent it; the engine's state is flushed to the state store before the reply goes out, so
an acknowledged reply is never lost by a restart.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from backend_client.codec import alarm_to_wire
from backend_client.protocol import AlarmChange, Op, Request
from simulator.alarm_state import Actor
from simulator.alarms import AlarmError, Outcome
from simulator.history_csv import steps_to_csv
from simulator.request_args import RequestError, arg

if TYPE_CHECKING:
    from simulator.server import SimServer

REMEMBERED_COMMANDS = 1024
LOOP_STEPS = (Op.VERIFY, Op.DISPATCH, Op.FEEDBACK, Op.CLOSE)


def _actor(req: Request) -> Actor:
    return Actor(req.user, req.role, req.host)


class AlarmOps:
    """Answers ack, shelve, unshelve, suppress, out_of_service, the loop steps, policy, export."""

    def __init__(self, server: SimServer) -> None:
        self.server = server
        self._commands: OrderedDict[str, str] = OrderedDict()  # op:cmd -> alarm id

    def ops(self) -> dict[str, Callable[[Request], Any]]:
        """Op name to handler, for the request dispatcher."""
        table: dict[str, Callable[[Request], Any]] = {
            Op.ACK: self.ack,
            Op.SHELVE: self.shelve,
            Op.UNSHELVE: self.unshelve,
            Op.SUPPRESS: self.suppress,
            Op.OUT_OF_SERVICE: self.out_of_service,
            Op.POLICY: self.policy,
            Op.EXPORT: self.export,
        }
        return table | {op: self.loop_step for op in LOOP_STEPS}

    # --- helpers ------------------------------------------------------------------------------

    def _authorise(self, req: Request, alarm: str, comment: str) -> None:
        """Refuse what the role may not do at the alarm's level (PolicyError)."""
        level = self.server.alarms.level_of(alarm)
        if level == 0:
            raise AlarmError(f"alarm {alarm!r} has never been raised")
        self.server.policy.check(req.role, str(req.op), level, comment)

    def _commit(self, changes: list[AlarmChange]) -> None:
        """Save, then publish: what a client has been told is already on disk."""
        self.server.store.flush(self.server.alarms)
        for change in changes:
            self.server.publish_alarm(change)

    def _once(self, req: Request, alarm: str, run: Callable[[], Outcome]) -> dict[str, Any]:
        """Run an operator command once per cmd id; a retry gets the current record, no action."""
        cmd = arg(req, "cmd", str, "")
        key = f"{req.op}:{cmd}"
        if cmd and key in self._commands:
            change = self.server.alarms.current(alarm)
        else:
            outcome = run()
            self._commit([outcome.change] if outcome.new else [])
            change = outcome.change
            if cmd:
                self._commands[key] = alarm
                while len(self._commands) > REMEMBERED_COMMANDS:
                    self._commands.popitem(last=False)
        return {"seq": change.seq, "alarm": alarm_to_wire(change.alarm)}

    # --- ops --------------------------------------------------------------------------------

    def ack(self, req: Request) -> dict[str, Any]:
        """Acknowledge one alarm as the requesting user (opens its closed loop)."""
        alarm = arg(req, "alarm", str)
        comment = arg(req, "comment", str, "")
        self._authorise(req, alarm, comment)
        engine, now = self.server.alarms, self.server.clock()
        return self._once(
            req,
            alarm,
            lambda: engine.acknowledge(alarm, req.user, req.role, req.host, comment, now),
        )

    def shelve(self, req: Request) -> dict[str, Any]:
        """Shelve one alarm for some minutes."""
        alarm = arg(req, "alarm", str)
        minutes = arg(req, "minutes", (int, float))
        comment = arg(req, "comment", str, "")
        self._authorise(req, alarm, comment)
        engine, now = self.server.alarms, self.server.clock()
        return self._once(
            req,
            alarm,
            lambda: engine.shelve(alarm, minutes, comment, now, req.user, req.role, req.host),
        )

    def unshelve(self, req: Request) -> dict[str, Any]:
        """Unshelve by hand: the alarm comes back acknowledged."""
        alarm = arg(req, "alarm", str)
        comment = arg(req, "comment", str, "")
        self._authorise(req, alarm, comment)
        engine, now = self.server.alarms, self.server.clock()
        return self._once(req, alarm, lambda: engine.unshelve(alarm, _actor(req), comment, now))

    def loop_step(self, req: Request) -> dict[str, Any]:
        """verify {real}, dispatch {unit}, feedback or close, each with a note."""
        alarm = arg(req, "alarm", str)
        note = arg(req, "note", str, "")
        real = arg(req, "real", bool) if req.op == Op.VERIFY else None
        unit = arg(req, "unit", str, None) if req.op == Op.DISPATCH else None
        self._authorise(req, alarm, note)
        engine, now = self.server.alarms, self.server.clock()
        return self._once(
            req,
            alarm,
            lambda: engine.loop_step(alarm, str(req.op), _actor(req), note, now, real, unit),
        )

    def _channels(self, req: Request) -> tuple[list[int], int]:
        """Channels named by `alarm` or `compartment`, and the level the policy checks."""
        alarm = arg(req, "alarm", str, None)
        compartment = arg(req, "compartment", str, None)
        engine = self.server.alarms
        if (alarm is None) == (compartment is None):
            raise RequestError(f"{req.op}: give exactly one of 'alarm' and 'compartment'")
        if alarm is not None:
            return [engine.channel_of(alarm)], engine.level_of(alarm)
        channels = [i for i, s in enumerate(engine.sensors) if s.compartment == compartment]
        if not channels:
            raise RequestError(f"{req.op}: no sensor is in compartment {compartment!r}")
        return channels, 0

    def _hide(self, req: Request, channels: list[int], level: int) -> dict[str, Any]:
        on = arg(req, "on", bool, True)
        comment = arg(req, "comment", str, "")
        self.server.policy.check(req.role, str(req.op), level, comment)
        engine, now = self.server.alarms, self.server.clock()
        hide = engine.suppress if req.op == Op.SUPPRESS else engine.set_out_of_service
        changes = hide(channels, on, _actor(req), comment, now)
        self._commit(changes)
        return {
            "seq": engine.seq,
            "alarms": [alarm_to_wire(c.alarm) for c in changes],
            "channels": [engine.sensors[c].id for c in channels],
        }

    def suppress(self, req: Request) -> dict[str, Any]:
        """Suppress by design, e.g. a compartment's alarms while maintenance is logged in it."""
        return self._hide(req, *self._channels(req))

    def out_of_service(self, req: Request) -> dict[str, Any]:
        """Take one alarm out of service, or put it back (on = false)."""
        alarm = arg(req, "alarm", str)
        engine = self.server.alarms
        return self._hide(req, [engine.channel_of(alarm)], engine.level_of(alarm))

    def policy(self, req: Request) -> dict[str, Any]:
        """The role policy, and what the asking role may do, so a console can hide the rest."""
        policy = self.server.policy
        allowed = {a: sorted(lv) for a, lv in policy.roles.get(req.role, {}).items() if lv}
        return policy.to_wire() | {"role": req.role, "allowed": allowed}

    def export(self, req: Request) -> dict[str, Any]:
        """The closed-loop archive as CSV text, optionally of one alarm and a time range."""
        alarm = arg(req, "alarm", str, None)
        if alarm is not None:
            self.server.alarms.channel_of(alarm)
        steps = self.server.store.steps(
            alarm_id=alarm,
            since_us=arg(req, "since", int, None),
            until_us=arg(req, "until", int, None),
        )
        return {"csv": steps_to_csv(steps), "rows": len(steps)}
