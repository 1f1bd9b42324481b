"""Training on a replay: the trainee's acknowledgements, kept apart from the crew's real actions
(their own tables; never in rec_actions nor in any alarm record), and scored against the crew
that handled the incident: time to acknowledge each alarm raised in the session's range.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass

from sqlalchemy import insert, select

from backend_client.protocol import AlarmState
from backend_client.recording.reader import RecordingReader
from backend_client.recording.schema import AlarmEventRow, TrainingAckRow, TrainingSessionRow
from backend_client.recording.store import RecordingStore

ANNUNCIATED = (str(AlarmState.UNACK), str(AlarmState.RTN_UNACK))  # states that ask for an ack


class TrainingSessionNotFoundError(KeyError):
    """No training session with that id."""


@dataclass(frozen=True, slots=True)
class TrainingSession:
    """Who trains on which range (an incident's, usually)."""

    id: int
    trainee: str
    incident_id: int | None
    t0_us: int
    t1_us: int
    started_us: int


@dataclass(frozen=True, slots=True)
class TrainingAck:
    """One acknowledgement made during replay, at replay time replay_us."""

    alarm_id: str
    user: str
    replay_us: int
    comment: str


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One alarm raise in the range: how long the crew and the trainee took to acknowledge it."""

    alarm_id: str
    level: int  # most severe level of this raise, 1 = level I
    raised_us: int
    crew_delay_s: float | None  # None: the crew never acknowledged it in the recording
    trainee_delay_s: float | None  # None: the trainee missed it
    difference_s: float | None  # trainee minus crew; negative: the trainee was faster


@dataclass(frozen=True, slots=True)
class TrainingScore:
    """A session's rows, oldest raise first, and the summary a trainer reads first."""

    session: TrainingSession
    rows: tuple[ScoreRow, ...]
    acked: int  # raises the trainee acknowledged
    missed: int  # raises the trainee did not acknowledge
    unmatched: int  # trainee acks of an alarm not raised then (nothing to acknowledge)
    trainee_median_s: float | None
    crew_median_s: float | None


def _now_us() -> int:
    return time.time_ns() // 1000


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _crew_ack_us(wire: dict) -> int | None:
    """When this record says its raise was first acknowledged (ack_time, or an ack step)."""
    times = [int(s["time"]) for s in wire.get("steps") or () if s.get("action") == "ack"]
    if wire.get("ack_time") is not None:
        times.append(int(wire["ack_time"]))
    return min(times) if times else None


class TrainingLog:
    """Training sessions and their acknowledgements in a recording's database."""

    def __init__(self, store: RecordingStore) -> None:
        self.store = store

    def start_session(self, trainee: str, incident_id: int | None, t0_us: int, t1_us: int) -> int:
        """Open a session over [t0, t1] of recorded time; returns its id."""
        if t1_us < t0_us:
            raise ValueError(f"training range ends ({t1_us}) before it starts ({t0_us})")
        row = {
            "trainee": trainee,
            "incident_id": incident_id,
            "t0_us": int(t0_us),
            "t1_us": int(t1_us),
            "started_us": _now_us(),
        }
        with self.store.engine.begin() as conn:
            return int(
                conn.execute(insert(TrainingSessionRow).values(**row)).inserted_primary_key[0]
            )

    def session(self, session_id: int) -> TrainingSession:
        s = TrainingSessionRow.__table__
        with self.store.engine.connect() as conn:
            row = conn.execute(select(s).where(s.c.id == int(session_id))).first()
        if row is None:
            raise TrainingSessionNotFoundError(f"no training session {session_id}")
        return TrainingSession(
            int(row.id),
            row.trainee,
            row.incident_id,
            int(row.t0_us),
            int(row.t1_us),
            int(row.started_us),
        )

    def record_ack(
        self, session_id: int, alarm_id: str, user: str, replay_us: int, comment: str = ""
    ) -> None:
        """Keep a trainee's acknowledgement (replay_us: the replay time when it was made)."""
        self.session(session_id)
        row = {
            "session_id": int(session_id),
            "alarm_id": alarm_id,
            "user": user,
            "replay_us": int(replay_us),
            "comment": comment,
            "wall_us": _now_us(),
        }
        with self.store.engine.begin() as conn:
            conn.execute(insert(TrainingAckRow).values(**row))

    def acks(self, session_id: int) -> list[TrainingAck]:
        """The session's acknowledgements in replay-time order."""
        a = TrainingAckRow
        query = (
            select(a.alarm_id, a.user, a.replay_us, a.comment)
            .where(a.session_id == int(session_id))
            .order_by(a.replay_us, a.id)
        )
        with self.store.engine.connect() as conn:
            return [TrainingAck(r[0], r[1], int(r[2]), r[3]) for r in conn.execute(query)]

    def score(self, session_id: int, reader: RecordingReader) -> TrainingScore:
        """Each alarm raised (annunciated) in the session's range: the crew's and the trainee's
        time to acknowledge, and the summary."""
        session = self.session(session_id)
        raises = self._raises(reader.store, session.t0_us, session.t1_us)
        by_alarm: dict[str, list[int]] = {}
        for alarm_id, raised in sorted(raises, key=lambda k: k[1]):
            by_alarm.setdefault(alarm_id, []).append(raised)
        trainee: dict[tuple[str, int], int] = {}
        unmatched = 0
        for ack in self.acks(session_id):
            times = [t for t in by_alarm.get(ack.alarm_id, []) if t <= ack.replay_us]
            if not times:
                unmatched += 1
                continue
            trainee.setdefault((ack.alarm_id, times[-1]), ack.replay_us)  # the raise it answers
        rows = []
        for (alarm_id, raised), (level, crew_us) in sorted(raises.items(), key=lambda k: k[0][1]):
            crew = None if crew_us is None else (crew_us - raised) / 1e6
            mine_us = trainee.get((alarm_id, raised))
            mine = None if mine_us is None else (mine_us - raised) / 1e6
            diff = None if crew is None or mine is None else mine - crew
            rows.append(ScoreRow(alarm_id, level, raised, crew, mine, diff))
        acked = sum(r.trainee_delay_s is not None for r in rows)
        return TrainingScore(
            session,
            tuple(rows),
            acked,
            len(rows) - acked,
            unmatched,
            _median([r.trainee_delay_s for r in rows if r.trainee_delay_s is not None]),
            _median([r.crew_delay_s for r in rows if r.crew_delay_s is not None]),
        )

    @staticmethod
    def _raises(
        store: RecordingStore, t0_us: int, t1_us: int
    ) -> dict[tuple[str, int], tuple[int, int | None]]:
        """{(alarm, raised): (most severe level, first crew ack)} of annunciated raises with
        t0 <= raised <= t1; acks are looked for in every later record of the raise."""
        e = AlarmEventRow
        with store.engine.connect() as conn:
            annunciated = conn.execute(
                select(e.alarm_id, e.record).where(
                    e.state.in_(ANNUNCIATED), e.time_us >= t0_us, e.time_us <= t1_us
                )
            ).all()
            found: dict[tuple[str, int], tuple[int, int | None]] = {}
            for alarm_id, record in annunciated:
                raised = int(json.loads(record)["raised"])
                if t0_us <= raised <= t1_us:
                    found.setdefault((alarm_id, raised), (4, None))
            if not found:
                return {}
            later = conn.execute(
                select(e.alarm_id, e.level, e.record).where(
                    e.alarm_id.in_(sorted({k[0] for k in found})), e.time_us >= t0_us
                )
            ).all()
        for alarm_id, level, record in later:
            wire = json.loads(record)
            key = (alarm_id, int(wire["raised"]))
            if key not in found:
                continue
            worst, acked = found[key]
            ack = _crew_ack_us(wire)
            if ack is not None and (acked is None or ack < acked):
                acked = ack
            found[key] = (min(worst, int(level)), acked)
        return found
