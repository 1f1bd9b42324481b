"""The working state of one alarm in the backend, and its plain-dict form for the state store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend_client.protocol import (
    MAX_RECORD_STEPS,
    OPEN_LOOP_STAGES,
    AlarmState,
    AlarmStep,
    LoopStage,
)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who takes an operator step: carried by every request as user, role and console host."""

    user: str = ""
    role: str = ""
    host: str = ""


@dataclass(slots=True)
class AlarmWork:
    """Mutable state of one alarm while it is not NORMAL, or while its closed loop is open."""

    channel: int
    level: int
    high: bool
    state: AlarmState
    active: bool
    value: float
    limit: float
    raised_us: int
    changed_us: int
    ack_user: str | None = None
    ack_comment: str | None = None
    ack_us: int | None = None
    shelved_until_us: int | None = None
    suppressed: bool = False
    oos: bool = False
    latched: bool = False
    chattering: bool = False
    loop: LoopStage = LoopStage.NONE
    verdict: str | None = None
    steps: list[AlarmStep] = field(default_factory=list)
    exercise: bool = False  # raised while a drill drove the channel

    def clear_ack(self) -> None:
        self.ack_user = self.ack_comment = self.ack_us = None

    def hidden_state(self) -> AlarmState | None:
        """The state that hides the alarm (out of service > suppressed > shelved), if any."""
        if self.oos:
            return AlarmState.OUT_OF_SERVICE
        if self.suppressed:
            return AlarmState.SUPPRESSED
        if self.shelved_until_us is not None:
            return AlarmState.SHELVED
        return None

    @property
    def loop_open(self) -> bool:
        return self.loop in OPEN_LOOP_STAGES

    @property
    def kept(self) -> bool:
        """Whether the engine keeps it: anything but NORMAL, or an open closed loop."""
        return self.state != AlarmState.NORMAL or self.loop_open

    def add_step(self, step: AlarmStep) -> None:
        self.steps.append(step)
        del self.steps[:-MAX_RECORD_STEPS]


def step_to_dict(step: AlarmStep) -> dict[str, Any]:
    """A step as stored (the same keys as its dataclass)."""
    return {
        "action": step.action,
        "user": step.user,
        "role": step.role,
        "host": step.host,
        "time_us": step.time_us,
        "note": step.note,
        "detail": step.detail,
    }


def work_to_dict(alarm: AlarmWork) -> dict[str, Any]:
    """An alarm's working state as a JSON-able dict for the state store."""
    out = {name: getattr(alarm, name) for name in alarm.__slots__ if name != "steps"}
    out["state"] = str(alarm.state)
    out["loop"] = str(alarm.loop)
    out["steps"] = [step_to_dict(s) for s in alarm.steps]
    return out


def work_from_dict(raw: dict[str, Any], channel: int) -> AlarmWork:
    """Rebuild a stored alarm for the channel its sensor has in this run's city."""
    fields = {k: v for k, v in raw.items() if k in AlarmWork.__slots__ and k != "steps"}
    fields["channel"] = channel
    fields["state"] = AlarmState(raw["state"])
    fields["loop"] = LoopStage(raw.get("loop", ""))
    alarm = AlarmWork(**fields)
    alarm.steps = [AlarmStep(**s) for s in raw.get("steps", [])]
    return alarm
