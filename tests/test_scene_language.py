"""The 3D and replay views in Simplified Chinese: Qt widgets translated, and the text VTK draws
itself (legend, labels) in a font that has the glyphs, while English renders as before."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from vtkmodules.vtkCommonCore import VTK_FONT_FILE
from vtkmodules.vtkRenderingCore import vtkRenderWindow, vtkTextProperty

from backend_client.city import city_from_dict
from backend_client.protocol import AlarmState
from tests.test_city_scene import small_city_dict
from tests.test_scene_hover import _alarm
from tests.test_scene_modes import _city_with_pressure
from widgets.city_scene import CityScene, read_pixels
from widgets.scene_fonts import (
    cjk_font_file,
    collection_face,
    match_font,
    needs_cjk_font,
    text_width_em,
    use_font_for,
)
from widgets.scene_hover import state_words
from widgets.scene_labels import LabelLayer
from widgets.scene_style import DOMAIN_HEX, LEVEL_II, NORMAL, STATE_TEXT
from widgets.scene_values import QUANTITY_NAMES
from widgets.scene_words import mode_title, network_text, quantity_text, state_text

TRANSLATIONS = Path(__file__).resolve().parents[1] / "resources" / "translations"
TS = TRANSLATIONS / "lifeline_scene_zh_CN.ts"
QM = TRANSLATIONS / "lifeline_scene_zh_CN.qm"
W, H = 800, 600
CJK = re.compile(r"[\u4e00-\u9fff]")
needs_font = pytest.mark.skipif(cjk_font_file() is None, reason="no Simplified Chinese font")


@pytest.fixture
def zh(qapp):
    """The scene's Chinese translator, installed for one test and removed after it."""
    translator = QTranslator()
    assert translator.load(str(QM))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def _messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS).getroot()
    return [
        (c.findtext("name") or "", m.findtext("source") or "", m.find("translation"))
        for c in root.iter("context")
        for m in c.iter("message")
    ]


