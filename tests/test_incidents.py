"""Incidents: alarm episodes proposed as incidents (first raise - 5 min to all clear + 5 min),
idempotently; bookmarks by hand; the library's search, edit and delete. On a recording written
through the real writer, with alarm histories chosen to pin each rule down."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from backend_client.city import demo_city_path, load_city
from backend_client.protocol import AlarmRecord, AlarmState, AlarmStep, LoopStage
from backend_client.recording.config import RecordingConfig
from backend_client.recording.events import (
    ActionEvent,
    AlarmChangeEvent,
    CatalogEvent,
    SnapshotEvent,
)
from backend_client.recording.incidents import IncidentLibrary, IncidentNotFoundError
from backend_client.recording.store import RecordingStore
from backend_client.recording.writer import RecordingWriter

T0 = 1_778_572_800_000_000  # 2026-05-12T08:00:00Z
S = 1_000_000
MARGIN = 300 * S


def alarm(alarm_id: str, level: int, raised_s: float, text: str = "") -> AlarmRecord:
    t = T0 + round(raised_s * S)
    return AlarmRecord(
        alarm_id,
        0,
        f"S-{alarm_id}",
        level,
        AlarmState.UNACK,
        True,
        9.0,
        5.0,
        t,
        t,
        text=text or f"alarm {alarm_id}",
    )


def at(record: AlarmRecord, t_s: float, state: AlarmState, **changes) -> AlarmRecord:
    return replace(record, state=state, changed_us=T0 + round(t_s * S), **changes)


def acked(record: AlarmRecord, t_s: float, state: AlarmState = AlarmState.ACKED) -> AlarmRecord:
    t = T0 + round(t_s * S)
    step = AlarmStep("ack", "crew", "supervisor", "desk1", t, "seen")
    return replace(
        record,
        state=state,
        changed_us=t,
        ack_user="crew",
        ack_us=t,
        loop=LoopStage.ACKED,
        steps=(step,),
    )


def synthetic_history() -> list[AlarmRecord]:
    """A (III) and B (II) overlap; C (IV) alone (never acknowledged: its condition clears, the
    all clear needs no ack); D (I) still raised at the end."""
    a, b = alarm("A", 3, 600, "gas high in T1"), alarm("B", 2, 800)
    c, d = alarm("C", 4, 2000), alarm("D", 1, 3000)
    return [
        a,
        acked(a, 650),
        b,
        at(a, 900, AlarmState.NORMAL, active=False),
        at(b, 1000, AlarmState.RTN_UNACK, active=False),
        acked(b, 1100, AlarmState.NORMAL),
        c,
        at(c, 2100, AlarmState.RTN_UNACK, active=False),
        d,
    ]


def write_recording(
    path: Path | str | RecordingStore,
    history: list[AlarmRecord],
    seconds: int = 3600,
    t_from: int = 0,
) -> RecordingStore:
    """Three channels at 1 Hz over [t_from, seconds) s and the alarm history, via the writer."""
    store = path if isinstance(path, RecordingStore) else RecordingStore(path)
    writer = RecordingWriter(store, RecordingConfig(keep_raw_days=None))
    writer.start()
    n = seconds - t_from
    t = T0 + (t_from + np.arange(n, dtype=np.int64)) * S
    for ch in range(3):
        values = np.sin(np.arange(n) / 50.0 + ch).astype(np.float32)
        writer.submit_samples(np.full(n, ch, np.uint32), t, values, np.zeros(n, np.uint8))
    if t_from == 0:
        writer.submit_event(CatalogEvent(T0, "test", load_city(demo_city_path()).sensors[:3]))
        writer.submit_event(SnapshotEvent(T0, 0, ()))
    for seq, record in enumerate(history, start=1):
        writer.submit_event(AlarmChangeEvent(seq, record, applied=True))
    ack = ActionEvent(T0 + 650 * S, "step", "ack", "crew", "supervisor", "desk1", "k-a", "A")
    writer.submit_event(ack)
    writer.stop()
    assert writer.stats.failed_commits == 0, writer.stats.last_error
    return store


@pytest.fixture
def store(tmp_path):
    store = write_recording(tmp_path / "rec.sqlite", synthetic_history())
    yield store
    store.close()


def test_overlapping_alarms_make_one_incident_from_first_raise_minus_5_min_to_all_clear_plus_5(
    store,
):
    incidents = IncidentLibrary(store).propose()
    first = incidents[0]
    assert (first.start_us, first.end_us) == (T0 + 300 * S, T0 + 1300 * S)  # B clears at 1000
    assert first.kind == "auto" and first.alarm_count == 2 and first.max_level == 2
    assert first.first_alarm_us == T0 + 600 * S
    assert "gas high in T1" in first.title and "Level II" in first.title
    lone = incidents[1]
    assert (lone.start_us, lone.end_us, lone.max_level) == (T0 + 1700 * S, T0 + 2400 * S, 4)


def test_an_alarm_still_raised_makes_its_incident_run_to_the_recordings_end(store):
    *_, still = IncidentLibrary(store).propose()
    assert still.start_us == T0 + 2700 * S
    assert still.end_us == T0 + 3599 * S  # the last sample recorded
    assert still.max_level == 1


def test_proposing_again_adds_nothing_and_keeps_an_edited_title_and_notes(store):
    library = IncidentLibrary(store)
    first = library.propose()
    library.update(first[0].id, title="Gas leak T1", notes="crew slow on B")
    again = library.propose()
    assert [i.id for i in again] == [i.id for i in first]
    assert len(library.search()) == 3
    assert library.get(first[0].id).title == "Gas leak T1"
    assert library.get(first[0].id).notes == "crew slow on B"


def test_an_episode_closed_by_later_data_is_updated_in_place(tmp_path):
    history = synthetic_history()
    store = write_recording(tmp_path / "rec.sqlite", history)
    try:
        library = IncidentLibrary(store)
        open_one = library.propose()[-1]
        d = history[-1]
        more = write_recording(
            tmp_path / "rec.sqlite",
            [at(d, 3700, AlarmState.RTN_UNACK, active=False)],
            seconds=4500,
            t_from=3600,
        )
        more.close()
        closed = library.propose()[-1]
        assert closed.id == open_one.id
        assert (closed.start_us, closed.end_us) == (open_one.start_us, T0 + 4000 * S)
    finally:
        store.close()


def test_the_margin_stops_at_the_recordings_start(tmp_path):
    store = write_recording(tmp_path / "rec.sqlite", [alarm("E", 3, 60)])
    try:
        (incident,) = IncidentLibrary(store).propose(margin_s=300)
        assert incident.start_us == T0
    finally:
        store.close()


def test_a_bookmark_keeps_title_notes_range_and_the_alarms_within_it(store):
    library = IncidentLibrary(store)
    mark = library.bookmark("Pressure dip", "ask the water company", T0 + 700 * S, T0 + 850 * S)
    assert mark.kind == "bookmark" and mark.title == "Pressure dip"
    assert mark.notes == "ask the water company"
    assert (mark.start_us, mark.end_us) == (T0 + 700 * S, T0 + 850 * S)
    assert mark.alarm_count == 2 and mark.max_level == 2  # A raised, B raised at 800
    quiet = library.bookmark("Quiet", "", T0 + 1500 * S, T0 + 1600 * S)
    assert quiet.alarm_count == 0 and quiet.max_level is None and quiet.first_alarm_us is None
    with pytest.raises(ValueError):
        library.bookmark("Backwards", "", T0 + 10 * S, T0)
    with pytest.raises(ValueError):
        library.bookmark("  ", "", T0, T0 + S)


def test_search_matches_title_or_notes_ignoring_case_newest_first_and_filters_by_kind(store):
    library = IncidentLibrary(store)
    proposed = library.propose()
    library.update(proposed[1].id, notes="Valve 100% closed_by mistake")
    mark = library.bookmark("Late GAS check", "", T0 + 3500 * S, T0 + 3550 * S)
    assert [i.id for i in library.search()] == [mark.id, *(i.id for i in reversed(proposed))]
    assert [i.id for i in library.search("gas")] == [mark.id, proposed[0].id]
    assert [i.id for i in library.search("100% CLOSED_")] == [proposed[1].id]
    assert library.search("100_") == []  # % and _ are plain text, not wildcards
    assert [i.id for i in library.search("gas", kind="bookmark")] == [mark.id]
    assert len(library.search(kind="auto")) == 3
    with pytest.raises(ValueError):
        library.search(kind="other")


def test_a_deleted_proposal_is_not_proposed_again(store):
    library = IncidentLibrary(store)
    first, *rest = library.propose()
    library.delete(first.id)
    assert [i.id for i in library.propose()] == [i.id for i in rest]
    assert first.uid not in {i.uid for i in library.search()}


def test_unknown_incidents_are_refused_and_a_deleted_one_is_gone(store):
    library = IncidentLibrary(store)
    mark = library.bookmark("Drill", "", T0, T0 + S)
    library.delete(mark.id)
    for call in (library.get, library.delete, lambda i: library.update(i, title="x")):
        with pytest.raises(IncidentNotFoundError):
            call(mark.id)
    assert library.search() == []
