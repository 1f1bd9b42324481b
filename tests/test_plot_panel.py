"""Plot panels on a real model: readout, pause, unit axes, grid, autoscale and per-pixel drawing."""

import time

import numpy as np
import pytest

from backend_client.city import Limits, Sensor
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import Quality, TelemetryBatch
from views.plots_view import WINDOWS_S, PlotsView
from widgets.plot_autoscale import SHRINK_AFTER_S, YAutoscale
from widgets.plot_cursor import GAP


def model_with(units, capacity=4096):
    """A model with one channel per unit given."""
    model = ConsoleModel(buffer_capacity=capacity)
    model.set_catalog(
        tuple(
            Sensor(
                f"T1/GAS/Z0{i}/X/01",
                f"Ch{i}",
                "tunnel",
                f"t{unit}",
                unit,
                (0, 0, 0),
                "T1",
                "Binhu",
                Limits(high=(25.0, 20.0, 10.0, 5.0)),
            )
            for i, unit in enumerate(units)
        )
    )
    return model


def ingest(model, channel, times_s, values, quality=None):
    times = (np.asarray(times_s) * 1e6).astype(np.int64)
    n = times.size
    q = np.zeros(n, np.uint8) if quality is None else np.asarray(quality, np.uint8)
    model.ingest(
        TelemetryBatch(
            "tunnel", 1, np.full(n, channel, np.uint32), times, np.asarray(values, np.float32), q
        )
    )


def view_of(qtbot, model, *channels, window_s=600.0):
    view = PlotsView(model, window_s)
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    for channel in channels:
        view.show_channel(channel)
    return view


def test_cursor_readout_shows_every_curve_value_at_a_time_and_a_dash_in_a_gap(qtbot):
    model = model_with(["%LEL", "%LEL"])
    now = time.time()
    t = now - np.arange(10)[::-1]
    ingest(model, 0, t, np.arange(10.0))
    quality = np.zeros(10, np.uint8)
    quality[5] = Quality.FAULT
    ingest(model, 1, t, np.arange(10.0) * 10, quality)
    view = view_of(qtbot, model, 1, 0)
    rows = dict(view.plot.readout(t[5] + 0.2))
    assert rows == {"Ch1": GAP, "Ch0": "5 %LEL"}
    with qtbot.waitSignal(view.plot.cursorMoved) as blocker:
        view.plot.set_cursor(t[3])
    assert "Ch1 30 %LEL" in blocker.args[0] and "Ch0 3 %LEL" in blocker.args[0]
    assert view.grid.focused_panel.readout.text() == blocker.args[0]


def test_pause_freezes_the_time_axis_and_live_follows_again(qtbot):
    model = model_with(["%LEL"])
    now = time.time()
    ingest(model, 0, now - np.arange(100)[::-1], np.ones(100))
    view = view_of(qtbot, model, 0)
    assert view.following and not view.live_button.isEnabled()
    view.pause_button.click()
    frozen = view.plot.viewRange()[0]
    ingest(model, 0, now + np.arange(1, 6), np.ones(5))
    view.refresh()
    assert view.plot.viewRange()[0] == frozen
    assert not view.following and view.live_button.isEnabled()
    time.sleep(0.05)
    clicked = time.time()
    view.live_button.click()
    assert view.following and view.plot.viewRange()[0][1] >= clicked  # the present is in view


def test_dragging_the_time_axis_pauses_every_panel(qtbot):
    model = model_with(["%LEL"])
    ingest(model, 0, time.time() - np.arange(100)[::-1], np.ones(100))
    view = view_of(qtbot, model, 0)
    view.layout_box.setCurrentText("2 × 2")
    view.grid.panels[2].plot.plotItem.vb.sigRangeChangedManually.emit([True, False])
    assert not view.following
    assert all(not p.plot.following for p in view.grid.panels)
    assert "Paused" in view.state.text()


