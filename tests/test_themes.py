"""Themes: every theme loads and parses, styles what dark styles, and keeps colours apart.

ΔE threshold: warning levels and sensor states are categories an operator must tell apart at a
glance on small glyphs and table cells. A CIEDE2000 difference of about 2.3 is one just
noticeable difference for large adjacent patches; small, separated marks need several times
that, so we ask for ΔE00 >= 12 (about five JNDs, "clearly a different colour") between every
pair of the seven state colours, under normal vision and simulated protanopia, deuteranopia
and tritanopia (Machado et al. 2009, severity 1.0). Shape and text carry the level as well.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from widgets import colour_vision as cv
from widgets.theme import (
    PALETTE_KEYS,
    THEME_PROPERTY,
    THEMES,
    ThemeError,
    active_theme,
    apply_theme,
    load_theme,
    styles_dir,
)

MIN_DELTA_E = 12.0
STATE_KEYS = (
    "level.1",
    "level.2",
    "level.3",
    "level.4",
    "state.normal",
    "state.bad_quality",
    "state.offline",
)
MIN_TEXT_CONTRAST = {"dark": 4.5, "light": 4.5, "high-contrast": 7.0}
VISIONS = (None, *cv.DEFICIENCIES)
REPO = Path(__file__).resolve().parents[1]


def qss_rules(name: str) -> list[tuple[list[str], dict[str, str]]]:
    """(selectors, declarations) of each rule in a theme's style sheet, comments removed."""
    text = re.sub(r"/\*.*?\*/", "", load_theme(name).qss, flags=re.S)
    rules = []
    for head, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        selectors = [" ".join(s.split()) for s in head.split(",") if s.strip()]
        decls = {}
        for part in body.split(";"):
            if ":" in part:
                key, value = part.split(":", 1)
                decls[key.strip()] = value.strip()
        rules.append((selectors, decls))
    return rules


def colour_of(value: str) -> str | None:
    """The '#rrggbb' in a declaration's value, if there is one."""
    m = re.search(r"#[0-9a-fA-F]{6}\b", value)
    return m.group(0).lower() if m else None


@pytest.fixture
def themed_app(qapp):
    """The test QApplication; its style sheet and theme are put back afterwards."""
    sheet, name = qapp.styleSheet(), qapp.property(THEME_PROPERTY)
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setProperty(THEME_PROPERTY, name)


@pytest.mark.parametrize("name", THEMES)
def test_every_theme_loads_with_a_complete_palette(name: str) -> None:
    theme = load_theme(name)
    assert theme.name == name
    assert set(theme.colours) == set(PALETTE_KEYS)
    assert "QWidget" in theme.qss
    assert load_theme(name) is theme  # cached per name


def _sample_widgets() -> QWidget:
    """Widgets carrying the object names and dynamic properties the style sheets select."""
    from widgets.replay_timeline import ReplayTimeline

    root = QWidget()
    root.setObjectName("alarmQueue")
    root.setProperty("scale", "large")
    layout = QVBoxLayout(root)
    header = QFrame(objectName="alarmQueueHeader")
    row = QHBoxLayout(header)
    for level in "1234":
        badge = QLabel(f"L{level}", objectName="levelCount")
        badge.setProperty("level", level)
        row.addWidget(badge)
    for link in ("live", "down", "replay"):
        state = QLabel(link, objectName="linkState")
        state.setProperty("link", link)
        row.addWidget(state)
    row.addWidget(QLabel("flood", objectName="floodBanner"))
    layout.addWidget(header)
    table = QTableView(objectName="alarmTable")
    layout.addWidget(table)
    tabs = QTabWidget()
    tabs.addTab(QLineEdit(), "one")
    tabs.addTab(QComboBox(), "two")
    layout.addWidget(tabs)
    ack = QPushButton("Ack", objectName="ackButton")
    disabled = QPushButton("Off")
    disabled.setEnabled(False)
    layout.addWidget(ack)
    layout.addWidget(disabled)
    tile = QFrame(objectName="summaryTile")
    tile.setProperty("worst", "1")
    layout.addWidget(tile)
    layout.addWidget(ReplayTimeline())
    return root


