"""The console's alarm book: in-order changes, gaps detected, snapshots replace and replay."""

from backend_client.model.alarm_book import AlarmBook
from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState


def _alarm(alarm_id="S1", state=AlarmState.UNACK, level=2, raised=1):
    return AlarmRecord(alarm_id, 0, alarm_id, level, state, True, 1.0, 1.0, raised, raised)


def test_changes_before_the_first_snapshot_are_buffered_then_replayed():
    book = AlarmBook()
    assert book.apply_change(AlarmChange(11, _alarm("B")))
    book.apply_snapshot(10, [_alarm("A")])
    assert {a.id for a in book.active()} == {"A", "B"}
    assert book.seq == 11


def test_changes_already_in_the_snapshot_are_ignored():
    book = AlarmBook()
    book.apply_change(AlarmChange(5, _alarm("old", AlarmState.UNACK)))
    book.apply_snapshot(6, [])
    assert book.active() == []


def test_a_sequence_gap_is_reported_and_unsyncs_the_book():
    book = AlarmBook()
    book.apply_snapshot(1, [])
    assert book.apply_change(AlarmChange(2, _alarm("A")))
    assert not book.apply_change(AlarmChange(4, _alarm("B")))
    assert not book.synced
    assert book.gaps == 1


def test_a_normal_record_removes_the_alarm():
    book = AlarmBook()
    book.apply_snapshot(0, [_alarm("A")])
    book.apply_change(AlarmChange(1, _alarm("A", AlarmState.NORMAL)))
    assert book.active() == []


def test_queue_order_is_unacked_first_then_level_then_newest():
    book = AlarmBook()
    book.apply_snapshot(
        0,
        [
            _alarm("acked-I", AlarmState.ACKED, level=1, raised=9),
            _alarm("unack-III", AlarmState.UNACK, level=3, raised=5),
            _alarm("unack-I-old", AlarmState.UNACK, level=1, raised=1),
            _alarm("unack-I-new", AlarmState.UNACK, level=1, raised=2),
        ],
    )
    assert [a.id for a in book.active()] == ["unack-I-new", "unack-I-old", "unack-III", "acked-I"]


def test_behind_tells_when_the_backend_has_newer_changes():
    book = AlarmBook()
    book.apply_snapshot(3, [])
    assert book.behind(4)
    assert not book.behind(3)


def test_a_cleared_alarm_stays_in_the_book_until_its_closed_loop_is_closed():
    from dataclasses import replace

    from backend_client.protocol import LoopStage

    book = AlarmBook()
    book.apply_snapshot(1, [])
    cleared = replace(_alarm("A", AlarmState.NORMAL), loop=LoopStage.DISPATCHED)
    book.apply_change(AlarmChange(2, cleared))
    assert book.get("A") == cleared and book.open_loops() == [cleared]
    assert book.active() == []  # not abnormal: no standing alarm, no 3D colour
    book.apply_change(AlarmChange(3, replace(cleared, loop=LoopStage.CLOSED)))
    assert book.get("A") is None and book.open_loops() == []
