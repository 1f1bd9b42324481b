"""The alarm engine: level evaluation with deadband, and every ISA-18.2 transition."""

from __future__ import annotations

import numpy as np
import pytest

from backend_client.city import Limits, Sensor
from backend_client.protocol import AlarmChange, AlarmState, LoopStage, Quality
from simulator.alarm_settings import AlarmSettings
from simulator.alarm_state import Actor
from simulator.alarms import AlarmEngine, AlarmError, Outcome, UnknownAlarmError

CH4, O2 = 0, 1
MINUTE_US = 60_000_000


def _sensor(ident: str, type_: str, unit: str, limits: Limits) -> Sensor:
    return Sensor(ident, ident, "tunnel", type_, unit, (0.0, 0.0, -5.0), "T1", "", limits)


@pytest.fixture
def engine() -> AlarmEngine:
    return AlarmEngine(
        [
            _sensor("T1/GAS/Z01/CH4/01", "CH4", "%LEL", Limits(high=(25, 20, 10, 5), deadband=1)),
            _sensor(
                "T1/GAS/Z01/O2/01",
                "O2",
                "%vol",
                Limits(high=(23.5, None, None, None), low=(18, 19, 19.5, None), deadband=0.2),
            ),
        ],
        [AlarmSettings(), AlarmSettings()],  # no delays, no latching: the plain ISA-18.2 cycle
    )


def feed(
    engine: AlarmEngine, channel: int, value: float, t_us: int = 0, quality: int = Quality.GOOD
) -> list[AlarmChange]:
    return engine.evaluate(
        np.array([channel]), np.array([value]), np.array([quality]), np.array([t_us])
    )


def ack(engine: AlarmEngine, alarm: str = "T1/GAS/Z01/CH4/01", t_us: int = 1) -> Outcome:
    return engine.acknowledge(alarm, "li.wei", "operator", "console-3", "checking", t_us)


def test_crossing_a_limit_raises_an_unacknowledged_alarm(engine: AlarmEngine) -> None:
    [change] = feed(engine, CH4, 24.1, t_us=100)
    a = change.alarm
    assert (change.seq, a.id, a.channel, a.level, a.state, a.active) == (
        1,
        "T1/GAS/Z01/CH4/01",
        CH4,
        2,
        AlarmState.UNACK,
        True,
    )
    assert (a.value, a.limit, a.raised_us, a.changed_us) == (24.1, 20.0, 100, 100)
    assert a.text == "CH4 24.1 %LEL >= 20 (level II)"


def test_most_severe_level_wins(engine: AlarmEngine) -> None:
    [change] = feed(engine, CH4, 40.0)
    assert change.alarm.level == 1


def test_low_limits_raise_on_low_values(engine: AlarmEngine) -> None:
    [change] = feed(engine, O2, 18.7)
    assert (change.alarm.level, change.alarm.limit) == (2, 19.0)
    assert change.alarm.text == "O2 18.7 %vol <= 19 (level II)"


def test_unchanged_level_publishes_nothing(engine: AlarmEngine) -> None:
    feed(engine, CH4, 12.0)
    assert feed(engine, CH4, 13.0) == []
    assert engine.seq == 1


def test_acknowledge_moves_unack_to_acked_with_who_and_why(engine: AlarmEngine) -> None:
    feed(engine, CH4, 12.0)
    outcome = ack(engine, t_us=500)
    a = outcome.change.alarm
    assert outcome.new and outcome.change.seq == 2
    assert (a.state, a.ack_user, a.ack_comment, a.ack_us) == (
        AlarmState.ACKED,
        "li.wei",
        "checking",
        500,
    )


def test_acknowledging_twice_changes_nothing(engine: AlarmEngine) -> None:
    feed(engine, CH4, 12.0)
    first = ack(engine)
    feed(engine, O2, 18.0)
    again = ack(engine, t_us=999)
    assert not again.new
    assert again.change.alarm == first.change.alarm
    assert again.change.seq == engine.seq == 3, "a no-op answers with the current seq"


def test_acknowledging_a_shelved_alarm_changes_nothing(engine: AlarmEngine) -> None:
    feed(engine, CH4, 12.0)
    engine.shelve("T1/GAS/Z01/CH4/01", 5, "", now_us=0)
    outcome = ack(engine)
    assert not outcome.new and outcome.change.alarm.state == AlarmState.SHELVED


def test_clearing_while_unacknowledged_gives_rtn_unack_keeping_the_level(
    engine: AlarmEngine,
) -> None:
    feed(engine, CH4, 12.0)
    [change] = feed(engine, CH4, 1.0, t_us=50)
    a = change.alarm
    assert (a.state, a.active, a.level, a.changed_us) == (AlarmState.RTN_UNACK, False, 3, 50)
    assert a.text == "CH4 1.00 %LEL < 10 (level III cleared)"
    assert [r.id for r in engine.snapshot()[1]] == ["T1/GAS/Z01/CH4/01"]


def test_acknowledging_rtn_unack_returns_to_normal_with_its_loop_open(
    engine: AlarmEngine,
) -> None:
    feed(engine, CH4, 12.0)
    feed(engine, CH4, 1.0)
    outcome = ack(engine)
    a = outcome.change.alarm
    assert outcome.new and (a.state, a.loop) == (AlarmState.NORMAL, LoopStage.ACKED)
    assert [r.id for r in engine.snapshot()[1]] == [a.id], "kept until its loop is closed"
    assert not ack(engine).new, "acking an alarm already back to normal is a no-op"


def test_clearing_while_acknowledged_publishes_normal(engine: AlarmEngine) -> None:
    feed(engine, CH4, 12.0)
    ack(engine)
    [change] = feed(engine, CH4, 1.0)
    assert (change.alarm.state, change.alarm.active) == (AlarmState.NORMAL, False)


