"""The alarm engine beyond the basic cycle: delays, latching, hiding, escalation, rates, loop.

Pure engine tests with explicit times (microseconds): no sockets, no database, no Qt.
"""

from __future__ import annotations

import numpy as np
import pytest

from backend_client.city import Limits, Sensor
from backend_client.protocol import AlarmChange, AlarmState, LoopStage, Quality
from simulator.alarm_settings import AlarmSettings
from simulator.alarm_state import Actor
from simulator.alarms import AlarmEngine, AlarmError

S = 1_000_000  # one second in us
CH4_LIMITS = Limits(high=(25, 20, 10, 5), deadband=1)
O2_LIMITS = Limits(low=(18, 19, 19.5, None), deadband=0.2)
BOSS = Actor("zhang.min", "supervisor", "desk-1")


def _sensor(ident: str, limits: Limits, compartment: str = "") -> Sensor:
    return Sensor(
        ident, ident, "tunnel", "CH4", "%LEL", (0, 0, -5), "T1", "", limits, 1.0, compartment
    )


def make_engine(*settings: AlarmSettings, count: int = 1, compartment: str = "") -> AlarmEngine:
    sensors = [_sensor(f"A{i}", CH4_LIMITS, compartment) for i in range(count)]
    chosen = list(settings) or [AlarmSettings()]
    return AlarmEngine(sensors, (chosen * count)[:count])


def feed(engine: AlarmEngine, value: float, t_us: int, channel: int = 0) -> list[AlarmChange]:
    return engine.evaluate(
        np.array([channel]), np.array([value]), np.array([Quality.GOOD]), np.array([t_us])
    )


def ack(engine: AlarmEngine, t_us: int, alarm: str = "A0", comment: str = "seen") -> None:
    assert engine.acknowledge(alarm, "li.wei", "operator", "desk-3", comment, t_us).new


def state(engine: AlarmEngine, alarm: str = "A0") -> AlarmState:
    return engine.current(alarm).alarm.state


# --- every ISA-18.2 transition of docs/protocol.md section 4.4 ---------------------------------


def _to(engine: AlarmEngine, start: str) -> None:
    """Bring alarm A0 into a starting state."""
    feed(engine, 12.0, 0)
    if start in ("acked", "acked-cleared"):
        ack(engine, 1)
    if start == "rtn_unack":
        feed(engine, 0.0, 2)
    if start.startswith("shelved"):
        engine.shelve("A0", 10, "noisy", 3, "zhang.min", "supervisor", "desk-1")
    if start == "shelved-cleared":
        feed(engine, 0.0, 4)
    if start == "suppressed":
        engine.suppress([0], True, BOSS, "maintenance crew in T1/GAS", 3)
    if start == "oos":
        engine.set_out_of_service([0], True, BOSS, "detector replaced", 3)


TRANSITIONS = [
    ("normal", "activate", AlarmState.UNACK),
    ("unack", "ack", AlarmState.ACKED),
    ("unack", "clear", AlarmState.RTN_UNACK),
    ("acked", "clear", AlarmState.NORMAL),
    ("rtn_unack", "ack", AlarmState.NORMAL),
    ("rtn_unack", "activate", AlarmState.UNACK),
    ("unack", "shelve", AlarmState.SHELVED),
    ("acked", "shelve", AlarmState.SHELVED),
    ("rtn_unack", "shelve", AlarmState.SHELVED),
    ("shelved", "expire", AlarmState.UNACK),
    ("shelved-cleared", "expire", AlarmState.NORMAL),
    ("shelved", "unshelve", AlarmState.ACKED),
    ("shelved-cleared", "unshelve", AlarmState.NORMAL),
    ("unack", "suppress", AlarmState.SUPPRESSED),
    ("unack", "out_of_service", AlarmState.OUT_OF_SERVICE),
    ("suppressed", "lift", AlarmState.UNACK),
    ("oos", "lift", AlarmState.UNACK),
]


@pytest.mark.parametrize(("start", "event", "expected"), TRANSITIONS)
def test_isa_transition(start: str, event: str, expected: AlarmState) -> None:
    engine = make_engine()
    if start != "normal":
        _to(engine, start)
        seq = engine.seq
    else:
        seq = 0
    if event == "activate":
        feed(engine, 12.0, 10 * S)
    elif event == "clear":
        feed(engine, 0.0, 10 * S)
    elif event == "ack":
        ack(engine, 10 * S)
    elif event == "shelve":
        engine.shelve("A0", 5, "nuisance", 10 * S, "zhang.min", "supervisor", "desk-1")
    elif event == "expire":
        engine.advance(3 + 10 * 60 * S)
    elif event == "unshelve":
        engine.unshelve("A0", BOSS, "done", 10 * S)
    elif event == "suppress":
        engine.suppress([0], True, BOSS, "maintenance", 10 * S)
    elif event == "out_of_service":
        engine.set_out_of_service([0], True, BOSS, "broken", 10 * S)
    elif event == "lift":
        hide = engine.suppress if start == "suppressed" else engine.set_out_of_service
        hide([0], False, BOSS, "work finished", 10 * S)
    assert state(engine) == expected
    assert engine.seq == seq + 1, "every transition is exactly one change with the next seq"