def test_second_unit_gets_its_own_axis_and_same_unit_shares_one(qtbot):
    model = model_with(["%LEL", "%vol", "%LEL"])
    view = view_of(qtbot, model, 0, 1, 2)
    plot = view.plot
    assert plot.units == ["%LEL", "%vol"]
    assert plot.view_box_for("%vol") is not plot.view_box_for("%LEL")
    assert plot.view_box_for("%LEL") is plot.plotItem.vb
    assert plot._boxes[1] is plot.view_box_for("%vol")
    assert plot._boxes[0] is plot._boxes[2]
    assert plot._axes.axis_for("%vol").orientation == "right"


def test_grid_panels_share_one_time_axis_and_the_focused_panel_gets_the_channel(qtbot):
    model = model_with(["%LEL", "%vol", "m"])
    view = view_of(qtbot, model)
    view.layout_box.setCurrentText("2 × 2")
    panels = view.grid.panels
    assert len(panels) == 4
    qtbot.wait(50)  # let the grid lay the new panels out
    lead = panels[0].plot.plotItem.vb
    assert all(p.plot.plotItem.vb.linkedView(0) is lead for p in panels[1:])
    panels[0].plot.setXRange(1000.0, 2000.0, padding=0)
    for panel in panels[1:]:
        x0, x1 = panel.plot.viewRange()[0]
        assert x0 == pytest.approx(1000.0) and x1 == pytest.approx(2000.0)
    view.grid.focus(2)
    view.show_channel(1)
    assert panels[2].channels == [1] and panels[0].channels == []
    assert view.channels == [1] and panels[2].property("focused")
    view.layout_box.setCurrentText("1 panel")
    assert len(view.grid.panels) == 1 and view.grid.focused == 0


def test_time_windows_run_from_one_minute_to_a_day():
    assert list(WINDOWS_S.values()) == [60, 600, 3600, 6 * 3600, 24 * 3600]


def test_drawing_is_per_pixel_not_per_sample(qtbot):
    model = model_with(["%LEL"], capacity=100_000)
    now = time.time()
    t = now - np.arange(100_000)[::-1] * 0.005
    ingest(model, 0, t, np.sin(np.arange(100_000) / 50.0))
    view = view_of(qtbot, model, 0)
    x, y = view.plot.drawn(0)
    width = view.plot.plotItem.vb.width()
    assert 0 < len(x) <= 2 * width + 4
    assert np.nanmax(y) == pytest.approx(1.0, abs=1e-3)


def test_panels_whose_data_did_not_change_are_skipped(qtbot):
    model = model_with(["%LEL", "%LEL"])
    now = time.time()
    ingest(model, 0, now - np.arange(10)[::-1], np.ones(10))
    view = view_of(qtbot, model, 0)
    panel = view.grid.panels[0]
    assert not view.feed.feed(panel, view.window_s, now)
    ingest(model, 1, [now], [1.0])  # another channel, not in the panel
    assert not view.feed.feed(panel, view.window_s, now)
    ingest(model, 0, [now + 1], [1.0])
    assert view.feed.feed(panel, view.window_s, now)


def test_autoscale_grows_at_once_and_shrinks_only_after_data_stays_small():
    scale = YAutoscale()
    lo, hi = scale.update(0.0, 10.0, 0.0)
    assert lo < 0 and hi > 10
    assert scale.update(1.0, 9.0, 0.1) == (lo, hi)  # noise inside: no change
    grown = scale.update(0.0, 30.0, 0.2)
    assert grown[1] > 30 and grown[0] == lo  # grew on the side the data left by only
    assert scale.update(4.0, 6.0, 0.3) == grown
    assert scale.update(4.0, 6.0, 0.3 + SHRINK_AFTER_S / 2) == grown
    shrunk = scale.update(4.0, 6.0, 0.4 + SHRINK_AFTER_S)
    assert 3.0 < shrunk[0] < 4.0 and 6.0 < shrunk[1] < 7.0


