"""Qt views on a real model: the queue, its acknowledgement rules, plots and the browser."""

import time

import numpy as np
import pytest

from backend_client.city import Limits, Sensor
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmRecord, AlarmState, Quality, TelemetryBatch
from views.alarm_queue_view import AlarmQueueView
from views.plots_view import PlotsView
from widgets.channel_tree import ChannelTree
from widgets.sensor_plot import display_values


def _model(n=3):
    model = ConsoleModel(buffer_capacity=256)
    model.set_catalog(
        tuple(
            Sensor(
                f"T1/GAS/Z0{i}/CH4/01",
                f"Gas Z0{i}",
                "tunnel",
                "ch4",
                "%LEL",
                (0, 0, 0),
                "T1",
                "Binhu",
                Limits(high=(25.0, 20.0, 10.0, 5.0)),
            )
            for i in range(n)
        )
    )
    return model


def _alarm(channel, level, state=AlarmState.UNACK):
    now = int(time.time() * 1e6)
    sid = f"T1/GAS/Z0{channel}/CH4/01"
    return AlarmRecord(sid, channel, sid, level, state, True, 22.0, 20.0, now, now, "CH4 high")


def test_queue_shows_one_row_per_alarm_with_level_symbol_and_counts(qtbot):
    model = _model()
    model.alarms.apply_snapshot(1, [_alarm(0, 1), _alarm(1, 3, AlarmState.ACKED)])
    view = AlarmQueueView(model)
    qtbot.addWidget(view)
    assert view.table_model.rowCount() == 2
    assert view.table_model.index(0, 0).data() == "▲ I"
    assert view.table_model.index(1, 1).data() == "ACKED"
    assert "1" in view.counts[1].text() and "1 unacknowledged" in view.unacked.text()


def test_level_one_acknowledgement_without_comment_is_refused_in_the_view(qtbot):
    model = _model()
    model.alarms.apply_snapshot(1, [_alarm(0, 1)])
    view = AlarmQueueView(model)
    qtbot.addWidget(view)
    view.table.selectRow(0)
    with qtbot.assertNotEmitted(view.acknowledgeRequested):
        view.ack_button.click()
    assert "comment is required" in view.message.text()


def test_acknowledge_with_comment_forwards_intent(qtbot):
    model = _model()
    model.alarms.apply_snapshot(1, [_alarm(0, 1)])
    view = AlarmQueueView(model)
    qtbot.addWidget(view)
    view.table.selectRow(0)
    view.comment.setText("verified on CCTV")
    with qtbot.waitSignal(view.acknowledgeRequested) as blocker:
        view.ack_button.click()
    assert blocker.args == ["T1/GAS/Z00/CH4/01", "verified on CCTV"]


def test_plot_draws_buffered_samples_of_the_selected_channel(qtbot):
    model = _model()
    now = int(time.time() * 1e6)
    times = now - np.arange(10)[::-1] * 1_000_000
    model.ingest(
        TelemetryBatch(
            "tunnel",
            1,
            np.zeros(10, np.uint32),
            times,
            np.linspace(1, 2, 10).astype(np.float32),
            np.zeros(10, np.uint8),
        )
    )
    view = PlotsView(model)
    qtbot.addWidget(view)
    view.show_channel(0)
    x, y = view.plot.drawn(0)
    assert len(x) == 10 and y[-1] == pytest.approx(2.0)
    assert "Gas Z00" in view.title.text()


def test_bad_quality_samples_become_gaps_not_values():
    values = np.array([1, 2, 3, 4], np.float32)
    quality = np.array([Quality.GOOD, Quality.FAULT, Quality.MISSING, Quality.GOOD], np.uint8)
    shown = display_values(values, quality)
    assert np.isnan(shown[1]) and np.isnan(shown[2]) and shown[3] == 4


def test_channel_search_filters_the_tree(qtbot):
    model = _model(3)
    tree = ChannelTree()
    qtbot.addWidget(tree)
    tree.set_sensors(model.sensors)
    tree.search.setText("Z02")
    proxy = tree.tree.model()
    domain = proxy.index(0, 0)
    asset = proxy.index(0, 0, domain)
    assert proxy.rowCount(asset) == 1
    with qtbot.waitSignal(tree.channelSelected) as blocker:
        tree.select_channel(2)
    assert blocker.args == [2]


def test_plots_start_on_comparable_channels_when_a_catalog_arrives(qtbot):
    model = _model(5)
    view = PlotsView(model)
    qtbot.addWidget(view)
    view.reset()
    assert sorted(view.channels) == [0, 1, 2]
    assert {model.sensors[c].unit for c in view.channels} == {"%LEL"}


def test_status_line_names_every_link_state_including_replay(qtbot):
    from backend_client.protocol import LinkState
    from views.status_view import StatusView

    model = ConsoleModel()
    status = StatusView(model)
    qtbot.addWidget(status)
    for state in LinkState:
        model.set_link(state)
        status.refresh()
        assert state.value.upper() in status.link.text()
