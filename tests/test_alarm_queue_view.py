"""The wall alarm queue as real widgets: flashing, keys, acknowledgement, counts, horn, flood."""

import sys
import time

import pytest
from PySide6.QtCore import Qt

from backend_client.city import Sensor
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState
from views.alarm_queue_view import AlarmQueueView

S = AlarmState


def _model(n=20):
    model = ConsoleModel(buffer_capacity=64)
    domains = ("gas", "water", "bridge")
    model.set_catalog(
        tuple(
            Sensor(
                f"S{i}",
                f"Sensor {i}",
                domains[i % 3],
                "ch4",
                "%LEL",
                (0, 0, 0),
                f"asset-{i % 4}",
                "north",
            )
            for i in range(n)
        )
    )
    return model


def _alarm(i, level=2, state=S.UNACK, raised=None):
    raised = int(time.time() * 1e6) - 3600_000_000 + i if raised is None else raised
    return AlarmRecord(f"S{i}", i, f"S{i}", level, state, True, 30.0, 20.0, raised, raised, "high")


def _view(qtbot, model, **kwargs):
    view = AlarmQueueView(model, **kwargs)
    qtbot.addWidget(view)
    view.resize(1400, 700)
    with qtbot.waitActive(view):  # shortcuts need an active window
        view.show()
        view.activateWindow()
    return view


def _change(model, *alarms):
    for alarm in alarms:
        model.alarms.apply_change(AlarmChange(model.alarms.seq + 1, alarm))


def test_unacked_rows_flash_no_faster_than_three_hertz_and_only_they_repaint(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 1), _alarm(1, 3, S.ACKED), _alarm(2, 2)])
    view = _view(qtbot, model)
    phases = []
    view.flashPhaseChanged.connect(lambda on: phases.append((time.monotonic(), on)))
    qtbot.wait(2600)
    assert len(phases) >= 3, "unacknowledged rows must flash"
    span = phases[-1][0] - phases[0][0]
    cycles_per_s = (len(phases) - 1) / 2 / span
    assert cycles_per_s <= 3.0
    assert view.table.repaint_flashing() == 2  # the two unacked rows, not the acked one


def test_arrows_move_and_enter_asks_for_details_of_the_current_alarm(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 1), _alarm(1, 3), _alarm(2, 4)])
    view = _view(qtbot, model)
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.table.current_alarm().id == "S1"
    with qtbot.waitSignal(view.detailsRequested) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == ["S1"]


def test_acknowledge_key_needs_a_comment_for_level_one_then_forwards_it(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 1)])
    view = _view(qtbot, model)
    view.table.setFocus()
    view.table.selectRow(0)
    with qtbot.assertNotEmitted(view.acknowledgeRequested):
        qtbot.keyClick(view.table, Qt.Key.Key_A)
    assert "comment is required" in view.message.text()
    assert view.focusWidget() is view.comment
    qtbot.keyClicks(view.comment, "gas company informed")
    with qtbot.waitSignal(view.acknowledgeRequested) as blocker:
        qtbot.keyClick(view.comment, Qt.Key.Key_Return)
    assert blocker.args == ["S0", "gas company informed"]


def test_space_acknowledges_a_level_three_alarm_without_a_comment(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(3, 3)])
    view = _view(qtbot, model)
    view.table.setFocus()
    view.table.selectRow(0)
    with qtbot.waitSignal(view.acknowledgeRequested) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert blocker.args == ["S3", ""]


def test_header_counts_levels_domains_and_unacked_after_a_batch(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 1), _alarm(1, 3, S.ACKED)])
    view = _view(qtbot, model)
    _change(model, _alarm(3, 1), _alarm(4, 4))  # gas, water
    view.refresh()
    assert view.counts[1].text().split()[-1] == "2"
    assert view.counts[4].text().split()[-1] == "1"
    assert view.header.domains["gas"].text() == "GAS 2"
    assert view.header.domains["water"].text() == "WATER 2"
    assert view.header.domains["bridge"].isHidden()  # only domains with alarms take room
    assert view.unacked.text() == "3 unacknowledged"


