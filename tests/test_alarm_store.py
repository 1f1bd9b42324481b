"""The SQLite state store on its own: what it saves, what it restores, what it leaves alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from backend_client.city import Limits, Sensor
from backend_client.protocol import AlarmState, LoopStage
from simulator.alarm_settings import AlarmSettings
from simulator.alarm_state import Actor
from simulator.alarm_store import AlarmStore
from simulator.alarms import AlarmEngine

BOSS = Actor("zhang.min", "supervisor", "desk-1")


def make_engine(*ids: str) -> AlarmEngine:
    sensors = [
        Sensor(i, i, "tunnel", "CH4", "%LEL", (0, 0, 0), "T1", "", Limits(high=(25, 20, 10, 5)))
        for i in ids
    ]
    return AlarmEngine(sensors, [AlarmSettings()] * len(sensors))


def raise_all(engine: AlarmEngine, value: float = 12.0, t_us: int = 5) -> None:
    n = len(engine.sensors)
    engine.evaluate(np.arange(n), np.full(n, value), np.zeros(n, np.uint8), np.full(n, t_us))


def test_restore_brings_back_state_loop_suppression_and_sequence(tmp_path: Path) -> None:
    engine = make_engine("A", "B", "C")
    raise_all(engine)
    engine.acknowledge("A", "li.wei", "operator", "desk-3", "seen", 10)
    engine.loop_step("A", "verify", BOSS, "real on CCTV", 11, real=True)
    engine.suppress([2], True, BOSS, "maintenance", 12)
    store = AlarmStore(tmp_path / "s.sqlite")
    store.flush(engine)
    assert not engine.dirty and not engine.archive
    store.close()

    again = make_engine("A", "B", "C")
    store = AlarmStore(tmp_path / "s.sqlite")
    assert store.load_into(again) == 3
    assert again.seq == engine.seq
    assert again.snapshot() == engine.snapshot()
    a = again.current("A").alarm
    assert (a.state, a.loop, a.verdict, len(a.steps)) == (
        AlarmState.ACKED,
        LoopStage.VERIFIED,
        "real",
        2,
    )
    assert again.suppressed == {2}
    raise_all(again, 12.0, 20)
    assert again.current("A").alarm.raised_us == 5, "still active: no new occurrence"
    [cleared, *_] = again.evaluate(np.array([0]), np.array([0.0]), np.zeros(1, np.uint8), [30])
    assert (cleared.alarm.state, cleared.alarm.active) == (AlarmState.NORMAL, False)
    assert [r.action for r in (s.step for s in store.steps())] == ["ack", "verify", "suppress"]
    store.close()


def test_alarms_of_sensors_the_city_no_longer_has_are_left_alone(tmp_path: Path) -> None:
    engine = make_engine("A", "GONE")
    raise_all(engine)
    store = AlarmStore(tmp_path / "s.sqlite")
    store.flush(engine)
    smaller = make_engine("A")
    assert store.load_into(smaller) == 1
    assert [r.id for r in smaller.snapshot()[1]] == ["A"]
    store.close()


def test_an_alarm_back_to_normal_is_removed_from_the_store(tmp_path: Path) -> None:
    engine = make_engine("A")
    raise_all(engine)
    store = AlarmStore(tmp_path / "s.sqlite")
    store.flush(engine)
    engine.evaluate(np.array([0]), np.array([0.0]), np.zeros(1, np.uint8), np.array([9]))
    engine.acknowledge("A", "li.wei", "operator", "desk-3", "", 10)
    engine.loop_step("A", "verify", BOSS, "", 11, real=False)
    engine.loop_step("A", "close", BOSS, "", 12)
    store.flush(engine)
    fresh = make_engine("A")
    assert store.load_into(fresh) == 0 and fresh.seq == engine.seq
    assert (
        len(store.steps(alarm_id="A")) == 3 and store.steps(since_us=12)[0].step.action == "close"
    )
    store.close()