def test_a_lifted_suppression_of_a_cleared_alarm_returns_normal() -> None:
    engine = make_engine()
    feed(engine, 12.0, 0)
    engine.suppress([0], True, BOSS, "maintenance", S)
    [hidden] = feed(engine, 0.0, 2 * S)
    assert (hidden.alarm.state, hidden.alarm.active) == (AlarmState.SUPPRESSED, False)
    [lifted] = engine.suppress([0], False, BOSS, "done", 3 * S)
    assert lifted.alarm.state == AlarmState.NORMAL
    assert engine.snapshot()[1] == []


def test_a_suppressed_channel_raises_its_alarm_suppressed_and_uncounted() -> None:
    engine = make_engine(count=2, compartment="T1/GAS")
    assert engine.suppress([0, 1], True, BOSS, "maintenance logged", 0) == []
    [raised] = feed(engine, 30.0, S)
    assert (raised.alarm.state, raised.alarm.level, raised.alarm.active) == (
        AlarmState.SUPPRESSED,
        1,
        True,
    )
    assert engine.alarm_rate == 0, "suppressed alarms do not count toward a flood"
    assert {a.step.action for a in engine.archive} == {"suppress"}
    with pytest.raises(AlarmError, match="normal; only a raised alarm"):
        engine.shelve("A1", 5, "x", S)


def test_out_of_service_outranks_shelving_and_suppression() -> None:
    engine = make_engine()
    feed(engine, 12.0, 0)
    engine.shelve("A0", 5, "noisy", 0, "zhang.min")
    engine.suppress([0], True, BOSS, "maintenance", 0)
    engine.set_out_of_service([0], True, BOSS, "detector broken", 0)
    assert state(engine) == AlarmState.OUT_OF_SERVICE
    engine.set_out_of_service([0], False, BOSS, "replaced", S)
    assert state(engine) == AlarmState.SUPPRESSED
    engine.suppress([0], False, BOSS, "crew out", 2 * S)
    assert state(engine) == AlarmState.SHELVED
    [expired] = engine.advance(5 * 60 * S)
    assert expired.alarm.state == AlarmState.UNACK


# --- shelving ---------------------------------------------------------------------------------


def test_shelf_expiry_returns_unacknowledged_but_manual_unshelve_returns_acknowledged() -> None:
    expiring, manual = make_engine(), make_engine()
    for engine in (expiring, manual):
        feed(engine, 12.0, 0)
        engine.shelve("A0", 1, "sensor being cleaned", 0, "zhang.min")
    [expired] = expiring.advance(60 * S)
    unshelved = manual.unshelve("A0", BOSS, "cleaned early", 30 * S).change
    assert (expired.alarm.state, expired.alarm.shelved_until_us) == (AlarmState.UNACK, None)
    assert (unshelved.alarm.state, unshelved.alarm.shelved_until_us) == (AlarmState.ACKED, None)
    assert [s.action for s in unshelved.alarm.steps] == ["shelve", "unshelve"]


def test_unshelving_an_alarm_that_is_not_shelved_is_refused() -> None:
    engine = make_engine()
    feed(engine, 12.0, 0)
    with pytest.raises(AlarmError, match="is not shelved"):
        engine.unshelve("A0", BOSS, "", S)


# --- delays, deadband, latching ----------------------------------------------------------------


def test_on_delay_ignores_a_short_excursion_and_raises_a_lasting_one() -> None:
    engine = make_engine(AlarmSettings(on_delay_s=5))
    assert feed(engine, 12.0, 0) == []
    assert feed(engine, 2.0, 3 * S) == [], "back before the delay ran out"
    assert engine.advance(10 * S) == []
    assert feed(engine, 12.0, 20 * S) == []
    assert engine.advance(24 * S) == []
    [raised] = engine.advance(25 * S)
    assert (raised.alarm.state, raised.alarm.level, raised.alarm.raised_us) == (
        AlarmState.UNACK,
        3,
        25 * S,
    )


