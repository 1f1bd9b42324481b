"""Replay over a recorded resync (a second alarm snapshot) and a recording with no city, on a
recording written directly: advancing second by second equals seeking to each second."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backend_client.city import demo_city_path, load_city
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmRecord, AlarmState, LinkState, LoopStage
from backend_client.recording.config import RecordingConfig
from backend_client.recording.events import AlarmChangeEvent, CatalogEvent, SnapshotEvent
from backend_client.recording.reader import RecordingReader
from backend_client.recording.replay import ReplaySource
from backend_client.recording.store import RecordingStore
from backend_client.recording.writer import RecordingWriter

T0 = 1_778_572_800_000_000
S = 1_000_000
CHANNELS = 3


def alarm(alarm_id: str, state: AlarmState, raised_s: int, changed_s: int) -> AlarmRecord:
    """An alarm raised and changed the given seconds after T0."""
    active = state != AlarmState.NORMAL
    raised, changed = T0 + raised_s * S, T0 + changed_s * S
    return AlarmRecord(
        alarm_id, 1, alarm_id, 3, state, active, 30.0, 25.0, raised, changed, loop=LoopStage.NONE
    )


def change(
    seq: int, alarm_id: str, state: AlarmState, raised_s: int, changed_s: int
) -> AlarmChangeEvent:
    return AlarmChangeEvent(seq, alarm(alarm_id, state, raised_s, changed_s), applied=True)


@pytest.fixture
def store(tmp_path: Path):
    st = RecordingStore(tmp_path / "rec.sqlite")
    sensors = load_city(demo_city_path()).sensors[:CHANNELS]
    seconds = np.arange(20, dtype=np.int64)
    ch = np.tile(np.arange(CHANNELS, dtype=np.uint32), len(seconds))
    t = np.repeat(T0 + seconds * S, CHANNELS)
    v = (ch * 100 + (t - T0) / S).astype(np.float32)
    writer = RecordingWriter(st, RecordingConfig(chunk_samples=8, keep_raw_days=None))
    writer.start()
    writer.submit_event(CatalogEvent(T0, "sim", sensors))
    writer.submit_event(SnapshotEvent(T0, 10, ()))
    writer.submit_samples(ch, t, v, np.zeros(len(ch), np.uint8))
    writer.submit_event(change(11, "A", AlarmState.UNACK, 2, 2))
    writer.submit_event(change(12, "A", AlarmState.ACKED, 2, 4))
    # the link dropped: changes 13..14 were lost, the resync snapshot at 6 s holds B only
    writer.submit_event(SnapshotEvent(T0 + 6 * S, 14, (alarm("B", AlarmState.UNACK, 5, 5),)))
    writer.submit_event(change(15, "B", AlarmState.NORMAL, 5, 9))
    writer.submit_event(change(16, "C", AlarmState.UNACK, 12, 12))
    writer.stop()
    assert writer.stats.failed_commits == 0, writer.stats.last_error
    yield st
    st.close()


def test_advancing_second_by_second_equals_seeking_to_each_second_across_a_resync(store):
    reader = RecordingReader(store)
    played = ReplaySource(store, ConsoleModel())
    for second in range(20):
        t = T0 + second * S
        played.advance(t)
        sought = ReplaySource(store, ConsoleModel())
        sought.seek(t)
        book = played.model.alarms.changes_since(None).alarms
        assert book == sought.model.alarms.changes_since(None).alarms == reader.alarms_at(t)
        for channel in range(CHANNELS):
            got = played.model.buffers.series(channel)
            assert np.array_equal(got.times_us, T0 + np.arange(second + 1) * S)
            assert np.array_equal(
                got.values, channel * 100 + np.arange(second + 1, dtype=np.float32)
            )
    assert set(reader.alarms_at(T0 + 5 * S)) == {"A"}
    assert set(reader.alarms_at(T0 + 7 * S)) == {"B"}  # the resync replaced A by B


def test_a_recording_without_a_city_replays_its_catalog_and_leaves_the_city_alone(store):
    model = ConsoleModel()
    replay = ReplaySource(store, model)
    assert model.city is None and len(model.sensors) == CHANNELS
    assert model.link == LinkState.REPLAY
    assert (replay.start_us, replay.end_us) == (T0, T0 + 19 * S)
    assert replay.raise_times() == [T0 + 2 * S, T0 + 5 * S, T0 + 12 * S]


def test_a_replay_range_can_be_narrower_than_the_recording(store):
    replay = ReplaySource(store, ConsoleModel(), T0 + 5 * S, T0 + 8 * S, window_s=2.0)
    series = replay.model.buffers.series(0)
    assert series.times_us.tolist() == [T0 + 5 * S]  # the window starts at the range's start
    replay.seek(T0 + 8 * S)
    assert replay.model.buffers.series(0).times_us.tolist() == [T0 + s * S for s in (6, 7, 8)]
    assert replay.advance(T0 + 30 * S) == T0 + 8 * S  # clamped to the range
    with pytest.raises(ValueError):
        ReplaySource(store, ConsoleModel(), T0 + 8 * S, T0 + 5 * S)
