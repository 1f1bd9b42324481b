"""Desk mode: presets load and are checked, layouts are saved per user and restored at start."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenuBar

from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from console.config import ConsoleConfig
from console.desk_preset import (
    KNOWN_DOCKS,
    PRESETS,
    DeskLayoutError,
    desk_settings_dir,
    load_preset,
    preset_for_role,
    preset_path,
    read_user_layouts,
    safe_user_filename,
    user_layout_path,
)
from console.model_bridge import ModelBridge
from views.replay_bar import ReplayBar

needs_display = pytest.mark.skipif(
    not os.environ.get("DISPLAY"), reason="VTK's Qt view needs an X server (run under xvfb-run)"
)


def preset_doc(name: str) -> dict[str, Any]:
    return json.loads(preset_path(name).read_text(encoding="utf-8"))


# --- preset files (no Qt) ---------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
def test_each_bundled_preset_loads_and_places_only_known_docks(name):
    preset = load_preset(preset_path(name))
    assert preset.name == name
    assert preset.placed()
    assert set(preset.placed()) <= set(KNOWN_DOCKS)
    assert {corner for corner, _area in preset.corners} == {
        "top-left",
        "top-right",
        "bottom-left",
        "bottom-right",
    }


def test_each_preset_shows_what_its_role_works_with():
    placed = {name: set(load_preset(preset_path(name)).placed()) for name in PRESETS}
    assert {"dock-alarm-queue", "dock-live-plots"} <= placed["operator"]
    assert {"dock-alarm-queue", "dock-alarm-details", "dock-alarm-kpis"} <= placed["supervisor"]
    assert {"dock-incidents", "dock-training-score", "dock-live-plots"} <= placed["trainer"]
    assert "dock-alarm-queue" in placed["trainer"]


def _break(doc: dict[str, Any], change: str) -> tuple[str, str]:
    """Make one mistake in a preset; (field, value) the error must name."""
    right = doc["areas"]["right"]
    if change == "unknown dock":
        right["groups"][0]["docks"].append("dock-coffee")
        return "areas.right.groups[0].docks[", "dock-coffee"
    if change == "bad area":
        doc["areas"]["middle"] = doc["areas"].pop("right")
        return "areas.middle", "middle"
    if change == "fraction out of range":
        right["size"] = 1.5
        return "areas.right.size", "1.5"
    if change == "front not in its group":
        right["groups"][0]["front"] = "dock-alarm-queue"
        return "areas.right.groups[0].front", "dock-alarm-queue"
    if change == "no room for the 3D view":
        doc["areas"]["left"] = {"size": 0.6, "groups": [{"docks": ["dock-channels"]}]}
        return "areas.left.size + areas.right.size", "0.9"
    if change == "corner beside no such area":
        doc["corners"] = {"bottom-left": "right"}
        return "corners.bottom-left", "right"
    if change == "unknown field":
        right["colour"] = "red"
        return "areas.right.colour", "red"
    if change == "dock placed twice":
        doc["areas"]["bottom"]["groups"][0]["docks"].append("dock-live-plots")
        return "areas.bottom.groups[0].docks", "dock-live-plots"
    raise AssertionError(change)


@pytest.mark.parametrize(
    "change",
    [
        "unknown dock",
        "bad area",
        "fraction out of range",
        "front not in its group",
        "no room for the 3D view",
        "corner beside no such area",
        "unknown field",
        "dock placed twice",
    ],
)
def test_a_malformed_preset_is_refused_naming_file_field_and_value(tmp_path, change):
    doc = preset_doc("operator")
    field, value = _break(doc, change)
    path = tmp_path / "desk-broken.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DeskLayoutError) as caught:
        load_preset(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert field in message, message
    assert value in message, message


def test_a_preset_that_is_not_json_names_the_file(tmp_path):
    path = tmp_path / "desk-x.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DeskLayoutError, match=r"desk-x\.json: not JSON"):
        load_preset(path)


def test_roles_without_a_preset_start_as_operators():
    assert [preset_for_role(r) for r in PRESETS] == list(PRESETS)
    assert preset_for_role("wall") == "operator"
    assert preset_for_role("") == "operator"


# --- where the files go (no Qt) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "user", ["../x", "..", "a/b", "/etc/passwd", "李明", "", ".hidden", "a\0b"]
)
def test_any_user_name_stays_inside_the_layouts_folder(tmp_path, user):
    path = user_layout_path(tmp_path, user)
    assert path.parent == tmp_path / "layouts"
    assert path.resolve().parent == (tmp_path / "layouts").resolve()
    assert not path.name.startswith(".")
    assert path.suffix == ".json"


def test_different_users_never_share_a_file():
    names = ["lin", "Lin", "../lin", "_lin", "李明", "王芳", "a/b", "a_b"]
    assert len({safe_user_filename(n) for n in names}) == len(names)
    assert safe_user_filename("lin.wang-2") == "lin.wang-2"  # plain names stay readable


def test_settings_folder_is_the_configured_one_else_xdg_else_home(tmp_path):
    assert desk_settings_dir(str(tmp_path), {"XDG_CONFIG_HOME": "/x"}) == tmp_path
    xdg = desk_settings_dir("", {"XDG_CONFIG_HOME": str(tmp_path)})
    assert xdg == tmp_path / "lifeline-console"
    home = desk_settings_dir("", {"XDG_CONFIG_HOME": "relative/ignored"})
    assert home == Path.home() / ".config" / "lifeline-console"


# --- on a real window ---------------------------------------------------------------------------


def in_view(window: QMainWindow, name: str) -> bool:
    """A dock the operator can see: shown, docked or floating, and not a tab behind another."""
    dock = window.findChild(QDockWidget, name)
    if dock is None or not dock.isVisible():
        return False
    return dock.isFloating() or window.rect().intersects(dock.geometry())


def area_of(window: QMainWindow, name: str) -> Qt.DockWidgetArea:
    return window.dockWidgetArea(window.findChild(QDockWidget, name))


Opener = Callable[..., Any]


@pytest.fixture
def open_window(qtbot, tmp_path) -> Iterator[Opener]:
    """Windows on a model with no backend; each shown and settled into its start layout."""
    windows: list[Any] = []

    def open_(
        user: str = "lin", role: str = "operator", settings: Path | None = None, replay=False
    ) -> Any:
        from console.main_window import MainWindow

        config = ConsoleConfig(user=user, role=role, settings_dir=str(settings or tmp_path))
        model = ConsoleModel(buffer_capacity=256)
        client = BackendClient(model, ClientConfig(), Identity(user, role, "desk-test"))
        window = MainWindow(model, ModelBridge(model, fps=30), client, config)
        qtbot.addWidget(window)
        if replay:  # the replay window's extra docks, without a recording behind them
            bar = ReplayBar()
            window.show_replay(
                bar, [("Incidents", QLabel("library")), ("Training score", QLabel())]
            )
        window.resize(1600, 900)
        with qtbot.waitSignal(window.layouts.layoutRestored, timeout=10_000) as restored:
            window.show()
        window.restored_from = restored.args[0]
        windows.append(window)
        return window

    yield open_
    for window in windows:
        window.scene_view.scene.shutdown()


@needs_display
def test_supervisor_preset_puts_queue_details_and_the_summary_in_view(open_window):
    window = open_window(role="supervisor")
    assert window.restored_from == "supervisor"
    for name in ("dock-alarm-queue", "dock-alarm-details", "dock-summary"):
        assert in_view(window, name), name
    assert area_of(window, "dock-summary") == Qt.DockWidgetArea.LeftDockWidgetArea
    assert area_of(window, "dock-alarm-kpis") == Qt.DockWidgetArea.LeftDockWidgetArea  # a tab
    assert area_of(window, "dock-alarm-details") == Qt.DockWidgetArea.RightDockWidgetArea
    summary = window.findChild(QDockWidget, "dock-summary")
    assert summary.width() >= 0.15 * window.width()  # prominent, not a sliver


@needs_display
def test_operator_preset_gives_the_queue_the_bottom_and_the_trend_the_right(open_window):
    window = open_window(role="operator")
    queue = window.findChild(QDockWidget, "dock-alarm-queue")
    assert area_of(window, "dock-alarm-queue") == Qt.DockWidgetArea.BottomDockWidgetArea
    assert queue.width() >= 0.65 * window.width()
    assert 0.33 <= queue.height() / window.height() <= 0.5
    assert in_view(window, "dock-live-plots")
    assert not in_view(window, "dock-alarm-kpis")
    assert not in_view(window, "dock-channels")
    assert window.scene_view.width() >= 0.6 * window.width()  # the 3D view stays big


@needs_display
def test_trainer_preset_in_replay_shows_library_score_plots_and_queue(open_window):
    window = open_window(role="trainer", replay=True)
    assert window.restored_from == "trainer"
    for name in ("dock-incidents", "dock-training-score", "dock-live-plots", "dock-alarm-queue"):
        assert in_view(window, name), name
    assert area_of(window, "dock-incidents") == Qt.DockWidgetArea.LeftDockWidgetArea
    live = open_window(user="mei", role="trainer")  # no library in live: skipped, channels shown
    assert in_view(live, "dock-channels")
    assert in_view(live, "dock-live-plots")


@needs_display
def test_the_layout_menu_offers_presets_save_reset_and_save_on_exit(open_window, qtbot):
    window = open_window(role="operator")
    menu = window.layouts.menu
    assert window.menuBar().actions()[0].menu() is menu
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    for wanted in ("Operator preset", "Supervisor preset", "Trainer preset"):
        assert wanted in texts
    for wanted in ("Save layout", "Reset layout", "Save on exit", "Panels"):
        assert wanted in texts
    assert window.layouts.preset_actions["operator"].isChecked()
    window.layouts.preset_actions["supervisor"].trigger()
    assert window.layouts.preset == "supervisor"
    qtbot.waitUntil(lambda: in_view(window, "dock-summary"), timeout=2_000)
    window.findChild(QDockWidget, "dock-alarm-queue").hide()
    window.layouts.reset_action.trigger()
    qtbot.waitUntil(lambda: in_view(window, "dock-alarm-queue"), timeout=2_000)
    assert window.layouts.preset == "supervisor"  # reset: back to the preset it came from


@needs_display
@pytest.mark.parametrize("replay", [False, True], ids=["live", "replay"])
def test_switching_presets_keeps_every_dock_alive_and_the_window_its_size(open_window, replay):
    import shiboken6

    window = open_window(role="trainer", replay=replay)
    assert window.size().toTuple() == (1600, 900)
    docks = window.findChildren(QDockWidget)
    for name in (*PRESETS, *PRESETS):
        assert window.layouts.apply_preset(name)
        assert window.size().toTuple() == (1600, 900), name  # nothing outgrows a 900 px screen
        assert all(shiboken6.isValid(d) and shiboken6.isValid(d.widget()) for d in docks), name
    window.browser.set_sensors(())  # the channel tree (tabbed and untabbed) still works


@needs_display
@pytest.mark.parametrize("role", PRESETS)
def test_every_preset_in_replay_keeps_the_library_and_the_score_at_hand(open_window, role):
    window = open_window(user=role, role=role, replay=True)
    assert in_view(window, "dock-incidents")
    window.show_training_score()  # what a training acknowledgement does
    assert in_view(window, "dock-training-score")


@needs_display
def test_in_replay_the_layout_menu_sits_in_the_replay_bar(open_window):
    window = open_window(role="trainer", replay=True)
    bar = window.menuWidget().findChild(QMenuBar, "deskLayoutMenuBar")
    assert bar is not None and bar.actions()[0].menu() is window.layouts.menu


@needs_display
def test_a_users_saved_layout_comes_back_and_another_user_gets_their_roles_preset(
    open_window, tmp_path
):
    first = open_window(user="lin", role="operator")
    first.findChild(QDockWidget, "dock-live-plots").hide()
    queue = first.findChild(QDockWidget, "dock-alarm-queue")
    first.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, queue)
    path = first.layouts.save()
    assert path == tmp_path / "layouts" / "lin.json"
    first.close()

    again = open_window(user="lin", role="operator")
    assert again.restored_from == "saved"
    assert not in_view(again, "dock-live-plots")
    assert area_of(again, "dock-alarm-queue") == Qt.DockWidgetArea.TopDockWidgetArea

    other = open_window(user="mei", role="supervisor")
    assert other.restored_from == "supervisor"
    assert in_view(other, "dock-alarm-details") and in_view(other, "dock-summary")
    assert area_of(other, "dock-alarm-queue") == Qt.DockWidgetArea.BottomDockWidgetArea


@needs_display
def test_closing_the_window_saves_a_changed_layout_and_only_a_changed_one(open_window, tmp_path):
    untouched = open_window(user="kim", role="operator")
    untouched.close()
    assert not (tmp_path / "layouts" / "kim.json").exists()  # the preset comes back anyway

    window = open_window(user="lin", role="operator")
    window.findChild(QDockWidget, "dock-live-plots").hide()
    window.close()
    saved = read_user_layouts(tmp_path / "layouts" / "lin.json")
    assert saved is not None and saved.layouts["live"].preset == "operator"
    assert not in_view(open_window(user="lin", role="operator"), "dock-live-plots")


@needs_display
def test_save_on_exit_turned_off_is_remembered_and_closing_then_saves_nothing(
    open_window, tmp_path
):
    window = open_window(user="lin", role="operator")
    window.layouts.save_on_exit_action.trigger()  # off
    window.findChild(QDockWidget, "dock-live-plots").hide()
    window.close()
    saved = read_user_layouts(tmp_path / "layouts" / "lin.json")
    assert saved is not None and not saved.save_on_exit and not saved.layouts
    again = open_window(user="lin", role="operator")
    assert again.restored_from == "operator"
    assert not again.layouts.save_on_exit_action.isChecked()


@needs_display
@pytest.mark.parametrize(
    "content",
    [
        "{ not json",
        json.dumps({"format": "lifeline-desk-saved/9", "user": "lin", "layouts": {}}),
        json.dumps(
            {
                "format": "lifeline-desk-saved/1",
                "user": "lin",
                "layouts": {"live": {"preset": "operator", "state": "%%%", "geometry": "AA=="}},
            }
        ),
        "qt-rejects",
    ],
    ids=["not-json", "other-format", "bad-base64", "qt-rejects-state"],
)
def test_a_corrupt_saved_layout_falls_back_to_the_roles_preset_with_a_warning(
    open_window, tmp_path, caplog, content
):
    path = tmp_path / "layouts" / "lin.json"
    path.parent.mkdir(parents=True)
    if content == "qt-rejects":
        content = json.dumps(
            {
                "format": "lifeline-desk-saved/1",
                "user": "lin",
                "layouts": {"live": {"preset": "operator", "state": "AAAA", "geometry": "AAAA"}},
            }
        )
    path.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="console.desk_layout"):
        window = open_window(user="lin", role="supervisor")
    assert window.restored_from == "supervisor"
    assert in_view(window, "dock-summary")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(str(path) in w for w in warnings), warnings


@needs_display
def test_a_hostile_user_name_saves_inside_settings_layouts(open_window, tmp_path):
    settings = tmp_path / "settings"
    window = open_window(user="../x", role="operator", settings=settings)
    path = window.layouts.save()
    assert path.parent == settings / "layouts"
    assert [p.name for p in (settings / "layouts").iterdir()] == [path.name]
    assert not (tmp_path / "x.json").exists() and not (settings / "x.json").exists()
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "lifeline-desk-saved/1" and doc["user"] == "../x"
    assert doc["layouts"]["live"]["preset"] == "operator"
    assert doc["layouts"]["live"]["state"] and doc["layouts"]["live"]["geometry"]


@needs_display
def test_live_and_replay_layouts_are_kept_apart_in_one_file(open_window, tmp_path):
    live = open_window(user="tom", role="trainer")
    live.layouts.save()
    replay = open_window(user="tom", role="trainer", replay=True)
    assert replay.restored_from == "trainer"  # the live layout is not forced onto replay
    replay.findChild(QDockWidget, "dock-training-score").hide()
    replay.layouts.save()
    saved = read_user_layouts(tmp_path / "layouts" / "tom.json")
    assert saved is not None and set(saved.layouts) == {"live", "replay"}
    again = open_window(user="tom", role="trainer", replay=True)
    assert again.restored_from == "saved"
    assert not in_view(again, "dock-training-score")