@pytest.mark.parametrize("name", THEMES)
def test_style_sheet_parses_without_qt_warnings(themed_app, qtbot, name: str) -> None:
    messages: list[str] = []

    def handler(kind: QtMsgType, _context: object, text: str) -> None:
        if kind != QtMsgType.QtDebugMsg:
            messages.append(text)

    previous = qInstallMessageHandler(handler)
    try:
        apply_theme(themed_app, name)
        root = _sample_widgets()
        qtbot.addWidget(root)
        root.show()
        qtbot.waitExposed(root)
        themed_app.processEvents()
    finally:
        qInstallMessageHandler(previous)
    bad = [m for m in messages if "parse" in m.lower() or "style" in m.lower()]
    assert not bad, bad


@pytest.mark.parametrize("name", ["light", "high-contrast"])
def test_theme_styles_every_selector_dark_styles(name: str) -> None:
    dark = {s for sels, _ in qss_rules("dark") for s in sels}
    other = {s for sels, _ in qss_rules(name) for s in sels}
    assert dark - other == set()


@pytest.mark.parametrize("name", ["light", "high-contrast"])
def test_theme_sets_every_qproperty_dark_sets(name: str) -> None:
    def qprops(theme: str) -> set[tuple[str, str]]:
        return {
            (s, key)
            for sels, decls in qss_rules(theme)
            for s in sels
            for key in decls
            if key.startswith("qproperty-")
        }

    assert qprops("dark") - qprops(name) == set()


def test_light_and_high_contrast_are_derived_from_the_current_dark_qss() -> None:
    """After editing dark.qss, run scripts/derive_themes.py (it names unmapped colours)."""
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "derive_themes.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _copy_theme(tmp_path: Path, edit) -> Path:
    shutil.copy(styles_dir() / "dark.qss", tmp_path / "broken.qss")
    palette = json.loads((styles_dir() / "dark.json").read_text("utf-8"))
    edit(palette)
    (tmp_path / "broken.json").write_text(json.dumps(palette), "utf-8")
    return tmp_path / "broken.json"


def test_bad_colour_value_is_named_with_file_and_key(tmp_path: Path) -> None:
    path = _copy_theme(tmp_path, lambda p: p.update({"level.2": "orange"}))
    with pytest.raises(ThemeError) as err:
        load_theme("broken", tmp_path)
    message = str(err.value)
    assert str(path) in message and "'level.2'" in message and "'orange'" in message


def test_missing_colour_key_is_named(tmp_path: Path) -> None:
    path = _copy_theme(tmp_path, lambda p: p.pop("plot.grid"))
    with pytest.raises(ThemeError, match=r"missing colour key 'plot\.grid'") as err:
        load_theme("broken", tmp_path)
    assert str(path) in str(err.value)


def test_unknown_colour_key_is_named(tmp_path: Path) -> None:
    _copy_theme(tmp_path, lambda p: p.update({"level.5": "#123456"}))
    with pytest.raises(ThemeError, match=r"unknown colour key 'level\.5'"):
        load_theme("broken", tmp_path)


def test_unknown_theme_name_is_refused() -> None:
    with pytest.raises(ThemeError, match="unknown theme 'sepia'"):
        load_theme("sepia")


@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "normal")
@pytest.mark.parametrize("name", THEMES)
def test_level_and_state_colours_stay_apart_for_colour_blind_viewers(
    name: str, vision: str | None
) -> None:
    colours = [load_theme(name).colour(k) for k in STATE_KEYS]
    delta, i, j = cv.min_pair(colours, vision)
    assert delta >= MIN_DELTA_E, f"{STATE_KEYS[i]} vs {STATE_KEYS[j]}: ΔE00 {delta:.1f}"


@pytest.mark.parametrize("name", ["dark", "light"])
def test_levels_are_also_separated_by_lightness(name: str) -> None:
    """I and IV are dark fills under light text, II and III light fills under dark text."""
    lightness = {n: cv.to_lab(load_theme(name).level(n))[0] for n in (1, 2, 3, 4)}
    assert max(lightness[1], lightness[4]) + 10 < min(lightness[2], lightness[3])
    assert lightness[2] + 8 < lightness[3]


def test_high_contrast_state_colours_stand_out_from_black() -> None:
    """Every level and state glyph reads at 4.5:1 or more on the black scene and plots."""
    theme = load_theme("high-contrast")
    for key in STATE_KEYS:
        assert cv.contrast_ratio(theme.colour(key), theme.colour("plot.background")) >= 4.5, key
    for key in STATE_KEYS[:4]:
        assert cv.contrast_ratio(theme.colour(key), theme.colour("scene.background")) >= 7, key


