"""Keeps modal dialogs off a wall seat: nobody stands at a wall to close one, and a modal
dialog would freeze every screen of the seat behind it."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

log = logging.getLogger(__name__)


class ModalGuard(QObject):
    """An application event filter that rejects every dialog or modal window as it is shown."""

    dialogBlocked = Signal(str)  # the dialog's title (or class), after it was closed

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.blocked = 0
        self._app = app
        app.installEventFilter(self)

    def remove(self) -> None:
        self._app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and _modal(watched):
            self._close(watched)
        return False

    def _close(self, widget: QWidget) -> None:
        name = widget.windowTitle() or type(widget).__name__
        self.blocked += 1
        log.warning("wall seat: closed a dialog nobody could answer: %s", name)
        # exec() starts the dialog's own event loop only after show() returns: close it from
        # inside that loop, or exec() would wait forever for a dialog that is already hidden
        QTimer.singleShot(0, lambda w=widget: _dismiss(w))
        self.dialogBlocked.emit(name)


def _modal(widget: QWidget) -> bool:
    if not widget.isWindow():
        return False
    return isinstance(widget, QDialog) or widget.windowModality() != Qt.WindowModality.NonModal


def _dismiss(widget: QWidget) -> None:
    try:
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()
    except RuntimeError:  # already deleted
        pass
