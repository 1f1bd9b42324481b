"""The keyboard shortcut sheet (F1 or ?): every key the console answers to, on one page, shown
over the window without taking it away (not a dialog: nothing to dismiss on a wall)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

# (section, ((keys, what they do), ...)); keys in QKeySequence's portable form, " / " between
# alternatives; the test checks every QShortcut of the desk window is listed here
SHORTCUTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        QT_TRANSLATE_NOOP("ShortcutSheet", "Alarm queue"),
        (
            ("Up / Down", QT_TRANSLATE_NOOP("ShortcutSheet", "Move through the alarms")),
            ("A / Space", QT_TRANSLATE_NOOP("ShortcutSheet", "Acknowledge the selected alarm")),
            ("Return", QT_TRANSLATE_NOOP("ShortcutSheet", "Alarm details; open a flood group")),
            ("Esc / Backspace", QT_TRANSLATE_NOOP("ShortcutSheet", "Close the flood group")),
            ("S", QT_TRANSLATE_NOOP("ShortcutSheet", "Silence the horn")),
            ("G", QT_TRANSLATE_NOOP("ShortcutSheet", "Group a flood by asset")),
            ("L", QT_TRANSLATE_NOOP("ShortcutSheet", "Show the alarm's sensor in 3D")),
            ("Ctrl++ / Ctrl+= / Ctrl+-", QT_TRANSLATE_NOOP("ShortcutSheet", "Alarm text size")),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutSheet", "3D view"),
        (
            ("Home / R", QT_TRANSLATE_NOOP("ShortcutSheet", "Overview of the city")),
            ("T", QT_TRANSLATE_NOOP("ShortcutSheet", "Next utility tunnel")),
            ("X", QT_TRANSLATE_NOOP("ShortcutSheet", "X-ray: see into the tunnels")),
            ("K", QT_TRANSLATE_NOOP("ShortcutSheet", "Legend on or off")),
            ("C", QT_TRANSLATE_NOOP("ShortcutSheet", "Pipe colours: network or a live value")),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutSheet", "Summary tiles"),
        (
            ("Left / Right / Up / Down", QT_TRANSLATE_NOOP("ShortcutSheet", "Move between tiles")),
            ("Return / Space", QT_TRANSLATE_NOOP("ShortcutSheet", "Open the tile's alarms")),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutSheet", "Replay"),
        (
            ("Space", QT_TRANSLATE_NOOP("ShortcutSheet", "Play or pause")),
            ("PgDown / PgUp", QT_TRANSLATE_NOOP("ShortcutSheet", "Next / previous alarm")),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutSheet", "Console"),
        (
            ("F1 / ?", QT_TRANSLATE_NOOP("ShortcutSheet", "This sheet (Esc closes it)")),
            ("F11", QT_TRANSLATE_NOOP("ShortcutSheet", "Full screen on or off")),
        ),
    ),
)


def listed_keys() -> set[str]:
    """Every key sequence the sheet lists, in portable form."""
    return {k.strip() for _section, rows in SHORTCUTS for keys, _ in rows for k in keys.split("/")}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShortcutSheet", text)


def _native(keys: str) -> str:
    """Keys as the operator's keyboard and language name them."""
    parts = [k.strip() for k in keys.split(" / ")]
    shown = []
    for part in parts:
        sequence = QKeySequence(part)
        native = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        shown.append(native if native and sequence.count() else _tr(part))
    return "  /  ".join(shown)


class ShortcutSheet(QFrame):
    """An overlay over the parent window; any key or click closes it again."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 18, 24, 18)
        title = QLabel(_tr("Keyboard shortcuts"), self)
        title.setObjectName("shortcutTitle")
        column.addWidget(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        half = (len(SHORTCUTS) + 1) // 2
        for i, (section, rows) in enumerate(SHORTCUTS):
            col = 0 if i < half else 2
            row = grid.rowCount() if i not in (0, half) else 0
            if col == 2:  # the right-hand column fills from the top
                row = sum(len(r) + 1 for _s, r in SHORTCUTS[half:i])
            heading = QLabel(_tr(section), self)
            heading.setObjectName("shortcutSection")
            grid.addWidget(heading, row, col, 1, 2)
            for k, (keys, what) in enumerate(rows, start=1):
                key = QLabel(_native(keys), self)
                key.setObjectName("shortcutKeys")
                grid.addWidget(key, row + k, col)
                grid.addWidget(QLabel(_tr(what), self), row + k, col + 1)
        column.addLayout(grid)
        hint = QLabel(_tr("Press any key to close"), self)
        hint.setObjectName("shortcutHint")
        column.addWidget(hint, 0, Qt.AlignmentFlag.AlignRight)
        self.hide()
        parent.installEventFilter(self)

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        self._place()
        self.show()
        self.raise_()
        self.setFocus()

    def _place(self) -> None:
        hint = self.sizeHint()
        area = self.parentWidget().rect()
        w, h = min(hint.width(), area.width() - 40), min(hint.height(), area.height() - 40)
        self.setGeometry((area.width() - w) // 2, (area.height() - h) // 2, w, h)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()


def install_window_keys(window: QWidget) -> ShortcutSheet:
    """F1 and ? open the sheet anywhere in window; F11 toggles full screen."""
    sheet = ShortcutSheet(window)

    def full_screen() -> None:
        window.showNormal() if window.isFullScreen() else window.showFullScreen()

    for keys, slot in (("F1", sheet.toggle), ("?", sheet.toggle), ("F11", full_screen)):
        shortcut = QShortcut(QKeySequence(keys), window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(slot)
    return sheet
