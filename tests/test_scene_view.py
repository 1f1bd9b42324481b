"""SceneView bound to a ConsoleModel: toolbar presets and toggles, keys, and the hover text.

VTK renders on the scene widget's own thread through EGL: no X server needed.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import Quality, TelemetryBatch
from tests.test_scene_modes import _city_with_pressure


@pytest.fixture
def view(qtbot):
    from views.scene_view import SceneView

    city = _city_with_pressure()
    model = ConsoleModel()
    model.set_catalog(city.sensors)
    model.set_city(city)
    v = SceneView(model)
    qtbot.addWidget(v)
    v.resize(800, 560)
    v.show()
    qtbot.waitExposed(v)
    v.load_city()
    yield v
    v.scene.shutdown()


def _ingest(model: ConsoleModel, channel: int, value: float, quality: int = Quality.GOOD) -> None:
    model.ingest(
        TelemetryBatch(
            "tel.water",
            1,
            np.array([channel], np.uint32),
            np.array([int(time.time() * 1e6)], np.int64),
            np.array([value], np.float32),
            np.array([quality], np.uint8),
        )
    )


def test_toolbar_lists_every_tunnel_and_value_mode(view):
    bar = view.toolbar
    assert bar.isEnabled()
    assert [bar.tunnels.itemText(i) for i in range(1, bar.tunnels.count())] == ["Test tunnel"]
    modes = [bar.pipe_mode.itemData(i) for i in range(bar.pipe_mode.count())]
    assert modes[0] is None and "water/PRESS" in modes


def test_xray_and_legend_buttons_switch_the_scene(view):
    scene = view.scene.scene
    assert not scene.xray and scene.legend_visible
    view.toolbar.xray.click()
    view.scene.settle()  # changes made during a frame apply before the next one
    assert scene.xray
    view.toolbar.legend.click()
    view.scene.settle()
    assert not scene.legend_visible


def test_keys_toggle_xray_and_legend_while_the_3d_view_has_focus(qtbot, view):
    view.activateWindow()
    qtbot.waitActive(view)
    view.scene.canvas.setFocus()
    qtbot.waitUntil(lambda: view.scene.canvas.hasFocus(), timeout=2000)
    QTest.keyClick(view.scene.canvas, Qt.Key.Key_X)
    view.scene.settle()
    assert view.scene.scene.xray
    QTest.keyClick(view.scene.canvas, Qt.Key.Key_K)
    view.scene.settle()
    assert not view.scene.scene.legend_visible


def test_choosing_a_tunnel_flies_to_it(qtbot, view):
    view.toolbar.tunnels.setCurrentIndex(1)
    view.toolbar.tunnels.activated.emit(1)
    assert view.scene.flying
    qtbot.waitUntil(lambda: not view.scene.flying, timeout=3000)
    view.scene.settle()
    want = view.scene.scene.camera_for_tunnel("T1")
    assert np.allclose(view.scene.scene.camera.GetFocalPoint(), want.focal_point, atol=1e-6)


def test_value_mode_colours_the_water_main_from_live_readings(view):
    model = view.model
    ids = [s.id for s in model.sensors]
    _ingest(model, ids.index("WP0"), 0.7)
    _ingest(model, ids.index("WP1"), 0.7)
    index = view.toolbar.pipe_mode.findData("water/PRESS")
    view.toolbar.pipe_mode.setCurrentIndex(index)
    view.scene.settle()
    scene = view.scene.scene
    assert scene.pipe_mode is not None and scene.value_bar.actor.GetVisibility()
    main = [p.id for p in scene.city.pipelines].index("pipe-water")
    from widgets.scene_values import RAMP

    assert tuple(scene.static.pipes.colours()[main, :3]) == tuple(RAMP[-1])
    view.toolbar.pipe_mode.setCurrentIndex(0)
    view.scene.settle()
    assert scene.pipe_mode is None and not scene.value_bar.actor.GetVisibility()


def test_hover_text_gives_live_value_unit_and_state(view):
    model = view.model
    ids = [s.id for s in model.sensors]
    ch = ids.index("WP0")
    _ingest(model, ch, 0.432)
    view.recolour()
    text = view.hover_text(ch)
    assert "Pressure WP0" in text and "0.432 MPa" in text and "Normal" in text
    _ingest(model, ch, 0.5, Quality.FAULT)
    view.recolour()
    assert "Bad quality (device fault)" in view.hover_text(ch)
    silent = ids.index("P0")  # never reported: offline
    assert "Offline" in view.hover_text(silent)
