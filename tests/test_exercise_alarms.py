"""The EXERCISE mark on alarm records: raised under a drill, on the wire, stored, recorded."""

from __future__ import annotations

from pathlib import Path

import msgpack
import numpy as np

from backend_client.city import Limits, Sensor, demo_city_path, load_city
from backend_client.codec import (
    alarm_from_wire,
    alarm_to_wire,
    decode_publication,
    encode_alarm_change,
)
from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState
from backend_client.recording.events import record_from_json, record_to_json
from simulator.alarm_store import AlarmStore
from simulator.alarms import AlarmEngine
from simulator.scenarios import ScenarioRunner

CH4 = Limits(high=(25, 20, 10, 5), deadband=1)


def _engine() -> AlarmEngine:
    sensors = [
        Sensor(f"T1/GAS/Z0{k}/CH4/01", "m", "tunnel", "CH4", "%LEL", (0, 0, -5), "T1", "", CH4)
        for k in (1, 2)
    ]
    return AlarmEngine(sensors)


def _tick(engine: AlarmEngine, values: list[float], t_us: int) -> list[AlarmChange]:
    n = len(values)
    return engine.evaluate(
        np.arange(n), np.array(values), np.zeros(n, np.uint8), np.full(n, t_us, np.int64)
    )


def test_an_alarm_raised_on_a_channel_a_drill_drives_is_marked_and_one_beside_it_is_not() -> None:
    engine = _engine()
    engine.exercise = np.array([True, False])
    raised = {c.alarm.id: c.alarm for c in _tick(engine, [30.0, 30.0], 1_000_000)}
    assert raised["T1/GAS/Z01/CH4/01"].exercise
    assert not raised["T1/GAS/Z02/CH4/01"].exercise


def test_the_mark_belongs_to_the_occurrence_raised_again_after_the_drill_it_is_real() -> None:
    engine = _engine()
    engine.exercise = np.array([True, True])
    _tick(engine, [30.0, 0.0], 1_000_000)
    cleared = _tick(engine, [0.0, 0.0], 2_000_000)[0].alarm
    assert cleared.exercise and not cleared.active, "it stays a drill alarm while it clears"
    engine.exercise = np.array([False, False])
    again = _tick(engine, [30.0, 0.0], 3_000_000)[0].alarm
    assert again.active and not again.exercise


def _record(exercise: bool) -> AlarmRecord:
    return AlarmRecord(
        "A", 0, "A", 1, AlarmState.UNACK, True, 30.0, 25.0, 1, 1, "CH4 30", exercise=exercise
    )


def test_the_wire_carries_the_mark_and_a_frame_without_it_decodes_as_not_a_drill() -> None:
    frames = encode_alarm_change(AlarmChange(5, _record(True)))
    assert decode_publication(frames).alarm.exercise is True
    old = alarm_to_wire(_record(True))
    del old["exercise"]  # a frame from a backend that predates the field
    assert alarm_from_wire(old).exercise is False
    assert "exercise" not in alarm_to_wire(_record(False)), "real alarms' frames are unchanged"
    body = msgpack.unpackb(frames[1], raw=False)
    assert body["alarm"]["exercise"] is True


def test_the_mark_survives_the_recordings_json_and_the_backends_state_file(
    tmp_path: Path,
) -> None:
    assert record_from_json(record_to_json(_record(True))).exercise
    assert not record_from_json(record_to_json(_record(False))).exercise
    engine = _engine()
    engine.exercise = np.array([True, False])
    _tick(engine, [30.0, 0.0], 1_000_000)
    store = AlarmStore(tmp_path / "state.sqlite")
    store.flush(engine)
    restarted = _engine()
    assert store.load_into(restarted) == 1
    store.close()
    assert restarted.current("T1/GAS/Z01/CH4/01").alarm.exercise


def test_a_hand_drawn_scenario_run_as_a_drill_marks_only_its_channels_while_it_runs() -> None:
    demo = load_city(demo_city_path())
    runner = ScenarioRunner(demo)
    run = runner.start("bridge-overload", {"bridge": "B2"}, 100.0, exercise=True)
    runner.start("gas-leak", None, 100.0)  # not a drill
    assert not runner.exercise_channels(99.0).any(), "not before it starts"
    marked = runner.exercise_channels(110.0)
    assert set(np.flatnonzero(marked)) == set(run.channels.tolist())
    assert not runner.exercise_channels(100.0 + run.duration_s + 1).any(), "nor after it ends"
