"""The wall queue's pure model: order, filters, counts, flood, first-out, batches; no Qt."""

import random

from backend_client.city import Sensor
from backend_client.model.alarm_book import AlarmBook
from backend_client.model.alarm_queue import AlarmQueue, QueueFilter
from backend_client.model.alarm_queue_annunciation import AnnunciationPolicy
from backend_client.model.alarm_queue_keys import SortedKeys, queue_key
from backend_client.model.alarm_queue_raises import RaiseHistory
from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState

MIN = 60_000_000
S = AlarmState


def _sensor(i, domain="gas", area="north", asset=None):
    return Sensor(f"S{i}", f"Sensor {i}", domain, "ch4", "%LEL", (0, 0, 0), asset or f"A{i}", area)


def _alarm(i, level=2, state=S.UNACK, raised=0, value=1.0):
    return AlarmRecord(f"S{i}", i, f"S{i}", level, state, True, value, 1.0, raised, raised)


def _queue(alarms, sensors=None):
    sensors = sensors or [_sensor(a.channel) for a in alarms]
    queue = AlarmQueue(sensors)
    queue.reset(alarms)
    return queue


def _ids(queue):
    return [e.id for e in queue.entries()]


def test_order_is_unacked_first_then_level_then_newest():
    queue = _queue(
        [
            _alarm(0, level=1, state=S.ACKED, raised=9),
            _alarm(1, level=3, raised=5),
            _alarm(2, level=1, raised=1),
            _alarm(3, level=1, raised=2),
            _alarm(4, level=2, state=S.RTN_UNACK, raised=3),
            _alarm(5, level=1, state=S.SHELVED, raised=8),
        ]
    )
    assert _ids(queue) == ["S3", "S2", "S4", "S1", "S0", "S5"]


def test_a_batch_gives_the_same_order_as_sorting_everything_afresh():
    rng = random.Random(4)
    sensors = [_sensor(i) for i in range(400)]
    states = [S.UNACK, S.ACKED, S.RTN_UNACK, S.SHELVED, S.NORMAL]
    current = {i: _alarm(i, rng.randint(1, 4), S.UNACK, rng.randint(0, 10**6)) for i in range(300)}
    queue = _queue(list(current.values()), sensors)
    for batch_size in (1, 5, 40, 200, 1000):  # bisect path and merge path
        batch = {}
        for _ in range(batch_size):
            i = rng.randrange(400)
            record = _alarm(i, rng.randint(1, 4), rng.choice(states), rng.randint(0, 10**6))
            batch[record.id] = record
            current[i] = record
        queue.apply(batch)
        expected = sorted((a for a in current.values() if a.state != S.NORMAL), key=queue_key)
        assert _ids(queue) == [a.id for a in expected]
        assert all(queue.row_of(a.id) == row for row, a in enumerate(expected))


def test_a_normal_or_missing_record_removes_the_alarm():
    queue = _queue([_alarm(0), _alarm(1)])
    update = queue.apply({"S0": _alarm(0, state=S.NORMAL), "S1": None})
    assert len(queue) == 0 and update.removed == 2


def test_filters_by_domain_area_and_state_and_keep_order_under_batches():
    sensors = [
        _sensor(0, "gas", "north"),
        _sensor(1, "water", "north"),
        _sensor(2, "gas", "south"),
        _sensor(3, "gas", "north"),
    ]
    queue = _queue([_alarm(0, raised=1), _alarm(1), _alarm(2), _alarm(3, state=S.ACKED)], sensors)
    queue.set_filter(QueueFilter(domains=frozenset({"gas"}), areas=frozenset({"north"})))
    assert _ids(queue) == ["S0", "S3"]
    queue.set_filter(
        QueueFilter(domains=frozenset({"gas"}), states=frozenset({S.UNACK, S.RTN_UNACK}))
    )
    assert set(_ids(queue)) == {"S0", "S2"}
    queue.apply({"S3": _alarm(3, level=1, raised=7)})  # S3 unacked again: now it passes
    assert _ids(queue) == ["S3", "S0", "S2"]
    assert queue.row_of("S1") == -1 and queue.total == 4