def test_on_delay_raises_at_the_most_severe_level_reached_while_waiting() -> None:
    engine = make_engine(AlarmSettings(on_delay_s=5))
    feed(engine, 6.0, 0)
    feed(engine, 22.0, 2 * S)
    [raised] = engine.advance(5 * S)
    assert raised.alarm.level == 2 and raised.alarm.raised_us == 5 * S, "the delay ran from 0"


def test_off_delay_holds_the_alarm_until_the_condition_stays_clear() -> None:
    engine = make_engine(AlarmSettings(off_delay_s=10))
    feed(engine, 12.0, 0)
    assert feed(engine, 1.0, S) == []
    assert feed(engine, 12.0, 5 * S) == [], "re-crossing within the off-delay cancels the clear"
    assert engine.advance(20 * S) == []
    assert state(engine) == AlarmState.UNACK
    feed(engine, 1.0, 30 * S)
    [cleared] = engine.advance(40 * S)
    assert (cleared.alarm.state, cleared.alarm.active) == (AlarmState.RTN_UNACK, False)


def test_escalation_during_an_off_delay_applies_at_once() -> None:
    engine = make_engine(AlarmSettings(off_delay_s=10))
    feed(engine, 6.0, 0)
    feed(engine, 1.0, S)
    [escalated] = feed(engine, 30.0, 2 * S)
    assert escalated.alarm.level == 1 and engine.pending == {}


def test_low_side_deadband_holds_until_the_value_is_clearly_back() -> None:
    engine = AlarmEngine([_sensor("O2", O2_LIMITS)], [AlarmSettings()])
    [raised] = feed(engine, 19.4, 0)
    assert raised.alarm.level == 3
    assert feed(engine, 19.6, S) == [], "inside the 0.2 %vol deadband above 19.5"
    [cleared] = feed(engine, 19.8, 2 * S)
    assert not cleared.alarm.active


def test_latching_alarm_stays_unacknowledged_after_clearing_until_acknowledged() -> None:
    engine = make_engine(AlarmSettings(latching=True))
    feed(engine, 12.0, 0)
    [cleared] = feed(engine, 0.0, S)
    a = cleared.alarm
    assert (a.state, a.active, a.latched) == (AlarmState.UNACK, False, True)
    outcome = engine.acknowledge("A0", "li.wei", "operator", "desk-3", "gone", 2 * S)
    assert (outcome.change.alarm.state, outcome.change.alarm.latched) == (AlarmState.NORMAL, False)


def test_latched_alarm_that_returns_is_active_and_no_longer_latched() -> None:
    engine = make_engine(AlarmSettings(latching=True))
    feed(engine, 12.0, 0)
    feed(engine, 0.0, S)
    [back] = feed(engine, 12.0, 2 * S)
    assert (back.alarm.state, back.alarm.active, back.alarm.latched) == (
        AlarmState.UNACK,
        True,
        False,
    )


# --- escalation -------------------------------------------------------------------------------


def test_each_escalation_yellow_orange_red_re_annunciates_an_acknowledged_alarm() -> None:
    engine = make_engine()
    feed(engine, 6.0, 0)  # level IV
    levels = []
    for k, value in enumerate((11.0, 21.0, 26.0)):  # III, II, I
        ack(engine, (2 * k + 1) * S)
        assert state(engine) == AlarmState.ACKED
        [change] = feed(engine, value, (2 * k + 2) * S)
        levels.append((change.alarm.level, change.alarm.state, change.alarm.ack_user))
    assert levels == [(lv, AlarmState.UNACK, None) for lv in (3, 2, 1)]
    steps = engine.current("A0").alarm.steps
    assert [s.action for s in steps] == ["ack"] * 3, "earlier acknowledgements stay in history"


# --- chattering and flood ---------------------------------------------------------------------


def test_three_activations_within_a_minute_mark_the_alarm_chattering_until_they_age_out() -> None:
    engine = make_engine()
    flags = []
    for t in (0, 20, 40):
        [raised] = feed(engine, 12.0, t * S)
        feed(engine, 0.0, (t + 5) * S)
        flags.append(raised.alarm.chattering)
    assert flags == [False, False, True]
    assert engine.current("A0").alarm.chattering
    assert engine.advance(59 * S) == []
    [calm] = engine.advance(60 * S)
    assert not calm.alarm.chattering


def test_activations_spread_over_more_than_a_minute_are_not_chattering() -> None:
    engine = make_engine()
    for t in (0, 31, 62):
        [raised] = feed(engine, 12.0, t * S)
        feed(engine, 0.0, (t + 5) * S)
    assert not raised.alarm.chattering