def test_a_normal_alarm_leaves_the_snapshot_once_its_loop_is_closed(engine: AlarmEngine) -> None:
    feed(engine, CH4, 12.0)
    ack(engine)
    feed(engine, CH4, 1.0)
    who = Actor("li.wei", "supervisor", "console-3")
    engine.loop_step("T1/GAS/Z01/CH4/01", "verify", who, "fan fault, no gas", 10, real=False)
    outcome = engine.loop_step("T1/GAS/Z01/CH4/01", "close", who, "nothing to do", 20)
    assert outcome.change.alarm.loop == LoopStage.CLOSED
    assert engine.snapshot() == (5, [])


def test_return_after_rtn_unack_is_unack_again(engine: AlarmEngine) -> None:
    feed(engine, CH4, 12.0)
    feed(engine, CH4, 1.0)
    [change] = feed(engine, CH4, 6.0, t_us=70)
    assert (change.alarm.state, change.alarm.level, change.alarm.raised_us) == (
        AlarmState.UNACK,
        4,
        70,
    )


def test_escalation_re_annunciates_an_acknowledged_alarm(engine: AlarmEngine) -> None:
    feed(engine, CH4, 6.0)
    ack(engine)
    [change] = feed(engine, CH4, 21.0)
    a = change.alarm
    assert (a.state, a.level, a.ack_user) == (AlarmState.UNACK, 2, None)


def test_de_escalation_keeps_the_acknowledgement(engine: AlarmEngine) -> None:
    feed(engine, CH4, 21.0)
    ack(engine)
    [change] = feed(engine, CH4, 12.0)
    assert (change.alarm.state, change.alarm.level) == (AlarmState.ACKED, 3)


def test_deadband_holds_the_level_until_the_value_is_clearly_back(engine: AlarmEngine) -> None:
    feed(engine, CH4, 10.5)
    assert feed(engine, CH4, 9.5) == [], "inside the 1 %LEL deadband below 10"
    [change] = feed(engine, CH4, 8.9)
    assert change.alarm.level == 4, "below 10 - 1 it drops to level IV"
    [change] = feed(engine, CH4, 3.9)
    assert not change.alarm.active


def test_bad_quality_and_missing_samples_are_ignored(engine: AlarmEngine) -> None:
    assert feed(engine, CH4, 80.0, quality=Quality.FAULT) == []
    assert feed(engine, CH4, float("nan"), quality=Quality.MISSING) == []
    feed(engine, CH4, 12.0)
    assert feed(engine, CH4, 0.0, quality=Quality.FAULT) == [], "a fault does not clear either"


def test_shelving_hides_until_expiry_then_returns_unack_if_still_active(
    engine: AlarmEngine,
) -> None:
    feed(engine, CH4, 12.0)
    outcome = engine.shelve("T1/GAS/Z01/CH4/01", 10, "sensor being replaced", now_us=0)
    a = outcome.change.alarm
    assert (a.state, a.shelved_until_us) == (AlarmState.SHELVED, 10 * MINUTE_US)
    [escalated] = feed(engine, CH4, 30.0)
    assert (escalated.alarm.state, escalated.alarm.level) == (AlarmState.SHELVED, 1)
    assert engine.expire_shelves(10 * MINUTE_US - 1) == []
    [expired] = engine.expire_shelves(10 * MINUTE_US)
    assert (expired.alarm.state, expired.alarm.shelved_until_us) == (AlarmState.UNACK, None)


def test_shelf_expiry_of_a_cleared_alarm_returns_it_to_normal(engine: AlarmEngine) -> None:
    feed(engine, CH4, 12.0)
    engine.shelve("T1/GAS/Z01/CH4/01", 1, "", now_us=0)
    [cleared] = feed(engine, CH4, 1.0)
    assert (cleared.alarm.state, cleared.alarm.active) == (AlarmState.SHELVED, False)
    [expired] = engine.expire_shelves(MINUTE_US)
    assert expired.alarm.state == AlarmState.NORMAL
    assert engine.snapshot()[1] == []


def test_every_change_takes_the_next_sequence_number(engine: AlarmEngine) -> None:
    seqs = [c.seq for c in feed(engine, CH4, 6.0)]
    seqs += [c.seq for c in feed(engine, O2, 18.0)]
    seqs.append(ack(engine).change.seq)
    seqs += [c.seq for c in feed(engine, CH4, 30.0)]
    assert seqs == [1, 2, 3, 4]
    seq, records = engine.snapshot()
    assert seq == 4 and [r.channel for r in records] == [CH4, O2]


def test_several_samples_of_one_channel_in_a_batch_apply_in_order(engine: AlarmEngine) -> None:
    changes = engine.evaluate(
        np.array([CH4, CH4, CH4]),
        np.array([12.0, 30.0, 1.0]),
        np.zeros(3, dtype=np.uint8),
        np.array([1, 2, 3]),
    )
    assert [(c.alarm.level, c.alarm.active) for c in changes] == [(3, True), (1, True), (1, False)]


def test_unknown_or_never_raised_alarms_are_refused_clearly(engine: AlarmEngine) -> None:
    with pytest.raises(UnknownAlarmError, match="unknown alarm 'nope'"):
        ack(engine, "nope")
    with pytest.raises(AlarmError, match="has never been raised"):
        ack(engine)
    with pytest.raises(AlarmError, match="only a raised alarm"):
        engine.shelve("T1/GAS/Z01/CH4/01", 5, "", now_us=0)
    feed(engine, CH4, 12.0)
    with pytest.raises(AlarmError, match="minutes"):
        engine.shelve("T1/GAS/Z01/CH4/01", 0, "", now_us=0)