def test_area_names_come_from_the_city_when_given():
    queue = AlarmQueue([_sensor(0, area="a1")], area_names={"a1": "Binhu"})
    queue.reset([_alarm(0)])
    assert queue.entries()[0].area == "Binhu" and queue.areas() == ["Binhu"]


def test_counts_per_level_and_domain_follow_batches_and_leave_shelved_apart():
    sensors = [_sensor(0, "gas"), _sensor(1, "water"), _sensor(2, "water"), _sensor(3, "gas")]
    queue = _queue(
        [_alarm(0, level=1), _alarm(1, level=3), _alarm(2, level=3, state=S.ACKED)], sensors
    )
    counts = queue.counts()
    assert counts.by_level == {1: 1, 3: 2} and counts.by_domain == {"gas": 1, "water": 2}
    assert counts.unacked == 2 and counts.standing == 3
    queue.apply({"S0": None, "S3": _alarm(3, level=1, state=S.SHELVED)})
    counts = queue.counts()
    assert counts.by_level == {3: 2} and counts.by_domain == {"water": 2}
    assert counts.unacked == 1 and counts.set_aside == 1


def test_flood_is_more_than_ten_raises_in_ten_minutes_counting_cleared_alarms():
    queue = _queue([])
    now = 100 * MIN
    queue.apply({f"S{i}": _alarm(i, raised=now - 9 * MIN + i) for i in range(10)})
    assert not queue.flooding(now)
    queue.apply({"S0": None, "S10": _alarm(10, raised=now)})  # a cleared alarm still counts
    assert queue.flooding(now)
    assert not queue.flooding(now + 2 * MIN)  # the oldest raises aged out of the window


def test_a_backend_flood_flag_overrides_the_console_count():
    queue = _queue([_alarm(0)])
    queue.set_backend_flood(True)
    assert queue.flooding(0)
    queue.set_backend_flood(False)
    queue.apply({f"S{i}": _alarm(i, raised=i) for i in range(1, 30)})
    assert not queue.flooding(30)


def test_first_out_is_the_earliest_raise_of_each_burst():
    t0 = 50 * MIN
    burst_one = {f"S{i}": _alarm(i, raised=t0 + i * 1_000_000) for i in range(4)}
    lone = {"S9": _alarm(9, raised=t0 + 20 * MIN)}
    burst_two = {f"S{i}": _alarm(i, raised=t0 + 40 * MIN + i) for i in (5, 6, 7)}
    queue = _queue([])
    queue.apply(burst_one)
    queue.apply(lone)
    queue.apply(burst_two)
    first = {e.id for e in queue.entries() if queue.is_first_out(e)}
    assert first == {"S0", "S5"}


def test_first_out_stays_with_its_raise_when_it_clears_and_raises_again():
    queue = _queue([])
    queue.apply({f"S{i}": _alarm(i, raised=MIN + i) for i in range(3)})
    assert queue.is_first_out(queue.get("S0"))
    queue.apply({"S0": _alarm(0, raised=30 * MIN)})  # a later, lone raise of the same sensor
    assert not queue.is_first_out(queue.get("S0"))


def test_flood_groups_count_alarms_per_asset_in_queue_order():
    sensors = [_sensor(i, asset="pipe-7" if i < 3 else "tunnel-1") for i in range(5)]
    queue = _queue(
        [
            *(_alarm(0, level=3), _alarm(1, level=2, state=S.ACKED), _alarm(2, level=4)),
            *(_alarm(3, level=1, raised=5), _alarm(4, level=2, raised=6)),
        ],
        sensors,
    )
    groups = queue.groups()
    assert [(g.asset, g.count, g.unacked, g.level) for g in groups] == [
        ("tunnel-1", 2, 2, 1),
        ("pipe-7", 3, 2, 2),
    ]
    queue.apply({"S3": None, "S4": None})
    assert [g.asset for g in queue.groups()] == ["pipe-7"]
    assert queue.group_row_of("tunnel-1") == -1
    queue.set_filter(QueueFilter(asset="pipe-7"))
    assert _ids(queue) == ["S0", "S2", "S1"]