def test_selection_stays_on_the_same_alarm_when_a_batch_reorders_rows(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(i, 3) for i in range(6)])
    view = _view(qtbot, model)
    view.select_alarm("S2")
    _change(model, _alarm(10, 1), _alarm(11, 1), _alarm(4, 3, S.ACKED))
    view.refresh()
    assert view.table.current_alarm().id == "S2"
    assert view.table.selectionModel().selectedRows()[0].row() == view.table_model.row_of("S2")


def test_a_new_severe_alarm_sounds_and_silence_stops_it(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [])
    view = _view(qtbot, model)
    with qtbot.waitSignal(view.annunciated) as blocker:
        _change(model, _alarm(0, 1))
        view.refresh()
    assert blocker.args == ["New level I/II alarm"]
    assert view.header.annunciation.isVisible() and view.header.silence_button.isEnabled()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_S)
    assert not view.header.annunciation.isVisible()
    assert not view.header.silence_button.isEnabled()
    with qtbot.assertNotEmitted(view.annunciated, wait=100):
        _change(model, _alarm(1, 3))  # level III: no sound
        view.refresh()


def test_a_flood_groups_by_asset_sounds_once_and_enter_opens_a_group(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [])
    now = time.time()
    view = _view(qtbot, model, clock=lambda: now)
    sounds = []
    view.annunciated.connect(sounds.append)
    _change(model, *(_alarm(i, 2, raised=int(now * 1e6) - i) for i in range(12)))
    view.refresh()
    assert sounds == ["12 more alarms"]
    assert view.header.flood.isVisible() and "12 alarms" in view.header.flood.text()
    assert view.table_model.grouped and view.table_model.rowCount() == 4
    assert view.table_model.index(0, 2).data() == "×3"
    view.table.setFocus()
    view.table.selectRow(0)
    asset = view.table.current_group().asset
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert not view.table_model.grouped and view.table_model.rowCount() == 3
    assert {view.table_model.alarm_at(r).id for r in range(3)} <= {f"S{i}" for i in range(12)}
    qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    assert view.table_model.grouped and view.table.current_group().asset == asset


@pytest.fixture
def dark_theme(qapp):
    from importlib.resources import files

    qapp.setStyleSheet((files("resources") / "styles" / "dark.qss").read_text("utf-8"))
    yield
    qapp.setStyleSheet("")


def test_wall_scale_makes_rows_taller_than_normal(qtbot, dark_theme):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 1)])
    view = _view(qtbot, model)
    assert view.property("scale") == "large"  # the default reads from across the room
    view.set_scale("normal")
    normal = view.table.rowHeight(0)
    view.set_scale("wall")
    assert view.table.rowHeight(0) > 2 * normal


def test_without_audio_the_horn_stays_silent_and_says_why(qtbot, caplog):
    from widgets.alarm_sound import AlarmHorn, tone_wav

    assert tone_wav()[:4] == b"RIFF"
    horn = AlarmHorn()
    if horn.audible:
        pytest.skip("this machine has an audio device")
    assert "alarm sound off" in caplog.text
    with qtbot.waitSignal(horn.sounded):
        horn.sound("1 more alarm")


def test_the_queue_model_imports_no_qt():
    import subprocess

    code = (
        "import sys, backend_client.model.alarm_queue as q, backend_client.model.alarm_book as b;"
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_typing_a_comment_is_not_taken_by_the_single_key_shortcuts(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 1)])
    view = _view(qtbot, model)
    view.annunciator.note(1)
    view.refresh()
    view.comment.setFocus()
    qtbot.keyClicks(view.comment, "Gas valve Leak, Silenced")
    qtbot.keyClick(view.comment, Qt.Key.Key_Backspace)
    assert view.comment.text() == "Gas valve Leak, Silence"
    assert not view.filters.group.isChecked()
    assert view.header.silence_button.isEnabled()  # S went into the text, not the horn
