"""The incident library panel: the recording's incidents (proposed alarm episodes and bookmarks)
with a search box and a kind filter; double-click or Replay asks for one to be replayed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backend_client.model.replay_timeline import clock_text
from views.replay_bar import duration_words

LEVEL_TEXT = {1: "▲ I", 2: "◆ II", 3: "■ III", 4: "● IV"}  # shape and numeral, as the queue's
KIND_CHOICES = (
    (QT_TRANSLATE_NOOP("IncidentLibraryView", "All"), None),
    (QT_TRANSLATE_NOOP("IncidentLibraryView", "Proposed"), "auto"),
    (QT_TRANSLATE_NOOP("IncidentLibraryView", "Bookmarks"), "bookmark"),
)
COLUMNS = (
    QT_TRANSLATE_NOOP("IncidentLibraryView", "Title"),
    QT_TRANSLATE_NOOP("IncidentLibraryView", "Start"),
    QT_TRANSLATE_NOOP("IncidentLibraryView", "Duration"),
    QT_TRANSLATE_NOOP("IncidentLibraryView", "Max level"),
    QT_TRANSLATE_NOOP("IncidentLibraryView", "Alarms"),
)
BOOKMARK = "★ "  # a bookmark's title is marked; a proposed episode's is not


class IncidentSearch(Protocol):
    """What the panel reads of backend_client.recording.incidents.IncidentLibrary."""

    def search(self, text: str = "", kind: str | None = None) -> Sequence[Any]: ...


class IncidentLibraryView(QWidget):
    """Lists and filters incidents; choosing one is forwarded, the panel replays nothing."""

    incidentChosen = Signal(object)  # the Incident to replay

    def __init__(self, library: IncidentSearch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentLibrary")
        self.library = library
        self.incidents: list[Any] = []
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("incidentSearch")
        self.search_box.setPlaceholderText(
            QCoreApplication.translate("IncidentLibraryView", "Search titles and notes")
        )
        self.search_box.setClearButtonEnabled(True)
        self.kind = QComboBox(self)
        for label, kind in KIND_CHOICES:
            self.kind.addItem(QCoreApplication.translate("IncidentLibraryView", label), kind)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("incidentTable")
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("IncidentLibraryView", c) for c in COLUMNS]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.replay_button = QPushButton(
            QCoreApplication.translate("IncidentLibraryView", "▶ Replay"), self
        )
        self.replay_button.setObjectName("incidentReplay")
        self.replay_button.setToolTip(
            QCoreApplication.translate(
                "IncidentLibraryView", "Replay the selected incident (or double-click it)"
            )
        )
        self.count = QLabel("", self)
        self.count.setObjectName("incidentCount")
        self.notes = QLabel("", self)
        self.notes.setObjectName("incidentNotes")
        self.notes.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 1)
        filters.addWidget(self.kind)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        actions.addWidget(self.replay_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        layout.addLayout(actions)
        self.search_box.textChanged.connect(lambda _text: self.refresh())
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.cellDoubleClicked.connect(lambda row, _column: self._choose(row))
        self.table.currentCellChanged.connect(lambda row, *_: self._show_notes(row))
        self.replay_button.clicked.connect(lambda: self._choose(self.table.currentRow()))
        self.refresh()

    def refresh(self) -> None:
        """Search the library again with the box's text and the kind chosen."""
        self.incidents = list(self.library.search(self.search_box.text(), self.kind.currentData()))
        self.table.setRowCount(len(self.incidents))
        for row, incident in enumerate(self.incidents):
            level = incident.max_level
            bookmark = incident.kind == "bookmark"
            cells = (
                f"{BOOKMARK if bookmark else ''}{incident.title}",
                clock_text(incident.start_us, with_date=True)[5:],  # MM-DD HH:MM:SS
                duration_words(incident.end_us - incident.start_us),
                LEVEL_TEXT.get(level, "—") if level is not None else "—",
                str(incident.alarm_count),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    kind = (
                        QCoreApplication.translate("IncidentLibraryView", "Bookmark")
                        if bookmark
                        else QCoreApplication.translate(
                            "IncidentLibraryView", "Proposed from an alarm episode"
                        )
                    )
                    item.setToolTip(f"{incident.title}\n{kind}\n{incident.notes}".strip())
                if column in (2, 4):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        n = len(self.incidents)
        count = (
            QCoreApplication.translate("IncidentLibraryView", "{n} incidents")
            if n != 1
            else QCoreApplication.translate("IncidentLibraryView", "{n} incident")
        )
        self.count.setText(count.format(n=n))
        self.replay_button.setEnabled(bool(self.incidents))
        if self.incidents and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self._show_notes(self.table.currentRow())

    def select_incident(self, incident_id: int) -> None:
        """Highlight an incident (the one being replayed) if the filter shows it."""
        for row, incident in enumerate(self.incidents):
            if incident.id == incident_id:
                self.table.selectRow(row)
                return

    def _show_notes(self, row: int) -> None:
        incident = self.incidents[row] if 0 <= row < len(self.incidents) else None
        self.notes.setText(incident.notes if incident is not None else "")
        self.notes.setVisible(bool(incident is not None and incident.notes))

    def _choose(self, row: int) -> None:
        if 0 <= row < len(self.incidents):
            self.incidentChosen.emit(self.incidents[row])