def _cmap(path: str) -> set[int]:
    """Code points the first face of a font file maps (what FreeType opens for VTK)."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        from PySide6.QtGui import QRawFont

        raw = QRawFont(path, 16)
        return {cp for cp in range(0x20, 0xFFFF) if raw.supportsCharacter(chr(cp))}
    return set(TTFont(path, fontNumber=0, lazy=True).getBestCmap())


# --- the translation file -----------------------------------------------------------------------


def test_every_scene_message_is_translated_with_its_placeholders():
    messages = _messages()
    assert len(messages) > 100
    for context, source, tr in messages:
        assert tr is not None and tr.get("type") is None, (context, source)
        text = tr.text or ""
        assert text and (CJK.search(text) or text != source), (context, source, text)
        assert sorted(re.findall(r"{\w+}", text)) == sorted(re.findall(r"{\w+}", source))


def test_compiled_file_holds_what_the_source_file_says(zh):
    for context, source, tr in _messages():
        assert zh.translate(context, source) == tr.text, (context, source)


def test_every_scene_table_entry_has_a_translation(zh):
    """The English tables of scene_style and scene_values are keys: each one is marked."""
    for code in range(len(STATE_TEXT)):
        assert CJK.search(state_text(code)), STATE_TEXT[code]
    for domain in DOMAIN_HEX:
        assert CJK.search(network_text(domain)), domain
    for sensor_type in QUANTITY_NAMES:
        assert CJK.search(quantity_text(sensor_type)), sensor_type


# --- Qt widgets ---------------------------------------------------------------------------------


def test_scene_toolbar_shows_chinese(zh, qtbot):
    from views.scene_view import SceneToolbar

    bar = SceneToolbar()
    qtbot.addWidget(bar)
    city = _city_with_pressure()
    bar.set_choices([("T1", "Test tunnel")], [("water/PRESS", "供水压力（MPa）")])
    assert (bar.overview.text(), bar.xray.text(), bar.legend.text()) == ("总览", "透视", "图例")
    assert "综合管廊" in bar.tunnels.toolTip()
    assert bar.tunnels.itemText(0) == "转到管廊…"
    assert bar.pipe_mode.itemText(0) == "管线：按管网着色"
    assert bar.pipe_mode.itemText(1) == "管线：供水压力（MPa）"
    assert city.tunnels[0].name == "Test tunnel"  # names from the city file stay as written


def test_value_mode_titles_read_as_one_chinese_term(zh):
    from widgets.scene_values import PipelineValues

    mode = PipelineValues(_city_with_pressure()).mode("water/PRESS")
    assert mode_title(mode) == "供水压力（MPa）"


def test_replay_bar_shows_chinese(zh, qtbot):
    from views.replay_bar import ReplayBar

    bar = ReplayBar()
    qtbot.addWidget(bar)
    assert bar.banner.text() == "回放"
    assert bar.play_button.text() == "▶ 播放"
    assert bar.bookmark_button.text() == "★ 书签"
    bar.show_range(0, 90_000_000, [], "全部录制")
    assert bar.range_label.text().endswith("0 条报警")
    bar.show_state(30_000_000, True, 2.0, False)
    assert bar.banner.text().startswith("回放  ")
    assert bar.play_button.text() == "‖ 暂停"


def test_replay_durations_say_their_units_in_chinese(zh):
    from views.replay_bar import duration_words

    assert duration_words(25_000_000) == "25 秒"
    assert duration_words(185_000_000) == "3 分 05 秒"
    assert duration_words(7_620_000_000) == "2 小时 07 分"


def test_hover_states_in_chinese(zh):
    assert state_words(LEVEL_II, 0, _alarm(AlarmState.UNACK)) == "二级报警，未确认"
    assert state_words(NORMAL, 0, None) == "正常"


def test_english_stays_as_before_without_the_translator(qtbot):
    from views.replay_bar import ReplayBar, duration_words
    from views.scene_view import SceneToolbar

    bar = SceneToolbar()
    replay = ReplayBar()
    qtbot.addWidget(bar)
    qtbot.addWidget(replay)
    assert (bar.overview.text(), bar.xray.text(), bar.legend.text()) == (
        "Overview",
        "X-ray",
        "Legend",
    )
    assert (replay.banner.text(), replay.play_button.text()) == ("REPLAY", "▶ Play")
    assert [state_text(c) for c in range(len(STATE_TEXT))] == list(STATE_TEXT)
    assert duration_words(185_000_000) == "3 min 05 s"
    tp = vtkTextProperty()
    use_font_for(tp, ["Level I, most severe", "Gas", "Test tunnel"])
    assert tp.GetFontFamilyAsString() == "Arial"


# --- text VTK draws -----------------------------------------------------------------------------


@pytest.fixture
def rendered():
    """A scene with its legend shown, rendered offscreen at W x H."""
    scene = CityScene(_city_with_pressure())
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(W, H)
    scene.attach(window)
    scene.set_legend_visible(True)

    def render() -> np.ndarray:
        window.Render()
        return read_pixels(window, rerender=False)

    yield scene, render
    window.Finalize()


def _legend_rows(scene: CityScene) -> list[vtkTextProperty]:
    return [
        t.GetTextProperty()
        for t in scene.legend.texts
        if t.GetVisibility() and needs_cjk_font(t.GetInput())
    ]


@needs_font
def test_zh_legend_text_uses_a_font_file_with_every_glyph(zh, rendered):
    scene, render = rendered
    render()
    texts = [t.GetInput() for t in scene.legend.texts if t.GetVisibility()]
    assert "一级（最严重）" in texts and "燃气" in texts and "传感器" in texts
    cmaps: dict[str, set[int]] = {}
    for actor in scene.legend.texts:
        text = actor.GetInput()
        if not actor.GetVisibility() or not needs_cjk_font(text):
            continue
        tp = actor.GetTextProperty()
        assert tp.GetFontFamily() == VTK_FONT_FILE, text
        path = tp.GetFontFile()
        cmap = cmaps.setdefault(path, _cmap(path))
        assert all(ord(ch) in cmap for ch in text), text


@needs_font
def test_zh_legend_draws_glyphs_where_vtk_fonts_draw_none(zh, rendered):
    """The same rows with VTK's Arial (no CJK glyphs) leave the text column nearly empty."""
    scene, render = rendered
    render()
    font = scene.legend.texts[0].GetTextProperty().GetFontSize()
    top = 14 + 5 + round(font * 1.5)  # below the header row
    rows = (slice(top, top + round(font * 1.5) * 7), slice(14 + round(font * 2.6), 14 + 200))

    def ink(frame: np.ndarray) -> int:
        return int((frame[rows].max(axis=2) > 150).sum())

    chinese = ink(render())
    for tp in _legend_rows(scene):
        tp.SetFontFamilyToArial()
    without_glyphs = ink(render())
    assert chinese > 300
    assert chinese > 3 * max(without_glyphs, 1)


@needs_font
def test_chinese_names_in_the_city_file_are_labelled_with_the_cjk_font():
    d = small_city_dict()
    d["tunnels"][0]["name"] = "长江路综合管廊"
    layer = LabelLayer(city_from_dict(d, "<zh city>"))
    _area_tp, asset_tp = (tp for tp, _ in layer._fonts)
    assert asset_tp.GetFontFamily() == VTK_FONT_FILE
    assert text_width_em("长江路综合管廊") == 7.0
    assert text_width_em("Test") == pytest.approx(4 * 0.62)


@needs_font
def test_the_cjk_font_is_the_simplified_chinese_face():
    """FreeType opens face 0 of a collection; Noto CJK's face 0 is Japanese."""
    found = match_font("Noto Sans CJK SC:style=Regular")
    path = cjk_font_file()
    assert path is not None
    assert Path(path).suffix.lower() not in (".ttc", ".otc") or (found and found[1] == 0)
    pytest.importorskip("fontTools")
    from fontTools.ttLib import TTFont

    name = TTFont(path, lazy=True)["name"].getDebugName(1)
    assert "SC" in name or "CN" in name or "Han" in name, name


def test_a_collection_face_copies_out_as_a_font_file(tmp_path):
    found = match_font("Noto Sans CJK SC:style=Regular")
    if found is None or found[0].suffix.lower() != ".ttc":
        pytest.skip("no Noto CJK collection installed")
    out = tmp_path / "face.otf"
    collection_face(found[0], found[1], out)
    assert out.read_bytes()[:4] in (b"OTTO", b"\0\1\0\0")
    assert ord("燃") in _cmap(str(out))
