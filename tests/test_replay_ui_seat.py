"""The replay seat's core without Qt: the timeline's alarm marks from a real recording, and the
requests a replay seat answers itself (history up to the replay time, training acks)."""

from __future__ import annotations

import pytest

from backend_client.client import Identity, RequestError
from backend_client.codec import unpack_samples
from backend_client.model.console_model import ConsoleModel
from backend_client.model.replay_timeline import alarm_marks
from backend_client.model.replay_training import ReplaySeat
from backend_client.protocol import AlarmState, Op
from backend_client.recording.reader import RecordingReader
from backend_client.recording.replay import ReplaySource
from backend_client.recording.store import RecordingStore
from backend_client.recording.training import TrainingLog
from tests.test_replay_ui_support import fresh_copy


@pytest.fixture
def replayed(tmp_path):
    rec = fresh_copy(tmp_path)
    store = RecordingStore(rec.db)
    model = ConsoleModel(buffer_capacity=4096)
    source = ReplaySource(store, model)
    reader = RecordingReader(store)
    seat = ReplaySeat(
        model, reader, lambda: source.now_us, Identity("trainee1", "supervisor", "desk9"),
        TrainingLog(store),
    )  # fmt: skip
    seat.set_range(None, source.start_us, source.end_us)
    yield rec, store, source, seat
    seat.stop()
    store.close()


def test_alarm_marks_are_the_recorded_raises_with_their_worst_level(replayed):
    _rec, store, source, _seat = replayed
    marks = alarm_marks(store, source.start_us, source.end_us)
    assert marks == sorted(marks, key=lambda m: (m.time_us, m.level, m.alarm_id))
    assert {m.time_us for m in marks} == set(source.raise_times())
    assert all(1 <= m.level <= 4 for m in marks)
    assert len({(m.alarm_id, m.time_us) for m in marks}) == len(marks)  # one mark per raise
    first = marks[0]
    assert alarm_marks(store, first.time_us + 1, source.end_us) == [
        m for m in marks if m.time_us > first.time_us
    ]


def test_history_never_reaches_past_the_replay_time(replayed):
    rec, _store, source, seat = replayed
    middle = (source.start_us + source.end_us) // 2
    source.seek(middle)
    result = seat.history([rec.leak_channel], source.start_us, source.end_us + 1).result(10)
    batch = unpack_samples(result["samples"])
    assert len(batch) > 0 and batch.times_us.max() <= middle
    assert set(batch.channels.tolist()) == {rec.leak_channel}


def test_an_ack_is_kept_as_training_and_answered_with_a_tagged_record(replayed):
    _rec, store, source, seat = replayed
    source.step_next_alarm()
    alarm = next(a for a in source.model.alarms.active() if a.state == AlarmState.UNACK)
    heard: list[str] = []
    seat.on_ack.append(lambda ack: heard.append(ack.alarm_id))
    actions = RecordingReader(store).actions(0, 2**62)

    reply = seat.acknowledge(alarm.id, "seen").result(1)
    assert reply["training"] and "TRAINING" in reply["message"]
    assert reply["alarm"]["ack_user"] == "trainee1 (training)"
    assert heard == [alarm.id]
    log = TrainingLog(store)
    assert [(a.alarm_id, a.replay_us, a.comment) for a in log.acks(seat.session_id)] == [
        (alarm.id, source.now_us, "seen")
    ]
    assert RecordingReader(store).actions(0, 2**62) == actions
    assert source.model.alarms.get(alarm.id).state == AlarmState.UNACK

    with pytest.raises(RequestError, match="already"):
        seat.acknowledge(alarm.id).result(1)
    with pytest.raises(RequestError, match="not in the replayed"):
        seat.acknowledge("NO/SUCH/ALARM").result(1)
    for refused in (
        seat.verify(alarm.id, True),
        seat.dispatch(alarm.id),
        seat.shelve(alarm.id, 10, "x"),
        seat.request(Op.ACK, {"alarm": alarm.id}),
        seat.fetch_policy(),
    ):
        with pytest.raises(RequestError):
            refused.result(1)


def test_a_new_range_is_a_new_session(replayed):
    _rec, _store, source, seat = replayed
    source.step_next_alarm()
    alarm = source.model.alarms.active()[0]
    seat.acknowledge(alarm.id).result(1)
    first = seat.session_id
    seat.set_range(None, source.start_us, source.end_us)
    assert seat.session_id is None and not seat.acks
    seat.acknowledge(alarm.id).result(1)
    assert seat.session_id not in (None, first)


def test_the_alarm_snapshot_is_the_book_at_the_replay_time(replayed):
    _rec, _store, source, seat = replayed
    source.seek(source.raise_times()[0])
    alarms = seat.request(Op.ALARMS).result(10)["alarms"]
    assert {a["id"] for a in alarms} >= {a.id for a in source.model.alarms.active()}
