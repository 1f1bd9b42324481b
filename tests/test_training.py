"""Training on a replay: acknowledgements made during replay are kept apart from the crew's real
actions and alarm records, and scored as time to acknowledge against the original crew."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from backend_client.recording.incidents import IncidentLibrary
from backend_client.recording.reader import RecordingReader
from backend_client.recording.store import RecordingStore
from backend_client.recording.training import TrainingLog, TrainingSessionNotFoundError
from tests.test_incidents import T0, S, synthetic_history, write_recording


@pytest.fixture
def store(tmp_path):
    store = write_recording(tmp_path / "rec.sqlite", synthetic_history())
    yield store
    store.close()


def test_each_raise_is_scored_against_the_crews_time_to_acknowledge(store):
    log = TrainingLog(store)
    session = log.start_session("trainee.wang", None, T0, T0 + 3600 * S)
    log.record_ack(session, "A", "trainee.wang", T0 + 630 * S, "seen on CCTV")
    log.record_ack(session, "B", "trainee.wang", T0 + 900 * S)
    log.record_ack(session, "D", "trainee.wang", T0 + 3005 * S)
    log.record_ack(session, "A", "trainee.wang", T0 + 640 * S)  # a second ack counts once
    score = log.score(session, RecordingReader(store))
    rows = {r.alarm_id: r for r in score.rows}
    assert [r.alarm_id for r in score.rows] == ["A", "B", "C", "D"]  # by raise time
    assert (rows["A"].crew_delay_s, rows["A"].trainee_delay_s, rows["A"].difference_s) == (
        50.0,
        30.0,
        -20.0,
    )
    assert (rows["B"].crew_delay_s, rows["B"].trainee_delay_s) == (300.0, 100.0)
    assert rows["B"].level == 2 and rows["D"].level == 1
    assert rows["C"].crew_delay_s is None and rows["C"].trainee_delay_s is None
    assert rows["D"].crew_delay_s is None and rows["D"].trainee_delay_s == 5.0
    assert rows["D"].difference_s is None
    assert rows["A"].raised_us == T0 + 600 * S
    assert (score.acked, score.missed, score.unmatched) == (3, 1, 0)
    assert score.trainee_median_s == 30.0 and score.crew_median_s == 175.0
    assert score.session.trainee == "trainee.wang"


def test_only_raises_within_the_sessions_range_are_scored(store):
    log = TrainingLog(store)
    session = log.start_session("li", 7, T0 + 300 * S, T0 + 1300 * S)
    score = log.score(session, RecordingReader(store))
    assert [r.alarm_id for r in score.rows] == ["A", "B"]
    assert score.session.incident_id == 7 and score.missed == 2 and score.acked == 0
    assert score.trainee_median_s is None


def test_an_ack_of_an_alarm_not_raised_yet_is_counted_apart(store):
    log = TrainingLog(store)
    session = log.start_session("li", None, T0, T0 + 3600 * S)
    log.record_ack(session, "D", "li", T0 + 2900 * S)  # D is raised at 3000
    log.record_ack(session, "nope", "li", T0 + 100 * S)
    score = log.score(session, RecordingReader(store))
    assert score.unmatched == 2 and score.acked == 0


def test_training_acks_never_reach_the_recorded_actions_or_alarm_state(store):
    reader = RecordingReader(store)
    actions = reader.actions(T0, T0 + 3600 * S)
    books = {t: reader.alarms_at(T0 + t * S) for t in (620, 700, 2050, 3500)}
    log = TrainingLog(store)
    session = log.start_session("li", None, T0, T0 + 3600 * S)
    for alarm_id, t in (("A", 610), ("B", 805), ("C", 2010), ("D", 3001)):
        log.record_ack(session, alarm_id, "li", T0 + t * S)
    assert reader.actions(T0, T0 + 3600 * S) == actions
    assert [a.user for a in actions] == ["crew"]
    assert {t: reader.alarms_at(T0 + t * S) for t in books} == books
    assert [a.alarm_id for a in log.acks(session)] == ["A", "B", "C", "D"]


def test_unknown_sessions_and_backwards_ranges_are_refused(store):
    log = TrainingLog(store)
    with pytest.raises(TrainingSessionNotFoundError):
        log.record_ack(99, "A", "li", T0)
    with pytest.raises(TrainingSessionNotFoundError):
        log.score(99, RecordingReader(store))
    with pytest.raises(ValueError):
        log.start_session("li", None, T0 + S, T0)


def test_incidents_and_training_scores_are_the_same_in_postgresql(tmp_path):
    url = os.environ.get("LIFELINE_TEST_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
    admin = create_engine(url)
    try:
        with admin.connect():
            pass
    except Exception as exc:  # no server here: say so rather than fail
        admin.dispose()
        pytest.skip(f"no PostgreSQL at {url}: {exc}")
    schema = f"rec_test_{uuid.uuid4().hex[:12]}"
    stores = [
        write_recording(tmp_path / "rec.sqlite", synthetic_history()),
        write_recording(RecordingStore(url, schema=schema), synthetic_history()),
    ]
    try:
        results = []
        for store in stores:
            library = IncidentLibrary(store)
            proposed = library.propose()
            library.bookmark("Gas check", "valve", T0 + 700 * S, T0 + 850 * S)
            log = TrainingLog(store)
            session = log.start_session("li", proposed[0].id, T0, T0 + 3600 * S)
            log.record_ack(session, "A", "li", T0 + 630 * S, "seen")
            score = log.score(session, RecordingReader(store))
            found = [(i.kind, i.title, i.start_us, i.end_us) for i in library.search("GAS")]
            results.append(
                (
                    [(i.start_us, i.end_us, i.max_level, i.alarm_count) for i in proposed],
                    found,
                    score.rows,
                    score.acked,
                )
            )
        assert results[0] == results[1]
    finally:
        for store in stores:
            store.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
