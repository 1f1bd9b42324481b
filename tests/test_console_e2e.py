"""The whole console on the real simulator over loopback ZeroMQ: a gas leak end to end."""

import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget

from backend_client.city import demo_city_path, load_city
from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmState, LinkState
from console.config import ConsoleConfig
from console.main_window import MainWindow
from console.model_bridge import ModelBridge
from console.screenshot import grab_window
from simulator.server import SimServer
from widgets.scene_style import SENSOR_RGBA

pytestmark = pytest.mark.skipif(
    not os.environ.get("DISPLAY"), reason="VTK's Qt view needs an X server (run under xvfb-run)"
)


def image_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), np.uint8, count=stride * h).reshape(h, stride)
    return raw[:, : w * 3].reshape(h, w, 3).copy()


def has_colour_near(frame: np.ndarray, x: float, y: float, rgb, radius=6, tol=60.0) -> bool:
    """Any pixel around display point (x, y) (origin bottom-left) within tol of rgb."""
    h = frame.shape[0]
    row, col = h - 1 - round(y), round(x)
    patch = frame[max(0, row - radius) : row + radius + 1, max(0, col - radius) : col + radius + 1]
    distance = np.linalg.norm(patch.astype(float) - np.asarray(rgb[:3], float), axis=2)
    return bool((distance < tol).any())


@pytest.fixture
def console(qtbot):
    server = SimServer(load_city(demo_city_path()), "tcp://127.0.0.1:*", "tcp://127.0.0.1:*")
    server.start()
    model = ConsoleModel(buffer_capacity=1024)
    client = BackendClient(
        model,
        ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint),
        Identity(user="lin", role="supervisor", host=socket.gethostname()),
    )
    bridge = ModelBridge(model, fps=30)
    window = MainWindow(model, bridge, client, ConsoleConfig())
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    client.start()
    bridge.start()
    yield server, model, window
    bridge.stop()
    client.stop()
    server.stop()
    window.scene_view.scene.shutdown()


def test_all_three_views_go_live_within_ten_seconds(console, qtbot):
    _server, model, window = console
    started = time.monotonic()
    qtbot.waitUntil(
        lambda: model.link == LinkState.LIVE and window.scene_view._has_city, timeout=10_000
    )
    qtbot.waitUntil(lambda: model.stats.samples > 1000, timeout=10_000)
    window.findChild(QDockWidget, "dock-live-plots").raise_()  # a preset may tab it behind
    lead = window.plots.channels[0]
    qtbot.waitUntil(lambda: len(window.plots.plot.drawn(lead)[0]) > 2, timeout=5_000)
    assert time.monotonic() - started < 10
    image = image_array(grab_window(window, window.gl_frames()))
    for widget in (window.scene_view.gl_widget(), window.plots.plot):
        top_left = widget.mapTo(window, widget.rect().topLeft())
        region = image[
            top_left.y() : top_left.y() + widget.height(),
            top_left.x() : top_left.x() + widget.width(),
        ]
        assert region.std() > 10, f"{type(widget).__name__} looks blank in the screenshot"


def test_gas_leak_alarm_reaches_queue_and_3d_and_can_be_acknowledged(console, qtbot):
    server, model, window = console
    qtbot.waitUntil(
        lambda: model.link == LinkState.LIVE and window.scene_view._has_city, timeout=10_000
    )
    server.start_scenario("gas-leak")

    def severe():  # level I: it cannot escalate (and re-annunciate) after the acknowledgement
        return [a for a in model.alarms.active() if a.level == 1 and a.state == AlarmState.UNACK]

    qtbot.waitUntil(lambda: bool(severe()), timeout=30_000)
    alarm = severe()[0]
    table = window.alarm_queue.table_model
    qtbot.waitUntil(lambda: table.row_of(alarm.id) >= 0, timeout=2_000)

    scene = window.scene_view.scene
    qtbot.waitUntil(lambda: not scene.flying, timeout=5_000)
    window.scene_view.recolour()
    frame = image_array(scene.grab_frame())
    x, y = scene.scene.sensor_display_position(alarm.channel)
    assert has_colour_near(frame, x, y, SENSOR_RGBA[alarm.level]), "sensor not in alarm colour"

    window.alarm_queue.select_alarm(alarm.id)
    window.alarm_queue.comment.setText("confirmed on tunnel CCTV, ventilation up")
    window.alarm_queue.ack_button.click()
    qtbot.waitUntil(lambda: model.alarms.get(alarm.id).state == AlarmState.ACKED, timeout=5_000)
    acked = model.alarms.get(alarm.id)
    assert acked.ack_user == "lin"
    assert acked.ack_comment == "confirmed on tunnel CCTV, ventilation up"
    qtbot.waitUntil(lambda: "Acknowledged" in window.alarm_queue.message.text(), timeout=2_000)


def test_cli_demo_with_scenario_writes_a_screenshot_showing_the_alarm(tmp_path):
    out = tmp_path / "out.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "--demo",
            "--scenario",
            "gas-leak",
            "--screenshot",
            str(out),
            "--quit-after",
            "15",
            "--size",
            "1600x900",
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    image = image_array(QImage(str(out)))
    assert image.shape[:2] == (900, 1600)
    red = SENSOR_RGBA[1][:3].astype(float)
    reds = (np.linalg.norm(image.astype(float) - red, axis=2) < 40).sum()
    assert reds > 50, "no level I red anywhere in the screenshot"
