"""The closed loop after acknowledgement: verify, dispatch, feedback, close; order enforced here.

ack (opens the loop) -> verify (real or false) -> dispatch (real only) -> feedback (repeatable)
-> close. An alarm verified false may be closed at once.
"""

from __future__ import annotations

from backend_client.protocol import AlarmState, LoopStage
from simulator.alarm_state import AlarmWork


class LoopError(ValueError):
    """A closed-loop step out of order; the message says what has to come first."""


def _refuse(alarm_id: str, action: str, alarm: AlarmWork, needed: str) -> LoopError:
    stage = str(alarm.loop) or "not started"
    return LoopError(f"alarm {alarm_id!r} cannot be {action}: its loop is {stage!r}; {needed}")


def verify(alarm_id: str, alarm: AlarmWork, real: bool) -> None:
    """Record the verdict; needs an acknowledged alarm."""
    acked = alarm.loop == LoopStage.ACKED
    acked_without_loop = alarm.state == AlarmState.ACKED and not alarm.loop_open
    if not (acked or acked_without_loop):
        raise _refuse(alarm_id, "verified", alarm, "acknowledge it first")
    alarm.loop, alarm.verdict = LoopStage.VERIFIED, "real" if real else "false"


def dispatch(alarm_id: str, alarm: AlarmWork) -> None:
    """Push to the responsible unit; only an alarm verified as real."""
    if alarm.loop != LoopStage.VERIFIED or alarm.verdict != "real":
        raise _refuse(alarm_id, "dispatched", alarm, "verify it as real first")
    alarm.loop = LoopStage.DISPATCHED


def feedback(alarm_id: str, alarm: AlarmWork) -> None:
    """Record what the unit reports; after dispatch, as often as it reports."""
    if alarm.loop not in (LoopStage.DISPATCHED, LoopStage.FEEDBACK):
        raise _refuse(alarm_id, "given feedback", alarm, "dispatch it first")
    alarm.loop = LoopStage.FEEDBACK


def close(alarm_id: str, alarm: AlarmWork) -> None:
    """Close and archive; after feedback, or straight after a false verdict."""
    false_alarm = alarm.loop == LoopStage.VERIFIED and alarm.verdict == "false"
    if not (alarm.loop == LoopStage.FEEDBACK or false_alarm):
        raise _refuse(alarm_id, "closed", alarm, "record the unit's feedback (or verify it false)")
    alarm.loop = LoopStage.CLOSED
