"""The training score of a desk seat in replay: each alarm raised in the range, the crew's and
the trainee's time to acknowledge, and the summary; the trainee's acks are tagged TRAINING."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
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
COLUMNS = (
    QT_TRANSLATE_NOOP("TrainingScoreView", "Level"),
    QT_TRANSLATE_NOOP("TrainingScoreView", "Alarm"),
    QT_TRANSLATE_NOOP("TrainingScoreView", "Raised"),
    QT_TRANSLATE_NOOP("TrainingScoreView", "Crew ack"),
    QT_TRANSLATE_NOOP("TrainingScoreView", "Trainee ack"),
    QT_TRANSLATE_NOOP("TrainingScoreView", "Trainee − crew"),
)


def no_ack_text() -> str:
    """What the summary says before the trainee acknowledges anything."""
    return QCoreApplication.translate(
        "TrainingScoreView", "No acknowledgement made in this replay yet."
    )


def delay_text(seconds: float | None, missing: str) -> str:
    return missing if seconds is None else f"{seconds:.1f} s"


def trainee_text(seconds: float | None, ahead: bool) -> str:
    """The trainee's delay tagged TRAINING; a raise not reached yet is pending, not missed."""
    if seconds is not None:
        return QCoreApplication.translate("TrainingScoreView", "TRAINING {seconds} s").format(
            seconds=f"{seconds:.1f}"
        )
    return (
        QCoreApplication.translate("TrainingScoreView", "not yet")
        if ahead
        else QCoreApplication.translate("TrainingScoreView", "missed")
    )


def difference_text(seconds: float | None) -> str:
    """'+12.0 s slower', '-3.5 s faster', or a dash."""
    if seconds is None:
        return "—"
    text = (
        QCoreApplication.translate("TrainingScoreView", "{delta} s slower")
        if seconds > 0
        else QCoreApplication.translate("TrainingScoreView", "{delta} s faster")
    )
    return text.format(delta=f"{seconds:+.1f}")


class TrainingScoreView(QWidget):
    """Shows a TrainingScore; knows nothing of how it was computed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingScore")
        self.score: Any = None
        self._now_us = 0
        self.tag = QLabel(
            QCoreApplication.translate(
                "TrainingScoreView", "TRAINING — acknowledgements here are scored, never sent"
            ),
            self,
        )
        self.tag.setObjectName("trainingTag")
        self.tag.setWordWrap(True)
        self.summary = QLabel(no_ack_text(), self)
        self.summary.setObjectName("trainingSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("trainingTable")
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("TrainingScoreView", c) for c in COLUMNS]
        )
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
        self.summary.setText(no_ack_text())

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
                delay_text(
                    row.crew_delay_s, QCoreApplication.translate("TrainingScoreView", "never")
                ),
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
    parts = [
        QCoreApplication.translate(
            "TrainingScoreView", "{acked} of {total} alarm raises acknowledged"
        ).format(acked=score.acked, total=total)
    ]
    if score.trainee_median_s is not None:
        crew = score.crew_median_s
        median = f"{score.trainee_median_s:.1f}"
        if crew is None:
            text = QCoreApplication.translate(
                "TrainingScoreView", "median {median} s to acknowledge"
            ).format(median=median)
        else:
            text = QCoreApplication.translate(
                "TrainingScoreView", "median {median} s to acknowledge (crew {crew} s)"
            )
            text = text.format(median=median, crew=f"{crew:.1f}")
        parts.append(text)
    if score.unmatched:
        many = score.unmatched > 1
        text = (
            QCoreApplication.translate("TrainingScoreView", "{n} acks of no raise")
            if many
            else QCoreApplication.translate("TrainingScoreView", "{n} ack of no raise")
        )
        parts.append(text.format(n=score.unmatched))
    return " · ".join(parts)
