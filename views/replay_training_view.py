"""The training score of a desk seat in replay: each alarm raised in the range, the crew's and
the trainee's time to acknowledge, and the summary; the trainee's acks are tagged TRAINING."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backend_client.model.replay_timeline import clock_text

LEVEL_TEXT = {1: "▲ I", 2: "◆ II", 3: "■ III", 4: "● IV"}
COLUMNS = ("Level", "Alarm", "Raised", "Crew ack", "Trainee ack", "Trainee − crew")


def delay_text(seconds: float | None, missing: str) -> str:
    return missing if seconds is None else f"{seconds:.1f} s"


def trainee_text(seconds: float | None, ahead: bool) -> str:
    """The trainee's delay tagged TRAINING; a raise not reached yet is pending, not missed."""
    if seconds is not None:
        return f"TRAINING {seconds:.1f} s"
    return "not yet" if ahead else "missed"


def difference_text(seconds: float | None) -> str:
    """'+12.0 s slower', '-3.5 s faster', or a dash."""
    if seconds is None:
        return "—"
    return f"{seconds:+.1f} s {'slower' if seconds > 0 else 'faster'}"


class TrainingScoreView(QWidget):
    """Shows a TrainingScore; knows nothing of how it was computed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingScore")
        self.score: Any = None
        self._now_us = 0
        self.tag = QLabel("TRAINING — acknowledgements here are scored, never sent", self)
        self.tag.setObjectName("trainingTag")
        self.tag.setWordWrap(True)
        self.summary = QLabel("No acknowledgement made in this replay yet.", self)
        self.summary.setObjectName("trainingSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("trainingTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tag)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def clear(self) -> None:
        self.score = None
        self.table.setRowCount(0)
        self.summary.setText("No acknowledgement made in this replay yet.")

    def set_now(self, now_us: int) -> None:
        """The replay moved: a raise the playhead passed unacknowledged turns from pending to
        missed (redrawn only when the number of raises passed changes)."""
        if self.score is not None and self._passed(now_us) != self._passed(self._now_us):
            self.show_score(self.score, now_us)

    def _passed(self, now_us: int) -> int:
        return sum(r.raised_us <= now_us for r in self.score.rows) if self.score else 0

    def show_score(self, score: Any, now_us: int) -> None:
        """A TrainingScore (backend_client.recording.training); raises after now are pending."""
        self.score, self._now_us = score, now_us
        rows = list(score.rows)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            ahead = row.raised_us > now_us
            cells = (
                LEVEL_TEXT.get(row.level, str(row.level)),
                row.alarm_id,
                clock_text(row.raised_us),
                delay_text(row.crew_delay_s, "never"),
                trainee_text(row.trainee_delay_s, ahead),
                difference_text(row.difference_s),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(i, column, item)
        self.summary.setText(summary_text(score))


def summary_text(score: Any) -> str:
    """'3 of 5 acknowledged · median 14.2 s (crew 20.0 s) · 1 ack with nothing to answer'."""
    total = score.acked + score.missed
    parts = [f"{score.acked} of {total} alarm raises acknowledged"]
    if score.trainee_median_s is not None:
        crew = score.crew_median_s
        crew_text = f" (crew {crew:.1f} s)" if crew is not None else ""
        parts.append(f"median {score.trainee_median_s:.1f} s to acknowledge{crew_text}")
    if score.unmatched:
        parts.append(f"{score.unmatched} ack{'s' if score.unmatched > 1 else ''} of no raise")
    return " · ".join(parts)
