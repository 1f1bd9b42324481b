"""English and Simplified Chinese: translations load, fonts have the glyphs, formats follow."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, QLocale, Qt, QTranslator
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QRawFont
from PySide6.QtWidgets import QApplication, QDockWidget

from backend_client.city import Sensor
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmRecord, AlarmState
from console.language import TRANSLATOR_NAME, cjk_family, install_language, translations_dir
from views.alarm_queue_view import AlarmQueueView
from views.status_view import StatusView
from widgets.vocabulary import count, date_time, level_symbol, state_short

TRANSLATIONS = translations_dir()
LRELEASE = Path(os.environ.get("VENV", ".venv")) / "bin" / "pyside6-lrelease"


@pytest.fixture
def language(qapp):
    """Install a language for one test; English and the previous locale and font come back."""
    locale, font = QLocale(), QFont(qapp.font())

    def install(name: str) -> QApplication:
        install_language(qapp, name)
        return qapp

    yield install
    install_language(qapp, "en")
    QLocale.setDefault(locale)
    qapp.setFont(font)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _model() -> ConsoleModel:
    model = ConsoleModel(buffer_capacity=64)
    model.set_catalog(
        tuple(
            Sensor(
                f"S{i}",
                f"Sensor {i}",
                ("gas", "water")[i % 2],
                "ch4",
                "%LEL",
                (0, 0, 0),
                f"asset-{i}",
                "north",
            )
            for i in range(4)
        )
    )
    raised = int(time.time() * 1e6) - 60_000_000
    model.alarms.apply_snapshot(
        0,
        [
            AlarmRecord(
                f"S{i}",
                i,
                f"S{i}",
                level,
                AlarmState.UNACK,
                True,
                30.0,
                20.0,
                raised,
                raised,
                "high",
            )
            for i, level in enumerate((1, 2, 3))
        ],
    )
    return model


def _queue(qtbot) -> AlarmQueueView:
    view = AlarmQueueView(_model())
    qtbot.addWidget(view)
    view.resize(1400, 500)
    view.show()
    return view


def _headers(view: AlarmQueueView) -> list[str]:
    model = view.table_model
    return [model.headerData(c, Qt.Orientation.Horizontal, 0) for c in range(model.columnCount())]


def test_chinese_installs_the_console_and_qt_translators_parented_to_the_app(language):
    app = language("zh_CN")
    translators = app.findChildren(QTranslator, TRANSLATOR_NAME)
    files = {Path(t.filePath()).name for t in translators}
    assert "lifeline_zh_CN.qm" in files
    assert {p.name for p in TRANSLATIONS.glob("lifeline*_zh_CN.qm")} <= files
    assert all(t.parent() is app for t in translators)
    assert QLocale().name() == "zh_CN"


def test_installing_english_again_removes_every_translator(language):
    app = language("zh_CN")
    install_language(app, "en")
    assert app.findChildren(QTranslator, TRANSLATOR_NAME) == []
    assert QLocale().name() == "en_US"


def test_chinese_alarm_queue_buttons_headers_and_levels_are_chinese(language, qtbot):
    language("zh_CN")
    view = _queue(qtbot)
    assert view.ack_button.text() == "确认 (A)"
    assert view.header.silence_button.text() == "消音 (S)"
    assert view.filters.group.text() == "分组 (G)"
    assert _headers(view)[:3] == ["等级", "状态", "首发"]
    assert view.unacked.text() == "3 条未确认"
    assert view.counts[1].text().startswith("▲ 一级")
    cells = [view.table_model.data(view.table_model.index(0, c)) for c in (0, 1, 4)]
    assert cells == ["▲ 一级", "未确认", "燃气"]
    assert view.filters.state.currentText() == "全部状态"
    assert view.filters.state.currentData() == "All states"  # the filter key stays English


def test_chinese_filters_and_text_size_still_filter_by_their_english_keys(language, qtbot):
    language("zh_CN")
    view = _queue(qtbot)
    view.filters.domain.setCurrentIndex(view.filters.domain.findData("water"))
    assert view.filters.domain.currentText() == "供水"
    assert view.table_model.rowCount() == 1
    view.filters.scale.setCurrentIndex(view.filters.scale.findData("wall"))
    assert view.property("scale") == "wall"


def test_english_shows_english(language, qtbot):
    language("en")
    view = _queue(qtbot)
    assert view.ack_button.text() == "Ack (A)"
    assert _headers(view)[:3] == ["Level", "State", "1st"]
    assert state_short(AlarmState.RTN_UNACK) == "RTN UNACK"
    assert level_symbol(4) == "● IV"


def test_chinese_status_line_says_the_link_in_chinese_with_a_local_clock(language, qtbot):
    language("zh_CN")
    status = StatusView(_model())
    qtbot.addWidget(status)
    assert "连接中" in status.link.text()
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)  # yyyy/M/d
    now = QDateTime.currentDateTime()
    assert status.clock.text().startswith(QLocale().toString(now.date(), pattern))


def test_numbers_and_dates_follow_the_locale(language):
    language("en")
    assert count(1234567) == "1,234,567"
    english = date_time(0.0)
    assert english[4] == "-" and english[-3] == ":"  # ISO date, 24-hour time with seconds
    language("zh_CN")
    assert count(1234567) == "1,234,567"
    assert "/" in date_time(0.0)


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="the main window's VTK view needs X")
def test_chinese_main_window_docks_have_chinese_titles_and_english_object_names(language, qtbot):
    from backend_client.client import BackendClient, ClientConfig, Identity
    from console.config import ConsoleConfig
    from console.main_window import MainWindow
    from console.model_bridge import ModelBridge

    language("zh_CN")
    model = ConsoleModel(buffer_capacity=64)
    identity = Identity(user="lin", role="operator", host=socket.gethostname())
    endpoints = ClientConfig(pub="tcp://127.0.0.1:1", rpc="tcp://127.0.0.1:2")
    client = BackendClient(model, endpoints, identity)  # never started: no sockets
    window = MainWindow(model, ModelBridge(model, fps=30), client, ConsoleConfig())
    qtbot.addWidget(window)
    try:
        titles = {d.objectName(): d.windowTitle() for d in window.findChildren(QDockWidget)}
        assert titles["dock-channels"] == "测点"
        assert titles["dock-alarm-queue"] == "告警队列"
        assert titles["dock-live-plots"] == "实时曲线"
        assert titles["dock-alarm-details"] == "告警详情"
        assert titles["dock-alarm-kpis"] == "告警指标"
        window.show_replay(window.menuWidget() or window.status, [])
        queue = window.findChild(QDockWidget, "dock-alarm-queue")
        assert queue.windowTitle() == "告警队列 · 回放"
    finally:
        window.scene_view.scene.shutdown()


def _draw(text: str, font: QFont) -> bytes:
    """The pixels of text drawn in font, comparable with ==."""
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(4, 30, text)
    painter.end()
    return bytes(image.constBits())


def test_the_chinese_font_has_a_glyph_for_every_chinese_character_shown(language, qtbot):
    if cjk_family() is None:
        pytest.skip("no CJK font installed (scripts/setup.sh installs fonts-noto-cjk)")
    app = language("zh_CN")
    view = _queue(qtbot)
    shown = "".join(
        [view.ack_button.text(), view.unacked.text(), *_headers(view), *_translations()]
    )
    han = sorted({c for c in shown if _has_cjk(c)})
    assert len(han) > 100
    raw = QRawFont.fromFont(app.font())
    assert raw.familyName() == cjk_family()
    assert [c for c in han if not raw.supportsCharacter(ord(c))] == []  # ord: the ucs4 overload
    # and the glyphs differ from one another: no row of identical boxes
    font = QFont(app.font())
    font.setPixelSize(24)
    tofu = _draw("\U0010fffd", font)  # a code point no font has: what a missing glyph looks like
    images = {_draw(c, font) for c in "告警确认"}
    assert len(images) == 4 and tofu not in images


def _translations() -> list[str]:
    return [
        t.text or ""
        for ts in TRANSLATIONS.glob("*.ts")
        for t in ET.parse(ts).getroot().iter("translation")
    ]


def test_every_message_of_every_ts_file_is_translated():
    files = sorted(TRANSLATIONS.glob("*.ts"))
    assert files, "no .ts files"
    for ts in files:
        root = ET.parse(ts).getroot()
        assert ts.stem.endswith("_" + str(root.get("language")))
        unfinished = [
            (ctx.findtext("name"), m.findtext("source"))
            for ctx in root.iter("context")
            for m in ctx.iter("message")
            if m.find("translation").get("type") == "unfinished"
            or not (m.find("translation").text or "").strip()
        ]
        assert unfinished == [], f"{ts.name}: untranslated {unfinished}"


@pytest.mark.skipif(
    not LRELEASE.exists() and not shutil.which("pyside6-lrelease"),
    reason="pyside6-lrelease not installed",
)
def test_committed_qm_files_are_what_lrelease_builds_from_the_ts(tmp_path):
    lrelease = str(LRELEASE) if LRELEASE.exists() else "pyside6-lrelease"
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        built = tmp_path / f"{ts.stem}.qm"
        subprocess.run([lrelease, str(ts), "-qm", str(built)], check=True, capture_output=True)
        committed = ts.with_suffix(".qm")
        assert committed.exists(), f"{committed.name} missing: run scripts/translations.sh"
        assert committed.read_bytes() == built.read_bytes(), f"{committed.name} is stale"
