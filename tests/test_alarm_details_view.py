"""The alarm details panel on a real loopback SimServer: guidance, the loop, roles, refusals.

The city's two methane detectors have limits their calm signal always exceeds, so their alarms
(one level I, one level III) are raised on the first tick.
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from backend_client.city import city_from_dict
from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from backend_client.model.role_policy import policy_from_dict
from backend_client.protocol import AlarmState, LinkState, LoopStage
from console.model_bridge import ModelBridge
from console.screenshot import save_png
from simulator.server import SimServer
from tests.test_closed_loop_server import CITY, RED, YELLOW
from tests.test_console_e2e import image_array
from views.alarm_details_view import AlarmDetailsView

GUIDANCE = "Start accident ventilation in zone 1; keep crews out; call the gas company."
PANEL_PNG = Path("/tmp/alarm_details_panel.png")


def _city():
    doc = copy.deepcopy(CITY)
    doc["sensors"][0]["alarm"] = {"guidance": GUIDANCE, "responsible": "Hefei Gas Co."}
    return city_from_dict(doc)


class Seat:
    """One console seat's model, client, bridge and details panel on the shared server."""

    def __init__(self, qtbot, server: SimServer, user: str, role: str) -> None:
        self.model = ConsoleModel(buffer_capacity=256)
        self.client = BackendClient(
            self.model,
            ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint),
            Identity(user, role, "desk-7"),
        )
        self.bridge = ModelBridge(self.model, fps=30)
        self.view = AlarmDetailsView(self.model, self.client, role, self.bridge.when_done)
        qtbot.addWidget(self.view)
        self.view.resize(620, 640)
        self.view.show()
        self.bridge.alarmsChanged.connect(self.view.refresh)
        self.bridge.statsUpdated.connect(self.view.refresh_values)
        self.client.start()
        self.bridge.start()
        qtbot.waitUntil(lambda: self.model.link == LinkState.LIVE, timeout=10_000)
        qtbot.waitUntil(lambda: self.model.alarms.get(RED) is not None, timeout=5_000)
        qtbot.waitUntil(lambda: self.model.alarms.get(YELLOW) is not None, timeout=5_000)
        policy = self.client.fetch_policy().result(timeout=5)
        self.view.set_policy(policy_from_dict(policy, "backend"))

    def stop(self) -> None:
        self.bridge.stop()
        self.client.stop()


@pytest.fixture
def server() -> Iterator[SimServer]:
    srv = SimServer(_city())
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def seat(qtbot, server, request) -> Iterator[Seat]:
    user, role = getattr(request, "param", ("zhang.min", "supervisor"))
    s = Seat(qtbot, server, user, role)
    yield s
    s.stop()


def _click(qtbot, seat: Seat, key: str, note: str = "") -> None:
    button = seat.view.steps.buttons[key]
    qtbot.waitUntil(button.isEnabled, timeout=5_000)
    seat.view.note.setText(note)
    button.click()


def test_panel_shows_guidance_responsible_unit_limits_and_a_live_value(qtbot, seat):
    view = seat.view
    view.show_alarm(RED)
    assert view.stack.currentIndex() == 1
    assert view.guidance.toPlainText() == GUIDANCE
    assert view.facts.values["responsible"].text() == "Hefei Gas Co."
    assert view.facts.values["limits"].text().startswith("high I -100")
    assert view.header.badge.text() == "▲ I" and view.header.badge.property("level") == "1"
    qtbot.waitUntil(lambda: "%LEL" in view.facts.values["value"].text(), timeout=3_000)


