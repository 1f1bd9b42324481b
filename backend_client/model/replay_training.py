"""A replay seat's answers to the requests a live seat sends its backend: history comes from the
recording, an acknowledgement becomes a training action in the training log, and nothing at all
is sent to a backend. Pure Python (no Qt): the console hands it to the views as their client."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from backend_client.client import Identity, RequestError
from backend_client.codec import alarm_to_wire, pack_samples
from backend_client.model.console_model import ConsoleModel
from backend_client.model.replay_timeline import clock_text
from backend_client.protocol import AlarmRecord, AlarmState, AlarmStep, LoopStage, Op
from backend_client.recording.reader import RecordingReader

TRAINING_NOTE = "[training]"


class TrainingStore(Protocol):
    """What the seat needs of backend_client.recording.training.TrainingLog."""

    def start_session(self, trainee: str, incident_id: Any, t0_us: int, t1_us: int) -> int: ...
    def record_ack(
        self, session_id: int, alarm_id: str, user: str, replay_us: int, comment: str = ""
    ) -> Any: ...


@dataclass(frozen=True, slots=True)
class TraineeAck:
    """One acknowledgement the trainee made during the replay."""

    alarm_id: str
    level: int
    raised_us: int
    replay_us: int
    comment: str


class ReplaySeat:
    """The client the views get in replay: the AlarmSteps protocol, answered without a backend."""

    def __init__(
        self,
        model: ConsoleModel,
        reader: RecordingReader,
        now_us: Callable[[], int],
        identity: Identity,
        log: TrainingStore | None = None,
    ) -> None:
        self.model = model
        self.reader = reader
        self.now_us = now_us
        self.identity = identity
        self.log = log
        self.session_id: int | None = None
        self.range: tuple[Any, int, int] | None = None  # (incident id or None, t0, t1)
        self.acks: dict[str, TraineeAck] = {}  # this session's, by alarm id
        self.on_ack: list[Callable[[TraineeAck], None]] = []  # called on the caller's thread
        self._io = ThreadPoolExecutor(1, thread_name_prefix="replay-history")

    # --- lifecycle (what a BackendClient has) --------------------------------------------------

    def start(self) -> None:
        """Nothing to connect to."""

    def stop(self) -> None:
        self._io.shutdown(wait=False, cancel_futures=True)

    # --- the training session ------------------------------------------------------------------

    def set_range(self, incident_id: Any, t0_us: int, t1_us: int) -> None:
        """A new replay range is a new training session (started at the first acknowledgement)."""
        self.range = (incident_id, int(t0_us), int(t1_us))
        self.session_id = None
        self.acks = {}

    def _session(self) -> int | None:
        if self.log is None or self.range is None:
            return None
        if self.session_id is None:
            incident_id, t0, t1 = self.range
            self.session_id = self.log.start_session(self.identity.user, incident_id, t0, t1)
        return self.session_id

    # --- closed-loop steps: acknowledgement is trained, the rest is refused ---------------------

    def acknowledge(self, alarm_id: str, comment: str = "") -> Future:
        """Record a training acknowledgement at the replay time; no backend hears of it."""
        alarm = self.model.alarms.get(alarm_id)
        if alarm is None:
            return _refused(f"{alarm_id} is not in the replayed alarm book at this time")
        if alarm.state not in (AlarmState.UNACK, AlarmState.RTN_UNACK):
            return _refused(f"{alarm_id} was already acknowledged at this replay time")
        if alarm_id in self.acks:
            return _refused(f"{alarm_id} was acknowledged in this training session already")
        at = int(self.now_us())
        session = self._session()
        if session is not None and self.log is not None:
            self.log.record_ack(session, alarm_id, self.identity.user, at, comment)
        ack = TraineeAck(alarm_id, alarm.level, alarm.raised_us, at, comment)
        self.acks[alarm_id] = ack
        for listener in self.on_ack:
            listener(ack)
        return _done(
            {
                "alarm": alarm_to_wire(self.trainee_view(alarm, ack)),
                "training": True,
                "message": f"TRAINING: {alarm_id} acknowledged at replay "
                f"{clock_text(at)} (recorded for scoring, not sent).",
            }
        )

    def trainee_view(self, alarm: AlarmRecord, ack: TraineeAck) -> AlarmRecord:
        """The record as the trainee's acknowledgement left it, tagged as training."""
        note = f"{TRAINING_NOTE} {ack.comment}".strip()
        step = AlarmStep(
            "ack", self.identity.user, "trainee", self.identity.host, ack.replay_us, note
        )
        return dataclasses.replace(
            alarm,
            state=AlarmState.ACKED,
            ack_user=f"{self.identity.user} (training)",
            ack_comment=note,
            ack_us=ack.replay_us,
            changed_us=max(alarm.changed_us + 1, ack.replay_us),  # newer than the book's
            loop=LoopStage.ACKED,
            steps=(*alarm.steps, step),
        )

    def _not_trained(self, action: str) -> Future:
        return _refused(f"replay training scores acknowledgements only; {action} is not sent")

    def shelve(self, alarm_id: str, minutes: float, comment: str) -> Future:
        return self._not_trained("shelve")

    def unshelve(self, alarm_id: str, comment: str = "") -> Future:
        return self._not_trained("unshelve")

    def verify(self, alarm_id: str, real: bool, note: str = "") -> Future:
        return self._not_trained("verify")

    def dispatch(self, alarm_id: str, note: str = "", unit: str | None = None) -> Future:
        return self._not_trained("dispatch")

    def feedback(self, alarm_id: str, note: str) -> Future:
        return self._not_trained("feedback")

    def close_alarm(self, alarm_id: str, note: str = "") -> Future:
        return self._not_trained("close")

    def fetch_policy(self) -> Future:
        return _refused("no backend in replay: the bundled policy applies")

    def export_history(
        self, alarm_id: str | None = None, since_us: int | None = None, until_us: int | None = None
    ) -> Future:
        return _refused("no backend in replay: export the closed-loop history from a live seat")

    # --- reads, served from the recording -------------------------------------------------------

    def history(self, channels: list[int], t0_us: int, t1_us: int) -> Future:
        """Recorded samples before the replay time (never ahead of it), read off the GUI thread."""
        until = min(int(t1_us), int(self.now_us()) + 1)

        def read() -> dict[str, Any]:
            batch = self.reader.samples(channels, int(t0_us), max(int(t0_us), until))
            return {
                "samples": pack_samples(batch.channels, batch.times_us, batch.values, batch.quality)
            }

        return self._io.submit(read)

    def request(self, op: str, args: dict[str, Any] | None = None) -> Future:
        """The alarm snapshot at the replay time; any other request has no backend to go to."""
        if op == Op.ALARMS:
            at = int(self.now_us())
            return self._io.submit(
                lambda: {"alarms": [alarm_to_wire(a) for a in self.reader.alarms_at(at).values()]}
            )
        return _refused(f"no backend in replay: {op} is not sent")


def _done(result: Any) -> Future:
    future: Future = Future()
    future.set_result(result)
    return future


def _refused(message: str) -> Future:
    future: Future = Future()
    future.set_exception(RequestError(message))
    return future
