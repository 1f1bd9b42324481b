"""The shortcut sheet lists every key the desk window answers to, and opens without a dialog."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel

from backend_client.client import BackendClient, ClientConfig, Identity
from backend_client.model.console_model import ConsoleModel
from console.config import ConsoleConfig
from console.main_window import MainWindow
from console.model_bridge import ModelBridge
from views.shortcut_sheet import listed_keys


@pytest.fixture
def window(qtbot, tmp_path: Path):
    model = ConsoleModel(buffer_capacity=64)
    client = BackendClient(model, ClientConfig(), Identity("li.wei", "operator"))  # not started
    config = ConsoleConfig(user="li.wei", role="operator", settings_dir=str(tmp_path))
    window = MainWindow(model, ModelBridge(model), client, config)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.scene_view.scene.shutdown()


def test_every_shortcut_of_the_desk_window_is_on_the_sheet(window):
    bound = {
        shortcut.key().toString(QKeySequence.SequenceFormat.PortableText)
        for shortcut in window.findChildren(QShortcut)
    }
    assert bound, "the window has no shortcuts at all?"
    missing = bound - listed_keys()
    assert not missing, f"shortcuts missing from the sheet: {sorted(missing)}"


def test_f1_shows_the_sheet_over_the_window_and_any_key_closes_it(window, qtbot):
    sheet = window.shortcut_sheet
    assert not sheet.isVisible()
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.wait(300)  # Xvfb without a window manager: activation settles a moment after
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(sheet.isVisible, timeout=2_000)
    assert not isinstance(sheet, QDialog) and sheet.parentWidget() is window
    assert window.rect().contains(sheet.geometry())
    texts = {label.text() for label in sheet.findChildren(QLabel)}
    assert {
        "Keyboard shortcuts",
        "Acknowledge the selected alarm",
        "X-ray: see into the tunnels",
    } <= texts
    qtbot.keyClick(sheet, Qt.Key.Key_Escape)
    assert not sheet.isVisible()