def test_supervisor_runs_the_whole_loop_and_the_history_shows_every_step(qtbot, seat, tmp_path):
    view, model = seat.view, seat.model
    view.show_alarm(RED)
    assert view.steps.visible_keys() == [
        "ack", "verify_real", "verify_false", "dispatch", "feedback", "close", "shelve", "unshelve",
    ]  # fmt: skip
    for key, note, stage in (
        ("ack", "gas confirmed on CCTV", LoopStage.ACKED),
        ("verify_real", "haze in zone 1", LoopStage.VERIFIED),
        ("dispatch", "phoned duty engineer", LoopStage.DISPATCHED),
        ("feedback", "crew on site, valve closed", LoopStage.FEEDBACK),
        ("close", "ventilated, readings normal", LoopStage.CLOSED),
    ):
        _click(qtbot, seat, key, note)
        qtbot.waitUntil(lambda s=stage: model.alarms.get(RED).loop == s, timeout=5_000)
        qtbot.waitUntil(lambda s=stage: view.details.record.loop == s, timeout=5_000)
    assert model.alarms.get(RED).state == AlarmState.ACKED
    rows = [view.history.row_texts(r) for r in range(view.history.rowCount())]
    assert [r[1] for r in rows] == [
        "Acknowledged", "Verified (real)", "Dispatched (Hefei Gas Co.)", "Feedback", "Closed",
    ]  # fmt: skip
    assert all(r[2:5] == ("zhang.min", "supervisor", "desk-7") for r in rows)
    assert rows[3][5] == "crew on site, valve closed"
    assert view.message.property("kind") == "ok"
    assert view.header.loop.text() == "Loop: closed (real)"

    out = tmp_path / "loop.csv"
    view.export_history_to(out)
    qtbot.waitUntil(out.exists, timeout=5_000)
    exported = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["action"] for r in exported] == ["ack", "verify", "dispatch", "feedback", "close"]
    assert "Exported 5 steps" in view.message.text()


def test_a_level_one_ack_without_a_comment_is_refused_in_the_panel_before_sending(qtbot, seat):
    view = seat.view
    view.show_alarm(RED)
    with qtbot.assertNotEmitted(view.stepSucceeded, wait=300):
        view.steps.buttons["ack"].click()
    assert view.message.text() == "A comment is required to acknowledge a level I alarm."
    assert view.message.property("kind") == "error"
    assert seat.model.alarms.get(RED).state == AlarmState.UNACK
    view.show_alarm(YELLOW)
    view.steps.buttons["shelve"].click()
    assert view.message.text() == "A comment is required to shelve a level III alarm."


def test_a_backend_refusal_is_shown_in_the_panel_and_nothing_breaks(qtbot, seat):
    view = seat.view
    view.show_alarm(YELLOW)
    with qtbot.waitSignal(view.stepRefused, timeout=5_000) as refused:
        assert view.take_step("dispatch")  # the panel sends it; the loop order is the backend's
    assert "cannot be dispatched" in refused.args[1]
    assert view.message.text().startswith("The backend refused dispatch: alarm ")
    assert view.message.property("kind") == "error"
    _click(qtbot, seat, "ack")  # the panel still works afterwards
    qtbot.waitUntil(lambda: seat.model.alarms.get(YELLOW).state == AlarmState.ACKED, timeout=5_000)


@pytest.mark.parametrize("seat", [("li.wei", "operator")], indirect=True)
def test_operator_sees_no_ack_button_on_level_one_but_does_on_level_three(qtbot, seat):
    view = seat.view
    view.show_alarm(RED)
    shown = view.steps.visible_keys()
    assert "ack" not in shown and "dispatch" not in shown and "close" not in shown
    assert {"verify_real", "verify_false", "feedback"} <= set(shown)
    assert not view.note.isHidden()
    view.show_alarm(YELLOW)
    assert "ack" in view.steps.visible_keys() and view.steps.buttons["ack"].isEnabled()
    _click(qtbot, seat, "ack")
    qtbot.waitUntil(lambda: seat.model.alarms.get(YELLOW).ack_user == "li.wei", timeout=5_000)


@pytest.mark.parametrize("seat", [("wall-1", "wall")], indirect=True)
def test_wall_role_sees_no_action_buttons_at_all(qtbot, seat):
    view = seat.view
    for alarm in (RED, YELLOW):
        view.show_alarm(alarm)
        assert view.steps.visible_keys() == []
        assert view.steps.isHidden() and view.note.isHidden() and view.actions_title.isHidden()
    assert "read only" in view.role_label.text()
    assert not view.take_step("ack")
    assert view.guidance.toPlainText()  # reading is still everything a wall needs