def test_a_batch_reports_new_and_escalated_severe_raises_once():
    queue = _queue([_alarm(0, level=3)])
    update = queue.apply({"S0": _alarm(0, level=2), "S1": _alarm(1, level=1, raised=4)})
    assert {a.id for a in update.raised} == {"S0", "S1"}
    update = queue.apply({"S1": _alarm(1, level=1, raised=4, value=9.0)})  # value only
    assert update.raised == () and update.changed == 1
    update = queue.apply({"S2": _alarm(2, level=3, raised=5)})
    assert update.raised == ()


def test_the_book_hands_out_batches_since_a_cursor_and_everything_after_a_snapshot():
    book = AlarmBook()
    book.apply_snapshot(0, [_alarm(0)])
    delta = book.changes_since(None)
    assert delta.full and set(delta.alarms) == {"S0"}
    book.apply_change(AlarmChange(1, _alarm(1)))
    book.apply_change(AlarmChange(2, _alarm(1, state=S.ACKED)))
    book.apply_change(AlarmChange(3, _alarm(0, state=S.NORMAL)))
    delta = book.changes_since(delta.cursor)
    assert not delta.full
    assert delta.alarms == {"S1": _alarm(1, state=S.ACKED), "S0": None}
    assert book.changes_since(delta.cursor).alarms == {}
    book.apply_snapshot(10, [])
    assert book.changes_since(delta.cursor).full


def test_sorted_keys_merge_and_bisect_paths_agree():
    rng = random.Random(1)
    keys = SortedKeys((rng.random(), i) for i in range(1000))
    model = sorted(keys)
    for n in (3, 500):
        gone = rng.sample(model, n)
        new = [(rng.random(), 1000 + k + n) for k in range(n)]
        keys.update(gone, new)
        model = sorted(set(model) - set(gone) | set(new))
        assert list(keys) == model


def test_raise_history_is_bounded_and_counts_a_window():
    history = RaiseHistory()
    history.add((f"S{i}", i * MIN) for i in range(30))
    assert history.raised_within(29 * MIN, 10 * MIN) == 11
    assert not history.add([("S1", MIN)])  # seen already


def test_raises_after_now_do_not_count_when_a_replay_goes_back_in_time():
    history = RaiseHistory()
    history.add((f"S{i}", i * MIN) for i in range(30))
    assert history.raised_within(5 * MIN, 10 * MIN) == 6  # 0..5 min, not the 24 later ones
    assert not history.flooding(5 * MIN)


def test_annunciation_sounds_at_most_once_an_interval_and_counts_a_flood():
    policy = AnnunciationPolicy(interval_s=5.0)
    policy.note(1)
    first = policy.poll(100.0, flooding=False)
    assert first is not None and first.alarms == 1
    policy.note(7)
    assert policy.poll(102.0, flooding=True) is None  # too soon: they wait
    policy.note(5)
    later = policy.poll(105.0, flooding=True)
    assert later is not None and later.text == "12 more alarms"
    policy.silence()
    assert policy.poll(200.0, flooding=True) is None and not policy.sounding


def test_a_cleared_alarm_with_an_open_loop_is_listed_after_standing_ones_but_not_counted():
    from dataclasses import replace

    from backend_client.protocol import LoopStage

    waiting = replace(_alarm(1, level=1, state=S.NORMAL, raised=9), loop=LoopStage.VERIFIED)
    queue = _queue([_alarm(0, level=3, raised=1), waiting])
    assert _ids(queue) == ["S0", "S1"]
    assert queue.counts().standing == 1 and queue.counts().by_level == {3: 1}
    queue.apply({"S1": replace(waiting, loop=LoopStage.CLOSED)})
    assert _ids(queue) == ["S0"]
