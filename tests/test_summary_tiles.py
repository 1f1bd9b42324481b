"""Summary tiles as real widgets: words and symbols per level, clicks on a desk, none on a wall.

Run as a script to look at the board: python -m tests.test_summary_tiles OUT_DIR writes the demo
city's board at 1920x1080 and 3840x2160 with the dark theme.
"""

import sys
import time
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from backend_client.city import Sensor, demo_city_path, load_city
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import (
    LEVEL_COLOURS,
    AlarmChange,
    AlarmRecord,
    AlarmState,
    Quality,
    TelemetryBatch,
)
from views.summary_tiles import SummaryTileBoard, grid_columns
from widgets.summary_tile import COLOURS

S = AlarmState


def _dark_qss() -> str:
    """The dark theme's style sheet, read directly (the theme loader is another module's)."""
    return (files("resources") / "styles" / "dark.qss").read_text("utf-8")


def _model(n=12):
    model = ConsoleModel(buffer_capacity=16)
    domains = ("gas", "water", "bridge")
    areas = ("north", "south")
    model.set_catalog(
        tuple(
            Sensor(f"S{i}", f"Sensor {i}", domains[i % 3], "t", "u", (0, 0, 0), "a", areas[i % 2])
            for i in range(n)
        )
    )
    return model


def _alarm(i, level, state=S.UNACK, raised=None):
    raised = int(time.time() * 1e6) - 60_000_000 + i if raised is None else raised
    return AlarmRecord(f"S{i}", i, f"S{i}", level, state, True, 30.0, 20.0, raised, raised)


def _board(qtbot, model, **kwargs):
    board = SummaryTileBoard(model, **kwargs)
    qtbot.addWidget(board)
    board.resize(1200, 700)
    with qtbot.waitActive(board):  # focus needs an active window
        board.show()
        board.activateWindow()
    return board


class _PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


@pytest.fixture(autouse=True)
def _dark_theme(qapp):
    qapp.setStyleSheet(_dark_qss())
    yield
    qapp.setStyleSheet("")


def test_tiles_show_counts_worst_level_as_symbol_and_text_and_all_clear_groups(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 1, S.ACKED), _alarm(3, 3), _alarm(1, 4, S.RTN_UNACK)])
    board = _board(qtbot, model)
    assert list(board.tiles) == ["gas", "water", "bridge"]
    gas, water, bridge = board.tiles.values()
    assert gas.texts.name == "Gas" and gas.texts.badge == "▲ I"
    assert gas.texts.status == "LEVEL I" and gas.texts.unack == "1 UNACK"
    assert [n for _, n in gas.texts.counts] == ["1", "0", "1", "0"]
    assert gas.property("worst") == "1" and gas.property("unacked") == "true"
    assert water.texts.badge == "● IV" and water.texts.status == "LEVEL IV"
    assert bridge.texts.badge == "" and bridge.texts.status == "ALL CLEAR"
    assert bridge.property("worst") == "0" and bridge.property("state") == "clear"
    assert "LEVEL I" in gas.accessibleDescription()


def test_every_tile_colour_comes_from_the_theme(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 1), _alarm(1, 4)])
    board = _board(qtbot, model)
    for tile in board.tiles.values():
        missing = [c for c in COLOURS if not tile.property(f"{c}Color").isValid()]
        assert missing == [], f"the theme sets no qproperty-*Color for {missing}"
    gas, water = board.tiles["gas"], board.tiles["water"]
    assert gas.property("accentColor").name() == LEVEL_COLOURS[1]
    assert water.property("badgeColor").name() == LEVEL_COLOURS[4]


def test_grouping_by_area_and_the_desk_toggle(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 2)])
    board = _board(qtbot, model)
    with qtbot.waitSignal(board.groupingChanged) as blocker:
        qtbot.mouseClick(board.group_buttons["area"], Qt.MouseButton.LeftButton)
    assert blocker.args == ["area"] and board.group_by == "area"
    assert list(board.tiles) == ["north", "south"]
    assert board.tiles["north"].texts.badge == "◆ II"
    assert board.tiles["south"].texts.status == "ALL CLEAR"


def test_clicking_or_entering_a_desk_tile_asks_for_its_detail(qtbot):
    board = _board(qtbot, _model())
    water = board.tiles["water"]
    with qtbot.waitSignal(board.tileActivated) as blocker:
        qtbot.mouseClick(water, Qt.MouseButton.LeftButton)
    assert blocker.args == ["domain", "water"]
    water.setFocus()
    qtbot.keyClick(water, Qt.Key.Key_Right)
    assert board.tiles["bridge"].hasFocus()
    with qtbot.waitSignal(board.tileActivated) as blocker:
        qtbot.keyClick(board.tiles["bridge"], Qt.Key.Key_Return)
    assert blocker.args == ["domain", "bridge"]


def test_a_wall_board_takes_no_focus_and_ignores_clicks(qtbot):
    board = _board(qtbot, _model(), interactive=False)
    assert not board.bar.isVisible(), "the wall's owner sets the grouping"
    seen = []
    board.tileActivated.connect(lambda *args: seen.append(args))
    for tile in board.tiles.values():
        assert tile.focusPolicy() == Qt.FocusPolicy.NoFocus
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
        qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert board.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert not any(t.hasFocus() for t in board.tiles.values())
    assert seen == []
    board.set_group_by("area")
    assert list(board.tiles) == ["north", "south"]


