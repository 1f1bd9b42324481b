"""Wall pages turn on a timer and hold still while an alarm needs attention."""

from backend_client.protocol import AlarmRecord, AlarmState
from console.page_cycle import PageCycle, needs_attention


def alarm(level: int, state: AlarmState) -> AlarmRecord:
    return AlarmRecord(
        id=f"a{level}{state}", channel=0, sensor="s", level=level, state=state, active=True,
        value=1.0, limit=0.5, raised_us=0, changed_us=0,
    )  # fmt: skip


def test_pages_turn_every_cycle_and_wrap_around():
    cycle = PageCycle(3, 20.0, now=0.0)
    assert [cycle.page(t, hold=False) for t in (0, 19.9, 20, 39.9, 40, 60)] == [0, 0, 1, 1, 2, 0]


def test_a_late_tick_skips_the_pages_it_missed_and_keeps_the_rhythm():
    cycle = PageCycle(4, 10.0, now=0.0)
    assert cycle.page(25.0, hold=False) == 2
    assert cycle.seconds_left(25.0) == 5.0
    assert cycle.page(30.0, hold=False) == 3


def test_a_single_page_or_zero_cycle_never_turns():
    assert PageCycle(1, 10.0, 0.0).page(100.0, hold=False) == 0
    still = PageCycle(3, 0.0, 0.0)
    assert still.page(1000.0, hold=False) == 0 and still.seconds_left(5.0) is None


def test_a_hold_jumps_to_the_alarm_page_and_stays_there():
    cycle = PageCycle(3, 10.0, now=0.0)
    assert cycle.page(12.0, hold=False) == 1
    assert cycle.page(13.0, hold=True, attention_page=0) == 0
    assert cycle.page(100.0, hold=True, attention_page=0) == 0


def test_after_a_hold_the_page_shown_gets_a_full_dwell():
    cycle = PageCycle(3, 10.0, now=0.0)
    cycle.page(5.0, hold=True)
    assert cycle.page(50.0, hold=True) == 0
    assert cycle.page(59.0, hold=False) == 0  # released at 50: a whole cycle from there
    assert cycle.page(60.0, hold=False) == 1


def test_only_unacknowledged_alarms_of_the_hold_levels_need_attention():
    assert needs_attention([alarm(1, AlarmState.UNACK)], (1, 2))
    assert needs_attention([alarm(2, AlarmState.RTN_UNACK)], (1, 2))
    assert not needs_attention([alarm(1, AlarmState.ACKED)], (1, 2))
    assert not needs_attention([alarm(3, AlarmState.UNACK)], (1, 2))
    assert not needs_attention([alarm(1, AlarmState.SHELVED)], (1, 2))
    assert needs_attention([alarm(3, AlarmState.UNACK)], (1, 2, 3))