@pytest.mark.parametrize("name", THEMES)
def test_main_text_reads_on_the_window(name: str) -> None:
    main = next(d for sels, d in qss_rules(name) if sels == ["QWidget"])
    ratio = cv.contrast_ratio(colour_of(main["color"]), colour_of(main["background-color"]))
    assert ratio >= MIN_TEXT_CONTRAST[name]


@pytest.mark.parametrize("name", THEMES)
def test_every_rule_with_text_and_background_is_readable(name: str) -> None:
    low = []
    for sels, decls in qss_rules(name):
        fg, bg = colour_of(decls.get("color", "")), colour_of(decls.get("background", ""))
        bg = bg or colour_of(decls.get("background-color", ""))
        if fg and bg and not any(":disabled" in s for s in sels):
            ratio = cv.contrast_ratio(fg, bg)
            if ratio < MIN_TEXT_CONTRAST[name]:
                low.append((sels, fg, bg, round(ratio, 2)))
    assert not low


@pytest.mark.parametrize("name", THEMES)
def test_painted_text_reads_on_its_background(name: str) -> None:
    theme = load_theme(name)
    pairs = [(f"level_text.{n}", f"level.{n}") for n in (1, 2, 3, 4)] + [
        ("table.text", "table.base"),
        ("table.unacked_text", "table.base"),
        ("table.acked_text", "table.base"),
        ("table.first_out_text", "table.first_out"),
        ("table.flash_off_text", "table.flash_off"),
        ("plot.legend_text", "plot.background"),
        ("scene.label", "scene.label_background"),
        *((f"plot.limit_label.{n}", "plot.background") for n in (1, 2, 3, 4)),
    ]
    for fg, bg in pairs:
        ratio = cv.contrast_ratio(theme.colour(fg), theme.colour(bg))
        assert ratio >= MIN_TEXT_CONTRAST[name], (fg, bg, round(ratio, 2))


def test_ciede2000_matches_published_test_pairs() -> None:
    """Sharma, Wu & Dalal (2005), pairs 1, 3 and 17."""
    lab1 = np.array([[50.0, 2.6772, -79.7751], [50.0, 2.5, 0.0], [50.0, 2.5, 0.0]])
    lab2 = np.array([[50.0, 0.0, -82.7485], [50.0, 0.0, -2.5], [73.0, 25.0, -18.0]])
    np.testing.assert_allclose(cv.delta_e2000(lab1, lab2), [2.0425, 4.3065, 27.1492], atol=1e-4)


def test_simulated_deficiencies_keep_greys_and_merge_red_green() -> None:
    for deficiency in cv.DEFICIENCIES:
        np.testing.assert_allclose(cv.simulate("#808080", deficiency), [128, 128, 128], atol=1)
    red_green = cv.pairwise_delta_e(["#d7191c", "#1a9641"])[0, 1]
    deutan = cv.pairwise_delta_e(["#d7191c", "#1a9641"], "deuteranopia")[0, 1]
    assert deutan < red_green / 2


def test_contrast_ratio_spans_one_to_twenty_one() -> None:
    assert cv.contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert cv.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


def test_active_theme_follows_the_application(themed_app) -> None:
    from widgets.scene_style import current

    themed_app.setProperty(THEME_PROPERTY, None)
    assert active_theme().name == "dark"  # the default without a theme
    apply_theme(themed_app, "light")
    assert active_theme().name == "light"
    assert current().ground == load_theme("light").colour("scene.ground")


def test_painting_widgets_take_their_colours_from_the_theme(themed_app, qtbot) -> None:
    from widgets.alarm_table_model import AlarmTableModel
    from widgets.sensor_plot import SensorPlot

    apply_theme(themed_app, "light")
    theme = load_theme("light")
    plot = SensorPlot()
    qtbot.addWidget(plot)
    assert plot.backgroundBrush().color() == QColor(theme.colour("plot.background"))
    model = AlarmTableModel()
    assert model._level_colours(1, False) == (
        QColor(theme.colour("level.1")),
        QColor(theme.colour("level_text.1")),
    )


def test_no_colour_literal_in_python_widgets() -> None:
    """All styling comes from resources/styles: no '#rrggbb' or QColor literal in the GUI code."""
    literal = re.compile(r"#[0-9a-fA-F]{6}\b|QColor\(\s*['\"\d]")
    found = [
        f"{path.relative_to(REPO)}:{n}"
        for folder in ("console", "views", "widgets")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path.name not in ("theme.py", "colour_vision.py")
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert not found
