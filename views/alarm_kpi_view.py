"""Alarm-system KPIs (EEMUA 191 / ISA-18.2) for this position: tiles, lists, export.

The KPIs are computed by backend_client.model.alarm_kpis from the alarm changes the console
sees; this view only feeds the event log, recomputes every few seconds and presents.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backend_client.model.alarm_book import AlarmCursor
from backend_client.model.alarm_kpi_export import write_report
from backend_client.model.alarm_kpis import (
    DEFAULT_SHIFTS,
    AckTime,
    AlarmEventLog,
    KpiReport,
    Shift,
    compute_kpis,
)
from backend_client.model.console_model import ConsoleModel
from widgets.style_flags import set_style_flag
from widgets.vocabulary import count, date_time_us, level_symbol, number, time_of_day_us

RECOMPUTE_MS = 5000
# EEMUA 191 benchmarks per position: (good up to, warn up to); beyond is bad
RATE_BANDS = (1.0, 2.0)
FLOOD_BANDS = (1.0, 5.0)  # % of time in flood
STALE_BANDS = (0, 5)
CHATTER_BANDS = (0, 2)


def _band(value: float, bands: tuple[float, float]) -> str:
    return "good" if value <= bands[0] else "warn" if value <= bands[1] else "bad"


def _minutes(seconds: float) -> str:
    if seconds < 120:
        return QCoreApplication.translate("AlarmKpis", "{n} s").format(n=number(seconds))
    return QCoreApplication.translate("AlarmKpis", "{n} min").format(n=number(seconds / 60, 1))


def _ack_cells(t: AckTime | None) -> tuple[str, str, str]:
    """Mean, median and count; dashes for a level or shift with no acknowledgement yet."""
    if t is None:
        return ("—", "—", "0")
    return (_minutes(t.mean_s), _minutes(t.median_s), count(t.count))


class KpiTile(QFrame):
    """A big figure with its name and benchmark; its band (good/warn/bad) colours it via QSS."""

    def __init__(self, name: str, target: str, parent: QWidget | None = None) -> None:
        """name and target: already translated by the caller."""
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.value = QLabel("—", self)
        self.value.setObjectName("kpiValue")
        title = QLabel(name, self)
        title.setObjectName("kpiName")
        self.target = QLabel(target, self)
        self.target.setObjectName("kpiTarget")
        for label in (title, self.value, self.target):  # narrow docks clip, never widen
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.target.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(title)
        layout.addWidget(self.value)
        layout.addWidget(self.target)

    def set_figure(self, text: str, band: str, detail: str | None = None) -> None:
        self.value.setText(text)
        if detail is not None:
            self.target.setText(detail)
        set_style_flag(self, "band", band)


def _table(headers: tuple[str, ...], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName("kpiTable")
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(20)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)


class AlarmKpiView(QWidget):
    """Feeds an AlarmEventLog from the alarm book and shows the KPIs it yields."""

    def __init__(
        self,
        model: ConsoleModel,
        parent: QWidget | None = None,
        shifts: tuple[Shift, ...] = DEFAULT_SHIFTS,
        positions: int = 1,
        clock: Callable[[], float] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmKpis")
        self.model = model
        self.shifts = shifts
        self.positions = positions
        self.clock = clock or (lambda: model.clock())  # the model's: wall clock or replay
        self.tz = tz
        self.log = AlarmEventLog(started_us=int(self.clock() * 1e6))
        self.report: KpiReport | None = None
        self._cursor: AlarmCursor | None = None
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(RECOMPUTE_MS)
        self._timer.timeout.connect(self.recompute)
        self._timer.start()
        self.recompute()

    def _build(self) -> None:
        self.rate = KpiTile(
            QCoreApplication.translate("AlarmKpis", "Alarms / 10 min"),
            QCoreApplication.translate("AlarmKpis", "per position; target ≤ 1"),
            self,
        )
        self.flood = KpiTile(
            QCoreApplication.translate("AlarmKpis", "Time in flood"),
            QCoreApplication.translate("AlarmKpis", "> 10 in 10 min; target < 1 %"),
            self,
        )
        self.chatter_tile = KpiTile(
            QCoreApplication.translate("AlarmKpis", "Chattering"),
            QCoreApplication.translate("AlarmKpis", "≥ 3 activations in 60 s"),
            self,
        )
        self.stale_tile = KpiTile(
            QCoreApplication.translate("AlarmKpis", "Stale"),
            QCoreApplication.translate("AlarmKpis", "active > 24 h; target < 5"),
            self,
        )
        tiles = QHBoxLayout()
        tiles.setSpacing(6)
        for tile in (self.rate, self.flood, self.chatter_tile, self.stale_tile):
            tiles.addWidget(tile, 1)
        level, acks = (
            QCoreApplication.translate("AlarmKpis", "Level"),
            QCoreApplication.translate("AlarmKpis", "Acks"),
        )
        mean, median = (
            QCoreApplication.translate("AlarmKpis", "Mean"),
            QCoreApplication.translate("AlarmKpis", "Median"),
        )
        self.top = _table(
            (
                QCoreApplication.translate("AlarmKpis", "Most frequent alarms"),
                level,
                QCoreApplication.translate("AlarmKpis", "Count"),
                QCoreApplication.translate("AlarmKpis", "Share"),
            ),
            self,
        )
        self.chattering = _table(
            (
                QCoreApplication.translate("AlarmKpis", "Chattering"),
                QCoreApplication.translate("AlarmKpis", "In 60 s"),
                QCoreApplication.translate("AlarmKpis", "Last"),
            ),
            self,
        )
        self.stale = _table(
            (
                QCoreApplication.translate("AlarmKpis", "Stale (> 24 h)"),
                level,
                QCoreApplication.translate("AlarmKpis", "Since"),
                QCoreApplication.translate("AlarmKpis", "Hours"),
            ),
            self,
        )
        self.ack_level = _table(
            (QCoreApplication.translate("AlarmKpis", "Ack time: level"), mean, median, acks), self
        )
        self.ack_shift = _table(
            (QCoreApplication.translate("AlarmKpis", "Ack time: shift"), mean, median, acks), self
        )
        grid = QGridLayout()
        grid.setSpacing(6)
        grid.addWidget(self.top, 0, 0, 1, 2)
        grid.addWidget(self.chattering, 1, 0)
        grid.addWidget(self.stale, 1, 1)
        grid.addWidget(self.ack_level, 2, 0)
        grid.addWidget(self.ack_shift, 2, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 2)
        self.period = QLabel("", self)
        self.period.setObjectName("kpiPeriod")
        self.period.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.export_button = QPushButton(
            QCoreApplication.translate("AlarmKpis", "Export KPIs…"), self
        )
        self.export_button.setObjectName("exportKpisButton")
        self.export_button.clicked.connect(self._ask_export_path)
        self.message = QLabel("", self)
        self.message.setObjectName("detailsMessage")
        bar = QHBoxLayout()
        bar.addWidget(self.period, 1)
        bar.addWidget(self.message)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)
        layout.addLayout(tiles)
        layout.addLayout(grid, 1)
        layout.addLayout(bar)

    # --- model -> log -> report ----------------------------------------------------------------

    def observe(self) -> None:
        """Take the alarm changes since the last call into the event log (on alarmsChanged)."""
        delta = self.model.alarms.changes_since(self._cursor)
        self._cursor = delta.cursor
        self.log.observe_all(a for a in delta.alarms.values() if a is not None)

    def recompute(self) -> KpiReport:
        """Every KPI from the log and the book's current alarms; a few ms even for a long log."""
        self.observe()
        now_us = int(self.clock() * 1e6)
        report = compute_kpis(
            self.log, self.model.alarms.active(), now_us, self.positions, self.shifts, self.tz
        )
        self.report = report
        self._present(report)
        return report

    def _present(self, r: KpiReport) -> None:
        rate = r.rate
        detail = QCoreApplication.translate("AlarmKpis", "last 10 min {last} · peak {peak}")
        self.rate.set_figure(
            number(rate.mean, 1),
            _band(rate.mean, RATE_BANDS),
            detail.format(last=number(rate.last_10min), peak=number(rate.peak)),
        )
        flood_pct = r.flood_fraction * 100
        self.flood.set_figure(f"{number(flood_pct, 1)} %", _band(flood_pct, FLOOD_BANDS))
        self.chatter_tile.set_figure(
            count(len(r.chattering)), _band(len(r.chattering), CHATTER_BANDS)
        )
        self.stale_tile.set_figure(count(len(r.stale)), _band(len(r.stale), STALE_BANDS))
        _fill(
            self.top,
            [
                (
                    a.text or a.alarm_id,
                    level_symbol(a.level),
                    count(a.count),
                    f"{number(a.share * 100)}%",
                )
                for a in r.top
            ],
        )
        _fill(
            self.chattering,
            [
                (c.alarm_id, count(c.most_in_window), time_of_day_us(c.last_us))
                for c in r.chattering
            ],
        )
        _fill(
            self.stale,
            [
                (
                    s.alarm_id,
                    level_symbol(s.level),
                    date_time_us(s.raised_us, False),
                    number(s.active_h),
                )
                for s in r.stale
            ],
        )
        _fill(
            self.ack_level,
            [(level_symbol(k), *_ack_cells(t)) for k, t in r.ack_by_level.items()],
        )
        _fill(
            self.ack_shift, [(s.name, *_ack_cells(r.ack_by_shift.get(s.name))) for s in self.shifts]
        )
        minutes = rate.period_s / 60
        period = (
            QCoreApplication.translate(
                "AlarmKpis",
                "Since {start} ({minutes} min) · {alarms} alarms · {positions} position",
            )
            if self.positions == 1
            else QCoreApplication.translate(
                "AlarmKpis",
                "Since {start} ({minutes} min) · {alarms} alarms · {positions} positions",
            )
        )
        self.period.setText(
            period.format(
                start=date_time_us(r.start_us, False),
                minutes=number(minutes),
                alarms=count(rate.total),
                positions=count(self.positions),
            )
        )

    # --- export --------------------------------------------------------------------------------

    def _ask_export_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("AlarmKpis", "Export alarm KPIs"),
            "alarm-kpis.csv",
            "CSV (*.csv);;JSON (*.json)",
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> Path | None:
        """Write the current KPIs (JSON for *.json, CSV otherwise)."""
        try:
            saved = write_report(self.recompute(), path)
        except OSError as exc:
            self.message.setText(
                QCoreApplication.translate("AlarmKpis", "KPIs not saved: {error}").format(error=exc)
            )
            return None
        self.message.setText(
            QCoreApplication.translate("AlarmKpis", "KPIs saved to {path}").format(path=saved)
        )
        return saved
