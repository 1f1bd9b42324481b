"""The console in replay on a real recorded gas leak: the timeline and transport drive the
ReplaySource, every view shows the recording at the replay time, the REPLAY banner is there,
and an acknowledgement is a training action (training log, never the recording's actions)."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from importlib.resources import files

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmState, LinkState
from backend_client.recording.reader import RecordingReader
from backend_client.recording.replay import ReplaySource
from backend_client.recording.store import RecordingStore
from backend_client.recording.training import TrainingLog
from console.app import build_replay_window
from console.config import ConsoleConfig
from console.screenshot import grab_window
from tests.test_replay_ui_support import fresh_copy
from views.replay_bookmark import BookmarkDialog

pytestmark = pytest.mark.skipif(
    not os.environ.get("DISPLAY"), reason="VTK's Qt view needs an X server (run under xvfb-run)"
)
REPLAY_PURPLE = QColor("#7b4fc9")


@pytest.fixture
def replay_console(qtbot, tmp_path):
    rec = fresh_copy(tmp_path)
    store = RecordingStore(rec.db)
    config = ConsoleConfig(user="trainee1", role="supervisor")
    window, session, bridge = build_replay_window(config, store)
    qtbot.addWidget(window)
    window.setStyleSheet((files("resources") / "styles" / "dark.qss").read_text("utf-8"))
    window.resize(1600, 900)
    window.show()
    bridge.start()  # the bridge runs; the session's clock is ticked by hand where time matters
    qtbot.waitUntil(lambda: window.scene_view._has_city, timeout=15_000)
    yield rec, store, window, session, bridge
    session.stop()
    bridge.stop()
    session.seat.stop()
    window.scene_view.scene.shutdown()
    store.close()


def reference_at(store: RecordingStore, session, t_us: int) -> ConsoleModel:
    """A model fed by a ReplaySource of its own, sought to t: what the views must show."""
    model = ConsoleModel(buffer_capacity=session.model.buffer_capacity)
    source = ReplaySource(store, model, session.source.start_us, session.source.end_us)
    source.seek(t_us)
    return model


def queue_ids(window) -> set[str]:
    table = window.alarm_queue.table_model
    return {table.alarm_at(row).id for row in range(table.rowCount())}


def test_replay_shows_replay_as_the_link_and_a_banner_across_the_window(replay_console, qtbot):
    _rec, _store, window, session, _bridge = replay_console
    assert session.model.link == LinkState.REPLAY
    qtbot.waitUntil(lambda: "REPLAY" in window.status.link.text(), timeout=2_000)
    bar = session.bar
    assert bar.isVisible() and bar.banner.isVisible()
    assert bar.banner.text().startswith("REPLAY")
    assert "REPLAY" in window.windowTitle()
    image = grab_window(window, window.gl_frames())
    top = bar.mapTo(window, QPoint(0, 0)).y() + 1  # the bar's margin, above its controls
    row = [image.pixelColor(x, top) for x in range(0, image.width(), 8)]
    purple = sum(c == REPLAY_PURPLE for c in row)
    assert purple > 0.5 * len(row), "the replay bar is not a purple band across the window"


def test_dragging_the_playhead_seeks_and_every_view_shows_that_time(replay_console, qtbot):
    rec, store, window, session, _bridge = replay_console
    timeline = session.bar.timeline
    source = session.source
    raises = source.raise_times()
    target = raises[0] + 3_000_000  # a few seconds into the leak
    x_from = round(timeline.x_at(source.start_us + 1_000_000))
    x_to = round(timeline.x_at(target))
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x_from, 20))
    for x in range(x_from, x_to, max(1, (x_to - x_from) // 5)):
        qtbot.mouseMove(timeline, QPoint(x, 20))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x_to, 20))
    session.tick()
    reached = timeline.time_at_x(x_to)
    assert source.now_us == reached and not source.playing
    assert abs(reached - target) < (source.end_us - source.start_us) / timeline.track_width() + 1

    expected = reference_at(store, session, reached)
    want = {a.id for a in expected.alarms.active()}
    assert want and rec.leak_channel in {a.channel for a in expected.alarms.active()}
    assert session.model.alarms.changes_since(None).alarms == (
        expected.alarms.changes_since(None).alarms
    )
    qtbot.waitUntil(lambda: queue_ids(window) == want, timeout=3_000)

    window.plots.show_channel(rec.leak_channel)
    qtbot.waitUntil(lambda: len(window.plots.plot.drawn(rec.leak_channel)[0]) > 2, timeout=3_000)
    xs, _ys = window.plots.plot.drawn(rec.leak_channel)
    last_recorded = expected.buffers.series(rec.leak_channel).times_us[-1] / 1e6
    assert xs.max() <= reached / 1e6 + 1e-6  # nothing from after the replay time
    assert xs.max() == pytest.approx(last_recorded, abs=1e-3)
    assert session.bar.banner.text().count(":") == 2  # the banner shows the replay clock

    codes, _blink = session.model.sensor_codes()  # what the 3D view colours
    worst = min(a.level for a in expected.alarms.active() if a.channel == rec.leak_channel)
    assert codes[rec.leak_channel] == worst


def test_speed_and_loop_from_the_bar_drive_the_source(replay_console, qtbot):
    _rec, _store, _window, session, _bridge = replay_console
    bar, source = session.bar, session.source
    bar.speed.setCurrentIndex(bar.speed.findData(64.0))
    bar.speed.activated.emit(bar.speed.currentIndex())
    assert source.speed == 64.0
    bar.loop_button.click()
    assert source.loop
    positions: list[int] = []
    session.positionChanged.connect(positions.append)
    bar.play_button.click()
    assert source.playing and bar.play_button.text().endswith("Pause")
    session.start()
    span_s = (source.end_us - source.start_us) / 1e6
    qtbot.waitUntil(
        lambda: any(b < a for a, b in itertools.pairwise(positions)),
        timeout=int(span_s / 64 * 1000 * 4) + 3_000,
    )  # it went back to the start and went on
    assert source.playing
    bar.play_button.click()
    assert not source.playing


def test_stepping_goes_to_the_next_alarm_and_back(replay_console, qtbot):
    _rec, _store, window, session, _bridge = replay_console
    source = session.source
    raises = source.raise_times()
    session.bar.next_button.click()
    assert source.now_us == raises[0]
    raised_now = {a.id for a in source.model.alarms.active() if a.raised_us == raises[0]}
    assert raised_now
    qtbot.waitUntil(lambda: raised_now <= queue_ids(window), timeout=3_000)
    assert session.bar.timeline.position_us == raises[0]
    if len(raises) > 1:
        session.bar.next_button.click()
        assert source.now_us == raises[1]
        session.bar.previous_button.click()
        assert source.now_us == raises[0]


def test_an_acknowledgement_in_replay_is_a_training_action(replay_console, qtbot):
    _rec, store, window, session, _bridge = replay_console
    reader = RecordingReader(store)
    actions_before = reader.actions(0, 2**62)
    session.step(+1)
    qtbot.waitUntil(lambda: bool(queue_ids(window)), timeout=3_000)
    unacked = [a for a in session.model.alarms.active() if a.state == AlarmState.UNACK]
    alarm = unacked[0]
    session.seek(session.source.now_us + 1_500_000)  # the trainee takes 1.5 s
    window.alarm_queue.select_alarm(alarm.id)
    window.alarm_queue.comment.setText("gas detector confirmed, calling the gas company")
    window.alarm_queue.ack_button.click()
    qtbot.waitUntil(lambda: "TRAINING" in window.alarm_queue.message.text(), timeout=3_000)

    log = TrainingLog(store)
    acks = log.acks(session.seat.session_id)
    assert [(a.alarm_id, a.user) for a in acks] == [(alarm.id, "trainee1")]
    assert acks[0].replay_us == session.source.now_us
    assert reader.actions(0, 2**62) == actions_before  # the recording's actions are untouched
    assert session.model.alarms.get(alarm.id).state == AlarmState.UNACK  # the recording's state

    view = session.score_view
    assert view is not None and view.isVisibleTo(window)
    cells = {
        view.table.item(r, 1).text(): view.table.item(r, 4).text()
        for r in range(view.table.rowCount())
    }
    assert cells[alarm.id].startswith("TRAINING")
    score = log.score(session.seat.session_id, reader)
    mine = next(r for r in score.rows if r.alarm_id == alarm.id)
    assert mine.trainee_delay_s == pytest.approx(
        (acks[0].replay_us - mine.raised_us) / 1e6, abs=1e-6
    )
    assert "1 of" in view.summary.text()
    assert session.bar.timeline.training_acks == (acks[0].replay_us,)  # tagged on the timeline
    pending = [r for r in range(view.table.rowCount()) if view.table.item(r, 4).text() == "not yet"]
    assert pending
    session.seek(session.source.end_us)  # past every raise: what was not acknowledged is missed
    assert all(view.table.item(r, 4).text() == "missed" for r in pending)


def test_the_bookmark_dialog_saves_title_notes_and_span(replay_console, qtbot):
    _rec, _store, _window, session, _bridge = replay_console
    session.step(+1)

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, BookmarkDialog)
        dialog.title.setText("")
        dialog._accept_if_valid()
        assert "title" in dialog.error.text()  # refused: still open
        dialog.title.setText("Leak, first seconds")
        dialog.notes.setPlainText("zone 9 detector first")
        dialog._accept_if_valid()

    QTimer.singleShot(300, fill)
    incident = session.ask_bookmark()
    assert incident is not None and incident.kind == "bookmark"
    assert (incident.title, incident.notes) == ("Leak, first seconds", "zone 9 detector first")
    s = session.source
    second = 1_000_000  # the dialog edits whole seconds
    assert s.start_us - second <= incident.start_us <= s.now_us <= incident.end_us + second
    assert incident.end_us <= s.end_us + second
    assert "Leak, first seconds" in [i.title for i in session.library_view.incidents]


def test_the_details_panel_ack_is_training_too(replay_console, qtbot):
    _rec, _store, window, session, _bridge = replay_console
    session.step(+1)
    alarm = next(a for a in session.model.alarms.active() if a.state == AlarmState.UNACK)
    window.show_alarm_details(alarm.id)
    details = window.alarm_details
    details.note.setText("seen on CCTV")
    assert details.take_step("ack")
    qtbot.waitUntil(lambda: alarm.id in session.seat.acks, timeout=3_000)
    qtbot.waitUntil(lambda: "Acknowledged" in details.message.text(), timeout=3_000)
    assert details.details.record.ack_user == "trainee1 (training)"
    assert "[training]" in details.details.record.steps[-1].note
    refused = details.take_step("verify_real")
    if refused:  # sent: the seat refuses it, nothing goes anywhere
        qtbot.waitUntil(lambda: "acknowledgements only" in details.message.text(), timeout=3_000)


def test_going_back_in_the_recording_starts_the_kpis_over(replay_console):
    _rec, _store, window, session, _bridge = replay_console
    source = session.source
    session.seek(source.end_us)
    window.alarm_kpis.recompute()
    assert window.alarm_kpis.log.raises  # the leak's raises were seen
    session.seek(source.start_us)
    assert window.alarm_kpis.log.started_us == source.start_us
    assert not window.alarm_kpis.log.raises  # none raised yet at the start


def test_a_bookmark_lands_in_the_incident_library(replay_console):
    _rec, _store, _window, session, _bridge = replay_console
    s = session.source
    incident = session.bookmark("Night drill", "watch the ventilation", s.start_us, s.end_us)
    assert incident.kind == "bookmark" and incident.alarm_count >= 1
    titles = [i.title for i in session.library_view.incidents]
    assert "Night drill" in titles


def test_a_wall_seat_gets_no_bookmark_dialog_and_no_score(qtbot, tmp_path):
    rec = fresh_copy(tmp_path)
    store = RecordingStore(rec.db)
    try:
        window, session, _bridge = build_replay_window(ConsoleConfig(role="wall"), store)
        qtbot.addWidget(window)
        assert session.score_view is None
        assert not session.bar.bookmark_button.isVisibleTo(session.bar)
        assert session.ask_bookmark() is None
        window.scene_view.scene.shutdown()
    finally:
        store.close()


def test_cli_replay_writes_a_screenshot_with_the_banner(tmp_path):
    rec = fresh_copy(tmp_path)
    out = tmp_path / "replay.png"
    args = ["--replay", str(rec.db), "--speed", "4", "--screenshot", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "console", *args, "--quit-after", "6", "--size", "1600x900"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    image = QImage(str(out)).convertToFormat(QImage.Format.Format_RGB888)
    assert (image.width(), image.height()) == (1600, 900)
    stride = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), np.uint8, count=stride * 900).reshape(900, stride)
    top = raw[:40, : 1600 * 3].reshape(40, 1600, 3).astype(int)
    purple = np.abs(top - np.array([0x7B, 0x4F, 0xC9])).sum(axis=2) < 30
    assert purple.any(axis=0).mean() > 0.5, "no purple REPLAY band across the top"


def test_cli_rejects_an_unknown_incident_and_replay_options_without_replay(tmp_path):
    rec = fresh_copy(tmp_path)
    run = [sys.executable, "-m", "console", "--quit-after", "1"]
    bad = subprocess.run(
        [*run, "--replay", str(rec.db), "--incident", "9999"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "no incident 9999" in bad.stderr
    alone = subprocess.run([*run, "--speed", "2"], capture_output=True, text=True, timeout=60)
    assert alone.returncode == 2 and "need --replay" in alone.stderr
    missing = tmp_path / "none.sqlite"
    absent = subprocess.run([*run, "--replay", str(missing)], capture_output=True, text=True)
    assert absent.returncode == 2 and "no recording" in absent.stderr and not missing.exists()
