"""The alarm table's Qt model: presents an AlarmQueue, a row per alarm (per asset in a flood)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from backend_client.city import Sensor
from backend_client.model.alarm_queue import AlarmQueue, AssetGroup, QueueEntry
from backend_client.protocol import LEVEL_COLOURS, AlarmRecord, AlarmState
from widgets.alarm_cells import (
    ALIGNMENT,
    BACKGROUND,
    DISPLAY,
    FONT,
    FOREGROUND,
    LOOK,
    ROLES,
    TOOLTIP,
)

LEVEL_SYMBOL = {1: "▲ I", 2: "◆ II", 3: "■ III", 4: "● IV"}
STATE_TEXT = {
    AlarmState.UNACK: "UNACK",
    AlarmState.ACKED: "ACKED",
    AlarmState.RTN_UNACK: "RTN UNACK",
    AlarmState.SHELVED: "SHELVED",
    AlarmState.SUPPRESSED: "SUPPRESSED",
    AlarmState.OUT_OF_SERVICE: "OUT OF SVC",
    AlarmState.NORMAL: "NORMAL",
}
COLUMNS = (
    "Level",
    "State",
    "1st",
    "Raised",
    "Domain",
    "Area",
    "Sensor",
    "Value",
    "Limit",
    "Message",
)
ALARM_ONLY_COLUMNS = (7, 8)  # live value and limit mean nothing for a group
GROUP_COLUMNS = ("Level", "State", "Count", "Newest", "Domain", "Area", "Asset", "", "", "Alarms")
FLASH_COLUMNS = (0, 1)
EXERCISE_TAG = "EXERCISE · "  # a drill's alarm says so in its message, on every seat
VALUE_COLUMN = 7
# sample texts that size each column for the current font (the last column stretches)
COLUMN_SAMPLES = (
    "◆ III",
    "SUPPRESSED",
    "1ST",
    "00:00:00",
    "DRAINAGE",
    "Binhu North",
    "T1 GAS Z10 methane",
    "000.00 %LEL",
    "00 %LEL",
    "",
)
FLASH_OFF_BG = QColor("#1b2430")
FIRST_OUT_BG = QColor("#4fc3f7")
DARK_TEXT = QColor("#10151b")
LIGHT_TEXT = QColor("#ffffff")
UNACKED_TEXT = QColor("#f4f7fa")
ACKED_TEXT = QColor("#a9b4c0")
SET_ASIDE_TEXT = QColor("#6c7a89")
LEVEL_BG = {level: QColor(colour) for level, colour in LEVEL_COLOURS.items()}
_Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NONES = (None,) * len(COLUMNS)
_ALIGNMENTS = tuple(RIGHT_ALIGNED if c in (7, 8) else None for c in range(len(COLUMNS)))


def local_time(us: int) -> str:
    """Wall clocks show local time; the wire is UTC."""
    return datetime.fromtimestamp(us / 1e6).strftime("%H:%M:%S")


class AlarmTableModel(QAbstractTableModel):
    """Presents the queue; one layoutChanged per batch, persistent indexes follow their alarm."""

    def __init__(self, queue: AlarmQueue | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = queue if queue is not None else AlarmQueue()
        self.grouped = False
        self._by_channel: tuple[Sensor, ...] = ()
        self._flash_on = True
        self._live: np.ndarray = np.zeros(0, dtype=np.float32)
        self._bold = QFont()
        self._bold.setBold(True)
        self._rows: dict[int, dict[int, tuple] | None] = {}  # painted rows, cleared on change

    # --- inputs ---------------------------------------------------------------------------------

    def set_sensors(self, sensors: tuple[Sensor, ...]) -> None:
        """Units and names by channel; the queue itself is told by the view."""
        self._by_channel = sensors
        self._rows.clear()

    def set_base_font(self, font: QFont) -> None:
        """Unacknowledged rows are bold in the table's own (scaled) font."""
        self._bold = QFont(font)
        self._bold.setBold(True)
        self._rows.clear()

    def set_live_values(self, values: np.ndarray) -> None:
        """Latest value per channel; the Value column shows it, the Limit column the threshold."""
        self._live = values
        self._rows.clear()
        if self.rowCount() and not self.grouped:
            last = self.rowCount() - 1
            self.dataChanged.emit(self.index(0, VALUE_COLUMN), self.index(last, VALUE_COLUMN))

    def set_flash(self, on: bool) -> None:
        """The flash phase of unacknowledged rows; the table repaints only those rows."""
        self._flash_on = on
        self._rows.clear()

    def update_queue(self, mutate: Callable[[], T]) -> T:
        """Run a change of the queue (batch, filter, reset) as one layout change."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        keys = [self.row_key(i.row()) for i in persistent]
        result = mutate()
        self._rows.clear()
        self.changePersistentIndexList(
            persistent,
            [self._index_of(key, old.column()) for key, old in zip(keys, persistent, strict=True)],
        )
        self.layoutChanged.emit()
        return result

    def set_grouped(self, grouped: bool) -> None:
        """Flood view: one row per asset with counts."""
        if grouped != self.grouped:
            self.beginResetModel()
            self.grouped = grouped
            self._rows.clear()
            self.endResetModel()
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    # --- rows -----------------------------------------------------------------------------------

    def row_key(self, row: int) -> str | None:
        """What a row shows, stable across re-sorts: an alarm id or an asset."""
        if self.grouped:
            group = self.queue.group_at(row)
            return None if group is None else "asset:" + group.asset
        entry = self.queue.entry_at(row)
        return None if entry is None else "alarm:" + entry.id

    def _index_of(self, key: str | None, column: int) -> QModelIndex:
        if key is None:
            return QModelIndex()
        kind, _, name = key.partition(":")
        if kind == "asset" and self.grouped:
            row = self.queue.group_row_of(name)
        elif kind == "alarm" and not self.grouped:
            row = self.queue.row_of(name)
        else:
            row = -1
        return self.index(row, column) if row >= 0 else QModelIndex()

    def entry_at(self, row: int) -> QueueEntry | None:
        return None if self.grouped else self.queue.entry_at(row)

    def group_at(self, row: int) -> AssetGroup | None:
        return self.queue.group_at(row) if self.grouped else None

    def alarm_at(self, row: int) -> AlarmRecord | None:
        entry = self.entry_at(row)
        return None if entry is None else entry.alarm

    def row_of(self, alarm_id: str) -> int:
        return -1 if self.grouped else self.queue.row_of(alarm_id)

    def row_flashes(self, row: int) -> bool:
        if self.grouped:
            group = self.queue.group_at(row)
            return group is not None and group.unacked > 0
        entry = self.queue.entry_at(row)
        return entry is not None and entry.unacked

    # --- QAbstractTableModel --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return self.queue.group_count() if self.grouped else len(self.queue)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (GROUP_COLUMNS if self.grouped else COLUMNS)[section]
        return None

    def cells(self, row: int) -> dict[int, tuple] | None:
        """Every role of every column of a row, built once per change (the delegate reads it)."""
        cells = self._rows.get(row)
        if cells is None and row not in self._rows:
            cells = self._rows[row] = self._row_cells(row)
        return cells

    def data(self, index: _Index, role: int = DISPLAY):
        role = int(role)
        if role not in ROLES:
            return None
        row = index.row()
        cells = self._rows.get(row)
        if cells is None:
            cells = self._rows[row] = self._row_cells(row)
        return None if cells is None else cells[role][index.column()]

    def _row_cells(self, row: int) -> dict[int, tuple] | None:
        """Every role of every column of a row at once: Qt asks per cell and role, we build once."""
        if self.grouped:
            group = self.queue.group_at(row)
            return None if group is None else self._group_cells(group)
        entry = self.queue.entry_at(row)
        return None if entry is None else self._alarm_cells(entry)

    def _level_colours(self, level: int, unacked: bool) -> tuple[QColor, QColor]:
        if unacked and not self._flash_on:
            return FLASH_OFF_BG, LIGHT_TEXT
        return LEVEL_BG.get(level, FLASH_OFF_BG), DARK_TEXT if level in (2, 3) else LIGHT_TEXT

    def _alarm_cells(self, entry: QueueEntry) -> dict[int, tuple]:
        alarm = entry.alarm
        ch = alarm.channel
        sensor = self._by_channel[ch] if 0 <= ch < len(self._by_channel) else None
        unit = sensor.unit if sensor else ""
        live = self._live[ch] if 0 <= ch < len(self._live) else np.nan
        value = float(live) if np.isfinite(live) else alarm.value
        first = self.queue.is_first_out(entry)
        texts = (
            LEVEL_SYMBOL.get(alarm.level, str(alarm.level)),
            STATE_TEXT[alarm.state],
            "1ST" if first else "",
            local_time(alarm.raised_us),
            entry.domain.upper(),
            entry.area,
            sensor.name if sensor else alarm.sensor,
            f"{value:.2f} {unit}",
            f"{alarm.limit:g} {unit}",
            (EXERCISE_TAG if alarm.exercise else "") + alarm.text,
        )
        level_bg, level_fg = self._level_colours(alarm.level, entry.unacked)
        if entry.unacked:
            fg = UNACKED_TEXT
        else:
            fg = ACKED_TEXT if alarm.state == AlarmState.ACKED else SET_ASIDE_TEXT
        tip = ("First-out alarm of its burst. " if first else "") + texts[-1]
        return {
            LOOK: (alarm.level, alarm.state, first, entry.unacked and not self._flash_on),
            DISPLAY: texts,
            BACKGROUND: (level_bg, level_bg, FIRST_OUT_BG if first else None, *_NONES[3:]),
            FOREGROUND: (level_fg, level_fg, DARK_TEXT if first else fg, *(fg,) * 7),
            FONT: (self._bold,) * len(COLUMNS) if entry.unacked else _NONES,
            ALIGNMENT: _ALIGNMENTS,
            TOOLTIP: (tip,) * len(COLUMNS),
        }

    def _group_cells(self, group: AssetGroup) -> dict[int, tuple]:
        texts = (
            LEVEL_SYMBOL.get(group.level, str(group.level)),
            f"{group.unacked} UNACK" if group.unacked else "ACKED",
            f"×{group.count}",
            local_time(group.newest_us),
            group.domain.upper(),
            group.area,
            group.asset,
            "",
            "",
            f"{group.count} alarms on {group.asset} · Enter to open",
        )
        level_bg, level_fg = self._level_colours(group.level, group.unacked > 0)
        fg = UNACKED_TEXT if group.unacked else ACKED_TEXT
        return {
            LOOK: ("group", group.level, group.unacked > 0, group.unacked and not self._flash_on),
            DISPLAY: texts,
            BACKGROUND: (level_bg, level_bg, *_NONES[2:]),
            FOREGROUND: (level_fg, level_fg, *(fg,) * 8),
            FONT: (self._bold,) * len(COLUMNS) if group.unacked else _NONES,
            ALIGNMENT: _NONES,
            TOOLTIP: (texts[-1],) * len(COLUMNS),
        }
