"""Incidents in a recording: alarm episodes proposed automatically, bookmarks set by hand, and a
library to browse and search them (the console's incident library panel reads this).

An alarm is in an episode while its condition is active (the record's `active`, in unack, acked
or shelved: not suppressed or out of service by design); overlapping such periods of any alarms
merge into one episode. The all clear is when the last of them clears (an alarm left in rtn_unack
still waits for its ack, but its condition is over). The incident runs from the first raise minus
a margin to the all clear plus the margin, clamped to the recorded samples; an episode still open
at the end runs to the recording's end.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update

from backend_client.protocol import AlarmState
from backend_client.recording.reader import RecordingReader
from backend_client.recording.schema import AlarmEventRow, IncidentRow, MetaRow
from backend_client.recording.store import RecordingStore

KINDS = ("auto", "bookmark")
DEFAULT_MARGIN_S = 300.0
DISMISSED = "incident_dismissed:"  # + uid, in rec_meta: a proposal deleted by hand
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
INCIDENTS = IncidentRow.__table__
RAISED_STATES = frozenset({AlarmState.UNACK, AlarmState.ACKED, AlarmState.SHELVED})


class IncidentNotFoundError(KeyError):
    """No incident with that id in this recording."""


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident as the library shows it; times in us UTC of the backend's clock."""

    id: int
    kind: str  # "auto" | "bookmark"
    title: str
    notes: str
    start_us: int
    end_us: int
    max_level: int | None  # 1 = level I, most severe; None for a bookmark without alarms
    alarm_count: int
    first_alarm_us: int | None
    uid: str = ""  # stable across export and import


@dataclass(frozen=True, slots=True)
class Episode:
    """Overlapping raised periods of alarms: first raise to all clear (None: still raised)."""

    first_raise_us: int
    all_clear_us: int | None
    max_level: int
    alarm_ids: frozenset[str]
    first_text: str


def _incident(row: Any) -> Incident:
    return Incident(
        id=int(row.id),
        kind=row.kind,
        title=row.title,
        notes=row.notes,
        start_us=int(row.start_us),
        end_us=int(row.end_us),
        max_level=None if row.max_level is None else int(row.max_level),
        alarm_count=int(row.alarm_count),
        first_alarm_us=None if row.first_alarm_us is None else int(row.first_alarm_us),
        uid=row.uid,
    )


def _now_us() -> int:
    return time.time_ns() // 1000


def raised_periods(store: RecordingStore) -> list[tuple[int, int | None, int, str, str]]:
    """(raise, clear or None, most severe level, alarm id, text) of every raise recorded.

    Every recorded record counts (snapshot rows, applied and buffered changes): a duplicate only
    repeats a state already seen. One Python step per alarm event, never per sample.
    """
    query = select(
        AlarmEventRow.alarm_id, AlarmEventRow.time_us, AlarmEventRow.state, AlarmEventRow.record
    ).order_by(AlarmEventRow.alarm_id, AlarmEventRow.time_us, AlarmEventRow.seq, AlarmEventRow.id)
    periods: list[tuple[int, int | None, int, str, str]] = []
    current: str | None = None
    opened: tuple[int, int, str] | None = None  # (raise, level, text) of the open period
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    for alarm_id, time_us, state, record in rows:
        if alarm_id != current:
            if opened is not None and current is not None:
                periods.append((opened[0], None, opened[1], current, opened[2]))
            current, opened = alarm_id, None
        wire = json.loads(record)
        if state in RAISED_STATES and wire.get("active", True):
            level = int(wire.get("level") or 4)
            if opened is None:
                raised = min(int(wire.get("raised", time_us)), int(time_us))
                opened = (raised, level, str(wire.get("text") or wire.get("sensor") or alarm_id))
            else:
                opened = (opened[0], min(opened[1], level), opened[2])
        elif opened is not None:
            periods.append((opened[0], int(time_us), opened[1], alarm_id, opened[2]))
            opened = None
    if opened is not None and current is not None:
        periods.append((opened[0], None, opened[1], current, opened[2]))
    return periods


def alarm_episodes(store: RecordingStore) -> list[Episode]:
    """Raised periods merged where they overlap (or touch), oldest first."""
    episodes: list[Episode] = []
    for start, end, level, alarm_id, text in sorted(raised_periods(store), key=lambda p: p[0]):
        last = episodes[-1] if episodes else None
        if last is not None and (last.all_clear_us is None or start <= last.all_clear_us):
            was = last.all_clear_us
            clear = None if end is None or was is None else max(end, was)
            episodes[-1] = Episode(
                last.first_raise_us,
                clear,
                min(last.max_level, level),
                last.alarm_ids | {alarm_id},
                last.first_text,
            )
        else:
            episodes.append(Episode(start, end, level, frozenset({alarm_id}), text))
    return episodes


def episode_title(episode: Episode) -> str:
    """A proposed incident's title: its worst level, its first alarm, how many more."""
    more = len(episode.alarm_ids) - 1
    tail = f" (+{more} more alarm{'s' if more > 1 else ''})" if more else ""
    return f"Level {ROMAN.get(episode.max_level, '?')}: {episode.first_text}{tail}"