def test_trend_is_filled_from_the_backends_history_when_the_ring_holds_less(qtbot, seat):
    view = seat.view
    view.show_alarm(RED)
    channel = seat.model.alarms.get(RED).channel
    assert view.trend.channels == [channel]
    qtbot.waitUntil(lambda: view.feed.requests >= 1, timeout=3_000)  # the ring is seconds old
    held = view.feed.backfill.held
    qtbot.waitUntil(lambda: held(channel).times_us.size >= 1, timeout=5_000)
    first_fetched = held(channel).times_us[0] / 1e6
    qtbot.waitUntil(lambda: view.trend.plot.samples(channel)[0].size >= 3, timeout=5_000)
    assert view.trend.plot.samples(channel)[0][0] == pytest.approx(first_fetched)
    (x0, x1), _ = view.trend.plot.viewRange()
    assert x1 - x0 == pytest.approx(30 * 60, rel=0.02)


def test_show_in_3d_and_show_trend_emit_the_alarms_channel(qtbot, seat):
    view = seat.view
    view.show_alarm(YELLOW)
    channel = seat.model.alarms.get(YELLOW).channel
    with qtbot.waitSignal(view.showInSceneRequested) as located:
        view.locate_button.click()
    with qtbot.waitSignal(view.showTrendRequested) as trended:
        view.trend_button.click()
    assert located.args == [channel] == trended.args


def test_panel_renders_as_a_dark_control_room_panel(qtbot, seat):
    view = seat.view
    view.setStyleSheet((files("resources") / "styles" / "dark.qss").read_text("utf-8"))
    view.show_alarm(RED)
    _click(qtbot, seat, "ack", "gas confirmed on CCTV")
    qtbot.waitUntil(lambda: view.history.rowCount() == 1, timeout=5_000)
    _click(qtbot, seat, "verify_real", "haze in zone 1")
    qtbot.waitUntil(lambda: view.history.rowCount() == 2, timeout=5_000)
    channel = seat.model.alarms.get(RED).channel
    qtbot.waitUntil(lambda: view.trend.plot.samples(channel)[0].size >= 3, timeout=5_000)
    qtbot.wait(600)
    image = view.grab().toImage()
    save_png(image, PANEL_PNG)
    pixels = image_array(image).astype(float)
    assert pixels.std() > 10, "the panel looks blank"
    assert pixels.mean() < 80, "a control-room panel is dark"
    red = np.array([0xD7, 0x19, 0x1C], float)
    assert (np.linalg.norm(pixels - red, axis=2) < 30).sum() > 100, "no level I badge"


def test_main_window_wires_the_panel_to_the_queue_scene_plots_and_backend_policy(qtbot, server):
    from console.config import ConsoleConfig
    from console.main_window import MainWindow

    model = ConsoleModel(buffer_capacity=256)
    config = ClientConfig(pub=server.pub_endpoint, rpc=server.rpc_endpoint)
    client = BackendClient(model, config, Identity("wall-1", "wall", "wall-pc"))
    bridge = ModelBridge(model, fps=30)
    window = MainWindow(model, bridge, client, ConsoleConfig(role="wall", follow_alarms=False))
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    client.start()
    bridge.start()
    try:
        qtbot.waitUntil(lambda: window.alarm_details.policy_source == "backend", timeout=10_000)
        assert window.alarm_queue.ack_button.isHidden()  # the wall may never acknowledge
        qtbot.waitUntil(lambda: model.alarms.get(YELLOW) is not None, timeout=5_000)
        qtbot.waitUntil(lambda: window.alarm_queue.table_model.row_of(YELLOW) >= 0, timeout=3_000)
        window.alarm_queue.select_alarm(YELLOW)
        details = window.alarm_details
        qtbot.waitUntil(lambda: details.details.alarm_id == YELLOW, timeout=2_000)
        assert details.steps.visible_keys() == []
        channel = model.alarms.get(YELLOW).channel
        details.trend_button.click()
        assert window.plots.channels[0] == channel
        details.locate_button.click()
        qtbot.waitUntil(lambda: model.selected == channel, timeout=2_000)
    finally:
        bridge.stop()
        client.stop()
        window.scene_view.scene.shutdown()
