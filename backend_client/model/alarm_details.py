"""What the alarm details panel shows of one alarm, and which loop steps its state admits now.

The alarm book forgets an alarm once it is back to `normal`, but an acknowledged alarm keeps an
open closed loop until someone closes it; this keeps the selected alarm's newest record from
the book, from the replies to our own steps and from backend snapshots, so the panel can finish
the loop.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from backend_client.model.role_policy import RolePolicy
from backend_client.protocol import OPEN_LOOP_STAGES, AlarmRecord, AlarmState, AlarmStep, LoopStage

LEVEL_BADGE = {1: "▲ I", 2: "◆ II", 3: "■ III", 4: "● IV"}  # shape and numeral, never colour alone
STATE_TEXT = {
    AlarmState.NORMAL: "Returned to normal",
    AlarmState.UNACK: "Unacknowledged",
    AlarmState.ACKED: "Acknowledged",
    AlarmState.RTN_UNACK: "Returned, unacknowledged",
    AlarmState.SHELVED: "Shelved",
    AlarmState.SUPPRESSED: "Suppressed",
    AlarmState.OUT_OF_SERVICE: "Out of service",
}
LOOP_TEXT = {
    LoopStage.NONE: "not started",
    LoopStage.ACKED: "acknowledged",
    LoopStage.VERIFIED: "verified",
    LoopStage.DISPATCHED: "dispatched",
    LoopStage.FEEDBACK: "feedback received",
    LoopStage.CLOSED: "closed",
}
ACTION_TEXT = {
    "ack": "Acknowledged",
    "shelve": "Shelved",
    "unshelve": "Unshelved",
    "suppress": "Suppressed",
    "out_of_service": "Out of service",
    "verify": "Verified",
    "dispatch": "Dispatched",
    "feedback": "Feedback",
    "close": "Closed",
}
UNANSWERED = (AlarmState.UNACK, AlarmState.RTN_UNACK)
SHELVABLE = (AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK)


def loop_open(alarm: AlarmRecord) -> bool:
    """Acknowledged but not yet closed: the alarm still needs the panel after it clears."""
    return alarm.loop in OPEN_LOOP_STAGES


def admitted_steps(alarm: AlarmRecord) -> frozenset[str]:
    """Steps the alarm's state and loop stage admit now (the backend's order, section 4.6)."""
    steps: set[str] = set()
    if alarm.state in UNANSWERED:
        steps.add("ack")
    if alarm.state in SHELVABLE:
        steps.add("shelve")
    if alarm.state == AlarmState.SHELVED:
        steps.add("unshelve")
    acked_without_loop = alarm.state == AlarmState.ACKED and not loop_open(alarm)
    if alarm.loop == LoopStage.ACKED or acked_without_loop:
        steps.add("verify")
    if alarm.loop == LoopStage.VERIFIED and alarm.verdict == "real":
        steps.add("dispatch")
    if alarm.loop in (LoopStage.DISPATCHED, LoopStage.FEEDBACK):
        steps.add("feedback")
    if alarm.loop == LoopStage.FEEDBACK or (
        alarm.loop == LoopStage.VERIFIED and alarm.verdict == "false"
    ):
        steps.add("close")
    return frozenset(steps)


# the panel's buttons: (key, label, the protocol action it takes); verify comes as two buttons
PANEL_STEPS = (
    ("ack", "Acknowledge", "ack"),
    ("verify_real", "Verify real", "verify"),
    ("verify_false", "Verify false", "verify"),
    ("dispatch", "Dispatch", "dispatch"),
    ("feedback", "Feedback", "feedback"),
    ("close", "Close loop", "close"),
    ("shelve", "Shelve", "shelve"),
    ("unshelve", "Unshelve", "unshelve"),
)


@dataclass(frozen=True, slots=True)
class StepChoice:
    """One button: shown when the role may take it at this level, enabled when the loop admits."""

    key: str
    label: str
    action: str
    enabled: bool


def step_choices(policy: RolePolicy, role: str, alarm: AlarmRecord) -> list[StepChoice]:
    """The buttons for this role and alarm; a read-only role gets none."""
    admitted = admitted_steps(alarm)
    return [
        StepChoice(key, label, action, action in admitted)
        for key, label, action in PANEL_STEPS
        if policy.allows(role, action, alarm.level)
    ]


def local_time(time_us: int, seconds: bool = True) -> str:
    """Wire times are UTC; an operator reads local time."""
    fmt = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return datetime.fromtimestamp(time_us / 1e6).astimezone().strftime(fmt)


def step_row(step: AlarmStep) -> tuple[str, str, str, str, str, str]:
    """(time, action, user, role, host, note) of one loop step, as the history table shows it."""
    action = ACTION_TEXT.get(step.action, step.action)
    if step.detail:
        action = f"{action} ({step.detail})"
    return (local_time(step.time_us), action, step.user, step.role, step.host, step.note)


def newer(a: AlarmRecord | None, b: AlarmRecord | None) -> AlarmRecord | None:
    """The later of two records of one alarm; a tie goes to b (the fresher source)."""
    if a is None or b is None:
        return b if a is None else a
    return a if a.changed_us > b.changed_us else b


class AlarmDetails:
    """The selected alarm and its newest record, whichever source brought it."""

    def __init__(self) -> None:
        self.alarm_id: str | None = None
        self.record: AlarmRecord | None = None
        self.in_book = False  # False: the book dropped it (normal) or never had it
        self.version = 0

    def select(self, alarm_id: str | None, record: AlarmRecord | None) -> None:
        """Show another alarm (record: the book's, None if it has none)."""
        if alarm_id != self.alarm_id:
            self.alarm_id, self.record = alarm_id, None
        self.in_book = record is not None
        self.record = newer(self.record, record)
        self.version += 1

    def book_changed(self, record: AlarmRecord | None) -> bool:
        """The book's record of the selected alarm (None: gone); True when the panel must redraw.

        A record the book dropped is kept: it may still have an open loop to finish.
        """
        if self.alarm_id is None:
            return False
        self.in_book = record is not None
        if record is None:
            self.version += 1
            return True
        return self._take(record)

    def reply_arrived(self, record: AlarmRecord) -> bool:
        """A reply to one of our steps carries the record after the change."""
        return record.id == self.alarm_id and self._take(record)

    def snapshot_arrived(self, records: list[AlarmRecord]) -> bool:
        """A backend snapshot (normal alarms with an open loop included) refreshes a dropped one."""
        match = next((r for r in records if r.id == self.alarm_id), None)
        return match is not None and self._take(match)

    def _take(self, record: AlarmRecord) -> bool:
        best = newer(self.record, record)
        if best is self.record:
            return False
        self.record = best
        self.version += 1
        return True

    def needs_snapshot(self) -> bool:
        """The book dropped the alarm while its loop was open: ask the backend for the record."""
        r = self.record
        unseen = r is not None and r.state != AlarmState.NORMAL  # the normal record not yet seen
        return unseen and not self.in_book and loop_open(r)


def write_export(csv_text: str, path: str | Path) -> Path:
    """Save the backend's closed-loop archive (CSV text) as the operator asked."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text, encoding="utf-8", newline="")
    return path


def limits_text(high: tuple, low: tuple, unit: str) -> str:
    """'high I 25 · II 20 %LEL' style: every level that has a threshold, most severe first."""
    parts = []
    for side, values in (("high", high), ("low", low)):
        set_ = [f"{ROMAN_LEVEL[i + 1]} {v:g}" for i, v in enumerate(values) if v is not None]
        if set_:
            parts.append(f"{side} {' · '.join(set_)} {unit}".strip())
    return "   ".join(parts) or "no limits configured"


ROMAN_LEVEL = ("", "I", "II", "III", "IV")


class AlarmSteps(Protocol):
    """The requests the panel sends (BackendClient has them all)."""

    def acknowledge(self, alarm_id: str, comment: str = "") -> Future: ...
    def shelve(self, alarm_id: str, minutes: float, comment: str) -> Future: ...
    def unshelve(self, alarm_id: str, comment: str = "") -> Future: ...
    def verify(self, alarm_id: str, real: bool, note: str = "") -> Future: ...
    def dispatch(self, alarm_id: str, note: str = "", unit: str | None = None) -> Future: ...
    def feedback(self, alarm_id: str, note: str) -> Future: ...
    def close_alarm(self, alarm_id: str, note: str = "") -> Future: ...
    def export_history(self, alarm_id: str | None = None) -> Future: ...
    def history(self, channels: list[int], t0_us: int, t1_us: int) -> Future: ...
    def request(self, op: str, args: dict[str, Any] | None = None) -> Future: ...


def send_step(client: AlarmSteps, key: str, alarm_id: str, note: str, minutes: float) -> Future:
    """The request behind one panel button."""
    calls: dict[str, Callable[[], Future]] = {
        "ack": lambda: client.acknowledge(alarm_id, note),
        "verify_real": lambda: client.verify(alarm_id, True, note),
        "verify_false": lambda: client.verify(alarm_id, False, note),
        "dispatch": lambda: client.dispatch(alarm_id, note),
        "feedback": lambda: client.feedback(alarm_id, note),
        "close": lambda: client.close_alarm(alarm_id, note),
        "shelve": lambda: client.shelve(alarm_id, minutes, note),
        "unshelve": lambda: client.unshelve(alarm_id, note),
    }
    return calls[key]()