class IncidentLibrary:
    """Incidents of one recording: propose from alarm episodes, bookmark, edit, search, delete."""

    def __init__(self, store: RecordingStore) -> None:
        self.store = store

    def propose(
        self, reader: RecordingReader | None = None, margin_s: float = DEFAULT_MARGIN_S
    ) -> list[Incident]:
        """Incidents of every alarm episode, oldest first, saved idempotently: an episode already
        proposed (same first raise) is updated in place, keeping its title and notes; one whose
        proposal was deleted is left out."""
        reader = reader or RecordingReader(self.store)
        span = reader.time_span()
        margin = round(margin_s * 1e6)
        wanted = []
        for ep in alarm_episodes(self.store):
            start = ep.first_raise_us - margin
            end = ep.all_clear_us + margin if ep.all_clear_us is not None else None
            if span is not None:
                start = max(start, min(span[0], ep.first_raise_us))
                end = span[1] if end is None else min(end, max(span[1], ep.all_clear_us or 0))
            end = max(end if end is not None else ep.first_raise_us, start)
            wanted.append((ep, start, end))
        ids = []
        with self.store.engine.begin() as conn:
            dismissed = set(
                conn.execute(
                    select(MetaRow.key).where(MetaRow.key.startswith(DISMISSED, autoescape=True))
                ).scalars()
            )
            for ep, start, end in wanted:
                uid = f"auto-{ep.first_raise_us}"
                if DISMISSED + uid in dismissed:
                    continue
                values = {
                    "start_us": start,
                    "end_us": end,
                    "max_level": ep.max_level,
                    "alarm_count": len(ep.alarm_ids),
                    "first_alarm_us": ep.first_raise_us,
                }
                found = conn.execute(select(IncidentRow.id).where(IncidentRow.uid == uid)).scalar()
                if found is None:
                    row = {
                        **values,
                        "uid": uid,
                        "kind": "auto",
                        "title": episode_title(ep),
                        "notes": "",
                        "created_us": _now_us(),
                    }
                    found = conn.execute(insert(IncidentRow).values(**row)).inserted_primary_key[0]
                else:
                    conn.execute(update(IncidentRow).where(IncidentRow.id == found).values(values))
                ids.append(int(found))
        return [self.get(i) for i in ids]

    def bookmark(self, title: str, notes: str, start_us: int, end_us: int) -> Incident:
        """Save a time range by hand; its alarm figures come from what the recording holds."""
        if end_us < start_us:
            raise ValueError(f"bookmark ends ({end_us}) before it starts ({start_us})")
        if not title.strip():
            raise ValueError("a bookmark needs a title")
        levels, alarms, first = self._alarm_figures(int(start_us), int(end_us))
        row = {
            "uid": f"bookmark-{uuid.uuid4().hex}",
            "kind": "bookmark",
            "title": title,
            "notes": notes,
            "start_us": int(start_us),
            "end_us": int(end_us),
            "max_level": levels,
            "alarm_count": alarms,
            "first_alarm_us": first,
            "created_us": _now_us(),
        }
        with self.store.engine.begin() as conn:
            new_id = conn.execute(insert(IncidentRow).values(**row)).inserted_primary_key[0]
        return self.get(int(new_id))

    def _alarm_figures(self, t0_us: int, t1_us: int) -> tuple[int | None, int, int | None]:
        """(most severe level, alarms, first raise) of the raised periods within the range."""
        inside = [
            p
            for p in raised_periods(self.store)
            if p[0] <= t1_us and (p[1] is None or p[1] >= t0_us)
        ]
        if not inside:
            return None, 0, None
        return min(p[2] for p in inside), len({p[3] for p in inside}), min(p[0] for p in inside)

    def update(
        self, incident_id: int, title: str | None = None, notes: str | None = None
    ) -> Incident:
        """Change an incident's title and/or notes (a proposal keeps them when re-proposed)."""
        values: dict[str, str] = {}
        if title is not None:
            if not title.strip():
                raise ValueError("an incident needs a title")
            values["title"] = title
        if notes is not None:
            values["notes"] = notes
        self.get(incident_id)
        if values:
            with self.store.engine.begin() as conn:
                conn.execute(
                    update(IncidentRow).where(IncidentRow.id == incident_id).values(values)
                )
        return self.get(incident_id)

    def search(self, text: str = "", kind: str | None = None) -> list[Incident]:
        """Incidents whose title or notes contain text (case-insensitive), newest first."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"incident kind must be one of {KINDS}, got {kind!r}")
        query = select(INCIDENTS)
        needle = text.strip().lower()
        if needle:
            query = query.where(
                or_(
                    func.lower(IncidentRow.title).contains(needle, autoescape=True),
                    func.lower(IncidentRow.notes).contains(needle, autoescape=True),
                )
            )
        if kind is not None:
            query = query.where(IncidentRow.kind == kind)
        query = query.order_by(IncidentRow.start_us.desc(), IncidentRow.id.desc())
        with self.store.engine.connect() as conn:
            return [_incident(r) for r in conn.execute(query)]

    def get(self, incident_id: int) -> Incident:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(INCIDENTS).where(INCIDENTS.c.id == int(incident_id))).first()
        if row is None:
            raise IncidentNotFoundError(f"no incident {incident_id} in this recording")
        return _incident(row)

    def by_uid(self, uid: str) -> Incident | None:
        """The incident with this uid (an imported one keeps its exporter's), else None."""
        with self.store.engine.connect() as conn:
            row = conn.execute(select(INCIDENTS).where(INCIDENTS.c.uid == uid)).first()
        return None if row is None else _incident(row)

    def delete(self, incident_id: int) -> None:
        """Remove an incident; a deleted proposal stays deleted when proposals run again."""
        incident = self.get(incident_id)
        with self.store.engine.begin() as conn:
            conn.execute(delete(IncidentRow).where(IncidentRow.id == int(incident_id)))
            if incident.kind == "auto":
                self.store.set_meta(conn, DISMISSED + incident.uid, str(_now_us()))
