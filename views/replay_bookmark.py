"""The Bookmark dialog of a desk seat: a title, notes and the stretch of recording to keep."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

BOOKMARK_HALF_SPAN_US = 5 * 60 * 1_000_000  # default: five minutes either side of the playhead
TIME_FORMAT = "yyyy-MM-dd HH:mm:ss"


def default_span(now_us: int, t0_us: int, t1_us: int) -> tuple[int, int]:
    """Five minutes either side of the playhead, within the replay range."""
    return max(t0_us, now_us - BOOKMARK_HALF_SPAN_US), min(t1_us, now_us + BOOKMARK_HALF_SPAN_US)


class BookmarkDialog(QDialog):
    """Asks what to call the bookmark; the caller saves it to the incident library."""

    def __init__(self, start_us: int, end_us: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookmarkDialog")
        self.setWindowTitle(
            QCoreApplication.translate("BookmarkDialog", "Bookmark this stretch of the recording")
        )
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(
            QCoreApplication.translate("BookmarkDialog", "e.g. Tunnel 1 gas leak, night shift")
        )
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText(
            QCoreApplication.translate(
                "BookmarkDialog", "What happened, what to watch for when replaying it"
            )
        )
        self.start = self._time_edit(start_us)
        self.end = self._time_edit(end_us)
        self.error = QLabel("", self)
        self.error.setObjectName("bookmarkError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QCoreApplication.translate("BookmarkDialog", "Title"), self.title)
        form.addRow(QCoreApplication.translate("BookmarkDialog", "Notes"), self.notes)
        form.addRow(QCoreApplication.translate("BookmarkDialog", "From"), self.start)
        form.addRow(QCoreApplication.translate("BookmarkDialog", "To"), self.end)
        form.addRow(self.error)
        form.addRow(buttons)

    def _time_edit(self, t_us: int) -> QDateTimeEdit:
        edit = QDateTimeEdit(QDateTime.fromMSecsSinceEpoch(t_us // 1000), self)
        edit.setDisplayFormat(TIME_FORMAT)
        return edit

    def span_us(self) -> tuple[int, int]:
        return (
            self.start.dateTime().toMSecsSinceEpoch() * 1000,
            self.end.dateTime().toMSecsSinceEpoch() * 1000,
        )

    def _accept_if_valid(self) -> None:
        start, end = self.span_us()
        if not self.title.text().strip():
            self.error.setText(
                QCoreApplication.translate("BookmarkDialog", "A bookmark needs a title.")
            )
        elif end < start:
            self.error.setText(
                QCoreApplication.translate("BookmarkDialog", "The bookmark ends before it starts.")
            )
        else:
            self.accept()