def test_more_than_ten_new_alarms_in_ten_minutes_is_a_flood() -> None:
    engine = make_engine(count=12)
    for ch in range(10):
        feed(engine, 12.0, ch * 50 * S, channel=ch)
    assert (engine.flood, engine.alarm_rate) == (False, 10), "ten is the limit, not a flood"
    feed(engine, 12.0, 500 * S, channel=10)
    assert (engine.flood, engine.alarm_rate) == (True, 11)
    engine.advance(600 * S + 1)
    assert (engine.flood, engine.alarm_rate) == (False, 10), "the first one aged out"


# --- closed loop ------------------------------------------------------------------------------


def test_the_closed_loop_records_each_step_with_who_when_and_a_note() -> None:
    engine = make_engine(AlarmSettings(responsible="City Gas Co.", guidance="Call gas co."))
    feed(engine, 22.0, 0)
    engine.acknowledge("A0", "li.wei", "supervisor", "desk-3", "gas alarm seen", S)
    engine.loop_step("A0", "verify", BOSS, "CCTV shows workers evacuating", 2 * S, real=True)
    engine.loop_step("A0", "dispatch", BOSS, "phoned duty engineer", 3 * S)
    engine.loop_step("A0", "feedback", BOSS, "crew on site", 4 * S)
    engine.loop_step("A0", "feedback", BOSS, "valve closed, leak stopped", 5 * S)
    feed(engine, 0.0, 6 * S)
    record = engine.loop_step("A0", "close", BOSS, "archived", 7 * S).change.alarm
    assert (record.loop, record.verdict, record.state) == (
        LoopStage.CLOSED,
        "real",
        AlarmState.NORMAL,
    )
    assert (record.guidance, record.responsible) == ("Call gas co.", "City Gas Co.")
    rows = [(s.action, s.user, s.role, s.host, s.time_us // S, s.detail) for s in record.steps]
    assert rows == [
        ("ack", "li.wei", "supervisor", "desk-3", 1, ""),
        ("verify", "zhang.min", "supervisor", "desk-1", 2, "real"),
        ("dispatch", "zhang.min", "supervisor", "desk-1", 3, "City Gas Co."),
        ("feedback", "zhang.min", "supervisor", "desk-1", 4, ""),
        ("feedback", "zhang.min", "supervisor", "desk-1", 5, ""),
        ("close", "zhang.min", "supervisor", "desk-1", 7, ""),
    ]
    assert record.steps[3].note == "crew on site"
    assert engine.snapshot()[1] == [], "closed and normal: archived"
    assert [a.step.action for a in engine.archive][-1] == "close"


@pytest.mark.parametrize(
    ("steps", "refused", "message"),
    [
        ([], "verify", "acknowledge it first"),
        (["ack"], "dispatch", "verify it as real first"),
        (["ack", "verify-false"], "dispatch", "verify it as real first"),
        (["ack", "verify-real"], "feedback", "dispatch it first"),
        (["ack", "verify-real"], "close", "feedback"),
        (["ack"], "close", "feedback"),
    ],
)
def test_closed_loop_steps_out_of_order_are_refused(
    steps: list[str], refused: str, message: str
) -> None:
    engine = make_engine()
    feed(engine, 22.0, 0)
    for step in steps:
        if step == "ack":
            ack(engine, S)
        else:
            engine.loop_step("A0", "verify", BOSS, "", S, real=step == "verify-real")
    with pytest.raises(AlarmError, match=message):
        engine.loop_step("A0", refused, BOSS, "", 2 * S, real=True)


def test_a_false_alarm_may_be_closed_right_after_verification() -> None:
    engine = make_engine()
    feed(engine, 22.0, 0)
    ack(engine, S)
    engine.loop_step("A0", "verify", BOSS, "detector drift", 2 * S, real=False)
    record = engine.loop_step("A0", "close", BOSS, "calibration booked", 3 * S).change.alarm
    assert (record.loop, record.verdict, record.state) == (
        LoopStage.CLOSED,
        "false",
        AlarmState.ACKED,
    )


def test_dispatch_may_name_another_unit_than_the_configured_one() -> None:
    engine = make_engine(AlarmSettings(responsible="Tunnel operator"))
    feed(engine, 22.0, 0)
    ack(engine, S)
    engine.loop_step("A0", "verify", BOSS, "", 2 * S, real=True)
    record = engine.loop_step("A0", "dispatch", BOSS, "", 3 * S, unit="Fire brigade").change
    assert record.alarm.steps[-1].detail == "Fire brigade"


def test_loop_steps_on_a_normal_alarm_without_a_loop_are_refused() -> None:
    engine = make_engine()
    with pytest.raises(AlarmError, match="not raised and has no open loop"):
        engine.loop_step("A0", "verify", BOSS, "", 0, real=True)
