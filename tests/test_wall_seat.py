"""A wall seat on the real simulator: full screen, read-only, no dialogs, pages that hold."""

import socket
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QLineEdit, QMessageBox

from backend_client.city import demo_city_path, load_city
from backend_client.client import BackendClient, ClientConfig, Identity, RequestError
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmState, LinkState
from console.config import ConsoleConfig
from console.model_bridge import ModelBridge
from console.wall_layout import FORMAT, WallPage, WallScreen, wall_layout_from_dict
from console.wall_pages import BuiltPage
from console.wall_seat import WallSeat, wall_screens
from console.wall_window import WallWindow
from simulator.server import SimServer

LAYOUT = {
    "format": FORMAT,
    "name": "one-screen test wall",
    "screens": [
        {
            "screen": 0,
            "cycle_s": 30,
            "pages": [{"view": "scene"}, {"view": "alarm_queue"}, {"view": "plots"}],
        }
    ],
}


@pytest.fixture
def wall(qtbot, qapp):
    server = SimServer(load_city(demo_city_path()), "tcp://127.0.0.1:*", "tcp://127.0.0.1:*")
    server.start()
    model = ConsoleModel(buffer_capacity=1024)
    client = BackendClient(
        model,
        ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint),
        Identity(user="wall-1", role="wall", host=socket.gethostname()),
    )
    bridge = ModelBridge(model, fps=30)
    config = ConsoleConfig(role="wall", user="wall-1")
    seat = WallSeat(qapp, wall_layout_from_dict(LAYOUT, "test"), model, bridge, config,
                    client.history, "wall-1", "wall")  # fmt: skip
    for window in seat.windows:
        qtbot.addWidget(window)
    seat.show()
    client.start()
    bridge.start()
    qtbot.waitUntil(lambda: model.link == LinkState.LIVE and model.city is not None, timeout=10_000)
    yield server, model, client, seat
    bridge.stop()
    client.stop()
    server.stop()
    seat.shutdown()


def page(seat, view):
    return next(p for w in seat.windows for p in w.pages if p.page.view == view)


def test_a_wall_window_covers_its_screen_without_chrome_or_cursor(wall, qapp):
    _server, _model, _client, seat = wall
    window = seat.windows[0]
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.isFullScreen()
    assert window.cursor().shape() == Qt.CursorShape.BlankCursor
    assert window.screen() is wall_screens(qapp)[0]


def test_no_wall_page_offers_a_button_or_a_text_field(wall):
    _server, _model, _client, seat = wall
    for built in seat.windows[0].pages:
        for kind in (QAbstractButton, QLineEdit):
            shown = [w for w in built.widget.findChildren(kind) if w.isVisibleTo(built.widget)]
            assert not shown, f"{built.page.view} shows {[w.text() for w in shown]}"


def test_a_modal_dialog_opened_on_a_wall_seat_is_closed_at_once(wall, qtbot, qapp):
    _server, _model, _client, seat = wall
    safety = QTimer()  # fails the test instead of hanging it if the guard let the dialog stay
    safety.setSingleShot(True)
    safety.timeout.connect(lambda: qapp.activeModalWidget() and qapp.activeModalWidget().done(7))
    safety.start(5_000)
    started = time.monotonic()
    answer = QMessageBox.critical(seat.windows[0], "Backend lost", "Reconnect?")
    assert time.monotonic() - started < 2.0
    assert answer != 7 and seat.guard.blocked == 1
    dialog = QDialog(seat.windows[0])
    dialog.setModal(True)
    dialog.open()  # the non-blocking kind as well
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2_000)
    assert seat.guard.blocked == 2 and QApplication.activeModalWidget() is None
    safety.stop()


def test_a_wall_seat_cannot_acknowledge_from_the_keyboard_or_through_its_client(wall, qtbot):
    server, model, client, seat = wall
    server.start_scenario("gas-leak")

    def severe():
        return [a for a in model.alarms.active() if a.level <= 2 and a.state == AlarmState.UNACK]

    qtbot.waitUntil(lambda: bool(severe()), timeout=30_000)
    alarm = severe()[0]
    window = seat.windows[0]
    queue = page(seat, "alarm_queue").extras["queue"]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is queue, timeout=3_000)
    qtbot.waitUntil(lambda: queue.table_model.row_of(alarm.id) >= 0, timeout=3_000)
    queue.select_alarm(alarm.id)
    for key in (Qt.Key.Key_A, Qt.Key.Key_Space, Qt.Key.Key_Return):
        qtbot.keyClick(queue.table, key)
    with pytest.raises(RequestError, match="a wall seat is read-only: it may not ack"):
        client.acknowledge(alarm.id, "from the wall").result(5)
    with pytest.raises(RequestError, match="read-only: it may not close"):
        client.close_alarm(alarm.id, "from the wall").result(5)
    time.sleep(1.0)
    qtbot.wait(200)
    now = model.alarms.get(alarm.id)  # the backend's word: the book follows its changes
    assert now.state in (AlarmState.UNACK, AlarmState.RTN_UNACK) and now.ack_user is None


def test_a_new_severe_alarm_brings_its_sensor_into_every_view_and_holds_the_pages(wall, qtbot):
    server, model, _client, seat = wall
    window = seat.windows[0]
    assert window.stack.currentIndex() == 0  # the scene page first
    server.start_scenario("gas-leak")
    qtbot.waitUntil(
        lambda: any(a.level <= 2 and a.state == AlarmState.UNACK for a in model.alarms.active()),
        timeout=30_000,
    )
    qtbot.waitUntil(lambda: window.hold.isVisible(), timeout=3_000)
    assert window.current_page().page.view == "alarm_queue"  # held on the alarm page
    channel = model.selected
    assert channel is not None and model.sensors[channel].type == "CH4"
    plots = page(seat, "plots").extras["plots"]
    assert channel in plots.channels


def test_a_wall_window_turns_pages_and_holds_while_told_an_alarm_needs_attention(qtbot):
    now = [0.0]
    attention = [False]
    spec = WallScreen(0, (WallPage("scene"), WallPage("alarm_queue"), WallPage("kpis")), 10.0)
    window = WallWindow(spec, 0, QLabel("status"), lambda: attention[0], clock=lambda: now[0])
    qtbot.addWidget(window)
    for p in spec.pages:
        window.add_page(BuiltPage(p, QLabel(p.view)))
    shown = []
    window.pageChanged.connect(shown.append)
    for t in (5.0, 10.0, 20.0):
        now[0] = t
        window.update_page()
    assert shown == [1, 2]
    assert window.title.text() == "Alarm KPIs" and window.position.text() == "3 / 3"
    attention[0] = True
    now[0] = 35.0
    window.update_page()
    assert window.current_page().page.view == "alarm_queue" and not window.hold.isHidden()
    now[0] = 100.0
    window.update_page()
    assert window.current_page().page.view == "alarm_queue"
    attention[0] = False
    now[0] = 105.0
    window.update_page()
    assert window.current_page().page.view == "alarm_queue" and window.hold.isHidden()
    now[0] = 110.0
    window.update_page()
    assert window.current_page().page.view == "kpis"