def test_plot_y_range_does_not_jitter_between_frames(qtbot):
    model = model_with(["%LEL"])
    now = time.time()
    rng = np.random.default_rng(0)
    ingest(model, 0, now - np.arange(100)[::-1], 10 + rng.normal(size=100))
    view = view_of(qtbot, model, 0)
    first = view.plot.plotItem.vb.viewRange()[1]
    for k in range(5):
        ingest(model, 0, [now + k + 1], [10 + rng.normal()])
        view.refresh()
        assert view.plot.plotItem.vb.viewRange()[1] == first


class _Wheel:
    """The two calls TimeViewBox makes on a wheel event."""

    def __init__(self, delta):
        self._delta = delta

    def delta(self):
        return self._delta

    def accept(self):
        pass


def test_wheel_pans_back_in_time_without_zooming_and_pauses(qtbot):
    model = model_with(["%LEL"])
    ingest(model, 0, time.time() - np.arange(100)[::-1], np.ones(100))
    view = view_of(qtbot, model, 0)
    x0, x1 = view.plot.viewRange()[0]
    view.plot.plotItem.vb.wheelEvent(_Wheel(120))
    y0, y1 = view.plot.viewRange()[0]
    assert y1 < x1 and y1 - y0 == pytest.approx(x1 - x0)
    assert not view.following


def test_bad_quality_markers_sit_on_their_curve_axis(qtbot):
    model = model_with(["%LEL", "%vol"])
    now = time.time()
    t = now - np.arange(10)[::-1]
    quality = np.zeros(10, np.uint8)
    quality[4] = Quality.FAULT
    ingest(model, 0, t, np.ones(10))
    ingest(model, 1, t, np.full(10, 20.9), quality)
    view = view_of(qtbot, model, 1, 0)
    marker = view.plot._bad_markers[1]
    assert marker.getViewBox() is view.plot.view_box_for("%vol")
    x, y = marker.getData()
    assert list(y) == pytest.approx([20.9]) and x[0] == pytest.approx(t[4])


def test_new_samples_redraw_only_the_newest_columns_not_the_whole_curve(qtbot):
    model = model_with(["%LEL"], capacity=100_000)
    now = time.time()
    t = now - 610 + np.arange(60_000) * 0.01  # a full window, ending 10 s ago
    ingest(model, 0, t, np.sin(np.arange(60_000) / 300.0))
    view = view_of(qtbot, model, 0)
    view.set_following(False)  # the window stays put: only data changes below
    step = view.plot.column_step(view.window_s)
    end = view.plot.viewRange()[0][1]
    start = (round(end / step) - 2) * step  # a column among the newest, all below share it
    assert start > t[-1]
    ingest(model, 0, [start + 0.001], [0.0])
    view.refresh()
    body, tail = view.plot._curves[0], view.plot._tails[0]
    body_before = body.path()
    tails_set = []
    original = tail.set_points
    tail.set_points = lambda *a: (tails_set.append(a), original(*a))
    ingest(model, 0, [start + 0.002, start + 0.003], [5.0, -5.0])  # new extremes, same column
    view.refresh()
    assert tails_set and body.path() == body_before  # the cached body was left alone
    assert np.nanmax(view.plot.drawn(0)[1]) == 5.0 and np.nanmin(view.plot.drawn(0)[1]) == -5.0
    tails_set.clear()
    ingest(model, 0, [start + 0.004], [0.0])  # inside what is drawn already: no visible change
    view.refresh()
    assert not tails_set


def test_the_time_axis_follows_the_models_clock_so_a_replay_draws_its_own_now(qtbot):
    model = model_with(["%LEL"])
    then = time.time() - 3 * 86_400  # a recorded incident three days ago
    model.clock = lambda: then
    ingest(model, 0, then - np.arange(100)[::-1], np.ones(100))
    view = view_of(qtbot, model, 0)
    view.refresh()
    (_x0, x1), _ = view.plot.viewRange()
    assert then <= x1 < then + 60
    assert model.sensor_codes()[0][0] == 0  # fresh at the model's now: not offline
