"""SceneWidget in a real Qt window: click picking, hover, blink timer, fly-to, frame grabs.

VTK renders on the widget's own thread through EGL, so no X server is needed.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.test_city_scene import small_city_dict

W, H = 640, 480


@pytest.fixture
def widget(qtbot):
    from backend_client.city import city_from_dict
    from widgets.scene_widget import SceneWidget

    w = SceneWidget(city_from_dict(small_city_dict(), "<test city>"))
    qtbot.addWidget(w)
    w.resize(W, H)
    w.show()
    qtbot.waitExposed(w)
    qtbot.wait(50)
    yield w
    w.shutdown()


def _qt_point(widget, index: int) -> QPoint:
    """Widget coordinates (origin top-left) of a sensor's projected centre."""
    x, y = widget.sensor_display_position(index)
    canvas = widget.canvas
    ratio = canvas.devicePixelRatioF()
    return QPoint(round(x / ratio), round(canvas.height() - 1 - y / ratio))


def test_click_on_sensor_emits_sensor_picked(qtbot, widget):
    target = 5
    widget.renderer.change(widget.scene.overview)
    widget.settle()
    with qtbot.waitSignal(widget.sensorPicked, timeout=2000) as blocker:
        QTest.mouseClick(widget.canvas, Qt.MouseButton.LeftButton, pos=_qt_point(widget, target))
    assert blocker.args == [target]


def test_hover_over_sensor_reports_it_then_minus_one(qtbot, widget):
    widget.settle()
    with qtbot.waitSignal(widget.sensorHovered, timeout=2000) as blocker:
        QTest.mouseMove(widget.canvas, _qt_point(widget, 3))
    assert blocker.args == [3]
    with qtbot.waitSignal(widget.sensorHovered, timeout=2000) as blocker:
        QTest.mouseMove(widget.canvas, QPoint(5, 5))
    assert blocker.args == [-1]


def test_grab_frame_shows_alarm_colour_at_the_alarmed_sensor(qtbot, widget):
    n = len(widget.scene.city.sensors)
    codes = np.zeros(n, np.uint8)
    codes[2] = 1
    widget.set_sensor_states(codes)
    qtbot.wait(30)
    image = widget.grab_frame()
    ratio = widget.canvas.devicePixelRatioF()
    assert image.width() == round(widget.canvas.width() * ratio)
    x, y = widget.sensor_display_position(2)
    colour = image.pixelColor(round(x), image.height() - 1 - round(y))
    assert colour.red() > 150 and colour.green() < 90 and colour.blue() < 90, colour.name()


def test_blink_timer_runs_only_while_a_sensor_blinks(widget):
    n = len(widget.scene.city.sensors)
    codes = np.zeros(n, np.uint8)
    codes[0] = 1
    widget.set_sensor_states(codes)
    assert not widget.blink_active
    blink = np.zeros(n, bool)
    blink[0] = True
    widget.set_sensor_states(codes, blink)
    assert widget.blink_active
    widget.set_sensor_states(codes, np.zeros(n, bool))
    assert not widget.blink_active


def test_fly_to_sensor_lands_on_the_sensor(qtbot, widget):
    target = 4
    widget.fly_to_sensor(target)
    assert widget.flying
    qtbot.waitUntil(lambda: not widget.flying, timeout=3000)
    widget.settle()  # the last step may wait for a frame in progress
    focal = widget.scene.camera.GetFocalPoint()
    assert np.allclose(focal, widget.scene.city.sensors[target].position, atol=1e-6)


def test_select_sensor_rings_it_and_minus_one_clears(widget):
    widget.select_sensor(3)
    widget.settle()  # changes made during a frame apply before the next one
    assert widget.scene.selected == 3
    widget.select_sensor(-1)
    widget.settle()
    assert widget.scene.selected is None


def test_bad_state_array_is_reported_not_raised(widget, caplog):
    widget.set_sensor_states(np.zeros(2, np.uint8))
    assert "set_sensor_states failed" in caplog.text


def test_drag_from_a_sensor_rotates_without_picking(qtbot, widget):
    widget.settle()
    start = _qt_point(widget, 5)
    with qtbot.assertNotEmitted(widget.sensorPicked, wait=100):
        QTest.mousePress(widget.canvas, Qt.MouseButton.LeftButton, pos=start)
        QTest.mouseRelease(widget.canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(40, 25))


def test_hover_tooltip_uses_the_views_provider_and_falls_back_to_the_name(widget):
    assert widget.tooltip_for(3) == widget.scene.sensor_name(3)
    widget.set_tooltip_provider(lambda i: f"sensor {i}: 1.5 MPa, Normal")
    assert widget.tooltip_for(3) == "sensor 3: 1.5 MPa, Normal"


def test_xray_and_legend_toggles_reach_the_scene(widget):
    widget.set_xray(True)
    widget.settle()  # changes made during a frame apply before the next one
    assert widget.scene.xray
    widget.set_legend_visible(False)
    widget.settle()
    assert not widget.scene.legend_visible
    widget.set_xray(False)
    widget.settle()
    assert not widget.scene.xray


def test_a_drag_on_a_slow_renderer_draws_smaller_frames_until_release(qtbot, widget):
    widget._fast = True  # as after a frame slower than software GL keeps up with
    canvas = widget.canvas
    ratio = canvas.devicePixelRatioF()
    full = (round(canvas.width() * ratio), round(canvas.height() * ratio))
    start = QPoint(W // 2, H // 2)
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(canvas, start + QPoint(40, 10))
    widget.settle()
    assert widget.moving
    assert tuple(widget.renderer.window.GetSize()) == (round(full[0] / 2), round(full[1] / 2))
    # a 640 x 480 view is drawn at half size; a big one smaller still (about 300,000 pixels)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(40, 10))
    widget.settle()
    assert not widget.moving
    assert tuple(widget.renderer.window.GetSize()) == full


def test_moving_frames_are_half_size_or_about_three_hundred_thousand_pixels():
    from widgets.scene_widget import moving_scale

    assert moving_scale(640, 480) == 0.5
    w, h = 3840, 2160
    assert abs(w * h * moving_scale(w, h) ** 2 - 300_000) < 1