def test_refresh_repaints_only_tiles_whose_summary_changed(qtbot):
    model = _model()
    model.alarms.apply_snapshot(0, [_alarm(0, 2)])
    board = _board(qtbot, model)
    qtbot.wait(50)
    counter = _PaintCounter()
    for tile in board.tiles.values():
        tile.installEventFilter(counter)
    version = board.summaries.version
    board.refresh()
    qtbot.wait(50)
    assert counter.paints == 0 and board.summaries.version == version
    model.alarms.apply_change(AlarmChange(1, _alarm(1, 3)))  # water: a new level III alarm
    board.refresh()
    qtbot.wait(50)
    assert board.tiles["water"].texts.badge == "■ III"
    assert counter.paints >= 1
    painted = counter.paints
    board.refresh()
    qtbot.wait(50)
    assert counter.paints == painted


class _Shouting(QTranslator):
    """A stand-in for a language file: every tile text and shared word comes back marked."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return f"«{source}»" if context in ("SummaryTiles", "Vocabulary") else None

    def isEmpty(self) -> bool:
        return False


def test_names_and_words_go_through_qt_translation(qtbot, qapp):
    translator = _Shouting()
    qapp.installTranslator(translator)
    try:
        model = _model()
        model.alarms.apply_snapshot(0, [_alarm(0, 1)])
        board = _board(qtbot, model)
    finally:
        qapp.removeTranslator(translator)
    gas = board.tiles["gas"]
    assert gas.texts.name == "«Gas»"
    assert gas.texts.status == "«LEVEL «I»»" and gas.texts.unack == "«1 UNACK»"
    assert gas.texts.badge == "«▲ I»"
    assert board.group_buttons["area"].text() == "«Districts»"


def test_grid_columns_fill_a_wide_wall_and_a_tall_panel():
    assert grid_columns(6, 3840, 2160) == 3
    assert grid_columns(6, 400, 1200) == 1
    assert grid_columns(4, 1920, 1080) == 2
    assert grid_columns(0, 100, 100) == 1


def demo_board(size: tuple[int, int], group_by: str = "domain") -> SummaryTileBoard:
    """The demo city with a few alarms of every level, as a wall board of the given size."""
    city = load_city(demo_city_path())
    model = ConsoleModel(buffer_capacity=16)
    model.set_city(city)
    model.set_catalog(city.sensors)
    n = len(city.sensors)
    now_us = int(time.time() * 1e6)
    quality = np.zeros(n, dtype=np.uint8)
    quality[::97] = Quality.FAULT
    times = np.full(n, now_us, dtype=np.int64)
    times[5::131] = now_us - 3_600_000_000  # a few sensors silent for an hour
    batch = TelemetryBatch(
        "tel.demo", 0, np.arange(n, dtype=np.uint32), times, np.zeros(n, np.float32), quality
    )
    model.ingest(batch)
    first = {}
    for i, s in enumerate(city.sensors):
        first.setdefault(s.domain, []).append(i)
    plan = [
        ("gas", 1, S.UNACK),
        ("gas", 2, S.ACKED),
        ("gas", 3, S.ACKED),
        ("drainage", 2, S.UNACK),
        ("drainage", 3, S.ACKED),
        ("drainage", 4, S.ACKED),
        ("water", 4, S.RTN_UNACK),
        ("bridge", 3, S.SHELVED),
        ("tunnel", 4, S.ACKED),
        ("tunnel", 3, S.OUT_OF_SERVICE),
    ]
    alarms = []
    for domain, level, state in plan:
        i = first[domain].pop(0)
        sensor = city.sensors[i]
        raised = now_us - 300_000_000
        alarms.append(
            AlarmRecord(sensor.id, i, sensor.id, level, state, True, 1.0, 0.5, raised, raised)
        )
    model.alarms.apply_snapshot(0, alarms)
    board = SummaryTileBoard(model, group_by=group_by, interactive=False)
    board.resize(*size)
    return board


def test_the_demo_board_renders_level_colours_where_levels_stand(qtbot, tmp_path):
    board = demo_board((1920, 1080))
    qtbot.addWidget(board)
    board.show()
    qtbot.waitExposed(board)
    image = board.grab().toImage()
    gas = board.tiles["gas"]
    assert gas.texts.badge == "▲ I"
    band = gas.geometry().translated(board.grid_host.pos())
    colour = image.pixelColor(band.center().x(), band.top() + gas.height() // 12)
    assert colour.name() == LEVEL_COLOURS[1]
    heating = board.tiles["heating"]
    assert heating.texts.status == "ALL CLEAR"


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyleSheet(_dark_qss())
    for group_by in ("domain", "area"):
        for size in ((1920, 1080), (3840, 2160)):
            shown = demo_board(size, group_by)
            shown.show()
            for _ in range(5):
                app.processEvents()
            path = out / f"summary-tiles-{group_by}-{size[0]}x{size[1]}.png"
            shown.grab().save(str(path))
            print(path)
